/*
 * test_fib_table.c - the FIB's per-prefix flags: coalescing of queued
 * changes, growth, shrinking and walks that survive removals.
 */
#include <stdlib.h>
#include <string.h>

#include "fib_table.h"
#include "tap.h"

static struct prefix
v4(uint32_t address, unsigned length)
{
	struct prefix p;
	uint8_t bytes[4] = { address >> 24, address >> 16, address >> 8,
	    address };

	prefix_set(&p, FAMILY_IPV4, length, bytes);
	return p;
}

static struct prefix
v6(uint32_t n, unsigned length)
{
	struct prefix p;
	uint8_t bytes[16] = { 0xfd, 0x99, 0, 0, n >> 24, n >> 16, n >> 8, n };

	prefix_set(&p, FAMILY_IPV6, length, bytes);
	return p;
}

static void
test_coalescing(void)
{
	struct fib_table *t = fib_table_create();
	struct fib_table_cursor c;
	struct prefix p = v4(0x0a630100, 24), q = v6(1, 64), out;
	uint8_t flags;
	int i, seen = 0;

	for (i = 0; i < 10; i++)
		fib_table_update(t, &p, FIB_DIRTY, 0);
	fib_table_update(t, &q, FIB_DIRTY, 0);
	is_int(fib_table_count(t, FIB_DIRTY), 2,
	    "ten changes of one prefix queue it once");
	is_int(fib_table_get(t, &p), FIB_DIRTY, "flags of the prefix");
	ok(fib_table_get(t, &(struct prefix){ .family = FAMILY_IPV4,
	    .length = 23, .bytes = { 10, 99, 0, 0 } }) == 0,
	    "another length is another prefix");
	fib_table_cursor_init(&c);
	while (fib_table_next(t, FIB_DIRTY, &c, &out, &flags)) {
		seen++;
		fib_table_update(t, &out, 0, FIB_DIRTY);
	}
	is_int(seen, 2, "one walk sees each queued prefix once");
	is_int(fib_table_count(t, 0), 0, "flushed entries are removed");
	fib_table_update(t, &p, FIB_STALE | FIB_DIRTY, 0);
	is_int(fib_table_update(t, &p, 0, FIB_DIRTY), FIB_STALE,
	    "clearing one flag keeps the others");
	is_int(fib_table_count(t, FIB_STALE), 1, "stale count");
	is_int(fib_table_count(t, FIB_DIRTY), 0, "dirty count");
	fib_table_free(t);
}

/* Many prefixes: growth, then removal of every other one. */
static void
test_growth(void)
{
	struct fib_table *t = fib_table_create();
	struct prefix p;
	uint32_t i, n = 100000, missing = 0, wrong = 0;
	size_t big;

	for (i = 0; i < n; i++) {
		p = v4(0x0a000000 + (i << 8), 24);
		fib_table_update(t, &p, FIB_DIRTY, 0);
		p = v6(i, 64);
		fib_table_update(t, &p, FIB_FOREIGN, 0);
	}
	is_int(fib_table_count(t, 0), 2 * n, "200,000 entries");
	big = fib_table_bytes(t);
	ok(big < 2 * n * 18 * 2, "slots stay compact (%zu bytes)", big);
	for (i = 0; i < n; i += 2) {
		p = v4(0x0a000000 + (i << 8), 24);
		fib_table_update(t, &p, 0, FIB_DIRTY);
	}
	for (i = 0; i < n; i++) {
		p = v4(0x0a000000 + (i << 8), 24);
		if ((fib_table_get(t, &p) != 0) != (i % 2 == 1))
			wrong++;
		p = v6(i, 64);
		if (fib_table_get(t, &p) != FIB_FOREIGN)
			missing++;
	}
	is_int(wrong, 0, "removals shifted nothing out of reach");
	is_int(missing, 0, "the other family is untouched");
	for (i = 0; i < n; i++) {
		p = v6(i, 64);
		fib_table_update(t, &p, 0, FIB_FOREIGN);
	}
	ok(fib_table_bytes(t) < big / 2, "the table shrinks when emptied");
	fib_table_free(t);
}

/* A walk that removes what it visits sees every entry exactly once. */
static void
test_walk_with_removals(void)
{
	struct fib_table *t = fib_table_create();
	struct fib_table_cursor c;
	struct prefix p, out;
	uint8_t flags, *seen = calloc(5000, 1);
	uint32_t i, twice = 0, total = 0;

	for (i = 0; i < 5000; i++) {
		p = v4(0x0b000000 + (i << 8), 24);
		fib_table_update(t, &p, FIB_DIRTY | (i % 3 ? 0 : FIB_STALE), 0);
	}
	fib_table_cursor_init(&c);
	while (fib_table_next(t, FIB_DIRTY, &c, &out, &flags)) {
		i = (((uint32_t)out.bytes[1] << 16 | (uint32_t)out.bytes[2] <<
		    8 | out.bytes[3]) >> 8) & 0xffff;
		if (i < 5000 && seen[i]++)
			twice++;
		total++;
		fib_table_update(t, &out, 0, FIB_DIRTY);
	}
	is_int(total, 5000, "every queued entry visited");
	is_int(twice, 0, "none twice");
	is_int(fib_table_count(t, FIB_STALE), 1667, "stale ones stay");
	total = 0;
	fib_table_cursor_init(&c);
	while (fib_table_next(t, FIB_STALE, &c, &out, &flags)) {
		total++;
		c.slot++;	/* a walk that keeps the entries */
	}
	is_int(total, 1667, "a read-only walk steps over entries");
	free(seen);
	fib_table_free(t);
}

int
main(void)
{
	test_coalescing();
	test_growth();
	test_walk_with_removals();
	return tap_done();
}
