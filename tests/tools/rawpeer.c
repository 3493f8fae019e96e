/*
 * rawpeer - a scriptable, deliberately dumb BGP speaker for malformed-input
 * tests.
 *
 * It opens one TCP connection (connects, or listens and accepts one), then
 * executes a script read from stdin, one command per line, and stops at the
 * first failed expectation. It knows the BGP message header (RFC 4271 §4.1)
 * and how to build an OPEN (§4.2) with capabilities (RFC 5492), nothing
 * else: everything else is raw hex, so a test can send any byte sequence.
 *
 *   rawpeer [-6] [-t SECONDS] [-b ADDR] -c HOST PORT   connect to HOST:PORT
 *   rawpeer [-6] [-t SECONDS] [-b ADDR] -l PORT        accept one connection
 *
 * -6 uses IPv6 (for -l: listen on "::"); -t bounds connect/accept [30 s];
 * -b binds the local end to ADDR (a source address for -c, the listening
 * address for -l).
 *
 * Script commands (blank lines and lines starting with '#' are skipped):
 *   send HEX...                  write raw bytes (whitespace in HEX allowed)
 *   msg TYPE [HEX...]            write a message: marker, length, TYPE, body
 *   open AS HOLD ROUTER_ID [CAPS-HEX|-]
 *                                write an OPEN. Without CAPS-HEX: MP IPv4 and
 *                                IPv6 unicast, route refresh, 4-octet AS.
 *                                CAPS-HEX: the capability TLVs, sent in one
 *                                optional parameter of type 2; "-": none.
 *                                An AS above 65535 goes in the 4-octet AS
 *                                capability and AS_TRANS (23456) in the header.
 *   keepalive                    write a KEEPALIVE
 *   expect-type N [TIMEOUT]      read the next message; fail unless type N
 *   expect-notification CODE SUBCODE [TIMEOUT]
 *                                read messages (OPEN, UPDATE and KEEPALIVE
 *                                are printed and skipped) until a
 *                                NOTIFICATION; fail unless it carries
 *                                CODE/SUBCODE ("*" matches any subcode)
 *   expect-close [TIMEOUT]       fail unless the peer closes the connection
 *                                (messages meanwhile are printed)
 *   expect-up MS                 fail if the peer sends a NOTIFICATION or
 *                                closes within MS milliseconds
 *   read-all MS                  print every message received within MS ms
 *   auto-keepalive SECONDS       from now on send a KEEPALIVE every SECONDS
 *                                while waiting in expect-* and read-all
 *                                (0: stop); use it after the OPEN exchange
 *   sleep MS                     pause (sends no KEEPALIVE)
 *
 * TIMEOUTs are in seconds (decimals allowed) [10]. Every received message
 * is printed on stdout as "recv TYPE LEN BODY-HEX" (LEN: the header's
 * length field, BODY: the bytes after the 19-octet header); a close as
 * "closed". Diagnostics go to stderr.
 *
 * Exit status: 0 script done, 1 an expectation failed (or the peer sent a
 * message with a bad header: marker not all ones, length outside 19..4096),
 * 2 usage, connection or I/O error.
 *
 * Build: cc -std=c11 -Wall -Wextra -O2 -o rawpeer rawpeer.c (libc only).
 */

#define _POSIX_C_SOURCE 200809L

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BGP_HDR_LEN		19
#define BGP_MAX_LEN		4096
#define BGP_OPEN		1
#define BGP_UPDATE		2
#define BGP_NOTIFICATION	3
#define BGP_KEEPALIVE		4
#define AS_TRANS		23456
#define DEFAULT_TIMEOUT_MS	10000
#define MAX_LINE		65536

enum { EXIT_EXPECT = 1, EXIT_USAGE = 2 };

/* Result of read_msg(). */
enum rd { RD_MSG, RD_EOF, RD_TIMEOUT, RD_BAD };

struct msg {
	unsigned int	 type;
	unsigned int	 len;
	uint8_t		 data[BGP_MAX_LEN];	/* whole message, header incl. */
};

/* Bytes received but not yet framed into a message. */
static uint8_t	 inbuf[2 * BGP_MAX_LEN];
static size_t	 inlen;
static int	 sock = -1;
static int	 lineno;
static int64_t	 ka_interval;		/* auto-keepalive period, ms; 0: off */
static int64_t	 ka_next;		/* when the next one is due */

static void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rawpeer: ");
	if (lineno > 0)
		fprintf(stderr, "line %d: ", lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rawpeer: ");
	if (lineno > 0)
		fprintf(stderr, "line %d: ", lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Parse a non-negative decimal integer no larger than max; -1 if invalid. */
static long long
parse_num(const char *s, long long max)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > max)
		return -1;
	return v;
}

/* Seconds (decimals allowed, at most 1 day) to milliseconds; -1 if invalid. */
static long long
parse_timeout(const char *s)
{
	char *end;
	double v;

	if (s == NULL)
		return DEFAULT_TIMEOUT_MS;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || v < 0 || v > 86400)
		return -1;
	return (long long)(v * 1000);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Append the hex in the words argv[0..argc-1] (whitespace already split off)
 * to out, at most cap bytes in all. Returns the new length or -1 (odd digit
 * count, bad digit, too long).
 */
static long
parse_hex(char **argv, int argc, uint8_t *out, size_t len, size_t cap)
{
	int hi = -1, i;
	const char *p;

	for (i = 0; i < argc; i++) {
		for (p = argv[i]; *p != '\0'; p++) {
			int v = hexval((unsigned char)*p);

			if (v < 0)
				return -1;
			if (hi < 0) {
				hi = v;
				continue;
			}
			if (len >= cap)
				return -1;
			out[len++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)len : -1;
}

static void
print_msg(const struct msg *m)
{
	unsigned int i;

	printf("recv %u %u", m->type, m->len);
	if (m->len > BGP_HDR_LEN)
		putchar(' ');
	for (i = BGP_HDR_LEN; i < m->len; i++)
		printf("%02x", m->data[i]);
	putchar('\n');
}

/* Write all of buf; exits with EXIT_EXPECT if the peer has gone. */
static void
send_all(const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(sock, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(EXIT_EXPECT, "send: %s", strerror(errno));
		buf += n;
		len -= (size_t)n;
	}
}

/* Send header + body; the body may make the message exceed the maximum,
 * which is allowed on purpose (the length field then wraps to 16 bits). */
static void
send_msg(unsigned int type, const uint8_t *body, size_t blen)
{
	static uint8_t buf[BGP_HDR_LEN + MAX_LINE];
	size_t len = BGP_HDR_LEN + blen;

	memset(buf, 0xff, 16);
	buf[16] = (uint8_t)(len >> 8);
	buf[17] = (uint8_t)len;
	buf[18] = (uint8_t)type;
	if (blen > 0)
		memcpy(buf + BGP_HDR_LEN, body, blen);
	send_all(buf, len);
}

/*
 * Frame one message from inbuf into *m if a complete one is there.
 * Returns 1 (framed), 0 (need more bytes) or -1 (bad header).
 */
static int
frame(struct msg *m)
{
	unsigned int len;
	int i;

	if (inlen < BGP_HDR_LEN)
		return 0;
	for (i = 0; i < 16; i++)
		if (inbuf[i] != 0xff) {
			diag("bad marker in received header");
			return -1;
		}
	len = (unsigned int)inbuf[16] << 8 | inbuf[17];
	if (len < BGP_HDR_LEN || len > BGP_MAX_LEN) {
		diag("bad length %u in received header", len);
		return -1;
	}
	if (inlen < len)
		return 0;
	m->type = inbuf[18];
	m->len = len;
	memcpy(m->data, inbuf, len);
	memmove(inbuf, inbuf + len, inlen - len);
	inlen -= len;
	return 1;
}

static void send_msg(unsigned int, const uint8_t *, size_t);

/* Send the KEEPALIVE of auto-keepalive if due; returns ms until the next. */
static int64_t
keepalive_due(void)
{
	int64_t now = now_ms();

	if (ka_interval == 0)
		return INT64_MAX;
	if (now >= ka_next) {
		send_msg(BGP_KEEPALIVE, NULL, 0);
		ka_next = now + ka_interval;
	}
	return ka_next - now;
}

/* Read one message, waiting at most timeout_ms. */
static enum rd
read_msg(struct msg *m, long long timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct pollfd pfd;
	ssize_t n;
	int r;

	for (;;) {
		r = frame(m);
		if (r > 0)
			return RD_MSG;
		if (r < 0)
			return RD_BAD;
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return RD_TIMEOUT;
		int64_t ka = keepalive_due();
		if (ka < left)
			left = ka;
		pfd.fd = sock;
		pfd.events = POLLIN;
		r = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die(EXIT_USAGE, "poll: %s", strerror(errno));
		if (r == 0)
			continue;
		n = recv(sock, inbuf + inlen, sizeof(inbuf) - inlen, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == ECONNRESET || errno == EPIPE))
			return RD_EOF;
		if (n < 0)
			die(EXIT_USAGE, "recv: %s", strerror(errno));
		if (n == 0)
			return RD_EOF;
		inlen += (size_t)n;
	}
}

/* Build and send an OPEN. argv: AS HOLD ROUTER_ID [CAPS-HEX|-]. */
static void
cmd_open(char **argv, int argc)
{
	uint8_t body[BGP_MAX_LEN], caps[BGP_MAX_LEN];
	long long as, hold;
	struct in_addr rid;
	long clen;
	size_t len = 0;

	if (argc < 3)
		die(EXIT_USAGE, "usage: open AS HOLD ROUTER_ID [CAPS-HEX|-]");
	as = parse_num(argv[0], 4294967295LL);
	hold = parse_num(argv[1], 65535);
	if (as < 0 || hold < 0 || inet_pton(AF_INET, argv[2], &rid) != 1)
		die(EXIT_USAGE, "open: bad AS, hold time or router id");
	if (argc == 3) {
		static const uint8_t def[] = {
			1, 4, 0, 1, 0, 1,	/* MP IPv4 unicast */
			1, 4, 0, 2, 0, 1,	/* MP IPv6 unicast */
			2, 0,			/* route refresh */
			65, 4,			/* 4-octet AS, value below */
		};
		memcpy(caps, def, sizeof(def));
		clen = sizeof(def);
		caps[clen++] = (uint8_t)(as >> 24);
		caps[clen++] = (uint8_t)(as >> 16);
		caps[clen++] = (uint8_t)(as >> 8);
		caps[clen++] = (uint8_t)as;
	} else if (strcmp(argv[3], "-") == 0 && argc == 4) {
		clen = 0;
	} else {
		clen = parse_hex(argv + 3, argc - 3, caps, 0, 255);
		if (clen < 0)
			die(EXIT_USAGE, "open: bad CAPS-HEX (at most 255 bytes)");
	}
	body[len++] = 4;			/* version */
	body[len++] = (uint8_t)((as > 65535 ? AS_TRANS : as) >> 8);
	body[len++] = (uint8_t)(as > 65535 ? AS_TRANS : as);
	body[len++] = (uint8_t)(hold >> 8);
	body[len++] = (uint8_t)hold;
	memcpy(body + len, &rid, 4);		/* network order already */
	len += 4;
	if (clen == 0) {
		body[len++] = 0;
	} else {
		if (clen > 253)
			die(EXIT_USAGE, "open: capabilities too long");
		body[len++] = (uint8_t)(clen + 2);	/* opt params length */
		body[len++] = 2;			/* param: capabilities */
		body[len++] = (uint8_t)clen;
		memcpy(body + len, caps, (size_t)clen);
		len += (size_t)clen;
	}
	send_msg(BGP_OPEN, body, len);
}

static void
cmd_expect_type(char **argv, int argc)
{
	struct msg m;
	long long type, to;

	type = argc >= 1 ? parse_num(argv[0], 255) : -1;
	to = parse_timeout(argc >= 2 ? argv[1] : NULL);
	if (type < 0 || to < 0)
		die(EXIT_USAGE, "usage: expect-type N [TIMEOUT]");
	switch (read_msg(&m, to)) {
	case RD_MSG:
		print_msg(&m);
		if (m.type != type)
			die(EXIT_EXPECT, "expected type %lld, got %u", type, m.type);
		return;
	case RD_EOF:
		printf("closed\n");
		die(EXIT_EXPECT, "expected type %lld, connection closed", type);
	case RD_TIMEOUT:
		die(EXIT_EXPECT, "expected type %lld, timeout", type);
	case RD_BAD:
		die(EXIT_EXPECT, "expected type %lld, bad message", type);
	}
}

static void
cmd_expect_notification(char **argv, int argc)
{
	long long code, sub, to;
	int64_t deadline;
	struct msg m;

	code = argc >= 1 ? parse_num(argv[0], 255) : -1;
	if (argc >= 2 && strcmp(argv[1], "*") == 0)
		sub = 256;			/* any */
	else
		sub = argc >= 2 ? parse_num(argv[1], 255) : -1;
	to = parse_timeout(argc >= 3 ? argv[2] : NULL);
	if (code < 0 || sub < 0 || to < 0)
		die(EXIT_USAGE, "usage: expect-notification CODE SUBCODE [TIMEOUT]");
	deadline = now_ms() + to;
	for (;;) {
		switch (read_msg(&m, deadline - now_ms())) {
		case RD_MSG:
			print_msg(&m);
			if (m.type == BGP_KEEPALIVE || m.type == BGP_UPDATE ||
			    m.type == BGP_OPEN)
				continue;
			if (m.type != BGP_NOTIFICATION)
				die(EXIT_EXPECT, "expected NOTIFICATION, got type %u", m.type);
			if (m.len < BGP_HDR_LEN + 2)
				die(EXIT_EXPECT, "NOTIFICATION too short");
			if (m.data[19] != code || (sub < 256 && m.data[20] != sub))
				die(EXIT_EXPECT, "expected NOTIFICATION %lld/%s, got %u/%u",
				    code, argv[1], m.data[19], m.data[20]);
			return;
		case RD_EOF:
			printf("closed\n");
			die(EXIT_EXPECT, "expected NOTIFICATION, connection closed");
		case RD_TIMEOUT:
			die(EXIT_EXPECT, "expected NOTIFICATION, timeout");
		case RD_BAD:
			die(EXIT_EXPECT, "expected NOTIFICATION, bad message");
		}
	}
}

/*
 * Read and print messages for ms milliseconds or until the peer closes.
 * fail_on_notify: exit with EXIT_EXPECT on a NOTIFICATION. Returns 1 if the
 * peer closed, 0 on timeout.
 */
static int
drain(long long ms, int fail_on_notify)
{
	int64_t deadline = now_ms() + ms;
	struct msg m;

	for (;;) {
		switch (read_msg(&m, deadline - now_ms())) {
		case RD_MSG:
			print_msg(&m);
			if (fail_on_notify && m.type == BGP_NOTIFICATION)
				die(EXIT_EXPECT, "unexpected NOTIFICATION");
			continue;
		case RD_EOF:
			printf("closed\n");
			return 1;
		case RD_TIMEOUT:
			return 0;
		case RD_BAD:
			die(EXIT_EXPECT, "bad message");
		}
	}
}

/* Split line into at most max words in place; returns the count. */
static int
split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (argc < max) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p == '\0' ? argc : -1;
}

static void
run_command(char **argv, int argc)
{
	static uint8_t buf[MAX_LINE];
	const char *cmd = argv[0];
	long long v;
	long n;

	argv++;
	argc--;
	if (strcmp(cmd, "send") == 0) {
		n = parse_hex(argv, argc, buf, 0, sizeof(buf));
		if (n < 0)
			die(EXIT_USAGE, "send: bad hex");
		send_all(buf, (size_t)n);
	} else if (strcmp(cmd, "msg") == 0) {
		v = argc >= 1 ? parse_num(argv[0], 255) : -1;
		n = v < 0 ? -1 : parse_hex(argv + 1, argc - 1, buf, 0,
		    sizeof(buf) - BGP_HDR_LEN);
		if (n < 0)
			die(EXIT_USAGE, "usage: msg TYPE [HEX...]");
		send_msg((unsigned int)v, buf, (size_t)n);
	} else if (strcmp(cmd, "open") == 0) {
		cmd_open(argv, argc);
	} else if (strcmp(cmd, "keepalive") == 0) {
		send_msg(BGP_KEEPALIVE, buf, 0);
	} else if (strcmp(cmd, "expect-type") == 0) {
		cmd_expect_type(argv, argc);
	} else if (strcmp(cmd, "expect-notification") == 0) {
		cmd_expect_notification(argv, argc);
	} else if (strcmp(cmd, "expect-close") == 0) {
		v = parse_timeout(argc >= 1 ? argv[0] : NULL);
		if (v < 0)
			die(EXIT_USAGE, "usage: expect-close [TIMEOUT]");
		if (!drain(v, 0))
			die(EXIT_EXPECT, "expected close, timeout");
	} else if (strcmp(cmd, "expect-up") == 0) {
		v = argc == 1 ? parse_num(argv[0], 86400000) : -1;
		if (v < 0)
			die(EXIT_USAGE, "usage: expect-up MS");
		if (drain(v, 1))
			die(EXIT_EXPECT, "connection closed");
	} else if (strcmp(cmd, "read-all") == 0) {
		v = argc == 1 ? parse_num(argv[0], 86400000) : -1;
		if (v < 0)
			die(EXIT_USAGE, "usage: read-all MS");
		drain(v, 0);
	} else if (strcmp(cmd, "auto-keepalive") == 0) {
		v = argc == 1 ? parse_num(argv[0], 65535) : -1;
		if (v < 0)
			die(EXIT_USAGE, "usage: auto-keepalive SECONDS");
		ka_interval = v * 1000;
		ka_next = now_ms() + ka_interval;
	} else if (strcmp(cmd, "sleep") == 0) {
		v = argc == 1 ? parse_num(argv[0], 86400000) : -1;
		if (v < 0)
			die(EXIT_USAGE, "usage: sleep MS");
		struct timespec ts = { v / 1000, (v % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
	} else {
		die(EXIT_USAGE, "unknown command '%s'", cmd);
	}
	fflush(stdout);
}

/* Wait (bounded) until fd is ready for events; 0 if ready, -1 on timeout. */
static int
wait_fd(int fd, short events, long long ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t deadline = now_ms() + ms;
	int r;

	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return -1;
		r = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* Bind fd to the numeric address addr (port 0 for an outgoing socket). */
static void
bind_local(int fd, int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = in6addr_any;
		if (addr != NULL && inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			die(EXIT_USAGE, "bad IPv6 address %s", addr);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		if (addr != NULL && inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			die(EXIT_USAGE, "bad IPv4 address %s", addr);
		sl = sizeof(*s4);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		die(EXIT_USAGE, "bind %s port %u: %s", addr != NULL ? addr : "*",
		    port, strerror(errno));
}

static int
do_connect(int family, const char *host, const char *port, const char *local,
    long long ms)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((err = getaddrinfo(host, port, &hints, &res)) != 0)
		die(EXIT_USAGE, "%s: %s", host, gai_strerror(err));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (local != NULL)
			bind_local(fd, ai->ai_family, local, 0);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		diag("connect %s port %s: %s", host, port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		die(EXIT_USAGE, "cannot connect");
	return fd;
}

static int
do_listen(int family, const char *port, const char *local, long long ms)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char addr[INET6_ADDRSTRLEN] = "?";
	long long p = parse_num(port, 65535);
	int lfd, fd, on = 1;

	if (p < 0)
		die(EXIT_USAGE, "bad port %s", port);
	lfd = socket(family, SOCK_STREAM, 0);
	if (lfd < 0)
		die(EXIT_USAGE, "socket: %s", strerror(errno));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	bind_local(lfd, family, local, (uint16_t)p);
	if (listen(lfd, 1) < 0)
		die(EXIT_USAGE, "listen port %lld: %s", p, strerror(errno));
	if (wait_fd(lfd, POLLIN, ms) < 0)
		die(EXIT_USAGE, "no connection within %lld ms", ms);
	sl = sizeof(ss);
	fd = accept(lfd, (struct sockaddr *)&ss, &sl);
	if (fd < 0)
		die(EXIT_USAGE, "accept: %s", strerror(errno));
	close(lfd);
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    addr, sizeof(addr));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    addr, sizeof(addr));
	printf("accepted %s\n", addr);
	fflush(stdout);
	return fd;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: rawpeer [-6] [-t SECONDS] [-b ADDR] -c HOST PORT < script\n"
	    "       rawpeer [-6] [-t SECONDS] [-b ADDR] -l PORT < script\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static char line[MAX_LINE];
	static char *words[MAX_LINE / 2];
	int family = AF_INET, ch, n;
	const char *host = NULL, *port = NULL, *local = NULL;
	long long to = 30000;

	while ((ch = getopt(argc, argv, "6b:c:l:t:")) != -1) {
		switch (ch) {
		case '6':
			family = AF_INET6;
			break;
		case 'b':
			local = optarg;
			break;
		case 'c':
			host = optarg;
			break;
		case 'l':
			port = optarg;
			break;
		case 't':
			if ((to = parse_timeout(optarg)) < 0)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (host != NULL && port == NULL && argc == 1)
		port = argv[0];
	else if (!(host == NULL && port != NULL && argc == 0))
		usage();

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sock = host != NULL ? do_connect(family, host, port, local, to) :
	    do_listen(family, port, local, to);

	while (fgets(line, sizeof(line), stdin) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(stdin))
			die(EXIT_USAGE, "line too long");
		n = split(line, words, (int)(sizeof(words) / sizeof(words[0])));
		if (n < 0)
			die(EXIT_USAGE, "too many words");
		if (n == 0 || words[0][0] == '#')
			continue;
		run_command(words, n);
	}
	close(sock);
	return 0;
}
