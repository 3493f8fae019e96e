/*
 * fib_worker.c - the thread that talks to the kernel for fib.c (see
 * fib_worker.h).
 *
 * Two FIFOs under one mutex: "todo" (event loop to worker) and "done"
 * (worker to event loop).  The worker signals a finished batch on a
 * condition variable (for fib_worker_wait_one) and on an eventfd that
 * the event loop watches; the event loop hands every done batch to the
 * callback, so the callback only ever runs on the event loop's thread.
 * The worker blocks every signal: they belong to the event loop.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "fib_worker.h"
#include "log.h"

struct batch_queue {
	struct fib_batch	*head, *tail;
};

struct fib_worker {
	struct nl_sock		*sock;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* todo filled, or stopping */
	pthread_cond_t		 finished;	/* done filled */
	struct batch_queue	 todo, done;	/* under lock */
	bool			 stopping;	/* under lock */
	int			 eventfd;
	struct event		*done_event;
	fib_worker_done_cb	*cb;
	void			*arg;
	size_t			 pending;	/* event loop only */
	unsigned		 write_failures;	/* worker only */
};

static void
queue_push(struct batch_queue *q, struct fib_batch *b)
{
	b->next = NULL;
	if (q->tail != NULL)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
}

static struct fib_batch *
queue_pop(struct batch_queue *q)
{
	struct fib_batch *b = q->head;

	if (b != NULL) {
		q->head = b->next;
		if (q->head == NULL)
			q->tail = NULL;
		b->next = NULL;
	}
	return b;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Keeps a reply; the buffer only grows (a failure or an ACK each). */
static void
keep_reply(struct fib_batch *b, const struct nlmsghdr *h)
{
	size_t len = NLMSG_ALIGN(h->nlmsg_len);

	if (b->replies_cap - b->replies_len < len) {
		while (b->replies_cap - b->replies_len < len)
			b->replies_cap = b->replies_cap ? b->replies_cap * 2 :
			    4096;
		b->replies = xrealloc(b->replies, b->replies_cap);
	}
	memcpy(b->replies + b->replies_len, h, h->nlmsg_len);
	b->replies_len += len;
}

void
fib_batch_transmit(struct nl_sock *sock, struct fib_batch *b)
{
	struct sockaddr_nl peer;
	unsigned char *buf;
	struct nlmsghdr *h;
	uint64_t start = now_us();
	int n;

	b->replies_len = 0;
	b->send_error = b->recv_error = 0;
	n = nl_sendto(sock, b->data, b->len);
	if (n < 0) {
		b->send_error = n;
		b->kernel_us = now_us() - start;
		return;
	}
	/* rtnetlink answered every request inside sendmsg(). */
	for (;;) {
		n = nl_recv(sock, &peer, &buf, NULL);
		if (n <= 0) {
			if (n < 0 && n != -NLE_AGAIN)
				b->recv_error = n;
			break;
		}
		for (h = (struct nlmsghdr *)(void *)buf; nlmsg_ok(h, n);
		    h = nlmsg_next(h, &n))
			if (h->nlmsg_type == NLMSG_ERROR)
				keep_reply(b, h);
		free(buf);
	}
	b->kernel_us = now_us() - start;
}

static void *
worker_main(void *arg)
{
	struct fib_worker *w = arg;
	struct fib_batch *b;
	uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->todo.head == NULL && !w->stopping)
			pthread_cond_wait(&w->work, &w->lock);
		if ((b = queue_pop(&w->todo)) == NULL)
			break;	/* stopping, nothing left */
		pthread_mutex_unlock(&w->lock);
		fib_batch_transmit(w->sock, b);
		pthread_mutex_lock(&w->lock);
		queue_push(&w->done, b);
		pthread_cond_signal(&w->finished);
		/* Fails only when the counter is full, and then the event
		 * loop has a wakeup pending anyway. */
		w->write_failures += write(w->eventfd, &one, sizeof(one)) == -1;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Hands every done batch to the callback, oldest first. */
static void
hand_back(struct fib_worker *w)
{
	struct fib_batch *b;
	struct batch_queue done;

	pthread_mutex_lock(&w->lock);
	done = w->done;
	w->done.head = w->done.tail = NULL;
	pthread_mutex_unlock(&w->lock);
	while ((b = queue_pop(&done)) != NULL) {
		w->pending--;
		w->cb(w->arg, b);
	}
}

/* Frees what fib_worker_start() made; the thread is gone or never was. */
static void
worker_free(struct fib_worker *w)
{
	event_free(w->done_event);
	close(w->eventfd);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->finished);
	free(w);
}

static void
done_event_cb(evutil_socket_t fd, short what, void *arg)
{
	uint64_t count;

	/* Resets the counter; the done queue says what happened. */
	if (read(fd, &count, sizeof(count)) == -1 && errno != EAGAIN)
		log_warn("fib: worker eventfd: %s", strerror(errno));
	hand_back(arg);
}

struct fib_worker *
fib_worker_start(struct event_base *base, struct nl_sock *sock,
    fib_worker_done_cb *cb, void *arg)
{
	struct fib_worker *w = xcalloc(1, sizeof(*w));
	sigset_t all, saved;
	int err;

	w->sock = sock;
	w->cb = cb;
	w->arg = arg;
	w->eventfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->eventfd == -1) {
		free(w);
		return NULL;
	}
	w->done_event = event_new(base, w->eventfd, EV_READ | EV_PERSIST,
	    done_event_cb, w);
	if (w->done_event == NULL)
		fatalx_oom();
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->finished, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	err = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (err != 0) {
		worker_free(w);
		errno = err;
		return NULL;
	}
	event_add(w->done_event, NULL);
	return w;
}

void
fib_worker_submit(struct fib_worker *w, struct fib_batch *b)
{
	w->pending++;
	pthread_mutex_lock(&w->lock);
	queue_push(&w->todo, b);
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
}

size_t
fib_worker_pending(const struct fib_worker *w)
{
	return w->pending;
}

void
fib_worker_wait_one(struct fib_worker *w)
{
	if (w->pending == 0)
		return;
	pthread_mutex_lock(&w->lock);
	while (w->done.head == NULL)
		pthread_cond_wait(&w->finished, &w->lock);
	pthread_mutex_unlock(&w->lock);
	hand_back(w);
}

void
fib_worker_drain(struct fib_worker *w)
{
	while (w != NULL && w->pending > 0)
		fib_worker_wait_one(w);
}

void
fib_worker_stop(struct fib_worker *w)
{
	if (w == NULL)
		return;
	fib_worker_drain(w);
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	worker_free(w);
}
