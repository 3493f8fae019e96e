/*
 * test_decide.c - every best-path step in both directions, MED only
 * within one neighbor AS (and independent of arrival order), rejected
 * paths never best, multipath equality.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "route_fixture.h"
#include "tap.h"

enum side_kind { SIDE_IBGP = 0, SIDE_EBGP, SIDE_LOCAL };

/* One path of a case; zero fields mean "same as the other side". */
struct side {
	enum side_kind	 kind;
	uint32_t	 local_pref;	/* 0: absent */
	uint16_t	 as_path_length;
	uint32_t	 neighbor_as;
	uint8_t		 origin;
	bool		 has_med;
	uint32_t	 med;
	uint32_t	 router_id;
	uint32_t	 originator_id;	/* 0: absent */
	unsigned	 clusters;
	const char	*address;	/* NULL: 192.0.2.1 */
	uint8_t		 rejected;
	const char	*nexthop;	/* NULL: 192.0.2.254 */
};

struct built {
	struct route_source	 source;
	struct attr		 attr;
	struct path		 path;
	struct blob		*cluster_list;
};

static void
build(struct built *b, const struct side *s, uint32_t id)
{
	static const enum fixture_kind kinds[] = {
		[SIDE_IBGP] = FIX_IBGP, [SIDE_EBGP] = FIX_EBGP,
		[SIDE_LOCAL] = FIX_LOCAL,
	};
	unsigned i;

	memset(b, 0, sizeof(*b));
	fixture_source(&b->source, id, kinds[s->kind], 65001, s->router_id,
	    s->address ? s->address : "192.0.2.1");
	b->attr.present = PA_ORIGIN | PA_AS_PATH;
	b->attr.origin = s->origin;
	b->attr.as_path_length = s->as_path_length;
	b->attr.neighbor_as = s->neighbor_as;
	if (s->local_pref) {
		b->attr.present |= PA_LOCAL_PREF;
		b->attr.local_pref = s->local_pref;
	}
	if (s->has_med) {
		b->attr.present |= PA_MED;
		b->attr.med = s->med;
	}
	if (s->originator_id) {
		b->attr.present |= PA_ORIGINATOR_ID;
		b->attr.originator_id = s->originator_id;
	}
	if (s->clusters) {
		b->cluster_list = calloc(1, sizeof(struct blob) +
		    4 * s->clusters);
		b->cluster_list->len = (uint16_t)(4 * s->clusters);
		for (i = 0; i < 4 * s->clusters; i++)
			b->cluster_list->data[i] = (uint8_t)(i + 1);
		b->attr.present |= PA_CLUSTER_LIST;
		b->attr.cluster_list = b->cluster_list;
	}
	ip_addr_parse(s->nexthop ? s->nexthop : "192.0.2.254",
	    &b->attr.nexthop.global);
	b->path.source = &b->source;
	b->path.attr = &b->attr;
	b->path.rejected = s->rejected;
}

struct decide_case {
	const char		*name;
	struct side		 winner, loser;
	enum decide_reason	 reason;
};

static const struct decide_case cases[] = {
	{ "accepted over rejected", { .rejected = 0 },
	    { .rejected = 1, .local_pref = 500 }, DECIDE_REJECTED },
	{ "higher LOCAL_PREF", { .local_pref = 200 }, { .local_pref = 150 },
	    DECIDE_LOCAL_PREF },
	{ "absent LOCAL_PREF is 100", { .local_pref = 101 }, { .local_pref = 0 },
	    DECIDE_LOCAL_PREF },
	{ "eBGP LOCAL_PREF ignored (100)",
	    { .kind = SIDE_EBGP, .local_pref = 1 },
	    { .kind = SIDE_IBGP, .local_pref = 99 }, DECIDE_LOCAL_PREF },
	{ "higher LOCAL_PREF beats local origin", { .local_pref = 200 },
	    { .kind = SIDE_LOCAL }, DECIDE_LOCAL_PREF },
	{ "locally originated", { .kind = SIDE_LOCAL, .as_path_length = 3 },
	    { .kind = SIDE_EBGP }, DECIDE_LOCALLY_ORIGINATED },
	{ "shorter AS path", { .as_path_length = 1, .origin = 2 },
	    { .as_path_length = 2 }, DECIDE_AS_PATH_LENGTH },
	{ "lower ORIGIN", { .origin = BGP_ORIGIN_IGP, .has_med = true,
	    .med = 50 }, { .origin = BGP_ORIGIN_EGP }, DECIDE_ORIGIN },
	{ "EGP over INCOMPLETE", { .origin = BGP_ORIGIN_EGP },
	    { .origin = BGP_ORIGIN_INCOMPLETE }, DECIDE_ORIGIN },
	{ "lower MED, same neighbor AS",
	    { .neighbor_as = 65002, .has_med = true, .med = 10,
	    .kind = SIDE_IBGP },
	    { .neighbor_as = 65002, .has_med = true, .med = 20,
	    .kind = SIDE_EBGP }, DECIDE_MED },
	{ "missing MED is 0", { .neighbor_as = 65002 },
	    { .neighbor_as = 65002, .has_med = true, .med = 1 }, DECIDE_MED },
	{ "MED ignored across neighbor ASes",
	    { .neighbor_as = 65002, .has_med = true, .med = 900,
	    .router_id = 1 },
	    { .neighbor_as = 65003, .has_med = true, .med = 1,
	    .router_id = 2 }, DECIDE_ROUTER_ID },
	{ "eBGP over iBGP", { .kind = SIDE_EBGP, .router_id = 9 },
	    { .kind = SIDE_IBGP, .router_id = 1 }, DECIDE_EBGP_OVER_IBGP },
	{ "lower router id", { .router_id = 1, .clusters = 3 },
	    { .router_id = 2 }, DECIDE_ROUTER_ID },
	{ "ORIGINATOR_ID as router id", { .router_id = 9, .originator_id = 3 },
	    { .router_id = 4 }, DECIDE_ROUTER_ID },
	{ "shorter CLUSTER_LIST", { .clusters = 1, .address = "192.0.2.9" },
	    { .clusters = 2, .address = "192.0.2.1" }, DECIDE_CLUSTER_LIST },
	{ "lower peer address", { .address = "192.0.2.1" },
	    { .address = "192.0.2.2" }, DECIDE_PEER_ADDRESS },
};

static void
test_steps(void)
{
	struct built a, b;
	enum decide_reason reason;
	size_t i;
	int c;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(&a, &cases[i].winner, 1);
		build(&b, &cases[i].loser, 2);
		reason = DECIDE_BEST;
		c = decide_compare(&a.path, &b.path, &reason);
		ok(c < 0 && reason == cases[i].reason, "%s: wins (%s)",
		    cases[i].name, decide_reason_name(reason));
		reason = DECIDE_BEST;
		c = decide_compare(&b.path, &a.path, &reason);
		ok(c > 0 && reason == cases[i].reason, "%s: reversed (%s)",
		    cases[i].name, decide_reason_name(reason));
		free(a.cluster_list);
		free(b.cluster_list);
	}
}

/*
 * A(AS 1, MED 10, id 1), B(AS 1, MED 5, id 3), C(AS 2, id 2): pair by
 * pair A < C < B < A, a cycle.  RFC 4271 §9.1.2.2 (d) removes A (MED
 * within AS 1) first, then C beats B on router id, whatever the order.
 */
static void
test_med_order(void)
{
	static const struct side sides[3] = {
		{ .neighbor_as = 1, .has_med = true, .med = 10, .router_id = 1 },
		{ .neighbor_as = 1, .has_med = true, .med = 5, .router_id = 3 },
		{ .neighbor_as = 2, .router_id = 2 },
	};
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct built built[3];
	struct path *paths[3];
	int i, j, good = 0;

	for (i = 0; i < 3; i++)
		build(&built[i], &sides[i], (uint32_t)i + 1);
	for (i = 0; i < 6; i++) {
		for (j = 0; j < 3; j++)
			paths[j] = &built[orders[i][j]].path;
		decide_sort(paths, 3);
		if (paths[0] == &built[2].path &&
		    paths[0]->reason == DECIDE_BEST &&
		    built[0].path.reason == DECIDE_MED &&
		    built[1].path.reason == DECIDE_ROUTER_ID)
			good++;
	}
	is_int(good, 6, "MED within neighbor AS: same best in all 6 orders");
}

static void
test_rejected(void)
{
	static const struct side sides[3] = {
		{ .rejected = 3, .local_pref = 900 },
		{ .local_pref = 50 },
		{ .rejected = 1, .kind = SIDE_LOCAL },
	};
	struct built built[3];
	struct path *paths[3];
	int i;

	for (i = 0; i < 3; i++) {
		build(&built[i], &sides[i], (uint32_t)i + 1);
		paths[i] = &built[i].path;
	}
	decide_sort(paths, 3);
	ok(paths[0] == &built[1].path && paths[0]->reason == DECIDE_BEST,
	    "the only accepted path is best");
	ok(paths[1]->rejected && paths[2]->rejected &&
	    paths[1]->reason == DECIDE_REJECTED &&
	    paths[2]->reason == DECIDE_REJECTED, "rejected paths last");
	built[1].path.rejected = 2;
	decide_sort(paths, 3);
	ok(paths[0]->reason == DECIDE_REJECTED && paths[1]->reason ==
	    DECIDE_REJECTED && paths[2]->reason == DECIDE_REJECTED,
	    "all rejected: none is best");
}

static void
test_multipath(void)
{
	static const struct {
		const char	*name;
		struct side	 other;
		bool		 equal;
	} rows[] = {
		{ "other router id", { .router_id = 7, .address = "192.0.2.7" },
		    true },
		{ "other neighbor AS", { .neighbor_as = 65009 }, false },
		{ "higher MED", { .has_med = true, .med = 5 }, false },
		{ "eBGP vs iBGP", { .kind = SIDE_EBGP }, false },
		{ "longer AS path", { .as_path_length = 2 }, false },
		{ "rejected", { .rejected = 1 }, false },
		{ "no next hop", { .nexthop = "0.0.0.0" }, false },
	};
	static const struct side base = { .router_id = 1 };
	struct built best, other;
	size_t i;

	build(&best, &base, 1);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		build(&other, &rows[i].other, 2);
		ok(decide_multipath_equal(&best.path, &other.path) ==
		    rows[i].equal, "multipath: %s", rows[i].name);
	}
	build(&other, &base, 2);
	other.path.source = best.path.source;
	ok(!decide_multipath_equal(&best.path, &other.path),
	    "multipath: never two paths of one source");
	ok(!decide_multipath_equal(&best.path, &best.path),
	    "multipath: not with itself");
}

int
main(void)
{
	test_steps();
	test_med_order();
	test_rejected();
	test_multipath();
	is_str(decide_reason_name(DECIDE_MED), "MED", "reason name");
	is_str(decide_reason_name(DECIDE_LOCALLY_ORIGINATED),
	    "locally originated", "reason name, local");
	is_str(decide_reason_name((enum decide_reason)99), "unknown",
	    "reason name out of range");
	is_int(decide_local_pref(&(struct path){ .source =
	    &(struct route_source){ .ibgp = false },
	    .attr = &(struct attr){ .present = PA_LOCAL_PREF,
	    .local_pref = 7 } }), 100, "eBGP paths compete with 100");
	return tap_done();
}
