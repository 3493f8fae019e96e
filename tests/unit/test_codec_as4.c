/*
 * test_codec_as4.c - AS path helpers and the 2-octet/4-octet conversions
 * of RFC 6793: widening, the AS4_PATH merge of §4.2.3 (including the
 * AGGREGATOR rule and "AS4_PATH longer than AS_PATH"), and the encoding
 * for OLD speakers of §4.2.2 (AS_TRANS, AS4_PATH, AS4_AGGREGATOR).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "test_codec_util.h"

static uint8_t path[2048], other[2048], out[2048];
static char text[512];

static size_t
h(const char *hex, uint8_t *buf)
{
	return hex_to_bytes(hex, buf, 2048);
}

static const char *
fmt(const uint8_t *p, size_t len)
{
	return as_path_format(p, len, text, sizeof(text));
}

static void
test_helpers(void)
{
	size_t n, m;

	/* 65001 65002 {65003,65004} (65010 65011) [65012] */
	n = h("02 02 0000fde9 0000fdea 01 02 0000fdeb 0000fdec"
	    "03 02 0000fdf2 0000fdf3 04 01 0000fdf4", path);
	is_str(fmt(path, n), "65001 65002 {65003,65004} (65010 65011) [65012]",
	    "format with every segment type");
	is_int(as_path_length(path, n), 3,
	    "length: set counts 1, confederation segments 0");
	ok(as_path_contains(path, n, 65004) && as_path_contains(path, n, 65012)
	    && !as_path_contains(path, n, 65005), "contains");
	is_int(as_path_first(path, n), 65001, "first AS");
	n = h("03 01 0000fdf2 02 01 0000fde9", path);
	is_int(as_path_first(path, n), 65001, "first AS after confed segment");
	n = h("01 01 0000fde9 02 01 0000fdea", path);
	is_int(as_path_first(path, n), 0, "no neighbor AS behind an AS_SET");
	is_int(as_path_first(path, 0), 0, "empty path: no first AS");
	is_int(as_path_length(path, 0), 0, "empty path length");
	is_str(fmt(path, 0), "", "empty path formats as nothing");

	n = h("02 01 0000fde9", path);
	m = as_path_prepend(path, n, 4200000000u, out, sizeof(out));
	ok(bytes_equal_hex(out, m, "02 02 fa56ea00 0000fde9"),
	    "prepend joins the leading sequence");
	n = h("01 01 0000fde9", path);
	m = as_path_prepend(path, n, 65000, out, sizeof(out));
	ok(bytes_equal_hex(out, m, "02 01 0000fde8 01 01 0000fde9"),
	    "prepend before a set opens a sequence");
	m = as_path_prepend(path, 0, 65000, out, sizeof(out));
	ok(bytes_equal_hex(out, m, "02 01 0000fde8"), "prepend to empty");
	is_int(as_path_prepend(path, n, 65000, out, 8), 0,
	    "prepend without room gives 0");
	memset(path, 0, sizeof(path));
	path[0] = BGP_AS_SEQUENCE;
	path[1] = 255;
	m = as_path_prepend(path, 2 + 255 * 4, 65000, out, sizeof(out));
	ok(m == 2 + 6 + 255 * 4 && out[0] == 2 && out[1] == 1 &&
	    out[6] == 2 && out[7] == 255, "a full sequence is not grown");

	/* Truncated input: the walkers stop, never read past len. */
	n = h("02 03 0000fde9", path);
	is_int(as_path_length(path, n), 0, "truncated segment ignored");
	is_str(fmt(path, n), "", "truncated segment not formatted");
	as_path_format(path, 0, text, 0);
	n = h("02 02 0000fde9 0000fdea", path);
	as_path_format(path, n, text, 8);
	is_str(text, "65001 6", "format truncates to the buffer");
}

struct check_case {
	const char		*name;
	const char		*hex;
	unsigned		 as_size;
	enum as_path_check	 want;
	bool			 confed;
};

static const struct check_case checks[] = {
	{ "valid 4-octet", "02 01 0000fde9 01 02 00000001 00000002", 4,
	    AS_PATH_VALID, false },
	{ "valid 2-octet", "02 02 fde9 fdea", 2, AS_PATH_VALID, false },
	{ "confed segments", "03 01 fde9 04 01 fdea", 2, AS_PATH_VALID, true },
	{ "empty path", "", 4, AS_PATH_VALID, false },
	{ "segment type 0", "00 01 0000fde9", 4, AS_PATH_BAD_SEGMENT_TYPE,
	    false },
	{ "segment type 5", "05 01 0000fde9", 4, AS_PATH_BAD_SEGMENT_TYPE,
	    false },
	{ "zero segment", "02 00", 4, AS_PATH_ZERO_SEGMENT, false },
	{ "overrun", "02 02 0000fde9", 4, AS_PATH_OVERRUN, false },
	{ "4-octet read as 2-octet", "02 01 0000fde9", 2,
	    AS_PATH_BAD_SEGMENT_TYPE, false },
	{ "underrun", "02 01 0000fde9 02", 4, AS_PATH_UNDERRUN, false },
};

static void
test_validate(void)
{
	size_t i, n;
	bool confed;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		n = h(checks[i].hex, path);
		ok(as_path_validate(path, n, checks[i].as_size, &confed) ==
		    checks[i].want && confed == checks[i].confed, "validate: %s",
		    checks[i].name);
	}
}

struct merge_case {
	const char	*name;
	const char	*as_path;	/* 4-octet, widened */
	const char	*as4_path;
	const char	*want;
};

/* RFC 6793 §4.2.3. */
static const struct merge_case merges[] = {
	{ "same length: AS4_PATH replaces",
	    "02 03 00005ba0 0000fdea 00005ba0",
	    "02 03 fa56ea01 0000fdea fa56ea02",
	    "02 03 fa56ea01 0000fdea fa56ea02" },
	{ "OLD speaker prepended: leading AS kept, sequences joined",
	    "02 03 0000fdf2 00005ba0 0000fdea",
	    "02 02 fa56ea01 0000fdea",
	    "02 03 0000fdf2 fa56ea01 0000fdea" },
	{ "AS4_PATH longer than AS_PATH: ignored",
	    "02 01 0000fde9",
	    "02 02 00000001 00000002",
	    "02 01 0000fde9" },
	{ "leading AS_SET counts one",
	    "01 02 0000fdf2 0000fdf3 02 01 00005ba0",
	    "02 01 fa56ea01",
	    "01 02 0000fdf2 0000fdf3 02 01 fa56ea01" },
	{ "confederation segments of AS4_PATH dropped",
	    "02 01 00005ba0",
	    "03 01 0000fdf2 02 01 fa56ea01",
	    "02 01 fa56ea01" },
	{ "leading confederation segment of AS_PATH kept",
	    "03 01 0000fdf2 02 02 0000fde9 00005ba0",
	    "02 01 fa56ea01",
	    "03 01 0000fdf2 02 02 0000fde9 fa56ea01" },
	{ "empty AS4_PATH merges to AS_PATH",
	    "02 02 0000fde9 0000fdea", "", "02 02 0000fde9 0000fdea" },
};

static void
test_merge(void)
{
	size_t i, n, m, k;

	for (i = 0; i < sizeof(merges) / sizeof(merges[0]); i++) {
		n = h(merges[i].as_path, path);
		m = h(merges[i].as4_path, other);
		k = as_path_merge_as4(path, n, other, m, out, sizeof(out));
		ok(bytes_equal_hex(out, k, merges[i].want), "merge: %s",
		    merges[i].name);
	}
	/* A sequence joined past 255 ASNs splits into a new segment. */
	memset(path, 0, sizeof(path));
	path[0] = BGP_AS_SEQUENCE;
	path[1] = 100;
	n = 2 + 100 * 4;
	memset(other, 0, sizeof(other));
	other[0] = BGP_AS_SEQUENCE;
	other[1] = 50;
	m = 2 + 50 * 4;
	k = as_path_merge_as4(path, n, other, m, out, sizeof(out));
	ok(k == n && out[1] == 100, "merge of an equal-length path");
	is_int(as_path_merge_as4(path, n, other, m, out, 16), 0,
	    "merge without room gives 0");
}

static void
test_narrow(void)
{
	uint8_t buf[256];
	struct wbuf w;
	size_t n, size, as4_size;

	n = h("02 02 fa56ea00 0000fde9 03 01 fa56ea01", path);
	size = as_path_narrow_size(path, n, &as4_size);
	is_int(size, 10, "2-octet size");
	is_int(as4_size, 10, "AS4_PATH size without the confed segment");
	wbuf_init(&w, buf, sizeof(buf));
	as_path_put_narrow(&w, path, n);
	ok(bytes_equal_hex(buf, w.len, "02 02 5ba0 fde9 03 01 5ba0"),
	    "AS_TRANS for each non-mappable ASN");
	wbuf_init(&w, buf, sizeof(buf));
	as_path_put_as4(&w, path, n);
	ok(bytes_equal_hex(buf, w.len, "02 02 fa56ea00 0000fde9"),
	    "AS4_PATH without confederation segments");
	n = h("02 01 0000fde9 03 01 fa56ea01", path);
	as_path_narrow_size(path, n, &as4_size);
	is_int(as4_size, 0, "no AS4_PATH when only confed ASNs are large");
	n = h("02 01 00000001", other);
	size = as_path_widen((const uint8_t *)"\x02\x01\x00\x01", 4, out,
	    sizeof(out));
	ok(bytes_equal_hex(out, size, "02 01 00000001"), "widen");
}

/* Through the UPDATE parser, on a 2-octet session. */
static void
test_update_as4(void)
{
	static struct bgp_update u;
	struct bgp_codec_ctx ctx = codec_ctx(false, false);
	struct bgp_error err;

#define O	"40 01 01 00"
#define NH	"40 03 04 c0000201"
	is_int(parse_update_hex("", O "40 02 06 02 02 5ba0 fde9" NH
	    "c0 11 0a 02 02 fa56ea00 0000fde9", "08 0a", &ctx, &u, &err), 0,
	    "2-octet UPDATE with AS4_PATH");
	is_str(fmt(u.attrs.as_path.data, u.attrs.as_path.len),
	    "4200000000 65001", "AS4_PATH merged");
	ok(u.attrs.as_path.data == u.attrs.as_path_buf,
	    "2-octet path rewritten into as_path_buf");

	parse_update_hex("", O "40 02 06 02 02 5ba0 fde9" NH
	    "c0 07 06 5ba0 c0000201 c0 12 08 fa56ea00 c0000201"
	    "c0 11 0a 02 02 fa56ea00 0000fde9", "08 0a", &ctx, &u, &err);
	ok(u.attrs.aggregator_as == 4200000000u &&
	    u.attrs.aggregator_id == 0xc0000201,
	    "AGGREGATOR AS_TRANS: AS4_AGGREGATOR taken");
	is_str(fmt(u.attrs.as_path.data, u.attrs.as_path.len),
	    "4200000000 65001", "...and AS4_PATH merged");

	parse_update_hex("", O "40 02 06 02 02 5ba0 fde9" NH
	    "c0 07 06 fdea c0000201 c0 12 08 fa56ea00 c0000201"
	    "c0 11 0a 02 02 fa56ea00 0000fde9", "08 0a", &ctx, &u, &err);
	ok(u.attrs.aggregator_as == 65002, "AGGREGATOR of an OLD speaker kept");
	is_str(fmt(u.attrs.as_path.data, u.attrs.as_path.len), "23456 65001",
	    "...and AS4_PATH ignored (RFC 6793 §4.2.3)");

	parse_update_hex("", O "40 02 04 02 01 fde9" NH
	    "c0 11 0a 02 02 fa56ea00 0000fde9", "08 0a", &ctx, &u, &err);
	is_str(fmt(u.attrs.as_path.data, u.attrs.as_path.len), "65001",
	    "AS4_PATH longer than AS_PATH ignored");

	parse_update_hex("", O "40 02 04 02 01 fde9" NH
	    "c0 12 08 fa56ea00 c0000201", "08 0a", &ctx, &u, &err);
	ok(!(u.attrs.present & PA_AGGREGATOR),
	    "AS4_AGGREGATOR without AGGREGATOR ignored");

	parse_update_hex("", O "40 02 00" NH, "08 0a", &ctx, &u, &err);
	ok(u.action == UPDATE_OK && u.attrs.as_path.len == 0 &&
	    (u.attrs.present & PA_AS_PATH), "empty 2-octet AS_PATH");

	ctx = codec_ctx(true, false);
	parse_update_hex("", O "40 02 06 02 01 fa56ea00" NH
	    "c0 11 06 02 01 00000001", "08 0a", &ctx, &u, &err);
	is_str(fmt(u.attrs.as_path.data, u.attrs.as_path.len), "4200000000",
	    "4-octet session: AS4_PATH not merged (RFC 6793 §3)");
}

/* Through the builder, to a 2-octet session. */
static void
test_encode_as4(void)
{
	static struct bgp_update u;
	static struct path_attrs pa;
	struct bgp_codec_ctx ctx = codec_ctx(false, false);
	struct bgp_update_builder b;
	struct bgp_error err;
	struct prefix p;
	uint8_t buf[BGP_MAX_MSG_LEN];
	struct wbuf w;
	size_t len, n;

	memset(&pa, 0, sizeof(pa));
	n = h("02 02 fa56ea00 0000fde9", pa.as_path_buf);
	pa.as_path.data = pa.as_path_buf;
	pa.as_path.len = (uint16_t)n;
	pa.present = PA_ORIGIN | PA_AS_PATH | PA_NEXT_HOP | PA_AGGREGATOR;
	pa.aggregator_as = 4200000001u;
	pa.aggregator_id = 0xc0000201;
	ip_addr_parse("192.0.2.1", &pa.nexthop.global);
	prefix_parse("10.0.0.0/8", &p, false);
	wbuf_init(&w, buf, sizeof(buf));
	bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV4);
	bgp_update_add(&b, &p);
	len = bgp_update_finish(&b);
	ok(bytes_equal_hex(buf + 19, len - 19, "0000 0035"
	    "40 01 01 00 40 02 06 02 02 5ba0 fde9 40 03 04 c0000201"
	    "c0 07 06 5ba0 c0000201 c0 11 0a 02 02 fa56ea00 0000fde9"
	    "c0 12 08 fa56ea01 c0000201 08 0a"),
	    "2-octet session: AS_TRANS, AS4_PATH, AS4_AGGREGATOR");
	is_int(bgp_msg_parse_update(buf + 19, len - 19, &ctx, &u, &err), 0,
	    "...which parses back");
	ok(u.attrs.as_path.len == n && memcmp(u.attrs.as_path.data,
	    pa.as_path_buf, n) == 0 && u.attrs.aggregator_as == 4200000001u,
	    "...to the same 4-octet path and aggregator");

	pa.present &= ~(uint32_t)PA_AGGREGATOR;
	n = h("02 01 0000fde9", pa.as_path_buf);
	pa.as_path.len = (uint16_t)n;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_update_begin(&b, &w, &ctx, &pa, FAMILY_IPV4);
	bgp_update_add(&b, &p);
	len = bgp_update_finish(&b);
	ok(bytes_equal_hex(buf + 19, len - 19, "0000 0012"
	    "40 01 01 00 40 02 04 02 01 fde9 40 03 04 c0000201 08 0a"),
	    "mappable path: no AS4_PATH");
}

int
main(void)
{
	test_helpers();
	test_validate();
	test_merge();
	test_narrow();
	test_update_as4();
	test_encode_as4();
	return tap_done();
}
