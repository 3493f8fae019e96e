/*
 * test_config.c - unit tests of the configuration loader: every key of
 * SPEC §3 lands in its field, every default holds, ${VAR} expands, the
 * inheritance helpers and config_neighbor_equal() answer right, and
 * hostile input (garbage, deep nesting, alias bombs, huge lists) ends
 * in errors, not crashes.  The golden tests in tests/config cover the
 * error messages themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

/* By path: the top directory's autoconf config.h would shadow it. */
#include "../../src/config.h"
#include "tap.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static struct config *
load(const char *text)
{
	return config_load_string("test.yaml", text, strlen(text), NULL);
}

/*
 * Loads text (or, when text is NULL, the file path) that must fail;
 * returns its error lines to free, or NULL if it loaded.
 */
static char *
errors_of(const char *text, const char *path)
{
	struct config *conf;
	char *errors = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errors, &len);

	if (text != NULL)
		conf = config_load_string("test.yaml", text, strlen(text), f);
	else
		conf = config_load(path, f);
	fclose(f);
	if (conf != NULL) {
		config_free(conf);
		free(errors);
		return NULL;
	}
	return errors;
}

static char *
load_errors(const char *text)
{
	return errors_of(text, NULL);
}

static char *
load_file_errors(const char *path)
{
	return errors_of(NULL, path);
}

/* Checks that text fails with exactly the error lines want. */
static void
errors_are(const char *text, const char *want, const char *name)
{
	char *errors = load_errors(text);

	is_str(errors, want, name);
	free(errors);
}

static char *
dump(const struct config *conf)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	config_print(conf, f);
	fclose(f);
	return text;
}

static bool
prefix_is(const struct prefix *p, const char *text)
{
	struct prefix want;

	return prefix_parse(text, &want, false) == 0 && prefix_equal(p, &want);
}

static bool
addr_is(const struct ip_addr *a, const char *text)
{
	struct ip_addr want;

	return ip_addr_parse(text, &want) == 0 && ip_addr_equal(a, &want);
}

static void
test_defaults(void)
{
	struct config *c = load("asn: 65001\n");

	if (!ok(c != NULL, "a file with only asn loads"))
		return;
	is_int(c->asn, 65001, "asn");
	ok(c->router_id_auto, "router-id defaults to auto");
	is_int(c->listen_count, 1, "listen: one entry by default");
	ok(addr_is(&c->listen[0].address, "::"), "listen address ::");
	is_int(c->listen[0].port, 179, "listen port 179");
	is_int(c->hold_time, 90, "hold-time 90");
	is_int(c->connect_retry, 5, "connect-retry 5");
	is_int(c->advertise.pod_cidr.source, CIDR_AUTO, "pod-cidr auto");
	is_int(c->advertise.service_cidr.source, CIDR_NONE,
	    "service-cidr none");
	is_int(c->advertise.prefixes.count, 0, "no static prefixes");
	is_int(c->advertise.community_count, 0, "no communities");
	is_int(c->advertise.large_community_count, 0, "no large communities");
	ok(c->kubernetes.node_name == NULL, "node-name unset (host name)");
	ok(c->kubernetes.api_in_cluster && !c->kubernetes.api_none &&
	    c->kubernetes.api_server == NULL, "api-server in-cluster");
	is_str(c->kubernetes.token_file,
	    "/var/run/secrets/kubernetes.io/serviceaccount/token", "token-file");
	is_str(c->kubernetes.ca_file,
	    "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", "ca-file");
	is_str(c->kubernetes.cni_config_dir, "/etc/cni/net.d",
	    "cni-config-dir");
	is_int(c->neighbor_count, 0, "no neighbors");
	is_int(c->policy.allow.count, 4, "allow: four prefixes");
	ok(c->policy.allow.count == 4 &&
	    prefix_is(&c->policy.allow.items[0], "10.0.0.0/8") &&
	    prefix_is(&c->policy.allow.items[1], "172.16.0.0/12") &&
	    prefix_is(&c->policy.allow.items[2], "192.168.0.0/16") &&
	    prefix_is(&c->policy.allow.items[3], "fc00::/7"),
	    "allow: RFC 1918 and fc00::/7");
	is_int(c->policy.max_length_ipv4, 32, "max-length ipv4 32");
	is_int(c->policy.max_length_ipv6, 128, "max-length ipv6 128");
	is_int(c->policy.max_prefixes, 10000, "max-prefixes 10000");
	is_int(c->policy.export, EXPORT_LOCAL, "export local");
	ok(c->fib.install, "fib install");
	is_int(c->fib.table, 254, "fib table main = 254");
	is_int(c->fib.protocol, 186, "fib protocol bgp = 186");
	is_int(c->fib.metric, 20, "fib metric 20");
	is_int(c->fib.ecmp, 8, "fib ecmp 8");
	ok(!c->fib.keep_on_exit, "fib keep-on-exit false");
	is_str(c->control.socket, "/run/flatbgpd.sock", "control socket");
	is_int(c->control.mode, 0660, "control mode 0660");
	ok(!c->metrics.enabled, "metrics none");
	is_int(c->log_level, LOG_INFO, "log level info");
	is_str(c->path, "test.yaml", "path recorded");
	config_free(c);
}

static const char full[] =
    "asn: 4200000001\n"
    "router-id: 192.0.2.1\n"
    "listen:\n"
    "  - address: 127.0.0.1\n"
    "    port: 1179\n"
    "  - address: \"::1\"\n"
    "hold-time: 30\n"
    "connect-retry: 7\n"
    "advertise:\n"
    "  pod-cidr: [10.244.1.0/24, \"fd00:10:244:1::/64\"]\n"
    "  service-cidr: 10.96.0.0/12\n"
    "  prefixes: [192.0.2.0/24]\n"
    "  communities: [\"65001:100\", \"1:2:3\"]\n"
    "kubernetes:\n"
    "  node-name: kind-worker\n"
    "  api-server: https://10.96.0.1:6443\n"
    "  token-file: /t\n"
    "  ca-file: /c\n"
    "  cni-config-dir: /n\n"
    "neighbors:\n"
    "  - address: 172.18.0.3\n"
    "    asn: 65002\n"
    "    description: cluster2\n"
    "    password: secret\n"
    "    passive: true\n"
    "    hold-time: 0\n"
    "    families: [ipv6]\n"
    "    export: all\n"
    "    next-hop-self: false\n"
    "  - address: kind-worker2\n"
    "    asn: 4200000001\n"
    "    route-reflector-client: true\n"
    "  - range: 172.18.0.0/16\n"
    "    asn: [65003, 65004]\n"
    "    max-sessions: 3\n"
    "  - range: fd00::/64\n"
    "    asn: external\n"
    "  - range: fd01::/64\n"
    "    asn: internal\n"
    "policy:\n"
    "  import:\n"
    "    allow: [10.0.0.0/8]\n"
    "    max-length: {ipv4: 24, ipv6: 64}\n"
    "    max-prefixes: 5\n"
    "  export: none\n"
    "fib:\n"
    "  install: false\n"
    "  table: 100\n"
    "  protocol: 99\n"
    "  metric: 7\n"
    "  ecmp: 1\n"
    "  keep-on-exit: true\n"
    "control:\n"
    "  socket: /tmp/x.sock\n"
    "  mode: \"0600\"\n"
    "metrics:\n"
    "  listen: \"[::1]:9179\"\n"
    "log:\n"
    "  level: debug\n";

static void
test_global_keys(const struct config *c)
{
	is_int(c->asn, 4200000001u, "asn 4-octet");
	ok(!c->router_id_auto && c->router_id == 0xc0000201,
	    "router-id 192.0.2.1 in host order");
	is_int(c->listen_count, 2, "listen: two entries");
	ok(addr_is(&c->listen[0].address, "127.0.0.1") &&
	    c->listen[0].port == 1179, "listen[0] 127.0.0.1 port 1179");
	ok(addr_is(&c->listen[1].address, "::1") && c->listen[1].port == 179,
	    "listen[1] ::1, port defaults to 179");
	is_int(c->hold_time, 30, "hold-time");
	is_int(c->connect_retry, 7, "connect-retry");
	ok(c->advertise.pod_cidr.source == CIDR_STATIC &&
	    c->advertise.pod_cidr.prefixes.count == 2 &&
	    prefix_is(&c->advertise.pod_cidr.prefixes.items[1],
	    "fd00:10:244:1::/64"), "pod-cidr list");
	ok(c->advertise.service_cidr.source == CIDR_STATIC &&
	    c->advertise.service_cidr.prefixes.count == 1 &&
	    prefix_is(&c->advertise.service_cidr.prefixes.items[0],
	    "10.96.0.0/12"), "service-cidr one prefix");
	ok(c->advertise.prefixes.count == 1 &&
	    prefix_is(&c->advertise.prefixes.items[0], "192.0.2.0/24"),
	    "advertise prefixes");
	ok(c->advertise.community_count == 1 &&
	    c->advertise.communities[0] == (65001u << 16 | 100),
	    "community 65001:100 as A<<16|B");
	ok(c->advertise.large_community_count == 1 &&
	    c->advertise.large_communities[0] == 1 &&
	    c->advertise.large_communities[1] == 2 &&
	    c->advertise.large_communities[2] == 3,
	    "large community 1:2:3");
	is_str(c->kubernetes.node_name, "kind-worker", "node-name");
	ok(!c->kubernetes.api_in_cluster && !c->kubernetes.api_none,
	    "api-server is a URL");
	is_str(c->kubernetes.api_server, "https://10.96.0.1:6443",
	    "api-server URL kept");
	is_str(c->kubernetes.token_file, "/t", "token-file");
	is_str(c->kubernetes.ca_file, "/c", "ca-file");
	is_str(c->kubernetes.cni_config_dir, "/n", "cni-config-dir");
}

static void
test_policy_fib_keys(const struct config *c)
{
	ok(c->policy.allow.count == 1 &&
	    prefix_is(&c->policy.allow.items[0], "10.0.0.0/8"), "allow");
	is_int(c->policy.max_length_ipv4, 24, "max-length ipv4");
	is_int(c->policy.max_length_ipv6, 64, "max-length ipv6");
	is_int(c->policy.max_prefixes, 5, "max-prefixes");
	is_int(c->policy.export, EXPORT_NONE, "export none");
	ok(!c->fib.install, "fib install false");
	is_int(c->fib.table, 100, "fib table 100");
	is_int(c->fib.protocol, 99, "fib protocol 99");
	is_int(c->fib.metric, 7, "fib metric");
	is_int(c->fib.ecmp, 1, "fib ecmp");
	ok(c->fib.keep_on_exit, "fib keep-on-exit");
	is_str(c->control.socket, "/tmp/x.sock", "control socket");
	is_int(c->control.mode, 0600, "control mode octal");
	ok(c->metrics.enabled && addr_is(&c->metrics.address, "::1") &&
	    c->metrics.port == 9179, "metrics [::1]:9179");
	is_int(c->log_level, LOG_DEBUG, "log level debug");
}

static void
test_neighbor_keys(const struct config *c)
{
	const struct config_neighbor *n = c->neighbors;

	if (!ok(c->neighbor_count == 5, "five neighbors"))
		return;
	ok(!n[0].is_range && n[0].host == NULL &&
	    addr_is(&n[0].address, "172.18.0.3"), "address literal");
	ok(n[0].asn_kind == PEER_ASN_NUMBER && n[0].asn_count == 1 &&
	    n[0].asns[0] == 65002, "asn number");
	is_str(n[0].description, "cluster2", "description");
	is_str(n[0].password, "secret", "password");
	ok(n[0].passive, "passive");
	is_int(n[0].hold_time, 0, "hold-time 0 override");
	is_int(n[0].families, CONFIG_FAMILY_IPV6, "families [ipv6]");
	is_int(n[0].export, EXPORT_ALL, "export all");
	is_int(n[0].next_hop_self, CONFIG_FALSE, "next-hop-self false");
	ok(n[0].line == 21 && n[0].column == 5, "position of the neighbor");
	is_str(n[1].host, "kind-worker2", "host name kept in host");
	is_int(n[1].address.family, FAMILY_NONE, "no literal for a name");
	ok(n[1].route_reflector_client, "route-reflector-client");
	ok(n[2].is_range && prefix_is(&n[2].range, "172.18.0.0/16"),
	    "range");
	ok(n[2].asn_count == 2 && n[2].asns[0] == 65003 &&
	    n[2].asns[1] == 65004, "asn list");
	is_int(n[2].max_sessions, 3, "max-sessions");
	is_int(n[3].asn_kind, PEER_ASN_EXTERNAL, "asn external");
	is_int(n[4].asn_kind, PEER_ASN_INTERNAL, "asn internal");
	is_int(n[3].max_sessions, 64, "max-sessions defaults to 64");
	ok(n[1].description == NULL && n[1].password == NULL,
	    "no description, no password");
	ok(!n[1].passive && n[1].hold_time == -1 && n[1].families == 0 &&
	    n[1].export == EXPORT_DEFAULT && n[1].next_hop_self ==
	    CONFIG_UNSET, "neighbor defaults: inherit / unset");
	ok(!n[0].route_reflector_client, "route-reflector-client false");
}

static void
test_helpers(const struct config *c)
{
	const struct config_neighbor *n = c->neighbors;

	is_int(config_neighbor_hold_time(c, &n[0]), 0, "hold-time override");
	is_int(config_neighbor_hold_time(c, &n[1]), 30, "hold-time inherited");
	is_int(config_neighbor_export(c, &n[0]), EXPORT_ALL,
	    "export override");
	is_int(config_neighbor_export(c, &n[1]), EXPORT_NONE,
	    "export inherited from policy.export");
	ok(!config_neighbor_next_hop_self(&n[0], false),
	    "next-hop-self false beats the eBGP default");
	ok(config_neighbor_next_hop_self(&n[1], false),
	    "next-hop-self unset: true for eBGP");
	ok(!config_neighbor_next_hop_self(&n[1], true),
	    "next-hop-self unset: false for iBGP");
}

static void
test_every_key(void)
{
	struct config *c = load(full);
	char *first, *second;
	struct config *again;

	if (!ok(c != NULL, "a file with every key loads"))
		return;
	test_global_keys(c);
	test_policy_fib_keys(c);
	test_neighbor_keys(c);
	test_helpers(c);
	first = dump(c);
	again = config_load_string("dump", first, strlen(first), NULL);
	ok(again != NULL, "the dump loads");
	if (again != NULL) {
		second = dump(again);
		is_str(second, first, "the dump of the dump is the dump");
		ok(again->neighbor_count == c->neighbor_count &&
		    config_neighbor_equal(&again->neighbors[1],
		    &c->neighbors[1]), "neighbors survive the round trip");
		free(second);
		config_free(again);
	}
	free(first);
	config_free(c);
}

static void
test_neighbor_equal(void)
{
	static const char *const variants[] = {
		"password: other", "hold-time: 30", "passive: true",
		"families: [ipv4]", "export: none", "next-hop-self: true",
		"route-reflector-client: true",
	};
	char text[512];
	struct config *a, *b;
	size_t i;

	a = load("asn: 65001\nneighbors:\n - address: Node-A\n   asn: 65001\n"
	    "   password: pw\n   description: one\n");
	b = load("asn: 65001\nneighbors:\n - address: node-a\n   asn: 65001\n"
	    "   password: pw\n   description: two\n");
	if (!ok(a != NULL && b != NULL, "neighbor variants load"))
		return;
	ok(config_neighbor_equal(&a->neighbors[0], &b->neighbors[0]),
	    "equal: a description or the case of a name is no change");
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct config *v;

		snprintf(text, sizeof(text), "asn: 65001\nneighbors:\n"
		    " - address: node-a\n   asn: 65001\n   password: pw\n"
		    "   %s\n", variants[i]);
		if (strncmp(variants[i], "password", 8) == 0)
			snprintf(text, sizeof(text), "asn: 65001\nneighbors:\n"
			    " - address: node-a\n   asn: 65001\n   %s\n",
			    variants[i]);
		v = load(text);
		ok(v != NULL && !config_neighbor_equal(&a->neighbors[0],
		    &v->neighbors[0]), "not equal after %s", variants[i]);
		config_free(v);
	}
	config_free(b);
	b = load("asn: 65001\nneighbors:\n - range: 10.0.0.0/8\n"
	    "   asn: [1, 2]\n - range: 10.0.0.0/8\n   asn: [1, 3]\n"
	    "   description: x\n");
	ok(b == NULL, "the same range twice is an error");
	b = load("asn: 65001\nneighbors:\n - range: 10.0.0.0/8\n"
	    "   asn: [1, 2]\n - range: 10.1.0.0/16\n   asn: [1, 3]\n");
	ok(b != NULL && !config_neighbor_equal(&b->neighbors[0],
	    &b->neighbors[1]), "different ranges and asn lists differ");
	ok(b != NULL && !config_neighbor_equal(&a->neighbors[0],
	    &b->neighbors[0]), "a range differs from an address");
	config_free(a);
	config_free(b);
}

static void
test_variables(void)
{
	struct config *c;

	setenv("FLATBGP_UNIT_ASN", "65042", 1);
	setenv("FLATBGP_UNIT_NODE", "worker-7", 1);
	unsetenv("FLATBGP_UNIT_UNSET");
	c = load("asn: ${FLATBGP_UNIT_ASN}\n"
	    "kubernetes: {node-name: \"${FLATBGP_UNIT_NODE}\"}\n"
	    "neighbors:\n - address: ${FLATBGP_UNIT_NODE}.kind\n"
	    "   asn: 6500${FLATBGP_UNIT_ASN}\n"
	    "   description: a${FLATBGP_UNIT_NODE}-$${FLATBGP_UNIT_NODE}$x\n");
	if (ok(c != NULL, "${VAR} in numbers, names and strings")) {
		is_int(c->asn, 65042, "asn from the environment");
		is_str(c->kubernetes.node_name, "worker-7", "node-name from it");
		is_str(c->neighbors[0].host, "worker-7.kind", "inside a value");
		is_str(c->neighbors[0].description,
		    "aworker-7-${FLATBGP_UNIT_NODE}$x",
		    "$${ is a literal ${, a lone $ stays");
		ok(c->neighbors[0].asn_count == 1 &&
		    c->neighbors[0].asns[0] == 650065042u,
		    "digits around a variable");
	}
	config_free(c);
	setenv("FLATBGP_UNIT_AUTO", "auto", 1);
	setenv("FLATBGP_UNIT_EXTERNAL", "external", 1);
	c = load("asn: 65001\nadvertise:\n  pod-cidr: ${FLATBGP_UNIT_AUTO}\n"
	    "  service-cidr: \"${FLATBGP_UNIT_AUTO}\"\nneighbors:\n"
	    " - {range: 10.0.0.0/8, asn: \"${FLATBGP_UNIT_EXTERNAL}\"}\n");
	ok(c != NULL && c->advertise.pod_cidr.source == CIDR_AUTO &&
	    c->advertise.service_cidr.source == CIDR_AUTO &&
	    c->neighbors[0].asn_kind == PEER_ASN_EXTERNAL,
	    "words from the environment: auto, external");
	config_free(c);
	errors_are("asn: 65001\nkubernetes:\n"
	    "  node-name: ${FLATBGP_UNIT_UNSET}\n",
	    "test.yaml:3:14: kubernetes.node-name: "
	    "${FLATBGP_UNIT_UNSET}: environment variable FLATBGP_UNIT_UNSET "
	    "is not set\n", "an unset variable is an error naming it");
	errors_are("asn: ${FLATBGP_UNIT_ASN\n",
	    "test.yaml:1:6: asn: \"${FLATBGP_UNIT_ASN\": \"${\" "
	    "without a closing \"}\"\n", "${ without } is an error");
	errors_are("asn: 65001\n${FLATBGP_UNIT_NODE}: 1\n",
	    "test.yaml:2:1: unknown key \"${FLATBGP_UNIT_NODE}\"\n",
	    "keys are not expanded");
}

static void
test_errors(void)
{
	char *errors;

	errors = load_errors("fib: {ecmp: 0}\nhold-time: 2\nasn: x\n");
	is_str(errors,
	    "test.yaml:1:13: fib.ecmp: 0 is out of range (1..256)\n"
	    "test.yaml:2:12: hold-time: 2 is out of range (0 or 3..65535)\n"
	    "test.yaml:3:6: asn: expected a number, got \"x\"\n",
	    "all errors, sorted by position (not in table order)");
	free(errors);
	errors_are("asn: 65001\nasn: x\n",
	    "test.yaml:2:1: duplicate key \"asn\" (first at "
	    "line 1)\n", "a duplicate key is reported, the first one wins");
	errors = load_file_errors("/nonexistent/flatbgp.conf");
	is_str(errors, "/nonexistent/flatbgp.conf: cannot read: No such "
	    "file or directory\n", "a missing file does not load, and says why");
	free(errors);
	errors = load_file_errors("/");
	is_str(errors, "/: cannot read: Is a directory\n",
	    "a directory is not a configuration");
	free(errors);
	ok(load("asn: x\n") == NULL, "errors to a NULL stream are dropped");
	config_free(NULL);
	ok(1, "config_free(NULL) is a no-op");
}

/* One value of one key: whether it loads. */
static bool
loads(const char *key_prefix, const char *value)
{
	char text[512];
	struct config *c;

	snprintf(text, sizeof(text), "asn: 65001\n%s\"%s\"\n", key_prefix,
	    value);
	c = load(text);
	config_free(c);
	return c != NULL;
}

#define API_SERVER	"kubernetes:\n  api-server: "
#define METRICS		"metrics:\n  listen: "

/* Checks that each value of key (a "section:\n  key: " prefix) loads. */
static void
forms_load(const char *key, const char *const *values, size_t count,
    bool valid)
{
	const char *name = strchr(key, '\n') + 3;
	size_t i;

	for (i = 0; i < count; i++)
		ok(loads(key, values[i]) == valid, "%s%s %s", name, values[i],
		    valid ? "loads" : "is refused");
}

static void
test_value_forms(void)
{
	static const char *const good_urls[] = {
		"https://kube", "https://kube:6443", "https://kube:6443/",
		"https://10.96.0.1:443", "https://[fd00::1]:6443/",
	};
	static const char *const bad_urls[] = {
		"https://", "https://:443", "https://[fd00::1", "https://[10.0.0.1]",
		"https://kube:", "https://kube:1234567", "https://kube:0",
		"https://kube/x", "https://ku_be", "HTTPS://kube", "kube:6443",
	};
	static const char *const good_listen[] = {
		"none", "127.0.0.1:9179", "[::1]:9179", "0.0.0.0:1",
		"[fd00::1]:65535",
	};
	static const char *const bad_listen[] = {
		"127.0.0.1", "::1:9179", "[::1]9179", "[10.0.0.1]:80",
		"1.2.3.4:65536", "1.2.3.4:0x50", "localhost:80", "[::1]:",
		":80", "None",
	};
	forms_load(API_SERVER, good_urls, NITEMS(good_urls), true);
	forms_load(API_SERVER, bad_urls, NITEMS(bad_urls), false);
	forms_load(METRICS, good_listen, NITEMS(good_listen), true);
	forms_load(METRICS, bad_listen, NITEMS(bad_listen), false);
}

static void
test_message_quoting(void)
{
	static const struct {
		const char	*value, *what;
	} bad_utf8[] = {
		{ "\xc3", "a truncated UTF-8 sequence" },
		{ "\xed\xa0\x80", "an encoded surrogate" },
		{ "\xe0\x80\x80", "an overlong form" },
		{ "\xf4\x90\x80\x80", "a code point above U+10FFFF" },
	};
	char *errors;
	struct config *c;
	size_t i;

	errors_are("asn: 65001\nrouter-id: \"a\\\"b\\\\c\\td\"\n",
	    "test.yaml:2:12: router-id: expected auto or an IPv4 "
	    "address (a BGP identifier is 32 bits), got \"a\\\"b\\\\c\\x09d\"\n",
	    "a value in a message is quoted and escaped: one line per error");
	errors = load_errors("asn: 65001\nrouter-id: "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "\n");
	ok(errors != NULL && strstr(errors, "aaa...\"\n") != NULL &&
	    strlen(errors) < 200, "a long value is cut in a message");
	free(errors);
	setenv("FLATBGP_UNIT_UTF8", "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", 1);
	c = load("asn: 65001\nneighbors:\n - address: 10.0.0.1\n   asn: 2\n"
	    "   description: ${FLATBGP_UNIT_UTF8}\n");
	ok(c != NULL, "a UTF-8 value from the environment is taken");
	config_free(c);
	for (i = 0; i < NITEMS(bad_utf8); i++) {
		setenv("FLATBGP_UNIT_UTF8", bad_utf8[i].value, 1);
		ok(load("asn: ${FLATBGP_UNIT_UTF8}\n") == NULL,
		    "%s from the environment is refused", bad_utf8[i].what);
	}
}

/* A deterministic byte generator, so failures reproduce. */
static uint32_t
next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void
test_garbage(void)
{
	static const char alphabet[] = "ab: -[]{},\n\"'&*!|>%@`#?\t0123456789"
	    "${}:.";
	size_t size = 1024 * 1024, i, round;
	uint32_t state = 0x2545f491;
	char *text = malloc(size + 1);
	struct config *c;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < size; i++)
			text[i] = round == 0 ? (char)(next_random(&state) &
			    0xff) : alphabet[next_random(&state) %
			    (sizeof(alphabet) - 1)];
		text[size] = '\0';
		c = config_load_string("garbage", text, size, NULL);
		ok(c == NULL, "1 MiB of garbage (%s) is refused",
		    round == 0 ? "bytes" : "YAML characters");
		config_free(c);
	}
	for (i = 0; i < size / 2; i++) {
		text[i] = '[';
		text[size - 1 - i] = ']';
	}
	c = config_load_string("deep", text, size, NULL);
	ok(c == NULL, "512 Ki nested lists are refused, not a crash");
	config_free(c);
	free(text);
}

static void
test_alias_bomb(void)
{
	char text[4096];
	size_t used = 0, i;
	struct config *c;
	clock_t start = clock();

	used += (size_t)snprintf(text, sizeof(text), "a0: &a0 [x, x, x, x]\n");
	for (i = 1; i < 30; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "a%zu: &a%zu [*a%zu, *a%zu, *a%zu, *a%zu]\n", i, i,
		    i - 1, i - 1, i - 1, i - 1);
	snprintf(text + used, sizeof(text) - used, "asn: 65001\n"
	    "advertise: {prefixes: *a29}\nneighbors: *a29\n");
	c = load(text);
	ok(c == NULL, "an alias bomb (4^30 nodes) is refused");
	ok((clock() - start) / CLOCKS_PER_SEC < 2, "and quickly");
	config_free(c);
	c = load("asn: 65001\nneighbors: &n\n - address: 10.0.0.1\n"
	    "   asn: 65002\nadvertise: &a {prefixes: *a}\n");
	ok(c == NULL, "a self-referencing alias is refused");
	config_free(c);
}

/* "asn: 65001" and count prefixes 10.X.Y.0/24, wrapping at 65536. */
static size_t
prefix_list(char *text, size_t size, size_t count)
{
	size_t used, i;

	used = (size_t)snprintf(text, size, "asn: 65001\nadvertise:\n"
	    "  prefixes:\n");
	for (i = 0; i < count; i++)
		used += (size_t)snprintf(text + used, size - used,
		    "   - 10.%zu.%zu.0/24\n", i / 256 % 256, i % 256);
	return used;
}

/* Loads text that must fail; true if its first error contains want. */
static bool
first_error_has(const char *text, size_t len, const char *want)
{
	struct config *conf;
	char *errors = NULL, *newline;
	size_t size = 0;
	FILE *f = open_memstream(&errors, &size);
	bool found;

	conf = config_load_string("big", text, len, f);
	fclose(f);
	if ((newline = strchr(errors, '\n')) != NULL)
		*newline = '\0';
	found = conf == NULL && strstr(errors, want) != NULL;
	if (!found)
		tap_diag("first error: %s", errors);
	config_free(conf);
	free(errors);
	return found;
}

static void
test_big_lists(void)
{
	size_t count = 70000, size = count * 64, used = 0, i;
	char *text = malloc(size);
	struct config *c;
	clock_t start = clock();

	used += (size_t)snprintf(text, size, "asn: 65001\nneighbors:\n");
	for (i = 0; i < count; i++)
		used += (size_t)snprintf(text + used, size - used,
		    " - {address: 10.%zu.%zu.1, asn: 65002}\n",
		    i / 256 % 256, i % 256);
	ok(first_error_has(text, used, "neighbors[65536]: duplicates "
	    "neighbors[0]"), "70000 neighbors, some twice, are refused");
	used = prefix_list(text, size, count);
	ok(first_error_has(text, used, "advertise.prefixes[65536]: "
	    "duplicates advertise.prefixes[0]"),
	    "70000 prefixes, some twice, are refused");
	used = prefix_list(text, size, 65536);
	c = config_load_string("big", text, used, NULL);
	ok(c != NULL && c->advertise.prefixes.count == 65536,
	    "65536 distinct prefixes load");
	ok((clock() - start) / CLOCKS_PER_SEC < 5, "all that in seconds");
	config_free(c);
	free(text);
}

int
main(void)
{
	test_defaults();
	test_every_key();
	test_neighbor_equal();
	test_variables();
	test_errors();
	test_value_forms();
	test_message_quoting();
	test_garbage();
	test_alias_bomb();
	test_big_lists();
	return tap_done();
}
