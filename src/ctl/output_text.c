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

struct column {
	const char	*title;
	enum align	 align;
};

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

static void
label_print(FILE *out, unsigned indent, const char *label, struct text *s)
{
	fprintf(out, "%*s%-*s %s\n", (int)indent, "",
	    (int)(LABEL_WIDTH + 2 - indent), label, s->len ? s->data : "");
	text_clear(s);
}

static void
render_neighbors(FILE *out, const struct json_tree *t,
    const struct json_node *list)
{
	static const struct column columns[] = {
		{ "Neighbor", ALIGN_LEFT }, { "AS", ALIGN_RIGHT },
		{ "State", ALIGN_LEFT }, { "Up/Down", ALIGN_LEFT },
		{ "Rcvd", ALIGN_RIGHT }, { "Accepted", ALIGN_RIGHT },
		{ "Adv", ALIGN_RIGHT }, { "Description", ALIGN_LEFT },
	};
	const struct json_node *n, *prefixes;
	struct table tb;
	struct text s = { NULL, 0, 0 };

	table_init(&tb, columns, sizeof(columns) / sizeof(columns[0]), 0,
	    true);
	JSON_FOREACH(t, n, list) {
		table_member(&tb, &s, t, n, "address");
		table_member(&tb, &s, t, n, "remote_as");
		table_member(&tb, &s, t, n, "state");
		text_duration(&s, t, json_member(t, n, "uptime"));
		table_take(&tb, &s);
		prefixes = json_member(t, n, "prefixes");
		table_member(&tb, &s, t, prefixes, "received");
		table_member(&tb, &s, t, prefixes, "accepted");
		table_member(&tb, &s, t, prefixes, "advertised");
		if (present(t, n, "description") != NULL)
			text_scalar(&s, t, json_member(t, n, "description"));
		table_take(&tb, &s);
	}
	table_print(out, &tb);
	free(s.data);
}

/* "Established, up for 00:02:03 (since 2025-11-21T18:33:20Z)" */
static void
neighbor_state(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
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
	    when != 0) {
		text_add(s, " (since ");
		text_time(s, t, json_member(t, n, "state_changed"));
		text_add(s, ")");
	}
	label_print(out, 2, "State:", s);
}

static void
neighbor_session(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
{
	text_scalar(s, t, json_member(t, n, "router_id"));
	label_print(out, 2, "Router ID:", s);
	if (present(t, n, "local_address") != NULL) {
		text_add(s, "local ");
		text_scalar(s, t, json_member(t, n, "local_address"));
		text_add(s, " port ");
		text_scalar(s, t, json_member(t, n, "local_port"));
		text_add(s, ", remote ");
		text_scalar(s, t, json_member(t, n, "address"));
		text_add(s, " port ");
		text_scalar(s, t, json_member(t, n, "remote_port"));
	} else
		text_add(s, "not connected");
	label_print(out, 2, "Connection:", s);
	if (present(t, n, "type") != NULL) {
		text_scalar(s, t, json_member(t, n, "type"));
		text_add(s, ", ");
	}
	text_add(s, json_true(json_member(t, n, "dynamic")) ? "dynamic" :
	    "configured");
	text_add(s, json_true(json_member(t, n, "passive")) ? ", passive" :
	    ", active");
	label_print(out, 2, "Type:", s);
	text_seconds(s, t, json_member(t, n, "hold_time"));
	text_add(s, " (configured ");
	text_seconds(s, t, json_member(t, n, "configured_hold_time"));
	text_add(s, "), keepalive ");
	text_seconds(s, t, json_member(t, n, "keepalive"));
	label_print(out, 2, "Hold time:", s);
	text_list(s, t, json_member(t, n, "families"), ", ");
	label_print(out, 2, "Families:", s);
}

static void
neighbor_counts(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
{
	const struct json_node *prefixes = json_member(t, n, "prefixes");
	uint64_t flaps;

	text_scalar(s, t, json_member(t, n, "established_transitions"));
	text_add(s, " to Established, ");
	text_scalar(s, t, json_member(t, n, "flaps"));
	text_add(s, json_uint(t, json_member(t, n, "flaps"), &flaps) == 0 &&
	    flaps == 1 ? " flap" : " flaps");
	label_print(out, 2, "Transitions:", s);
	text_scalar(s, t, json_member(t, prefixes, "received"));
	text_add(s, " received, ");
	text_scalar(s, t, json_member(t, prefixes, "accepted"));
	text_add(s, " accepted, ");
	text_scalar(s, t, json_member(t, prefixes, "advertised"));
	text_add(s, " advertised");
	label_print(out, 2, "Prefixes:", s);
}

static void
neighbor_capabilities(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
{
	static const char *const groups[] = {
		"advertised", "received", "negotiated"
	};
	const struct json_node *caps = json_member(t, n, "capabilities");
	char label[32];
	size_t i;

	fprintf(out, "  Capabilities\n");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		text_list(s, t, json_member(t, caps, groups[i]), ", ");
		snprintf(label, sizeof(label), "%s:", groups[i]);
		label_print(out, 4, label, s);
	}
}

/* Sent and received counters side by side, one row per message type. */
static void
neighbor_messages(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
{
	static const struct column columns[] = {
		{ "Messages", ALIGN_LEFT }, { "Sent", ALIGN_RIGHT },
		{ "Received", ALIGN_RIGHT },
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

/* "sent Cease, Administrative Shutdown (6/2) at TIME" and details. */
static void
neighbor_error(FILE *out, const struct json_tree *t,
    const struct json_node *n, struct text *s)
{
	const struct json_node *e = json_member(t, n, "last_error");

	if (!json_is(e, JSON_OBJECT)) {
		text_add(s, "none");
		label_print(out, 2, "Last error:", s);
		return;
	}
	if (present(t, e, "direction") != NULL) {
		text_scalar(s, t, json_member(t, e, "direction"));
		text_add(s, " ");
		text_scalar(s, t, json_member(t, e, "code_name"));
		text_add(s, ", ");
		text_scalar(s, t, json_member(t, e, "subcode_name"));
		text_add(s, " (");
		text_scalar(s, t, json_member(t, e, "code"));
		text_add(s, "/");
		text_scalar(s, t, json_member(t, e, "subcode"));
		text_add(s, ")");
	}
	if (present(t, e, "time") != NULL) {
		text_add(s, s->len > 0 ? " at " : "at ");
		text_time(s, t, json_member(t, e, "time"));
	}
	label_print(out, 2, "Last error:", s);
	if (present(t, e, "message") != NULL) {
		text_scalar(s, t, json_member(t, e, "message"));
		label_print(out, 4, "message:", s);
	}
	if (json_string(t, present(t, e, "data")) != NULL &&
	    json_member(t, e, "data")->length > 0) {
		text_scalar(s, t, json_member(t, e, "data"));
		label_print(out, 4, "data:", s);
	}
}

static void
render_neighbor(FILE *out, const struct json_tree *t,
    const struct json_node *n)
{
	struct text s = { NULL, 0, 0 };

	text_add(&s, "Neighbor ");
	text_scalar(&s, t, json_member(t, n, "address"));
	text_add(&s, ", remote AS ");
	text_scalar(&s, t, json_member(t, n, "remote_as"));
	text_add(&s, ", local AS ");
	text_scalar(&s, t, json_member(t, n, "local_as"));
	fprintf(out, "%s\n", s.data);
	text_clear(&s);
	if (present(t, n, "description") != NULL) {
		text_scalar(&s, t, json_member(t, n, "description"));
		label_print(out, 2, "Description:", &s);
	}
	neighbor_state(out, t, n, &s);
	neighbor_session(out, t, n, &s);
	neighbor_counts(out, t, n, &s);
	neighbor_capabilities(out, t, n, &s);
	neighbor_messages(out, t, n, &s);
	neighbor_error(out, t, n, &s);
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
static const char *
path_flags(const struct json_tree *t, const struct json_node *path)
{
	if (present(t, path, "rejected") != NULL)
		return "! ";
	if (json_true(json_member(t, path, "best")))
		return "*>";
	if (json_true(json_member(t, path, "ecmp")))
		return "*=";
	return "  ";
}

static void
render_routes(FILE *out, const struct json_tree *t,
    const struct json_node *routes)
{
	static const struct column columns[] = {
		{ "", ALIGN_LEFT }, { "Prefix", ALIGN_LEFT },
		{ "Next hop", ALIGN_LEFT }, { "AS path", ALIGN_LEFT },
		{ "Origin", ALIGN_LEFT }, { "LocPrf", ALIGN_RIGHT },
		{ "MED", ALIGN_RIGHT }, { "Source", ALIGN_LEFT },
		{ "Note", ALIGN_LEFT },
	};
	const struct json_node *route, *path, *note;
	struct table tb;
	struct text s = { NULL, 0, 0 };

	fprintf(out, "flags: *> best, *= ECMP, ! rejected\n\n");
	table_init(&tb, columns, sizeof(columns) / sizeof(columns[0]), 0,
	    true);
	JSON_FOREACH(t, route, routes) {
		JSON_FOREACH(t, path, json_member(t, route, "paths")) {
			table_cell(&tb, path_flags(t, path));
			table_member(&tb, &s, t, route, "prefix");
			table_member(&tb, &s, t, path, "next_hop");
			text_as_path(&s, t, json_member(t, path, "as_path"));
			table_take(&tb, &s);
			table_member(&tb, &s, t, path, "origin");
			table_member(&tb, &s, t, path, "local_pref");
			table_member(&tb, &s, t, path, "med");
			table_member(&tb, &s, t, path, "source");
			note = present(t, path, "rejected");
			if (note == NULL)
				note = present(t, path, "reason");
			if (note != NULL)
				text_scalar(&s, t, note);
			table_take(&tb, &s);
		}
	}
	table_print(out, &tb);
	free(s.data);
}

static void
render_fib(FILE *out, const struct json_tree *t,
    const struct json_node *list)
{
	static const struct column columns[] = {
		{ "Prefix", ALIGN_LEFT }, { "Next hops", ALIGN_LEFT },
		{ "Metric", ALIGN_RIGHT }, { "Table", ALIGN_RIGHT },
		{ "Protocol", ALIGN_RIGHT }, { "State", ALIGN_LEFT },
	};
	const struct json_node *n;
	struct table tb;
	struct text s = { NULL, 0, 0 };

	table_init(&tb, columns, sizeof(columns) / sizeof(columns[0]), 0,
	    true);
	JSON_FOREACH(t, n, list) {
		table_member(&tb, &s, t, n, "prefix");
		text_list(&s, t, json_member(t, n, "next_hops"), ", ");
		table_take(&tb, &s);
		table_member(&tb, &s, t, n, "metric");
		table_member(&tb, &s, t, n, "table");
		table_member(&tb, &s, t, n, "protocol");
		table_member(&tb, &s, t, n, "state");
	}
	table_print(out, &tb);
	free(s.data);
}

static void
render_originated(FILE *out, const struct json_tree *t,
    const struct json_node *list)
{
	static const struct column columns[] = {
		{ "Prefix", ALIGN_LEFT }, { "Source", ALIGN_LEFT },
		{ "Confirmed", ALIGN_LEFT }, { "Communities", ALIGN_LEFT },
	};
	const struct json_node *n;
	struct table tb;
	struct text s = { NULL, 0, 0 };

	table_init(&tb, columns, sizeof(columns) / sizeof(columns[0]), 0,
	    true);
	JSON_FOREACH(t, n, list) {
		table_member(&tb, &s, t, n, "prefix");
		table_member(&tb, &s, t, n, "source");
		text_time(&s, t, json_member(t, n, "confirmed"));
		table_take(&tb, &s);
		text_list(&s, t, json_member(t, n, "communities"), " ");
		table_take(&tb, &s);
	}
	table_print(out, &tb);
	free(s.data);
}

static void render_generic(FILE *, const struct json_tree *,
    const struct json_node *, unsigned);

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
		{ "", ALIGN_LEFT }, { "", ALIGN_RIGHT }, { "", ALIGN_LEFT },
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
		text_add(&s, container && json_child(t, n) != NULL ? ":" : ": ");
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

static const struct {
	const char	*key;
	render_cb	*render;
} renderers[] = {
	{ "neighbors", render_neighbors },
	{ "neighbor", render_neighbor },
	{ "routes", render_routes },
	{ "fib", render_fib },
	{ "originated", render_originated },
	{ "memory", render_flat_object },
	{ "result", render_result },
	{ "message", render_nothing },
};

int
output_text(FILE *out, const struct json_tree *reply)
{
	const struct json_node *root = json_root(reply), *m;
	size_t i;

	if (root == NULL)
		return 0;
	if (root->type != JSON_OBJECT)
		render_generic(out, reply, root, 0);
	JSON_FOREACH(reply, m, root) {
		for (i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
			if (strcmp(json_key(reply, m), renderers[i].key) == 0)
				break;
		if (i < sizeof(renderers) / sizeof(renderers[0]))
			renderers[i].render(out, reply, m);
		else
			render_generic(out, reply, m, 0);
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
