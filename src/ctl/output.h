/*
 * output.h - flatbgpctl's output back ends.
 *
 * The daemon sends typed records as JSON (doc/control.md); a back end
 * turns a parsed reply into what the user sees.  One back end per
 * format, one function per record type inside it (STYLE.md §6).
 * Error replies go to output_error() whatever the format.
 */
#ifndef FLATBGP_CTL_OUTPUT_H
#define FLATBGP_CTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

struct json_tree;

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

#endif /* FLATBGP_CTL_OUTPUT_H */
