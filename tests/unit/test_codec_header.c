/*
 * test_codec_header.c - the message header (RFC 4271 §4.1, §6.1),
 * KEEPALIVE, NOTIFICATION, ROUTE-REFRESH (RFC 2918, RFC 7313), the
 * error names and the RFC 8203/9003 shutdown communication.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "test_codec_util.h"

#define MARKER	"ffffffffffffffffffffffffffffffff"

struct header_case {
	const char	*name;
	const char	*hex;
	size_t		 max_len;
	int		 ret;
	uint8_t		 subcode;
	const char	*data;
};

static const struct header_case header_cases[] = {
	{ "KEEPALIVE", MARKER "0013 04", 4096, 0, 0, NULL },
	{ "OPEN of 29", MARKER "001d 01", 4096, 0, 0, NULL },
	{ "UPDATE of 23", MARKER "0017 02", 4096, 0, 0, NULL },
	{ "NOTIFICATION of 21", MARKER "0015 03", 4096, 0, 0, NULL },
	{ "ROUTE-REFRESH of 23", MARKER "0017 05", 4096, 0, 0, NULL },
	{ "UPDATE of 4096", MARKER "1000 02", 4096, 0, 0, NULL },
	{ "UPDATE of 65535 with extended messages", MARKER "ffff 02", 65535, 0,
	    0, NULL },
	{ "marker not all ones", "ffffffffffffffffffffffffffffff7f 0013 04",
	    4096, -1, 1, "" },
	{ "length 18", MARKER "0012 04", 4096, -1, 2, "0012" },
	{ "length 4097", MARKER "1001 02", 4096, -1, 2, "1001" },
	{ "type 0", MARKER "0013 00", 4096, -1, 3, "00" },
	{ "type 6", MARKER "0013 06", 4096, -1, 3, "06" },
	{ "OPEN of 28", MARKER "001c 01", 4096, -1, 2, "001c" },
	{ "UPDATE of 22", MARKER "0016 02", 4096, -1, 2, "0016" },
	{ "KEEPALIVE of 20", MARKER "0014 04", 4096, -1, 2, "0014" },
	{ "NOTIFICATION of 20", MARKER "0014 03", 4096, -1, 2, "0014" },
	{ "ROUTE-REFRESH of 24", MARKER "0018 05", 4096, -1, 2, "0018" },
	{ "OPEN above 4096 with extended messages", MARKER "1001 01", 65535,
	    -1, 2, "1001" },
	{ "KEEPALIVE above 4096 with extended messages", MARKER "1001 04",
	    65535, -1, 2, "1001" },
	{ "short header", MARKER "00", 4096, -1, 2, "" },
};

static void
test_header(void)
{
	uint8_t msg[64];
	struct bgp_error err;
	uint8_t type = 0;
	uint16_t length = 0;
	size_t i, n;
	int ret;

	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		const struct header_case *tc = &header_cases[i];

		n = hex_to_bytes(tc->hex, msg, sizeof(msg));
		memset(&err, 0, sizeof(err));
		ret = bgp_msg_parse_header(msg, n, tc->max_len, &type, &length,
		    &err);
		is_int(ret, tc->ret, tc->name);
		if (tc->ret == 0)
			continue;
		ok(err.code == BGP_ERR_HEADER && err.subcode == tc->subcode,
		    "%s: Message Header Error / %u", tc->name, tc->subcode);
		ok(bytes_equal_hex(err.data, err.data_len, tc->data),
		    "%s: data", tc->name);
	}
	n = hex_to_bytes(MARKER "0017 02", msg, sizeof(msg));
	bgp_msg_parse_header(msg, n, 4096, &type, &length, &err);
	ok(type == BGP_MSG_UPDATE && length == 23, "type and length out");
}

static void
test_keepalive_and_begin(void)
{
	uint8_t buf[64];
	struct wbuf w;
	size_t len;

	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_keepalive(&w);
	is_int(len, 19, "KEEPALIVE is 19 bytes");
	ok(bytes_equal_hex(buf, len, MARKER "0013 04"), "KEEPALIVE bytes");

	/* The encoders append: a second message follows the first. */
	len = bgp_msg_encode_keepalive(&w);
	ok(len == 19 && w.len == 38 && bytes_equal_hex(buf + 19, 19,
	    MARKER "0013 04"), "encoders append to w");

	wbuf_init(&w, buf, 10);
	is_int(bgp_msg_encode_keepalive(&w), 0, "overflow gives 0");

	wbuf_init(&w, buf, sizeof(buf));
	bgp_msg_begin(&w, BGP_MSG_UPDATE);
	wbuf_put_u32(&w, 0);
	is_int(bgp_msg_finish(&w), 23, "begin/finish: length patched");
	ok(bytes_equal_hex(buf, 23, MARKER "0017 02 00000000"),
	    "begin/finish bytes");
}

static void
test_notification(void)
{
	uint8_t buf[BGP_MAX_MSG_LEN + 64], big[5000];
	struct bgp_notification n;
	struct bgp_error err;
	struct wbuf w;
	size_t len;

	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_notification(&w, BGP_ERR_OPEN,
	    BGP_ERR_OPEN_VERSION, (const uint8_t *)"\x00\x04", 2);
	ok(len == 23 && bytes_equal_hex(buf, len, MARKER "0017 03 02 01 0004"),
	    "NOTIFICATION encoded");
	ok(bgp_msg_parse_notification(buf + 19, len - 19, &n, &err) == 0 &&
	    n.code == 2 && n.subcode == 1 && n.data_len == 2 &&
	    n.data[1] == 4, "NOTIFICATION parsed back");
	is_int(bgp_msg_parse_notification(buf + 19, 1, &n, &err), -1,
	    "NOTIFICATION body of 1 byte refused");

	memset(big, 0xab, sizeof(big));
	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_notification(&w, BGP_ERR_UPDATE, 1, big,
	    sizeof(big));
	is_int(len, BGP_MAX_MSG_LEN, "long data truncated to 4096 bytes");
}

static void
test_route_refresh(void)
{
	uint8_t buf[64];
	struct bgp_error err;
	struct wbuf w;
	uint16_t afi = 0;
	uint8_t safi = 0, subtype = 9;
	size_t len;

	wbuf_init(&w, buf, sizeof(buf));
	len = bgp_msg_encode_route_refresh(&w, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	ok(len == 23 && bytes_equal_hex(buf, len, MARKER "0017 05 0002 00 01"),
	    "ROUTE-REFRESH encoded");
	ok(bgp_msg_parse_route_refresh(buf + 19, 4, &afi, &safi, &subtype,
	    &err) == 0 && afi == 2 && safi == 1 && subtype == 0,
	    "ROUTE-REFRESH parsed");
	hex_to_bytes("0001 02 01", buf, sizeof(buf));
	ok(bgp_msg_parse_route_refresh(buf, 4, &afi, &safi, &subtype,
	    &err) == 0 && subtype == 2, "RFC 7313 EoRR subtype");
	hex_to_bytes("0001 00 01 00", buf, sizeof(buf));
	is_int(bgp_msg_parse_route_refresh(buf, 5, &afi, &safi, &subtype,
	    &err), -1, "ROUTE-REFRESH of 5 body bytes refused");
	ok(err.code == BGP_ERR_ROUTE_REFRESH && err.subcode == 1 &&
	    bytes_equal_hex(err.data, err.data_len,
	    MARKER "0018 05 0001 00 01 00"),
	    "RFC 7313 §5: Invalid Message Length with the whole message");
}

static void
test_names(void)
{
	is_str(bgp_error_code_name(BGP_ERR_CEASE), "Cease", "Cease");
	is_str(bgp_error_subcode_name(BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN),
	    "Administrative Shutdown", "Administrative Shutdown");
	is_str(bgp_error_code_name(BGP_ERR_UPDATE), "UPDATE Message Error",
	    "UPDATE Message Error");
	is_str(bgp_error_subcode_name(BGP_ERR_UPDATE, BGP_ERR_UPDATE_AS_PATH),
	    "Malformed AS_PATH", "Malformed AS_PATH");
	is_str(bgp_error_subcode_name(BGP_ERR_HEADER, BGP_ERR_HEADER_SYNC),
	    "Connection Not Synchronized", "Connection Not Synchronized");
	is_str(bgp_error_subcode_name(BGP_ERR_OPEN, BGP_ERR_OPEN_HOLD_TIME),
	    "Unacceptable Hold Time", "Unacceptable Hold Time");
	is_str(bgp_error_subcode_name(BGP_ERR_OPEN, BGP_ERR_OPEN_ROLE),
	    "Role Mismatch", "Role Mismatch (RFC 9234)");
	is_str(bgp_error_code_name(BGP_ERR_HOLD_TIMER), "Hold Timer Expired",
	    "Hold Timer Expired");
	is_str(bgp_error_subcode_name(BGP_ERR_HOLD_TIMER, 0), "Unspecific",
	    "subcode 0 is unspecific");
	is_str(bgp_error_subcode_name(BGP_ERR_FSM, BGP_ERR_FSM_ESTABLISHED),
	    "Receive Unexpected Message in Established State", "FSM subcode");
	is_str(bgp_error_subcode_name(BGP_ERR_ROUTE_REFRESH, 1),
	    "Invalid Message Length", "ROUTE-REFRESH subcode");
	is_str(bgp_error_code_name(99), "Unknown Error Code", "unknown code");
	is_str(bgp_error_subcode_name(BGP_ERR_UPDATE, 99), "Unknown Subcode",
	    "unknown subcode");
	is_str(bgp_error_subcode_name(BGP_ERR_OPEN, 8), "Unknown Subcode",
	    "deprecated hole in the table");
}

static void
test_shutdown(void)
{
	struct bgp_notification n;
	uint8_t data[300];
	char text[300];
	size_t len;

	len = hex_to_bytes("0d 6d61696e74656e616e6365 0a 21", data,
	    sizeof(data));
	n.code = BGP_ERR_CEASE;
	n.subcode = BGP_CEASE_ADMIN_SHUTDOWN;
	n.data = data;
	n.data_len = len;
	ok(bgp_shutdown_message(&n, text, sizeof(text)) == 0, "shutdown text");
	is_str(text, "maintenance?!", "control characters replaced");
	n.subcode = BGP_CEASE_ADMIN_RESET;
	ok(bgp_shutdown_message(&n, text, sizeof(text)) == 0,
	    "Administrative Reset carries one too");
	ok(bgp_shutdown_message(&n, text, 5) == 0 &&
	    strcmp(text, "main") == 0, "truncated to the buffer");
	n.data_len = 5;
	is_int(bgp_shutdown_message(&n, text, sizeof(text)), -1,
	    "length past the data refused");
	n.subcode = BGP_CEASE_PEER_DECONFIGURED;
	n.data_len = len;
	is_int(bgp_shutdown_message(&n, text, sizeof(text)), -1,
	    "other subcodes carry none");
	n.subcode = BGP_CEASE_ADMIN_SHUTDOWN;
	n.data_len = 0;
	is_int(bgp_shutdown_message(&n, text, sizeof(text)), -1, "no data");
	/* RFC 9003 §2: up to 255 octets. */
	memset(data, 'x', sizeof(data));
	data[0] = 200;
	n.data_len = 201;
	ok(bgp_shutdown_message(&n, text, sizeof(text)) == 0 &&
	    strlen(text) == 200, "RFC 9003: 200 octets accepted");
}

int
main(void)
{
	test_header();
	test_keepalive_and_begin();
	test_notification();
	test_route_refresh();
	test_names();
	test_shutdown();
	return tap_done();
}
