/*
 * prefix_set.h - a set of prefixes for counting what a peer or the
 * kernel holds: an announcement of a prefix already held, or the
 * withdrawal of one never seen, leaves the count alone.
 *
 * Prefixes are kept as 64-bit fingerprints (a strong hash of family,
 * length and address): two different prefixes of a million-route table
 * share one with a probability of about 3 in 100 million, and the set
 * costs 16 bytes a prefix.  The batch calls prefetch every slot first,
 * so a counting tool waits for memory once per batch, not per prefix.
 */
#ifndef FLATBGP_BENCH_PREFIX_SET_H
#define FLATBGP_BENCH_PREFIX_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "prefix.h"

struct prefix_set;

/* A set sized for about expected prefixes (it grows beyond). */
struct prefix_set *prefix_set_new(size_t expected);
void prefix_set_free(struct prefix_set *set);
/* Adds p; true if it was not in the set. */
bool prefix_set_add(struct prefix_set *set, const struct prefix *p);
/* Removes p; true if it was in the set. */
bool prefix_set_remove(struct prefix_set *set, const struct prefix *p);
/* Adds (or, with remove, removes) count prefixes; returns how many
 * changed the set. */
size_t prefix_set_apply(struct prefix_set *set, const struct prefix *p,
    size_t count, bool remove);
size_t prefix_set_count(const struct prefix_set *set);
void prefix_set_clear(struct prefix_set *set);

#endif /* FLATBGP_BENCH_PREFIX_SET_H */
