/*
 * test_flatbgpctl.c - the flatbgpctl program against a tiny fake
 * daemon and against the real control server: exit codes, stdout and
 * stderr of every outcome (table, -j, daemon error with details,
 * malformed or empty reply, no daemon, stale socket, local errors),
 * and the canonical request line the CLI sends.
 */
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
#include "tap.h"

static char dir[] = "/tmp/test_flatbgpctl.XXXXXX";
static char fake_path[108], real_path[108], stale_path[108];
static char program[1024], ctl_dir[1024];

/* The fake daemon: request line -> reply (a file of tests/ctl/ or text). */
static const struct {
	const char	*request;
	const char	*file;
	const char	*reply;
} fake_replies[] = {
	{ "show neighbors\n", "neighbors.json", NULL },
	{ "show rib 10.1.0.0/24\n", "rib.json", NULL },
	{ "show neighbor 10.0.0.9\n", NULL,
	  "{\"error\":\"no such neighbor: 10.0.0.9\"}\n" },
	{ "reload\n", NULL, "{\"error\":\"reload failed\",\"details\":"
	  "[\"flatbgp.conf:3:12: hold-time: 2 is out of range\","
	  "\"flatbgp.conf:9:5: unknown key \\\"peer\\\"\"]}\n" },
	{ "clear neighbor 10.0.0.2 soft\n", "result.json", NULL },
	{ "show fib\n", NULL, "{\"fib\": [garbage" },
	{ "show memory\n", NULL, "" },
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
	expect((const char *[]){ "-s", fake_path, "show", "fib", NULL }, 1,
	    "", "flatbgpctl: malformed reply from flatbgpd: line 1 column 10: "
	    "not a JSON value\n", "malformed reply");
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
