/*
 * bgp_msg.c - the BGP-4 message header, OPEN, NOTIFICATION, KEEPALIVE
 * and ROUTE-REFRESH messages, and the names of error codes.
 *
 * Pure codec: bytes in, structs or a struct bgp_error out, and the
 * reverse.  session.c decides what to do with an error; nothing here
 * sends, logs or allocates.  UPDATE lives in attr_codec.c, capabilities
 * in capability.c.
 *
 * RFC 4271 §4 and §6.1-§6.2, RFC 5492, RFC 9072 (extended optional
 * parameters length), RFC 2918 and RFC 7313 (route refresh), RFC 8654
 * (extended messages), RFC 8203/RFC 9003 (shutdown communication).
 */
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"

#define BGP_LENGTH_OFFSET	BGP_MARKER_LEN
#define BGP_TYPE_OFFSET		(BGP_MARKER_LEN + 2)
#define BGP_EXTENDED_MAX_LEN	65535	/* RFC 8654 §4 */
#define BGP_OPEN_FIXED_LEN	10	/* version .. opt param len */
#define BGP_HOLD_TIME_MIN	3	/* RFC 4271 §4.2: 0 or >= 3 */

/* Per-type length rule of RFC 4271 §6.1 (and RFC 2918 §3). */
struct msg_length_rule {
	uint16_t	 min;
	bool		 exact;
	bool		 standard_max;	/* 4096 even with RFC 8654 (§4) */
};

static const struct msg_length_rule msg_length_rules[] = {
	[BGP_MSG_OPEN] = { BGP_OPEN_MIN_LEN, false, true },
	[BGP_MSG_UPDATE] = { BGP_UPDATE_MIN_LEN, false, false },
	[BGP_MSG_NOTIFICATION] = { BGP_NOTIFICATION_MIN_LEN, false, false },
	[BGP_MSG_KEEPALIVE] = { BGP_KEEPALIVE_LEN, true, true },
	[BGP_MSG_ROUTE_REFRESH] = { BGP_ROUTE_REFRESH_LEN, true, false },
};

/* Fills err; data is copied, truncated to what a NOTIFICATION can carry. */
static int
msg_error(struct bgp_error *err, uint8_t code, uint8_t subcode,
    const void *data, size_t len, const char *reason)
{
	size_t room = BGP_MAX_MSG_LEN - BGP_NOTIFICATION_MIN_LEN;

	err->code = code;
	err->subcode = subcode;
	err->data_len = (uint16_t)(len < room ? len : room);
	if (err->data_len > 0)
		memcpy(err->data, data, err->data_len);
	err->reason = reason;
	return -1;
}

int
bgp_msg_parse_header(const uint8_t *data, size_t len, size_t max_len,
    uint8_t *type, uint16_t *length, struct bgp_error *err)
{
	struct cursor c;
	uint8_t marker[BGP_MARKER_LEN];
	const struct msg_length_rule *rule;
	size_t i;

	cursor_init(&c, data, len);
	if (cursor_get_bytes(&c, marker, sizeof(marker)) == -1 ||
	    cursor_get_u16(&c, length) == -1 || cursor_get_u8(&c, type) == -1)
		return msg_error(err, BGP_ERR_HEADER, BGP_ERR_HEADER_LENGTH,
		    NULL, 0, "short header");
	for (i = 0; i < sizeof(marker); i++)
		if (marker[i] != 0xff)
			return msg_error(err, BGP_ERR_HEADER,
			    BGP_ERR_HEADER_SYNC, NULL, 0, "bad marker");
	/* RFC 4271 §6.1: the data is the erroneous Length field. */
	if (*length < BGP_HEADER_LEN || *length > max_len)
		return msg_error(err, BGP_ERR_HEADER, BGP_ERR_HEADER_LENGTH,
		    data + BGP_LENGTH_OFFSET, 2, "bad message length");
	if (*type == 0 || *type >= sizeof(msg_length_rules) /
	    sizeof(msg_length_rules[0]))
		return msg_error(err, BGP_ERR_HEADER, BGP_ERR_HEADER_TYPE,
		    data + BGP_TYPE_OFFSET, 1, "bad message type");
	rule = &msg_length_rules[*type];
	if (*length < rule->min || (rule->exact && *length != rule->min) ||
	    (rule->standard_max && *length > BGP_MAX_MSG_LEN))
		return msg_error(err, BGP_ERR_HEADER, BGP_ERR_HEADER_LENGTH,
		    data + BGP_LENGTH_OFFSET, 2,
		    "bad message length for its type");
	return 0;
}

/* Starts a message at the end of w; returns its offset. */
static size_t
msg_begin_at(struct wbuf *w, uint8_t type)
{
	static const uint8_t marker[BGP_MARKER_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	size_t start = w->len;

	wbuf_put_bytes(w, marker, sizeof(marker));
	wbuf_put_u16(w, 0);
	wbuf_put_u8(w, type);
	return start;
}

static size_t
msg_finish_at(struct wbuf *w, size_t start)
{
	size_t len;

	if (w->overflow)
		return 0;
	len = w->len - start;
	if (len > BGP_EXTENDED_MAX_LEN)
		return 0;
	wbuf_patch_u16(w, start + BGP_LENGTH_OFFSET, (uint16_t)len);
	return len;
}

void
bgp_msg_begin(struct wbuf *w, uint8_t type)
{
	(void)msg_begin_at(w, type);
}

size_t
bgp_msg_finish(struct wbuf *w)
{
	return msg_finish_at(w, 0);
}

/* ---- OPEN ------------------------------------------------------------ */

static int
open_error(struct bgp_error *err, uint8_t subcode, const char *reason)
{
	return msg_error(err, BGP_ERR_OPEN, subcode, NULL, 0, reason);
}

/*
 * RFC 9072 §2: a non-extended length of 255 followed by a first
 * parameter type of 255 announces the extended form, where the length
 * and every parameter length are 2 octets.  Leaves *params over the
 * parameters and *extended set accordingly.
 */
static int
open_params_locate(struct cursor *c, struct cursor *params, bool *extended,
    struct bgp_error *err)
{
	uint8_t len, marker;
	uint16_t extended_len;

	*extended = false;
	if (cursor_get_u8(c, &len) == -1)
		return open_error(err, 0, "OPEN too short");
	if (len == BGP_OPT_PARAM_EXTENDED_LENGTH && cursor_left(c) > 0 &&
	    c->pos[0] == BGP_OPT_PARAM_EXTENDED_LENGTH) {
		if (cursor_get_u8(c, &marker) == -1 ||
		    cursor_get_u16(c, &extended_len) == -1)
			return open_error(err, 0,
			    "truncated extended parameters length");
		*extended = true;
		if (cursor_get_sub(c, extended_len, params) == -1 ||
		    cursor_left(c) != 0)
			return open_error(err, 0,
			    "optional parameters length mismatch");
		return 0;
	}
	if (cursor_get_sub(c, len, params) == -1 || cursor_left(c) != 0)
		return open_error(err, 0, "optional parameters length mismatch");
	return 0;
}

/* Walks the optional parameters; only Capabilities (RFC 5492) is known. */
static int
open_params_parse(struct cursor *params, bool extended, struct bgp_open *open,
    struct bgp_error *err)
{
	struct cursor value;
	uint8_t type, short_len;
	uint16_t len;

	while (cursor_left(params) > 0) {
		if (cursor_get_u8(params, &type) == -1)
			return open_error(err, 0, "truncated parameter");
		if (extended) {
			if (cursor_get_u16(params, &len) == -1)
				return open_error(err, 0,
				    "truncated parameter");
		} else {
			if (cursor_get_u8(params, &short_len) == -1)
				return open_error(err, 0,
				    "truncated parameter");
			len = short_len;
		}
		if (cursor_get_sub(params, len, &value) == -1)
			return open_error(err, 0,
			    "parameter overruns the parameters");
		/* RFC 4271 §6.2: an unrecognized parameter, subcode 4. */
		if (type != BGP_OPT_PARAM_CAPABILITIES)
			return open_error(err, BGP_ERR_OPEN_OPTIONAL_PARAM,
			    "unsupported optional parameter");
		open->has_capabilities = true;
		if (bgp_caps_parse(&value, &open->caps, err) == -1)
			return -1;
	}
	return 0;
}

int
bgp_msg_parse_open(const uint8_t *body, size_t len, struct bgp_open *open,
    struct bgp_error *err)
{
	static const uint8_t supported_version[2] = { 0, BGP_VERSION };
	struct cursor c, params;
	bool extended;

	memset(open, 0, sizeof(*open));
	cursor_init(&c, body, len);
	if (cursor_get_u8(&c, &open->version) == -1 ||
	    cursor_get_u16(&c, &open->my_as) == -1 ||
	    cursor_get_u16(&c, &open->hold_time) == -1 ||
	    cursor_get_u32(&c, &open->bgp_id) == -1)
		return open_error(err, 0, "OPEN too short");
	/* RFC 4271 §6.2: data is the highest version we support. */
	if (open->version != BGP_VERSION)
		return msg_error(err, BGP_ERR_OPEN, BGP_ERR_OPEN_VERSION,
		    supported_version, sizeof(supported_version),
		    "unsupported version");
	if (open->hold_time > 0 && open->hold_time < BGP_HOLD_TIME_MIN)
		return open_error(err, BGP_ERR_OPEN_HOLD_TIME,
		    "unacceptable hold time");
	/* RFC 6286 §2.2: zero is invalid; all-ones is no host address. */
	if (open->bgp_id == 0 || open->bgp_id == UINT32_MAX)
		return open_error(err, BGP_ERR_OPEN_BGP_ID,
		    "bad BGP identifier");
	if (open_params_locate(&c, &params, &extended, err) == -1)
		return -1;
	return open_params_parse(&params, extended, open, err);
}

/* Writes the capabilities parameter, in the RFC 9072 form if needed. */
static void
open_put_params(struct wbuf *w, const struct bgp_caps *caps)
{
	uint8_t value[BGP_MAX_MSG_LEN];
	struct wbuf v;

	wbuf_init(&v, value, sizeof(value));
	bgp_caps_encode(&v, caps);
	if (v.overflow) {
		w->overflow = true;
		return;
	}
	if (v.len == 0) {
		wbuf_put_u8(w, 0);
	} else if (v.len + 2 <= UINT8_MAX) {
		wbuf_put_u8(w, (uint8_t)(v.len + 2));
		wbuf_put_u8(w, BGP_OPT_PARAM_CAPABILITIES);
		wbuf_put_u8(w, (uint8_t)v.len);
		wbuf_put_bytes(w, value, v.len);
	} else {
		wbuf_put_u8(w, BGP_OPT_PARAM_EXTENDED_LENGTH);
		wbuf_put_u8(w, BGP_OPT_PARAM_EXTENDED_LENGTH);
		wbuf_put_u16(w, (uint16_t)(v.len + 3));
		wbuf_put_u8(w, BGP_OPT_PARAM_CAPABILITIES);
		wbuf_put_u16(w, (uint16_t)v.len);
		wbuf_put_bytes(w, value, v.len);
	}
}

/*
 * RFC 6793 §4.1: My Autonomous System is AS_TRANS for a local AS above
 * 65535; the 4-octet AS capability carries local_as itself.
 */
size_t
bgp_msg_encode_open(struct wbuf *w, uint32_t local_as, uint16_t hold_time,
    uint32_t bgp_id, const struct bgp_caps *caps)
{
	struct bgp_caps sent = *caps;
	size_t start = msg_begin_at(w, BGP_MSG_OPEN);

	if (sent.as4)
		sent.as4_number = local_as;
	wbuf_put_u8(w, BGP_VERSION);
	wbuf_put_u16(w, local_as > UINT16_MAX ? BGP_AS_TRANS :
	    (uint16_t)local_as);
	wbuf_put_u16(w, hold_time);
	wbuf_put_u32(w, bgp_id);
	open_put_params(w, &sent);
	return msg_finish_at(w, start);
}

/* ---- NOTIFICATION, KEEPALIVE, ROUTE-REFRESH ------------------------ */

int
bgp_msg_parse_notification(const uint8_t *body, size_t len,
    struct bgp_notification *n, struct bgp_error *err)
{
	struct cursor c;

	cursor_init(&c, body, len);
	if (cursor_get_u8(&c, &n->code) == -1 ||
	    cursor_get_u8(&c, &n->subcode) == -1)
		return msg_error(err, BGP_ERR_HEADER, BGP_ERR_HEADER_LENGTH,
		    NULL, 0, "NOTIFICATION too short");
	n->data = c.pos;
	n->data_len = cursor_left(&c);
	return 0;
}

size_t
bgp_msg_encode_notification(struct wbuf *w, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t data_len)
{
	size_t start = msg_begin_at(w, BGP_MSG_NOTIFICATION);
	size_t room = BGP_MAX_MSG_LEN - BGP_NOTIFICATION_MIN_LEN;

	wbuf_put_u8(w, code);
	wbuf_put_u8(w, subcode);
	if (data != NULL)
		wbuf_put_bytes(w, data, data_len < room ? data_len : room);
	return msg_finish_at(w, start);
}

size_t
bgp_msg_encode_keepalive(struct wbuf *w)
{
	return msg_finish_at(w, msg_begin_at(w, BGP_MSG_KEEPALIVE));
}

/*
 * RFC 2918 §3 / RFC 7313 §3: AFI (2), subtype (1, reserved in RFC 2918),
 * SAFI (1).  RFC 7313 §5: a wrong length is ROUTE-REFRESH Message Error
 * / Invalid Message Length, with the complete message as data.
 */
int
bgp_msg_parse_route_refresh(const uint8_t *body, size_t len, uint16_t *afi,
    uint8_t *safi, uint8_t *subtype, struct bgp_error *err)
{
	uint8_t message[BGP_MAX_MSG_LEN];
	struct cursor c;
	struct wbuf w;
	size_t start;

	cursor_init(&c, body, len);
	if (len == 4 && cursor_get_u16(&c, afi) == 0 &&
	    cursor_get_u8(&c, subtype) == 0 && cursor_get_u8(&c, safi) == 0)
		return 0;
	wbuf_init(&w, message, sizeof(message));
	start = msg_begin_at(&w, BGP_MSG_ROUTE_REFRESH);
	wbuf_put_bytes(&w, body, len < sizeof(message) - BGP_HEADER_LEN ?
	    len : sizeof(message) - BGP_HEADER_LEN);
	msg_finish_at(&w, start);
	return msg_error(err, BGP_ERR_ROUTE_REFRESH, 1, message, w.len,
	    "bad ROUTE-REFRESH length");
}

size_t
bgp_msg_encode_route_refresh(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	size_t start = msg_begin_at(w, BGP_MSG_ROUTE_REFRESH);

	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, 0);	/* RFC 7313: normal route refresh */
	wbuf_put_u8(w, safi);
	return msg_finish_at(w, start);
}

/* ---- error names ----------------------------------------------------- */

struct error_names {
	const char		*name;
	const char *const	*subcodes;
	size_t			 count;
};

#define NAMES(a)	(a), sizeof(a) / sizeof((a)[0])

static const char *const header_subcodes[] = {
	"Unspecific", "Connection Not Synchronized", "Bad Message Length",
	"Bad Message Type",
};
/* IANA "OPEN Message Error subcodes"; 5 and 8-10 are deprecated. */
static const char *const open_subcodes[] = {
	"Unspecific", "Unsupported Version Number", "Bad Peer AS",
	"Bad BGP Identifier", "Unsupported Optional Parameter",
	"Authentication Failure (deprecated)", "Unacceptable Hold Time",
	"Unsupported Capability", NULL, NULL, NULL, "Role Mismatch",
};
static const char *const update_subcodes[] = {
	"Unspecific", "Malformed Attribute List",
	"Unrecognized Well-known Attribute", "Missing Well-known Attribute",
	"Attribute Flags Error", "Attribute Length Error",
	"Invalid ORIGIN Attribute", "AS Routing Loop (deprecated)",
	"Invalid NEXT_HOP Attribute", "Optional Attribute Error",
	"Invalid Network Field", "Malformed AS_PATH",
};
/* RFC 6608. */
static const char *const fsm_subcodes[] = {
	"Unspecified Error", "Receive Unexpected Message in OpenSent State",
	"Receive Unexpected Message in OpenConfirm State",
	"Receive Unexpected Message in Established State",
};
/* RFC 4486, RFC 8538, RFC 9384. */
static const char *const cease_subcodes[] = {
	"Unspecific", "Maximum Number of Prefixes Reached",
	"Administrative Shutdown", "Peer De-configured",
	"Administrative Reset", "Connection Rejected",
	"Other Configuration Change", "Connection Collision Resolution",
	"Out of Resources", "Hard Reset", "BFD Down",
};
/* RFC 7313 §5. */
static const char *const route_refresh_subcodes[] = {
	"Reserved", "Invalid Message Length",
};

static const struct error_names error_table[] = {
	[BGP_ERR_HEADER] = { "Message Header Error", NAMES(header_subcodes) },
	[BGP_ERR_OPEN] = { "OPEN Message Error", NAMES(open_subcodes) },
	[BGP_ERR_UPDATE] = { "UPDATE Message Error", NAMES(update_subcodes) },
	[BGP_ERR_HOLD_TIMER] = { "Hold Timer Expired", NULL, 0 },
	[BGP_ERR_FSM] = { "Finite State Machine Error", NAMES(fsm_subcodes) },
	[BGP_ERR_CEASE] = { "Cease", NAMES(cease_subcodes) },
	[BGP_ERR_ROUTE_REFRESH] = { "ROUTE-REFRESH Message Error",
	    NAMES(route_refresh_subcodes) },
	[8] = { "Send Hold Timer Expired", NULL, 0 },	/* RFC 9687 */
};

const char *
bgp_error_code_name(uint8_t code)
{
	if (code >= sizeof(error_table) / sizeof(error_table[0]) ||
	    error_table[code].name == NULL)
		return "Unknown Error Code";
	return error_table[code].name;
}

const char *
bgp_error_subcode_name(uint8_t code, uint8_t subcode)
{
	const struct error_names *names;

	if (code >= sizeof(error_table) / sizeof(error_table[0]) ||
	    error_table[code].name == NULL)
		return "Unknown Subcode";
	names = &error_table[code];
	if (subcode < names->count && names->subcodes[subcode] != NULL)
		return names->subcodes[subcode];
	return subcode == 0 ? "Unspecific" : "Unknown Subcode";
}

/*
 * RFC 9003 §2 (which updates RFC 8203): Cease / Administrative Shutdown
 * or Administrative Reset may carry a length octet and that many octets
 * of UTF-8.  Copies it into buf with control characters replaced, since
 * it is peer-supplied text bound for logs.  Returns 0, or -1 if n holds
 * no such message.
 */
int
bgp_shutdown_message(const struct bgp_notification *n, char *buf,
    size_t size)
{
	struct cursor c;
	uint8_t len, byte;
	size_t i = 0;

	if (size == 0 || n->code != BGP_ERR_CEASE ||
	    (n->subcode != BGP_CEASE_ADMIN_SHUTDOWN &&
	    n->subcode != BGP_CEASE_ADMIN_RESET))
		return -1;
	cursor_init(&c, n->data, n->data_len);
	if (cursor_get_u8(&c, &len) == -1 || len == 0 ||
	    cursor_left(&c) < len)
		return -1;
	while (len-- > 0 && cursor_get_u8(&c, &byte) == 0 && i + 1 < size)
		buf[i++] = byte < 0x20 || byte == 0x7f ? '?' : (char)byte;
	buf[i] = '\0';
	return 0;
}
