/*
 * attr.h - interned path attributes.
 *
 * Every distinct attribute set is stored once and shared by all the
 * paths that carry it (reference counted), and so is every distinct
 * AS path, community list, cluster list and block of unknown
 * attributes (struct blob).  Equality of two interned sets is pointer
 * equality, which is what makes UPDATE packing (group prefixes by
 * attribute pointer) and best-path comparison cheap.  Hash tables are
 * keyed with a random seed so a peer cannot aim collisions at us.
 */
#ifndef FLATBGP_ATTR_H
#define FLATBGP_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"

/* An interned byte string (AS path, community list, ...). */
struct blob {
	struct blob	*hash_next;
	uint32_t	 refcnt;
	uint32_t	 hash;
	uint16_t	 len;
	uint8_t		 kind;		/* which table: BLOB_* */
	uint8_t		 data[];
};

enum blob_kind {
	BLOB_AS_PATH,
	BLOB_COMMUNITIES,
	BLOB_LARGE_COMMUNITIES,
	BLOB_EXT_COMMUNITIES,
	BLOB_CLUSTER_LIST,
	BLOB_UNKNOWN,
	BLOB_KIND_COUNT,
};

/* An interned attribute set; never modified once interned. */
struct attr {
	struct attr	*hash_next;
	uint32_t	 refcnt;
	uint32_t	 hash;
	uint32_t	 present;	/* PA_* of bgp_msg.h (not MP_*) */
	uint8_t		 origin;
	uint16_t	 as_path_length; /* cached for best path */
	uint32_t	 neighbor_as;	/* first AS of the path, 0 if empty */
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 aggregator_as;
	uint32_t	 aggregator_id;
	uint32_t	 originator_id;
	struct bgp_nexthop nexthop;
	const struct blob *as_path;	/* never NULL: empty blob if none */
	const struct blob *communities;	/* NULL if none */
	const struct blob *large_communities;
	const struct blob *ext_communities;
	const struct blob *cluster_list;
	const struct blob *unknown;
};

struct attr_stats {
	size_t	attr_count, attr_bytes;
	size_t	blob_count[BLOB_KIND_COUNT], blob_bytes[BLOB_KIND_COUNT];
};

/* Sets up the tables with a random hash seed.  Cannot fail. */
void attr_init(void);
/* Frees everything (tests, shutdown under a leak checker). */
void attr_shutdown(void);

/*
 * Returns the interned set equal to pa (MP_REACH/MP_UNREACH ignored),
 * with one reference for the caller.  Cannot fail (fatal on OOM).
 */
struct attr *attr_intern(const struct path_attrs *pa);
struct attr *attr_ref(struct attr *a);
void attr_unref(struct attr *a);
/* Fills a path_attrs view of a (pointers into a; valid while a is). */
void attr_to_path_attrs(const struct attr *a, struct path_attrs *pa);
void attr_get_stats(struct attr_stats *stats);

#endif /* FLATBGP_ATTR_H */
