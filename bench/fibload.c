/*
 * fibload - the kernel's own limit: how fast this namespace's FIB takes
 * N routes when nothing but netlink stands between them and the kernel.
 *
 *   fibload -g GATEWAY -d DEVICE [-n COUNT] [-6] [-k] [-S] [-P PROTOCOL]
 *           [-m METRIC] [-t TABLE]
 *
 * The routes are the benchmark table (prefix_gen.c) via GATEWAY on
 * DEVICE.  Every request is built before the clock starts; then they go
 * out as flatbgpd's fib.c sends them: RTM_NEWROUTE with NLM_F_CREATE |
 * NLM_F_REPLACE, up to 64 KiB or 1024 requests per sendmsg, only the
 * last request of a batch asking for an ACK (failures are answered
 * anyway), the replies drained after each batch.  rtnetlink handles a
 * request inside the sendmsg call, so the last ACK means every route
 * of the batch is in.  Then the same for RTM_DELROUTE, unless -k keeps
 * the routes.  The routes go in a fixed shuffled order, or in ascending
 * prefix order with -S: the kernel's LC-trie takes a sorted table about
 * half as fast (and deletes it three times slower), as its nodes are
 * resized again and again along the growing edge; a daemon sends in
 * the order it learns or hashes, so the limit is the shuffled one.
 *
 * Events (bench_util.h) on stdout:
 *   add-start T / add-done T errors=E
 *   delete-start T / delete-done T errors=E
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "bench_util.h"
#include "prefix_gen.h"

#define BATCH_BYTES	(64 * 1024)
#define BATCH_REQUESTS	1024
#define REPLY_BUFFER	(1024 * 1024)

struct options {
	size_t		 count;
	int		 family;
	struct ip_addr	 gateway;
	unsigned	 ifindex;
	uint8_t		 protocol;
	uint32_t	 metric;
	uint32_t	 table;
	bool		 keep;
	bool		 sorted;
};

/* All batches of one kind of request, back to back. */
struct batches {
	uint8_t		*data;
	size_t		 len;
	size_t		*ends;		/* end offset of each batch */
	size_t		 count;
};

/* Appends one request for p to the batches (a new batch when full). */
static void
append_request(struct batches *b, const struct options *o,
    const struct prefix *p, int type, uint32_t seq, size_t *in_batch,
    size_t *last)
{
	struct nl_msg *msg;
	struct nlmsghdr *h;
	struct rtmsg rtm;
	size_t addr_len = o->family == FAMILY_IPV4 ? 4 : 16;
	size_t batch_start = b->count ? b->ends[b->count - 1] : 0;

	msg = nlmsg_alloc_simple(type, NLM_F_REQUEST | (type == RTM_NEWROUTE ?
	    NLM_F_CREATE | NLM_F_REPLACE : 0));
	if (msg == NULL)
		bench_fatal("out of memory");
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = o->family == FAMILY_IPV4 ? AF_INET : AF_INET6;
	rtm.rtm_dst_len = p->length;
	rtm.rtm_table = o->table < 256 ? (uint8_t)o->table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = o->protocol;
	rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	rtm.rtm_type = RTN_UNICAST;
	if (nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, RTA_DST, (int)addr_len, p->bytes) < 0 ||
	    nla_put_u32(msg, RTA_TABLE, o->table) < 0 ||
	    nla_put_u32(msg, RTA_PRIORITY, o->metric) < 0 ||
	    (type == RTM_NEWROUTE && (nla_put(msg, RTA_GATEWAY,
	    (int)addr_len, o->gateway.bytes) < 0 ||
	    nla_put_u32(msg, RTA_OIF, o->ifindex) < 0)))
		bench_fatal("cannot build a request");
	h = nlmsg_hdr(msg);
	h->nlmsg_seq = seq;
	if (b->len - batch_start + NLMSG_ALIGN(h->nlmsg_len) > BATCH_BYTES ||
	    *in_batch == BATCH_REQUESTS) {
		((struct nlmsghdr *)(void *)(b->data + *last))->nlmsg_flags |=
		    NLM_F_ACK;
		b->ends[b->count++] = b->len;
		*in_batch = 0;
	}
	*last = b->len;
	memcpy(b->data + b->len, h, h->nlmsg_len);
	b->len += NLMSG_ALIGN(h->nlmsg_len);
	(*in_batch)++;
	nlmsg_free(msg);
}

static void
build_batches(struct batches *b, const struct options *o,
    const struct prefix *prefixes, int type)
{
	size_t i, in_batch = 0, last = 0;

	/* A request is at most 100 bytes; a batch holds at least 600. */
	b->data = malloc(o->count * 128 + BATCH_BYTES);
	b->ends = calloc(o->count / 512 + 2, sizeof(*b->ends));
	if (b->data == NULL || b->ends == NULL)
		bench_fatal("out of memory");
	b->len = 0;
	b->count = 0;
	for (i = 0; i < o->count; i++)
		append_request(b, o, &prefixes[i], type, (uint32_t)i + 1,
		    &in_batch, &last);
	((struct nlmsghdr *)(void *)(b->data + last))->nlmsg_flags |= NLM_F_ACK;
	b->ends[b->count++] = b->len;
}

/*
 * Reads replies until the ACK of the batch's last request (seq); counts
 * failures.  Returns the number of failed requests.
 */
static size_t
drain_replies(struct nl_sock *sock, uint8_t *buf, uint32_t seq)
{
	struct nlmsghdr *h;
	struct nlmsgerr *e;
	size_t failures = 0;
	ssize_t n;
	int left;

	for (;;) {
		n = recv(nl_socket_get_fd(sock), buf, REPLY_BUFFER, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			bench_fatal("netlink: %s", strerror(errno));
		left = (int)n;
		for (h = (struct nlmsghdr *)(void *)buf; nlmsg_ok(h, left);
		    h = nlmsg_next(h, &left)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			e = nlmsg_data(h);
			if (e->error != 0 && failures++ == 0)
				bench_warn("request %u: %s", h->nlmsg_seq,
				    strerror(-e->error));
			if (h->nlmsg_seq == seq)
				return failures;
		}
	}
}

/* Sends every batch; returns the number of failed requests. */
static size_t
send_batches(struct nl_sock *sock, const struct batches *b, uint8_t *buf)
{
	size_t i, start = 0, failures = 0;
	const struct nlmsghdr *last;
	size_t last_offset;

	for (i = 0; i < b->count; i++) {
		if (send(nl_socket_get_fd(sock), b->data + start,
		    b->ends[i] - start, 0) == -1)
			bench_fatal("netlink send: %s", strerror(errno));
		/* The batch's last request: walk to it from the start. */
		last_offset = start;
		for (;;) {
			last = (const void *)(b->data + last_offset);
			if (last_offset + NLMSG_ALIGN(last->nlmsg_len) >=
			    b->ends[i])
				break;
			last_offset += NLMSG_ALIGN(last->nlmsg_len);
		}
		failures += drain_replies(sock, buf, last->nlmsg_seq);
		start = b->ends[i];
	}
	return failures;
}

/* A fixed shuffle (Fisher-Yates over a xorshift sequence). */
static void
shuffle(struct prefix *p, size_t count)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct prefix t;
	size_t i, j;

	for (i = count; i > 1; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (size_t)(x % i);
		t = p[i - 1];
		p[i - 1] = p[j];
		p[j] = t;
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: fibload -g GATEWAY -d DEVICE [-n COUNT] [-6] "
	    "[-k] [-S] [-P PROTOCOL] [-m METRIC] [-t TABLE]\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	const char *gateway = NULL, *device = NULL;
	int ch;

	memset(o, 0, sizeof(*o));
	o->count = 100000;
	o->family = FAMILY_IPV4;
	o->protocol = RTPROT_BGP;
	o->metric = 20;
	o->table = RT_TABLE_MAIN;
	while ((ch = getopt(argc, argv, "g:d:n:6kSP:m:t:")) != -1) {
		switch (ch) {
		case 'g': gateway = optarg; break;
		case 'd': device = optarg; break;
		case 'n': o->count = bench_parse_count(optarg, "count"); break;
		case '6': o->family = FAMILY_IPV6; break;
		case 'k': o->keep = true; break;
		case 'S': o->sorted = true; break;
		case 'P':
			o->protocol =
			    (uint8_t)bench_parse_count(optarg, "protocol");
			break;
		case 'm':
			o->metric =
			    (uint32_t)bench_parse_count(optarg, "metric");
			break;
		case 't':
			o->table = (uint32_t)bench_parse_count(optarg, "table");
			break;
		default: usage();
		}
	}
	if (gateway == NULL || device == NULL || optind != argc ||
	    o->count == 0)
		usage();
	if (ip_addr_parse(gateway, &o->gateway) == -1 ||
	    o->gateway.family != o->family)
		bench_fatal("gateway: not an address of the family: %s",
		    gateway);
	o->ifindex = if_nametoindex(device);
	if (o->ifindex == 0)
		bench_fatal("no device %s", device);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct batches add, del;
	struct prefix *prefixes;
	struct nl_sock *sock;
	uint8_t *buf;
	size_t failures;

	bench_set_name("fibload");
	parse_options(argc, argv, &o);
	prefixes = calloc(o.count, sizeof(*prefixes));
	buf = malloc(REPLY_BUFFER);
	if (prefixes == NULL || buf == NULL)
		bench_fatal("out of memory");
	prefix_gen(o.family, o.count, prefixes);
	if (!o.sorted)
		shuffle(prefixes, o.count);
	build_batches(&add, &o, prefixes, RTM_NEWROUTE);
	build_batches(&del, &o, prefixes, RTM_DELROUTE);
	free(prefixes);

	sock = nl_socket_alloc();
	/* libnl's default send buffer (32 KiB) is below one batch. */
	if (sock == NULL || nl_connect(sock, NETLINK_ROUTE) < 0 ||
	    nl_socket_set_buffer_size(sock, REPLY_BUFFER, 4 * BATCH_BYTES) < 0)
		bench_fatal("cannot open a rtnetlink socket");
	bench_event("add-start", bench_now_ns(), NULL);
	failures = send_batches(sock, &add, buf);
	bench_event("add-done", bench_now_ns(), "errors=%zu", failures);
	if (!o.keep) {
		bench_event("delete-start", bench_now_ns(), NULL);
		failures = send_batches(sock, &del, buf);
		bench_event("delete-done", bench_now_ns(), "errors=%zu",
		    failures);
	}
	nl_socket_free(sock);
	return 0;
}
