/*
 * session.c - the finite state machine of one BGP connection.
 *
 * RFC 4271 §8.  A session starts in Connect (outbound, TCP connect in
 * progress) or goes straight to OpenSent (inbound: we accepted and sent
 * our OPEN).  OPEN received → OpenConfirm (after the peer's collision
 * check); KEEPALIVE received → Established.  Any error closes the
 * session with the NOTIFICATION the codec or the FSM prescribes; the
 * peer then decides when to try again.
 *
 * Input: the read callback frames every complete message in the input
 * buffer, handles it, and re-checks that the session still exists; it
 * handles at most SESSION_INPUT_BUDGET messages per callback and resumes
 * through an active event so one busy peer cannot starve the others.
 * Output is pull-based: UPDATEs are built from the Adj-RIB-Out only while
 * the socket's output buffer is below SESSION_OUTPUT_LOW_WATER.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "adjout.h"
#include "conn.h"
#include "daemon.h"
#include "log.h"
#include "peer.h"
#include "session.h"

#define SESSION_INPUT_BUDGET		512
#define SESSION_OUTPUT_LOW_WATER	(64 * 1024)
#define SESSION_OPEN_HOLD_TIME		240	/* RFC 4271 §8.2.2: 4 minutes */
#define SESSION_CLOSE_GRACE		2	/* seconds to flush a NOTIFICATION */

static const char *const session_state_names[] = {
	[SESSION_IDLE] = "Idle",
	[SESSION_CONNECT] = "Connect",
	[SESSION_ACTIVE] = "Active",
	[SESSION_OPENSENT] = "OpenSent",
	[SESSION_OPENCONFIRM] = "OpenConfirm",
	[SESSION_ESTABLISHED] = "Established",
};

static void session_read_cb(struct bufferevent *bev, void *arg);
static void session_write_cb(struct bufferevent *bev, void *arg);
static void session_event_cb(struct bufferevent *bev, short what, void *arg);
static void session_work_cb(evutil_socket_t fd, short what, void *arg);
static void session_hold_cb(evutil_socket_t fd, short what, void *arg);
static void session_keepalive_cb(evutil_socket_t fd, short what, void *arg);
static void session_free(struct session *s);

const char *
session_state_name(enum session_state state)
{
	if ((size_t)state >= sizeof(session_state_names) /
	    sizeof(session_state_names[0]))
		return "Unknown";
	return session_state_names[state];
}

static struct event_base *
session_base(const struct session *s)
{
	return s->peer->daemon->base;
}

static void
session_set_state(struct session *s, enum session_state state)
{
	if (s->state == state)
		return;
	log_debug("neighbor %s: %s -> %s (%s)", s->peer->name,
	    session_state_name(s->state), session_state_name(state),
	    s->outbound ? "outbound" : "inbound");
	s->state = state;
	s->peer->state_changed = time(NULL);
}

static struct session *
session_new(struct peer *peer, int fd, bool outbound)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct event_base *base = peer->daemon->base;

	s->peer = peer;
	s->fd = fd;
	s->outbound = outbound;
	s->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL)
		fatalx_oom();
	bufferevent_setcb(s->bev, session_read_cb, session_write_cb,
	    session_event_cb, s);
	bufferevent_setwatermark(s->bev, EV_WRITE, SESSION_OUTPUT_LOW_WATER,
	    0);
	s->hold_timer = evtimer_new(base, session_hold_cb, s);
	s->keepalive_timer = evtimer_new(base, session_keepalive_cb, s);
	s->work_event = event_new(base, -1, 0, session_work_cb, s);
	if (s->hold_timer == NULL || s->keepalive_timer == NULL ||
	    s->work_event == NULL)
		fatalx_oom();
	return s;
}

static void
session_arm_hold(struct session *s, unsigned seconds)
{
	struct timeval tv = { (time_t)seconds, 0 };

	if (seconds == 0)
		evtimer_del(s->hold_timer);
	else
		evtimer_add(s->hold_timer, &tv);
}

/* Appends one complete message to the output and counts it. */
static void
session_send(struct session *s, const uint8_t *msg, size_t len)
{
	struct message_counters *c = &s->peer->sent;

	if (len < BGP_HEADER_LEN || s->closing)
		return;
	bufferevent_write(s->bev, msg, len);
	switch (msg[18]) {
	case BGP_MSG_OPEN:
		c->open++;
		break;
	case BGP_MSG_UPDATE:
		c->update++;
		break;
	case BGP_MSG_NOTIFICATION:
		c->notification++;
		break;
	case BGP_MSG_KEEPALIVE:
		c->keepalive++;
		break;
	case BGP_MSG_ROUTE_REFRESH:
		c->route_refresh++;
		break;
	}
}

static void
session_send_keepalive(struct session *s)
{
	uint8_t msg[BGP_HEADER_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	session_send(s, msg, bgp_msg_encode_keepalive(&w));
}

static void
session_send_open(struct session *s)
{
	uint8_t msg[BGP_MAX_MSG_LEN];
	struct wbuf w;
	struct peer *p = s->peer;

	peer_local_caps(p, &p->caps_sent);
	wbuf_init(&w, msg, sizeof(msg));
	session_send(s, msg, bgp_msg_encode_open(&w, p->daemon->conf->asn,
	    peer_hold_time(p), p->daemon->router_id, &p->caps_sent));
	session_set_state(s, SESSION_OPENSENT);
	session_arm_hold(s, SESSION_OPEN_HOLD_TIME);
}

struct session *
session_connect(struct peer *peer)
{
	struct session *s;
	struct sockaddr_storage ss;
	size_t sslen;
	int fd;

	fd = conn_socket(&peer->address, peer->conf->password);
	if (fd == -1) {
		log_warn("neighbor %s: socket: %s", peer->name,
		    strerror(errno));
		return NULL;
	}
	s = session_new(peer, fd, true);
	session_set_state(s, SESSION_CONNECT);
	sslen = ip_addr_to_sockaddr(&peer->address, BGP_PORT, &ss);
	/* Completion arrives as BEV_EVENT_CONNECTED or an error event. */
	if (bufferevent_socket_connect(s->bev, (struct sockaddr *)&ss,
	    (int)sslen) == -1) {
		log_info("neighbor %s: connect: %s", peer->name,
		    strerror(errno));
		session_free(s);
		return NULL;
	}
	session_arm_hold(s, peer->daemon->conf->connect_retry * 2 + 5);
	return s;
}

struct session *
session_accept(struct peer *peer, int fd, const struct ip_addr *local,
    uint16_t local_port, const struct ip_addr *remote, uint16_t remote_port)
{
	struct session *s = session_new(peer, fd, false);

	s->local = *local;
	s->local_port = local_port;
	s->remote = *remote;
	s->remote_port = remote_port;
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	session_send_open(s);
	return s;
}

/* The outbound TCP connection is up (or failed). */
static void
session_connected(struct session *s, short what)
{
	int error = 0;

	if (!(what & BEV_EVENT_CONNECTED))
		error = EVUTIL_SOCKET_ERROR() ? EVUTIL_SOCKET_ERROR() :
		    ECONNREFUSED;
	if (error != 0) {
		struct peer_error e = { .set = false };

		log_info("neighbor %s: connect failed: %s", s->peer->name,
		    strerror(error));
		snprintf(e.message, sizeof(e.message), "%s", strerror(error));
		s->closing = true;
		peer_session_closed(s->peer, s, &e);
		session_free(s);
		return;
	}
	conn_addresses(s->fd, &s->local, &s->local_port, &s->remote,
	    &s->remote_port);
	log_debug("neighbor %s: connected from port %u", s->peer->name,
	    s->local_port);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	session_send_open(s);
}

static void
session_free(struct session *s)
{
	event_free(s->hold_timer);
	event_free(s->keepalive_timer);
	event_free(s->work_event);
	bufferevent_free(s->bev);
	free(s);
}

/* Closed sessions waiting for their last bytes to leave. */
static LIST_HEAD(, session) lingering = LIST_HEAD_INITIALIZER(lingering);

static void
session_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	LIST_REMOVE(s, linger_entry);
	session_free(s);
}

void
session_reap_lingering(void)
{
	struct session *s;

	while ((s = LIST_FIRST(&lingering)) != NULL) {
		LIST_REMOVE(s, linger_entry);
		session_free(s);
	}
}

/* Frees s after its output drained or the grace period passed. */
static void
session_linger(struct session *s)
{
	struct timeval tv = { SESSION_CLOSE_GRACE, 0 };

	bufferevent_disable(s->bev, EV_READ);
	evtimer_del(s->hold_timer);
	evtimer_del(s->keepalive_timer);
	event_del(s->work_event);
	if (evbuffer_get_length(bufferevent_get_output(s->bev)) == 0) {
		/* Nothing to flush; free from the loop, not from under a
		 * callback that may still touch s. */
		tv.tv_sec = 0;
	}
	event_free(s->hold_timer);
	s->hold_timer = evtimer_new(session_base(s), session_linger_cb, s);
	evtimer_add(s->hold_timer, &tv);
	LIST_INSERT_HEAD(&lingering, s, linger_entry);
}

void
session_close(struct session *s, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t data_len, const char *reason)
{
	struct peer_error e;
	uint8_t msg[BGP_MAX_MSG_LEN];
	struct wbuf w;

	if (s->closing)
		return;
	memset(&e, 0, sizeof(e));
	if (code != 0 && s->state >= SESSION_OPENSENT) {
		wbuf_init(&w, msg, sizeof(msg));
		session_send(s, msg, bgp_msg_encode_notification(&w, code,
		    subcode, data, data_len));
		e.set = true;
		e.sent = true;
		e.code = code;
		e.subcode = subcode;
		e.data_len = data_len < sizeof(e.data) ? data_len :
		    sizeof(e.data);
		if (data_len)
			memcpy(e.data, data, e.data_len);
		e.time = time(NULL);
		log_warn("neighbor %s: sent NOTIFICATION %s / %s%s%s",
		    s->peer->name, bgp_error_code_name(code),
		    bgp_error_subcode_name(code, subcode),
		    reason ? ": " : "", reason ? reason : "");
	} else if (reason != NULL) {
		log_info("neighbor %s: session closed: %s", s->peer->name,
		    reason);
	}
	if (reason != NULL)
		snprintf(e.message, sizeof(e.message), "%s", reason);
	s->closing = true;
	peer_session_closed(s->peer, s, &e);
	session_linger(s);
}

void
session_abort(struct session *s)
{
	if (s->closing)
		return;
	s->closing = true;
	session_linger(s);
}

void
session_kick_output(struct session *s)
{
	if (!s->closing)
		event_active(s->work_event, EV_WRITE, 0);
}

void
session_send_route_refresh(struct session *s, int family)
{
	uint8_t msg[BGP_ROUTE_REFRESH_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	session_send(s, msg, bgp_msg_encode_route_refresh(&w,
	    (uint16_t)family, BGP_SAFI_UNICAST));
}

/* Sends a NOTIFICATION for a codec error and closes. */
static void
session_fail(struct session *s, const struct bgp_error *err)
{
	session_close(s, err->code, err->subcode, err->data, err->data_len,
	    err->reason);
}

static void
session_fsm_error(struct session *s, uint8_t type)
{
	/* RFC 6608: subcode names the state the unexpected message hit. */
	uint8_t subcode = BGP_ERR_FSM_UNSPECIFIED;
	char why[64];

	if (s->state == SESSION_OPENSENT)
		subcode = BGP_ERR_FSM_OPENSENT;
	else if (s->state == SESSION_OPENCONFIRM)
		subcode = BGP_ERR_FSM_OPENCONFIRM;
	else if (s->state == SESSION_ESTABLISHED)
		subcode = BGP_ERR_FSM_ESTABLISHED;
	snprintf(why, sizeof(why), "unexpected message type %u in %s", type,
	    session_state_name(s->state));
	session_close(s, BGP_ERR_FSM, subcode, NULL, 0, why);
}

/*
 * Validates the peer's OPEN against our configuration (RFC 4271 §6.2)
 * and negotiates hold time and capabilities.  Returns 0, or -1 after
 * closing the session.
 */
static int
session_check_open(struct session *s, const struct bgp_open *open)
{
	struct peer *p = s->peer;
	uint32_t as = open->my_as;
	uint8_t data[16];
	size_t len = 0;

	if (open->caps.as4)
		as = open->caps.as4_number;
	if (!peer_accepts_as(p, as)) {
		char why[96];

		data[0] = (uint8_t)(open->my_as >> 8);
		data[1] = (uint8_t)open->my_as;
		snprintf(why, sizeof(why), "peer AS %u is not the configured "
		    "AS", as);
		session_close(s, BGP_ERR_OPEN, BGP_ERR_OPEN_PEER_AS, data, 2,
		    why);
		return -1;
	}
	/* RFC 6286 §2.2: the same BGP identifier on both ends is an error
	 * for iBGP; for eBGP it is allowed only with different ASes. */
	if (open->bgp_id == p->daemon->router_id &&
	    as == p->daemon->conf->asn) {
		session_close(s, BGP_ERR_OPEN, BGP_ERR_OPEN_BGP_ID, NULL, 0,
		    "peer uses our BGP identifier");
		return -1;
	}
	bgp_caps_negotiate(&p->caps_sent, &open->caps, &s->negotiated);
	if (!open->caps.multiprotocol) {
		/* RFC 4760 §8: no MP capability means IPv4 unicast only. */
		s->negotiated.ipv4_unicast = p->caps_sent.ipv4_unicast;
	}
	if (!s->negotiated.ipv4_unicast && !s->negotiated.ipv6_unicast) {
		/* RFC 5492 §3: tell the peer which capability we wanted. */
		struct wbuf w;

		wbuf_init(&w, data, sizeof(data));
		if (p->caps_sent.ipv4_unicast) {
			wbuf_put_u8(&w, BGP_CAP_MULTIPROTOCOL);
			wbuf_put_u8(&w, 4);
			wbuf_put_u16(&w, BGP_AFI_IPV4);
			wbuf_put_u8(&w, 0);
			wbuf_put_u8(&w, BGP_SAFI_UNICAST);
		}
		len = w.len;
		session_close(s, BGP_ERR_OPEN, BGP_ERR_OPEN_CAPABILITY, data,
		    len, "no address family in common");
		return -1;
	}
	s->hold_time = open->hold_time < peer_hold_time(p) ?
	    open->hold_time : peer_hold_time(p);
	s->keepalive_time = s->hold_time / 3;
	s->codec.as4 = s->negotiated.as4;
	s->codec.ibgp = as == p->daemon->conf->asn;
	s->codec.ipv4 = s->negotiated.ipv4_unicast;
	s->codec.ipv6 = s->negotiated.ipv6_unicast;
	s->codec.extended_next_hop_ipv4 = s->negotiated.extended_next_hop_ipv4;
	s->codec.local_as = p->daemon->conf->asn;
	p->remote_as = as;
	return 0;
}

static void
session_start_keepalives(struct session *s)
{
	struct timeval tv = { s->keepalive_time, 0 };

	if (s->keepalive_time == 0)
		return;
	evtimer_add(s->keepalive_timer, &tv);
}

static void
session_handle_open(struct session *s, const uint8_t *body, size_t len)
{
	struct bgp_error err;

	if (s->state != SESSION_OPENSENT) {
		session_fsm_error(s, BGP_MSG_OPEN);
		return;
	}
	if (bgp_msg_parse_open(body, len, &s->remote_open, &err) == -1) {
		log_hex(LOG_WARNING, "bad OPEN: ", body, len);
		session_fail(s, &err);
		return;
	}
	s->peer->caps_received = s->remote_open.caps;
	if (session_check_open(s, &s->remote_open) == -1)
		return;
	/* Collision detection (§6.8) may close this session or the other. */
	if (!peer_session_open_received(s->peer, s))
		return;
	session_send_keepalive(s);
	session_set_state(s, SESSION_OPENCONFIRM);
	session_arm_hold(s, s->hold_time);
	session_start_keepalives(s);
}

static void
session_handle_keepalive(struct session *s)
{
	if (s->state == SESSION_OPENCONFIRM) {
		session_set_state(s, SESSION_ESTABLISHED);
		peer_session_established(s->peer, s);
		if (!s->closing)
			session_kick_output(s);
	} else if (s->state != SESSION_ESTABLISHED) {
		session_fsm_error(s, BGP_MSG_KEEPALIVE);
	}
}

static void
session_handle_notification(struct session *s, const uint8_t *body,
    size_t len)
{
	struct bgp_notification n;
	struct bgp_error err;
	struct peer_error e;
	char text[256] = "";

	memset(&e, 0, sizeof(e));
	if (bgp_msg_parse_notification(body, len, &n, &err) == -1) {
		n.code = 0;
		n.subcode = 0;
		n.data = NULL;
		n.data_len = 0;
	}
	bgp_shutdown_message(&n, text, sizeof(text));
	log_warn("neighbor %s: received NOTIFICATION %s / %s%s%s",
	    s->peer->name, bgp_error_code_name(n.code),
	    bgp_error_subcode_name(n.code, n.subcode), text[0] ? ": " : "",
	    text);
	if (n.data_len > 0)
		log_hex(LOG_INFO, "notification data: ", n.data, n.data_len);
	e.set = true;
	e.sent = false;
	e.code = n.code;
	e.subcode = n.subcode;
	e.data_len = n.data_len < sizeof(e.data) ? n.data_len : sizeof(e.data);
	if (e.data_len)
		memcpy(e.data, n.data, e.data_len);
	snprintf(e.message, sizeof(e.message), "%s", text);
	e.time = time(NULL);
	s->closing = true;
	peer_session_closed(s->peer, s, &e);
	session_linger(s);
}

static void
session_handle_route_refresh(struct session *s, const uint8_t *body,
    size_t len)
{
	struct bgp_error err;
	uint16_t afi;
	uint8_t safi, subtype;

	if (s->state != SESSION_ESTABLISHED) {
		session_fsm_error(s, BGP_MSG_ROUTE_REFRESH);
		return;
	}
	if (bgp_msg_parse_route_refresh(body, len, &afi, &safi, &subtype,
	    &err) == -1) {
		session_fail(s, &err);
		return;
	}
	/* RFC 7313 subtypes 1/2 (BoRR/EoRR) only frame a refresh. */
	if (subtype == 0)
		peer_session_route_refresh(s->peer, s, afi, safi);
}

/* Dispatches one framed message.  s may be closing afterwards. */
static void
session_handle_message(struct session *s, uint8_t type, const uint8_t *msg,
    size_t len)
{
	const uint8_t *body = msg + BGP_HEADER_LEN;
	size_t body_len = len - BGP_HEADER_LEN;
	struct message_counters *c = &s->peer->received;

	/* RFC 4271 §6.5: any KEEPALIVE or UPDATE restarts the hold timer. */
	if (s->state >= SESSION_OPENCONFIRM)
		session_arm_hold(s, s->hold_time);
	switch (type) {
	case BGP_MSG_OPEN:
		c->open++;
		session_handle_open(s, body, body_len);
		break;
	case BGP_MSG_UPDATE:
		c->update++;
		if (s->state != SESSION_ESTABLISHED)
			session_fsm_error(s, type);
		else
			peer_session_update(s->peer, s, body, body_len);
		break;
	case BGP_MSG_NOTIFICATION:
		c->notification++;
		session_handle_notification(s, body, body_len);
		break;
	case BGP_MSG_KEEPALIVE:
		c->keepalive++;
		session_handle_keepalive(s);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		c->route_refresh++;
		session_handle_route_refresh(s, body, body_len);
		break;
	}
}

/* Frames and handles up to SESSION_INPUT_BUDGET messages. */
static void
session_process_input(struct session *s)
{
	struct evbuffer *in = bufferevent_get_input(s->bev);
	struct bgp_error err;
	uint8_t type;
	uint16_t length;
	unsigned budget = SESSION_INPUT_BUDGET;
	const uint8_t *msg;

	while (!s->closing && budget-- > 0) {
		if (evbuffer_get_length(in) < BGP_HEADER_LEN)
			return;
		msg = evbuffer_pullup(in, BGP_HEADER_LEN);
		if (bgp_msg_parse_header(msg, BGP_HEADER_LEN,
		    BGP_MAX_MSG_LEN, &type, &length, &err) == -1) {
			log_hex(LOG_WARNING, "bad message header: ", msg,
			    BGP_HEADER_LEN);
			session_fail(s, &err);
			return;
		}
		if (evbuffer_get_length(in) < length)
			return;
		msg = evbuffer_pullup(in, length);
		session_handle_message(s, type, msg, length);
		if (s->closing)
			return;
		evbuffer_drain(in, length);
	}
	/* Budget spent with input left: continue from the loop. */
	if (!s->closing && evbuffer_get_length(in) >= BGP_HEADER_LEN)
		event_active(s->work_event, EV_READ, 0);
}

/* Pulls UPDATEs from the Adj-RIB-Out while the socket keeps up. */
static void
session_process_output(struct session *s)
{
	struct evbuffer *out = bufferevent_get_output(s->bev);
	struct adjout *adjout;
	uint8_t msg[BGP_MAX_MSG_LEN];
	size_t len;

	/* A closing session flushes its NOTIFICATION after its peer may
	 * be gone (a dynamic peer is freed once down): test first. */
	if (s->closing || s->state != SESSION_ESTABLISHED ||
	    s->peer->established != s || (adjout = s->peer->adjout) == NULL)
		return;
	while (evbuffer_get_length(out) < SESSION_OUTPUT_LOW_WATER) {
		len = adjout_next_message(adjout, msg, sizeof(msg));
		if (len == 0)
			break;
		session_send(s, msg, len);
	}
}

static void
session_read_cb(struct bufferevent *bev, void *arg)
{
	session_process_input(arg);
}

static void
session_write_cb(struct bufferevent *bev, void *arg)
{
	struct session *s = arg;

	if (s->state != SESSION_CONNECT)
		session_process_output(s);
}

static void
session_work_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	if (s->state == SESSION_CONNECT)
		return;
	if (what & EV_READ)
		session_process_input(s);
	if (!s->closing && (what & EV_WRITE))
		session_process_output(s);
}

static void
session_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct session *s = arg;
	char why[128];

	if (s->state == SESSION_CONNECT) {
		session_connected(s, what);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "connection closed by peer");
	else
		snprintf(why, sizeof(why), "connection error: %s",
		    strerror(EVUTIL_SOCKET_ERROR()));
	session_close(s, 0, 0, NULL, 0, why);
}

static void
session_hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	if (s->state == SESSION_CONNECT) {
		struct peer_error e;

		memset(&e, 0, sizeof(e));
		snprintf(e.message, sizeof(e.message), "connect timed out");
		s->closing = true;
		peer_session_closed(s->peer, s, &e);
		session_free(s);
		return;
	}
	session_close(s, BGP_ERR_HOLD_TIMER, 0, NULL, 0, "hold timer expired");
}

static void
session_keepalive_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	session_send_keepalive(s);
	session_start_keepalives(s);
}
