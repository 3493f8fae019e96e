/*
 * test_flatbgpctl.c - the flatbgpctl program against a tiny fake
 * daemon and against the real control server: exit codes, stdout and
 * stderr of every outcome (table, -j, daemon error with details,
 * malformed or empty reply, no daemon, stale socket, local errors),
 * and the canonical request line the CLI sends.  Also a full table:
 * 200,000 routes (74 MB of JSON, more than the limit below), read from
 * the CLI's stdout as it prints them, must come out complete and in
 * order in both formats while the CLI stays under 64 MiB.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "control.h"
#include "json_writer.h"
#include "tap.h"

#define BIG_ROUTES	200000
#define BIG_RSS_KIB	(64 * 1024)	/* the CLI's peak RSS allowed */

static char dir[] = "/tmp/test_flatbgpctl.XXXXXX";
static char fake_path[108], real_path[108], stale_path[108];
static char program[1024], ctl_dir[1024];

/* Route i of the big table: IPv4 first, then wider IPv6 prefixes. */
static void
big_prefix(size_t i, char *buf, size_t size)
{
	if (i < BIG_ROUTES / 4 * 3)
		snprintf(buf, size, "10.%zu.%zu.%zu/32", i >> 16,
		    (i >> 8) & 255, i & 255);
	else
		snprintf(buf, size, "fd00:1234:5678::%zx/128", i);
}

/* Sends what w holds and forgets it; a CLI that went away ends it. */
static void
big_send(int fd, struct json_writer *w)
{
	size_t done = 0;
	ssize_t n;

	while (done < w->len) {
		if ((n = send(fd, w->data + done, w->len - done,
		    MSG_NOSIGNAL)) == -1)
			_exit(1);
		done += (size_t)n;
	}
	json_writer_discard_output(w);
}

/* One path with every member the daemon writes (doc/control.md). */
static void
big_path(struct json_writer *w, size_t i, bool best)
{
	json_writer_object_begin(w);
	json_writer_member_bool(w, "best", best);
	json_writer_member_bool(w, "ecmp", false);
	json_writer_member_string(w, "source", best ? "192.0.2.1" :
	    "192.0.2.2");
	json_writer_member_uint(w, "source_as", best ? 65002 : 65003);
	json_writer_member_string(w, "next_hop", best ? "192.0.2.1" :
	    "192.0.2.2");
	json_writer_member_null(w, "next_hop_link_local");
	json_writer_key(w, "as_path");
	json_writer_array_begin(w);
	json_writer_uint(w, best ? 65002 : 65003);
	json_writer_uint(w, 4200000000u + i);
	json_writer_array_end(w);
	json_writer_member_string(w, "origin", "IGP");
	json_writer_member_null(w, "med");
	json_writer_member_uint(w, "local_pref", 100);
	json_writer_key(w, "communities");
	json_writer_array_begin(w);
	json_writer_array_end(w);
	json_writer_key(w, "large_communities");
	json_writer_array_begin(w);
	json_writer_array_end(w);
	json_writer_member_null(w, "originator_id");
	json_writer_key(w, "cluster_list");
	json_writer_array_begin(w);
	json_writer_array_end(w);
	if (best)
		json_writer_member_null(w, "reason");
	else
		json_writer_member_string(w, "reason", "AS path length");
	json_writer_member_bool(w, "next_hop_resolved", true);
	json_writer_member_null(w, "rejected");
	json_writer_member_uint(w, "age", 12);
	json_writer_object_end(w);
}

/* show rib: BIG_ROUTES routes, every tenth with a second path. */
static void
big_rib_route(struct json_writer *w, size_t i)
{
	char prefix[64];

	big_prefix(i, prefix, sizeof(prefix));
	json_writer_object_begin(w);
	json_writer_member_string(w, "prefix", prefix);
	json_writer_key(w, "paths");
	json_writer_array_begin(w);
	big_path(w, i, true);
	if (i % 10 == 0)
		big_path(w, i, false);
	json_writer_array_end(w);
	json_writer_object_end(w);
}

static void
big_fib_route(struct json_writer *w, size_t i)
{
	char prefix[64];

	big_prefix(i, prefix, sizeof(prefix));
	json_writer_object_begin(w);
	json_writer_member_string(w, "prefix", prefix);
	json_writer_key(w, "next_hops");
	json_writer_array_begin(w);
	json_writer_string(w, "192.0.2.1");
	json_writer_array_end(w);
	json_writer_member_uint(w, "metric", 20);
	json_writer_member_uint(w, "table", 254);
	json_writer_member_uint(w, "protocol", 186);
	json_writer_member_string(w, "state", "installed");
	json_writer_object_end(w);
}

/* Writes {"MEMBER": [...]} in chunks, as the daemon streams it. */
static void
big_reply(int fd, const char *member,
    void (*route)(struct json_writer *, size_t))
{
	struct json_writer w;
	size_t i;

	json_writer_init(&w, false);
	json_writer_object_begin(&w);
	json_writer_key(&w, member);
	json_writer_array_begin(&w);
	for (i = 0; i < BIG_ROUTES; i++) {
		route(&w, i);
		if (w.len >= 65536)
			big_send(fd, &w);
	}
	json_writer_array_end(&w);
	json_writer_object_end(&w);
	big_send(fd, &w);
	json_writer_free(&w);
}

static void
big_rib(int fd)
{
	big_reply(fd, "routes", big_rib_route);
}

static void
big_fib(int fd)
{
	big_reply(fd, "fib", big_fib_route);
}

/*
 * The fake daemon: request line -> reply (a file of tests/ctl/, text,
 * or written by a function).
 */
static const struct {
	const char	*request;
	const char	*file;
	const char	*reply;
	void		(*generate)(int);
} fake_replies[] = {
	{ "show rib\n", NULL, NULL, big_rib },
	{ "show fib\n", NULL, NULL, big_fib },
	{ "show neighbors\n", "neighbors.json", NULL, NULL },
	{ "show rib 10.1.0.0/24\n", "rib.json", NULL, NULL },
	{ "show neighbor 10.0.0.9\n", NULL,
	  "{\"error\":\"no such neighbor: 10.0.0.9\"}\n", NULL },
	{ "reload\n", NULL, "{\"error\":\"reload failed\",\"details\":"
	  "[\"flatbgp.conf:3:12: hold-time: 2 is out of range\","
	  "\"flatbgp.conf:9:5: unknown key \\\"peer\\\"\"]}\n", NULL },
	{ "clear neighbor 10.0.0.2 soft\n", "result.json", NULL, NULL },
	{ "show originated\n", NULL, "{\"originated\": [garbage",
	  NULL },
	{ "show rib 10.9.0.0/16\n", NULL, "{\"routes\": [{\"prefix\": "
	  "\"10.9.0.0/16\", \"paths\": []}, garbage", NULL },
	{ "show memory\n", NULL, "", NULL },
};

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t len;

	if (f == NULL)
		return strdup("");
	data = malloc(1 << 20);
	len = fread(data, 1, (1 << 20) - 1, f);
	data[len] = '\0';
	fclose(f);
	return data;
}

static int
listen_on(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 8) == -1)
		return -1;
	return fd;
}

static void
fake_answer(int fd)
{
	char request[4097], path[1100], *reply;
	size_t len = 0, i;
	ssize_t n;

	while (len < sizeof(request) - 1 &&
	    (n = read(fd, request + len, sizeof(request) - 1 - len)) > 0) {
		len += (size_t)n;
		if (memchr(request, '\n', len) != NULL)
			break;
	}
	request[len] = '\0';
	for (i = 0; i < sizeof(fake_replies) / sizeof(fake_replies[0]); i++)
		if (strcmp(request, fake_replies[i].request) == 0)
			break;
	if (i == sizeof(fake_replies) / sizeof(fake_replies[0])) {
		dprintf(fd, "{\"error\":\"fake: unexpected request\"}\n");
		return;
	}
	if (fake_replies[i].generate != NULL) {
		fake_replies[i].generate(fd);
		return;
	}
	if (fake_replies[i].file != NULL) {
		snprintf(path, sizeof(path), "%s/%s", ctl_dir,
		    fake_replies[i].file);
		reply = slurp(path);
	} else
		reply = strdup(fake_replies[i].reply);
	if (write(fd, reply, strlen(reply)) < 0)
		_exit(1);
	free(reply);
}

/* Serves fake replies until killed. */
static pid_t
fake_daemon_start(void)
{
	int listener = listen_on(fake_path), fd;
	pid_t pid;

	if (listener == -1 || (pid = fork()) == -1)
		return -1;
	if (pid > 0) {
		close(listener);
		return pid;
	}
	for (;;) {
		if ((fd = accept(listener, NULL, NULL)) == -1)
			_exit(errno == EINTR ? 0 : 1);
		fake_answer(fd);
		close(fd);
	}
}

static int
neighbors_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	json_writer_object_begin(out);
	json_writer_key(out, "neighbors");
	json_writer_array_begin(out);
	json_writer_object_begin(out);
	json_writer_member_string(out, "address", "192.0.2.1");
	json_writer_member_uint(out, "remote_as", 64512);
	json_writer_member_string(out, "state", "OpenSent");
	json_writer_member_uint(out, "uptime", 90061);
	json_writer_key(out, "prefixes");
	json_writer_object_begin(out);
	json_writer_member_uint(out, "received", 0);
	json_writer_member_uint(out, "accepted", 0);
	json_writer_member_uint(out, "advertised", 0);
	json_writer_object_end(out);
	json_writer_member_string(out, "description", "real server");
	json_writer_object_end(out);
	json_writer_array_end(out);
	json_writer_object_end(out);
	return 0;
}

/* The real control server with one handler, in a child process. */
static pid_t
real_daemon_start(void)
{
	struct event_base *base;
	struct control *ctl;
	char error[256];
	pid_t pid;
	int ready[2];

	if (pipe(ready) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid > 0) {
		close(ready[1]);
		if (read(ready[0], error, 1) != 1)
			pid = -1;
		close(ready[0]);
		return pid;
	}
	close(ready[0]);
	base = event_base_new();
	ctl = control_create(base, real_path, 0600, error, sizeof(error));
	if (ctl == NULL)
		_exit(1);
	control_register(ctl, CONTROL_SHOW_NEIGHBORS, neighbors_cb, NULL);
	if (write(ready[1], "r", 1) != 1)
		_exit(1);
	event_base_dispatch(base);
	_exit(0);
}

struct run {
	int	 status;
	char	*out;
	char	*err;
};

/* Runs flatbgpctl with args (NULL-terminated); collects its results. */
static void
run(struct run *r, const char *const *args)
{
	char out_path[1100], err_path[1100];
	const char *argv[16];
	pid_t pid;
	int i, fd;

	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
	argv[0] = program;
	for (i = 0; args[i] != NULL && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execv(program, (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &r->status, 0);
	r->status = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	r->out = slurp(out_path);
	r->err = slurp(err_path);
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Runs and checks exit status, stdout and stderr in one go. */
static void
expect(const char *const *args, int status, const char *out,
    const char *err, const char *name)
{
	struct run r;
	char label[256];

	run(&r, args);
	snprintf(label, sizeof(label), "%s: exit status", name);
	is_int(r.status, status, label);
	snprintf(label, sizeof(label), "%s: stdout", name);
	is_str(r.out, out, label);
	snprintf(label, sizeof(label), "%s: stderr", name);
	is_str(r.err, err, label);
	run_free(&r);
}

static char *
golden(const char *name)
{
	char path[1100];

	snprintf(path, sizeof(path), "%s/%s", ctl_dir, name);
	return slurp(path);
}

static void
test_fake(void)
{
	char *neighbors_txt = golden("neighbors.txt");
	char *neighbors_json = golden("neighbors.json");
	char *rib_txt = golden("rib.txt");

	expect((const char *[]){ "-s", fake_path, "sh", "nei", NULL }, 0,
	    neighbors_txt, "", "abbreviated show neighbors");
	expect((const char *[]){ "-j", "-s", fake_path, "show", "neighbors",
	    NULL }, 0, neighbors_json, "", "-j");
	expect((const char *[]){ "-s", fake_path, "s", "r", "10.1.0.0/24",
	    NULL }, 0, rib_txt, "", "show rib PREFIX");
	expect((const char *[]){ "-s", fake_path, "show", "neighbor",
	    "10.0.0.9", NULL }, 1, "", "flatbgpctl: no such neighbor: "
	    "10.0.0.9\n", "daemon error");
	expect((const char *[]){ "-s", fake_path, "reload", NULL }, 1, "",
	    "flatbgpctl: reload failed\nflatbgp.conf:3:12: hold-time: 2 is "
	    "out of range\nflatbgp.conf:9:5: unknown key \"peer\"\n",
	    "reload error with details");
	expect((const char *[]){ "-s", fake_path, "clear", "neighbor",
	    "10.0.0.2", "soft", NULL }, 0,
	    "soft reset requested for 10.0.0.2\n", "", "clear neighbor soft");
	expect((const char *[]){ "-s", fake_path, "show", "originated",
	    NULL }, 1, "", "flatbgpctl: malformed reply from flatbgpd: line 1 "
	    "column 17: not a JSON value\n", "malformed reply");
	expect((const char *[]){ "-s", fake_path, "show", "rib", "10.9.0.0/16",
	    NULL }, 1, "flags: *> best, *= ECMP, ! rejected\n\n",
	    "flatbgpctl: malformed reply from flatbgpd: line 1 column 53: "
	    "not a JSON value\n", "list broken off: what was printed stays");
	expect((const char *[]){ "-s", fake_path, "show", "memory", NULL }, 1,
	    "", "flatbgpctl: malformed reply from flatbgpd: line 1 column 1: "
	    "empty reply\n", "empty reply");
	free(neighbors_txt);
	free(neighbors_json);
	free(rib_txt);
}

static void
test_local(void)
{
	struct run r;
	int fd;

	expect((const char *[]){ "-s", "/nonexistent/flatbgpd.sock", "show",
	    "neighbors", NULL }, 1, "", "flatbgpctl: cannot connect to "
	    "/nonexistent/flatbgpd.sock: No such file or directory (is "
	    "flatbgpd running?)\n", "no daemon");
	fd = listen_on(stale_path);
	close(fd);
	run(&r, (const char *[]){ "-s", stale_path, "show", "fib", NULL });
	ok(r.status == 1 && strstr(r.err, "Connection refused (is flatbgpd "
	    "running?)\n") != NULL, "stale socket: connection refused");
	run_free(&r);
	expect((const char *[]){ "-s", "/nonexistent", "show", "neighbor",
	    "10.0.0.300", NULL }, 1, "", "flatbgpctl: invalid address: "
	    "10.0.0.300\n", "address checked before connecting");
	expect((const char *[]){ "-s", "/nonexistent", "show", "nothing",
	    NULL }, 1, "", "flatbgpctl: unknown command: show nothing\n",
	    "unknown command");
	run(&r, (const char *[]){ "-s", "/nonexistent", "help", NULL });
	ok(r.status == 0 && strstr(r.out, "show neighbor ADDR") != NULL &&
	    r.err[0] == '\0', "help needs no daemon");
	run_free(&r);
	run(&r, (const char *[]){ NULL });
	ok(r.status == 1 && strncmp(r.err, "usage: flatbgpctl", 17) == 0,
	    "no command: usage on stderr, exit 1");
	run_free(&r);
	run(&r, (const char *[]){ "-x", "show", "fib", NULL });
	ok(r.status == 1 && strstr(r.err, "usage: flatbgpctl") != NULL,
	    "unknown option: usage, exit 1");
	run_free(&r);
	run(&r, (const char *[]){ "-h", NULL });
	ok(r.status == 0 && strstr(r.out, "usage: flatbgpctl") != NULL,
	    "-h: usage on stdout, exit 0");
	run_free(&r);
}

/*
 * Starts flatbgpctl with args, its stdout a pipe for the caller.  In a
 * sanitizer build, AddressSanitizer's quarantine (256 MiB of freed
 * memory kept back) would count as the CLI's own: it is switched off.
 */
static pid_t
run_piped(const char *const *args, int *out)
{
	const char *argv[16], *asan = getenv("ASAN_OPTIONS");
	char options[1024];
	int fds[2], i, fd;
	pid_t pid;

	argv[0] = program;
	for (i = 0; args[i] != NULL && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (pipe(fds) == -1)
		return -1;
	fflush(stdout);
	snprintf(options, sizeof(options), "%s%squarantine_size_mb=0",
	    asan != NULL ? asan : "", asan != NULL && *asan != '\0' ? ":" : "");
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		setenv("ASAN_OPTIONS", options, 1);
		execv(program, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	*out = fds[0];
	return pid;
}

/* Waits for the CLI; checks its exit status and peak RSS. */
static void
big_wait(pid_t pid, const char *name)
{
	struct rusage usage;
	int status = -1;

	memset(&usage, 0, sizeof(usage));
	if (pid > 0)
		wait4(pid, &status, 0, &usage);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "%s: exit status 0", name);
	ok(usage.ru_maxrss > 0 && usage.ru_maxrss < BIG_RSS_KIB,
	    "%s: peak RSS %ld KiB, under %d", name, usage.ru_maxrss,
	    BIG_RSS_KIB);
}

/* Paths of route i in the big rib (rows in the text table). */
static size_t
big_paths(size_t i)
{
	return i % 10 == 0 ? 2 : 1;
}

/*
 * The text table of the big rib (rib true: flags column, a row per
 * path) or fib: every row in order, with its prefix after the flags.
 * Returns the rows seen; keeps the rows of routes 0 and
 * BIG_ROUTES / 4 * 3 (the first wider one) in first and wide.
 */
static size_t
big_text_rows(FILE *in, bool rib, char *first, char *wide, size_t size)
{
	char line[512], prefix[64];
	size_t route = 0, path = 0, rows = 0, len;
	const char *cell;

	while (fgets(line, sizeof(line), in) != NULL) {
		if (route >= BIG_ROUTES)
			return rows + 1;	/* one too many */
		big_prefix(route, prefix, sizeof(prefix));
		len = strlen(prefix);
		cell = rib ? line + 4 : line;
		if ((rib && strncmp(line, path == 0 ? "*>  " : "    ", 4) !=
		    0) || strlen(cell) <= len || strncmp(cell, prefix, len) !=
		    0 || cell[len] != ' ') {
			tap_diag("row %zu: %s", rows, line);
			return rows;
		}
		if (route == 0 && path == 0)
			snprintf(first, size, "%s", line);
		if (route == BIG_ROUTES / 4 * 3 && path == 0)
			snprintf(wide, size, "%s", line);
		rows++;
		if (!rib || ++path == big_paths(route)) {
			route++;
			path = 0;
		}
	}
	return route == BIG_ROUTES ? rows : 0;
}

static void
test_big_text(const char *command, bool rib, const char *first_want,
    const char *wide_want)
{
	char first[512] = "", wide[512] = "", line[512], name[64];
	char label[128];
	size_t rows_want = 0, i;
	FILE *in;
	pid_t pid;
	int fd;

	snprintf(name, sizeof(name), "show %s, %d routes", command,
	    BIG_ROUTES);
	for (i = 0; i < BIG_ROUTES; i++)
		rows_want += rib ? big_paths(i) : 1;
	pid = run_piped((const char *[]){ "-s", fake_path, "show", command,
	    NULL }, &fd);
	in = fdopen(fd, "r");
	if (rib) {
		ok(fgets(line, sizeof(line), in) != NULL && strcmp(line,
		    "flags: *> best, *= ECMP, ! rejected\n") == 0 &&
		    fgets(line, sizeof(line), in) != NULL &&
		    strcmp(line, "\n") == 0, "%s: legend", name);
	}
	ok(fgets(line, sizeof(line), in) != NULL && strstr(line, "Prefix") !=
	    NULL, "%s: header", name);
	snprintf(label, sizeof(label), "%s: every row, in order", name);
	is_int(big_text_rows(in, rib, first, wide, sizeof(first)), rows_want,
	    label);
	fclose(in);
	big_wait(pid, name);
	snprintf(label, sizeof(label), "%s: columns as wide as the first "
	    "rows", name);
	is_str(first, first_want, label);
	snprintf(label, sizeof(label), "%s: a later, wider row pushes its "
	    "own cells", name);
	is_str(wide, wide_want, label);
}

/*
 * Reads the next len bytes of in and compares them with what w holds,
 * then drops that; false at the first difference.
 */
static bool
big_compare(FILE *in, struct json_writer *w, char **buffer, size_t *size)
{
	bool same;

	if (*size < w->len) {
		*size = w->len;
		*buffer = realloc(*buffer, *size);
	}
	same = fread(*buffer, 1, w->len, in) == w->len &&
	    memcmp(*buffer, w->data, w->len) == 0;
	json_writer_discard_output(w);
	return same;
}

/*
 * -j: the CLI's output must be, byte for byte, the whole document
 * pretty-printed at once (the same writer, fed the routes directly).
 * Returns the routes that came out right; all of them if the document
 * also ends where it should.
 */
static size_t
big_json_routes(FILE *in, const char *member,
    void (*route)(struct json_writer *, size_t))
{
	struct json_writer w;
	char *buffer = NULL;
	size_t size = 0, i;

	json_writer_init(&w, true);
	json_writer_object_begin(&w);
	json_writer_key(&w, member);
	json_writer_array_begin(&w);
	for (i = 0; i < BIG_ROUTES; i++) {
		route(&w, i);
		if (w.len >= 65536 && !big_compare(in, &w, &buffer, &size))
			break;
	}
	json_writer_array_end(&w);
	json_writer_object_end(&w);
	if (i == BIG_ROUTES && (!json_writer_done(&w) ||
	    !big_compare(in, &w, &buffer, &size) || fgetc(in) != '\n' ||
	    fgetc(in) != EOF))
		i = 0;
	free(buffer);
	json_writer_free(&w);
	return i;
}

static void
test_big_json(const char *command, const char *member,
    void (*route)(struct json_writer *, size_t))
{
	char name[64], label[128];
	FILE *in;
	pid_t pid;
	int fd;

	snprintf(name, sizeof(name), "-j show %s, %d routes", command,
	    BIG_ROUTES);
	pid = run_piped((const char *[]){ "-j", "-s", fake_path, "show",
	    command, NULL }, &fd);
	in = fdopen(fd, "r");
	snprintf(label, sizeof(label), "%s: the whole document, every "
	    "element in order", name);
	is_int(big_json_routes(in, member, route), BIG_ROUTES, label);
	fclose(in);
	big_wait(pid, name);
}

static void
test_big(void)
{
	/* The first 1000 prefixes take at most 13 columns, later ones 25. */
	test_big_text("rib", true, "*>  10.0.0.0/32    192.0.2.1  "
	    "65002 4200000000  IGP        100    -  192.0.2.1\n", "*>  "
	    "fd00:1234:5678::249f0/128  192.0.2.1  65002 4200150000  IGP     "
	    "   100    -  192.0.2.1\n");
	test_big_json("rib", "routes", big_rib_route);
	test_big_text("fib", false, "10.0.0.0/32    192.0.2.1      20    254  "
	    "     186  installed\n", "fd00:1234:5678::249f0/128  192.0.2.1    "
	    "  20    254       186  installed\n");
	test_big_json("fib", "fib", big_fib_route);
}

static void
test_real(void)
{
	expect((const char *[]){ "-s", real_path, "show", "neighbors", NULL },
	    0, "Neighbor      AS  State     Up/Down   Rcvd  Accepted  Adv  "
	    "Description\n192.0.2.1  64512  OpenSent  1d01h01m     0         "
	    "0    0  real server\n", "", "real server, text");
	expect((const char *[]){ "-s", real_path, "show", "rib", NULL }, 1,
	    "", "flatbgpctl: unknown command: show rib\n",
	    "real server, command it does not have");
}

int
main(void)
{
	const char *builddir = getenv("top_builddir");
	const char *srcdir = getenv("top_srcdir");
	pid_t fake, real;

	snprintf(program, sizeof(program), "%s/src/flatbgpctl",
	    builddir ? builddir : ".");
	snprintf(ctl_dir, sizeof(ctl_dir), "%s/tests/ctl",
	    srcdir ? srcdir : ".");
	if (access(program, X_OK) == -1 || mkdtemp(dir) == NULL) {
		printf("1..0 # SKIP %s not built\n", program);
		return 0;
	}
	snprintf(fake_path, sizeof(fake_path), "%s/fake.sock", dir);
	snprintf(real_path, sizeof(real_path), "%s/real.sock", dir);
	snprintf(stale_path, sizeof(stale_path), "%s/stale.sock", dir);
	log_init(LOG_ERR, 0);
	fake = fake_daemon_start();
	real = real_daemon_start();
	ok(fake > 0 && real > 0, "fake and real daemons started");
	test_fake();
	test_big();
	test_local();
	test_real();
	if (fake > 0)
		kill(fake, SIGTERM);
	if (real > 0)
		kill(real, SIGTERM);
	waitpid(fake, NULL, 0);
	waitpid(real, NULL, 0);
	unlink(fake_path);
	unlink(real_path);
	unlink(stale_path);
	snprintf(real_path, sizeof(real_path), "%s/stdout", dir);
	unlink(real_path);
	snprintf(real_path, sizeof(real_path), "%s/stderr", dir);
	unlink(real_path);
	rmdir(dir);
	return tap_done();
}
