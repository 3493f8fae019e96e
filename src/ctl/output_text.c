/*
 * output_text.c - the text back end: tables and key/value blocks in
 * the manner of bgpctl.
 *
 * A reply is an object whose member names say what it holds
 * ("neighbors", "routes", ...); a table maps each name to the function
 * that renders it, and anything unknown is rendered generically as
 * "key: value" lines, so a newer daemon never leaves the CLI mute.
 * Tables are collected first and printed with computed column widths.
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

/* Rows of cells, printed once all are known. */
struct table {
	const struct column	*columns;
	size_t			 column_count;
	unsigned		 indent;
	bool			 header;
	struct text		 cells;		/* NUL-terminated cells */
	size_t			*offsets;	/* of each cell in cells */
	size_t			 cell_count;
	size_t			 cell_cap;
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
table_init(struct table *tb, const struct column *columns, size_t count,
    unsigned indent, bool header)
{
	memset(tb, 0, sizeof(*tb));
	tb->columns = columns;
	tb->column_count = count;
	tb->indent = indent;
	tb->header = header;
}

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

/* Prints one row; the last column is not padded, blanks are trimmed. */
static void
table_row_print(FILE *out, const struct table *tb, const char *const *row,
    const size_t *widths, struct text *line)
{
	size_t i, pad;

	text_clear(line);
	text_printf(line, "%*s", (int)tb->indent, "");
	for (i = 0; i < tb->column_count; i++) {
		pad = widths[i] - display_width(row[i]);
		if (tb->columns[i].align == ALIGN_RIGHT)
			text_printf(line, "%*s", (int)pad, "");
		text_add(line, row[i]);
		if (tb->columns[i].align == ALIGN_LEFT)
			text_printf(line, "%*s", (int)pad, "");
		text_add(line, "  ");
	}
	while (line->len > 0 && line->data[line->len - 1] == ' ')
		line->data[--line->len] = '\0';
	fprintf(out, "%s\n", line->data);
}

static void
table_print(FILE *out, struct table *tb)
{
	size_t widths[TABLE_MAX_COLUMNS], i, r, width;
	const char *row[TABLE_MAX_COLUMNS];
	struct text line = { NULL, 0, 0 };

	for (i = 0; i < tb->column_count; i++)
		widths[i] = tb->header ? display_width(tb->columns[i].title) :
		    0;
	for (i = 0; i < tb->cell_count; i++) {
		width = display_width(tb->cells.data + tb->offsets[i]);
		if (width > widths[i % tb->column_count])
			widths[i % tb->column_count] = width;
	}
	if (tb->header) {
		for (i = 0; i < tb->column_count; i++)
			row[i] = tb->columns[i].title;
		table_row_print(out, tb, row, widths, &line);
	}
	for (r = 0; r + tb->column_count <= tb->cell_count;
	    r += tb->column_count) {
		for (i = 0; i < tb->column_count; i++)
			row[i] = tb->cells.data + tb->offsets[r + i];
		table_row_print(out, tb, row, widths, &line);
	}
	free(line.data);
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

	table_init(&tb, columns, 3, 2, true);
	JSON_FOREACH(t, m, json_is(sent, JSON_OBJECT) ? sent : NULL) {
		text_add(s, "  ");
		text_label(s, json_key(t, m));
		table_take(&tb, s);
		table_member(&tb, s, t, sent, json_key(t, m));
		table_member(&tb, s, t, received, json_key(t, m));
	}
	table_print(out, &tb);
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

/* A list of records as a table, one row each. */
static void
render_rows(FILE *out, const struct json_tree *t,
    const struct json_node *list, const struct column *columns,
    size_t count)
{
	const struct json_node *row;
	struct table tb;
	struct text s = { NULL, 0, 0 };

	if (!json_is(list, JSON_ARRAY)) {
		render_generic(out, t, list, 0);
		return;
	}
	table_init(&tb, columns, count, 0, true);
	JSON_FOREACH(t, row, list)
		table_row(&tb, &s, t, row, NULL);
	table_print(out, &tb);
	free(s.data);
}


static void
render_routes(FILE *out, const struct json_tree *t,
    const struct json_node *routes)
{
	const struct json_node *route, *path;
	struct table tb;
	struct text s = { NULL, 0, 0 };

	fprintf(out, "flags: *> best, *= ECMP, ! rejected\n\n");
	table_init(&tb, COLUMNS(route_columns), 0, true);
	JSON_FOREACH(t, route, routes)
		JSON_FOREACH(t, path, json_member(t, route, "paths"))
			table_row(&tb, &s, t, path, route);
	table_print(out, &tb);
	free(s.data);
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
	table_init(&tb, columns, 3, 0, false);
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
	table_print(out, &tb);
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

/* Reply members and how to show them: a function, or a table's columns. */
static const struct {
	const char		*key;
	render_cb		*render;
	const struct column	*columns;
	size_t			 column_count;
} renderers[] = {
	{ "neighbors", NULL, COLUMNS(neighbor_columns) },
	{ "neighbor", render_neighbor, NULL, 0 },
	{ "routes", render_routes, NULL, 0 },
	{ "fib", NULL, COLUMNS(fib_columns) },
	{ "originated", NULL, COLUMNS(originated_columns) },
	{ "memory", render_flat_object, NULL, 0 },
	{ "result", render_result, NULL, 0 },
	{ "message", render_nothing, NULL, 0 },
};

int
output_text(FILE *out, const struct json_tree *reply)
{
	const struct json_node *root = json_root(reply), *m;
	size_t i;

	if (root == NULL)
		return 0;
	if (root->type != JSON_OBJECT) {
		render_generic(out, reply, root, 0);
		return ferror(out) ? -1 : 0;
	}
	JSON_FOREACH(reply, m, root) {
		for (i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
			if (strcmp(json_key(reply, m), renderers[i].key) == 0)
				break;
		if (i == sizeof(renderers) / sizeof(renderers[0]))
			render_generic(out, reply, m, 0);
		else if (renderers[i].render != NULL)
			renderers[i].render(out, reply, m);
		else
			render_rows(out, reply, m, renderers[i].columns,
			    renderers[i].column_count);
	}
	return ferror(out) ? -1 : 0;
}

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
