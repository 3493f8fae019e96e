/*
 * output.h - flatbgpctl's output back ends.
 *
 * The daemon sends typed records as JSON (doc/control.md); a back end
 * turns a parsed reply into what the user sees.  One back end per
 * format, one function per record type inside it (STYLE.md §6).
 * Error replies go to output_error() whatever the format.
 *
 * A list reply ({"routes": [...]}, {"fib": [...]}) of a full table is
 * rendered as it arrives instead: the parser (json_tree.h) hands its
 * elements over one at a time to the back end's list functions, which
 * keep only what the layout needs.
 */
#ifndef FLATBGP_CTL_OUTPUT_H
#define FLATBGP_CTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "json_tree.h"

/* Renders reply to out; returns 0, or -1 if writing to out failed. */
typedef int output_cb(FILE *out, const struct json_tree *reply);

/* Tables and key/value blocks for people. */
int output_text(FILE *out, const struct json_tree *reply);
/* The reply again, pretty-printed: stable, valid JSON. */
int output_json(FILE *out, const struct json_tree *reply);

/*
 * If reply is an error ({"error": ...}), prints "flatbgpctl: message"
 * and each of its "details" on a line of its own to out and returns
 * true; otherwise prints nothing and returns false.
 */
bool output_error(FILE *out, const struct json_tree *reply);

/* The reply members worth streaming (json_stream.lists). */
extern const char *const output_list_members[];

/*
 * A back end as a whole: the whole-reply renderer, and the same output
 * produced from a streamed list.  list_begin starts the list named
 * member (the first member of the reply) and returns the back end's
 * state; list_element renders one element; list_end, once the whole
 * reply is parsed, renders what is left of the list and the reply's
 * other members, and frees the state.  The last two return 0, or -1
 * if writing to out failed.
 */
struct output_format {
	output_cb	*reply;
	void		*(*list_begin)(FILE *out, const char *member);
	int		 (*list_element)(void *list, const struct json_tree *t,
			    const struct json_node *element);
	int		 (*list_end)(void *list, const struct json_tree *reply);
};

extern const struct output_format output_text_format;
extern const struct output_format output_json_format;

/* A format fed by a streamed parse (output.c). */
struct output_stream {
	const struct output_format	*format;
	FILE				*out;
	void				*list;	/* the format's, once begun */
};

void output_stream_init(struct output_stream *s,
    const struct output_format *format, FILE *out);
/*
 * The json_list_cb for json_stream.list, arg a struct output_stream.
 * Returns -1 if writing an element failed (errno says why).
 */
int output_list_cb(void *arg, enum json_list_event event,
    const struct json_tree *t, const struct json_node *node);
/*
 * After a successful parse: renders the reply, or the rest of it if a
 * list was streamed.  Returns 0, or -1 if writing failed.
 */
int output_stream_finish(struct output_stream *s,
    const struct json_tree *reply);

#endif /* FLATBGP_CTL_OUTPUT_H */
