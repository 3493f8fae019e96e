/*
 * adjout.c - what one peer is sent, and the UPDATEs that send it.
 *
 * No copy of the routes sent is kept.  What the peer has is derived:
 * for a prefix not queued it is export(best path), because every change
 * of the best path reaches us as a RIB observer call, with the old best
 * path still valid.  Only queued prefixes carry state.
 *
 * Withdrawals are sent before anything else, so they need no more than
 * a FIFO of NLRI in wire form (4 bytes for a /24): a session going down
 * with a full table behind it costs a few MB here, not a hash entry per
 * prefix.  A prefix withdrawn and then announced again before the FIFO
 * drains is sent twice, in the right order.
 *
 * Announcements are entries (36 bytes from a pool, found by prefix) in
 * one queue per (attribute set, source, family), so prefixes sharing
 * attributes are packed into one UPDATE; an entry records whether the
 * peer has a route for the prefix now (the advertised counters stay
 * exact), and a prefix that changes again moves to its new queue, or
 * to the withdrawals.
 *
 * The table dump after Established (and after a ROUTE-REFRESH) is lazy:
 * a cursor walks the RIB with rib_next() and feeds at most DUMP_WINDOW
 * entries into the queues at a time.  Changes beyond the cursor of an
 * initial dump are ignored: the dump will read them as they are then.
 * While a dump runs, only queues holding a well-filled message are sent,
 * so that the window gathers prefixes of the same attributes.
 *
 * Export rules (RFC each): export policy none/local/all; never back to
 * the source (split horizon); NO_ADVERTISE, NO_EXPORT (RFC 1997);
 * iBGP-learned routes to iBGP peers only when reflecting (RFC 4271
 * §9.2, RFC 4456 §6); rejected paths never.  Attribute changes are in
 * export_attrs().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adjout.h"
#include "attr.h"
#include "decide.h"
#include "log.h"
#include "pool.h"

#define DUMP_WINDOW	65536	/* entries queued by a dump at a time */
#define DUMP_STEP	16384	/* RIB nodes read per pull */
#define DUMP_PULLS	4	/* pulls per adjout_next_message() */
#define QUEUE_FULL	256	/* entries that make a queue worth sending */
#define HASH_MIN	1024	/* entry hash buckets */

enum dump_mode {
	DUMP_NONE = 0,
	DUMP_INITIAL,	/* the peer has nothing beyond the cursor */
	DUMP_REFRESH,	/* the peer has export(best) beyond the cursor */
};

struct adjout_dump {
	enum dump_mode	 mode;
	bool		 cursor_set;
	bool		 end_of_rib;	/* to send once the queues drain */
	bool		 refresh_after;	/* refresh asked during the dump */
	bool		 warned_nexthop;
	struct prefix	 cursor;	/* last prefix read */
};

/* A queued prefix (pool slot). */
struct adjout_entry {
	uint32_t	 hash_next;	/* entry index */
	uint32_t	 next, prev;	/* in its queue */
	uint32_t	 queue;		/* queue index */
	struct prefix	 prefix;
	uint8_t		 advertised;	/* the peer has a route for it */
};

/* Prefixes to announce with one attribute set. */
struct adjout_queue {
	uint32_t			 head, tail;	/* entries */
	uint32_t			 count;
	uint32_t			 hash_next;	/* queues */
	uint32_t			 ready_next, full_next;
	struct attr			*attr;	/* one reference */
	const struct route_source	*source;
	uint8_t				 family;
	bool				 on_ready, on_full;
};

struct queue_list {
	uint32_t	 head, tail;
};

/* Withdrawn prefixes of one family as NLRI (length, bytes), in order. */
struct nlri_fifo {
	uint8_t		*data;
	size_t		 start, end, cap;
	size_t		 count;
};

struct adjout {
	struct rib		*rib;
	void			*observer;
	struct adjout_params	 params;
	void			(*wakeup_cb)(void *);
	void			*wakeup_arg;
	bool			 established;
	struct adjout_dump	 dumps[3];	/* by family */
	struct pool		 entries;
	uint32_t		*entry_hash;
	uint32_t		 entry_mask;
	uint64_t		 hash_seed;
	struct pool		 queues;
	uint32_t		*queue_hash;	/* announce queues */
	uint32_t		 queue_mask;
	size_t			 queue_count;
	struct nlri_fifo	 withdrawals[3];	/* by family */
	struct queue_list	 ready;		/* announce queues, FIFO */
	struct queue_list	 full;		/* those of >= QUEUE_FULL */
	struct adjout_stats	 stats;
	struct path_attrs	 pa;		/* the attributes being sent */
	uint8_t			 cluster_list[BGP_MAX_MSG_LEN + 4];
};

static void adjout_rib_cb(void *, const struct prefix *, const struct path *,
    const struct path *, const struct rib_node *);

/* ---- entries and their hash ------------------------------------------ */

static struct adjout_entry *
entry_at(const struct adjout *out, uint32_t index)
{
	return pool_ptr(&out->entries, index);
}

static struct adjout_queue *
queue_at(const struct adjout *out, uint32_t index)
{
	return pool_ptr(&out->queues, index);
}

/*
 * Prefixes come from peers: the hash is keyed with a random seed so
 * that a peer cannot aim them all at one bucket.
 */
static uint32_t
prefix_hash(const struct adjout *out, const struct prefix *p)
{
	uint64_t h = out->hash_seed ^ ((uint64_t)p->family << 8 | p->length);
	uint64_t word;
	size_t i;

	for (i = 0; i < family_bits(p->family) / 8; i += 8) {
		memcpy(&word, p->bytes + i, sizeof(word));
		h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
	}
	h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(h ^ (h >> 32));
}

static void
entry_hash_resize(struct adjout *out, uint32_t buckets)
{
	uint32_t *next = xcalloc(buckets, sizeof(*next)), i, index, after;
	struct adjout_entry *e;

	for (i = 0; out->entry_hash != NULL && i <= out->entry_mask; i++) {
		for (index = out->entry_hash[i]; index != 0; index = after) {
			e = entry_at(out, index);
			after = e->hash_next;
			e->hash_next = next[prefix_hash(out, &e->prefix) &
			    (buckets - 1)];
			next[prefix_hash(out, &e->prefix) & (buckets - 1)] =
			    index;
		}
	}
	free(out->entry_hash);
	out->entry_hash = next;
	out->entry_mask = buckets - 1;
}

static uint32_t
entry_find(const struct adjout *out, const struct prefix *p)
{
	uint32_t index = out->entry_hash[prefix_hash(out, p) & out->entry_mask];
	struct adjout_entry *e;

	for (; index != 0; index = e->hash_next) {
		e = entry_at(out, index);
		if (prefix_equal(&e->prefix, p))
			return index;
	}
	return 0;
}

static uint32_t
entry_new(struct adjout *out, const struct prefix *p, bool advertised)
{
	uint32_t index = pool_alloc(&out->entries), *bucket;
	struct adjout_entry *e = entry_at(out, index);

	e->prefix = *p;
	e->advertised = advertised;
	bucket = &out->entry_hash[prefix_hash(out, p) & out->entry_mask];
	e->hash_next = *bucket;
	*bucket = index;
	if (out->entries.in_use > (size_t)out->entry_mask + 1)
		entry_hash_resize(out, (out->entry_mask + 1) * 2);
	return index;
}

/* ---- withdrawals ------------------------------------------------------ */

static void
withdraw_push(struct adjout *out, const struct prefix *p)
{
	struct nlri_fifo *f = &out->withdrawals[p->family];
	size_t bytes = ((size_t)p->length + 7) / 8;

	if (f->cap - f->end < 1 + bytes) {
		if (f->start > f->cap / 2) {
			memmove(f->data, f->data + f->start, f->end - f->start);
			f->end -= f->start;
			f->start = 0;
		} else {
			f->cap = f->cap ? f->cap * 2 : 4096;
			f->data = xrealloc(f->data, f->cap);
		}
	}
	f->data[f->end++] = p->length;
	memcpy(f->data + f->end, p->bytes, bytes);
	f->end += bytes;
	f->count++;
}

/* The first prefix of the FIFO into *p; its size in the FIFO, 0 if none. */
static size_t
withdraw_peek(const struct nlri_fifo *f, int family, struct prefix *p)
{
	uint8_t length;

	if (f->start == f->end)
		return 0;
	length = f->data[f->start];
	prefix_set(p, family, length, f->data + f->start + 1);
	return 1 + ((size_t)length + 7) / 8;
}

static void
withdraw_release(struct nlri_fifo *f)
{
	free(f->data);
	memset(f, 0, sizeof(*f));
}

/* ---- queues ---------------------------------------------------------- */

static void
list_push(struct adjout *out, struct queue_list *list, uint32_t index,
    bool full)
{
	struct adjout_queue *q = queue_at(out, index);

	if (full)
		q->full_next = 0;
	else
		q->ready_next = 0;
	if (list->tail == 0)
		list->head = index;
	else if (full)
		queue_at(out, list->tail)->full_next = index;
	else
		queue_at(out, list->tail)->ready_next = index;
	list->tail = index;
}

static uint32_t
list_pop(struct adjout *out, struct queue_list *list, bool full)
{
	uint32_t index = list->head;
	struct adjout_queue *q = queue_at(out, index);

	if (q == NULL)
		return 0;
	list->head = full ? q->full_next : q->ready_next;
	if (list->head == 0)
		list->tail = 0;
	return index;
}

static uint32_t
queue_hash(const struct attr *attr, const struct route_source *source,
    int family)
{
	uint64_t h = (uint64_t)(uintptr_t)attr * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)(uintptr_t)source * 0xbf58476d1ce4e5b9ULL ^
	    (uint64_t)family;

	h = (h ^ (h >> 29)) * 0x94d049bb133111ebULL;
	return (uint32_t)(h ^ (h >> 32));
}

static uint32_t *
queue_bucket(const struct adjout *out, const struct adjout_queue *q)
{
	return &out->queue_hash[queue_hash(q->attr, q->source, q->family) &
	    out->queue_mask];
}

static void
queue_hash_resize(struct adjout *out, uint32_t buckets)
{
	uint32_t *old = out->queue_hash, old_mask = out->queue_mask, i, index;
	uint32_t *bucket;
	struct adjout_queue *q;

	out->queue_hash = xcalloc(buckets, sizeof(*out->queue_hash));
	out->queue_mask = buckets - 1;
	for (i = 0; old != NULL && i <= old_mask; i++) {
		while ((index = old[i]) != 0) {
			q = queue_at(out, index);
			old[i] = q->hash_next;
			bucket = queue_bucket(out, q);
			q->hash_next = *bucket;
			*bucket = index;
		}
	}
	free(old);
}

/* The announce queue for (attr, source, family), created if missing. */
static uint32_t
queue_get(struct adjout *out, struct attr *attr,
    const struct route_source *source, int family)
{
	uint32_t *bucket = &out->queue_hash[queue_hash(attr, source, family) &
	    out->queue_mask];
	uint32_t index;
	struct adjout_queue *q;

	for (index = *bucket; index != 0; index = q->hash_next) {
		q = queue_at(out, index);
		if (q->attr == attr && q->source == source &&
		    q->family == family)
			return index;
	}
	index = pool_alloc(&out->queues);
	q = queue_at(out, index);
	q->attr = attr_ref(attr);
	q->source = source;
	q->family = (uint8_t)family;
	q->hash_next = *bucket;
	*bucket = index;
	if (++out->queue_count > (size_t)out->queue_mask + 1)
		queue_hash_resize(out, (out->queue_mask + 1) * 2);
	return index;
}

/* Frees an empty announce queue that is on no list any more. */
static void
queue_release(struct adjout *out, uint32_t index)
{
	struct adjout_queue *q = queue_at(out, index);
	uint32_t *link;

	if (q->count > 0 || q->on_ready || q->on_full)
		return;
	link = queue_bucket(out, q);
	while (*link != index)
		link = &queue_at(out, *link)->hash_next;
	*link = q->hash_next;
	out->queue_count--;
	attr_unref(q->attr);
	pool_free(&out->queues, index);
}

static void
queue_unlink(struct adjout *out, struct adjout_entry *e)
{
	struct adjout_queue *q = queue_at(out, e->queue);

	if (q == NULL)
		return;
	if (e->prev != 0)
		entry_at(out, e->prev)->next = e->next;
	else
		q->head = e->next;
	if (e->next != 0)
		entry_at(out, e->next)->prev = e->prev;
	else
		q->tail = e->prev;
	q->count--;
	e->queue = e->next = e->prev = 0;
}

static void
queue_append(struct adjout *out, uint32_t queue, uint32_t index)
{
	struct adjout_queue *q = queue_at(out, queue);
	struct adjout_entry *e = entry_at(out, index);

	e->queue = queue;
	e->prev = q->tail;
	e->next = 0;
	if (q->tail != 0)
		entry_at(out, q->tail)->next = index;
	else
		q->head = index;
	q->tail = index;
	q->count++;
	if (!q->on_ready) {
		q->on_ready = true;
		list_push(out, &out->ready, queue, false);
	}
	if (q->count >= QUEUE_FULL && !q->on_full) {
		q->on_full = true;
		list_push(out, &out->full, queue, true);
	}
}

static void
entry_delete(struct adjout *out, uint32_t index)
{
	struct adjout_entry *e = entry_at(out, index);
	uint32_t *link;

	queue_unlink(out, e);
	link = &out->entry_hash[prefix_hash(out, &e->prefix) & out->entry_mask];
	while (*link != index)
		link = &entry_at(out, *link)->hash_next;
	*link = e->hash_next;
	pool_free(&out->entries, index);
}

/*
 * Moves an entry to the queue of its new state: announce best, or
 * (best NULL) a withdrawal if the peer has a route, or nothing at all.
 */
static void
entry_place(struct adjout *out, uint32_t index, const struct path *best)
{
	struct adjout_entry *e = entry_at(out, index);
	uint32_t queue;

	if (best == NULL) {
		if (e->advertised)
			withdraw_push(out, &e->prefix);
		entry_delete(out, index);
		return;
	}
	queue = queue_get(out, best->attr, best->source, e->prefix.family);
	if (e->queue == queue)
		return;
	queue_unlink(out, e);
	queue_append(out, queue, index);
}

/* ---- export rules ------------------------------------------------------ */

enum export_result {
	EXPORT_NO = 0,
	EXPORT_YES,
	EXPORT_NO_NEXTHOP,	/* allowed, but no next hop fits the peer */
};

/* RFC 4271 §9.1.3 leaves what to advertise to policy: ours. */
static bool
denied_by_policy(const struct adjout *out, const struct path *p)
{
	switch (out->params.export) {
	case EXPORT_NONE:
		return true;
	case EXPORT_ALL:
		return false;
	default:		/* EXPORT_LOCAL, EXPORT_DEFAULT */
		return !p->source->local;
	}
}

/* Split horizon: a peer is never sent its own routes back. */
static bool
denied_to_source(const struct adjout *out, const struct path *p)
{
	return p->source == out->params.peer_source;
}

/* RFC 1997: NO_ADVERTISE to nobody, NO_EXPORT (and _SUBCONFED, we
 * have no confederation) to no eBGP peer. */
static bool
denied_by_community(const struct adjout *out, const struct path *p)
{
	const struct blob *list = p->attr->communities;
	struct cursor c;
	uint32_t community;

	if (list == NULL)
		return false;
	cursor_init(&c, list->data, list->len);
	while (cursor_get_u32(&c, &community) == 0) {
		if (community == BGP_COMMUNITY_NO_ADVERTISE)
			return true;
		if (!out->params.ibgp &&
		    (community == BGP_COMMUNITY_NO_EXPORT ||
		    community == BGP_COMMUNITY_NO_EXPORT_SUBCONFED))
			return true;
	}
	return false;
}

/*
 * RFC 4271 §9.2: iBGP-learned routes are not passed to iBGP peers,
 * unless we reflect (RFC 4456 §6): a client's routes go to every other
 * peer, a non-client's to clients only.
 */
static bool
denied_ibgp_to_ibgp(const struct adjout *out, const struct path *p)
{
	if (!out->params.ibgp || !p->source->ibgp || p->source->local)
		return false;
	return !p->source->rr_client && !out->params.rr_client;
}

static bool (*const export_rules[])(const struct adjout *,
    const struct path *) = {
	denied_by_policy,
	denied_to_source,
	denied_by_community,
	denied_ibgp_to_ibgp,
};

static bool
nexthop_usable(const struct ip_addr *a, int family)
{
	return a->family == family && !ip_addr_is_unspecified(a);
}

/*
 * The next hop to send p's prefix (of family) with.  Our own address
 * when next-hop-self, for local routes (they have none), or when the
 * path's next hop is of no use to the peer; IPv4 routes may take an
 * IPv6 next hop where RFC 8950 was negotiated.  false if none fits.
 */
static bool
export_nexthop(const struct adjout *out, const struct attr *attr,
    const struct route_source *source, int family, struct bgp_nexthop *nh)
{
	const struct ip_addr *path_nh = &attr->nexthop.global;
	bool ext = family == FAMILY_IPV4 &&
	    out->params.codec.extended_next_hop_ipv4;

	memset(nh, 0, sizeof(*nh));
	if (!out->params.next_hop_self && !source->local) {
		if (nexthop_usable(path_nh, family) ||
		    (ext && nexthop_usable(path_nh, FAMILY_IPV6))) {
			nh->global = *path_nh;	/* link-local: not ours */
			return true;
		}
	}
	if (family == FAMILY_IPV4 &&
	    nexthop_usable(&out->params.self_v4.global, FAMILY_IPV4)) {
		*nh = out->params.self_v4;
		return true;
	}
	if ((family == FAMILY_IPV6 || ext) &&
	    nexthop_usable(&out->params.self_v6.global, FAMILY_IPV6)) {
		*nh = out->params.self_v6;
		return true;
	}
	return false;
}

static enum export_result
export_check(const struct adjout *out, const struct path *p, int family)
{
	struct bgp_nexthop nh;
	size_t i;

	if (p == NULL || !path_eligible(p))
		return EXPORT_NO;
	for (i = 0; i < sizeof(export_rules) / sizeof(export_rules[0]); i++)
		if (export_rules[i](out, p))
			return EXPORT_NO;
	if (!export_nexthop(out, p->attr, p->source, family, &nh))
		return EXPORT_NO_NEXTHOP;
	return EXPORT_YES;
}

static void
note_no_nexthop(struct adjout *out, int family)
{
	struct adjout_dump *d = &out->dumps[family];

	out->stats.no_nexthop++;
	if (d->warned_nexthop)
		return;
	d->warned_nexthop = true;
	log_warn("neighbor %s: %s routes not sent: no usable %s next hop%s",
	    out->params.peer_source->name ? out->params.peer_source->name :
	    "?", family_name(family), family_name(family),
	    family == FAMILY_IPV4 ? " and no extended next hop (RFC 8950)" :
	    "");
}

/* Prepends our cluster id to the CLUSTER_LIST (RFC 4456 §8). */
static void
export_reflected(struct adjout *out, const struct route_source *source,
    struct path_attrs *pa)
{
	uint32_t cluster_id = out->params.cluster_id ? out->params.cluster_id :
	    out->params.router_id;
	struct wbuf w;

	if (!(pa->present & PA_ORIGINATOR_ID)) {
		pa->present |= PA_ORIGINATOR_ID;
		pa->originator_id = source->router_id;
	}
	wbuf_init(&w, out->cluster_list, sizeof(out->cluster_list));
	wbuf_put_u32(&w, cluster_id);
	if (pa->present & PA_CLUSTER_LIST)
		wbuf_put_bytes(&w, pa->cluster_list.data, pa->cluster_list.len);
	pa->cluster_list.data = out->cluster_list;
	pa->cluster_list.len = (uint16_t)w.len;
	pa->present |= PA_CLUSTER_LIST;
}

/*
 * The attributes sent for (attr, source) to this peer.  eBGP: our AS
 * prepended (RFC 4271 §5.1.2), no LOCAL_PREF (§5.1.5), MED only for our
 * own routes (§5.1.4), no ORIGINATOR_ID/CLUSTER_LIST (RFC 4456 §8: they
 * do not leave the AS).  iBGP: LOCAL_PREF always (§5.1.5), ORIGINATOR_ID
 * and CLUSTER_LIST when reflecting.  false if the AS path overflows.
 */
static bool
export_attrs(struct adjout *out, struct attr *attr,
    const struct route_source *source, int family)
{
	struct path_attrs *pa = &out->pa;
	struct path fake = { .source = source, .attr = attr };
	size_t len;

	attr_to_path_attrs(attr, pa);
	pa->present &= ~(uint32_t)(PA_MP_REACH | PA_MP_UNREACH | PA_NEXT_HOP);
	if (!export_nexthop(out, attr, source, family, &pa->nexthop))
		return false;
	if (pa->nexthop.global.family == FAMILY_IPV4)
		pa->present |= PA_NEXT_HOP;
	if (!out->params.ibgp) {
		len = as_path_prepend(pa->as_path.data, pa->as_path.len,
		    out->params.local_as, pa->as_path_buf,
		    sizeof(pa->as_path_buf));
		if (len == 0 || len > UINT16_MAX)
			return false;
		pa->as_path.data = pa->as_path_buf;
		pa->as_path.len = (uint16_t)len;
		pa->present |= PA_AS_PATH;
		pa->present &= ~(uint32_t)(PA_LOCAL_PREF | PA_ORIGINATOR_ID |
		    PA_CLUSTER_LIST);
		if (!source->local)
			pa->present &= ~(uint32_t)PA_MED;
		return true;
	}
	pa->present |= PA_LOCAL_PREF;
	pa->local_pref = decide_local_pref(&fake);
	if (source->ibgp && !source->local)
		export_reflected(out, source, pa);
	else
		pa->present &= ~(uint32_t)(PA_ORIGINATOR_ID | PA_CLUSTER_LIST);
	return true;
}

/* ---- reacting to the RIB --------------------------------------------- */

static bool
family_enabled(const struct adjout *out, int family)
{
	if (family == FAMILY_IPV4)
		return out->params.codec.ipv4;
	if (family == FAMILY_IPV6)
		return out->params.codec.ipv6;
	return false;
}

static void
wake_if(struct adjout *out, bool was_pending)
{
	if (!was_pending && adjout_pending(out) && out->wakeup_cb != NULL)
		out->wakeup_cb(out->wakeup_arg);
}

/* The path to announce, or NULL to withdraw; counts next hop misses. */
static const struct path *
announce_path(struct adjout *out, const struct path *best, int family)
{
	switch (export_check(out, best, family)) {
	case EXPORT_YES:
		return best;
	case EXPORT_NO_NEXTHOP:
		note_no_nexthop(out, family);
		return NULL;
	default:
		return NULL;
	}
}

static void
adjout_rib_cb(void *arg, const struct prefix *prefix,
    const struct path *old_best, const struct path *new_best,
    const struct rib_node *node)
{
	struct adjout *out = arg;
	struct adjout_dump *d;
	bool was_pending, had;
	uint32_t index;

	if (!out->established || !family_enabled(out, prefix->family))
		return;
	d = &out->dumps[prefix->family];
	if (d->mode == DUMP_INITIAL && (!d->cursor_set ||
	    prefix_compare(prefix, &d->cursor) > 0))
		return;
	was_pending = adjout_pending(out);
	if ((index = entry_find(out, prefix)) != 0) {
		entry_place(out, index, announce_path(out, new_best,
		    prefix->family));
	} else if (old_best != new_best) {	/* else: only ECMP changed */
		had = export_check(out, old_best, prefix->family) == EXPORT_YES;
		if (announce_path(out, new_best, prefix->family) != NULL) {
			if (had && old_best->attr == new_best->attr &&
			    old_best->source == new_best->source)
				return;		/* sent the same way */
			entry_place(out, entry_new(out, prefix, had), new_best);
		} else if (had)
			withdraw_push(out, prefix);
	}
	wake_if(out, was_pending);
}

/* ---- the table dump ----------------------------------------------------- */

static bool
dumping(const struct adjout *out)
{
	return out->dumps[FAMILY_IPV4].mode != DUMP_NONE ||
	    out->dumps[FAMILY_IPV6].mode != DUMP_NONE;
}

static void
dump_finish(struct adjout *out, int family)
{
	struct adjout_dump *d = &out->dumps[family];

	if (d->mode == DUMP_INITIAL)
		d->end_of_rib = true;
	d->mode = DUMP_NONE;
	d->cursor_set = false;
	if (d->refresh_after) {
		d->refresh_after = false;
		d->mode = DUMP_REFRESH;
	}
}

/*
 * Queues the next routes of the dump of family.  Prefixes already
 * queued are left alone: their entry has their latest state.
 */
static void
dump_step(struct adjout *out, int family)
{
	struct adjout_dump *d = &out->dumps[family];
	const struct rib_node *node;
	const struct path *best;
	struct rib_node_view view;
	unsigned visited = 0;

	while (visited++ < DUMP_STEP && out->entries.in_use < DUMP_WINDOW) {
		node = rib_next(out->rib, family, d->cursor_set ? &d->cursor :
		    NULL);
		if (node == NULL) {
			dump_finish(out, family);
			return;
		}
		rib_node_get(node, &view);
		d->cursor = view.prefix;
		d->cursor_set = true;
		best = view.paths != NULL && (view.paths->flags & PATH_BEST) ?
		    view.paths : NULL;
		if ((best = announce_path(out, best, family)) == NULL ||
		    entry_find(out, &view.prefix) != 0)
			continue;
		entry_place(out, entry_new(out, &view.prefix,
		    d->mode == DUMP_REFRESH), best);
	}
}

/* ---- building messages ------------------------------------------------- */

/* Drops the entries of a queue that cannot be sent. */
static void
queue_drop(struct adjout *out, uint32_t queue)
{
	struct adjout_queue *q = queue_at(out, queue);
	char text[PREFIX_STRLEN];
	uint32_t index;

	if (q->head != 0)
		log_warn("neighbor %s: %u %s routes from %s not sent: their "
		    "attributes do not fit in a message (first %s)",
		    out->params.peer_source->name ?
		    out->params.peer_source->name : "?", q->count,
		    family_name(q->family), q->source->name ? q->source->name :
		    "?", prefix_format(&entry_at(out, q->head)->prefix, text,
		    sizeof(text)));
	while ((index = q->head) != 0)
		entry_place(out, index, NULL);
}

static size_t
build_withdraw(struct adjout *out, int family, struct wbuf *w)
{
	struct nlri_fifo *f = &out->withdrawals[family];
	struct bgp_update_builder b;
	struct prefix p;
	size_t size;

	if (bgp_update_begin(&b, w, &out->params.codec, NULL,
	    (uint8_t)family) == -1)
		return 0;
	while ((size = withdraw_peek(f, family, &p)) > 0 &&
	    bgp_update_add(&b, &p) == 0) {
		f->start += size;
		f->count--;
		out->stats.advertised[family]--;
	}
	if (f->start == f->end)
		f->start = f->end = 0;
	return bgp_update_finish(&b);
}

static size_t
build_announce(struct adjout *out, uint32_t queue, struct wbuf *w)
{
	struct adjout_queue *q = queue_at(out, queue);
	struct bgp_update_builder b;
	struct adjout_entry *e;
	uint32_t index;

	if (q->head == 0)
		return 0;
	if (!export_attrs(out, q->attr, q->source, q->family) ||
	    bgp_update_begin(&b, w, &out->params.codec, &out->pa,
	    q->family) == -1) {
		queue_drop(out, queue);
		return 0;
	}
	while ((index = q->head) != 0) {
		e = entry_at(out, index);
		if (bgp_update_add(&b, &e->prefix) == -1)
			break;
		if (!e->advertised)
			out->stats.advertised[q->family]++;
		entry_delete(out, index);
	}
	if (b.prefix_count == 0) {
		queue_drop(out, queue);
		return 0;
	}
	return bgp_update_finish(&b);
}

/*
 * The announce queue to send next.  While a dump can still add to the
 * window, only a queue with a well-filled message; otherwise the oldest.
 * Queues left empty on the lists are freed on the way.
 */
static uint32_t
pick_queue(struct adjout *out)
{
	struct adjout_queue *q;
	uint32_t index;

	while ((index = list_pop(out, &out->full, true)) != 0) {
		q = queue_at(out, index);
		q->on_full = false;
		if (q->count >= QUEUE_FULL) {
			q->on_full = true;	/* still full: keep it listed */
			list_push(out, &out->full, index, true);
			return index;
		}
		queue_release(out, index);
	}
	if (dumping(out) && out->entries.in_use < DUMP_WINDOW)
		return 0;
	while (out->ready.head != 0) {
		index = out->ready.head;
		q = queue_at(out, index);
		if (q->count > 0)
			return index;
		list_pop(out, &out->ready, false);
		q->on_ready = false;
		queue_release(out, index);
	}
	return 0;
}

/* Gives memory back after a burst, when nothing is queued. */
static void
compact(struct adjout *out)
{
	uint32_t index;

	if (out->entries.in_use > 0)
		return;
	while ((index = list_pop(out, &out->ready, false)) != 0) {
		queue_at(out, index)->on_ready = false;
		queue_release(out, index);
	}
	while ((index = list_pop(out, &out->full, true)) != 0) {
		queue_at(out, index)->on_full = false;
		queue_release(out, index);
	}
	if (out->entries.chunk_count > 1)
		pool_destroy(&out->entries);
	for (index = FAMILY_IPV4; index <= FAMILY_IPV6; index++)
		if (out->withdrawals[index].count == 0 &&
		    out->withdrawals[index].cap > 65536)
			withdraw_release(&out->withdrawals[index]);
	if (out->entry_mask + 1 > HASH_MIN)
		entry_hash_resize(out, HASH_MIN);
}

static size_t
next_message(struct adjout *out, struct wbuf *w)
{
	unsigned pulls = 0;
	size_t len;
	uint32_t queue;
	int family;

	for (;;) {
		for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++)
			if (out->withdrawals[family].count > 0 &&
			    (len = build_withdraw(out, family, w)) > 0)
				return len;
		if ((queue = pick_queue(out)) != 0) {
			if ((len = build_announce(out, queue, w)) > 0)
				return len;
			continue;
		}
		if (dumping(out) && ++pulls > DUMP_PULLS) {
			/* Much read, nothing to send yet: let others run. */
			if (out->wakeup_cb != NULL)
				out->wakeup_cb(out->wakeup_arg);
			return 0;
		}
		if (out->dumps[FAMILY_IPV4].mode != DUMP_NONE)
			dump_step(out, FAMILY_IPV4);
		else if (out->dumps[FAMILY_IPV6].mode != DUMP_NONE)
			dump_step(out, FAMILY_IPV6);
		else
			break;
	}
	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++) {
		if (!out->dumps[family].end_of_rib)
			continue;
		out->dumps[family].end_of_rib = false;
		return bgp_msg_encode_end_of_rib(w, (uint8_t)family);
	}
	compact(out);
	return 0;
}

/* ---- public interface ------------------------------------------------- */

struct adjout *
adjout_create(struct rib *rib, const struct adjout_params *params,
    void (*wakeup_cb)(void *arg), void *arg)
{
	struct adjout *out = xcalloc(1, sizeof(*out));

	out->rib = rib;
	out->params = *params;
	if (out->params.max_message == 0)
		out->params.max_message = BGP_MAX_MSG_LEN;
	out->wakeup_cb = wakeup_cb;
	out->wakeup_arg = arg;
	arc4random_buf(&out->hash_seed, sizeof(out->hash_seed));
	pool_init(&out->entries, sizeof(struct adjout_entry));
	pool_init(&out->queues, sizeof(struct adjout_queue));
	entry_hash_resize(out, HASH_MIN);
	queue_hash_resize(out, 64);
	out->observer = rib_observer_add(rib, adjout_rib_cb, out);
	return out;
}

void
adjout_destroy(struct adjout *out)
{
	struct adjout_queue *q;
	size_t i;
	uint32_t index;

	if (out == NULL)
		return;
	rib_observer_remove(out->rib, out->observer);
	for (i = 0; i <= out->queue_mask; i++) {
		for (index = out->queue_hash[i]; index != 0;
		    index = q->hash_next) {
			q = queue_at(out, index);
			attr_unref(q->attr);
		}
	}
	pool_destroy(&out->entries);
	pool_destroy(&out->queues);
	free(out->entry_hash);
	free(out->queue_hash);
	withdraw_release(&out->withdrawals[FAMILY_IPV4]);
	withdraw_release(&out->withdrawals[FAMILY_IPV6]);
	free(out);
}

void
adjout_start(struct adjout *out)
{
	bool was_pending = adjout_pending(out);
	int family;

	out->established = true;
	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++) {
		if (!family_enabled(out, family))
			continue;
		out->dumps[family].mode = DUMP_INITIAL;
		out->dumps[family].cursor_set = false;
	}
	wake_if(out, was_pending);
}

void
adjout_refresh(struct adjout *out, int family)
{
	bool was_pending = adjout_pending(out);
	struct adjout_dump *d;

	if (!out->established || !family_enabled(out, family))
		return;
	d = &out->dumps[family];
	if (d->mode != DUMP_NONE) {
		/* Resent once the running dump is over. */
		d->refresh_after = true;
		return;
	}
	d->mode = DUMP_REFRESH;
	d->cursor_set = false;
	wake_if(out, was_pending);
}

size_t
adjout_next_message(struct adjout *out, uint8_t *buf, size_t cap)
{
	struct wbuf w;
	size_t len;

	wbuf_init(&w, buf, cap < out->params.max_message ? cap :
	    out->params.max_message);
	len = next_message(out, &w);
	if (len > 0)
		out->stats.messages_built++;
	return len;
}

bool
adjout_pending(const struct adjout *out)
{
	int family;

	if (out->entries.in_use > 0 || dumping(out) ||
	    out->withdrawals[FAMILY_IPV4].count > 0 ||
	    out->withdrawals[FAMILY_IPV6].count > 0)
		return true;
	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++)
		if (out->dumps[family].end_of_rib)
			return true;
	return false;
}

void
adjout_get_stats(const struct adjout *out, struct adjout_stats *stats)
{
	*stats = out->stats;
	stats->pending = out->entries.in_use +
	    out->withdrawals[FAMILY_IPV4].count +
	    out->withdrawals[FAMILY_IPV6].count;
	stats->bytes = pool_bytes_mapped(&out->entries) +
	    pool_bytes_mapped(&out->queues) +
	    ((size_t)out->entry_mask + 1) * sizeof(*out->entry_hash) +
	    ((size_t)out->queue_mask + 1) * sizeof(*out->queue_hash) +
	    out->withdrawals[FAMILY_IPV4].cap +
	    out->withdrawals[FAMILY_IPV6].cap;
}
