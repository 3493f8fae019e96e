/*
 * fib_table.c - prefix to flag bits, one compact hash per family.
 *
 * A slot is the address bytes (4 or 16), the prefix length and the
 * flags; flags 0 marks an empty slot.  Linear probing keeps a lookup in
 * one or two cache lines; deletion shifts the following entries of the
 * cluster back (Knuth 6.4, algorithm R), so there are no tombstones and
 * a table emptied by a flush is as fast as a new one.  Tables grow at
 * 70 % load and shrink below 1/8, between 64 slots and whatever the
 * RIB needs.  See fib_table.h for what the flags mean.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "fib_table.h"
#include "log.h"

#define MIN_SLOTS	64

struct family_table {
	uint8_t		*slots;
	size_t		 capacity;	/* power of two */
	size_t		 count;
	uint8_t		 address_length;	/* 4 or 16 */
	uint8_t		 stride;		/* address + length + flags */
};

struct fib_table {
	struct family_table	 families[2];	/* by family - 1 */
	uint64_t		 key[2];
	size_t			 flag_count[FIB_FLAG_BITS];
	uint32_t		 generation;	/* bumped by every resize */
};

static struct family_table *
family_of(struct fib_table *t, int family)
{
	return &t->families[family == FAMILY_IPV6];
}

static const struct family_table *
family_of_const(const struct fib_table *t, int family)
{
	return &t->families[family == FAMILY_IPV6];
}

static uint8_t *
slot_at(const struct family_table *f, size_t i)
{
	return f->slots + i * f->stride;
}

static uint8_t
slot_flags(const struct family_table *f, const uint8_t *slot)
{
	return slot[f->address_length + 1];
}

/* A keyed 64-bit mix (multiply and xor-shift rounds) of the key bytes. */
static size_t
hash_key(const struct fib_table *t, const uint8_t *address,
    uint8_t address_length, uint8_t length)
{
	uint64_t h = t->key[0] ^ length, w;
	uint8_t i;

	for (i = 0; i < address_length; i += 4) {
		w = (uint64_t)address[i] << 24 | (uint64_t)address[i + 1] <<
		    16 | (uint64_t)address[i + 2] << 8 | address[i + 3];
		h = (h ^ w ^ t->key[1]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)h;
}

static size_t
home_slot(const struct fib_table *t, const struct family_table *f,
    const uint8_t *slot)
{
	return hash_key(t, slot, f->address_length,
	    slot[f->address_length]) & (f->capacity - 1);
}

static void
family_init(struct family_table *f, uint8_t address_length, size_t capacity)
{
	f->address_length = address_length;
	f->stride = address_length + 2;
	f->capacity = capacity;
	f->count = 0;
	f->slots = xcalloc(capacity, f->stride);
}

struct fib_table *
fib_table_create(void)
{
	struct fib_table *t = xcalloc(1, sizeof(*t));

	if (getrandom(t->key, sizeof(t->key), 0) != sizeof(t->key)) {
		/* Without entropy, still differ between runs. */
		t->key[0] = (uint64_t)(uintptr_t)t ^ (uint64_t)random();
		t->key[1] = (uint64_t)random() << 32 | (uint64_t)random();
	}
	family_init(&t->families[0], 4, MIN_SLOTS);
	family_init(&t->families[1], 16, MIN_SLOTS);
	return t;
}

void
fib_table_free(struct fib_table *t)
{
	if (t == NULL)
		return;
	free(t->families[0].slots);
	free(t->families[1].slots);
	free(t);
}

/* The slot of p, or the empty slot where it would go. */
static uint8_t *
probe(const struct fib_table *t, const struct family_table *f,
    const struct prefix *p)
{
	size_t mask = f->capacity - 1;
	size_t i = hash_key(t, p->bytes, f->address_length, p->length) & mask;
	uint8_t *slot;

	for (;; i = (i + 1) & mask) {
		slot = slot_at(f, i);
		if (slot_flags(f, slot) == 0 ||
		    (slot[f->address_length] == p->length &&
		    memcmp(slot, p->bytes, f->address_length) == 0))
			return slot;
	}
}

static void
resize(struct fib_table *t, struct family_table *f, size_t capacity)
{
	struct family_table old = *f;
	struct prefix p;
	uint8_t *from, *to;
	size_t i;

	family_init(f, old.address_length, capacity);
	memset(&p, 0, sizeof(p));
	for (i = 0; i < old.capacity; i++) {
		from = slot_at(&old, i);
		if (slot_flags(&old, from) == 0)
			continue;
		memcpy(p.bytes, from, old.address_length);
		p.length = from[old.address_length];
		to = probe(t, f, &p);
		memcpy(to, from, old.stride);
		f->count++;
	}
	free(old.slots);
	t->generation++;
}

/* Empties slot i and closes the gap behind it (algorithm R). */
static void
remove_at(const struct fib_table *t, struct family_table *f, size_t i)
{
	size_t mask = f->capacity - 1, j = i, home;
	uint8_t *slot;

	for (;;) {
		memset(slot_at(f, i), 0, f->stride);
		for (;;) {
			j = (j + 1) & mask;
			slot = slot_at(f, j);
			if (slot_flags(f, slot) == 0)
				return;
			home = home_slot(t, f, slot);
			/* Stays unless its home lies cyclically in (i, j]. */
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		memcpy(slot_at(f, i), slot, f->stride);
		i = j;
	}
}

static void
count_flags(struct fib_table *t, uint8_t before, uint8_t after)
{
	unsigned b;

	for (b = 0; b < FIB_FLAG_BITS; b++) {
		uint8_t bit = (uint8_t)(1u << b);

		if ((before & bit) && !(after & bit))
			t->flag_count[b]--;
		else if (!(before & bit) && (after & bit))
			t->flag_count[b]++;
	}
}

uint8_t
fib_table_get(const struct fib_table *t, const struct prefix *p)
{
	const struct family_table *f = family_of_const(t, p->family);

	return slot_flags(f, probe(t, f, p));
}

uint8_t
fib_table_update(struct fib_table *t, const struct prefix *p, uint8_t set,
    uint8_t clear)
{
	struct family_table *f = family_of(t, p->family);
	uint8_t *slot = probe(t, f, p), before = slot_flags(f, slot), after;

	after = (uint8_t)((before | set) & ~clear);
	if (before == after)
		return after;
	count_flags(t, before, after);
	if (before == 0) {
		memcpy(slot, p->bytes, f->address_length);
		slot[f->address_length] = p->length;
		slot[f->address_length + 1] = after;
		if (++f->count * 10 >= f->capacity * 7)
			resize(t, f, f->capacity * 2);
	} else if (after == 0) {
		remove_at(t, f, (size_t)(slot - f->slots) / f->stride);
		if (--f->count * 8 < f->capacity && f->capacity > MIN_SLOTS)
			resize(t, f, f->capacity / 2);
	} else {
		slot[f->address_length + 1] = after;
	}
	return after;
}

size_t
fib_table_count(const struct fib_table *t, uint8_t flag)
{
	unsigned b;

	if (flag == 0)
		return t->families[0].count + t->families[1].count;
	for (b = 0; b < FIB_FLAG_BITS; b++)
		if (flag == (1u << b))
			return t->flag_count[b];
	return 0;
}

size_t
fib_table_bytes(const struct fib_table *t)
{
	return t->families[0].capacity * t->families[0].stride +
	    t->families[1].capacity * t->families[1].stride;
}

void
fib_table_cursor_init(struct fib_table_cursor *cursor)
{
	memset(cursor, 0, sizeof(*cursor));
}

bool
fib_table_next(const struct fib_table *t, uint8_t flags,
    struct fib_table_cursor *cursor, struct prefix *out, uint8_t *out_flags)
{
	const struct family_table *f;
	const uint8_t *slot;
	size_t i;

	if (cursor->generation != t->generation) {
		cursor->generation = t->generation;
		cursor->family = 0;
		cursor->slot = 0;
	}
	for (; cursor->family < 2; cursor->family++, cursor->slot = 0) {
		f = &t->families[cursor->family];
		for (i = cursor->slot; i < f->capacity; i++) {
			slot = slot_at(f, i);
			if ((slot_flags(f, slot) & flags) == 0)
				continue;
			cursor->slot = i;
			memset(out, 0, sizeof(*out));
			out->family = cursor->family == 0 ? FAMILY_IPV4 :
			    FAMILY_IPV6;
			out->length = slot[f->address_length];
			memcpy(out->bytes, slot, f->address_length);
			*out_flags = slot_flags(f, slot);
			return true;
		}
	}
	return false;
}
