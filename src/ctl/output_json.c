/*
 * output_json.c - the -j back end: the daemon's reply re-emitted,
 * pretty-printed, through the same writer the daemon uses.
 *
 * Going through the tree rather than copying the bytes means -j
 * prints only what parsed as JSON, with stable layout, and numbers
 * exactly as the daemon wrote them.  A streamed list goes through the
 * same writer element by element, its output written out and dropped
 * after each: the writer keeps only the nesting, so the document is
 * byte for byte the one the whole reply would give.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json_tree.h"
#include "json_writer.h"
#include "log.h"
#include "output.h"

static void
emit(struct json_writer *w, const struct json_tree *t,
    const struct json_node *n)
{
	const struct json_node *child;

	if (json_key(t, n) != NULL)
		json_writer_key(w, json_key(t, n));
	switch ((enum json_type)n->type) {
	case JSON_NULL:
		json_writer_null(w);
		break;
	case JSON_BOOL:
		json_writer_bool(w, json_true(n));
		break;
	case JSON_NUMBER:
		json_writer_number_text(w, json_text(t, n), n->length);
		break;
	case JSON_STRING:
		json_writer_string_len(w, json_text(t, n), n->length);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		if (n->type == JSON_ARRAY)
			json_writer_array_begin(w);
		else
			json_writer_object_begin(w);
		JSON_FOREACH(t, child, n)
			emit(w, t, child);
		if (n->type == JSON_ARRAY)
			json_writer_array_end(w);
		else
			json_writer_object_end(w);
		break;
	}
}

int
output_json(FILE *out, const struct json_tree *reply)
{
	struct json_writer w;
	int rc = 0;

	if (json_root(reply) == NULL)
		return 0;
	json_writer_init(&w, true);
	emit(&w, reply, json_root(reply));
	if (!json_writer_done(&w) || fwrite(w.data, 1, w.len, out) != w.len ||
	    fputc('\n', out) == EOF)
		rc = -1;
	json_writer_free(&w);
	return rc;
}

/* The streamed list's state: the writer with the open document. */
struct json_stream_output {
	FILE			*out;
	struct json_writer	 writer;
};

/* Writes out what the writer holds and forgets it; -1 on failure. */
static int
json_stream_flush(struct json_stream_output *st)
{
	struct json_writer *w = &st->writer;
	int rc = 0;

	if (w->failed || fwrite(w->data, 1, w->len, st->out) != w->len)
		rc = -1;
	json_writer_discard_output(w);
	return rc;
}

static void *
json_stream_begin(FILE *out, const char *member)
{
	struct json_stream_output *st = xmalloc(sizeof(*st));

	st->out = out;
	json_writer_init(&st->writer, true);
	json_writer_object_begin(&st->writer);
	json_writer_key(&st->writer, member);
	json_writer_array_begin(&st->writer);
	return st;
}

static int
json_stream_element(void *arg, const struct json_tree *t,
    const struct json_node *element)
{
	struct json_stream_output *st = arg;

	emit(&st->writer, t, element);
	return json_stream_flush(st);
}

/* Closes the list, adds the members after it, closes the document. */
static int
json_stream_end(void *arg, const struct json_tree *reply)
{
	struct json_stream_output *st = arg;
	struct json_writer *w = &st->writer;
	const struct json_node *m;
	int rc;

	json_writer_array_end(w);
	for (m = json_next(reply, json_child(reply, json_root(reply)));
	    m != NULL; m = json_next(reply, m))
		emit(w, reply, m);
	json_writer_object_end(w);
	rc = !json_writer_done(w) || json_stream_flush(st) == -1 ||
	    fputc('\n', st->out) == EOF ? -1 : 0;
	json_writer_free(w);
	free(st);
	return rc;
}

const struct output_format output_json_format = {
	output_json, json_stream_begin, json_stream_element, json_stream_end,
};
