/*
 * json_writer.c - a small streaming JSON writer (RFC 8259).
 *
 * Each level of nesting keeps two bits: whether it is an object and
 * whether it has an element yet; that is all the state commas, keys
 * and indentation need.  The buffer grows by doubling and stays
 * NUL-terminated.  See json_writer.h for the escaping rules and why
 * they are stricter than JSON needs (libyaml reads our output).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

#define JSON_WRITER_INITIAL_SIZE	256

void
json_writer_init(struct json_writer *w, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->pretty = pretty;
}

void
json_writer_free(struct json_writer *w)
{
	free(w->data);
	memset(w, 0, sizeof(*w));
}

void
json_writer_reset(struct json_writer *w)
{
	char *data = w->data;
	size_t cap = w->cap;
	bool pretty = w->pretty;

	memset(w, 0, sizeof(*w));
	w->data = data;
	w->cap = cap;
	w->pretty = pretty;
	if (data != NULL)
		data[0] = '\0';
}

void
json_writer_discard_output(struct json_writer *w)
{
	w->len = 0;
	if (w->data != NULL)
		w->data[0] = '\0';
}

bool
json_writer_done(const struct json_writer *w)
{
	return w->complete && !w->failed;
}

/* The slow path of reserve(): doubles the buffer until len more fit. */
static void
grow(struct json_writer *w, size_t len)
{
	size_t need, cap;

	if (len > SIZE_MAX / 2 - w->len)
		fatalx_oom();
	need = w->len + len + 1;
	cap = w->cap ? w->cap : JSON_WRITER_INITIAL_SIZE;
	while (cap < need)
		cap *= 2;
	w->data = xrealloc(w->data, cap);
	w->cap = cap;
}

/* Makes room for len more bytes and the terminating NUL. */
static inline void
reserve(struct json_writer *w, size_t len)
{
	if (w->cap - w->len <= len)
		grow(w, len);
}

static void
append(struct json_writer *w, const char *s, size_t len)
{
	reserve(w, len);
	memcpy(w->data + w->len, s, len);
	w->len += len;
	w->data[w->len] = '\0';
}

static void
append_char(struct json_writer *w, char c)
{
	append(w, &c, 1);
}

static void
newline_indent(struct json_writer *w, unsigned depth)
{
	reserve(w, 1 + 2 * (size_t)depth);
	w->data[w->len++] = '\n';
	memset(w->data + w->len, ' ', 2 * (size_t)depth);
	w->len += 2 * (size_t)depth;
	w->data[w->len] = '\0';
}

static uint64_t
level_bit(unsigned depth)
{
	return (uint64_t)1 << (depth - 1);
}

/*
 * Called before every value and key: checks that one is allowed here
 * and writes the comma and indentation that separate it from the
 * previous element.  Returns -1 (and fails the writer) on misuse.
 */
static int
element_begin(struct json_writer *w, bool is_key)
{
	bool in_object;

	if (w->failed)
		return -1;
	if (w->after_key) {
		if (is_key)
			goto misuse;
		w->after_key = false;
		return 0;
	}
	if (w->depth == 0) {
		if (w->complete || is_key)
			goto misuse;
		return 0;
	}
	in_object = (w->in_object & level_bit(w->depth)) != 0;
	if (in_object != is_key)
		goto misuse;
	if (w->has_items & level_bit(w->depth))
		append_char(w, ',');
	w->has_items |= level_bit(w->depth);
	if (w->pretty)
		newline_indent(w, w->depth);
	return 0;
 misuse:
	w->failed = true;
	return -1;
}

/* Marks the end of a value: at depth 0 the document is complete. */
static void
element_end(struct json_writer *w)
{
	if (w->depth == 0)
		w->complete = true;
}

static void
container_begin(struct json_writer *w, bool object)
{
	if (element_begin(w, false) == -1)
		return;
	if (w->depth == JSON_WRITER_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	w->depth++;
	if (object)
		w->in_object |= level_bit(w->depth);
	else
		w->in_object &= ~level_bit(w->depth);
	w->has_items &= ~level_bit(w->depth);
	append_char(w, object ? '{' : '[');
}

static void
container_end(struct json_writer *w, bool object)
{
	bool in_object;

	if (w->failed)
		return;
	if (w->depth == 0 || w->after_key)
		goto misuse;
	in_object = (w->in_object & level_bit(w->depth)) != 0;
	if (in_object != object)
		goto misuse;
	if (w->pretty && (w->has_items & level_bit(w->depth)))
		newline_indent(w, w->depth - 1);
	append_char(w, object ? '}' : ']');
	w->depth--;
	element_end(w);
	return;
 misuse:
	w->failed = true;
}

void
json_writer_object_begin(struct json_writer *w)
{
	container_begin(w, true);
}

void
json_writer_object_end(struct json_writer *w)
{
	container_end(w, true);
}

void
json_writer_array_begin(struct json_writer *w)
{
	container_begin(w, false);
}

void
json_writer_array_end(struct json_writer *w)
{
	container_end(w, false);
}

/*
 * Decodes one UTF-8 sequence (RFC 3629 §4: no overlong forms, no
 * surrogates, nothing above U+10FFFF).  Returns its length and sets
 * *cp, or 0 if s does not start with a valid sequence.
 */
static size_t
utf8_decode(const uint8_t *s, size_t left, uint32_t *cp)
{
	static const uint32_t minimum[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len, i;
	uint32_t v;

	if (s[0] < 0x80)
		len = 1, v = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2, v = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, v = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, v = s[0] & 0x07;
	else
		return 0;
	if (len > left)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < minimum[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/*
 * Code points written as \uXXXX although JSON would allow them raw:
 * YAML (and so libyaml) refuses DEL, the C1 controls and U+FFFE/FFFF
 * as raw characters, and reads U+2028/2029 as line breaks and U+FEFF
 * as a byte order mark (YAML 1.1 §5.1-5.4).
 */
static bool
needs_escape(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

/* Writes the escape of cp at out; returns the end of what it wrote. */
static char *
put_escape(char *out, uint32_t cp)
{
	static const char short_forms[] = "\bb\ff\nn\rr\tt\"\"\\\\";
	static const char hex[] = "0123456789abcdef";
	const char *p;

	*out++ = '\\';
	for (p = short_forms; *p != '\0'; p += 2)
		if ((uint32_t)(unsigned char)p[0] == cp) {
			*out++ = p[1];
			return out;
		}
	*out++ = 'u';
	*out++ = hex[cp >> 12 & 0xf];
	*out++ = hex[cp >> 8 & 0xf];
	*out++ = hex[cp >> 4 & 0xf];
	*out++ = hex[cp & 0xf];
	return out;
}

/*
 * Appends s as a quoted, escaped JSON string.  No input byte takes
 * more than 6 output bytes (\u0001), so one reservation covers it all
 * and the loop writes without further checks.
 */
static void
append_string(struct json_writer *w, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	const uint8_t *run;
	uint32_t cp;
	size_t n;
	char *out;

	if (len > SIZE_MAX / 8)
		fatalx_oom();
	reserve(w, 6 * len + 2);
	out = w->data + w->len;
	*out++ = '"';
	while (p < end) {
		/* Copy the longest run of bytes that need no care at once. */
		for (run = p; p < end && *p >= 0x20 && *p < 0x7f &&
		    *p != '"' && *p != '\\'; p++)
			;
		memcpy(out, run, (size_t)(p - run));
		out += p - run;
		if (p == end)
			break;
		n = utf8_decode(p, (size_t)(end - p), &cp);
		if (n == 0) {
			/* U+FFFD REPLACEMENT CHARACTER, raw like other text */
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
			p++;
		} else if (needs_escape(cp) || cp == '"' || cp == '\\') {
			out = put_escape(out, cp);
			p += n;
		} else {
			memcpy(out, p, n);
			out += n;
			p += n;
		}
	}
	*out++ = '"';
	*out = '\0';
	w->len = (size_t)(out - w->data);
}

void
json_writer_key(struct json_writer *w, const char *key)
{
	if (element_begin(w, true) == -1)
		return;
	append_string(w, key, strlen(key));
	if (w->pretty)
		append(w, ": ", 2);
	else
		append_char(w, ':');
	w->after_key = true;
}

/* Writes an already formatted scalar (number, literal) as a value. */
static void
scalar(struct json_writer *w, const char *text, size_t len)
{
	if (element_begin(w, false) == -1)
		return;
	append(w, text, len);
	element_end(w);
}

void
json_writer_string_len(struct json_writer *w, const char *s, size_t len)
{
	if (element_begin(w, false) == -1)
		return;
	append_string(w, s, len);
	element_end(w);
}

void
json_writer_string(struct json_writer *w, const char *s)
{
	json_writer_string_len(w, s, strlen(s));
}

void
json_writer_stringf(struct json_writer *w, const char *fmt, ...)
{
	va_list ap;
	char small[256], *text = small;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->failed = true;
		return;
	}
	if ((size_t)n >= sizeof(small)) {
		text = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	json_writer_string_len(w, text, (size_t)n);
	if (text != small)
		free(text);
}

void
json_writer_string_or_null(struct json_writer *w, const char *s)
{
	if (s == NULL)
		json_writer_null(w);
	else
		json_writer_string(w, s);
}

/* Decimal digits of v, written backwards from end; returns the start. */
static char *
format_decimal(uint64_t v, char *end)
{
	char *p = end;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

/* snprintf() was a third of the time of a large reply: digits by hand. */
void
json_writer_int(struct json_writer *w, int64_t v)
{
	char text[24], *end = text + sizeof(text), *p;

	/* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
	p = format_decimal(v < 0 ? -(uint64_t)v : (uint64_t)v, end);
	if (v < 0)
		*--p = '-';
	scalar(w, p, (size_t)(end - p));
}

void
json_writer_uint(struct json_writer *w, uint64_t v)
{
	char text[24], *end = text + sizeof(text), *p;

	p = format_decimal(v, end);
	scalar(w, p, (size_t)(end - p));
}

void
json_writer_bool(struct json_writer *w, bool v)
{
	if (v)
		scalar(w, "true", 4);
	else
		scalar(w, "false", 5);
}

void
json_writer_null(struct json_writer *w)
{
	scalar(w, "null", 4);
}

void
json_writer_number_text(struct json_writer *w, const char *text, size_t len)
{
	if (!json_number_valid(text, len)) {
		w->failed = true;
		return;
	}
	scalar(w, text, len);
}

void
json_writer_member_string(struct json_writer *w, const char *key,
    const char *s)
{
	json_writer_key(w, key);
	json_writer_string_or_null(w, s);
}

void
json_writer_member_int(struct json_writer *w, const char *key, int64_t v)
{
	json_writer_key(w, key);
	json_writer_int(w, v);
}

void
json_writer_member_uint(struct json_writer *w, const char *key, uint64_t v)
{
	json_writer_key(w, key);
	json_writer_uint(w, v);
}

void
json_writer_member_bool(struct json_writer *w, const char *key, bool v)
{
	json_writer_key(w, key);
	json_writer_bool(w, v);
}

void
json_writer_member_null(struct json_writer *w, const char *key)
{
	json_writer_key(w, key);
	json_writer_null(w);
}

/* Skips a run of digits; returns how many there were. */
static size_t
skip_digits(const char **p, const char *end)
{
	const char *start = *p;

	while (*p < end && **p >= '0' && **p <= '9')
		(*p)++;
	return (size_t)(*p - start);
}

/* number = [ minus ] int [ frac ] [ exp ] (RFC 8259 §6) */
bool
json_number_valid(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (skip_digits(&p, end) == 0)
		return false;
	if (p < end && *p == '.') {
		p++;
		if (skip_digits(&p, end) == 0)
			return false;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (skip_digits(&p, end) == 0)
			return false;
	}
	return p == end;
}
