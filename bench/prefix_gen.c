/*
 * prefix_gen.c - the benchmark table (see prefix_gen.h).
 *
 * A cursor walks up the address space; each prefix takes the next
 * aligned block of its length, so the prefixes never overlap and the
 * same count always gives the same table.  Only the leading 64 bits of
 * an address matter (IPv4 in the top 32 of them, IPv6 up to /64), which
 * keeps the arithmetic in one integer.
 */
#include <stdint.h>
#include <string.h>

#include "bench_util.h"
#include "prefix_gen.h"

/* Lengths below the family's base length, by a hash of the index. */
struct length_mix {
	unsigned	 per_thousand;	/* cumulative share */
	unsigned	 shorter_by;	/* bits shorter than the base length */
};

static const struct length_mix length_mix[] = {
	{ 750, 0 },	/* /24, /48 */
	{ 850, 1 },
	{ 950, 2 },
	{ 980, 3 },
	{ 1000, 4 },
};

struct family_plan {
	unsigned	 base_length;	/* the most common length */
	uint64_t	 start;		/* leading 64 bits of the first one */
	uint64_t	 limit;		/* exclusive */
};

static const struct family_plan family_plans[] = {
	[FAMILY_IPV4] = { 24, 0x14000000ull << 32, 0xe0000000ull << 32 },
	[FAMILY_IPV6] = { 48, 0x2a00000000000000ull, 0x2b00000000000000ull },
};

/* A fixed scramble of i (SplitMix64's finalizer). */
static uint64_t
mix64(uint64_t i)
{
	i += 0x9e3779b97f4a7c15ull;
	i = (i ^ (i >> 30)) * 0xbf58476d1ce4e5b9ull;
	i = (i ^ (i >> 27)) * 0x94d049bb133111ebull;
	return i ^ (i >> 31);
}

static unsigned
length_of(const struct family_plan *plan, size_t i)
{
	unsigned pick = (unsigned)(mix64(i) % 1000);
	size_t k;

	for (k = 0; k < sizeof(length_mix) / sizeof(length_mix[0]); k++)
		if (pick < length_mix[k].per_thousand)
			break;
	return plan->base_length - length_mix[k].shorter_by;
}

void
prefix_gen(int family, size_t count, struct prefix *out)
{
	const struct family_plan *plan;
	uint64_t cursor, block;
	uint8_t bytes[16];
	unsigned length;
	size_t i;
	int b;

	if (family != FAMILY_IPV4 && family != FAMILY_IPV6)
		bench_fatal("prefix_gen: unknown family %d", family);
	plan = &family_plans[family];
	cursor = plan->start;
	for (i = 0; i < count; i++) {
		length = length_of(plan, i);
		block = 1ull << (64 - length);
		cursor = (cursor + block - 1) & ~(block - 1);
		if (cursor >= plan->limit || plan->limit - cursor < block)
			bench_fatal("prefix_gen: %zu prefixes do not fit",
			    count);
		memset(bytes, 0, sizeof(bytes));
		for (b = 0; b < 8; b++)
			bytes[b] = (uint8_t)(cursor >> (56 - 8 * b));
		prefix_set(&out[i], family, length, bytes);
		cursor += block;
	}
}
