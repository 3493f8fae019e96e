/*
 * fib.h - the kernel FIB: the Loc-RIB's best routes as kernel routes.
 *
 * fib.c observes the RIB: every change of a prefix's best path or ECMP
 * set queues the prefix (coalesced), and an event flushes the queue in
 * batches of rtnetlink requests, many per sendmsg, with no round trip
 * per route.  A prefix is installed in fib.table with protocol
 * fib.protocol and metric fib.metric when its best path is not our
 * own and its next hops resolve through connected networks; several
 * equal-cost paths make one multipath route (up to fib.ecmp).  Only
 * routes carrying our protocol number are ever changed or deleted; a
 * route of another owner on our key is left alone and reported
 * ("conflicting").  On start the routes of an earlier run are kept
 * until the sessions have converged, replaced in place when the RIB
 * confirms them, deleted otherwise.
 */
#ifndef FLATBGP_FIB_H
#define FLATBGP_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "connected.h"
#include "fib_table.h"
#include "rib.h"

struct fib;
struct netmon;

struct fib_params {
	uint32_t	 table;
	uint8_t		 protocol;
	uint32_t	 metric;
	uint32_t	 ecmp;		/* most next hops per route */
	bool		 keep_on_exit;
	/* Longest wait for convergence before stale routes go. */
	unsigned	 converge_seconds;
};

/* What `show fib` says about a prefix. */
enum fib_state {
	FIB_INSTALLED,
	FIB_UNRESOLVED,		/* no next hop reachable, or refused */
	FIB_CONFLICTING,	/* another owner's route holds the key */
	FIB_PENDING,		/* queued, or left from before (stale) */
};

#define FIB_MAX_NEXTHOPS	256	/* the limit of fib.ecmp */

struct fib_route_info {
	struct prefix	 prefix;
	enum fib_state	 state;
	size_t		 next_hop_count;
	struct nexthop	 next_hops[FIB_MAX_NEXTHOPS];
};

/*
 * Starts the FIB: opens the request socket, asks netmon for the
 * routes of the table (routes of ours found there become stale until
 * confirmed) and registers as a RIB observer.  Returns NULL with a
 * message in error on failure.
 */
struct fib *fib_create(struct event_base *base, struct rib *rib,
    struct netmon *netmon, const struct fib_params *params, char *error,
    size_t error_size);
/* Stops following the RIB and frees; the kernel keeps what it has. */
void fib_free(struct fib *fib);
/*
 * Daemon shutdown: removes every route of ours from the table unless
 * keep_on_exit, synchronously (done when this returns), and stops
 * following the RIB, so that the peers going down afterwards change
 * nothing.
 */
void fib_shutdown(struct fib *fib);
/* The connected networks changed (netmon): re-resolve next hops. */
void fib_connected_changed(struct fib *fib);
/*
 * The sessions have converged (every configured neighbor Established
 * with End-of-RIB): stale routes the RIB did not confirm go now rather
 * than at the end of the bounded wait.
 */
void fib_set_converged(struct fib *fib);

/*
 * What the FIB holds for prefix: 0 with *info filled, -1 if nothing
 * (no path to install and no route of ours).
 */
int fib_route_info(const struct fib *fib, const struct prefix *prefix,
    struct fib_route_info *info);
/*
 * Routes of ours the RIB has no path for (stale, waiting for
 * convergence), for `show fib` after the RIB's prefixes: returns true
 * with *info filled while there are more.
 */
bool fib_orphan_next(const struct fib *fib, struct fib_table_cursor *cursor,
    struct fib_route_info *info);
const struct fib_params *fib_get_params(const struct fib *fib);
/* The connected networks the FIB resolves with. */
const struct connected *fib_connected(const struct fib *fib);
const char *fib_state_name(enum fib_state state);
/*
 * Resolves the next hop of a received path for a route of family:
 * the global next hop if it is reachable, else the link-local one
 * through the interface of the path's session.  Returns 0 with *out
 * set, or -1.
 */
int fib_resolve_path(const struct connected *c, int family,
    const struct path *path, struct nexthop *out);

struct fib_stats {
	uint64_t	 routes_sent;	/* RTM_NEWROUTE */
	uint64_t	 deletes_sent;	/* RTM_DELROUTE */
	uint64_t	 batches;	/* sendmsg calls */
	uint64_t	 errors;	/* requests the kernel refused */
	size_t		 queued;	/* prefixes waiting for a flush */
	size_t		 stale;
	size_t		 conflicting;
	size_t		 table_bytes;
};
void fib_get_stats(const struct fib *fib, struct fib_stats *stats);

#endif /* FLATBGP_FIB_H */
