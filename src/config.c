/*
 * config.c - the configuration keys of SPEC §3: their tables, defaults
 * and limits, the checks across keys, freeing, comparing neighbors and
 * the inheritance helpers.
 *
 * Each section of the file is one table of struct config_key (see
 * config_table.h).  The tables are the one list of keys, defaults
 * (YAML text) and limits from which config_yaml.c parses, printconf.c
 * prints, and this file frees and compares; the value types they name
 * are in config_value.c.  The section checks validate what no single
 * key can: a neighbor has an address or a range, route reflection is
 * for iBGP only (RFC 4456), a neighbor is listed once.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config_table.h"
#include "log.h"

#define TCP_MD5_MAX_KEY	80	/* TCP_MD5SIG_MAXKEYLEN, linux/tcp.h */

#define AT(m)	.offset = offsetof(struct config, m), \
		.size = sizeof(((struct config *)0)->m)
#define NB(m)	.offset = offsetof(struct config_neighbor, m), \
		.size = sizeof(((struct config_neighbor *)0)->m)
#define LS(m)	.offset = offsetof(struct config_listen, m), \
		.size = sizeof(((struct config_listen *)0)->m)
#define WORDS_END	{ NULL, 0 }
#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Named values. */

static const struct config_word hold_time_words[] = {
	{ "0", 0 },		/* no keepalives (RFC 4271 §4.2) */
	WORDS_END
};
static const struct config_word export_words[] = {
	{ "local", EXPORT_LOCAL },
	{ "all", EXPORT_ALL },
	{ "none", EXPORT_NONE },
	WORDS_END
};
static const struct config_word table_words[] = {
	{ "main", 254 },	/* RT_TABLE_MAIN, linux/rtnetlink.h */
	{ "local", 255 },	/* RT_TABLE_LOCAL */
	{ "default", 253 },	/* RT_TABLE_DEFAULT */
	WORDS_END
};
static const struct config_word protocol_words[] = {
	{ "bgp", 186 },		/* RTPROT_BGP */
	WORDS_END
};
static const struct config_word level_words[] = {
	{ "error", LOG_ERR },
	{ "warning", LOG_WARNING },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
	WORDS_END
};
static const struct config_word family_words[] = {
	{ "ipv4", CONFIG_FAMILY_IPV4 },
	{ "ipv6", CONFIG_FAMILY_IPV6 },
	WORDS_END
};

/* listen: [{address, port}] */

static int
listen_order_cb(const void *a, const void *b)
{
	const struct config_listen *x = a, *y = b;
	int c = ip_addr_compare(&x->address, &y->address);

	return c != 0 ? c : (x->port > y->port) - (x->port < y->port);
}

static const struct config_key listen_keys[] = {
	{ .name = "address", .type = &config_type_ip, LS(address),
	  .default_text = "\"::\"" },
	{ .name = "port", .type = &config_type_number, LS(port),
	  .default_text = "179", .min = 1, .max = 65535 },
};
static const struct config_section listen_section = {
	.keys = listen_keys, .key_count = NITEMS(listen_keys),
	.size = sizeof(struct config_listen), .compare = listen_order_cb,
};

/* neighbors: [...] */

static void
neighbor_init(void *object)
{
	struct config_neighbor *n = object;

	n->hold_time = -1;
	n->next_hop_self = CONFIG_UNSET;
}

/* Whether a session with n may be iBGP (n accepts our own AS). */
static bool
may_be_ibgp(const struct config *conf, const struct config_neighbor *n)
{
	size_t i;

	if (n->asn_kind != PEER_ASN_NUMBER)
		return n->asn_kind == PEER_ASN_INTERNAL;
	for (i = 0; i < n->asn_count; i++)
		if (n->asns[i] == conf->asn)
			return true;
	return n->asn_count == 0;	/* asn itself was wrong */
}

static void
neighbor_check(struct config_load *load, const struct config_section *section,
    const struct config_found *found, void *object)
{
	struct config_neighbor *n = object;
	const struct config *conf = config_loading(load);
	bool address = config_found_value(section, found, "address") != NULL;
	bool range = config_found_value(section, found, "range") != NULL;

	n->line = (unsigned)found->mapping->start_mark.line + 1;
	n->column = (unsigned)found->mapping->start_mark.column + 1;
	if (address && range)
		config_error_key(load, section, found, "range", "a neighbor "
		    "has an address or a range, not both");
	else if (!address && !range)
		config_error(load, found->mapping, "a neighbor needs an "
		    "address or a range");
	if (address && !range && (n->asn_kind != PEER_ASN_NUMBER ||
	    n->asn_count > 1))
		config_error_key(load, section, found, "asn", "must be one AS "
		    "number for a neighbor with an address (external, "
		    "internal and lists are for ranges)");
	if (!range && config_found_value(section, found, "max-sessions"))
		config_error_key(load, section, found, "max-sessions",
		    "only applies to a range");
	if (n->route_reflector_client && conf->asn != 0 &&
	    !may_be_ibgp(conf, n))
		config_error_key(load, section, found,
		    "route-reflector-client", "only for iBGP neighbors "
		    "(RFC 4456), and this one's asn is not ours (%u)",
		    conf->asn);
}

static int
neighbor_order_cb(const void *a, const void *b)
{
	const struct config_neighbor *x = a, *y = b;

	if (x->is_range != y->is_range)
		return x->is_range ? 1 : -1;
	if (x->is_range)
		return prefix_compare(&x->range, &y->range);
	if ((x->host == NULL) != (y->host == NULL))
		return x->host == NULL ? -1 : 1;
	if (x->host != NULL)
		return strcasecmp(x->host, y->host);
	return ip_addr_compare(&x->address, &y->address);
}

static bool
neighbor_shows_cb(const struct config_key *key, const void *object)
{
	const struct config_neighbor *n = object;

	if (key->flags & KEY_RANGE)
		return n->is_range;
	if (key->flags & KEY_SINGLE)
		return !n->is_range;
	return true;
}

static const struct config_key neighbor_keys[] = {
	{ .name = "address", .type = &config_type_neighbor_address, NB(address),
	  .flags = KEY_SINGLE },
	{ .name = "range", .type = &config_type_range, NB(range),
	  .flags = KEY_RANGE },
	{ .name = "asn", .type = &config_type_peer_asn, NB(asns),
	  .flags = KEY_REQUIRED, .min = 1, .max = UINT32_MAX },
	{ .name = "description", .type = &config_type_string, NB(description),
	  .flags = KEY_NOT_SESSION },
	{ .name = "password", .type = &config_type_string, NB(password),
	  .max = TCP_MD5_MAX_KEY },
	{ .name = "passive", .type = &config_type_bool, NB(passive),
	  .default_text = "false" },
	{ .name = "hold-time", .type = &config_type_neighbor_hold_time,
	  NB(hold_time), .min = 3, .max = 65535, .words = hold_time_words },
	{ .name = "families", .type = &config_type_families, NB(families),
	  .words = family_words },
	{ .name = "export", .type = &config_type_neighbor_export, NB(export),
	  .words = export_words },
	{ .name = "route-reflector-client", .type = &config_type_bool,
	  NB(route_reflector_client), .default_text = "false" },
	{ .name = "next-hop-self", .type = &config_type_next_hop_self,
	  NB(next_hop_self) },
	{ .name = "max-sessions", .type = &config_type_number, NB(max_sessions),
	  .flags = KEY_RANGE, .default_text = "64", .min = 1, .max = 65535 },
};
static const struct config_section neighbor_section = {
	.keys = neighbor_keys, .key_count = NITEMS(neighbor_keys),
	.size = sizeof(struct config_neighbor), .init = neighbor_init,
	.check = neighbor_check, .compare = neighbor_order_cb,
	.shows = neighbor_shows_cb,
};

/* The sections of struct config itself. */

static const struct config_key advertise_keys[] = {
	{ .name = "pod-cidr", .type = &config_type_cidr, AT(advertise.pod_cidr),
	  .default_text = "auto" },
	{ .name = "service-cidr", .type = &config_type_cidr,
	  AT(advertise.service_cidr), .default_text = "none" },
	{ .name = "prefixes", .type = &config_type_prefixes,
	  AT(advertise.prefixes) },
	{ .name = "communities", .type = &config_type_communities,
	  AT(advertise.communities) },
};
static const struct config_section advertise_section = {
	.keys = advertise_keys, .key_count = NITEMS(advertise_keys),
};

static const struct config_key kubernetes_keys[] = {
	{ .name = "node-name", .type = &config_type_host_name,
	  AT(kubernetes.node_name) },
	{ .name = "api-server", .type = &config_type_api_server,
	  AT(kubernetes.api_server), .default_text = "in-cluster" },
	{ .name = "token-file", .type = &config_type_path, AT(kubernetes.token_file),
	  .default_text =
	  "/var/run/secrets/kubernetes.io/serviceaccount/token" },
	{ .name = "ca-file", .type = &config_type_path, AT(kubernetes.ca_file),
	  .default_text =
	  "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" },
	{ .name = "cni-config-dir", .type = &config_type_path,
	  AT(kubernetes.cni_config_dir), .default_text = "/etc/cni/net.d" },
};
static const struct config_section kubernetes_section = {
	.keys = kubernetes_keys, .key_count = NITEMS(kubernetes_keys),
};

static const struct config_key max_length_keys[] = {
	{ .name = "ipv4", .type = &config_type_number, AT(policy.max_length_ipv4),
	  .default_text = "32", .min = 0, .max = 32 },
	{ .name = "ipv6", .type = &config_type_number, AT(policy.max_length_ipv6),
	  .default_text = "128", .min = 0, .max = 128 },
};
static const struct config_section max_length_section = {
	.keys = max_length_keys, .key_count = NITEMS(max_length_keys),
};

static const struct config_key import_keys[] = {
	{ .name = "allow", .type = &config_type_prefixes, AT(policy.allow),
	  .default_text =
	  "[10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, \"fc00::/7\"]" },
	{ .name = "max-length", .type = &config_type_section,
	  .section = &max_length_section },
	{ .name = "max-prefixes", .type = &config_type_number,
	  AT(policy.max_prefixes), .default_text = "10000", .min = 1,
	  .max = UINT32_MAX },
};
static const struct config_section import_section = {
	.keys = import_keys, .key_count = NITEMS(import_keys),
};

static const struct config_key policy_keys[] = {
	{ .name = "import", .type = &config_type_section, .section = &import_section },
	{ .name = "export", .type = &config_type_word, AT(policy.export),
	  .default_text = "local", .words = export_words },
};
static const struct config_section policy_section = {
	.keys = policy_keys, .key_count = NITEMS(policy_keys),
};

static const struct config_key fib_keys[] = {
	{ .name = "install", .type = &config_type_bool, AT(fib.install),
	  .default_text = "true" },
	{ .name = "table", .type = &config_type_number, AT(fib.table),
	  .default_text = "main", .min = 1, .max = UINT32_MAX,
	  .words = table_words },
	/* 0..4 are the kernel's own (3 = boot: "ip route add"). */
	{ .name = "protocol", .type = &config_type_number, AT(fib.protocol),
	  .default_text = "bgp", .min = 5, .max = 255,
	  .words = protocol_words },
	{ .name = "metric", .type = &config_type_number, AT(fib.metric),
	  .default_text = "20", .min = 0, .max = UINT32_MAX },
	{ .name = "ecmp", .type = &config_type_number, AT(fib.ecmp),
	  .default_text = "8", .min = 1, .max = 256 },
	{ .name = "keep-on-exit", .type = &config_type_bool, AT(fib.keep_on_exit),
	  .default_text = "false" },
};
static const struct config_section fib_section = {
	.keys = fib_keys, .key_count = NITEMS(fib_keys),
};

static const struct config_key control_keys[] = {
	{ .name = "socket", .type = &config_type_path, AT(control.socket),
	  .default_text = CONFIG_DEFAULT_SOCKET,
	  .max = sizeof(((struct sockaddr_un *)0)->sun_path) },
	{ .name = "mode", .type = &config_type_mode, AT(control.mode),
	  .default_text = "\"0660\"" },
};
static const struct config_section control_section = {
	.keys = control_keys, .key_count = NITEMS(control_keys),
};

static const struct config_key metrics_keys[] = {
	{ .name = "listen", .type = &config_type_metrics_listen, AT(metrics),
	  .default_text = "none" },
};
static const struct config_section metrics_section = {
	.keys = metrics_keys, .key_count = NITEMS(metrics_keys),
};

static const struct config_key log_keys[] = {
	{ .name = "level", .type = &config_type_word, AT(log_level),
	  .default_text = "info", .words = level_words },
};
static const struct config_section log_section = {
	.keys = log_keys, .key_count = NITEMS(log_keys),
};

/* The file: SPEC §3, in its order (printconf prints in this order). */
static const struct config_key root_keys[] = {
	{ .name = "asn", .type = &config_type_asn, AT(asn), .flags = KEY_REQUIRED,
	  .min = 1, .max = UINT32_MAX },
	{ .name = "router-id", .type = &config_type_router_id, AT(router_id),
	  .default_text = "auto" },
	{ .name = "listen", .type = &config_type_list, AT(listen),
	  .count_offset = offsetof(struct config, listen_count),
	  .section = &listen_section,
	  .default_text = "[{address: \"::\", port: 179}]" },
	{ .name = "hold-time", .type = &config_type_number, AT(hold_time),
	  .default_text = "90", .min = 3, .max = 65535,
	  .words = hold_time_words },
	{ .name = "connect-retry", .type = &config_type_number, AT(connect_retry),
	  .default_text = "5", .min = 1, .max = 65535 },
	{ .name = "advertise", .type = &config_type_section,
	  .section = &advertise_section },
	{ .name = "kubernetes", .type = &config_type_section,
	  .section = &kubernetes_section },
	{ .name = "neighbors", .type = &config_type_list, AT(neighbors),
	  .count_offset = offsetof(struct config, neighbor_count),
	  .section = &neighbor_section },
	{ .name = "policy", .type = &config_type_section, .section = &policy_section },
	{ .name = "fib", .type = &config_type_section, .section = &fib_section },
	{ .name = "control", .type = &config_type_section,
	  .section = &control_section },
	{ .name = "metrics", .type = &config_type_section,
	  .section = &metrics_section },
	{ .name = "log", .type = &config_type_section, .section = &log_section },
};
const struct config_section config_root = {
	.keys = root_keys, .key_count = NITEMS(root_keys),
};

void
config_free(struct config *conf)
{
	if (conf == NULL)
		return;
	config_release_section(&config_root, conf);
	free(conf->path);
	free(conf);
}

uint16_t
config_neighbor_hold_time(const struct config *conf,
    const struct config_neighbor *n)
{
	return n->hold_time >= 0 ? (uint16_t)n->hold_time : conf->hold_time;
}

enum export_policy
config_neighbor_export(const struct config *conf,
    const struct config_neighbor *n)
{
	return n->export != EXPORT_DEFAULT ? n->export : conf->policy.export;
}

bool
config_neighbor_next_hop_self(const struct config_neighbor *n, bool ibgp)
{
	if (n->next_hop_self == CONFIG_UNSET)
		return !ibgp;
	return n->next_hop_self == CONFIG_TRUE;
}

/*
 * Every key that shapes the session counts; the description does not
 * (changing it must not reset a session).
 */
bool
config_neighbor_equal(const struct config_neighbor *a,
    const struct config_neighbor *b)
{
	const struct config_key *key;
	size_t i;

	for (i = 0; i < neighbor_section.key_count; i++) {
		key = &neighbor_keys[i];
		if (key->flags & KEY_NOT_SESSION)
			continue;
		if (key->type->equal != NULL ? !key->type->equal(key, a, b) :
		    memcmp(CONFIG_CFIELD(a, key), CONFIG_CFIELD(b, key),
		    key->size) != 0)
			return false;
	}
	return true;
}
