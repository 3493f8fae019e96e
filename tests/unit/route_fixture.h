/*
 * route_fixture.h - building blocks for the route tests: sources,
 * prefixes and attribute sets in a line each.  Shared by test_attr,
 * test_rib, test_decide, test_adjout and test_policy.
 */
#ifndef FLATBGP_ROUTE_FIXTURE_H
#define FLATBGP_ROUTE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "bgp_msg.h"
#include "prefix.h"
#include "rib.h"

enum fixture_kind { FIX_EBGP, FIX_IBGP, FIX_LOCAL };

/* A source; address is a literal ("192.0.2.1"). */
static inline void
fixture_source(struct route_source *s, uint32_t id, enum fixture_kind kind,
    uint32_t remote_as, uint32_t router_id, const char *address)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->local = kind == FIX_LOCAL;
	s->ibgp = kind == FIX_IBGP;
	s->remote_as = remote_as;
	s->router_id = router_id;
	if (ip_addr_parse(address, &s->address) == -1)
		abort();
	s->name = address;
}

static inline struct prefix
fixture_prefix(const char *text)
{
	struct prefix p;

	if (prefix_parse(text, &p, false) != 0)
		abort();
	return p;
}

/* The i-th IPv4 /24 from 1.0.0.0/24 up (i < 2^24 - 2^16). */
static inline struct prefix
fixture_prefix_v4(uint32_t i)
{
	uint32_t address = 0x01000000u + (i << 8);
	uint8_t bytes[16] = { (uint8_t)(address >> 24),
	    (uint8_t)(address >> 16), (uint8_t)(address >> 8), 0 };
	struct prefix p;

	prefix_set(&p, FAMILY_IPV4, 24, bytes);
	return p;
}

/*
 * path_attrs with ORIGIN IGP, the AS_SEQUENCE asns (count may be 0)
 * and a next hop (NULL: none).  The AS path lives in pa->as_path_buf.
 */
static inline void
fixture_pa(struct path_attrs *pa, const char *nexthop, const uint32_t *asns,
    size_t count)
{
	size_t i, len = 0;

	memset(pa, 0, offsetof(struct path_attrs, as_path_buf));
	pa->present = PA_ORIGIN | PA_AS_PATH;
	pa->origin = BGP_ORIGIN_IGP;
	if (count > 0) {
		pa->as_path_buf[len++] = BGP_AS_SEQUENCE;
		pa->as_path_buf[len++] = (uint8_t)count;
		for (i = 0; i < count; i++) {
			pa->as_path_buf[len++] = (uint8_t)(asns[i] >> 24);
			pa->as_path_buf[len++] = (uint8_t)(asns[i] >> 16);
			pa->as_path_buf[len++] = (uint8_t)(asns[i] >> 8);
			pa->as_path_buf[len++] = (uint8_t)asns[i];
		}
	}
	pa->as_path.data = pa->as_path_buf;
	pa->as_path.len = (uint16_t)len;
	if (nexthop != NULL) {
		if (ip_addr_parse(nexthop, &pa->nexthop.global) == -1)
			abort();
		if (pa->nexthop.global.family == FAMILY_IPV4)
			pa->present |= PA_NEXT_HOP;
	}
}

/* Interned attributes for fixture_pa(); med < 0: none. */
static inline struct attr *
fixture_attr(const char *nexthop, uint32_t first_as, long med)
{
	static struct path_attrs pa;

	fixture_pa(&pa, nexthop, &first_as, first_as ? 1 : 0);
	if (med >= 0) {
		pa.present |= PA_MED;
		pa.med = (uint32_t)med;
	}
	return attr_intern(&pa);
}

#endif /* FLATBGP_ROUTE_FIXTURE_H */
