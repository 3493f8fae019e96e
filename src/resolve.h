/*
 * resolve.h - neighbors given by host name, and the daemon's resolver.
 *
 * `address: cluster2-worker` names a neighbor whose address DNS knows
 * (in kind, Docker's embedded DNS).  The name is resolved with evdns,
 * never blocking the event loop, at start, after a reload and then
 * every discovery interval; when the answer no longer holds the
 * address in use, the session moves to the new address.  The same
 * evdns base serves the Kubernetes API client.
 *
 * FLATBGP_RESOLV_CONF=FILE in the environment makes evdns read its
 * nameservers and options from FILE (resolv.conf format) instead of
 * /etc/resolv.conf: for tests, and for containers whose resolv.conf
 * is not the one to use.
 */
#ifndef FLATBGP_RESOLVE_H
#define FLATBGP_RESOLVE_H

#include <stddef.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "prefix.h"

struct daemon;
struct resolver;

/*
 * The daemon's evdns base (FLATBGP_RESOLV_CONF or /etc/resolv.conf,
 * and /etc/hosts).  Returns NULL with a reason in error when the file
 * named by FLATBGP_RESOLV_CONF cannot be used; a missing or empty
 * /etc/resolv.conf is not an error (evdns then asks 127.0.0.1).
 */
struct evdns_base *resolve_dns_create(struct event_base *base, char *error,
    size_t error_size);

/* Resolves the host-name neighbors of d (d->dns must be set). */
struct resolver *resolver_create(struct daemon *d);
/* Cancels pending lookups and frees; no callback runs afterwards. */
void resolver_free(struct resolver *r);
/* Looks up every host-name peer now (at start, after a reload). */
void resolver_refresh(struct resolver *r);

/*
 * Pure: which of the count addresses an answer holds to use, given the
 * one in use (FAMILY_NONE if none).  The current address as long as
 * the answer still holds it (round-robin order must not move a
 * session), else the first IPv4 address, else the first IPv6 one.
 * Returns 0 with out set, or -1 when count is 0.
 */
int resolve_pick(const struct ip_addr *candidates, size_t count,
    const struct ip_addr *current, struct ip_addr *out);

#endif /* FLATBGP_RESOLVE_H */
