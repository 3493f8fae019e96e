/*
 * import.c - received UPDATEs into the RIB.
 *
 * The codec validates and decodes (RFC 7606 decisions included); here
 * the result is applied: withdrawals, then announcements, each prefix
 * through import policy (policy.c) and into the RIB with its verdict,
 * so rejected paths stay visible in `show rib` and can be re-evaluated
 * after a reload without asking the peer again.  The attribute set is
 * interned once per UPDATE, not once per prefix.  Exceeding
 * policy.import.max-prefixes ends the session with Cease / Maximum
 * Number of Prefixes Reached (RFC 4486 §4).
 */
#include <string.h>

#include "attr.h"
#include "daemon.h"
#include "log.h"
#include "originate.h"
#include "peer.h"
#include "policy.h"

/* The path source has for prefix, or NULL. */
static const struct path *
source_path(const struct rib *rib, const struct route_source *source,
    const struct prefix *prefix)
{
	const struct rib_node *node = rib_lookup(rib, prefix);
	struct rib_node_view view;
	const struct path *path;

	if (node == NULL)
		return NULL;
	rib_node_get(node, &view);
	for (path = view.paths; path != NULL; path = path->next)
		if (path->source == source)
			return path;
	return NULL;
}

/* Adjusts the received/accepted counters for a path replaced by one
 * with verdict (or removed, when removed is true). */
static void
count_change(struct peer *p, const struct path *old, bool removed,
    uint8_t verdict)
{
	if (old != NULL) {
		p->prefixes_received--;
		if (old->rejected == IMPORT_ACCEPT)
			p->prefixes_accepted--;
	}
	if (!removed) {
		p->prefixes_received++;
		if (verdict == IMPORT_ACCEPT)
			p->prefixes_accepted++;
	}
}

static void
import_withdraw_block(struct peer *p, struct nlri_block *block)
{
	struct rib *rib = p->daemon->rib;
	struct prefix prefix;
	const struct path *old;

	while (nlri_next(block, &prefix)) {
		old = source_path(rib, p->source, &prefix);
		if (old == NULL)
			continue;
		count_change(p, old, true, 0);
		rib_withdraw(rib, p->source, &prefix);
	}
}

static void
import_policy_for(const struct peer *p, struct import_policy *policy)
{
	const struct config *conf = p->daemon->conf;

	memset(policy, 0, sizeof(*policy));
	policy->allow = &conf->policy.allow;
	policy->max_length_ipv4 = conf->policy.max_length_ipv4;
	policy->max_length_ipv6 = conf->policy.max_length_ipv6;
	policy->local_as = conf->asn;
	policy->router_id = p->daemon->router_id;
	policy->cluster_id = p->daemon->router_id;
	policy->own_prefixes = originate_prefixes(p->daemon->originate);
	policy->connected = daemon_connected_networks(p->daemon);
}

/*
 * RFC 4271 §6.3 / RFC 7606 §7.2: an eBGP peer's path must start with
 * its own AS; if not, the UPDATE is treated as withdraw.
 */
static bool
first_as_ok(const struct peer *p, const struct path_attrs *attrs)
{
	if (p->ibgp || !(attrs->present & PA_AS_PATH))
		return true;
	return as_path_first(attrs->as_path.data, attrs->as_path.len) ==
	    p->remote_as;
}

/* Returns -1 if the session was closed (max-prefixes). */
static int
import_announce_block(struct peer *p, struct nlri_block *block,
    struct attr *attr)
{
	struct rib *rib = p->daemon->rib;
	struct import_policy policy;
	struct prefix prefix, network;
	const struct prefix *session_network;
	const struct path *old;
	uint8_t verdict;
	uint32_t limit = p->daemon->conf->policy.max_prefixes;

	import_policy_for(p, &policy);
	session_network = daemon_session_network(p->daemon, p->established,
	    &network);
	while (nlri_next(block, &prefix)) {
		verdict = (uint8_t)policy_import(&policy, &prefix, attr,
		    session_network);
		old = source_path(rib, p->source, &prefix);
		count_change(p, old, false, verdict);
		rib_update(rib, p->source, &prefix, attr, verdict);
		if (p->prefixes_received > limit) {
			p->prefixes_over_family = prefix.family;
			return -1;
		}
	}
	return 0;
}

/* family: the family of the prefix that crossed the limit. */
/*
 * Announces both NLRI blocks.  The attribute set is interned once per
 * UPDATE; only when classic NLRI (with NEXT_HOP) and MP_REACH NLRI come
 * in one UPDATE do the MP routes need a second set with the MP_REACH
 * next hop (RFC 4760 §3).  Returns -1 when max-prefixes was crossed.
 */
static int
import_announce_all(struct peer *p, struct bgp_update *update)
{
	struct attr *attr = NULL, *mp_attr;
	int result = 0;

	if (cursor_left(&update->announced.cursor) > 0) {
		attr = attr_intern(&update->attrs);
		result = import_announce_block(p, &update->announced, attr);
	}
	if (result == 0 && cursor_left(&update->mp_announced.cursor) > 0) {
		if (attr == NULL || ip_addr_equal(&attr->nexthop.global,
		    &update->mp_nexthop.global)) {
			mp_attr = attr != NULL ? attr_ref(attr) :
			    attr_intern(&update->attrs);
		} else {
			update->attrs.nexthop = update->mp_nexthop;
			mp_attr = attr_intern(&update->attrs);
		}
		result = import_announce_block(p, &update->mp_announced,
		    mp_attr);
		attr_unref(mp_attr);
	}
	if (attr != NULL)
		attr_unref(attr);
	return result;
}

static void
import_max_prefixes(struct peer *p, struct session *s, int family)
{
	uint32_t limit = p->daemon->conf->policy.max_prefixes;
	uint8_t data[7];
	char why[96];

	/* RFC 4486 §4: AFI, SAFI and the upper bound. */
	data[0] = 0;
	data[1] = (uint8_t)family;
	data[2] = BGP_SAFI_UNICAST;
	data[3] = (uint8_t)(limit >> 24);
	data[4] = (uint8_t)(limit >> 16);
	data[5] = (uint8_t)(limit >> 8);
	data[6] = (uint8_t)limit;
	snprintf(why, sizeof(why), "more than %u prefixes "
	    "(policy.import.max-prefixes)", limit);
	session_close(s, BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIXES, data,
	    sizeof(data), why);
}

static void
import_log_warnings(const struct peer *p, const struct bgp_update *u)
{
	char prefix[128];
	size_t i;

	for (i = 0; i < u->warning_count; i++) {
		snprintf(prefix, sizeof(prefix), "neighbor %s: UPDATE: %s "
		    "(attribute %u): ", p->name, u->warnings[i].what,
		    u->warnings[i].attr_type);
		log_hex(LOG_WARNING, prefix, u->warnings[i].bytes,
		    u->warnings[i].len);
	}
}

int
peer_session_update(struct peer *p, struct session *s, const uint8_t *body,
    size_t len)
{
	static struct bgp_update update;	/* 12 KiB: not on the stack */
	struct bgp_error err;
	bool withdraw_all;

	if (bgp_msg_parse_update(body, len, &s->codec, &update, &err) == -1) {
		char prefix[96];

		snprintf(prefix, sizeof(prefix), "neighbor %s: malformed "
		    "UPDATE (%s): ", p->name, err.reason ? err.reason : "");
		log_hex(LOG_WARNING, prefix, body, len);
		session_close(s, err.code, err.subcode, err.data, err.data_len,
		    err.reason);
		return -1;
	}
	import_log_warnings(p, &update);
	if (update.end_of_rib) {
		p->end_of_rib |= 1u << update.end_of_rib_family;
		daemon_check_converged(p->daemon);
	}
	withdraw_all = update.action == UPDATE_TREAT_AS_WITHDRAW ||
	    !first_as_ok(p, &update.attrs);
	if (withdraw_all && update.action != UPDATE_TREAT_AS_WITHDRAW)
		log_warn("neighbor %s: AS path does not start with the "
		    "peer's AS %u: treated as withdraw", p->name, p->remote_as);
	import_withdraw_block(p, &update.withdrawn);
	import_withdraw_block(p, &update.mp_withdrawn);
	if (withdraw_all) {
		import_withdraw_block(p, &update.announced);
		import_withdraw_block(p, &update.mp_announced);
		return 0;
	}
	if (cursor_left(&update.announced.cursor) == 0 &&
	    cursor_left(&update.mp_announced.cursor) == 0)
		return 0;
	if (import_announce_all(p, &update) == -1) {
		import_max_prefixes(p, s, p->prefixes_over_family);
		return -1;
	}
	return 0;
}

void
peer_reevaluate_import(struct peer *p)
{
	struct rib *rib = p->daemon->rib;
	struct import_policy policy;
	const struct rib_node *node;
	struct rib_node_view view;
	const struct path *path;
	const struct prefix *session_network;
	struct prefix after, network;
	struct attr *attr;
	uint8_t verdict;
	int family;

	if (p->established == NULL)
		return;
	import_policy_for(p, &policy);
	session_network = daemon_session_network(p->daemon, p->established,
	    &network);
	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++) {
		for (node = rib_next(rib, family, NULL); node != NULL;
		    node = rib_next(rib, family, &after)) {
			rib_node_get(node, &view);
			after = view.prefix;
			for (path = view.paths; path != NULL;
			    path = path->next) {
				if (path->source != p->source)
					continue;
				verdict = (uint8_t)policy_import(&policy,
				    &view.prefix, path->attr, session_network);
				if (verdict == path->rejected)
					break;
				count_change(p, path, false, verdict);
				/* Hold a reference: the update replaces path. */
				attr = attr_ref(path->attr);
				rib_update(rib, p->source, &view.prefix, attr,
				    verdict);
				attr_unref(attr);
				break;
			}
		}
	}
}
