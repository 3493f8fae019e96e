/*
 * decide.c - which path of a prefix is best, and which may share it.
 *
 * The comparison is a table of steps tried in order; the first one
 * that tells two paths apart decides and names the reason shown by
 * `show rib`.  The order is RFC 4271 §9.1.2.2 with RFC 4456 §9:
 *
 *   rejected by import policy  never best, sorted last
 *   LOCAL_PREF                 higher wins (100 if absent or eBGP)
 *   locally originated         wins (see below)
 *   AS path length             shorter wins; AS_SET counts 1
 *   ORIGIN                     IGP < EGP < INCOMPLETE
 *   MED                        lower wins, only within one neighbor AS
 *                              (a missing MED is 0, §9.1.2.2 (c))
 *   eBGP over iBGP
 *   router id                  lower wins; ORIGINATOR_ID if present
 *   CLUSTER_LIST length        shorter wins (RFC 4456 §9)
 *   peer address               lower wins
 *
 * Locally originated paths come right after LOCAL_PREF.  RFC 4271 does
 * not rank them (it only selects among routes learned from peers), and
 * without the step an iBGP path of another node of our AS for the same
 * prefix (an empty AS path too) could beat ours on router id, so the
 * node would route its own prefix away.  Placing it after LOCAL_PREF,
 * as most implementations do, keeps LOCAL_PREF the operator's lever.
 * There is no IGP metric step: flatbgp has no IGP.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bgp_wire.h"
#include "decide.h"

/* Set in path->reason by decide_sort() while it runs (see there). */
#define MED_LOSER	0x80

static int
compare_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

uint32_t
decide_local_pref(const struct path *p)
{
	if (!p->source->local && !p->source->ibgp)
		return DECIDE_DEFAULT_LOCAL_PREF;
	if (p->attr->present & PA_LOCAL_PREF)
		return p->attr->local_pref;
	return DECIDE_DEFAULT_LOCAL_PREF;
}

/* Rejected and unresolved paths (RFC 4271 §9.1.2) sort last. */
static int
step_rejected(const struct path *a, const struct path *b)
{
	return !path_eligible(a) - !path_eligible(b);
}

static int
step_local_pref(const struct path *a, const struct path *b)
{
	return compare_u32(decide_local_pref(b), decide_local_pref(a));
}

static int
step_local(const struct path *a, const struct path *b)
{
	return (int)b->source->local - (int)a->source->local;
}

static int
step_as_path_length(const struct path *a, const struct path *b)
{
	return compare_u32(a->attr->as_path_length, b->attr->as_path_length);
}

static uint32_t
origin_of(const struct attr *attr)
{
	/* ORIGIN is mandatory; a set without one ranks last. */
	return attr->present & PA_ORIGIN ? attr->origin : BGP_ORIGIN_INCOMPLETE;
}

static int
step_origin(const struct path *a, const struct path *b)
{
	return compare_u32(origin_of(a->attr), origin_of(b->attr));
}

static uint32_t
med_of(const struct attr *attr)
{
	return attr->present & PA_MED ? attr->med : 0;
}

/*
 * Paths marked by decide_sort() lost to a lower MED within their
 * neighbor AS; otherwise MEDs are compared only within one neighbor AS.
 */
static int
step_med(const struct path *a, const struct path *b)
{
	int a_lost = (a->reason & MED_LOSER) != 0;
	int b_lost = (b->reason & MED_LOSER) != 0;

	if (a_lost != b_lost)
		return a_lost - b_lost;
	if (a->attr->neighbor_as != b->attr->neighbor_as)
		return 0;
	return compare_u32(med_of(a->attr), med_of(b->attr));
}

static int
is_ibgp(const struct path *p)
{
	return p->source->ibgp && !p->source->local;
}

static int
step_ebgp(const struct path *a, const struct path *b)
{
	return is_ibgp(a) - is_ibgp(b);
}

/* RFC 4456 §9: a reflected route competes with its ORIGINATOR_ID. */
static uint32_t
router_id_of(const struct path *p)
{
	if (p->attr->present & PA_ORIGINATOR_ID)
		return p->attr->originator_id;
	return p->source->router_id;
}

static int
step_router_id(const struct path *a, const struct path *b)
{
	return compare_u32(router_id_of(a), router_id_of(b));
}

static uint32_t
cluster_list_length(const struct attr *attr)
{
	return attr->cluster_list ? attr->cluster_list->len / 4u : 0;
}

static int
step_cluster_list(const struct path *a, const struct path *b)
{
	return compare_u32(cluster_list_length(a->attr),
	    cluster_list_length(b->attr));
}

/* The source id is no RFC step: it only makes the order total. */
static int
step_peer_address(const struct path *a, const struct path *b)
{
	int c = ip_addr_compare(&a->source->address, &b->source->address);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return compare_u32(a->source->id, b->source->id);
}

static const struct decide_step {
	enum decide_reason	  reason;
	int			(*compare)(const struct path *,
				    const struct path *);
} decide_steps[] = {
	{ DECIDE_REJECTED, step_rejected },
	{ DECIDE_LOCAL_PREF, step_local_pref },
	{ DECIDE_LOCALLY_ORIGINATED, step_local },
	{ DECIDE_AS_PATH_LENGTH, step_as_path_length },
	{ DECIDE_ORIGIN, step_origin },
	{ DECIDE_MED, step_med },
	{ DECIDE_EBGP_OVER_IBGP, step_ebgp },
	{ DECIDE_ROUTER_ID, step_router_id },
	{ DECIDE_CLUSTER_LIST, step_cluster_list },
	{ DECIDE_PEER_ADDRESS, step_peer_address },
};
#define DECIDE_STEP_COUNT (sizeof(decide_steps) / sizeof(decide_steps[0]))

/* Compares through the steps before the one whose reason is last. */
static int
compare_until(const struct path *a, const struct path *b,
    enum decide_reason last, enum decide_reason *reason)
{
	size_t i;
	int c;

	for (i = 0; i < DECIDE_STEP_COUNT; i++) {
		if (decide_steps[i].reason == last)
			break;
		c = decide_steps[i].compare(a, b);
		if (c != 0) {
			if (reason != NULL)
				*reason = decide_steps[i].reason;
			return c;
		}
	}
	if (reason != NULL)
		*reason = DECIDE_BEST;
	return 0;
}

int
decide_compare(const struct path *a, const struct path *b,
    enum decide_reason *reason)
{
	/* DECIDE_BEST is no step: all of them are tried. */
	return compare_until(a, b, DECIDE_BEST, reason);
}

bool
decide_multipath_equal(const struct path *best, const struct path *p)
{
	const struct ip_addr *nexthop = &p->attr->nexthop.global;

	if (p == best || p->source == best->source || !path_eligible(p) ||
	    !path_eligible(best))
		return false;
	/* Different peers: a session's successor may briefly hold a path
	 * next to the one of its retiring predecessor (rib.h). */
	if (ip_addr_equal(&p->source->address, &best->source->address))
		return false;
	if (p->attr->neighbor_as != best->attr->neighbor_as)
		return false;
	if (nexthop->family == FAMILY_NONE || ip_addr_is_unspecified(nexthop))
		return false;
	return compare_until(best, p, DECIDE_ROUTER_ID, NULL) == 0;
}

/*
 * RFC 4271 §9.1.2.2 (d): among the paths still tied after ORIGIN, a
 * path is out if another of the same neighbor AS has a lower MED.
 * Marking those first makes the order independent of arrival order
 * (comparing MEDs pair by pair is not transitive across neighbor ASes).
 */
static void
mark_med_losers(struct path **paths, size_t count)
{
	size_t i, j;

	for (i = 0; i < count; i++)
		paths[i]->reason &= (uint8_t)~MED_LOSER;
	for (i = 0; i < count; i++) {
		if (!path_eligible(paths[i]))
			continue;
		for (j = 0; j < count; j++) {
			if (j == i || !path_eligible(paths[j]) ||
			    paths[j]->attr->neighbor_as !=
			    paths[i]->attr->neighbor_as)
				continue;
			if (compare_until(paths[i], paths[j], DECIDE_MED,
			    NULL) == 0 && med_of(paths[j]->attr) <
			    med_of(paths[i]->attr)) {
				paths[i]->reason |= MED_LOSER;
				break;
			}
		}
	}
}

void
decide_sort(struct path **paths, size_t count)
{
	enum decide_reason reason;
	struct path *p;
	size_t i, j;

	if (count == 0)
		return;
	mark_med_losers(paths, count);
	/*
	 * Insertion sort: the lists are short, and the best path beats
	 * every other one, so it ends up first even if the order among
	 * the MED losers is not transitive.
	 */
	for (i = 1; i < count; i++) {
		p = paths[i];
		for (j = i; j > 0 && decide_compare(p, paths[j - 1], NULL) < 0;
		    j--)
			paths[j] = paths[j - 1];
		paths[j] = p;
	}
	for (i = count - 1; i > 0; i--) {
		if (paths[i]->rejected)
			reason = DECIDE_REJECTED;
		else if (paths[i]->unresolved)
			reason = DECIDE_UNRESOLVED;
		else
			decide_compare(paths[0], paths[i], &reason);
		paths[i]->reason = (uint8_t)reason;
	}
	paths[0]->reason = paths[0]->rejected ? DECIDE_REJECTED :
	    paths[0]->unresolved ? DECIDE_UNRESOLVED : DECIDE_BEST;
}

static const char *const decide_reason_names[] = {
	[DECIDE_BEST] = "best",
	[DECIDE_LOCAL_PREF] = "local preference",
	[DECIDE_AS_PATH_LENGTH] = "AS path length",
	[DECIDE_ORIGIN] = "origin",
	[DECIDE_MED] = "MED",
	[DECIDE_EBGP_OVER_IBGP] = "eBGP over iBGP",
	[DECIDE_ROUTER_ID] = "router id",
	[DECIDE_CLUSTER_LIST] = "cluster list length",
	[DECIDE_PEER_ADDRESS] = "peer address",
	[DECIDE_UNRESOLVED] = "next hop unresolved",
	[DECIDE_LOCALLY_ORIGINATED] = "locally originated",
	[DECIDE_REJECTED] = "rejected by import policy",
};

const char *
decide_reason_name(enum decide_reason reason)
{
	if ((size_t)reason >= sizeof(decide_reason_names) /
	    sizeof(decide_reason_names[0]) || decide_reason_names[reason] == NULL)
		return "unknown";
	return decide_reason_names[reason];
}
