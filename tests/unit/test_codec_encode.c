/*
 * test_codec_encode.c - the UPDATE builder: exact bytes for each
 * layout (classic IPv4, MP_REACH IPv6, RFC 8950, withdrawals,
 * End-of-RIB), attribute order and flags, iBGP-only attributes, round
 * trips through the parser, and the packing limit (no message above
 * the limit, every prefix out exactly once).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "test_codec_util.h"

#define HDR	"ffffffffffffffffffffffffffffffff"

static struct path_attrs pa;
static struct bgp_update u;
static struct bgp_error err;
static uint8_t buf[70000];
static char text[8192];

static void
attrs_basic(void)
{
	memset(&pa, 0, sizeof(pa));
	pa.present = PA_ORIGIN | PA_AS_PATH | PA_NEXT_HOP;
	pa.origin = BGP_ORIGIN_INCOMPLETE;
	pa.as_path.len = (uint16_t)hex_to_bytes("02 01 0000fde9",
	    pa.as_path_buf, sizeof(pa.as_path_buf));
	pa.as_path.data = pa.as_path_buf;
	ip_addr_parse("192.0.2.1", &pa.nexthop.global);
}

static struct prefix
pfx(const char *s)
{
	struct prefix p;

	if (prefix_parse(s, &p, false) != 0)
		abort();
	return p;
}

/* Builds one message of the given prefixes; returns its length. */
static size_t
build(const struct bgp_codec_ctx *ctx, const struct path_attrs *attrs,
    uint8_t family, const char *const *prefixes)
{
	struct bgp_update_builder b;
	struct wbuf w;
	struct prefix p;

	wbuf_init(&w, buf, sizeof(buf));
	if (bgp_update_begin(&b, &w, ctx, attrs, family) == -1)
		return 0;
	for (; *prefixes != NULL; prefixes++) {
		p = pfx(*prefixes);
		if (bgp_update_add(&b, &p) == -1)
			return 0;
	}
	return bgp_update_finish(&b);
}

static int
reparse(const struct bgp_codec_ctx *ctx, size_t len)
{
	return bgp_msg_parse_update(buf + BGP_HEADER_LEN, len - BGP_HEADER_LEN,
	    ctx, &u, &err);
}

static void
test_ipv4(void)
{
	static const char *const list[] = { "10.0.0.0/8", "192.0.2.0/24",
	    NULL };
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	size_t len;

	attrs_basic();
	pa.present |= PA_MED | PA_LOCAL_PREF | PA_COMMUNITIES |
	    PA_ATOMIC_AGGREGATE | PA_AGGREGATOR | PA_ORIGINATOR_ID |
	    PA_CLUSTER_LIST | PA_LARGE_COMMUNITIES | PA_EXT_COMMUNITIES;
	pa.med = 5;
	pa.local_pref = 200;
	pa.aggregator_as = 65001;
	pa.aggregator_id = 0xc0000201;
	pa.originator_id = 0x01020304;
	pa.communities.data = (const uint8_t *)"\xfd\xe9\x00\x64";
	pa.communities.len = 4;
	pa.large_communities.data = (const uint8_t *)
	    "\x00\x00\xfd\xe9\x00\x00\x00\x01\x00\x00\x00\x02";
	pa.large_communities.len = 12;
	pa.ext_communities.data = (const uint8_t *)
	    "\x00\x02\xfd\xe9\x00\x00\x00\x64";
	pa.ext_communities.len = 8;
	pa.cluster_list.data = (const uint8_t *)"\x01\x01\x01\x01";
	pa.cluster_list.len = 4;
	len = build(&ctx, &pa, FAMILY_IPV4, list);
	ok(bytes_equal_hex(buf, len, HDR "0067 02 0000 004a"
	    "40 01 01 02 40 02 06 02 01 0000fde9 40 03 04 c0000201"
	    "80 04 04 00000005 40 06 00 c0 07 08 0000fde9 c0000201"
	    "c0 08 04 fde90064 c0 10 08 0002fde900000064"
	    "c0 20 0c 0000fde9 00000001 00000002 08 0a 18 c00002"),
	    "eBGP IPv4: type order, no LOCAL_PREF/ORIGINATOR_ID/CLUSTER_LIST");
	is_int(reparse(&ctx, len), 0, "eBGP message parses back");
	ok(u.action == UPDATE_OK && u.warning_count == 0, "...cleanly");
	is_str(nlri_text(u.announced, text, sizeof(text)),
	    "10.0.0.0/8 192.0.2.0/24", "...with its prefixes");
	ok(u.attrs.origin == BGP_ORIGIN_INCOMPLETE && u.attrs.med == 5 &&
	    u.attrs.aggregator_id == 0xc0000201 &&
	    bytes_equal_hex(u.attrs.large_communities.data,
	    u.attrs.large_communities.len, "0000fde9 00000001 00000002"),
	    "...and its attributes");

	ctx = codec_ctx(true, true);
	len = build(&ctx, &pa, FAMILY_IPV4, list);
	is_int(reparse(&ctx, len), 0, "iBGP message parses back");
	ok(u.attrs.local_pref == 200 && u.attrs.originator_id == 0x01020304 &&
	    u.attrs.cluster_list.len == 4 && u.warning_count == 0,
	    "iBGP carries LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST");

	/* ORIGIN and AS_PATH are always sent. */
	attrs_basic();
	pa.present = PA_NEXT_HOP;
	ctx = codec_ctx(true, false);
	len = build(&ctx, &pa, FAMILY_IPV4, list);
	ok(bytes_equal_hex(buf, len, HDR "002b 02 0000 000e"
	    "40 01 01 00 40 02 00 40 03 04 c0000201 08 0a 18 c00002"),
	    "absent ORIGIN/AS_PATH: IGP and empty");
}

static void
test_ipv6(void)
{
	static const char *const list[] = { "2001:db8::/32", "::/0", NULL };
	static const char *const v4[] = { "10.0.0.0/8", NULL };
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	size_t len;

	attrs_basic();
	ip_addr_parse("2001:db8::1", &pa.nexthop.global);
	len = build(&ctx, &pa, FAMILY_IPV6, list);
	ok(bytes_equal_hex(buf, len, HDR "0043 02 0000 002c"
	    "90 0e 001b 0002 01 10 20010db8000000000000000000000001 00"
	    "20 20010db8 00"
	    "40 01 01 02 40 02 06 02 01 0000fde9"),
	    "IPv6: MP_REACH first (RFC 7606 §5.1), no NEXT_HOP");
	is_int(reparse(&ctx, len), 0, "IPv6 message parses back");
	is_str(nlri_text(u.mp_announced, text, sizeof(text)),
	    "2001:db8::/32 ::/0", "...with its prefixes");

	ip_addr_parse("fe80::1", &pa.nexthop.link_local);
	len = build(&ctx, &pa, FAMILY_IPV6, list);
	ok(len > 0 && buf[BGP_HEADER_LEN + 4 + 7] == 32,
	    "global + link-local: 32-byte next hop");
	reparse(&ctx, len);
	is_str(ip_addr_format(&u.attrs.nexthop.link_local, text, sizeof(text)),
	    "fe80::1", "link-local round trip");

	/* RFC 8950: IPv4 NLRI with the IPv6 next hop. */
	memset(&pa.nexthop.link_local, 0, sizeof(pa.nexthop.link_local));
	len = build(&ctx, &pa, FAMILY_IPV4, v4);
	ok(bytes_equal_hex(buf, len, HDR "003f 02 0000 0028"
	    "90 0e 0017 0001 01 10 20010db8000000000000000000000001 00 08 0a"
	    "40 01 01 02 40 02 06 02 01 0000fde9"),
	    "RFC 8950: IPv4 NLRI in MP_REACH with an IPv6 next hop");
	reparse(&ctx, len);
	ok(u.action == UPDATE_OK && u.mp_announced.family == FAMILY_IPV4,
	    "RFC 8950 message parses back");
	ctx.extended_next_hop_ipv4 = false;
	is_int(build(&ctx, &pa, FAMILY_IPV4, v4), 0,
	    "IPv6 next hop for IPv4 refused without RFC 8950");

	/* An IPv6 route over an IPv4 session: v4-mapped next hop. */
	ctx = codec_ctx(true, false);
	attrs_basic();
	len = build(&ctx, &pa, FAMILY_IPV6, list);
	reparse(&ctx, len);
	is_str(ip_addr_format(&u.attrs.nexthop.global, text, sizeof(text)),
	    "::ffff:192.0.2.1", "IPv4 next hop for IPv6: mapped form");
	pa.nexthop.global.family = FAMILY_NONE;
	is_int(build(&ctx, &pa, FAMILY_IPV6, list), 0, "no next hop refused");
}

static void
test_withdraw_and_eor(void)
{
	static const char *const v4[] = { "10.0.0.0/8", "10.1.0.0/16", NULL };
	static const char *const v6[] = { "2001:db8::/32", NULL };
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	struct wbuf w;
	size_t len;

	len = build(&ctx, NULL, FAMILY_IPV4, v4);
	ok(bytes_equal_hex(buf, len, HDR "001c 02 0005 08 0a 10 0a01 0000"),
	    "IPv4 withdrawal");
	reparse(&ctx, len);
	is_str(nlri_text(u.withdrawn, text, sizeof(text)),
	    "10.0.0.0/8 10.1.0.0/16", "IPv4 withdrawal parses back");
	len = build(&ctx, NULL, FAMILY_IPV6, v6);
	ok(bytes_equal_hex(buf, len, HDR "0023 02 0000 000c"
	    "90 0f 0008 0002 01 20 20010db8"), "IPv6 withdrawal");
	reparse(&ctx, len);
	ok(u.action == UPDATE_OK && !u.end_of_rib, "...parses back");
	is_str(nlri_text(u.mp_withdrawn, text, sizeof(text)), "2001:db8::/32",
	    "...with its prefix");

	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_end_of_rib(&w, FAMILY_IPV4);
	ok(bytes_equal_hex(buf, len, HDR "0017 02 0000 0000"),
	    "IPv4 End-of-RIB");
	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_end_of_rib(&w, FAMILY_IPV6);
	ok(bytes_equal_hex(buf, len, HDR "001d 02 0000 0006 80 0f 03 0002 01"),
	    "IPv6 End-of-RIB");
	reparse(&ctx, len);
	ok(u.end_of_rib && u.end_of_rib_family == FAMILY_IPV6,
	    "IPv6 End-of-RIB parses back as one");
	wbuf_init(&w, buf, 20);
	is_int(bgp_msg_encode_end_of_rib(&w, FAMILY_IPV4), 0,
	    "End-of-RIB overflow gives 0");
}

static void
test_attribute_forms(void)
{
	static const char *const list[] = { "10.0.0.0/8", NULL };
	static uint8_t communities[400];
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	size_t len;

	attrs_basic();
	memset(communities, 0x11, sizeof(communities));
	pa.present |= PA_COMMUNITIES;
	pa.communities.data = communities;
	pa.communities.len = sizeof(communities);
	len = build(&ctx, &pa, FAMILY_IPV4, list);
	ok(bytes_equal_hex(buf + 19 + 4 + 4 + 9 + 7, 4, "d0 08 0190"),
	    "a 400-byte attribute gets the Extended Length flag");
	reparse(&ctx, len);
	ok(u.attrs.communities.len == 400, "...and parses back");

	/* Unknown attributes: in type order, Partial set. */
	attrs_basic();
	pa.unknown.len = (uint16_t)hex_to_bytes("c0 63 01 aa c0 19 00",
	    pa.unknown_buf, sizeof(pa.unknown_buf));
	pa.unknown.data = pa.unknown_buf;
	len = build(&ctx, &pa, FAMILY_IPV4, list);
	ok(bytes_equal_hex(buf + 19 + 4, len - 19 - 4 - 2,
	    "40 01 01 02 40 02 06 02 01 0000fde9 40 03 04 c0000201"
	    "e0 19 00 e0 63 01 aa"),
	    "unknown attributes in type order with Partial set");
	reparse(&ctx, len);
	ok(bytes_equal_hex(u.attrs.unknown.data, u.attrs.unknown.len,
	    "e0 19 00 e0 63 01 aa"), "...and kept on the way back in");
}

/* Packs count prefixes; checks sizes and that each comes back once. */
static void
test_packing(const char *name, bool extended, uint8_t family, bool withdraw,
    size_t count)
{
	static uint8_t out[1 << 20];
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	struct bgp_update_builder b;
	struct nlri_block block;
	struct wbuf w;
	struct prefix p, q;
	size_t next = 0, seen = 0, messages = 0, len, limit, biggest = 0;
	size_t offset = 0;
	bool in_order = true, bounded = true;
	uint8_t bytes[16];
	struct timespec start, end;

	ctx.extended_message = extended;
	limit = extended ? 65535 : 4096;
	attrs_basic();
	if (family == FAMILY_IPV6)
		ip_addr_parse("2001:db8::1", &pa.nexthop.global);
	wbuf_init(&w, out, sizeof(out));
	memset(bytes, 0, sizeof(bytes));
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (next < count) {
		if (bgp_update_begin(&b, &w, &ctx, withdraw ? NULL : &pa,
		    family) == -1)
			break;
		for (; next < count; next++) {
			bytes[0] = family == FAMILY_IPV4 ? 10 : 0x20;
			bytes[1] = (uint8_t)(next >> 16);
			bytes[2] = (uint8_t)(next >> 8);
			bytes[3] = (uint8_t)next;
			prefix_set(&p, family, next % 3 ? 32 : 28, bytes);
			if (bgp_update_add(&b, &p) == -1)
				break;
		}
		len = bgp_update_finish(&b);
		if (len == 0)
			break;
		messages++;
		biggest = len > biggest ? len : biggest;
		bounded = bounded && len <= limit;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	tap_diag("%s: %.0f ns per prefix built", name,
	    ((double)(end.tv_sec - start.tv_sec) * 1e9 +
	    (double)(end.tv_nsec - start.tv_nsec)) / (double)count);
	/* Read every message back. */
	next = 0;
	while (offset < w.len) {
		len = (size_t)out[offset + 16] << 8 | out[offset + 17];
		if (bgp_msg_parse_update(out + offset + 19, len - 19, &ctx, &u,
		    &err) != 0 || u.action != UPDATE_OK)
			break;
		block = withdraw ? (family == FAMILY_IPV4 ? u.withdrawn :
		    u.mp_withdrawn) : (family == FAMILY_IPV4 ? u.announced :
		    u.mp_announced);
		while (nlri_next(&block, &q)) {
			bytes[0] = family == FAMILY_IPV4 ? 10 : 0x20;
			bytes[1] = (uint8_t)(next >> 16);
			bytes[2] = (uint8_t)(next >> 8);
			bytes[3] = (uint8_t)next;
			prefix_set(&p, family, next % 3 ? 32 : 28, bytes);
			in_order = in_order && prefix_equal(&p, &q);
			next++;
			seen++;
		}
		offset += len;
	}
	ok(bounded && messages > 1, "%s: %zu messages, largest %zu <= %zu",
	    name, messages, biggest, limit);
	ok(seen == count && in_order, "%s: all %zu prefixes back, in order",
	    name, count);
	ok(biggest > limit - 20, "%s: messages are filled (%zu)", name,
	    biggest);
}

static void
test_builder_edges(void)
{
	static const char *const list[] = { "10.0.0.0/8", NULL };
	static uint8_t communities[4080];
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	struct bgp_update_builder b;
	struct wbuf w;
	struct prefix p = pfx("10.0.0.0/8"), p6 = pfx("2001:db8::/32");
	size_t len;

	attrs_basic();
	wbuf_init(&w, buf, sizeof(buf));
	bgp_msg_encode_keepalive(&w);
	ok(bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV4) == 0 &&
	    bgp_update_add(&b, &p) == 0, "builder after a KEEPALIVE");
	is_int(bgp_update_add(&b, &p6), -1, "prefix of another family refused");
	len = bgp_update_finish(&b);
	ok(len == 45 && w.len == 19 + 45 && buf[19 + 16] == 0 &&
	    buf[19 + 17] == 45, "message appended, its own length patched");

	wbuf_init(&w, buf, sizeof(buf));
	bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV4);
	ok(bgp_update_finish(&b) == 0 && w.len == 0,
	    "no prefix: no message, w restored");
	is_int(bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_NONE), -1,
	    "family none refused");
	wbuf_init(&w, buf, 30);
	is_int(bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV4), -1,
	    "no room for the attributes");
	ok(w.len == 0 && !w.overflow, "...w left as it was");

	/* The attributes alone overflow the message. */
	memset(communities, 0x11, sizeof(communities));
	pa.present |= PA_COMMUNITIES;
	pa.communities.data = communities;
	pa.communities.len = sizeof(communities);
	wbuf_init(&w, buf, sizeof(buf));
	is_int(bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV4), -1,
	    "attributes above 4096 bytes refused");
	ip_addr_parse("2001:db8::1", &pa.nexthop.global);
	is_int(bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV6), -1,
	    "...also behind MP_REACH");
	ok(w.len == 0 && !w.overflow, "...w left as it was");
	pa.communities.len = 4000;
	ok(bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV6) == 0 &&
	    bgp_update_add(&b, &p6) == 0, "4000-byte attributes fit");
	len = bgp_update_finish(&b);
	ok(len > 4000 && len <= 4096, "...in one message (%zu)", len);
	ctx.extended_message = true;
	pa.communities.len = sizeof(communities);
	ip_addr_parse("192.0.2.1", &pa.nexthop.global);
	is_int(build(&ctx, &pa, FAMILY_IPV4, list) > 4096, 1,
	    "with extended messages they fit");
}

int
main(void)
{
	test_ipv4();
	test_ipv6();
	test_withdraw_and_eor();
	test_attribute_forms();
	test_packing("IPv4 announce", false, FAMILY_IPV4, false, 5000);
	test_packing("IPv6 announce", false, FAMILY_IPV6, false, 5000);
	test_packing("IPv4 withdraw", false, FAMILY_IPV4, true, 5000);
	test_packing("IPv6 withdraw", false, FAMILY_IPV6, true, 5000);
	test_packing("IPv4 extended", true, FAMILY_IPV4, false, 40000);
	test_builder_edges();
	return tap_done();
}
