/*
 * resolve.c - host-name neighbors: asynchronous lookups with evdns.
 *
 * One lookup per distinct host name is in flight at a time; its answer
 * is applied to every peer configured with that name (a name may be
 * written twice only in different case, config.c refuses duplicates).
 * Peers are found again by name when the answer arrives, so a peer
 * removed by a reload meanwhile is never touched.  A failed lookup
 * keeps the address in use (a DNS outage must not drop sessions) and
 * is logged once per name until a lookup succeeds again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/util.h>

#include "daemon.h"
#include "discover.h"
#include "log.h"
#include "peer.h"
#include "resolve.h"

#define RESOLVE_MAX_ANSWERS	16

struct resolve_query {
	TAILQ_ENTRY(resolve_query) entry;
	struct resolver		*resolver;
	struct evdns_getaddrinfo_request *request;
	bool			 starting;	/* inside evdns_getaddrinfo() */
	bool			 answered;	/* ... and it answered at once */
	char			*host;
};

struct resolver {
	struct daemon		*daemon;
	struct event		*timer;
	TAILQ_HEAD(, resolve_query) queries;
	char			**failing;	/* names whose lookup failed */
	size_t			 failing_count;
};

/*
 * evdns reports every nameserver that stops or starts answering; the
 * lookups' own failures are logged once per name (resolve_done_cb), so
 * these go to debug instead of raw to stderr.
 */
static void
resolve_evdns_log_cb(int is_warning, const char *message)
{
	log_debug("evdns%s: %s", is_warning ? " warning" : "", message);
}

struct evdns_base *
resolve_dns_create(struct event_base *base, char *error, size_t error_size)
{
	static const char *const problems[] = {
		"", "cannot open it", "cannot stat it", "too large",
		"out of memory", "short read", "no nameserver in it",
	};
	const char *path = getenv("FLATBGP_RESOLV_CONF");
	struct evdns_base *dns;
	int rc;

	/*
	 * Not EVDNS_BASE_INITIALIZE_NAMESERVERS: it adds the nameservers
	 * before "disable when inactive" is set, and their sockets would
	 * then be watched for ever.
	 */
	evdns_set_log_fn(resolve_evdns_log_cb);
	if ((dns = evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE)) ==
	    NULL)
		fatalx_oom();
	if (path == NULL || *path == '\0') {
		/* Without a usable file evdns asks 127.0.0.1. */
		evdns_base_resolv_conf_parse(dns, DNS_OPTIONS_ALL,
		    "/etc/resolv.conf");
		return dns;
	}
	rc = evdns_base_resolv_conf_parse(dns, DNS_OPTIONS_ALL |
	    DNS_OPTION_NAMESERVERS_NO_DEFAULT, path);
	if (rc == 0 && evdns_base_count_nameservers(dns) == 0)
		rc = 6;	/* what evdns says when it adds its default */
	if (rc != 0) {
		snprintf(error, error_size, "FLATBGP_RESOLV_CONF %s: %s", path,
		    rc > 0 && rc < 7 ? problems[rc] : "unusable");
		evdns_base_free(dns, 0);
		return NULL;
	}
	return dns;
}

int
resolve_pick(const struct ip_addr *candidates, size_t count,
    const struct ip_addr *current, struct ip_addr *out)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (ip_addr_equal(&candidates[i], current)) {
			*out = *current;
			return 0;
		}
	for (i = 0; i < count; i++)
		if (candidates[i].family == FAMILY_IPV4) {
			*out = candidates[i];
			return 0;
		}
	for (i = 0; i < count; i++)
		if (candidates[i].family == FAMILY_IPV6) {
			*out = candidates[i];
			return 0;
		}
	return -1;
}

/* Records whether host's last lookup failed; returns true on a change. */
static bool
resolver_set_failing(struct resolver *r, const char *host, bool failing)
{
	size_t i;

	for (i = 0; i < r->failing_count; i++)
		if (strcasecmp(r->failing[i], host) == 0)
			break;
	if (failing == (i < r->failing_count))
		return false;
	if (failing) {
		r->failing = xreallocarray(r->failing, r->failing_count + 1,
		    sizeof(*r->failing));
		r->failing[r->failing_count++] = xstrdup(host);
	} else {
		free(r->failing[i]);
		r->failing[i] = r->failing[--r->failing_count];
	}
	return true;
}

/*
 * Points peer p at address a, unless another configured peer has it.
 * A dynamic peer holding the address gives way: the configured one
 * describes that neighbor better.
 */
static bool
resolver_move(struct resolver *r, struct peer *p, const struct ip_addr *a)
{
	struct peer *other = daemon_find_peer(r->daemon, a);
	char text[IP_ADDR_STRLEN];

	if (other != NULL && other != p && !other->dynamic) {
		if (resolver_set_failing(r, p->conf->host, true))
			log_warn("neighbor %s: resolves to %s, which neighbor "
			    "%s already is", p->conf->host, ip_addr_format(a,
			    text, sizeof(text)), other->conf->host != NULL ?
			    other->conf->host : other->name);
		return false;
	}
	if (other != NULL && other != p)
		peer_delete(other, BGP_CEASE_OTHER_CONFIG_CHANGE);
	peer_set_address(p, a);
	daemon_set_md5_keys(r->daemon, NULL);
	return true;
}

/*
 * Applies an answer for host to every peer configured with that name;
 * returns false if one of them could not take its address.
 */
static bool
resolver_apply(struct resolver *r, const char *host,
    const struct ip_addr *answers, size_t count)
{
	struct peer *p, **moving = NULL;
	struct ip_addr pick;
	size_t n = 0, i;
	bool all = true;

	/* First the list: resolver_move may delete a (dynamic) peer. */
	TAILQ_FOREACH(p, &r->daemon->peers, entry) {
		if (p->deleting || p->conf->host == NULL ||
		    strcasecmp(p->conf->host, host) != 0)
			continue;
		moving = xreallocarray(moving, n + 1, sizeof(*moving));
		moving[n++] = p;
	}
	for (i = 0; i < n; i++)
		if (resolve_pick(answers, count, &moving[i]->address,
		    &pick) == 0 && !ip_addr_equal(&pick, &moving[i]->address) &&
		    !resolver_move(r, moving[i], &pick))
			all = false;
	free(moving);
	return all;
}

static size_t
collect_answers(const struct evutil_addrinfo *res, struct ip_addr *answers)
{
	size_t count = 0;

	for (; res != NULL && count < RESOLVE_MAX_ANSWERS; res = res->ai_next)
		if (res->ai_addr != NULL && ip_addr_from_sockaddr(res->ai_addr,
		    &answers[count], NULL) == 0)
			count++;
	return count;
}

static void
resolve_query_free(struct resolve_query *q)
{
	TAILQ_REMOVE(&q->resolver->queries, q, entry);
	free(q->host);
	free(q);
}

static void
resolve_done_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	struct resolve_query *q = arg;
	struct resolver *r = q->resolver;
	struct ip_addr answers[RESOLVE_MAX_ANSWERS];
	size_t count = collect_answers(res, answers);

	if (res != NULL)
		evutil_freeaddrinfo(res);
	if (result == EVUTIL_EAI_CANCEL)
		goto done;
	if (result != 0 || count == 0) {
		if (resolver_set_failing(r, q->host, true))
			log_warn("neighbor %s: cannot resolve it: %s (keeping "
			    "the address in use, if any)", q->host,
			    result != 0 ? evutil_gai_strerror(result) :
			    "no address");
		goto done;
	}
	if (resolver_apply(r, q->host, answers, count) &&
	    resolver_set_failing(r, q->host, false))
		log_info("neighbor %s: resolved again", q->host);
done:
	if (q->starting)
		q->answered = true;	/* resolve_start frees it */
	else
		resolve_query_free(q);
}

static bool
resolve_pending(const struct resolver *r, const char *host)
{
	const struct resolve_query *q;

	TAILQ_FOREACH(q, &r->queries, entry)
		if (strcasecmp(q->host, host) == 0)
			return true;
	return false;
}

static void
resolve_start(struct resolver *r, const char *host)
{
	struct resolve_query *q = xcalloc(1, sizeof(*q));
	struct evutil_addrinfo hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = EVUTIL_AI_ADDRCONFIG;
	q->resolver = r;
	q->host = xstrdup(host);
	q->starting = true;
	TAILQ_INSERT_TAIL(&r->queries, q, entry);
	/* evdns may answer at once (hosts file, errors): see done_cb. */
	q->request = evdns_getaddrinfo(r->daemon->dns, host, NULL, &hints,
	    resolve_done_cb, q);
	q->starting = false;
	if (q->answered)
		resolve_query_free(q);
}

void
resolver_refresh(struct resolver *r)
{
	struct peer *p;

	TAILQ_FOREACH(p, &r->daemon->peers, entry)
		if (!p->deleting && p->conf->host != NULL &&
		    !resolve_pending(r, p->conf->host))
			resolve_start(r, p->conf->host);
}

static void
resolver_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	resolver_refresh(arg);
}

struct resolver *
resolver_create(struct daemon *d)
{
	struct resolver *r = xcalloc(1, sizeof(*r));
	struct timeval interval = { (time_t)discover_recheck_seconds(), 0 };

	r->daemon = d;
	TAILQ_INIT(&r->queries);
	r->timer = event_new(d->base, -1, EV_PERSIST, resolver_timer_cb, r);
	if (r->timer == NULL)
		fatalx_oom();
	event_add(r->timer, &interval);
	return r;
}

void
resolver_free(struct resolver *r)
{
	struct resolve_query *q;
	size_t i;

	if (r == NULL)
		return;
	/* Each cancel calls resolve_done_cb, which frees the query. */
	while ((q = TAILQ_FIRST(&r->queries)) != NULL)
		evdns_getaddrinfo_cancel(q->request);
	event_free(r->timer);
	for (i = 0; i < r->failing_count; i++)
		free(r->failing[i]);
	free(r->failing);
	free(r);
}
