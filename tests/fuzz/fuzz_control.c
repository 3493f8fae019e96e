/*
 * fuzz_control.c - libFuzzer target for the control protocol's request
 * side: the request line splitter, the pattern matcher (exact, as the
 * daemon runs it, and with abbreviations, as flatbgpctl does) and the
 * handler table, plus the JSON writer and flatbgpctl's parser on what
 * they produce.
 *
 * Properties checked (abort on violation): every request, good or
 * bad, gets a complete JSON reply that flatbgpctl's parser reads as an
 * object; the input written as a JSON string parses back, and writing
 * what was read gives the same JSON again (escaping is stable).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_request.h"
#include "json_tree.h"
#include "json_writer.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
	CONTROL_SHOW_NEIGHBORS, CONTROL_SHOW_SUMMARY, CONTROL_SHOW_NEIGHBOR,
	CONTROL_SHOW_RIB, CONTROL_SHOW_FIB, CONTROL_SHOW_ORIGINATED,
	CONTROL_SHOW_MEMORY, CONTROL_CLEAR_NEIGHBOR, CONTROL_RELOAD,
};

/* Echoes the words; "clear" fails, to take the error path too. */
static int
echo_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	size_t i;

	if (strcmp(words[0], "clear") == 0) {
		snprintf(error, error_size, "no such neighbor: %s", words[2]);
		return -1;
	}
	json_writer_object_begin(out);
	json_writer_key(out, "words");
	json_writer_array_begin(out);
	for (i = 0; i < word_count; i++)
		json_writer_string(out, words[i]);
	json_writer_array_end(out);
	json_writer_object_end(out);
	return 0;
}

static void
check(bool condition, const char *what)
{
	if (!condition) {
		fprintf(stderr, "fuzz_control: %s\n", what);
		abort();
	}
}

/* The request through the daemon's table and the CLI's matcher. */
static void
fuzz_request(const struct control_table *table, const uint8_t *data,
    size_t size, struct json_writer *out)
{
	static struct control_request req;
	const char *expanded[CONTROL_MAX_WORDS];
	char error[CONTROL_ERROR_SIZE];
	struct json_tree tree;
	int found;

	if (control_request_parse(&req, (const char *)data, size, error,
	    sizeof(error)) == -1)
		control_write_error(out, error);
	else {
		control_table_call(table, &req, out);
		found = control_pattern_find(table->patterns, table->count,
		    req.words, req.word_count, true, expanded, error,
		    sizeof(error));
		check(found >= -1 && found < (int)table->count,
		    "pattern index out of range");
	}
	check(json_writer_done(out), "incomplete reply");
	check(json_tree_parse(&tree, out->data, out->len, error,
	    sizeof(error)) == 0, "reply does not parse");
	check(json_is(json_root(&tree), JSON_OBJECT), "reply not an object");
	json_tree_free(&tree);
}

/* Any bytes as a JSON string: parse back, and stable when rewritten. */
static void
fuzz_string(const uint8_t *data, size_t size, struct json_writer *out)
{
	struct json_writer again;
	struct json_tree tree;
	const struct json_node *s;
	char error[256];

	json_writer_reset(out);
	json_writer_string_len(out, (const char *)data, size);
	check(json_tree_parse(&tree, out->data, out->len, error,
	    sizeof(error)) == 0, "written string does not parse");
	s = json_root(&tree);
	check(json_is(s, JSON_STRING), "string read as something else");
	json_writer_init(&again, false);
	json_writer_string_len(&again, json_string(&tree, s), s->length);
	check(again.len == out->len && memcmp(again.data, out->data,
	    out->len) == 0, "escaping not stable");
	json_writer_free(&again);
	json_tree_free(&tree);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct control_table table;
	static bool ready;
	struct json_writer out;
	size_t i;

	if (!ready) {
		log_init(LOG_ERR, 0);
		control_table_init(&table);
		for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
			control_table_add(&table, patterns[i], echo_cb, NULL);
		ready = true;
	}
	json_writer_init(&out, false);
	fuzz_request(&table, data, size, &out);
	fuzz_string(data, size, &out);
	json_writer_free(&out);
	return 0;
}
