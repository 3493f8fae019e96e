/*
 * daemon_kernel.c - the daemon's side of the kernel: netmon and the FIB.
 *
 * netmon runs always: import policy needs the connected networks (SPEC
 * §4: a received prefix overlapping one of them, or the network of the
 * session, is refused).  The FIB runs with fib.install.  When links or
 * addresses change, import policy is re-run over every peer's paths
 * (only for address changes: link states do not change what is
 * connected) and the FIB re-resolves next hops.  Convergence for the
 * FIB's restart logic is decided here, where the peers are known.
 */
#include "daemon.h"
#include "fib.h"
#include "log.h"
#include "netmon.h"

#define CONVERGE_MAX_SECONDS	60

static void
daemon_connected_cb(void *arg, unsigned what)
{
	struct daemon *d = arg;
	struct peer *p;

	if (what & NETMON_ADDRESSES) {
		log_info("connected networks changed: re-running import "
		    "policy");
		TAILQ_FOREACH(p, &d->peers, entry)
			peer_reevaluate_import(p);
	}
	/* Paths whose next hop became (un)reachable are re-decided
	 * before the FIB looks at the result. */
	rib_reresolve(d->rib);
	if (d->fib != NULL)
		fib_connected_changed(d->fib);
}

/* RFC 4271 §9.1.2: only paths with a reachable next hop compete. */
static bool
daemon_resolve_cb(void *arg, const struct prefix *prefix,
    const struct path *path)
{
	struct daemon *d = arg;
	struct nexthop hop;

	return fib_resolve_path(netmon_connected(d->netmon), prefix->family,
	    path, &hop) == 0;
}

/* The bounded wait for convergence: min(60 s, hold time). */
static unsigned
converge_seconds(const struct config *conf)
{
	if (conf->hold_time == 0 || conf->hold_time > CONVERGE_MAX_SECONDS)
		return CONVERGE_MAX_SECONDS;
	return conf->hold_time;
}

int
daemon_kernel_start(struct daemon *d, char *error, size_t error_size)
{
	const struct config *conf = d->conf;
	struct fib_params params;

	d->netmon = netmon_create(d->base, daemon_connected_cb, d, error,
	    error_size);
	if (d->netmon == NULL)
		return -1;
	rib_set_resolver(d->rib, daemon_resolve_cb, d);
	if (!conf->fib.install) {
		log_info("fib.install is false: no kernel routes");
		return 0;
	}
	params.table = conf->fib.table;
	params.protocol = conf->fib.protocol;
	params.metric = conf->fib.metric;
	params.ecmp = conf->fib.ecmp;
	params.keep_on_exit = conf->fib.keep_on_exit;
	params.converge_seconds = converge_seconds(conf);
	d->fib = fib_create(d->base, d->rib, d->netmon, &params, error,
	    error_size);
	if (d->fib == NULL)
		return -1;
	/* Nobody to wait for. */
	daemon_check_converged(d);
	return 0;
}

void
daemon_kernel_stop(struct daemon *d)
{
	if (d->rib != NULL)
		rib_set_resolver(d->rib, NULL, NULL);
	fib_free(d->fib);
	d->fib = NULL;
	netmon_free(d->netmon);
	d->netmon = NULL;
}

const struct prefix_list *
daemon_connected_networks(const struct daemon *d)
{
	return d->netmon != NULL ? connected_networks(netmon_connected(
	    d->netmon)) : NULL;
}

const struct prefix *
daemon_session_network(const struct daemon *d, const struct session *s,
    struct prefix *buf)
{
	if (d->netmon == NULL || s == NULL ||
	    connected_network_of(netmon_connected(d->netmon), &s->local,
	    buf) == -1)
		return NULL;
	return buf;
}

/* Families a session negotiated, as end_of_rib bits. */
static unsigned
negotiated_families(const struct session *s)
{
	return (s->codec.ipv4 ? 1u << FAMILY_IPV4 : 0) |
	    (s->codec.ipv6 ? 1u << FAMILY_IPV6 : 0);
}

void
daemon_check_converged(struct daemon *d)
{
	const struct peer *p;
	unsigned families;
	size_t i;

	if (d->fib == NULL)
		return;
	/* The configured neighbors, not the peers: at start the peers do
	 * not exist yet.  Ranges are open-ended: the bounded wait covers
	 * them. */
	for (i = 0; i < d->conf->neighbor_count; i++) {
		const struct config_neighbor *n = &d->conf->neighbors[i];

		if (n->is_range)
			continue;
		if (n->address.family == FAMILY_NONE ||
		    (p = daemon_find_peer(d, &n->address)) == NULL ||
		    p->established == NULL)
			return;
		families = negotiated_families(p->established);
		if ((p->end_of_rib & families) != families)
			return;
	}
	fib_set_converged(d->fib);
}
