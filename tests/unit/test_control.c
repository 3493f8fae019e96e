/*
 * test_control.c - the control socket server over a real AF_UNIX
 * socket in a temporary directory, with fake handlers and an event
 * loop driven by the test: socket setup (stale, live, wrong file,
 * mode), every error path of the request, idle clients that must not
 * block others, the client limit, and a long reply sent in chunks.
 * Also the pure request splitter and pattern matcher.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "control.h"
#include "tap.h"

#define ROUTE_COUNT	20000

static char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static struct event_base *base;
static unsigned rib_calls;
static size_t rib_largest_chunk;

static int
neighbors_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	json_writer_object_begin(out);
	json_writer_key(out, "neighbors");
	json_writer_array_begin(out);
	json_writer_array_end(out);
	json_writer_member_string(out, "command", words[1]);
	json_writer_object_end(out);
	return 0;
}

static int
neighbor_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	if (strcmp(words[2], "10.0.0.9") == 0) {
		snprintf(error, error_size, "no such neighbor: %s", words[2]);
		return -1;
	}
	json_writer_object_begin(out);
	json_writer_key(out, "neighbor");
	json_writer_object_begin(out);
	json_writer_member_string(out, "address", words[2]);
	json_writer_object_end(out);
	json_writer_object_end(out);
	return 0;
}

/* Writes ROUTE_COUNT routes, yielding whenever a chunk is full. */
static int
rib_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	uint64_t *next = &out->resume.words[0];

	rib_calls++;
	if (*next == 0) {
		json_writer_object_begin(out);
		json_writer_key(out, "routes");
		json_writer_array_begin(out);
	}
	for (; *next < ROUTE_COUNT; (*next)++) {
		if (out->len >= CONTROL_CHUNK_BYTES) {
			if (out->len > rib_largest_chunk)
				rib_largest_chunk = out->len;
			return CONTROL_HANDLER_MORE;
		}
		json_writer_object_begin(out);
		json_writer_member_uint(out, "n", *next);
		json_writer_member_string(out, "prefix",
		    word_count == 3 ? words[2] : "10.0.0.0/8");
		json_writer_object_end(out);
	}
	json_writer_array_end(out);
	json_writer_object_end(out);
	return 0;
}

static int
clear_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	json_writer_object_begin(out);
	json_writer_member_string(out, "result", "ok");
	json_writer_member_string(out, "message", word_count == 4 ?
	    "soft" : "hard");
	json_writer_object_end(out);
	return 0;
}

static int
reload_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	static const char *const details[] = {
		"f.conf:1:1: first", "f.conf:2:3: second"
	};

	control_write_error_details(out, "reload failed", details, 2);
	return 0;
}

/* A broken handler: leaves its document open. */
static int
memory_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	json_writer_object_begin(out);
	return 0;
}

/* Moves away from under its own request, as a reload may. */
static int
self_destroy_cb(void *arg, const char *const *words, size_t word_count,
    struct json_writer *out, char *error, size_t error_size)
{
	control_destroy_later(arg);
	json_writer_object_begin(out);
	json_writer_member_string(out, "result", "ok");
	json_writer_object_end(out);
	return 0;
}

static int
client_connect(void)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 &&
	    errno != EAGAIN) {
		close(fd);
		return -1;
	}
	return fd;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Runs the event loop and reads fd until EOF or timeout_ms.  Returns
 * the bytes received (NUL-terminated, caller frees); *eof tells if the
 * server closed.
 */
static char *
collect(int fd, int timeout_ms, bool *eof)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	long deadline = now_ms() + timeout_ms;
	size_t len = 0, cap = 4096;
	char *data = malloc(cap);
	ssize_t n;

	*eof = false;
	while (!*eof && now_ms() < deadline) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		poll(&pfd, 1, 2);
		for (;;) {
			if (cap - len < 4096)
				data = realloc(data, cap *= 2);
			n = read(fd, data + len, cap - len - 1);
			if (n > 0)
				len += (size_t)n;
			else {
				/* Unread request bytes make Linux reset. */
				*eof = n == 0 || errno == ECONNRESET;
				break;
			}
		}
	}
	data[len] = '\0';
	return data;
}

/* Sends request (len bytes) on a new connection; returns the reply. */
static char *
exchange(const char *request, size_t len)
{
	char *reply;
	bool eof;
	int fd;

	if ((fd = client_connect()) == -1)
		return strdup("(connect failed)");
	if (write(fd, request, len) != (ssize_t)len) {
		close(fd);
		return strdup("(write failed)");
	}
	reply = collect(fd, 5000, &eof);
	close(fd);
	if (!eof) {
		free(reply);
		return strdup("(no EOF)");
	}
	return reply;
}

static void
check_bytes(const char *request, size_t len, const char *want,
    const char *name)
{
	char *reply = exchange(request, len);

	is_str(reply, want, name);
	free(reply);
}

static void
check(const char *request, const char *want, const char *name)
{
	check_bytes(request, strlen(request), want, name);
}

static void
test_requests(void)
{
	char big[CONTROL_MAX_REQUEST + 2];

	check("show neighbors\n", "{\"neighbors\":[],\"command\":"
	    "\"neighbors\"}\n", "show neighbors");
	check("show summary\n", "{\"neighbors\":[],\"command\":"
	    "\"summary\"}\n", "alias registered to the same handler");
	check("  show \t neighbors  \r\n", "{\"neighbors\":[],\"command\":"
	    "\"neighbors\"}\n", "blanks and CRLF");
	check("show neighbor 10.0.0.2\n", "{\"neighbor\":{\"address\":"
	    "\"10.0.0.2\"}}\n", "show neighbor ADDR");
	check("show neighbor 10.0.0.9\n", "{\"error\":\"no such neighbor: "
	    "10.0.0.9\"}\n", "handler error");
	check("show neighbor 10.0.0.300\n", "{\"error\":\"invalid address: "
	    "10.0.0.300\"}\n", "invalid address");
	check("show neighbor\n", "{\"error\":\"missing ADDR (usage: show "
	    "neighbor ADDR)\"}\n", "missing address");
	check("show neighbors now\n", "{\"error\":\"unexpected word "
	    "\\\"now\\\" (usage: show neighbors)\"}\n", "extra word");
	check("show foo\n", "{\"error\":\"unknown command: show foo\"}\n",
	    "unknown command");
	check("sh nei\n", "{\"error\":\"unknown command: sh nei\"}\n",
	    "the daemon takes no abbreviations");
	check("show rib 10.1.0.1/24\n", "{\"error\":\"invalid prefix: "
	    "10.1.0.1/24 has bits set beyond its length\"}\n",
	    "prefix with host bits");
	check("clear neighbor 10.0.0.2 soft\n", "{\"result\":\"ok\","
	    "\"message\":\"soft\"}\n", "optional word given");
	check("clear neighbor fd00::2\n", "{\"result\":\"ok\","
	    "\"message\":\"hard\"}\n", "optional word left out, IPv6");
	check("clear neighbor 10.0.0.2 hard\n", "{\"error\":\"unexpected "
	    "word \\\"hard\\\" (usage: clear neighbor ADDR [soft])\"}\n",
	    "wrong optional word");
	check("reload\n", "{\"error\":\"reload failed\",\"details\":"
	    "[\"f.conf:1:1: first\",\"f.conf:2:3: second\"]}\n",
	    "error with details");
	check("show memory\n", "{\"error\":\"internal error: invalid "
	    "reply\"}\n", "unfinished document from a handler");
	check("\n", "{\"error\":\"empty request\"}\n", "empty request");
	check("show\001 fib\n", "{\"error\":\"request holds a non-printable "
	    "byte (0x01)\"}\n", "control character");

	memset(big, ' ', sizeof(big));
	memcpy(big, "reload", 6);
	big[CONTROL_MAX_REQUEST - 1] = '\n';
	check_bytes(big, CONTROL_MAX_REQUEST, "{\"error\":\"reload failed\","
	    "\"details\":[\"f.conf:1:1: first\",\"f.conf:2:3: second\"]}\n",
	    "request of exactly the maximum length");
	big[CONTROL_MAX_REQUEST - 1] = ' ';
	big[CONTROL_MAX_REQUEST] = '\n';
	check_bytes(big, CONTROL_MAX_REQUEST + 1, "{\"error\":\"request "
	    "longer than 4096 bytes\"}\n", "request one byte too long");
	check_bytes(big, CONTROL_MAX_REQUEST, "{\"error\":\"request longer "
	    "than 4096 bytes\"}\n", "maximum length without newline");
}

/* An idle client neither blocks others nor stays forever. */
static void
test_idle_client(struct control *ctl)
{
	char *reply;
	bool eof;
	int idle;

	control_set_timeouts(ctl, 300, 1000);
	idle = client_connect();
	ok(idle != -1, "idle client connects");
	check("show neighbors\n", "{\"neighbors\":[],\"command\":"
	    "\"neighbors\"}\n", "served while another client is idle");
	is_int(control_client_count(ctl), 1, "idle client still connected");
	reply = collect(idle, 3000, &eof);
	ok(eof, "idle client disconnected after the timeout");
	is_str(reply, "{\"error\":\"no request within the timeout\"}\n",
	    "idle client told why");
	free(reply);
	close(idle);
	event_base_loop(base, EVLOOP_NONBLOCK);
	is_int(control_client_count(ctl), 0, "no client left");
	control_set_timeouts(ctl, 10000, 10000);
}

/* Beyond CONTROL_MAX_CLIENTS, clients wait in the backlog. */
static void
test_client_limit(struct control *ctl)
{
	int idle[CONTROL_MAX_CLIENTS], late, i, connected = 0;
	char *reply;
	bool eof;

	/* Let the server accept each one: the backlog is shorter. */
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		if ((idle[i] = client_connect()) != -1)
			connected++;
		event_base_loop(base, EVLOOP_NONBLOCK);
	}
	is_int(connected, CONTROL_MAX_CLIENTS, "all clients connect");
	free(collect(idle[0], 200, &eof));
	is_int(control_client_count(ctl), CONTROL_MAX_CLIENTS,
	    "server holds the maximum");
	late = client_connect();
	ok(late != -1 && write(late, "show fib\n", 9) == 9,
	    "one more connects into the backlog");
	reply = collect(late, 300, &eof);
	ok(!eof && reply[0] == '\0', "it is not served while full");
	free(reply);
	close(idle[0]);
	reply = collect(late, 3000, &eof);
	ok(eof && strstr(reply, "unknown command: show fib") != NULL,
	    "served once a slot frees up");
	free(reply);
	close(late);
	for (i = 1; i < CONTROL_MAX_CLIENTS; i++)
		close(idle[i]);
	free(collect(idle[0], 200, &eof));
	is_int(control_client_count(ctl), 0, "all clients gone");
}

/* A long reply goes out in chunks and arrives whole. */
static void
test_chunked_reply(void)
{
	char *reply, *p;
	size_t count = 0;

	reply = exchange("show rib 10.9.0.0/16\n", 21);
	for (p = reply; (p = strstr(p, "\"prefix\":\"10.9.0.0/16\"")) != NULL;
	    p++)
		count++;
	is_int(count, ROUTE_COUNT, "every route of the long reply arrived");
	ok(strncmp(reply, "{\"routes\":[{\"n\":0,", 18) == 0,
	    "reply starts with the document");
	p = reply + strlen(reply);
	ok(p - reply > 3 && strcmp(p - 3, "]}\n") == 0,
	    "reply ends with the document and a newline");
	ok(rib_calls > 2, "handler called once per chunk (%u calls)",
	    rib_calls);
	ok(rib_largest_chunk < CONTROL_CHUNK_BYTES + 1024,
	    "chunks stay near CONTROL_CHUNK_BYTES");
	free(reply);
}

/* Half-closed client without a final newline. */
static void
test_no_newline(void)
{
	char *reply;
	bool eof;
	int fd;

	fd = client_connect();
	ok(fd != -1 && write(fd, "show neighbors", 14) == 14 &&
	    shutdown(fd, SHUT_WR) == 0, "request without newline sent");
	reply = collect(fd, 3000, &eof);
	is_str(reply, "{\"neighbors\":[],\"command\":\"neighbors\"}\n",
	    "request ended by EOF is served");
	free(reply);
	close(fd);
}

static void
test_destroy_later(void)
{
	struct control *ctl;
	char error[256];

	ctl = control_create(base, socket_path, 0600, error, sizeof(error));
	if (ctl == NULL) {
		ok(0, "control for destroy_later: %s", error);
		return;
	}
	control_register(ctl, CONTROL_RELOAD, self_destroy_cb, ctl);
	check("reload\n", "{\"result\":\"ok\"}\n",
	    "reply sent although the handler destroyed its server");
	ok(access(socket_path, F_OK) == -1,
	    "socket removed by destroy_later");
}

static struct control *
create(unsigned mode, char *error, size_t size)
{
	return control_create(base, socket_path, mode, error, size);
}

static void
test_socket_setup(const char *dir)
{
	struct control *ctl, *second;
	struct sockaddr_un sun;
	struct stat st;
	char error[256], long_path[200];
	int fd;

	/* A stale socket: bound, then its owner went away. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0,
	    "stale socket file made");
	close(fd);
	ctl = create(0640, error, sizeof(error));
	ok(ctl != NULL, "stale socket replaced (%s)", ctl ? "" : error);
	ok(stat(socket_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    (st.st_mode & 07777) == 0640, "socket has the configured mode");
	second = create(0660, error, sizeof(error));
	ok(second == NULL && strstr(error, "is in use") != NULL,
	    "a live socket is not taken over");
	control_destroy(ctl);
	ok(access(socket_path, F_OK) == -1, "destroy removes the socket");

	fd = open(socket_path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ctl = create(0660, error, sizeof(error));
	ok(ctl == NULL && strstr(error, "is not a socket") != NULL,
	    "a regular file is not removed");
	ok(access(socket_path, F_OK) == 0, "the regular file is still there");
	unlink(socket_path);

	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	ok(control_create(base, long_path, 0660, error,
	    sizeof(error)) == NULL && strstr(error, "too long") != NULL,
	    "path longer than sun_path refused");
	(void)dir;
}

static void
test_pure(void)
{
	struct control_request req;
	struct control_pattern patterns[4];
	const char *words[] = { "sh", "nei" }, *expanded[CONTROL_MAX_WORDS];
	const char *three[] = { "s", "nei", "fd00::1" };
	const char *amb[] = { "show", "ne" };
	char error[256], many[64];
	int i;

	ok(control_request_parse(&req, "a b", 3, error, sizeof(error)) == 0 &&
	    req.word_count == 2 && strcmp(req.words[1], "b") == 0,
	    "split two words");
	memset(many, 0, sizeof(many));
	for (i = 0; i < CONTROL_MAX_WORDS + 1; i++)
		strcat(many, "w ");
	ok(control_request_parse(&req, many, strlen(many), error,
	    sizeof(error)) == -1 && strstr(error, "more than 16") != NULL,
	    "too many words");
	ok(control_request_parse(&req, "a\0b", 3, error, sizeof(error)) == -1,
	    "NUL byte refused");
	ok(control_request_parse(&req, "caf\xc3\xa9", 5, error,
	    sizeof(error)) == -1, "non-ASCII refused");

	ok(control_pattern_compile(&patterns[0], "show neighbors") == 0 &&
	    control_pattern_compile(&patterns[1], "show neighbor ADDR") == 0 &&
	    control_pattern_compile(&patterns[2],
	    "show network [PREFIX]") == 0 &&
	    control_pattern_compile(&patterns[3], "show fib") == 0,
	    "patterns compile");
	i = control_pattern_find(patterns, 4, words, 2, true, expanded, error,
	    sizeof(error));
	ok(i == 0 && strcmp(expanded[0], "show") == 0 &&
	    strcmp(expanded[1], "neighbors") == 0, "abbreviation expanded");
	i = control_pattern_find(patterns, 4, three, 3, true, expanded, error,
	    sizeof(error));
	ok(i == 1 && strcmp(expanded[1], "neighbor") == 0 &&
	    strcmp(expanded[2], "fd00::1") == 0, "abbreviation with argument");
	i = control_pattern_find(patterns, 4, amb, 2, true, expanded, error,
	    sizeof(error));
	ok(i == -1 && strncmp(error, "ambiguous command: show ne", 26) == 0,
	    "ambiguous abbreviation");
	amb[1] = "network";
	i = control_pattern_find(patterns, 4, amb, 2, true, expanded, error,
	    sizeof(error));
	ok(i == 2, "literal in full wins, optional left out");
	i = control_pattern_find(patterns, 4, words, 2, false, expanded, error,
	    sizeof(error));
	ok(i == -1 && strcmp(error, "unknown command: sh nei") == 0,
	    "no abbreviations when exact");
	for (i = 0; i < 4; i++)
		control_pattern_free(&patterns[i]);
	ok(control_pattern_compile(&patterns[0], "show [x") == -1 &&
	    control_pattern_compile(&patterns[0], "Show") == -1 &&
	    control_pattern_compile(&patterns[0], "") == -1 &&
	    control_pattern_compile(&patterns[0], "show []") == -1,
	    "malformed patterns refused");
}

static void
register_all(struct control *ctl)
{
	control_register(ctl, CONTROL_SHOW_NEIGHBORS, neighbors_cb, NULL);
	control_register(ctl, CONTROL_SHOW_SUMMARY, neighbors_cb, NULL);
	control_register(ctl, CONTROL_SHOW_NEIGHBOR, neighbor_cb, NULL);
	control_register(ctl, CONTROL_SHOW_RIB, rib_cb, NULL);
	control_register(ctl, CONTROL_CLEAR_NEIGHBOR, clear_cb, NULL);
	control_register(ctl, CONTROL_RELOAD, reload_cb, NULL);
	control_register(ctl, CONTROL_SHOW_MEMORY, memory_cb, NULL);
}

int
main(void)
{
	struct control *ctl;
	char dir[] = "/tmp/test_control.XXXXXX", error[256];

	log_init(LOG_ERR, 0);
	base = event_base_new();
	if (mkdtemp(dir) == NULL || base == NULL) {
		printf("Bail out! no temp dir or event base\n");
		return 1;
	}
	snprintf(socket_path, sizeof(socket_path), "%s/ctl.sock", dir);
	test_pure();
	test_socket_setup(dir);
	test_destroy_later();
	ctl = control_create(base, socket_path, 0660, error, sizeof(error));
	if (ctl == NULL) {
		printf("Bail out! %s\n", error);
		return 1;
	}
	register_all(ctl);
	test_requests();
	test_no_newline();
	test_chunked_reply();
	test_idle_client(ctl);
	test_client_limit(ctl);
	control_destroy(ctl);
	event_base_free(base);
	rmdir(dir);
	return tap_done();
}
