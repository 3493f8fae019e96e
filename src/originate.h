/*
 * originate.h - the routes this node advertises.
 *
 * advertise.prefixes, a static pod-cidr and service-cidr become paths of
 * the local route source, with ORIGIN IGP, an empty AS path, no next hop
 * (each session fills in its own address) and advertise.communities.
 * Each prefix remembers where it came from for `show originated`; the
 * Kubernetes and CNI discovery (pod-cidr: auto) feeds the same table.
 */
#ifndef FLATBGP_ORIGINATE_H
#define FLATBGP_ORIGINATE_H

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

struct originated_route {
	struct prefix	 prefix;
	enum origin_kind kind;
	time_t		 confirmed;	/* last time its source confirmed it */
};

struct originate *originate_create(struct rib *rib);
void originate_free(struct originate *o);
/* Makes the originated set match conf (adds, removes, re-attributes). */
void originate_apply(struct originate *o, const struct config *conf);
/* Every originated prefix (for import policy's own-prefix check). */
const struct prefix_list *originate_prefixes(const struct originate *o);
size_t originate_routes(const struct originate *o,
    const struct originated_route **routes);
const char *origin_kind_name(enum origin_kind kind);
const struct route_source *originate_source(const struct originate *o);

#endif /* FLATBGP_ORIGINATE_H */
