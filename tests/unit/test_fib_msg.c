/*
 * test_fib_msg.c - the FIB's rtnetlink route messages, read back.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "fib_msg.h"
#include "tap.h"

static const struct fib_route_key key = { 254, 20, 186 };

static struct prefix
pfx(const char *s)
{
	struct prefix p;

	if (prefix_parse(s, &p, false) != 0)
		abort();
	return p;
}

static struct nexthop
hop(const char *gateway, int ifindex)
{
	struct nexthop h;

	if (ip_addr_parse(gateway, &h.gateway) != 0)
		abort();
	h.ifindex = ifindex;
	return h;
}

static struct nlattr *tb[RTA_MAX + 1];

static struct rtmsg *
parse(struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (nlmsg_parse(h, sizeof(struct rtmsg), tb, RTA_MAX, NULL) < 0)
		return NULL;
	return nlmsg_data(h);
}

static void
test_single(struct nl_msg *msg)
{
	struct prefix p = pfx("10.99.102.0/24");
	struct nexthop h = hop("10.99.0.2", 7);
	struct rtmsg *rtm;
	struct kernel_route r;

	ok(fib_msg_route(msg, 41, &key, &p, &h, 1) == 0, "one next hop");
	rtm = parse(msg);
	ok(rtm != NULL, "parses");
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_NEWROUTE, "RTM_NEWROUTE");
	is_int(nlmsg_hdr(msg)->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE |
	    NLM_F_REPLACE, "create or replace atomically, no EXCL, no ACK");
	is_int(nlmsg_hdr(msg)->nlmsg_seq, 41, "sequence number");
	is_int(rtm->rtm_family, AF_INET, "AF_INET");
	is_int(rtm->rtm_dst_len, 24, "length");
	is_int(rtm->rtm_protocol, 186, "protocol bgp");
	is_int(rtm->rtm_type, RTN_UNICAST, "unicast");
	is_int(nla_get_u32(tb[RTA_TABLE]), 254, "RTA_TABLE");
	is_int(nla_get_u32(tb[RTA_PRIORITY]), 20, "metric");
	is_int(nla_get_u32(tb[RTA_OIF]), 7, "outgoing interface");
	ok(tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == 4 &&
	    memcmp(nla_data(tb[RTA_GATEWAY]), h.gateway.bytes, 4) == 0,
	    "gateway");
	ok(tb[RTA_MULTIPATH] == NULL, "no multipath for one hop");
	ok(fib_msg_parse_route(nlmsg_hdr(msg), &r) == 0 &&
	    prefix_equal(&r.prefix, &p) && r.table == 254 &&
	    r.metric == 20 && r.protocol == 186 && !r.deleted,
	    "the parser reads back what the builder wrote");
}

/* Walks RTA_MULTIPATH; returns the number of next hops, checks each. */
static int
multipath_hops(const struct nexthop *want, int family)
{
	struct rtnexthop *rtnh = nla_data(tb[RTA_MULTIPATH]);
	int left = nla_len(tb[RTA_MULTIPATH]), n = 0;
	struct nlattr *attrs[RTA_MAX + 1];
	size_t alen = family == AF_INET6 ? 16 : 4;

	while (left >= (int)sizeof(*rtnh) && rtnh->rtnh_len <= left) {
		if (nla_parse(attrs, RTA_MAX, (struct nlattr *)RTNH_DATA(rtnh),
		    rtnh->rtnh_len - (int)sizeof(*rtnh), NULL) < 0 ||
		    rtnh->rtnh_ifindex != want[n].ifindex ||
		    attrs[RTA_GATEWAY] == NULL ||
		    memcmp(nla_data(attrs[RTA_GATEWAY]), want[n].gateway.bytes,
		    alen) != 0)
			return -1;
		n++;
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
	return n;
}

static void
test_multipath(struct nl_msg *msg)
{
	struct prefix p = pfx("fd99:102::/64");
	struct nexthop h[3] = { hop("fd99::2", 2), hop("fd99::3", 2),
	    hop("fe80::1", 3) };
	struct rtmsg *rtm;

	ok(fib_msg_route(msg, 42, &key, &p, h, 3) == 0, "three next hops");
	rtm = parse(msg);
	ok(rtm != NULL && rtm->rtm_family == AF_INET6, "AF_INET6");
	ok(tb[RTA_MULTIPATH] != NULL, "RTA_MULTIPATH");
	ok(tb[RTA_GATEWAY] == NULL && tb[RTA_OIF] == NULL,
	    "no single gateway");
	is_int(multipath_hops(h, AF_INET6), 3, "each hop with its gateway");
	ok(nlmsg_hdr(msg)->nlmsg_len <= fib_msg_size(3), "size estimate holds");
}

static void
test_via(struct nl_msg *msg)
{
	struct prefix p = pfx("10.99.105.0/24");
	struct nexthop h = hop("fd99::5", 4);
	struct rtvia *via;

	ok(fib_msg_route(msg, 43, &key, &p, &h, 1) == 0,
	    "IPv4 route, IPv6 next hop (RFC 8950)");
	parse(msg);
	ok(tb[RTA_GATEWAY] == NULL && tb[RTA_VIA] != NULL, "RTA_VIA");
	via = nla_data(tb[RTA_VIA]);
	ok(via->rtvia_family == AF_INET6 &&
	    memcmp(via->rtvia_addr, h.gateway.bytes, 16) == 0,
	    "via inet6 fd99::5");
}

static void
test_delete(struct nl_msg *msg)
{
	struct prefix p = pfx("10.99.102.0/24");
	struct kernel_route r;
	struct rtmsg *rtm;

	ok(fib_msg_route(msg, 44, &key, &p, NULL, 0) == 0, "deletion");
	rtm = parse(msg);
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_DELROUTE, "RTM_DELROUTE");
	is_int(rtm->rtm_protocol, 186,
	    "matches our protocol only: never another owner's route");
	is_int(nla_get_u32(tb[RTA_PRIORITY]), 20, "and our metric");
	ok(tb[RTA_GATEWAY] == NULL && tb[RTA_MULTIPATH] == NULL,
	    "any next hop");
	ok(fib_msg_delete_metric(msg, 45, &key, &p, 1024) == 0 &&
	    parse(msg) && nla_get_u32(tb[RTA_PRIORITY]) == 1024,
	    "deletion with an earlier run's metric");
	ok(fib_msg_parse_route(nlmsg_hdr(msg), &r) == 0 && r.deleted,
	    "parsed as a deletion");
}

static void
test_big_table_and_errors(struct nl_msg *msg)
{
	struct fib_route_key big = { 100000, 7, 99 };
	struct prefix p = pfx("0.0.0.0/0");
	struct nexthop h = hop("10.0.0.1", 1);
	struct kernel_route r;
	struct rtmsg *rtm;

	ok(fib_msg_route(msg, 46, &big, &p, &h, 1) == 0, "table 100000");
	rtm = parse(msg);
	is_int(rtm->rtm_table, RT_TABLE_UNSPEC,
	    "rtm_table cannot hold it: RTA_TABLE only");
	ok(fib_msg_parse_route(nlmsg_hdr(msg), &r) == 0 &&
	    r.table == 100000 && r.prefix.length == 0,
	    "default route, table from RTA_TABLE");
	rtm->rtm_dst_len = 33;
	ok(fib_msg_parse_route(nlmsg_hdr(msg), &r) == -1,
	    "a /33 IPv4 route is refused");
	rtm->rtm_dst_len = 0;
	rtm->rtm_family = AF_BRIDGE;
	ok(fib_msg_parse_route(nlmsg_hdr(msg), &r) == -1,
	    "another family is skipped");
	nlmsg_hdr(msg)->nlmsg_type = RTM_NEWLINK;
	ok(fib_msg_parse_route(nlmsg_hdr(msg), &r) == -1,
	    "another message type is skipped");
}

int
main(void)
{
	struct nl_msg *msg = nlmsg_alloc_size(fib_msg_size(8));

	test_single(msg);
	test_multipath(msg);
	test_via(msg);
	test_delete(msg);
	test_big_table_and_errors(msg);
	nlmsg_free(msg);
	return tap_done();
}
