/*
 * peer.h - a BGP neighbor: configured, resolved or dynamic.
 *
 * A peer outlives its sessions.  It owns the connect-retry timer
 * (RFC 4271 §8: Connect and Active states), chooses between two
 * simultaneous sessions (connection collision, §6.8), and, while a
 * session is Established, the route source its paths carry in the RIB
 * and its Adj-RIB-Out.  Counters and the last error survive session
 * resets, for `flatbgpctl show neighbor`.
 */
#ifndef FLATBGP_PEER_H
#define FLATBGP_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "bgp_msg.h"
#include "config.h"
#include "rib.h"
#include "session.h"

struct daemon;
struct adjout;

struct message_counters {
	uint64_t	open, update, notification, keepalive, route_refresh;
};

struct peer_error {
	bool		 set;
	bool		 sent;		/* we sent it (else received) */
	uint8_t		 code, subcode;
	uint8_t		 data[64];
	size_t		 data_len;
	char		 message[256];	/* RFC 8203 text or our reason */
	time_t		 time;
};

struct peer {
	TAILQ_ENTRY(peer)	 entry;
	struct daemon		*daemon;
	const struct config_neighbor *conf;	/* in daemon->conf */
	bool			 dynamic;	/* accepted from a range */
	bool			 deleting;	/* freed once sessions close */
	struct ip_addr		 address;
	char			 name[IP_ADDR_STRLEN];
	uint32_t		 remote_as;	/* 0 until known (ranges) */

	enum session_state	 idle_state;	/* Idle/Connect/Active */
	struct session		*outbound;	/* at most one each way */
	struct session		*inbound;
	struct session		*established;	/* one of the two */
	struct event		*connect_retry_timer;
	unsigned		 connect_failures;

	struct route_source	*source;	/* while established, else NULL */
	struct adjout		*adjout;
	bool			 ibgp;

	struct bgp_caps		 caps_sent;
	struct bgp_caps		 caps_received;
	struct message_counters	 sent, received;
	uint64_t		 prefixes_received;	/* paths in the RIB */
	uint64_t		 prefixes_accepted;
	uint8_t			 prefixes_over_family;	/* max-prefixes */
	/* End-of-RIB received (RFC 4724 §2), bit 1 << family. */
	unsigned		 end_of_rib;
	struct peer_error	 last_error;
	time_t			 state_changed;	/* wall clock */
	time_t			 updown_since;	/* last Established change */
	uint64_t		 established_transitions;
};

TAILQ_HEAD(peer_list, peer);

struct peer *peer_create(struct daemon *d, const struct config_neighbor *conf,
    const struct ip_addr *address, bool dynamic);
/* Stops (Cease subcode) and frees the peer. */
void peer_delete(struct peer *p, uint8_t cease_subcode);
void peer_start(struct peer *p);
/* Resets the session (Cease Administrative Reset) and starts again. */
void peer_reset(struct peer *p, uint8_t cease_subcode, const char *why);
/* Asks the peer to resend its routes (RFC 2918); -1 if unsupported. */
int peer_request_refresh(struct peer *p);
/* Re-runs import policy over the peer's paths (soft reconfiguration). */
void peer_reevaluate_import(struct peer *p);

enum session_state peer_state(const struct peer *p);
const struct session *peer_current_session(const struct peer *p);
uint64_t peer_prefixes_advertised(const struct peer *p);

/* Called by session.c. */
bool peer_session_open_received(struct peer *p, struct session *s);
void peer_session_established(struct peer *p, struct session *s);
void peer_session_closed(struct peer *p, struct session *s,
    const struct peer_error *error);
int peer_session_update(struct peer *p, struct session *s,
    const uint8_t *body, size_t len);
void peer_session_route_refresh(struct peer *p, struct session *s,
    uint16_t afi, uint8_t safi);
/* Fills the capabilities we advertise to this peer. */
void peer_local_caps(const struct peer *p, struct bgp_caps *caps);
/* Expected AS check for an OPEN (static or range rules). */
bool peer_accepts_as(const struct peer *p, uint32_t as);
uint16_t peer_hold_time(const struct peer *p);
void peer_record_error(struct peer *p, bool sent, uint8_t code,
    uint8_t subcode, const uint8_t *data, size_t len, const char *message);
void peer_set_idle_state(struct peer *p, enum session_state state);
/*
 * A host-name neighbor got its first or a new address (resolve.c):
 * sessions to the old address are reset (Cease, Other Configuration
 * Change) and the next connection goes to a.
 */
void peer_set_address(struct peer *p, const struct ip_addr *a);

#endif /* FLATBGP_PEER_H */
