/*
 * fibwatch - counts the kernel routes of one protocol in the network
 * namespace it runs in, from rtnetlink notifications (no polling), and
 * says when all N are in and when all are gone again.
 *
 *   fibwatch [-P PROTOCOL] [-t TABLE] [-n COUNT] [-f 4|6|46]
 *
 * PROTOCOL is the rtm_protocol of the daemon's routes (186 "bgp" for
 * flatbgpd and FRR's zebra, 12 "bird" for BIRD), TABLE the routing
 * table [254, main].  The socket joins RTNLGRP_IPV4_ROUTE and
 * RTNLGRP_IPV6_ROUTE with a large receive buffer (SO_RCVBUFFORCE), then
 * dumps the table once: what is already there counts too.  Should the
 * kernel still drop notifications (ENOBUFS), the count is rebuilt from
 * a new dump and an "overrun" event says so: that run's times are then
 * late by the dump.
 *
 * Events (bench_util.h) on stdout:
 *   ready T held=H                  subscribed and the first dump read
 *   first T                         the first route of ours appeared
 *   full T                          COUNT routes held
 *   empty T                         none held any more, after full
 *   overrun T                       notifications were lost; resyncing
 *   stats T held=H added=A deleted=D   at exit (SIGTERM)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
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
#include "prefix_set.h"

#define RECEIVE_BUFFER	(256 * 1024 * 1024)	/* socket, doubled by Linux */
#define READ_BUFFER	(1024 * 1024)

struct watch {
	struct nl_sock	*sock;
	struct prefix_set *held;
	uint8_t		 protocol;
	uint32_t	 table;
	bool		 ipv4, ipv6;
	size_t		 expected;
	bool		 dumping;	/* a dump's replies are still coming */
	bool		 redump;	/* lost notifications during a dump */
	bool		 seen_first, full, empty;
	uint64_t	 added, deleted;
};

static volatile sig_atomic_t stop_requested;

static void
stop_cb(int sig)
{
	stop_requested = sig;
}

static void
request_dump(struct watch *w)
{
	struct rtmsg rtm;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_UNSPEC;
	if (nl_send_simple(w->sock, RTM_GETROUTE, NLM_F_DUMP, &rtm,
	    sizeof(rtm)) < 0)
		bench_fatal("cannot request a route dump");
	w->dumping = true;
}

/* The route's prefix, if it is one of ours; false otherwise. */
static bool
route_prefix(const struct watch *w, struct nlmsghdr *h, struct prefix *p)
{
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	uint8_t bytes[16] = { 0 };
	uint32_t table;
	int family;

	if (!nlmsg_valid_hdr(h, sizeof(*rtm)) ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return false;
	rtm = nlmsg_data(h);
	table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (rtm->rtm_protocol != w->protocol || table != w->table ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return false;
	if (rtm->rtm_family == AF_INET && w->ipv4 && rtm->rtm_dst_len <= 32)
		family = FAMILY_IPV4;
	else if (rtm->rtm_family == AF_INET6 && w->ipv6 &&
	    rtm->rtm_dst_len <= 128)
		family = FAMILY_IPV6;
	else
		return false;
	if (tb[RTA_DST] != NULL)
		nla_memcpy(bytes, tb[RTA_DST], sizeof(bytes));
	prefix_set(p, family, rtm->rtm_dst_len, bytes);
	return true;
}

static void
check_progress(struct watch *w)
{
	size_t held = prefix_set_count(w->held);

	if (w->dumping)
		return;
	if (!w->full && held == w->expected) {
		w->full = true;
		bench_event("full", bench_now_ns(), NULL);
	} else if (w->full && !w->empty && held == 0) {
		w->empty = true;
		bench_event("empty", bench_now_ns(), NULL);
	}
}

/* Consecutive changes of one kind, applied to the set in one batch. */
struct run {
	struct prefix	 prefixes[4096];
	size_t		 count;
	bool		 remove;
};

static void
run_flush(struct watch *w, struct run *r)
{
	prefix_set_apply(w->held, r->prefixes, r->count, r->remove);
	r->count = 0;
}

static void
take_message(struct watch *w, struct nlmsghdr *h, struct run *r)
{
	struct prefix p;
	bool remove = h->nlmsg_type == RTM_DELROUTE;

	if (h->nlmsg_type == NLMSG_DONE) {
		run_flush(w, r);
		w->dumping = false;
		if (w->redump) {
			w->redump = false;
			prefix_set_clear(w->held);
			request_dump(w);
		}
		return;
	}
	if ((h->nlmsg_type != RTM_NEWROUTE && !remove) ||
	    !route_prefix(w, h, &p))
		return;
	if (r->count == sizeof(r->prefixes) / sizeof(r->prefixes[0]) ||
	    (r->count > 0 && r->remove != remove))
		run_flush(w, r);
	r->remove = remove;
	r->prefixes[r->count++] = p;
	if (remove) {
		w->deleted++;
	} else {
		w->added++;
		if (!w->seen_first) {
			w->seen_first = true;
			bench_event("first", bench_now_ns(), NULL);
		}
	}
}

/* Notifications were dropped: rebuild the count from a dump. */
static void
resync(struct watch *w)
{
	bench_event("overrun", bench_now_ns(), NULL);
	if (w->dumping) {
		w->redump = true;
		return;
	}
	prefix_set_clear(w->held);
	request_dump(w);
}

/* Reads one batch of messages; false if the socket failed. */
static bool
read_messages(struct watch *w, uint8_t *buf)
{
	static struct run run;
	struct nlmsghdr *h;
	ssize_t n;
	int left;

	n = recv(nl_socket_get_fd(w->sock), buf, READ_BUFFER, MSG_DONTWAIT);
	if (n == -1 && errno == ENOBUFS) {
		resync(w);
		return true;
	}
	if (n == -1)
		return errno == EAGAIN || errno == EINTR;
	left = (int)n;
	for (h = (struct nlmsghdr *)(void *)buf; nlmsg_ok(h, left);
	    h = nlmsg_next(h, &left))
		take_message(w, h, &run);
	run_flush(w, &run);
	check_progress(w);
	return true;
}

static void
watch_open(struct watch *w)
{
	int size = RECEIVE_BUFFER;

	w->sock = nl_socket_alloc();
	if (w->sock == NULL)
		bench_fatal("out of memory");
	nl_socket_disable_seq_check(w->sock);
	if (nl_connect(w->sock, NETLINK_ROUTE) < 0)
		bench_fatal("cannot open a rtnetlink socket");
	if (setsockopt(nl_socket_get_fd(w->sock), SOL_SOCKET, SO_RCVBUFFORCE,
	    &size, sizeof(size)) == -1)
		bench_warn("SO_RCVBUFFORCE: %s (not root?)", strerror(errno));
	if ((w->ipv4 && nl_socket_add_memberships(w->sock,
	    RTNLGRP_IPV4_ROUTE, 0) < 0) || (w->ipv6 &&
	    nl_socket_add_memberships(w->sock, RTNLGRP_IPV6_ROUTE, 0) < 0))
		bench_fatal("cannot join the route notification groups");
	request_dump(w);
}

static void
usage(void)
{
	fprintf(stderr, "usage: fibwatch [-P PROTOCOL] [-t TABLE] "
	    "[-n COUNT] [-f 4|6|46]\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct watch *w)
{
	int ch;

	w->protocol = RTPROT_BGP;
	w->table = RT_TABLE_MAIN;
	w->expected = 100000;
	w->ipv4 = w->ipv6 = true;
	while ((ch = getopt(argc, argv, "P:t:n:f:")) != -1) {
		switch (ch) {
		case 'P':
			w->protocol =
			    (uint8_t)bench_parse_count(optarg, "protocol");
			break;
		case 't':
			w->table = (uint32_t)bench_parse_count(optarg, "table");
			break;
		case 'n':
			w->expected = bench_parse_count(optarg, "count");
			break;
		case 'f':
			w->ipv4 = strchr(optarg, '4') != NULL;
			w->ipv6 = strchr(optarg, '6') != NULL;
			break;
		default: usage();
		}
	}
	if (optind != argc || (!w->ipv4 && !w->ipv6))
		usage();
}

int
main(int argc, char **argv)
{
	struct watch w;
	struct sigaction sa;
	struct pollfd pfd;
	uint8_t *buf;
	bool ready = false;

	bench_set_name("fibwatch");
	memset(&w, 0, sizeof(w));
	parse_options(argc, argv, &w);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_cb;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	buf = malloc(READ_BUFFER);
	if (buf == NULL)
		bench_fatal("out of memory");
	w.held = prefix_set_new(w.expected);
	watch_open(&w);

	pfd.fd = nl_socket_get_fd(w.sock);
	pfd.events = POLLIN;
	while (!stop_requested) {
		if (poll(&pfd, 1, 1000) > 0 && !read_messages(&w, buf))
			bench_fatal("rtnetlink: %s", strerror(errno));
		if (!ready && !w.dumping) {
			ready = true;
			bench_event("ready", bench_now_ns(), "held=%zu",
			    prefix_set_count(w.held));
		}
	}
	bench_event("stats", bench_now_ns(), "held=%zu added=%llu deleted=%llu",
	    prefix_set_count(w.held), (unsigned long long)w.added,
	    (unsigned long long)w.deleted);
	nl_socket_free(w.sock);
	prefix_set_free(w.held);
	free(buf);
	return 0;
}
