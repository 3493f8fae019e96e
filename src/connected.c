/*
 * connected.c - interfaces, their addresses, and next-hop resolution.
 *
 * A node has a handful of interfaces and addresses, so plain arrays
 * searched linearly are both the smallest and the fastest structure;
 * resolution runs once per path of every changed prefix and costs a
 * few dozen comparisons.  The list of connected networks is rebuilt on
 * every change of the addresses, so import policy gets a stable
 * struct prefix_list without copying.  See connected.h for the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connected.h"
#include "log.h"

void
connected_init(struct connected *c)
{
	memset(c, 0, sizeof(*c));
}

void
connected_clear(struct connected *c)
{
	free(c->links);
	free(c->addresses);
	free(c->networks.items);
	connected_init(c);
}

void
connected_copy(struct connected *dst, const struct connected *src)
{
	connected_clear(dst);
	if (src->link_count > 0) {
		dst->links = xreallocarray(NULL, src->link_count,
		    sizeof(*dst->links));
		memcpy(dst->links, src->links, src->link_count *
		    sizeof(*dst->links));
	}
	if (src->address_count > 0) {
		dst->addresses = xreallocarray(NULL, src->address_count,
		    sizeof(*dst->addresses));
		memcpy(dst->addresses, src->addresses, src->address_count *
		    sizeof(*dst->addresses));
	}
	if (src->networks.count > 0) {
		dst->networks.items = xreallocarray(NULL,
		    src->networks.count, sizeof(*dst->networks.items));
		memcpy(dst->networks.items, src->networks.items,
		    src->networks.count * sizeof(*dst->networks.items));
	}
	dst->link_count = dst->link_alloc = src->link_count;
	dst->address_count = dst->address_alloc = src->address_count;
	dst->networks.count = dst->network_alloc = src->networks.count;
}

static struct connected_link *
find_link(const struct connected *c, int ifindex)
{
	size_t i;

	for (i = 0; i < c->link_count; i++)
		if (c->links[i].ifindex == ifindex)
			return &c->links[i];
	return NULL;
}

static bool
link_up(const struct connected *c, int ifindex)
{
	const struct connected_link *l = find_link(c, ifindex);

	return l != NULL && l->up;
}

/* Rebuilds the deduplicated list of networks after an address change. */
static void
rebuild_networks(struct connected *c)
{
	size_t i, j;

	c->networks.count = 0;
	for (i = 0; i < c->address_count; i++) {
		const struct prefix *n = &c->addresses[i].network;

		for (j = 0; j < c->networks.count; j++)
			if (prefix_equal(&c->networks.items[j], n))
				break;
		if (j < c->networks.count)
			continue;
		if (c->networks.count == c->network_alloc) {
			c->network_alloc = c->network_alloc ?
			    c->network_alloc * 2 : 8;
			c->networks.items = xreallocarray(c->networks.items,
			    c->network_alloc, sizeof(*c->networks.items));
		}
		c->networks.items[c->networks.count++] = *n;
	}
}

bool
connected_set_link(struct connected *c, int ifindex, bool up,
    const char *name)
{
	struct connected_link *l = find_link(c, ifindex);

	if (l == NULL) {
		if (c->link_count == c->link_alloc) {
			c->link_alloc = c->link_alloc ? c->link_alloc * 2 : 8;
			c->links = xreallocarray(c->links, c->link_alloc,
			    sizeof(*c->links));
		}
		l = &c->links[c->link_count++];
		memset(l, 0, sizeof(*l));
		l->ifindex = ifindex;
		l->up = !up;	/* forces "changed" below */
	}
	if (name != NULL && strncmp(l->name, name, sizeof(l->name)) != 0)
		snprintf(l->name, sizeof(l->name), "%s", name);
	if (l->up == up)
		return false;
	l->up = up;
	return true;
}

bool
connected_remove_link(struct connected *c, int ifindex)
{
	struct connected_link *l = find_link(c, ifindex);
	bool changed = false;
	size_t i;

	if (l != NULL) {
		*l = c->links[--c->link_count];
		changed = true;
	}
	for (i = 0; i < c->address_count; ) {
		if (c->addresses[i].ifindex == ifindex) {
			c->addresses[i] = c->addresses[--c->address_count];
			changed = true;
		} else {
			i++;
		}
	}
	if (changed)
		rebuild_networks(c);
	return changed;
}

static struct connected_address *
find_address(const struct connected *c, int ifindex,
    const struct ip_addr *local, const struct prefix *network)
{
	size_t i;

	for (i = 0; i < c->address_count; i++) {
		struct connected_address *a = &c->addresses[i];

		if (a->ifindex == ifindex && ip_addr_equal(&a->local, local) &&
		    prefix_equal(&a->network, network))
			return a;
	}
	return NULL;
}

bool
connected_add_address(struct connected *c, int ifindex,
    const struct ip_addr *local, const struct prefix *network)
{
	struct connected_address *a;

	if (find_address(c, ifindex, local, network) != NULL)
		return false;
	if (c->address_count == c->address_alloc) {
		c->address_alloc = c->address_alloc ? c->address_alloc * 2 : 8;
		c->addresses = xreallocarray(c->addresses, c->address_alloc,
		    sizeof(*c->addresses));
	}
	a = &c->addresses[c->address_count++];
	a->ifindex = ifindex;
	a->local = *local;
	a->network = *network;
	rebuild_networks(c);
	return true;
}

bool
connected_remove_address(struct connected *c, int ifindex,
    const struct ip_addr *local, const struct prefix *network)
{
	struct connected_address *a = find_address(c, ifindex, local,
	    network);

	if (a == NULL)
		return false;
	*a = c->addresses[--c->address_count];
	rebuild_networks(c);
	return true;
}

const struct prefix_list *
connected_networks(const struct connected *c)
{
	return &c->networks;
}

bool
connected_is_local(const struct connected *c, const struct ip_addr *a)
{
	size_t i;

	for (i = 0; i < c->address_count; i++)
		if (ip_addr_equal(&c->addresses[i].local, a))
			return true;
	return false;
}

/*
 * The address whose network holds a, longest network first, lowest
 * interface index on a tie (deterministic whatever the dump order);
 * only on links that are up if up_only.  NULL if none.
 */
static const struct connected_address *
longest_match(const struct connected *c, const struct ip_addr *a,
    bool up_only)
{
	const struct connected_address *best = NULL;
	size_t i;

	for (i = 0; i < c->address_count; i++) {
		const struct connected_address *x = &c->addresses[i];

		if (!prefix_contains_addr(&x->network, a) ||
		    (up_only && !link_up(c, x->ifindex)))
			continue;
		if (best == NULL || x->network.length > best->network.length ||
		    (x->network.length == best->network.length &&
		    x->ifindex < best->ifindex))
			best = x;
	}
	return best;
}

int
connected_network_of(const struct connected *c, const struct ip_addr *a,
    struct prefix *out)
{
	const struct connected_address *x = longest_match(c, a, false);

	if (x == NULL)
		return -1;
	*out = x->network;
	return 0;
}

int
connected_interface_of(const struct connected *c, const struct ip_addr *a)
{
	const struct connected_address *x = longest_match(c, a, false);

	return x != NULL ? x->ifindex : 0;
}

int
connected_resolve(const struct connected *c, const struct ip_addr *gateway,
    int session_ifindex, struct nexthop *out)
{
	const struct connected_address *x;

	if (gateway->family == FAMILY_NONE ||
	    ip_addr_is_unspecified(gateway) || connected_is_local(c, gateway))
		return -1;
	if (gateway->family == FAMILY_IPV6 &&
	    ip_addr_is_link_local(gateway)) {
		/* RFC 2545 §3: only meaningful on the session's link. */
		if (session_ifindex <= 0 || !link_up(c, session_ifindex))
			return -1;
		out->gateway = *gateway;
		out->ifindex = session_ifindex;
		return 0;
	}
	x = longest_match(c, gateway, true);
	if (x == NULL)
		return -1;
	out->gateway = *gateway;
	out->ifindex = x->ifindex;
	return 0;
}

const char *
connected_link_name(const struct connected *c, int ifindex)
{
	const struct connected_link *l = find_link(c, ifindex);

	return l != NULL && l->name[0] != '\0' ? l->name : NULL;
}
