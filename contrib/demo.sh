#!/bin/bash
# demo.sh - three flatbgpd speakers, as on three kind clusters' nodes,
# exchange their pod and service CIDRs over one bridge and install each
# other's routes; a "pod" behind node 1 then pings pods behind nodes 2
# and 3.  Everything lives in network namespaces this script creates and
# deletes again (also on Ctrl-C); the root namespace is never touched.
#
#   sudo contrib/setup.sh && sudo contrib/demo.sh
#
# Builds flatbgp first (in build-demo/) if it is not built yet.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (network namespaces): sudo $0" >&2
	exit 1
fi
build=${FLATBGP_BUILD_DIR:-$top/build-demo}
if [ ! -x "$build/src/flatbgpd" ]; then
	echo "== building flatbgp in $build"
	(cd "$top" && { [ -x configure ] || ./autogen.sh >/dev/null; }) 
	mkdir -p "$build"
	(cd "$build" && "$top/configure" -q && make -j2 >/dev/null)
fi
flatbgpd=$build/src/flatbgpd
flatbgpctl=$build/src/flatbgpctl

prefix="fbdemo$$-"
work=$(mktemp -d /tmp/flatbgp-demo.XXXXXX)
pids=()
cleanup() {
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix" || true); do
		ip netns del "$ns"
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ns() { ip netns exec "$prefix$1" "${@:2}"; }

# The "kind" network: a bridge in its own namespace.
ip netns add "${prefix}kind"
ns kind ip link add br0 type bridge
ns kind ip link set br0 up

for i in 1 2 3; do
	node=node$i pod=pod$i
	ip netns add "$prefix$node"
	ip netns add "$prefix$pod"
	ns "$node" ip link set lo up
	ns "$pod" ip link set lo up
	# node <-> kind bridge
	ns kind ip link add "eth$i" type veth peer name eth0 netns "$prefix$node"
	ns kind ip link set "eth$i" master br0 up
	ns "$node" ip addr add "172.30.0.1$i/24" dev eth0
	ns "$node" ip link set eth0 up
	# pod <-> node, addresses from the node's pod CIDR 10.24$i.0.0/24
	ns "$node" ip link add veth-pod type veth peer name eth0 netns "$prefix$pod"
	ns "$node" ip addr add "10.24$i.0.1/24" dev veth-pod
	ns "$node" ip link set veth-pod up
	ns "$pod" ip addr add "10.24$i.0.2/24" dev eth0
	ns "$pod" ip link set eth0 up
	ns "$pod" ip route add default via "10.24$i.0.1"
	ns "$node" sysctl -qw net.ipv4.ip_forward=1
	# The cluster's service CIDR on a node, as kube-proxy would route it.
	ns "$node" ip addr add "10.9$i.0.1/32" dev lo

	neighbors=""
	for j in 1 2 3; do
		[ "$j" = "$i" ] && continue
		neighbors="$neighbors
  - address: 172.30.0.1$j
    asn: 6500$j
    description: cluster$j-node"
	done
	cat >"$work/$node.yaml" <<CONF
asn: 6500$i
router-id: 172.30.0.1$i
hold-time: 9
connect-retry: 1
advertise:
  pod-cidr: 10.24$i.0.0/24
  service-cidr: 10.9$i.0.0/16
neighbors:$neighbors
policy:
  export: local
fib:
  metric: 20
control:
  socket: $work/$node.sock
log:
  level: warning
CONF
	# Started directly (not through ns()) so that $! is flatbgpd itself.
	ip netns exec "$prefix$node" "$flatbgpd" -c "$work/$node.yaml" \
	    2>"$work/$node.log" &
	pids+=("$!")
done

echo "== waiting for the sessions"
for _ in $(seq 1 50); do
	up=0
	for i in 1 2 3; do
		n=$("$flatbgpctl" -s "$work/node$i.sock" -j show neighbors 2>/dev/null |
			grep -oE '"state": ?"Established"' | wc -l || true)
		up=$((up + n))
	done
	[ "$up" -ge 6 ] && break
	sleep 0.2
done
sleep 1

for i in 1 2 3; do
	echo
	echo "== node$i (AS 6500$i): flatbgpctl show neighbors"
	"$flatbgpctl" -s "$work/node$i.sock" show neighbors
done
echo
echo "== node1: flatbgpctl show rib"
"$flatbgpctl" -s "$work/node1.sock" show rib
echo
echo "== node1: kernel routes installed by flatbgpd (ip route show proto bgp)"
ns node1 ip route show proto bgp
echo
echo "== pod1 (10.241.0.2) pings pod2 (10.242.0.2) and pod3 (10.243.0.2)"
status=0
for j in 2 3; do
	if ns pod1 ping -c 2 -W 1 -q "10.24$j.0.2" >/dev/null; then
		echo "pod1 -> pod$j: reachable"
	else
		echo "pod1 -> pod$j: NOT reachable"
		status=1
	fi
done
echo
echo "== stopping the speakers (each sends Cease to its peers) and cleaning up"
exit $status
