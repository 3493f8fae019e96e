/*
 * test_adjout.c - the Adj-RIB-Out, checked through the codec: every
 * message is parsed back and applied to a model of what the peer has.
 * Packing, export rules (a table), exported attributes, withdrawals,
 * End-of-RIB, refresh, the wakeup, and a random run with the dump and
 * the queue racing the RIB.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adjout.h"
#include "route_fixture.h"
#include "tap.h"

#define PEER_PREFIXES	262144	/* the model knows 1.0.0.0/24 .. */

/* What the peer has been sent, rebuilt from the messages. */
struct peer_view {
	bool		 has[PEER_PREFIXES];
	size_t		 count;
	size_t		 messages, announced, withdrawn, max_len;
	bool		 end_of_rib[3];
	unsigned	 other;		/* prefixes outside the model */
	struct path_attrs last;		/* attributes of the last UPDATE */
	struct bgp_nexthop last_nexthop;
	uint8_t		 last_as_path[256];
	uint8_t		 last_cluster_list[64];
};

static struct bgp_update update;	/* large: not on the stack */
static unsigned wakeups;

static void
wakeup_cb(void *arg)
{
	wakeups++;
}

/* Index of a /24 of fixture_prefix_v4(), -1 for any other prefix. */
static int
view_index(const struct prefix *p)
{
	uint32_t address;

	if (p->family != FAMILY_IPV4 || p->length != 24)
		return -1;
	address = (uint32_t)p->bytes[0] << 24 | (uint32_t)p->bytes[1] << 16 |
	    (uint32_t)p->bytes[2] << 8;
	if (address < 0x01000000u || address - 0x01000000u >=
	    (uint32_t)PEER_PREFIXES << 8)
		return -1;
	return (int)((address - 0x01000000u) >> 8);
}

static void
view_apply_block(struct peer_view *v, struct nlri_block *block, bool add)
{
	struct prefix p;
	int i;

	while (nlri_next(block, &p)) {
		if ((i = view_index(&p)) < 0) {
			v->other++;
			continue;
		}
		if (add) {
			v->announced++;
			v->count += !v->has[i];
		} else {
			v->withdrawn++;
			v->count -= v->has[i];
		}
		v->has[i] = add;
	}
}

static void
copy_bytes(uint8_t *to, size_t size, const struct bytes *from)
{
	if (from->len > 0)
		memcpy(to, from->data, from->len < size ? from->len : size);
}

/* Parses one message and applies it; false if it does not parse. */
static bool
view_apply(struct peer_view *v, const struct bgp_codec_ctx *ctx,
    const uint8_t *msg, size_t len)
{
	struct bgp_error err;
	uint16_t length;
	uint8_t type;

	if (bgp_msg_parse_header(msg, len, BGP_MAX_MSG_LEN, &type, &length,
	    &err) == -1 || type != BGP_MSG_UPDATE || length != len ||
	    bgp_msg_parse_update(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN,
	    ctx, &update, &err) == -1 || update.action != UPDATE_OK)
		return false;
	v->messages++;
	if (len > v->max_len)
		v->max_len = len;
	if (update.end_of_rib) {
		v->end_of_rib[update.end_of_rib_family] = true;
		return true;
	}
	view_apply_block(v, &update.withdrawn, false);
	view_apply_block(v, &update.mp_withdrawn, false);
	if (update.announced.cursor.pos != update.announced.cursor.end ||
	    update.mp_announced.cursor.pos != update.mp_announced.cursor.end) {
		v->last = update.attrs;
		v->last_nexthop = update.attrs.nexthop;
		copy_bytes(v->last_as_path, sizeof(v->last_as_path),
		    &update.attrs.as_path);
		copy_bytes(v->last_cluster_list, sizeof(v->last_cluster_list),
		    &update.attrs.cluster_list);
	}
	view_apply_block(v, &update.announced, true);
	view_apply_block(v, &update.mp_announced, true);
	return true;
}

/* Pulls at most max messages (0: all); returns how many failed to parse. */
static unsigned
drain(struct adjout *out, const struct bgp_codec_ctx *ctx,
    struct peer_view *v, size_t max)
{
	static uint8_t msg[BGP_MAX_MSG_LEN];
	unsigned bad = 0;
	size_t len, pulled = 0, idle = 0;

	while (max == 0 || pulled < max) {
		len = adjout_next_message(out, msg, sizeof(msg));
		if (len == 0) {
			/* A dump that read without result asks again. */
			if (!adjout_pending(out) || ++idle > 1000)
				break;
			continue;
		}
		pulled++;
		bad += !view_apply(v, ctx, msg, len);
	}
	return bad;
}

/* ---- fixtures ------------------------------------------------------- */

static struct route_source peer, other_ebgp, ibgp, ibgp_client, local;
static struct route_source ibgp_peer;

static void
sources_setup(void)
{
	fixture_source(&peer, 1, FIX_EBGP, 65002, 0x0a000002, "172.18.0.2");
	fixture_source(&other_ebgp, 2, FIX_EBGP, 65003, 0x0a000003,
	    "172.18.0.3");
	fixture_source(&ibgp, 3, FIX_IBGP, 65001, 0x0a000004, "172.18.0.4");
	fixture_source(&ibgp_client, 4, FIX_IBGP, 65001, 0x0a000005,
	    "172.18.0.5");
	ibgp_client.rr_client = true;
	fixture_source(&local, 5, FIX_LOCAL, 65001, 0x0a000001, "0.0.0.0");
	fixture_source(&ibgp_peer, 6, FIX_IBGP, 65001, 0x0a000006,
	    "172.18.0.6");
}

/* An eBGP session to `peer` over IPv4, both families, 4-octet ASNs. */
static void
params_setup(struct adjout_params *params)
{
	memset(params, 0, sizeof(*params));
	params->peer_source = &peer;
	params->codec.as4 = true;
	params->codec.ipv4 = true;
	params->codec.ipv6 = true;
	params->local_as = 65001;
	params->remote_as = 65002;
	params->router_id = 0x0a000001;
	params->cluster_id = 0x0a0000ff;
	params->next_hop_self = true;
	params->export = EXPORT_ALL;
	ip_addr_parse("172.18.0.1", &params->self_v4.global);
	ip_addr_parse("::ffff:172.18.0.1", &params->self_v6.global);
	params->max_message = BGP_MAX_MSG_LEN;
}

static void
make_ibgp(struct adjout_params *params)
{
	params->ibgp = params->codec.ibgp = true;
	params->remote_as = 65001;
	params->next_hop_self = false;
	params->peer_source = &ibgp_peer;
}

/* ---- tests ----------------------------------------------------------- */

static void
test_packing(void)
{
	struct adjout_params params;
	struct rib *rib = rib_create(8);
	struct attr *own = fixture_attr(NULL, 0, -1);
	struct attr *other = fixture_attr(NULL, 0, 10);
	struct adjout *out;
	struct adjout_stats stats;
	static struct peer_view v;
	static uint8_t msg[BGP_MAX_MSG_LEN];
	struct prefix p;
	unsigned i, bad;

	params_setup(&params);
	params.export = EXPORT_LOCAL;
	for (i = 0; i < 1000; i++) {
		p = fixture_prefix_v4(i);
		rib_update(rib, &local, &p, own, 0);
	}
	wakeups = 0;
	out = adjout_create(rib, &params, wakeup_cb, NULL);
	ok(!adjout_pending(out), "nothing pending before Established");
	adjout_start(out);
	is_int(wakeups, 1, "start wakes the session up");
	bad = drain(out, &params.codec, &v, 0);
	is_int(bad, 0, "every message parses");
	ok(v.count == 1000 && v.other == 0 && v.announced == 1000,
	    "the 1000 prefixes, each once");
	ok(v.messages <= 4 && v.max_len <= BGP_MAX_MSG_LEN,
	    "%zu messages (2 End-of-RIB), largest %zu bytes", v.messages,
	    v.max_len);
	ok(v.end_of_rib[FAMILY_IPV4] && v.end_of_rib[FAMILY_IPV6],
	    "End-of-RIB for both families");
	adjout_get_stats(out, &stats);
	ok(stats.advertised[FAMILY_IPV4] == 1000 && stats.pending == 0 &&
	    stats.messages_built == v.messages, "counters: 1000 advertised");
	ok(!adjout_pending(out) && adjout_next_message(out, msg,
	    sizeof(msg)) == 0, "then nothing");

	/* One withdrawn, one re-announced twice, one changed and back. */
	wakeups = 0;
	p = fixture_prefix_v4(5);
	rib_withdraw(rib, &local, &p);
	is_int(wakeups, 1, "queue no longer empty: wakeup");
	p = fixture_prefix_v4(6);
	rib_withdraw(rib, &local, &p);
	rib_update(rib, &local, &p, own, 0);
	is_int(wakeups, 1, "no second wakeup while pending");
	memset(&v.has, 1, sizeof(v.has[0]) * 1000);
	v.count = 1000;
	v.messages = v.announced = v.withdrawn = 0;
	bad = drain(out, &params.codec, &v, 0);
	ok(bad == 0 && v.messages == 2 && v.withdrawn == 2 && v.announced == 1
	    && !v.has[5] && v.has[6] && v.count == 999,
	    "withdrawals (5, 6) first, then 6 again");
	adjout_get_stats(out, &stats);
	is_int(stats.advertised[FAMILY_IPV4], 999, "999 advertised");

	/*
	 * Refresh with a change still queued: everything again, each
	 * prefix once, no End-of-RIB, counters unchanged.
	 */
	memset(&v, 0, sizeof(v));
	p = fixture_prefix_v4(8);
	rib_update(rib, &local, &p, other, 0);
	adjout_refresh(out, FAMILY_IPV4);
	bad = drain(out, &params.codec, &v, 0);
	ok(bad == 0 && v.count == 999 && v.announced == 999 &&
	    !v.end_of_rib[FAMILY_IPV4], "refresh: all 999 again, no EoR");
	adjout_get_stats(out, &stats);
	is_int(stats.advertised[FAMILY_IPV4], 999, "still 999 advertised");

	adjout_destroy(out);
	rib_destroy(rib);
	attr_unref(own);
	attr_unref(other);
}

/* One export rule case: a route from `from` reaches the peer or not. */
struct export_case {
	const char			*name;
	bool				 ibgp_peer, rr_client_peer;
	enum export_policy		 export;
	const struct route_source	*from;
	uint32_t			 community;	/* 0: none */
	uint8_t				 rejected;
	bool				 v6_session_only, extended_next_hop;
	bool				 sent;
};

static const struct export_case export_cases[] = {
	{ "export none", false, false, EXPORT_NONE, &local, 0, 0, 0, 0, false },
	{ "export local: local route", false, false, EXPORT_LOCAL, &local,
	    0, 0, 0, 0, true },
	{ "export local: learned route", false, false, EXPORT_LOCAL,
	    &other_ebgp, 0, 0, 0, 0, false },
	{ "export all: eBGP to eBGP", false, false, EXPORT_ALL, &other_ebgp,
	    0, 0, 0, 0, true },
	{ "export all: eBGP to iBGP", true, false, EXPORT_ALL, &other_ebgp,
	    0, 0, 0, 0, true },
	{ "iBGP to eBGP", false, false, EXPORT_ALL, &ibgp, 0, 0, 0, 0, true },
	{ "iBGP to iBGP, no reflection", true, false, EXPORT_ALL, &ibgp,
	    0, 0, 0, 0, false },
	{ "RR: client to non-client", true, false, EXPORT_ALL, &ibgp_client,
	    0, 0, 0, 0, true },
	{ "RR: non-client to client", true, true, EXPORT_ALL, &ibgp, 0, 0, 0,
	    0, true },
	{ "split horizon", false, false, EXPORT_ALL, &peer, 0, 0, 0, 0,
	    false },
	{ "NO_ADVERTISE", true, false, EXPORT_ALL, &other_ebgp,
	    BGP_COMMUNITY_NO_ADVERTISE, 0, 0, 0, false },
	{ "NO_EXPORT to eBGP", false, false, EXPORT_ALL, &local,
	    BGP_COMMUNITY_NO_EXPORT, 0, 0, 0, false },
	{ "NO_EXPORT to iBGP", true, false, EXPORT_ALL, &other_ebgp,
	    BGP_COMMUNITY_NO_EXPORT, 0, 0, 0, true },
	{ "rejected path", false, false, EXPORT_ALL, &other_ebgp, 0, 1, 0, 0,
	    false },
	{ "IPv4 over IPv6, no extended next hop", false, false, EXPORT_ALL,
	    &local, 0, 0, true, false, false },
	{ "IPv4 over IPv6, RFC 8950", false, false, EXPORT_ALL, &local, 0, 0,
	    true, true, true },
};

static struct attr *
case_attr(const struct export_case *c)
{
	static struct path_attrs pa;
	uint8_t community[4];
	uint32_t asn = c->from->remote_as;

	fixture_pa(&pa, c->from->local ? NULL : "172.18.0.9", &asn,
	    c->from->local ? 0 : 1);
	if (c->community) {
		community[0] = (uint8_t)(c->community >> 24);
		community[1] = (uint8_t)(c->community >> 16);
		community[2] = (uint8_t)(c->community >> 8);
		community[3] = (uint8_t)c->community;
		pa.present |= PA_COMMUNITIES;
		pa.communities.data = community;
		pa.communities.len = 4;
	}
	return attr_intern(&pa);
}

static void
test_export_rules(void)
{
	const struct export_case *c;
	struct adjout_params params;
	struct adjout_stats stats;
	static struct peer_view v;
	struct prefix p = fixture_prefix_v4(1);
	struct adjout *out;
	struct attr *a;
	struct rib *rib;
	size_t i;

	for (i = 0; i < sizeof(export_cases) / sizeof(export_cases[0]); i++) {
		c = &export_cases[i];
		params_setup(&params);
		if (c->ibgp_peer)
			make_ibgp(&params);
		params.rr_client = c->rr_client_peer;
		params.export = c->export;
		if (c->v6_session_only) {
			memset(&params.self_v4, 0, sizeof(params.self_v4));
			ip_addr_parse("fd00::1", &params.self_v6.global);
			params.codec.extended_next_hop_ipv4 =
			    c->extended_next_hop;
		}
		rib = rib_create(1);
		out = adjout_create(rib, &params, NULL, NULL);
		adjout_start(out);
		memset(&v, 0, sizeof(v));
		drain(out, &params.codec, &v, 0);
		a = case_attr(c);
		rib_update(rib, c->from, &p, a, c->rejected);
		drain(out, &params.codec, &v, 0);
		adjout_get_stats(out, &stats);
		ok(v.has[1] == c->sent && stats.advertised[FAMILY_IPV4] ==
		    (size_t)c->sent, "export: %s: %s", c->name,
		    c->sent ? "sent" : "not sent");
		if (c->v6_session_only && !c->sent)
			ok(stats.no_nexthop > 0, "export: %s: counted",
			    c->name);
		if (c->v6_session_only && c->sent)
			ok(v.last_nexthop.global.family == FAMILY_IPV6,
			    "export: %s: IPv6 next hop", c->name);
		adjout_destroy(out);
		rib_destroy(rib);
		attr_unref(a);
	}
}

static bool
as_path_is(const uint8_t *path, size_t len, const uint32_t *asns,
    size_t count)
{
	size_t i;

	if (len != 2 + 4 * count || path[0] != BGP_AS_SEQUENCE ||
	    path[1] != count)
		return false;
	for (i = 0; i < count; i++)
		if (((uint32_t)path[2 + 4 * i] << 24 |
		    (uint32_t)path[3 + 4 * i] << 16 |
		    (uint32_t)path[4 + 4 * i] << 8 | path[5 + 4 * i]) != asns[i])
			return false;
	return true;
}

/* Sends one route from `from` with MED 7 and returns what arrived. */
static struct peer_view *
send_one(const struct adjout_params *params, const struct route_source *from,
    bool with_local_pref)
{
	static struct peer_view v;
	static struct path_attrs pa;
	struct prefix p = fixture_prefix_v4(2);
	struct rib *rib = rib_create(1);
	struct adjout *out;
	struct attr *a;
	uint32_t asn = 65003;

	fixture_pa(&pa, from->local ? NULL : "172.18.0.9", &asn,
	    from->local || from->ibgp ? 0 : 1);
	pa.present |= PA_MED;
	pa.med = 7;
	if (with_local_pref) {
		pa.present |= PA_LOCAL_PREF;
		pa.local_pref = 250;
	}
	a = attr_intern(&pa);
	rib_update(rib, from, &p, a, 0);
	out = adjout_create(rib, params, NULL, NULL);
	adjout_start(out);
	memset(&v, 0, sizeof(v));
	drain(out, &params->codec, &v, 0);
	adjout_destroy(out);
	rib_destroy(rib);
	attr_unref(a);
	return &v;
}

static void
test_attributes(void)
{
	static const uint32_t prepended[] = { 65001, 65003 };
	static const uint32_t ours[] = { 65001 };
	struct adjout_params params;
	struct peer_view *v;
	struct ip_addr self, learned;

	ip_addr_parse("172.18.0.1", &self);
	ip_addr_parse("172.18.0.9", &learned);
	params_setup(&params);
	v = send_one(&params, &other_ebgp, true);
	ok(v->has[2] && as_path_is(v->last_as_path, v->last.as_path.len,
	    prepended, 2), "eBGP: local AS prepended");
	ok(!(v->last.present & (PA_LOCAL_PREF | PA_MED)),
	    "eBGP: no LOCAL_PREF, no MED of another AS");
	ok(ip_addr_equal(&v->last_nexthop.global, &self), "eBGP: next hop self");
	v = send_one(&params, &local, false);
	ok(as_path_is(v->last_as_path, v->last.as_path.len, ours, 1) &&
	    (v->last.present & PA_MED) && v->last.med == 7,
	    "eBGP, local route: our AS, MED kept");
	params.next_hop_self = false;
	v = send_one(&params, &other_ebgp, false);
	ok(ip_addr_equal(&v->last_nexthop.global, &learned),
	    "eBGP without next-hop-self: next hop kept");

	params_setup(&params);
	make_ibgp(&params);
	v = send_one(&params, &other_ebgp, true);
	ok((v->last.present & PA_LOCAL_PREF) && v->last.local_pref == 100,
	    "iBGP: LOCAL_PREF 100 (an eBGP one is not passed on)");
	ok(ip_addr_equal(&v->last_nexthop.global, &learned) &&
	    v->last.as_path.len == 6, "iBGP: next hop and AS path unchanged");
	ok(!(v->last.present & (PA_ORIGINATOR_ID | PA_CLUSTER_LIST)),
	    "iBGP, not reflected: no ORIGINATOR_ID/CLUSTER_LIST");
	v = send_one(&params, &local, false);
	ok(ip_addr_equal(&v->last_nexthop.global, &self) &&
	    v->last.as_path.len == 0 && v->last.local_pref == 100,
	    "iBGP, local route: next hop self, empty path, LOCAL_PREF 100");

	params.rr_client = true;
	v = send_one(&params, &ibgp, true);
	ok(v->has[2] && v->last.local_pref == 250, "reflected: LOCAL_PREF kept");
	ok((v->last.present & PA_ORIGINATOR_ID) &&
	    v->last.originator_id == ibgp.router_id,
	    "reflected: ORIGINATOR_ID is the source's router id");
	ok((v->last.present & PA_CLUSTER_LIST) &&
	    v->last.cluster_list.len == 4 &&
	    memcmp(v->last_cluster_list, "\x0a\x00\x00\xff", 4) == 0,
	    "reflected: CLUSTER_LIST holds our cluster id");
	ok(ip_addr_equal(&v->last_nexthop.global, &learned),
	    "reflected: next hop unchanged");
}

/* Withdrawals go first, and a route never sent is never withdrawn. */
static void
test_order(void)
{
	struct adjout_params params;
	struct rib *rib = rib_create(1);
	struct attr *a = fixture_attr(NULL, 0, -1);
	static struct peer_view v;
	struct adjout *out;
	struct adjout_stats stats;
	static uint8_t msg[BGP_MAX_MSG_LEN];
	struct prefix p0 = fixture_prefix_v4(0), p1 = fixture_prefix_v4(1);
	size_t len;

	params_setup(&params);
	rib_update(rib, &local, &p0, a, 0);
	out = adjout_create(rib, &params, NULL, NULL);
	adjout_start(out);
	drain(out, &params.codec, &v, 0);
	rib_update(rib, &local, &p1, a, 0);
	rib_withdraw(rib, &local, &p0);
	len = adjout_next_message(out, msg, sizeof(msg));
	memset(&v, 0, sizeof(v));
	v.has[0] = true;
	v.count = 1;
	ok(view_apply(&v, &params.codec, msg, len) && v.withdrawn == 1 &&
	    v.announced == 0, "the withdrawal first");
	drain(out, &params.codec, &v, 0);
	ok(v.has[1] && !v.has[0], "then the announcement");
	rib_withdraw(rib, &local, &p1);
	rib_update(rib, &local, &p0, a, 0);
	rib_withdraw(rib, &local, &p0);
	memset(&v, 0, sizeof(v));
	drain(out, &params.codec, &v, 0);
	ok(v.withdrawn == 1 && v.announced == 0,
	    "one withdrawal; announced and withdrawn unsent: nothing");
	adjout_get_stats(out, &stats);
	ok(stats.advertised[FAMILY_IPV4] == 0 && stats.pending == 0,
	    "counters at zero");
	adjout_destroy(out);
	rib_destroy(rib);
	attr_unref(a);
}

/*
 * Random RIB changes while the dump (75,000 prefixes, more than its
 * window) and the queue are pulled a message at a time, with refreshes
 * during and after the initial dump: at the end the peer must have
 * exactly the exported best paths, and the counter must say so.
 */
static void
test_random(void)
{
	enum { PREFIXES = 150000, SETS = 5 };
	struct route_source *sources[] = { &peer, &other_ebgp, &ibgp, &local };
	struct adjout_params params;
	struct rib *rib = rib_create(4);
	struct attr *sets[SETS];
	static struct peer_view v;
	struct adjout_stats stats;
	struct adjout *out;
	struct prefix p;
	const struct rib_node *n;
	struct rib_node_view view;
	unsigned i, step, bad = 0, wrong = 0;
	uint32_t asn;
	size_t expected = 0;

	params_setup(&params);
	for (i = 0; i < SETS; i++) {
		asn = 65100 + i;
		sets[i] = fixture_attr("172.18.0.9", asn, i);
	}
	srandom(11);
	for (i = 0; i < PREFIXES; i += 2) {
		p = fixture_prefix_v4(i);
		rib_update(rib, sources[random() % 4], &p,
		    sets[random() % SETS], 0);
	}
	out = adjout_create(rib, &params, NULL, NULL);
	adjout_start(out);
	memset(&v, 0, sizeof(v));
	for (step = 0; step < 40000; step++) {
		p = fixture_prefix_v4((uint32_t)random() % PREFIXES);
		if (random() % 3 == 0)
			rib_withdraw(rib, sources[random() % 4], &p);
		else
			rib_update(rib, sources[random() % 4], &p,
			    sets[random() % SETS], (uint8_t)(random() % 9 == 0));
		if (step % 50 == 0)
			bad += drain(out, &params.codec, &v, 1);
		if (step == 100 || step == 30000)
			adjout_refresh(out, FAMILY_IPV4);
	}
	bad += drain(out, &params.codec, &v, 0);
	for (n = rib_next(rib, FAMILY_IPV4, NULL); n != NULL;
	    n = rib_next(rib, FAMILY_IPV4, &view.prefix)) {
		rib_node_get(n, &view);
		i = (unsigned)view_index(&view.prefix);
		if (view.paths->flags & PATH_BEST &&
		    view.paths->source != &peer) {
			expected++;
			wrong += !v.has[i];
		} else
			wrong += v.has[i];
	}
	adjout_get_stats(out, &stats);
	is_int(bad, 0, "random: every message parses");
	is_int(wrong, 0, "random: the peer has exactly the exported routes");
	ok(v.count == expected && stats.advertised[FAMILY_IPV4] == expected,
	    "random: %zu advertised, counter exact", expected);
	ok(v.end_of_rib[FAMILY_IPV4] && v.other == 0, "random: End-of-RIB");
	adjout_destroy(out);
	rib_destroy(rib);
	for (i = 0; i < SETS; i++)
		attr_unref(sets[i]);
}

int
main(void)
{
	struct attr_stats stats;

	attr_init();
	sources_setup();
	test_packing();
	test_export_rules();
	test_attributes();
	test_order();
	test_random();
	attr_get_stats(&stats);
	is_int(stats.attr_count, 0, "no attribute set leaked");
	attr_shutdown();
	return tap_done();
}
