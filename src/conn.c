/*
 * conn.c - listening and connecting TCP sockets for BGP, TCP-MD5 keys,
 * and the local addresses of a session.
 *
 * libevent's evconnlistener accepts; connects are plain non-blocking
 * sockets that session.c wraps in a bufferevent.  TCP-MD5 (RFC 2385)
 * uses the kernel's TCP_MD5SIG socket option: on the listening socket
 * one key per peer address (or prefix, TCP_MD5SIG_EXT), on an outgoing
 * socket the key of its peer, set before connect().
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/listener.h>

#include "conn.h"
#include "log.h"

struct conn_listener {
	struct evconnlistener	*listener;
	struct ip_addr		 address;
	uint16_t		 port;
	conn_accept_cb		*cb;
	void			*arg;
};

static void
listener_accept_cb(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct conn_listener *l = arg;
	struct ip_addr local, remote;
	uint16_t local_port, remote_port;

	if (conn_addresses(fd, &local, &local_port, &remote,
	    &remote_port) == -1) {
		close(fd);
		return;
	}
	l->cb(l->arg, fd, &remote, remote_port, &local, local_port);
}

struct conn_listener *
conn_listen(struct event_base *base, const struct ip_addr *addr,
    uint16_t port, conn_accept_cb *cb, void *arg, char *error,
    size_t error_size)
{
	struct conn_listener *l;
	struct sockaddr_storage ss;
	socklen_t sslen;
	char text[IP_ADDR_STRLEN];
	int fd, on = 1, off = 0;

	sslen = (socklen_t)ip_addr_to_sockaddr(addr, port, &ss);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/* "::" accepts IPv4 too (v4-mapped); a configured v6 address not. */
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    ip_addr_is_unspecified(addr) ? &off : &on, sizeof(int));
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1 ||
	    listen(fd, 64) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		goto fail;
	}
	l = xcalloc(1, sizeof(*l));
	l->address = *addr;
	l->port = port;
	l->cb = cb;
	l->arg = arg;
	l->listener = evconnlistener_new(base, listener_accept_cb, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (l->listener == NULL) {
		close(fd);
		free(l);
		snprintf(error, error_size, "cannot listen on [%s]:%u",
		    ip_addr_format(addr, text, sizeof(text)), port);
		return NULL;
	}
	return l;
fail:
	snprintf(error, error_size, "cannot listen on [%s]:%u: %s",
	    ip_addr_format(addr, text, sizeof(text)), port, strerror(errno));
	return NULL;
}

void
conn_listener_free(struct conn_listener *l)
{
	if (l == NULL)
		return;
	evconnlistener_free(l->listener);
	free(l);
}

const struct ip_addr *
conn_listener_address(const struct conn_listener *l)
{
	return &l->address;
}

uint16_t
conn_listener_port(const struct conn_listener *l)
{
	return l->port;
}

/*
 * Sets or clears the key for peer on fd.  A prefix shorter than a host
 * route needs TCP_MD5SIG_EXT (Linux 4.13).  An IPv4 peer on an IPv6
 * (dual-stack) socket is keyed by its v4-mapped address.
 */
static int
set_md5(int fd, const struct prefix *peer, const char *password)
{
	struct tcp_md5sig md5;
	struct ip_addr a;
	struct sockaddr_storage ss;
	struct sockaddr_storage own;
	socklen_t ownlen = sizeof(own);
	size_t keylen = password ? strlen(password) : 0;
	unsigned bits = family_bits(peer->family);
	int option = TCP_MD5SIG;

	if (keylen > TCP_MD5SIG_MAXKEYLEN) {
		errno = EINVAL;
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&own, &ownlen) == -1)
		return -1;
	memset(&md5, 0, sizeof(md5));
	a.family = peer->family;
	memcpy(a.bytes, peer->bytes, sizeof(a.bytes));
	ip_addr_to_sockaddr(&a, 0, &ss);
	if (own.ss_family == AF_INET6 && ss.ss_family == AF_INET) {
		struct sockaddr_in6 *sin6 = (void *)&md5.tcpm_addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr.s6_addr[10] = 0xff;
		sin6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6->sin6_addr.s6_addr[12], a.bytes, 4);
		if (peer->length < family_bits(peer->family)) {
			md5.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
			md5.tcpm_prefixlen = (uint8_t)(peer->length + 96);
			option = TCP_MD5SIG_EXT;
		}
	} else {
		memcpy(&md5.tcpm_addr, &ss, sizeof(ss));
		if (peer->length < bits) {
			md5.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
			md5.tcpm_prefixlen = peer->length;
			option = TCP_MD5SIG_EXT;
		}
	}
	md5.tcpm_keylen = (uint16_t)keylen;
	if (keylen)
		memcpy(md5.tcpm_key, password, keylen);
	return setsockopt(fd, IPPROTO_TCP, option, &md5, sizeof(md5));
}

int
conn_listener_set_md5(struct conn_listener *l, const struct prefix *peer,
    const char *password)
{
	int fd = evconnlistener_get_fd(l->listener);

	if (set_md5(fd, peer, password) == -1) {
		/* Removing a key that was never set is not an error. */
		if (password == NULL && errno == ENOENT)
			return 0;
		return -1;
	}
	return 0;
}

int
conn_socket(const struct ip_addr *remote, const char *password)
{
	struct prefix host;
	int fd, saved, on = 1;

	fd = socket(remote->family == FAMILY_IPV4 ? AF_INET : AF_INET6,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	if (password != NULL) {
		prefix_set(&host, remote->family, family_bits(remote->family),
		    remote->bytes);
		/* getsockname works on an unbound socket: family is known. */
		if (set_md5(fd, &host, password) == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
	}
	return fd;
}

int
conn_addresses(int fd, struct ip_addr *local, uint16_t *local_port,
    struct ip_addr *remote, uint16_t *remote_port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    ip_addr_from_sockaddr((struct sockaddr *)&ss, local,
	    local_port) == -1)
		return -1;
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    ip_addr_from_sockaddr((struct sockaddr *)&ss, remote,
	    remote_port) == -1)
		return -1;
	return 0;
}

/* Name of the interface that holds address a, or "" if none does. */
static void
interface_of(const struct ifaddrs *list, const struct ip_addr *a,
    char *name, size_t size)
{
	const struct ifaddrs *ifa;
	struct ip_addr candidate;

	name[0] = '\0';
	for (ifa = list; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || ip_addr_from_sockaddr(
		    ifa->ifa_addr, &candidate, NULL) == -1)
			continue;
		if (ip_addr_equal(&candidate, a)) {
			snprintf(name, size, "%s", ifa->ifa_name);
			return;
		}
	}
}

/* First address of family on interface name (link-local or global). */
static int
address_on(const struct ifaddrs *list, const char *name, int family,
    bool link_local, struct ip_addr *out)
{
	const struct ifaddrs *ifa;

	for (ifa = list; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || strcmp(ifa->ifa_name, name) != 0)
			continue;
		if (ip_addr_from_sockaddr(ifa->ifa_addr, out, NULL) == -1 ||
		    out->family != family)
			continue;
		if (family == FAMILY_IPV6 &&
		    ip_addr_is_link_local(out) != link_local)
			continue;
		return 0;
	}
	return -1;
}

void
conn_self_nexthops(int fd, struct bgp_nexthop *v4, struct bgp_nexthop *v6)
{
	struct ip_addr local, remote;
	uint16_t lport, rport;
	struct ifaddrs *list = NULL;
	char ifname[IF_NAMESIZE + 1];

	memset(v4, 0, sizeof(*v4));
	memset(v6, 0, sizeof(*v6));
	if (conn_addresses(fd, &local, &lport, &remote, &rport) == -1)
		return;
	if (getifaddrs(&list) == -1)
		list = NULL;
	interface_of(list, &local, ifname, sizeof(ifname));
	if (local.family == FAMILY_IPV4) {
		v4->global = local;
		if (ifname[0] == '\0' || address_on(list, ifname, FAMILY_IPV6,
		    false, &v6->global) == -1) {
			/* No IPv6 here: the IPv4-mapped form, as FRR sends. */
			v6->global.family = FAMILY_IPV6;
			memset(v6->global.bytes, 0, sizeof(v6->global.bytes));
			v6->global.bytes[10] = v6->global.bytes[11] = 0xff;
			memcpy(&v6->global.bytes[12], local.bytes, 4);
		}
	} else {
		if (ip_addr_is_link_local(&local))
			v6->link_local = local;
		else
			v6->global = local;
		if (ifname[0] != '\0')
			address_on(list, ifname, FAMILY_IPV4, false,
			    &v4->global);
	}
	if (ifname[0] != '\0' && v6->link_local.family == FAMILY_NONE)
		address_on(list, ifname, FAMILY_IPV6, true, &v6->link_local);
	if (v4->global.family == FAMILY_NONE)
		memset(v4, 0, sizeof(*v4));
	if (list != NULL)
		freeifaddrs(list);
}
