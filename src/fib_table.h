/*
 * fib_table.h - the little the FIB remembers per prefix.
 *
 * Most routes cost nothing here: a route the RIB wants and whose next
 * hops resolve is installed, and fib.c derives that from the RIB and
 * the connected networks whenever it needs it.  Only prefixes in an
 * exceptional state have an entry, a few flag bits:
 *
 *  - FIB_DIRTY: queued for the kernel.  This is the coalescing of
 *    changes: however often a prefix changes before the next flush, it
 *    is queued once and synced once, with the state of that moment;
 *  - FIB_STALE: a route of ours found in the kernel (left by an
 *    earlier run) that the RIB has not confirmed yet;
 *  - FIB_FOREIGN: a route of another owner holds our key (prefix,
 *    table, metric, tos 0): never replaced, never deleted;
 *  - FIB_FAILED: the kernel refused our route;
 *  - FIB_REPORTED: the conflict of a foreign route was logged (once).
 *
 * One open-addressing table per family, linear probing, tombstones
 * dropped when the table is rebuilt (fib_table.c says why), slots of 7
 * (IPv4) or 19 (IPv6) bytes: address, length, flags, tag; a slot with
 * no flags is empty.  The
 * hash is keyed with random bytes per table, so a peer choosing its
 * prefixes cannot choose our probe sequences.  Pure: no sockets.
 */
#ifndef FLATBGP_FIB_TABLE_H
#define FLATBGP_FIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prefix.h"

#define FIB_DIRTY	0x01
#define FIB_STALE	0x02
#define FIB_FOREIGN	0x04
#define FIB_FAILED	0x08
#define FIB_REPORTED	0x10	/* the conflict was logged */
#define FIB_FLAG_BITS	5

struct fib_table;

/*
 * A position in a walk (slot counts positions; the walk visits the
 * slots in a scattered order).  A walk survives updates between calls,
 * but starts over after the table was resized (entries move).
 */
struct fib_table_cursor {
	uint8_t		 family;
	uint32_t	 generation;
	size_t		 slot;
	uint8_t		 tag;		/* of the entry fib_table_next() gave */
};

/* Cannot fail (fatal on out-of-memory). */
struct fib_table *fib_table_create(void);
void fib_table_free(struct fib_table *t);
/* The flags of p, 0 if it has no entry. */
uint8_t fib_table_get(const struct fib_table *t, const struct prefix *p);
/*
 * Sets the bits of set, then clears those of clear; creates the entry
 * or removes it (no flags left) as needed.  Returns the new flags.
 */
uint8_t fib_table_update(struct fib_table *t, const struct prefix *p,
    uint8_t set, uint8_t clear);
/*
 * Every entry also holds an 8-bit tag for fib.c (what the RIB wanted
 * when the prefix was queued, so the flush need not ask again), given
 * by the walk (fib_table_next) in cursor->tag.  fib_table_update()
 * resets it to 0 whenever it sets FIB_DIRTY: a prefix queued for any
 * other reason is looked up afresh.  fib_table_queue() sets FIB_DIRTY
 * and the tag.
 */
void fib_table_queue(struct fib_table *t, const struct prefix *p,
    uint8_t tag);
/* Entries with the one flag bit flag; with flag 0, all entries. */
size_t fib_table_count(const struct fib_table *t, uint8_t flag);
/* Bytes of slot memory. */
size_t fib_table_bytes(const struct fib_table *t);

void fib_table_cursor_init(struct fib_table_cursor *cursor);
/*
 * The next entry at or after the cursor with any of flags, IPv4 first:
 * returns true with *out and *out_flags set, and leaves the cursor on
 * it; false at the end.  A walk looks at the cursor's slot first,
 * because removing an entry may move another one into it: before
 * calling again, either clear one of flags on the entry returned (or
 * remove it), or step over it with cursor->slot++.
 */
bool fib_table_next(const struct fib_table *t, uint8_t flags,
    struct fib_table_cursor *cursor, struct prefix *out, uint8_t *out_flags);

#endif /* FLATBGP_FIB_TABLE_H */
