/*
 * fib_worker.h - rtnetlink batches sent from a thread of their own.
 *
 * rtnetlink handles a request inside the sendmsg() that carries it, so
 * the kernel's work for a route (its trie, its notifications) is done
 * by the thread that sends.  For a full table that work is most of the
 * total: sent from the event loop, it would hold up the sessions for as
 * long as the kernel takes.  fib.c hands each full batch to the worker
 * instead and goes on parsing, deciding and sending UPDATEs while the
 * kernel installs routes on the other core.
 *
 * The worker shares nothing with the event loop but the batches in its
 * two queues: it sends a batch, reads the replies the kernel queued
 * (every one is queued by the time sendmsg returns), and hands the batch
 * back through an eventfd, in submission order; fib.c reads the replies
 * there, on the event loop, as before.  The worker never logs and never
 * touches the RIB or the FIB's tables.
 */
#ifndef FLATBGP_FIB_WORKER_H
#define FLATBGP_FIB_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <netlink/socket.h>

/* Requests going to the kernel together, and what came back. */
struct fib_batch {
	struct fib_batch	*next;
	uint8_t			*data;		/* requests, back to back */
	size_t			 len;
	uint8_t			*replies;	/* NLMSG_ERRORs, as received */
	size_t			 replies_len, replies_cap;
	int			 send_error;	/* libnl error of sendmsg, or 0 */
	int			 recv_error;	/* libnl error reading, or 0 */
	uint64_t		 kernel_us;	/* in sendmsg and reading */
	void			*owner;		/* the submitter's */
};

/* Called on the event loop for every batch the worker is done with. */
typedef void fib_worker_done_cb(void *arg, struct fib_batch *batch);

struct fib_worker;

/*
 * Starts the thread that sends on sock (non-blocking; the worker is its
 * only user from now on, until fib_worker_stop).  Returns NULL if no
 * thread could be made: the caller then sends with fib_batch_transmit()
 * itself.
 */
struct fib_worker *fib_worker_start(struct event_base *base,
    struct nl_sock *sock, fib_worker_done_cb *cb, void *arg);
/* Queues b (ownership passes until the callback hands it back). */
void fib_worker_submit(struct fib_worker *w, struct fib_batch *b);
/* Batches submitted and not handed back yet. */
size_t fib_worker_pending(const struct fib_worker *w);
/* Blocks until one batch is done and hands it back (nothing if none
 * is pending). */
void fib_worker_wait_one(struct fib_worker *w);
/* Hands back every pending batch once done; the thread stays. */
void fib_worker_drain(struct fib_worker *w);
/* Drains, ends the thread, frees w; sock is the caller's again. */
void fib_worker_stop(struct fib_worker *w);

/*
 * Sends b on sock in one sendmsg and collects the NLMSG_ERROR replies
 * waiting afterwards into b->replies; what the worker does with each
 * batch, and what the caller does without a worker.
 */
void fib_batch_transmit(struct nl_sock *sock, struct fib_batch *b);

#endif /* FLATBGP_FIB_WORKER_H */
