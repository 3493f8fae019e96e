/*
 * policy.h - what a received route must pass to become eligible.
 *
 * All import checks in one pure function, so that session.c, soft
 * reconfiguration and `show rib` agree on one verdict and its words.
 * A rejected route is still stored (path.rejected holds the verdict),
 * never best, never installed, never advertised.
 */
#ifndef FLATBGP_POLICY_H
#define FLATBGP_POLICY_H

#include <stdint.h>

#include "attr.h"
#include "config.h"
#include "prefix.h"

enum import_verdict {
	IMPORT_ACCEPT = 0,
	IMPORT_REJECT_NOT_ALLOWED,	/* outside policy.import.allow */
	IMPORT_REJECT_MAX_LENGTH,	/* longer than policy.import.max-length */
	IMPORT_REJECT_AS_LOOP,		/* our AS in AS_PATH */
	IMPORT_REJECT_ORIGINATOR_LOOP,	/* ORIGINATOR_ID is our router id */
	IMPORT_REJECT_CLUSTER_LOOP,	/* our cluster id in CLUSTER_LIST */
	IMPORT_REJECT_OWN_PREFIX,	/* overlaps what this node originates */
	IMPORT_REJECT_CONNECTED,	/* overlaps a connected network */
	IMPORT_REJECT_SESSION_NETWORK,	/* overlaps the peer's network */
	IMPORT_REJECT_MARTIAN,	/* 0/8, 127/8, 224/4, ::1, ff00::/8, link-local */
};

struct import_policy {
	/* Accept only prefixes inside one of these; NULL: no such limit. */
	const struct prefix_list *allow;
	/* Longest accepted prefix per family; 0: no limit. */
	uint8_t		 max_length_ipv4, max_length_ipv6;
	uint32_t	 local_as;
	uint32_t	 router_id;
	uint32_t	 cluster_id;	/* 0: the router id (RFC 4456 §7) */
	const struct prefix_list *own_prefixes;	/* may be NULL */
	const struct prefix_list *connected;	/* may be NULL */
};

/*
 * The verdict for prefix with attributes attr (NULL: prefix checks
 * only) from a session whose local network is session_network (NULL if
 * unknown).  The first failing check wins, in this order: martian,
 * allow list, maximum length, own prefixes, connected networks, session
 * network, AS loop, originator loop, cluster loop.
 */
enum import_verdict policy_import(const struct import_policy *policy,
    const struct prefix *prefix, const struct attr *attr,
    const struct prefix *session_network);
/* "not in policy.import.allow", "AS path loop", ...: short fixed texts. */
const char *import_verdict_name(enum import_verdict verdict);

#endif /* FLATBGP_POLICY_H */
