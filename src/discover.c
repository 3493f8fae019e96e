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

typedef int decode_fn(const char *, size_t, struct k8s_cidrs *, char *,
    size_t);

/* What the API server is asked, per role. */
static const struct {
	const char	*setting;	/* for messages */
	decode_fn	*decode;
} questions[ORIGIN_ROLE_COUNT] = {
	[ORIGIN_ROLE_POD] = { "pod-cidr", k8s_decode_node },
	[ORIGIN_ROLE_SERVICE] = { "service-cidr", k8s_decode_kubeadm_config },
};

struct discover;

/* The state of one role: its question to the API, what it last found. */
struct discover_role {
	struct discover		*dc;
	enum origin_role	 role;
	char			 path[NODE_NAME_MAX + 64];	/* API path */
	struct k8s_request	*request;	/* under way */
	struct source_health	 api;
	struct k8s_cidrs	 last;		/* last advertised */
};

struct discover {
	struct daemon		*daemon;
	struct k8s_client	*client;	/* NULL: no API to ask */
	char			 no_client[256];	/* why not */
	struct event		*timer;
	struct discover_role	 roles[ORIGIN_ROLE_COUNT];
	struct source_health	 cni;
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

/*
 * Hands a confirmed set to originate.c.  A change re-runs import
 * policy: a path that overlaps the new pod CIDR must now be rejected,
 * one that overlapped only the old one accepted again.
 */
static void
discover_found(struct discover_role *r, const struct k8s_cidrs *set,
    enum origin_kind kind)
{
	struct daemon *d = r->dc->daemon;
	char was[256], now[256];
	struct peer *p;

	if (originate_set_discovered(d->originate, r->role, kind, set->items,
	    set->count, time(NULL))) {
		log_info("%s auto: %s from %s (was %s)",
		    questions[r->role].setting, cidrs_text(set, now,
		    sizeof(now)), origin_kind_name(kind), cidrs_text(&r->last,
		    was, sizeof(was)));
		TAILQ_FOREACH(p, &d->peers, entry)
			peer_reevaluate_import(p);
	}
	r->last = *set;
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
	struct discover_role *r = &dc->roles[ORIGIN_ROLE_POD];
	const char *dir = dc->daemon->conf->kubernetes.cni_config_dir;
	struct k8s_cidrs set;
	char file[256], error[512], last[256];

	memset(&set, 0, sizeof(set));
	if (discover_read_cni(dir, &set, file, sizeof(file), error,
	    sizeof(error)) == 0) {
		health_log(&dc->cni, false, LOG_INFO, "pod-cidr auto: the CNI "
		    "configuration %s/%s is readable again", dir, file);
		discover_found(r, &set, ORIGIN_CNI_CONFIG);
		return;
	}
	health_log(&dc->cni, true, LOG_WARNING, "pod-cidr auto: no pod CIDR "
	    "from the Kubernetes API (%s) nor from the CNI configuration "
	    "(%s); still advertising %s", api_problem, error,
	    cidrs_text(&r->last, last, sizeof(last)));
}

/*
 * The CIDRs in an API reply, or -1 with why it is no answer (transport
 * error, HTTP status with the Status message, undecodable body).
 */
static int
reply_cidrs(const struct discover_role *r, int status, const char *body,
    size_t len, const char *error, struct k8s_cidrs *set, char *why,
    size_t why_size)
{
	char message[256];

	if (status == 0) {
		snprintf(why, why_size, "%s", error);
		return -1;
	}
	if (status != 200) {
		k8s_decode_status(body, len, message, sizeof(message));
		snprintf(why, why_size, "HTTP %d%s%s", status,
		    message[0] ? ": " : "", message);
		return -1;
	}
	return questions[r->role].decode(body, len, set, why, why_size);
}

/* The API gave no answer for r: logged once; the pod CIDR tries CNI. */
static void
api_failed(struct discover_role *r, const char *why)
{
	struct discover *dc = r->dc;
	char last[256];

	health_log(&r->api, true, LOG_WARNING, "%s auto: GET %s%s: %s; %s%s",
	    questions[r->role].setting, dc->client != NULL ?
	    k8s_client_server(dc->client) : "", r->path, why,
	    r->role == ORIGIN_ROLE_POD ? "trying the CNI configuration" :
	    "still advertising ", r->role == ORIGIN_ROLE_POD ? "" :
	    cidrs_text(&r->last, last, sizeof(last)));
	if (r->role == ORIGIN_ROLE_POD)
		discover_pod_from_cni(dc, why);
}

static void
api_reply_cb(void *arg, int status, const char *body, size_t len,
    const char *error)
{
	struct discover_role *r = arg;
	struct k8s_cidrs set;
	char why[512];

	r->request = NULL;
	if (reply_cidrs(r, status, body, len, error, &set, why,
	    sizeof(why)) == -1) {
		api_failed(r, why);
		return;
	}
	health_log(&r->api, false, LOG_INFO, "%s auto: %s%s answers again",
	    questions[r->role].setting, k8s_client_server(r->dc->client),
	    r->path);
	discover_found(r, &set, ORIGIN_KUBERNETES_API);
}

/* Asks the API server for r, unless the last question is under way. */
static void
discover_ask(struct discover_role *r)
{
	struct discover *dc = r->dc;
	char error[512];

	if (dc->client == NULL) {
		if (r->role == ORIGIN_ROLE_POD)
			discover_pod_from_cni(dc, dc->no_client);
		else
			health_log(&r->api, true, LOG_WARNING, "service-cidr "
			    "auto needs the Kubernetes API: %s", dc->no_client);
		return;
	}
	if (r->request != NULL)
		return;
	r->request = k8s_get(dc->client, r->path, api_reply_cb, r, error,
	    sizeof(error));
	if (r->request == NULL)
		api_failed(r, error);
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
		discover_ask(&dc->roles[ORIGIN_ROLE_POD]);
	if (conf->advertise.service_cidr.source == CIDR_AUTO)
		discover_ask(&dc->roles[ORIGIN_ROLE_SERVICE]);
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
	snprintf(dc->roles[ORIGIN_ROLE_POD].path,
	    sizeof(dc->roles[ORIGIN_ROLE_POD].path), "/api/v1/nodes/%s", name);
	return 0;
}

static void
discover_cancel(struct discover *dc)
{
	size_t i;

	for (i = 0; i < ORIGIN_ROLE_COUNT; i++) {
		if (dc->roles[i].request != NULL)
			k8s_cancel(dc->roles[i].request);
		dc->roles[i].request = NULL;
	}
}

/* (Re)creates the API client from the running configuration. */
static void
discover_setup(struct discover *dc)
{
	struct daemon *d = dc->daemon;
	char error[256];

	discover_cancel(dc);
	k8s_client_free(dc->client);
	dc->client = NULL;
	if (d->conf->advertise.pod_cidr.source != CIDR_AUTO &&
	    d->conf->advertise.service_cidr.source != CIDR_AUTO)
		return;
	if (discover_node_path(dc, error, sizeof(error)) == 0)
		dc->client = k8s_client_create(d->base, d->dns, d->conf, error,
		    sizeof(error));
	/* At start and reload only: one line each. */
	if (dc->client == NULL) {
		snprintf(dc->no_client, sizeof(dc->no_client), "%s", error);
		log_info("kubernetes: not asking the API server: %s", error);
	} else {
		log_info("kubernetes: asking %s", k8s_client_server(dc->client));
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
	size_t i;

	dc->daemon = d;
	for (i = 0; i < ORIGIN_ROLE_COUNT; i++) {
		dc->roles[i].dc = dc;
		dc->roles[i].role = (enum origin_role)i;
	}
	snprintf(dc->roles[ORIGIN_ROLE_SERVICE].path,
	    sizeof(dc->roles[ORIGIN_ROLE_SERVICE].path), "%s", CONFIGMAP_PATH);
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
	const struct cidr_setting *settings[ORIGIN_ROLE_COUNT] = {
		[ORIGIN_ROLE_POD] = &conf->advertise.pod_cidr,
		[ORIGIN_ROLE_SERVICE] = &conf->advertise.service_cidr,
	};
	static const struct k8s_cidrs none;
	size_t i;

	/* A role no longer "auto" forgets what it found. */
	for (i = 0; i < ORIGIN_ROLE_COUNT; i++) {
		if (settings[i]->source == CIDR_AUTO ||
		    dc->roles[i].last.count == 0)
			continue;
		dc->roles[i].last = none;
		originate_set_discovered(dc->daemon->originate,
		    (enum origin_role)i, ORIGIN_KUBERNETES_API, NULL, 0, 0);
	}
	discover_setup(dc);
	discover_start_check(dc);
}

void
discover_free(struct discover *dc)
{
	if (dc == NULL)
		return;
	discover_cancel(dc);
	k8s_client_free(dc->client);
	event_free(dc->timer);
	free(dc);
}
