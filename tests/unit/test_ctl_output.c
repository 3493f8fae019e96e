/*
 * test_ctl_output.c - flatbgpctl's back ends against golden files.
 *
 * For every tests/ctl/NAME.json (a reply as the daemon would send it,
 * pretty-printed): the JSON back end must print it back byte for byte
 * (so -j is stable), and the text back end must print NAME.txt.  Also
 * the error renderer and the command parser (abbreviations, argument
 * checks, canonical request lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_proto.h"
#include "json_tree.h"
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

static void
test_golden(const char *dir, const char *name)
{
	char path[1024], error[256], *json, *want, *got;
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

	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	want = slurp(path, &want_len);
	got = render(output_text, &t);
	if (want == NULL)
		printf("# %s missing; the text back end printed:\n%s", path,
		    got);
	is_str(got, want, name);
	free(got);
	free(want);
	free(json);
	json_tree_free(&t);
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
	test_error();
	test_parser();
	return tap_done();
}
