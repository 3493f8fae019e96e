/*
 * pool.h - fixed-size slots addressed by 32-bit indices.
 *
 * The RIB and the Adj-RIB-Out hold one object per prefix; a malloc per
 * object would cost a header and a call each, and 64-bit pointers
 * between them would cost more than the data.  A pool hands out slots
 * of one size from large chunks and names them by a 32-bit index
 * (0 is never a valid index, so it serves as NULL).  Freed slots go on
 * a free list and are reused first.  Chunks are aligned to their size,
 * so the index of a slot can also be recovered from its address.
 */
#ifndef FLATBGP_POOL_H
#define FLATBGP_POOL_H

#include <stddef.h>
#include <stdint.h>

#define POOL_CHUNK_SHIFT	18	/* 256 KiB chunks */
#define POOL_CHUNK_SIZE		((size_t)1 << POOL_CHUNK_SHIFT)
#define POOL_SLOT_BITS		16	/* slots per chunk < 65536 */

struct pool {
	uint8_t		**chunks;	/* by chunk number */
	uint32_t	  chunk_count;
	uint32_t	  chunk_alloc;
	uint32_t	  slot_size;
	uint32_t	  slots_per_chunk;
	uint32_t	  free_head;	/* index of a freed slot, 0 if none */
	uint32_t	  fresh;	/* next never used slot of last chunk */
	size_t		  in_use;	/* slots handed out */
};

/* slot_size is rounded up to a multiple of 4 (at least 4). */
void pool_init(struct pool *pool, size_t slot_size);
/* Releases every chunk; all indices become invalid. */
void pool_destroy(struct pool *pool);
/* Returns the index of a zeroed slot.  Cannot fail (fatal on OOM). */
uint32_t pool_alloc(struct pool *pool);
void pool_free(struct pool *pool, uint32_t index);
/* Index of the slot at ptr (a pointer pool_ptr() returned). */
uint32_t pool_index(const struct pool *pool, const void *ptr);
/* Bytes of the slots in use, and of all chunks mapped. */
size_t pool_bytes_in_use(const struct pool *pool);
size_t pool_bytes_mapped(const struct pool *pool);

/* The slot named by index; NULL for index 0. */
static inline void *
pool_ptr(const struct pool *pool, uint32_t index)
{
	if (index == 0)
		return NULL;
	return pool->chunks[index >> POOL_SLOT_BITS] +
	    (size_t)(index & ((1u << POOL_SLOT_BITS) - 1)) * pool->slot_size;
}

#endif /* FLATBGP_POOL_H */
