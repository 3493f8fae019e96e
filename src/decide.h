/*
 * decide.h - best-path selection and multipath equality (pure).
 *
 * RFC 4271 §9.1.2.2 with the tie breakers of RFC 4456 §9; the order
 * of the steps, and where locally originated paths sit in it, is
 * described in decide.c.  Nothing here touches the RIB: the functions
 * look at paths, their attributes and their sources only.
 */
#ifndef FLATBGP_DECIDE_H
#define FLATBGP_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib.h"

/* LOCAL_PREF of paths without one, and of all eBGP-learned paths. */
#define DECIDE_DEFAULT_LOCAL_PREF	100

/*
 * Returns < 0 if a is better than b, > 0 if b is better, 0 only if a
 * and b come from the same source.  *reason (may be NULL) is set to the
 * step that decided, i.e. why the loser lost.
 */
int decide_compare(const struct path *a, const struct path *b,
    enum decide_reason *reason);
/*
 * True if p may share the forwarding of best (ECMP): not rejected,
 * another source, equal to best through the MED and eBGP/iBGP steps,
 * the same neighbor AS, and a next hop that can be installed.
 */
bool decide_multipath_equal(const struct path *best, const struct path *p);
/*
 * Sorts paths best first and sets each path's reason (DECIDE_BEST for
 * the best one, DECIDE_REJECTED for rejected ones, otherwise the step
 * at which it loses against the best).  MED is applied the way RFC
 * 4271 §9.1.2.2 (d) describes, by removing within each neighbor AS
 * the paths with a higher MED before the later steps, so the result
 * does not depend on the order the paths arrived in.  Does not touch
 * the flags.
 */
void decide_sort(struct path **paths, size_t count);
/*
 * The LOCAL_PREF the path competes with: its own for iBGP-learned and
 * local paths (100 if absent), 100 for eBGP-learned ones (RFC 4271
 * §5.1.5: a LOCAL_PREF received from an external peer is ignored).
 * adjout.c sends the same value to iBGP peers.
 */
uint32_t decide_local_pref(const struct path *p);
/* "local preference", "AS path length", ... for `show rib`. */
const char *decide_reason_name(enum decide_reason reason);

#endif /* FLATBGP_DECIDE_H */
