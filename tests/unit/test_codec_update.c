/*
 * test_codec_update.c - UPDATE decoding (RFC 4271 §4.3, RFC 4760, RFC
 * 8950): every attribute type, both NLRI kinds, next hops, End-of-RIB
 * (RFC 4724 §2), and the speed of a full 4096-byte UPDATE.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "test_codec_util.h"

#define ORIGIN		"40 01 01 00"
#define AS_PATH		"40 02 0a 02 02 0000fde9 0000fdea"
#define NEXT_HOP	"40 03 04 c0000201"

static struct bgp_update u;
static struct bgp_error err;
static char text[4096];

static void
test_ipv4_all_attributes(void)
{
	struct bgp_codec_ctx ctx = codec_ctx(true, true);
	char as[128];

	is_int(parse_update_hex("18 c0a801 10 ac10",
	    "40 01 01 01" AS_PATH NEXT_HOP "80 04 04 00000032"
	    "40 05 04 000000c8 40 06 00 c0 07 08 0000fdea c0000202"
	    "c0 08 08 fde90064 ffffff01 80 09 04 c0000203"
	    "80 0a 08 01010101 02020202"
	    "c0 10 08 0002fde900000064 c0 20 0c 0000fde9 00000001 00000002",
	    "08 0a 18 c00002 20 c6336401 00", &ctx, &u, &err), 0,
	    "UPDATE with every attribute type");
	is_int(u.action, UPDATE_OK, "accepted");
	is_int(u.warning_count, 0, "no warnings");
	is_str(nlri_text(u.withdrawn, text, sizeof(text)),
	    "192.168.1.0/24 172.16.0.0/16", "withdrawn routes");
	is_str(nlri_text(u.announced, text, sizeof(text)),
	    "10.0.0.0/8 192.0.2.0/24 198.51.100.1/32 0.0.0.0/0", "NLRI");
	is_int(u.attrs.origin, BGP_ORIGIN_EGP, "ORIGIN");
	is_str(as_path_format(u.attrs.as_path.data, u.attrs.as_path.len, as,
	    sizeof(as)), "65001 65002", "AS_PATH");
	is_str(ip_addr_format(&u.attrs.nexthop.global, text, sizeof(text)),
	    "192.0.2.1", "NEXT_HOP");
	ok(u.attrs.med == 50 && u.attrs.local_pref == 200, "MED, LOCAL_PREF");
	ok(u.attrs.aggregator_as == 65002 && u.attrs.aggregator_id ==
	    0xc0000202, "AGGREGATOR");
	ok(bytes_equal_hex(u.attrs.communities.data, u.attrs.communities.len,
	    "fde90064 ffffff01"), "COMMUNITIES");
	ok(u.attrs.originator_id == 0xc0000203, "ORIGINATOR_ID");
	ok(bytes_equal_hex(u.attrs.cluster_list.data,
	    u.attrs.cluster_list.len, "01010101 02020202"), "CLUSTER_LIST");
	ok(bytes_equal_hex(u.attrs.ext_communities.data,
	    u.attrs.ext_communities.len, "0002fde900000064"),
	    "EXTENDED COMMUNITIES");
	ok(bytes_equal_hex(u.attrs.large_communities.data,
	    u.attrs.large_communities.len, "0000fde9 00000001 00000002"),
	    "LARGE_COMMUNITY");
	is_int(u.attrs.present, PA_ORIGIN | PA_AS_PATH | PA_NEXT_HOP | PA_MED |
	    PA_LOCAL_PREF | PA_ATOMIC_AGGREGATE | PA_AGGREGATOR |
	    PA_COMMUNITIES | PA_ORIGINATOR_ID | PA_CLUSTER_LIST |
	    PA_EXT_COMMUNITIES | PA_LARGE_COMMUNITIES, "present bits");
	ok(u.attrs.as_path.data >= test_update_body && u.attrs.as_path.data <
	    test_update_body + sizeof(test_update_body),
	    "4-octet AS_PATH points into the message");
	ok(!u.end_of_rib, "not an End-of-RIB");
}

static void
test_ipv6(void)
{
	struct bgp_codec_ctx ctx = codec_ctx(true, false);

	is_int(parse_update_hex("", ORIGIN AS_PATH
	    "90 0e 0033 0002 01 20 20010db8000000000000000000000001"
	    "fe800000000000000000000000000001 00 20 20010db8 40 20010db800010002",
	    "", &ctx, &u, &err), 0, "MP_REACH_NLRI IPv6 (extended length)");
	is_int(u.action, UPDATE_OK, "accepted");
	is_int(u.mp_announced.family, FAMILY_IPV6, "MP family");
	is_str(nlri_text(u.mp_announced, text, sizeof(text)),
	    "2001:db8::/32 2001:db8:1:2::/64", "MP NLRI");
	is_str(ip_addr_format(&u.attrs.nexthop.global, text, sizeof(text)),
	    "2001:db8::1", "global next hop");
	is_str(ip_addr_format(&u.attrs.nexthop.link_local, text,
	    sizeof(text)), "fe80::1", "link-local next hop");
	ok(memcmp(&u.mp_nexthop, &u.attrs.nexthop, sizeof(u.mp_nexthop)) == 0,
	    "mp_nexthop is attrs.nexthop");
	ok((u.attrs.present & (PA_MP_REACH | PA_NEXT_HOP)) ==
	    (PA_MP_REACH | PA_NEXT_HOP), "PA_MP_REACH and PA_NEXT_HOP");

	parse_update_hex("", ORIGIN AS_PATH
	    "80 0e 2a 0002 01 20 20010db8000000000000000000000001"
	    "00000000000000000000000000000000 00 20 20010db8", "", &ctx, &u,
	    &err);
	is_int(u.attrs.nexthop.link_local.family, FAMILY_NONE,
	    "all-zero link-local ignored");

	is_int(parse_update_hex("", "80 0f 0b 0002 01 20 20010db8 10 2001", "",
	    &ctx, &u, &err), 0, "MP_UNREACH_NLRI IPv6");
	is_str(nlri_text(u.mp_withdrawn, text, sizeof(text)),
	    "2001:db8::/32 2001::/16", "MP withdrawn");
	ok(!u.end_of_rib, "withdrawal is not an End-of-RIB");

	/* RFC 8950: IPv4 NLRI, IPv6 next hop. */
	is_int(parse_update_hex("", ORIGIN AS_PATH
	    "80 0e 1b 0001 01 10 20010db8000000000000000000000001 00"
	    "18 c00002 08 0a", "", &ctx, &u, &err), 0, "RFC 8950 UPDATE");
	ok(u.action == UPDATE_OK && u.mp_announced.family == FAMILY_IPV4 &&
	    u.attrs.nexthop.global.family == FAMILY_IPV6,
	    "IPv4 NLRI with IPv6 next hop");
	is_str(nlri_text(u.mp_announced, text, sizeof(text)),
	    "192.0.2.0/24 10.0.0.0/8", "RFC 8950 NLRI");

	/* IPv4 unicast in MP_REACH with a 4-byte next hop. */
	parse_update_hex("", ORIGIN AS_PATH
	    "80 0e 0d 0001 01 04 c0000202 00 18 c00002", "", &ctx, &u, &err);
	ok(u.action == UPDATE_OK && u.attrs.nexthop.global.family ==
	    FAMILY_IPV4 && u.attrs.nexthop.global.bytes[3] == 2,
	    "IPv4 in MP_REACH with an IPv4 next hop");

	/* RFC 7606 §5.1: both NLRI kinds; NEXT_HOP for the classic ones. */
	parse_update_hex("", ORIGIN AS_PATH NEXT_HOP
	    "80 0e 1a 0002 01 10 20010db8000000000000000000000001 00"
	    "20 20010db8", "08 0a", &ctx, &u, &err);
	ok(u.action == UPDATE_OK && u.attrs.nexthop.global.family ==
	    FAMILY_IPV4 && u.mp_nexthop.global.family == FAMILY_IPV6,
	    "mixed UPDATE: NEXT_HOP in attrs, MP next hop in mp_nexthop");

	/* RFC 7606 §5.2: NEXT_HOP with MP_REACH only is ignored. */
	parse_update_hex("", ORIGIN AS_PATH NEXT_HOP
	    "80 0e 1a 0002 01 10 20010db8000000000000000000000001 00"
	    "20 20010db8", "", &ctx, &u, &err);
	is_int(u.attrs.nexthop.global.family, FAMILY_IPV6,
	    "NEXT_HOP ignored without classic NLRI");
}

static void
test_end_of_rib(void)
{
	struct bgp_codec_ctx ctx = codec_ctx(true, false);

	is_int(parse_update_hex("", "", "", &ctx, &u, &err), 0, "empty UPDATE");
	ok(u.end_of_rib && u.end_of_rib_family == FAMILY_IPV4,
	    "IPv4 End-of-RIB");
	parse_update_hex("", "80 0f 03 0002 01", "", &ctx, &u, &err);
	ok(u.end_of_rib && u.end_of_rib_family == FAMILY_IPV6,
	    "IPv6 End-of-RIB");
	parse_update_hex("", "80 0f 03 0001 01", "", &ctx, &u, &err);
	ok(u.end_of_rib && u.end_of_rib_family == FAMILY_IPV4,
	    "IPv4 End-of-RIB in MP_UNREACH");
	parse_update_hex("", "80 0f 03 0002 01" ORIGIN, "", &ctx, &u, &err);
	ok(!u.end_of_rib, "MP_UNREACH with another attribute is not one");
	parse_update_hex("08 0a", "", "", &ctx, &u, &err);
	ok(!u.end_of_rib, "a withdrawal is not one");
	parse_update_hex("", "80 0f 03 0001 80", "", &ctx, &u, &err);
	ok(!u.end_of_rib, "another SAFI is not ours");
}

static void
test_nlri_next(void)
{
	struct nlri_block block;
	struct prefix p;
	uint8_t bytes[] = { 0x1c, 0x0a, 0x01, 0x02, 0x3f };

	block.family = FAMILY_IPV4;
	cursor_init(&block.cursor, bytes, sizeof(bytes));
	ok(nlri_next(&block, &p) && p.length == 28 && p.bytes[3] == 0x30,
	    "host bits cleared (10.1.2.63/28 -> 10.1.2.48/28)");
	ok(!nlri_next(&block, &p), "end of block");
	cursor_init(&block.cursor, bytes, 2);
	ok(!nlri_next(&block, &p), "a truncated block ends, never overreads");
	memset(&block, 0, sizeof(block));
	ok(!nlri_next(&block, &p), "an absent block is empty");
}

/* 800 /24 and /16 prefixes in one 4096-byte UPDATE. */
static void
test_speed(void)
{
	static uint8_t body[BGP_MAX_MSG_LEN];
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	struct wbuf w;
	struct prefix p;
	struct timespec start, end;
	size_t count = 0, i, len;
	double ns;
	int failures = 0;

	wbuf_init(&w, body, sizeof(body));
	len = update_body(body, sizeof(body), "", ORIGIN AS_PATH NEXT_HOP
	    "c0 08 04 fde90064", "");
	w.len = len;
	for (i = 0; w.len + 4 <= sizeof(body) - BGP_HEADER_LEN; i++) {
		wbuf_put_u8(&w, 24);
		wbuf_put_u8(&w, 10);
		wbuf_put_u8(&w, (uint8_t)(i >> 8));
		wbuf_put_u8(&w, (uint8_t)i);
	}
	len = w.len;
	ok(i >= 800 && len <= BGP_MAX_MSG_LEN - BGP_HEADER_LEN,
	    "%zu prefixes in a %zu-byte body", i, len);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < 10000; i++) {
		if (bgp_msg_parse_update(body, len, &ctx, &u, &err) != 0)
			failures++;
		count = 0;
		while (nlri_next(&u.announced, &p))
			count++;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	ns = ((double)(end.tv_sec - start.tv_sec) * 1e9 +
	    (double)(end.tv_nsec - start.tv_nsec)) / 10000;
	ok(failures == 0 && count >= 800, "parsed and iterated %zu prefixes",
	    count);
	tap_diag("parse + iterate of a full UPDATE: %.1f us", ns / 1000);
	/* Generous bound (sanitizer builds included): well under 1 ms. */
	ok(ns < 1e6, "a full UPDATE in under 1 ms (%.1f us)", ns / 1000);
}

int
main(void)
{
	test_ipv4_all_attributes();
	test_ipv6();
	test_end_of_rib();
	test_nlri_next();
	test_speed();
	return tap_done();
}
