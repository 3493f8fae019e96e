/*
 * test_codec_attr_errors.c - every UPDATE error class of RFC 7606 (and
 * RFC 4271 §6.3, RFC 4760, RFC 6793 §6) with its approach: session reset
 * (return -1, code/subcode/data), treat-as-withdraw (action, and the
 * NOTIFICATION RFC 4271 would have sent), attribute discard (warning,
 * attribute absent).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "test_codec_util.h"

/* Fragments: a valid eBGP announcement of 10.0.0.0/8 from AS 65001. */
#define ORIGIN		"40 01 01 00"
#define AS_PATH4	"40 02 06 02 01 0000fde9"
#define AS_PATH2	"40 02 04 02 01 fde9"
#define NEXT_HOP	"40 03 04 c0000201"
#define LOCAL_PREF	"40 05 04 00000064"
#define BASE		ORIGIN AS_PATH4 NEXT_HOP
#define IBASE		ORIGIN AS_PATH4 NEXT_HOP LOCAL_PREF
#define NLRI		"08 0a"
#define MP_REACH6	"80 0e 1a 0002 01 10 20010db8000000000000000000000001 00" \
			"20 20010db8"

enum expect { OK, WITHDRAW, RESET };

#define EBGP4	0	/* session kinds */
#define IBGP4	1
#define EBGP2	2

struct error_case {
	const char	*name;
	int		 session;
	const char	*withdrawn, *attrs, *nlri;
	enum expect	 expect;
	uint8_t		 subcode;	/* RFC 4271 §6.3, for WITHDRAW/RESET */
	const char	*data;		/* NOTIFICATION data, NULL: unchecked */
	size_t		 warnings;	/* at least this many */
};

static const struct error_case cases[] = {
	{ "valid eBGP announcement", EBGP4, "", BASE, NLRI, OK, 0, NULL, 0 },
	{ "valid iBGP announcement", IBGP4, "", IBASE, NLRI, OK, 0, NULL, 0 },
	/* RFC 7606 §7.1 */
	{ "ORIGIN length 2", EBGP4, "", "40 01 02 0000" AS_PATH4 NEXT_HOP,
	    NLRI, WITHDRAW, 5, "40 01 02 0000", 1 },
	{ "ORIGIN value 3", EBGP4, "", "40 01 01 03" AS_PATH4 NEXT_HOP, NLRI,
	    WITHDRAW, 6, "40 01 01 03", 1 },
	/* RFC 7606 §3.c */
	{ "ORIGIN flagged optional", EBGP4, "", "c0 01 01 00" AS_PATH4
	    NEXT_HOP, NLRI, WITHDRAW, 4, "c0 01 01 00", 1 },
	{ "MED flagged well-known", EBGP4, "", BASE "40 04 04 00000001", NLRI,
	    WITHDRAW, 4, NULL, 1 },
	{ "COMMUNITIES flagged non-transitive", EBGP4, "", BASE
	    "80 08 04 fde90064", NLRI, WITHDRAW, 4, NULL, 1 },
	{ "LOCAL_PREF flagged optional (iBGP)", IBGP4, "", BASE
	    "80 05 04 00000064", NLRI, WITHDRAW, 4, NULL, 1 },
	/* RFC 7606 §3.e: the Extended Length bit with a short value is fine */
	{ "extended length on a 1-byte ORIGIN", EBGP4, "", "50 01 0001 00"
	    AS_PATH4 NEXT_HOP, NLRI, OK, 0, NULL, 0 },
	/* RFC 7606 §7.2 */
	{ "AS_PATH segment overrun", EBGP4, "", ORIGIN
	    "40 02 06 02 02 0000fde9" NEXT_HOP, NLRI, WITHDRAW, 11, "", 1 },
	{ "AS_PATH zero-length segment", EBGP4, "", ORIGIN "40 02 02 02 00"
	    NEXT_HOP, NLRI, WITHDRAW, 11, "", 1 },
	{ "AS_PATH unknown segment type", EBGP4, "", ORIGIN
	    "40 02 06 05 01 0000fde9" NEXT_HOP, NLRI, WITHDRAW, 11, "", 1 },
	{ "AS_PATH trailing octet", EBGP4, "", ORIGIN
	    "40 02 07 02 01 0000fde9 02" NEXT_HOP, NLRI, WITHDRAW, 11, "", 1 },
	{ "AS_PATH 2-octet overrun", EBGP2, "", ORIGIN "40 02 04 02 02 fde9"
	    NEXT_HOP, NLRI, WITHDRAW, 11, "", 1 },
	{ "AS_CONFED_SEQUENCE from eBGP", EBGP4, "", ORIGIN
	    "40 02 06 03 01 0000fde9" NEXT_HOP, NLRI, WITHDRAW, 11, "", 1 },
	{ "AS_CONFED_SEQUENCE from iBGP", IBGP4, "", ORIGIN
	    "40 02 06 03 01 0000fde9" NEXT_HOP LOCAL_PREF, NLRI, OK, 0, NULL,
	    0 },
	/* RFC 7606 §7.3 */
	{ "NEXT_HOP length 5", EBGP4, "", ORIGIN AS_PATH4
	    "40 03 05 c000020100", NLRI, WITHDRAW, 5, "40 03 05 c000020100",
	    1 },
	{ "NEXT_HOP 0.0.0.0", EBGP4, "", ORIGIN AS_PATH4 "40 03 04 00000000",
	    NLRI, WITHDRAW, 8, "40 03 04 00000000", 1 },
	{ "NEXT_HOP multicast", EBGP4, "", ORIGIN AS_PATH4 "40 03 04 e0000001",
	    NLRI, WITHDRAW, 8, NULL, 1 },
	{ "NEXT_HOP broadcast", EBGP4, "", ORIGIN AS_PATH4
	    "40 03 04 ffffffff", NLRI, WITHDRAW, 8, NULL, 1 },
	/* RFC 7606 §7.4, §7.5 */
	{ "MED length 3", EBGP4, "", BASE "80 04 03 000001", NLRI, WITHDRAW,
	    5, "80 04 03 000001", 1 },
	{ "LOCAL_PREF from eBGP is discarded", EBGP4, "", BASE LOCAL_PREF,
	    NLRI, OK, 0, NULL, 1 },
	{ "LOCAL_PREF length 3 (iBGP)", IBGP4, "", BASE "40 05 03 000064",
	    NLRI, WITHDRAW, 5, "40 05 03 000064", 1 },
	{ "LOCAL_PREF missing (iBGP)", IBGP4, "", BASE, NLRI, WITHDRAW, 3,
	    "05", 1 },
	/* RFC 7606 §7.6, §7.7 */
	{ "ATOMIC_AGGREGATE length 1", EBGP4, "", BASE "40 06 01 00", NLRI,
	    OK, 0, NULL, 1 },
	{ "AGGREGATOR length 6 on a 4-octet session", EBGP4, "", BASE
	    "c0 07 06 fde9 c0000201", NLRI, OK, 0, NULL, 1 },
	{ "AGGREGATOR length 8 on a 2-octet session", EBGP2, "", ORIGIN
	    AS_PATH2 NEXT_HOP "c0 07 08 0000fde9 c0000201", NLRI, OK, 0, NULL,
	    1 },
	/* RFC 7606 §7.8, §7.14, RFC 8092 §6 */
	{ "COMMUNITIES length 5", EBGP4, "", BASE "c0 08 05 fde9006401",
	    NLRI, WITHDRAW, 5, "c0 08 05 fde9006401", 1 },
	{ "COMMUNITIES length 0", EBGP4, "", BASE "c0 08 00", NLRI, WITHDRAW,
	    5, NULL, 1 },
	{ "EXTENDED COMMUNITIES length 9", EBGP4, "", BASE
	    "c0 10 09 000200000000006400", NLRI, WITHDRAW, 5, NULL, 1 },
	{ "LARGE_COMMUNITY length 13", EBGP4, "", BASE
	    "c0 20 0d 0000fde9 00000001 00000002 00", NLRI, WITHDRAW, 5, NULL,
	    1 },
	/* RFC 7606 §7.9, §7.10 */
	{ "ORIGINATOR_ID length 5 (iBGP)", IBGP4, "", IBASE
	    "80 09 05 c000020100", NLRI, WITHDRAW, 5, NULL, 1 },
	{ "ORIGINATOR_ID from eBGP is discarded", EBGP4, "", BASE
	    "80 09 04 c0000201", NLRI, OK, 0, NULL, 1 },
	{ "CLUSTER_LIST length 6 (iBGP)", IBGP4, "", IBASE
	    "80 0a 06 c00002010000", NLRI, WITHDRAW, 5, NULL, 1 },
	{ "CLUSTER_LIST from eBGP is discarded", EBGP4, "", BASE
	    "80 0a 04 c0000201", NLRI, OK, 0, NULL, 1 },
	/* RFC 7606 §3.g */
	{ "repeated ORIGIN: first kept", EBGP4, "", BASE "40 01 01 02", NLRI,
	    OK, 0, NULL, 1 },
	{ "repeated MP_REACH_NLRI", EBGP4, "", BASE MP_REACH6 MP_REACH6, "",
	    RESET, 1, "", 1 },
	{ "repeated MP_UNREACH_NLRI", EBGP4, "", "80 0f 03 0002 01"
	    "80 0f 03 0002 01", "", RESET, 1, "", 1 },
	/* RFC 7606 §3.d */
	{ "ORIGIN missing", EBGP4, "", AS_PATH4 NEXT_HOP, NLRI, WITHDRAW, 3,
	    "01", 1 },
	{ "AS_PATH missing", EBGP4, "", ORIGIN NEXT_HOP, NLRI, WITHDRAW, 3,
	    "02", 1 },
	{ "NEXT_HOP missing with IPv4 NLRI", EBGP4, "", ORIGIN AS_PATH4, NLRI,
	    WITHDRAW, 3, "03", 1 },
	{ "NEXT_HOP not needed with MP_REACH only", EBGP4, "", ORIGIN
	    AS_PATH4 MP_REACH6, "", OK, 0, NULL, 0 },
	{ "NEXT_HOP missing with both NLRI kinds", EBGP4, "", ORIGIN AS_PATH4
	    MP_REACH6, NLRI, WITHDRAW, 3, "03", 1 },
	{ "no mandatory attribute needed to withdraw", EBGP4, "08 0a", "", "",
	    OK, 0, NULL, 0 },
	/* RFC 4271 §6.3 / §5 */
	{ "unrecognized well-known attribute", EBGP4, "", BASE "40 63 02 abcd",
	    NLRI, RESET, 2, "40 63 02 abcd", 1 },
	{ "unknown optional transitive kept", EBGP4, "", BASE "c0 63 02 abcd",
	    NLRI, OK, 0, NULL, 0 },
	{ "unknown optional non-transitive dropped", EBGP4, "", BASE
	    "80 63 02 abcd", NLRI, OK, 0, NULL, 0 },
	/* RFC 7606 §4 */
	{ "last attribute overruns the section", EBGP4, "", BASE
	    "c0 08 08 fde90064", NLRI, WITHDRAW, 5, NULL, 1 },
	{ "two octets left for an attribute", EBGP4, "", BASE "c0 08", NLRI,
	    WITHDRAW, 5, NULL, 1 },
	{ "extended length header cut short", EBGP4, "", BASE "d0 08 00", NLRI,
	    WITHDRAW, 5, NULL, 1 },
	{ "MP_REACH_NLRI overruns the section", EBGP4, "", BASE
	    "80 0e 40 0002 01 10", "", RESET, 5, NULL, 1 },
	/* RFC 7606 §3.b, §3.i, §5.3 */
	{ "IPv4 NLRI /33", EBGP4, "", BASE, "21 0a000000 00", RESET, 10, "",
	    0 },
	{ "IPv4 NLRI truncated", EBGP4, "", BASE, "18 0a00", RESET, 10, "",
	    0 },
	{ "withdrawn /33", EBGP4, "21 0a000000 00", "", "", RESET, 10, "", 0 },
	{ "withdrawn truncated", EBGP4, "10 0a", "", "", RESET, 10, "", 0 },
	/* RFC 7606 §5.3, §7.11; RFC 4760 §7 */
	{ "MP_REACH_NLRI of 4 octets", EBGP4, "", BASE "80 0e 04 0002 01 00",
	    "", RESET, 5, "80 0e 04 0002 01 00", 1 },
	{ "MP_REACH_NLRI next hop length 5", EBGP4, "", ORIGIN AS_PATH4
	    "80 0e 0c 0002 01 05 0102030405 00 08 0a", "", RESET, 9, NULL, 1 },
	{ "MP_REACH_NLRI next hop past the attribute", EBGP4, "", ORIGIN
	    AS_PATH4 "80 0e 06 0002 01 10 0000", "", RESET, 9, NULL, 1 },
	{ "MP_REACH_NLRI IPv6 /129", EBGP4, "", ORIGIN AS_PATH4
	    "80 0e 17 0002 01 10 20010db8000000000000000000000001 00 81 20",
	    "", RESET, 9, NULL, 1 },
	{ "MP_REACH_NLRI truncated prefix", EBGP4, "", ORIGIN AS_PATH4
	    "80 0e 19 0002 01 10 20010db8000000000000000000000001 00 30 2001 0d",
	    "", RESET, 9, NULL, 1 },
	{ "MP_REACH_NLRI flagged transitive", EBGP4, "", ORIGIN AS_PATH4
	    "c0 0e 1a 0002 01 10 20010db8000000000000000000000001 00"
	    "20 20010db8", "", RESET, 4, NULL, 1 },
	{ "MP_UNREACH_NLRI of 2 octets", EBGP4, "", "80 0f 02 0002", "", RESET,
	    5, "80 0f 02 0002", 1 },
	{ "MP_UNREACH_NLRI IPv6 /129", EBGP4, "", "80 0f 05 0002 01 81 20",
	    "", RESET, 9, NULL, 1 },
	{ "MP_REACH_NLRI of another AFI/SAFI ignored", EBGP4, "", ORIGIN
	    AS_PATH4 "80 0e 0b 0001 80 04 c0000201 00 08 0a", "", OK, 0, NULL,
	    1 },
	/* RFC 8950 without the capability; RFC 4760 §7 family not ours */
	{ "IPv6 next hop for IPv4 without extended next hop", EBGP4 | 8, "",
	    ORIGIN AS_PATH4 "80 0e 17 0001 01 10"
	    "20010db8000000000000000000000001 00 08 0a", "", WITHDRAW, 9, NULL,
	    1 },
	{ "IPv6 NLRI without IPv6 negotiated", EBGP4 | 16, "", ORIGIN AS_PATH4
	    MP_REACH6, "", WITHDRAW, 9, NULL, 1 },
	/* RFC 7606 §5.2: no reachable NLRI, error above discard: reset */
	{ "malformed ORIGIN with withdrawals only", EBGP4, "08 0a",
	    "40 01 02 0000", "", RESET, 5, "40 01 02 0000", 1 },
	{ "malformed ATOMIC_AGGREGATE with withdrawals only", EBGP4, "08 0a",
	    "40 06 01 00", "", OK, 0, NULL, 1 },
	{ "MP_UNREACH alone never escalates", EBGP4, "",
	    "80 0f 06 0002 01 10 2001", "", OK, 0, NULL, 0 },
	/* RFC 6793 §6 */
	{ "AS4_PATH on a 4-octet session is discarded", EBGP4, "", BASE
	    "c0 11 06 02 01 0000fde9", NLRI, OK, 0, NULL, 1 },
	{ "malformed AS4_PATH is discarded", EBGP2, "", ORIGIN AS_PATH2
	    NEXT_HOP "c0 11 06 02 02 0000fde9", NLRI, OK, 0, NULL, 1 },
	{ "AS4_PATH shorter than 6 is discarded", EBGP2, "", ORIGIN AS_PATH2
	    NEXT_HOP "c0 11 02 02 00", NLRI, OK, 0, NULL, 1 },
	{ "AS4_PATH flagged non-transitive is discarded", EBGP2, "", ORIGIN
	    AS_PATH2 NEXT_HOP "80 11 06 02 01 0000fde9", NLRI, OK, 0, NULL, 1 },
	{ "malformed AS4_AGGREGATOR is discarded", EBGP2, "", ORIGIN AS_PATH2
	    NEXT_HOP "c0 12 06 fde9 c0000201", NLRI, OK, 0, NULL, 1 },
	/* RFC 7606 §3.h: the strongest approach wins */
	{ "discard and withdraw: withdraw", EBGP4, "", BASE "40 06 01 00"
	    "80 04 03 000001", NLRI, WITHDRAW, 5, "80 04 03 000001", 2 },
	{ "withdraw then reset: reset", EBGP4, "", "40 01 02 0000" AS_PATH4
	    NEXT_HOP "40 63 00", NLRI, RESET, 2, "40 63 00", 2 },
};

static struct bgp_update update;

static void
run_case(const struct error_case *tc)
{
	struct bgp_codec_ctx ctx = codec_ctx((tc->session & 3) != EBGP2,
	    (tc->session & 3) == IBGP4);
	struct bgp_error err;
	int ret;

	if (tc->session & 8)
		ctx.extended_next_hop_ipv4 = false;
	if (tc->session & 16)
		ctx.ipv6 = false;
	ret = parse_update_hex(tc->withdrawn, tc->attrs, tc->nlri, &ctx,
	    &update, &err);
	switch (tc->expect) {
	case OK:
		ok(ret == 0 && update.action == UPDATE_OK, "%s: accepted",
		    tc->name);
		break;
	case WITHDRAW:
		ok(ret == 0 && update.action == UPDATE_TREAT_AS_WITHDRAW,
		    "%s: treat-as-withdraw", tc->name);
		break;
	case RESET:
		is_int(ret, -1, tc->name);
		break;
	}
	if (tc->expect != OK) {
		ok(err.code == BGP_ERR_UPDATE && err.subcode == tc->subcode,
		    "%s: UPDATE error subcode %u (got %u/%u)", tc->name,
		    tc->subcode, err.code, err.subcode);
		if (tc->data != NULL)
			ok(bytes_equal_hex(err.data, err.data_len, tc->data),
			    "%s: NOTIFICATION data", tc->name);
	}
	ok(update.warning_count >= tc->warnings, "%s: %zu warning(s)",
	    tc->name, tc->warnings);
}

/* The side effects that the table cannot express. */
static void
test_details(void)
{
	struct bgp_codec_ctx ctx = codec_ctx(true, false);
	struct bgp_error err;
	char text[256];

	parse_update_hex("", BASE "40 01 01 02", NLRI, &ctx, &update, &err);
	is_int(update.attrs.origin, BGP_ORIGIN_IGP, "repeated ORIGIN: first");
	ok(update.warnings[0].attr_type == BGP_ATTR_ORIGIN &&
	    bytes_equal_hex(update.warnings[0].bytes, update.warnings[0].len,
	    "40 01 01 02"), "warning points at the discarded attribute");

	parse_update_hex("", BASE LOCAL_PREF, NLRI, &ctx, &update, &err);
	ok(!(update.attrs.present & PA_LOCAL_PREF), "eBGP LOCAL_PREF absent");

	parse_update_hex("", BASE "40 06 01 00", NLRI, &ctx, &update, &err);
	ok(!(update.attrs.present & PA_ATOMIC_AGGREGATE),
	    "malformed ATOMIC_AGGREGATE absent");

	parse_update_hex("", BASE "c0 63 02 abcd" "c0 64 00", NLRI, &ctx,
	    &update, &err);
	ok(bytes_equal_hex(update.attrs.unknown.data, update.attrs.unknown.len,
	    "e0 63 02 abcd e0 64 00"),
	    "unknown transitive attributes kept with Partial set");

	parse_update_hex("", BASE "80 63 02 abcd", NLRI, &ctx, &update, &err);
	is_int(update.attrs.unknown.len, 0, "unknown non-transitive dropped");

	/* RFC 7606 §4: the NLRI are still found through the lengths. */
	parse_update_hex("", BASE "c0 08 08 fde90064", "08 0a 10 ac10", &ctx,
	    &update, &err);
	is_str(nlri_text(update.announced, text, sizeof(text)),
	    "10.0.0.0/8 172.16.0.0/16", "overrun: NLRI located and withdrawn");

	parse_update_hex("", ORIGIN AS_PATH4
	    "80 0e 0b 0001 80 04 c0000201 00 08 0a", "", &ctx, &update, &err);
	is_int(update.mp_announced.family, FAMILY_NONE,
	    "foreign AFI/SAFI: no NLRI handed out");

	parse_update_hex("08 0a", "40 01 02 0000", "", &ctx, &update, &err);
	ok(err.reason != NULL, "reset carries a reason for the log");
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_details();
	return tap_done();
}
