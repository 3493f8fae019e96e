/*
 * rib.h - the routing information base.
 *
 * One prefix tree per family (a path-compressed binary trie, nodes and
 * paths taken from pools rather than malloc'ed one by one).  Each node
 * holds the paths received for its prefix, one per route source, kept
 * sorted best first by decide.c: the Adj-RIB-In of every peer is the
 * set of paths with that source, and the Loc-RIB is the first path of
 * each node (RFC 4271 §3.2) plus the ECMP set flagged behind it.
 *
 * Changes of a node's best path or ECMP set are reported synchronously
 * to observers (adjout.c per peer, the FIB); the old best path is still
 * valid during the callback and freed afterwards.
 */
#ifndef FLATBGP_RIB_H
#define FLATBGP_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "prefix.h"

/*
 * Where a path came from: a BGP session or this node.  Owned by the
 * session (or the origination code), which must call
 * rib_remove_source() before freeing it, or hand it to
 * rib_retire_source() (then the RIB frees it).
 */
struct route_source {
	uint32_t	 id;		/* unique among live sources */
	bool		 local;		/* originated by this node */
	bool		 ibgp;
	bool		 rr_client;	/* RFC 4456 client of ours */
	uint32_t	 remote_as;
	uint32_t	 router_id;	/* peer's BGP identifier, host order */
	struct ip_addr	 address;	/* peer address (tie breaker) */
	const char	*name;		/* for messages: "192.0.2.1" */
};

/* Why a path is not the best one (decide.c), for `show rib`. */
enum decide_reason {
	DECIDE_BEST = 0,
	DECIDE_LOCAL_PREF,
	DECIDE_AS_PATH_LENGTH,
	DECIDE_ORIGIN,
	DECIDE_MED,
	DECIDE_EBGP_OVER_IBGP,
	DECIDE_ROUTER_ID,
	DECIDE_CLUSTER_LIST,
	DECIDE_PEER_ADDRESS,
	DECIDE_UNRESOLVED,	/* next hop not reachable (FIB issue) */
	DECIDE_LOCALLY_ORIGINATED, /* lost to a path this node originates */
	DECIDE_REJECTED,	/* rejected by import policy: never best */
};

#define PATH_BEST	0x01	/* first path of the node */
#define PATH_ECMP	0x02	/* in the multipath set (best included) */

struct path {
	struct path			*next;
	const struct route_source	*source;
	struct attr			*attr;	/* one reference held */
	uint32_t			 received; /* monotonic seconds */
	uint8_t				 flags;	/* PATH_* */
	uint8_t				 reason; /* enum decide_reason */
	/*
	 * Import verdict (enum import_verdict of policy.h): 0 accepted;
	 * otherwise the path is kept for `show rib` and soft
	 * reconfiguration but never eligible as best.
	 */
	uint8_t				 rejected;
	/*
	 * The next hop cannot be reached now (the resolver said so):
	 * RFC 4271 §9.1.2 excludes such a path from the decision, so it
	 * is never best, never exported and never installed, until a
	 * change of the connected networks makes it usable again.
	 */
	uint8_t				 unresolved;
};

/* May the path take part in the decision (RFC 4271 §9.1.2)? */
static inline bool
path_eligible(const struct path *p)
{
	return p->rejected == 0 && p->unresolved == 0;
}

struct rib_node;

struct rib_node_view {
	struct prefix	 prefix;
	struct path	*paths;		/* best first; NULL if none */
};

typedef void rib_observer_cb(void *arg, const struct prefix *prefix,
    const struct path *old_best, const struct path *new_best,
    const struct rib_node *node);

struct rib;

struct rib *rib_create(unsigned ecmp_max);
void rib_destroy(struct rib *rib);
void rib_set_ecmp_max(struct rib *rib, unsigned ecmp_max);

/*
 * Says whether the next hop of path (for prefix) is reachable now.
 * Without a resolver every next hop counts as reachable.
 */
typedef bool rib_resolve_cb(void *arg, const struct prefix *prefix,
    const struct path *path);
void rib_set_resolver(struct rib *rib, rib_resolve_cb *cb, void *arg);
/*
 * Asks the resolver again for every path (the connected networks
 * changed) and re-decides the nodes where an answer changed, telling
 * the observers as for any other change.
 */
void rib_reresolve(struct rib *rib);

/*
 * Registers an observer; called for every change of best path or of the
 * ECMP set of a node.  old_best == new_best when only the ECMP set
 * changed; a best path replaced by its source (new attributes) is a new
 * struct path, so then old_best != new_best and old_best still shows
 * the old attributes.  Observers are called in registration order and
 * must not change the RIB, nor add or remove observers, from the
 * callback.  Returns a handle for removal.
 */
void *rib_observer_add(struct rib *rib, rib_observer_cb *cb, void *arg);
void rib_observer_remove(struct rib *rib, void *handle);

/*
 * Installs or replaces the path of source for prefix.  Takes a new
 * reference on attr (the caller keeps its own).  rejected is the import
 * verdict (0 = accepted).  Returns 1 if the source had no path for the
 * prefix before, 0 if one was replaced.
 */
int rib_update(struct rib *rib, const struct route_source *source,
    const struct prefix *prefix, struct attr *attr, uint8_t rejected);
/* Removes source's path; returns 1 if there was one, 0 if not. */
int rib_withdraw(struct rib *rib, const struct route_source *source,
    const struct prefix *prefix);
/* Removes every path of source at once; returns how many. */
size_t rib_remove_source(struct rib *rib, const struct route_source *source);
/*
 * A session went down: its paths are to go, however many.  The RIB
 * takes source over (from route_source_new(); freed when its last path
 * is gone) and removes its paths in rib_retire_step() calls, so that a
 * full table leaving does not stop the event loop for a second: the
 * FIB and the other peers' UPDATEs get going while the rest is still
 * being removed, and keepalives go on.  Until its turn comes, a path of
 * a retiring source stays what it was (a new session of the same peer
 * has a new source; its paths take part in the decision at once).
 */
void rib_retire_source(struct rib *rib, struct route_source *source);
/*
 * Removes paths of retiring sources, visiting at most budget nodes;
 * returns true if there is more to do.
 */
bool rib_retire_step(struct rib *rib, size_t budget);
/* Sources handed over and not yet gone. */
size_t rib_retiring_count(const struct rib *rib);

/* A source for a session, name copied (rib_retire_source frees it). */
struct route_source *route_source_new(const char *name);
void route_source_free(struct route_source *source);

const struct rib_node *rib_lookup(const struct rib *rib,
    const struct prefix *prefix);
/*
 * rib_lookup() of count prefixes at once, into out[0..count-1]: the
 * same answers, but the memory accesses of up to 32 lookups overlap,
 * several times faster on a large table.
 */
void rib_lookup_batch(const struct rib *rib, const struct prefix *prefixes,
    size_t count, const struct rib_node **out);
/*
 * In-order iteration that tolerates changes between calls: returns the
 * first node with paths whose prefix sorts after *after (prefix_compare
 * order) in family, or the first one if after is NULL; NULL at the end.
 */
const struct rib_node *rib_next(const struct rib *rib, int family,
    const struct prefix *after);
void rib_node_get(const struct rib_node *node, struct rib_node_view *view);
/* Paths flagged PATH_ECMP, best first, at most max; returns count. */
size_t rib_node_ecmp(const struct rib_node *node, const struct path **out,
    size_t max);

struct rib_stats {
	size_t	prefixes[3];	/* indexed by family */
	size_t	paths;
	size_t	nodes;		/* including glue nodes */
	size_t	bytes;		/* pool memory in use */
};
void rib_get_stats(const struct rib *rib, struct rib_stats *stats);

#endif /* FLATBGP_RIB_H */
