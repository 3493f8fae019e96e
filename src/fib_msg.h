/*
 * fib_msg.h - rtnetlink route messages, built and read with libnl-3.
 *
 * fib.c sends RTM_NEWROUTE (create or replace, one or several next
 * hops) and RTM_DELROUTE for its routes; netmon.c reads the kernel's
 * RTM_NEWROUTE/RTM_DELROUTE notifications and dumps.  Both directions
 * live here so that the unit tests can build a message and read it
 * back without a socket.  A route is named in the kernel by (prefix,
 * table, metric, tos): we always use tos 0 and our table and metric,
 * and we match deletions on our protocol number too, so the kernel
 * itself refuses to delete another owner's route for us.
 */
#ifndef FLATBGP_FIB_MSG_H
#define FLATBGP_FIB_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "connected.h"
#include "prefix.h"

/* How our routes are marked in the kernel. */
struct fib_route_key {
	uint32_t	 table;
	uint32_t	 metric;
	uint8_t		 protocol;
};

/* A kernel route as a notification or a dump describes it. */
struct kernel_route {
	struct prefix	 prefix;
	uint32_t	 table;
	uint32_t	 metric;	/* RTA_PRIORITY, 0 if absent */
	uint8_t		 protocol;
	uint8_t		 tos;
	uint8_t		 type;		/* RTN_* */
	bool		 deleted;	/* RTM_DELROUTE */
	uint32_t	 sender;	/* nlmsg_pid: the requester, 0 kernel */
};

/* Largest message fib_msg_route() can produce for count next hops. */
size_t fib_msg_size(size_t count);

/*
 * Makes msg (allocated with at least fib_msg_size(count) bytes) one
 * request: with count > 0 an RTM_NEWROUTE that creates or atomically
 * replaces the route (NLM_F_CREATE | NLM_F_REPLACE; RTA_MULTIPATH when
 * count > 1), with count 0 an RTM_DELROUTE matching our protocol and
 * metric.  An IPv4 route may have IPv6 gateways (RFC 8950; RTA_VIA).
 * Returns 0, or -1 if it does not fit.
 */
int fib_msg_route(struct nl_msg *msg, uint32_t seq,
    const struct fib_route_key *key, const struct prefix *prefix,
    const struct nexthop *hops, size_t count);
/* Same for RTM_DELROUTE with another metric (a key of an earlier run). */
int fib_msg_delete_metric(struct nl_msg *msg, uint32_t seq,
    const struct fib_route_key *key, const struct prefix *prefix,
    uint32_t metric);

/*
 * Reads an RTM_NEWROUTE or RTM_DELROUTE message of the IPv4 or IPv6
 * family.  Returns 0 with *out filled, -1 if it is malformed or of
 * another kind (the caller skips it).
 */
int fib_msg_parse_route(struct nlmsghdr *h, struct kernel_route *out);

#endif /* FLATBGP_FIB_MSG_H */
