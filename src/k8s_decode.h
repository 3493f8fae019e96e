/*
 * k8s_decode.h - pure decoders for what pod-cidr/service-cidr discovery
 * reads: Kubernetes API objects (JSON) and kindnet's CNI configuration.
 *
 * Every function takes a complete document in memory and returns the
 * CIDRs found or an error text; none does I/O or keeps state, so the
 * unit tests and the fuzzer drive them directly.  JSON is read with
 * libyaml's event parser (JSON is, for what the API server and kindnet
 * write, a subset of YAML flow syntax), which never builds a tree:
 * memory is bounded by the nesting depth, not by the document.
 */
#ifndef FLATBGP_K8S_DECODE_H
#define FLATBGP_K8S_DECODE_H

#include <stddef.h>

#include "prefix.h"

/* Larger documents are refused: a Node with its image list is ~50 KB. */
#define K8S_DOCUMENT_MAX	(4u * 1024 * 1024)
/* Deeper nesting is refused before it costs anything. */
#define K8S_DEPTH_MAX		64
/* A node has one pod CIDR per family; dual-stack services two. */
#define K8S_CIDRS_MAX		8

struct k8s_cidrs {
	struct prefix	items[K8S_CIDRS_MAX];
	size_t		count;
};

/*
 * A Node object (GET /api/v1/nodes/NAME): spec.podCIDRs, or the older
 * single spec.podCIDR when podCIDRs is absent.  Returns 0 with at least
 * one CIDR in out, or -1 with a message in error (not JSON, not a Node,
 * no pod CIDR allocated, a malformed CIDR, too many).
 */
int k8s_decode_node(const char *json, size_t len, struct k8s_cidrs *out,
    char *error, size_t error_size);

/*
 * The kubeadm-config ConfigMap (GET /api/v1/namespaces/kube-system/
 * configmaps/kubeadm-config): data.ClusterConfiguration is itself a YAML
 * document whose networking.serviceSubnet holds one CIDR or a
 * comma-separated dual-stack pair.  Returns 0 or -1 as above.
 */
int k8s_decode_kubeadm_config(const char *json, size_t len,
    struct k8s_cidrs *out, char *error, size_t error_size);

/*
 * A CNI network configuration as kindnet writes it: a .conflist whose
 * plugins[].ipam.ranges is a list of range sets, each a list of
 * {"subnet": CIDR} (host-local IPAM), or a single .conf with ipam at
 * the top; the older "ipam": {"subnet": CIDR} form is read too.
 * Returns 0 with every subnet found (duplicates once), or -1.
 */
int k8s_decode_cni_config(const char *json, size_t len,
    struct k8s_cidrs *out, char *error, size_t error_size);

/*
 * The reason in an API error reply (a Status object's "message", e.g.
 * `nodes "x" is forbidden: ...`), for logs.  Writes "" when there is
 * none; never fails.
 */
void k8s_decode_status(const char *json, size_t len, char *message,
    size_t message_size);

/*
 * "CIDR[,CIDR...]" (spaces around commas allowed) appended to out.
 * Returns 0 or -1 with a message naming the bad item.
 */
int k8s_parse_cidr_list(const char *text, struct k8s_cidrs *out,
    char *error, size_t error_size);

#endif /* FLATBGP_K8S_DECODE_H */
