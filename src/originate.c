/*
 * originate.c - the local route source and its prefixes.
 *
 * The originated set is small (a node's pod CIDR, its cluster's service
 * CIDR, a few static prefixes), so it is a plain array rebuilt from the
 * configuration and the discovered sets on every change; only prefixes
 * that appear, disappear or change attributes touch the RIB, so a
 * reload or a re-discovery that changes nothing sends nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "log.h"
#include "originate.h"

/* What discovery last found for a role (pod or service CIDR). */
struct discovered_set {
	struct prefix_list	 prefixes;
	enum origin_kind	 kind;
	time_t			 confirmed;
};

struct originate {
	struct rib		*rib;
	struct route_source	 source;
	const struct config	*conf;		/* the last applied */
	struct attr		*attr;		/* shared by all prefixes */
	struct originated_route	*routes;
	size_t			 count;
	struct prefix_list	 prefixes;	/* same prefixes, flat */
	struct discovered_set	 discovered[ORIGIN_ROLE_COUNT];
};

static const char *const origin_kind_names[] = {
	[ORIGIN_STATIC] = "static",
	[ORIGIN_POD_CIDR] = "pod-cidr",
	[ORIGIN_SERVICE_CIDR] = "service-cidr",
	[ORIGIN_KUBERNETES_API] = "kubernetes-api",
	[ORIGIN_CNI_CONFIG] = "cni-config",
};

const char *
origin_kind_name(enum origin_kind kind)
{
	return origin_kind_names[kind];
}

struct originate *
originate_create(struct rib *rib)
{
	struct originate *o = xcalloc(1, sizeof(*o));

	o->rib = rib;
	o->source.id = 0;
	o->source.local = true;
	o->source.name = "local";
	return o;
}

const struct route_source *
originate_source(const struct originate *o)
{
	return &o->source;
}

/* The attribute set of every originated route under conf. */
static struct attr *
originate_attr(const struct config *conf)
{
	static struct path_attrs pa;
	static uint8_t communities[4 * 256], large[12 * 256];
	size_t i, count;

	memset(&pa, 0, offsetof(struct path_attrs, as_path_buf));
	pa.present = PA_ORIGIN | PA_AS_PATH;
	pa.origin = BGP_ORIGIN_IGP;
	pa.as_path.data = pa.as_path_buf;
	pa.as_path.len = 0;
	count = conf->advertise.community_count;
	if (count > 256)
		count = 256;
	for (i = 0; i < count; i++) {
		uint32_t c = conf->advertise.communities[i];

		communities[i * 4] = (uint8_t)(c >> 24);
		communities[i * 4 + 1] = (uint8_t)(c >> 16);
		communities[i * 4 + 2] = (uint8_t)(c >> 8);
		communities[i * 4 + 3] = (uint8_t)c;
	}
	if (count > 0) {
		pa.present |= PA_COMMUNITIES;
		pa.communities.data = communities;
		pa.communities.len = (uint16_t)(count * 4);
	}
	count = conf->advertise.large_community_count;
	if (count > 256)
		count = 256;
	for (i = 0; i < count * 3; i++) {
		uint32_t v = conf->advertise.large_communities[i];

		large[i * 4] = (uint8_t)(v >> 24);
		large[i * 4 + 1] = (uint8_t)(v >> 16);
		large[i * 4 + 2] = (uint8_t)(v >> 8);
		large[i * 4 + 3] = (uint8_t)v;
	}
	if (count > 0) {
		pa.present |= PA_LARGE_COMMUNITIES;
		pa.large_communities.data = large;
		pa.large_communities.len = (uint16_t)(count * 12);
	}
	return attr_intern(&pa);
}

static void
add_list(struct originated_route **routes, size_t *count,
    const struct prefix_list *list, enum origin_kind kind, time_t confirmed)
{
	size_t i, j;

	for (i = 0; i < list->count; i++) {
		for (j = 0; j < *count; j++)
			if (prefix_equal(&(*routes)[j].prefix,
			    &list->items[i]))
				break;
		if (j < *count)
			continue;	/* first source named wins */
		*routes = xreallocarray(*routes, *count + 1,
		    sizeof(**routes));
		(*routes)[*count].prefix = list->items[i];
		(*routes)[*count].kind = kind;
		(*routes)[*count].confirmed = confirmed;
		(*count)++;
	}
}

static bool
contains(const struct originated_route *routes, size_t count,
    const struct prefix *p)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (prefix_equal(&routes[i].prefix, p))
			return true;
	return false;
}

/* The routes conf and the discovered sets ask for, in priority order. */
static size_t
originate_wanted(const struct originate *o, const struct config *conf,
    struct originated_route **routes)
{
	const struct cidr_setting *settings[ORIGIN_ROLE_COUNT] = {
		[ORIGIN_ROLE_POD] = &conf->advertise.pod_cidr,
		[ORIGIN_ROLE_SERVICE] = &conf->advertise.service_cidr,
	};
	static const enum origin_kind static_kinds[ORIGIN_ROLE_COUNT] = {
		[ORIGIN_ROLE_POD] = ORIGIN_POD_CIDR,
		[ORIGIN_ROLE_SERVICE] = ORIGIN_SERVICE_CIDR,
	};
	const struct discovered_set *found;
	time_t now = time(NULL);
	size_t count = 0, i, j;

	*routes = NULL;
	for (i = 0; i < ORIGIN_ROLE_COUNT; i++) {
		found = &o->discovered[i];
		if (settings[i]->source == CIDR_STATIC)
			add_list(routes, &count, &settings[i]->prefixes,
			    static_kinds[i], now);
		else if (settings[i]->source == CIDR_AUTO)
			add_list(routes, &count, &found->prefixes,
			    found->kind, found->confirmed);
	}
	add_list(routes, &count, &conf->advertise.prefixes, ORIGIN_STATIC,
	    now);
	/* A configured prefix was confirmed when it was first applied. */
	for (i = 0; i < count; i++)
		for (j = 0; j < o->count; j++)
			if (prefix_equal(&o->routes[j].prefix,
			    &(*routes)[i].prefix) &&
			    o->routes[j].kind == (*routes)[i].kind &&
			    (*routes)[i].kind <= ORIGIN_SERVICE_CIDR)
				(*routes)[i].confirmed = o->routes[j].confirmed;
	return count;
}

/*
 * Rebuilds the set from conf and the discovered sets, touching the RIB
 * only for what changed; returns true if the prefixes changed.
 */
static bool
originate_rebuild(struct originate *o, const struct config *conf)
{
	struct originated_route *routes;
	struct attr *attr = originate_attr(conf);
	size_t count = originate_wanted(o, conf, &routes), i;
	bool attr_changed = attr != o->attr, changed = count != o->count;

	for (i = 0; i < o->count; i++)
		if (!contains(routes, count, &o->routes[i].prefix)) {
			rib_withdraw(o->rib, &o->source, &o->routes[i].prefix);
			changed = true;
		}
	for (i = 0; i < count; i++)
		if (attr_changed || !contains(o->routes, o->count,
		    &routes[i].prefix))
			rib_update(o->rib, &o->source, &routes[i].prefix, attr,
			    0);
	if (o->attr != NULL)
		attr_unref(o->attr);
	o->attr = attr;
	free(o->routes);
	o->routes = routes;
	o->count = count;
	free(o->prefixes.items);
	o->prefixes.items = xreallocarray(NULL, count ? count : 1,
	    sizeof(struct prefix));
	for (i = 0; i < count; i++)
		o->prefixes.items[i] = routes[i].prefix;
	o->prefixes.count = count;
	return changed;
}

void
originate_apply(struct originate *o, const struct config *conf)
{
	o->conf = conf;
	originate_rebuild(o, conf);
}

bool
originate_set_discovered(struct originate *o, enum origin_role role,
    enum origin_kind kind, const struct prefix *prefixes, size_t count,
    time_t confirmed)
{
	struct discovered_set *set = &o->discovered[role];
	size_t i;

	set->prefixes.items = xreallocarray(set->prefixes.items,
	    count ? count : 1, sizeof(struct prefix));
	for (i = 0; i < count; i++)
		set->prefixes.items[i] = prefixes[i];
	set->prefixes.count = count;
	set->kind = kind;
	set->confirmed = confirmed;
	if (o->conf == NULL)
		return false;
	return originate_rebuild(o, o->conf);
}

const struct prefix_list *
originate_prefixes(const struct originate *o)
{
	return &o->prefixes;
}

size_t
originate_routes(const struct originate *o,
    const struct originated_route **routes)
{
	*routes = o->routes;
	return o->count;
}

void
originate_free(struct originate *o)
{
	size_t i;

	if (o == NULL)
		return;
	rib_remove_source(o->rib, &o->source);
	if (o->attr != NULL)
		attr_unref(o->attr);
	free(o->routes);
	free(o->prefixes.items);
	for (i = 0; i < ORIGIN_ROLE_COUNT; i++)
		free(o->discovered[i].prefixes.items);
	free(o);
}
