/*
 * bgp_wire.h - numbers of the BGP-4 wire protocol.
 *
 * Message types, header sizes, NOTIFICATION codes and subcodes, path
 * attribute type codes and flags, capability codes and AFI/SAFI values,
 * from RFC 4271 (BGP-4), RFC 4760 (multiprotocol), RFC 5492
 * (capabilities), RFC 6793 (4-octet AS), RFC 2918 (route refresh),
 * RFC 4724 (graceful restart), RFC 8950 (extended next hop), RFC 1997,
 * RFC 8092 (communities), RFC 4456 (route reflection), RFC 4486 (Cease
 * subcodes) and RFC 7313/RFC 8654 where noted.  Shared by the daemon, the
 * CLI (to name codes in words) and the tests.
 */
#ifndef FLATBGP_BGP_WIRE_H
#define FLATBGP_BGP_WIRE_H

#define BGP_PORT		179
#define BGP_VERSION		4
#define BGP_MARKER_LEN		16
#define BGP_HEADER_LEN		19	/* marker + length + type */
#define BGP_MAX_MSG_LEN		4096	/* RFC 4271 §4.1 */
#define BGP_OPEN_MIN_LEN	29	/* RFC 4271 §4.2 */
#define BGP_UPDATE_MIN_LEN	23	/* RFC 4271 §4.3 */
#define BGP_NOTIFICATION_MIN_LEN 21	/* RFC 4271 §4.5 */
#define BGP_KEEPALIVE_LEN	19	/* RFC 4271 §4.4 */
#define BGP_ROUTE_REFRESH_LEN	23	/* RFC 2918 §3 */
#define BGP_AS_TRANS		23456	/* RFC 6793 §9 */

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5,
};

/* NOTIFICATION error codes, RFC 4271 §4.5, RFC 7313 (7). */
enum bgp_error_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD_TIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7,
};

/* Message Header Error subcodes, RFC 4271 §6.1. */
enum bgp_header_error {
	BGP_ERR_HEADER_SYNC = 1,
	BGP_ERR_HEADER_LENGTH = 2,
	BGP_ERR_HEADER_TYPE = 3,
};

/* OPEN Message Error subcodes, RFC 4271 §6.2, RFC 5492 §5. */
enum bgp_open_error {
	BGP_ERR_OPEN_VERSION = 1,
	BGP_ERR_OPEN_PEER_AS = 2,
	BGP_ERR_OPEN_BGP_ID = 3,
	BGP_ERR_OPEN_OPTIONAL_PARAM = 4,
	/* 5 is deprecated (authentication failure) */
	BGP_ERR_OPEN_HOLD_TIME = 6,
	BGP_ERR_OPEN_CAPABILITY = 7,
	BGP_ERR_OPEN_ROLE = 11,		/* RFC 9234 */
};

/* UPDATE Message Error subcodes, RFC 4271 §6.3. */
enum bgp_update_error {
	BGP_ERR_UPDATE_ATTR_LIST = 1,
	BGP_ERR_UPDATE_UNRECOGNIZED_WELLKNOWN = 2,
	BGP_ERR_UPDATE_MISSING_WELLKNOWN = 3,
	BGP_ERR_UPDATE_ATTR_FLAGS = 4,
	BGP_ERR_UPDATE_ATTR_LENGTH = 5,
	BGP_ERR_UPDATE_ORIGIN = 6,
	/* 7 is deprecated (AS routing loop) */
	BGP_ERR_UPDATE_NEXT_HOP = 8,
	BGP_ERR_UPDATE_OPTIONAL_ATTR = 9,
	BGP_ERR_UPDATE_NETWORK = 10,
	BGP_ERR_UPDATE_AS_PATH = 11,
};

/* Finite State Machine Error subcodes, RFC 6608. */
enum bgp_fsm_error {
	BGP_ERR_FSM_UNSPECIFIED = 0,
	BGP_ERR_FSM_OPENSENT = 1,
	BGP_ERR_FSM_OPENCONFIRM = 2,
	BGP_ERR_FSM_ESTABLISHED = 3,
};

/* Cease subcodes, RFC 4486 §4, RFC 8203. */
enum bgp_cease {
	BGP_CEASE_MAX_PREFIXES = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2,
	BGP_CEASE_PEER_DECONFIGURED = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONNECTION_REJECTED = 5,
	BGP_CEASE_OTHER_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_OUT_OF_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9,	/* RFC 8538 */
};

/* Path attribute flags, RFC 4271 §4.3. */
#define BGP_ATTR_FLAG_OPTIONAL		0x80
#define BGP_ATTR_FLAG_TRANSITIVE	0x40
#define BGP_ATTR_FLAG_PARTIAL		0x20
#define BGP_ATTR_FLAG_EXTENDED		0x10
#define BGP_ATTR_FLAGS_MASK		0xe0	/* O, T, P: what is checked */

/* Path attribute type codes. */
enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,	/* RFC 1997 */
	BGP_ATTR_ORIGINATOR_ID = 9,	/* RFC 4456 */
	BGP_ATTR_CLUSTER_LIST = 10,	/* RFC 4456 */
	BGP_ATTR_MP_REACH_NLRI = 14,	/* RFC 4760 */
	BGP_ATTR_MP_UNREACH_NLRI = 15,	/* RFC 4760 */
	BGP_ATTR_EXT_COMMUNITIES = 16,	/* RFC 4360 */
	BGP_ATTR_AS4_PATH = 17,		/* RFC 6793 */
	BGP_ATTR_AS4_AGGREGATOR = 18,	/* RFC 6793 */
	BGP_ATTR_LARGE_COMMUNITIES = 32, /* RFC 8092 */
};

enum bgp_origin {
	BGP_ORIGIN_IGP = 0,
	BGP_ORIGIN_EGP = 1,
	BGP_ORIGIN_INCOMPLETE = 2,
};

/* AS_PATH segment types, RFC 4271 §4.3, RFC 5065. */
enum bgp_as_path_segment {
	BGP_AS_SET = 1,
	BGP_AS_SEQUENCE = 2,
	BGP_AS_CONFED_SEQUENCE = 3,
	BGP_AS_CONFED_SET = 4,
};

/* OPEN optional parameter types. */
#define BGP_OPT_PARAM_CAPABILITIES	2	/* RFC 5492 */
#define BGP_OPT_PARAM_EXTENDED_LENGTH	255	/* RFC 9072 */

/* Capability codes, RFC 5492 and the IANA registry. */
enum bgp_capability_code {
	BGP_CAP_MULTIPROTOCOL = 1,	/* RFC 4760 */
	BGP_CAP_ROUTE_REFRESH = 2,	/* RFC 2918 */
	BGP_CAP_EXTENDED_NEXT_HOP = 5,	/* RFC 8950 */
	BGP_CAP_EXTENDED_MESSAGE = 6,	/* RFC 8654 */
	BGP_CAP_GRACEFUL_RESTART = 64,	/* RFC 4724 */
	BGP_CAP_AS4 = 65,		/* RFC 6793 */
	BGP_CAP_ADD_PATH = 69,		/* RFC 7911 */
	BGP_CAP_ENHANCED_ROUTE_REFRESH = 70, /* RFC 7313 */
	BGP_CAP_ROUTE_REFRESH_CISCO = 128, /* pre-standard, still sent */
	BGP_CAP_FQDN = 73,		/* draft-walton-bgp-hostname */
};

/* Address family identifiers (IANA) and the one SAFI we speak. */
#define BGP_AFI_IPV4		1
#define BGP_AFI_IPV6		2
#define BGP_SAFI_UNICAST	1

/* Well-known communities, RFC 1997 §4, RFC 7999. */
#define BGP_COMMUNITY_NO_EXPORT		0xffffff01u
#define BGP_COMMUNITY_NO_ADVERTISE	0xffffff02u
#define BGP_COMMUNITY_NO_EXPORT_SUBCONFED 0xffffff03u
#define BGP_COMMUNITY_BLACKHOLE		0xffff029au

#endif /* FLATBGP_BGP_WIRE_H */
