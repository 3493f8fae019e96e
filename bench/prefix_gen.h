/*
 * prefix_gen.h - the benchmark's table: N distinct prefixes, the same on
 * every run and in every tool (the generator announces them, the kernel
 * limit tool installs them).
 */
#ifndef FLATBGP_BENCH_PREFIX_GEN_H
#define FLATBGP_BENCH_PREFIX_GEN_H

#include <stddef.h>

#include "prefix.h"

/*
 * Fills out[0..count-1] with count distinct, non-overlapping prefixes of
 * family (FAMILY_IPV4 or FAMILY_IPV6), in ascending address order.
 * Lengths follow a fixed mix close to a full table's (IPv4: 3/4 /24,
 * the rest /20-/23; IPv6: 3/4 /48, the rest /44-/47).  IPv4 starts at
 * 20.0.0.0 and IPv6 at 2a00::, far from the 10.99.0.0/16 and fd99::/16
 * of the test LANs.  Fatal if count prefixes do not fit below
 * 224.0.0.0 (about 7 million).
 */
void prefix_gen(int family, size_t count, struct prefix *out);

#endif /* FLATBGP_BENCH_PREFIX_GEN_H */
