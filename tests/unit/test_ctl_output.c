/*
 * test_ctl_output.c - flatbgpctl's back ends against golden files.
 *
 * For every tests/ctl/NAME.json (a reply as the daemon would send it,
 * pretty-printed): the JSON back end must print it back byte for byte
 * (so -j is stable), and the text back end must print NAME.txt; both
 * must print the same again when the reply is parsed as a stream, a
 * list element by element.  Also the widths of a long table (set by
 * its first 1000 rows), the error renderer and the command parser
 * (abbreviations, argument checks, canonical request lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_proto.h"
#include "json_tree.h"
#include "json_writer.h"
#include "output.h"
#include "parser.h"
#include "tap.h"

static const char *const golden[] = {
	"neighbors", "neighbor", "neighbor-idle", "neighbor-failed", "rib",
	"fib", "originated", "memory", "result", "generic", "escape",
};

/* Reads a whole file (NUL-terminated); NULL if it cannot. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)size + 1);
		*len = fread(data, 1, (size_t)size, f);
		data[*len] = '\0';
	}
	fclose(f);
	return data;
}

/* Runs a back end into memory; returns what it printed. */
static char *
render(output_cb *output, const struct json_tree *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (output(out, t) == -1)
		fputs("(output failed)", out);
	fclose(out);
	return text;
}

/* A reply in memory, read by the streamed parser a few bytes a time. */
struct memory_input {
	const char	*data;
	size_t		 len;
	size_t		 offset;
};

static int
memory_read_cb(void *arg, unsigned char *buffer, size_t size, size_t *got)
{
	struct memory_input *in = arg;

	*got = in->len - in->offset;
	if (*got > size)
		*got = size;
	if (*got > 7)
		*got = 7;
	memcpy(buffer, in->data + in->offset, *got);
	in->offset += *got;
	return 0;
}

/* Parses json as flatbgpctl does and renders it with format. */
static char *
render_streamed(const struct output_format *format, const char *json,
    size_t len)
{
	struct memory_input in = { json, len, 0 };
	struct output_stream s;
	struct json_stream stream = { memory_read_cb, &in, output_list_members,
	    output_list_cb, &s };
	struct json_tree t;
	char *text = NULL, error[256];
	size_t text_len = 0;
	FILE *out = open_memstream(&text, &text_len);

	output_stream_init(&s, format, out);
	if (json_tree_parse_stream(&t, &stream, error, sizeof(error)) == -1)
		fprintf(out, "(parse failed: %s)", error);
	else {
		if (output_stream_finish(&s, &t) == -1)
			fputs("(output failed)", out);
		json_tree_free(&t);
	}
	fclose(out);
	return text;
}

static void
test_golden(const char *dir, const char *name)
{
	char path[1200], error[256], label[128], *json, *want, *got;
	struct json_tree t;
	size_t len, want_len;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	if ((json = slurp(path, &len)) == NULL) {
		ok(0, "%s: cannot read %s", name, path);
		return;
	}
	if (json_tree_parse(&t, json, len, error, sizeof(error)) == -1) {
		ok(0, "%s: parse: %s", name, error);
		free(json);
		return;
	}
	got = render(output_json, &t);
	is_str(got, json, name);
	free(got);
	snprintf(label, sizeof(label), "%s, streamed", name);
	got = render_streamed(&output_json_format, json, len);
	is_str(got, json, label);
	free(got);

	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	want = slurp(path, &want_len);
	got = render(output_text, &t);
	if (want == NULL)
		printf("# %s missing; the text back end printed:\n%s", path,
		    got);
	is_str(got, want, name);
	free(got);
	got = render_streamed(&output_text_format, json, len);
	is_str(got, want, label);
	free(got);
	free(want);
	free(json);
	json_tree_free(&t);
}

/* The start of line number n (from 0) of text, or "". */
static const char *
line_at(const char *text, size_t n)
{
	for (; n > 0 && text != NULL; n--)
		if ((text = strchr(text, '\n')) != NULL)
			text++;
	return text != NULL ? text : "";
}

/*
 * A fib of rows prefixes 10.0.0.0/32, ... whose last is wider: within
 * the first 1000 rows it widens the column, after them only its row.
 * Checks the start of the header, the last row but one and the last.
 */
static void
test_widths(size_t rows, const char *const want[3], const char *name)
{
	struct json_writer w;
	char prefix[64], *text;
	const char *got[3];
	size_t i;

	json_writer_init(&w, false);
	json_writer_object_begin(&w);
	json_writer_key(&w, "fib");
	json_writer_array_begin(&w);
	for (i = 0; i < rows; i++) {
		if (i + 1 < rows)
			snprintf(prefix, sizeof(prefix), "10.0.%zu.%zu/32",
			    i >> 8, i & 255);
		else
			snprintf(prefix, sizeof(prefix),
			    "fd00:1234:5678::%zx/128", i);
		json_writer_object_begin(&w);
		json_writer_member_string(&w, "prefix", prefix);
		json_writer_object_end(&w);
	}
	json_writer_array_end(&w);
	json_writer_object_end(&w);
	text = render_streamed(&output_text_format, w.data, w.len);
	got[0] = text;
	got[1] = line_at(text, rows - 1);
	got[2] = line_at(text, rows);
	for (i = 0; i < 3; i++)
		ok(strncmp(got[i], want[i], strlen(want[i])) == 0,
		    "%s: %s", name, want[i]);
	free(text);
	json_writer_free(&w);
}

static void
test_long_tables(void)
{
	static const char *const within[3] = {
		"Prefix                   Next hops  ",
		"10.0.3.230/32            -          ",
		"fd00:1234:5678::3e7/128  -          ",
	};
	static const char *const after[3] = {
		"Prefix         Next hops  ",
		"10.0.3.231/32  -          ",
		"fd00:1234:5678::3e8/128  -          ",
	};

	test_widths(1000, within, "the 1000th row sets widths");
	test_widths(1001, after, "the 1001st row widens only itself");
}

static void
test_error(void)
{
	static const char reply[] = "{\"error\": \"reload failed\", "
	    "\"details\": [\"f.conf:3:1: bad\", \"x\\u001b\"]}";
	struct json_tree t;
	char error[256], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	bool is_error;

	ok(json_tree_parse(&t, reply, sizeof(reply) - 1, error,
	    sizeof(error)) == 0, "error reply parses");
	is_error = output_error(out, &t);
	fclose(out);
	ok(is_error, "error reply recognized");
	is_str(text, "flatbgpctl: reload failed\nf.conf:3:1: bad\nx?\n",
	    "message and one line per detail, control character replaced");
	free(text);
	json_tree_free(&t);

	ok(json_tree_parse(&t, "{\"result\": \"ok\"}", 16, error,
	    sizeof(error)) == 0 && !output_error(stderr, &t),
	    "a result is no error");
	json_tree_free(&t);
}

/* Resolves a command line given as one string; returns the request. */
static const char *
resolve(const char *words)
{
	static char line[CONTROL_MAX_REQUEST + 1], error[256];
	char copy[256], *argv[CONTROL_MAX_WORDS + 2], *save = NULL, *w;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", words);
	for (w = strtok_r(copy, " ", &save); w != NULL && argc < 18;
	    w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (parser_resolve(argc, argv, line, sizeof(line), error,
	    sizeof(error)) == NULL)
		return error;
	return line;
}

static void
test_parser(void)
{
	char *argv[] = { "show", "neighbor", "10.0.0.2 x" };

	is_str(resolve("show neighbors"), "show neighbors\n", "full words");
	is_str(resolve("sh nei"), "show neighbors\n", "sh nei");
	is_str(resolve("show neighbor"), "show neighbors\n",
	    "show neighbor without address lists all");
	is_str(resolve("s n 10.0.0.2"), "show neighbor 10.0.0.2\n",
	    "abbreviated with address");
	is_str(resolve("sh su"), "show summary\n", "alias");
	is_str(resolve("sh r"), "show rib\n", "optional prefix left out");
	is_str(resolve("sh r 10.1.0.0/24"), "show rib 10.1.0.0/24\n",
	    "prefix given");
	is_str(resolve("sh r 10.1.0.1"), "show rib 10.1.0.1\n",
	    "address as host prefix");
	is_str(resolve("sh r fd00::/8"), "show rib fd00::/8\n", "IPv6 prefix");
	is_str(resolve("cl n 10.0.0.2 s"), "clear neighbor 10.0.0.2 soft\n",
	    "clear soft");
	is_str(resolve("rel"), "reload\n", "reload");
	is_str(resolve("show neighbor 10.0.0.300"),
	    "invalid address: 10.0.0.300", "bad address caught locally");
	is_str(resolve("show rib 10.1.0.1/16"), "invalid prefix: 10.1.0.1/16 "
	    "has bits set beyond its length", "host bits caught locally");
	is_str(resolve("show fob"), "unknown command: show fob",
	    "unknown command");
	is_str(resolve("clear neighbor"), "missing ADDR (usage: clear "
	    "neighbor ADDR [soft])", "missing argument");
	is_str(resolve("show fib now"), "unexpected word \"now\" (usage: "
	    "show fib)", "extra word");
	ok(strncmp(resolve("s"), "missing", 7) == 0, "lone s: incomplete");
	is_str(resolve("help"), "help\n", "help");
	{
		char line[64], error[128];

		ok(parser_resolve(3, argv, line, sizeof(line), error,
		    sizeof(error)) == NULL && strstr(error, "blank") != NULL,
		    "a word with a blank refused");
	}
}

int
main(void)
{
	const char *srcdir = getenv("top_srcdir");
	char dir[1024];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/tests/ctl", srcdir ? srcdir : ".");
	for (i = 0; i < sizeof(golden) / sizeof(golden[0]); i++)
		test_golden(dir, golden[i]);
	test_long_tables();
	test_error();
	test_parser();
	return tap_done();
}
