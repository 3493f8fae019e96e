/*
 * flatbgpctl.c - show and control a running flatbgpd (SPEC §2).
 *
 *	flatbgpctl [-j] [-s socket] command [argument ...]
 *
 * The command is checked and expanded locally (parser.c), sent as one
 * line over the daemon's control socket, and the one JSON document
 * that comes back is parsed (json_tree.c) as it arrives and handed to
 * the text or the JSON back end.  A list that a full table makes long
 * (show rib, show fib: a million routes are some 400 MB of JSON) is
 * rendered element by element while it is read, so memory stays
 * small whatever its length; any other reply is rendered once whole.
 * Exit status 0 on success, 1 with a one-line message on stderr for
 * any failure, the daemon's errors included (a reply that breaks off
 * in the middle of a list leaves the part already printed).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_proto.h"
#include "json_tree.h"
#include "log.h"
#include "output.h"
#include "parser.h"

static void __attribute__((noreturn))
usage(FILE *out, int status)
{
	fprintf(out, "usage: flatbgpctl [-j] [-s socket] command "
	    "[argument ...]\n");
	if (out == stdout)
		parser_help(out);
	exit(status);
}

static void __attribute__((noreturn)) LOG_PRINTF(1, 2)
die(const char *fmt, ...)
{
	va_list ap;

	fputs("flatbgpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Connects to the daemon; on failure exits with SPEC §2's message. */
static int
control_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		die("cannot connect to %s: %s", path, strerror(ENAMETOOLONG));
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		die("cannot connect to %s: %s%s", path, strerror(saved),
		    saved == ENOENT || saved == ECONNREFUSED ?
		    " (is flatbgpd running?)" : "");
	}
	return fd;
}

static void
request_send(int fd, const char *line)
{
	size_t len = strlen(line), done = 0;
	ssize_t n;

	while (done < len) {
		n = send(fd, line + done, len - done, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			die("sending the request: %s", strerror(errno));
		done += (size_t)n;
	}
}

/*
 * The reply as the parser pulls it from the socket, and what becomes
 * of a list in it.  held counts the bytes read since the parser last
 * handed something over: at most CONTROL_MAX_REPLY may pile up in
 * memory, which bounds a whole reply but not a streamed list.
 */
struct reply {
	int			 fd;
	size_t			 held;
	struct output_stream	 output;
};

/*
 * Reads what is there (blocking, at most CONTROL_REPLY_TIMEOUT seconds
 * of silence) until the daemon closes the connection.  Exits on an
 * error: the message is the socket's, not the parser's.
 */
static int
reply_read_cb(void *arg, unsigned char *buffer, size_t size, size_t *got)
{
	struct reply *r = arg;
	struct pollfd pfd = { r->fd, POLLIN, 0 };
	ssize_t n;
	int ready;

	for (;;) {
		ready = poll(&pfd, 1, CONTROL_REPLY_TIMEOUT * 1000);
		if (ready == -1 && errno == EINTR)
			continue;
		if (ready == -1)
			die("waiting for the reply: %s", strerror(errno));
		if (ready == 0)
			die("no reply from flatbgpd within %d seconds",
			    CONTROL_REPLY_TIMEOUT);
		n = read(r->fd, buffer, size);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			die("reading the reply: %s", strerror(errno));
		r->held += (size_t)n;
		if (r->held > CONTROL_MAX_REPLY)
			die("reply larger than %lu MiB",
			    CONTROL_MAX_REPLY >> 20);
		*got = (size_t)n;
		return 0;
	}
}

/* Renders a streamed list as it goes; exits if the output fails. */
static int
reply_list_cb(void *arg, enum json_list_event event,
    const struct json_tree *t, const struct json_node *node)
{
	struct reply *r = arg;

	r->held = 0;
	if (output_list_cb(&r->output, event, t, node) == -1)
		die("writing the output: %s", strerror(errno));
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *path = CONTROL_DEFAULT_SOCKET;
	const struct ctl_command *command;
	char line[CONTROL_MAX_REQUEST + 1], error[512];
	const struct output_format *format = &output_text_format;
	struct reply r;
	struct json_stream stream = { reply_read_cb, &r, output_list_members,
	    reply_list_cb, &r };
	struct json_tree reply;
	int ch, status = 0;

	while ((ch = getopt(argc, argv, "+hjs:")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, 0);
		case 'j':
			format = &output_json_format;
			break;
		case 's':
			path = optarg;
			break;
		default:
			usage(stderr, 1);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(stderr, 1);
	if ((command = parser_resolve(argc, argv, line, sizeof(line), error,
	    sizeof(error))) == NULL)
		die("%s", error);
	if (command->local) {
		parser_help(stdout);
		return 0;
	}

	r.fd = control_connect(path);
	r.held = 0;
	output_stream_init(&r.output, format, stdout);
	request_send(r.fd, line);
	if (json_tree_parse_stream(&reply, &stream, error, sizeof(error)) == -1)
		die("malformed reply from flatbgpd: %s", error);
	close(r.fd);
	if (output_error(stderr, &reply))
		status = 1;
	else if (output_stream_finish(&r.output, &reply) == -1 ||
	    fflush(stdout) == EOF)
		die("writing the output: %s", strerror(errno));
	json_tree_free(&reply);
	return status;
}
