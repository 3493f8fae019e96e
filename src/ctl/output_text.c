/*
 * output_text.c - the text back end: tables and key/value blocks in
 * the manner of bgpctl.
 *
 * A reply is an object whose member names say what it holds
 * ("neighbors", "routes", ...); a table maps each name to the function
 * that renders it, and anything unknown is rendered generically as
 * "key: value" lines, so a newer daemon never leaves the CLI mute.
 * A table's column widths are measured over its first
 * TABLE_MEASURE_ROWS rows, which are held until then; later rows are
 * printed at once in those widths, a wider value widening only its own
 * row (as bgpctl does), so a full table streams in bounded memory.
 * Every string from the daemon is passed through text_scalar(), which
 * replaces control characters: a peer's shutdown message must not be
 * able to drive the user's terminal.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_tree.h"
#include "log.h"
#include "output.h"

#define TABLE_MAX_COLUMNS	10
#define TABLE_MEASURE_ROWS	1000	/* rows that set the column widths */
#define LABEL_WIDTH		20	/* key/value blocks */

/* A growable string. */
struct text {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

enum align { ALIGN_LEFT, ALIGN_RIGHT };

/* Formats one cell from the value its column selects. */
typedef void cell_cb(struct text *, const struct json_tree *,
    const struct json_node *);

/* A table column; a list of them describes one record type's table. */
struct column {
	const char	*title;
	enum align	 align;
	const char	*key;	/* member shown, "a.b" nested; NULL: the row */
	cell_cb		*cell;	/* NULL: the value as a scalar */
	bool		 outer;	/* key is a member of the enclosing record */
};

/* An array and its length, for the tables below. */
#define COLUMNS(array)	(array), sizeof(array) / sizeof((array)[0])

/*
 * Rows of cells: held until TABLE_MEASURE_ROWS rows (or the end) fix
 * the column widths, then printed one by one as they complete.
 */
struct table {
	FILE			*out;
	const struct column	*columns;
	size_t			 column_count;
	unsigned		 indent;
	bool			 header;
	bool			 fixed;		/* widths set, header printed */
	size_t			 widths[TABLE_MAX_COLUMNS];
	struct text		 cells;		/* NUL-terminated cells */
	size_t			*offsets;	/* of each cell in cells */
	size_t			 cell_count;
	size_t			 cell_cap;
	struct text		 line;		/* the row being printed */
};

static void render_generic(FILE *, const struct json_tree *,
    const struct json_node *, unsigned);

/* Makes room for len more bytes and a NUL. */
static void
text_reserve(struct text *s, size_t len)
{
	while (s->cap - s->len < len + 1) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->data = xrealloc(s->data, s->cap);
	}
}

static void
text_append(struct text *s, const char *p, size_t len)
{
	text_reserve(s, len);
	memcpy(s->data + s->len, p, len);
	s->len += len;
	s->data[s->len] = '\0';
}

static void
text_add(struct text *s, const char *p)
{
	text_append(s, p, strlen(p));
}

static void LOG_PRINTF(2, 3)
text_printf(struct text *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	text_reserve(s, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(s->data + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

/* Appends count blanks. */
static void
text_pad(struct text *s, size_t count)
{
	text_reserve(s, count);
	memset(s->data + s->len, ' ', count);
	s->len += count;
	s->data[s->len] = '\0';
}

static void
text_clear(struct text *s)
{
	s->len = 0;
	text_append(s, "", 0);
}

/*
 * Appends a daemon string for a terminal: C0 controls, DEL and the
 * C1 controls (UTF-8 C2 80..9F) become '?'.
 */
static void
text_safe(struct text *s, const char *p, size_t len)
{
	size_t i, start = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)p[i];
		if (c >= 0x20 && c != 0x7f && !(c == 0xc2 && i + 1 < len &&
		    (unsigned char)p[i + 1] >= 0x80 &&
		    (unsigned char)p[i + 1] <= 0x9f))
			continue;
		text_append(s, p + start, i - start);
		text_append(s, "?", 1);
		if (c == 0xc2)
			i++;
		start = i + 1;
	}
	text_append(s, p + start, len - start);
}

/* A scalar as text: null (or absent) as "-", booleans as yes/no. */
static void
text_scalar(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	if (n == NULL || n->type == JSON_NULL)
		text_add(s, "-");
	else if (n->type == JSON_BOOL)
		text_add(s, json_true(n) ? "yes" : "no");
	else if (n->type == JSON_STRING || n->type == JSON_NUMBER)
		text_safe(s, json_text(t, n), n->length);
	else
		text_add(s, n->type == JSON_ARRAY ? "[...]" : "{...}");
}

/* A member name as a label: "route_refresh" as "route refresh". */
static void
text_label(struct text *s, const char *key)
{
	size_t start = s->len, i;

	if (key == NULL) {
		text_add(s, "-");
		return;
	}
	text_safe(s, key, strlen(key));
	for (i = start; i < s->len; i++)
		if (s->data[i] == '_')
			s->data[i] = ' ';
}

/* The elements of array n, separated by sep ("-" if none or absent). */
static void
text_list(struct text *s, const struct json_tree *t,
    const struct json_node *n, const char *sep)
{
	const struct json_node *child;

	if (json_child(t, n) == NULL) {
		text_add(s, "-");
		return;
	}
	JSON_FOREACH(t, child, n) {
		if (child != json_child(t, n))
			text_add(s, sep);
		text_scalar(s, t, child);
	}
}

static void
text_list_comma(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	text_list(s, t, n, ", ");
}

static void
text_list_blank(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	text_list(s, t, n, " ");
}

/* "90 s", or "-" for null. */
static void
text_seconds(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	text_scalar(s, t, n);
	if (json_is(n, JSON_NUMBER))
		text_add(s, " s");
}

/* Seconds as "00:02:03" under a day, "3d04h05m" above (bgpctl). */
static void
text_duration(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	uint64_t v;

	if (json_uint(t, n, &v) == -1)
		text_add(s, json_is(n, JSON_NULL) ? "never" : "-");
	else if (v < 86400)
		text_printf(s, "%02u:%02u:%02u", (unsigned)(v / 3600),
		    (unsigned)(v / 60 % 60), (unsigned)(v % 60));
	else
		text_printf(s, "%" PRIu64 "d%02uh%02um", v / 86400,
		    (unsigned)(v / 3600 % 24), (unsigned)(v / 60 % 60));
}

/*
 * UNIX time as ISO 8601 UTC, so the output does not depend on the time
 * zone; 0 (never) and null as "-".
 */
static void
text_time(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	char buf[32];
	int64_t v;
	time_t when;
	struct tm tm;

	if (json_int(t, n, &v) == -1) {
		text_scalar(s, t, n);
		return;
	}
	if (v == 0) {
		text_add(s, "-");
		return;
	}
	when = (time_t)v;
	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		text_printf(s, "%" PRId64, v);
		return;
	}
	text_add(s, buf);
}

/* The member key of n, or NULL if absent or null. */
static const struct json_node *
present(const struct json_tree *t, const struct json_node *n,
    const char *key)
{
	const struct json_node *m = json_member(t, n, key);

	return m == NULL || m->type == JSON_NULL ? NULL : m;
}

static void
table_init(struct table *tb, FILE *out, const struct column *columns,
    size_t count, unsigned indent, bool header)
{
	memset(tb, 0, sizeof(*tb));
	tb->out = out;
	tb->columns = columns;
	tb->column_count = count;
	tb->indent = indent;
	tb->header = header;
}

/* Characters on the screen: UTF-8 continuation bytes take no room. */
static size_t
display_width(const char *s)
{
	size_t width = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			width++;
	return width;
}

/*
 * Prints one row; the last column is not padded, blanks are trimmed.
 * A cell wider than its column pushes the rest of its row along.
 */
static void
table_row_print(struct table *tb, const char *const *row)
{
	struct text *line = &tb->line;
	size_t i, width, pad;

	text_clear(line);
	text_pad(line, tb->indent);
	for (i = 0; i < tb->column_count; i++) {
		width = display_width(row[i]);
		pad = width < tb->widths[i] ? tb->widths[i] - width : 0;
		if (tb->columns[i].align == ALIGN_RIGHT)
			text_pad(line, pad);
		text_add(line, row[i]);
		if (tb->columns[i].align == ALIGN_LEFT)
			text_pad(line, pad);
		text_pad(line, 2);
	}
	while (line->len > 0 && line->data[line->len - 1] == ' ')
		line->len--;
	text_append(line, "\n", 1);
	fwrite(line->data, 1, line->len, tb->out);
}

/* Fixes the widths from the rows held (once), prints and drops them. */
static void
table_flush(struct table *tb)
{
	const char *row[TABLE_MAX_COLUMNS];
	size_t i, r, width;

	if (!tb->fixed) {
		for (i = 0; i < tb->column_count; i++)
			tb->widths[i] = tb->header ?
			    display_width(tb->columns[i].title) : 0;
		for (i = 0; i < tb->cell_count; i++) {
			width = display_width(tb->cells.data + tb->offsets[i]);
			if (width > tb->widths[i % tb->column_count])
				tb->widths[i % tb->column_count] = width;
		}
		if (tb->header) {
			for (i = 0; i < tb->column_count; i++)
				row[i] = tb->columns[i].title;
			table_row_print(tb, row);
		}
		tb->fixed = true;
	}
	for (r = 0; r + tb->column_count <= tb->cell_count;
	    r += tb->column_count) {
		for (i = 0; i < tb->column_count; i++)
			row[i] = tb->cells.data + tb->offsets[r + i];
		table_row_print(tb, row);
	}
	tb->cell_count = 0;
	tb->cells.len = 0;
}

/* Adds a cell; a row that completes is printed once widths are fixed. */
static void
table_cell(struct table *tb, const char *s)
{
	if (tb->cell_count == tb->cell_cap) {
		tb->cell_cap = tb->cell_cap ? tb->cell_cap * 2 : 64;
		tb->offsets = xreallocarray(tb->offsets, tb->cell_cap,
		    sizeof(*tb->offsets));
	}
	tb->offsets[tb->cell_count++] = tb->cells.len;
	text_append(&tb->cells, s, strlen(s) + 1);
	if (tb->cell_count == tb->column_count *
	    (tb->fixed ? 1 : TABLE_MEASURE_ROWS))
		table_flush(tb);
}

/* Prints what is left (the header at least) and frees the table. */
static void
table_finish(struct table *tb)
{
	table_flush(tb);
	free(tb->line.data);
	free(tb->cells.data);
	free(tb->offsets);
	memset(tb, 0, sizeof(*tb));
}

/* Adds the text built in s as the next cell and clears s. */
static void
table_take(struct table *tb, struct text *s)
{
	table_cell(tb, s->len > 0 ? s->data : "");
	text_clear(s);
}

/* Adds the scalar member key of n as the next cell. */
static void
table_member(struct table *tb, struct text *s, const struct json_tree *t,
    const struct json_node *n, const char *key)
{
	text_scalar(s, t, json_member(t, n, key));
	table_take(tb, s);
}

/* The member at a dotted path ("prefixes.received"), or NULL. */
static const struct json_node *
member_path(const struct json_tree *t, const struct json_node *n,
    const char *path)
{
	const char *dot;
	char key[64];

	while ((dot = strchr(path, '.')) != NULL) {
		if ((size_t)(dot - path) >= sizeof(key))
			return NULL;
		memcpy(key, path, (size_t)(dot - path));
		key[dot - path] = '\0';
		n = json_member(t, n, key);
		path = dot + 1;
	}
	return json_member(t, n, path);
}

static const struct {
	const char	*name;
	cell_cb		*format;
} formats[] = {
	{ "duration", text_duration },
	{ "time", text_time },
	{ "seconds", text_seconds },
	{ "list", text_list_comma },
};

/*
 * Appends template with every "{key}" or "{key|format}" replaced by
 * that member of n (a dotted path), as a scalar or in a named format.
 */
static void
text_fill(struct text *s, const struct json_tree *t,
    const struct json_node *n, const char *template)
{
	const char *open, *close, *bar;
	cell_cb *format;
	char key[64];
	size_t i, len;

	while ((open = strchr(template, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		text_append(s, template, (size_t)(open - template));
		template = close + 1;
		len = (size_t)(close - open - 1);
		if (len >= sizeof(key))
			continue;
		memcpy(key, open + 1, len);
		key[len] = '\0';
		format = text_scalar;
		if ((bar = strchr(key, '|')) != NULL) {
			key[bar - key] = '\0';
			for (i = 0; i < sizeof(formats) / sizeof(formats[0]);
			    i++)
				if (strcmp(bar + 1, formats[i].name) == 0)
					format = formats[i].format;
		}
		format(s, t, member_path(t, n, key));
	}
	text_add(s, template);
}

/*
 * One "Label:  value" line of a detail block: the value is a template
 * for text_fill(), or built by a function.  With "when", the line is
 * shown only if that member is neither null nor empty, or else as
 * "otherwise" if that is set.
 */
struct detail_line {
	unsigned	 indent;
	const char	*label;
	const char	*when;
	const char	*template;
	cell_cb		*build;
	const char	*otherwise;
};

/* "Established, up for 00:02:03 (since 2025-11-21T18:33:20Z)" */
static void
text_neighbor_state(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	const char *state = json_string(t, json_member(t, n, "state"));
	int64_t when;

	text_scalar(s, t, json_member(t, n, "state"));
	if (present(t, n, "uptime") != NULL) {
		text_add(s, state != NULL && strcmp(state, "Established") == 0 ?
		    ", up for " : ", down for ");
		text_duration(s, t, json_member(t, n, "uptime"));
	}
	if (json_int(t, json_member(t, n, "state_changed"), &when) == 0 &&
	    when != 0)
		text_fill(s, t, n, " (since {state_changed|time})");
}

/* "ebgp, configured, active" */
static void
text_neighbor_type(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	if (present(t, n, "type") != NULL)
		text_fill(s, t, n, "{type}, ");
	text_add(s, json_true(json_member(t, n, "dynamic")) ? "dynamic" :
	    "configured");
	text_add(s, json_true(json_member(t, n, "passive")) ? ", passive" :
	    ", active");
}

static const struct detail_line neighbor_lines[] = {
	{ 2, "Description:", "description", "{description}", NULL, NULL },
	{ 2, "State:", NULL, NULL, text_neighbor_state, NULL },
	{ 2, "Router ID:", NULL, "{router_id}", NULL, NULL },
	{ 2, "Connection:", "local_address", "local {local_address} port "
	    "{local_port}, remote {address} port {remote_port}", NULL,
	    "not connected" },
	{ 2, "Type:", NULL, NULL, text_neighbor_type, NULL },
	{ 2, "Hold time:", NULL, "{hold_time|seconds} (configured "
	    "{configured_hold_time|seconds}), keepalive {keepalive|seconds}",
	    NULL, NULL },
	{ 2, "Families:", NULL, "{families|list}", NULL, NULL },
	{ 2, "Transitions:", NULL, "{established_transitions} to "
	    "Established, flaps: {flaps}", NULL, NULL },
	{ 2, "Prefixes:", NULL, "{prefixes.received} received, "
	    "{prefixes.accepted} accepted, {prefixes.advertised} advertised",
	    NULL, NULL },
	{ 2, "Capabilities", NULL, "", NULL, NULL },
	{ 4, "advertised:", NULL, "{capabilities.advertised|list}", NULL,
	    NULL },
	{ 4, "received:", NULL, "{capabilities.received|list}", NULL, NULL },
	{ 4, "negotiated:", NULL, "{capabilities.negotiated|list}", NULL,
	    NULL },
};

/* The last NOTIFICATION, or a connection failure (message only). */
static const struct detail_line error_lines[] = {
	{ 2, "Last error:", "direction", "{direction} {code_name}, "
	    "{subcode_name} ({code}/{subcode}) at {time|time}", NULL, "" },
	{ 4, "message:", "message", "{message}", NULL, NULL },
	{ 4, "data:", "data", "{data}", NULL, NULL },
};

static void
detail_print(FILE *out, const struct json_tree *t, const struct json_node *n,
    const struct detail_line *lines, size_t count)
{
	const struct json_node *when;
	const struct detail_line *l;
	struct text s = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < count; i++) {
		l = &lines[i];
		text_clear(&s);
		when = l->when != NULL ? present(t, n, l->when) : NULL;
		if (l->when != NULL && (when == NULL ||
		    (json_is(when, JSON_STRING) && when->length == 0))) {
			if (l->otherwise == NULL)
				continue;
			text_add(&s, l->otherwise);
		} else if (l->build != NULL)
			l->build(&s, t, n);
		else
			text_fill(&s, t, n, l->template);
		if (s.len == 0)
			fprintf(out, "%*s%s\n", (int)l->indent, "", l->label);
		else
			fprintf(out, "%*s%-*s %s\n", (int)l->indent, "",
			    (int)(LABEL_WIDTH + 2 - l->indent), l->label,
			    s.data);
	}
	free(s.data);
}

/* Sent and received counters side by side, one row per message type. */
static void
neighbor_messages(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
{
	static const struct column columns[] = {
		{ "Messages", ALIGN_LEFT, NULL, NULL, false },
		{ "Sent", ALIGN_RIGHT, NULL, NULL, false },
		{ "Received", ALIGN_RIGHT, NULL, NULL, false },
	};
	const struct json_node *messages = json_member(t, n, "messages");
	const struct json_node *sent = json_member(t, messages, "sent");
	const struct json_node *received = json_member(t, messages,
	    "received");
	const struct json_node *m;
	struct table tb;

	table_init(&tb, out, columns, 3, 2, true);
	JSON_FOREACH(t, m, json_is(sent, JSON_OBJECT) ? sent : NULL) {
		text_add(s, "  ");
		text_label(s, json_key(t, m));
		table_take(&tb, s);
		table_member(&tb, s, t, sent, json_key(t, m));
		table_member(&tb, s, t, received, json_key(t, m));
	}
	table_finish(&tb);
}

static void
render_neighbor(FILE *out, const struct json_tree *t,
    const struct json_node *n)
{
	const struct json_node *e = json_member(t, n, "last_error");
	struct text s = { NULL, 0, 0 };

	if (!json_is(n, JSON_OBJECT)) {
		render_generic(out, t, n, 0);
		return;
	}
	text_fill(&s, t, n, "Neighbor {address}, remote AS {remote_as}, "
	    "local AS {local_as}");
	fprintf(out, "%s\n", s.data);
	text_clear(&s);
	detail_print(out, t, n, COLUMNS(neighbor_lines));
	neighbor_messages(out, t, n, &s);
	if (json_is(e, JSON_OBJECT))
		detail_print(out, t, e, COLUMNS(error_lines));
	else
		fprintf(out, "  %-*s none\n", LABEL_WIDTH, "Last error:");
	free(s.data);
}

/* AS numbers separated by blanks; an AS_SET (a nested list) in braces. */
static void
text_as_path(struct text *s, const struct json_tree *t,
    const struct json_node *path)
{
	const struct json_node *as;

	if (!json_is(path, JSON_ARRAY)) {
		text_scalar(s, t, path);
		return;
	}
	JSON_FOREACH(t, as, path) {
		if (as != json_child(t, path))
			text_add(s, " ");
		if (json_is(as, JSON_ARRAY)) {
			text_add(s, "{");
			text_list(s, t, as, " ");
			text_add(s, "}");
		} else
			text_scalar(s, t, as);
	}
}

/* "*>" best, "*=" ECMP member, "! " rejected, "  " any other path. */
static void
text_path_flags(struct text *s, const struct json_tree *t,
    const struct json_node *path)
{
	if (present(t, path, "rejected") != NULL)
		text_add(s, "! ");
	else if (json_true(json_member(t, path, "best")))
		text_add(s, "*>");
	else if (json_true(json_member(t, path, "ecmp")))
		text_add(s, "*=");
	else
		text_add(s, "  ");
}

/* Why the import policy refused the path, or why it is not the best. */
static void
text_path_note(struct text *s, const struct json_tree *t,
    const struct json_node *path)
{
	const struct json_node *note = present(t, path, "rejected");

	if (note == NULL)
		note = present(t, path, "reason");
	if (note != NULL)
		text_scalar(s, t, note);
}

/* A string that may be null, shown as nothing then (a description). */
static void
text_optional(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	if (!json_is(n, JSON_NULL))
		text_scalar(s, t, n);
}

static const struct column neighbor_columns[] = {
	{ "Neighbor", ALIGN_LEFT, "address", NULL, false },
	{ "AS", ALIGN_RIGHT, "remote_as", NULL, false },
	{ "State", ALIGN_LEFT, "state", NULL, false },
	{ "Up/Down", ALIGN_LEFT, "uptime", text_duration, false },
	{ "Rcvd", ALIGN_RIGHT, "prefixes.received", NULL, false },
	{ "Accepted", ALIGN_RIGHT, "prefixes.accepted", NULL, false },
	{ "Adv", ALIGN_RIGHT, "prefixes.advertised", NULL, false },
	{ "Description", ALIGN_LEFT, "description", text_optional, false },
};

/* One row per path; the prefix comes from the route around it. */
static const struct column route_columns[] = {
	{ "", ALIGN_LEFT, NULL, text_path_flags, false },
	{ "Prefix", ALIGN_LEFT, "prefix", NULL, true },
	{ "Next hop", ALIGN_LEFT, "next_hop", NULL, false },
	{ "AS path", ALIGN_LEFT, "as_path", text_as_path, false },
	{ "Origin", ALIGN_LEFT, "origin", NULL, false },
	{ "LocPrf", ALIGN_RIGHT, "local_pref", NULL, false },
	{ "MED", ALIGN_RIGHT, "med", NULL, false },
	{ "Source", ALIGN_LEFT, "source", NULL, false },
	{ "Note", ALIGN_LEFT, NULL, text_path_note, false },
};

static const struct column fib_columns[] = {
	{ "Prefix", ALIGN_LEFT, "prefix", NULL, false },
	{ "Next hops", ALIGN_LEFT, "next_hops", text_list_comma, false },
	{ "Metric", ALIGN_RIGHT, "metric", NULL, false },
	{ "Table", ALIGN_RIGHT, "table", NULL, false },
	{ "Protocol", ALIGN_RIGHT, "protocol", NULL, false },
	{ "State", ALIGN_LEFT, "state", NULL, false },
};

static const struct column originated_columns[] = {
	{ "Prefix", ALIGN_LEFT, "prefix", NULL, false },
	{ "Source", ALIGN_LEFT, "source", NULL, false },
	{ "Confirmed", ALIGN_LEFT, "confirmed", text_time, false },
	{ "Communities", ALIGN_LEFT, "communities", text_list_blank, false },
};

/* Adds one row: a cell per column, from row (or outer) by its key. */
static void
table_row(struct table *tb, struct text *s, const struct json_tree *t,
    const struct json_node *row, const struct json_node *outer)
{
	const struct column *c;
	const struct json_node *n;
	size_t i;

	for (i = 0; i < tb->column_count; i++) {
		c = &tb->columns[i];
		n = c->key == NULL ? row :
		    member_path(t, c->outer ? outer : row, c->key);
		if (c->cell != NULL)
			c->cell(s, t, n);
		else
			text_scalar(s, t, n);
		table_take(tb, s);
	}
}

/* One row per path; the prefix comes from the route around it. */
static void
route_rows(struct table *tb, struct text *s, const struct json_tree *t,
    const struct json_node *route)
{
	const struct json_node *path;

	JSON_FOREACH(t, path, json_member(t, route, "paths"))
		table_row(tb, s, t, path, route);
}

/* One row per record. */
static void
record_row(struct table *tb, struct text *s, const struct json_tree *t,
    const struct json_node *record)
{
	table_row(tb, s, t, record, NULL);
}

/* A byte count in binary units, "(1.5 MiB)"; nothing under 1 KiB. */
static void
text_bytes(struct text *s, const struct json_tree *t,
    const struct json_node *n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v;
	uint64_t bytes;
	size_t i;

	if (json_uint(t, n, &bytes) == -1 || bytes < 1024)
		return;
	v = (double)bytes / 1024;
	for (i = 0; v >= 1024 && i + 1 < sizeof(units) / sizeof(units[0]);
	    i++)
		v /= 1024;
	text_printf(s, "(%.1f %s)", v, units[i]);
}

/* Any flat object as "key  value" rows ("show memory"). */
static void
render_flat_object(FILE *out, const struct json_tree *t,
    const struct json_node *object)
{
	static const struct column columns[] = {
		{ "", ALIGN_LEFT, NULL, NULL, false },
		{ "", ALIGN_RIGHT, NULL, NULL, false },
		{ "", ALIGN_LEFT, NULL, NULL, false },
	};
	const struct json_node *m;
	const char *key;
	struct table tb;
	struct text s = { NULL, 0, 0 };
	size_t len;

	if (!json_is(object, JSON_OBJECT)) {
		render_generic(out, t, object, 0);
		return;
	}
	table_init(&tb, out, columns, 3, 0, false);
	JSON_FOREACH(t, m, object) {
		key = json_key(t, m);
		text_label(&s, key);
		table_take(&tb, &s);
		text_scalar(&s, t, m);
		table_take(&tb, &s);
		len = strlen(key);
		if (len > 6 && strcmp(key + len - 6, "_bytes") == 0)
			text_bytes(&s, t, m);
		table_take(&tb, &s);
	}
	table_finish(&tb);
	free(s.data);
}

static void
render_result(FILE *out, const struct json_tree *t,
    const struct json_node *result)
{
	const struct json_node *root = json_root(t);
	struct text s = { NULL, 0, 0 };

	text_scalar(&s, t, present(t, root, "message") != NULL ?
	    json_member(t, root, "message") : result);
	fprintf(out, "%s\n", s.data);
	free(s.data);
}

/* Members that another renderer already showed. */
static void
render_nothing(FILE *out, const struct json_tree *t,
    const struct json_node *n)
{
}

/* Anything else: "key: value" lines, "- value" in lists, indented. */
static void
render_generic(FILE *out, const struct json_tree *t,
    const struct json_node *n, unsigned indent)
{
	const struct json_node *child;
	struct text s = { NULL, 0, 0 };
	const char *key = json_key(t, n);
	bool container = n->type == JSON_ARRAY || n->type == JSON_OBJECT;

	if (key != NULL) {
		text_safe(&s, key, strlen(key));
		text_add(&s, container && json_child(t, n) != NULL ? ":" :
		    ": ");
	} else
		text_add(&s, "- ");
	if (!container)
		text_scalar(&s, t, n);
	else if (json_child(t, n) == NULL)
		text_add(&s, n->type == JSON_ARRAY ? "[]" : "{}");
	while (s.len > 0 && s.data[s.len - 1] == ' ')
		s.data[--s.len] = '\0';
	fprintf(out, "%*s%s\n", (int)indent, "", s.data);
	free(s.data);
	JSON_FOREACH(t, child, n)
		render_generic(out, t, child, indent + 2);
}

typedef void render_cb(FILE *, const struct json_tree *,
    const struct json_node *);
/* Adds the rows one element of a list makes to its table. */
typedef void rows_cb(struct table *, struct text *, const struct json_tree *,
    const struct json_node *);

/*
 * Reply members and how to show them: a function, or a list as a
 * table (columns, the rows of each element, a legend above it).
 */
static const struct renderer {
	const char		*key;
	render_cb		*render;
	const struct column	*columns;
	size_t			 column_count;
	rows_cb			*rows;
	const char		*legend;
} renderers[] = {
	{ "neighbors", NULL, COLUMNS(neighbor_columns), record_row, NULL },
	{ "neighbor", render_neighbor, NULL, 0, NULL, NULL },
	{ "routes", NULL, COLUMNS(route_columns), route_rows,
	  "flags: *> best, *= ECMP, ! rejected\n\n" },
	{ "fib", NULL, COLUMNS(fib_columns), record_row, NULL },
	{ "originated", NULL, COLUMNS(originated_columns), record_row, NULL },
	{ "memory", render_flat_object, NULL, 0, NULL, NULL },
	{ "result", render_result, NULL, 0, NULL, NULL },
	{ "message", render_nothing, NULL, 0, NULL, NULL },
};

static const struct renderer *
renderer_find(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
		if (strcmp(key, renderers[i].key) == 0)
			return &renderers[i];
	return NULL;
}

/* A list being rendered as a table, whole or streamed. */
struct text_list {
	const struct renderer	*renderer;
	struct table		 table;
	struct text		 cell;
};

static void
text_list_init(struct text_list *l, FILE *out, const struct renderer *r)
{
	if (r->legend != NULL)
		fputs(r->legend, out);
	l->renderer = r;
	table_init(&l->table, out, r->columns, r->column_count, 0, true);
	memset(&l->cell, 0, sizeof(l->cell));
}

static void
text_list_add(struct text_list *l, const struct json_tree *t,
    const struct json_node *element)
{
	l->renderer->rows(&l->table, &l->cell, t, element);
}

static void
text_list_finish(struct text_list *l)
{
	table_finish(&l->table);
	free(l->cell.data);
}

static void
render_member(FILE *out, const struct json_tree *t, const struct json_node *m)
{
	const struct renderer *r = renderer_find(json_key(t, m));
	const struct json_node *element;
	struct text_list l;

	if (r == NULL || (r->render == NULL && !json_is(m, JSON_ARRAY)))
		render_generic(out, t, m, 0);
	else if (r->render != NULL)
		r->render(out, t, m);
	else {
		text_list_init(&l, out, r);
		JSON_FOREACH(t, element, m)
			text_list_add(&l, t, element);
		text_list_finish(&l);
	}
}

int
output_text(FILE *out, const struct json_tree *reply)
{
	const struct json_node *root = json_root(reply), *m;

	if (root == NULL)
		return 0;
	if (root->type != JSON_OBJECT) {
		render_generic(out, reply, root, 0);
		return ferror(out) ? -1 : 0;
	}
	JSON_FOREACH(reply, m, root)
		render_member(out, reply, m);
	return ferror(out) ? -1 : 0;
}

/* The streamed list's state: the table, and where it goes. */
struct text_stream {
	FILE			*out;
	struct text_list	 list;
};

static void *
text_stream_begin(FILE *out, const char *member)
{
	const struct renderer *r = renderer_find(member);
	struct text_stream *st;

	if (r == NULL || r->rows == NULL)
		fatal("no table for a streamed list \"%s\"", member);
	st = xmalloc(sizeof(*st));
	st->out = out;
	text_list_init(&st->list, out, r);
	return st;
}

static int
text_stream_element(void *arg, const struct json_tree *t,
    const struct json_node *element)
{
	struct text_stream *st = arg;

	text_list_add(&st->list, t, element);
	return ferror(st->out) ? -1 : 0;
}

/* The rest of the table, then the members after the list. */
static int
text_stream_end(void *arg, const struct json_tree *reply)
{
	struct text_stream *st = arg;
	const struct json_node *m;
	FILE *out = st->out;

	text_list_finish(&st->list);
	free(st);
	for (m = json_next(reply, json_child(reply, json_root(reply)));
	    m != NULL; m = json_next(reply, m))
		render_member(out, reply, m);
	return ferror(out) ? -1 : 0;
}

const struct output_format output_text_format = {
	output_text, text_stream_begin, text_stream_element, text_stream_end,
};

bool
output_error(FILE *out, const struct json_tree *reply)
{
	const struct json_node *root = json_root(reply), *error, *detail;
	struct text s = { NULL, 0, 0 };

	if ((error = json_member(reply, root, "error")) == NULL)
		return false;
	text_scalar(&s, reply, error);
	fprintf(out, "flatbgpctl: %s\n", s.data);
	JSON_FOREACH(reply, detail, json_member(reply, root, "details")) {
		text_clear(&s);
		text_scalar(&s, reply, detail);
		fprintf(out, "%s\n", s.data);
	}
	free(s.data);
	return true;
}
