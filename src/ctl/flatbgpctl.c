/*
 * flatbgpctl.c - show and control a running flatbgpd (SPEC §2).
 *
 *	flatbgpctl [-j] [-s socket] command [argument ...]
 *
 * The command is checked and expanded locally (parser.c), sent as one
 * line over the daemon's control socket, and the one JSON document
 * that comes back is parsed (json_tree.c) and handed to the text or
 * the JSON back end.  Exit status 0 on success, 1 with a one-line
 * message on stderr for any failure, the daemon's errors included.
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
 * Reads the reply until the daemon closes the connection: at most
 * CONTROL_MAX_REPLY bytes, with CONTROL_REPLY_TIMEOUT seconds of
 * silence at most between two reads.  Returns it (caller frees).
 */
static char *
reply_read(int fd, size_t *len)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	size_t cap = 65536;
	char *data = xmalloc(cap);
	ssize_t n;
	int ready;

	*len = 0;
	for (;;) {
		ready = poll(&pfd, 1, CONTROL_REPLY_TIMEOUT * 1000);
		if (ready == -1 && errno == EINTR)
			continue;
		if (ready == -1)
			die("waiting for the reply: %s", strerror(errno));
		if (ready == 0)
			die("no reply from flatbgpd within %d seconds",
			    CONTROL_REPLY_TIMEOUT);
		if (cap - *len < 4096) {
			if (cap >= CONTROL_MAX_REPLY)
				die("reply larger than %lu MiB",
				    CONTROL_MAX_REPLY >> 20);
			cap *= 2;
			data = xrealloc(data, cap);
		}
		n = read(fd, data + *len, cap - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			die("reading the reply: %s", strerror(errno));
		if (n == 0)
			return data;
		*len += (size_t)n;
	}
}

int
main(int argc, char *argv[])
{
	const char *path = CONTROL_DEFAULT_SOCKET;
	const struct ctl_command *command;
	char line[CONTROL_MAX_REQUEST + 1], error[512];
	output_cb *output = output_text;
	struct json_tree reply;
	size_t len;
	char *text;
	int ch, fd, status = 0;

	while ((ch = getopt(argc, argv, "+hjs:")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, 0);
		case 'j':
			output = output_json;
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

	fd = control_connect(path);
	request_send(fd, line);
	text = reply_read(fd, &len);
	close(fd);
	if (json_tree_parse(&reply, text, len, error, sizeof(error)) == -1)
		die("malformed reply from flatbgpd: %s", error);
	free(text);
	if (output_error(stderr, &reply))
		status = 1;
	else if (output(stdout, &reply) == -1 || fflush(stdout) == EOF)
		die("writing the output: %s", strerror(errno));
	json_tree_free(&reply);
	return status;
}
