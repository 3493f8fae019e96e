/*
 * test_discover.c - pod CIDR discovery from CNI configuration files
 * (discover_read_cni: which file, which errors), the discovery interval,
 * and what originate.c makes of discovered sets (announce, withdraw,
 * sources and confirmed times, "auto" only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "discover.h"
#include "log.h"
#include "originate.h"
#include "rib.h"
#include "tap.h"

#ifndef K8S_FIXTURES
#define K8S_FIXTURES "tests/unit/k8s"
#endif

static char tmp[] = "/tmp/test_discover.XXXXXX";

static void
put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF)
		exit(1);
	fclose(f);
}

static void
copy_fixture(const char *fixture, const char *name)
{
	char path[512], text[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", K8S_FIXTURES, fixture);
	if ((f = fopen(path, "r")) == NULL)
		exit(1);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	put(name, text);
}

static void
clear_dir(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -f %s/*", tmp);
	if (system(cmd) != 0)
		exit(1);
}

/* "FILE: CIDR CIDR" or "error: TEXT" for the directory as it is. */
static const char *
read_dir(const char *dir)
{
	static char out[768];
	struct k8s_cidrs set;
	char file[256], error[512], p[PREFIX_STRLEN];
	size_t i, n;

	memset(&set, 0, sizeof(set));
	if (discover_read_cni(dir, &set, file, sizeof(file), error,
	    sizeof(error)) == -1) {
		snprintf(out, sizeof(out), "error: %s", error);
		return out;
	}
	n = (size_t)snprintf(out, sizeof(out), "%s:", file);
	for (i = 0; i < set.count; i++)
		n += (size_t)snprintf(out + n, sizeof(out) - n, " %s",
		    prefix_format(&set.items[i], p, sizeof(p)));
	return out;
}

static void
test_cni_dir(void)
{
	char want[768], big[600];

	copy_fixture("10-kindnet.conflist", "10-kindnet.conflist");
	is_str(read_dir(tmp), "10-kindnet.conflist: 10.244.1.0/24",
	    "kindnet's conflist");
	copy_fixture("10-kindnet-dual.conflist", "20-dual.conflist");
	put("05-notes.txt", "not a CNI file");
	put("07-old.conflist.bak", "{}");
	is_str(read_dir(tmp), "10-kindnet.conflist: 10.244.1.0/24",
	    "the first of .conflist files in name order; other names ignored");
	put("09-single.conf", "{\"cniVersion\":\"0.3.1\",\"type\":\"bridge\","
	    "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.7.0.0/24\"}}");
	is_str(read_dir(tmp), "09-single.conf: 10.7.0.0/24",
	    "a .conf sorts first and is used (libcni's rule)");
	put("08-broken.json", "{\"plugins\": [");
	snprintf(want, sizeof(want), "error: %s/08-broken.json: line 2, "
	    "column 1: did not find expected node content", tmp);
	is_str(read_dir(tmp), want, "the first file is broken: an error "
	    "naming it, no fall-back to the next one");
	clear_dir();
	copy_fixture("10-kindnet-dual.conflist", "10-kindnet.conflist");
	is_str(read_dir(tmp), "10-kindnet.conflist: 10.244.2.0/24 "
	    "fd00:10:244:2::/64", "dual-stack kindnet: both ranges");
	clear_dir();
	snprintf(want, sizeof(want), "error: no CNI configuration in %s",
	    tmp);
	is_str(read_dir(tmp), want, "empty directory");
	is_str(read_dir("/nonexistent/net.d"), "error: /nonexistent/net.d: "
	    "No such file or directory", "missing directory");
	snprintf(big, sizeof(big), "%s/10-big.conflist", tmp);
	put("10-big.conflist", "");
	if (truncate(big, K8S_DOCUMENT_MAX + 1) != 0)	/* sparse */
		exit(1);
	snprintf(want, sizeof(want), "error: %s: larger than %u bytes", big,
	    K8S_DOCUMENT_MAX);
	is_str(read_dir(tmp), want, "an oversized file is not read");
	clear_dir();
}

static void
test_interval(void)
{
	static const struct {
		const char	*value;
		unsigned	 want;
	} cases[] = {
		{ NULL, 30 }, { "", 30 }, { "1", 1 }, { "3600", 3600 },
		{ "0", 30 }, { "3601", 30 }, { "5s", 30 }, { "-1", 30 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].value == NULL)
			unsetenv("FLATBGP_DISCOVERY_INTERVAL");
		else
			setenv("FLATBGP_DISCOVERY_INTERVAL", cases[i].value, 1);
		ok(discover_recheck_seconds() == cases[i].want,
		    "FLATBGP_DISCOVERY_INTERVAL=%s: %u s", cases[i].value ?
		    cases[i].value : "(unset)", cases[i].want);
	}
	unsetenv("FLATBGP_DISCOVERY_INTERVAL");
}

/* "PREFIX SOURCE" for each originated route, and whether the RIB has it. */
static const char *
routes_text(const struct originate *o, const struct rib *rib)
{
	static char out[512];
	const struct originated_route *r;
	char p[PREFIX_STRLEN];
	size_t n = originate_routes(o, &r), i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s %s%s",
		    i ? ", " : "", prefix_format(&r[i].prefix, p, sizeof(p)),
		    origin_kind_name(r[i].kind), rib_lookup(rib,
		    &r[i].prefix) != NULL ? "" : " (not in the RIB)");
	return out;
}

static struct config *
load(const char *text)
{
	struct config *conf = config_load_string("test", text, strlen(text),
	    stderr);

	if (conf == NULL)
		exit(1);
	return conf;
}

static void
test_originate(void)
{
	struct rib *rib = rib_create(1);
	struct originate *o = originate_create(rib);
	struct config *conf = load("asn: 65001\nrouter-id: 10.0.0.1\n"
	    "advertise:\n  pod-cidr: auto\n  service-cidr: auto\n"
	    "  prefixes: [192.0.2.0/24]\n"), *other;
	struct prefix pod[2], svc;
	const struct originated_route *r;
	time_t t;

	prefix_parse("10.244.1.0/24", &pod[0], false);
	prefix_parse("10.244.9.0/24", &pod[1], false);
	prefix_parse("10.96.0.0/12", &svc, false);
	originate_apply(o, conf);
	is_str(routes_text(o, rib), "192.0.2.0/24 static",
	    "nothing discovered yet: the static prefix only");
	originate_routes(o, &r);
	t = r[0].confirmed;
	ok(originate_set_discovered(o, ORIGIN_ROLE_POD, ORIGIN_KUBERNETES_API,
	    &pod[0], 1, 1000), "a discovered pod CIDR changes the set");
	ok(originate_set_discovered(o, ORIGIN_ROLE_SERVICE,
	    ORIGIN_KUBERNETES_API, &svc, 1, 1000), "so does a service CIDR");
	is_str(routes_text(o, rib), "10.244.1.0/24 kubernetes-api, "
	    "10.96.0.0/12 kubernetes-api, 192.0.2.0/24 static",
	    "announced with their source");
	ok(!originate_set_discovered(o, ORIGIN_ROLE_POD, ORIGIN_KUBERNETES_API,
	    &pod[0], 1, 2000), "the same CIDR again: no change");
	originate_routes(o, &r);
	is_int(r[0].confirmed, 2000, "... but a new confirmed time");
	is_int(r[2].confirmed, t, "a static prefix keeps its time");
	ok(originate_set_discovered(o, ORIGIN_ROLE_POD, ORIGIN_CNI_CONFIG,
	    &pod[1], 1, 3000), "another CIDR from the CNI configuration");
	is_str(routes_text(o, rib), "10.244.9.0/24 cni-config, "
	    "10.96.0.0/12 kubernetes-api, 192.0.2.0/24 static",
	    "the old one withdrawn, the new one announced");
	ok(rib_lookup(rib, &pod[0]) == NULL, "the old CIDR left the RIB");
	other = load("asn: 65001\nrouter-id: 10.0.0.1\nadvertise:\n"
	    "  pod-cidr: 10.1.0.0/16\n  service-cidr: none\n");
	originate_apply(o, other);
	is_str(routes_text(o, rib), "10.1.0.0/16 pod-cidr",
	    "a reload to static/none: discovered sets are not used");
	originate_apply(o, conf);
	is_str(routes_text(o, rib), "10.244.9.0/24 cni-config, "
	    "10.96.0.0/12 kubernetes-api, 192.0.2.0/24 static",
	    "back to auto: what was found is advertised again at once");
	originate_free(o);
	rib_destroy(rib);
	config_free(conf);
	config_free(other);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL)
		return 1;
	attr_init();
	test_cni_dir();
	test_interval();
	test_originate();
	rmdir(tmp);
	attr_shutdown();
	return tap_done();
}
