/*
 * session.h - one BGP connection and its finite state machine.
 *
 * RFC 4271 §8: a struct session lives from the TCP connection (outbound
 * connect or inbound accept) to its close.  It sends and receives the
 * messages of the OPEN exchange, runs the hold and keepalive timers, and
 * passes UPDATEs and state changes to its peer (peer.c), which owns the
 * neighbor-level state: connect retries, collision resolution between
 * two sessions (§6.8), the RIB source and the Adj-RIB-Out.  Bytes come
 * from a bufferevent; framing and dispatch are here, decoding in the
 * codec (bgp_msg.c), decisions that concern routes in peer.c.
 */
#ifndef FLATBGP_SESSION_H
#define FLATBGP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "bgp_msg.h"
#include "prefix.h"

enum session_state {
	SESSION_IDLE = 0,
	SESSION_CONNECT,
	SESSION_ACTIVE,
	SESSION_OPENSENT,
	SESSION_OPENCONFIRM,
	SESSION_ESTABLISHED,
};

struct peer;

struct session {
	struct peer		*peer;
	enum session_state	 state;
	bool			 outbound;	/* we connected */
	bool			 closing;	/* closed, freed soon */
	LIST_ENTRY(session)	 linger_entry;	/* while closing */
	int			 fd;
	struct bufferevent	*bev;
	struct event		*hold_timer;
	struct event		*keepalive_timer;
	struct event		*work_event;	/* resume input / output */
	struct ip_addr		 local, remote;
	uint16_t		 local_port, remote_port;
	struct bgp_open		 remote_open;
	uint16_t		 hold_time;	/* negotiated, seconds */
	uint16_t		 keepalive_time;
	struct bgp_caps		 negotiated;
	struct bgp_codec_ctx	 codec;
};

const char *session_state_name(enum session_state state);

/* Starts a connection to the peer's address; NULL if connect() failed. */
struct session *session_connect(struct peer *peer);
/* Takes over an accepted fd and sends OPEN. */
struct session *session_accept(struct peer *peer, int fd,
    const struct ip_addr *local, uint16_t local_port,
    const struct ip_addr *remote, uint16_t remote_port);

/*
 * Closes the session: sends a NOTIFICATION first if code != 0 (data may
 * be NULL), tells the peer (peer_session_closed), and frees the session
 * once the NOTIFICATION is flushed.  Safe to call from any callback; the
 * session must not be used afterwards.
 */
void session_close(struct session *s, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t data_len, const char *reason);
/* Closes without notifying the peer (peer teardown). */
void session_abort(struct session *s);
/*
 * Frees the sessions still flushing a last NOTIFICATION (at exit, after
 * the event loop stopped, so that nothing is left allocated).
 */
void session_reap_lingering(void);
/* Asks the session to pull UPDATEs from its peer's Adj-RIB-Out soon. */
void session_kick_output(struct session *s);
/* Sends ROUTE-REFRESH for the family (RFC 2918). */
void session_send_route_refresh(struct session *s, int family);

#endif /* FLATBGP_SESSION_H */
