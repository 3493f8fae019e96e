/*
 * test_rib_bench.c - time and memory of the RIB at full-table scale (built
 * by `make check`, not run by it: it measures, it does not judge).
 *
 *   tests/unit/test_rib_bench [PREFIXES [ATTRIBUTE_SETS]]
 *
 * Inserts PREFIXES IPv4 /24s (default 1,000,000) with ATTRIBUTE_SETS
 * distinct attribute sets (default 10,000) from one eBGP source, then
 * dumps them to one eBGP peer through the Adj-RIB-Out, then removes the
 * source.  Prints elapsed time and the process RSS after each phase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adjout.h"
#include "route_fixture.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size in KiB, from /proc/self/status. */
static long
rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

static void
report(const char *phase, double start, long rss_before)
{
	long rss = rss_kib();

	printf("%-28s %7.3f s  RSS %7.1f MiB (%+.1f MiB)\n", phase,
	    now() - start, rss / 1024.0, (rss - rss_before) / 1024.0);
}

int
main(int argc, char **argv)
{
	uint32_t count = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) :
	    1000000, sets = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) :
	    10000, i, asns[3];
	struct route_source source, peer;
	static struct path_attrs pa;
	static uint8_t msg[BGP_MAX_MSG_LEN];
	struct adjout_params params;
	struct attr_stats astats;
	struct rib_stats stats;
	struct attr **attrs;
	struct adjout *out;
	struct rib *rib;
	struct prefix p;
	size_t messages = 0, bytes = 0, len;
	long rss0;
	double t;

	if (count == 0 || sets == 0 || count > (1u << 23))
		return 2;
	attr_init();
	fixture_source(&source, 1, FIX_EBGP, 65002, 0x0a000002, "172.18.0.2");
	fixture_source(&peer, 2, FIX_EBGP, 65003, 0x0a000003, "172.18.0.3");
	rss0 = rss_kib();
	t = now();
	attrs = calloc(sets, sizeof(*attrs));
	for (i = 0; i < sets; i++) {
		asns[0] = 65002;
		asns[1] = 64512 + i % 1000;
		asns[2] = 4200000000u + i;
		fixture_pa(&pa, "172.18.0.2", asns, 3);
		attrs[i] = attr_intern(&pa);
	}
	rib = rib_create(8);
	report("attribute sets", t, rss0);
	t = now();
	for (i = 0; i < count; i++) {
		asns[1] = 64512 + i % sets % 1000;
		asns[2] = 4200000000u + i % sets;
		fixture_pa(&pa, "172.18.0.2", asns, 3);
		attr_unref(attr_intern(&pa));
	}
	printf("  attr_intern of an existing set: %.0f ns each (with the "
	    "path_attrs set-up)\n", (now() - t) * 1e9 / count);
	t = now();
	for (i = 0; i < count; i++) {
		p = fixture_prefix_v4(i);
		rib_update(rib, &source, &p, attrs[(i * 2654435761u) % sets],
		    0);
	}
	rib_get_stats(rib, &stats);
	report("insert", t, rss0);
	printf("  %zu prefixes, %zu nodes, %zu paths, pool bytes in use %zu "
	    "(%.1f per prefix)\n", stats.prefixes[FAMILY_IPV4], stats.nodes,
	    stats.paths, stats.bytes, (double)stats.bytes / count);
	attr_get_stats(&astats);
	printf("  %zu attribute sets, %zu bytes; AS paths %zu, %zu bytes\n",
	    astats.attr_count, astats.attr_bytes,
	    astats.blob_count[BLOB_AS_PATH], astats.blob_bytes[BLOB_AS_PATH]);

	memset(&params, 0, sizeof(params));
	params.peer_source = &peer;
	params.codec.as4 = params.codec.ipv4 = true;
	params.local_as = 65001;
	params.remote_as = 65003;
	params.next_hop_self = true;
	params.export = EXPORT_ALL;
	ip_addr_parse("172.18.0.1", &params.self_v4.global);
	params.max_message = BGP_MAX_MSG_LEN;
	t = now();
	out = adjout_create(rib, &params, NULL, NULL);
	adjout_start(out);
	while (adjout_pending(out)) {
		if ((len = adjout_next_message(out, msg, sizeof(msg))) > 0) {
			messages++;
			bytes += len;
		}
	}
	report("full dump to one peer", t, rss0);
	printf("  %zu UPDATEs, %zu bytes, %.1f prefixes per UPDATE\n",
	    messages, bytes, (double)count / (double)messages);

	t = now();
	rib_remove_source(rib, &source);
	report("remove source (withdraws)", t, rss0);
	messages = 0;
	while ((len = adjout_next_message(out, msg, sizeof(msg))) > 0)
		messages++;
	printf("  %zu withdraw UPDATEs\n", messages);
	adjout_destroy(out);
	rib_destroy(rib);
	for (i = 0; i < sets; i++)
		attr_unref(attrs[i]);
	free(attrs);
	attr_shutdown();
	return 0;
}
