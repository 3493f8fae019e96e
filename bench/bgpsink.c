/*
 * bgpsink - the benchmark's counting sink: one eBGP session that takes
 * whatever the peer sends and counts the distinct prefixes it holds.
 *
 *   bgpsink -c ADDRESS | -l ADDRESS  [-p PORT] [-a AS] [-r ROUTER-ID]
 *           [-n COUNT] [-f 4|6|46] [-H HOLD] [-T TIMEOUT] [-v]
 *
 * -c connects to the daemon under test; -l listens for one connection
 * (the generator straight into the sink, the benchmark's upper limit).
 * Every UPDATE is parsed by flatbgp's codec (RFC 4271 §4.3, RFC 4760,
 * RFC 7606: a treat-as-withdraw UPDATE withdraws its NLRI); an
 * announcement adds its prefix to a set, a withdrawal removes it.
 * Runs until SIGTERM or until the peer closes the session.  -v lists
 * every announced (+) and withdrawn (-) prefix on stderr, for checking
 * what a daemon sends.
 *
 * Events (bench_util.h) on stdout:
 *   established T
 *   first T                         the first UPDATE
 *   full T updates=U                the set holds COUNT prefixes
 *   empty T updates=U               back to none after full
 *   stats T updates=U announced=A withdrawn=W bytes=B held=H
 *                                   at exit (A and W count NLRI,
 *                                   duplicates included)
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_session.h"
#include "bench_util.h"
#include "prefix_set.h"

struct sink {
	struct prefix_set *held;
	size_t		 expected;
	uint64_t	 updates;
	uint64_t	 announced, withdrawn;	/* NLRI, duplicates included */
	uint64_t	 malformed;
	bool		 seen_first, full, empty;
	bool		 verbose;
	struct bgp_codec_ctx *codec;
};

struct options {
	const char	*connect_to;
	const char	*listen_on;
	struct bench_peer_options peer;
	size_t		 count;
	bool		 ipv4, ipv6;
	bool		 verbose;
};

static volatile sig_atomic_t stop_requested;

static void
stop_cb(int sig)
{
	stop_requested = sig;
}

/*
 * Announces or withdraws the prefixes of block.  They go to the set in
 * one batch: a message holds at most 4096 NLRI (one byte each, /0).
 */
static void
apply_block(struct sink *k, struct nlri_block *block, bool withdraw)
{
	static struct prefix prefixes[BGP_MAX_MSG_LEN];
	char text[PREFIX_STRLEN];
	size_t n = 0;

	while (n < BGP_MAX_MSG_LEN && nlri_next(block, &prefixes[n])) {
		if (k->verbose)
			fprintf(stderr, "%c%s\n", withdraw ? '-' : '+',
			    prefix_format(&prefixes[n], text, sizeof(text)));
		n++;
	}
	if (withdraw)
		k->withdrawn += n;
	else
		k->announced += n;
	prefix_set_apply(k->held, prefixes, n, withdraw);
}

/* Reports the first time the set is full, and empty after that. */
static void
check_progress(struct sink *k)
{
	size_t held = prefix_set_count(k->held);

	if (!k->full && held == k->expected) {
		k->full = true;
		bench_event("full", bench_now_ns(), "updates=%llu",
		    (unsigned long long)k->updates);
	} else if (k->full && !k->empty && held == 0) {
		k->empty = true;
		bench_event("empty", bench_now_ns(), "updates=%llu",
		    (unsigned long long)k->updates);
	}
}

static void
update_cb(void *arg, const uint8_t *body, size_t len)
{
	static struct bgp_update u;	/* 12 KiB */
	struct sink *k = arg;
	struct bgp_error err;
	bool withdraw;

	if (!k->seen_first) {
		k->seen_first = true;
		bench_event("first", bench_now_ns(), NULL);
	}
	k->updates++;
	if (bgp_msg_parse_update(body, len, k->codec, &u, &err) == -1) {
		if (k->malformed++ == 0)
			bench_warn("malformed UPDATE: %s",
			    err.reason ? err.reason : "?");
		return;
	}
	withdraw = u.action == UPDATE_TREAT_AS_WITHDRAW;
	apply_block(k, &u.withdrawn, true);
	apply_block(k, &u.mp_withdrawn, true);
	apply_block(k, &u.announced, withdraw);
	apply_block(k, &u.mp_announced, withdraw);
	check_progress(k);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bgpsink -c ADDRESS | -l ADDRESS [-p PORT] "
	    "[-a AS] [-r ROUTER-ID] [-n COUNT] [-f 4|6|46] [-H HOLD] "
	    "[-T TIMEOUT] [-v]\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	bench_peer_options_init(&o->peer, 65003, "10.99.0.3");
	o->count = 100000;
	o->ipv4 = o->ipv6 = true;
	while ((ch = getopt(argc, argv, "c:l:n:f:v" BENCH_PEER_OPTIONS)) !=
	    -1) {
		switch (ch) {
		case 'c': o->connect_to = optarg; break;
		case 'l': o->listen_on = optarg; break;
		case 'n': o->count = bench_parse_count(optarg, "count"); break;
		case 'f':
			o->ipv4 = strchr(optarg, '4') != NULL;
			o->ipv6 = strchr(optarg, '6') != NULL;
			break;
		case 'v': o->verbose = true; break;
		default:
			if (!bench_peer_option(&o->peer, ch, optarg))
				usage();
		}
	}
	if ((o->connect_to == NULL) == (o->listen_on == NULL) ||
	    optind != argc || (!o->ipv4 && !o->ipv6))
		usage();
}

int
main(int argc, char **argv)
{
	struct options o;
	struct bench_session s;
	struct sink k;
	struct sigaction sa;
	struct pollfd pfd;
	int fd, timeout;
	bool closed = false;

	bench_set_name("bgpsink");
	parse_options(argc, argv, &o);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_cb;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&k, 0, sizeof(k));
	k.expected = o.count;
	k.verbose = o.verbose;
	k.held = prefix_set_new(o.count);

	fd = o.connect_to != NULL ? bench_connect(o.connect_to, o.peer.port,
	    o.peer.timeout) : bench_accept(o.listen_on, o.peer.port,
	    o.peer.timeout);
	bench_session_init(&s, fd, o.connect_to ? o.connect_to : "peer",
	    &o.peer, o.ipv4, o.ipv6);
	bench_session_establish(&s, o.peer.timeout);
	k.codec = &s.codec;
	bench_event("established", bench_now_ns(), NULL);

	pfd.fd = s.fd;
	pfd.events = POLLIN;
	/* Read first: UPDATEs that came with the peer's KEEPALIVE are
	 * buffered already, and poll() would wait for more. */
	while (!stop_requested && !closed) {
		if (bench_session_read(&s, update_cb, &k) == -1) {
			closed = true;
			break;
		}
		timeout = bench_session_keepalive(&s, bench_now_ns());
		poll(&pfd, 1, timeout);
	}
	bench_event("stats", bench_now_ns(), "updates=%llu announced=%llu "
	    "withdrawn=%llu bytes=%llu held=%zu malformed=%llu%s",
	    (unsigned long long)k.updates, (unsigned long long)k.announced,
	    (unsigned long long)k.withdrawn, (unsigned long long)s.bytes_in,
	    prefix_set_count(k.held), (unsigned long long)k.malformed,
	    closed ? " closed=1" : "");
	close(s.fd);
	prefix_set_free(k.held);
	return 0;
}
