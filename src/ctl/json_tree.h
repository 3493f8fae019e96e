/*
 * json_tree.h - flatbgpctl's parsed reply: a JSON document as a tree.
 *
 * Parsed with libyaml (JSON is YAML 1.2 flow style) and checked to be
 * JSON and nothing more.  All nodes sit in one array and all text in
 * one arena, linked by index: no allocation per value, and member
 * names are stored once however many objects repeat them.  Numbers
 * keep their text, so -j re-emits 18446744073709551615 exactly; the
 * accessors convert on demand.
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
	char			*text;		/* NUL-terminated strings */
	size_t			 text_len;
	size_t			 text_cap;
	uint32_t		*key_slots;	/* interned member names */
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
