/*
 * attr_codec.c - UPDATE messages: the parser (path attributes, NLRI) and
 * the builder.
 *
 * Parsing is one pass over the message through cursors, with no
 * allocation: the withdrawn routes and NLRI are validated in place and
 * handed out as cursors (struct nlri_block), attribute values point into
 * the message, and only a 2-octet AS path is rewritten (into the scratch
 * buffer of struct path_attrs).  Each attribute type has a descriptor
 * (expected flags, parser) in attr_table.
 *
 * Errors follow RFC 7606: every problem is classified as one of the
 * approaches of §2 (attribute discard, treat-as-withdraw, session
 * reset), recorded as a warning, and the strongest wins (§3.h).  Only a
 * session reset returns -1; for treat-as-withdraw the RFC 4271 §6.3
 * NOTIFICATION is still computed, since §5.2 escalates it to a reset in
 * an UPDATE without reachable NLRI.
 *
 * The builder writes one UPDATE with one attribute set and as many
 * prefixes as fit, in O(bytes): attributes in type-code order (RFC 4271
 * §5), except that MP_REACH/MP_UNREACH come first (RFC 7606 §5.1).
 *
 * RFC 4271 §4.3/§5/§6.3, RFC 4760, RFC 7606, RFC 6793, RFC 8950,
 * RFC 1997, RFC 4360, RFC 4456, RFC 8092, RFC 4724 §2 (End-of-RIB).
 */
#include <stddef.h>
#include <string.h>

#include "bgp_msg.h"

#define BGP_EXTENDED_MAX_LEN	65535	/* RFC 8654 §4 */
#define ATTR_FLAGS_OT		(BGP_ATTR_FLAG_OPTIONAL | \
				 BGP_ATTR_FLAG_TRANSITIVE)
#define FLAGS_WELL_KNOWN	BGP_ATTR_FLAG_TRANSITIVE
#define FLAGS_OPTIONAL		BGP_ATTR_FLAG_OPTIONAL
#define FLAGS_TRANSITIVE	ATTR_FLAGS_OT
#define UPDATE_LENGTHS_LEN	4	/* the two 2-octet length fields */
#define AGGREGATOR_LEN_2OCTET	6
#define AGGREGATOR_LEN_4OCTET	8
#define AS4_PATH_MIN_LEN	6	/* RFC 6793 §6 */
#define MP_REACH_MIN_LEN	5	/* RFC 7606 §5.3 */
#define MP_UNREACH_MIN_LEN	3
#define MP_NEXT_HOP_V4		4
#define MP_NEXT_HOP_V6		16
#define MP_NEXT_HOP_V6_LL	32	/* global + link-local, RFC 2545 §3 */

/* RFC 7606 §2 approaches, weakest first: §3.h keeps the strongest. */
enum approach {
	APPROACH_NONE,
	APPROACH_DISCARD,
	APPROACH_WITHDRAW,
	APPROACH_RESET,
};

/* One received attribute. */
struct attr_view {
	uint8_t		 flags;
	uint8_t		 type;
	uint16_t	 len;
	const uint8_t	*value;
	const uint8_t	*raw;		/* flags .. end of value */
	size_t		 raw_len;
};

/* The state of one bgp_msg_parse_update() call. */
struct update_parse {
	const struct bgp_codec_ctx *ctx;
	struct bgp_update	*update;
	struct bgp_error	*err;
	enum approach		 worst;
	uint8_t			 seen[256 / 8];	/* type codes met */
	bool			 other_attrs;	/* besides MP_UNREACH, §5.2 */
	bool			 reach_foreign;	/* MP_REACH of another AF */
	bool			 next_hop_seen;
	uint32_t		 next_hop;	/* NEXT_HOP, host order */
	struct bytes		 narrow_as_path; /* 2-octet AS_PATH */
	struct bytes		 as4_path;
	bool			 as4_aggregator_seen;
	uint32_t		 as4_aggregator_as;
	uint32_t		 as4_aggregator_id;
};

/* ---- problems --------------------------------------------------------- */

static void
update_warn(struct update_parse *p, const char *what, uint8_t type,
    const uint8_t *bytes, size_t len)
{
	struct bgp_update *u = p->update;

	if (u->warning_count >= BGP_MAX_WARNINGS)
		return;
	u->warnings[u->warning_count].what = what;
	u->warnings[u->warning_count].attr_type = type;
	u->warnings[u->warning_count].bytes = bytes;
	u->warnings[u->warning_count].len = len;
	u->warning_count++;
}

/* Fills the NOTIFICATION (RFC 4271 §6.3) this problem would send. */
static void
update_set_error(struct update_parse *p, uint8_t subcode, const char *what,
    const uint8_t *data, size_t len)
{
	struct bgp_error *err = p->err;
	size_t room = BGP_MAX_MSG_LEN - BGP_NOTIFICATION_MIN_LEN;

	err->code = BGP_ERR_UPDATE;
	err->subcode = subcode;
	/* RFC 4271 §6.3 gives Malformed AS_PATH and Attribute List no data. */
	if (subcode == BGP_ERR_UPDATE_AS_PATH ||
	    subcode == BGP_ERR_UPDATE_ATTR_LIST)
		len = 0;
	err->data_len = (uint16_t)(len < room ? len : room);
	if (err->data_len > 0)
		memcpy(err->data, data, err->data_len);
	err->reason = what;
}

/*
 * Records a problem of the given approach.  Returns -1 for a session
 * reset (err filled), else 0.  bytes/len are the offending attribute
 * (the NOTIFICATION data of RFC 4271 §6.3 in most cases).
 */
static int
update_problem(struct update_parse *p, enum approach approach,
    uint8_t subcode, const char *what, uint8_t type, const uint8_t *bytes,
    size_t len)
{
	update_warn(p, what, type, bytes, len);
	if (approach > p->worst)
		p->worst = approach;
	if (approach == APPROACH_RESET ||
	    (approach == APPROACH_WITHDRAW && p->err->code == 0))
		update_set_error(p, subcode, what, bytes, len);
	return approach == APPROACH_RESET ? -1 : 0;
}

static int
attr_problem(struct update_parse *p, const struct attr_view *v,
    enum approach approach, uint8_t subcode, const char *what)
{
	return update_problem(p, approach, subcode, what, v->type, v->raw,
	    v->raw_len);
}

/* ---- NLRI ------------------------------------------------------------ */

/* RFC 7606 §5.3: every prefix length within the family, every byte there. */
static int
nlri_validate(const struct cursor *field, uint8_t family)
{
	struct cursor c = *field;
	unsigned bits = family_bits(family);
	uint8_t len;

	while (cursor_left(&c) > 0)
		if (cursor_get_u8(&c, &len) == -1 || len > bits ||
		    cursor_skip(&c, ((size_t)len + 7) / 8) == -1)
			return -1;
	return 0;
}

bool
nlri_next(struct nlri_block *block, struct prefix *out)
{
	uint8_t len, bytes[16];

	if (cursor_get_u8(&block->cursor, &len) == -1 ||
	    len > family_bits(block->family) ||
	    cursor_get_bytes(&block->cursor, bytes, ((size_t)len + 7) / 8) == -1)
		return false;
	prefix_set(out, block->family, len, bytes);
	return true;
}

static bool
nlri_block_empty(const struct nlri_block *block)
{
	return cursor_left(&block->cursor) == 0;
}

/* The family of an AFI/SAFI pair we speak, FAMILY_NONE otherwise. */
static uint8_t
afi_safi_family(uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return FAMILY_NONE;
	if (afi == BGP_AFI_IPV4)
		return FAMILY_IPV4;
	if (afi == BGP_AFI_IPV6)
		return FAMILY_IPV6;
	return FAMILY_NONE;
}

static bool
family_negotiated(const struct bgp_codec_ctx *ctx, uint8_t family)
{
	return family == FAMILY_IPV4 ? ctx->ipv4 : ctx->ipv6;
}

/* ---- attribute parsers ------------------------------------------------ */

static uint32_t
value_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* RFC 7606 §7.1. */
static int
attr_origin(struct update_parse *p, const struct attr_view *v)
{
	if (v->len != 1)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ATTR_LENGTH, "ORIGIN length is not 1");
	if (v->value[0] > BGP_ORIGIN_INCOMPLETE)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ORIGIN, "undefined ORIGIN value");
	p->update->attrs.origin = v->value[0];
	p->update->attrs.present |= PA_ORIGIN;
	return 0;
}

static const char *const as_path_check_text[] = {
	[AS_PATH_VALID] = "valid",
	[AS_PATH_BAD_SEGMENT_TYPE] = "AS_PATH segment type unknown",
	[AS_PATH_ZERO_SEGMENT] = "AS_PATH segment of length zero",
	[AS_PATH_OVERRUN] = "AS_PATH segment overruns the attribute",
	[AS_PATH_UNDERRUN] = "AS_PATH has a trailing octet",
};

/*
 * RFC 7606 §7.2: a malformed AS_PATH is treat-as-withdraw.  RFC 5065
 * §5.3: confederation segments from outside the confederation make it
 * malformed too (flatbgp is never in a confederation with an eBGP peer).
 */
static int
attr_as_path(struct update_parse *p, const struct attr_view *v)
{
	struct path_attrs *pa = &p->update->attrs;
	enum as_path_check check;
	bool confed;

	check = as_path_validate(v->value, v->len, p->ctx->as4 ? 4 : 2,
	    &confed);
	if (check != AS_PATH_VALID)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_AS_PATH, as_path_check_text[check]);
	if (confed && !p->ctx->ibgp)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_AS_PATH,
		    "AS_PATH confederation segment from an external peer");
	if (p->ctx->as4) {
		pa->as_path.data = v->value;
		pa->as_path.len = v->len;
	} else {
		/* Widened (and merged with AS4_PATH) in update_as4_merge. */
		p->narrow_as_path.data = v->value;
		p->narrow_as_path.len = v->len;
	}
	pa->present |= PA_AS_PATH;
	return 0;
}

/* RFC 7606 §7.3; RFC 4271 §6.3 semantic check of the address. */
static int
attr_next_hop(struct update_parse *p, const struct attr_view *v)
{
	uint32_t nh;

	if (v->len != 4)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ATTR_LENGTH, "NEXT_HOP length is not 4");
	nh = value_u32(v->value);
	/* 0.0.0.0, 224.0.0.0/4 and up: never a unicast host address. */
	if (nh == 0 || nh >= 0xe0000000u)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_NEXT_HOP,
		    "NEXT_HOP is not a unicast address");
	p->next_hop = nh;
	p->next_hop_seen = true;
	return 0;
}

/* RFC 7606 §7.4. */
static int
attr_med(struct update_parse *p, const struct attr_view *v)
{
	if (v->len != 4)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ATTR_LENGTH,
		    "MULTI_EXIT_DISC length is not 4");
	p->update->attrs.med = value_u32(v->value);
	p->update->attrs.present |= PA_MED;
	return 0;
}

/* RFC 7606 §7.5 (the eBGP case is handled by the descriptor). */
static int
attr_local_pref(struct update_parse *p, const struct attr_view *v)
{
	if (v->len != 4)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ATTR_LENGTH, "LOCAL_PREF length is not 4");
	p->update->attrs.local_pref = value_u32(v->value);
	p->update->attrs.present |= PA_LOCAL_PREF;
	return 0;
}

/* RFC 7606 §7.6. */
static int
attr_atomic_aggregate(struct update_parse *p, const struct attr_view *v)
{
	if (v->len != 0)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_ATTR_LENGTH,
		    "ATOMIC_AGGREGATE length is not 0: discarded");
	p->update->attrs.present |= PA_ATOMIC_AGGREGATE;
	return 0;
}

/* RFC 7606 §7.7: 6 octets, or 8 on a 4-octet session. */
static int
attr_aggregator(struct update_parse *p, const struct attr_view *v)
{
	struct path_attrs *pa = &p->update->attrs;
	size_t as_size = p->ctx->as4 ? 4 : 2;

	if (v->len != (p->ctx->as4 ? AGGREGATOR_LEN_4OCTET :
	    AGGREGATOR_LEN_2OCTET))
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_ATTR_LENGTH,
		    "AGGREGATOR length is wrong: discarded");
	pa->aggregator_as = as_size == 4 ? value_u32(v->value) :
	    (uint32_t)v->value[0] << 8 | v->value[1];
	pa->aggregator_id = value_u32(v->value + as_size);
	pa->present |= PA_AGGREGATOR;
	return 0;
}

/*
 * A list of fixed-size items: RFC 7606 §7.8 (COMMUNITIES, 4), §7.10
 * (CLUSTER_LIST, 4), §7.14 (EXTENDED COMMUNITIES, 8), RFC 8092 §6
 * (LARGE_COMMUNITY, 12): malformed unless a non-zero multiple of the
 * item size, treat-as-withdraw.
 */
static int
attr_list(struct update_parse *p, const struct attr_view *v, size_t item,
    struct bytes *out, uint32_t bit, const char *what)
{
	if (v->len == 0 || v->len % item != 0)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ATTR_LENGTH, what);
	out->data = v->value;
	out->len = v->len;
	p->update->attrs.present |= bit;
	return 0;
}

static int
attr_communities(struct update_parse *p, const struct attr_view *v)
{
	return attr_list(p, v, 4, &p->update->attrs.communities,
	    PA_COMMUNITIES, "COMMUNITIES length not a multiple of 4");
}

static int
attr_ext_communities(struct update_parse *p, const struct attr_view *v)
{
	return attr_list(p, v, 8, &p->update->attrs.ext_communities,
	    PA_EXT_COMMUNITIES,
	    "EXTENDED COMMUNITIES length not a multiple of 8");
}

static int
attr_large_communities(struct update_parse *p, const struct attr_view *v)
{
	return attr_list(p, v, 12, &p->update->attrs.large_communities,
	    PA_LARGE_COMMUNITIES,
	    "LARGE_COMMUNITY length not a multiple of 12");
}

static int
attr_cluster_list(struct update_parse *p, const struct attr_view *v)
{
	return attr_list(p, v, 4, &p->update->attrs.cluster_list,
	    PA_CLUSTER_LIST, "CLUSTER_LIST length not a multiple of 4");
}

/* RFC 7606 §7.9. */
static int
attr_originator_id(struct update_parse *p, const struct attr_view *v)
{
	if (v->len != 4)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_ATTR_LENGTH,
		    "ORIGINATOR_ID length is not 4");
	p->update->attrs.originator_id = value_u32(v->value);
	p->update->attrs.present |= PA_ORIGINATOR_ID;
	return 0;
}

/*
 * RFC 6793 §6: AS4_PATH between NEW speakers, or malformed, is
 * discarded; confederation segments are dropped later by the merge.
 */
static int
attr_as4_path(struct update_parse *p, const struct attr_view *v)
{
	bool confed;

	if (p->ctx->as4)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "AS4_PATH on a 4-octet session: discarded");
	if (v->len < AS4_PATH_MIN_LEN ||
	    as_path_validate(v->value, v->len, 4, &confed) != AS_PATH_VALID)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "malformed AS4_PATH: discarded");
	if (confed)
		update_warn(p, "AS4_PATH confederation segments dropped",
		    v->type, v->raw, v->raw_len);
	p->as4_path.data = v->value;
	p->as4_path.len = v->len;
	return 0;
}

static int
attr_as4_aggregator(struct update_parse *p, const struct attr_view *v)
{
	if (p->ctx->as4)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "AS4_AGGREGATOR on a 4-octet session: discarded");
	if (v->len != AGGREGATOR_LEN_4OCTET)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "malformed AS4_AGGREGATOR: discarded");
	p->as4_aggregator_seen = true;
	p->as4_aggregator_as = value_u32(v->value);
	p->as4_aggregator_id = value_u32(v->value + 4);
	return 0;
}

/* Reads the MP_REACH next hop for family (RFC 4760 §3, RFC 8950 §3). */
static int
mp_next_hop(struct update_parse *p, const struct attr_view *v,
    uint8_t family, struct cursor *nh)
{
	struct bgp_nexthop *out = &p->update->mp_nexthop;
	size_t len = cursor_left(nh);

	memset(out, 0, sizeof(*out));
	if (family == FAMILY_IPV4 && len == MP_NEXT_HOP_V4) {
		out->global.family = FAMILY_IPV4;
		return cursor_get_bytes(nh, out->global.bytes, 4);
	}
	if (len != MP_NEXT_HOP_V6 && len != MP_NEXT_HOP_V6_LL)
		/* RFC 7606 §7.11: the NLRI cannot be located reliably. */
		return attr_problem(p, v, APPROACH_RESET,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "MP_REACH_NLRI next hop length does not fit the AFI");
	out->global.family = FAMILY_IPV6;
	(void)cursor_get_bytes(nh, out->global.bytes, 16);
	if (len == MP_NEXT_HOP_V6_LL) {
		out->link_local.family = FAMILY_IPV6;
		(void)cursor_get_bytes(nh, out->link_local.bytes, 16);
		/* Some speakers pad with zeros instead of a link-local. */
		if (ip_addr_is_unspecified(&out->link_local))
			out->link_local.family = FAMILY_NONE;
	}
	/* RFC 8950 §4: only when the capability was exchanged. */
	if (family == FAMILY_IPV4 && !p->ctx->extended_next_hop_ipv4)
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "IPv6 next hop for IPv4 NLRI without extended next hop");
	return 0;
}

/*
 * The NLRI of MP_REACH or MP_UNREACH: malformed is a session reset (RFC
 * 7606 §5.3, RFC 4760 §7 subcode); a family not negotiated is treated
 * as withdraw (RFC 4760 §7, validated first so that it can be).
 */
static int
mp_nlri(struct update_parse *p, const struct attr_view *v, uint8_t family,
    const struct cursor *c, struct nlri_block *block)
{
	if (nlri_validate(c, family) == -1)
		return attr_problem(p, v, APPROACH_RESET,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR, "MP NLRI prefix malformed");
	block->family = family;
	block->cursor = *c;
	if (!nlri_block_empty(block) && !family_negotiated(p->ctx, family))
		return attr_problem(p, v, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "MP NLRI of a family not negotiated");
	return 0;
}

/*
 * RFC 4760 §3, RFC 7606 §5.3 and §7.11: anything that keeps the NLRI
 * from being parsed is a session reset.  An AFI/SAFI we do not speak is
 * ignored with a warning: we never offered it, so its NLRI are not ours
 * to validate.
 */
static int
attr_mp_reach(struct update_parse *p, const struct attr_view *v)
{
	struct bgp_update *u = p->update;
	struct cursor c, nh;
	uint16_t afi;
	uint8_t safi, nh_len, reserved, family;

	cursor_init(&c, v->value, v->len);
	if (v->len < MP_REACH_MIN_LEN || cursor_get_u16(&c, &afi) == -1 ||
	    cursor_get_u8(&c, &safi) == -1 || cursor_get_u8(&c, &nh_len) == -1)
		return attr_problem(p, v, APPROACH_RESET,
		    BGP_ERR_UPDATE_ATTR_LENGTH,
		    "MP_REACH_NLRI shorter than 5 octets");
	if (cursor_get_sub(&c, nh_len, &nh) == -1 ||
	    cursor_get_u8(&c, &reserved) == -1)
		return attr_problem(p, v, APPROACH_RESET,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "MP_REACH_NLRI next hop overruns the attribute");
	family = afi_safi_family(afi, safi);
	u->attrs.present |= PA_MP_REACH;
	if (family == FAMILY_NONE) {
		p->reach_foreign = true;
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "MP_REACH_NLRI of an unsupported AFI/SAFI: ignored");
	}
	if (mp_nlri(p, v, family, &c, &u->mp_announced) == -1)
		return -1;
	return mp_next_hop(p, v, family, &nh);
}

static int
attr_mp_unreach(struct update_parse *p, const struct attr_view *v)
{
	struct bgp_update *u = p->update;
	struct cursor c;
	uint16_t afi;
	uint8_t safi, family;

	cursor_init(&c, v->value, v->len);
	if (cursor_get_u16(&c, &afi) == -1 || cursor_get_u8(&c, &safi) == -1)
		return attr_problem(p, v, APPROACH_RESET,
		    BGP_ERR_UPDATE_ATTR_LENGTH,
		    "MP_UNREACH_NLRI shorter than 3 octets");
	family = afi_safi_family(afi, safi);
	u->attrs.present |= PA_MP_UNREACH;
	if (family == FAMILY_NONE)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "MP_UNREACH_NLRI of an unsupported AFI/SAFI: ignored");
	return mp_nlri(p, v, family, &c, &u->mp_withdrawn);
}

/*
 * RFC 4271 §5: an unrecognized optional transitive attribute is passed
 * on with the Partial bit set; an optional non-transitive one is
 * quietly ignored; an unrecognized well-known one resets the session
 * (§6.3, data = the attribute; RFC 7606 leaves this case alone).
 */
static int
attr_unknown(struct update_parse *p, const struct attr_view *v)
{
	struct path_attrs *pa = &p->update->attrs;
	size_t used = pa->unknown.len;

	if (!(v->flags & BGP_ATTR_FLAG_OPTIONAL))
		return attr_problem(p, v, APPROACH_RESET,
		    BGP_ERR_UPDATE_UNRECOGNIZED_WELLKNOWN,
		    "unrecognized well-known attribute");
	if (!(v->flags & BGP_ATTR_FLAG_TRANSITIVE))
		return 0;
	if (sizeof(pa->unknown_buf) - used < v->raw_len)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_OPTIONAL_ATTR,
		    "too many unknown attributes: discarded");
	memcpy(pa->unknown_buf + used, v->raw, v->raw_len);
	pa->unknown_buf[used] |= BGP_ATTR_FLAG_PARTIAL;
	pa->unknown.data = pa->unknown_buf;
	pa->unknown.len = (uint16_t)(used + v->raw_len);
	return 0;
}

/* What each known attribute must look like and who parses it. */
struct attr_desc {
	uint8_t		 type;
	uint8_t		 flags;		/* expected O and T bits */
	uint8_t		 flags_approach; /* when they conflict */
	bool		 ebgp_discard;	/* RFC 7606 §7.5, §7.9, §7.10 */
	int		(*parse)(struct update_parse *, const struct attr_view *);
};

/*
 * RFC 7606 §3.c: conflicting O/T flags are treat-as-withdraw, except
 * where the attribute's own specification says otherwise: MP_REACH and
 * MP_UNREACH (§5.3, session reset), AS4_PATH and AS4_AGGREGATOR (RFC
 * 6793 §6, attribute discard).
 */
static const struct attr_desc attr_table[] = {
	{ BGP_ATTR_ORIGIN, FLAGS_WELL_KNOWN, APPROACH_WITHDRAW, false,
	    attr_origin },
	{ BGP_ATTR_AS_PATH, FLAGS_WELL_KNOWN, APPROACH_WITHDRAW, false,
	    attr_as_path },
	{ BGP_ATTR_NEXT_HOP, FLAGS_WELL_KNOWN, APPROACH_WITHDRAW, false,
	    attr_next_hop },
	{ BGP_ATTR_MED, FLAGS_OPTIONAL, APPROACH_WITHDRAW, false, attr_med },
	{ BGP_ATTR_LOCAL_PREF, FLAGS_WELL_KNOWN, APPROACH_WITHDRAW, true,
	    attr_local_pref },
	{ BGP_ATTR_ATOMIC_AGGREGATE, FLAGS_WELL_KNOWN, APPROACH_WITHDRAW,
	    false, attr_atomic_aggregate },
	{ BGP_ATTR_AGGREGATOR, FLAGS_TRANSITIVE, APPROACH_WITHDRAW, false,
	    attr_aggregator },
	{ BGP_ATTR_COMMUNITIES, FLAGS_TRANSITIVE, APPROACH_WITHDRAW, false,
	    attr_communities },
	{ BGP_ATTR_ORIGINATOR_ID, FLAGS_OPTIONAL, APPROACH_WITHDRAW, true,
	    attr_originator_id },
	{ BGP_ATTR_CLUSTER_LIST, FLAGS_OPTIONAL, APPROACH_WITHDRAW, true,
	    attr_cluster_list },
	{ BGP_ATTR_MP_REACH_NLRI, FLAGS_OPTIONAL, APPROACH_RESET, false,
	    attr_mp_reach },
	{ BGP_ATTR_MP_UNREACH_NLRI, FLAGS_OPTIONAL, APPROACH_RESET, false,
	    attr_mp_unreach },
	{ BGP_ATTR_EXT_COMMUNITIES, FLAGS_TRANSITIVE, APPROACH_WITHDRAW, false,
	    attr_ext_communities },
	{ BGP_ATTR_AS4_PATH, FLAGS_TRANSITIVE, APPROACH_DISCARD, false,
	    attr_as4_path },
	{ BGP_ATTR_AS4_AGGREGATOR, FLAGS_TRANSITIVE, APPROACH_DISCARD, false,
	    attr_as4_aggregator },
	{ BGP_ATTR_LARGE_COMMUNITIES, FLAGS_TRANSITIVE, APPROACH_WITHDRAW,
	    false, attr_large_communities },
};

static const struct attr_desc *
attr_lookup(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(attr_table) / sizeof(attr_table[0]); i++)
		if (attr_table[i].type == type)
			return &attr_table[i];
	return NULL;
}

static int
attr_dispatch(struct update_parse *p, const struct attr_view *v)
{
	const struct attr_desc *desc = attr_lookup(v->type);

	if (desc == NULL)
		return attr_unknown(p, v);
	if (desc->ebgp_discard && !p->ctx->ibgp)
		return attr_problem(p, v, APPROACH_DISCARD,
		    BGP_ERR_UPDATE_ATTR_FLAGS,
		    "iBGP-only attribute from an external peer: discarded");
	if ((v->flags & ATTR_FLAGS_OT) != desc->flags)
		return attr_problem(p, v, desc->flags_approach,
		    BGP_ERR_UPDATE_ATTR_FLAGS,
		    "attribute flags conflict with the type");
	return desc->parse(p, v);
}

/*
 * RFC 7606 §4: an attribute whose header or value runs past the
 * attribute section is treat-as-withdraw, the NLRI being found through
 * the Total Attribute Length.  If it is MP_REACH or MP_UNREACH, its
 * NLRI cannot be parsed, and §3.j requires a session reset.
 */
static int
attr_overrun(struct update_parse *p, const uint8_t *start, size_t len,
    uint8_t type, bool type_known)
{
	bool mp = type_known && (type == BGP_ATTR_MP_REACH_NLRI ||
	    type == BGP_ATTR_MP_UNREACH_NLRI);

	return update_problem(p, mp ? APPROACH_RESET : APPROACH_WITHDRAW,
	    BGP_ERR_UPDATE_ATTR_LENGTH,
	    "attribute runs past the path attributes", type, start, len);
}

/* Splits the next attribute off; -1 (overrun handled) to stop the walk. */
static int
attr_next(struct update_parse *p, struct cursor *c, struct attr_view *v,
    int *status)
{
	const uint8_t *start = c->pos;
	uint8_t short_len = 0;
	struct cursor value;

	int short_read;

	v->type = 0;
	if (cursor_get_u8(c, &v->flags) == -1 ||
	    cursor_get_u8(c, &v->type) == -1) {
		*status = attr_overrun(p, start, (size_t)(c->end - start), 0,
		    false);
		return -1;
	}
	if (v->flags & BGP_ATTR_FLAG_EXTENDED) {
		short_read = cursor_get_u16(c, &v->len);
	} else {
		short_read = cursor_get_u8(c, &short_len);
		v->len = short_len;
	}
	if (short_read == -1 || cursor_get_sub(c, v->len, &value) == -1) {
		*status = attr_overrun(p, start, (size_t)(c->end - start),
		    v->type, true);
		return -1;
	}
	v->value = value.pos;
	v->raw = start;
	v->raw_len = (size_t)(c->pos - start);
	return 0;
}

/* Walks the path attributes; -1 on a session reset. */
static int
attrs_parse(struct update_parse *p, struct cursor *attrs)
{
	struct attr_view v;
	int status = 0;

	while (cursor_left(attrs) > 0) {
		if (attr_next(p, attrs, &v, &status) == -1)
			return status;
		if (p->seen[v.type / 8] & (1u << (v.type % 8))) {
			/* RFC 7606 §3.g. */
			if (v.type == BGP_ATTR_MP_REACH_NLRI ||
			    v.type == BGP_ATTR_MP_UNREACH_NLRI) {
				(void)attr_problem(p, &v, APPROACH_RESET,
				    BGP_ERR_UPDATE_ATTR_LIST,
				    "MP_REACH/MP_UNREACH_NLRI repeated");
				return -1;
			}
			(void)attr_problem(p, &v, APPROACH_DISCARD,
			    BGP_ERR_UPDATE_ATTR_LIST,
			    "repeated attribute discarded");
			continue;
		}
		p->seen[v.type / 8] |= (uint8_t)(1u << (v.type % 8));
		if (v.type != BGP_ATTR_MP_UNREACH_NLRI)
			p->other_attrs = true;
		if (attr_dispatch(p, &v) == -1)
			return -1;
	}
	return 0;
}

/* ---- after the walk ---------------------------------------------------- */

/*
 * RFC 6793 §4.2.3 for a 2-octet session: AGGREGATOR decides whether the
 * AS4 attributes count, then AS4_PATH is merged into the widened path.
 */
static int
update_as4_merge(struct update_parse *p)
{
	struct path_attrs *pa = &p->update->attrs;
	uint8_t wide[BGP_AS_PATH_SCRATCH];
	size_t len;
	bool use_as4 = true;

	if ((pa->present & PA_AGGREGATOR) && pa->aggregator_as !=
	    BGP_AS_TRANS) {
		use_as4 = false;	/* an OLD aggregator: ignore both */
	} else if (p->as4_aggregator_seen && (pa->present & PA_AGGREGATOR)) {
		pa->aggregator_as = p->as4_aggregator_as;
		pa->aggregator_id = p->as4_aggregator_id;
	}
	if (!(pa->present & PA_AS_PATH))
		return 0;
	len = as_path_widen(p->narrow_as_path.data, p->narrow_as_path.len,
	    wide, sizeof(wide));
	if (len == 0 && p->narrow_as_path.len > 0)
		return update_problem(p, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_AS_PATH, "AS_PATH too long to widen",
		    BGP_ATTR_AS_PATH, p->narrow_as_path.data,
		    p->narrow_as_path.len);
	if (use_as4 && p->as4_path.data != NULL)
		len = as_path_merge_as4(wide, len, p->as4_path.data,
		    p->as4_path.len, pa->as_path_buf,
		    sizeof(pa->as_path_buf));
	else
		memcpy(pa->as_path_buf, wide, len);
	if (len == 0 && p->narrow_as_path.len > 0)
		return update_problem(p, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_AS_PATH, "AS_PATH too long to merge",
		    BGP_ATTR_AS_PATH, p->narrow_as_path.data,
		    p->narrow_as_path.len);
	pa->as_path.data = pa->as_path_buf;
	pa->as_path.len = (uint16_t)len;
	return 0;
}

/* Type codes as bytes: the data of Missing Well-known Attribute. */
static const uint8_t mandatory_type[] = {
	BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH, BGP_ATTR_NEXT_HOP,
	BGP_ATTR_LOCAL_PREF,
};

/* RFC 4271 §6.3 / RFC 7606 §3.d: only checked when NLRI are present. */
static void
update_check_mandatory(struct update_parse *p)
{
	const struct bgp_update *u = p->update;
	uint32_t need = PA_ORIGIN | PA_AS_PATH;
	uint32_t bits[] = { PA_ORIGIN, PA_AS_PATH, PA_NEXT_HOP,
	    PA_LOCAL_PREF };
	uint32_t have = u->attrs.present | (p->next_hop_seen ? PA_NEXT_HOP : 0);
	size_t i;

	if (nlri_block_empty(&u->announced) &&
	    nlri_block_empty(&u->mp_announced))
		return;
	if (!nlri_block_empty(&u->announced))
		need |= PA_NEXT_HOP;
	if (p->ctx->ibgp)
		need |= PA_LOCAL_PREF;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((need & bits[i]) && !(have & bits[i]))
			(void)update_problem(p, APPROACH_WITHDRAW,
			    BGP_ERR_UPDATE_MISSING_WELLKNOWN,
			    "missing well-known attribute", mandatory_type[i],
			    &mandatory_type[i], 1);
}

/*
 * The next hop of the classic NLRI is NEXT_HOP; without classic NLRI,
 * RFC 7606 §5.2 says to ignore NEXT_HOP and MP_REACH gives it.
 */
static void
update_next_hop(struct update_parse *p)
{
	struct bgp_update *u = p->update;
	struct path_attrs *pa = &u->attrs;

	if (p->next_hop_seen && (!nlri_block_empty(&u->announced) ||
	    u->mp_announced.family == FAMILY_NONE)) {
		memset(&pa->nexthop, 0, sizeof(pa->nexthop));
		ip_addr_set_v4_u32(&pa->nexthop.global, p->next_hop);
		pa->present |= PA_NEXT_HOP;
	} else if (u->mp_announced.family != FAMILY_NONE) {
		pa->nexthop = u->mp_nexthop;
		pa->present |= PA_NEXT_HOP;
	}
}

/* RFC 4724 §2: an empty UPDATE, or MP_UNREACH with no NLRI alone. */
static void
update_end_of_rib(const struct update_parse *p, size_t attrs_len)
{
	struct bgp_update *u = p->update;

	if (!nlri_block_empty(&u->withdrawn) ||
	    !nlri_block_empty(&u->announced))
		return;
	if (attrs_len == 0) {
		u->end_of_rib = true;
		u->end_of_rib_family = FAMILY_IPV4;
	} else if (!p->other_attrs &&
	    u->mp_withdrawn.family != FAMILY_NONE &&
	    nlri_block_empty(&u->mp_withdrawn)) {
		u->end_of_rib = true;
		u->end_of_rib_family = u->mp_withdrawn.family;
	}
}

static int
update_finish(struct update_parse *p, size_t attrs_len)
{
	struct bgp_update *u = p->update;
	bool reach;

	if (!p->ctx->as4 && update_as4_merge(p) == -1)
		return -1;
	update_check_mandatory(p);
	update_next_hop(p);
	/* RFC 4760 §7 via the header contract: treat as withdraw. */
	if (!nlri_block_empty(&u->announced) && !p->ctx->ipv4)
		(void)update_problem(p, APPROACH_WITHDRAW,
		    BGP_ERR_UPDATE_NETWORK, "IPv4 NLRI but IPv4 not negotiated",
		    0, u->announced.cursor.pos,
		    cursor_left(&u->announced.cursor));
	/*
	 * RFC 7606 §5.2: attributes without reachable NLRI, and an error
	 * stronger than attribute discard: we cannot be sure the NLRI were
	 * parsed, so the session is reset.
	 */
	reach = !nlri_block_empty(&u->announced) ||
	    !nlri_block_empty(&u->mp_announced) || p->reach_foreign;
	if (!reach && p->other_attrs && p->worst >= APPROACH_WITHDRAW)
		return -1;
	update_end_of_rib(p, attrs_len);
	u->action = p->worst >= APPROACH_WITHDRAW ? UPDATE_TREAT_AS_WITHDRAW :
	    UPDATE_OK;
	return 0;
}

/* Clears what a parse fills, leaving the big scratch buffers alone. */
static void
update_reset(struct bgp_update *u, struct bgp_error *err)
{
	memset(&u->attrs, 0, offsetof(struct path_attrs, as_path_buf));
	memset(&u->withdrawn, 0, sizeof(u->withdrawn));
	memset(&u->announced, 0, sizeof(u->announced));
	memset(&u->mp_announced, 0, sizeof(u->mp_announced));
	memset(&u->mp_withdrawn, 0, sizeof(u->mp_withdrawn));
	memset(&u->mp_nexthop, 0, sizeof(u->mp_nexthop));
	u->action = UPDATE_OK;
	u->end_of_rib = false;
	u->end_of_rib_family = FAMILY_NONE;
	u->warning_count = 0;
	err->code = 0;
	err->subcode = 0;
	err->data_len = 0;
	err->reason = NULL;
}

int
bgp_msg_parse_update(const uint8_t *body, size_t len,
    const struct bgp_codec_ctx *ctx, struct bgp_update *update,
    struct bgp_error *err)
{
	struct update_parse p;
	struct cursor c, withdrawn, attrs;
	uint16_t withdrawn_len, attrs_len;

	update_reset(update, err);
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.update = update;
	p.err = err;
	cursor_init(&c, body, len);
	/* RFC 7606 §3.b: lengths past the message, Malformed Attribute List. */
	if (cursor_get_u16(&c, &withdrawn_len) == -1 ||
	    cursor_get_sub(&c, withdrawn_len, &withdrawn) == -1 ||
	    cursor_get_u16(&c, &attrs_len) == -1 ||
	    cursor_get_sub(&c, attrs_len, &attrs) == -1)
		return update_problem(&p, APPROACH_RESET,
		    BGP_ERR_UPDATE_ATTR_LIST,
		    "withdrawn or attribute length past the message", 0, body,
		    len);
	/* RFC 7606 §3.i and §5.3: Invalid Network Field. */
	if (nlri_validate(&withdrawn, FAMILY_IPV4) == -1 ||
	    nlri_validate(&c, FAMILY_IPV4) == -1)
		return update_problem(&p, APPROACH_RESET,
		    BGP_ERR_UPDATE_NETWORK, "malformed IPv4 prefix", 0, NULL,
		    0);
	update->withdrawn.family = FAMILY_IPV4;
	update->withdrawn.cursor = withdrawn;
	update->announced.family = FAMILY_IPV4;
	update->announced.cursor = c;
	if (attrs_parse(&p, &attrs) == -1)
		return -1;
	return update_finish(&p, attrs_len);
}

/* ---- the builder ------------------------------------------------------ */

/* What the attribute writers need. */
struct attr_out {
	struct wbuf			*w;
	const struct path_attrs		*pa;
	const struct bgp_codec_ctx	*ctx;
	bool				 classic;	/* NEXT_HOP attribute */
};

/* Flags, type and length, the length on 2 octets when above 255. */
static void
attr_put_header(struct wbuf *w, uint8_t flags, uint8_t type, size_t len)
{
	if (len > UINT8_MAX) {
		wbuf_put_u8(w, flags | BGP_ATTR_FLAG_EXTENDED);
		wbuf_put_u8(w, type);
		wbuf_put_u16(w, (uint16_t)len);
	} else {
		wbuf_put_u8(w, flags);
		wbuf_put_u8(w, type);
		wbuf_put_u8(w, (uint8_t)len);
	}
}

static void
attr_put_u32(struct wbuf *w, uint8_t flags, uint8_t type, uint32_t value)
{
	attr_put_header(w, flags, type, 4);
	wbuf_put_u32(w, value);
}

static void
attr_put_bytes(struct wbuf *w, uint8_t flags, uint8_t type,
    const struct bytes *b)
{
	if (b->len == 0)
		return;
	attr_put_header(w, flags, type, b->len);
	wbuf_put_bytes(w, b->data, b->len);
}

static void
put_origin(const struct attr_out *o)
{
	attr_put_header(o->w, FLAGS_WELL_KNOWN, BGP_ATTR_ORIGIN, 1);
	wbuf_put_u8(o->w, o->pa->present & PA_ORIGIN ? o->pa->origin :
	    BGP_ORIGIN_IGP);
}

/* The path to send: empty when attrs has none (well-known mandatory). */
static struct bytes
out_as_path(const struct attr_out *o)
{
	struct bytes none = { NULL, 0 };

	return o->pa->present & PA_AS_PATH ? o->pa->as_path : none;
}

/* RFC 6793 §4.2.2: 2-octet sessions get AS_TRANS, and AS4_PATH later. */
static void
put_as_path(const struct attr_out *o)
{
	struct bytes as_path = out_as_path(o);
	const struct bytes *path = &as_path;
	size_t as4_size;

	if (o->ctx->as4) {
		attr_put_header(o->w, FLAGS_WELL_KNOWN, BGP_ATTR_AS_PATH,
		    path->len);
		wbuf_put_bytes(o->w, path->data, path->len);
		return;
	}
	attr_put_header(o->w, FLAGS_WELL_KNOWN, BGP_ATTR_AS_PATH,
	    as_path_narrow_size(path->data, path->len, &as4_size));
	as_path_put_narrow(o->w, path->data, path->len);
}

static void
put_next_hop(const struct attr_out *o)
{
	if (!o->classic)
		return;
	attr_put_header(o->w, FLAGS_WELL_KNOWN, BGP_ATTR_NEXT_HOP, 4);
	wbuf_put_bytes(o->w, o->pa->nexthop.global.bytes, 4);
}

static void
put_med(const struct attr_out *o)
{
	if (o->pa->present & PA_MED)
		attr_put_u32(o->w, FLAGS_OPTIONAL, BGP_ATTR_MED, o->pa->med);
}

/* RFC 4271 §5.1.5: never to external peers. */
static void
put_local_pref(const struct attr_out *o)
{
	if ((o->pa->present & PA_LOCAL_PREF) && o->ctx->ibgp)
		attr_put_u32(o->w, FLAGS_WELL_KNOWN, BGP_ATTR_LOCAL_PREF,
		    o->pa->local_pref);
}

static void
put_atomic_aggregate(const struct attr_out *o)
{
	if (o->pa->present & PA_ATOMIC_AGGREGATE)
		attr_put_header(o->w, FLAGS_WELL_KNOWN,
		    BGP_ATTR_ATOMIC_AGGREGATE, 0);
}

static void
put_aggregator(const struct attr_out *o)
{
	uint32_t as = o->pa->aggregator_as;

	if (!(o->pa->present & PA_AGGREGATOR))
		return;
	if (o->ctx->as4) {
		attr_put_header(o->w, FLAGS_TRANSITIVE, BGP_ATTR_AGGREGATOR,
		    AGGREGATOR_LEN_4OCTET);
		wbuf_put_u32(o->w, as);
	} else {
		attr_put_header(o->w, FLAGS_TRANSITIVE, BGP_ATTR_AGGREGATOR,
		    AGGREGATOR_LEN_2OCTET);
		wbuf_put_u16(o->w, as > UINT16_MAX ? BGP_AS_TRANS :
		    (uint16_t)as);
	}
	wbuf_put_u32(o->w, o->pa->aggregator_id);
}

static void
put_communities(const struct attr_out *o)
{
	if (o->pa->present & PA_COMMUNITIES)
		attr_put_bytes(o->w, FLAGS_TRANSITIVE, BGP_ATTR_COMMUNITIES,
		    &o->pa->communities);
}

/* RFC 4456 §8: route reflection attributes stay inside the AS. */
static void
put_originator_id(const struct attr_out *o)
{
	if ((o->pa->present & PA_ORIGINATOR_ID) && o->ctx->ibgp)
		attr_put_u32(o->w, FLAGS_OPTIONAL, BGP_ATTR_ORIGINATOR_ID,
		    o->pa->originator_id);
}

static void
put_cluster_list(const struct attr_out *o)
{
	if ((o->pa->present & PA_CLUSTER_LIST) && o->ctx->ibgp)
		attr_put_bytes(o->w, FLAGS_OPTIONAL, BGP_ATTR_CLUSTER_LIST,
		    &o->pa->cluster_list);
}

static void
put_ext_communities(const struct attr_out *o)
{
	if (o->pa->present & PA_EXT_COMMUNITIES)
		attr_put_bytes(o->w, FLAGS_TRANSITIVE,
		    BGP_ATTR_EXT_COMMUNITIES, &o->pa->ext_communities);
}

static void
put_as4_path(const struct attr_out *o)
{
	struct bytes as_path = out_as_path(o);
	const struct bytes *path = &as_path;
	size_t as4_size;

	if (o->ctx->as4)
		return;
	(void)as_path_narrow_size(path->data, path->len, &as4_size);
	if (as4_size == 0)
		return;
	attr_put_header(o->w, FLAGS_TRANSITIVE, BGP_ATTR_AS4_PATH, as4_size);
	as_path_put_as4(o->w, path->data, path->len);
}

static void
put_as4_aggregator(const struct attr_out *o)
{
	if (o->ctx->as4 || !(o->pa->present & PA_AGGREGATOR) ||
	    o->pa->aggregator_as <= UINT16_MAX)
		return;
	attr_put_header(o->w, FLAGS_TRANSITIVE, BGP_ATTR_AS4_AGGREGATOR,
	    AGGREGATOR_LEN_4OCTET);
	wbuf_put_u32(o->w, o->pa->aggregator_as);
	wbuf_put_u32(o->w, o->pa->aggregator_id);
}

static void
put_large_communities(const struct attr_out *o)
{
	if (o->pa->present & PA_LARGE_COMMUNITIES)
		attr_put_bytes(o->w, FLAGS_TRANSITIVE,
		    BGP_ATTR_LARGE_COMMUNITIES, &o->pa->large_communities);
}

/* The writers in type-code order (RFC 4271 §5: ascending order). */
static const struct {
	uint8_t	 type;
	void	(*put)(const struct attr_out *);
} attr_writers[] = {
	{ BGP_ATTR_ORIGIN, put_origin },
	{ BGP_ATTR_AS_PATH, put_as_path },
	{ BGP_ATTR_NEXT_HOP, put_next_hop },
	{ BGP_ATTR_MED, put_med },
	{ BGP_ATTR_LOCAL_PREF, put_local_pref },
	{ BGP_ATTR_ATOMIC_AGGREGATE, put_atomic_aggregate },
	{ BGP_ATTR_AGGREGATOR, put_aggregator },
	{ BGP_ATTR_COMMUNITIES, put_communities },
	{ BGP_ATTR_ORIGINATOR_ID, put_originator_id },
	{ BGP_ATTR_CLUSTER_LIST, put_cluster_list },
	{ BGP_ATTR_EXT_COMMUNITIES, put_ext_communities },
	{ BGP_ATTR_AS4_PATH, put_as4_path },
	{ BGP_ATTR_AS4_AGGREGATOR, put_as4_aggregator },
	{ BGP_ATTR_LARGE_COMMUNITIES, put_large_communities },
};

/*
 * Copies the unknown attributes with lo < type < hi, Partial set (RFC
 * 4271 §5: an unrecognized transitive attribute passed on is partial).
 */
static void
put_unknown_range(const struct attr_out *o, unsigned lo, unsigned hi)
{
	struct cursor c;
	uint8_t flags, type, short_len;
	uint16_t len;
	struct cursor value;

	cursor_init(&c, o->pa->unknown.data, o->pa->unknown.len);
	while (cursor_get_u8(&c, &flags) == 0 &&
	    cursor_get_u8(&c, &type) == 0) {
		if (flags & BGP_ATTR_FLAG_EXTENDED) {
			if (cursor_get_u16(&c, &len) == -1)
				return;
		} else {
			if (cursor_get_u8(&c, &short_len) == -1)
				return;
			len = short_len;
		}
		if (cursor_get_sub(&c, len, &value) == -1)
			return;
		if (type <= lo || type >= hi || attr_lookup(type) != NULL)
			continue;
		attr_put_header(o->w, (flags & ATTR_FLAGS_OT) |
		    BGP_ATTR_FLAG_PARTIAL, type, len);
		wbuf_put_bytes(o->w, value.pos, len);
	}
}

/* All path attributes but MP_REACH/MP_UNREACH, in type-code order. */
static void
attrs_put(struct wbuf *w, const struct path_attrs *pa,
    const struct bgp_codec_ctx *ctx, bool classic)
{
	struct attr_out o = { w, pa, ctx, classic };
	unsigned previous = 0;
	size_t i;

	for (i = 0; i < sizeof(attr_writers) / sizeof(attr_writers[0]); i++) {
		if (pa->unknown.len > 0)
			put_unknown_range(&o, previous, attr_writers[i].type);
		attr_writers[i].put(&o);
		previous = attr_writers[i].type;
	}
	if (pa->unknown.len > 0)
		put_unknown_range(&o, previous, 256);
}

/* Next hop field of MP_REACH: 16 or 32 octets (RFC 2545 §3, RFC 8950). */
static void
mp_put_next_hop(struct wbuf *w, const struct bgp_nexthop *nh)
{
	static const uint8_t v4_mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	if (nh->global.family == FAMILY_IPV4) {
		/* An IPv6 route over IPv4: the mapped form (RFC 4291 §2.5.5.2). */
		wbuf_put_u8(w, MP_NEXT_HOP_V6);
		wbuf_put_bytes(w, v4_mapped, sizeof(v4_mapped));
		wbuf_put_bytes(w, nh->global.bytes, 4);
	} else if (nh->link_local.family == FAMILY_IPV6) {
		wbuf_put_u8(w, MP_NEXT_HOP_V6_LL);
		wbuf_put_bytes(w, nh->global.bytes, 16);
		wbuf_put_bytes(w, nh->link_local.bytes, 16);
	} else {
		wbuf_put_u8(w, MP_NEXT_HOP_V6);
		wbuf_put_bytes(w, nh->global.bytes, 16);
	}
}

/* MP attribute header with a 2-octet length patched at finish. */
static void
mp_begin(struct bgp_update_builder *b, uint8_t type)
{
	wbuf_put_u8(b->w, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_EXTENDED);
	wbuf_put_u8(b->w, type);
	b->mp_attr_len_offset = b->w->len;
	wbuf_put_u16(b->w, 0);
	b->mp_attr_value_start = b->w->len;
	wbuf_put_u16(b->w, b->family);	/* family == AFI */
	wbuf_put_u8(b->w, BGP_SAFI_UNICAST);
}

/* Chooses classic fields or MP_REACH from the next hop; -1 if none fits. */
static int
builder_choose(struct bgp_update_builder *b, const struct bgp_codec_ctx *ctx,
    const struct path_attrs *attrs)
{
	uint8_t nh = attrs == NULL ? FAMILY_NONE :
	    attrs->nexthop.global.family;

	if (attrs == NULL) {
		b->use_mp = b->family == FAMILY_IPV6;
		return 0;
	}
	if (b->family == FAMILY_IPV6) {
		b->use_mp = true;
		return nh == FAMILY_NONE ? -1 : 0;
	}
	if (nh == FAMILY_IPV4) {
		b->use_mp = false;
		return 0;
	}
	/* RFC 8950: IPv4 NLRI with an IPv6 next hop, if negotiated. */
	b->use_mp = true;
	return nh == FAMILY_IPV6 && ctx->extended_next_hop_ipv4 ? 0 : -1;
}

/* Undoes a message in progress. */
static void
builder_abort(struct bgp_update_builder *b)
{
	b->w->len = b->msg_start;
	b->w->overflow = false;
}

/* Measures the attributes that finish() will write after MP_REACH. */
static void
builder_measure_trailer(struct bgp_update_builder *b)
{
	size_t mark = b->w->len;

	attrs_put(b->w, b->attrs, b->ctx, false);
	b->trailer_len = b->w->overflow ? SIZE_MAX / 2 : b->w->len - mark;
	b->w->len = mark;
	b->w->overflow = false;
}

int
bgp_update_begin(struct bgp_update_builder *b, struct wbuf *w,
    const struct bgp_codec_ctx *ctx, const struct path_attrs *attrs,
    uint8_t family)
{
	memset(b, 0, sizeof(*b));
	b->w = w;
	b->family = family;
	b->withdraw = attrs == NULL;
	b->attrs = attrs;
	b->ctx = ctx;
	b->msg_start = w->len;
	b->limit = ctx->extended_message ? BGP_EXTENDED_MAX_LEN :
	    BGP_MAX_MSG_LEN;
	if (w->overflow || (family != FAMILY_IPV4 && family != FAMILY_IPV6) ||
	    builder_choose(b, ctx, attrs) == -1)
		return -1;
	if (wbuf_room(w) < b->limit)
		b->limit = wbuf_room(w);
	bgp_msg_begin(w, BGP_MSG_UPDATE);
	b->withdrawn_len_offset = w->len;
	wbuf_put_u16(w, 0);
	if (b->withdraw && !b->use_mp) {
		b->trailer_len = 2;	/* the attribute length, at finish */
	} else {
		b->attrs_len_offset = w->len;
		wbuf_put_u16(w, 0);
		if (b->use_mp && !b->withdraw)
			builder_measure_trailer(b);
		if (b->withdraw) {
			mp_begin(b, BGP_ATTR_MP_UNREACH_NLRI);
		} else if (b->use_mp) {
			mp_begin(b, BGP_ATTR_MP_REACH_NLRI);
			mp_put_next_hop(w, &attrs->nexthop);
			wbuf_put_u8(w, 0);	/* reserved, RFC 4760 §3 */
		} else {
			attrs_put(w, attrs, ctx, true);
			wbuf_patch_u16(w, b->attrs_len_offset,
			    (uint16_t)(w->len - b->attrs_len_offset - 2));
		}
	}
	if (w->overflow || w->len - b->msg_start + b->trailer_len > b->limit) {
		builder_abort(b);
		return -1;
	}
	return 0;
}

int
bgp_update_add(struct bgp_update_builder *b, const struct prefix *p)
{
	size_t bytes = ((size_t)p->length + 7) / 8;

	if (p->family != b->family || p->length > family_bits(p->family) ||
	    b->w->len - b->msg_start + 1 + bytes + b->trailer_len > b->limit)
		return -1;
	wbuf_put_u8(b->w, p->length);
	wbuf_put_bytes(b->w, p->bytes, bytes);
	b->prefix_count++;
	return 0;
}

size_t
bgp_update_finish(struct bgp_update_builder *b)
{
	struct wbuf *w = b->w;
	size_t len;

	if (b->prefix_count == 0 || w->overflow) {
		builder_abort(b);
		return 0;
	}
	if (b->withdraw && !b->use_mp) {
		wbuf_patch_u16(w, b->withdrawn_len_offset,
		    (uint16_t)(w->len - b->withdrawn_len_offset - 2));
		wbuf_put_u16(w, 0);
	} else if (b->use_mp) {
		wbuf_patch_u16(w, b->mp_attr_len_offset,
		    (uint16_t)(w->len - b->mp_attr_value_start));
		if (!b->withdraw)
			attrs_put(w, b->attrs, b->ctx, false);
		wbuf_patch_u16(w, b->attrs_len_offset,
		    (uint16_t)(w->len - b->attrs_len_offset - 2));
	}
	len = w->len - b->msg_start;
	if (w->overflow || len > b->limit) {
		builder_abort(b);
		return 0;
	}
	wbuf_patch_u16(w, b->msg_start + BGP_MARKER_LEN, (uint16_t)len);
	return len;
}

size_t
bgp_msg_encode_end_of_rib(struct wbuf *w, uint8_t family)
{
	size_t start = w->len, len;

	bgp_msg_begin(w, BGP_MSG_UPDATE);
	wbuf_put_u16(w, 0);
	if (family == FAMILY_IPV4) {
		wbuf_put_u16(w, 0);
	} else {
		/* RFC 4724 §2: MP_UNREACH_NLRI with the AFI/SAFI only. */
		wbuf_put_u16(w, 3 + MP_UNREACH_MIN_LEN);
		attr_put_header(w, FLAGS_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI,
		    MP_UNREACH_MIN_LEN);
		wbuf_put_u16(w, family);
		wbuf_put_u8(w, BGP_SAFI_UNICAST);
	}
	if (w->overflow)
		return 0;
	len = w->len - start;
	wbuf_patch_u16(w, start + BGP_MARKER_LEN, (uint16_t)len);
	return len;
}
