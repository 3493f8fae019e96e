/*
 * policy.c - import checks for received routes (pure).
 *
 * A table of checks, each a predicate on the route; the first that
 * fails names the verdict.  Prefix checks come first (they need no
 * attributes and are what an operator most often asks about), loop
 * checks last.  SPEC §4 "never wrong routes": a prefix overlapping one
 * of our own, a connected network or the session's network is refused,
 * so a peer can never steer our own traffic away.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"
#include "policy.h"

struct import_route {
	const struct import_policy	*policy;
	const struct prefix		*prefix;
	const struct attr		*attr;
	const struct prefix		*session_network;
};

/* Prefixes nobody may route to us; text form, parsed once. */
static const char *const martian_texts[] = {
	"0.0.0.0/8",		/* RFC 1122 "this network" */
	"127.0.0.0/8",		/* loopback */
	"169.254.0.0/16",	/* link-local, RFC 3927 */
	"224.0.0.0/4",		/* multicast */
	"::1/128",		/* loopback */
	"fe80::/10",		/* link-local */
	"ff00::/8",		/* multicast */
};
#define MARTIAN_COUNT	(sizeof(martian_texts) / sizeof(martian_texts[0]))

static bool
list_overlaps(const struct prefix_list *list, const struct prefix *p)
{
	size_t i;

	for (i = 0; list != NULL && i < list->count; i++)
		if (prefix_overlaps(&list->items[i], p))
			return true;
	return false;
}

static bool
is_martian(const struct import_route *r)
{
	static struct prefix martians[MARTIAN_COUNT];
	static bool parsed;
	size_t i;

	if (!parsed) {
		for (i = 0; i < MARTIAN_COUNT; i++)
			prefix_parse(martian_texts[i], &martians[i], false);
		parsed = true;
	}
	for (i = 0; i < MARTIAN_COUNT; i++)
		if (prefix_contains(&martians[i], r->prefix))
			return true;
	return false;
}

static bool
is_not_allowed(const struct import_route *r)
{
	const struct prefix_list *allow = r->policy->allow;
	size_t i;

	if (allow == NULL)
		return false;
	for (i = 0; i < allow->count; i++)
		if (prefix_contains(&allow->items[i], r->prefix))
			return false;
	return true;
}

static bool
is_too_long(const struct import_route *r)
{
	unsigned max = r->prefix->family == FAMILY_IPV4 ?
	    r->policy->max_length_ipv4 : r->policy->max_length_ipv6;

	return max != 0 && r->prefix->length > max;
}

static bool
is_own_prefix(const struct import_route *r)
{
	return list_overlaps(r->policy->own_prefixes, r->prefix);
}

static bool
is_connected(const struct import_route *r)
{
	return list_overlaps(r->policy->connected, r->prefix);
}

static bool
is_session_network(const struct import_route *r)
{
	return r->session_network != NULL &&
	    prefix_overlaps(r->session_network, r->prefix);
}

/* RFC 4271 §9.1.2: a route whose AS_PATH holds our AS is a loop. */
static bool
is_as_loop(const struct import_route *r)
{
	const struct blob *path = r->attr->as_path;

	return path != NULL && as_path_contains(path->data, path->len,
	    r->policy->local_as);
}

/* RFC 4456 §8: our own route reflected back to us. */
static bool
is_originator_loop(const struct import_route *r)
{
	return (r->attr->present & PA_ORIGINATOR_ID) &&
	    r->attr->originator_id == r->policy->router_id;
}

/* RFC 4456 §8: a route that already passed through our cluster. */
static bool
is_cluster_loop(const struct import_route *r)
{
	const struct blob *list = r->attr->cluster_list;
	uint32_t cluster_id = r->policy->cluster_id ? r->policy->cluster_id :
	    r->policy->router_id;
	struct cursor c;
	uint32_t id;

	if (list == NULL)
		return false;
	cursor_init(&c, list->data, list->len);
	while (cursor_get_u32(&c, &id) == 0)
		if (id == cluster_id)
			return true;
	return false;
}

static const struct import_check {
	enum import_verdict	  verdict;
	bool			  needs_attr;
	bool			(*fails)(const struct import_route *);
	const char		 *name;
} import_checks[] = {
	{ IMPORT_REJECT_MARTIAN, false, is_martian, "martian prefix" },
	{ IMPORT_REJECT_NOT_ALLOWED, false, is_not_allowed,
	    "not in policy.import.allow" },
	{ IMPORT_REJECT_MAX_LENGTH, false, is_too_long,
	    "longer than policy.import.max-length" },
	{ IMPORT_REJECT_OWN_PREFIX, false, is_own_prefix,
	    "overlaps a prefix this node originates" },
	{ IMPORT_REJECT_CONNECTED, false, is_connected,
	    "overlaps a connected network" },
	{ IMPORT_REJECT_SESSION_NETWORK, false, is_session_network,
	    "overlaps the session's network" },
	{ IMPORT_REJECT_AS_LOOP, true, is_as_loop,
	    "AS path loop (local AS in AS_PATH)" },
	{ IMPORT_REJECT_ORIGINATOR_LOOP, true, is_originator_loop,
	    "originator loop (ORIGINATOR_ID is our router id)" },
	{ IMPORT_REJECT_CLUSTER_LOOP, true, is_cluster_loop,
	    "cluster loop (our cluster id in CLUSTER_LIST)" },
};
#define IMPORT_CHECK_COUNT (sizeof(import_checks) / sizeof(import_checks[0]))

enum import_verdict
policy_import(const struct import_policy *policy, const struct prefix *prefix,
    const struct attr *attr, const struct prefix *session_network)
{
	struct import_route r = { policy, prefix, attr, session_network };
	size_t i;

	for (i = 0; i < IMPORT_CHECK_COUNT; i++) {
		if (import_checks[i].needs_attr && attr == NULL)
			continue;
		if (import_checks[i].fails(&r))
			return import_checks[i].verdict;
	}
	return IMPORT_ACCEPT;
}

const char *
import_verdict_name(enum import_verdict verdict)
{
	size_t i;

	if (verdict == IMPORT_ACCEPT)
		return "accepted";
	for (i = 0; i < IMPORT_CHECK_COUNT; i++)
		if (import_checks[i].verdict == verdict)
			return import_checks[i].name;
	return "unknown";
}
