/*
 * fib_msg.c - rtnetlink route messages (see fib_msg.h).
 *
 * Messages are built with libnl-3's message API (nlmsg_put, nla_put,
 * nla_nest_start) into one nl_msg that fib.c reuses for every route,
 * then copied into its batch buffer: no allocation per route.  The
 * attributes are those of rtnetlink(7): RTA_DST, RTA_TABLE (also for
 * tables below 256, which rtm_table could hold), RTA_PRIORITY (the
 * metric), and either RTA_GATEWAY/RTA_VIA plus RTA_OIF for one next
 * hop or RTA_MULTIPATH, a list of struct rtnexthop each followed by
 * its own RTA_GATEWAY or RTA_VIA, for several.  Parsing goes through
 * nlmsg_parse() with a policy, so every attribute length is checked
 * before it is read.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "fib_msg.h"

/* RTA_VIA: a family (2 bytes) and the address. */
#define VIA_SIZE(length)	(sizeof(struct rtvia) + (length))

static int
address_family(int family)
{
	return family == FAMILY_IPV6 ? AF_INET6 : AF_INET;
}

static size_t
address_length(int family)
{
	return family_bits(family) / 8;
}

size_t
fib_msg_size(size_t count)
{
	/* Header, rtmsg, four fixed attributes, then per hop an
	 * rtnexthop and an RTA_VIA of an IPv6 address (the largest). */
	return NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg)) +
	    4 * NLA_HDRLEN + 16 + 4 + 4 + 4 + NLA_HDRLEN +
	    (count + 1) * (NLA_ALIGN(sizeof(struct rtnexthop)) +
	    NLA_HDRLEN + NLA_ALIGN(VIA_SIZE(16)) + NLA_HDRLEN + 4) + 64;
}

/* Starts msg afresh: the same nl_msg serves every route. */
static struct rtmsg *
put_header(struct nl_msg *msg, int type, int flags, uint32_t seq,
    const struct fib_route_key *key, const struct prefix *prefix)
{
	struct rtmsg rtm;

	/* nlmsg_put() writes the header but appends after nlmsg_len:
	 * resetting the length empties the message. */
	nlmsg_hdr(msg)->nlmsg_len = NLMSG_HDRLEN;
	if (nlmsg_put(msg, 0, seq, type, 0, flags) == NULL)
		return NULL;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (unsigned char)address_family(prefix->family);
	rtm.rtm_dst_len = prefix->length;
	rtm.rtm_table = key->table < 256 ? (unsigned char)key->table :
	    RT_TABLE_UNSPEC;
	rtm.rtm_protocol = key->protocol;
	if (nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0)
		return NULL;
	if (nla_put(msg, RTA_DST, (int)address_length(prefix->family),
	    prefix->bytes) < 0 ||
	    nla_put_u32(msg, RTA_TABLE, key->table) < 0)
		return NULL;
	return nlmsg_data(nlmsg_hdr(msg));
}

/* RTA_GATEWAY when the gateway has the route's family, else RTA_VIA. */
static int
put_gateway(struct nl_msg *msg, const struct prefix *prefix,
    const struct ip_addr *gateway)
{
	uint8_t via[VIA_SIZE(16)];
	struct rtvia *v = (struct rtvia *)(void *)via;
	size_t length = address_length(gateway->family);

	if (gateway->family == prefix->family)
		return nla_put(msg, RTA_GATEWAY, (int)length, gateway->bytes);
	v->rtvia_family = (__kernel_sa_family_t)address_family(
	    gateway->family);
	memcpy(v->rtvia_addr, gateway->bytes, length);
	return nla_put(msg, RTA_VIA, (int)VIA_SIZE(length), via);
}

static int
put_multipath(struct nl_msg *msg, const struct prefix *prefix,
    const struct nexthop *hops, size_t count)
{
	struct nlattr *nest = nla_nest_start(msg, RTA_MULTIPATH);
	struct rtnexthop *rtnh;
	size_t i;

	if (nest == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		rtnh = nlmsg_reserve(msg, sizeof(*rtnh), NLA_ALIGNTO);
		if (rtnh == NULL)
			return -1;
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_ifindex = hops[i].ifindex;
		if (put_gateway(msg, prefix, &hops[i].gateway) < 0)
			return -1;
		rtnh->rtnh_len = (unsigned short)((char *)nlmsg_tail(
		    nlmsg_hdr(msg)) - (char *)rtnh);
	}
	return nla_nest_end(msg, nest) < 0 ? -1 : 0;
}

int
fib_msg_route(struct nl_msg *msg, uint32_t seq,
    const struct fib_route_key *key, const struct prefix *prefix,
    const struct nexthop *hops, size_t count)
{
	struct rtmsg *rtm;

	if (count == 0)
		return fib_msg_delete_metric(msg, seq, key, prefix,
		    key->metric);
	rtm = put_header(msg, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_CREATE |
	    NLM_F_REPLACE, seq, key, prefix);
	if (rtm == NULL)
		return -1;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (nla_put_u32(msg, RTA_PRIORITY, key->metric) < 0)
		return -1;
	if (count > 1)
		return put_multipath(msg, prefix, hops, count);
	if (put_gateway(msg, prefix, &hops[0].gateway) < 0 ||
	    nla_put_u32(msg, RTA_OIF, (uint32_t)hops[0].ifindex) < 0)
		return -1;
	return 0;
}

int
fib_msg_delete_metric(struct nl_msg *msg, uint32_t seq,
    const struct fib_route_key *key, const struct prefix *prefix,
    uint32_t metric)
{
	struct rtmsg *rtm = put_header(msg, RTM_DELROUTE, NLM_F_REQUEST, seq,
	    key, prefix);

	if (rtm == NULL)
		return -1;
	/* As ip-route(8) does: any scope, any type, but our protocol
	 * (set by put_header) and metric must match. */
	rtm->rtm_scope = RT_SCOPE_NOWHERE;
	rtm->rtm_type = RTN_UNSPEC;
	return nla_put_u32(msg, RTA_PRIORITY, metric) < 0 ? -1 : 0;
}

static struct nla_policy route_policy[RTA_MAX + 1] = {
	[RTA_TABLE] = { .type = NLA_U32 },
	[RTA_PRIORITY] = { .type = NLA_U32 },
};

int
fib_msg_parse_route(struct nlmsghdr *h, struct kernel_route *out)
{
	static const uint8_t zero[16];
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	int family;
	size_t length;

	if ((h->nlmsg_type != RTM_NEWROUTE && h->nlmsg_type != RTM_DELROUTE) ||
	    !nlmsg_valid_hdr(h, sizeof(*rtm)) ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, route_policy) < 0)
		return -1;
	rtm = nlmsg_data(h);
	if (rtm->rtm_family == AF_INET)
		family = FAMILY_IPV4;
	else if (rtm->rtm_family == AF_INET6)
		family = FAMILY_IPV6;
	else
		return -1;
	length = address_length(family);
	if (rtm->rtm_dst_len > family_bits(family) || (tb[RTA_DST] != NULL &&
	    (size_t)nla_len(tb[RTA_DST]) != length))
		return -1;
	memset(out, 0, sizeof(*out));
	prefix_set(&out->prefix, family, rtm->rtm_dst_len, tb[RTA_DST] ?
	    nla_data(tb[RTA_DST]) : zero);
	out->table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	out->metric = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	out->protocol = rtm->rtm_protocol;
	out->tos = rtm->rtm_tos;
	out->type = rtm->rtm_type;
	out->deleted = h->nlmsg_type == RTM_DELROUTE;
	out->sender = h->nlmsg_pid;
	return 0;
}
