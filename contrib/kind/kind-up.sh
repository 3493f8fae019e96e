#!/bin/bash
#
# kind-up.sh - three kind clusters become one flat routed network: a
# flatbgpd sidecar per kind node (sharing the node's network namespace)
# advertises the node's pod CIDR and its cluster's service CIDR to the
# nodes of the other clusters and installs theirs. Then a pod of each
# cluster pings a pod of each other cluster.
#
#   contrib/kind/kind-up.sh [--neighbors names|range] [--image NAME]
#   contrib/kind/kind-down.sh
#
# Needs docker, kind and kubectl, and a Docker that can pull images
# (kindest/node, debian:bookworm, busybox). Steps (each one is skipped
# when already done, so the script can be run again):
#
#  1. build the image from contrib/Dockerfile ("git archive HEAD" as the
#     context in a git checkout: committed code only, no build leftovers);
#  2. create cluster1..3 from contrib/kind/clusterN.yaml (non-overlapping
#     pod and service subnets) and load the image into them (for the
#     DaemonSet alternative, contrib/kubernetes/);
#  3. give flatbgpd read access to the API in each cluster: the RBAC part
#     of contrib/kubernetes/flatbgpd-daemonset.yaml and a service-account
#     token Secret, copied to $WORK/clusterN/sa/ (token, ca.crt);
#  4. per node: a flatbgp.conf in $WORK/NODE/ (pod-cidr and service-cidr
#     auto from the API server https://clusterN-control-plane:6443,
#     neighbors = the other clusters' nodes by name, or with --neighbors
#     range: the nodes of higher-numbered clusters by name plus one
#     dynamic range, the kind network, for the lower-numbered ones), the
#     node's resolv.conf (so the sidecar resolves names as the node does)
#     and a sidecar:
#        docker run --network container:NODE --cap-drop ALL
#            --cap-add NET_ADMIN --cap-add NET_BIND_SERVICE ...
#  5. wait until every sidecar has all its sessions Established;
#  6. start a busybox pod per cluster and ping across clusters.
#
# Environment: FLATBGP_KIND_WORK [contrib/kind/.work], KIND_CLUSTERS
# ["cluster1 cluster2 cluster3"], TIMEOUT seconds per wait [180].

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
WORK=${FLATBGP_KIND_WORK:-$here/.work}
IMAGE=flatbgp:dev
MODE=names
read -r -a CLUSTERS <<<"${KIND_CLUSTERS:-cluster1 cluster2 cluster3}"
TIMEOUT=${TIMEOUT:-180}
PING_IMAGE=busybox:1.36

usage() {
	echo "usage: $0 [--neighbors names|range] [--image NAME]" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--neighbors) MODE=${2:-}; shift 2 || usage ;;
	--image) IMAGE=${2:-}; shift 2 || usage ;;
	*) usage ;;
	esac
done
case $MODE in names | range) ;; *) usage ;; esac

step() { printf '\n== %s\n' "$*"; }
die() {
	printf 'kind-up.sh: %s\n' "$*" >&2
	exit 1
}

for tool in docker kind kubectl base64; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

# wait_for DESC CMD...: CMD every 2 s until it succeeds, at most TIMEOUT s.
wait_for() {
	local desc=$1 deadline=$((SECONDS + TIMEOUT))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || die "timed out: $desc"
		sleep 2
	done
}

# k CLUSTER ARGS...: kubectl for a kind cluster.
k() {
	local cluster=$1
	shift
	kubectl --context "kind-$cluster" "$@"
}

cluster_asn() { echo $((65000 + $1 + 1)); }

nodes_of() { kind get nodes --name "$1" | sort; }

node_ip() {
	docker inspect -f '{{(index .NetworkSettings.Networks "kind").IPAddress}}' "$1"
}

# ---------------------------------------------------------------------------
step "1. image $IMAGE"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" archive --format=tar HEAD |
		docker build -f contrib/Dockerfile -t "$IMAGE" -
else
	docker build -f "$top/contrib/Dockerfile" -t "$IMAGE" "$top"
fi

# ---------------------------------------------------------------------------
step "2. clusters ${CLUSTERS[*]}"
for c in "${CLUSTERS[@]}"; do
	if kind get clusters 2>/dev/null | grep -qx "$c"; then
		echo "$c exists"
	else
		kind create cluster --config "$here/$c.yaml" --name "$c" --wait 120s
	fi
	kind load docker-image "$IMAGE" --name "$c"
done

# ---------------------------------------------------------------------------
step "3. API access for flatbgpd (RBAC, token)"
for c in "${CLUSTERS[@]}"; do
	k "$c" apply -l flatbgp.io/part=rbac \
		-f "$top/contrib/kubernetes/flatbgpd-daemonset.yaml"
	k "$c" apply -f - <<'EOF'
apiVersion: v1
kind: Secret
metadata:
  name: flatbgpd-token
  namespace: kube-system
  annotations:
    kubernetes.io/service-account.name: flatbgpd
type: kubernetes.io/service-account-token
EOF
	wait_for "$c: token of flatbgpd-token" test -n \
		"$(k "$c" -n kube-system get secret flatbgpd-token \
			-o jsonpath='{.data.token}' 2>/dev/null)"
	mkdir -p "$WORK/$c/sa"
	k "$c" -n kube-system get secret flatbgpd-token -o jsonpath='{.data.token}' |
		base64 -d >"$WORK/$c/sa/token"
	k "$c" -n kube-system get secret flatbgpd-token -o jsonpath='{.data.ca\.crt}' |
		base64 -d >"$WORK/$c/sa/ca.crt"
	chmod 0644 "$WORK/$c/sa/token"
done

# ---------------------------------------------------------------------------
step "4. sidecars (neighbors: $MODE)"
kind_net=$(docker network inspect kind \
	-f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' | tr ' ' '\n' |
	grep -v ':' | grep . | head -n 1)
[ -n "$kind_net" ] || die "no IPv4 subnet on the docker network kind"

# neighbors_yaml INDEX: the neighbors of a node of cluster INDEX.
neighbors_yaml() {
	local i=$1 j node
	echo "neighbors:"
	for j in "${!CLUSTERS[@]}"; do
		[ "$j" = "$i" ] && continue
		[ "$MODE" = range ] && [ "$j" -lt "$i" ] && continue
		for node in $(nodes_of "${CLUSTERS[j]}"); do
			printf '  - address: %s\n    asn: %s\n    description: %s\n' \
				"$node" "$(cluster_asn "$j")" "${CLUSTERS[j]}"
		done
	done
	if [ "$MODE" = range ] && [ "$i" -gt 0 ]; then
		printf '  - range: %s\n    asn: external\n' "$kind_net"
	fi
}

write_conf() {
	local i=$1 node=$2 c=${CLUSTERS[$1]}
	mkdir -p "$WORK/$node"
	cat >"$WORK/$node/flatbgp.conf" <<EOF
# Written by contrib/kind/kind-up.sh for kind node $node ($c).
asn: $(cluster_asn "$i")
router-id: $(node_ip "$node")
hold-time: 9
connect-retry: 2
advertise:
  pod-cidr: auto
  service-cidr: auto
kubernetes:
  node-name: $node
  api-server: https://$c-control-plane:6443
  token-file: /etc/flatbgp/sa/token
  ca-file: /etc/flatbgp/sa/ca.crt
$(neighbors_yaml "$i")
EOF
	# The node's own resolver (kind points it at Docker's embedded DNS,
	# which knows the node names).
	docker exec "$node" cat /etc/resolv.conf >"$WORK/$node/resolv.conf"
}

start_sidecar() {
	local node=$1 c=$2
	docker rm -f "flatbgp-$node" >/dev/null 2>&1 || true
	docker run -d --name "flatbgp-$node" --network "container:$node" \
		--cap-drop ALL --cap-add NET_ADMIN --cap-add NET_BIND_SERVICE \
		--restart unless-stopped \
		-e FLATBGP_RESOLV_CONF=/etc/flatbgp/resolv.conf \
		-v "$WORK/$node/flatbgp.conf:/etc/flatbgp.conf:ro" \
		-v "$WORK/$node/resolv.conf:/etc/flatbgp/resolv.conf:ro" \
		-v "$WORK/$c/sa:/etc/flatbgp/sa:ro" \
		"$IMAGE" >/dev/null
	echo "flatbgp-$node started"
}

for i in "${!CLUSTERS[@]}"; do
	for node in $(nodes_of "${CLUSTERS[i]}"); do
		write_conf "$i" "$node"
		docker run --rm -v "$WORK/$node/flatbgp.conf:/etc/flatbgp.conf:ro" \
			--entrypoint /usr/sbin/flatbgpd "$IMAGE" -n -c /etc/flatbgp.conf ||
			die "$WORK/$node/flatbgp.conf does not check"
		start_sidecar "$node" "${CLUSTERS[i]}"
	done
done

# ---------------------------------------------------------------------------
step "5. sessions"
# established NODE WANT: the sidecar shows WANT sessions Established.
established() {
	local n
	n=$(docker exec "flatbgp-$1" flatbgpctl -j show neighbors |
		grep -Ec '"state": ?"Established"') || true
	[ "${n:-0}" -ge "$2" ]
}
total=0
for c in "${CLUSTERS[@]}"; do
	total=$((total + $(nodes_of "$c" | wc -l)))
done
for i in "${!CLUSTERS[@]}"; do
	own=$(nodes_of "${CLUSTERS[i]}" | wc -l)
	for node in $(nodes_of "${CLUSTERS[i]}"); do
		wait_for "$node: $((total - own)) sessions Established" \
			established "$node" $((total - own))
		echo "$node: $((total - own)) sessions Established"
	done
done
first=$(nodes_of "${CLUSTERS[0]}" | head -n 1)
docker exec "flatbgp-$first" flatbgpctl show neighbors
docker exec "flatbgp-$first" flatbgpctl show originated
docker exec "flatbgp-$first" flatbgpctl show fib

# ---------------------------------------------------------------------------
step "6. pod-to-pod across clusters"
declare -A pod_ip
for c in "${CLUSTERS[@]}"; do
	k "$c" get pod flatbgp-ping >/dev/null 2>&1 ||
		k "$c" run flatbgp-ping --image="$PING_IMAGE" --restart=Never \
			--command -- sleep 86400
done
for c in "${CLUSTERS[@]}"; do
	k "$c" wait --for=condition=Ready pod/flatbgp-ping --timeout="${TIMEOUT}s"
	pod_ip[$c]=$(k "$c" get pod flatbgp-ping -o jsonpath='{.status.podIP}')
	echo "$c: flatbgp-ping ${pod_ip[$c]}"
done
failed=0
for a in "${CLUSTERS[@]}"; do
	for b in "${CLUSTERS[@]}"; do
		[ "$a" = "$b" ] && continue
		if k "$a" exec flatbgp-ping -- ping -c 2 -W 2 "${pod_ip[$b]}" >/dev/null; then
			echo "ok   $a -> $b (${pod_ip[$b]})"
		else
			echo "FAIL $a -> $b (${pod_ip[$b]})"
			failed=1
		fi
	done
done
[ "$failed" = 0 ] || die "some pods cannot reach each other (docker logs flatbgp-NODE)"
echo
echo "kind-up.sh: ${#CLUSTERS[@]} clusters, one flat network. Remove with contrib/kind/kind-down.sh"
