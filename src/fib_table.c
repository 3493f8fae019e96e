/*
 * fib_table.c - prefix to flag bits, one compact hash per family.
 *
 * A slot is the address bytes (4 or 16), the prefix length and the
 * flags; flags 0 marks an empty slot, SLOT_DELETED a removed entry.
 * Linear probing keeps a lookup in one or two cache lines.
 *
 * The flush removes the entries it walks over while new ones keep
 * arriving everywhere.  Walked in slot order, the part of the table
 * behind the walk empties and the part ahead fills up to nearly every
 * slot at a global load of 70 %: probes there ran for thousands of
 * slots (a million queued routes took minutes).  So a walk visits runs
 * of slots in a scattered order (walk_slot), and removed entries stay as
 * tombstones until the next rebuild instead of shifting the rest of
 * their cluster back (Knuth 6.4, algorithm R), which could move an
 * entry to a slot the walk has passed; an insertion reuses the first
 * tombstone on its way.  A table is rebuilt when
 * live entries and tombstones reach 80 % of it: twice the size if the
 * live ones alone fill two thirds of it, the same size otherwise (which
 * only drops tombstones); half the size below 1/8 live, down to 64
 * slots.  The FIB queue of a table arriving faster than the kernel
 * takes it holds about two thirds of the table at its peak: a million
 * routes then fit 2^20 slots (6 MiB).
 * See fib_table.h for what the flags mean.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "fib_table.h"
#include "log.h"

#define MIN_SLOTS	64
#define SLOT_DELETED	0x80	/* not a flag: a tombstone */
#define WALK_RUN	64	/* slots a walk reads in order */

struct family_table {
	uint8_t		*slots;
	size_t		 capacity;	/* power of two */
	size_t		 count;
	size_t		 deleted;	/* tombstones */
	uint8_t		 address_length;	/* 4 or 16 */
	uint8_t		 stride;	/* address, length, flags, tag */
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

static uint8_t
slot_tag(const struct family_table *f, const uint8_t *slot)
{
	return slot[f->address_length + 2];
}

static void
slot_set_tag(const struct family_table *f, uint8_t *slot, uint8_t tag)
{
	slot[f->address_length + 2] = tag;
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

static void
family_init(struct family_table *f, uint8_t address_length, size_t capacity)
{
	f->address_length = address_length;
	f->stride = address_length + 3;
	f->capacity = capacity;
	f->count = 0;
	f->deleted = 0;
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

/*
 * The slot holding p, or NULL; *vacant (if not NULL) is then where p
 * would go: the first tombstone on the way, else the empty slot that
 * ends the cluster.
 */
static uint8_t *
probe(const struct fib_table *t, const struct family_table *f,
    const struct prefix *p, uint8_t **vacant)
{
	size_t mask = f->capacity - 1;
	size_t i = hash_key(t, p->bytes, f->address_length, p->length) & mask;
	uint8_t *slot, *tombstone = NULL, flags;

	for (;; i = (i + 1) & mask) {
		slot = slot_at(f, i);
		flags = slot_flags(f, slot);
		if (flags == 0) {
			if (vacant != NULL)
				*vacant = tombstone != NULL ? tombstone : slot;
			return NULL;
		}
		if (flags == SLOT_DELETED) {
			if (tombstone == NULL)
				tombstone = slot;
			continue;
		}
		if (slot[f->address_length] == p->length &&
		    memcmp(slot, p->bytes, f->address_length) == 0)
			return slot;
	}
}

/*
 * The slot a walk visits at position i: runs of WALK_RUN slots (a few
 * cache lines, read in order), the runs themselves in a scattered
 * order (an odd multiplier permutes the runs of a power-of-two table).
 * A walk that removes what it visits thus empties the table evenly; in
 * slot order it would empty the part behind it only, while new entries
 * pile up in the part ahead.
 */
static size_t
walk_slot(const struct family_table *f, size_t i)
{
	size_t runs = f->capacity / WALK_RUN;

	if (runs <= 1)
		return i;
	return (((i / WALK_RUN) * 0x9e3779b1u) & (runs - 1)) * WALK_RUN +
	    i % WALK_RUN;
}

/* Rehashes the live entries into capacity slots; no tombstones after. */
static void
rebuild(struct fib_table *t, struct family_table *f, size_t capacity)
{
	struct family_table old = *f;
	struct prefix p;
	uint8_t *from, *to, flags;
	size_t i;

	family_init(f, old.address_length, capacity);
	memset(&p, 0, sizeof(p));
	for (i = 0; i < old.capacity; i++) {
		from = slot_at(&old, i);
		flags = slot_flags(&old, from);
		if (flags == 0 || flags == SLOT_DELETED)
			continue;
		memcpy(p.bytes, from, old.address_length);
		p.length = from[old.address_length];
		probe(t, f, &p, &to);
		memcpy(to, from, old.stride);
		f->count++;
	}
	free(old.slots);
	t->generation++;
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
	const uint8_t *slot = probe(t, f, p, NULL);

	return slot != NULL ? slot_flags(f, slot) : 0;
}

/*
 * fib_table_update() with the tag to leave on the entry (set includes
 * FIB_DIRTY) or -1 (the tag stays, or is reset by FIB_DIRTY).
 */
static uint8_t
update(struct fib_table *t, const struct prefix *p, uint8_t set,
    uint8_t clear, int tag)
{
	struct family_table *f = family_of(t, p->family);
	uint8_t *vacant = NULL, *slot = probe(t, f, p, &vacant), before, after;

	before = slot != NULL ? slot_flags(f, slot) : 0;
	after = (uint8_t)((before | set) & ~clear);
	if (slot != NULL && (set & FIB_DIRTY))
		slot_set_tag(f, slot, tag < 0 ? 0 : (uint8_t)tag);
	if (before == after)
		return after;
	count_flags(t, before, after);
	if (before == 0) {
		if (slot_flags(f, vacant) == SLOT_DELETED)
			f->deleted--;
		memcpy(vacant, p->bytes, f->address_length);
		vacant[f->address_length] = p->length;
		vacant[f->address_length + 1] = after;
		slot_set_tag(f, vacant, tag < 0 ? 0 : (uint8_t)tag);
		f->count++;
		if ((f->count + f->deleted) * 10 >= f->capacity * 8)
			rebuild(t, f, f->count * 3 >= f->capacity * 2 ?
			    f->capacity * 2 : f->capacity);
	} else if (after == 0) {
		slot[f->address_length + 1] = SLOT_DELETED;
		f->count--;
		f->deleted++;
		if (f->count * 8 < f->capacity && f->capacity > MIN_SLOTS)
			rebuild(t, f, f->capacity / 2);
	} else {
		slot[f->address_length + 1] = after;
	}
	return after;
}

uint8_t
fib_table_update(struct fib_table *t, const struct prefix *p, uint8_t set,
    uint8_t clear)
{
	return update(t, p, set, clear, -1);
}

void
fib_table_queue(struct fib_table *t, const struct prefix *p, uint8_t tag)
{
	update(t, p, FIB_DIRTY, 0, tag);
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
			slot = slot_at(f, walk_slot(f, i));
			if ((slot_flags(f, slot) & flags) == 0 ||
			    slot_flags(f, slot) == SLOT_DELETED)
				continue;
			cursor->slot = i;
			memset(out, 0, sizeof(*out));
			out->family = cursor->family == 0 ? FAMILY_IPV4 :
			    FAMILY_IPV6;
			out->length = slot[f->address_length];
			memcpy(out->bytes, slot, f->address_length);
			*out_flags = slot_flags(f, slot);
			cursor->tag = slot_tag(f, slot);
			return true;
		}
	}
	return false;
}
