/*
 * pool.c - fixed-size slots from size-aligned chunks (see pool.h).
 *
 * Slot 0 of every chunk is its header: it holds the chunk number, which
 * pool_index() reads after masking a slot's address down to the chunk
 * start.  It also keeps index 0 (chunk 0, slot 0) from ever naming a
 * slot.  Chunks are mapped with mmap so that their alignment costs
 * address space only, and they are returned to the kernel by
 * pool_destroy(); until then freed slots are reused (LIFO).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "log.h"
#include "pool.h"

#define SLOT_MASK	((1u << POOL_SLOT_BITS) - 1)

void
pool_init(struct pool *pool, size_t slot_size)
{
	memset(pool, 0, sizeof(*pool));
	if (slot_size < sizeof(uint32_t))
		slot_size = sizeof(uint32_t);
	slot_size = (slot_size + 3) & ~(size_t)3;
	pool->slot_size = (uint32_t)slot_size;
	pool->slots_per_chunk = (uint32_t)(POOL_CHUNK_SIZE / slot_size);
	if (pool->slots_per_chunk > SLOT_MASK)
		pool->slots_per_chunk = SLOT_MASK;
}

void
pool_destroy(struct pool *pool)
{
	uint32_t i;

	for (i = 0; i < pool->chunk_count; i++)
		munmap(pool->chunks[i], POOL_CHUNK_SIZE);
	free(pool->chunks);
	pool_init(pool, pool->slot_size);
}

/*
 * Maps POOL_CHUNK_SIZE bytes aligned to POOL_CHUNK_SIZE: map twice the
 * size and give back the unaligned head and the tail.
 */
static uint8_t *
chunk_map(void)
{
	uint8_t *raw, *aligned;
	size_t head;

	raw = mmap(NULL, 2 * POOL_CHUNK_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		fatalx_oom();
	head = (POOL_CHUNK_SIZE - ((uintptr_t)raw & (POOL_CHUNK_SIZE - 1))) &
	    (POOL_CHUNK_SIZE - 1);
	aligned = raw + head;
	if (head > 0)
		munmap(raw, head);
	munmap(aligned + POOL_CHUNK_SIZE, POOL_CHUNK_SIZE - head);
	return aligned;
}

static void
pool_grow(struct pool *pool)
{
	uint8_t *chunk;

	if (pool->chunk_count == (1u << (32 - POOL_SLOT_BITS)) - 1)
		fatal("pool: more than %u chunks", pool->chunk_count);
	if (pool->chunk_count == pool->chunk_alloc) {
		pool->chunk_alloc = pool->chunk_alloc ? pool->chunk_alloc * 2 :
		    16;
		pool->chunks = xreallocarray(pool->chunks, pool->chunk_alloc,
		    sizeof(*pool->chunks));
	}
	chunk = chunk_map();
	memcpy(chunk, &pool->chunk_count, sizeof(pool->chunk_count));
	pool->chunks[pool->chunk_count++] = chunk;
	pool->fresh = 1;		/* slot 0 is the header */
}

uint32_t
pool_alloc(struct pool *pool)
{
	uint32_t index;
	void *slot;

	if (pool->free_head != 0) {
		index = pool->free_head;
		slot = pool_ptr(pool, index);
		memcpy(&pool->free_head, slot, sizeof(pool->free_head));
	} else {
		if (pool->chunk_count == 0 ||
		    pool->fresh == pool->slots_per_chunk)
			pool_grow(pool);
		index = (pool->chunk_count - 1) << POOL_SLOT_BITS | pool->fresh++;
		slot = pool_ptr(pool, index);
	}
	memset(slot, 0, pool->slot_size);
	pool->in_use++;
	return index;
}

void
pool_free(struct pool *pool, uint32_t index)
{
	void *slot = pool_ptr(pool, index);

	if (slot == NULL)
		return;
	memcpy(slot, &pool->free_head, sizeof(pool->free_head));
	pool->free_head = index;
	pool->in_use--;
}

uint32_t
pool_index(const struct pool *pool, const void *ptr)
{
	uintptr_t address = (uintptr_t)ptr;
	const uint8_t *base;
	uint32_t chunk;

	if (ptr == NULL)
		return 0;
	base = (const uint8_t *)(address & ~(uintptr_t)(POOL_CHUNK_SIZE - 1));
	memcpy(&chunk, base, sizeof(chunk));
	return chunk << POOL_SLOT_BITS |
	    (uint32_t)(((const uint8_t *)ptr - base) / pool->slot_size);
}

size_t
pool_bytes_in_use(const struct pool *pool)
{
	return pool->in_use * pool->slot_size;
}

size_t
pool_bytes_mapped(const struct pool *pool)
{
	return (size_t)pool->chunk_count * POOL_CHUNK_SIZE;
}
