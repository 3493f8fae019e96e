/*
 * daemon.c - the running daemon: applying and reloading configuration,
 * listening sockets, inbound connections and dynamic neighbors.
 *
 * A reload (SIGHUP or `flatbgpctl reload`) loads the new file completely
 * first; on any error the running configuration stays untouched (SPEC
 * §4).  Otherwise the new configuration is applied as a diff: neighbors
 * that disappeared are stopped with Cease / Peer De-configured (RFC 4486),
 * changed ones are reset with Cease / Other Configuration Change, new ones
 * start; originated prefixes and import policy are re-evaluated in place
 * (soft reconfiguration: the RIB keeps rejected paths), export changes
 * rebuild the affected Adj-RIBs-Out.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "control.h"
#include "daemon.h"
#include "discover.h"
#include "fib.h"
#include "log.h"
#include "originate.h"
#include "peer.h"
#include "resolve.h"
#include "session.h"

uint32_t
daemon_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

uint32_t
daemon_auto_router_id(void)
{
	struct ifaddrs *list, *ifa;
	struct ip_addr a;
	uint32_t id = 0, v;

	if (getifaddrs(&list) == -1)
		return 0;
	/* The lowest global IPv4 address: stable across restarts even if
	 * interfaces come up in another order. */
	for (ifa = list; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ip_addr_from_sockaddr(ifa->ifa_addr, &a, NULL) == -1 ||
		    a.family != FAMILY_IPV4)
			continue;
		v = ip_addr_v4_u32(&a);
		if ((v >> 24) == 127 || (v >> 16) == 0xa9fe || v == 0)
			continue;
		if (id == 0 || v < id)
			id = v;
	}
	freeifaddrs(list);
	return id;
}

struct peer *
daemon_find_peer(struct daemon *d, const struct ip_addr *a)
{
	struct peer *p;

	TAILQ_FOREACH(p, &d->peers, entry)
		if (!p->deleting && ip_addr_equal(&p->address, a))
			return p;
	return NULL;
}

struct peer *
daemon_find_host_peer(struct daemon *d, const char *host)
{
	struct peer *p;

	TAILQ_FOREACH(p, &d->peers, entry)
		if (!p->deleting && p->conf->host != NULL &&
		    strcasecmp(p->conf->host, host) == 0)
			return p;
	return NULL;
}

static void
daemon_forget_peer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;

	if (p->outbound == NULL && p->inbound == NULL)
		peer_delete(p, BGP_CEASE_PEER_DECONFIGURED);
}

void
daemon_forget_peer_later(struct daemon *d, struct peer *p)
{
	event_base_once(d->base, -1, EV_TIMEOUT, daemon_forget_peer_cb, p,
	    NULL);
}

/*
 * RIB nodes visited per turn of the event loop while a session's paths
 * leave: about 10 ms of work, between which the FIB's flush, the other
 * peers' UPDATEs and keepalives get their turn.
 */
#define RETIRE_BUDGET	16384

static void
daemon_retire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;

	if (rib_retire_step(d->rib, RETIRE_BUDGET))
		event_active(d->retire_event, 0, 0);
}

void
daemon_retire_source(struct daemon *d, struct route_source *source)
{
	rib_retire_source(d->rib, source);
	if (d->retire_event != NULL)
		event_active(d->retire_event, 0, 0);
	else
		while (rib_retire_step(d->rib, RETIRE_BUDGET))
			continue;
}

/* The range neighbor that covers a, or NULL. */
static const struct config_neighbor *
daemon_find_range(const struct daemon *d, const struct ip_addr *a)
{
	const struct config_neighbor *best = NULL;
	size_t i;

	for (i = 0; i < d->conf->neighbor_count; i++) {
		const struct config_neighbor *n = &d->conf->neighbors[i];

		if (n->is_range && prefix_contains_addr(&n->range, a) &&
		    (best == NULL || n->range.length > best->range.length))
			best = n;
	}
	return best;
}

static size_t
daemon_count_dynamic(const struct daemon *d, const struct config_neighbor *n)
{
	const struct peer *p;
	size_t count = 0;

	TAILQ_FOREACH(p, &d->peers, entry)
		if (p->dynamic && p->conf == n && !p->deleting)
			count++;
	return count;
}

static void
reject_connection(int fd, const char *remote, const char *why)
{
	log_info("connection from %s rejected: %s", remote, why);
	close(fd);
}

static void
daemon_accept_cb(void *arg, int fd, const struct ip_addr *remote,
    uint16_t remote_port, const struct ip_addr *local, uint16_t local_port)
{
	struct daemon *d = arg;
	struct peer *p = daemon_find_peer(d, remote);
	const struct config_neighbor *range;
	char name[IP_ADDR_STRLEN];
	struct session *s;

	ip_addr_format(remote, name, sizeof(name));
	if (d->shutting_down) {
		reject_connection(fd, name, "shutting down");
		return;
	}
	if (p == NULL) {
		range = daemon_find_range(d, remote);
		if (range == NULL) {
			reject_connection(fd, name, "not a configured "
			    "neighbor");
			return;
		}
		if (daemon_count_dynamic(d, range) >= range->max_sessions) {
			reject_connection(fd, name, "max-sessions of its "
			    "range reached");
			return;
		}
		p = peer_create(d, range, remote, true);
		peer_set_idle_state(p, SESSION_ACTIVE);
	}
	if (p->inbound != NULL) {
		/* A second inbound connection replaces a stale first one
		 * only once the first has failed; refuse it meanwhile. */
		reject_connection(fd, name, "a connection from it is already "
		    "being set up");
		return;
	}
	s = session_accept(p, fd, local, local_port, remote, remote_port);
	p->inbound = s;
	/* Collision with an Established session is resolved when its OPEN
	 * arrives (RFC 4271 §6.8), by peer_session_open_received(). */
}

int
daemon_listen(struct daemon *d, char *error, size_t error_size)
{
	size_t i;

	for (i = 0; i < d->conf->listen_count && i < DAEMON_MAX_LISTENERS;
	    i++) {
		d->listeners[i] = conn_listen(d->base,
		    &d->conf->listen[i].address, d->conf->listen[i].port,
		    daemon_accept_cb, d, error, error_size);
		if (d->listeners[i] == NULL)
			return -1;
		d->listener_count++;
	}
	return 0;
}

void
daemon_close_listeners(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->listener_count; i++)
		conn_listener_free(d->listeners[i]);
	d->listener_count = 0;
}

/* Installs one TCP-MD5 key on every listening socket that can use it. */
static void
daemon_set_md5_key(struct daemon *d, const struct prefix *key,
    const char *password, const char *name)
{
	size_t j;

	for (j = 0; j < d->listener_count; j++) {
		if (family_bits(key->family) == 32 &&
		    conn_listener_address(d->listeners[j])->family ==
		    FAMILY_IPV6 && !ip_addr_is_unspecified(
		    conn_listener_address(d->listeners[j])))
			continue;
		if (conn_listener_set_md5(d->listeners[j], key,
		    password) == -1)
			log_warn("neighbor %s: cannot set TCP-MD5 key: %s",
			    name, strerror(errno));
	}
}

/*
 * Installs each neighbor's TCP-MD5 key on every listening socket; a
 * host-name neighbor's key goes to the address it resolved to.
 */
void
daemon_set_md5_keys(struct daemon *d, const struct config *old)
{
	const struct peer *p;
	struct prefix key;
	size_t i;

	for (i = 0; i < d->conf->neighbor_count; i++) {
		const struct config_neighbor *n = &d->conf->neighbors[i];

		if (n->password == NULL || (!n->is_range &&
		    n->address.family == FAMILY_NONE))
			continue;
		if (n->is_range)
			key = n->range;
		else
			prefix_set(&key, n->address.family,
			    family_bits(n->address.family), n->address.bytes);
		daemon_set_md5_key(d, &key, n->password, n->is_range ?
		    "range" : "address");
	}
	TAILQ_FOREACH(p, &d->peers, entry) {
		if (p->deleting || p->conf->host == NULL ||
		    p->conf->password == NULL ||
		    p->address.family == FAMILY_NONE)
			continue;
		prefix_set(&key, p->address.family,
		    family_bits(p->address.family), p->address.bytes);
		daemon_set_md5_key(d, &key, p->conf->password, p->conf->host);
	}
	(void)old;
}

uint32_t
daemon_router_id(const struct config *conf)
{
	return conf->router_id_auto ? daemon_auto_router_id() :
	    conf->router_id;
}

void
daemon_add_peers(struct daemon *d)
{
	size_t i;
	struct peer *p;

	for (i = 0; i < d->conf->neighbor_count; i++) {
		const struct config_neighbor *n = &d->conf->neighbors[i];

		if (n->is_range)
			continue;
		if (n->host != NULL) {
			/* Starts once resolved (resolve.c). */
			if (daemon_find_host_peer(d, n->host) == NULL)
				peer_create(d, n, &n->address, false);
			continue;
		}
		if (n->address.family == FAMILY_NONE ||
		    daemon_find_peer(d, &n->address) != NULL)
			continue;
		p = peer_create(d, n, &n->address, false);
		peer_start(p);
	}
	if (d->resolver != NULL)
		resolver_refresh(d->resolver);
}

struct daemon *
daemon_create(struct event_base *base, struct config *conf,
    const char *config_path, char *error, size_t error_size)
{
	struct daemon *d = xcalloc(1, sizeof(*d));

	d->base = base;
	d->conf = conf;
	d->config_path = xstrdup(config_path);
	d->started = time(NULL);
	TAILQ_INIT(&d->peers);
	d->router_id = daemon_router_id(conf);
	if (d->router_id == 0) {
		snprintf(error, error_size, "router-id auto: no global IPv4 "
		    "address found; set router-id in %s", config_path);
		goto fail;
	}
	d->rib = rib_create(conf->fib.ecmp);
	d->retire_event = event_new(base, -1, 0, daemon_retire_cb, d);
	if (d->retire_event == NULL)
		fatalx_oom();
	d->originate = originate_create(d->rib);
	if (daemon_kernel_start(d, error, error_size) == -1 ||
	    daemon_listen(d, error, error_size) == -1)
		goto fail;
	daemon_set_md5_keys(d, NULL);
	d->control = control_create(base, conf->control.socket,
	    conf->control.mode, error, error_size);
	if (d->control == NULL)
		goto fail;
	control_handlers_register(d->control, d);
	if ((d->dns = resolve_dns_create(base, error, error_size)) == NULL)
		goto fail;
	d->resolver = resolver_create(d);
	originate_apply(d->originate, conf);
	d->discover = discover_create(d);
	daemon_add_peers(d);
	return d;
fail:
	daemon_free(d);
	return NULL;
}

void
daemon_shutdown(struct daemon *d)
{
	struct peer *p, *next;

	d->shutting_down = true;
	discover_free(d->discover);
	d->discover = NULL;
	resolver_free(d->resolver);
	d->resolver = NULL;
	/* Routes first (or kept, fib.keep-on-exit): the peers going down
	 * next must not change the kernel. */
	if (d->fib != NULL)
		fib_shutdown(d->fib);
	daemon_close_listeners(d);
	for (p = TAILQ_FIRST(&d->peers); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		peer_delete(p, BGP_CEASE_ADMIN_SHUTDOWN);
	}
}

void
daemon_free(struct daemon *d)
{
	struct peer *p, *next;

	if (d == NULL)
		return;
	d->shutting_down = true;
	discover_free(d->discover);
	resolver_free(d->resolver);
	daemon_kernel_stop(d);
	for (p = TAILQ_FIRST(&d->peers); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		peer_delete(p, BGP_CEASE_ADMIN_SHUTDOWN);
	}
	daemon_close_listeners(d);
	if (d->control != NULL)
		control_destroy(d->control);
	originate_free(d->originate);
	if (d->dns != NULL)
		evdns_base_free(d->dns, 0);
	if (d->retire_event != NULL)
		event_free(d->retire_event);
	if (d->rib != NULL)
		rib_destroy(d->rib);
	config_free(d->conf);
	free(d->config_path);
	free(d->socket_override);
	free(d);
}
