/*
 * as_path.c - AS path helpers and the 2-octet/4-octet conversions.
 *
 * Inside flatbgp an AS path is always the RFC 4271 §4.3 segment list with
 * 4-octet ASNs: type (1 byte), count (1 byte), count * 4 bytes.  Sessions
 * without the 4-octet AS capability carry 2-octet ASNs plus AS4_PATH; the
 * functions at the end of this file widen, merge (RFC 6793 §4.2.3) and
 * narrow (RFC 6793 §4.2.2) between the two.
 *
 * Every walker goes through a struct cursor and stops at the first
 * truncated segment, so the helpers are safe on any input; the codec
 * validates paths with as_path_validate() before it stores them.
 */
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"

#define AS_SEGMENT_HEADER_LEN	2
#define AS_SEGMENT_MAX_COUNT	255

/* One segment as the walkers see it; asns points at count * 4 bytes. */
struct as_segment {
	uint8_t		 type;
	uint8_t		 count;
	const uint8_t	*asns;
};

/* Next segment of a 4-octet path; false at the end or on truncation. */
static bool
as_segment_next(struct cursor *c, unsigned as_size, struct as_segment *seg)
{
	struct cursor body;

	if (cursor_get_u8(c, &seg->type) == -1 ||
	    cursor_get_u8(c, &seg->count) == -1 ||
	    cursor_get_sub(c, (size_t)seg->count * as_size, &body) == -1)
		return false;
	seg->asns = body.pos;
	return true;
}

static uint32_t
as_segment_asn(const struct as_segment *seg, unsigned i)
{
	const uint8_t *p = seg->asns + (size_t)i * 4;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static bool
as_segment_is_confed(uint8_t type)
{
	return type == BGP_AS_CONFED_SEQUENCE || type == BGP_AS_CONFED_SET;
}

/* RFC 4271 §9.1.2.2: an AS_SET counts 1; RFC 5065 §5.3: confed 0. */
static unsigned
as_segment_weight(const struct as_segment *seg)
{
	switch (seg->type) {
	case BGP_AS_SEQUENCE:
		return seg->count;
	case BGP_AS_SET:
		return 1;
	default:
		return 0;
	}
}

unsigned
as_path_length(const uint8_t *path, size_t len)
{
	struct cursor c;
	struct as_segment seg;
	unsigned total = 0;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg))
		total += as_segment_weight(&seg);
	return total;
}

bool
as_path_contains(const uint8_t *path, size_t len, uint32_t asn)
{
	struct cursor c;
	struct as_segment seg;
	unsigned i;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg))
		for (i = 0; i < seg.count; i++)
			if (as_segment_asn(&seg, i) == asn)
				return true;
	return false;
}

/*
 * The neighbor AS of RFC 4271 §9.1.2.2 (c): the first AS of the path when
 * the path (confederation segments aside) starts with an AS_SEQUENCE.
 */
uint32_t
as_path_first(const uint8_t *path, size_t len)
{
	struct cursor c;
	struct as_segment seg;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg)) {
		if (as_segment_is_confed(seg.type))
			continue;
		if (seg.type == BGP_AS_SEQUENCE && seg.count > 0)
			return as_segment_asn(&seg, 0);
		return 0;
	}
	return 0;
}

size_t
as_path_prepend(const uint8_t *path, size_t len, uint32_t asn,
    uint8_t *out, size_t cap)
{
	struct wbuf w;
	bool join = len >= AS_SEGMENT_HEADER_LEN &&
	    path[0] == BGP_AS_SEQUENCE && path[1] < AS_SEGMENT_MAX_COUNT;

	wbuf_init(&w, out, cap);
	if (join) {
		/* Grow the leading AS_SEQUENCE by one. */
		wbuf_put_u8(&w, BGP_AS_SEQUENCE);
		wbuf_put_u8(&w, (uint8_t)(path[1] + 1));
		wbuf_put_u32(&w, asn);
		wbuf_put_bytes(&w, path + AS_SEGMENT_HEADER_LEN,
		    len - AS_SEGMENT_HEADER_LEN);
	} else {
		wbuf_put_u8(&w, BGP_AS_SEQUENCE);
		wbuf_put_u8(&w, 1);
		wbuf_put_u32(&w, asn);
		wbuf_put_bytes(&w, path, len);
	}
	return w.overflow ? 0 : w.len;
}

/* Delimiters per segment type: open, separator, close. */
static const char *const as_segment_punctuation[][3] = {
	[BGP_AS_SET] = { "{", ",", "}" },
	[BGP_AS_SEQUENCE] = { "", " ", "" },
	[BGP_AS_CONFED_SEQUENCE] = { "(", " ", ")" },
	[BGP_AS_CONFED_SET] = { "[", " ", "]" },
};

/* Appends to buf at *used, never past size; keeps buf terminated. */
static void
format_append(char *buf, size_t size, size_t *used, const char *fmt,
    const char *text, uint32_t number)
{
	int n;

	if (*used >= size)
		return;
	if (text != NULL)
		n = snprintf(buf + *used, size - *used, "%s", text);
	else
		n = snprintf(buf + *used, size - *used, fmt, number);
	if (n > 0)
		*used += (size_t)n;
}

char *
as_path_format(const uint8_t *path, size_t len, char *buf, size_t size)
{
	struct cursor c;
	struct as_segment seg;
	size_t used = 0;
	unsigned i;
	bool first = true;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg)) {
		const char *const *punct = seg.type >= BGP_AS_SET &&
		    seg.type <= BGP_AS_CONFED_SET ?
		    as_segment_punctuation[seg.type] :
		    as_segment_punctuation[BGP_AS_SET];

		if (!first)
			format_append(buf, size, &used, NULL, " ", 0);
		first = false;
		format_append(buf, size, &used, NULL, punct[0], 0);
		for (i = 0; i < seg.count; i++) {
			if (i > 0)
				format_append(buf, size, &used, NULL,
				    punct[1], 0);
			format_append(buf, size, &used, "%u", NULL,
			    as_segment_asn(&seg, i));
		}
		format_append(buf, size, &used, NULL, punct[2], 0);
	}
	return buf;
}

enum as_path_check
as_path_validate(const uint8_t *path, size_t len, unsigned as_size,
    bool *confed)
{
	struct cursor c;
	uint8_t type, count;

	*confed = false;
	cursor_init(&c, path, len);
	while (cursor_left(&c) > 0) {
		/* RFC 7606 §7.2: one octet left cannot hold a header. */
		if (cursor_get_u8(&c, &type) == -1 ||
		    cursor_get_u8(&c, &count) == -1)
			return AS_PATH_UNDERRUN;
		if (type < BGP_AS_SET || type > BGP_AS_CONFED_SET)
			return AS_PATH_BAD_SEGMENT_TYPE;
		if (count == 0)
			return AS_PATH_ZERO_SEGMENT;
		if (cursor_skip(&c, (size_t)count * as_size) == -1)
			return AS_PATH_OVERRUN;
		if (as_segment_is_confed(type))
			*confed = true;
	}
	return AS_PATH_VALID;
}

size_t
as_path_widen(const uint8_t *path, size_t len, uint8_t *out, size_t cap)
{
	struct cursor c;
	struct wbuf w;
	struct as_segment seg;
	unsigned i;

	cursor_init(&c, path, len);
	wbuf_init(&w, out, cap);
	while (as_segment_next(&c, 2, &seg)) {
		wbuf_put_u8(&w, seg.type);
		wbuf_put_u8(&w, seg.count);
		for (i = 0; i < seg.count; i++)
			wbuf_put_u32(&w, (uint32_t)seg.asns[2 * i] << 8 |
			    seg.asns[2 * i + 1]);
	}
	return w.overflow ? 0 : w.len;
}

/*
 * Appends a segment; an AS_SEQUENCE following an AS_SEQUENCE joins it
 * while the count allows, so a merged path has the canonical form a
 * NEW speaker would have sent (*last_header is the open sequence).
 */
static void
merge_put_segment(struct wbuf *w, uint8_t type, const uint8_t *asns,
    unsigned count, size_t *last_header)
{
	unsigned take;

	while (count > 0) {
		if (type == BGP_AS_SEQUENCE && *last_header != SIZE_MAX &&
		    !w->overflow && w->data[*last_header + 1] <
		    AS_SEGMENT_MAX_COUNT) {
			take = AS_SEGMENT_MAX_COUNT -
			    w->data[*last_header + 1];
			if (take > count)
				take = count;
			w->data[*last_header + 1] += (uint8_t)take;
		} else {
			take = count > AS_SEGMENT_MAX_COUNT ?
			    AS_SEGMENT_MAX_COUNT : count;
			*last_header = type == BGP_AS_SEQUENCE ? w->len :
			    SIZE_MAX;
			wbuf_put_u8(w, type);
			wbuf_put_u8(w, (uint8_t)take);
		}
		wbuf_put_bytes(w, asns, (size_t)take * 4);
		asns += (size_t)take * 4;
		count -= take;
	}
}

size_t
as_path_merge_as4(const uint8_t *as_path, size_t len,
    const uint8_t *as4_path, size_t as4_len, uint8_t *out, size_t cap)
{
	struct cursor c;
	struct wbuf w;
	struct as_segment seg;
	unsigned have = as_path_length(as_path, len);
	unsigned want = as_path_length(as4_path, as4_len);
	unsigned lead, take;
	size_t last_header = SIZE_MAX;

	wbuf_init(&w, out, cap);
	/* RFC 6793 §4.2.3: a longer AS4_PATH is ignored. */
	if (have < want) {
		wbuf_put_bytes(&w, as_path, len);
		return w.overflow ? 0 : w.len;
	}
	/* The leading (have - want) ASNs of AS_PATH, then AS4_PATH. */
	lead = have - want;
	cursor_init(&c, as_path, len);
	while (as_segment_next(&c, 4, &seg)) {
		if (lead == 0 && !as_segment_is_confed(seg.type))
			break;
		take = seg.type == BGP_AS_SEQUENCE && seg.count > lead ?
		    lead : seg.count;
		merge_put_segment(&w, seg.type, seg.asns, take, &last_header);
		lead -= as_segment_weight(&seg) > lead ? lead :
		    as_segment_weight(&seg);
	}
	/* RFC 6793 §6: confederation segments of AS4_PATH are dropped. */
	cursor_init(&c, as4_path, as4_len);
	while (as_segment_next(&c, 4, &seg))
		if (!as_segment_is_confed(seg.type))
			merge_put_segment(&w, seg.type, seg.asns, seg.count,
			    &last_header);
	return w.overflow ? 0 : w.len;
}

bool
as_path_has_confed(const uint8_t *path, size_t len)
{
	struct cursor c;
	struct as_segment seg;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg))
		if (as_segment_is_confed(seg.type))
			return true;
	return false;
}

size_t
as_path_narrow_size(const uint8_t *path, size_t len, size_t *as4_size)
{
	struct cursor c;
	struct as_segment seg;
	size_t size = 0, confed_free = 0;
	bool needs_as4 = false;
	unsigned i;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg)) {
		size += AS_SEGMENT_HEADER_LEN + (size_t)seg.count * 2;
		if (as_segment_is_confed(seg.type))
			continue;
		confed_free += AS_SEGMENT_HEADER_LEN + (size_t)seg.count * 4;
		for (i = 0; i < seg.count; i++)
			if (as_segment_asn(&seg, i) > UINT16_MAX)
				needs_as4 = true;
	}
	*as4_size = needs_as4 ? confed_free : 0;
	return size;
}

void
as_path_put_narrow(struct wbuf *w, const uint8_t *path, size_t len)
{
	struct cursor c;
	struct as_segment seg;
	uint32_t asn;
	unsigned i;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg)) {
		wbuf_put_u8(w, seg.type);
		wbuf_put_u8(w, seg.count);
		for (i = 0; i < seg.count; i++) {
			asn = as_segment_asn(&seg, i);
			wbuf_put_u16(w, asn > UINT16_MAX ? BGP_AS_TRANS :
			    (uint16_t)asn);
		}
	}
}

/* RFC 6793 §6: confederation segments never travel in AS4_PATH. */
void
as_path_put_as4(struct wbuf *w, const uint8_t *path, size_t len)
{
	struct cursor c;
	struct as_segment seg;

	cursor_init(&c, path, len);
	while (as_segment_next(&c, 4, &seg)) {
		if (as_segment_is_confed(seg.type))
			continue;
		wbuf_put_u8(w, seg.type);
		wbuf_put_u8(w, seg.count);
		wbuf_put_bytes(w, seg.asns, (size_t)seg.count * 4);
	}
}
