/*
 * json_tree.h - flatbgpctl's parsed reply: a JSON document as a tree.
 *
 * Parsed with libyaml (JSON is YAML 1.2 flow style) and checked to be
 * JSON and nothing more.  All nodes sit in one array and all values'
 * text in one arena, linked by index: no allocation per value.  Member
 * names have an arena of their own and are stored once however many
 * objects repeat them.  Numbers keep their text, so -j re-emits
 * 18446744073709551615 exactly; the accessors convert on demand.
 *
 * A reply of a million routes is parsed as it arrives, from a read
 * callback: its list is handed over one element at a time, each
 * dropped from the tree (nodes and value text cut back) once its
 * consumer returns, so memory follows the largest element, not the
 * reply.
 */
#ifndef FLATBGP_JSON_TREE_H
#define FLATBGP_JSON_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

#define JSON_NONE	UINT32_MAX

struct json_node {
	uint32_t	 key;	 /* member name offset, or JSON_NONE */
	uint32_t	 next;	 /* next sibling index, or JSON_NONE */
	uint32_t	 value;	 /* text offset; first child; bool 0/1 */
	uint32_t	 length; /* text bytes; child count */
	uint8_t		 type;	 /* enum json_type */
};

struct json_tree {
	struct json_node	*nodes;		/* nodes[0] is the root */
	size_t			 node_count;
	size_t			 node_cap;
	char			*text;		/* NUL-terminated values */
	size_t			 text_len;
	size_t			 text_cap;
	char			*keys;		/* NUL-terminated names */
	size_t			 keys_len;
	size_t			 keys_cap;
	uint32_t		*key_slots;	/* offsets in keys, hashed */
	size_t			 key_slot_count;
	size_t			 key_count;
};

/*
 * Parses len bytes of JSON.  Returns 0, or -1 with a message (with
 * line and column) in error; the tree is empty then.  Anchors,
 * aliases, tags, block style, single quotes and bare words are
 * refused: they are YAML, not JSON.
 */
int json_tree_parse(struct json_tree *t, const char *text, size_t len,
    char *error, size_t error_size);
void json_tree_free(struct json_tree *t);

/*
 * The input of a streamed parse: fills buffer with up to size bytes
 * and sets *got, 0 at the end of the input.  Returns 0, or -1 to fail
 * the parse (the callback keeps its own account of why).
 */
typedef int json_read_cb(void *arg, unsigned char *buffer, size_t size,
    size_t *got);

enum json_list_event {
	JSON_LIST_BEGIN,	/* node: the member; its array still empty */
	JSON_LIST_ELEMENT,	/* node: the next element, alone in the array */
	JSON_LIST_END,		/* node: the member; its array empty again */
};

/*
 * Takes one step of a streamed list; node lives in t until the
 * callback returns.  Returns 0, or -1 to fail the parse.
 */
typedef int json_list_cb(void *arg, enum json_list_event event,
    const struct json_tree *t, const struct json_node *node);

struct json_stream {
	json_read_cb		*read;
	void			*read_arg;
	const char *const	*lists;	/* member names; NULL ends them */
	json_list_cb		*list;
	void			*list_arg;
};

/*
 * Parses one JSON document read through s->read, with the checks and
 * results of json_tree_parse().  If the root is an object whose FIRST
 * member is an array named in s->lists, its elements are handed to
 * s->list one at a time, between a BEGIN and an END, each dropped
 * after its call: the tree returned holds that member as an empty
 * array, the other members in full.  A failed parse may come after
 * some elements were handed over.
 */
int json_tree_parse_stream(struct json_tree *t, const struct json_stream *s,
    char *error, size_t error_size);

const struct json_node *json_root(const struct json_tree *t);
/* First child of an array or object, or NULL. */
const struct json_node *json_child(const struct json_tree *t,
    const struct json_node *n);
const struct json_node *json_next(const struct json_tree *t,
    const struct json_node *n);
/* The member named key of object n, or NULL (also if n is NULL). */
const struct json_node *json_member(const struct json_tree *t,
    const struct json_node *n, const char *key);
/* n's member name, or NULL in an array. */
const char *json_key(const struct json_tree *t, const struct json_node *n);
/* The text of a string or number, or NULL for anything else. */
const char *json_text(const struct json_tree *t, const struct json_node *n);
/* A string's text, or NULL for anything else (NULL n included). */
const char *json_string(const struct json_tree *t, const struct json_node *n);
/* Returns 0 and the value of an integer that fits, else -1. */
int json_uint(const struct json_tree *t, const struct json_node *n,
    uint64_t *out);
int json_int(const struct json_tree *t, const struct json_node *n,
    int64_t *out);
/* True for the boolean true only. */
bool json_true(const struct json_node *n);
bool json_is(const struct json_node *n, enum json_type type);

#define JSON_FOREACH(tree, child, parent)				\
	for ((child) = json_child((tree), (parent)); (child) != NULL;	\
	    (child) = json_next((tree), (child)))

#endif /* FLATBGP_JSON_TREE_H */
