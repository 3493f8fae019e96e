/*
 * test_json_tree.c - flatbgpctl's JSON parser (libyaml underneath):
 * everything json_writer writes comes back exactly (escapes, UTF-8,
 * integer limits, empty containers, deep nesting), and what is YAML
 * but not JSON is refused.  The streamed parse: a list handed over
 * element by element and dropped (memory stays at one element), only
 * when it is the root's first member of a listed name; the rest of the
 * reply kept; a consumer or a reader that gives up fails the parse.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json_tree.h"
#include "json_writer.h"
#include "tap.h"

/* Writes s with json_writer, parses it back, returns the string read. */
static const char *
round_trip(struct json_tree *t, const char *s, size_t len)
{
	struct json_writer w;
	char error[256];
	const char *result = "(parse failed)";

	json_writer_init(&w, false);
	json_writer_array_begin(&w);
	json_writer_string_len(&w, s, len);
	json_writer_array_end(&w);
	json_tree_free(t);
	if (json_tree_parse(t, w.data, w.len, error, sizeof(error)) == 0)
		result = json_string(t, json_child(t, json_root(t)));
	else
		tap_diag("%s: %s", w.data, error);
	json_writer_free(&w);
	return result;
}

static void
test_strings(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*out;
		const char	*name;
	} cases[] = {
		{ "plain", 5, "plain", "ASCII" },
		{ "q\"b\\s/", 6, "q\"b\\s/", "quote, backslash, slash" },
		{ "\b\f\n\r\t", 5, "\b\f\n\r\t", "short escapes" },
		{ "\x01\x1f\x7f", 3, "\x01\x1f\x7f", "controls and DEL" },
		{ "caf\xc3\xa9 \xe2\x82\xac", 9, "caf\xc3\xa9 \xe2\x82\xac",
		  "two- and three-byte UTF-8" },
		{ "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80",
		  "four-byte UTF-8 (beyond U+FFFF)" },
		{ "\xc2\x85\xc2\x9f\xc2\xa0", 6, "\xc2\x85\xc2\x9f\xc2\xa0",
		  "C1 controls and NBSP" },
		{ "a\xe2\x80\xa8" "b\xe2\x80\xa9", 8,
		  "a\xe2\x80\xa8" "b\xe2\x80\xa9", "YAML line breaks" },
		{ "\xef\xbb\xbf\xef\xbf\xbe\xef\xbf\xbf", 9,
		  "\xef\xbb\xbf\xef\xbf\xbe\xef\xbf\xbf", "BOM, U+FFFE/FFFF" },
		{ "x\xff", 2, "x\xef\xbf\xbd", "invalid UTF-8 as U+FFFD" },
		{ "", 0, "", "empty string" },
		{ "  lead and trail  ", 18, "  lead and trail  ",
		  "blanks kept" },
		{ "#not: a comment", 15, "#not: a comment", "YAML indicators" },
	};
	struct json_tree t;
	size_t i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(round_trip(&t, cases[i].in, cases[i].len), cases[i].out,
		    cases[i].name);
	ok(round_trip(&t, "a\0b", 3) != NULL && t.nodes[1].length == 3 &&
	    memcmp(json_string(&t, &t.nodes[1]), "a\0b", 3) == 0,
	    "NUL byte inside a string kept with its length");
	json_tree_free(&t);
}

static void
test_document(void)
{
	struct json_writer w;
	struct json_tree t;
	const struct json_node *root, *n, *child;
	char error[256];
	uint64_t u;
	int64_t i;
	int count = 0;

	json_writer_init(&w, true);
	json_writer_object_begin(&w);
	json_writer_member_uint(&w, "max", UINT64_MAX);
	json_writer_member_int(&w, "min", INT64_MIN);
	json_writer_member_bool(&w, "yes", true);
	json_writer_member_bool(&w, "no", false);
	json_writer_member_null(&w, "nothing");
	json_writer_key(&w, "nested");
	json_writer_array_begin(&w);
	json_writer_array_begin(&w);
	json_writer_array_end(&w);
	json_writer_array_begin(&w);
	json_writer_array_begin(&w);
	json_writer_array_end(&w);
	json_writer_array_end(&w);
	json_writer_object_begin(&w);
	json_writer_object_end(&w);
	json_writer_array_end(&w);
	json_writer_key(&w, "float");
	json_writer_number_text(&w, "-1.5e-3", 7);
	json_writer_object_end(&w);

	ok(json_tree_parse(&t, w.data, w.len, error, sizeof(error)) == 0,
	    "pretty document parses");
	root = json_root(&t);
	ok(json_is(root, JSON_OBJECT) && root->length == 7,
	    "root object with 7 members");
	ok(json_uint(&t, json_member(&t, root, "max"), &u) == 0 &&
	    u == UINT64_MAX, "UINT64_MAX exact");
	ok(json_int(&t, json_member(&t, root, "min"), &i) == 0 &&
	    i == INT64_MIN, "INT64_MIN exact");
	ok(json_uint(&t, json_member(&t, root, "min"), &u) == -1,
	    "negative number is no uint");
	ok(json_true(json_member(&t, root, "yes")) &&
	    json_is(json_member(&t, root, "no"), JSON_BOOL) &&
	    !json_true(json_member(&t, root, "no")), "booleans");
	ok(json_is(json_member(&t, root, "nothing"), JSON_NULL), "null");
	ok(json_member(&t, root, "absent") == NULL, "absent member is NULL");
	n = json_member(&t, root, "nested");
	JSON_FOREACH(&t, child, n)
		count++;
	ok(count == 3 && json_child(&t, json_child(&t, n)) == NULL,
	    "nested empty arrays");
	child = json_next(&t, json_child(&t, n));
	ok(json_is(json_child(&t, child), JSON_ARRAY) &&
	    json_child(&t, json_child(&t, child)) == NULL, "[[]] inside");
	n = json_member(&t, root, "float");
	is_str(json_text(&t, n), "-1.5e-3", "non-integer keeps its text");
	ok(json_int(&t, n, &i) == -1, "non-integer is no int");
	is_str(json_key(&t, n), "float", "member name");
	ok(json_string(&t, n) == NULL, "a number is no string");
	json_tree_free(&t);

	ok(json_tree_parse(&t, "18446744073709551616", 20, error,
	    sizeof(error)) == 0 && json_uint(&t, json_root(&t), &u) == -1 &&
	    strcmp(json_text(&t, json_root(&t)), "18446744073709551616") == 0,
	    "beyond UINT64_MAX: no uint, text kept");
	json_tree_free(&t);
	json_writer_free(&w);
}

static void
test_interned_keys(void)
{
	struct json_writer w;
	struct json_tree t;
	char error[256];
	int i;

	json_writer_init(&w, false);
	json_writer_array_begin(&w);
	for (i = 0; i < 1000; i++) {
		json_writer_object_begin(&w);
		json_writer_member_int(&w, "prefix", i);
		json_writer_member_int(&w, "next_hop", i);
		json_writer_object_end(&w);
	}
	json_writer_array_end(&w);
	ok(json_tree_parse(&t, w.data, w.len, error, sizeof(error)) == 0,
	    "1000 objects parse");
	is_int(t.key_count, 2, "member names stored once");
	is_int(t.node_count, 3001, "one node per value");
	json_tree_free(&t);
	json_writer_free(&w);
}

static void
test_refused(void)
{
	static const struct {
		const char	*text;
		const char	*name;
	} bad[] = {
		{ "", "empty input" },
		{ "{\"a\": 1} {\"b\": 2}", "two values" },
		{ "{\"a\": 1}x", "trailing garbage" },
		{ "{'a': 1}", "single quotes" },
		{ "{a: 1}", "bare member name" },
		{ "[yes]", "YAML boolean" },
		{ "[01]", "leading zero" },
		{ "[.5]", "YAML float" },
		{ "&x [1]", "anchor" },
		{ "[&x 1, *x]", "alias" },
		{ "!!str \"a\"", "tag" },
		{ "- 1\n- 2\n", "block list" },
		{ "\"a\": 1", "block mapping" },
		{ "[\"a\": 1]", "single-pair mapping" },
		{ "--- {}", "document marker" },
		{ "{\"a\": }", "missing value" },
		{ "{[1]: 2}", "list as member name" },
		{ "{\"a\"", "unterminated" },
		{ "[\"\\ud83d\\ude00\"]", "surrogate escape (libyaml)" },
		{ "{\"a\\u0000b\": 1}", "NUL in a member name" },
	};
	struct json_tree t;
	char error[256], deep[200];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error[0] = '\0';
		ok(json_tree_parse(&t, bad[i].text, strlen(bad[i].text), error,
		    sizeof(error)) == -1 && strncmp(error, "line ", 5) == 0 &&
		    t.nodes == NULL, "refused: %s (%s)", bad[i].name, error);
	}
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	ok(json_tree_parse(&t, deep, 130, error, sizeof(error)) == -1 &&
	    strstr(error, "nested too deeply") != NULL, "65 levels refused");
	ok(json_tree_parse(&t, deep + 1, 128, error, sizeof(error)) == 0,
	    "64 levels accepted");
	json_tree_free(&t);
}

/* A streamed parse over a string, read a few bytes at a time. */
struct stream_test {
	const char	*input;
	size_t		 offset;
	size_t		 chunk;		/* bytes per read */
	bool		 read_fails;	/* at the end of the input */
	int		 fail_at;	/* element that fails, or -1 */
	char		 log[512];	/* what the list callback saw */
	size_t		 elements;
	size_t		 most_nodes;	/* in the tree, at any element */
	size_t		 most_text;	/* text arena capacity, likewise */
};

static int
stream_read_cb(void *arg, unsigned char *buffer, size_t size, size_t *got)
{
	struct stream_test *st = arg;
	size_t left = strlen(st->input) - st->offset;

	if (left == 0 && st->read_fails)
		return -1;
	*got = left < st->chunk ? left : st->chunk;
	if (*got > size)
		*got = size;
	memcpy(buffer, st->input + st->offset, *got);
	st->offset += *got;
	return 0;
}

static void
log_add(struct stream_test *st, const char *what)
{
	size_t len = strlen(st->log);

	snprintf(st->log + len, sizeof(st->log) - len, "%s%s",
	    len > 0 ? " " : "", what);
}

/* Logs "begin:KEY", each element (a scalar's text, an object's first
 * member name or an array as "[N]") and "end:KEY". */
static int
stream_list_cb(void *arg, enum json_list_event event,
    const struct json_tree *t, const struct json_node *node)
{
	struct stream_test *st = arg;
	char what[128];
	const struct json_node *first = json_child(t, node);

	if (event == JSON_LIST_BEGIN || event == JSON_LIST_END) {
		snprintf(what, sizeof(what), "%s:%s", event == JSON_LIST_BEGIN ?
		    "begin" : "end", json_key(t, node));
		log_add(st, what);
		return 0;
	}
	if ((int)st->elements++ == st->fail_at)
		return -1;
	if (t->node_count > st->most_nodes)
		st->most_nodes = t->node_count;
	if (t->text_cap > st->most_text)
		st->most_text = t->text_cap;
	if (json_is(node, JSON_OBJECT))
		snprintf(what, sizeof(what), "{%s=%s}", first ?
		    json_key(t, first) : "", first && json_text(t, first) ?
		    json_text(t, first) : "");
	else if (json_is(node, JSON_ARRAY))
		snprintf(what, sizeof(what), "[%u]", node->length);
	else
		snprintf(what, sizeof(what), "%s", json_text(t, node) ?
		    json_text(t, node) : json_true(node) ? "true" : "null");
	log_add(st, what);
	return 0;
}

/* Parses input streamed; returns parse's result, the log in st. */
static int
stream_parse(struct stream_test *st, struct json_tree *t, const char *input,
    char *error, size_t error_size)
{
	static const char *const lists[] = { "routes", "fib", NULL };
	struct json_stream stream = { stream_read_cb, st, lists,
	    stream_list_cb, st };

	st->input = input;
	st->offset = 0;
	st->log[0] = '\0';
	st->elements = 0;
	st->most_nodes = 0;
	st->most_text = 0;
	if (st->chunk == 0)
		st->chunk = 3;
	return json_tree_parse_stream(t, &stream, error, error_size);
}

static void
test_stream_cases(void)
{
	static const struct {
		const char	*input;
		const char	*log;
		const char	*name;
	} cases[] = {
		{ "{\"routes\": [{\"prefix\": \"a\", \"n\": 1}, 2, \"s\", "
		  "[3, 4], null, {\"prefix\": \"b\"}], \"after\": 1}",
		  "begin:routes {prefix=a} 2 s [2] null {prefix=b} "
		  "end:routes",
		  "elements one by one, any type" },
		{ "{\"fib\": []}", "begin:fib end:fib", "empty list" },
		{ "{\"x\": 1, \"routes\": [1]}", "", "not the first member" },
		{ "{\"routes\": {\"a\": [1]}}", "", "not an array" },
		{ "{\"neighbors\": [1]}", "", "a name not listed" },
		{ "[{\"routes\": [1]}]", "", "not in the root object" },
		{ "{\"error\": \"no\"}", "", "an error reply" },
	};
	struct stream_test st;
	struct json_tree t;
	char error[256];
	size_t i;

	memset(&st, 0, sizeof(st));
	st.fail_at = -1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok(stream_parse(&st, &t, cases[i].input, error,
		    sizeof(error)) == 0, "streamed: %s: parses", cases[i].name);
		is_str(st.log, cases[i].log, cases[i].name);
		json_tree_free(&t);
	}
}

static void
test_stream_rest(void)
{
	struct stream_test st;
	struct json_tree t;
	const struct json_node *root, *routes;
	char error[256];

	memset(&st, 0, sizeof(st));
	st.fail_at = -1;
	ok(stream_parse(&st, &t, "{\"routes\": [{\"k1\": \"one\"}, {\"k2\": "
	    "\"two\"}], \"k2\": \"after\", \"k3\": [true]}", error,
	    sizeof(error)) == 0, "streamed list with members after it");
	root = json_root(&t);
	routes = json_member(&t, root, "routes");
	ok(json_is(routes, JSON_ARRAY) && routes->length == 0 &&
	    json_child(&t, routes) == NULL, "the list is left empty");
	is_str(json_string(&t, json_member(&t, root, "k2")), "after",
	    "a member named first inside an element keeps its name");
	ok(root->length == 3 && json_true(json_child(&t,
	    json_member(&t, root, "k3"))), "members after the list kept");
	is_str(st.log, "begin:routes {k1=one} {k2=two} end:routes",
	    "elements seen");
	json_tree_free(&t);
}

static void
test_stream_bounded(void)
{
	struct json_writer w;
	struct stream_test st;
	struct json_tree t;
	char error[256];
	int i;

	json_writer_init(&w, false);
	json_writer_object_begin(&w);
	json_writer_key(&w, "routes");
	json_writer_array_begin(&w);
	for (i = 0; i < 20000; i++) {
		json_writer_object_begin(&w);
		json_writer_member_string(&w, "prefix", "192.0.2.0/24");
		json_writer_member_int(&w, "number", i);
		json_writer_object_end(&w);
	}
	json_writer_array_end(&w);
	json_writer_object_end(&w);
	memset(&st, 0, sizeof(st));
	st.fail_at = -1;
	st.chunk = 1000;
	ok(stream_parse(&st, &t, w.data, error, sizeof(error)) == 0 &&
	    st.elements == 20000, "20000 elements handed over");
	is_int(st.most_nodes, 5, "the tree holds one element at a time");
	ok(st.most_text <= 4096, "value text stays in the first 4 KiB "
	    "(%zu bytes of input)", w.len);
	json_tree_free(&t);
	json_writer_free(&w);
}

static void
test_stream_failures(void)
{
	struct stream_test st;
	struct json_tree t;
	char error[256];

	memset(&st, 0, sizeof(st));
	st.fail_at = 1;
	ok(stream_parse(&st, &t, "{\"fib\": [1, 2, 3]}", error,
	    sizeof(error)) == -1 && t.nodes == NULL && st.elements == 2,
	    "a consumer that gives up stops the parse (%s)", error);
	st.fail_at = -1;
	st.read_fails = true;
	ok(stream_parse(&st, &t, "{\"fib\": [1, 2", error,
	    sizeof(error)) == -1 && t.nodes == NULL,
	    "a reader that gives up fails the parse (%s)", error);
	st.read_fails = false;
	ok(stream_parse(&st, &t, "{\"fib\": [1, 2, x]}", error,
	    sizeof(error)) == -1 && strcmp(st.log, "begin:fib 1 2") == 0 &&
	    strstr(error, "not a JSON value") != NULL,
	    "malformed in the middle: the elements before were handed over");
	ok(stream_parse(&st, &t, "{\"fib\": [1]} [2]", error,
	    sizeof(error)) == -1 && strstr(error, "trailing") != NULL,
	    "trailing data after a streamed reply refused");
}

int
main(void)
{
	test_strings();
	test_document();
	test_interned_keys();
	test_refused();
	test_stream_cases();
	test_stream_rest();
	test_stream_bounded();
	test_stream_failures();
	return tap_done();
}
