/*
 * peer.c - neighbors: connect retries, collision resolution, and the
 * route exchange of an Established session.
 *
 * The RFC 4271 §8 FSM is split between here and session.c: the states
 * Idle, Connect and Active and the ConnectRetry timer belong to the peer
 * (they exist without a connection); OpenSent, OpenConfirm and
 * Established belong to a session.  While a session is Established the
 * peer is a route source of the RIB: UPDATEs become rib_update() and
 * rib_withdraw() calls after import policy (policy.c), and an Adj-RIB-Out
 * (adjout.c) feeds the session's output.
 */
#include <stdlib.h>
#include <string.h>

#include "adjout.h"
#include "conn.h"
#include "attr.h"
#include "daemon.h"
#include "log.h"
#include "originate.h"
#include "peer.h"
#include "policy.h"
#include "session.h"

static void peer_connect_retry_cb(evutil_socket_t fd, short what, void *arg);

struct peer *
peer_create(struct daemon *d, const struct config_neighbor *conf,
    const struct ip_addr *address, bool dynamic)
{
	struct peer *p = xcalloc(1, sizeof(*p));

	p->daemon = d;
	p->conf = conf;
	p->dynamic = dynamic;
	p->address = *address;
	ip_addr_format(address, p->name, sizeof(p->name));
	if (address->family == FAMILY_NONE && conf->host != NULL)
		snprintf(p->name, sizeof(p->name), "%s", conf->host);
	if (!conf->is_range && conf->asn_kind == PEER_ASN_NUMBER &&
	    conf->asn_count > 0)
		p->remote_as = conf->asns[0];
	p->connect_retry_timer = evtimer_new(d->base, peer_connect_retry_cb,
	    p);
	if (p->connect_retry_timer == NULL)
		fatalx_oom();
	p->idle_state = SESSION_IDLE;
	p->state_changed = time(NULL);
	p->updown_since = p->state_changed;
	TAILQ_INSERT_TAIL(&d->peers, p, entry);
	return p;
}

void
peer_set_idle_state(struct peer *p, enum session_state state)
{
	if (p->idle_state != state)
		p->state_changed = time(NULL);
	p->idle_state = state;
}

static void
peer_schedule_connect(struct peer *p, unsigned seconds)
{
	struct timeval tv = { (time_t)seconds, 0 };

	if (p->conf->passive || p->dynamic || p->deleting ||
	    p->daemon->shutting_down) {
		peer_set_idle_state(p, SESSION_ACTIVE);
		return;
	}
	peer_set_idle_state(p, SESSION_ACTIVE);
	evtimer_add(p->connect_retry_timer, &tv);
}

void
peer_start(struct peer *p)
{
	/* A short random delay spreads simultaneous starts (and makes
	 * collisions between two flatbgpd less likely). */
	unsigned delay = (unsigned)(random() % 2);

	peer_schedule_connect(p, delay);
}

static void
peer_connect_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;

	if (p->outbound != NULL || p->established != NULL ||
	    p->address.family == FAMILY_NONE) {
		peer_schedule_connect(p, p->daemon->conf->connect_retry);
		return;
	}
	peer_set_idle_state(p, SESSION_CONNECT);
	p->outbound = session_connect(p);
	if (p->outbound == NULL)
		peer_schedule_connect(p, p->daemon->conf->connect_retry);
}

void
peer_set_address(struct peer *p, const struct ip_addr *a)
{
	char text[IP_ADDR_STRLEN];

	ip_addr_format(a, text, sizeof(text));
	if (p->address.family != FAMILY_NONE) {
		log_info("neighbor %s: moved from %s to %s", p->conf->host,
		    p->name, text);
		peer_reset(p, BGP_CEASE_OTHER_CONFIG_CHANGE,
		    "neighbor address changed");
	} else {
		log_info("neighbor %s: resolved to %s", p->conf->host, text);
	}
	p->address = *a;
	memcpy(p->name, text, sizeof(p->name));
	evtimer_del(p->connect_retry_timer);
	if (p->outbound == NULL && p->inbound == NULL)
		peer_start(p);
	else
		peer_schedule_connect(p, p->daemon->conf->connect_retry);
}

enum session_state
peer_state(const struct peer *p)
{
	enum session_state best = p->idle_state;

	if (p->established != NULL)
		return SESSION_ESTABLISHED;
	if (p->outbound != NULL && p->outbound->state > best)
		best = p->outbound->state;
	if (p->inbound != NULL && p->inbound->state > best)
		best = p->inbound->state;
	return best;
}

const struct session *
peer_current_session(const struct peer *p)
{
	if (p->established != NULL)
		return p->established;
	if (p->outbound != NULL && (p->inbound == NULL ||
	    p->outbound->state >= p->inbound->state))
		return p->outbound;
	return p->inbound;
}

uint16_t
peer_hold_time(const struct peer *p)
{
	return config_neighbor_hold_time(p->daemon->conf, p->conf);
}

bool
peer_accepts_as(const struct peer *p, uint32_t as)
{
	const struct config_neighbor *n = p->conf;
	size_t i;

	switch (n->asn_kind) {
	case PEER_ASN_EXTERNAL:
		return as != p->daemon->conf->asn;
	case PEER_ASN_INTERNAL:
		return as == p->daemon->conf->asn;
	case PEER_ASN_NUMBER:
		for (i = 0; i < n->asn_count; i++)
			if (n->asns[i] == as)
				return true;
		return false;
	}
	return false;
}

void
peer_local_caps(const struct peer *p, struct bgp_caps *caps)
{
	unsigned families = p->conf->families ? p->conf->families :
	    CONFIG_FAMILY_IPV4 | CONFIG_FAMILY_IPV6;

	memset(caps, 0, sizeof(*caps));
	caps->multiprotocol = true;
	caps->ipv4_unicast = (families & CONFIG_FAMILY_IPV4) != 0;
	caps->ipv6_unicast = (families & CONFIG_FAMILY_IPV6) != 0;
	caps->as4 = true;
	caps->as4_number = p->daemon->conf->asn;
	caps->route_refresh = true;
	/* RFC 8950: IPv4 routes over an IPv6-only session need it. */
	caps->extended_next_hop_ipv4 = caps->ipv4_unicast;
}

void
peer_record_error(struct peer *p, bool sent, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t len, const char *message)
{
	struct peer_error *e = &p->last_error;

	memset(e, 0, sizeof(*e));
	e->set = true;
	e->sent = sent;
	e->code = code;
	e->subcode = subcode;
	e->data_len = len < sizeof(e->data) ? len : sizeof(e->data);
	if (e->data_len)
		memcpy(e->data, data, e->data_len);
	if (message)
		snprintf(e->message, sizeof(e->message), "%s", message);
	e->time = time(NULL);
}

/*
 * RFC 4271 §6.8.  s just received an OPEN.  If the peer already has an
 * Established session, the new one loses.  If the other session is
 * still in OpenSent/OpenConfirm, the side with the higher BGP identifier
 * keeps the connection it initiated.  A pending outbound connect is
 * simply dropped.  Returns false if s was closed.
 */
bool
peer_session_open_received(struct peer *p, struct session *s)
{
	struct session *other = s == p->outbound ? p->inbound : p->outbound;
	bool keep_outbound;

	if (p->established != NULL && p->established != s) {
		session_close(s, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0,
		    "connection collision with an established session");
		return false;
	}
	if (other == NULL)
		return true;
	if (other->state == SESSION_CONNECT) {
		session_abort(other);
		if (other == p->outbound)
			p->outbound = NULL;
		else
			p->inbound = NULL;
		return true;
	}
	keep_outbound = p->daemon->router_id > s->remote_open.bgp_id;
	if (keep_outbound == s->outbound) {
		session_close(other, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL,
		    0, "connection collision resolution");
		return true;
	}
	session_close(s, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0,
	    "connection collision resolution");
	return false;
}

static void
peer_adjout_wakeup_cb(void *arg)
{
	struct peer *p = arg;

	if (p->established != NULL)
		session_kick_output(p->established);
}

static void
peer_start_adjout(struct peer *p, struct session *s)
{
	struct adjout_params params;
	const struct config *conf = p->daemon->conf;

	memset(&params, 0, sizeof(params));
	params.peer_source = p->source;
	params.codec = s->codec;
	params.local_as = conf->asn;
	params.remote_as = p->remote_as;
	params.router_id = p->daemon->router_id;
	params.cluster_id = p->daemon->router_id;
	params.ibgp = p->ibgp;
	params.rr_client = p->conf->route_reflector_client;
	params.next_hop_self = config_neighbor_next_hop_self(p->conf, p->ibgp);
	params.export = config_neighbor_export(conf, p->conf);
	conn_self_nexthops(s->fd, &params.self_v4, &params.self_v6);
	params.max_message = BGP_MAX_MSG_LEN;
	p->adjout = adjout_create(p->daemon->rib, &params,
	    peer_adjout_wakeup_cb, p);
	adjout_start(p->adjout);
}

void
peer_session_established(struct peer *p, struct session *s)
{
	struct session *other = s == p->outbound ? p->inbound : p->outbound;

	if (other != NULL) {
		session_close(other, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL,
		    0, "connection collision resolution");
	}
	p->established = s;
	p->ibgp = s->codec.ibgp;
	p->established_transitions++;
	p->connect_failures = 0;
	p->state_changed = time(NULL);
	p->updown_since = p->state_changed;
	evtimer_del(p->connect_retry_timer);
	p->source = route_source_new(p->name);
	p->source->id = ++p->daemon->next_source_id;
	p->source->ibgp = p->ibgp;
	p->source->rr_client = p->conf->route_reflector_client;
	p->source->remote_as = p->remote_as;
	p->source->router_id = s->remote_open.bgp_id;
	p->source->address = p->address;
	p->prefixes_received = 0;
	p->prefixes_accepted = 0;
	p->end_of_rib = 0;
	log_info("neighbor %s: session established (AS %u, %s, hold time "
	    "%u s, %s%s)", p->name, p->remote_as, p->ibgp ? "iBGP" : "eBGP",
	    s->hold_time, s->codec.ipv4 ? "ipv4 " : "",
	    s->codec.ipv6 ? "ipv6" : "");
	peer_start_adjout(p, s);
}

/* Drops everything the Established session had put into the RIB. */
static void
peer_session_down(struct peer *p)
{
	if (p->adjout != NULL) {
		adjout_destroy(p->adjout);
		p->adjout = NULL;
	}
	daemon_retire_source(p->daemon, p->source);
	p->source = NULL;
	p->established = NULL;
	p->updown_since = time(NULL);
	p->prefixes_received = 0;
	p->prefixes_accepted = 0;
}

void
peer_session_closed(struct peer *p, struct session *s,
    const struct peer_error *error)
{
	bool was_established = p->established == s;

	if (error != NULL && error->set)
		p->last_error = *error;
	if (s == p->outbound)
		p->outbound = NULL;
	if (s == p->inbound)
		p->inbound = NULL;
	if (was_established) {
		log_info("neighbor %s: session down", p->name);
		peer_session_down(p);
	}
	p->state_changed = time(NULL);
	if (p->outbound != NULL || p->inbound != NULL)
		return;
	if (p->deleting || (p->dynamic && !p->daemon->shutting_down)) {
		if (p->dynamic && !p->deleting) {
			/* Dynamic peers exist only while they have a session:
			 * free from the loop, not under the caller. */
			p->deleting = true;
			daemon_forget_peer_later(p->daemon, p);
		}
		return;
	}
	peer_set_idle_state(p, SESSION_IDLE);
	if (!was_established)
		p->connect_failures++;
	peer_schedule_connect(p, p->daemon->conf->connect_retry);
}

void
peer_delete(struct peer *p, uint8_t cease_subcode)
{
	p->deleting = true;
	evtimer_del(p->connect_retry_timer);
	if (p->outbound != NULL)
		session_close(p->outbound, BGP_ERR_CEASE, cease_subcode, NULL,
		    0, "neighbor stopped");
	if (p->inbound != NULL)
		session_close(p->inbound, BGP_ERR_CEASE, cease_subcode, NULL,
		    0, "neighbor stopped");
	if (p->established != NULL)
		peer_session_down(p);
	TAILQ_REMOVE(&p->daemon->peers, p, entry);
	event_free(p->connect_retry_timer);
	free(p);
}

void
peer_reset(struct peer *p, uint8_t cease_subcode, const char *why)
{
	if (p->outbound != NULL)
		session_close(p->outbound, BGP_ERR_CEASE, cease_subcode, NULL,
		    0, why);
	if (p->inbound != NULL)
		session_close(p->inbound, BGP_ERR_CEASE, cease_subcode, NULL,
		    0, why);
}

int
peer_request_refresh(struct peer *p)
{
	struct session *s = p->established;

	if (s == NULL || !s->negotiated.route_refresh)
		return -1;
	if (s->codec.ipv4)
		session_send_route_refresh(s, FAMILY_IPV4);
	if (s->codec.ipv6)
		session_send_route_refresh(s, FAMILY_IPV6);
	return 0;
}

void
peer_session_route_refresh(struct peer *p, struct session *s, uint16_t afi,
    uint8_t safi)
{
	if (p->adjout == NULL || safi != BGP_SAFI_UNICAST ||
	    (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6)) {
		/* RFC 2918 §4: ignore a refresh for an AFI/SAFI not
		 * negotiated. */
		log_info("neighbor %s: ignored ROUTE-REFRESH for AFI %u SAFI "
		    "%u", p->name, afi, safi);
		return;
	}
	adjout_refresh(p->adjout, afi);
}

uint64_t
peer_prefixes_advertised(const struct peer *p)
{
	struct adjout_stats stats;

	if (p->adjout == NULL)
		return 0;
	adjout_get_stats(p->adjout, &stats);
	return stats.advertised[FAMILY_IPV4] + stats.advertised[FAMILY_IPV6];
}
