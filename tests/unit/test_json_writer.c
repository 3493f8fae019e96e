/*
 * test_json_writer.c - the streaming JSON writer: nesting and commas,
 * pretty layout, escaping (control characters, libyaml's unprintable
 * characters, invalid UTF-8), numbers at their limits, and misuse.
 */
#include <stdint.h>
#include <string.h>

#include "json_writer.h"
#include "tap.h"

/* Writes the string s (len bytes) as a lone document and returns it. */
static const char *
escaped(struct json_writer *w, const char *s, size_t len)
{
	json_writer_reset(w);
	json_writer_string_len(w, s, len);
	return w->data;
}

static void
test_escaping(void)
{
	struct json_writer w;

	json_writer_init(&w, false);
	is_str(escaped(&w, "plain", 5), "\"plain\"", "plain ASCII");
	is_str(escaped(&w, "", 0), "\"\"", "empty string");
	is_str(escaped(&w, "a\"b\\c", 5), "\"a\\\"b\\\\c\"",
	    "quote and backslash");
	is_str(escaped(&w, "\b\f\n\r\t", 5), "\"\\b\\f\\n\\r\\t\"",
	    "short escapes");
	is_str(escaped(&w, "\x01\x1f", 2), "\"\\u0001\\u001f\"",
	    "other control characters");
	is_str(escaped(&w, "a\0b", 3), "\"a\\u0000b\"", "NUL byte");
	is_str(escaped(&w, "\x7f", 1), "\"\\u007f\"", "DEL");
	is_str(escaped(&w, "/", 1), "\"/\"", "slash not escaped");
	is_str(escaped(&w, "caf\xc3\xa9", 5), "\"caf\xc3\xa9\"",
	    "two-byte UTF-8 passes through");
	is_str(escaped(&w, "\xe2\x82\xac", 3), "\"\xe2\x82\xac\"",
	    "three-byte UTF-8 passes through");
	is_str(escaped(&w, "\xf0\x9f\x98\x80", 4), "\"\xf0\x9f\x98\x80\"",
	    "four-byte UTF-8 passes through, no surrogates");
	is_str(escaped(&w, "\xc2\x85\xc2\x9f", 4), "\"\\u0085\\u009f\"",
	    "C1 controls escaped");
	is_str(escaped(&w, "\xe2\x80\xa8\xe2\x80\xa9", 6),
	    "\"\\u2028\\u2029\"", "line and paragraph separators escaped");
	is_str(escaped(&w, "\xef\xbb\xbf\xef\xbf\xbe", 6),
	    "\"\\ufeff\\ufffe\"", "BOM and U+FFFE escaped");
	is_str(escaped(&w, "a\xff" "b", 3), "\"a\xef\xbf\xbd" "b\"",
	    "invalid byte becomes U+FFFD");
	is_str(escaped(&w, "\xc0\xaf", 2), "\"\xef\xbf\xbd\xef\xbf\xbd\"",
	    "overlong form rejected byte by byte");
	is_str(escaped(&w, "\xed\xa0\x80", 3),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "encoded surrogate rejected");
	is_str(escaped(&w, "\xf4\x90\x80\x80", 4),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "above U+10FFFF rejected");
	is_str(escaped(&w, "x\xe2\x82", 3), "\"x\xef\xbf\xbd\xef\xbf\xbd\"",
	    "truncated sequence at the end");
	json_writer_free(&w);
}

static void
test_compact(void)
{
	struct json_writer w;

	json_writer_init(&w, false);
	json_writer_object_begin(&w);
	json_writer_member_string(&w, "address", "10.0.0.2");
	json_writer_member_uint(&w, "remote_as", 65002);
	json_writer_member_bool(&w, "dynamic", false);
	json_writer_member_null(&w, "last_error");
	json_writer_key(&w, "families");
	json_writer_array_begin(&w);
	json_writer_string(&w, "ipv4");
	json_writer_string(&w, "ipv6");
	json_writer_array_end(&w);
	json_writer_key(&w, "empty");
	json_writer_array_begin(&w);
	json_writer_array_begin(&w);
	json_writer_array_end(&w);
	json_writer_object_begin(&w);
	json_writer_object_end(&w);
	json_writer_array_end(&w);
	json_writer_member_string(&w, "none", NULL);
	json_writer_object_end(&w);
	is_str(w.data, "{\"address\":\"10.0.0.2\",\"remote_as\":65002,"
	    "\"dynamic\":false,\"last_error\":null,"
	    "\"families\":[\"ipv4\",\"ipv6\"],\"empty\":[[],{}],"
	    "\"none\":null}", "compact nesting and commas");
	ok(json_writer_done(&w), "document complete");
	is_int(w.len, strlen(w.data), "len matches the NUL-terminated text");
	json_writer_free(&w);
}

static void
test_pretty(void)
{
	struct json_writer w;

	json_writer_init(&w, true);
	json_writer_object_begin(&w);
	json_writer_key(&w, "routes");
	json_writer_array_begin(&w);
	json_writer_object_begin(&w);
	json_writer_member_string(&w, "prefix", "10.1.0.0/24");
	json_writer_key(&w, "paths");
	json_writer_array_begin(&w);
	json_writer_array_end(&w);
	json_writer_object_end(&w);
	json_writer_array_end(&w);
	json_writer_key(&w, "count");
	json_writer_int(&w, 1);
	json_writer_object_end(&w);
	is_str(w.data, "{\n  \"routes\": [\n    {\n"
	    "      \"prefix\": \"10.1.0.0/24\",\n      \"paths\": []\n"
	    "    }\n  ],\n  \"count\": 1\n}", "pretty layout");
	json_writer_reset(&w);
	json_writer_object_begin(&w);
	json_writer_object_end(&w);
	is_str(w.data, "{}", "pretty empty object stays on one line");
	json_writer_free(&w);
}

static void
test_numbers(void)
{
	struct json_writer w;

	json_writer_init(&w, false);
	json_writer_array_begin(&w);
	json_writer_int(&w, INT64_MIN);
	json_writer_int(&w, INT64_MAX);
	json_writer_uint(&w, UINT64_MAX);
	json_writer_uint(&w, 0);
	json_writer_int(&w, -1);
	json_writer_number_text(&w, "-2.5e+3", 7);
	json_writer_array_end(&w);
	is_str(w.data, "[-9223372036854775808,9223372036854775807,"
	    "18446744073709551615,0,-1,-2.5e+3]", "integer limits and text");
	ok(json_writer_done(&w), "numbers document complete");

	ok(json_number_valid("0", 1), "0 is a number");
	ok(json_number_valid("-0.5E-7", 7), "-0.5E-7 is a number");
	ok(!json_number_valid("01", 2), "leading zero refused");
	ok(!json_number_valid("1.", 2), "empty fraction refused");
	ok(!json_number_valid("+1", 2), "plus sign refused");
	ok(!json_number_valid("-", 1), "lone minus refused");
	ok(!json_number_valid("1e", 2), "empty exponent refused");
	ok(!json_number_valid("", 0), "empty text refused");
	ok(!json_number_valid("0x10", 4), "hex refused");
	ok(!json_number_valid(".5", 2), "no integer part refused");

	json_writer_reset(&w);
	json_writer_number_text(&w, "NaN", 3);
	ok(w.failed && w.len == 0, "invalid number text fails the writer");
	json_writer_free(&w);
}

static void
test_misuse(void)
{
	struct json_writer w;
	unsigned i;

	json_writer_init(&w, false);
	json_writer_object_begin(&w);
	json_writer_string(&w, "value without key");
	ok(w.failed, "value in an object without key fails");
	is_str(w.data, "{", "nothing written after the failure");

	json_writer_reset(&w);
	ok(!w.failed && w.len == 0 && w.depth == 0, "reset clears state");
	json_writer_array_begin(&w);
	json_writer_key(&w, "k");
	ok(w.failed, "key in an array fails");

	json_writer_reset(&w);
	json_writer_array_begin(&w);
	json_writer_object_end(&w);
	ok(w.failed, "mismatched end fails");

	json_writer_reset(&w);
	json_writer_object_end(&w);
	ok(w.failed, "end at depth 0 fails");

	json_writer_reset(&w);
	json_writer_object_begin(&w);
	json_writer_key(&w, "k");
	json_writer_object_end(&w);
	ok(w.failed, "end after a key without value fails");

	json_writer_reset(&w);
	json_writer_null(&w);
	json_writer_null(&w);
	ok(w.failed, "second top-level value fails");

	json_writer_reset(&w);
	json_writer_object_begin(&w);
	ok(!json_writer_done(&w), "open document is not done");

	json_writer_reset(&w);
	for (i = 0; i < JSON_WRITER_MAX_DEPTH; i++)
		json_writer_array_begin(&w);
	ok(!w.failed, "maximum depth accepted");
	json_writer_array_begin(&w);
	ok(w.failed, "one level deeper fails");
	json_writer_free(&w);
}

static void
test_streaming(void)
{
	struct json_writer w;

	json_writer_init(&w, false);
	json_writer_array_begin(&w);
	json_writer_int(&w, 1);
	json_writer_discard_output(&w);
	is_int(w.len, 0, "discard empties the output");
	json_writer_int(&w, 2);
	json_writer_array_end(&w);
	is_str(w.data, ",2]", "document goes on after a discard");
	ok(json_writer_done(&w), "done after the continued document");

	json_writer_reset(&w);
	json_writer_stringf(&w, "%s:%u", "65001", 100u);
	is_str(w.data, "\"65001:100\"", "stringf");
	json_writer_free(&w);
}

static void
test_long_strings(void)
{
	struct json_writer w;
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	json_writer_init(&w, false);
	json_writer_stringf(&w, "%s", big);
	is_int(w.len, sizeof(big) + 1, "stringf longer than its stack buffer");
	ok(w.data[0] == '"' && w.data[w.len - 1] == '"' &&
	    w.data[2500] == 'x', "long string content");
	json_writer_free(&w);
}

int
main(void)
{
	test_escaping();
	test_compact();
	test_pretty();
	test_numbers();
	test_misuse();
	test_streaming();
	test_long_strings();
	return tap_done();
}
