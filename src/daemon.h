/*
 * daemon.h - the running daemon: configuration, event loop, RIB, peers.
 *
 * One struct daemon per process.  daemon.c applies a configuration
 * (at start and on reload, as a diff against the running one), owns the
 * listening sockets, routes inbound connections to peers, and creates
 * dynamic peers.  Modules reach shared state through this struct rather
 * than through globals.
 */
#ifndef FLATBGP_DAEMON_H
#define FLATBGP_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "config.h"
#include "peer.h"
#include "rib.h"

struct conn_listener;
struct control;
struct discover;
struct evdns_base;
struct fib;
struct netmon;
struct originate;
struct resolver;

#define DAEMON_MAX_LISTENERS	16

struct daemon {
	struct event_base	*base;
	struct config		*conf;
	char			*config_path;
	char			*socket_override;	/* -s, kept on reload */
	uint32_t		 router_id;	/* effective, host order */
	struct rib		*rib;
	struct peer_list	 peers;
	struct conn_listener	*listeners[DAEMON_MAX_LISTENERS];
	size_t			 listener_count;
	struct control		*control;
	struct originate	*originate;
	struct netmon		*netmon;	/* links, addresses, routes */
	struct fib		*fib;		/* NULL if fib.install false */
	struct evdns_base	*dns;		/* host names, the API server */
	struct resolver		*resolver;	/* host-name neighbors */
	struct discover		*discover;	/* pod/service-cidr: auto */
	struct event		*retire_event;	/* rib_retire_step() */
	time_t			 started;
	uint32_t		 next_source_id;
	bool			 shutting_down;
};

struct daemon *daemon_create(struct event_base *base, struct config *conf,
    const char *config_path, char *error, size_t error_size);
/* Stops every peer with Cease Administrative Shutdown, then frees. */
void daemon_shutdown(struct daemon *d);
void daemon_free(struct daemon *d);
/*
 * Reloads the configuration file: on errors keeps the running
 * configuration and writes them to errors (one line each); returns 0 or
 * -1.
 */
int daemon_reload(struct daemon *d, FILE *errors);
struct peer *daemon_find_peer(struct daemon *d, const struct ip_addr *a);
/* The peer of the neighbor configured with host name host, or NULL. */
struct peer *daemon_find_host_peer(struct daemon *d, const char *host);
/*
 * The kernel side (daemon_kernel.c): starts netmon and, with
 * fib.install, the FIB; returns 0 or -1 with a message in error.
 */
int daemon_kernel_start(struct daemon *d, char *error, size_t error_size);
void daemon_kernel_stop(struct daemon *d);
/* Import policy's connected networks (NULL if unknown). */
const struct prefix_list *daemon_connected_networks(const struct daemon *d);
/* The connected network holding the local address of session s. */
const struct prefix *daemon_session_network(const struct daemon *d,
    const struct session *s, struct prefix *buf);
/*
 * Tells the FIB once every configured neighbor is Established and has
 * sent End-of-RIB for each family it negotiated (RFC 4724 §2).
 */
void daemon_check_converged(struct daemon *d);
/* Registers the commands of SPEC §2 (control_handlers.c). */
void control_handlers_register(struct control *ctl, struct daemon *d);
/* Internal to daemon.c and reload.c. */
int daemon_listen(struct daemon *d, char *error, size_t error_size);
void daemon_close_listeners(struct daemon *d);
void daemon_set_md5_keys(struct daemon *d, const struct config *old);
void daemon_add_peers(struct daemon *d);
void daemon_forget_peer_later(struct daemon *d, struct peer *p);
/*
 * A session's paths are to leave the RIB: hands source to
 * rib_retire_source() and removes the paths from the event loop, a
 * bounded number per turn.
 */
void daemon_retire_source(struct daemon *d, struct route_source *source);
/* Effective router id of conf (auto: lowest global IPv4 address). */
uint32_t daemon_router_id(const struct config *conf);
/* Router id when router-id is auto: lowest global IPv4 address. */
uint32_t daemon_auto_router_id(void);
/* Monotonic seconds, for ages. */
uint32_t daemon_now(void);

#endif /* FLATBGP_DAEMON_H */
