/*
 * test_k8s_decode.c - the Kubernetes and CNI decoders (k8s_decode.c).
 *
 * Fixtures in tests/unit/k8s/ have the shape the API server and kindnet
 * really produce (compact JSON with managedFields, an indented
 * dual-stack Node, a Status reply, kindnet's tab-indented conflist with
 * its blank lines); the malformed inputs are inline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_decode.h"
#include "log.h"
#include "tap.h"

#ifndef K8S_FIXTURES
#define K8S_FIXTURES "tests/unit/k8s"
#endif

static char *
fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *text;
	long size;

	snprintf(path, sizeof(path), "%s/%s", K8S_FIXTURES, name);
	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	text = xmalloc((size_t)size + 1);
	if (fread(text, 1, (size_t)size, f) != (size_t)size)
		exit(1);
	text[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return text;
}

/* The CIDRs of set as "A B C", for one comparison per case. */
static const char *
cidrs_text(const struct k8s_cidrs *set)
{
	static char buf[512];
	char p[PREFIX_STRLEN];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < set->count; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i ? " " : "", prefix_format(&set->items[i], p, sizeof(p)));
	return buf;
}

typedef int decode_fn(const char *, size_t, struct k8s_cidrs *, char *,
    size_t);

static void
check_fixture(decode_fn *decode, const char *name, const char *want)
{
	struct k8s_cidrs set;
	char error[256] = "";
	size_t len;
	char *text = fixture(name, &len);
	int rc = decode(text, len, &set, error, sizeof(error));

	if (rc != 0)
		tap_diag("%s: %s", name, error);
	is_str(rc == 0 ? cidrs_text(&set) : "(error)", want, name);
	free(text);
}

/* decode(text) must fail with an error containing want. */
static void
check_error(decode_fn *decode, const char *text, const char *want,
    const char *name)
{
	struct k8s_cidrs set;
	char error[256] = "";
	int rc = decode(text, strlen(text), &set, error, sizeof(error));

	if (!ok(rc == -1 && strstr(error, want) != NULL, "%s", name))
		tap_diag("rc %d, error \"%s\", want \"%s\"", rc, error, want);
}

static void
test_node(void)
{
	check_fixture(k8s_decode_node, "node-kind-worker.json", "10.2.1.0/24");
	check_fixture(k8s_decode_node, "node-dual-stack.json",
	    "10.244.0.0/24 fd00:10:244::/64");
	check_error(k8s_decode_node, "{\"kind\":\"Node\",\"spec\":{}}",
	    "no spec.podCIDRs", "node without a pod CIDR");
	check_fixture(k8s_decode_node, "node-no-podcidr.json", "(error)");
}

static void
test_node_details(void)
{
	struct k8s_cidrs set;
	char error[256];
	const char *both = "{\"spec\":{\"podCIDR\":\"10.1.0.0/16\","
	    "\"podCIDRs\":[\"10.9.0.0/16\"]}}";
	const char *old = "{\"spec\":{\"podCIDR\":\"10.1.0.0/16\"}}";
	const char *nested = "{\"status\":{\"spec\":{\"podCIDRs\":"
	    "[\"10.7.0.0/16\"]}},\"spec\":{\"podCIDRs\":[\"10.8.0.0/16\"]}}";

	is_int(k8s_decode_node(both, strlen(both), &set, error,
	    sizeof(error)), 0, "podCIDR and podCIDRs: decoded");
	is_str(cidrs_text(&set), "10.9.0.0/16", "podCIDRs wins over podCIDR");
	is_int(k8s_decode_node(old, strlen(old), &set, error, sizeof(error)),
	    0, "only the old podCIDR");
	is_str(cidrs_text(&set), "10.1.0.0/16", "podCIDR is used alone");
	is_int(k8s_decode_node(nested, strlen(nested), &set, error,
	    sizeof(error)), 0, "spec elsewhere in the tree");
	is_str(cidrs_text(&set), "10.8.0.0/16", "only the top-level spec");
}

static void
test_node_errors(void)
{
	char deep[K8S_DEPTH_MAX * 8 + 64];
	size_t i, n = 0;

	check_error(k8s_decode_node, "{\"kind\":\"Status\",\"spec\":"
	    "{\"podCIDRs\":[\"10.0.0.0/8\"]}}", "expected a Node object, got "
	    "kind Status", "another kind of object");
	check_error(k8s_decode_node, "{\"spec\":{\"podCIDRs\":"
	    "[\"10.0.0.1/8\"]}}", "10.0.0.1/8 has host bits set",
	    "host bits");
	check_error(k8s_decode_node, "{\"spec\":{\"podCIDRs\":"
	    "[\"banana\"]}}", "spec.podCIDRs: banana is not a CIDR",
	    "not a CIDR");
	check_error(k8s_decode_node, "{\"spec\":{\"podCIDRs\":"
	    "[\"\\u0001\\u0002/8\"]}}", "?\?/8 is not a CIDR",
	    "control characters are not echoed");
	check_error(k8s_decode_node, "{\"spec\":{\"podCIDRs\":"
	    "[\"10.0.0.0\\u0000/8\"]}}", "NUL", "a NUL inside a value");
	check_error(k8s_decode_node, "{\"spec\": {\"podCIDRs\": [", ", column ",
	    "truncated JSON: a position in the error");
	check_error(k8s_decode_node, "", "empty document", "empty input");
	check_error(k8s_decode_node, "[1, 2]", "not an object",
	    "a list at the top");
	check_error(k8s_decode_node, "\"x\"", "not an object",
	    "a string at the top");
	check_error(k8s_decode_node, "{\"spec\":{\"podCIDRs\":[\"10.1.0.0/16\","
	    "\"10.2.0.0/16\",\"10.3.0.0/16\",\"10.4.0.0/16\",\"10.5.0.0/16\","
	    "\"10.6.0.0/16\",\"10.7.0.0/16\",\"10.8.0.0/16\","
	    "\"10.9.0.0/16\"]}}", "more than 8", "too many CIDRs");
	check_error(k8s_decode_node, "{[1]: 2}", "not a string",
	    "a key that is a list");
	n += (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
	for (i = 0; i < K8S_DEPTH_MAX + 1; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "[");
	check_error(k8s_decode_node, deep, "nested deeper than 64",
	    "nesting is bounded");
}

static void
test_node_size_limit(void)
{
	struct k8s_cidrs set;
	char error[256];

	/* The length is checked before a byte is read. */
	ok(k8s_decode_node("{}", K8S_DOCUMENT_MAX + 1, &set, error,
	    sizeof(error)) == -1 && strstr(error, "larger than") != NULL,
	    "a document over the size limit is refused unread");
}

static void
test_kubeadm(void)
{
	check_fixture(k8s_decode_kubeadm_config, "kubeadm-config.json",
	    "10.3.0.0/16");
	check_fixture(k8s_decode_kubeadm_config, "kubeadm-config-dual.json",
	    "10.96.0.0/16 fd00:10:96::/112");
	check_error(k8s_decode_kubeadm_config, "{\"kind\":\"ConfigMap\","
	    "\"data\":{}}", "no data.ClusterConfiguration",
	    "ConfigMap without ClusterConfiguration");
	check_error(k8s_decode_kubeadm_config, "{\"data\":"
	    "{\"ClusterConfiguration\":\"networking:\\n  podSubnet: "
	    "10.0.0.0/8\\n\"}}", "has no networking.serviceSubnet",
	    "ClusterConfiguration without serviceSubnet");
	check_error(k8s_decode_kubeadm_config, "{\"data\":"
	    "{\"ClusterConfiguration\":\"networking: [\\n\"}}",
	    "data.ClusterConfiguration: line", "broken inner YAML");
	check_error(k8s_decode_kubeadm_config, "{\"data\":"
	    "{\"ClusterConfiguration\":\"networking:\\n  serviceSubnet: "
	    "10.96.0.0/12,,\\n\"}}", "empty", "an empty list item");
	check_error(k8s_decode_kubeadm_config, "{\"kind\":\"Node\"}",
	    "expected a ConfigMap", "a Node is not a ConfigMap");
}

static void
test_cni(void)
{
	const char *conf = "{\"cniVersion\":\"0.3.1\",\"name\":\"k\","
	    "\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\","
	    "\"ranges\":[[{\"subnet\":\"10.5.0.0/24\"},"
	    "{\"subnet\":\"10.5.0.0/24\"}]]}}";
	const char *old = "{\"plugins\":[{\"type\":\"bridge\",\"ipam\":"
	    "{\"type\":\"host-local\",\"subnet\":\"10.6.0.0/24\"}}]}";
	struct k8s_cidrs set;
	char error[256];

	check_fixture(k8s_decode_cni_config, "10-kindnet.conflist",
	    "10.244.1.0/24");
	check_fixture(k8s_decode_cni_config, "10-kindnet-dual.conflist",
	    "10.244.2.0/24 fd00:10:244:2::/64");
	is_int(k8s_decode_cni_config(conf, strlen(conf), &set, error,
	    sizeof(error)), 0, "a single .conf");
	is_str(cidrs_text(&set), "10.5.0.0/24", "duplicates count once");
	is_int(k8s_decode_cni_config(old, strlen(old), &set, error,
	    sizeof(error)), 0, "ipam.subnet (older host-local form)");
	is_str(cidrs_text(&set), "10.6.0.0/24", "its subnet");
	check_error(k8s_decode_cni_config, "{\"plugins\":[{\"type\":"
	    "\"portmap\"}]}", "no host-local IPAM subnet",
	    "conflist without IPAM");
	check_error(k8s_decode_cni_config, "{\"plugins\":[{\"ipam\":"
	    "{\"ranges\":[[{\"subnet\":\"10.244.1.0/33\"}]]}}]}",
	    "is not a CIDR", "bad subnet");
}

static void
test_status(void)
{
	char message[256];
	size_t len;
	char *text = fixture("status-forbidden.json", &len);

	k8s_decode_status(text, len, message, sizeof(message));
	is_str(message, "nodes \"cluster2-worker\" is forbidden: User "
	    "\"system:serviceaccount:kube-system:default\" cannot get resource "
	    "\"nodes\" in API group \"\" at the cluster scope",
	    "Status message");
	k8s_decode_status("<html>", 6, message, sizeof(message));
	is_str(message, "", "not JSON: no message");
	free(text);
}

static void
test_cidr_list(void)
{
	struct k8s_cidrs set;
	char error[256];

	memset(&set, 0, sizeof(set));
	is_int(k8s_parse_cidr_list(" 10.96.0.0/12 ,fd00::/108", &set, error,
	    sizeof(error)), 0, "list with spaces");
	is_str(cidrs_text(&set), "10.96.0.0/12 fd00::/108", "both CIDRs");
	memset(&set, 0, sizeof(set));
	is_int(k8s_parse_cidr_list("", &set, error, sizeof(error)), -1,
	    "empty list");
	is_int(k8s_parse_cidr_list("10.0.0.0/8,", &set, error, sizeof(error)),
	    -1, "trailing comma");
}

int
main(void)
{
	test_node();
	test_node_details();
	test_node_errors();
	test_node_size_limit();
	test_kubeadm();
	test_cni();
	test_status();
	test_cidr_list();
	return tap_done();
}
