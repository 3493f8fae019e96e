/*
 * test_rib_lookup_batch.c - rib_lookup_batch() gives exactly what
 * rib_lookup() gives, prefix by prefix: present and absent prefixes,
 * covering and covered ones, glue positions (branch points without
 * paths), prefixes with only a rejected path, both families mixed in
 * one call, batches longer than one wave; and it is faster on a large
 * table (reported, not checked: a loaded machine is no benchmark).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rib.h"
#include "route_fixture.h"
#include "tap.h"

#define LARGE	200000

static struct route_source peer;

/* Each prefix of the batch against rib_lookup(); false at a mismatch. */
static bool
same_as_single(const struct rib *rib, const struct prefix *q, size_t count)
{
	const struct rib_node **got = calloc(count, sizeof(*got));
	bool same = true;
	size_t i;

	if (got == NULL)
		abort();
	rib_lookup_batch(rib, q, count, got);
	for (i = 0; i < count; i++)
		if (got[i] != rib_lookup(rib, &q[i])) {
			char text[PREFIX_STRLEN];

			tap_diag("%s differs", prefix_format(&q[i], text,
			    sizeof(text)));
			same = false;
		}
	free(got);
	return same;
}

static const char *const present[] = {
	"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.3.0/24",
	"10.128.0.0/9", "192.0.2.0/24", "0.0.0.0/0", "10.1.2.128/25",
	"2001:db8::/32", "2001:db8:1::/48", "2001:db8:2::/48", "fd00::/8",
};
static const char *const probes[] = {
	/* present */
	"10.0.0.0/8", "10.1.2.0/24", "10.1.2.128/25", "0.0.0.0/0",
	"2001:db8:1::/48", "fd00::/8",
	/* absent: covered, covering, beside, branch points (glue) */
	"10.1.2.0/23", "10.0.0.0/15", "11.0.0.0/8", "10.1.2.0/25",
	"192.0.2.0/25", "10.0.0.0/7", "2001:db8::/33", "2001:db8::/47",
	"2001:db9::/32", "fe80::/10",
	/* only a rejected path (added below) */
	"198.51.100.0/24",
};

static void
check_small(void)
{
	struct rib *rib = rib_create(8);
	struct attr *a = fixture_attr("192.0.2.1", 65002, -1);
	struct prefix q[4 * sizeof(probes) / sizeof(probes[0])];
	size_t i, n = sizeof(probes) / sizeof(probes[0]);

	for (i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
		struct prefix p = fixture_prefix(present[i]);

		rib_update(rib, &peer, &p, a, 0);
	}
	q[0] = fixture_prefix("198.51.100.0/24");
	rib_update(rib, &peer, &q[0], a, 1);
	for (i = 0; i < n; i++)
		q[i] = fixture_prefix(probes[i]);
	ok(same_as_single(rib, q, n), "mixed families, present and absent");
	ok(rib_lookup(rib, &q[0]) != NULL && rib_lookup(rib, &q[6]) == NULL,
	    "the probes include hits and misses");
	/* Twice the probes, reversed: more than one wave, any order. */
	for (i = 0; i < n; i++)
		q[n + i] = q[n - 1 - i];
	for (i = 0; i < 2 * n; i++)
		q[2 * n + i] = q[i];
	ok(same_as_single(rib, q, 4 * n), "%zu prefixes in one call", 4 * n);
	rib_lookup_batch(rib, q, 0, NULL);
	ok(1, "an empty batch");
	rib_withdraw(rib, &peer, &q[0]);
	ok(same_as_single(rib, q, n), "after a withdrawal");
	attr_unref(a);
	rib_destroy(rib);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
check_large(void)
{
	struct rib *rib = rib_create(8);
	struct attr *a = fixture_attr("192.0.2.1", 65002, -1);
	struct prefix *q = calloc(LARGE, sizeof(*q));
	const struct rib_node **got = calloc(LARGE, sizeof(*got));
	struct timespec t0;
	double single, batch;
	size_t i, found = 0;

	if (q == NULL || got == NULL)
		abort();
	for (i = 0; i < LARGE; i++) {
		struct prefix p = fixture_prefix_v4((uint32_t)i * 2);

		rib_update(rib, &peer, &p, a, 0);
	}
	/* Every other probe is absent; a scattered order, as a FIB
	 * queue would present them. */
	for (i = 0; i < LARGE; i++)
		q[i] = fixture_prefix_v4((uint32_t)((i * 7919) % LARGE));
	ok(same_as_single(rib, q, LARGE), "%d scattered lookups", LARGE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < LARGE; i++)
		found += rib_lookup(rib, &q[i]) != NULL;
	single = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rib_lookup_batch(rib, q, LARGE, got);
	batch = seconds_since(&t0);
	is_int(found, LARGE / 2, "half of them present");
	tap_diag("%d lookups: %.0f ns each alone, %.0f ns in a batch", LARGE,
	    single * 1e9 / LARGE, batch * 1e9 / LARGE);
	free(q);
	free(got);
	attr_unref(a);
	rib_destroy(rib);
}

int
main(void)
{
	attr_init();
	fixture_source(&peer, 1, FIX_EBGP, 65002, 0x0a000002, "192.0.2.1");
	check_small();
	check_large();
	attr_shutdown();
	return tap_done();
}
