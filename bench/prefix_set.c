/*
 * prefix_set.c - open addressing with linear probing over 64-bit
 * fingerprints (0 marks a free slot).  Removal shifts the following
 * entries of the run back instead of leaving tombstones, so a table
 * that fills and empties again (announce, then withdraw everything)
 * stays as fast as a fresh one.  The table is kept at most half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "prefix_set.h"

#define APPLY_CHUNK	256	/* fingerprints prefetched at once */

struct prefix_set {
	uint64_t	*slots;
	size_t		 mask;		/* slot count - 1 (a power of two) */
	size_t		 count;
};

/* SplitMix64's finalizer: every input bit reaches every output bit. */
static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static uint64_t
fingerprint(const struct prefix *p)
{
	uint64_t a, b, h;

	memcpy(&a, p->bytes, 8);
	memcpy(&b, p->bytes + 8, 8);
	h = mix64(a ^ mix64(b ^ ((uint64_t)p->length << 8 | p->family)));
	return h != 0 ? h : 1;
}

static void
set_alloc(struct prefix_set *set, size_t slots)
{
	set->slots = calloc(slots, sizeof(*set->slots));
	if (set->slots == NULL)
		bench_fatal("out of memory (%zu slots)", slots);
	set->mask = slots - 1;
}

struct prefix_set *
prefix_set_new(size_t expected)
{
	struct prefix_set *set = calloc(1, sizeof(*set));
	size_t slots = 1024;

	if (set == NULL)
		bench_fatal("out of memory");
	while (slots < expected * 2)
		slots *= 2;
	set_alloc(set, slots);
	return set;
}

void
prefix_set_free(struct prefix_set *set)
{
	if (set == NULL)
		return;
	free(set->slots);
	free(set);
}

/* Index of f's slot, or of the free slot where it would go. */
static size_t
set_find(const struct prefix_set *set, uint64_t f)
{
	size_t i = (size_t)f & set->mask;

	while (set->slots[i] != 0 && set->slots[i] != f)
		i = (i + 1) & set->mask;
	return i;
}

static void
set_grow(struct prefix_set *set)
{
	uint64_t *old = set->slots;
	size_t n = set->mask + 1, i;

	set_alloc(set, n * 2);
	for (i = 0; i < n; i++)
		if (old[i] != 0)
			set->slots[set_find(set, old[i])] = old[i];
	free(old);
}

static bool
set_add(struct prefix_set *set, uint64_t f)
{
	size_t i;

	if ((set->count + 1) * 2 > set->mask + 1)
		set_grow(set);
	i = set_find(set, f);
	if (set->slots[i] != 0)
		return false;
	set->slots[i] = f;
	set->count++;
	return true;
}

static bool
set_remove(struct prefix_set *set, uint64_t f)
{
	size_t hole = set_find(set, f), i, home;

	if (set->slots[hole] == 0)
		return false;
	set->slots[hole] = 0;
	set->count--;
	/* Move back every later entry of the run that may sit in the hole. */
	for (i = (hole + 1) & set->mask; set->slots[i] != 0;
	    i = (i + 1) & set->mask) {
		home = (size_t)set->slots[i] & set->mask;
		if (((i - home) & set->mask) >= ((i - hole) & set->mask)) {
			set->slots[hole] = set->slots[i];
			set->slots[i] = 0;
			hole = i;
		}
	}
	return true;
}

bool
prefix_set_add(struct prefix_set *set, const struct prefix *p)
{
	return set_add(set, fingerprint(p));
}

bool
prefix_set_remove(struct prefix_set *set, const struct prefix *p)
{
	return set_remove(set, fingerprint(p));
}

size_t
prefix_set_apply(struct prefix_set *set, const struct prefix *p,
    size_t count, bool remove)
{
	uint64_t f[APPLY_CHUNK];
	size_t done, n, i, changed = 0;

	for (done = 0; done < count; done += n) {
		n = count - done < APPLY_CHUNK ? count - done : APPLY_CHUNK;
		if (!remove && (set->count + n) * 2 > set->mask + 1)
			set_grow(set);
		for (i = 0; i < n; i++) {
			f[i] = fingerprint(&p[done + i]);
			__builtin_prefetch(&set->slots[f[i] & set->mask]);
		}
		for (i = 0; i < n; i++)
			changed += remove ? set_remove(set, f[i]) :
			    set_add(set, f[i]);
	}
	return changed;
}

size_t
prefix_set_count(const struct prefix_set *set)
{
	return set->count;
}

void
prefix_set_clear(struct prefix_set *set)
{
	memset(set->slots, 0, (set->mask + 1) * sizeof(*set->slots));
	set->count = 0;
}
