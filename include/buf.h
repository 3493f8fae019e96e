/*
 * buf.h - bounds-checked byte cursor and writer for wire formats.
 *
 * Every read of peer-supplied bytes goes through a struct cursor: each
 * accessor checks the remaining length first and returns -1 on a short
 * read without moving, so a parser never indexes a raw buffer with a
 * length taken from the wire.  The writer (struct wbuf) is the mirror
 * image for encoders: writes past the capacity set an overflow flag
 * instead of writing, and the caller checks the flag once at the end.
 *
 * Header-only: everything is static inline, so the codec, the CLI and
 * the tests share one implementation without link dependencies.
 */
#ifndef FLATBGP_BUF_H
#define FLATBGP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t	*pos;
	const uint8_t	*end;
};

/* data may be NULL when len is 0 (NULL + 0 is undefined in C). */
static inline void
cursor_init(struct cursor *c, const void *data, size_t len)
{
	c->pos = data;
	c->end = len > 0 ? c->pos + len : c->pos;
}

static inline size_t
cursor_left(const struct cursor *c)
{
	return (size_t)(c->end - c->pos);
}

static inline int
cursor_get_u8(struct cursor *c, uint8_t *out)
{
	if (cursor_left(c) < 1)
		return -1;
	*out = *c->pos++;
	return 0;
}

static inline int
cursor_get_u16(struct cursor *c, uint16_t *out)
{
	if (cursor_left(c) < 2)
		return -1;
	*out = (uint16_t)(c->pos[0] << 8 | c->pos[1]);
	c->pos += 2;
	return 0;
}

static inline int
cursor_get_u32(struct cursor *c, uint32_t *out)
{
	if (cursor_left(c) < 4)
		return -1;
	*out = (uint32_t)c->pos[0] << 24 | (uint32_t)c->pos[1] << 16 |
	    (uint32_t)c->pos[2] << 8 | (uint32_t)c->pos[3];
	c->pos += 4;
	return 0;
}

static inline int
cursor_get_bytes(struct cursor *c, void *out, size_t len)
{
	if (cursor_left(c) < len)
		return -1;
	memcpy(out, c->pos, len);
	c->pos += len;
	return 0;
}

/* Splits the next len bytes off into *sub and advances past them. */
static inline int
cursor_get_sub(struct cursor *c, size_t len, struct cursor *sub)
{
	if (cursor_left(c) < len)
		return -1;
	sub->pos = c->pos;
	sub->end = c->pos + len;
	c->pos += len;
	return 0;
}

static inline int
cursor_skip(struct cursor *c, size_t len)
{
	if (cursor_left(c) < len)
		return -1;
	c->pos += len;
	return 0;
}

struct wbuf {
	uint8_t	*data;
	size_t	 len;
	size_t	 cap;
	bool	 overflow;
};

static inline void
wbuf_init(struct wbuf *w, void *data, size_t cap)
{
	w->data = data;
	w->len = 0;
	w->cap = cap;
	w->overflow = false;
}

static inline size_t
wbuf_room(const struct wbuf *w)
{
	return w->overflow ? 0 : w->cap - w->len;
}

static inline void
wbuf_put_bytes(struct wbuf *w, const void *src, size_t len)
{
	if (w->overflow || w->cap - w->len < len) {
		w->overflow = true;
		return;
	}
	if (len > 0)
		memcpy(w->data + w->len, src, len);
	w->len += len;
}

static inline void
wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	wbuf_put_bytes(w, &v, 1);
}

static inline void
wbuf_put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wbuf_put_bytes(w, b, 2);
}

static inline void
wbuf_put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	wbuf_put_bytes(w, b, 4);
}

/* Overwrites a 16-bit big-endian value at offset (for length fields). */
static inline void
wbuf_patch_u16(struct wbuf *w, size_t offset, uint16_t v)
{
	if (w->overflow || offset + 2 > w->len)
		return;
	w->data[offset] = (uint8_t)(v >> 8);
	w->data[offset + 1] = (uint8_t)v;
}

#endif /* FLATBGP_BUF_H */
