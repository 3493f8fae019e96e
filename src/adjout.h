/*
 * adjout.h - the Adj-RIB-Out of one peer and its UPDATE generation.
 *
 * An adjout watches the RIB (as an observer) and keeps a queue of the
 * prefixes whose advertisement to this peer must change, each once,
 * grouped by attribute set so that one UPDATE carries many prefixes.
 * The session pulls complete UPDATEs with adjout_next_message() while
 * its socket output is below a watermark (pull-based transmit, as BIRD
 * does): nothing is encoded before the peer can take it, and a prefix
 * that changes twice before it is sent goes out once, as it is then.
 */
#ifndef FLATBGP_ADJOUT_H
#define FLATBGP_ADJOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"
#include "config.h"
#include "rib.h"

struct adjout_params {
	const struct route_source *peer_source;	/* not sent back to it */
	struct bgp_codec_ctx codec;	/* negotiated: as4, ibgp, families */
	uint32_t	 local_as, remote_as, router_id;
	uint32_t	 cluster_id;	/* 0: router_id (RFC 4456 §7) */
	bool		 ibgp, rr_client, next_hop_self;
	enum export_policy export;	/* EXPORT_DEFAULT acts as LOCAL */
	struct bgp_nexthop self_v4;	/* our IPv4 address, or NONE */
	struct bgp_nexthop self_v6;	/* our IPv6 (+ link-local), or NONE */
	size_t		 max_message;	/* 4096 */
};

struct adjout;

/*
 * Creates the Adj-RIB-Out of a peer and registers it with rib.
 * wakeup_cb(arg) is called when the queue goes from empty to non-empty,
 * possibly from inside a RIB change: it must only schedule the pull
 * (event_active), not call back into the RIB.  Cannot fail.
 */
struct adjout *adjout_create(struct rib *rib,
    const struct adjout_params *params, void (*wakeup_cb)(void *arg),
    void *arg);
/* Unregisters and frees; the peer is assumed to forget everything. */
void adjout_destroy(struct adjout *out);
/*
 * Session Established: sends the whole table, lazily, then End-of-RIB
 * for each negotiated family (RFC 4724 §2).
 */
void adjout_start(struct adjout *out);
/* ROUTE-REFRESH for family (FAMILY_IPV4/IPV6 == AFI): send it again. */
void adjout_refresh(struct adjout *out, int family);
/*
 * Writes one complete UPDATE (header included) into buf and returns
 * its length, withdrawals first, then announcements, then End-of-RIB;
 * 0 if nothing is ready.  A dump reads a bounded part of the RIB per
 * call: when that part yielded nothing to send yet, the call returns 0
 * and calls wakeup_cb again, so that the pull resumes from the event
 * loop.  cap should be at least max_message.
 */
size_t adjout_next_message(struct adjout *out, uint8_t *buf, size_t cap);
bool adjout_pending(const struct adjout *out);

struct adjout_stats {
	size_t	advertised[3];	/* prefixes the peer has, by family */
	size_t	pending;	/* prefixes queued */
	size_t	messages_built;
	/* IPv4 prefixes not sent for want of a usable next hop (events). */
	size_t	no_nexthop;
	size_t	bytes;		/* queues, entries and their hashes */
};
void adjout_get_stats(const struct adjout *out, struct adjout_stats *stats);

#endif /* FLATBGP_ADJOUT_H */
