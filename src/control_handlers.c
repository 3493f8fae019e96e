/*
 * control_handlers.c - the daemon's answers to flatbgpctl.
 *
 * One handler per command of SPEC §2, each writing typed records (the
 * schemas of doc/control.md) through the JSON writer; formatting for
 * people is flatbgpctl's business.  Handlers read daemon state and never
 * block.  `show rib` streams: it writes a bounded batch of prefixes per
 * call and keeps its place (the last prefix written) in the writer's
 * resume area, so a million routes never sit in one buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adjout.h"
#include "attr.h"
#include "control.h"
#include "control_proto.h"
#include "daemon.h"
#include "decide.h"
#include "fib.h"
#include "json_writer.h"
#include "log.h"
#include "netmon.h"
#include "originate.h"
#include "peer.h"
#include "policy.h"
#include "session.h"

#define RIB_BATCH	512	/* prefixes per handler call */

static void
member_addr(struct json_writer *w, const char *key, const struct ip_addr *a)
{
	char text[IP_ADDR_STRLEN];

	if (a->family == FAMILY_NONE)
		json_writer_member_null(w, key);
	else
		json_writer_member_string(w, key, ip_addr_format(a, text,
		    sizeof(text)));
}

static void
member_router_id(struct json_writer *w, const char *key, uint32_t id)
{
	struct ip_addr a;

	ip_addr_set_v4_u32(&a, id);
	member_addr(w, key, &a);
}

static void
write_neighbor_summary(struct json_writer *w, const struct peer *p)
{
	time_t now = time(NULL);
	enum session_state state = peer_state(p);

	json_writer_member_string(w, "address", p->name);
	if (p->remote_as != 0)
		json_writer_member_uint(w, "remote_as", p->remote_as);
	else
		json_writer_member_null(w, "remote_as");
	json_writer_member_uint(w, "local_as", p->daemon->conf->asn);
	json_writer_member_string(w, "state", session_state_name(state));
	/* Up/Down: time since the session last went up or down. */
	json_writer_member_uint(w, "uptime", now >= p->updown_since ?
	    (uint64_t)(now - p->updown_since) : 0);
	json_writer_member_int(w, "state_changed", (int64_t)p->state_changed);
	json_writer_key(w, "prefixes");
	json_writer_object_begin(w);
	json_writer_member_uint(w, "received", p->prefixes_received);
	json_writer_member_uint(w, "accepted", p->prefixes_accepted);
	json_writer_member_uint(w, "advertised", peer_prefixes_advertised(p));
	json_writer_object_end(w);
	if (p->conf->description != NULL)
		json_writer_member_string(w, "description",
		    p->conf->description);
	else
		json_writer_member_null(w, "description");
	json_writer_member_bool(w, "dynamic", p->dynamic);
	json_writer_member_bool(w, "passive", p->conf->passive);
	/* A neighbor given by name: the name ("address" is what it
	 * resolved to, or the name until it resolves). */
	if (p->conf->host != NULL)
		json_writer_member_string(w, "host", p->conf->host);
	else
		json_writer_member_null(w, "host");
}

static int
handle_show_neighbors(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	struct daemon *d = arg;
	const struct peer *p;

	json_writer_object_begin(w);
	json_writer_key(w, "neighbors");
	json_writer_array_begin(w);
	TAILQ_FOREACH(p, &d->peers, entry) {
		if (p->deleting)
			continue;
		json_writer_object_begin(w);
		write_neighbor_summary(w, p);
		json_writer_object_end(w);
	}
	json_writer_array_end(w);
	json_writer_object_end(w);
	return 0;
}

/* Capability names as `show neighbor` lists them. */
static void
write_caps(struct json_writer *w, const struct bgp_caps *c)
{
	json_writer_array_begin(w);
	if (c->ipv4_unicast)
		json_writer_string(w, "multiprotocol ipv4-unicast");
	if (c->ipv6_unicast)
		json_writer_string(w, "multiprotocol ipv6-unicast");
	if (c->route_refresh)
		json_writer_string(w, "route-refresh");
	if (c->enhanced_route_refresh)
		json_writer_string(w, "enhanced-route-refresh");
	if (c->as4)
		json_writer_stringf(w, "4-octet-as %u", c->as4_number);
	if (c->extended_next_hop_ipv4)
		json_writer_string(w, "extended-next-hop ipv4-unicast");
	if (c->graceful_restart)
		json_writer_stringf(w, "graceful-restart %u",
		    c->restart_time);
	if (c->extended_message)
		json_writer_string(w, "extended-message");
	if (c->add_path)
		json_writer_string(w, "add-path");
	if (c->hostname[0] != '\0')
		json_writer_stringf(w, "hostname %s", c->hostname);
	for (size_t i = 0; i < c->unknown_count; i++)
		json_writer_stringf(w, "unknown %u", c->unknown_codes[i]);
	json_writer_array_end(w);
}

static void
write_counters(struct json_writer *w, const char *key,
    const struct message_counters *c)
{
	json_writer_key(w, key);
	json_writer_object_begin(w);
	json_writer_member_uint(w, "open", c->open);
	json_writer_member_uint(w, "update", c->update);
	json_writer_member_uint(w, "notification", c->notification);
	json_writer_member_uint(w, "keepalive", c->keepalive);
	json_writer_member_uint(w, "route_refresh", c->route_refresh);
	json_writer_member_uint(w, "total", c->open + c->update +
	    c->notification + c->keepalive + c->route_refresh);
	json_writer_object_end(w);
}

static void
write_last_error(struct json_writer *w, const struct peer_error *e)
{
	char hex[sizeof(e->data) * 2 + 1];
	size_t i;

	json_writer_key(w, "last_error");
	if (!e->set) {
		if (e->message[0] == '\0') {
			json_writer_null(w);
			return;
		}
		/* A connection-level failure without a NOTIFICATION. */
		json_writer_object_begin(w);
		json_writer_member_null(w, "direction");
		json_writer_member_string(w, "message", e->message);
		json_writer_object_end(w);
		return;
	}
	for (i = 0; i < e->data_len; i++)
		snprintf(hex + i * 2, 3, "%02x", e->data[i]);
	hex[e->data_len * 2] = '\0';
	json_writer_object_begin(w);
	json_writer_member_string(w, "direction", e->sent ? "sent" :
	    "received");
	json_writer_member_uint(w, "code", e->code);
	json_writer_member_uint(w, "subcode", e->subcode);
	json_writer_member_string(w, "code_name", bgp_error_code_name(e->code));
	json_writer_member_string(w, "subcode_name",
	    bgp_error_subcode_name(e->code, e->subcode));
	json_writer_member_string(w, "data", hex);
	json_writer_member_string(w, "message", e->message);
	json_writer_member_int(w, "time", (int64_t)e->time);
	json_writer_object_end(w);
}

static void
write_neighbor_detail(struct json_writer *w, const struct peer *p)
{
	const struct session *s = peer_current_session(p);
	bool up = p->established != NULL;

	write_neighbor_summary(w, p);
	if (s != NULL && s->state >= SESSION_OPENCONFIRM)
		member_router_id(w, "router_id", s->remote_open.bgp_id);
	else
		json_writer_member_null(w, "router_id");
	if (s != NULL && s->local.family != FAMILY_NONE) {
		member_addr(w, "local_address", &s->local);
		json_writer_member_uint(w, "local_port", s->local_port);
		json_writer_member_uint(w, "remote_port", s->remote_port);
	} else {
		json_writer_member_null(w, "local_address");
		json_writer_member_null(w, "local_port");
		json_writer_member_null(w, "remote_port");
	}
	if (up) {
		json_writer_member_uint(w, "hold_time", s->hold_time);
		json_writer_member_uint(w, "keepalive", s->keepalive_time);
	} else {
		json_writer_member_null(w, "hold_time");
		json_writer_member_null(w, "keepalive");
	}
	json_writer_member_uint(w, "configured_hold_time", peer_hold_time(p));
	json_writer_member_string(w, "type", p->remote_as == 0 ? "unknown" :
	    p->remote_as == p->daemon->conf->asn ? "ibgp" : "ebgp");
	json_writer_key(w, "families");
	json_writer_array_begin(w);
	if (up && s->codec.ipv4)
		json_writer_string(w, "ipv4");
	if (up && s->codec.ipv6)
		json_writer_string(w, "ipv6");
	json_writer_array_end(w);
	json_writer_key(w, "capabilities");
	json_writer_object_begin(w);
	json_writer_key(w, "advertised");
	write_caps(w, &p->caps_sent);
	json_writer_key(w, "received");
	write_caps(w, &p->caps_received);
	json_writer_key(w, "negotiated");
	if (up)
		write_caps(w, &s->negotiated);
	else
		json_writer_null(w);
	json_writer_object_end(w);
	json_writer_key(w, "messages");
	json_writer_object_begin(w);
	write_counters(w, "sent", &p->sent);
	write_counters(w, "received", &p->received);
	json_writer_object_end(w);
	write_last_error(w, &p->last_error);
	json_writer_member_uint(w, "established_transitions",
	    p->established_transitions);
	json_writer_member_uint(w, "flaps", p->established_transitions > 0 ?
	    p->established_transitions - 1 : 0);
}

static struct peer *
find_peer_word(struct daemon *d, const char *word, char *error,
    size_t error_size)
{
	struct ip_addr a;
	struct peer *p;

	if (ip_addr_parse(word, &a) == -1 ||
	    (p = daemon_find_peer(d, &a)) == NULL) {
		snprintf(error, error_size, "no such neighbor: %s", word);
		return NULL;
	}
	return p;
}

static int
handle_show_neighbor(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	struct peer *p = find_peer_word(arg, words[2], error, error_size);

	if (p == NULL)
		return -1;
	json_writer_object_begin(w);
	json_writer_key(w, "neighbor");
	json_writer_object_begin(w);
	write_neighbor_detail(w, p);
	json_writer_object_end(w);
	json_writer_object_end(w);
	return 0;
}

static const char *const origin_names[] = { "IGP", "EGP", "incomplete" };

static void
write_as_path(struct json_writer *w, const struct blob *path)
{
	struct cursor c;
	uint8_t type, count, i;
	uint32_t asn;

	json_writer_array_begin(w);
	cursor_init(&c, path->data, path->len);
	while (cursor_get_u8(&c, &type) == 0 && cursor_get_u8(&c, &count) == 0) {
		/* An AS_SET is a nested array: order inside it means nothing. */
		bool set = type == BGP_AS_SET || type == BGP_AS_CONFED_SET;

		if (set)
			json_writer_array_begin(w);
		for (i = 0; i < count && cursor_get_u32(&c, &asn) == 0; i++)
			json_writer_uint(w, asn);
		if (set)
			json_writer_array_end(w);
	}
	json_writer_array_end(w);
}

/* Communities of 4 (A:B) or 12 (A:B:C) bytes as strings. */
static void
write_communities(struct json_writer *w, const char *key,
    const struct blob *b, size_t width)
{
	struct cursor c;
	uint32_t x, y = 0, z = 0;

	json_writer_key(w, key);
	json_writer_array_begin(w);
	if (b != NULL) {
		cursor_init(&c, b->data, b->len);
		while (cursor_left(&c) >= width) {
			if (width == 4) {
				cursor_get_u32(&c, &x);
				json_writer_stringf(w, "%u:%u", x >> 16,
				    x & 0xffff);
			} else {
				cursor_get_u32(&c, &x);
				cursor_get_u32(&c, &y);
				cursor_get_u32(&c, &z);
				json_writer_stringf(w, "%u:%u:%u", x, y, z);
			}
		}
	}
	json_writer_array_end(w);
}

static void
write_cluster_list(struct json_writer *w, const struct blob *b)
{
	struct cursor c;
	uint32_t id;

	json_writer_key(w, "cluster_list");
	json_writer_array_begin(w);
	if (b != NULL) {
		cursor_init(&c, b->data, b->len);
		while (cursor_get_u32(&c, &id) == 0)
			json_writer_stringf(w, "%u.%u.%u.%u", id >> 24,
			    (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff);
	}
	json_writer_array_end(w);
}

/*
 * Whether the path's next hop is reachable: 1 yes, 0 no, -1 not
 * applicable (our own or a rejected path).
 */
static int
path_resolved(const struct path *path)
{
	if (path->source->local || path->rejected)
		return -1;
	return !path->unresolved;
}

static void
write_path(struct json_writer *w, const struct daemon *d, int family,
    const struct path *path, uint32_t now)
{
	const struct attr *a = path->attr;
	int resolved = path_resolved(path);

	json_writer_object_begin(w);
	json_writer_member_bool(w, "best", (path->flags & PATH_BEST) != 0);
	json_writer_member_bool(w, "ecmp", (path->flags & PATH_ECMP) != 0);
	json_writer_member_string(w, "source", path->source->local ? "local" :
	    path->source->name);
	if (path->source->local)
		json_writer_member_null(w, "source_as");
	else
		json_writer_member_uint(w, "source_as",
		    path->source->remote_as);
	member_addr(w, "next_hop", &a->nexthop.global);
	member_addr(w, "next_hop_link_local", &a->nexthop.link_local);
	json_writer_key(w, "as_path");
	write_as_path(w, a->as_path);
	json_writer_member_string(w, "origin", a->origin < 3 ?
	    origin_names[a->origin] : "unknown");
	if (a->present & PA_MED)
		json_writer_member_uint(w, "med", a->med);
	else
		json_writer_member_null(w, "med");
	if (a->present & PA_LOCAL_PREF)
		json_writer_member_uint(w, "local_pref", a->local_pref);
	else
		json_writer_member_null(w, "local_pref");
	write_communities(w, "communities", a->communities, 4);
	write_communities(w, "large_communities", a->large_communities, 12);
	if (a->present & PA_ORIGINATOR_ID)
		member_router_id(w, "originator_id", a->originator_id);
	else
		json_writer_member_null(w, "originator_id");
	write_cluster_list(w, a->cluster_list);
	if (path->rejected || (path->flags & PATH_BEST))
		json_writer_member_null(w, "reason");
	else
		json_writer_member_string(w, "reason",
		    decide_reason_name(path->reason));
	if (resolved < 0)
		json_writer_member_null(w, "next_hop_resolved");
	else
		json_writer_member_bool(w, "next_hop_resolved", resolved);
	if (path->rejected)
		json_writer_member_string(w, "rejected",
		    import_verdict_name(path->rejected));
	else
		json_writer_member_null(w, "rejected");
	json_writer_member_uint(w, "age", now - path->received);
	json_writer_object_end(w);
}

static void
write_route(struct json_writer *w, const struct daemon *d,
    const struct rib_node *node, uint32_t now)
{
	struct rib_node_view view;
	const struct path *path;
	char text[PREFIX_STRLEN];

	rib_node_get(node, &view);
	json_writer_object_begin(w);
	json_writer_member_string(w, "prefix", prefix_format(&view.prefix,
	    text, sizeof(text)));
	json_writer_key(w, "paths");
	json_writer_array_begin(w);
	for (path = view.paths; path != NULL; path = path->next)
		write_path(w, d, view.prefix.family, path, now);
	json_writer_array_end(w);
	json_writer_object_end(w);
}

/* Where a streamed `show rib` stopped, kept in the writer's resume area. */
struct rib_dump_position {
	uint8_t		started;
	uint8_t		family;		/* family being written */
	uint8_t		have_after;	/* after is valid */
	struct prefix	after;		/* last prefix written */
};

/* Writes the whole RIB in chunks; returns CONTROL_HANDLER_MORE or 0. */
static int
dump_rib(struct daemon *d, struct json_writer *w)
{
	struct rib_dump_position *pos = (void *)w->resume.bytes;
	const struct rib_node *node;
	struct rib_node_view view;
	uint32_t now = daemon_now();

	_Static_assert(sizeof(struct rib_dump_position) <=
	    sizeof(w->resume.bytes), "resume area too small");
	if (!pos->started) {
		pos->started = 1;
		pos->family = FAMILY_IPV4;
		json_writer_object_begin(w);
		json_writer_key(w, "routes");
		json_writer_array_begin(w);
	}
	for (; pos->family <= FAMILY_IPV6; pos->family++,
	    pos->have_after = 0) {
		node = rib_next(d->rib, pos->family, pos->have_after ?
		    &pos->after : NULL);
		for (; node != NULL; node = rib_next(d->rib, pos->family,
		    &pos->after)) {
			rib_node_get(node, &view);
			pos->after = view.prefix;
			pos->have_after = 1;
			write_route(w, d, node, now);
			if (w->len >= CONTROL_CHUNK_BYTES)
				return CONTROL_HANDLER_MORE;
		}
	}
	json_writer_array_end(w);
	json_writer_object_end(w);
	return 0;
}

/*
 * `show rib [PREFIX]`: an exact prefix, or else the longest prefix
 * holding the address; without an argument, the whole RIB, streamed.
 */
static int
handle_show_rib(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	struct daemon *d = arg;
	const struct rib_node *node;
	struct prefix p;

	if (count <= 2)
		return dump_rib(d, w);
	if (prefix_parse(words[2], &p, true) != 0) {
		snprintf(error, error_size, "bad prefix: %s", words[2]);
		return -1;
	}
	node = rib_lookup(d->rib, &p);
	while (node == NULL && p.length > 0) {
		prefix_set(&p, p.family, p.length - 1u, p.bytes);
		node = rib_lookup(d->rib, &p);
	}
	json_writer_object_begin(w);
	json_writer_key(w, "routes");
	json_writer_array_begin(w);
	if (node != NULL)
		write_route(w, d, node, daemon_now());
	json_writer_array_end(w);
	json_writer_object_end(w);
	return 0;
}

static void
write_fib_route(struct json_writer *w, const struct fib *fib,
    const struct fib_route_info *info)
{
	const struct fib_params *params = fib_get_params(fib);
	char text[IP_ADDR_STRLEN];
	const char *ifname;
	size_t i;

	json_writer_object_begin(w);
	json_writer_member_string(w, "prefix", prefix_format(&info->prefix,
	    text, sizeof(text)));
	json_writer_key(w, "next_hops");
	json_writer_array_begin(w);
	for (i = 0; i < info->next_hop_count; i++) {
		const struct nexthop *h = &info->next_hops[i];

		ip_addr_format(&h->gateway, text, sizeof(text));
		/* A link-local gateway means nothing without its link. */
		ifname = connected_link_name(fib_connected(fib), h->ifindex);
		if (ip_addr_is_link_local(&h->gateway) && ifname != NULL)
			json_writer_stringf(w, "%s%%%s", text, ifname);
		else
			json_writer_string(w, text);
	}
	json_writer_array_end(w);
	json_writer_member_uint(w, "metric", params->metric);
	json_writer_member_uint(w, "table", params->table);
	json_writer_member_uint(w, "protocol", params->protocol);
	json_writer_member_string(w, "state", fib_state_name(info->state));
	json_writer_object_end(w);
}

/* Where a streamed `show fib` stopped. */
struct fib_dump_position {
	uint8_t			 started;
	uint8_t			 family;	/* RIB walk; 3: orphans */
	uint8_t			 have_after;
	struct prefix		 after;
	struct fib_table_cursor	 cursor;	/* orphans */
};

/*
 * `show fib`: the RIB's prefixes in order, each as the FIB sees it,
 * then the routes of an earlier run still waiting for convergence.
 * Streamed like `show rib`.
 */
static int
handle_show_fib(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	static struct fib_route_info info;	/* 6 KiB: not on the stack */
	struct fib_dump_position *pos = (void *)w->resume.bytes;
	struct daemon *d = arg;
	const struct rib_node *node;
	struct rib_node_view view;

	_Static_assert(sizeof(struct fib_dump_position) <=
	    sizeof(w->resume.bytes), "resume area too small");
	if (!pos->started) {
		pos->started = 1;
		pos->family = d->fib != NULL ? FAMILY_IPV4 : FAMILY_IPV6 + 2;
		fib_table_cursor_init(&pos->cursor);
		json_writer_object_begin(w);
		json_writer_key(w, "fib");
		json_writer_array_begin(w);
	}
	for (; pos->family <= FAMILY_IPV6; pos->family++,
	    pos->have_after = 0) {
		for (node = rib_next(d->rib, pos->family, pos->have_after ?
		    &pos->after : NULL); node != NULL; node = rib_next(d->rib,
		    pos->family, &pos->after)) {
			rib_node_get(node, &view);
			pos->after = view.prefix;
			pos->have_after = 1;
			if (fib_route_info(d->fib, &view.prefix, &info) == 0)
				write_fib_route(w, d->fib, &info);
			if (w->len >= CONTROL_CHUNK_BYTES)
				return CONTROL_HANDLER_MORE;
		}
	}
	while (pos->family == FAMILY_IPV6 + 1 &&
	    fib_orphan_next(d->fib, &pos->cursor, &info)) {
		write_fib_route(w, d->fib, &info);
		if (w->len >= CONTROL_CHUNK_BYTES)
			return CONTROL_HANDLER_MORE;
	}
	json_writer_array_end(w);
	json_writer_object_end(w);
	return 0;
}

static int
handle_show_originated(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	struct daemon *d = arg;
	const struct originated_route *routes;
	size_t n = originate_routes(d->originate, &routes), i, j;
	char text[PREFIX_STRLEN];

	json_writer_object_begin(w);
	json_writer_key(w, "originated");
	json_writer_array_begin(w);
	for (i = 0; i < n; i++) {
		json_writer_object_begin(w);
		json_writer_member_string(w, "prefix",
		    prefix_format(&routes[i].prefix, text, sizeof(text)));
		json_writer_member_string(w, "source",
		    origin_kind_name(routes[i].kind));
		json_writer_member_int(w, "confirmed",
		    (int64_t)routes[i].confirmed);
		json_writer_key(w, "communities");
		json_writer_array_begin(w);
		for (j = 0; j < d->conf->advertise.community_count; j++) {
			uint32_t c = d->conf->advertise.communities[j];

			json_writer_stringf(w, "%u:%u", c >> 16, c & 0xffff);
		}
		json_writer_array_end(w);
		json_writer_object_end(w);
	}
	json_writer_array_end(w);
	json_writer_object_end(w);
	return 0;
}

static size_t
read_rss(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size, resident;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * 4096;
}

static int
handle_show_memory(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	static const char *const blob_names[BLOB_KIND_COUNT] = {
		"as_paths", "communities", "large_communities",
		"ext_communities", "cluster_lists", "unknown_attributes",
	};
	struct daemon *d = arg;
	struct rib_stats rs;
	struct attr_stats as;
	struct adjout_stats out_stats;
	struct fib_stats fs;
	const struct peer *p;
	size_t adjout_bytes;
	char key[64];
	int i;

	rib_get_stats(d->rib, &rs);
	attr_get_stats(&as);
	json_writer_object_begin(w);
	json_writer_key(w, "memory");
	json_writer_object_begin(w);
	json_writer_member_uint(w, "prefixes_ipv4", rs.prefixes[FAMILY_IPV4]);
	json_writer_member_uint(w, "prefixes_ipv6", rs.prefixes[FAMILY_IPV6]);
	json_writer_member_uint(w, "paths", rs.paths);
	json_writer_member_uint(w, "rib_nodes", rs.nodes);
	json_writer_member_uint(w, "rib_bytes", rs.bytes);
	json_writer_member_uint(w, "attributes", as.attr_count);
	json_writer_member_uint(w, "attribute_bytes", as.attr_bytes);
	for (i = 0; i < BLOB_KIND_COUNT; i++) {
		json_writer_member_uint(w, blob_names[i], as.blob_count[i]);
		snprintf(key, sizeof(key), "%s_bytes", blob_names[i]);
		json_writer_member_uint(w, key, as.blob_bytes[i]);
	}
	adjout_bytes = 0;
	TAILQ_FOREACH(p, &d->peers, entry) {
		if (p->adjout == NULL)
			continue;
		adjout_get_stats(p->adjout, &out_stats);
		adjout_bytes += out_stats.bytes;
	}
	json_writer_member_uint(w, "adj_rib_out_bytes", adjout_bytes);
	if (d->fib != NULL) {
		fib_get_stats(d->fib, &fs);
		json_writer_member_uint(w, "fib_queued", fs.queued);
		json_writer_member_uint(w, "fib_table_bytes", fs.table_bytes);
	}
	json_writer_member_uint(w, "retiring_sources",
	    rib_retiring_count(d->rib));
	json_writer_member_uint(w, "rss_bytes", read_rss());
	json_writer_object_end(w);
	json_writer_object_end(w);
	return 0;
}

static void
write_result(struct json_writer *w, const char *message)
{
	json_writer_object_begin(w);
	json_writer_member_string(w, "result", "ok");
	json_writer_member_string(w, "message", message);
	json_writer_object_end(w);
}

static int
handle_clear_neighbor(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	struct peer *p = find_peer_word(arg, words[2], error, error_size);

	if (p == NULL)
		return -1;
	if (count > 3) {
		/* Soft: ask the peer to resend (RFC 2918) and resend ours. */
		if (peer_request_refresh(p) == -1) {
			snprintf(error, error_size, "neighbor %s: session not "
			    "established or route refresh not negotiated",
			    p->name);
			return -1;
		}
		if (p->adjout != NULL) {
			adjout_refresh(p->adjout, FAMILY_IPV4);
			adjout_refresh(p->adjout, FAMILY_IPV6);
		}
		write_result(w, "route refresh requested and sent");
		return 0;
	}
	peer_reset(p, BGP_CEASE_ADMIN_RESET, "cleared by flatbgpctl");
	write_result(w, "session reset");
	return 0;
}

/* Splits the text written to a memory stream into lines. */
static size_t
split_lines(char *text, const char **lines, size_t max)
{
	size_t count = 0;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL && count < max;
	    line = strtok_r(NULL, "\n", &save))
		lines[count++] = line;
	return count;
}

static int
handle_reload(void *arg, const char *const *words, size_t count,
    struct json_writer *w, char *error, size_t error_size)
{
	struct daemon *d = arg;
	const char *lines[64];
	char *text = NULL;
	size_t size = 0, n;
	FILE *errors = open_memstream(&text, &size);
	int result;

	if (errors == NULL) {
		snprintf(error, error_size, "out of memory");
		return -1;
	}
	result = daemon_reload(d, errors);
	fclose(errors);
	if (result == -1) {
		n = split_lines(text, lines, sizeof(lines) / sizeof(lines[0]));
		control_write_error_details(w, "reload failed; the running "
		    "configuration stays", lines, n);
	} else {
		write_result(w, "configuration reloaded");
	}
	free(text);
	return 0;
}

void
control_handlers_register(struct control *ctl, struct daemon *d)
{
	static const struct {
		const char		*pattern;
		control_handler_cb	*cb;
	} table[] = {
		{ CONTROL_SHOW_NEIGHBORS, handle_show_neighbors },
		{ CONTROL_SHOW_SUMMARY, handle_show_neighbors },
		{ CONTROL_SHOW_NEIGHBOR, handle_show_neighbor },
		{ CONTROL_SHOW_RIB, handle_show_rib },
		{ CONTROL_SHOW_FIB, handle_show_fib },
		{ CONTROL_SHOW_ORIGINATED, handle_show_originated },
		{ CONTROL_SHOW_MEMORY, handle_show_memory },
		{ CONTROL_CLEAR_NEIGHBOR, handle_clear_neighbor },
		{ CONTROL_RELOAD, handle_reload },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		control_register(ctl, table[i].pattern, table[i].cb, d);
}
