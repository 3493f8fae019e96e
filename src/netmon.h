/*
 * netmon.h - what the kernel says about links, addresses and routes.
 *
 * One rtnetlink socket (libnl-3) joins the multicast groups of links,
 * IPv4/IPv6 addresses and, once the FIB asks for it, IPv4/IPv6 routes;
 * a second one serves dumps.  Links and addresses feed a struct
 * connected (connected.h): import policy reads its networks, the FIB
 * resolves next hops with it.  Route notifications of one table go to
 * the FIB, which owns the decisions about them.
 *
 * The notification socket has a large receive buffer; if it overflows
 * anyway (ENOBUFS: the kernel dropped notifications) netmon dumps
 * links, addresses and routes again and reports the routes between
 * two resync callbacks, so the FIB can rebuild what it knows.
 */
#ifndef FLATBGP_NETMON_H
#define FLATBGP_NETMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "connected.h"
#include "fib_msg.h"

/* What changed, for netmon_connected_cb. */
#define NETMON_ADDRESSES	0x1	/* the connected networks */
#define NETMON_LINKS		0x2	/* only link states */

struct netmon;

/* Links or addresses changed (reported once per burst). */
typedef void netmon_connected_cb(void *arg, unsigned what);
/* A route of the watched table appeared, changed or went away. */
typedef void netmon_route_cb(void *arg, const struct kernel_route *route,
    bool from_dump);
/* A dump of the watched table starts (begin) or ends. */
typedef void netmon_resync_cb(void *arg, bool begin, bool initial);

/*
 * Opens the sockets and reads the links and addresses (a synchronous
 * dump: import policy needs them before the first UPDATE).  Returns
 * NULL with a message in error on failure.
 */
struct netmon *netmon_create(struct event_base *base,
    netmon_connected_cb *cb, void *arg, char *error, size_t error_size);
void netmon_free(struct netmon *nm);

/*
 * Starts following the routes of table: dumps them (resync callbacks
 * with initial true around the route callbacks), then reports every
 * notification.  Notifications whose sender is ignore_port (the FIB's
 * own request socket) are dropped by a socket filter in the kernel:
 * they only echo what the FIB already knows, and at 100,000 routes
 * they would be most of the traffic.  Returns 0, or -1 with a message.
 */
int netmon_watch_routes(struct netmon *nm, uint32_t table,
    uint32_t ignore_port, netmon_route_cb *route_cb,
    netmon_resync_cb *resync_cb, void *arg, char *error, size_t error_size);
/*
 * Dumps the routes of table now, calling cb for each (synchronous);
 * the FIB uses it to find its routes at shutdown.  Returns 0 or -1.
 */
int netmon_dump_routes(struct netmon *nm, uint32_t table,
    netmon_route_cb *cb, void *arg);

const struct connected *netmon_connected(const struct netmon *nm);

struct netmon_stats {
	uint64_t	 notifications;	/* messages read */
	uint64_t	 overruns;	/* ENOBUFS seen */
	uint64_t	 dumps;
};
void netmon_get_stats(const struct netmon *nm, struct netmon_stats *stats);

#endif /* FLATBGP_NETMON_H */
