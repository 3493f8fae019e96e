/*
 * test_rib_resolve.c - next-hop reachability in the decision process
 * (RFC 4271 §9.1.2): an unresolvable path is never best, the next
 * best eligible one is, and rib_reresolve() re-decides after the
 * connected networks change, with the observers told.
 */
#include <string.h>

#include "decide.h"
#include "rib.h"
#include "route_fixture.h"
#include "tap.h"

/* The resolver: next hops in 10.0.1.0/24 are reachable, or all if open. */
static bool network_up;

static bool
resolve_cb(void *arg, const struct prefix *prefix, const struct path *path)
{
	struct prefix reachable = fixture_prefix("10.0.1.0/24");

	(void)arg;
	(void)prefix;
	return network_up || prefix_contains_addr(&reachable,
	    &path->attr->nexthop.global);
}

static const struct path *last_new_best;
static int notifications;

static void
observer_cb(void *arg, const struct prefix *prefix, const struct path *old,
    const struct path *new_best, const struct rib_node *node)
{
	(void)arg;
	(void)prefix;
	(void)old;
	(void)node;
	last_new_best = new_best;
	notifications++;
}

static const struct path *
best_of(struct rib *rib, const struct prefix *p)
{
	struct rib_node_view view;
	const struct rib_node *node = rib_lookup(rib, p);

	if (node == NULL)
		return NULL;
	rib_node_get(node, &view);
	return view.paths != NULL && (view.paths->flags & PATH_BEST) ?
	    view.paths : NULL;
}

int
main(void)
{
	struct route_source near, far;
	struct path_attrs pa;
	struct attr *via_near, *via_far;
	struct prefix p = fixture_prefix("192.0.2.0/24");
	uint32_t short_path[] = { 65002 }, long_path[] = { 65003, 65009 };
	const struct path *best;
	struct rib *rib;

	attr_init();
	rib = rib_create(8);
	rib_set_resolver(rib, resolve_cb, NULL);
	rib_observer_add(rib, observer_cb, NULL);
	fixture_source(&near, 1, FIX_EBGP, 65003, 0x0a000102, "10.0.1.2");
	fixture_source(&far, 2, FIX_EBGP, 65002, 0x0a000202, "10.0.2.2");
	/* The shorter AS path has the unreachable next hop. */
	fixture_pa(&pa, "10.0.2.2", short_path, 1);
	via_far = attr_intern(&pa);
	fixture_pa(&pa, "10.0.1.2", long_path, 2);
	via_near = attr_intern(&pa);

	rib_update(rib, &far, &p, via_far, 0);
	ok(best_of(rib, &p) == NULL, "an unresolvable path alone is not best");
	ok(notifications == 0, "and nobody is told of a best path");
	rib_update(rib, &near, &p, via_near, 0);
	best = best_of(rib, &p);
	ok(best != NULL && best->source == &near,
	    "the resolvable path wins despite its longer AS path");
	ok(last_new_best == best, "observers got it as the new best");
	{
		struct rib_node_view view;

		rib_node_get(rib_lookup(rib, &p), &view);
		is_int(view.paths->next->reason, DECIDE_UNRESOLVED,
		    "the other path lost for an unresolved next hop");
		is_str(decide_reason_name(view.paths->next->reason),
		    "next hop unresolved", "reason named for show rib");
	}

	network_up = true;
	notifications = 0;
	rib_reresolve(rib);
	best = best_of(rib, &p);
	ok(best != NULL && best->source == &far,
	    "reachable again: the shorter AS path is best");
	ok(notifications == 1 && last_new_best == best,
	    "observers told once of the new best");

	network_up = false;
	notifications = 0;
	rib_reresolve(rib);
	best = best_of(rib, &p);
	ok(best != NULL && best->source == &near, "unreachable again");
	rib_withdraw(rib, &near, &p);
	ok(best_of(rib, &p) == NULL && last_new_best == NULL,
	    "withdrawing the usable path leaves no best path");
	notifications = 0;
	rib_reresolve(rib);
	ok(notifications == 0, "nothing changed, nobody told");

	rib_withdraw(rib, &far, &p);
	attr_unref(via_far);
	attr_unref(via_near);
	rib_destroy(rib);
	attr_shutdown();
	return tap_done();
}
