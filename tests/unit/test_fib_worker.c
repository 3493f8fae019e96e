/*
 * test_fib_worker.c - batches go out on the worker's thread and come
 * back on the event loop, in order, each with the kernel's replies.
 *
 * The requests are rtnetlink messages of a type the kernel does not
 * know: it answers each with an NLMSG_ERROR (EOPNOTSUPP) and changes
 * nothing, so the test needs no privileges and touches no routes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "fib_worker.h"
#include "tap.h"

#define BATCHES		16
#define REQUESTS	50
#define UNKNOWN_TYPE	0x7f	/* no rtnetlink message has it */

struct run {
	struct event_base	*base;
	struct fib_batch	 batches[BATCHES];
	size_t			 order[BATCHES];
	size_t			 returned;
};

/* REQUESTS requests with sequence numbers first_seq, first_seq + 1... */
static void
fill(struct fib_batch *b, uint32_t first_seq)
{
	struct nlmsghdr *h;
	size_t i;

	memset(b, 0, sizeof(*b));
	b->data = calloc(REQUESTS, NLMSG_HDRLEN);
	if (b->data == NULL)
		abort();
	for (i = 0; i < REQUESTS; i++) {
		h = (struct nlmsghdr *)(void *)(b->data + b->len);
		h->nlmsg_len = NLMSG_HDRLEN;
		h->nlmsg_type = UNKNOWN_TYPE;
		h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		h->nlmsg_seq = first_seq + (uint32_t)i;
		b->len += NLMSG_HDRLEN;
	}
}

/* True if b holds one error reply per request, in order. */
static bool
replies_match(const struct fib_batch *b, uint32_t first_seq)
{
	struct nlmsghdr *h;
	struct nlmsgerr *e;
	int left = (int)b->replies_len;
	uint32_t seq = first_seq;

	if (b->send_error != 0 || b->recv_error != 0)
		return false;
	for (h = (struct nlmsghdr *)(void *)b->replies; nlmsg_ok(h, left);
	    h = nlmsg_next(h, &left)) {
		e = nlmsg_data(h);
		if (h->nlmsg_type != NLMSG_ERROR || e->error == 0 ||
		    e->msg.nlmsg_seq != seq)
			return false;
		seq++;
	}
	return seq == first_seq + REQUESTS;
}

static void
done_cb(void *arg, struct fib_batch *b)
{
	struct run *r = arg;

	r->order[r->returned++] = (size_t)(b - r->batches);
	if (r->returned == BATCHES)
		event_base_loopbreak(r->base);
}

static struct nl_sock *
open_socket(void)
{
	struct nl_sock *sock = nl_socket_alloc();

	if (sock == NULL || nl_connect(sock, NETLINK_ROUTE) < 0 ||
	    nl_socket_set_nonblocking(sock) < 0)
		return NULL;
	nl_socket_set_buffer_size(sock, 1024 * 1024, 1024 * 1024);
	return sock;
}

static void
check_transmit(struct nl_sock *sock)
{
	struct fib_batch b;

	fill(&b, 1000);
	fib_batch_transmit(sock, &b);
	ok(replies_match(&b, 1000), "sent from here: %d error replies, in "
	    "order", REQUESTS);
	free(b.data);
	free(b.replies);
}

static void
check_worker(struct nl_sock *sock)
{
	struct run r;
	struct fib_worker *w;
	struct timeval limit = { 10, 0 };
	size_t i;
	bool in_order = true, all_match = true;

	memset(&r, 0, sizeof(r));
	r.base = event_base_new();
	w = fib_worker_start(r.base, sock, done_cb, &r);
	if (!ok(w != NULL, "the worker starts"))
		return;
	for (i = 0; i < BATCHES; i++) {
		fill(&r.batches[i], (uint32_t)(i * REQUESTS + 1));
		fib_worker_submit(w, &r.batches[i]);
	}
	is_int(fib_worker_pending(w) + r.returned, BATCHES,
	    "submitted batches are pending until handed back");
	event_base_loopexit(r.base, &limit);
	event_base_dispatch(r.base);
	is_int(r.returned, BATCHES, "every batch came back on the event loop");
	is_int(fib_worker_pending(w), 0, "none pending");
	for (i = 0; i < r.returned; i++) {
		if (r.order[i] != i)
			in_order = false;
		if (!replies_match(&r.batches[r.order[i]],
		    (uint32_t)(r.order[i] * REQUESTS + 1)))
			all_match = false;
	}
	ok(in_order, "in submission order");
	ok(all_match, "each with its own replies");

	/* Waiting instead of the event loop. */
	for (i = 0; i < 4; i++) {
		free(r.batches[i].data);
		free(r.batches[i].replies);
	}
	r.returned = 0;
	fill(&r.batches[0], 5000);
	fib_worker_submit(w, &r.batches[0]);
	fib_worker_wait_one(w);
	is_int(r.returned, 1, "wait_one hands the batch back");
	fib_worker_wait_one(w);
	ok(1, "wait_one with nothing pending returns");
	for (i = 1; i < 4; i++) {
		fill(&r.batches[i], (uint32_t)(6000 + i * REQUESTS));
		fib_worker_submit(w, &r.batches[i]);
	}
	fib_worker_stop(w);
	is_int(r.returned, 4, "stop drains what was submitted");
	for (i = 0; i < BATCHES; i++) {
		free(r.batches[i].data);
		free(r.batches[i].replies);
	}
	event_base_free(r.base);
}

int
main(void)
{
	struct nl_sock *sock = open_socket();

	if (sock == NULL) {
		printf("1..0 # SKIP no rtnetlink socket\n");
		return 0;
	}
	check_transmit(sock);
	check_worker(sock);
	nl_socket_free(sock);
	return tap_done();
}
