/*
 * test_rib.c - the prefix trees and the path lists: insert, replace,
 * withdraw, remove_source, observer calls (old and new best, ECMP set
 * changes), rib_next() under changes, glue node cleanup, pool reuse,
 * a random run against a simple model, and 200k prefixes in and out.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rib.h"
#include "route_fixture.h"
#include "tap.h"

#define MAX_CALLS	64
#define REJECTED	1	/* any import verdict but accept */

struct call {
	struct prefix		 prefix;
	const struct path	*old_best, *new_best;
	struct attr		*old_attr;	/* read during the call */
	size_t			 ecmp;
};

static struct call calls[MAX_CALLS];
static size_t call_count;
static size_t calls_total;

static void
record_cb(void *arg, const struct prefix *prefix, const struct path *old_best,
    const struct path *new_best, const struct rib_node *node)
{
	const struct path *set[8];
	struct call *c;

	calls_total++;
	if (call_count == MAX_CALLS)
		return;
	c = &calls[call_count++];
	c->prefix = *prefix;
	c->old_best = old_best;
	c->new_best = new_best;
	c->old_attr = old_best ? old_best->attr : NULL;
	c->ecmp = rib_node_ecmp(node, set, 8);
}

static struct route_source ebgp_a, ebgp_b, ibgp_c, local_d;

static void
sources_setup(void)
{
	fixture_source(&ebgp_a, 1, FIX_EBGP, 65002, 0x0a000002, "172.18.0.2");
	fixture_source(&ebgp_b, 2, FIX_EBGP, 65002, 0x0a000003, "172.18.0.3");
	fixture_source(&ibgp_c, 3, FIX_IBGP, 65001, 0x0a000004, "172.18.0.4");
	fixture_source(&local_d, 4, FIX_LOCAL, 65001, 0x0a000001, "0.0.0.0");
}

static const struct path *
best_of(const struct rib *rib, const struct prefix *p)
{
	const struct rib_node *n = rib_lookup(rib, p);
	struct rib_node_view view;

	if (n == NULL)
		return NULL;
	rib_node_get(n, &view);
	return view.paths != NULL && (view.paths->flags & PATH_BEST) ?
	    view.paths : NULL;
}

static void
test_update_withdraw(void)
{
	struct rib *rib = rib_create(1);
	struct prefix p = fixture_prefix("10.1.0.0/16");
	struct attr *a1 = fixture_attr("172.18.0.2", 65002, -1);
	struct attr *a2 = fixture_attr("172.18.0.2", 65002, 5);
	const struct path *first;
	struct rib_stats stats;

	rib_observer_add(rib, record_cb, NULL);
	call_count = 0;
	is_int(rib_update(rib, &ebgp_a, &p, a1, 0), 1, "new path: 1");
	is_int(call_count, 1, "one observer call");
	ok(calls[0].old_best == NULL && calls[0].new_best != NULL &&
	    calls[0].new_best->attr == a1, "old NULL, new the path");
	ok(prefix_equal(&calls[0].prefix, &p), "prefix passed");
	first = best_of(rib, &p);
	ok(first != NULL && first->flags == (PATH_BEST | PATH_ECMP) &&
	    first->reason == DECIDE_BEST, "best flags and reason");

	call_count = 0;
	is_int(rib_update(rib, &ebgp_a, &p, a1, 0), 0, "same again: 0");
	is_int(call_count, 0, "no change, no call");

	is_int(rib_update(rib, &ebgp_a, &p, a2, 0), 0, "replace: 0");
	ok(call_count == 1 && calls[0].old_best == first &&
	    calls[0].old_attr == a1 && calls[0].new_best->attr == a2,
	    "replace: old best valid in the call, with its old attributes");
	ok(best_of(rib, &p)->attr == a2, "replaced");
	rib_get_stats(rib, &stats);
	ok(stats.paths == 1 && stats.prefixes[FAMILY_IPV4] == 1,
	    "one path, one prefix");

	call_count = 0;
	is_int(rib_withdraw(rib, &ebgp_b, &p), 0, "withdraw of another: 0");
	is_int(rib_withdraw(rib, &ebgp_a, &p), 1, "withdraw: 1");
	ok(call_count == 1 && calls[0].old_attr == a2 &&
	    calls[0].new_best == NULL, "withdraw: old best, new NULL");
	ok(rib_lookup(rib, &p) == NULL, "gone");
	rib_get_stats(rib, &stats);
	ok(stats.paths == 0 && stats.nodes == 0 && stats.bytes == 0 &&
	    stats.prefixes[FAMILY_IPV4] == 0, "stats at zero");
	is_int(rib_withdraw(rib, &ebgp_a, &p), 0, "withdraw again: 0");
	attr_unref(a1);
	attr_unref(a2);
	rib_destroy(rib);
}

static void
test_best_and_ecmp(void)
{
	struct rib *rib = rib_create(4);
	struct prefix p = fixture_prefix("10.2.0.0/16");
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	struct attr *b = fixture_attr("172.18.0.3", 65002, -1);
	struct attr *worse = fixture_attr("172.18.0.3", 65002, 50);
	struct attr *own = fixture_attr(NULL, 0, -1);
	const struct path *pa, *pb, *set[4];
	const struct rib_node *n;

	rib_observer_add(rib, record_cb, NULL);
	rib_update(rib, &ebgp_a, &p, a, 0);
	pa = best_of(rib, &p);
	call_count = 0;
	rib_update(rib, &ebgp_b, &p, b, 0);
	n = rib_lookup(rib, &p);
	ok(best_of(rib, &p) == pa, "lower router id stays best");
	ok(call_count == 1 && calls[0].old_best == pa &&
	    calls[0].new_best == pa && calls[0].ecmp == 2,
	    "ECMP set grew: old == new, 2 members");
	is_int(rib_node_ecmp(n, set, 4), 2, "rib_node_ecmp: 2");
	pb = set[1];
	ok(pb->flags == PATH_ECMP && pb->reason == DECIDE_ROUTER_ID,
	    "second: ECMP, lost on router id");

	call_count = 0;
	rib_set_ecmp_max(rib, 1);
	ok(call_count == 1 && calls[0].ecmp == 1 && calls[0].old_best == pa,
	    "ecmp_max 1: set shrank, observers told");
	rib_set_ecmp_max(rib, 4);
	call_count = 0;
	rib_update(rib, &ebgp_b, &p, worse, 0);
	pb = pa->next;
	ok(call_count == 1 && calls[0].ecmp == 1 && pb->reason == DECIDE_MED,
	    "higher MED leaves the ECMP set");

	call_count = 0;
	rib_update(rib, &local_d, &p, own, 0);
	ok(call_count == 1 && calls[0].old_best == pa &&
	    calls[0].new_best->source == &local_d, "local path wins");
	call_count = 0;
	rib_update(rib, &local_d, &p, own, REJECTED);
	ok(call_count == 1 && calls[0].new_best == pa,
	    "rejected local path: best falls back");
	n = rib_lookup(rib, &p);
	ok(pa->next != NULL && pa->next->next != NULL &&
	    pa->next->next->source == &local_d &&
	    pa->next->next->reason == DECIDE_REJECTED,
	    "rejected path kept, last");

	is_int(rib_withdraw(rib, &ebgp_a, &p), 1, "withdraw best");
	is_int(rib_withdraw(rib, &ebgp_b, &p), 1, "withdraw second");
	call_count = 0;
	ok(rib_lookup(rib, &p) != NULL && best_of(rib, &p) == NULL,
	    "only a rejected path: prefix shown, no best");
	attr_unref(a);
	attr_unref(b);
	attr_unref(worse);
	attr_unref(own);
	rib_destroy(rib);
}

/*
 * Each step announces (+) or withdraws (-) a prefix; then the nodes, and
 * the bytes: IPv4 leaf 12, glue 16, inner prefix 20, path 32.
 */
static const struct {
	char		 op;
	const char	*prefix;
	size_t		 nodes, bytes;
	const char	*name;
} glue_steps[] = {
	{ '+', "10.0.0.0/24", 1, 12 + 32, "one prefix: a leaf" },
	{ '+', "10.0.1.0/24", 3, 16 + 24 + 64, "two siblings: one glue node" },
	{ '+', "10.0.0.0/23", 3, 20 + 24 + 96, "glue node becomes a prefix" },
	{ '-', "10.0.0.0/23", 3, 16 + 24 + 64,
	    "and glue again (two children)" },
	{ '-', "10.0.0.0/24", 1, 12 + 32, "glue with one child removed" },
	{ '+', "10.0.0.0/16", 2, 20 + 12 + 64, "covering prefix: no glue" },
	{ '+', "10.128.0.0/16", 4, 16 + 20 + 24 + 96,
	    "branch above the covering prefix" },
	{ '-', "10.0.0.0/16", 3, 16 + 24 + 64,
	    "prefix with one child removed" },
	{ '-', "10.128.0.0/16", 1, 12 + 32,
	    "glue above a removed leaf removed" },
	{ '+', "10.0.0.0/8", 2, 20 + 12 + 64, "a leaf gets a parent" },
	{ '-', "10.0.1.0/24", 1, 12 + 32, "the parent is a leaf again" },
	{ '+', "10.0.2.0/24", 2, 20 + 12 + 64, "a leaf gains a child" },
	{ '-', "10.0.2.0/24", 1, 12 + 32, "and loses it" },
	{ '-', "10.0.0.0/8", 0, 0, "empty tree" },
};

static void
test_glue(void)
{
	struct rib *rib = rib_create(1);
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	struct rib_stats stats;
	struct prefix p;
	size_t i;

	for (i = 0; i < sizeof(glue_steps) / sizeof(glue_steps[0]); i++) {
		p = fixture_prefix(glue_steps[i].prefix);
		if (glue_steps[i].op == '+')
			rib_update(rib, &ebgp_a, &p, a, 0);
		else
			rib_withdraw(rib, &ebgp_a, &p);
		rib_get_stats(rib, &stats);
		ok(stats.nodes == glue_steps[i].nodes &&
		    stats.bytes == glue_steps[i].bytes, "%s (%zu nodes, %zu "
		    "bytes)", glue_steps[i].name, stats.nodes, stats.bytes);
	}
	p = fixture_prefix("10.0.0.0/23");
	rib_update(rib, &ebgp_a, &p, a, 0);
	rib_withdraw(rib, &ebgp_a, &p);
	p = fixture_prefix("10.0.0.0/24");
	rib_update(rib, &ebgp_a, &p, a, 0);
	p = fixture_prefix("10.0.1.0/24");
	rib_update(rib, &ebgp_a, &p, a, 0);
	p = fixture_prefix("10.0.0.0/23");
	ok(rib_lookup(rib, &p) == NULL, "a glue node is no prefix");
	attr_unref(a);
	rib_destroy(rib);
}

static void
test_pool_reuse(void)
{
	struct rib *rib = rib_create(1);
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	struct prefix p = fixture_prefix("10.3.0.0/16");
	struct prefix q = fixture_prefix("10.4.0.0/16");
	const struct path *first;
	const struct rib_node *node;

	rib_update(rib, &ebgp_a, &p, a, 0);
	first = best_of(rib, &p);
	node = rib_lookup(rib, &p);
	rib_withdraw(rib, &ebgp_a, &p);
	rib_update(rib, &ebgp_a, &q, a, 0);
	ok(best_of(rib, &q) == first, "freed path slot reused");
	ok(rib_lookup(rib, &q) == node, "freed node slot reused");
	attr_unref(a);
	rib_destroy(rib);
}

static void
test_remove_source(void)
{
	struct rib *rib = rib_create(1);
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	struct attr *c = fixture_attr("172.18.0.4", 65002, -1);
	struct prefix p;
	struct rib_stats stats;
	uint32_t i;
	size_t moved = 0, gone = 0;

	for (i = 0; i < 100; i++) {
		p = fixture_prefix_v4(i);
		rib_update(rib, &ebgp_a, &p, a, 0);
		if (i % 2 == 0)
			rib_update(rib, &ibgp_c, &p, c, 0);
	}
	rib_observer_add(rib, record_cb, NULL);
	calls_total = 0;
	call_count = 0;
	is_int(rib_remove_source(rib, &ebgp_a), 100, "100 paths removed");
	is_int(calls_total, 100, "100 best path changes");
	for (i = 0; i < call_count; i++) {
		if (calls[i].old_attr != a)
			continue;
		if (calls[i].new_best == NULL)
			gone++;
		else if (calls[i].new_best->source == &ibgp_c)
			moved++;
	}
	ok(moved > 0 && gone > 0 && moved + gone == call_count,
	    "calls: to the iBGP path or to nothing");
	rib_get_stats(rib, &stats);
	ok(stats.prefixes[FAMILY_IPV4] == 50 && stats.paths == 50,
	    "50 prefixes left");
	ok(stats.nodes <= 2 * 50 - 1, "no stray nodes (%zu)", stats.nodes);
	is_int(rib_remove_source(rib, &ibgp_c), 50, "the others");
	rib_get_stats(rib, &stats);
	ok(stats.nodes == 0 && stats.bytes == 0, "empty");
	attr_unref(a);
	attr_unref(c);
	rib_destroy(rib);
}

static const char *const ordered[] = {
	"0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24",
	"10.0.0.128/25", "10.0.1.0/24", "10.1.0.0/16", "10.128.0.0/9",
	"192.168.0.0/16", "192.168.0.1/32",
};
#define ORDERED_COUNT	(sizeof(ordered) / sizeof(ordered[0]))

static void
test_next(void)
{
	struct rib *rib = rib_create(1);
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	struct attr *v6 = fixture_attr("2001:db8::1", 65002, -1);
	const struct rib_node *n;
	struct rib_node_view view;
	struct prefix p, after;
	size_t i, seen, good;
	bool sorted;

	for (i = ORDERED_COUNT; i-- > 0;) {
		p = fixture_prefix(ordered[i]);
		rib_update(rib, &ebgp_a, &p, a, 0);
	}
	p = fixture_prefix("2001:db8::/32");
	rib_update(rib, &ebgp_a, &p, v6, 0);
	good = 0;
	for (i = 0, n = rib_next(rib, FAMILY_IPV4, NULL); n != NULL;
	    n = rib_next(rib, FAMILY_IPV4, &after), i++) {
		rib_node_get(n, &view);
		if (i < ORDERED_COUNT) {
			p = fixture_prefix(ordered[i]);
			good += prefix_equal(&p, &view.prefix);
		}
		after = view.prefix;
	}
	ok(i == ORDERED_COUNT && good == ORDERED_COUNT,
	    "rib_next: all IPv4 prefixes in order");
	n = rib_next(rib, FAMILY_IPV6, NULL);
	p = fixture_prefix("2001:db8::/32");
	ok(n != NULL && rib_next(rib, FAMILY_IPV6, &p) == NULL,
	    "IPv6 walked separately");
	p = fixture_prefix("10.0.0.64/26");	/* not in the RIB */
	rib_node_get(rib_next(rib, FAMILY_IPV4, &p), &view);
	after = fixture_prefix("10.0.0.128/25");
	ok(prefix_equal(&view.prefix, &after), "resume after a missing prefix");

	/* Changes between calls: delete behind and ahead, insert ahead. */
	seen = 0;
	sorted = true;
	n = rib_next(rib, FAMILY_IPV4, NULL);
	while (n != NULL) {
		rib_node_get(n, &view);
		if (seen > 0 && prefix_compare(&after, &view.prefix) >= 0)
			sorted = false;
		after = view.prefix;
		seen++;
		if (seen == 3) {
			p = fixture_prefix("10.0.0.0/8");	/* behind */
			rib_withdraw(rib, &ebgp_a, &p);
			p = fixture_prefix("10.0.1.0/24");	/* ahead */
			rib_withdraw(rib, &ebgp_a, &p);
			p = fixture_prefix("10.64.0.0/10");	/* ahead, new */
			rib_update(rib, &ebgp_a, &p, a, 0);
			rib_withdraw(rib, &ebgp_a, &after);	/* the cursor */
		}
		n = rib_next(rib, FAMILY_IPV4, &after);
	}
	ok(sorted && seen == ORDERED_COUNT, "walk under changes: sorted, %zu "
	    "seen (one ahead deleted, one added)", seen);
	attr_unref(a);
	attr_unref(v6);
	rib_destroy(rib);
}

/* Random operations on a small prefix space, checked against a model. */
#define MODEL_PREFIXES	64
#define MODEL_SOURCES	3

/* Distinct prefixes of lengths 8 to 27 in 10/8, nested and not. */
static void
model_prefixes(struct prefix *out, size_t count)
{
	uint8_t bytes[16] = { 10 };
	size_t i = 0, j;

	while (i < count) {
		bytes[1] = (uint8_t)(random() & 3);
		bytes[2] = (uint8_t)random();
		bytes[3] = (uint8_t)random();
		prefix_set(&out[i], FAMILY_IPV4, 8 + (unsigned)random() % 20,
		    bytes);
		for (j = 0; j < i; j++)
			if (prefix_equal(&out[j], &out[i]))
				break;
		if (j == i)
			i++;
	}
}

/*
 * The best path: eBGP a (lower router id than b), else b, else iBGP c;
 * a and b form an ECMP set (ecmp_max 2).
 */
static unsigned
model_check_node(const struct rib_node *n, const struct rib_node_view *view,
    const struct prefix *prefixes, bool present[][MODEL_SOURCES])
{
	const struct path *set[4];
	const struct route_source *want;
	size_t j, ecmp;

	for (j = 0; j < MODEL_PREFIXES; j++)
		if (prefix_equal(&prefixes[j], &view->prefix))
			break;
	if (j == MODEL_PREFIXES)
		return 1;
	want = present[j][0] ? &ebgp_a : present[j][1] ? &ebgp_b : &ibgp_c;
	ecmp = present[j][0] && present[j][1] ? 2 : 1;
	return view->paths->source != want ||
	    !(view->paths->flags & PATH_BEST) ||
	    rib_node_ecmp(n, set, 4) != ecmp;
}

static void
test_model(void)
{
	struct rib *rib = rib_create(2);
	struct route_source *sources[MODEL_SOURCES] = {
		&ebgp_a, &ebgp_b, &ibgp_c
	};
	bool present[MODEL_PREFIXES][MODEL_SOURCES];
	struct prefix prefixes[MODEL_PREFIXES], after;
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	const struct rib_node *n;
	struct rib_node_view view;
	struct rib_stats stats;
	unsigned i, j, s, step, bad = 0, expected, found;

	memset(present, 0, sizeof(present));
	srandom(7);
	model_prefixes(prefixes, MODEL_PREFIXES);
	for (step = 0; step < 20000; step++) {
		i = (unsigned)random() % MODEL_PREFIXES;
		s = (unsigned)random() % MODEL_SOURCES;
		if (random() % 3 != 0) {
			rib_update(rib, sources[s], &prefixes[i], a, 0);
			present[i][s] = true;
		} else {
			if (rib_withdraw(rib, sources[s], &prefixes[i]) !=
			    (int)present[i][s])
				bad++;
			present[i][s] = false;
		}
		if (step % 97 == 0 && random() % 4 == 0) {
			rib_remove_source(rib, sources[s]);
			for (j = 0; j < MODEL_PREFIXES; j++)
				present[j][s] = false;
		}
		if (step % 97 != 0)
			continue;
		/* The walk must list exactly the model's prefixes. */
		expected = 0;
		for (j = 0; j < MODEL_PREFIXES; j++)
			expected += present[j][0] || present[j][1] ||
			    present[j][2];
		found = 0;
		for (n = rib_next(rib, FAMILY_IPV4, NULL); n != NULL;
		    n = rib_next(rib, FAMILY_IPV4, &after)) {
			rib_node_get(n, &view);
			if (found > 0 && prefix_compare(&after,
			    &view.prefix) >= 0)
				bad++;
			bad += model_check_node(n, &view, prefixes, present);
			after = view.prefix;
			found++;
		}
		rib_get_stats(rib, &stats);
		if (found != expected || stats.prefixes[FAMILY_IPV4] != found ||
		    (found > 0 && stats.nodes > 2 * found - 1) ||
		    (found == 0 && stats.nodes != 0))
			bad++;
	}
	is_int(bad, 0, "20000 random operations agree with the model");
	attr_unref(a);
	rib_destroy(rib);
}

static void
test_many(void)
{
	struct rib *rib = rib_create(8);
	struct attr *attrs[16];
	struct rib_stats stats;
	struct prefix p;
	uint32_t i, asn;
	size_t removed;

	for (i = 0; i < 16; i++) {
		asn = 65100 + i;
		attrs[i] = fixture_attr("172.18.0.2", asn, -1);
	}
	for (i = 0; i < 200000; i++) {
		p = fixture_prefix_v4(i);
		rib_update(rib, &ebgp_a, &p, attrs[i % 16], 0);
	}
	rib_get_stats(rib, &stats);
	is_int(stats.prefixes[FAMILY_IPV4], 200000, "200k prefixes");
	tap_diag("200k IPv4 /24: %zu nodes, %zu bytes, %.1f bytes per prefix "
	    "(nodes with glue + one 32-byte path)", stats.nodes, stats.bytes,
	    (double)stats.bytes / 200000);
	for (i = 0; i < 200000; i += 2) {
		p = fixture_prefix_v4(i);
		rib_withdraw(rib, &ebgp_a, &p);
	}
	removed = rib_remove_source(rib, &ebgp_a);
	is_int(removed, 100000, "half withdrawn, the rest removed");
	rib_get_stats(rib, &stats);
	ok(stats.prefixes[FAMILY_IPV4] == 0 && stats.paths == 0 &&
	    stats.nodes == 0 && stats.bytes == 0, "stats back to zero");
	for (i = 0, asn = 0; i < 16; i++) {
		asn += attrs[i]->refcnt == 1;
		attr_unref(attrs[i]);
	}
	is_int(asn, 16, "attribute references returned");
	rib_destroy(rib);
}

/*
 * rib_retire_source: a session's paths leave a few nodes per step while
 * other sources change the RIB between the steps, a new session of the
 * same peer announces, and another source retires in the middle.  At
 * the end no path of a retired source is left, every other path is
 * where the model says, and the trees are as compact as ever.
 */
#define RETIRE_PREFIXES	3000

static void
retire_prefixes(struct prefix *out, size_t count)
{
	uint8_t bytes[16];
	size_t i = 0, j, k;
	int family;

	while (i < count) {
		family = random() % 3 == 0 ? FAMILY_IPV6 : FAMILY_IPV4;
		for (k = 0; k < sizeof(bytes); k++)
			bytes[k] = (uint8_t)random();
		bytes[0] = family == FAMILY_IPV4 ? 10 : 0x20;
		bytes[1] &= 3;
		prefix_set(&out[i], family, family == FAMILY_IPV4 ?
		    8 + (unsigned)random() % 25 : 16 + (unsigned)random() % 113,
		    bytes);
		for (j = 0; j < i; j++)
			if (prefix_equal(&out[j], &out[i]))
				break;
		if (j == i)
			i++;
	}
}

static struct route_source *
retire_source(const struct route_source *like, uint32_t id)
{
	struct route_source *s = route_source_new(like->name);
	const char *name = s->name;

	*s = *like;
	s->name = name;
	s->id = id;
	return s;
}

static void
test_retire(void)
{
	static struct prefix prefixes[RETIRE_PREFIXES];
	static bool has_new[RETIRE_PREFIXES], has_b[RETIRE_PREFIXES];
	struct rib *rib = rib_create(2);
	struct attr *a = fixture_attr("172.18.0.2", 65002, -1);
	struct route_source *old, *late, *renewed;
	const struct rib_node *n;
	struct rib_node_view view;
	const struct path *path;
	struct rib_stats stats;
	struct prefix after;
	unsigned i, steps = 0, bad = 0, found = 0, expected = 0, names = 0;
	size_t calls_before;
	int family;

	srandom(11);
	rib_observer_add(rib, record_cb, NULL);
	retire_prefixes(prefixes, RETIRE_PREFIXES);
	old = retire_source(&ebgp_a, 10);
	late = retire_source(&ibgp_c, 11);
	renewed = retire_source(&ebgp_a, 12);
	for (i = 0; i < RETIRE_PREFIXES; i++) {
		rib_update(rib, old, &prefixes[i], a, 0);
		if (i % 3 == 0) {
			rib_update(rib, &ebgp_b, &prefixes[i], a, 0);
			has_b[i] = true;
		}
		if (i % 5 == 0)
			rib_update(rib, late, &prefixes[i], a, 0);
	}
	rib_retire_source(rib, old);
	is_int(rib_retiring_count(rib), 1, "the source is handed over");
	calls_before = calls_total;
	while (rib_retire_step(rib, 7)) {
		steps++;
		/* The peer is back: a new source announces again. */
		i = (unsigned)random() % RETIRE_PREFIXES;
		rib_update(rib, renewed, &prefixes[i], a, 0);
		has_new[i] = true;
		i = (unsigned)random() % RETIRE_PREFIXES;
		if (random() % 2) {
			rib_update(rib, &ebgp_b, &prefixes[i], a, 0);
			has_b[i] = true;
		} else {
			rib_withdraw(rib, &ebgp_b, &prefixes[i]);
			has_b[i] = false;
		}
		if (steps == 100)
			rib_retire_source(rib, late);
		if (steps > 10 * RETIRE_PREFIXES)
			break;
	}
	ok(steps > 400 && steps < 4 * RETIRE_PREFIXES,
	    "a few nodes per step (%u steps)", steps);
	is_int(rib_retiring_count(rib), 0, "both retired sources are gone");
	for (i = 0; i < RETIRE_PREFIXES; i++)
		expected += has_b[i] || has_new[i];
	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++)
		for (n = rib_next(rib, family, NULL); n != NULL;
		    n = rib_next(rib, family, &after)) {
			rib_node_get(n, &view);
			after = view.prefix;
			found++;
			for (i = 0; i < RETIRE_PREFIXES; i++)
				if (prefix_equal(&prefixes[i], &view.prefix))
					break;
			if (i == RETIRE_PREFIXES) {
				bad++;
				continue;
			}
			for (path = view.paths; path != NULL;
			    path = path->next) {
				if (path->source == renewed)
					bad += !has_new[i];
				else if (path->source == &ebgp_b)
					bad += !has_b[i];
				else
					bad++;
				names += strcmp(path->source->name,
				    path->source == renewed ? "172.18.0.2" :
				    "172.18.0.3") != 0;
			}
			bad += !(view.paths->flags & PATH_BEST);
		}
	is_int(bad, 0, "only the model's paths are left, each best first");
	is_int(names, 0, "a source made by route_source_new keeps its name");
	tap_diag("%u prefixes left", expected);
	is_int(found, expected, "the walk finds exactly those");
	rib_get_stats(rib, &stats);
	ok(stats.nodes <= 2 * found, "no node left behind (%zu nodes)",
	    stats.nodes);
	ok(calls_total - calls_before >= RETIRE_PREFIXES,
	    "the observers heard of every prefix whose best path left");
	/* A source handed over with paths, freed by rib_destroy. */
	rib_update(rib, renewed, &prefixes[0], a, 0);
	rib_retire_source(rib, renewed);
	attr_unref(a);
	rib_destroy(rib);
}

int
main(void)
{
	struct attr_stats stats;

	attr_init();
	sources_setup();
	test_update_withdraw();
	test_best_and_ecmp();
	test_glue();
	test_pool_reuse();
	test_remove_source();
	test_next();
	test_model();
	test_many();
	test_retire();
	attr_get_stats(&stats);
	is_int(stats.attr_count, 0, "no attribute set leaked");
	attr_shutdown();
	return tap_done();
}
