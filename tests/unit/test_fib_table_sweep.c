/*
 * test_fib_table_sweep.c - the FIB queue under a full table: prefixes
 * keep arriving while the flush walks the table and removes what it
 * visits (the pattern that made linear probing with backward-shift
 * deletion degenerate: the part ahead of the walk filled up to every
 * slot).  Checks that every queued prefix is flushed exactly once,
 * that the table keeps its bounds, and reports the time (a regression
 * to the old behaviour takes seconds here instead of milliseconds).
 * Also the tags fib.c keeps with queued prefixes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fib_table.h"
#include "tap.h"

#define COUNT	300000u
#define SETS	3000u	/* arrival order: i, i + SETS, ... as bgpgen sends */

static struct prefix
v4(uint32_t i)
{
	uint32_t a = 0x14000000u + (i << 8);
	uint8_t bytes[4] = { a >> 24, a >> 16, a >> 8, 0 };
	struct prefix p;

	prefix_set(&p, FAMILY_IPV4, 24, bytes);
	return p;
}

static uint32_t
index_of(const struct prefix *p)
{
	return (((uint32_t)p->bytes[0] << 24 | (uint32_t)p->bytes[1] << 16 |
	    (uint32_t)p->bytes[2] << 8) - 0x14000000u) >> 8;
}

/* Flushes one queued prefix; false if the walk found none. */
static bool
flush_one(struct fib_table *t, struct fib_table_cursor *c, uint8_t *seen,
    uint32_t *twice)
{
	struct prefix out;
	uint8_t flags;

	if (!fib_table_next(t, FIB_DIRTY, c, &out, &flags)) {
		fib_table_cursor_init(c);
		if (!fib_table_next(t, FIB_DIRTY, c, &out, &flags))
			return false;
	}
	if (seen[index_of(&out)]++)
		(*twice)++;
	fib_table_update(t, &out, 0, FIB_DIRTY);
	return true;
}

static void
check_tags(void)
{
	struct fib_table *t = fib_table_create();
	struct fib_table_cursor c;
	struct prefix p = v4(1), q = v4(2), out;
	uint8_t flags;

	fib_table_update(t, &p, FIB_DIRTY, 0);
	fib_table_cursor_init(&c);
	ok(fib_table_next(t, FIB_DIRTY, &c, &out, &flags) && c.tag == 0,
	    "a new entry has tag 0");
	fib_table_queue(t, &p, 211);
	fib_table_cursor_init(&c);
	ok(fib_table_next(t, FIB_DIRTY, &c, &out, &flags) && c.tag == 211,
	    "the walk gives the tag queued with");
	fib_table_update(t, &p, FIB_STALE, 0);
	fib_table_cursor_init(&c);
	ok(fib_table_next(t, FIB_DIRTY, &c, &out, &flags) && c.tag == 211,
	    "other flags keep it");
	fib_table_update(t, &p, FIB_DIRTY, 0);
	fib_table_cursor_init(&c);
	ok(fib_table_next(t, FIB_DIRTY, &c, &out, &flags) && c.tag == 0,
	    "queueing the prefix again resets it");
	fib_table_queue(t, &q, 9);
	is_int(fib_table_get(t, &q), FIB_DIRTY, "queueing makes an entry");
	fib_table_cursor_init(&c);
	while (fib_table_next(t, FIB_DIRTY, &c, &out, &flags) &&
	    !prefix_equal(&out, &q))
		c.slot++;
	ok(prefix_equal(&out, &q) && c.tag == 9, "with its tag");
	fib_table_update(t, &p, 0, FIB_DIRTY | FIB_STALE);
	fib_table_update(t, &p, FIB_DIRTY, 0);
	/* q is still queued and the walk's order is the hash's: find p. */
	fib_table_cursor_init(&c);
	while (fib_table_next(t, FIB_DIRTY, &c, &out, &flags) &&
	    !prefix_equal(&out, &p))
		c.slot++;
	ok(prefix_equal(&out, &p) && c.tag == 0,
	    "an entry made in a tombstone starts at 0");
	fib_table_free(t);
}

int
main(void)
{
	struct fib_table *t = fib_table_create(), *empty;
	struct fib_table_cursor c;
	struct timespec t0, t1;
	uint8_t *seen = calloc(COUNT, 1);
	uint32_t set, i, arrived = 0, twice = 0, missed = 0;
	size_t peak_bytes = 0;
	struct prefix p;

	if (seen == NULL)
		abort();
	fib_table_cursor_init(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Two arrive for every one flushed: the kernel is the slower. */
	for (set = 0; set < SETS; set++) {
		for (i = set; i < COUNT; i += SETS) {
			p = v4(i);
			fib_table_update(t, &p, FIB_DIRTY, 0);
			if (++arrived % 2 == 0)
				flush_one(t, &c, seen, &twice);
			if (fib_table_bytes(t) > peak_bytes)
				peak_bytes = fib_table_bytes(t);
		}
	}
	while (flush_one(t, &c, seen, &twice))
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < COUNT; i++)
		missed += seen[i] == 0;
	is_int(missed, 0, "every queued prefix was flushed");
	is_int(twice, 0, "none twice");
	is_int(fib_table_count(t, 0), 0, "the table is empty");
	ok(peak_bytes <= (size_t)COUNT * 7 * 2,
	    "at most two IPv4 slots (7 bytes) a prefix (%zu bytes at the peak)",
	    peak_bytes);
	empty = fib_table_create();
	ok(fib_table_bytes(t) == fib_table_bytes(empty),
	    "it shrank back to the size of a new table");
	fib_table_free(empty);
	tap_diag("%u arrivals and flushes: %.0f ms", COUNT,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	free(seen);
	fib_table_free(t);
	check_tags();
	return tap_done();
}
