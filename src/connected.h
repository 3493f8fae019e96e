/*
 * connected.h - interfaces, their addresses, and next-hop resolution.
 *
 * netmon.c keeps one struct connected up to date from rtnetlink (links
 * and addresses); nothing here touches a socket, so the unit tests
 * build the tables by hand.  Two questions are answered from it:
 *
 *  - which networks are connected to this node: import policy refuses
 *    a received prefix overlapping one of them (SPEC §4), and the
 *    network of a BGP session is the connected network holding the
 *    session's local address;
 *  - whether a BGP next hop can be installed (RFC 4271 §5.1.3, §9.1.2:
 *    a route whose NEXT_HOP cannot be resolved is not used): it must
 *    lie in the network of an address on an interface that is up, and
 *    an IPv6 link-local next hop is reachable only through the
 *    interface of the session that brought it (RFC 2545 §3).
 */
#ifndef FLATBGP_CONNECTED_H
#define FLATBGP_CONNECTED_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "prefix.h"

struct connected_link {
	int		 ifindex;
	bool		 up;		/* IFF_UP and IFF_RUNNING */
	char		 name[IF_NAMESIZE];
};

struct connected_address {
	int		 ifindex;
	struct ip_addr	 local;		/* IFA_LOCAL: our own address */
	struct prefix	 network;	/* IFA_ADDRESS/length: on-link */
};

struct connected {
	struct connected_link	 *links;
	size_t			  link_count, link_alloc;
	struct connected_address *addresses;
	size_t			  address_count, address_alloc;
	/* The networks of every address (any link state), deduplicated. */
	struct prefix_list	  networks;
	size_t			  network_alloc;
};

/* Where the kernel must send a packet: gateway and outgoing interface. */
struct nexthop {
	struct ip_addr	 gateway;
	int		 ifindex;
};

void connected_init(struct connected *c);
/* Frees the tables; c may be initialized again. */
void connected_clear(struct connected *c);
/* Makes dst an independent copy of src (dst initialized). */
void connected_copy(struct connected *dst, const struct connected *src);

/* Each returns true if the tables changed. */
bool connected_set_link(struct connected *c, int ifindex, bool up,
    const char *name);
/* Forgets the link and every address on it. */
bool connected_remove_link(struct connected *c, int ifindex);
bool connected_add_address(struct connected *c, int ifindex,
    const struct ip_addr *local, const struct prefix *network);
bool connected_remove_address(struct connected *c, int ifindex,
    const struct ip_addr *local, const struct prefix *network);

/* The connected networks (for import policy); valid until a change. */
const struct prefix_list *connected_networks(const struct connected *c);
/* True if a is an address of this node. */
bool connected_is_local(const struct connected *c, const struct ip_addr *a);
/*
 * The longest connected network holding a, on any link: 0 with *out
 * set, or -1.  (The "network of the session" of policy.h.)
 */
int connected_network_of(const struct connected *c, const struct ip_addr *a,
    struct prefix *out);
/*
 * The interface whose connected network holds a (longest match, link
 * up or not), or 0 if none: the interface of a session to peer a.
 */
int connected_interface_of(const struct connected *c,
    const struct ip_addr *a);
/*
 * Resolves a next hop.  A global gateway needs the longest connected
 * network holding it to be on an interface that is up; an IPv6
 * link-local gateway needs session_ifindex (> 0) to be up.  The
 * unspecified address and our own addresses never resolve.  Returns 0
 * with *out filled, or -1.
 */
int connected_resolve(const struct connected *c,
    const struct ip_addr *gateway, int session_ifindex, struct nexthop *out);
/* The interface's name, or NULL if unknown. */
const char *connected_link_name(const struct connected *c, int ifindex);

#endif /* FLATBGP_CONNECTED_H */
