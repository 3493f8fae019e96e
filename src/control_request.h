/*
 * control_request.h - control requests: words, command patterns and
 * the handler table.
 *
 * Pure code without sockets, shared by the daemon's control server
 * (exact words), flatbgpctl (unambiguous abbreviations, checked before
 * it connects) and the fuzzer.  The pattern syntax is described in
 * include/control_proto.h.
 */
#ifndef FLATBGP_CONTROL_REQUEST_H
#define FLATBGP_CONTROL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "control_proto.h"

struct json_writer;

/*
 * A handler writes one JSON document (an object) into out and returns
 * 0, or returns -1 with a message in error (the server then discards
 * out and replies {"error": message}).  words are the request's words
 * (literals in full); they and arg stay valid during the call.  A
 * handler with a long reply may return CONTROL_HANDLER_MORE once out
 * holds CONTROL_CHUNK_BYTES or more: it is called again with the same
 * words and writer (its position kept in out->resume) when the client
 * has taken the output, and must return -1 only on the first call.
 */
typedef int control_handler_cb(void *arg, const char *const *words,
    size_t word_count, struct json_writer *out, char *error,
    size_t error_size);

#define CONTROL_HANDLER_MORE	1
#define CONTROL_CHUNK_BYTES	(256 * 1024)
#define CONTROL_ERROR_SIZE	512

/* One request line split into words (no blanks, printable ASCII). */
struct control_request {
	char		 text[CONTROL_MAX_REQUEST + 1];
	const char	*words[CONTROL_MAX_WORDS];
	size_t		 word_count;
};

/*
 * Splits line (len bytes, a trailing "\n" or "\r\n" allowed) into
 * req.  Returns 0, or -1 with a message if the line is too long,
 * empty, holds a byte other than blanks and printable ASCII, or has
 * more than CONTROL_MAX_WORDS words.
 */
int control_request_parse(struct control_request *req, const char *line,
    size_t len, char *error, size_t error_size);

enum control_token_kind {
	CONTROL_TOKEN_LITERAL,
	CONTROL_TOKEN_ADDRESS,		/* ADDR */
	CONTROL_TOKEN_PREFIX,		/* PREFIX: a prefix or an address */
};

struct control_token {
	enum control_token_kind	 kind;
	bool			 optional;	/* [X] */
	const char		*literal;	/* the word, or "ADDR" */
};

struct control_pattern {
	char			*text;		/* as compiled */
	char			*words;		/* the tokens' strings */
	struct control_token	 tokens[CONTROL_MAX_WORDS];
	size_t			 token_count;
};

/* Compiles text into p; returns 0, or -1 if text is not a pattern. */
int control_pattern_compile(struct control_pattern *p, const char *text);
void control_pattern_free(struct control_pattern *p);

/*
 * Finds the one pattern of patterns[0..count) that words match and
 * returns its index, storing in expanded[] the words with each literal
 * given in full (the pattern's own string).  With abbreviate, a word
 * may be any prefix of a literal, and the match giving most literals
 * in full wins; two equally good matches are ambiguous.  Returns -1
 * with the most helpful message (unknown command, invalid address or
 * prefix, missing or unexpected word, ambiguity) in error.
 */
int control_pattern_find(const struct control_pattern *patterns,
    size_t count, const char *const *words, size_t word_count,
    bool abbreviate, const char **expanded, char *error, size_t error_size);

/* The daemon's table: patterns and their handlers. */
struct control_table {
	struct control_pattern	*patterns;
	struct control_handler {
		control_handler_cb	*cb;
		void			*arg;
	}			*handlers;
	size_t			 count;
};

void control_table_init(struct control_table *t);
void control_table_free(struct control_table *t);
/* Adds a handler; a malformed pattern is a programming error (fatal). */
void control_table_add(struct control_table *t, const char *pattern,
    control_handler_cb *cb, void *arg);
/*
 * Runs the handler for req into out.  Returns what the handler
 * returned, or -1 if no pattern matches; on -1 out holds the complete
 * error document {"error": message}.
 */
int control_table_call(const struct control_table *t,
    const struct control_request *req, struct json_writer *out);
/* Writes {"error": message} into out (reset first). */
void control_write_error(struct json_writer *out, const char *message);
/*
 * Writes {"error": message, "details": [details...]} into out (reset
 * first): for a handler reporting several lines (reload), which then
 * returns 0.
 */
void control_write_error_details(struct json_writer *out,
    const char *message, const char *const *details, size_t detail_count);

#endif /* FLATBGP_CONTROL_REQUEST_H */
