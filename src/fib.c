/*
 * fib.c - installs the Loc-RIB into the kernel (libnl-3, rtnetlink).
 *
 * Data flow.  The RIB calls fib_rib_cb() for every change of a
 * prefix's best path or ECMP set; the prefix is marked FIB_DIRTY in
 * fib_table (a prefix changing ten times before the next flush is
 * queued once) and the flush event is made active.  The flush takes
 * dirty prefixes, asks the RIB what each should look like *now*, and
 * appends one request per prefix to a batch buffer: RTM_NEWROUTE with
 * NLM_F_CREATE | NLM_F_REPLACE (an atomic replacement, never a delete
 * followed by an add) or RTM_DELROUTE.  A full batch goes to the
 * kernel in one sendmsg.  rtnetlink handles a request inside the
 * sendmsg call, so when it returns the replies are queued on our
 * socket: they are drained at once without blocking.  Only the last
 * request of a batch asks for an ACK; the kernel answers every failed
 * request anyway, and the sequence number of the failure names its
 * prefix.  No syscall and no allocation per route.  The sendmsg itself
 * runs on fib_worker.c's thread: the kernel's share of a full table is
 * most of its cost, and this way the sessions go on while the kernel
 * works.  At most OUT_BATCHES batches are with the worker; the flush
 * stops there and resumes when one comes back with its replies, which
 * are read on the event loop as if they had been answered at once.
 *
 * A prefix queued by the RIB's callback carries what the RIB wanted at
 * that moment as its fib_table tag (its next hops, interned here as a
 * "hop set"), computed while the RIB node is in the caches: by the time
 * the flush gets to it, during a full table, the node would be a string
 * of cache misses away.  Anything else that queues a prefix (the
 * kernel's changes, connected networks, retries) resets the tag, and
 * the flush looks such prefixes up.
 *
 * What is installed is derived, not stored: a prefix whose best path
 * is received (not originated by this node, RFC 4271 §9.1.3 leaves
 * those to us) and whose next hops resolve (connected.h) is installed
 * with those next hops.  fib_table only keeps the exceptions: queued,
 * stale (ours from an earlier run), foreign (someone else's route on
 * our key) and failed.  At a million routes that is the difference
 * between tens of megabytes and none.
 *
 * The kernel's own changes come from netmon.c: a route of ours deleted
 * by someone else is put back; a route of another owner on our key
 * (prefix, table, metric, tos 0) makes the prefix "conflicting": we
 * delete our own route there, if any (deletions match our protocol, so
 * the kernel cannot pick theirs) and never replace theirs.  When the
 * connected networks change, every prefix whose next hops resolve
 * differently is queued.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "decide.h"
#include "fib.h"
#include "fib_msg.h"
#include "fib_worker.h"
#include "log.h"
#include "netmon.h"

#define BATCH_BYTES	(64 * 1024)	/* one sendmsg */
#define BATCH_REQUESTS	1024
#define OUT_BATCHES	4	/* with the worker at once */
#define FLUSH_BUDGET	16384	/* prefixes per flush callback */
#define FLUSH_WAVE	32	/* dirty prefixes looked up together */

/* fib_table tags: what desired_hops() said when the prefix was queued. */
#define TAG_UNKNOWN	0	/* look it up */
#define TAG_NOT_OURS	1	/* -1 */
#define TAG_UNRESOLVED	2	/* 0 next hops */
#define TAG_HOPS	3	/* + the index of a hop set */
#define HOP_SETS_MAX	(UINT8_MAX - TAG_HOPS + 1)
#define HOP_SET_BUCKETS	256
#define REQUESTS_RCVBUF	(4 * 1024 * 1024)	/* replies of a batch */
#define RETRY_SECONDS	1
#define BURST_LOG_MIN	1000	/* requests: a burst worth a log line */
#define BURST_QUIET_MS	1000
#define FAILURES_LOGGED	10	/* per batch; then one summary line */

/* One request of the batch being sent, to name a failure. */
struct fib_request {
	struct prefix	 prefix;
	uint32_t	 metric;
	bool		 delete;
};

/* Next hops a route may have, interned (few: one per peer, or ECMP set). */
struct hop_set {
	struct nexthop	 hops[FIB_MAX_NEXTHOPS];
	uint8_t		 count;
	uint32_t	 next;	/* index + 1 of the next in its bucket */
};

/* A batch with what names its requests' replies. */
struct fib_out {
	struct fib_batch	 batch;		/* batch.owner: this */
	struct fib_request	 sent[BATCH_REQUESTS];
	size_t			 count;
	size_t			 last_offset;	/* of the last request */
	uint32_t		 first_seq;
	struct fib_out		*next_free;
};

struct fib {
	struct event_base	*base;
	struct rib		*rib;
	struct netmon		*netmon;
	struct fib_params	 params;
	struct fib_route_key	 key;
	void			*observer;
	struct nl_sock		*requests;
	uint32_t		 port;		/* of requests */
	struct nl_msg		*scratch;	/* one request being built */
	struct fib_worker	*worker;	/* NULL: send from here */
	struct fib_out		*filling;	/* the batch being built */
	struct fib_out		*free_batches;
	struct hop_set		*hop_sets;
	size_t			 hop_set_count, hop_set_alloc;
	uint32_t		 hop_set_buckets[HOP_SET_BUCKETS]; /* index + 1 */
	uint32_t		 seq;
	bool			 acked;		/* the batch's last reply */
	size_t			 failures;	/* in this batch */
	struct fib_table	*table;
	struct fib_table_cursor	 sweep;
	struct event		*flush_event;
	struct event		*converge_timer;
	struct event		*retry_timer;
	/* The connected networks every route in the kernel was resolved
	 * with; replaced (and compared) in fib_connected_changed(). */
	struct connected	 connected;
	bool			 converged, resyncing, stopped;
	/* A retry is due (retry_timer): no flushing until then, or a
	 * failing send would be repeated as fast as it fails. */
	bool			 backoff;
	/* A walk over the whole RIB, resending everything (after the
	 * kernel dropped notifications). */
	bool			 pass_active, pass_have_after;
	uint8_t			 pass_family;
	struct prefix		 pass_after;
	struct fib_stats	 stats;
	/* A burst: from the first queued change until the queue has
	 * stayed empty for BURST_QUIET_MS (a peer's full table arrives
	 * in many UPDATEs, flushed as they come). */
	struct event		*burst_timer;
	bool			 in_burst;
	uint64_t		 burst_start_us, burst_end_us, burst_kernel_us;
	uint64_t		 burst_requests, burst_batches;
};

static void fib_flush_cb(evutil_socket_t fd, short what, void *arg);

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

const char *
fib_state_name(enum fib_state state)
{
	static const char *const names[] = {
		[FIB_INSTALLED] = "installed",
		[FIB_UNRESOLVED] = "unresolved",
		[FIB_CONFLICTING] = "conflicting",
		[FIB_PENDING] = "pending",
	};

	return (size_t)state < sizeof(names) / sizeof(names[0]) ?
	    names[state] : "unknown";
}

const struct fib_params *
fib_get_params(const struct fib *f)
{
	return &f->params;
}

const struct connected *
fib_connected(const struct fib *f)
{
	return &f->connected;
}

/* ---- what a prefix should look like ----------------------------- */

int
fib_resolve_path(const struct connected *c, int family,
    const struct path *path, struct nexthop *out)
{
	const struct bgp_nexthop *nh = &path->attr->nexthop;
	int session_ifindex = connected_interface_of(c,
	    &path->source->address);

	/* An IPv6 route cannot use an IPv4 gateway (an IPv4-mapped next
	 * hop means the peer had no IPv6 address to give). */
	if (nh->global.family != FAMILY_NONE &&
	    (family == FAMILY_IPV4 || nh->global.family == FAMILY_IPV6) &&
	    connected_resolve(c, &nh->global, session_ifindex, out) == 0)
		return 0;
	if (nh->link_local.family == FAMILY_IPV6 &&
	    connected_resolve(c, &nh->link_local, session_ifindex, out) == 0)
		return 0;
	return -1;
}

static bool
eligible(const struct path *p)
{
	return path_eligible(p) && !p->source->local;
}

/*
 * True if the prefix is the FIB's business: its best path was received
 * (not originated here), or no path is usable but one was received and
 * accepted, which then shows as unresolved.
 */
static bool
fib_node_is_ours(const struct rib_node_view *view)
{
	const struct path *p = view->paths;

	if (p == NULL)
		return false;
	/* Our own prefix wins: nothing to install over it. */
	if (path_eligible(p))
		return !p->source->local;
	/* No usable path: the first accepted received one shows as
	 * unresolved. */
	for (; p != NULL; p = p->next)
		if (p->rejected == 0 && !p->source->local)
			return true;
	return false;
}

/* Adds p's resolved next hop to hops unless it is there already. */
static void
add_hop(const struct connected *c, int family, const struct path *p,
    struct nexthop *hops, size_t *count)
{
	struct nexthop h;
	size_t i;

	if (fib_resolve_path(c, family, p, &h) == -1)
		return;
	for (i = 0; i < *count; i++)
		if (hops[i].ifindex == h.ifindex &&
		    ip_addr_equal(&hops[i].gateway, &h.gateway))
			return;
	hops[(*count)++] = h;
}

/*
 * The next hops prefix should have, resolved with c: the reachable
 * next hops of the ECMP set; if none, those of the best path that
 * resolves and of the paths multipath-equal to it (RFC 4271 §9.1.2:
 * an unresolvable route is not eligible).  Returns the count (0:
 * nothing installable), or -1 if the RIB has no received best path at
 * all (nothing of ours to show either).
 */
static int
desired_hops(const struct fib *f, const struct connected *c,
    const struct rib_node *node, struct nexthop *hops)
{
	struct rib_node_view view;
	const struct path *p, *base = NULL;
	size_t count = 0, max = f->params.ecmp;

	if (node == NULL)
		return -1;
	rib_node_get(node, &view);
	if (!fib_node_is_ours(&view))
		return -1;
	for (p = view.paths; p != NULL && count < max; p = p->next)
		if ((p->flags & PATH_ECMP) && eligible(p))
			add_hop(c, view.prefix.family, p, hops, &count);
	if (count > 0)
		return (int)count;
	for (p = view.paths; p != NULL && count < max; p = p->next) {
		if (!eligible(p))
			continue;
		if (base == NULL) {
			add_hop(c, view.prefix.family, p, hops, &count);
			if (count > 0)
				base = p;
		} else if (decide_multipath_equal(base, p)) {
			add_hop(c, view.prefix.family, p, hops, &count);
		}
	}
	return (int)count;
}

static int
desired(const struct fib *f, const struct prefix *prefix,
    struct nexthop *hops)
{
	return desired_hops(f, &f->connected, rib_lookup(f->rib, prefix),
	    hops);
}

/* True if the kernel should have a route of ours for prefix. */
static bool
wants_route(const struct fib *f, const struct prefix *prefix)
{
	static struct nexthop hops[FIB_MAX_NEXTHOPS];

	return desired(f, prefix, hops) > 0;
}

static bool
has_candidate(const struct fib *f, const struct prefix *prefix)
{
	const struct rib_node *node = rib_lookup(f->rib, prefix);
	struct rib_node_view view;

	if (node == NULL)
		return false;
	rib_node_get(node, &view);
	return fib_node_is_ours(&view);
}

static void
schedule_flush(struct fib *f)
{
	if (f->stopped)
		return;
	if (!f->in_burst) {
		f->in_burst = true;
		f->burst_start_us = now_us();
		f->burst_kernel_us = 0;
		f->burst_requests = f->stats.routes_sent + f->stats.deletes_sent;
		f->burst_batches = f->stats.batches;
	}
	evtimer_del(f->burst_timer);
	event_active(f->flush_event, EV_TIMEOUT, 0);
}

/* The queue stayed empty: says how long a big burst took, and where. */
static void
fib_burst_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fib *f = arg;
	uint64_t requests = f->stats.routes_sent + f->stats.deletes_sent -
	    f->burst_requests;

	if (!f->in_burst)
		return;
	f->in_burst = false;
	if (requests < BURST_LOG_MIN)
		return;
	log_info("fib: %llu requests in %llu batches: %llu ms from the first "
	    "change to the last reply, %llu ms of it in the kernel",
	    (unsigned long long)requests,
	    (unsigned long long)(f->stats.batches - f->burst_batches),
	    (unsigned long long)(f->burst_end_us - f->burst_start_us) / 1000,
	    (unsigned long long)f->burst_kernel_us / 1000);
}

static void
end_burst(struct fib *f)
{
	struct timeval tv = { 0, BURST_QUIET_MS * 1000 };

	evtimer_add(f->burst_timer, &tv);
}

static void
mark_dirty(struct fib *f, const struct prefix *prefix)
{
	fib_table_update(f->table, prefix, FIB_DIRTY, 0);
	schedule_flush(f);
}

/* ---- hop sets: the tags of queued prefixes ------------------------ */

static uint32_t
hop_set_hash(const struct nexthop *hops, size_t count)
{
	uint32_t h = 2166136261u ^ (uint32_t)count;
	size_t i, b;

	for (i = 0; i < count; i++) {
		h = (h ^ hops[i].gateway.family) * 16777619u;
		for (b = 0; b < sizeof(hops[i].gateway.bytes); b++)
			h = (h ^ hops[i].gateway.bytes[b]) * 16777619u;
		h = (h ^ (uint32_t)hops[i].ifindex) * 16777619u;
	}
	return h;
}

static bool
hop_set_equal(const struct hop_set *s, const struct nexthop *hops,
    size_t count)
{
	size_t i;

	if (s->count != count)
		return false;
	for (i = 0; i < count; i++)
		if (s->hops[i].ifindex != hops[i].ifindex ||
		    !ip_addr_equal(&s->hops[i].gateway, &hops[i].gateway))
			return false;
	return true;
}

/*
 * The tag for what desired_hops() returned (count, hops); TAG_UNKNOWN
 * once 253 hop sets exist (more than a deployment has: the flush then
 * looks those prefixes up).
 */
static uint8_t
tag_of(struct fib *f, const struct nexthop *hops, int count)
{
	uint32_t *bucket, index;
	struct hop_set *s;

	if (count < 0)
		return TAG_NOT_OURS;
	if (count == 0)
		return TAG_UNRESOLVED;
	bucket = &f->hop_set_buckets[hop_set_hash(hops, (size_t)count) %
	    HOP_SET_BUCKETS];
	for (index = *bucket; index != 0; index = s->next) {
		s = &f->hop_sets[index - 1];
		if (hop_set_equal(s, hops, (size_t)count))
			return (uint8_t)(TAG_HOPS + index - 1);
	}
	if (f->hop_set_count == HOP_SETS_MAX)
		return TAG_UNKNOWN;
	if (f->hop_set_count == f->hop_set_alloc) {
		f->hop_set_alloc = f->hop_set_alloc ? f->hop_set_alloc * 2 : 16;
		f->hop_sets = xreallocarray(f->hop_sets, f->hop_set_alloc,
		    sizeof(*f->hop_sets));
	}
	s = &f->hop_sets[f->hop_set_count++];
	memset(s, 0, sizeof(*s));
	memcpy(s->hops, hops, (size_t)count * sizeof(*hops));
	s->count = (uint8_t)count;
	s->next = *bucket;
	*bucket = (uint32_t)f->hop_set_count;
	return (uint8_t)(TAG_HOPS + f->hop_set_count - 1);
}

/* What a tag says: desired_hops()'s count, hops filled; TAG_UNKNOWN
 * must not be asked. */
static int
hops_of_tag(const struct fib *f, uint8_t tag, struct nexthop *hops)
{
	const struct hop_set *s;

	if (tag == TAG_NOT_OURS)
		return -1;
	if (tag == TAG_UNRESOLVED)
		return 0;
	s = &f->hop_sets[tag - TAG_HOPS];
	memcpy(hops, s->hops, s->count * sizeof(*hops));
	return s->count;
}

/* ---- batches of requests ---------------------------------------- */

static void
schedule_retry(struct fib *f)
{
	struct timeval tv = { RETRY_SECONDS, 0 };

	f->backoff = true;
	if (!evtimer_pending(f->retry_timer, NULL))
		evtimer_add(f->retry_timer, &tv);
}

static void
format_hops(const struct nexthop *hops, size_t count, char *buf,
    size_t size)
{
	char a[IP_ADDR_STRLEN];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < count && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? ", " : "", ip_addr_format(&hops[i].gateway, a,
		    sizeof(a)));
}

/* The text of an extended ACK (NETLINK_EXT_ACK), or "". */
static const char *
extack_message(struct nlmsghdr *h, const struct nlmsgerr *e)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t offset = sizeof(*e);
	int len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)nlmsg_datalen(h) - (int)offset;
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)
	    (void *)((char *)nlmsg_data(h) + offset), len, NULL) < 0 ||
	    tb[NLMSGERR_ATTR_MSG] == NULL || nla_len(tb[NLMSGERR_ATTR_MSG]) < 1)
		return "";
	((char *)nla_data(tb[NLMSGERR_ATTR_MSG]))[nla_len(
	    tb[NLMSGERR_ATTR_MSG]) - 1] = '\0';
	return nla_data(tb[NLMSGERR_ATTR_MSG]);
}

static void
request_failed(struct fib *f, const struct fib_request *r, int error,
    const char *why)
{
	struct nexthop hops[FIB_MAX_NEXTHOPS];
	char text[PREFIX_STRLEN], via[256];
	int count;

	prefix_format(&r->prefix, text, sizeof(text));
	if (r->delete) {
		if (error != ESRCH)	/* already gone: what we wanted */
			log_warn("fib: %s: cannot delete the route: %s%s%s",
			    text, strerror(error), *why ? ": " : "", why);
		return;
	}
	f->stats.errors++;
	if (error == ENOBUFS || error == ENOMEM) {
		/* The kernel is short of memory: try again later. */
		fib_table_update(f->table, &r->prefix, FIB_DIRTY, 0);
		schedule_retry(f);
	} else {
		fib_table_update(f->table, &r->prefix, FIB_FAILED, 0);
	}
	if (++f->failures > FAILURES_LOGGED)
		return;
	count = desired(f, &r->prefix, hops);
	format_hops(hops, count > 0 ? (size_t)count : 0, via, sizeof(via));
	log_warn("fib: %s via %s: the kernel refused the route: %s%s%s",
	    text, via, strerror(error), *why ? ": " : "", why);
}

static void
handle_reply(struct fib *f, const struct fib_out *o, struct nlmsghdr *h)
{
	struct nlmsgerr *e;
	size_t index;

	if (h->nlmsg_type != NLMSG_ERROR || !nlmsg_valid_hdr(h, sizeof(*e)))
		return;
	e = nlmsg_data(h);
	index = e->msg.nlmsg_seq - o->first_seq;
	if (index + 1 == o->count)
		f->acked = true;
	if (e->error == 0)
		return;
	if (index >= o->count) {
		log_warn("fib: reply to an unknown request %u: %s",
		    e->msg.nlmsg_seq, strerror(-e->error));
		return;
	}
	request_failed(f, &o->sent[index], -e->error, extack_message(h, e));
}

/* An empty batch: a recycled one, or a new one. */
static struct fib_out *
out_get(struct fib *f)
{
	struct fib_out *o = f->free_batches;

	if (o != NULL) {
		f->free_batches = o->next_free;
	} else {
		o = xcalloc(1, sizeof(*o));
		o->batch.data = xmalloc(BATCH_BYTES);
		o->batch.owner = o;
	}
	o->batch.len = 0;
	o->count = 0;
	return o;
}

static void
out_free(struct fib_out *o)
{
	free(o->batch.data);
	free(o->batch.replies);
	free(o);
}

/*
 * A batch came back from the kernel (from the worker, or sent from
 * here): its failures, its statistics; then it is recycled.
 */
static void
batch_done(struct fib *f, struct fib_out *o)
{
	struct fib_batch *b = &o->batch;
	struct nlmsghdr *h;
	size_t i;
	int left;

	f->acked = false;
	f->failures = 0;
	if (b->send_error < 0) {
		log_warn("fib: sending %zu requests: %s; retrying in %d s",
		    o->count, nl_geterror(b->send_error), RETRY_SECONDS);
		for (i = 0; i < o->count; i++)
			fib_table_update(f->table, &o->sent[i].prefix,
			    FIB_DIRTY, 0);
		schedule_retry(f);
	} else {
		if (b->recv_error < 0)
			log_warn("fib: reading replies: %s",
			    nl_geterror(b->recv_error));
		left = (int)b->replies_len;
		for (h = (struct nlmsghdr *)(void *)b->replies;
		    nlmsg_ok(h, left); h = nlmsg_next(h, &left))
			handle_reply(f, o, h);
		if (f->failures > FAILURES_LOGGED)
			log_warn("fib: and %zu more routes refused in that "
			    "batch", f->failures - FAILURES_LOGGED);
		if (!f->acked)
			log_warn("fib: no reply to the last of %zu requests",
			    o->count);
	}
	f->burst_end_us = now_us();
	f->burst_kernel_us += b->kernel_us;
	o->next_free = f->free_batches;
	f->free_batches = o;
}

/* True if the flush may build another batch now. */
static bool
flush_room(const struct fib *f)
{
	return f->worker == NULL ||
	    fib_worker_pending(f->worker) < OUT_BATCHES;
}

/*
 * Sends the batch being built: to the worker (waiting for one to come
 * back first if OUT_BATCHES are out, which only a burst outside the
 * flush can cause), or from here when there is no worker.
 */
static void
batch_send(struct fib *f)
{
	struct fib_out *o = f->filling;
	struct nlmsghdr *last;

	if (o == NULL || o->count == 0)
		return;
	/* The last request is acknowledged: the batch was read whole. */
	last = (struct nlmsghdr *)(void *)(o->batch.data + o->last_offset);
	last->nlmsg_flags |= NLM_F_ACK;
	f->filling = NULL;
	f->stats.batches++;
	if (f->worker == NULL) {
		fib_batch_transmit(f->requests, &o->batch);
		batch_done(f, o);
		return;
	}
	if (!flush_room(f))
		fib_worker_wait_one(f->worker);
	fib_worker_submit(f->worker, &o->batch);
}

/* Appends the request built in f->scratch, sending first if full. */
static void
batch_append(struct fib *f, const struct prefix *prefix, uint32_t metric,
    bool delete)
{
	struct nlmsghdr *h = nlmsg_hdr(f->scratch);
	size_t len = NLMSG_ALIGN(h->nlmsg_len);
	struct fib_out *o = f->filling;

	if (o != NULL && (o->batch.len + len > BATCH_BYTES ||
	    o->count == BATCH_REQUESTS)) {
		batch_send(f);
		o = NULL;
	}
	if (o == NULL)
		o = f->filling = out_get(f);
	if (o->count == 0)
		o->first_seq = h->nlmsg_seq;
	o->last_offset = o->batch.len;
	memcpy(o->batch.data + o->batch.len, h, h->nlmsg_len);
	memset(o->batch.data + o->batch.len + h->nlmsg_len, 0,
	    len - h->nlmsg_len);
	o->batch.len += len;
	o->sent[o->count].prefix = *prefix;
	o->sent[o->count].metric = metric;
	o->sent[o->count].delete = delete;
	o->count++;
}

/*
 * Queues the route (count > 0) or its deletion (count 0, with metric).
 * Sequence numbers are consecutive within a batch, which is how a
 * reply finds its request.
 */
static void
request(struct fib *f, const struct prefix *prefix, const struct nexthop *hops,
    size_t count, uint32_t metric)
{
	uint32_t seq = f->seq + 1;
	int result;

	if (count > 0)
		result = fib_msg_route(f->scratch, seq, &f->key, prefix, hops,
		    count);
	else
		result = fib_msg_delete_metric(f->scratch, seq, &f->key,
		    prefix, metric);
	if (result == -1)
		fatal("fib: a route message does not fit its buffer");
	f->seq = seq;
	if (count > 0)
		f->stats.routes_sent++;
	else
		f->stats.deletes_sent++;
	batch_append(f, prefix, metric, count == 0);
}

/* ---- syncing one prefix ------------------------------------------ */

static void
log_conflict(const struct fib *f, const struct prefix *prefix)
{
	char text[PREFIX_STRLEN];

	log_warn("fib: %s: a route of another owner holds table %u metric "
	    "%u; left alone, ours not installed", prefix_format(prefix, text,
	    sizeof(text)), f->params.table, f->params.metric);
}

/*
 * Makes the kernel's route for prefix what the RIB says: count and hops
 * as desired_hops() gives them; flags are the prefix's fib_table flags.
 */
static void
sync_hops(struct fib *f, const struct prefix *prefix, uint8_t flags,
    const struct nexthop *hops, int count)
{
	if (flags & FIB_FOREIGN) {
		/* Ours may sit beside theirs (IPv4 "append"): remove it;
		 * the deletion matches our protocol only. */
		request(f, prefix, NULL, 0, f->params.metric);
		if (count >= 0 && !(flags & FIB_REPORTED))
			log_conflict(f, prefix);
		fib_table_update(f->table, prefix, count >= 0 ?
		    FIB_REPORTED : 0, FIB_DIRTY | FIB_STALE);
		return;
	}
	if (count > 0) {
		request(f, prefix, hops, (size_t)count, 0);
		fib_table_update(f->table, prefix, 0, FIB_DIRTY | FIB_STALE |
		    FIB_FAILED);
	} else if ((flags & FIB_STALE) && !f->converged) {
		/* An earlier run's route waits for the RIB. */
		fib_table_update(f->table, prefix, 0, FIB_DIRTY);
	} else {
		request(f, prefix, NULL, 0, f->params.metric);
		fib_table_update(f->table, prefix, 0, FIB_DIRTY | FIB_STALE |
		    FIB_FAILED);
	}
}

/*
 * Makes the kernel's route for prefix what the RIB says now; node is
 * the prefix's RIB node (rib_lookup), NULL if it has none.
 */
static void
sync_prefix(struct fib *f, const struct prefix *prefix,
    const struct rib_node *node)
{
	struct nexthop hops[FIB_MAX_NEXTHOPS];
	int count = desired_hops(f, &f->connected, node, hops);

	sync_hops(f, prefix, fib_table_get(f->table, prefix), hops, count);
}

/*
 * The next wave of at most FLUSH_WAVE dirty prefixes, stepped over
 * (syncing them may move entries: a prefix moved behind the cursor is
 * found when the walk starts over).  Returns how many.
 */
static size_t
dirty_wave(struct fib *f, struct prefix *wave, uint8_t *flags, uint8_t *tags,
    size_t max)
{
	size_t n = 0;
	bool restarted = false;

	while (n < max) {
		if (!fib_table_next(f->table, FIB_DIRTY, &f->sweep, &wave[n],
		    &flags[n])) {
			if (n > 0 || restarted)
				break;
			fib_table_cursor_init(&f->sweep);
			restarted = true;
			continue;
		}
		tags[n] = f->sweep.tag;
		f->sweep.slot++;
		n++;
	}
	return n;
}

/*
 * Syncs one wave: prefixes with a tag as it says, the others (whose RIB
 * node has long left the caches) looked up together, their misses
 * overlapping (rib_lookup_batch).  Syncing a prefix changes no other
 * entry's flags, so those of the walk hold.
 */
static void
sync_wave(struct fib *f, const struct prefix *wave, const uint8_t *flags,
    const uint8_t *tags, size_t n)
{
	struct nexthop hops[FIB_MAX_NEXTHOPS];
	struct prefix unknown[FLUSH_WAVE];
	const struct rib_node *nodes[FLUSH_WAVE];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (tags[i] == TAG_UNKNOWN)
			unknown[k++] = wave[i];
	if (k > 0)
		rib_lookup_batch(f->rib, unknown, k, nodes);
	for (i = 0, k = 0; i < n; i++) {
		if (tags[i] == TAG_UNKNOWN)
			sync_hops(f, &wave[i], flags[i], hops, desired_hops(f,
			    &f->connected, nodes[k++], hops));
		else
			sync_hops(f, &wave[i], flags[i], hops,
			    hops_of_tag(f, tags[i], hops));
	}
}

/* Syncs up to budget dirty prefixes; returns how many. */
static size_t
flush_dirty(struct fib *f, size_t budget)
{
	struct prefix wave[FLUSH_WAVE];
	uint8_t flags[FLUSH_WAVE], tags[FLUSH_WAVE];
	size_t done = 0, n, left;

	while (done < budget && (left = fib_table_count(f->table,
	    FIB_DIRTY)) > 0 && flush_room(f)) {
		n = dirty_wave(f, wave, flags, tags, left < FLUSH_WAVE ?
		    left : FLUSH_WAVE);
		if (n == 0)
			fatal("fib: dirty count and table disagree");
		sync_wave(f, wave, flags, tags, n);
		done += n;
	}
	return done;
}

/* Continues the full pass over the RIB; returns prefixes synced. */
static size_t
flush_pass(struct fib *f, size_t budget)
{
	const struct rib_node *node;
	struct rib_node_view view;
	size_t done = 0;

	while (f->pass_active && done < budget && flush_room(f)) {
		node = rib_next(f->rib, f->pass_family, f->pass_have_after ?
		    &f->pass_after : NULL);
		if (node == NULL) {
			f->pass_have_after = false;
			if (++f->pass_family > FAMILY_IPV6)
				f->pass_active = false;
			continue;
		}
		rib_node_get(node, &view);
		f->pass_after = view.prefix;
		f->pass_have_after = true;
		if (view.paths != NULL && eligible(view.paths)) {
			sync_prefix(f, &view.prefix, node);
			done++;
		}
	}
	return done;
}

static void
fib_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fib *f = arg;
	size_t done;

	if (f->stopped || f->resyncing || f->backoff)
		return;
	done = flush_dirty(f, FLUSH_BUDGET);
	done += flush_pass(f, FLUSH_BUDGET - done);
	if (flush_room(f))
		batch_send(f);
	if (fib_table_count(f->table, FIB_DIRTY) > 0 || f->pass_active) {
		/* More to do: let sessions and the CLI run first.  With
		 * every batch out, the worker's next reply resumes us. */
		if (flush_room(f))
			event_active(f->flush_event, EV_TIMEOUT, 0);
	} else if (f->worker != NULL && fib_worker_pending(f->worker) > 0) {
		/* The burst ends with the last batch's replies. */
	} else {
		if (done > 0)
			log_debug("fib: queue flushed (%llu routes and %llu "
			    "deletions sent in %llu batches so far)",
			    (unsigned long long)f->stats.routes_sent,
			    (unsigned long long)f->stats.deletes_sent,
			    (unsigned long long)f->stats.batches);
		end_burst(f);
	}
}

/* The worker is done with a batch: its replies, then more flushing. */
static void
worker_done_cb(void *arg, struct fib_batch *b)
{
	struct fib *f = arg;

	batch_done(f, b->owner);
	if (!f->stopped && !f->resyncing && !f->backoff)
		event_active(f->flush_event, EV_TIMEOUT, 0);
}

static void
fib_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fib *f = arg;

	f->backoff = false;
	schedule_flush(f);
}

static void
start_pass(struct fib *f)
{
	f->pass_active = true;
	f->pass_family = FAMILY_IPV4;
	f->pass_have_after = false;
	schedule_flush(f);
}

/* ---- the RIB's changes ------------------------------------------- */

static bool
installable(const struct path *p)
{
	return p != NULL && !p->source->local;
}

static void
fib_rib_cb(void *arg, const struct prefix *prefix, const struct path *old_best,
    const struct path *new_best, const struct rib_node *node)
{
	struct fib *f = arg;
	struct nexthop hops[FIB_MAX_NEXTHOPS];

	/* Originated by this node before and after: never ours to
	 * install, nothing to remove. */
	if (f->stopped || (!installable(old_best) && !installable(new_best)))
		return;
	fib_table_queue(f->table, prefix, tag_of(f, hops,
	    desired_hops(f, &f->connected, node, hops)));
	schedule_flush(f);
}

/* ---- the kernel's changes (netmon) ------------------------------- */

/* A route with our protocol number: ours, whoever added it. */
static void
kernel_route_ours(struct fib *f, const struct kernel_route *r,
    bool from_dump)
{
	char text[PREFIX_STRLEN];

	if (r->metric != f->params.metric) {
		/* An earlier run's metric: it can never be confirmed. */
		if (from_dump && !r->deleted)
			request(f, &r->prefix, NULL, 0, r->metric);
		return;
	}
	if (r->deleted) {
		fib_table_update(f->table, &r->prefix, 0, FIB_STALE);
		if (!from_dump && wants_route(f, &r->prefix)) {
			log_info("fib: %s: our route was deleted by process "
			    "%u; putting it back", prefix_format(&r->prefix,
			    text, sizeof(text)), r->sender);
			mark_dirty(f, &r->prefix);
		}
		return;
	}
	if (from_dump) {
		/* At start the RIB is empty: kept until the sessions
		 * converge.  After an overflow, the pass resends what the
		 * RIB wants; the rest is stale. */
		if (!has_candidate(f, &r->prefix))
			fib_table_update(f->table, &r->prefix, FIB_STALE |
			    (f->converged ? FIB_DIRTY : 0), 0);
		return;
	}
	/* Added by someone else with our protocol: make it ours. */
	fib_table_update(f->table, &r->prefix, FIB_STALE, 0);
	mark_dirty(f, &r->prefix);
}

static void
kernel_route_foreign(struct fib *f, const struct kernel_route *r)
{
	char text[PREFIX_STRLEN];
	uint8_t flags = fib_table_get(f->table, &r->prefix);
	bool candidate = has_candidate(f, &r->prefix);

	prefix_format(&r->prefix, text, sizeof(text));
	if (r->deleted) {
		if (!(flags & FIB_FOREIGN))
			return;
		fib_table_update(f->table, &r->prefix, 0, FIB_FOREIGN |
		    FIB_REPORTED);
		if (candidate) {
			log_info("fib: %s: the route of protocol %u is gone; "
			    "installing ours", text, r->protocol);
			mark_dirty(f, &r->prefix);
		}
		return;
	}
	fib_table_update(f->table, &r->prefix, FIB_FOREIGN, 0);
	if (candidate)
		mark_dirty(f, &r->prefix);	/* logs the conflict */
}

static void
fib_kernel_route_cb(void *arg, const struct kernel_route *r, bool from_dump)
{
	struct fib *f = arg;

	/* Our own requests' echoes (if the socket filter is missing),
	 * and routes of another tos (another key), do not concern us. */
	if (f->stopped || r->tos != 0 || (!from_dump && r->sender == f->port))
		return;
	if (r->protocol == f->params.protocol)
		kernel_route_ours(f, r, from_dump);
	else if (r->metric == f->params.metric)
		kernel_route_foreign(f, r);
}

/* Forgets what the dump will tell again, remembering to recheck it. */
static void
forget_foreign(struct fib *f)
{
	struct fib_table_cursor cursor;
	struct prefix prefix;
	uint8_t flags;

	fib_table_cursor_init(&cursor);
	while (fib_table_next(f->table, FIB_FOREIGN, &cursor, &prefix,
	    &flags))
		fib_table_update(f->table, &prefix, FIB_DIRTY, FIB_FOREIGN |
		    FIB_REPORTED);
}

static void
fib_resync_cb(void *arg, bool begin, bool initial)
{
	struct fib *f = arg;
	size_t stale;

	if (begin) {
		/* The dump must see every request sent so far. */
		batch_send(f);
		fib_worker_drain(f->worker);
		f->resyncing = true;
		forget_foreign(f);
		return;
	}
	f->resyncing = false;
	stale = fib_table_count(f->table, FIB_STALE);
	if (initial && stale > 0)
		log_info("fib: %zu routes of ours in table %u from an earlier "
		    "run: kept until the sessions converge (at most %u s)",
		    stale, f->params.table, f->params.converge_seconds);
	if (!initial)
		start_pass(f);
	/* Deletions of an earlier run's metric, queued during the dump. */
	batch_send(f);
	schedule_flush(f);
}

/* ---- connected networks and convergence ------------------------- */

static bool
same_hops(const struct nexthop *a, int count_a, const struct nexthop *b,
    int count_b)
{
	int i;

	if (count_a != count_b)
		return false;
	for (i = 0; i < count_a; i++)
		if (a[i].ifindex != b[i].ifindex ||
		    !ip_addr_equal(&a[i].gateway, &b[i].gateway))
			return false;
	return true;
}

/* Queues every prefix whose next hops resolve differently under now. */
static size_t
queue_changed_resolution(struct fib *f, const struct connected *before)
{
	static struct nexthop old_hops[FIB_MAX_NEXTHOPS],
	    new_hops[FIB_MAX_NEXTHOPS];
	const struct rib_node *node;
	struct rib_node_view view;
	struct prefix after;
	int family, a, b;
	size_t queued = 0;

	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++) {
		for (node = rib_next(f->rib, family, NULL); node != NULL;
		    node = rib_next(f->rib, family, &after)) {
			rib_node_get(node, &view);
			after = view.prefix;
			a = desired_hops(f, before, node, old_hops);
			if (a < 0)
				continue;
			b = desired_hops(f, &f->connected, node, new_hops);
			if (same_hops(old_hops, a, new_hops, b))
				continue;
			fib_table_update(f->table, &view.prefix, FIB_DIRTY, 0);
			queued++;
		}
	}
	return queued;
}

void
fib_connected_changed(struct fib *f)
{
	struct connected before;
	struct fib_table_cursor cursor;
	struct prefix prefix;
	uint8_t flags;
	size_t queued;

	if (f->stopped)
		return;
	/* Synchronous, so that every route not queued here stays
	 * resolved with exactly f->connected. */
	before = f->connected;
	connected_init(&f->connected);
	connected_copy(&f->connected, netmon_connected(f->netmon));
	queued = queue_changed_resolution(f, &before);
	connected_clear(&before);
	/* Refused routes get another chance. */
	fib_table_cursor_init(&cursor);
	while (fib_table_next(f->table, FIB_FAILED, &cursor, &prefix,
	    &flags))
		fib_table_update(f->table, &prefix, FIB_DIRTY, FIB_FAILED);
	if (queued > 0)
		log_info("fib: connected networks changed: %zu prefixes to "
		    "update", queued);
	schedule_flush(f);
}

void
fib_set_converged(struct fib *f)
{
	struct fib_table_cursor cursor;
	struct prefix prefix;
	uint8_t flags;
	size_t stale = fib_table_count(f->table, FIB_STALE);

	if (f->converged)
		return;
	f->converged = true;
	evtimer_del(f->converge_timer);
	if (stale == 0)
		return;
	log_info("fib: converged; %zu routes of an earlier run not confirmed "
	    "yet: deleted unless the RIB wants them", stale);
	fib_table_cursor_init(&cursor);
	while (fib_table_next(f->table, FIB_STALE, &cursor, &prefix, &flags)) {
		fib_table_update(f->table, &prefix, FIB_DIRTY, 0);
		cursor.slot++;
	}
	schedule_flush(f);
}

static void
fib_converge_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fib *f = arg;

	if (!f->converged)
		log_info("fib: sessions not converged after %u s",
		    f->params.converge_seconds);
	fib_set_converged(f);
}

/* ---- `show fib` ---------------------------------------------------- */

int
fib_route_info(const struct fib *f, const struct prefix *prefix,
    struct fib_route_info *info)
{
	uint8_t flags = fib_table_get(f->table, prefix);
	int count = desired(f, prefix, info->next_hops);

	info->prefix = *prefix;
	info->next_hop_count = count > 0 ? (size_t)count : 0;
	if (count < 0 && !(flags & FIB_STALE))
		return -1;
	if (count < 0 || (flags & FIB_DIRTY) || f->resyncing)
		info->state = FIB_PENDING;
	else if (flags & FIB_FOREIGN)
		info->state = FIB_CONFLICTING;
	else if (count == 0 || (flags & FIB_FAILED))
		info->state = FIB_UNRESOLVED;
	else
		info->state = FIB_INSTALLED;
	return 0;
}

bool
fib_orphan_next(const struct fib *f, struct fib_table_cursor *cursor,
    struct fib_route_info *info)
{
	struct prefix prefix;
	uint8_t flags;

	while (fib_table_next(f->table, FIB_STALE, cursor, &prefix, &flags)) {
		cursor->slot++;
		if (has_candidate(f, &prefix))
			continue;	/* listed with the RIB's prefixes */
		info->prefix = prefix;
		info->state = FIB_PENDING;
		info->next_hop_count = 0;
		return true;
	}
	return false;
}

void
fib_get_stats(const struct fib *f, struct fib_stats *stats)
{
	*stats = f->stats;
	stats->queued = fib_table_count(f->table, FIB_DIRTY);
	stats->stale = fib_table_count(f->table, FIB_STALE);
	stats->conflicting = fib_table_count(f->table, FIB_FOREIGN);
	stats->table_bytes = fib_table_bytes(f->table);
}

/* ---- life cycle ---------------------------------------------------- */

static int
open_requests(struct fib *f, char *error, size_t error_size)
{
	int err, one = 1, size = REQUESTS_RCVBUF, fd;
	int send_size = 2 * BATCH_BYTES;

	f->requests = nl_socket_alloc();
	if (f->requests == NULL)
		fatalx_oom();
	nl_socket_disable_seq_check(f->requests);
	nl_socket_disable_auto_ack(f->requests);
	if ((err = nl_connect(f->requests, NETLINK_ROUTE)) < 0 ||
	    (err = nl_socket_set_nonblocking(f->requests)) < 0) {
		snprintf(error, error_size, "fib: rtnetlink socket: %s",
		    nl_geterror(err));
		return -1;
	}
	nl_socket_set_msg_buf_size(f->requests, 32 * 1024);
	nl_socket_disable_msg_peek(f->requests);
	fd = nl_socket_get_fd(f->requests);
	/* Failures carry the request's header only, plus the kernel's
	 * explanation; room for the failures of a whole batch. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == -1)
		nl_socket_set_buffer_size(f->requests, size, 0);
	/* Netlink refuses a message longer than the send buffer less 32
	 * bytes, and libnl's 32 KiB (doubled by Linux) is a full batch
	 * exactly: 1024 IPv6 deletions of 64 bytes failed with EMSGSIZE. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_size, sizeof(send_size));
	f->port = nl_socket_get_local_port(f->requests);
	return 0;
}

static void
fib_init_events(struct fib *f)
{
	struct timeval tv = { (time_t)f->params.converge_seconds, 0 };

	f->flush_event = event_new(f->base, -1, 0, fib_flush_cb, f);
	f->converge_timer = evtimer_new(f->base, fib_converge_cb, f);
	f->retry_timer = evtimer_new(f->base, fib_retry_cb, f);
	f->burst_timer = evtimer_new(f->base, fib_burst_cb, f);
	if (f->flush_event == NULL || f->converge_timer == NULL ||
	    f->retry_timer == NULL || f->burst_timer == NULL)
		fatalx_oom();
	evtimer_add(f->converge_timer, &tv);
}

struct fib *
fib_create(struct event_base *base, struct rib *rib, struct netmon *netmon,
    const struct fib_params *params, char *error, size_t error_size)
{
	struct fib *f = xcalloc(1, sizeof(*f));

	f->base = base;
	f->rib = rib;
	f->netmon = netmon;
	f->params = *params;
	if (f->params.ecmp == 0 || f->params.ecmp > FIB_MAX_NEXTHOPS)
		f->params.ecmp = FIB_MAX_NEXTHOPS;
	f->key.table = params->table;
	f->key.metric = params->metric;
	f->key.protocol = params->protocol;
	f->table = fib_table_create();
	fib_table_cursor_init(&f->sweep);
	f->scratch = nlmsg_alloc_size(fib_msg_size(f->params.ecmp));
	if (f->scratch == NULL)
		fatalx_oom();
	connected_init(&f->connected);
	connected_copy(&f->connected, netmon_connected(netmon));
	fib_init_events(f);
	if (open_requests(f, error, error_size) == -1 ||
	    netmon_watch_routes(netmon, params->table, f->port,
	    fib_kernel_route_cb, fib_resync_cb, f, error, error_size) == -1) {
		fib_free(f);
		return NULL;
	}
	f->worker = fib_worker_start(base, f->requests, worker_done_cb, f);
	if (f->worker == NULL)
		log_warn("fib: no thread for the kernel's work (%s): routes "
		    "are sent from the event loop", strerror(errno));
	f->observer = rib_observer_add(rib, fib_rib_cb, f);
	return f;
}

static void
stop(struct fib *f)
{
	if (f->observer != NULL)
		rib_observer_remove(f->rib, f->observer);
	f->observer = NULL;
	f->stopped = true;
	event_del(f->flush_event);
	evtimer_del(f->converge_timer);
	evtimer_del(f->retry_timer);
	evtimer_del(f->burst_timer);
}

/* Every route with our protocol in the table, whatever its metric. */
static void
shutdown_route_cb(void *arg, const struct kernel_route *r, bool from_dump)
{
	struct fib *f = arg;

	if (r->protocol == f->params.protocol && !r->deleted)
		request(f, &r->prefix, NULL, 0, r->metric);
}

void
fib_shutdown(struct fib *f)
{
	uint64_t before = f->stats.deletes_sent;

	stop(f);
	/* What is still out comes back; from now on we send from here. */
	batch_send(f);
	fib_worker_stop(f->worker);
	f->worker = NULL;
	if (f->params.keep_on_exit) {
		log_info("fib: leaving our routes in table %u "
		    "(fib.keep-on-exit)", f->params.table);
		return;
	}
	/* Ask the kernel rather than the RIB: this also catches routes
	 * we lost track of. */
	if (netmon_dump_routes(f->netmon, f->params.table, shutdown_route_cb,
	    f) == -1)
		log_warn("fib: cannot list our routes; some may remain");
	batch_send(f);
	log_info("fib: removed %llu routes from table %u",
	    (unsigned long long)(f->stats.deletes_sent - before),
	    f->params.table);
}

void
fib_free(struct fib *f)
{
	struct fib_out *o;

	if (f == NULL)
		return;
	/* The events exist: fib_create() makes them before anything can
	 * fail. */
	stop(f);
	fib_worker_stop(f->worker);
	f->worker = NULL;
	event_free(f->flush_event);
	event_free(f->converge_timer);
	event_free(f->retry_timer);
	event_free(f->burst_timer);
	if (f->requests != NULL)
		nl_socket_free(f->requests);
	if (f->scratch != NULL)
		nlmsg_free(f->scratch);
	connected_clear(&f->connected);
	fib_table_free(f->table);
	if (f->filling != NULL)
		out_free(f->filling);
	while ((o = f->free_batches) != NULL) {
		f->free_batches = o->next_free;
		out_free(o);
	}
	free(f->hop_sets);
	free(f);
}
