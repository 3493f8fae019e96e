/*
 * test_codec_open.c - OPEN (RFC 4271 §4.2, §6.2), optional parameters
 * (RFC 9072 extended length), capabilities (RFC 5492 and the codes of
 * capability.c): parse, errors, encode, negotiation.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "test_codec_util.h"

static struct bgp_open open_msg;
static struct bgp_error err;

static int
parse_open_hex(const char *hex)
{
	static uint8_t body[BGP_MAX_MSG_LEN];
	size_t n = hex_to_bytes(hex, body, sizeof(body));

	memset(&err, 0, sizeof(err));
	return bgp_msg_parse_open(body, n, &open_msg, &err);
}

/* version 4, AS 65001, hold 90, id 192.0.2.1 */
#define OPEN_FIXED	"04 fde9 005a c0000201"

static void
test_open_basic(void)
{
	/* A typical FRR-like OPEN: MP v4+v6, RR, AS4, FQDN, GR, ext-NH. */
	is_int(parse_open_hex(OPEN_FIXED "44"
	    "02 06 01 04 0001 00 01"
	    "02 06 01 04 0002 00 01"
	    "02 02 02 00"
	    "02 02 80 00"
	    "02 06 41 04 0000fde9"
	    "02 0a 49 08 05 726f757465 01 78"
	    "02 0c 40 0a 8078 0001 01 80 0002 01 00"
	    "02 08 05 06 0001 0001 0002"), 0, "OPEN parsed");
	ok(open_msg.version == 4 && open_msg.my_as == 65001 &&
	    open_msg.hold_time == 90 && open_msg.bgp_id == 0xc0000201,
	    "fixed fields");
	ok(open_msg.has_capabilities && open_msg.caps.multiprotocol &&
	    open_msg.caps.ipv4_unicast && open_msg.caps.ipv6_unicast,
	    "multiprotocol IPv4 and IPv6");
	ok(open_msg.caps.route_refresh, "route refresh");
	ok(open_msg.caps.as4 && open_msg.caps.as4_number == 65001,
	    "4-octet AS");
	is_str(open_msg.caps.hostname, "route", "FQDN host name");
	ok(open_msg.caps.graceful_restart && open_msg.caps.restart_state &&
	    open_msg.caps.restart_time == 120, "graceful restart R bit, time");
	ok(open_msg.caps.gr_ipv4 && !open_msg.caps.gr_ipv6,
	    "graceful restart forwarding flags per AF");
	ok(open_msg.caps.extended_next_hop_ipv4, "extended next hop");

	is_int(parse_open_hex(OPEN_FIXED "00"), 0, "OPEN without parameters");
	ok(!open_msg.has_capabilities && !open_msg.caps.multiprotocol,
	    "no capabilities");
	is_int(parse_open_hex("04 fde9 0000 c0000201 00"), 0, "hold time 0");
	is_int(parse_open_hex("04 fde9 0003 c0000201 00"), 0, "hold time 3");
}

static void
test_open_more_caps(void)
{
	is_int(parse_open_hex(OPEN_FIXED "15"
	    "02 13 06 00 45 04 0001 01 03 46 00 63 02 abcd 64 00 63 01 00"),
	    0, "OPEN with ext message, add-path, enhanced RR, unknowns");
	ok(open_msg.caps.extended_message, "extended message");
	ok(open_msg.caps.add_path, "add-path seen");
	ok(open_msg.caps.enhanced_route_refresh, "enhanced route refresh");
	ok(open_msg.caps.unknown_count == 2 &&
	    open_msg.caps.unknown_codes[0] == 0x63 &&
	    open_msg.caps.unknown_codes[1] == 0x64,
	    "unknown capabilities recorded once each");
	is_int(parse_open_hex(OPEN_FIXED "0c 02 04 01 04 0001 00"
	    "02 04 01 04 0002 00"), -1,
	    "MP capability of length 4 split over parameters: malformed");
	is_int(parse_open_hex(OPEN_FIXED "10 02 06 01 04 0001 00 01"
	    "02 06 01 04 0002 00 01"), 0, "several capability parameters");
	ok(open_msg.caps.ipv4_unicast && open_msg.caps.ipv6_unicast,
	    "capabilities accumulate across parameters");
	is_int(parse_open_hex(OPEN_FIXED "09 02 07 49 05 03 61 1b 62 00"), 0,
	    "FQDN with a control character");
	is_str(open_msg.caps.hostname, "a?b", "host name made printable");
	is_int(parse_open_hex(OPEN_FIXED "08 02 06 01 04 0001 00 02"), 0,
	    "MP of another SAFI accepted");
	ok(open_msg.caps.multiprotocol && !open_msg.caps.ipv4_unicast,
	    "...but not IPv4 unicast");
}

/* RFC 9072: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet lengths. */
static void
test_open_extended_params(void)
{
	is_int(parse_open_hex(OPEN_FIXED "ff ff 0009 02 0006 01 04 0002 00 01"),
	    0, "RFC 9072 extended optional parameters");
	ok(open_msg.caps.ipv6_unicast, "capability inside extended parameters");
	is_int(parse_open_hex(OPEN_FIXED "ff ff 000a 02 0006 01 04 0002 00 01"),
	    -1, "extended length past the message");
	is_int(parse_open_hex(OPEN_FIXED "ff ff 00"), -1,
	    "extended length truncated");
}

struct open_error_case {
	const char	*name;
	const char	*hex;
	uint8_t		 subcode;
	const char	*data;
};

static const struct open_error_case open_errors[] = {
	{ "version 3", "03 fde9 005a c0000201 00", BGP_ERR_OPEN_VERSION,
	    "0004" },
	{ "version 5", "05 fde9 005a c0000201 00", BGP_ERR_OPEN_VERSION,
	    "0004" },
	{ "hold time 1", "04 fde9 0001 c0000201 00", BGP_ERR_OPEN_HOLD_TIME,
	    "" },
	{ "hold time 2", "04 fde9 0002 c0000201 00", BGP_ERR_OPEN_HOLD_TIME,
	    "" },
	{ "BGP identifier 0", "04 fde9 005a 00000000 00", BGP_ERR_OPEN_BGP_ID,
	    "" },
	{ "BGP identifier 255.255.255.255", "04 fde9 005a ffffffff 00",
	    BGP_ERR_OPEN_BGP_ID, "" },
	{ "authentication parameter", OPEN_FIXED "04 01 02 abcd",
	    BGP_ERR_OPEN_OPTIONAL_PARAM, "" },
	{ "parameters length too long", OPEN_FIXED "09 02 06 01 04 0001 00 01",
	    0, "" },
	{ "parameters length too short", OPEN_FIXED "07 02 06 01 04 0001 00 01",
	    0, "" },
	{ "parameter length past the parameters", OPEN_FIXED "04 02 05 01 04",
	    0, "" },
	{ "capability length past its parameter", OPEN_FIXED
	    "08 02 06 01 05 0001 00 01", 0, "" },
	{ "MP capability of length 3", OPEN_FIXED "07 02 05 01 03 0001 00", 0,
	    "" },
	{ "AS4 capability of length 2", OPEN_FIXED "06 02 04 41 02 fde9", 0,
	    "" },
	{ "graceful restart of length 3", OPEN_FIXED "07 02 05 40 03 8078 00",
	    0, "" },
	{ "extended next hop of length 4", OPEN_FIXED
	    "08 02 06 05 04 0001 0001", 0, "" },
	{ "FQDN name past the capability", OPEN_FIXED "06 02 04 49 02 05 61",
	    0, "" },
	{ "OPEN body of 9 bytes", "04 fde9 005a c00002", 0, "" },
	{ "parameter header cut", OPEN_FIXED "01 02", 0, "" },
};

static void
test_open_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(open_errors) / sizeof(open_errors[0]); i++) {
		const struct open_error_case *tc = &open_errors[i];

		is_int(parse_open_hex(tc->hex), -1, tc->name);
		ok(err.code == BGP_ERR_OPEN && err.subcode == tc->subcode &&
		    bytes_equal_hex(err.data, err.data_len, tc->data),
		    "%s: OPEN Message Error / %u", tc->name, tc->subcode);
	}
}

static void
test_open_encode(void)
{
	uint8_t buf[BGP_MAX_MSG_LEN];
	struct bgp_caps caps;
	struct wbuf w;
	size_t len;

	memset(&caps, 0, sizeof(caps));
	caps.multiprotocol = caps.ipv4_unicast = caps.ipv6_unicast = true;
	caps.route_refresh = caps.as4 = caps.extended_next_hop_ipv4 = true;
	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_open(&w, 4200000000u, 90, 0xc0000201, &caps);
	ok(bytes_equal_hex(buf, len, "ffffffffffffffffffffffffffffffff"
	    "003b 01 04 5ba0 005a c0000201 1e 02 1c"
	    "01 04 0001 00 01 01 04 0002 00 01 02 00"
	    "05 06 0001 0001 0002 41 04 fa56ea00"),
	    "OPEN for AS 4200000000: AS_TRANS, AS4 capability");
	is_int(bgp_msg_parse_open(buf + 19, len - 19, &open_msg, &err), 0,
	    "encoded OPEN parses");
	ok(open_msg.my_as == BGP_AS_TRANS && open_msg.caps.as4_number ==
	    4200000000u && open_msg.caps.ipv6_unicast &&
	    open_msg.caps.extended_next_hop_ipv4, "round trip");

	caps.graceful_restart = true;
	caps.restart_time = 120;
	caps.gr_ipv6 = true;
	caps.extended_message = caps.enhanced_route_refresh = true;
	strcpy(caps.hostname, "node1");
	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_open(&w, 65001, 90, 0xc0000201, &caps);
	ok(len > 0 && bgp_msg_parse_open(buf + 19, len - 19, &open_msg,
	    &err) == 0, "OPEN with every capability round trips");
	ok(open_msg.caps.graceful_restart && open_msg.caps.restart_time ==
	    120 && !open_msg.caps.gr_ipv4 && open_msg.caps.gr_ipv6 &&
	    !open_msg.caps.restart_state, "graceful restart round trip");
	ok(open_msg.caps.extended_message &&
	    open_msg.caps.enhanced_route_refresh && open_msg.my_as == 65001,
	    "extended message, enhanced RR, 2-octet My AS");
	is_str(open_msg.caps.hostname, "node1", "host name round trip");

	memset(&caps, 0, sizeof(caps));
	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_open(&w, 65001, 90, 0xc0000201, &caps);
	is_int(len, 29, "OPEN without capabilities is 29 bytes");

	wbuf_init(&w, buf, 20);
	is_int(bgp_msg_encode_open(&w, 65001, 90, 1, &caps), 0,
	    "OPEN overflow gives 0");
}

static void
test_negotiate(void)
{
	struct bgp_caps local, remote, out;

	memset(&local, 0, sizeof(local));
	memset(&remote, 0, sizeof(remote));
	local.multiprotocol = local.ipv4_unicast = local.ipv6_unicast = true;
	local.as4 = local.route_refresh = local.extended_next_hop_ipv4 = true;
	local.graceful_restart = true;
	local.restart_time = 90;
	remote.multiprotocol = remote.ipv6_unicast = true;
	remote.as4 = true;
	remote.as4_number = 4200000000u;
	remote.route_refresh = true;
	remote.graceful_restart = true;
	remote.restart_time = 120;
	remote.gr_ipv6 = true;
	strcpy(remote.hostname, "peer");
	bgp_caps_negotiate(&local, &remote, &out);
	ok(!out.ipv4_unicast && out.ipv6_unicast, "families intersected");
	ok(out.as4 && out.as4_number == 4200000000u, "AS4 with remote AS");
	ok(out.route_refresh && !out.extended_next_hop_ipv4,
	    "route refresh both, ext-NH one side only");
	ok(out.graceful_restart && out.restart_time == 120 && out.gr_ipv6,
	    "graceful restart parameters are the peer's");
	/* Advertised by one side only: not part of the negotiated set. */
	is_str(out.hostname, "", "host name stays in the received set");

	/* RFC 4760: no multiprotocol capability means IPv4 unicast. */
	memset(&remote, 0, sizeof(remote));
	bgp_caps_negotiate(&local, &remote, &out);
	ok(out.ipv4_unicast && !out.ipv6_unicast && !out.as4 &&
	    !out.graceful_restart, "peer without capabilities: IPv4 only");
}

int
main(void)
{
	test_open_basic();
	test_open_more_caps();
	test_open_extended_params();
	test_open_errors();
	test_open_encode();
	test_negotiate();
	return tap_done();
}
