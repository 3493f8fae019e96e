/*
 * k8s_decode.c - Kubernetes objects and CNI configurations to CIDRs.
 *
 * One small engine serves every decoder: walk() feeds libyaml parser
 * events through a stack of levels (mapping with its current key, or
 * sequence) and hands each scalar whose path matches one of a table of
 * patterns ("spec", "podCIDRs", "*") to a callback.  Nothing else of the
 * document is kept, so a 4 MB Node costs the parser's buffers and a
 * 64-level stack, and every path the decoders care about is data, not
 * code.  Aliases are never expanded (JSON has none; a YAML alias in a
 * ClusterConfiguration is just a value that matches nothing).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "k8s_decode.h"

#define KEY_MAX		64	/* longer keys match no pattern */
#define PATH_WORDS	8	/* words in a pattern, NULL included */
#define QUOTE_MAX	48	/* bytes of a bad value shown in errors */

struct walk_pattern {
	int		 id;
	const char	*path[PATH_WORDS];	/* "*": any item of a list */
};

/* Called for a scalar at a pattern's path; returns 0 or -1 (error set). */
typedef int walk_value_cb(void *arg, int id, const char *value,
    char *error, size_t error_size);

struct walk_level {
	bool	 sequence;
	bool	 want_key;	/* mapping: the next scalar is a key */
	bool	 key_usable;	/* mapping: the key fits and has no NUL */
	char	 key[KEY_MAX];
};

struct walk {
	const struct walk_pattern *patterns;
	size_t			 pattern_count;
	walk_value_cb		*value_cb;
	void			*arg;
	struct walk_level	 levels[K8S_DEPTH_MAX];
	size_t			 depth;
	bool			 root_seen;
	char			*error;
	size_t			 error_size;
};

/* A printable, bounded copy of an untrusted value for messages. */
static const char *
quote(const char *value, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; value[i] != '\0' && n + 4 < size && i < QUOTE_MAX; i++)
		buf[n++] = isprint((unsigned char)value[i]) ? value[i] : '?';
	if (value[i] != '\0' && n + 4 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static const struct walk_pattern *
walk_match(const struct walk *w)
{
	const struct walk_pattern *p;
	const struct walk_level *l;
	size_t i, j;

	for (j = 0; j < w->pattern_count; j++) {
		p = &w->patterns[j];
		for (i = 0; i < w->depth && p->path[i] != NULL; i++) {
			l = &w->levels[i];
			if (l->sequence ? strcmp(p->path[i], "*") != 0 :
			    !l->key_usable || strcmp(p->path[i], l->key) != 0)
				break;
		}
		if (i == w->depth && i < PATH_WORDS && p->path[i] == NULL)
			return p;
	}
	return NULL;
}

/* A value of the current container is complete. */
static void
walk_value_done(struct walk *w)
{
	if (w->depth > 0 && !w->levels[w->depth - 1].sequence)
		w->levels[w->depth - 1].want_key = true;
}

static bool
walk_at_key(const struct walk *w)
{
	return w->depth > 0 && !w->levels[w->depth - 1].sequence &&
	    w->levels[w->depth - 1].want_key;
}

static int
walk_push(struct walk *w, bool sequence)
{
	struct walk_level *l;

	if (walk_at_key(w)) {
		snprintf(w->error, w->error_size, "a key that is not a string");
		return -1;
	}
	if (w->depth == 0 && (w->root_seen || sequence)) {
		snprintf(w->error, w->error_size, "not an object");
		return -1;
	}
	if (w->depth == K8S_DEPTH_MAX) {
		snprintf(w->error, w->error_size, "nested deeper than %d "
		    "levels", K8S_DEPTH_MAX);
		return -1;
	}
	w->root_seen = true;
	l = &w->levels[w->depth++];
	memset(l, 0, sizeof(*l));
	l->sequence = sequence;
	l->want_key = !sequence;
	return 0;
}

static int
walk_scalar(struct walk *w, const yaml_event_t *e)
{
	const char *value = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	struct walk_level *l;
	const struct walk_pattern *p;
	char q[QUOTE_MAX + 8];

	if (w->depth == 0) {
		snprintf(w->error, w->error_size, "not an object");
		return -1;
	}
	l = &w->levels[w->depth - 1];
	if (walk_at_key(w)) {
		l->want_key = false;
		l->key_usable = len < sizeof(l->key) && strlen(value) == len;
		if (l->key_usable)
			memcpy(l->key, value, len + 1);
		return 0;
	}
	if ((p = walk_match(w)) != NULL) {
		if (strlen(value) != len) {
			snprintf(w->error, w->error_size, "%s: a NUL character "
			    "in the value", quote(value, q, sizeof(q)));
			return -1;
		}
		if (w->value_cb(w->arg, p->id, value, w->error,
		    w->error_size) == -1)
			return -1;
	}
	walk_value_done(w);
	return 0;
}

/* One parser event; returns 1 to go on, 0 at the end, -1 on error. */
static int
walk_event(struct walk *w, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_MAPPING_START_EVENT:
		return walk_push(w, false) == -1 ? -1 : 1;
	case YAML_SEQUENCE_START_EVENT:
		return walk_push(w, true) == -1 ? -1 : 1;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		w->depth--;
		walk_value_done(w);
		return 1;
	case YAML_SCALAR_EVENT:
		return walk_scalar(w, e) == -1 ? -1 : 1;
	case YAML_ALIAS_EVENT:
		if (walk_at_key(w)) {
			w->levels[w->depth - 1].want_key = false;
			w->levels[w->depth - 1].key_usable = false;
		} else {
			walk_value_done(w);
		}
		return 1;
	case YAML_DOCUMENT_END_EVENT:	/* only the first document */
	case YAML_STREAM_END_EVENT:
		return 0;
	default:
		return 1;
	}
}

/*
 * Walks text, calling cb for every scalar at the path of a pattern.
 * Returns 0, or -1 with a message in error (syntax errors with line and
 * column).
 */
static int
walk(const char *text, size_t len, const struct walk_pattern *patterns,
    size_t pattern_count, walk_value_cb *cb, void *arg, char *error,
    size_t error_size)
{
	yaml_parser_t parser;
	yaml_event_t event;
	struct walk w;
	int result = 1;

	if (len > K8S_DOCUMENT_MAX) {
		snprintf(error, error_size, "document of %zu bytes is larger "
		    "than %u", len, K8S_DOCUMENT_MAX);
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.patterns = patterns;
	w.pattern_count = pattern_count;
	w.value_cb = cb;
	w.arg = arg;
	w.error = error;
	w.error_size = error_size;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(error, error_size, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	while (result == 1) {
		if (!yaml_parser_parse(&parser, &event)) {
			snprintf(error, error_size, "line %zu, column %zu: %s",
			    parser.problem_mark.line + 1,
			    parser.problem_mark.column + 1,
			    parser.problem != NULL ? parser.problem :
			    "syntax error");
			result = -1;
			break;
		}
		result = walk_event(&w, &event);
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	if (result == 0 && !w.root_seen) {
		snprintf(error, error_size, "empty document");
		result = -1;
	}
	return result == 0 ? 0 : -1;
}

/* Appends one CIDR (strict: no host bits) unless already there. */
static int
add_cidr(struct k8s_cidrs *out, const char *text, const char *what,
    char *error, size_t error_size)
{
	struct prefix p;
	char q[QUOTE_MAX + 8];
	size_t i;
	int rc = prefix_parse(text, &p, false);

	if (rc == -2) {
		snprintf(error, error_size, "%s: %s has host bits set", what,
		    quote(text, q, sizeof(q)));
		return -1;
	}
	if (rc != 0) {
		snprintf(error, error_size, "%s: %s is not a CIDR", what,
		    quote(text, q, sizeof(q)));
		return -1;
	}
	for (i = 0; i < out->count; i++)
		if (prefix_equal(&out->items[i], &p))
			return 0;
	if (out->count == K8S_CIDRS_MAX) {
		snprintf(error, error_size, "%s: more than %d CIDRs", what,
		    K8S_CIDRS_MAX);
		return -1;
	}
	out->items[out->count++] = p;
	return 0;
}

int
k8s_parse_cidr_list(const char *text, struct k8s_cidrs *out, char *error,
    size_t error_size)
{
	char item[PREFIX_STRLEN + 1];
	const char *start = text, *end;
	size_t len;

	for (;;) {
		while (*start == ' ' || *start == '\t')
			start++;
		end = strchr(start, ',');
		if (end == NULL)
			end = start + strlen(start);
		len = (size_t)(end - start);
		while (len > 0 && (start[len - 1] == ' ' ||
		    start[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(item)) {
			snprintf(error, error_size, "an empty or overlong item "
			    "in the CIDR list");
			return -1;
		}
		memcpy(item, start, len);
		item[len] = '\0';
		if (add_cidr(out, item, "CIDR list", error, error_size) == -1)
			return -1;
		if (*end == '\0')
			return 0;
		start = end + 1;
	}
}

/* What the object decoders collect; kind is the object's "kind". */
struct object_result {
	char			 kind[32];
	struct k8s_cidrs	 cidrs;		/* the list form */
	struct k8s_cidrs	 single;	/* spec.podCIDR */
	bool			 found;		/* the string being looked for */
};

enum {
	ID_KIND,
	ID_POD_CIDRS,
	ID_POD_CIDR,
	ID_CLUSTER_CONFIGURATION,
	ID_SERVICE_SUBNET,
	ID_CNI_SUBNET,
	ID_MESSAGE,
};

static void
set_kind(struct object_result *r, const char *value)
{
	snprintf(r->kind, sizeof(r->kind), "%s", value);
}

/* Checks the object's kind, if it names one, against want. */
static int
check_kind(const struct object_result *r, const char *want, char *error,
    size_t error_size)
{
	char q[QUOTE_MAX + 8];

	if (r->kind[0] == '\0' || strcmp(r->kind, want) == 0)
		return 0;
	snprintf(error, error_size, "expected a %s object, got kind %s", want,
	    quote(r->kind, q, sizeof(q)));
	return -1;
}

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Walks json into r with patterns; checks the kind if want is set. */
static int
decode_object(const char *json, size_t len,
    const struct walk_pattern *patterns, size_t count, walk_value_cb *cb,
    struct object_result *r, const char *want, char *error,
    size_t error_size)
{
	memset(r, 0, sizeof(*r));
	if (walk(json, len, patterns, count, cb, r, error, error_size) == -1)
		return -1;
	return want != NULL ? check_kind(r, want, error, error_size) : 0;
}

static const struct walk_pattern node_patterns[] = {
	{ ID_KIND, { "kind" } },
	{ ID_POD_CIDRS, { "spec", "podCIDRs", "*" } },
	{ ID_POD_CIDR, { "spec", "podCIDR" } },
};

static int
node_value_cb(void *arg, int id, const char *value, char *error,
    size_t error_size)
{
	struct object_result *r = arg;

	if (id == ID_KIND) {
		set_kind(r, value);
		return 0;
	}
	if (id == ID_POD_CIDRS)
		return add_cidr(&r->cidrs, value, "spec.podCIDRs", error,
		    error_size);
	return add_cidr(&r->single, value, "spec.podCIDR", error, error_size);
}

int
k8s_decode_node(const char *json, size_t len, struct k8s_cidrs *out,
    char *error, size_t error_size)
{
	struct object_result r;

	if (decode_object(json, len, node_patterns, NITEMS(node_patterns),
	    node_value_cb, &r, "Node", error, error_size) == -1)
		return -1;
	/* podCIDRs (1.16+) includes podCIDR as its first item. */
	*out = r.cidrs.count > 0 ? r.cidrs : r.single;
	if (out->count == 0) {
		snprintf(error, error_size, "the Node has no spec.podCIDRs "
		    "(no pod CIDR allocated to it yet?)");
		return -1;
	}
	return 0;
}

static const struct walk_pattern cluster_configuration_patterns[] = {
	{ ID_SERVICE_SUBNET, { "networking", "serviceSubnet" } },
};

static int
cluster_configuration_value_cb(void *arg, int id, const char *value,
    char *error, size_t error_size)
{
	struct object_result *r = arg;

	(void)id;
	r->found = true;
	r->cidrs.count = 0;	/* a repeated key: the last one counts */
	return k8s_parse_cidr_list(value, &r->cidrs, error, error_size);
}

static const struct walk_pattern kubeadm_patterns[] = {
	{ ID_KIND, { "kind" } },
	{ ID_CLUSTER_CONFIGURATION, { "data", "ClusterConfiguration" } },
};

static int
kubeadm_value_cb(void *arg, int id, const char *value, char *error,
    size_t error_size)
{
	struct object_result *r = arg, inner;
	char message[256];

	if (id == ID_KIND) {
		set_kind(r, value);
		return 0;
	}
	/* A YAML document inside a JSON string: walk it in turn. */
	if (decode_object(value, strlen(value), cluster_configuration_patterns,
	    NITEMS(cluster_configuration_patterns),
	    cluster_configuration_value_cb, &inner, NULL, message,
	    sizeof(message)) == -1) {
		snprintf(error, error_size, "data.ClusterConfiguration: %s",
		    message);
		return -1;
	}
	if (!inner.found) {
		snprintf(error, error_size, "data.ClusterConfiguration has no "
		    "networking.serviceSubnet");
		return -1;
	}
	r->found = true;
	r->cidrs = inner.cidrs;
	return 0;
}

int
k8s_decode_kubeadm_config(const char *json, size_t len,
    struct k8s_cidrs *out, char *error, size_t error_size)
{
	struct object_result r;

	if (decode_object(json, len, kubeadm_patterns,
	    NITEMS(kubeadm_patterns), kubeadm_value_cb, &r, "ConfigMap", error,
	    error_size) == -1)
		return -1;
	if (!r.found) {
		snprintf(error, error_size, "the ConfigMap has no "
		    "data.ClusterConfiguration");
		return -1;
	}
	*out = r.cidrs;
	return 0;
}

/*
 * kindnet writes a .conflist with a "ptp" plugin using host-local IPAM:
 * "ranges": [[{"subnet": "10.244.1.0/24"}], [{"subnet": "fd00:..."}]]
 * (one range set per family).  A plain .conf has "ipam" at the top.
 */
static const struct walk_pattern cni_patterns[] = {
	{ ID_CNI_SUBNET, { "plugins", "*", "ipam", "ranges", "*", "*",
	    "subnet" } },
	{ ID_CNI_SUBNET, { "plugins", "*", "ipam", "subnet" } },
	{ ID_CNI_SUBNET, { "ipam", "ranges", "*", "*", "subnet" } },
	{ ID_CNI_SUBNET, { "ipam", "subnet" } },
};

static int
cni_value_cb(void *arg, int id, const char *value, char *error,
    size_t error_size)
{
	struct object_result *r = arg;

	(void)id;
	return add_cidr(&r->cidrs, value, "ipam subnet", error, error_size);
}

int
k8s_decode_cni_config(const char *json, size_t len, struct k8s_cidrs *out,
    char *error, size_t error_size)
{
	struct object_result r;

	if (decode_object(json, len, cni_patterns, NITEMS(cni_patterns),
	    cni_value_cb, &r, NULL, error, error_size) == -1)
		return -1;
	if (r.cidrs.count == 0) {
		snprintf(error, error_size, "no host-local IPAM subnet "
		    "(plugins[].ipam.ranges) in it");
		return -1;
	}
	*out = r.cidrs;
	return 0;
}

struct status_result {
	char	*message;
	size_t	 size;
};

static const struct walk_pattern status_patterns[] = {
	{ ID_MESSAGE, { "message" } },
};

static int
status_value_cb(void *arg, int id, const char *value, char *error,
    size_t error_size)
{
	struct status_result *r = arg;
	char q[QUOTE_MAX * 4];
	size_t i;

	(void)id;
	(void)error;
	(void)error_size;
	/* Like quote(), with more room: the message is the whole point. */
	for (i = 0; value[i] != '\0' && i + 1 < sizeof(q); i++)
		q[i] = isprint((unsigned char)value[i]) ? value[i] : '?';
	q[i] = '\0';
	snprintf(r->message, r->size, "%s", q);
	return 0;
}

void
k8s_decode_status(const char *json, size_t len, char *message,
    size_t message_size)
{
	struct status_result r = { message, message_size };
	char error[128];

	if (message_size == 0)
		return;
	message[0] = '\0';
	if (walk(json, len, status_patterns, NITEMS(status_patterns),
	    status_value_cb, &r, error, sizeof(error)) == -1)
		message[0] = '\0';
}
