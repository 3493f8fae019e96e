/*
 * bench_session.c - a minimal BGP session for the benchmark tools (see
 * bench_session.h).  RFC 4271 §8 from the connecting side only as far
 * as a tool needs it: OPEN sent, OPEN received (capabilities
 * negotiated, RFC 5492), KEEPALIVE both ways, then UPDATEs handed to the
 * caller as they are framed.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_session.h"
#include "bench_util.h"

#define INPUT_BUFFER	(1024 * 1024)	/* bytes framed per read() */

static void
address_of(const char *address, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct ip_addr a;

	if (ip_addr_parse(address, &a) == -1)
		bench_fatal("not an IP address: %s", address);
	*len = (socklen_t)ip_addr_to_sockaddr(&a, port, ss);
}

int
bench_connect(const char *address, uint16_t port, unsigned timeout)
{
	struct sockaddr_storage ss;
	socklen_t len;
	uint64_t deadline = bench_now_ns() + (uint64_t)timeout * 1000000000u;
	int fd;

	address_of(address, port, &ss, &len);
	for (;;) {
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd == -1)
			bench_fatal("socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&ss, len) == 0)
			return fd;
		close(fd);
		if (bench_now_ns() > deadline)
			bench_fatal("cannot connect to %s port %u: %s", address,
			    port, strerror(errno));
		usleep(100000);
	}
}

int
bench_accept(const char *address, uint16_t port, unsigned timeout)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t len;
	int fd, conn, on = 1;

	address_of(address, port, &ss, &len);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		bench_fatal("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 || listen(fd, 1) == -1)
		bench_fatal("cannot listen on %s port %u: %s", address, port,
		    strerror(errno));
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)timeout * 1000) != 1)
		bench_fatal("nobody connected to %s port %u", address, port);
	conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (conn == -1)
		bench_fatal("accept: %s", strerror(errno));
	close(fd);
	return conn;
}

static uint32_t
router_id_of(const char *text)
{
	struct ip_addr a;

	if (ip_addr_parse(text, &a) == -1 || a.family != FAMILY_IPV4)
		bench_fatal("router id: not an IPv4 address: %s", text);
	return ip_addr_v4_u32(&a);
}

void
bench_peer_options_init(struct bench_peer_options *o, uint32_t local_as,
    const char *router_id)
{
	o->port = BGP_PORT;
	o->local_as = local_as;
	o->router_id = router_id_of(router_id);
	o->hold_time = 180;
	o->timeout = 30;
}

bool
bench_peer_option(struct bench_peer_options *o, int ch, const char *arg)
{
	switch (ch) {
	case 'p':
		o->port = (uint16_t)bench_parse_count(arg, "port");
		return true;
	case 'a':
		o->local_as = (uint32_t)bench_parse_count(arg, "AS");
		return true;
	case 'r':
		o->router_id = router_id_of(arg);
		return true;
	case 'H':
		o->hold_time = (uint16_t)bench_parse_count(arg, "hold time");
		return true;
	case 'T':
		o->timeout = (unsigned)bench_parse_count(arg, "timeout");
		return true;
	default:
		return false;
	}
}

void
bench_session_init(struct bench_session *s, int fd, const char *peer_name,
    const struct bench_peer_options *o, bool ipv4, bool ipv6)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->peer_name = peer_name;
	s->local_as = o->local_as;
	s->router_id = o->router_id;
	s->hold_time = o->hold_time;
	s->ipv4 = ipv4;
	s->ipv6 = ipv6;
	s->in_cap = INPUT_BUFFER;
	s->in = malloc(s->in_cap);
	if (s->in == NULL)
		bench_fatal("out of memory");
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    ip_addr_from_sockaddr((struct sockaddr *)&ss, &s->local_address,
	    NULL) == -1)
		bench_fatal("getsockname: %s", strerror(errno));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void
bench_session_write_all(struct bench_session *s, const void *data,
    size_t len)
{
	const uint8_t *p = data;
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };
	ssize_t n;

	while (len > 0) {
		n = write(s->fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			poll(&pfd, 1, 1000);
		} else {
			bench_fatal("write to %s: %s", s->peer_name,
			    strerror(errno));
		}
	}
}

static void
send_keepalive(struct bench_session *s)
{
	uint8_t msg[BGP_KEEPALIVE_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	bench_session_write_all(s, msg, bgp_msg_encode_keepalive(&w));
}

int
bench_session_keepalive(struct bench_session *s, uint64_t now)
{
	uint64_t interval = (uint64_t)s->hold_time / 3 * 1000000000u;

	if (s->hold_time == 0)
		return -1;
	if (s->keepalive_due <= now) {
		send_keepalive(s);
		s->keepalive_due = now + interval;
	}
	return (int)((s->keepalive_due - now) / 1000000u) + 1;
}

static void
report_notification(const struct bench_session *s, const uint8_t *body,
    size_t len)
{
	struct bgp_notification n;
	struct bgp_error err;

	if (bgp_msg_parse_notification(body, len, &n, &err) == -1) {
		bench_warn("%s: malformed NOTIFICATION", s->peer_name);
		return;
	}
	bench_warn("%s: NOTIFICATION %u/%u: %s / %s", s->peer_name, n.code,
	    n.subcode, bgp_error_code_name(n.code),
	    bgp_error_subcode_name(n.code, n.subcode));
}

/*
 * Frames the message at *offset of the input; 1 with its type and body,
 * 0 if it is not complete yet, -1 on a malformed header.
 */
static int
frame_next(struct bench_session *s, size_t *offset, uint8_t *type,
    const uint8_t **body, size_t *len)
{
	struct bgp_error err;
	uint16_t length;
	size_t left = s->in_len - *offset;

	if (left < BGP_HEADER_LEN)
		return 0;
	if (bgp_msg_parse_header(s->in + *offset, BGP_HEADER_LEN,
	    BGP_MAX_MSG_LEN, type, &length, &err) == -1) {
		bench_warn("%s: bad message header (%s)", s->peer_name,
		    err.reason ? err.reason : "?");
		return -1;
	}
	if (left < length)
		return 0;
	*body = s->in + *offset + BGP_HEADER_LEN;
	*len = length - BGP_HEADER_LEN;
	*offset += length;
	return 1;
}

/* Drops the framed bytes before offset. */
static void
input_consume(struct bench_session *s, size_t offset)
{
	memmove(s->in, s->in + offset, s->in_len - offset);
	s->in_len -= offset;
}

/* One read(); 1 if bytes came, 0 if none are waiting, -1 if closed. */
static int
input_fill(struct bench_session *s)
{
	ssize_t n;

	if (s->in_len == s->in_cap)
		bench_fatal("%s: message larger than the input buffer",
		    s->peer_name);
	n = read(s->fd, s->in + s->in_len, s->in_cap - s->in_len);
	if (n > 0) {
		s->in_len += (size_t)n;
		s->bytes_in += (uint64_t)n;
		return 1;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == -1)
		bench_warn("%s: read: %s", s->peer_name, strerror(errno));
	return -1;
}

/* The peer's OPEN: negotiate and fill the codec context. */
static void
take_open(struct bench_session *s, const struct bgp_caps *offered,
    const uint8_t *body, size_t len)
{
	struct bgp_open open;
	struct bgp_caps both;
	struct bgp_error err;

	if (bgp_msg_parse_open(body, len, &open, &err) == -1)
		bench_fatal("%s: bad OPEN (%s)", s->peer_name,
		    err.reason ? err.reason : "?");
	bgp_caps_negotiate(offered, &open.caps, &both);
	if (open.hold_time < s->hold_time)
		s->hold_time = open.hold_time;
	memset(&s->codec, 0, sizeof(s->codec));
	s->codec.as4 = both.as4;
	s->codec.ipv4 = both.ipv4_unicast;
	s->codec.ipv6 = both.ipv6_unicast;
	s->codec.local_as = s->local_as;
	s->codec.ibgp = (both.as4 ? open.caps.as4_number : open.my_as) ==
	    s->local_as;
}

/* Handles one message of the OPEN exchange; true once Established. */
static bool
establish_step(struct bench_session *s, const struct bgp_caps *offered,
    uint8_t type, const uint8_t *body, size_t len, bool *open_seen)
{
	switch (type) {
	case BGP_MSG_OPEN:
		take_open(s, offered, body, len);
		send_keepalive(s);
		*open_seen = true;
		return false;
	case BGP_MSG_KEEPALIVE:
		return *open_seen;
	case BGP_MSG_NOTIFICATION:
		report_notification(s, body, len);
		bench_fatal("%s: session refused", s->peer_name);
	default:
		bench_fatal("%s: message type %u before Established",
		    s->peer_name, type);
	}
}

void
bench_session_establish(struct bench_session *s, unsigned timeout)
{
	uint8_t msg[BGP_MAX_MSG_LEN], type;
	struct bgp_caps offered;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint64_t deadline = bench_now_ns() + (uint64_t)timeout * 1000000000u;
	const uint8_t *body;
	size_t len, offset;
	bool open_seen = false;
	struct wbuf w;
	int r;

	memset(&offered, 0, sizeof(offered));
	offered.multiprotocol = true;
	offered.ipv4_unicast = s->ipv4;
	offered.ipv6_unicast = s->ipv6;
	offered.as4 = true;
	offered.route_refresh = true;
	wbuf_init(&w, msg, sizeof(msg));
	bench_session_write_all(s, msg, bgp_msg_encode_open(&w, s->local_as,
	    s->hold_time, s->router_id, &offered));
	for (;;) {
		offset = 0;
		while ((r = frame_next(s, &offset, &type, &body, &len)) == 1) {
			if (establish_step(s, &offered, type, body, len,
			    &open_seen)) {
				input_consume(s, offset);
				s->keepalive_due = bench_now_ns() +
				    (uint64_t)s->hold_time / 3 * 1000000000u;
				return;
			}
		}
		if (r == -1)
			bench_fatal("%s: session failed", s->peer_name);
		input_consume(s, offset);
		if (bench_now_ns() > deadline)
			bench_fatal("%s: no session after %u s", s->peer_name,
			    timeout);
		poll(&pfd, 1, 100);
		if (input_fill(s) == -1)
			bench_fatal("%s: connection closed before Established",
			    s->peer_name);
	}
}

long
bench_session_read(struct bench_session *s, bench_update_cb *cb, void *arg)
{
	const uint8_t *body;
	size_t len, offset;
	uint8_t type;
	long updates = 0;
	int r, filled, reads = 0;

	/* A bounded number of reads, so the caller's keepalives go out. */
	do {
		filled = input_fill(s);
		offset = 0;
		while ((r = frame_next(s, &offset, &type, &body, &len)) == 1) {
			if (type == BGP_MSG_UPDATE) {
				cb(arg, body, len);
				updates++;
			} else if (type == BGP_MSG_NOTIFICATION) {
				report_notification(s, body, len);
				return -1;
			}
		}
		if (r == -1)
			return -1;
		input_consume(s, offset);
	} while (filled == 1 && ++reads < 64);
	return filled == -1 ? -1 : updates;
}
