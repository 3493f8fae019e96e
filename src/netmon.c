/*
 * netmon.c - rtnetlink notifications and dumps (libnl-3), see netmon.h.
 *
 * Two libnl sockets: "events" joins the multicast groups and is read
 * from the event loop; "dumps" sends dump requests and reads their
 * replies synchronously (at start, at shutdown, after an overflow:
 * rare, and bounded by the size of the table).  Messages are read with
 * nl_recv() and walked with nlmsg_ok()/nlmsg_next() rather than
 * through nl_recvmsgs(), which copies every message into a new nl_msg:
 * at 100,000 routes that would be 100,000 allocations for nothing.
 * Attributes are read with nlmsg_parse() and a policy.
 *
 * Link and address changes come in bursts (an interface going down
 * drops its addresses and routes one message at a time), so they are
 * reported to the daemon once, NOTIFY_DELAY_MS after the first one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/filter.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "log.h"
#include "netmon.h"

#define EVENTS_RCVBUF		(16 * 1024 * 1024)
#define MSG_BUF_SIZE		(32 * 1024)	/* the kernel's dump chunk */
#define READ_BUDGET		512	/* datagrams per callback */
#define NOTIFY_DELAY_MS		100
#define DUMP_ATTEMPTS		3

struct netmon {
	struct event_base	*base;
	struct nl_sock		*events;
	struct nl_sock		*dumps;
	struct event		*read_event;
	struct event		*notify_timer;
	unsigned		 pending;	/* NETMON_* not yet reported */
	struct connected	 connected;
	netmon_connected_cb	*connected_cb;
	void			*connected_arg;
	bool			 watching;	/* routes of table */
	uint32_t		 table;
	netmon_route_cb		*route_cb;
	netmon_resync_cb	*resync_cb;
	void			*route_arg;
	struct netmon_stats	 stats;
};

/* Called for every message of a dump; arg is the dump's own. */
typedef void dump_handler(struct netmon *nm, struct nlmsghdr *h, void *arg);

static void netmon_read_cb(evutil_socket_t fd, short what, void *arg);
static void netmon_notify_cb(evutil_socket_t fd, short what, void *arg);

static struct nl_sock *
open_socket(char *error, size_t error_size)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (sk == NULL)
		fatalx_oom();
	nl_socket_disable_seq_check(sk);
	nl_socket_disable_auto_ack(sk);
	if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0) {
		snprintf(error, error_size, "rtnetlink socket: %s",
		    nl_geterror(err));
		nl_socket_free(sk);
		return NULL;
	}
	/* One read takes a whole dump chunk; no MSG_PEEK round trip. */
	nl_socket_set_msg_buf_size(sk, MSG_BUF_SIZE);
	nl_socket_disable_msg_peek(sk);
	return sk;
}

/* A big receive buffer: bursts of route changes must not overflow it. */
static void
set_receive_buffer(struct nl_sock *sk, int size)
{
	int fd = nl_socket_get_fd(sk);

	/* SO_RCVBUFFORCE passes net.core.rmem_max (needs CAP_NET_ADMIN,
	 * which a daemon installing routes has anyway). */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == -1)
		nl_socket_set_buffer_size(sk, size, 0);
}

/* ---- links and addresses ---------------------------------------- */

static struct nla_policy link_policy[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = { .type = NLA_STRING, .maxlen = IF_NAMESIZE },
};

static unsigned
handle_link(struct connected *c, struct nlmsghdr *h)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	char name[IF_NAMESIZE] = "";
	bool up;

	if (!nlmsg_valid_hdr(h, sizeof(*ifi)) || nlmsg_parse(h,
	    sizeof(*ifi), tb, IFLA_MAX, link_policy) < 0)
		return 0;
	ifi = nlmsg_data(h);
	if (h->nlmsg_type == RTM_DELLINK)
		return connected_remove_link(c, ifi->ifi_index) ?
		    NETMON_ADDRESSES | NETMON_LINKS : 0;
	if (tb[IFLA_IFNAME] != NULL)
		nla_strlcpy(name, tb[IFLA_IFNAME], sizeof(name));
	/* Up and with carrier: a next hop behind it is reachable. */
	up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	return connected_set_link(c, ifi->ifi_index, up, name) ?
	    NETMON_LINKS : 0;
}

static struct nla_policy address_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { .minlen = 4 },
	[IFA_LOCAL] = { .minlen = 4 },
};

/* An address attribute of the family as an ip_addr; -1 if absent/bad. */
static int
attr_address(const struct nlattr *a, int family, struct ip_addr *out)
{
	size_t length = family_bits(family) / 8;

	if (a == NULL || (size_t)nla_len(a) != length)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	memcpy(out->bytes, nla_data(a), length);
	return 0;
}

static unsigned
handle_address(struct connected *c, struct nlmsghdr *h)
{
	struct nlattr *tb[IFA_MAX + 1];
	struct ifaddrmsg *ifa;
	struct ip_addr local, peer;
	struct prefix network;
	int family;
	bool changed;

	if (!nlmsg_valid_hdr(h, sizeof(*ifa)) || nlmsg_parse(h,
	    sizeof(*ifa), tb, IFA_MAX, address_policy) < 0)
		return 0;
	ifa = nlmsg_data(h);
	family = ifa->ifa_family == AF_INET ? FAMILY_IPV4 :
	    ifa->ifa_family == AF_INET6 ? FAMILY_IPV6 : FAMILY_NONE;
	if (family == FAMILY_NONE || ifa->ifa_prefixlen > family_bits(family))
		return 0;
	/* IFA_LOCAL is ours; IFA_ADDRESS the on-link (or point-to-point
	 * peer) address the prefix length applies to.  IPv6 sends only
	 * IFA_ADDRESS. */
	if (attr_address(tb[IFA_LOCAL], family, &local) == -1 &&
	    attr_address(tb[IFA_ADDRESS], family, &local) == -1)
		return 0;
	if (attr_address(tb[IFA_ADDRESS], family, &peer) == -1)
		peer = local;
	prefix_set(&network, family, ifa->ifa_prefixlen, peer.bytes);
	if (h->nlmsg_type == RTM_DELADDR)
		changed = connected_remove_address(c, (int)ifa->ifa_index,
		    &local, &network);
	else
		changed = connected_add_address(c, (int)ifa->ifa_index,
		    &local, &network);
	return changed ? NETMON_ADDRESSES : 0;
}

/* ---- routes ------------------------------------------------------- */

static void
handle_route(struct netmon *nm, struct nlmsghdr *h, bool from_dump,
    netmon_route_cb *cb, void *arg)
{
	struct kernel_route r;

	if (fib_msg_parse_route(h, &r) == -1 || r.table != nm->table)
		return;
	cb(arg, &r, from_dump);
}

/* ---- dumps -------------------------------------------------------- */

/* Sends a dump request for type and family (table for routes). */
static int
dump_request(struct netmon *nm, int type, int family, uint32_t table,
    uint32_t *seq)
{
	struct nl_msg *msg = nlmsg_alloc_simple(type, NLM_F_DUMP);
	union {
		struct ifinfomsg link;
		struct ifaddrmsg address;
		struct rtmsg route;
	} header;
	size_t size = type == RTM_GETLINK ? sizeof(header.link) :
	    type == RTM_GETADDR ? sizeof(header.address) :
	    sizeof(header.route);
	int err;

	if (msg == NULL)
		fatalx_oom();
	memset(&header, 0, sizeof(header));
	/* The family is the first byte of all three headers. */
	header.route.rtm_family = (unsigned char)family;
	err = nlmsg_append(msg, &header, size, NLMSG_ALIGNTO);
	/* With NETLINK_GET_STRICT_CHK the kernel sends only this table. */
	if (err >= 0 && type == RTM_GETROUTE)
		err = nla_put_u32(msg, RTA_TABLE, table);
	if (err >= 0)
		err = nl_send_auto(nm->dumps, msg);
	*seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (err < 0) {
		log_warn("netlink: dump request: %s", nl_geterror(err));
		return -1;
	}
	return 0;
}

/*
 * Reads the replies of one dump into handler.  Returns 0, 1 if the
 * kernel flagged the dump as interrupted by a change (NLM_F_DUMP_INTR:
 * worth repeating), -1 on error.
 */
static int
dump_read(struct netmon *nm, uint32_t seq, dump_handler *handler, void *arg)
{
	struct sockaddr_nl peer;
	unsigned char *buf;
	struct nlmsghdr *h;
	int n, result = 0;

	for (;;) {
		n = nl_recv(nm->dumps, &peer, &buf, NULL);
		if (n <= 0) {
			log_warn("netlink: reading a dump: %s",
			    n == 0 ? "end of file" : nl_geterror(n));
			return -1;
		}
		for (h = (struct nlmsghdr *)(void *)buf; nlmsg_ok(h, n);
		    h = nlmsg_next(h, &n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				result = 1;
			if (h->nlmsg_type == NLMSG_DONE) {
				free(buf);
				return result;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				free(buf);
				return -1;
			}
			handler(nm, h, arg);
		}
		free(buf);
	}
}

static int
dump(struct netmon *nm, int type, int family, uint32_t table,
    dump_handler *handler, void *arg)
{
	uint32_t seq;
	int attempt, result = -1;

	nm->stats.dumps++;
	for (attempt = 0; attempt < DUMP_ATTEMPTS; attempt++) {
		if (dump_request(nm, type, family, table, &seq) == -1)
			return -1;
		result = dump_read(nm, seq, handler, arg);
		if (result != 1)
			break;
	}
	return result == -1 ? -1 : 0;
}

static void
dump_connected_cb(struct netmon *nm, struct nlmsghdr *h, void *arg)
{
	struct connected *c = arg;

	if (h->nlmsg_type == RTM_NEWLINK)
		handle_link(c, h);
	else if (h->nlmsg_type == RTM_NEWADDR)
		handle_address(c, h);
}

/* Links first, so that addresses find their link's state. */
static int
dump_connected(struct netmon *nm, struct connected *c)
{
	if (dump(nm, RTM_GETLINK, AF_UNSPEC, 0, dump_connected_cb, c) == -1 ||
	    dump(nm, RTM_GETADDR, AF_UNSPEC, 0, dump_connected_cb, c) == -1)
		return -1;
	return 0;
}

struct route_dump {
	netmon_route_cb	*cb;
	void		*arg;
};

static void
dump_route_cb(struct netmon *nm, struct nlmsghdr *h, void *arg)
{
	struct route_dump *rd = arg;

	handle_route(nm, h, true, rd->cb, rd->arg);
}

int
netmon_dump_routes(struct netmon *nm, uint32_t table, netmon_route_cb *cb,
    void *arg)
{
	struct route_dump rd = { cb, arg };
	uint32_t watched = nm->table;
	int result = 0;

	nm->table = table;	/* handle_route filters on it */
	if (dump(nm, RTM_GETROUTE, AF_INET, table, dump_route_cb, &rd) ==
	    -1 || dump(nm, RTM_GETROUTE, AF_INET6, table, dump_route_cb,
	    &rd) == -1)
		result = -1;
	nm->table = watched;
	return result;
}

static void
resync_routes(struct netmon *nm, bool initial)
{
	nm->resync_cb(nm->route_arg, true, initial);
	if (netmon_dump_routes(nm, nm->table, nm->route_cb,
	    nm->route_arg) == -1)
		log_warn("netlink: dumping the routes of table %u failed",
		    nm->table);
	nm->resync_cb(nm->route_arg, false, initial);
}

/* ---- notifications ------------------------------------------------ */

static void
schedule_notify(struct netmon *nm, unsigned what)
{
	struct timeval tv = { 0, NOTIFY_DELAY_MS * 1000 };

	if (what == 0)
		return;
	nm->pending |= what;
	if (!evtimer_pending(nm->notify_timer, NULL))
		evtimer_add(nm->notify_timer, &tv);
}

static void
netmon_notify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct netmon *nm = arg;
	unsigned pending = nm->pending;

	nm->pending = 0;
	if (pending != 0 && nm->connected_cb != NULL)
		nm->connected_cb(nm->connected_arg, pending);
}

/*
 * The kernel dropped notifications (ENOBUFS): whatever we knew may be
 * wrong now.  Read everything again.
 */
static void
resync(struct netmon *nm)
{
	struct connected fresh;

	nm->stats.overruns++;
	log_warn("netlink: notification socket overrun; reading links, "
	    "addresses and routes again");
	connected_init(&fresh);
	if (dump_connected(nm, &fresh) == 0) {
		connected_clear(&nm->connected);
		nm->connected = fresh;
		schedule_notify(nm, NETMON_ADDRESSES | NETMON_LINKS);
	} else {
		connected_clear(&fresh);
	}
	if (nm->watching)
		resync_routes(nm, false);
}

static unsigned
dispatch(struct netmon *nm, struct nlmsghdr *h)
{
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return handle_link(&nm->connected, h);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return handle_address(&nm->connected, h);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		if (nm->watching)
			handle_route(nm, h, false, nm->route_cb,
			    nm->route_arg);
		return 0;
	default:
		return 0;
	}
}

static void
netmon_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct netmon *nm = arg;
	struct sockaddr_nl peer;
	unsigned char *buf;
	struct nlmsghdr *h;
	unsigned changes = 0;
	int n, i;

	for (i = 0; i < READ_BUDGET; i++) {
		n = nl_recv(nm->events, &peer, &buf, NULL);
		if (n == -NLE_NOMEM) {
			/* nl_recv() reports the socket's ENOBUFS so. */
			resync(nm);
			break;
		}
		if (n <= 0) {
			if (n < 0 && n != -NLE_AGAIN)
				log_warn("netlink: notification socket: %s",
				    nl_geterror(n));
			break;
		}
		/* Only the kernel speaks on these groups. */
		if (peer.nl_pid == 0)
			for (h = (struct nlmsghdr *)(void *)buf;
			    nlmsg_ok(h, n); h = nlmsg_next(h, &n)) {
				nm->stats.notifications++;
				changes |= dispatch(nm, h);
			}
		free(buf);
	}
	schedule_notify(nm, changes);
}

struct netmon *
netmon_create(struct event_base *base, netmon_connected_cb *cb, void *arg,
    char *error, size_t error_size)
{
	struct netmon *nm = xcalloc(1, sizeof(*nm));
	int err, one = 1;

	nm->base = base;
	nm->connected_cb = cb;
	nm->connected_arg = arg;
	connected_init(&nm->connected);
	nm->events = open_socket(error, error_size);
	nm->dumps = nm->events ? open_socket(error, error_size) : NULL;
	if (nm->dumps == NULL)
		goto fail;
	/* Filtered dumps (only our table) since Linux 4.20; older
	 * kernels send everything and handle_route() filters. */
	setsockopt(nl_socket_get_fd(nm->dumps), SOL_NETLINK,
	    NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	set_receive_buffer(nm->events, EVENTS_RCVBUF);
	if ((err = nl_socket_add_memberships(nm->events, RTNLGRP_LINK,
	    RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0)) < 0 ||
	    (err = nl_socket_set_nonblocking(nm->events)) < 0) {
		snprintf(error, error_size, "rtnetlink groups: %s",
		    nl_geterror(err));
		goto fail;
	}
	if (dump_connected(nm, &nm->connected) == -1) {
		snprintf(error, error_size, "cannot read the interfaces and "
		    "addresses from rtnetlink");
		goto fail;
	}
	nm->read_event = event_new(base, nl_socket_get_fd(nm->events),
	    EV_READ | EV_PERSIST, netmon_read_cb, nm);
	nm->notify_timer = evtimer_new(base, netmon_notify_cb, nm);
	if (nm->read_event == NULL || nm->notify_timer == NULL)
		fatalx_oom();
	event_add(nm->read_event, NULL);
	return nm;
fail:
	netmon_free(nm);
	return NULL;
}

void
netmon_free(struct netmon *nm)
{
	if (nm == NULL)
		return;
	if (nm->read_event != NULL)
		event_free(nm->read_event);
	if (nm->notify_timer != NULL)
		event_free(nm->notify_timer);
	if (nm->events != NULL)
		nl_socket_free(nm->events);
	if (nm->dumps != NULL)
		nl_socket_free(nm->dumps);
	connected_clear(&nm->connected);
	free(nm);
}

/* Drops notifications sent on behalf of port (classic BPF). */
static void
ignore_sender(struct netmon *nm, uint32_t port)
{
	struct sock_filter code[] = {
		/* A word load is big-endian; nlmsg_pid is host order. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct nlmsghdr, nlmsg_pid)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(port), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	};
	struct sock_fprog program = { sizeof(code) / sizeof(code[0]), code };

	if (setsockopt(nl_socket_get_fd(nm->events), SOL_SOCKET,
	    SO_ATTACH_FILTER, &program, sizeof(program)) == -1)
		log_warn("netlink: cannot filter our own notifications: %s "
		    "(they are read and ignored instead)", strerror(errno));
}

int
netmon_watch_routes(struct netmon *nm, uint32_t table, uint32_t ignore_port,
    netmon_route_cb *route_cb, netmon_resync_cb *resync_cb, void *arg,
    char *error, size_t error_size)
{
	int err;

	ignore_sender(nm, ignore_port);
	err = nl_socket_add_memberships(nm->events, RTNLGRP_IPV4_ROUTE,
	    RTNLGRP_IPV6_ROUTE, 0);
	if (err < 0) {
		snprintf(error, error_size, "rtnetlink route groups: %s",
		    nl_geterror(err));
		return -1;
	}
	nm->watching = true;
	nm->table = table;
	nm->route_cb = route_cb;
	nm->resync_cb = resync_cb;
	nm->route_arg = arg;
	/* Joined first: a change during the dump is not lost. */
	resync_routes(nm, true);
	return 0;
}

const struct connected *
netmon_connected(const struct netmon *nm)
{
	return &nm->connected;
}

void
netmon_get_stats(const struct netmon *nm, struct netmon_stats *stats)
{
	*stats = nm->stats;
}
