/*
 * originate.h - the routes this node advertises.
 *
 * advertise.prefixes, a static pod-cidr and service-cidr become paths of
 * the local route source, with ORIGIN IGP, an empty AS path, no next hop
 * (each session fills in its own address) and advertise.communities.
 * Each prefix remembers where it came from for `show originated`; the
 * Kubernetes and CNI discovery (discover.c, pod-cidr/service-cidr: auto)
 * feeds the same table through originate_set_discovered().
 */
#ifndef FLATBGP_ORIGINATE_H
#define FLATBGP_ORIGINATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "rib.h"

struct daemon;
struct originate;

enum origin_kind {
	ORIGIN_STATIC,		/* advertise.prefixes */
	ORIGIN_POD_CIDR,	/* advertise.pod-cidr: CIDR */
	ORIGIN_SERVICE_CIDR,	/* advertise.service-cidr: CIDR */
	ORIGIN_KUBERNETES_API,
	ORIGIN_CNI_CONFIG,
};

/* What a discovered set stands for. */
enum origin_role {
	ORIGIN_ROLE_POD,	/* advertise.pod-cidr: auto */
	ORIGIN_ROLE_SERVICE,	/* advertise.service-cidr: auto */
	ORIGIN_ROLE_COUNT,
};

struct originated_route {
	struct prefix	 prefix;
	enum origin_kind kind;
	time_t		 confirmed;	/* last time its source confirmed it */
};

struct originate *originate_create(struct rib *rib);
void originate_free(struct originate *o);
/*
 * Makes the originated set match conf (adds, removes, re-attributes);
 * conf must stay valid until the next call.  Discovered sets are kept,
 * and used only while conf says "auto" for their role.
 */
void originate_apply(struct originate *o, const struct config *conf);
/*
 * Replaces the discovered prefixes of role (count 0: none known) with
 * kind ORIGIN_KUBERNETES_API or ORIGIN_CNI_CONFIG, last confirmed at
 * confirmed.  Prefixes that left the set are withdrawn, new ones
 * announced; an unchanged set only updates the confirmed time.
 * Returns true if the originated prefixes changed (import policy's
 * own-prefix check then needs a new look).
 */
bool originate_set_discovered(struct originate *o, enum origin_role role,
    enum origin_kind kind, const struct prefix *prefixes, size_t count,
    time_t confirmed);
/* Every originated prefix (for import policy's own-prefix check). */
const struct prefix_list *originate_prefixes(const struct originate *o);
size_t originate_routes(const struct originate *o,
    const struct originated_route **routes);
const char *origin_kind_name(enum origin_kind kind);
const struct route_source *originate_source(const struct originate *o);

#endif /* FLATBGP_ORIGINATE_H */
