/*
 * test_policy.c - every import verdict, the order of the checks and
 * the verdict names.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "policy.h"
#include "route_fixture.h"
#include "tap.h"

#define LOCAL_AS	65001
#define ROUTER_ID	0x0a000001u
#define CLUSTER_ID	0x0a0000ffu

static struct prefix allow_items[2], own_items[1], connected_items[1];
static const struct prefix_list allow = { allow_items, 2 };
static const struct prefix_list own = { own_items, 1 };
static const struct prefix_list connected = { connected_items, 1 };

static void
policy_setup(struct import_policy *policy)
{
	allow_items[0] = fixture_prefix("10.0.0.0/8");
	allow_items[1] = fixture_prefix("fc00::/7");
	own_items[0] = fixture_prefix("10.244.1.0/24");
	connected_items[0] = fixture_prefix("10.5.0.0/16");
	memset(policy, 0, sizeof(*policy));
	policy->allow = &allow;
	policy->max_length_ipv4 = 28;
	policy->max_length_ipv6 = 64;
	policy->local_as = LOCAL_AS;
	policy->router_id = ROUTER_ID;
	policy->cluster_id = CLUSTER_ID;
	policy->own_prefixes = &own;
	policy->connected = &connected;
}

/* Attributes from AS 65002 with a loop of the given kind (0: none). */
static struct attr *
route_attr(enum import_verdict loop)
{
	static struct path_attrs pa;
	uint32_t asns[3] = { 65002, 65003, 65004 };
	static const uint8_t clusters[8] = { 1, 2, 3, 4, 0x0a, 0, 0, 0xff };

	if (loop == IMPORT_REJECT_AS_LOOP)
		asns[2] = LOCAL_AS;
	fixture_pa(&pa, "172.18.0.3", asns, 3);
	if (loop == IMPORT_REJECT_ORIGINATOR_LOOP) {
		pa.present |= PA_ORIGINATOR_ID;
		pa.originator_id = ROUTER_ID;
	}
	if (loop == IMPORT_REJECT_CLUSTER_LOOP) {
		pa.present |= PA_CLUSTER_LIST;
		pa.cluster_list.data = clusters;
		pa.cluster_list.len = sizeof(clusters);
	}
	return attr_intern(&pa);
}

static const struct {
	const char		*prefix;
	enum import_verdict	 loop;
	enum import_verdict	 want;
} rows[] = {
	{ "10.1.0.0/16", 0, IMPORT_ACCEPT },
	{ "fd00:1::/48", 0, IMPORT_ACCEPT },
	{ "192.0.2.0/24", 0, IMPORT_REJECT_NOT_ALLOWED },
	{ "10.1.2.0/29", 0, IMPORT_REJECT_MAX_LENGTH },
	{ "fd00:1::/80", 0, IMPORT_REJECT_MAX_LENGTH },
	{ "10.1.0.0/16", IMPORT_REJECT_AS_LOOP, IMPORT_REJECT_AS_LOOP },
	{ "10.1.0.0/16", IMPORT_REJECT_ORIGINATOR_LOOP,
	    IMPORT_REJECT_ORIGINATOR_LOOP },
	{ "10.1.0.0/16", IMPORT_REJECT_CLUSTER_LOOP,
	    IMPORT_REJECT_CLUSTER_LOOP },
	{ "10.244.1.0/24", 0, IMPORT_REJECT_OWN_PREFIX },
	{ "10.244.0.0/16", 0, IMPORT_REJECT_OWN_PREFIX },	/* covers */
	{ "10.5.3.0/24", 0, IMPORT_REJECT_CONNECTED },
	{ "10.18.0.0/16", 0, IMPORT_REJECT_SESSION_NETWORK },
	{ "10.18.7.0/24", 0, IMPORT_REJECT_SESSION_NETWORK },
	{ "0.0.0.0/8", 0, IMPORT_REJECT_MARTIAN },
	{ "127.0.0.0/16", 0, IMPORT_REJECT_MARTIAN },
	{ "224.1.0.0/16", 0, IMPORT_REJECT_MARTIAN },
	{ "169.254.0.0/16", 0, IMPORT_REJECT_MARTIAN },
	{ "::1/128", 0, IMPORT_REJECT_MARTIAN },
	{ "ff02::/16", 0, IMPORT_REJECT_MARTIAN },
	{ "fe80::/64", 0, IMPORT_REJECT_MARTIAN },
	/* Order: prefix checks before loop checks. */
	{ "10.244.1.0/24", IMPORT_REJECT_AS_LOOP, IMPORT_REJECT_OWN_PREFIX },
	{ "192.0.2.0/24", IMPORT_REJECT_AS_LOOP, IMPORT_REJECT_NOT_ALLOWED },
};

static void
test_rows(void)
{
	struct import_policy policy;
	struct prefix session = fixture_prefix("10.18.0.0/16");
	struct prefix p;
	struct attr *a;
	size_t i;

	policy_setup(&policy);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = fixture_prefix(rows[i].prefix);
		a = route_attr(rows[i].loop);
		is_str(import_verdict_name(policy_import(&policy, &p, a,
		    &session)), import_verdict_name(rows[i].want),
		    rows[i].prefix);
		attr_unref(a);
	}
}

static void
test_limits(void)
{
	struct import_policy policy;
	struct prefix p = fixture_prefix("192.0.2.0/32");
	struct attr *a = route_attr(IMPORT_REJECT_CLUSTER_LOOP);

	policy_setup(&policy);
	policy.allow = NULL;
	policy.max_length_ipv4 = 0;
	is_int(policy_import(&policy, &p, NULL, NULL), IMPORT_ACCEPT,
	    "no allow list, no max length, no attributes: accepted");
	policy.cluster_id = 0;
	is_int(policy_import(&policy, &p, a, NULL), IMPORT_ACCEPT,
	    "cluster id 0 means the router id (not in the list)");
	policy.router_id = 0x0a0000ff;
	is_int(policy_import(&policy, &p, a, NULL), IMPORT_REJECT_CLUSTER_LOOP,
	    "cluster id 0: router id found in CLUSTER_LIST");
	policy.allow = &(struct prefix_list){ NULL, 0 };
	is_int(policy_import(&policy, &p, a, NULL), IMPORT_REJECT_NOT_ALLOWED,
	    "empty allow list accepts nothing");
	attr_unref(a);
}

int
main(void)
{
	attr_init();
	test_rows();
	test_limits();
	is_str(import_verdict_name(IMPORT_REJECT_NOT_ALLOWED),
	    "not in policy.import.allow", "verdict name");
	is_str(import_verdict_name(IMPORT_ACCEPT), "accepted",
	    "accept name");
	is_str(import_verdict_name((enum import_verdict)77), "unknown",
	    "unknown verdict");
	attr_shutdown();
	return tap_done();
}
