/*
 * test_connected.c - connected networks and next-hop resolution.
 */
#include <stdlib.h>
#include <string.h>

#include "connected.h"
#include "tap.h"

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;

	if (ip_addr_parse(s, &a) != 0)
		abort();
	return a;
}

static struct prefix
pfx(const char *s)
{
	struct prefix p;

	if (prefix_parse(s, &p, false) != 0)
		abort();
	return p;
}

static void
add(struct connected *c, int ifindex, const char *local, const char *net)
{
	struct ip_addr a = addr(local);
	struct prefix p = pfx(net);

	connected_add_address(c, ifindex, &a, &p);
}

/* The interface a next hop resolves to, 0 if it does not resolve. */
static int
resolve(const struct connected *c, const char *gateway, int session_ifindex)
{
	struct ip_addr g = addr(gateway);
	struct nexthop h;

	if (connected_resolve(c, &g, session_ifindex, &h) == -1)
		return 0;
	return ip_addr_equal(&h.gateway, &g) ? h.ifindex : -1;
}

static void
test_resolution(void)
{
	struct connected c;

	connected_init(&c);
	ok(connected_set_link(&c, 2, true, "eth0"), "new link is a change");
	ok(!connected_set_link(&c, 2, true, "eth0"), "same state: no change");
	connected_set_link(&c, 3, true, "eth1");
	connected_set_link(&c, 4, false, "eth2");
	add(&c, 2, "10.99.0.1", "10.99.0.0/24");
	add(&c, 3, "10.99.0.129", "10.99.0.128/25");
	add(&c, 4, "10.50.0.1", "10.50.0.0/16");
	add(&c, 2, "fd99::1", "fd99::/64");

	is_int(resolve(&c, "10.99.0.2", 0), 2, "next hop on eth0's network");
	is_int(resolve(&c, "10.99.0.200", 0), 3,
	    "longest connected network wins");
	is_int(resolve(&c, "10.50.0.9", 0), 0, "interface down: unresolved");
	is_int(resolve(&c, "192.0.2.1", 0), 0, "not connected: unresolved");
	is_int(resolve(&c, "10.99.0.1", 0), 0, "our own address: unresolved");
	is_int(resolve(&c, "0.0.0.0", 0), 0, "unspecified: unresolved");
	is_int(resolve(&c, "fd99::2", 0), 2, "IPv6 next hop on eth0");
	is_int(resolve(&c, "fe80::2", 3), 3,
	    "link-local: the session's interface");
	is_int(resolve(&c, "fe80::2", 0), 0,
	    "link-local without a session interface");
	is_int(resolve(&c, "fe80::2", 4), 0, "link-local, session link down");

	connected_set_link(&c, 4, true, "eth2");
	is_int(resolve(&c, "10.50.0.9", 0), 4, "interface up again");
	connected_set_link(&c, 3, false, "eth1");
	is_int(resolve(&c, "10.99.0.200", 0), 2,
	    "longest network down: the shorter one on an up link");
	connected_clear(&c);
}

static void
test_networks(void)
{
	struct connected c, copy;
	struct prefix n;
	struct ip_addr a;
	const struct prefix_list *list;

	connected_init(&c);
	connected_init(&copy);
	connected_set_link(&c, 2, true, "eth0");
	add(&c, 2, "10.99.0.1", "10.99.0.0/24");
	add(&c, 2, "10.99.0.9", "10.99.0.0/24");
	add(&c, 1, "10.99.201.1", "10.99.201.1/32");
	list = connected_networks(&c);
	is_int(list->count, 2, "two networks (duplicates merged)");
	a = addr("10.99.0.77");
	ok(connected_network_of(&c, &a, &n) == 0 &&
	    prefix_equal(&n, &(struct prefix){ 0 }) == false &&
	    n.length == 24, "network of a session address");
	is_int(connected_interface_of(&c, &a), 2, "interface of a peer");
	a = addr("192.0.2.1");
	ok(connected_network_of(&c, &a, &n) == -1, "no network for it");
	a = addr("10.99.201.1");
	ok(connected_is_local(&c, &a), "address on lo is local");

	connected_copy(&copy, &c);
	a = addr("10.99.0.1");
	n = pfx("10.99.0.0/24");
	ok(connected_remove_address(&c, 2, &a, &n), "address removed");
	ok(!connected_remove_address(&c, 2, &a, &n), "only once");
	is_int(connected_networks(&c)->count, 2, "network stays (10.99.0.9)");
	a = addr("10.99.0.9");
	connected_remove_address(&c, 2, &a, &n);
	is_int(connected_networks(&c)->count, 1, "network gone with it");
	is_int(connected_networks(&copy)->count, 2, "the copy is unchanged");
	ok(connected_remove_link(&copy, 2), "link removed");
	is_int(connected_networks(&copy)->count, 1,
	    "its addresses went with it");
	is_str(connected_link_name(&c, 2), "eth0", "link name");
	ok(connected_link_name(&c, 9) == NULL, "unknown link: no name");
	connected_clear(&c);
	connected_clear(&copy);
}

int
main(void)
{
	test_resolution();
	test_networks();
	return tap_done();
}
