/*
 * reload.c - applying a new configuration to the running daemon.
 *
 * SPEC §4: a bad configuration never stops a running daemon.  The new
 * file is parsed and validated completely before anything changes; then
 * the difference is applied with the least disruption: only neighbors
 * whose settings changed are reset, originated prefixes are updated in
 * place, and import policy changes are applied to the stored paths
 * (every received path, rejected or not, is kept in the RIB).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "control.h"
#include "daemon.h"
#include "discover.h"
#include "log.h"
#include "originate.h"
#include "peer.h"

static bool
prefix_lists_equal(const struct prefix_list *a, const struct prefix_list *b)
{
	size_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (!prefix_equal(&a->items[i], &b->items[i]))
			return false;
	return true;
}

static bool
import_policy_changed(const struct config *a, const struct config *b)
{
	return !prefix_lists_equal(&a->policy.allow, &b->policy.allow) ||
	    a->policy.max_length_ipv4 != b->policy.max_length_ipv4 ||
	    a->policy.max_length_ipv6 != b->policy.max_length_ipv6;
}

static bool
listen_changed(const struct config *a, const struct config *b)
{
	size_t i;

	if (a->listen_count != b->listen_count)
		return true;
	for (i = 0; i < a->listen_count; i++)
		if (!ip_addr_equal(&a->listen[i].address,
		    &b->listen[i].address) ||
		    a->listen[i].port != b->listen[i].port)
			return true;
	return false;
}

/*
 * The neighbor of conf that describes peer p (same range, same host
 * name, or same literal address).
 */
static const struct config_neighbor *
find_neighbor(const struct config *conf, const struct peer *p)
{
	size_t i;

	for (i = 0; i < conf->neighbor_count; i++) {
		const struct config_neighbor *n = &conf->neighbors[i];

		if (p->dynamic) {
			if (n->is_range && prefix_equal(&n->range,
			    &p->conf->range))
				return n;
		} else if (p->conf->host != NULL) {
			if (n->host != NULL && strcasecmp(n->host,
			    p->conf->host) == 0)
				return n;
		} else if (!n->is_range && n->host == NULL &&
		    ip_addr_equal(&n->address, &p->address)) {
			return n;
		}
	}
	return NULL;
}

/* Stops, resets or re-points every existing peer; returns nothing. */
static void
reload_peers(struct daemon *d, const struct config *old, bool reset_all)
{
	struct peer *p, *next;
	const struct config_neighbor *n;
	bool export_changed = old->policy.export != d->conf->policy.export ||
	    old->hold_time != d->conf->hold_time;

	for (p = TAILQ_FIRST(&d->peers); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		if (p->deleting)
			continue;
		n = find_neighbor(d->conf, p);
		if (n == NULL) {
			log_info("neighbor %s: removed from the configuration",
			    p->name);
			peer_delete(p, BGP_CEASE_PEER_DECONFIGURED);
			continue;
		}
		if (reset_all || export_changed ||
		    !config_neighbor_equal(p->conf, n)) {
			p->conf = n;
			if (!p->dynamic && n->asn_kind == PEER_ASN_NUMBER &&
			    n->asn_count > 0)
				p->remote_as = n->asns[0];
			log_info("neighbor %s: configuration changed, "
			    "resetting the session", p->name);
			peer_reset(p, BGP_CEASE_OTHER_CONFIG_CHANGE,
			    "configuration changed");
			continue;
		}
		p->conf = n;
	}
}

static int
reload_sockets(struct daemon *d, const struct config *old, FILE *errors)
{
	char error[256];

	if (listen_changed(old, d->conf)) {
		daemon_close_listeners(d);
		if (daemon_listen(d, error, sizeof(error)) == -1) {
			fprintf(errors, "%s\n", error);
			log_error("reload: %s", error);
			return -1;
		}
	}
	daemon_set_md5_keys(d, old);
	if (strcmp(old->control.socket, d->conf->control.socket) != 0 ||
	    old->control.mode != d->conf->control.mode) {
		struct control *ctl = control_create(d->base,
		    d->conf->control.socket, d->conf->control.mode, error,
		    sizeof(error));

		if (ctl == NULL) {
			fprintf(errors, "%s\n", error);
			log_error("reload: %s (keeping %s)", error,
			    old->control.socket);
			return -1;
		}
		/* The old socket stays until this request is answered. */
		control_destroy_later(d->control);
		d->control = ctl;
		control_handlers_register(ctl, d);
	}
	return 0;
}

int
daemon_reload(struct daemon *d, FILE *errors)
{
	struct config *conf = config_load(d->config_path, errors), *old;
	uint32_t router_id;
	struct peer *p;
	bool reset_all;

	if (conf == NULL) {
		log_error("reload of %s failed; the running configuration "
		    "stays", d->config_path);
		return -1;
	}
	if (d->socket_override != NULL) {
		free(conf->control.socket);
		conf->control.socket = xstrdup(d->socket_override);
	}
	router_id = daemon_router_id(conf);
	if (router_id == 0) {
		fprintf(errors, "%s: router-id auto: no global IPv4 address\n",
		    d->config_path);
		config_free(conf);
		return -1;
	}
	old = d->conf;
	d->conf = conf;
	reset_all = old->asn != conf->asn || router_id != d->router_id;
	d->router_id = router_id;
	log_set_level(conf->log_level);
	rib_set_ecmp_max(d->rib, conf->fib.ecmp);
	reload_peers(d, old, reset_all);
	daemon_add_peers(d);
	originate_apply(d->originate, conf);
	discover_apply(d->discover);
	if (import_policy_changed(old, conf))
		TAILQ_FOREACH(p, &d->peers, entry)
			peer_reevaluate_import(p);
	if (reload_sockets(d, old, errors) == -1) {
		config_free(old);
		return -1;
	}
	config_free(old);
	log_info("configuration reloaded from %s", d->config_path);
	return 0;
}
