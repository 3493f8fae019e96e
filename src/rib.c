/*
 * rib.c - the prefix trees of the RIB and the paths hung on them.
 *
 * One path-compressed binary trie per family.  A node is a leaf (a
 * prefix without children), an inner prefix, or glue (no paths,
 * exactly two children, only where two prefixes branch); a node left
 * with no paths and fewer than two children is removed at once, so the
 * tree never holds more than 2n - 1 nodes for n prefixes.  Each kind
 * has its own pool (pool.h) and carries only what it needs, the kind
 * being the top bits of the 32-bit index that links to it: an IPv4
 * leaf is 12 bytes, glue 16, an inner prefix 20 (IPv6: 24, 28, 32),
 * and a path 32.  A full table of /24s is about half leaves and half
 * glue: 60 bytes a prefix with its path, and no malloc per prefix.  A
 * node that gains its first child or loses its paths moves to the pool
 * of its new kind, so node pointers are only valid until the next
 * change (which is all the API promises).  All RIBs share one path
 * pool so that rib_node_get(), which has no RIB argument, can turn a
 * node's path index into a pointer.
 *
 * Every change of a node's path list re-sorts it with decide.c, sets
 * PATH_BEST and PATH_ECMP, and, if the best path or the ECMP set
 * changed, calls the observers (adjout.c per peer, the FIB) before the
 * replaced or withdrawn path is freed, so old_best stays valid during
 * the callbacks.  A replaced path is a new struct path: observers see
 * old_best != new_best whenever the best path's attributes changed.
 *
 * Pre-order in the trie (node, then child 0, then child 1) is exactly
 * prefix_compare() order, which is what lets rib_next() resume a walk
 * from a prefix alone, however the tree changed in between.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decide.h"
#include "log.h"
#include "pool.h"
#include "rib.h"

#define MAX_DEPTH	130	/* root to a /128, one node per bit + 1 */

enum node_kind {
	NODE_LEAF = 0,	/* address, paths */
	NODE_INNER,	/* address, paths, children */
	NODE_GLUE,	/* address, children */
	NODE_KINDS,
};

#define KIND_SHIFT	30	/* node index: kind << 30 | pool index */
#define INDEX_MASK	((1u << KIND_SHIFT) - 1)

/*
 * The common head of the three kinds; after the address (4 or 16 bytes,
 * host bits zero) come the path pool index of the first path (leaf,
 * inner) and the two child node indices (inner, glue), 0 if none.
 */
struct rib_node {
	uint8_t		length;
	uint8_t		family;
	uint8_t		kind;
	uint8_t		unused;
	uint8_t		bytes[];
};

struct rib_tree {
	struct pool	 nodes[NODE_KINDS];
	uint32_t	 root;
	uint8_t		 family;
	uint8_t		 address_length;	/* bytes */
	size_t		 prefixes;		/* nodes with paths */
};

struct rib_observer {
	struct rib_observer	*next;
	rib_observer_cb		*cb;
	void			*arg;
};

struct rib {
	struct rib_tree		 trees[2];	/* by family - 1 */
	size_t			 path_count;
	unsigned		 ecmp_max;
	struct rib_observer	*observers;
	struct path		**scratch;	/* for sorting a node's paths */
	size_t			 scratch_alloc;
	rib_resolve_cb		*resolve;	/* next-hop reachability */
	void			*resolve_arg;
	/*
	 * Sources whose paths are being removed (rib_retire_source).  The
	 * first retire_walking of them are what the current walk removes;
	 * the rest came later and wait for the next walk, since the current
	 * one has passed part of the trees already.
	 */
	struct route_source	**retired;
	size_t			 retired_count, retired_alloc;
	size_t			 retire_walking;
	int			 retire_tree;	/* 0 IPv4, 1 IPv6, 2 done */
	bool			 retire_resume;	/* retire_after is set */
	struct prefix		 retire_after;	/* last node done */
};

static uint8_t path_unresolved(const struct rib *rib,
    const struct rib_node *n, const struct path *p);

/* Paths of every RIB (see the top of the file). */
static struct pool path_pool;
static unsigned rib_instances;

static struct rib_tree *
tree_of(struct rib *rib, int family)
{
	if (family != FAMILY_IPV4 && family != FAMILY_IPV6)
		return NULL;
	return &rib->trees[family - 1];
}

static struct rib_node *
node_at(const struct rib_tree *t, uint32_t index)
{
	if (index == 0)
		return NULL;
	return pool_ptr(&t->nodes[index >> KIND_SHIFT], index & INDEX_MASK);
}

static size_t
address_length(const struct rib_node *n)
{
	return n->family == FAMILY_IPV4 ? 4 : 16;
}

/* The node's path index field; NULL for glue. */
static uint32_t *
paths_field(const struct rib_node *n)
{
	if (n->kind == NODE_GLUE)
		return NULL;
	return (uint32_t *)(uintptr_t)(n->bytes + address_length(n));
}

/* The node's two child indices; NULL for a leaf. */
static uint32_t *
children(const struct rib_node *n)
{
	if (n->kind == NODE_LEAF)
		return NULL;
	return (uint32_t *)(uintptr_t)(n->bytes + address_length(n) +
	    (n->kind == NODE_INNER ? sizeof(uint32_t) : 0));
}

static uint32_t
child(const struct rib_node *n, int side)
{
	const uint32_t *c = children(n);

	return c != NULL ? c[side] : 0;
}

static bool
has_paths(const struct rib_node *n)
{
	const uint32_t *paths = paths_field(n);

	return paths != NULL && *paths != 0;
}

static struct path *
node_paths(const struct rib_node *n)
{
	const uint32_t *paths = paths_field(n);

	return paths != NULL ? pool_ptr(&path_pool, *paths) : NULL;
}

/* n is a leaf or an inner node. */
static void
node_set_paths(struct rib_node *n, struct path *head)
{
	*paths_field(n) = pool_index(&path_pool, head);
}

static size_t
node_size(int family, enum node_kind kind)
{
	static const size_t fields[NODE_KINDS] = {
		[NODE_LEAF] = 1, [NODE_INNER] = 3, [NODE_GLUE] = 2,
	};

	return offsetof(struct rib_node, bytes) + family_bits(family) / 8 +
	    fields[kind] * sizeof(uint32_t);
}

static void
node_prefix(const struct rib_node *n, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = n->family;
	p->length = n->length;
	memcpy(p->bytes, n->bytes, family_bits(n->family) / 8);
}

/* Number of leading bits a and b share, at most limit. */
static unsigned
common_bits(const uint8_t *a, const uint8_t *b, unsigned limit)
{
	unsigned i, bit;
	uint8_t x;

	for (i = 0; i * 8 < limit; i++) {
		x = a[i] ^ b[i];
		if (x != 0) {
			bit = i * 8 + (unsigned)__builtin_clz(x) - 24;
			return bit < limit ? bit : limit;
		}
	}
	return limit;
}

static unsigned
min_length(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* A node of kind for the first length bits of p, empty. */
static uint32_t
node_new(struct rib_tree *t, const struct prefix *p, unsigned length,
    enum node_kind kind)
{
	uint32_t index = pool_alloc(&t->nodes[kind]);
	struct rib_node *n;
	struct prefix masked;

	if (index > INDEX_MASK)
		fatal("rib: node pool full");
	index |= (uint32_t)kind << KIND_SHIFT;
	n = node_at(t, index);
	prefix_set(&masked, p->family, length, p->bytes);
	n->length = (uint8_t)length;
	n->family = t->family;
	n->kind = (uint8_t)kind;
	memcpy(n->bytes, masked.bytes, t->address_length);
	return index;
}

static void
node_free(struct rib_tree *t, uint32_t index)
{
	pool_free(&t->nodes[index >> KIND_SHIFT], index & INDEX_MASK);
}

/*
 * Moves the node at *link to the pool of kind, keeping what both kinds
 * have (the paths, the children); returns it at its new place.
 */
static struct rib_node *
node_convert(struct rib_tree *t, uint32_t *link, enum node_kind kind)
{
	uint32_t old = *link, index;
	struct rib_node *from = node_at(t, old), *to;
	struct prefix p;

	memset(&p, 0, sizeof(p));
	p.family = from->family;
	memcpy(p.bytes, from->bytes, t->address_length);
	index = node_new(t, &p, from->length, kind);
	to = node_at(t, index);
	if (paths_field(from) != NULL && paths_field(to) != NULL)
		*paths_field(to) = *paths_field(from);
	if (children(from) != NULL && children(to) != NULL)
		memcpy(children(to), children(from), 2 * sizeof(uint32_t));
	*link = index;
	node_free(t, old);
	return to;
}

/*
 * p leaves the path of the node at *link after common bits: put p
 * above it, or a glue node at the branch point with both below.
 */
static struct rib_node *
tree_split(struct rib_tree *t, uint32_t *link, const struct prefix *p,
    unsigned common)
{
	uint32_t old = *link, glue, leaf;
	int old_side = prefix_bit(node_at(t, old)->bytes, common);
	struct rib_node *n;

	if (common == p->length) {
		leaf = node_new(t, p, p->length, NODE_INNER);
		n = node_at(t, leaf);
		children(n)[old_side] = old;
		*link = leaf;
		return n;
	}
	glue = node_new(t, p, common, NODE_GLUE);
	leaf = node_new(t, p, p->length, NODE_LEAF);
	n = node_at(t, glue);
	children(n)[old_side] = old;
	children(n)[!old_side] = leaf;
	*link = glue;
	return node_at(t, leaf);
}

/* The prefix node for p, created (with its glue) if missing. */
static struct rib_node *
tree_get(struct rib_tree *t, const struct prefix *p)
{
	uint32_t *link = &t->root;
	struct rib_node *n;
	unsigned common;

	while (*link != 0) {
		n = node_at(t, *link);
		common = common_bits(n->bytes, p->bytes,
		    min_length(n->length, p->length));
		if (common < n->length)
			return tree_split(t, link, p, common);
		if (n->length == p->length)
			return n->kind == NODE_GLUE ?
			    node_convert(t, link, NODE_INNER) : n;
		if (n->kind == NODE_LEAF)
			n = node_convert(t, link, NODE_INNER);
		link = &children(n)[prefix_bit(p->bytes, n->length)];
	}
	*link = node_new(t, p, p->length, NODE_LEAF);
	return node_at(t, *link);
}

/*
 * Finds the node of exactly p (glue included).  links (MAX_DEPTH
 * entries, may be NULL) receives the link to every node on the way,
 * the found one last; *depth their number.
 */
static struct rib_node *
tree_find(const struct rib_tree *t, const struct prefix *p,
    uint32_t **links, size_t *depth)
{
	uint32_t *link = (uint32_t *)(uintptr_t)&t->root;
	struct rib_node *n;
	size_t d = 0;

	while (*link != 0) {
		n = node_at(t, *link);
		if (n->length > p->length ||
		    common_bits(n->bytes, p->bytes, n->length) < n->length)
			return NULL;
		if (links != NULL)
			links[d] = link;
		d++;
		if (n->length == p->length) {
			if (depth != NULL)
				*depth = d;
			return n;
		}
		if (children(n) == NULL)
			return NULL;
		link = &children(n)[prefix_bit(p->bytes, n->length)];
	}
	return NULL;
}

/*
 * After the paths or the children of the node at *link changed: a node
 * without paths and with fewer than two children goes (its only child
 * moves up), the others move to the kind that fits.  Returns true if the
 * node was removed.
 */
static bool
node_cleanup(struct rib_tree *t, uint32_t *link)
{
	struct rib_node *n = node_at(t, *link);
	uint32_t c0 = child(n, 0), c1 = child(n, 1), index = *link;

	if (has_paths(n)) {
		if (n->kind == NODE_INNER && c0 == 0 && c1 == 0)
			node_convert(t, link, NODE_LEAF);
		return false;
	}
	if (c0 != 0 && c1 != 0) {
		if (n->kind == NODE_INNER)
			node_convert(t, link, NODE_GLUE);
		return false;
	}
	*link = c0 != 0 ? c0 : c1;
	node_free(t, index);
	return true;
}

/* ---- paths ---------------------------------------------------------- */

static uint32_t
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

static struct path *
path_new(struct rib *rib, const struct route_source *source,
    struct attr *attr, uint8_t rejected)
{
	struct path *p = pool_ptr(&path_pool, pool_alloc(&path_pool));

	p->source = source;
	p->attr = attr_ref(attr);
	p->received = monotonic_seconds();
	p->rejected = rejected;
	rib->path_count++;
	return p;
}

static void
path_free(struct rib *rib, struct path *p)
{
	attr_unref(p->attr);
	pool_free(&path_pool, pool_index(&path_pool, p));
	rib->path_count--;
}

/* Unlinks the path of source from n; returns it, or NULL if none. */
static struct path *
node_take_path(struct rib_node *n, const struct route_source *source)
{
	struct path *head = node_paths(n), **link = &head, *p;

	for (; (p = *link) != NULL; link = &p->next) {
		if (p->source != source)
			continue;
		*link = p->next;
		p->next = NULL;
		node_set_paths(n, head);
		return p;
	}
	return NULL;
}

/* Sorts the list of n best first (decide.c); sets the reasons. */
static void
node_sort(struct rib *rib, struct rib_node *n)
{
	struct path *head = node_paths(n), *p;
	size_t count = 0, i;

	if (head == NULL)
		return;
	if (head->next == NULL) {
		head->reason = head->rejected ? DECIDE_REJECTED :
		    head->unresolved ? DECIDE_UNRESOLVED : DECIDE_BEST;
		return;
	}
	for (p = head; p != NULL; p = p->next) {
		if (count == rib->scratch_alloc) {
			rib->scratch_alloc = rib->scratch_alloc ?
			    rib->scratch_alloc * 2 : 16;
			rib->scratch = xreallocarray(rib->scratch,
			    rib->scratch_alloc, sizeof(*rib->scratch));
		}
		rib->scratch[count++] = p;
	}
	decide_sort(rib->scratch, count);
	for (i = 0; i < count; i++)
		rib->scratch[i]->next = i + 1 < count ? rib->scratch[i + 1] :
		    NULL;
	node_set_paths(n, rib->scratch[0]);
}

/*
 * Sets PATH_BEST and PATH_ECMP on the sorted list of n; returns true
 * if a path entered or left the ECMP set.
 */
static bool
node_flag(const struct rib *rib, struct rib_node *n)
{
	struct path *best = node_paths(n), *p;
	unsigned members = 0;
	bool changed = false;
	uint8_t flags;

	if (best != NULL && !path_eligible(best))
		best = NULL;
	for (p = node_paths(n); p != NULL; p = p->next) {
		flags = 0;
		if (p == best)
			flags = PATH_BEST | PATH_ECMP;
		else if (best != NULL && members < rib->ecmp_max &&
		    decide_multipath_equal(best, p))
			flags = PATH_ECMP;
		if (flags & PATH_ECMP)
			members++;
		if ((p->flags ^ flags) & PATH_ECMP)
			changed = true;
		p->flags = flags;
	}
	return changed;
}

static void
notify(const struct rib *rib, const struct rib_node *n,
    const struct path *old_best, const struct path *new_best)
{
	struct rib_observer *o, *next;
	struct prefix prefix;

	node_prefix(n, &prefix);
	for (o = rib->observers; o != NULL; o = next) {
		next = o->next;
		o->cb(o->arg, &prefix, old_best, new_best, n);
	}
}

/*
 * After the path list of n changed (removed: the path taken out, still
 * allocated, or NULL): re-sort, re-flag, and tell the observers if the
 * best path or the ECMP set changed.
 */
static void
node_changed(struct rib *rib, struct rib_node *n, const struct path *removed)
{
	const struct path *old_best = NULL, *new_best, *p;
	bool changed;

	if (removed != NULL && (removed->flags & PATH_BEST))
		old_best = removed;
	for (p = node_paths(n); old_best == NULL && p != NULL; p = p->next)
		if (p->flags & PATH_BEST)
			old_best = p;
	changed = removed != NULL && (removed->flags & PATH_ECMP);
	node_sort(rib, n);
	if (node_flag(rib, n))
		changed = true;
	new_best = node_paths(n);
	if (new_best != NULL && !path_eligible(new_best))
		new_best = NULL;
	if (changed || old_best != new_best)
		notify(rib, n, old_best, new_best);
}

/* ---- public interface ----------------------------------------------- */

struct rib *
rib_create(unsigned ecmp_max)
{
	struct rib *rib = xcalloc(1, sizeof(*rib));
	int family, kind;

	if (rib_instances++ == 0)
		pool_init(&path_pool, sizeof(struct path));
	for (family = FAMILY_IPV4; family <= FAMILY_IPV6; family++) {
		struct rib_tree *t = tree_of(rib, family);

		t->family = (uint8_t)family;
		t->address_length = (uint8_t)(family_bits(family) / 8);
		for (kind = 0; kind < NODE_KINDS; kind++)
			pool_init(&t->nodes[kind], node_size(family, kind));
	}
	rib_set_ecmp_max(rib, ecmp_max);
	return rib;
}

static void
destroy_walk(struct rib *rib, struct rib_tree *t, uint32_t index)
{
	struct rib_node *n = node_at(t, index);
	struct path *p, *next;

	if (n == NULL)
		return;
	destroy_walk(rib, t, child(n, 0));
	destroy_walk(rib, t, child(n, 1));
	for (p = node_paths(n); p != NULL; p = next) {
		next = p->next;
		path_free(rib, p);
	}
}

void
rib_destroy(struct rib *rib)
{
	struct rib_observer *o, *next;
	int i, kind;

	if (rib == NULL)
		return;
	for (i = 0; i < 2; i++) {
		destroy_walk(rib, &rib->trees[i], rib->trees[i].root);
		for (kind = 0; kind < NODE_KINDS; kind++)
			pool_destroy(&rib->trees[i].nodes[kind]);
	}
	for (o = rib->observers; o != NULL; o = next) {
		next = o->next;
		free(o);
	}
	for (i = 0; i < (int)rib->retired_count; i++)
		route_source_free(rib->retired[i]);
	free(rib->retired);
	free(rib->scratch);
	free(rib);
	if (--rib_instances == 0)
		pool_destroy(&path_pool);
}

static void
ecmp_walk(struct rib *rib, struct rib_tree *t, uint32_t index)
{
	struct rib_node *n = node_at(t, index);
	const struct path *best;

	if (n == NULL)
		return;
	if (has_paths(n) && node_flag(rib, n)) {
		best = node_paths(n);
		if (path_eligible(best))
			notify(rib, n, best, best);
	}
	ecmp_walk(rib, t, child(n, 0));
	ecmp_walk(rib, t, child(n, 1));
}

void
rib_set_ecmp_max(struct rib *rib, unsigned ecmp_max)
{
	rib->ecmp_max = ecmp_max > 0 ? ecmp_max : 1;
	ecmp_walk(rib, &rib->trees[0], rib->trees[0].root);
	ecmp_walk(rib, &rib->trees[1], rib->trees[1].root);
}

void
rib_set_resolver(struct rib *rib, rib_resolve_cb *cb, void *arg)
{
	rib->resolve = cb;
	rib->resolve_arg = arg;
}

/* The resolver's answer for p, a path of n (locally originated paths
 * have no next hop to resolve). */
static uint8_t
path_unresolved(const struct rib *rib, const struct rib_node *n,
    const struct path *p)
{
	struct prefix prefix;

	if (rib->resolve == NULL || p->source->local)
		return 0;
	node_prefix(n, &prefix);
	return !rib->resolve(rib->resolve_arg, &prefix, p);
}

static void
reresolve_walk(struct rib *rib, struct rib_tree *t, uint32_t index)
{
	struct rib_node *n = node_at(t, index);
	struct path *p;
	bool changed = false;
	uint8_t unresolved;

	if (n == NULL)
		return;
	for (p = node_paths(n); p != NULL; p = p->next) {
		unresolved = path_unresolved(rib, n, p);
		if (unresolved != p->unresolved) {
			p->unresolved = unresolved;
			changed = true;
		}
	}
	if (changed)
		node_changed(rib, n, NULL);
	reresolve_walk(rib, t, child(n, 0));
	reresolve_walk(rib, t, child(n, 1));
}

void
rib_reresolve(struct rib *rib)
{
	reresolve_walk(rib, &rib->trees[0], rib->trees[0].root);
	reresolve_walk(rib, &rib->trees[1], rib->trees[1].root);
}

void *
rib_observer_add(struct rib *rib, rib_observer_cb *cb, void *arg)
{
	struct rib_observer *o = xmalloc(sizeof(*o)), **link;

	o->cb = cb;
	o->arg = arg;
	o->next = NULL;
	/* Appended: observers are called in the order they registered. */
	for (link = &rib->observers; *link != NULL; link = &(*link)->next)
		;
	*link = o;
	return o;
}

void
rib_observer_remove(struct rib *rib, void *handle)
{
	struct rib_observer **link;

	for (link = &rib->observers; *link != NULL; link = &(*link)->next) {
		if (*link == handle) {
			*link = (*link)->next;
			free(handle);
			return;
		}
	}
}

int
rib_update(struct rib *rib, const struct route_source *source,
    const struct prefix *prefix, struct attr *attr, uint8_t rejected)
{
	struct rib_tree *t = tree_of(rib, prefix->family);
	struct rib_node *n;
	struct path *old, *p;

	if (t == NULL || prefix->length > family_bits(prefix->family))
		return 0;
	n = tree_get(t, prefix);
	for (old = node_paths(n); old != NULL; old = old->next)
		if (old->source == source)
			break;
	if (old != NULL && old->attr == attr && old->rejected == rejected)
		return 0;
	if (!has_paths(n))
		t->prefixes++;
	if (old != NULL)
		node_take_path(n, source);
	p = path_new(rib, source, attr, rejected);
	p->unresolved = path_unresolved(rib, n, p);
	p->next = node_paths(n);
	node_set_paths(n, p);
	node_changed(rib, n, old);
	if (old == NULL)
		return 1;
	path_free(rib, old);
	return 0;
}

/*
 * Removes the path of source from n, if it has one, telling the
 * observers; returns 1 if it did.  The caller cleans the node up.
 */
static int
node_drop_source(struct rib *rib, struct rib_tree *t, struct rib_node *n,
    const struct route_source *source)
{
	struct path *p = node_take_path(n, source);

	if (p == NULL)
		return 0;
	node_changed(rib, n, p);
	path_free(rib, p);
	if (!has_paths(n))
		t->prefixes--;
	return 1;
}

int
rib_withdraw(struct rib *rib, const struct route_source *source,
    const struct prefix *prefix)
{
	struct rib_tree *t = tree_of(rib, prefix->family);
	uint32_t *links[MAX_DEPTH];
	struct rib_node *n;
	size_t depth;

	if (t == NULL || (n = tree_find(t, prefix, links, &depth)) == NULL)
		return 0;
	if (!node_drop_source(rib, t, n, source))
		return 0;
	if (has_paths(n))
		return 1;
	/* Removing a leaf can leave its parent a glue with one child. */
	if (node_cleanup(t, links[depth - 1]) && depth >= 2)
		node_cleanup(t, links[depth - 2]);
	return 1;
}

/* Post-order, so that a node is cleaned up after its children. */
static size_t
remove_source_walk(struct rib *rib, struct rib_tree *t, uint32_t *link,
    const struct route_source *source)
{
	struct rib_node *n = node_at(t, *link);
	uint32_t *below = children(n);
	size_t removed = 0;

	if (below != NULL && below[0] != 0)
		removed += remove_source_walk(rib, t, &below[0], source);
	if (below != NULL && below[1] != 0)
		removed += remove_source_walk(rib, t, &below[1], source);
	removed += node_drop_source(rib, t, n, source);
	node_cleanup(t, link);
	return removed;
}

size_t
rib_remove_source(struct rib *rib, const struct route_source *source)
{
	size_t removed = 0;
	int i;

	for (i = 0; i < 2; i++)
		if (rib->trees[i].root != 0)
			removed += remove_source_walk(rib, &rib->trees[i],
			    &rib->trees[i].root, source);
	return removed;
}

/* ---- retiring sources ----------------------------------------------- */

struct route_source *
route_source_new(const char *name)
{
	size_t length = strlen(name) + 1;
	struct route_source *source = xcalloc(1, sizeof(*source) + length);

	memcpy(source + 1, name, length);
	source->name = (const char *)(source + 1);
	return source;
}

void
route_source_free(struct route_source *source)
{
	free(source);
}

void
rib_retire_source(struct rib *rib, struct route_source *source)
{
	if (rib->retired_count == rib->retired_alloc) {
		rib->retired_alloc = rib->retired_alloc * 2 + 4;
		rib->retired = xreallocarray(rib->retired,
		    rib->retired_alloc, sizeof(*rib->retired));
	}
	rib->retired[rib->retired_count++] = source;
}

size_t
rib_retiring_count(const struct rib *rib)
{
	return rib->retired_count;
}

struct retire_walk {
	struct rib	*rib;
	struct rib_tree	*tree;
	size_t		 budget;
	bool		 stopped;	/* budget spent: resume next step */
	bool		 past;		/* beyond retire_after: no more tests */
};

/*
 * Pre-order (prefix_compare order) from the root on every step: a
 * subtree that lies wholly before retire_after is skipped at once, so a
 * step costs its budget plus one descent, and it resumes correctly
 * however the trees changed in between.  A node's paths go on the way
 * down, the node itself is cleaned up on the way back, after its
 * children (as in remove_source_walk).
 */
static void
retire_walk(struct retire_walk *w, uint32_t *link)
{
	struct rib *rib = w->rib;
	struct rib_node *n = node_at(w->tree, *link);
	struct prefix here;
	uint32_t *below;
	bool done = false;
	size_t i;

	node_prefix(n, &here);
	if (rib->retire_resume && !w->past) {
		int order = prefix_compare(&here, &rib->retire_after);

		if (order < 0 && !prefix_contains(&here, &rib->retire_after))
			return;
		done = order <= 0;	/* an ancestor of where we were */
	}
	if (!done) {
		if (w->budget == 0) {
			w->stopped = true;
			return;
		}
		w->budget--;
		for (i = 0; i < rib->retire_walking && has_paths(n); i++)
			node_drop_source(rib, w->tree, n, rib->retired[i]);
		rib->retire_after = here;
		rib->retire_resume = true;
		w->past = true;	/* pre-order: the rest of the walk is after */
	}
	below = children(n);
	if (below != NULL && below[0] != 0)
		retire_walk(w, &below[0]);
	if (below != NULL && below[1] != 0 && !w->stopped)
		retire_walk(w, &below[1]);
	node_cleanup(w->tree, link);
}

bool
rib_retire_step(struct rib *rib, size_t budget)
{
	struct retire_walk w = { .rib = rib, .budget = budget };
	size_t i;

	while (rib->retired_count > 0) {
		if (rib->retire_walking == 0) {
			rib->retire_walking = rib->retired_count;
			rib->retire_tree = 0;
			rib->retire_resume = false;
		}
		for (; rib->retire_tree < 2; rib->retire_tree++) {
			w.tree = &rib->trees[rib->retire_tree];
			if (w.tree->root != 0)
				retire_walk(&w, &w.tree->root);
			if (w.stopped)
				return true;
			rib->retire_resume = false;
			w.past = false;
		}
		for (i = 0; i < rib->retire_walking; i++)
			route_source_free(rib->retired[i]);
		rib->retired_count -= rib->retire_walking;
		memmove(rib->retired, rib->retired + rib->retire_walking,
		    rib->retired_count * sizeof(*rib->retired));
		rib->retire_walking = 0;
	}
	return false;
}

const struct rib_node *
rib_lookup(const struct rib *rib, const struct prefix *prefix)
{
	const struct rib_node *n;

	if (prefix->family != FAMILY_IPV4 && prefix->family != FAMILY_IPV6)
		return NULL;
	n = tree_find(&rib->trees[prefix->family - 1], prefix, NULL, NULL);
	return n != NULL && has_paths(n) ? n : NULL;
}

/*
 * Memory latency, not work, is the cost of a lookup in a large tree:
 * every level is a cache miss.  The lookups of a batch go down their
 * paths in lock-step, each level's nodes prefetched together, so the
 * misses of the batch overlap instead of adding up.
 */
#define LOOKUP_WAVE	32

static void
node_prefetch(const struct rib_tree *t, uint32_t index)
{
	if (index != 0)
		__builtin_prefetch(node_at(t, index));
}

/* One wave of at most LOOKUP_WAVE lookups of one family. */
static void
lookup_wave(const struct rib_tree *t, const struct prefix *prefixes,
    size_t count, const struct rib_node **out)
{
	uint32_t at[LOOKUP_WAVE];
	size_t i, active = count;
	const struct rib_node *n;
	const struct prefix *p;

	for (i = 0; i < count; i++) {
		out[i] = NULL;
		at[i] = t->root;
		node_prefetch(t, at[i]);
	}
	while (active > 0) {
		active = 0;
		for (i = 0; i < count; i++) {
			if (at[i] == 0)
				continue;
			n = node_at(t, at[i]);
			p = &prefixes[i];
			at[i] = 0;
			if (n->length > p->length || common_bits(n->bytes,
			    p->bytes, n->length) < n->length)
				continue;
			if (n->length == p->length) {
				out[i] = has_paths(n) ? n : NULL;
				continue;
			}
			if (children(n) == NULL)
				continue;
			at[i] = children(n)[prefix_bit(p->bytes, n->length)];
			node_prefetch(t, at[i]);
			active++;
		}
	}
}

void
rib_lookup_batch(const struct rib *rib, const struct prefix *prefixes,
    size_t count, const struct rib_node **out)
{
	size_t start = 0, end;
	uint8_t family;

	while (start < count) {
		family = prefixes[start].family;
		for (end = start + 1; end < count && end - start < LOOKUP_WAVE &&
		    prefixes[end].family == family; end++)
			;
		if (family == FAMILY_IPV4 || family == FAMILY_IPV6)
			lookup_wave(&rib->trees[family - 1], prefixes + start,
			    end - start, out + start);
		else
			memset(out + start, 0, (end - start) * sizeof(*out));
		start = end;
	}
}

/* First node with paths in the subtree at index, in pre-order. */
static const struct rib_node *
subtree_first(const struct rib_tree *t, uint32_t index)
{
	const struct rib_node *n = node_at(t, index);

	/* Nodes without paths always have two children. */
	while (n != NULL && !has_paths(n))
		n = node_at(t, child(n, 0));
	return n;
}

/*
 * First node with paths after `after` in the subtree at index.  All the
 * prefixes of a subtree share the node's first length bits: unless the
 * node's prefix contains `after`, the whole subtree sorts on one side.
 */
static const struct rib_node *
subtree_next(const struct rib_tree *t, uint32_t index,
    const struct prefix *after)
{
	const struct rib_node *n = node_at(t, index), *found;
	unsigned common;
	int side;

	if (n == NULL)
		return NULL;
	common = common_bits(n->bytes, after->bytes,
	    min_length(n->length, after->length));
	if (common < min_length(n->length, after->length))
		return prefix_bit(after->bytes, common) ? NULL :
		    subtree_first(t, index);
	if (n->length > after->length)		/* after contains n */
		return subtree_first(t, index);
	if (n->length == after->length)		/* n is after itself */
		return subtree_first(t, child(n, 0)) != NULL ?
		    subtree_first(t, child(n, 0)) :
		    subtree_first(t, child(n, 1));
	side = prefix_bit(after->bytes, n->length);
	found = subtree_next(t, child(n, side), after);
	if (found == NULL && side == 0)
		found = subtree_first(t, child(n, 1));
	return found;
}

const struct rib_node *
rib_next(const struct rib *rib, int family, const struct prefix *after)
{
	const struct rib_tree *t;

	if (family != FAMILY_IPV4 && family != FAMILY_IPV6)
		return NULL;
	t = &rib->trees[family - 1];
	if (after == NULL || after->family < family)
		return subtree_first(t, t->root);
	if (after->family > family)
		return NULL;
	return subtree_next(t, t->root, after);
}

void
rib_node_get(const struct rib_node *node, struct rib_node_view *view)
{
	node_prefix(node, &view->prefix);
	view->paths = node_paths(node);
}

size_t
rib_node_ecmp(const struct rib_node *node, const struct path **out,
    size_t max)
{
	const struct path *p;
	size_t count = 0;

	for (p = node_paths(node); p != NULL && count < max; p = p->next)
		if (p->flags & PATH_ECMP)
			out[count++] = p;
	return count;
}

void
rib_get_stats(const struct rib *rib, struct rib_stats *stats)
{
	int i, kind;

	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < 2; i++) {
		stats->prefixes[i + 1] = rib->trees[i].prefixes;
		for (kind = 0; kind < NODE_KINDS; kind++) {
			stats->nodes += rib->trees[i].nodes[kind].in_use;
			stats->bytes += pool_bytes_in_use(
			    &rib->trees[i].nodes[kind]);
		}
	}
	stats->paths = rib->path_count;
	stats->bytes += rib->path_count * sizeof(struct path);
}
