/*
 * attr.c - interning of attribute sets and of the byte strings in them.
 *
 * A path holds one pointer to a struct attr; all paths with the same
 * attributes share it.  attr_intern() first interns each variable-size
 * part (AS path, communities, ...) as a struct blob, so an attribute set
 * is a fixed-size record whose equality is field equality plus pointer
 * equality of its blobs.  For a set that already exists, interning
 * costs one hash of each blob, one hash of the record, and compares:
 * nothing is allocated.
 *
 * Both tables are chained hash tables that double when their load
 * passes 1.  The hash is SipHash-1-3 keyed with random bytes from
 * arc4random_buf(), so a peer that knows the code still cannot choose
 * attributes that collide (the reason OpenBGPD keys its tables too).
 * Everything is reference counted and freed at zero; counts and bytes
 * of every kind are kept for `show memory`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "log.h"

#define TABLE_MIN_BUCKETS	1024

/* A chained hash table of blobs or of attribute sets. */
struct table {
	void		**buckets;
	size_t		  mask;		/* bucket count - 1 */
	size_t		  count;
	/* The element's chain link and hash (struct blob or attr). */
	void		*(*next)(const void *);
	void		 (*set_next)(void *, void *);
	uint32_t	 (*hash)(const void *);
};

static struct {
	bool			 ready;
	uint64_t		 key[2];	/* SipHash key */
	struct table		 blobs;
	struct table		 attrs;
	struct attr_stats	 stats;
} interned;

/* ---- SipHash-1-3 (Aumasson and Bernstein, 2012) --------------------- */

#define ROTATE(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip {
	uint64_t	v0, v1, v2, v3;
};

static inline void
sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = ROTATE(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTATE(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTATE(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTATE(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTATE(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTATE(s->v2, 32);
}

static void
sip_word(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	s->v0 ^= m;
}

/* seed is mixed in as a first word: the table kind, for instance. */
static uint32_t
sip_hash(uint64_t seed, const uint8_t *data, size_t len)
{
	struct sip s;
	uint64_t m, total = len;
	size_t i;

	s.v0 = interned.key[0] ^ 0x736f6d6570736575ULL;
	s.v1 = interned.key[1] ^ 0x646f72616e646f6dULL;
	s.v2 = interned.key[0] ^ 0x6c7967656e657261ULL;
	s.v3 = interned.key[1] ^ 0x7465646279746573ULL;
	sip_word(&s, seed);
	for (; len >= 8; data += 8, len -= 8) {
		memcpy(&m, data, 8);
		sip_word(&s, m);
	}
	m = total << 56;
	for (i = 0; i < len; i++)
		m |= (uint64_t)data[i] << (8 * i);
	sip_word(&s, m);
	s.v2 ^= 0xff;
	for (i = 0; i < 3; i++)
		sip_round(&s);
	return (uint32_t)(s.v0 ^ s.v1 ^ s.v2 ^ s.v3);
}

/* ---- tables ----------------------------------------------------------- */

static void *
blob_next(const void *b)
{
	return ((const struct blob *)b)->hash_next;
}

static void
blob_set_next(void *b, void *next)
{
	((struct blob *)b)->hash_next = next;
}

static uint32_t
blob_hash_of(const void *b)
{
	return ((const struct blob *)b)->hash;
}

static void *
attr_next(const void *a)
{
	return ((const struct attr *)a)->hash_next;
}

static void
attr_set_next(void *a, void *next)
{
	((struct attr *)a)->hash_next = next;
}

static uint32_t
attr_hash_of(const void *a)
{
	return ((const struct attr *)a)->hash;
}

static void
table_init(struct table *t, void *(*next)(const void *),
    void (*set_next)(void *, void *), uint32_t (*hash)(const void *))
{
	t->buckets = xcalloc(TABLE_MIN_BUCKETS, sizeof(*t->buckets));
	t->mask = TABLE_MIN_BUCKETS - 1;
	t->count = 0;
	t->next = next;
	t->set_next = set_next;
	t->hash = hash;
}

/* Adds e; doubles the buckets when the load passes 1. */
static void
table_insert(struct table *t, void *e)
{
	size_t buckets = (t->mask + 1) * 2, i;
	void **grown, *chain, *after;

	t->set_next(e, t->buckets[t->hash(e) & t->mask]);
	t->buckets[t->hash(e) & t->mask] = e;
	if (++t->count <= t->mask + 1)
		return;
	grown = xcalloc(buckets, sizeof(*grown));
	for (i = 0; i <= t->mask; i++) {
		for (chain = t->buckets[i]; chain != NULL; chain = after) {
			after = t->next(chain);
			t->set_next(chain, grown[t->hash(chain) & (buckets - 1)]);
			grown[t->hash(chain) & (buckets - 1)] = chain;
		}
	}
	free(t->buckets);
	t->buckets = grown;
	t->mask = buckets - 1;
}

/* Unlinks e, which must be in t. */
static void
table_remove(struct table *t, void *e)
{
	size_t bucket = t->hash(e) & t->mask;
	void *chain = t->buckets[bucket];

	if (chain == e) {
		t->buckets[bucket] = t->next(e);
	} else {
		while (chain != NULL && t->next(chain) != e)
			chain = t->next(chain);
		if (chain == NULL)
			fatal("attr: removing an element not interned");
		t->set_next(chain, t->next(e));
	}
	t->count--;
}

static void
table_free(struct table *t)
{
	void *chain, *after;
	size_t i;

	for (i = 0; t->buckets != NULL && i <= t->mask; i++)
		for (chain = t->buckets[i]; chain != NULL; chain = after) {
			after = t->next(chain);
			free(chain);
		}
	free(t->buckets);
	t->buckets = NULL;
}

/* ---- blobs ------------------------------------------------------------ */

static uint32_t
blob_hash(enum blob_kind kind, const uint8_t *data, size_t len)
{
	return sip_hash(kind, data, len);
}

static struct blob *
blob_find(enum blob_kind kind, const uint8_t *data, size_t len,
    uint32_t hash)
{
	struct blob *b;

	for (b = interned.blobs.buckets[hash & interned.blobs.mask]; b != NULL;
	    b = b->hash_next)
		if (b->hash == hash && b->kind == kind && b->len == len &&
		    (len == 0 || memcmp(b->data, data, len) == 0))
			return b;
	return NULL;
}

/* Returns the blob with one more reference, created if needed. */
static struct blob *
blob_get(enum blob_kind kind, const uint8_t *data, size_t len,
    uint32_t hash)
{
	struct blob *b = blob_find(kind, data, len, hash);

	if (b != NULL) {
		b->refcnt++;
		return b;
	}
	b = xmalloc(sizeof(*b) + len);
	b->refcnt = 1;
	b->hash = hash;
	b->len = (uint16_t)len;
	b->kind = (uint8_t)kind;
	if (len > 0)
		memcpy(b->data, data, len);
	table_insert(&interned.blobs, b);
	interned.stats.blob_count[kind]++;
	interned.stats.blob_bytes[kind] += sizeof(*b) + len;
	return b;
}

static void
blob_unref(const struct blob *cb)
{
	/* Interned blobs are const to their users, not to us. */
	struct blob *b = (struct blob *)(uintptr_t)cb;

	if (b == NULL || --b->refcnt > 0)
		return;
	table_remove(&interned.blobs, b);
	interned.stats.blob_count[b->kind]--;
	interned.stats.blob_bytes[b->kind] -= sizeof(*b) + b->len;
	free(b);
}

/* ---- attribute sets --------------------------------------------------- */

/* The variable parts of a set: where each comes from in path_attrs. */
struct blob_source {
	enum blob_kind	 kind;
	uint32_t	 flag;		/* PA_* that says it is present */
	size_t		 bytes_offset;	/* struct bytes in path_attrs */
	size_t		 blob_offset;	/* const struct blob * in attr */
};

static const struct blob_source blob_sources[] = {
	{ BLOB_AS_PATH, 0, offsetof(struct path_attrs, as_path),
	    offsetof(struct attr, as_path) },
	{ BLOB_COMMUNITIES, PA_COMMUNITIES,
	    offsetof(struct path_attrs, communities),
	    offsetof(struct attr, communities) },
	{ BLOB_LARGE_COMMUNITIES, PA_LARGE_COMMUNITIES,
	    offsetof(struct path_attrs, large_communities),
	    offsetof(struct attr, large_communities) },
	{ BLOB_EXT_COMMUNITIES, PA_EXT_COMMUNITIES,
	    offsetof(struct path_attrs, ext_communities),
	    offsetof(struct attr, ext_communities) },
	{ BLOB_CLUSTER_LIST, PA_CLUSTER_LIST,
	    offsetof(struct path_attrs, cluster_list),
	    offsetof(struct attr, cluster_list) },
	{ BLOB_UNKNOWN, 0, offsetof(struct path_attrs, unknown),
	    offsetof(struct attr, unknown) },
};
#define BLOB_SOURCE_COUNT (sizeof(blob_sources) / sizeof(blob_sources[0]))

static const struct bytes *
source_bytes(const struct path_attrs *pa, const struct blob_source *s)
{
	return (const struct bytes *)((const uint8_t *)pa + s->bytes_offset);
}

static const struct blob **
attr_blob(struct attr *a, const struct blob_source *s)
{
	return (const struct blob **)((uint8_t *)a + s->blob_offset);
}

/*
 * Whether pa carries this part.  An AS path is always there (an empty
 * one when absent, so attr->as_path is never NULL); unknown attributes
 * only when there are some.
 */
static bool
source_present(const struct path_attrs *pa, const struct blob_source *s)
{
	if (s->kind == BLOB_AS_PATH)
		return true;
	if (s->kind == BLOB_UNKNOWN)
		return pa->unknown.len > 0;
	return (pa->present & s->flag) != 0;
}

static void
nexthop_copy(struct ip_addr *to, const struct ip_addr *from)
{
	memset(to, 0, sizeof(*to));
	to->family = from->family;
	memcpy(to->bytes, from->bytes, family_bits(from->family) / 8);
}

/* The fixed-size fields of pa, absent ones zero, into key. */
static void
attr_key_fill(struct attr *key, const struct path_attrs *pa)
{
	uint32_t present = pa->present & ~(uint32_t)(PA_MP_REACH |
	    PA_MP_UNREACH);

	memset(key, 0, sizeof(*key));
	key->present = present;
	if (present & PA_ORIGIN)
		key->origin = pa->origin;
	if (present & PA_MED)
		key->med = pa->med;
	if (present & PA_LOCAL_PREF)
		key->local_pref = pa->local_pref;
	if (present & PA_AGGREGATOR) {
		key->aggregator_as = pa->aggregator_as;
		key->aggregator_id = pa->aggregator_id;
	}
	if (present & PA_ORIGINATOR_ID)
		key->originator_id = pa->originator_id;
	nexthop_copy(&key->nexthop.global, &pa->nexthop.global);
	nexthop_copy(&key->nexthop.link_local, &pa->nexthop.link_local);
}

/*
 * Hash of the fields attr_equal() compares.  Blobs enter by their own
 * hash (equal blobs are one blob), next hops by their used bytes: the
 * fewer bytes, the cheaper a lookup of a set that exists.
 */
static uint32_t
attr_hash(const struct attr *a)
{
	uint8_t buf[96];
	size_t len = 0, i;
	uint32_t zero = 0;

#define PUT(field) do {							\
	memcpy(buf + len, &(field), sizeof(field));			\
	len += sizeof(field);						\
} while (0)
	PUT(a->present);
	PUT(a->origin);
	PUT(a->med);
	PUT(a->local_pref);
	PUT(a->aggregator_as);
	PUT(a->aggregator_id);
	PUT(a->originator_id);
#undef PUT
	buf[len++] = a->nexthop.global.family;
	memcpy(buf + len, a->nexthop.global.bytes,
	    family_bits(a->nexthop.global.family) / 8);
	len += family_bits(a->nexthop.global.family) / 8;
	buf[len++] = a->nexthop.link_local.family;
	memcpy(buf + len, a->nexthop.link_local.bytes,
	    family_bits(a->nexthop.link_local.family) / 8);
	len += family_bits(a->nexthop.link_local.family) / 8;
	for (i = 0; i < BLOB_SOURCE_COUNT; i++) {
		const struct blob *b = *attr_blob((struct attr *)a,
		    &blob_sources[i]);

		memcpy(buf + len, b != NULL ? &b->hash : &zero, sizeof(zero));
		len += sizeof(zero);
	}
	return sip_hash(BLOB_KIND_COUNT, buf, len);
}

static bool
attr_equal(const struct attr *a, const struct attr *b)
{
	return a->hash == b->hash && a->present == b->present &&
	    a->origin == b->origin && a->med == b->med &&
	    a->local_pref == b->local_pref &&
	    a->aggregator_as == b->aggregator_as &&
	    a->aggregator_id == b->aggregator_id &&
	    a->originator_id == b->originator_id &&
	    memcmp(&a->nexthop.global, &b->nexthop.global,
	    sizeof(a->nexthop.global)) == 0 &&
	    memcmp(&a->nexthop.link_local, &b->nexthop.link_local,
	    sizeof(a->nexthop.link_local)) == 0 &&
	    a->as_path == b->as_path && a->communities == b->communities &&
	    a->large_communities == b->large_communities &&
	    a->ext_communities == b->ext_communities &&
	    a->cluster_list == b->cluster_list && a->unknown == b->unknown;
}

static struct attr *
attr_find(const struct attr *key)
{
	struct attr *a;

	for (a = interned.attrs.buckets[key->hash & interned.attrs.mask];
	    a != NULL; a = a->hash_next)
		if (attr_equal(a, key))
			return a;
	return NULL;
}

static struct attr *
attr_insert(const struct attr *key)
{
	struct attr *a = xmalloc(sizeof(*a));

	*a = *key;
	a->refcnt = 1;
	a->as_path_length = (uint16_t)as_path_length(a->as_path->data,
	    a->as_path->len);
	a->neighbor_as = as_path_first(a->as_path->data, a->as_path->len);
	table_insert(&interned.attrs, a);
	interned.stats.attr_count++;
	interned.stats.attr_bytes += sizeof(*a);
	return a;
}

void
attr_init(void)
{
	if (interned.ready)
		return;
	memset(&interned, 0, sizeof(interned));
	arc4random_buf(interned.key, sizeof(interned.key));
	table_init(&interned.blobs, blob_next, blob_set_next, blob_hash_of);
	table_init(&interned.attrs, attr_next, attr_set_next, attr_hash_of);
	interned.ready = true;
}

void
attr_shutdown(void)
{
	if (!interned.ready)
		return;
	table_free(&interned.attrs);
	table_free(&interned.blobs);
	memset(&interned, 0, sizeof(interned));
}

struct attr *
attr_intern(const struct path_attrs *pa)
{
	uint32_t hashes[BLOB_SOURCE_COUNT] = { 0 };
	const struct blob_source *s;
	const struct bytes *bytes;
	struct attr key, *a;
	bool complete = true;
	size_t i;

	attr_init();
	attr_key_fill(&key, pa);
	/* Look up without taking references: the common case is a hit. */
	for (i = 0; i < BLOB_SOURCE_COUNT; i++) {
		s = &blob_sources[i];
		if (!source_present(pa, s))
			continue;
		bytes = source_bytes(pa, s);
		hashes[i] = blob_hash(s->kind, bytes->data, bytes->len);
		*attr_blob(&key, s) = blob_find(s->kind, bytes->data,
		    bytes->len, hashes[i]);
		if (*attr_blob(&key, s) == NULL)
			complete = false;
	}
	if (complete) {
		key.hash = attr_hash(&key);
		if ((a = attr_find(&key)) != NULL) {
			a->refcnt++;
			return a;
		}
	}
	for (i = 0; i < BLOB_SOURCE_COUNT; i++) {
		s = &blob_sources[i];
		if (!source_present(pa, s))
			continue;
		bytes = source_bytes(pa, s);
		*attr_blob(&key, s) = blob_get(s->kind, bytes->data,
		    bytes->len, hashes[i]);
	}
	key.hash = attr_hash(&key);
	return attr_insert(&key);
}

struct attr *
attr_ref(struct attr *a)
{
	a->refcnt++;
	return a;
}

void
attr_unref(struct attr *a)
{
	size_t i;

	if (a == NULL || --a->refcnt > 0)
		return;
	table_remove(&interned.attrs, a);
	interned.stats.attr_count--;
	interned.stats.attr_bytes -= sizeof(*a);
	for (i = 0; i < BLOB_SOURCE_COUNT; i++)
		blob_unref(*attr_blob(a, &blob_sources[i]));
	free(a);
}

static struct bytes
blob_bytes(const struct blob *b)
{
	struct bytes bytes = { NULL, 0 };

	if (b != NULL) {
		bytes.data = b->data;
		bytes.len = b->len;
	}
	return bytes;
}

void
attr_to_path_attrs(const struct attr *a, struct path_attrs *pa)
{
	pa->present = a->present;
	pa->origin = a->origin;
	pa->as_path = blob_bytes(a->as_path);
	pa->nexthop = a->nexthop;
	pa->med = a->med;
	pa->local_pref = a->local_pref;
	pa->aggregator_as = a->aggregator_as;
	pa->aggregator_id = a->aggregator_id;
	pa->communities = blob_bytes(a->communities);
	pa->large_communities = blob_bytes(a->large_communities);
	pa->ext_communities = blob_bytes(a->ext_communities);
	pa->originator_id = a->originator_id;
	pa->cluster_list = blob_bytes(a->cluster_list);
	pa->unknown = blob_bytes(a->unknown);
}

void
attr_get_stats(struct attr_stats *stats)
{
	*stats = interned.stats;
}
