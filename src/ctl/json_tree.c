/*
 * json_tree.c - JSON to a tree of index-linked nodes, through libyaml.
 *
 * libyaml's event parser reads JSON because JSON is (nearly) YAML 1.2
 * flow style; what it also accepts but JSON does not is refused here:
 * block collections, anchors, aliases, tags, explicit documents,
 * single-quoted strings and plain scalars other than null, true,
 * false and RFC 8259 numbers (a quoted scalar is a string, a plain
 * one never is).  libyaml does not take \u escapes of surrogates, so
 * characters beyond U+FFFF must come as raw UTF-8, as json_writer
 * writes them.
 *
 * Streamed, the parser reads through a callback and watches for one
 * list (list_step): each element it completes is handed over, then
 * cut back out of the node array and the value arena.  libyaml itself
 * holds little: its input buffer and the tokens of one potential
 * simple key (at most 1024 characters ahead).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "json_tree.h"
#include "json_writer.h"	/* json_number_valid, MAX_DEPTH */
#include "log.h"

struct open_container {
	uint32_t	 node;
	uint32_t	 last;		/* last child so far, or JSON_NONE */
	size_t		 start;		/* libyaml's mark of its start */
};

struct parse_state {
	struct json_tree	*tree;
	struct open_container	 stack[JSON_WRITER_MAX_DEPTH];
	unsigned		 depth;
	uint32_t		 pending_key;	/* member name read, no value */
	bool			 have_root;
	const struct json_stream *stream;	/* NULL: keep everything */
	unsigned		 list_depth;	/* in the streamed list, or 0 */
	size_t			 list_text;	/* text_len when it began */
	char			*error;
	size_t			 error_size;
};

static const struct {
	const char	*word;
	enum json_type	 type;
	uint32_t	 value;
} plain_words[] = {
	{ "null", JSON_NULL, 0 },
	{ "true", JSON_BOOL, 1 },
	{ "false", JSON_BOOL, 0 },
};

static int
fail(struct parse_state *st, const yaml_mark_t *mark, const char *what)
{
	snprintf(st->error, st->error_size, "line %zu column %zu: %s",
	    mark->line + 1, mark->column + 1, what);
	return -1;
}

/*
 * Stores len bytes and a NUL at the end of an arena; returns their
 * offset, or JSON_NONE if offsets would no longer fit.
 */
static uint32_t
arena_add(char **data, size_t *used, size_t *cap, const char *s, size_t len)
{
	size_t offset = *used;

	if (len >= UINT32_MAX - 1 - *used)
		return JSON_NONE;
	if (*cap - *used < len + 1) {
		while (*cap - *used < len + 1)
			*cap = *cap ? *cap * 2 : 4096;
		*data = xrealloc(*data, *cap);
	}
	memcpy(*data + offset, s, len);
	(*data)[offset + len] = '\0';
	*used += len + 1;
	return (uint32_t)offset;
}

static uint32_t
text_add(struct json_tree *t, const char *s, size_t len)
{
	return arena_add(&t->text, &t->text_len, &t->text_cap, s, len);
}

static uint32_t
key_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
key_slots_grow(struct json_tree *t)
{
	uint32_t *old = t->key_slots, h;
	size_t old_count = t->key_slot_count, i, j, mask;

	t->key_slot_count = old_count ? old_count * 2 : 64;
	t->key_slots = xreallocarray(NULL, t->key_slot_count, sizeof(*old));
	memset(t->key_slots, 0xff, t->key_slot_count * sizeof(*old));
	mask = t->key_slot_count - 1;
	for (i = 0; i < old_count; i++) {
		if (old[i] == JSON_NONE)
			continue;
		h = key_hash(t->keys + old[i], strlen(t->keys + old[i]));
		for (j = h & mask; t->key_slots[j] != JSON_NONE;
		    j = (j + 1) & mask)
			;
		t->key_slots[j] = old[i];
	}
	free(old);
}

/*
 * Member names repeat in every object of a list: store each once, in
 * an arena of their own that a streamed list's cut-backs leave alone.
 */
static uint32_t
key_intern(struct json_tree *t, const char *s, size_t len)
{
	size_t mask, i;
	uint32_t offset;

	if (2 * (t->key_count + 1) > t->key_slot_count)
		key_slots_grow(t);
	mask = t->key_slot_count - 1;
	for (i = key_hash(s, len) & mask; t->key_slots[i] != JSON_NONE;
	    i = (i + 1) & mask) {
		offset = t->key_slots[i];
		if (strncmp(t->keys + offset, s, len) == 0 &&
		    t->keys[offset + len] == '\0')
			return offset;
	}
	offset = arena_add(&t->keys, &t->keys_len, &t->keys_cap, s, len);
	if (offset != JSON_NONE) {
		t->key_slots[i] = offset;
		t->key_count++;
	}
	return offset;
}

/* Appends a node under the open container; returns its index. */
static int
node_add(struct parse_state *st, enum json_type type, uint32_t value,
    uint32_t length, const yaml_mark_t *mark)
{
	struct json_tree *t = st->tree;
	struct open_container *parent;
	struct json_node *n;
	uint32_t index;

	if (t->node_count >= JSON_NONE - 1)
		return fail(st, mark, "reply too large");
	if (t->node_count == t->node_cap) {
		t->node_cap = t->node_cap ? t->node_cap * 2 : 1024;
		t->nodes = xreallocarray(t->nodes, t->node_cap,
		    sizeof(*t->nodes));
	}
	index = (uint32_t)t->node_count++;
	n = &t->nodes[index];
	n->key = st->pending_key;
	n->next = JSON_NONE;
	n->value = value;
	n->length = length;
	n->type = (uint8_t)type;
	st->pending_key = JSON_NONE;
	if (st->depth == 0) {
		st->have_root = true;
		return (int)index;
	}
	parent = &st->stack[st->depth - 1];
	if (parent->last == JSON_NONE)
		t->nodes[parent->node].value = index;
	else
		t->nodes[parent->last].next = index;
	parent->last = index;
	t->nodes[parent->node].length++;
	return (int)index;
}

static bool
in_object(const struct parse_state *st)
{
	return st->depth > 0 &&
	    st->tree->nodes[st->stack[st->depth - 1].node].type == JSON_OBJECT;
}

/*
 * '["a": 1]' is a YAML single-pair mapping: its mapping event starts
 * where its key does, where a JSON object starts at its brace.
 */
static bool
implicit_pair(const struct parse_state *st, const yaml_event_t *key)
{
	const struct open_container *c = &st->stack[st->depth - 1];

	return c->last == JSON_NONE && c->start == key->start_mark.index;
}

static int
scalar_event(struct parse_state *st, const yaml_event_t *e)
{
	const char *value = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length, i;
	uint32_t offset;

	if (e->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		if (in_object(st) && st->pending_key == JSON_NONE) {
			if (implicit_pair(st, e))
				return fail(st, &e->start_mark,
				    "not JSON: YAML single-pair mapping");
			if (memchr(value, '\0', len) != NULL)
				return fail(st, &e->start_mark,
				    "NUL in a member name");
			st->pending_key = key_intern(st->tree, value, len);
			if (st->pending_key == JSON_NONE)
				return fail(st, &e->start_mark,
				    "reply too large");
			return 0;
		}
		offset = text_add(st->tree, value, len);
		if (offset == JSON_NONE)
			return fail(st, &e->start_mark, "reply too large");
		return node_add(st, JSON_STRING, offset, (uint32_t)len,
		    &e->start_mark) == -1 ? -1 : 0;
	}
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (in_object(st) && st->pending_key == JSON_NONE))
		return fail(st, &e->start_mark, "expected a quoted string");
	for (i = 0; i < sizeof(plain_words) / sizeof(plain_words[0]); i++)
		if (strcmp(value, plain_words[i].word) == 0)
			return node_add(st, plain_words[i].type,
			    plain_words[i].value, 0, &e->start_mark) == -1 ?
			    -1 : 0;
	if (!json_number_valid(value, len))
		return fail(st, &e->start_mark, "not a JSON value");
	offset = text_add(st->tree, value, len);
	if (offset == JSON_NONE)
		return fail(st, &e->start_mark, "reply too large");
	return node_add(st, JSON_NUMBER, offset, (uint32_t)len,
	    &e->start_mark) == -1 ? -1 : 0;
}

/*
 * A list or mapping must be a JSON one: flow style, no anchor or tag,
 * and not where a member name is due.
 */
static int
container_start(struct parse_state *st, const yaml_event_t *e,
    enum json_type type, bool flow, const void *anchor, const void *tag)
{
	int index;

	if (!flow || anchor != NULL || tag != NULL)
		return fail(st, &e->start_mark, "not JSON: YAML collection");
	if (in_object(st) && st->pending_key == JSON_NONE)
		return fail(st, &e->start_mark, "expected a quoted string");
	if (st->depth == JSON_WRITER_MAX_DEPTH)
		return fail(st, &e->start_mark, "nested too deeply");
	if ((index = node_add(st, type, JSON_NONE, 0, &e->start_mark)) == -1)
		return -1;
	st->stack[st->depth].node = (uint32_t)index;
	st->stack[st->depth].last = JSON_NONE;
	st->stack[st->depth].start = e->start_mark.index;
	st->depth++;
	return 0;
}

/*
 * Takes one libyaml event.  Returns 1 at the end of the stream, 0 to
 * go on, -1 on an error.
 */
static int
event_take(struct parse_state *st, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_STREAM_START_EVENT:
		return 0;
	case YAML_STREAM_END_EVENT:
		return st->have_root ? 1 : fail(st, &e->start_mark,
		    "empty reply");
	case YAML_DOCUMENT_START_EVENT:
		if (st->have_root)
			return fail(st, &e->start_mark, "more than one value");
		return e->data.document_start.implicit ? 0 :
		    fail(st, &e->start_mark, "not JSON: document marker");
	case YAML_DOCUMENT_END_EVENT:
		return e->data.document_end.implicit ? 0 :
		    fail(st, &e->start_mark, "not JSON: document marker");
	case YAML_ALIAS_EVENT:
		return fail(st, &e->start_mark, "not JSON: alias");
	case YAML_SCALAR_EVENT:
		if (e->data.scalar.anchor != NULL || e->data.scalar.tag != NULL)
			return fail(st, &e->start_mark,
			    "not JSON: anchor or tag");
		return scalar_event(st, e);
	case YAML_SEQUENCE_START_EVENT:
		return container_start(st, e, JSON_ARRAY,
		    e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE,
		    e->data.sequence_start.anchor, e->data.sequence_start.tag);
	case YAML_MAPPING_START_EVENT:
		return container_start(st, e, JSON_OBJECT,
		    e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE,
		    e->data.mapping_start.anchor, e->data.mapping_start.tag);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		st->depth--;
		return 0;
	default:
		return fail(st, &e->start_mark, "unexpected YAML event");
	}
}

/* Whether the array just opened is the root object's first member. */
static bool
list_begins(const struct parse_state *st)
{
	const struct json_tree *t = st->tree;
	const struct json_node *array;
	const char *const *name;

	if (st->stream == NULL || st->depth != 2 ||
	    t->nodes[0].type != JSON_OBJECT ||
	    t->nodes[0].value != st->stack[1].node)
		return false;
	array = &t->nodes[st->stack[1].node];
	for (name = st->stream->lists; *name != NULL; name++)
		if (strcmp(t->keys + array->key, *name) == 0)
			return true;
	return false;
}

/* Forgets the streamed list's element: nodes and value text cut back. */
static void
list_drop(struct parse_state *st)
{
	struct open_container *list = &st->stack[st->list_depth - 1];
	struct json_tree *t = st->tree;

	t->node_count = list->node + 1;
	t->nodes[list->node].value = JSON_NONE;
	t->nodes[list->node].length = 0;
	t->text_len = st->list_text;
	list->last = JSON_NONE;
}

/*
 * After each event of a streamed parse: starts the list, hands over
 * the element the event completed, or ends the list.
 */
static int
list_step(struct parse_state *st, const yaml_event_t *e)
{
	const struct json_stream *s = st->stream;
	enum json_list_event event;
	uint32_t node;

	if (st->list_depth == 0) {
		if (e->type != YAML_SEQUENCE_START_EVENT || !list_begins(st))
			return 0;
		st->list_depth = st->depth;
		st->list_text = st->tree->text_len;
		event = JSON_LIST_BEGIN;
		node = st->stack[1].node;
	} else if (st->depth == st->list_depth &&
	    (e->type == YAML_SCALAR_EVENT ||
	    e->type == YAML_SEQUENCE_END_EVENT ||
	    e->type == YAML_MAPPING_END_EVENT)) {
		event = JSON_LIST_ELEMENT;
		node = st->stack[st->list_depth - 1].last;
	} else if (st->depth < st->list_depth) {
		event = JSON_LIST_END;
		node = st->stack[1].node;
		st->list_depth = 0;
		st->stream = NULL;	/* one list per reply */
	} else
		return 0;
	if (s->list(s->list_arg, event, st->tree, &st->tree->nodes[node]) ==
	    -1)
		return fail(st, &e->end_mark, "the list's consumer stopped");
	if (event == JSON_LIST_ELEMENT)
		list_drop(st);
	return 0;
}

/* Runs the parser over its input to the end of the document. */
static int
parse_run(struct parse_state *st, yaml_parser_t *parser)
{
	yaml_event_t event;
	int rc;

	do {
		if (!yaml_parser_parse(parser, &event)) {
			rc = fail(st, &parser->problem_mark,
			    st->have_root && st->depth == 0 ?
			    "trailing data after the JSON value" :
			    parser->problem ? parser->problem :
			    "malformed JSON");
			break;
		}
		rc = event_take(st, &event);
		if (rc == 0 && st->stream != NULL)
			rc = list_step(st, &event);
		yaml_event_delete(&event);
	} while (rc == 0);
	yaml_parser_delete(parser);
	if (rc == -1) {
		json_tree_free(st->tree);
		return -1;
	}
	return 0;
}

static void
parse_init(struct parse_state *st, struct json_tree *t, yaml_parser_t *parser,
    char *error, size_t error_size)
{
	memset(t, 0, sizeof(*t));
	memset(st, 0, sizeof(*st));
	st->tree = t;
	st->pending_key = JSON_NONE;
	st->error = error;
	st->error_size = error_size;
	if (!yaml_parser_initialize(parser))
		fatalx_oom();
}

int
json_tree_parse(struct json_tree *t, const char *text, size_t len,
    char *error, size_t error_size)
{
	struct parse_state st;
	yaml_parser_t parser;

	parse_init(&st, t, &parser, error, error_size);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	return parse_run(&st, &parser);
}

/* libyaml's read handler: 1 for success, 0 for an error. */
static int
stream_read_cb(void *arg, unsigned char *buffer, size_t size, size_t *got)
{
	const struct json_stream *s = arg;

	return s->read(s->read_arg, buffer, size, got) == 0;
}

int
json_tree_parse_stream(struct json_tree *t, const struct json_stream *s,
    char *error, size_t error_size)
{
	struct parse_state st;
	yaml_parser_t parser;

	parse_init(&st, t, &parser, error, error_size);
	st.stream = s;
	yaml_parser_set_input(&parser, stream_read_cb, (void *)s);
	return parse_run(&st, &parser);
}

void
json_tree_free(struct json_tree *t)
{
	free(t->nodes);
	free(t->text);
	free(t->keys);
	free(t->key_slots);
	memset(t, 0, sizeof(*t));
}

const struct json_node *
json_root(const struct json_tree *t)
{
	return t->node_count > 0 ? &t->nodes[0] : NULL;
}

bool
json_is(const struct json_node *n, enum json_type type)
{
	return n != NULL && n->type == type;
}

const struct json_node *
json_child(const struct json_tree *t, const struct json_node *n)
{
	if (!json_is(n, JSON_ARRAY) && !json_is(n, JSON_OBJECT))
		return NULL;
	return n->value == JSON_NONE ? NULL : &t->nodes[n->value];
}

const struct json_node *
json_next(const struct json_tree *t, const struct json_node *n)
{
	return n->next == JSON_NONE ? NULL : &t->nodes[n->next];
}

const struct json_node *
json_member(const struct json_tree *t, const struct json_node *n,
    const char *key)
{
	const struct json_node *child;

	if (!json_is(n, JSON_OBJECT))
		return NULL;
	JSON_FOREACH(t, child, n)
		if (strcmp(t->keys + child->key, key) == 0)
			return child;
	return NULL;
}

const char *
json_key(const struct json_tree *t, const struct json_node *n)
{
	return n->key == JSON_NONE ? NULL : t->keys + n->key;
}

const char *
json_text(const struct json_tree *t, const struct json_node *n)
{
	if (!json_is(n, JSON_STRING) && !json_is(n, JSON_NUMBER))
		return NULL;
	return t->text + n->value;
}

const char *
json_string(const struct json_tree *t, const struct json_node *n)
{
	return json_is(n, JSON_STRING) ? t->text + n->value : NULL;
}

bool
json_true(const struct json_node *n)
{
	return json_is(n, JSON_BOOL) && n->value == 1;
}

int
json_uint(const struct json_tree *t, const struct json_node *n,
    uint64_t *out)
{
	const char *s;
	char *end;

	if (!json_is(n, JSON_NUMBER))
		return -1;
	s = t->text + n->value;
	if (strspn(s, "0123456789") != n->length)
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' ? 0 : -1;
}

int
json_int(const struct json_tree *t, const struct json_node *n,
    int64_t *out)
{
	const char *s;
	char *end;

	if (!json_is(n, JSON_NUMBER))
		return -1;
	s = t->text + n->value;
	if (strspn(s + (*s == '-'), "0123456789") + (*s == '-') != n->length)
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' ? 0 : -1;
}
