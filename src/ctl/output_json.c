/*
 * output_json.c - the -j back end: the daemon's reply re-emitted,
 * pretty-printed, through the same writer the daemon uses.
 *
 * Going through the tree rather than copying the bytes means -j
 * prints only what parsed as JSON, with stable layout, and numbers
 * exactly as the daemon wrote them.
 */
#include <stdio.h>

#include "json_tree.h"
#include "json_writer.h"
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
