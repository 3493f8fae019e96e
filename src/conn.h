/*
 * conn.h - TCP sockets for BGP sessions: listening, connecting, TCP-MD5.
 *
 * The only file that creates sockets for peers.  It hands connected
 * file descriptors to the session layer, which wraps them in
 * bufferevents; nothing here parses BGP.
 */
#ifndef FLATBGP_CONN_H
#define FLATBGP_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "bgp_msg.h"
#include "prefix.h"

struct conn_listener;

/* An accepted connection: fd is non-blocking and now owned by the callee. */
typedef void conn_accept_cb(void *arg, int fd, const struct ip_addr *remote,
    uint16_t remote_port, const struct ip_addr *local, uint16_t local_port);

/*
 * Listens on addr:port (IPv6 "::" is dual-stack).  Returns NULL with a
 * message in error on failure.
 */
struct conn_listener *conn_listen(struct event_base *base,
    const struct ip_addr *addr, uint16_t port, conn_accept_cb *cb, void *arg,
    char *error, size_t error_size);
void conn_listener_free(struct conn_listener *listener);
const struct ip_addr *conn_listener_address(const struct conn_listener *l);
uint16_t conn_listener_port(const struct conn_listener *l);

/*
 * Installs (password != NULL) or removes the RFC 2385 TCP-MD5 key for a
 * peer address or range on the listening socket.  Returns 0 or -1 with
 * errno set.
 */
int conn_listener_set_md5(struct conn_listener *l, const struct prefix *peer,
    const char *password);

/*
 * Returns a non-blocking TCP socket for a connection to remote, with the
 * TCP-MD5 key set if password is not NULL (it must be set before
 * connect), or -1 with errno set.  The caller connects it.
 */
int conn_socket(const struct ip_addr *remote, const char *password);

/* Local and remote address of a connected socket. */
int conn_addresses(int fd, struct ip_addr *local, uint16_t *local_port,
    struct ip_addr *remote, uint16_t *remote_port);

/*
 * Next hops this node can announce on the session of fd: the session's
 * own address for its family, and for the other family an address of
 * the same interface (IPv6: global plus link-local).  A missing IPv6
 * global on an IPv4 session falls back to the IPv4-mapped address.
 */
void conn_self_nexthops(int fd, struct bgp_nexthop *v4,
    struct bgp_nexthop *v6);

#endif /* FLATBGP_CONN_H */
