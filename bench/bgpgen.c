/*
 * bgpgen - the benchmark's load generator: one eBGP session that sends a
 * whole table as fast as TCP takes it.
 *
 *   bgpgen -c ADDRESS [-p PORT] [-a AS] [-r ROUTER-ID] [-n COUNT]
 *          [-k SETS] [-6] [-H HOLD] [-N NEXT-HOP] [-T TIMEOUT]
 *
 * Before connecting it builds every UPDATE: COUNT distinct prefixes
 * (prefix_gen.c) over SETS attribute sets (default COUNT/100), prefix i
 * carrying set i mod SETS, each set's prefixes packed into UPDATEs of
 * at most 4096 bytes by flatbgp's own builder, then End-of-RIB
 * (RFC 4724 §2).  Once Established it writes them back to back and
 * stays up (reading and dropping what the peer sends, keeping the
 * session alive) until SIGUSR1 or SIGTERM, when it closes the TCP
 * connection without a NOTIFICATION: "the feeder's session drops".
 *
 * Events (bench_util.h) on stdout:
 *   built T messages=M bytes=B      the table is ready
 *   established T
 *   first-update T                  just before the first UPDATE byte
 *   sent T                          the last byte was taken by TCP
 *   close T                         the connection is being closed
 *   peer-closed T                   the peer went away first (exit 2)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_session.h"
#include "bench_util.h"
#include "prefix_gen.h"

#define ASN_PRIVATE_4BYTE	4200000000u	/* RFC 6996 */
#define WRITE_CHUNK		(1024 * 1024)

struct table {
	uint8_t		*data;		/* UPDATEs back to back */
	size_t		 len, cap;
	size_t		 messages;
};

struct options {
	const char	*address;
	struct bench_peer_options peer;
	size_t		 count;
	size_t		 sets;
	int		 family;
	const char	*nexthop;
};

static volatile sig_atomic_t stop_requested;

static void
stop_cb(int sig)
{
	stop_requested = sig;
}

static void
table_reserve(struct table *t, size_t more)
{
	if (t->cap - t->len >= more)
		return;
	while (t->cap - t->len < more)
		t->cap = t->cap ? t->cap * 2 : 1024 * 1024;
	t->data = realloc(t->data, t->cap);
	if (t->data == NULL)
		bench_fatal("out of memory (%zu bytes)", t->cap);
}

/*
 * Attribute set number k: ORIGIN (IGP, every tenth INCOMPLETE), an
 * AS_SEQUENCE of 1-3 ASNs starting with ours (RFC 4271 §5.1.2; the
 * second one makes the set unique; the others come from the private
 * 4-octet range, so no path ever holds the AS of the daemon or the
 * sink and is dropped as a loop), NEXT_HOP, MED on half of them and on
 * all one-ASN paths (which makes those unique), two communities on
 * every fourth.
 */
static void
attrs_for_set(struct path_attrs *a, const struct options *o, size_t k,
    const struct ip_addr *nexthop)
{
	static uint8_t communities[8];
	unsigned asns = 1 + (unsigned)(k % 3), i;
	uint32_t path[3] = { o->peer.local_as, ASN_PRIVATE_4BYTE + (uint32_t)k,
	    ASN_PRIVATE_4BYTE + 1000000 + (uint32_t)(k % 1000) };
	uint8_t *p = a->as_path_buf;

	memset(a, 0, offsetof(struct path_attrs, as_path_buf));
	a->present = PA_ORIGIN | PA_AS_PATH | PA_NEXT_HOP;
	a->origin = k % 10 == 9 ? BGP_ORIGIN_INCOMPLETE : BGP_ORIGIN_IGP;
	*p++ = BGP_AS_SEQUENCE;
	*p++ = (uint8_t)asns;
	for (i = 0; i < asns; i++) {
		*p++ = (uint8_t)(path[i] >> 24);
		*p++ = (uint8_t)(path[i] >> 16);
		*p++ = (uint8_t)(path[i] >> 8);
		*p++ = (uint8_t)path[i];
	}
	a->as_path.data = a->as_path_buf;
	a->as_path.len = (uint16_t)(p - a->as_path_buf);
	a->nexthop.global = *nexthop;
	if (asns == 1 || k % 2 == 0) {
		a->present |= PA_MED;
		a->med = (uint32_t)k;
	}
	if (k % 4 == 1) {
		uint32_t c[2] = { 65000u << 16 | (uint32_t)(k & 0xffff),
		    65001u << 16 | (uint32_t)(k % 100) };

		for (i = 0; i < 8; i++)
			communities[i] = (uint8_t)(c[i / 4] >>
			    (24 - 8 * (i % 4)));
		a->present |= PA_COMMUNITIES;
		a->communities.data = communities;
		a->communities.len = sizeof(communities);
	}
}

/* Appends the UPDATEs of set k: prefixes k, k + sets, k + 2 sets... */
static void
build_set(struct table *t, const struct options *o,
    const struct bgp_codec_ctx *ctx, const struct path_attrs *attrs,
    const struct prefix *prefixes, size_t k)
{
	struct bgp_update_builder b;
	struct wbuf w;
	size_t i = k, len;

	while (i < o->count) {
		table_reserve(t, BGP_MAX_MSG_LEN);
		wbuf_init(&w, t->data + t->len, BGP_MAX_MSG_LEN);
		if (bgp_update_begin(&b, &w, ctx, attrs,
		    (uint8_t)o->family) == -1)
			bench_fatal("cannot start an UPDATE");
		while (i < o->count && bgp_update_add(&b, &prefixes[i]) == 0)
			i += o->sets;
		len = bgp_update_finish(&b);
		if (len == 0)
			bench_fatal("cannot finish an UPDATE");
		t->len += len;
		t->messages++;
	}
}

/*
 * Builds every UPDATE of the table.  The session is not up yet: the
 * encoding is the one bench_session_establish() then insists on,
 * 4-octet AS numbers and no RFC 8950.
 */
static void
build_table(struct table *t, const struct options *o,
    const struct ip_addr *nexthop)
{
	static struct path_attrs attrs;	/* 12 KiB */
	struct bgp_codec_ctx ctx;
	struct prefix *prefixes;
	struct wbuf w;
	size_t k;

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = true;
	ctx.ipv4 = o->family == FAMILY_IPV4;
	ctx.ipv6 = o->family == FAMILY_IPV6;
	ctx.local_as = o->peer.local_as;

	prefixes = calloc(o->count, sizeof(*prefixes));
	if (prefixes == NULL)
		bench_fatal("out of memory (%zu prefixes)", o->count);
	prefix_gen(o->family, o->count, prefixes);
	for (k = 0; k < o->sets; k++) {
		attrs_for_set(&attrs, o, k, nexthop);
		build_set(t, o, &ctx, &attrs, prefixes, k);
	}
	table_reserve(t, BGP_MAX_MSG_LEN);
	wbuf_init(&w, t->data + t->len, BGP_MAX_MSG_LEN);
	t->len += bgp_msg_encode_end_of_rib(&w, (uint8_t)o->family);
	t->messages++;
	free(prefixes);
	bench_event("built", bench_now_ns(), "messages=%zu bytes=%zu",
	    t->messages, t->len);
}

static void
drop_update_cb(void *arg, const uint8_t *body, size_t len)
{
}

/* End of the message that holds byte pos (messages start at *start). */
static size_t
message_end(const struct table *t, size_t *start, size_t pos)
{
	size_t end;

	for (;;) {
		end = *start + ((size_t)t->data[*start + 16] << 8 |
		    t->data[*start + 17]);
		if (end > pos)
			return end;
		*start = end;
		if (end == t->len)
			return end;
	}
}

/*
 * Writes the whole table.  A KEEPALIVE that falls due goes out between
 * two UPDATEs: the write stops at the end of the message in flight.
 */
static void
send_table(struct bench_session *s, const struct table *t)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN | POLLOUT };
	size_t pos = 0, start = 0, limit;
	uint64_t now;
	ssize_t n;
	int timeout;
	bool started = false;

	while (pos < t->len) {
		now = bench_now_ns();
		limit = t->len;
		if (s->hold_time != 0 && s->keepalive_due <= now) {
			limit = message_end(t, &start, pos);
			if (limit == pos || pos == start) {
				bench_session_keepalive(s, now);
				limit = t->len;
			}
		}
		if (limit - pos > WRITE_CHUNK)
			limit = pos + WRITE_CHUNK;
		if (!started) {
			bench_event("first-update", bench_now_ns(), NULL);
			started = true;
		}
		n = write(s->fd, t->data + pos, limit - pos);
		if (n > 0)
			pos += (size_t)n;
		else if (n == -1 && errno != EAGAIN && errno != EINTR)
			bench_fatal("write: %s", strerror(errno));
		if (n > 0 && pos < t->len)
			continue;
		timeout = bench_session_keepalive(s, bench_now_ns());
		poll(&pfd, 1, timeout);
		if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    bench_session_read(s, drop_update_cb, NULL) == -1) {
			bench_event("peer-closed", bench_now_ns(), NULL);
			exit(2);
		}
	}
	bench_event("sent", bench_now_ns(), NULL);
}

/* Keeps the session up until a signal asks to drop it. */
static void
hold_session(struct bench_session *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	int timeout;

	while (!stop_requested) {
		if (bench_session_read(s, drop_update_cb, NULL) == -1) {
			bench_event("peer-closed", bench_now_ns(), NULL);
			exit(2);
		}
		timeout = bench_session_keepalive(s, bench_now_ns());
		poll(&pfd, 1, timeout);
	}
	bench_event("close", bench_now_ns(), NULL);
	close(s->fd);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bgpgen -c ADDRESS [-p PORT] [-a AS] "
	    "[-r ROUTER-ID] [-n COUNT] [-k SETS] [-6] [-H HOLD] "
	    "[-N NEXT-HOP] [-T TIMEOUT]\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	bench_peer_options_init(&o->peer, 65002, "10.99.0.2");
	o->count = 100000;
	o->family = FAMILY_IPV4;
	while ((ch = getopt(argc, argv, "c:n:k:6N:" BENCH_PEER_OPTIONS)) !=
	    -1) {
		switch (ch) {
		case 'c': o->address = optarg; break;
		case 'n': o->count = bench_parse_count(optarg, "count"); break;
		case 'k': o->sets = bench_parse_count(optarg, "sets"); break;
		case '6': o->family = FAMILY_IPV6; break;
		case 'N': o->nexthop = optarg; break;
		default:
			if (!bench_peer_option(&o->peer, ch, optarg))
				usage();
		}
	}
	if (o->address == NULL || optind != argc || o->count == 0)
		usage();
	if (o->sets == 0)
		o->sets = o->count / 100 ? o->count / 100 : 1;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct bench_session s;
	struct table table = { 0 };
	struct ip_addr nexthop;
	struct sigaction sa;

	bench_set_name("bgpgen");
	parse_options(argc, argv, &o);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_cb;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/*
	 * The table is built before connecting when the next hop is given
	 * (run.sh does), so the peer never waits for it in OpenSent.
	 */
	if (o.nexthop != NULL) {
		if (ip_addr_parse(o.nexthop, &nexthop) == -1)
			bench_fatal("next hop: not an address: %s", o.nexthop);
		build_table(&table, &o, &nexthop);
	}
	bench_session_init(&s, bench_connect(o.address, o.peer.port,
	    o.peer.timeout), o.address, &o.peer, o.family == FAMILY_IPV4,
	    o.family == FAMILY_IPV6);
	if (o.nexthop == NULL) {
		nexthop = s.local_address;
		build_table(&table, &o, &nexthop);
	}
	bench_session_establish(&s, o.peer.timeout);
	if (!s.codec.as4 || (o.family == FAMILY_IPV4 ? !s.codec.ipv4 :
	    !s.codec.ipv6))
		bench_fatal("%s: 4-octet AS or the family not negotiated",
		    o.address);
	bench_event("established", bench_now_ns(), NULL);
	send_table(&s, &table);
	hold_session(&s);
	return 0;
}
