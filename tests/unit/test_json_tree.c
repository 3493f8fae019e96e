/*
 * test_json_tree.c - flatbgpctl's JSON parser (libyaml underneath):
 * everything json_writer writes comes back exactly (escapes, UTF-8,
 * integer limits, empty containers, deep nesting), and what is YAML
 * but not JSON is refused.
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

int
main(void)
{
	test_strings();
	test_document();
	test_interned_keys();
	test_refused();
	return tap_done();
}
