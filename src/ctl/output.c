/*
 * output.c - a back end driven by a streamed parse.
 *
 * The parser (json_tree.h) hands a long list over element by element;
 * output_list_cb() passes each to the format's list functions, and
 * output_stream_finish() renders, once the whole reply is parsed,
 * either the reply (nothing was streamed) or what is left of it.
 */
#include <stdio.h>

#include "json_tree.h"
#include "output.h"

/* Each needs a table in output_text.c (its renderers[]). */
const char *const output_list_members[] = { "routes", "fib", NULL };

void
output_stream_init(struct output_stream *s, const struct output_format *format,
    FILE *out)
{
	s->format = format;
	s->out = out;
	s->list = NULL;
}

int
output_list_cb(void *arg, enum json_list_event event,
    const struct json_tree *t, const struct json_node *node)
{
	struct output_stream *s = arg;

	if (event == JSON_LIST_BEGIN)
		s->list = s->format->list_begin(s->out, json_key(t, node));
	else if (event == JSON_LIST_ELEMENT)
		return s->format->list_element(s->list, t, node);
	return 0;
}

int
output_stream_finish(struct output_stream *s, const struct json_tree *reply)
{
	void *list = s->list;

	s->list = NULL;
	if (list == NULL)
		return s->format->reply(s->out, reply);
	return s->format->list_end(list, reply);
}
