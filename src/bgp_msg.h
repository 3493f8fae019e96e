/*
 * bgp_msg.h - the pure BGP-4 message codec.
 *
 * Bytes in, structs out, and the reverse; no sockets, no timers, no
 * allocation on the parse path.  A parse function either fills its
 * output struct and returns 0, or fills a struct bgp_error with the
 * NOTIFICATION code, subcode and data the RFC prescribes and returns -1;
 * session.c alone decides to send it.  UPDATE parsing follows RFC 7606:
 * most attribute errors downgrade to "treat as withdraw" or "attribute
 * discard" and are reported as warnings instead of errors.
 *
 * RFC 4271 (BGP-4), RFC 4760 (MP-BGP), RFC 5492 (capabilities),
 * RFC 6793 (4-octet AS), RFC 2918 (route refresh), RFC 7606 (revised
 * error handling), RFC 8950 (IPv4 NLRI with IPv6 next hop).
 */
#ifndef FLATBGP_BGP_MSG_H
#define FLATBGP_BGP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_wire.h"
#include "buf.h"
#include "prefix.h"

/* An error to send as NOTIFICATION (RFC 4271 §4.5). */
struct bgp_error {
	uint8_t		code;
	uint8_t		subcode;
	uint16_t	data_len;
	uint8_t		data[BGP_MAX_MSG_LEN];
	const char	*reason;	/* static text for the log */
};

/* ---- header ------------------------------------------------------- */

/*
 * Checks the 19-byte header at the start of data (len >= 19): marker all
 * ones, length 19..max_len, known type, and the per-type minimum/exact
 * length of RFC 4271 §6.1.  Returns 0 with *type and *length set, or -1
 * with err filled (Message Header Error).
 */
int bgp_msg_parse_header(const uint8_t *data, size_t len, size_t max_len,
    uint8_t *type, uint16_t *length, struct bgp_error *err);
/*
 * Writes a header with a zero length; patch with bgp_msg_finish().  The
 * pair assumes w holds this one message from offset 0 (the encode_*
 * functions below append to whatever w already holds).
 */
void bgp_msg_begin(struct wbuf *w, uint8_t type);
/* Patches the length field; returns the message length or 0 on overflow. */
size_t bgp_msg_finish(struct wbuf *w);

/* ---- capabilities (capability.c) ------------------------------------ */

#define BGP_MAX_UNKNOWN_CAPS	16

/* What one side's OPEN advertised, and after negotiation, what both did. */
struct bgp_caps {
	bool		 multiprotocol;	/* any MP capability seen */
	bool		 ipv4_unicast;	/* MP AFI 1 SAFI 1 */
	bool		 ipv6_unicast;	/* MP AFI 2 SAFI 1 */
	bool		 as4;
	uint32_t	 as4_number;
	bool		 route_refresh;	/* code 2 or 128 */
	bool		 enhanced_route_refresh;
	/* RFC 8950: IPv4 unicast NLRI with an IPv6 next hop. */
	bool		 extended_next_hop_ipv4;
	bool		 graceful_restart;
	uint16_t	 restart_time;
	bool		 restart_state;	/* R bit */
	bool		 gr_ipv4, gr_ipv6;	/* forwarding preserved per AF */
	bool		 extended_message;	/* RFC 8654 */
	bool		 add_path;	/* seen; we never negotiate it */
	char		 hostname[64];	/* FQDN capability, for display */
	uint8_t		 unknown_codes[BGP_MAX_UNKNOWN_CAPS];
	size_t		 unknown_count;
};

/*
 * Parses the Capabilities optional parameter's value (a sequence of
 * code/length/value) into caps, accumulating (an OPEN may carry several
 * such parameters).  Returns 0, or -1 with err = OPEN Message Error /
 * Unsupported Optional Parameter or malformed (subcode 0, RFC 5492 §3
 * leaves malformed capabilities to the implementation: we send
 * subcode 0 "unspecific" as BIRD and OpenBGPD do).
 */
int bgp_caps_parse(struct cursor *c, struct bgp_caps *caps,
    struct bgp_error *err);
/* Appends the capabilities value (no parameter header) for caps. */
void bgp_caps_encode(struct wbuf *w, const struct bgp_caps *caps);
/* Negotiated = what both sides advertised (RFC 5492 §3). */
void bgp_caps_negotiate(const struct bgp_caps *local,
    const struct bgp_caps *remote, struct bgp_caps *out);

/* ---- OPEN ------------------------------------------------------------ */

struct bgp_open {
	uint8_t		 version;
	uint16_t	 my_as;		/* 2-octet field, AS_TRANS if 4-octet */
	uint16_t	 hold_time;
	uint32_t	 bgp_id;	/* host order */
	struct bgp_caps	 caps;
	bool		 has_capabilities; /* any capability parameter */
};

/*
 * Parses an OPEN body (after the header).  Checks version (answering
 * subcode 1 with the highest supported version, 4, as data), hold time
 * (1 and 2 rejected, subcode 6), BGP identifier (0 and 255.255.255.255
 * rejected, subcode 3), optional parameter lengths (RFC 9072 extended
 * length understood).  Does not check the peer AS: the session knows
 * what it expects.
 */
int bgp_msg_parse_open(const uint8_t *body, size_t len,
    struct bgp_open *open, struct bgp_error *err);
/* Encodes a complete OPEN message into w. Returns message length or 0. */
size_t bgp_msg_encode_open(struct wbuf *w, uint32_t local_as,
    uint16_t hold_time, uint32_t bgp_id, const struct bgp_caps *caps);

/* ---- NOTIFICATION, KEEPALIVE, ROUTE-REFRESH ------------------------ */

struct bgp_notification {
	uint8_t		 code;
	uint8_t		 subcode;
	const uint8_t	*data;		/* points into the message */
	size_t		 data_len;
};

int bgp_msg_parse_notification(const uint8_t *body, size_t len,
    struct bgp_notification *n, struct bgp_error *err);
size_t bgp_msg_encode_notification(struct wbuf *w, uint8_t code,
    uint8_t subcode, const uint8_t *data, size_t data_len);
size_t bgp_msg_encode_keepalive(struct wbuf *w);
int bgp_msg_parse_route_refresh(const uint8_t *body, size_t len,
    uint16_t *afi, uint8_t *safi, uint8_t *subtype, struct bgp_error *err);
size_t bgp_msg_encode_route_refresh(struct wbuf *w, uint16_t afi,
    uint8_t safi);
/* "Hold Timer Expired", "Cease / Administrative Shutdown", ... */
const char *bgp_error_code_name(uint8_t code);
const char *bgp_error_subcode_name(uint8_t code, uint8_t subcode);
/* Human form of an RFC 8203 shutdown communication, if data holds one. */
int bgp_shutdown_message(const struct bgp_notification *n, char *buf,
    size_t size);

/* ---- path attributes ------------------------------------------------ */

/* Borrowed bytes, usually pointing into a received message. */
struct bytes {
	const uint8_t	*data;
	uint16_t	 len;
};

#define PA_ORIGIN		0x0001
#define PA_AS_PATH		0x0002
#define PA_NEXT_HOP		0x0004
#define PA_MED			0x0008
#define PA_LOCAL_PREF		0x0010
#define PA_ATOMIC_AGGREGATE	0x0020
#define PA_AGGREGATOR		0x0040
#define PA_COMMUNITIES		0x0080
#define PA_ORIGINATOR_ID	0x0100
#define PA_CLUSTER_LIST		0x0200
#define PA_LARGE_COMMUNITIES	0x0400
#define PA_MP_REACH		0x0800
#define PA_MP_UNREACH		0x1000
#define PA_EXT_COMMUNITIES	0x2000

/* A next hop: IPv4, or IPv6 global with an optional link-local. */
struct bgp_nexthop {
	struct ip_addr	 global;	/* family NONE if absent */
	struct ip_addr	 link_local;	/* family NONE if absent */
};

#define BGP_AS_PATH_SCRATCH	(BGP_MAX_MSG_LEN * 2)

/*
 * The path attributes of one UPDATE in decoded form.  The parser fills
 * it from a message: fields point into the message, except that on a
 * 2-octet session as_path is rewritten into as_path_buf in 4-octet form,
 * merging AS4_PATH per RFC 6793 §4.2.3 (on a 4-octet session it points
 * into the message, already in that form), and unknown into unknown_buf.  The encoder
 * reads the same struct, so adjout.c builds one from an interned
 * attribute set plus its export changes.
 */
struct path_attrs {
	uint32_t	 present;	/* PA_* */
	uint8_t		 origin;
	struct bytes	 as_path;	/* segments, 4-octet ASNs */
	struct bgp_nexthop nexthop;	/* NEXT_HOP or MP_REACH next hop */
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 aggregator_as;
	uint32_t	 aggregator_id;	/* host order */
	struct bytes	 communities;	/* 4 bytes each, wire order */
	struct bytes	 large_communities; /* 12 bytes each */
	struct bytes	 ext_communities;   /* 8 bytes each, carried */
	uint32_t	 originator_id;	/* host order */
	struct bytes	 cluster_list;	/* 4 bytes each */
	/*
	 * Unrecognized optional transitive attributes, concatenated as
	 * flags/type/length/value; passed on with the Partial bit set
	 * (RFC 4271 §5).
	 */
	struct bytes	 unknown;
	uint8_t		 as_path_buf[BGP_AS_PATH_SCRATCH];
	uint8_t		 unknown_buf[BGP_MAX_MSG_LEN];
};

/* Session parameters the codec needs (negotiated capabilities). */
struct bgp_codec_ctx {
	bool		 as4;		/* AS numbers are 4 octets on the wire */
	bool		 ibgp;		/* LOCAL_PREF expected, etc. */
	bool		 ipv4, ipv6;	/* negotiated unicast families */
	bool		 extended_next_hop_ipv4; /* RFC 8950 negotiated */
	uint32_t	 local_as;	/* for loop checks by the caller */
	/* RFC 8654 negotiated: the builder may fill 65535-byte UPDATEs. */
	bool		 extended_message;
};

/* ---- UPDATE --------------------------------------------------------- */

enum update_action {
	UPDATE_OK = 0,		/* apply as received */
	UPDATE_TREAT_AS_WITHDRAW, /* RFC 7606 §2: withdraw all NLRI */
};

#define BGP_MAX_WARNINGS	8

/* An RFC 7606 problem that did not reset the session, for the log. */
struct bgp_warning {
	const char	*what;		/* static text */
	uint8_t		 attr_type;
	const uint8_t	*bytes;		/* offending attribute, in message */
	size_t		 len;
};

/* A run of validated NLRI of one family, to iterate with nlri_next(). */
struct nlri_block {
	uint8_t		 family;	/* FAMILY_IPV4 / FAMILY_IPV6 */
	struct cursor	 cursor;
};

struct bgp_update {
	enum update_action action;
	struct nlri_block withdrawn;	/* IPv4 withdrawn routes */
	struct nlri_block announced;	/* IPv4 NLRI */
	struct nlri_block mp_announced;	/* MP_REACH NLRI (family set) */
	struct nlri_block mp_withdrawn;	/* MP_UNREACH NLRI (family set) */
	bool		 end_of_rib;	/* RFC 4724 §2 marker, family in */
	uint8_t		 end_of_rib_family; /* mp_withdrawn.family or v4 */
	/*
	 * The MP_REACH next hop.  attrs.nexthop holds it too, unless the
	 * message also carries classic IPv4 NLRI (allowed on receipt, RFC
	 * 7606 §5.1): then attrs.nexthop is NEXT_HOP and mp_announced must
	 * use this one.
	 */
	struct bgp_nexthop mp_nexthop;
	struct path_attrs attrs;
	struct bgp_warning warnings[BGP_MAX_WARNINGS];
	size_t		 warning_count;
};

/*
 * Parses an UPDATE body.  Returns 0 (check update->action), or -1 with
 * err filled when RFC 7606 requires a session reset (e.g. withdrawn
 * routes length or attribute length overrunning the message, malformed
 * MP_REACH/MP_UNREACH, NLRI syntax errors).  All NLRI are validated
 * here (prefix length <= family bits, bytes present), so nlri_next()
 * cannot fail afterwards.  NLRI of a family not negotiated in ctx are
 * an error per RFC 4760 §7 (we treat as withdraw and warn).
 */
int bgp_msg_parse_update(const uint8_t *body, size_t len,
    const struct bgp_codec_ctx *ctx, struct bgp_update *update,
    struct bgp_error *err);
/* Next prefix of a validated block; returns false at its end. */
bool nlri_next(struct nlri_block *block, struct prefix *out);

/*
 * UPDATE builder: one message with one attribute set and as many
 * prefixes of one family as fit.  Usage:
 *   bgp_update_begin(&b, w, ctx, attrs, family)  (attrs NULL: withdraw)
 *   while (bgp_update_add(&b, prefix) == 0) ...  (-1: full, send it)
 *   len = bgp_update_finish(&b);
 * IPv4 NLRI go in the classic fields (with NEXT_HOP) unless the next hop
 * is IPv6 (RFC 8950: MP_REACH); IPv6 NLRI in MP_REACH/MP_UNREACH.
 */
struct bgp_update_builder {
	struct wbuf	*w;
	uint8_t		 family;
	bool		 withdraw;
	bool		 use_mp;
	size_t		 msg_start;
	size_t		 withdrawn_len_offset;
	size_t		 attrs_len_offset;
	size_t		 mp_attr_len_offset;	/* MP attr length field */
	size_t		 mp_attr_value_start;
	size_t		 prefix_count;
	size_t		 limit;		/* max message length */
	/*
	 * RFC 7606 §5.1 puts MP_REACH first; the other attributes follow
	 * the NLRI it grows, so they are written by bgp_update_finish().
	 */
	const struct path_attrs *attrs;
	const struct bgp_codec_ctx *ctx;
	size_t		 trailer_len;	/* bytes of those attributes */
};

/*
 * Returns 0, or -1 if the message cannot be started: no room in w, a
 * family other than IPv4/IPv6, no usable next hop, an IPv6 next hop for
 * IPv4 without RFC 8950 negotiated, or attributes that alone overflow
 * the limit.  ctx and attrs must stay valid until bgp_update_finish().
 * LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST are only sent on iBGP
 * (RFC 4271 §5.1.5, RFC 4456 §8); ORIGIN and AS_PATH are always sent
 * (IGP and empty when absent from attrs).
 */
int bgp_update_begin(struct bgp_update_builder *b, struct wbuf *w,
    const struct bgp_codec_ctx *ctx, const struct path_attrs *attrs,
    uint8_t family);
/*
 * Adds p (of the builder's family); 0, or -1 if it does not fit (the
 * message stays valid; -1 with no prefix added yet means the attribute
 * set alone leaves no room for one).
 */
int bgp_update_add(struct bgp_update_builder *b, const struct prefix *p);
/*
 * Completes the message; returns its length, or 0 (and removes the
 * partial message from w) if no prefix was added or w overflowed.
 */
size_t bgp_update_finish(struct bgp_update_builder *b);
/* The End-of-RIB marker for family (RFC 4724 §2). */
size_t bgp_msg_encode_end_of_rib(struct wbuf *w, uint8_t family);

/* AS path helpers over the 4-octet segment form of path_attrs.as_path. */
/* Path length for best-path selection: AS_SET counts 1 (RFC 4271 §9.1.2.2). */
unsigned as_path_length(const uint8_t *path, size_t len);
bool as_path_contains(const uint8_t *path, size_t len, uint32_t asn);
/* First AS of the first AS_SEQUENCE (the neighbor AS), 0 if none. */
uint32_t as_path_first(const uint8_t *path, size_t len);
/* Prepends asn into out (cap bytes); returns the new length or 0. */
size_t as_path_prepend(const uint8_t *path, size_t len, uint32_t asn,
    uint8_t *out, size_t cap);
/*
 * "65001 65002 {65003,65004}" into buf; confederation segments as
 * "(65010 65011)" and "[65012 65013]".  Truncates safely.
 */
char *as_path_format(const uint8_t *path, size_t len, char *buf,
    size_t size);

/*
 * AS path wire forms, for the UPDATE codec (RFC 4271 §4.3, RFC 6793).
 * as_size is 2 or 4 (octets per ASN).
 */
enum as_path_check {
	AS_PATH_VALID = 0,
	AS_PATH_BAD_SEGMENT_TYPE,	/* not 1..4 */
	AS_PATH_ZERO_SEGMENT,		/* segment length 0 */
	AS_PATH_OVERRUN,		/* segment past the attribute */
	AS_PATH_UNDERRUN,		/* a lone trailing octet */
};
/* RFC 7606 §7.2 / RFC 6793 §6 syntax; *confed set if any confed segment. */
enum as_path_check as_path_validate(const uint8_t *path, size_t len,
    unsigned as_size, bool *confed);
/* Widens a validated 2-octet path into out; returns length or 0. */
size_t as_path_widen(const uint8_t *path, size_t len, uint8_t *out,
    size_t cap);
/*
 * RFC 6793 §4.2.3: the path of an OLD speaker.  as_path and as4_path are
 * validated 4-octet paths; writes the merged path to out and returns its
 * length (0 if it does not fit).  Confederation segments of AS4_PATH are
 * skipped (RFC 6793 §6); if AS_PATH holds fewer ASNs than AS4_PATH,
 * AS4_PATH is ignored and AS_PATH copied.
 */
size_t as_path_merge_as4(const uint8_t *as_path, size_t len,
    const uint8_t *as4_path, size_t as4_len, uint8_t *out, size_t cap);
/* True if path has a confederation segment. */
bool as_path_has_confed(const uint8_t *path, size_t len);
/*
 * Bytes of the 2-octet form of path; *as4_size is the size of the
 * AS4_PATH to send with it (RFC 6793 §4.2.2), 0 when no ASN outside
 * confederation segments exceeds 65535.
 */
size_t as_path_narrow_size(const uint8_t *path, size_t len,
    size_t *as4_size);
/* Appends the 2-octet form (AS_TRANS for ASNs > 65535, RFC 6793 §4.2.2). */
void as_path_put_narrow(struct wbuf *w, const uint8_t *path, size_t len);
/* Appends the AS4_PATH value: path without confederation segments. */
void as_path_put_as4(struct wbuf *w, const uint8_t *path, size_t len);

#endif /* FLATBGP_BGP_MSG_H */
