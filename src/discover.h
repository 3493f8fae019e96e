/*
 * discover.h - where "pod-cidr: auto" and "service-cidr: auto" come from.
 *
 * Sources, first hit wins (SPEC §3 kubernetes):
 *   pod CIDR:     the Kubernetes API (spec.podCIDRs of this node), then
 *                 the host-local ranges of kindnet's CNI conflist in
 *                 kubernetes.cni-config-dir;
 *   service CIDR: the Kubernetes API (networking.serviceSubnet of the
 *                 kubeadm-config ConfigMap in kube-system).
 * Both are checked again every discovery interval; a change is
 * re-advertised and the old prefix withdrawn.  When no source answers,
 * the last known value stays advertised, and the outage is logged once
 * (and its end once), not at every check.
 *
 * FLATBGP_DISCOVERY_INTERVAL=SECONDS (1..3600) in the environment sets
 * the interval [30]; host-name neighbors are re-resolved at the same
 * pace.  Tests use 1.
 */
#ifndef FLATBGP_DISCOVER_H
#define FLATBGP_DISCOVER_H

#include <stddef.h>

#include "k8s_decode.h"

struct daemon;
struct discover;

#define DISCOVER_DEFAULT_SECONDS	30

/* Starts discovery for d (a first check right away); never fails. */
struct discover *discover_create(struct daemon *d);
/* Stops pending requests and frees; NULL is fine. */
void discover_free(struct discover *dc);
/* After a reload: new client and settings, a check right away. */
void discover_apply(struct discover *dc);

/* The interval: FLATBGP_DISCOVERY_INTERVAL if valid, else 30. */
unsigned discover_recheck_seconds(void);

/*
 * The pod CIDRs of the CNI configuration the container runtime uses:
 * the first file of dir, in name order, ending in .conflist, .conf or
 * .json (libcni's rule).  Returns 0 with the CIDRs and the file's name
 * in file, or -1 with a message in error (no such file, unreadable,
 * too large, no host-local subnet).  Blocking, but a local directory of
 * a few small files.
 */
int discover_read_cni(const char *dir, struct k8s_cidrs *out, char *file,
    size_t file_size, char *error, size_t error_size);

#endif /* FLATBGP_DISCOVER_H */
