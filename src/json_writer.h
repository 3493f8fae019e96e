/*
 * json_writer.h - a small streaming JSON (RFC 8259) writer.
 *
 * Values are appended to a growable buffer in document order; the
 * writer tracks nesting and commas itself, so a producer only says
 * what comes next.  Used by the daemon's control handlers (compact
 * output) and by flatbgpctl -j (pretty output).
 *
 * Strings are escaped so that the output is both strict JSON and
 * readable by libyaml, which flatbgpctl uses as its JSON parser:
 * control characters, DEL, the C1 range and the characters YAML takes
 * for line breaks or byte order marks become \uXXXX escapes, invalid
 * UTF-8 becomes U+FFFD, and every other UTF-8 sequence passes through
 * unchanged (never as a surrogate pair, which libyaml refuses).
 *
 * Misuse (a value where a key is due, unbalanced ends, nesting deeper
 * than JSON_WRITER_MAX_DEPTH, a malformed raw number) does not write
 * and sets "failed", checked once at the end like struct wbuf.
 * Allocation cannot fail (fatal on out-of-memory).
 */
#ifndef FLATBGP_JSON_WRITER_H
#define FLATBGP_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"	/* LOG_PRINTF */

#define JSON_WRITER_MAX_DEPTH	64

struct json_writer {
	char		*data;		/* the output, NUL-terminated */
	size_t		 len;
	size_t		 cap;
	bool		 pretty;	/* newlines and two-space indent */
	bool		 failed;	/* misuse seen: output is not valid */
	bool		 after_key;	/* a key was written, value due */
	bool		 complete;	/* the top-level value is finished */
	unsigned	 depth;		/* open containers */
	uint64_t	 in_object;	/* bit d: level d+1 is an object */
	uint64_t	 has_items;	/* bit d: level d+1 has an element */
	/*
	 * Opaque to the writer: a producer that writes one document over
	 * several calls (a control handler returning CONTROL_HANDLER_MORE)
	 * keeps its position here.  Zeroed by init and reset.
	 */
	union {
		uint64_t	 words[8];
		uint8_t		 bytes[64];
	} resume;
};

void json_writer_init(struct json_writer *w, bool pretty);
void json_writer_free(struct json_writer *w);
/* Starts a new document, keeping the buffer's memory. */
void json_writer_reset(struct json_writer *w);
/*
 * Forgets the bytes written so far (the caller has sent them) but
 * keeps the nesting state, so the document goes on where it stopped.
 */
void json_writer_discard_output(struct json_writer *w);
/* True when one whole value was written and nothing went wrong. */
bool json_writer_done(const struct json_writer *w);

void json_writer_object_begin(struct json_writer *w);
void json_writer_object_end(struct json_writer *w);
void json_writer_array_begin(struct json_writer *w);
void json_writer_array_end(struct json_writer *w);
/* The key of the next member; only inside an object. */
void json_writer_key(struct json_writer *w, const char *key);

void json_writer_string(struct json_writer *w, const char *s);
/* len bytes of s, which may hold NUL bytes (written as \u0000). */
void json_writer_string_len(struct json_writer *w, const char *s,
    size_t len);
void json_writer_stringf(struct json_writer *w, const char *fmt, ...)
    LOG_PRINTF(2, 3);
/* s, or null if s is NULL. */
void json_writer_string_or_null(struct json_writer *w, const char *s);
void json_writer_int(struct json_writer *w, int64_t v);
void json_writer_uint(struct json_writer *w, uint64_t v);
void json_writer_bool(struct json_writer *w, bool v);
void json_writer_null(struct json_writer *w);
/* A number given as text; fails the writer unless it is valid JSON. */
void json_writer_number_text(struct json_writer *w, const char *text,
    size_t len);

/* Key and value in one call, for the common object member. */
void json_writer_member_string(struct json_writer *w, const char *key,
    const char *s);
void json_writer_member_int(struct json_writer *w, const char *key,
    int64_t v);
void json_writer_member_uint(struct json_writer *w, const char *key,
    uint64_t v);
void json_writer_member_bool(struct json_writer *w, const char *key,
    bool v);
void json_writer_member_null(struct json_writer *w, const char *key);

/* True if text[0..len) is a number by the grammar of RFC 8259 §6. */
bool json_number_valid(const char *text, size_t len);

#endif /* FLATBGP_JSON_WRITER_H */
