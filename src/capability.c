/*
 * capability.c - BGP capabilities (RFC 5492): parse, encode, negotiate.
 *
 * The OPEN parser (bgp_msg.c) hands each Capabilities optional parameter
 * to bgp_caps_parse(), which walks the code/length/value triples through
 * a cursor and dispatches on a table of known codes.  Unknown codes are
 * recorded, not refused (RFC 5492 §3 lets a speaker ignore what it does
 * not understand).  Pure: no allocation, no state.
 *
 * RFC 4760 (multiprotocol), RFC 2918/RFC 7313 (route refresh), RFC 6793
 * (4-octet AS), RFC 8950 (extended next hop), RFC 4724 (graceful
 * restart), RFC 8654 (extended message), RFC 7911 (add-path),
 * draft-walton-bgp-hostname (FQDN).
 */
#include <string.h>

#include "bgp_msg.h"

/* RFC 4724 §3: Restart Flags (4 bits) and Restart Time (12 bits). */
#define GR_FLAG_RESTART_STATE		0x8000
#define GR_RESTART_TIME_MASK		0x0fff
#define GR_AF_FLAG_FORWARDING		0x80
#define HOSTNAME_MAX_LEN		63	/* struct bgp_caps.hostname */

/* Each parser sees the capability value; -1 means malformed. */
struct capability_desc {
	uint8_t		 code;
	int		(*parse)(struct cursor *, struct bgp_caps *);
};

static int
cap_multiprotocol(struct cursor *c, struct bgp_caps *caps)
{
	uint16_t afi;
	uint8_t reserved, safi;

	/* RFC 4760 §8: AFI (2), Reserved (1), SAFI (1). */
	if (cursor_left(c) != 4 || cursor_get_u16(c, &afi) == -1 ||
	    cursor_get_u8(c, &reserved) == -1 ||
	    cursor_get_u8(c, &safi) == -1)
		return -1;
	caps->multiprotocol = true;
	if (safi != BGP_SAFI_UNICAST)
		return 0;
	if (afi == BGP_AFI_IPV4)
		caps->ipv4_unicast = true;
	else if (afi == BGP_AFI_IPV6)
		caps->ipv6_unicast = true;
	return 0;
}

/* RFC 2918 §2: no value.  Trailing bytes are ignored, not fatal. */
static int
cap_route_refresh(struct cursor *c, struct bgp_caps *caps)
{
	caps->route_refresh = true;
	return 0;
}

static int
cap_enhanced_route_refresh(struct cursor *c, struct bgp_caps *caps)
{
	caps->enhanced_route_refresh = true;
	return 0;
}

/* RFC 8950 §3: tuples of NLRI AFI (2), NLRI SAFI (2), next hop AFI (2). */
static int
cap_extended_next_hop(struct cursor *c, struct bgp_caps *caps)
{
	uint16_t afi, safi, nexthop_afi;

	if (cursor_left(c) % 6 != 0)
		return -1;
	while (cursor_get_u16(c, &afi) == 0 &&
	    cursor_get_u16(c, &safi) == 0 &&
	    cursor_get_u16(c, &nexthop_afi) == 0)
		if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST &&
		    nexthop_afi == BGP_AFI_IPV6)
			caps->extended_next_hop_ipv4 = true;
	return 0;
}

/* RFC 8654 §3: no value. */
static int
cap_extended_message(struct cursor *c, struct bgp_caps *caps)
{
	caps->extended_message = true;
	return 0;
}

/* RFC 4724 §3: flags and time, then AFI (2), SAFI (1), flags (1) each. */
static int
cap_graceful_restart(struct cursor *c, struct bgp_caps *caps)
{
	uint16_t header, afi;
	uint8_t safi, flags;

	if (cursor_get_u16(c, &header) == -1 || cursor_left(c) % 4 != 0)
		return -1;
	caps->graceful_restart = true;
	caps->restart_state = (header & GR_FLAG_RESTART_STATE) != 0;
	caps->restart_time = header & GR_RESTART_TIME_MASK;
	while (cursor_get_u16(c, &afi) == 0 && cursor_get_u8(c, &safi) == 0 &&
	    cursor_get_u8(c, &flags) == 0) {
		if (safi != BGP_SAFI_UNICAST ||
		    !(flags & GR_AF_FLAG_FORWARDING))
			continue;
		if (afi == BGP_AFI_IPV4)
			caps->gr_ipv4 = true;
		else if (afi == BGP_AFI_IPV6)
			caps->gr_ipv6 = true;
	}
	return 0;
}

/* RFC 6793 §3: the 4-octet AS number. */
static int
cap_as4(struct cursor *c, struct bgp_caps *caps)
{
	if (cursor_left(c) != 4 || cursor_get_u32(c, &caps->as4_number) == -1)
		return -1;
	caps->as4 = true;
	return 0;
}

/* RFC 7911 §4: recorded only, flatbgp never negotiates add-path. */
static int
cap_add_path(struct cursor *c, struct bgp_caps *caps)
{
	if (cursor_left(c) % 4 != 0)
		return -1;
	caps->add_path = true;
	return 0;
}

/*
 * draft-walton-bgp-hostname §3: hostname length (1), hostname, domain
 * length (1), domain.  Only the host name is kept, made printable: it is
 * peer-supplied text that ends up in logs and on terminals.
 */
static int
cap_fqdn(struct cursor *c, struct bgp_caps *caps)
{
	struct cursor name;
	uint8_t len, byte;
	size_t i = 0;

	if (cursor_get_u8(c, &len) == -1 ||
	    cursor_get_sub(c, len, &name) == -1)
		return -1;
	while (cursor_get_u8(&name, &byte) == 0 &&
	    i + 1 < sizeof(caps->hostname))
		caps->hostname[i++] = byte >= 0x20 && byte < 0x7f ?
		    (char)byte : '?';
	caps->hostname[i] = '\0';
	return 0;
}

static const struct capability_desc capability_table[] = {
	{ BGP_CAP_MULTIPROTOCOL, cap_multiprotocol },
	{ BGP_CAP_ROUTE_REFRESH, cap_route_refresh },
	{ BGP_CAP_EXTENDED_NEXT_HOP, cap_extended_next_hop },
	{ BGP_CAP_EXTENDED_MESSAGE, cap_extended_message },
	{ BGP_CAP_GRACEFUL_RESTART, cap_graceful_restart },
	{ BGP_CAP_AS4, cap_as4 },
	{ BGP_CAP_ADD_PATH, cap_add_path },
	{ BGP_CAP_ENHANCED_ROUTE_REFRESH, cap_enhanced_route_refresh },
	{ BGP_CAP_FQDN, cap_fqdn },
	{ BGP_CAP_ROUTE_REFRESH_CISCO, cap_route_refresh },
};

static const struct capability_desc *
capability_lookup(uint8_t code)
{
	size_t i;

	for (i = 0; i < sizeof(capability_table) /
	    sizeof(capability_table[0]); i++)
		if (capability_table[i].code == code)
			return &capability_table[i];
	return NULL;
}

static void
capability_record_unknown(struct bgp_caps *caps, uint8_t code)
{
	size_t i;

	for (i = 0; i < caps->unknown_count; i++)
		if (caps->unknown_codes[i] == code)
			return;
	if (caps->unknown_count < BGP_MAX_UNKNOWN_CAPS)
		caps->unknown_codes[caps->unknown_count++] = code;
}

static int
capability_error(struct bgp_error *err, const char *reason)
{
	memset(err, 0, sizeof(*err));
	err->code = BGP_ERR_OPEN;
	err->subcode = 0;	/* unspecific: see bgp_msg.h */
	err->reason = reason;
	return -1;
}

int
bgp_caps_parse(struct cursor *c, struct bgp_caps *caps,
    struct bgp_error *err)
{
	const struct capability_desc *desc;
	struct cursor value;
	uint8_t code, len;

	while (cursor_left(c) > 0) {
		if (cursor_get_u8(c, &code) == -1 ||
		    cursor_get_u8(c, &len) == -1 ||
		    cursor_get_sub(c, len, &value) == -1)
			return capability_error(err,
			    "capability overruns its parameter");
		desc = capability_lookup(code);
		if (desc == NULL) {
			capability_record_unknown(caps, code);
			continue;
		}
		if (desc->parse(&value, caps) == -1)
			return capability_error(err, "malformed capability");
	}
	return 0;
}

static void
cap_put_header(struct wbuf *w, uint8_t code, uint8_t len)
{
	wbuf_put_u8(w, code);
	wbuf_put_u8(w, len);
}

static void
cap_put_multiprotocol(struct wbuf *w, uint16_t afi)
{
	cap_put_header(w, BGP_CAP_MULTIPROTOCOL, 4);
	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, BGP_SAFI_UNICAST);
}

static void
cap_put_graceful_restart(struct wbuf *w, const struct bgp_caps *caps)
{
	uint8_t families = (caps->ipv4_unicast ? 1 : 0) +
	    (caps->ipv6_unicast ? 1 : 0);

	cap_put_header(w, BGP_CAP_GRACEFUL_RESTART, (uint8_t)(2 + 4 * families));
	wbuf_put_u16(w, (uint16_t)((caps->restart_state ?
	    GR_FLAG_RESTART_STATE : 0) |
	    (caps->restart_time & GR_RESTART_TIME_MASK)));
	if (caps->ipv4_unicast) {
		wbuf_put_u16(w, BGP_AFI_IPV4);
		wbuf_put_u8(w, BGP_SAFI_UNICAST);
		wbuf_put_u8(w, caps->gr_ipv4 ? GR_AF_FLAG_FORWARDING : 0);
	}
	if (caps->ipv6_unicast) {
		wbuf_put_u16(w, BGP_AFI_IPV6);
		wbuf_put_u8(w, BGP_SAFI_UNICAST);
		wbuf_put_u8(w, caps->gr_ipv6 ? GR_AF_FLAG_FORWARDING : 0);
	}
}

static void
cap_put_fqdn(struct wbuf *w, const char *hostname)
{
	size_t len = 0;

	while (len < HOSTNAME_MAX_LEN && hostname[len] != '\0')
		len++;

	cap_put_header(w, BGP_CAP_FQDN, (uint8_t)(len + 2));
	wbuf_put_u8(w, (uint8_t)len);
	wbuf_put_bytes(w, hostname, len);
	wbuf_put_u8(w, 0);	/* no domain name */
}

/*
 * One capability per code, in code order; the graceful restart AF list
 * names the enabled unicast families with the F bit from gr_ipv4/6.
 */
void
bgp_caps_encode(struct wbuf *w, const struct bgp_caps *caps)
{
	if (caps->ipv4_unicast)
		cap_put_multiprotocol(w, BGP_AFI_IPV4);
	if (caps->ipv6_unicast)
		cap_put_multiprotocol(w, BGP_AFI_IPV6);
	if (caps->route_refresh)
		cap_put_header(w, BGP_CAP_ROUTE_REFRESH, 0);
	if (caps->extended_next_hop_ipv4) {
		cap_put_header(w, BGP_CAP_EXTENDED_NEXT_HOP, 6);
		wbuf_put_u16(w, BGP_AFI_IPV4);
		wbuf_put_u16(w, BGP_SAFI_UNICAST);
		wbuf_put_u16(w, BGP_AFI_IPV6);
	}
	if (caps->extended_message)
		cap_put_header(w, BGP_CAP_EXTENDED_MESSAGE, 0);
	if (caps->graceful_restart)
		cap_put_graceful_restart(w, caps);
	if (caps->as4) {
		cap_put_header(w, BGP_CAP_AS4, 4);
		wbuf_put_u32(w, caps->as4_number);
	}
	if (caps->enhanced_route_refresh)
		cap_put_header(w, BGP_CAP_ENHANCED_ROUTE_REFRESH, 0);
	if (caps->hostname[0] != '\0')
		cap_put_fqdn(w, caps->hostname);
}

/*
 * RFC 5492 §3: a capability is in use when both sides advertised it.  A
 * side without any multiprotocol capability speaks IPv4 unicast only
 * (RFC 4760 §1).  What describes the peer (its AS, restart time and
 * flags, host name, unknown codes) is taken from remote.
 */
void
bgp_caps_negotiate(const struct bgp_caps *local,
    const struct bgp_caps *remote, struct bgp_caps *out)
{
	bool local_v4 = local->multiprotocol ? local->ipv4_unicast : true;
	bool remote_v4 = remote->multiprotocol ? remote->ipv4_unicast : true;

	memset(out, 0, sizeof(*out));
	out->multiprotocol = local->multiprotocol && remote->multiprotocol;
	out->ipv4_unicast = local_v4 && remote_v4;
	out->ipv6_unicast = local->ipv6_unicast && remote->ipv6_unicast;
	out->as4 = local->as4 && remote->as4;
	out->as4_number = remote->as4_number;
	out->route_refresh = local->route_refresh && remote->route_refresh;
	out->enhanced_route_refresh = local->enhanced_route_refresh &&
	    remote->enhanced_route_refresh;
	out->extended_next_hop_ipv4 = local->extended_next_hop_ipv4 &&
	    remote->extended_next_hop_ipv4;
	out->graceful_restart = local->graceful_restart &&
	    remote->graceful_restart;
	if (out->graceful_restart) {
		out->restart_time = remote->restart_time;
		out->restart_state = remote->restart_state;
		out->gr_ipv4 = remote->gr_ipv4;
		out->gr_ipv6 = remote->gr_ipv6;
	}
	out->extended_message = local->extended_message &&
	    remote->extended_message;
	out->add_path = local->add_path && remote->add_path;
	/*
	 * The peer's host name and the codes we do not understand are
	 * what it advertised, not something both sides agreed on: they
	 * stay in its received set only.
	 */
}
