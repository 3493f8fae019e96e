/*
 * discover.c - pod and service CIDR discovery for "auto".
 *
 * A timer runs a check every interval.  A check asks the API server for
 * this node (pod CIDR) and for the kubeadm-config ConfigMap (service
 * CIDR), both at once and without waiting; each answer is decoded by
 * k8s_decode.c and handed to originate.c, which announces what is new
 * and withdraws what is gone.  When the node cannot be had from the API
 * (no API configured, unreachable, refused, undecodable), kindnet's CNI
 * configuration is read instead.  When nothing answers, nothing is
 * changed: the last known prefixes stay advertised.  Each source's
 * failure is logged when it starts and when it ends, never in between,
 * so an API outage of a day costs two log lines, not three thousand.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "discover.h"
#include "k8s.h"
#include "log.h"
#include "originate.h"
#include "peer.h"

#define CONFIGMAP_PATH \
	"/api/v1/namespaces/kube-system/configmaps/kubeadm-config"
#define NODE_NAME_MAX	253	/* a DNS subdomain name (RFC 1123) */

/* A source that can fail: logged when it starts and stops failing. */
struct source_health {
	bool		 failing;
};

struct discover {
	struct daemon		*daemon;
	struct k8s_client	*client;	/* NULL: no API to ask */
	char			 no_client[256];	/* why not */
	struct event		*timer;
	struct k8s_request	*node_request;
	struct k8s_request	*config_request;
	char			 node_path[NODE_NAME_MAX + 16];
	struct source_health	 api_node, api_config, cni, setup;
	struct k8s_cidrs	 pod, service;	/* last advertised */
};

unsigned
discover_recheck_seconds(void)
{
	const char *text = getenv("FLATBGP_DISCOVERY_INTERVAL");
	unsigned long value;
	char *end;

	if (text == NULL || *text == '\0')
		return DISCOVER_DEFAULT_SECONDS;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < 1 || value > 3600)
		return DISCOVER_DEFAULT_SECONDS;
	return (unsigned)value;
}

static void health_log(struct source_health *h, bool failing, int level,
    const char *fmt, ...) LOG_PRINTF(4, 5);

/* Logs fmt only when h changes to failing (or back). */
static void
health_log(struct source_health *h, bool failing, int level,
    const char *fmt, ...)
{
	char message[768];
	va_list ap;

	if (h->failing == failing)
		return;
	h->failing = failing;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	log_msg(level, "%s", message);
}

static const char *
cidrs_text(const struct k8s_cidrs *set, char *buf, size_t size)
{
	char p[PREFIX_STRLEN];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < set->count && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
		    prefix_format(&set->items[i], p, sizeof(p)));
	return set->count > 0 ? buf : "nothing";
}

static bool
cidrs_equal(const struct k8s_cidrs *a, const struct k8s_cidrs *b)
{
	size_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (!prefix_equal(&a->items[i], &b->items[i]))
			return false;
	return true;
}

/*
 * Hands a confirmed set to originate.c.  A change re-runs import
 * policy: a path that overlaps the new pod CIDR must now be rejected,
 * one that overlapped only the old one accepted again.
 */
static void
discover_found(struct discover *dc, enum origin_role role,
    const struct k8s_cidrs *set, enum origin_kind kind)
{
	struct k8s_cidrs *last = role == ORIGIN_ROLE_POD ? &dc->pod :
	    &dc->service;
	char was[256], now[256];
	struct peer *p;

	if (!cidrs_equal(last, set))
		log_info("%s auto: %s from %s (was %s)", role == ORIGIN_ROLE_POD ?
		    "pod-cidr" : "service-cidr", cidrs_text(set, now,
		    sizeof(now)), origin_kind_name(kind), cidrs_text(last, was,
		    sizeof(was)));
	*last = *set;
	if (originate_set_discovered(dc->daemon->originate, role, kind,
	    set->items, set->count, time(NULL)))
		TAILQ_FOREACH(p, &dc->daemon->peers, entry)
			peer_reevaluate_import(p);
}

int
discover_read_cni(const char *dir, struct k8s_cidrs *out, char *file,
    size_t file_size, char *error, size_t error_size)
{
	static const char *const suffixes[] = { ".conflist", ".conf", ".json" };
	char best[256] = "", path[4096], reason[256], *text;
	struct dirent *e;
	struct stat st;
	size_t i, len;
	ssize_t n;
	DIR *d;
	int fd, rc;

	if ((d = opendir(dir)) == NULL) {
		snprintf(error, error_size, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
			if (len > strlen(suffixes[i]) && strcmp(e->d_name + len -
			    strlen(suffixes[i]), suffixes[i]) == 0)
				break;
		if (i < sizeof(suffixes) / sizeof(suffixes[0]) &&
		    len < sizeof(best) && (best[0] == '\0' ||
		    strcmp(e->d_name, best) < 0))
			memcpy(best, e->d_name, len + 1);
	}
	closedir(d);
	if (best[0] == '\0') {
		snprintf(error, error_size, "no CNI configuration in %s", dir);
		return -1;
	}
	snprintf(file, file_size, "%s", best);
	snprintf(path, sizeof(path), "%s/%s", dir, best);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(error, error_size, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (st.st_size > (off_t)K8S_DOCUMENT_MAX) {
		snprintf(error, error_size, "%s: larger than %u bytes", path,
		    K8S_DOCUMENT_MAX);
		close(fd);
		return -1;
	}
	text = xmalloc((size_t)st.st_size + 1);
	n = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (n != (ssize_t)st.st_size) {
		snprintf(error, error_size, "%s: short read", path);
		free(text);
		return -1;
	}
	rc = k8s_decode_cni_config(text, (size_t)n, out, reason,
	    sizeof(reason));
	free(text);
	if (rc == -1)
		snprintf(error, error_size, "%s: %s", path, reason);
	return rc;
}

/* The pod CIDR from kindnet's conflist, when the API had none. */
static void
discover_pod_from_cni(struct discover *dc, const char *api_problem)
{
	const char *dir = dc->daemon->conf->kubernetes.cni_config_dir;
	struct k8s_cidrs set;
	char file[256], error[512], last[256];

	memset(&set, 0, sizeof(set));
	if (discover_read_cni(dir, &set, file, sizeof(file), error,
	    sizeof(error)) == 0) {
		health_log(&dc->cni, false, LOG_INFO, "pod-cidr auto: the CNI "
		    "configuration %s/%s is readable again", dir, file);
		discover_found(dc, ORIGIN_ROLE_POD, &set, ORIGIN_CNI_CONFIG);
		return;
	}
	health_log(&dc->cni, true, LOG_WARNING, "pod-cidr auto: no pod CIDR "
	    "from the Kubernetes API (%s) nor from the CNI configuration "
	    "(%s); still advertising %s", api_problem, error,
	    cidrs_text(&dc->pod, last, sizeof(last)));
}

/* Why an API reply is no answer: transport error, HTTP status, body. */
static const char *
reply_problem(int status, const char *body, size_t len, const char *error,
    char *buf, size_t size)
{
	char message[256];

	if (status == 0)
		return error;
	k8s_decode_status(body, len, message, sizeof(message));
	snprintf(buf, size, "HTTP %d%s%s", status, message[0] ? ": " : "",
	    message);
	return buf;
}

static void
node_reply_cb(void *arg, int status, const char *body, size_t len,
    const char *error)
{
	struct discover *dc = arg;
	struct k8s_cidrs set;
	char problem[512], buf[512];
	const char *why = problem;

	dc->node_request = NULL;
	if (status == 200 && k8s_decode_node(body, len, &set, problem,
	    sizeof(problem)) == 0) {
		health_log(&dc->api_node, false, LOG_INFO, "pod-cidr auto: "
		    "%s%s answers again", k8s_client_server(dc->client),
		    dc->node_path);
		discover_found(dc, ORIGIN_ROLE_POD, &set,
		    ORIGIN_KUBERNETES_API);
		return;
	}
	if (status != 200)
		why = reply_problem(status, body, len, error, buf, sizeof(buf));
	health_log(&dc->api_node, true, LOG_WARNING, "pod-cidr auto: GET "
	    "%s%s: %s; trying the CNI configuration",
	    k8s_client_server(dc->client), dc->node_path, why);
	discover_pod_from_cni(dc, why);
}

static void
config_reply_cb(void *arg, int status, const char *body, size_t len,
    const char *error)
{
	struct discover *dc = arg;
	struct k8s_cidrs set;
	char problem[512], buf[512], last[256];
	const char *why = problem;

	dc->config_request = NULL;
	if (status == 200 && k8s_decode_kubeadm_config(body, len, &set,
	    problem, sizeof(problem)) == 0) {
		health_log(&dc->api_config, false, LOG_INFO, "service-cidr "
		    "auto: %s%s answers again", k8s_client_server(dc->client),
		    CONFIGMAP_PATH);
		discover_found(dc, ORIGIN_ROLE_SERVICE, &set,
		    ORIGIN_KUBERNETES_API);
		return;
	}
	if (status != 200)
		why = reply_problem(status, body, len, error, buf, sizeof(buf));
	health_log(&dc->api_config, true, LOG_WARNING, "service-cidr auto: "
	    "GET %s%s: %s; still advertising %s",
	    k8s_client_server(dc->client), CONFIGMAP_PATH, why,
	    cidrs_text(&dc->service, last, sizeof(last)));
}

static void
discover_check_pod(struct discover *dc)
{
	char error[512];

	if (dc->client == NULL) {
		discover_pod_from_cni(dc, dc->no_client);
		return;
	}
	if (dc->node_request != NULL)
		return;		/* the last one is still under way */
	dc->node_request = k8s_get(dc->client, dc->node_path, node_reply_cb,
	    dc, error, sizeof(error));
	if (dc->node_request == NULL) {
		health_log(&dc->api_node, true, LOG_WARNING, "pod-cidr auto: "
		    "%s; trying the CNI configuration", error);
		discover_pod_from_cni(dc, error);
	}
}

static void
discover_check_service(struct discover *dc)
{
	char error[512], last[256];

	if (dc->client == NULL) {
		health_log(&dc->api_config, true, LOG_WARNING, "service-cidr "
		    "auto needs the Kubernetes API: %s", dc->no_client);
		return;
	}
	if (dc->config_request != NULL)
		return;
	dc->config_request = k8s_get(dc->client, CONFIGMAP_PATH,
	    config_reply_cb, dc, error, sizeof(error));
	if (dc->config_request == NULL)
		health_log(&dc->api_config, true, LOG_WARNING, "service-cidr "
		    "auto: %s; still advertising %s", error,
		    cidrs_text(&dc->service, last, sizeof(last)));
}

static void
discover_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct discover *dc = arg;
	const struct config *conf = dc->daemon->conf;
	struct timeval interval = { (time_t)discover_recheck_seconds(), 0 };

	(void)fd;
	(void)what;
	if (conf->advertise.pod_cidr.source == CIDR_AUTO)
		discover_check_pod(dc);
	if (conf->advertise.service_cidr.source == CIDR_AUTO)
		discover_check_service(dc);
	evtimer_add(dc->timer, &interval);
}

/* The API path of this node: kubernetes.node-name or the host name. */
static int
discover_node_path(struct discover *dc, char *error, size_t error_size)
{
	const char *name = dc->daemon->conf->kubernetes.node_name;
	char host[NODE_NAME_MAX + 1];
	size_t i;

	if (name == NULL) {
		if (gethostname(host, sizeof(host)) == -1) {
			snprintf(error, error_size, "gethostname: %s",
			    strerror(errno));
			return -1;
		}
		host[sizeof(host) - 1] = '\0';
		name = host;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') &&
		    !(name[i] >= '0' && name[i] <= '9') && name[i] != '-' &&
		    name[i] != '.')
			break;
	if (i == 0 || name[i] != '\0' || i > NODE_NAME_MAX) {
		snprintf(error, error_size, "node name \"%.64s\" is not a "
		    "Kubernetes node name (set kubernetes.node-name)", name);
		return -1;
	}
	snprintf(dc->node_path, sizeof(dc->node_path), "/api/v1/nodes/%s",
	    name);
	return 0;
}

/* (Re)creates the API client from the running configuration. */
static void
discover_setup(struct discover *dc)
{
	struct daemon *d = dc->daemon;
	char error[256];

	if (dc->node_request != NULL)
		k8s_cancel(dc->node_request);
	if (dc->config_request != NULL)
		k8s_cancel(dc->config_request);
	dc->node_request = dc->config_request = NULL;
	k8s_client_free(dc->client);
	dc->client = NULL;
	if (d->conf->advertise.pod_cidr.source != CIDR_AUTO &&
	    d->conf->advertise.service_cidr.source != CIDR_AUTO)
		return;
	if (discover_node_path(dc, error, sizeof(error)) == 0)
		dc->client = k8s_client_create(d->base, d->dns, d->conf, error,
		    sizeof(error));
	if (dc->client == NULL) {
		snprintf(dc->no_client, sizeof(dc->no_client), "%s", error);
		health_log(&dc->setup, true, LOG_INFO, "kubernetes: not asking "
		    "the API server: %s", error);
	} else {
		health_log(&dc->setup, false, LOG_INFO, "kubernetes: asking "
		    "%s", k8s_client_server(dc->client));
	}
}

static void
discover_start_check(struct discover *dc)
{
	struct timeval now = { 0, 0 };

	evtimer_del(dc->timer);
	evtimer_add(dc->timer, &now);
}

struct discover *
discover_create(struct daemon *d)
{
	struct discover *dc = xcalloc(1, sizeof(*dc));

	dc->daemon = d;
	dc->timer = evtimer_new(d->base, discover_timer_cb, dc);
	if (dc->timer == NULL)
		fatalx_oom();
	discover_setup(dc);
	discover_start_check(dc);
	return dc;
}

void
discover_apply(struct discover *dc)
{
	const struct config *conf = dc->daemon->conf;
	static const struct k8s_cidrs none;

	/* A role no longer "auto" forgets what it found. */
	if (conf->advertise.pod_cidr.source != CIDR_AUTO && dc->pod.count) {
		dc->pod = none;
		originate_set_discovered(dc->daemon->originate,
		    ORIGIN_ROLE_POD, ORIGIN_KUBERNETES_API, NULL, 0, 0);
	}
	if (conf->advertise.service_cidr.source != CIDR_AUTO &&
	    dc->service.count) {
		dc->service = none;
		originate_set_discovered(dc->daemon->originate,
		    ORIGIN_ROLE_SERVICE, ORIGIN_KUBERNETES_API, NULL, 0, 0);
	}
	discover_setup(dc);
	discover_start_check(dc);
}

void
discover_free(struct discover *dc)
{
	if (dc == NULL)
		return;
	if (dc->node_request != NULL)
		k8s_cancel(dc->node_request);
	if (dc->config_request != NULL)
		k8s_cancel(dc->config_request);
	k8s_client_free(dc->client);
	event_free(dc->timer);
	free(dc);
}
