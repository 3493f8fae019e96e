/*
 * test_attr.c - interning: identity, reference counts down to zero,
 * the statistics, and the cached best-path values.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "attr.h"
#include "route_fixture.h"
#include "tap.h"

static struct path_attrs pa, pb;

static void
test_identity(void)
{
	uint32_t asns[] = { 65002, 65003 };
	static const uint8_t communities[] = { 0xff, 0xff, 0xff, 0x01 };
	struct attr *a, *b, *c;
	struct attr_stats stats;

	fixture_pa(&pa, "192.0.2.1", asns, 2);
	pa.present |= PA_MED | PA_COMMUNITIES;
	pa.med = 7;
	pa.communities.data = communities;
	pa.communities.len = sizeof(communities);
	/* Same contents, other buffers, junk in fields marked absent. */
	fixture_pa(&pb, "192.0.2.1", asns, 2);
	pb.present |= PA_MED | PA_COMMUNITIES | PA_MP_REACH;
	pb.med = 7;
	pb.local_pref = 300;		/* not present: ignored */
	pb.communities = pa.communities;
	pb.nexthop.global.bytes[12] = 0x55;	/* beyond an IPv4 address */

	a = attr_intern(&pa);
	b = attr_intern(&pb);
	ok(a == b, "equal sets intern to one pointer");
	is_int(a->refcnt, 2, "two references");
	is_int(a->as_path_length, 2, "AS path length cached");
	is_int(a->neighbor_as, 65002, "neighbor AS cached");
	ok(a->as_path != NULL && a->as_path->len == 2 + 8, "AS path blob");
	attr_get_stats(&stats);
	is_int(stats.attr_count, 1, "one set");
	is_int(stats.blob_count[BLOB_AS_PATH], 1, "one AS path");
	is_int(stats.blob_count[BLOB_COMMUNITIES], 1, "one community list");
	ok(stats.attr_bytes >= sizeof(struct attr), "set bytes counted");

	pb.med = 8;
	c = attr_intern(&pb);
	ok(c != a, "another MED, another set");
	ok(c->as_path == a->as_path && c->communities == a->communities,
	    "blobs shared between sets");
	attr_get_stats(&stats);
	is_int(stats.attr_count, 2, "two sets");
	is_int(stats.blob_count[BLOB_AS_PATH], 1, "still one AS path");
	is_int(a->as_path->refcnt, 2, "AS path held by both sets");

	attr_unref(c);
	attr_unref(b);
	is_int(a->refcnt, 1, "unref drops one reference");
	attr_unref(a);
	attr_get_stats(&stats);
	is_int(stats.attr_count, 0, "refcount zero frees the set");
	is_int(stats.attr_bytes, 0, "no set bytes left");
	is_int(stats.blob_count[BLOB_AS_PATH] +
	    stats.blob_count[BLOB_COMMUNITIES], 0, "blobs freed with them");
	is_int(stats.blob_bytes[BLOB_AS_PATH], 0, "no blob bytes left");
}

static void
test_empty_and_view(void)
{
	struct attr *a, *again;
	struct path_attrs view;
	static const uint8_t cluster[] = { 1, 2, 3, 4 };
	static const uint8_t unknown[] = { 0xc0, 99, 1, 42 };

	fixture_pa(&pa, NULL, NULL, 0);
	pa.present |= PA_CLUSTER_LIST | PA_ORIGINATOR_ID | PA_LOCAL_PREF;
	pa.cluster_list.data = cluster;
	pa.cluster_list.len = sizeof(cluster);
	pa.unknown.data = unknown;
	pa.unknown.len = sizeof(unknown);
	pa.originator_id = 0x01020304;
	pa.local_pref = 200;
	a = attr_intern(&pa);
	ok(a->as_path != NULL && a->as_path->len == 0,
	    "no AS path: the empty blob");
	is_int(a->as_path_length, 0, "empty path length 0");
	is_int(a->neighbor_as, 0, "empty path: no neighbor AS");
	ok(a->nexthop.global.family == FAMILY_NONE, "no next hop");

	memset(&view, 0, sizeof(view));
	attr_to_path_attrs(a, &view);
	ok(view.present == a->present && view.local_pref == 200 &&
	    view.originator_id == 0x01020304, "view: fixed fields");
	ok(view.cluster_list.len == 4 &&
	    memcmp(view.cluster_list.data, cluster, 4) == 0,
	    "view: cluster list");
	ok(view.unknown.len == 4 && memcmp(view.unknown.data, unknown, 4) == 0,
	    "view: unknown attributes");
	ok(view.communities.len == 0 && view.communities.data == NULL,
	    "view: absent communities");
	again = attr_intern(&view);
	ok(again == a, "interning the view gives the same set");
	attr_unref(again);
	attr_unref(a);
}

static void
test_many(void)
{
	struct attr *sets[5000];
	struct attr_stats stats;
	uint32_t asn;
	int i, same = 0;

	for (i = 0; i < 5000; i++) {
		asn = 64512 + (uint32_t)i;
		fixture_pa(&pa, "192.0.2.1", &asn, 1);
		sets[i] = attr_intern(&pa);
	}
	attr_get_stats(&stats);
	is_int(stats.attr_count, 5000, "5000 sets (tables grew)");
	for (i = 0; i < 5000; i++) {
		asn = 64512 + (uint32_t)i;
		fixture_pa(&pa, "192.0.2.1", &asn, 1);
		if (attr_intern(&pa) == sets[i])
			same++;
		attr_unref(sets[i]);
	}
	is_int(same, 5000, "each found again after growth");
	for (i = 0; i < 5000; i++)
		attr_unref(sets[i]);
	attr_get_stats(&stats);
	is_int(stats.attr_count + stats.blob_count[BLOB_AS_PATH], 0,
	    "all freed");
}

int
main(void)
{
	attr_init();
	test_identity();
	test_empty_and_view();
	test_many();
	attr_shutdown();
	return tap_done();
}
