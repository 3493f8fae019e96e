/*
 * test_codec_util.h - helpers shared by the codec tests: hex strings to
 * bytes, UPDATE bodies from hex fragments, session contexts.
 *
 * Message bytes are written in the tests as hex with free spacing, so a
 * vector reads like the RFC figure it comes from.
 */
#ifndef FLATBGP_TEST_CODEC_UTIL_H
#define FLATBGP_TEST_CODEC_UTIL_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"

static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex digits to bytes, skipping anything else; returns the byte count. */
static inline size_t
hex_to_bytes(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int high = -1, d;

	for (; s != NULL && *s != '\0'; s++) {
		if ((d = hex_digit((unsigned char)*s)) < 0)
			continue;
		if (high < 0) {
			high = d;
			continue;
		}
		if (n < cap)
			out[n] = (uint8_t)(high << 4 | d);
		n++;
		high = -1;
	}
	return n;
}

/* True if len bytes at data equal the hex string. */
static inline bool
bytes_equal_hex(const uint8_t *data, size_t len, const char *hex)
{
	uint8_t want[BGP_MAX_MSG_LEN * 2];
	size_t n = hex_to_bytes(hex, want, sizeof(want));

	return n == len && (len == 0 || memcmp(data, want, len) == 0);
}

/* Body of an UPDATE from the three hex parts (lengths computed). */
static inline size_t
update_body(uint8_t *out, size_t cap, const char *withdrawn,
    const char *attrs, const char *nlri)
{
	uint8_t part[BGP_MAX_MSG_LEN * 2];
	struct wbuf w;
	size_t n;

	wbuf_init(&w, out, cap);
	n = hex_to_bytes(withdrawn, part, sizeof(part));
	wbuf_put_u16(&w, (uint16_t)n);
	wbuf_put_bytes(&w, part, n);
	n = hex_to_bytes(attrs, part, sizeof(part));
	wbuf_put_u16(&w, (uint16_t)n);
	wbuf_put_bytes(&w, part, n);
	n = hex_to_bytes(nlri, part, sizeof(part));
	wbuf_put_bytes(&w, part, n);
	return w.len;
}

static inline struct bgp_codec_ctx
codec_ctx(bool as4, bool ibgp)
{
	struct bgp_codec_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = as4;
	ctx.ibgp = ibgp;
	ctx.ipv4 = true;
	ctx.ipv6 = true;
	ctx.extended_next_hop_ipv4 = true;
	ctx.local_as = 65000;
	return ctx;
}

/* The message body outlives the call: the update points into it. */
static uint8_t test_update_body[BGP_MAX_MSG_LEN * 2];

static inline int
parse_update_hex(const char *withdrawn, const char *attrs, const char *nlri,
    const struct bgp_codec_ctx *ctx, struct bgp_update *u,
    struct bgp_error *err)
{
	size_t len = update_body(test_update_body, sizeof(test_update_body),
	    withdrawn, attrs, nlri);

	return bgp_msg_parse_update(test_update_body, len, ctx, u, err);
}

/* Prefixes of a block as "a/b c/d" into buf. */
static inline const char *
nlri_text(struct nlri_block block, char *buf, size_t size)
{
	struct prefix p;
	char text[PREFIX_STRLEN];
	size_t used = 0;

	buf[0] = '\0';
	while (nlri_next(&block, &p) && used < size) {
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		    used ? " " : "", prefix_format(&p, text, sizeof(text)));
	}
	return buf;
}

#endif /* FLATBGP_TEST_CODEC_UTIL_H */
