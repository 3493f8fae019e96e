#!/bin/bash
#
# kind-e2e.sh - three kind clusters become one flat routed network.
#
# kind is emulated with network namespaces (no Docker): a bridge in its own
# namespace is the "kind" network 10.99.0.0/24; each cluster has two
# "nodes" (a namespace each, on the bridge, one flatbgpd each); each node
# has two "pods" (namespaces behind veth pairs, addresses from the node's
# pod CIDR, routed as kindnet's ptp plugin does: a /32 per pod via its
# veth on the node, the gateway address on the node side, a default route
# in the pod) and kindnet's routes to the other node of its own cluster
# (OTHER_PODCIDR via OTHER_NODE). Each node holds its cluster's service
# address on lo: the kernel here has no dummy driver (see README.md).
#
#   cluster  AS     nodes (kind network)      pod CIDRs          services
#   c1       65001  10.99.0.11, 10.99.0.12    10.99.17/24, 18/24 10.99.201.0/24
#   c2       65002  10.99.0.21, 10.99.0.22    10.99.33/24, 34/24 10.99.202.0/24
#   c3       65003  10.99.0.31, 10.99.0.32    10.99.49/24, 50/24 10.99.203.0/24
#   infra           10.99.0.100 API server stand-in (kind-api.py, HTTPS)
#                   10.99.0.53  DNS stand-in (kind-dns.py)
#
# Where the prefixes come from:
#   c1  pod-cidr and service-cidr auto from the Kubernetes API stand-in
#       (test CA made here with openssl; node1 names it
#       https://kubernetes.c1.test:6443, resolved through the DNS stand-in;
#       node2 uses "in-cluster" with KUBERNETES_SERVICE_HOST/PORT)
#   c2  pod-cidr auto from kindnet conflist files (api-server none),
#       service-cidr static
#   c3  static; its neighbors are one dynamic range (node1: asn external,
#       node2: asn [65001, 65002]); c1 and c2 name c3's nodes by host name
#       (c3-node1, c3-node2) through the DNS stand-in (FLATBGP_RESOLV_CONF)
#
# Checked: TLS of the API client (CA, host name, IP, token); every session
# Established in show neighbors; show originated with its sources; each
# node's kernel routes (service CIDRs over both nodes of their cluster);
# every pod pings every pod of the other clusters and their services; a
# hung flatbgpd (SIGSTOP) loses its routes elsewhere within the hold time
# and a restarted one gets them back; an API outage keeps the prefixes and
# logs once; a changed pod CIDR in the API is re-advertised and the old
# one withdrawn; a host name that moves moves its session. About 60 s.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh
. "$(dirname "$0")/lib-fib.sh"
# shellcheck source=lib-flatbgpd.sh
. "$(dirname "$0")/lib-flatbgpd.sh"

itest_init kind-e2e
itest_require_flatbgpd
# shellcheck disable=SC2119 # no peer daemons, only the tools lib.sh uses
itest_require_peers
for c in ping openssl; do
	command -v "$c" >/dev/null 2>&1 || itest_skip "$c not installed"
done
K8S_GET=${K8S_GET:-$top_builddir/tests/tools/k8s_get}
[ -x "$K8S_GET" ] || itest_skip "tests/tools/k8s_get not built"
rawpeer_require

HOLD=6
export FLATBGP_DISCOVERY_INTERVAL=1
CLUSTERS="1 2 3"
NODES="c1n1 c1n2 c2n1 c2n2 c3n1 c3n2"
INFRA=$ITEST_DIR/infra
DNS_ZONE=$INFRA/dns/zone
API_DATA=$INFRA/api/data
export FLATBGP_RESOLV_CONF=$INFRA/resolv.conf
T0=$SECONDS

# Addresses by node name cCnN.
node_ip() { printf '10.99.0.%s%s\n' "${1:1:1}" "${1:3:1}"; }
pod_net() { printf '10.99.%s\n' $((16 * ${1:1:1} + ${1:3:1})); }
svc_net() { printf '10.99.%s\n' $((200 + ${1:1:1})); }
other_node() { printf 'c%sn%s\n' "${1:1:1}" $((3 - ${1:3:1})); }

# ---------------------------------------------------------------------------
# The world

lan_add kind 10.99.0.0/24

ns_add infra
ns_attach infra kind 10.99.0.100/24 -
ns_exec infra ip addr add 10.99.0.53/24 dev eth0
# An address the API certificate does not name (TLS checks below).
ns_exec infra ip addr add 10.99.0.101/24 dev eth0

for node in $NODES; do
	ns_add "$node"
	ns_attach "$node" kind "$(node_ip "$node")/24" -
	ns_exec "$node" sysctl -qw net.ipv4.ip_forward=1
	# The service address: kube-proxy answers for it on every node; no
	# dummy driver in this kernel, so it goes on lo.
	ns_exec "$node" ip addr add "$(svc_net "$node").10/32" dev lo
	# kindnet: the other node's pod CIDR of the same cluster.
	ns_exec "$node" ip route add "$(pod_net "$(other_node "$node")").0/24" \
		via "$(node_ip "$(other_node "$node")")"
	for p in 1 2; do
		pod=${node}p$p
		addr=$(pod_net "$node").$((p + 1))
		ns_add "$pod"
		# ptp: the node side carries the gateway address (.1/32) and a
		# host route to the pod; the pod has a /32 and a default route.
		ip -n "$(ns_name "$node")" link add "veth$p" type veth peer \
			name eth0 netns "$(ns_name "$pod")"
		ns_exec "$node" ip addr add "$(pod_net "$node").1/32" dev "veth$p"
		ns_exec "$node" ip link set "veth$p" up
		ns_exec "$node" ip route add "$addr/32" dev "veth$p" scope link
		ns_exec "$pod" ip addr add "$addr/32" dev eth0
		ns_exec "$pod" ip link set eth0 up
		ns_exec "$pod" ip route add "$(pod_net "$node").1" dev eth0 scope link
		ns_exec "$pod" ip route add default via "$(pod_net "$node").1" dev eth0
	done
done
# c3-node1 has a second address for the host-name move at the end.
ns_exec c3n1 ip addr add 10.99.0.131/24 dev eth0

# ---------------------------------------------------------------------------
# The DNS and API stand-ins

mkdir -p "$INFRA/dns" "$API_DATA/nodes"
write_zone() {
	printf '%s\n' "c3-node1 $1" "c3-node2 10.99.0.32" \
		"kubernetes.c1.test 10.99.0.100" "other.c1.test 10.99.0.100" \
		>"$DNS_ZONE.tmp"
	mv "$DNS_ZONE.tmp" "$DNS_ZONE"
}
write_zone 10.99.0.31
printf 'nameserver 10.99.0.53\noptions timeout:1 attempts:2\n' >"$FLATBGP_RESOLV_CONF"
d=$(_peer_dir infra dns)
_peer_start_bg infra dns "$d/dns.log" "$ITEST_PYTHON" \
	"$top_srcdir/tests/integration/kind-dns.py" --listen 10.99.0.53 \
	--zone "$DNS_ZONE" >"$d/dns.run"

# The test CA, the API server's certificate (the names and the address
# clients use), a CA nobody trusts, the service-account token.
K=$INFRA/api
tls() { openssl "$@" >>"$K/openssl.log" 2>&1; }
tls req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$K/ca.key" -out "$K/ca.crt" -days 1 -subj /CN=e2e-cluster-ca
tls req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$K/api.key" -out "$K/api.csr" -subj /CN=kube-apiserver
printf 'subjectAltName=DNS:kubernetes.c1.test,DNS:kubernetes.default.svc,IP:10.99.0.100\nextendedKeyUsage=serverAuth\n' >"$K/api.ext"
tls x509 -req -in "$K/api.csr" -CA "$K/ca.crt" -CAkey "$K/ca.key" \
	-CAcreateserial -days 1 -extfile "$K/api.ext" -out "$K/api.crt"
tls req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$K/other.key" -out "$K/other.crt" -days 1 -subj /CN=other-ca
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$K/token"
echo not-the-token >"$K/bad-token"
echo 10.99.17.0/24 >"$API_DATA/nodes/c1-node1"
echo 10.99.18.0/24 >"$API_DATA/nodes/c1-node2"
echo 10.99.201.0/24 >"$API_DATA/service-subnet"

api_start() {
	local d
	d=$(_peer_dir infra api)
	_peer_start_bg infra api "$d/api.log" "$ITEST_PYTHON" \
		"$top_srcdir/tests/integration/kind-api.py" --listen 0.0.0.0 \
		--port 6443 --cert "$K/api.crt" --key "$K/api.key" \
		--token-file "$K/token" --data "$API_DATA" >"$d/api.run"
	wait_until 10 grep -q listening "$d/api.log" ||
		itest_fail "the API stand-in did not start"
}
api_start

# k8s_get ARGS...: one request through flatbgpd's API client, from c1n1;
# its output, then "exit N" when it failed.
k8s_get() {
	local rc=0
	ns_exec c1n1 timeout 20 "$K8S_GET" "$@" 2>&1 || rc=$?
	[ "$rc" = 0 ] || echo "exit $rc"
}
NODE_PATH=/api/v1/nodes/c1-node1
fexpect "API client: GET the Node by name, CA and host name verified" \
	"$(printf 'status 200\n10.99.17.0/24')" \
	k8s_get -s https://kubernetes.c1.test:6443 -t "$K/token" -c "$K/ca.crt" \
	-d node "$NODE_PATH"
fexpect "API client: kubeadm-config by IP address (IP SAN)" \
	"$(printf 'status 200\n10.99.201.0/24')" \
	k8s_get -s https://10.99.0.100:6443 -t "$K/token" -c "$K/ca.crt" \
	-d kubeadm /api/v1/namespaces/kube-system/configmaps/kubeadm-config
fexpect "API client: a name the certificate lacks is refused" \
	"$(printf 'error: TLS: server certificate not accepted: hostname mismatch\nexit 2')" \
	k8s_get -s https://other.c1.test:6443 -t "$K/token" -c "$K/ca.crt" "$NODE_PATH"
fexpect "API client: an address the certificate lacks is refused" \
	"$(printf 'error: TLS: server certificate not accepted: IP address mismatch\nexit 2')" \
	k8s_get -s https://10.99.0.101:6443 -t "$K/token" -c "$K/ca.crt" "$NODE_PATH"
fexpect "API client: a server outside ca-file is refused" \
	"$(printf '%s\nexit 2' \
	"error: TLS: server certificate not accepted: unable to get local issuer certificate")" \
	k8s_get -s https://10.99.0.100:6443 -t "$K/token" -c "$K/other.crt" "$NODE_PATH"
fexpect "API client: the stand-in checks the bearer token" \
	"$(printf 'status 401\ndecode: expected a Node object, got kind Status\nexit 3')" \
	k8s_get -s https://10.99.0.100:6443 -t "$K/bad-token" -c "$K/ca.crt" \
	-d node "$NODE_PATH"

# ---------------------------------------------------------------------------
# The flatbgpd configurations

# kindnet's conflist, as it writes it (tabs, blank lines), for cluster 2.
write_conflist() {
	printf '{\n\t"cniVersion": "0.3.1",\n\t"name": "kindnet",\n\t"plugins": [\n\t{\n\t\t"type": "ptp",\n\t\t"ipMasq": false,\n\t\t"ipam": {\n\t\t\t"type": "host-local",\n\t\t\t"dataDir": "/run/cni-ipam-state",\n\t\t\t"routes": [\n\n\n\t\t\t\t{ "dst": "0.0.0.0/0" }\n\t\t\t],\n\t\t\t"ranges": [\n\n\n\t\t\t\t[ { "subnet": "%s" } ]\n\t\t\t]\n\t\t}\n\t\t,\n\t\t"mtu": 1500\n\n\t},\n\t{\n\t\t"type": "portmap",\n\t\t"capabilities": {\n\t\t\t"portMappings": true\n\t\t}\n\t}\n\t]\n}\n' "$2" >"$1"
}

# conf NODE: write NODE's flatbgp.conf, print its path.
conf() {
	local node=$1 c=${1:1:1} n=${1:3:1} d f
	d=$ITEST_DIR/$node/flatbgpd
	f=$d/flatbgp.conf
	mkdir -p "$d/cni"
	{
		printf 'asn: 6500%s\nrouter-id: %s\n' "$c" "$(node_ip "$node")"
		printf 'hold-time: %s\nconnect-retry: 1\n' "$HOLD"
		printf 'advertise:\n'
		case $c in
		1) printf '  pod-cidr: auto\n  service-cidr: auto\n' ;;
		2) printf '  pod-cidr: auto\n  service-cidr: 10.99.202.0/24\n' ;;
		3) printf '  pod-cidr: %s.0/24\n  service-cidr: 10.99.203.0/24\n' \
			"$(pod_net "$node")" ;;
		esac
		printf 'kubernetes:\n  node-name: c%s-node%s\n' "$c" "$n"
		case $node in
		c1n1) printf '  api-server: https://kubernetes.c1.test:6443\n' ;;
		c1n2) printf '  api-server: in-cluster\n' ;;
		*) printf '  api-server: none\n' ;;
		esac
		printf '  token-file: %s\n  ca-file: %s\n  cni-config-dir: %s\n' \
			"$K/token" "$K/ca.crt" "$d/cni"
		printf 'neighbors:\n'
		case $c in
		1) printf '  - {address: 10.99.0.2%s, asn: 65002}\n' 1 2
		   printf '  - {address: c3-node%s, asn: 65003}\n' 1 2 ;;
		2) printf '  - {address: 10.99.0.1%s, asn: 65001}\n' 1 2
		   printf '  - {address: c3-node%s, asn: 65003}\n' 1 2 ;;
		3) printf '  - range: 10.99.0.0/24\n'
		   if [ "$n" = 1 ]; then
			printf '    asn: external\n    max-sessions: 8\n'
		   else
			printf '    asn: [65001, 65002]\n    max-sessions: 4\n'
		   fi ;;
		esac
	} >"$f"
	printf '%s\n' "$f"
}

for node in $NODES; do
	conf "$node" >/dev/null
done
# Cluster 2's kindnet files; the first in name order is the one in use.
for node in c2n1 c2n2; do
	write_conflist "$ITEST_DIR/$node/flatbgpd/cni/10-kindnet.conflist" \
		"$(pod_net "$node").0/24"
	write_conflist "$ITEST_DIR/$node/flatbgpd/cni/20-other.conflist" \
		10.99.99.0/24
done

start_node() {
	local node=$1
	if [ "$node" = c1n2 ]; then
		KUBERNETES_SERVICE_HOST=10.99.0.100 KUBERNETES_SERVICE_PORT=6443 \
			flatbgpd_start "$node" "$ITEST_DIR/$node/flatbgpd/flatbgp.conf"
	else
		flatbgpd_start "$node" "$ITEST_DIR/$node/flatbgpd/flatbgp.conf"
	fi
}
for node in $NODES; do
	start_node "$node"
done

# ---------------------------------------------------------------------------
# Sessions, origination, kernel routes

# The neighbors every node must have, as addresses.
peers_of() {
	case ${1:1:1} in
	1) echo 10.99.0.21 10.99.0.22 10.99.0.31 10.99.0.32 ;;
	2) echo 10.99.0.11 10.99.0.12 10.99.0.31 10.99.0.32 ;;
	3) echo 10.99.0.11 10.99.0.12 10.99.0.21 10.99.0.22 ;;
	esac
}

# neighbors NS: "ADDRESS STATE HOST DYNAMIC" per neighbor, sorted.
neighbors() {
	fjson "$1" '"\n".join(sorted("%s %s %s %s" % (n["address"], n["state"],
		n.get("host") or "-", "dynamic" if n["dynamic"] else "static")
		for n in d["neighbors"]))' show neighbors
}

expected_neighbors() {
	local node=$1 a host kind
	for a in $(peers_of "$node"); do
		host=- kind=static
		case $a in 10.99.0.3?) host=c3-node${a#10.99.0.3} ;; esac
		[ "${node:1:1}" = 3 ] && kind=dynamic
		printf '%s Established %s %s\n' "$a" "$host" "$kind"
	done | sort
}

for node in $NODES; do
	fwait_expect "$node: show neighbors lists its 4 sessions Established" 30 \
		"$(expected_neighbors "$node")" neighbors "$node"
done

# The ranges' rules, with a raw speaker on the infra node (in the range).
raw_session() {
	printf '%s\n' "$@" | rawpeer_run infra -t 10 -b 10.99.0.100 \
		-c "$RAW_TARGET" 179 >&2
}
RAW_TARGET=10.99.0.31
itest_check "c3n1 (range, asn: external) refuses its own AS 65003: OPEN error 2/2" \
	raw_session "open 65003 6 10.99.0.100" "expect-notification 2 2 5"
RAW_TARGET=10.99.0.32
itest_check "c3n2 (range, max-sessions: 4, all in use) closes a fifth connection" \
	raw_session "expect-close 5"
fwait_expect "c3n1, c3n2: the refused ones are not listed" 5 \
	"$(expected_neighbors c3n1; expected_neighbors c3n2)" \
	eval 'neighbors c3n1; neighbors c3n2'

# originated NS: "PREFIX SOURCE" per originated prefix.
originated() {
	fjson "$1" '"\n".join("%s %s" % (r["prefix"], r["source"])
		for r in d["originated"])' show originated
}
fexpect "c1n1 (API by name): pod and service CIDR from the Kubernetes API" \
	"$(printf '10.99.17.0/24 kubernetes-api\n10.99.201.0/24 kubernetes-api')" \
	originated c1n1
fexpect "c1n2 (API in-cluster): pod and service CIDR from the Kubernetes API" \
	"$(printf '10.99.18.0/24 kubernetes-api\n10.99.201.0/24 kubernetes-api')" \
	originated c1n2
fexpect "c2n1: pod CIDR from the first conflist, service CIDR static" \
	"$(printf '10.99.33.0/24 cni-config\n10.99.202.0/24 service-cidr')" \
	originated c2n1
fexpect "c3n2: static pod and service CIDR" \
	"$(printf '10.99.50.0/24 pod-cidr\n10.99.203.0/24 service-cidr')" \
	originated c3n2

confirmed() {
	fjson c1n1 '[r["confirmed"] for r in d["originated"]
		if r["prefix"] == "10.99.17.0/24"][0]' show originated
}
confirmed_after() { [ "$(confirmed)" -gt "$1" ]; }
first=$(confirmed)
wait_until 5 confirmed_after "$first" ||
	itest_fail "c1n1: the pod CIDR's confirmed time did not advance"
itest_ok "c1n1: the API re-confirms the pod CIDR (confirmed $first -> $(confirmed))"

# routes_of NODE: the kernel routes (proto bgp) it must have.
routes_of() {
	local node=$1 c other
	for c in $CLUSTERS; do
		[ "$c" = "${node:1:1}" ] && continue
		for other in "c${c}n1" "c${c}n2"; do
			printf '%s.0/24 %s 20\n' "$(pod_net "$other")" "$(node_ip "$other")"
		done
		printf '10.99.%s.0/24 %s,%s 20\n' $((200 + c)) \
			"$(node_ip "c${c}n1")" "$(node_ip "c${c}n2")"
	done | sort
}
for node in $NODES; do
	fwait_expect "$node: kernel routes to the other clusters' pods, services over both nodes" \
		20 "$(routes_of "$node")" kroutes "$node"
done

# ---------------------------------------------------------------------------
# Reachability

pods_of_cluster() { echo "c$1n1p1 c$1n1p2 c$1n2p1 c$1n2p2"; }
pod_ip() { printf '%s.%s\n' "$(pod_net "$1")" $((${1:5:1} + 1)); }

# pings_all POD: POD pings every pod of the other clusters.
pings_all() {
	local src=$1 c dst bad=""
	for c in $CLUSTERS; do
		[ "$c" = "${src:1:1}" ] && continue
		for dst in $(pods_of_cluster "$c"); do
			ns_exec "$src" ping -c 1 -W 2 -q "$(pod_ip "$dst")" \
				>/dev/null 2>&1 || bad="$bad $dst"
		done
	done
	[ -z "$bad" ] || { itest_log "$src cannot ping:$bad"; return 1; }
}
for c in $CLUSTERS; do
	for pod in $(pods_of_cluster "$c"); do
		itest_check "$pod ($(pod_ip "$pod")) pings the 8 pods of the other clusters" \
			pings_all "$pod"
	done
done

# Each service address from a pod of each other cluster; the packets take
# the multipath route checked above. (ping's report is not TAP: stderr.)
ping_from() {
	local ns=$1
	shift
	ns_exec "$ns" ping -c 2 -i 0.2 -W 2 -q "$@" >&2
}
for c in $CLUSTERS; do
	for s in $CLUSTERS; do
		[ "$c" = "$s" ] && continue
		itest_check "c${c}n1p1 reaches cluster $s's service 10.99.$((200 + s)).10" \
			ping_from "c${c}n1p1" "10.99.$((200 + s)).10"
	done
done

# ---------------------------------------------------------------------------
# A node's flatbgpd hangs (SIGSTOP: no NOTIFICATION, no FIN), then restarts

itest_log "c2n1's flatbgpd hangs"
stopped=$SECONDS
kill -STOP "$(cat "$ITEST_DIR/c2n1/flatbgpd/flatbgpd.run")"
for node in c1n1 c1n2 c3n1 c3n2; do
	wait_until $((HOLD + 3)) kroute_lacks "$node" 10.99.33.0/24 ||
		itest_fail "$node: 10.99.33.0/24 still installed $((SECONDS - stopped)) s after c2n1 hung"
done
took=$((SECONDS - stopped))
[ "$took" -le $((HOLD + 2)) ] ||
	itest_fail "the hung node's pod CIDR took $took s to go (hold time $HOLD s)"
itest_ok "c2n1's pod CIDR gone from the other clusters' FIBs after $took s (hold time $HOLD s)"
fwait_expect "c1n1: cluster 2's service now only via c2n2" 5 \
	"10.99.202.0/24 10.99.0.22 20" eval 'kroutes c1n1 | grep "^10.99.202.0/24"'
for node in c3n1 c3n2; do
	fwait_expect "$node: the dynamic neighbor 10.99.0.21 is gone from show neighbors" \
		5 "$(expected_neighbors "$node" | grep -v '^10.99.0.21 ')" \
		neighbors "$node"
done
# c3n2 has a free slot now: its AS list is what refuses this one.
RAW_TARGET=10.99.0.32
itest_check "c3n2 (range, asn: [65001, 65002]) refuses AS 65009: OPEN error 2/2" \
	raw_session "open 65009 6 10.99.0.100" "expect-notification 2 2 5"

flatbgpd_kill c2n1
start_node c2n1
fwait_expect "c2n1 restarted: its 4 sessions Established again" 30 \
	"$(expected_neighbors c2n1)" neighbors c2n1
for node in c2n1 c1n1 c3n2; do
	fwait_expect "$node: all kernel routes back" 20 "$(routes_of "$node")" \
		kroutes "$node"
done
itest_check "c2n1p1 pings the other clusters again" pings_all c2n1p1
itest_check "c1n1p1 pings the other clusters again" pings_all c1n1p1

# ---------------------------------------------------------------------------
# The API goes away: the last known prefixes stay, one warning is logged

log_count() { grep -c -- "$2" "$(flatbgpd_log "$1")" || true; }
warnings_before=$(log_count c1n1 'pod-cidr auto: GET')
new_warnings() {
	echo $(($(log_count c1n1 'pod-cidr auto: GET') - warnings_before))
}
_peer_stop infra api
sleep 4	# four discovery intervals
fexpect "c1n1: API down: pod and service CIDR still advertised" \
	"$(printf '10.99.17.0/24 kubernetes-api\n10.99.201.0/24 kubernetes-api')" \
	originated c1n1
fexpect "c2n2: c1n1's pod CIDR still installed" "10.99.17.0/24 10.99.0.11 20" \
	eval 'kroutes c2n2 | grep "^10.99.17.0/24"'
fexpect "c1n1: the outage is logged once, not at every check" 1 new_warnings
api_start
fwait_expect "c1n1: the API's return is logged" 10 1 \
	log_count c1n1 'pod-cidr auto: https://kubernetes.c1.test:6443/api/v1/nodes/c1-node1 answers again'

# ---------------------------------------------------------------------------
# The pod CIDR changes in the API: the new one is announced, the old one
# withdrawn

echo 10.99.19.0/24 >"$API_DATA/nodes/c1-node1.tmp"
mv "$API_DATA/nodes/c1-node1.tmp" "$API_DATA/nodes/c1-node1"
fwait_expect "c1n1: originates the new pod CIDR" 10 \
	"$(printf '10.99.19.0/24 kubernetes-api\n10.99.201.0/24 kubernetes-api')" \
	originated c1n1
for node in c2n1 c3n1; do
	fwait_expect "$node: 10.99.19.0/24 via c1n1 installed, 10.99.17.0/24 withdrawn" \
		10 "$(routes_of "$node" | sed 's|^10.99.17.0/24 |10.99.19.0/24 |' | sort)" \
		kroutes "$node"
done

# ---------------------------------------------------------------------------
# c3-node1 moves to another address: the sessions follow the name

write_zone 10.99.0.131
for node in c1n1 c2n2; do
	fwait_expect "$node: the session to c3-node1 moved to 10.99.0.131" 20 \
		"$(expected_neighbors "$node" | sed 's|^10.99.0.31 |10.99.0.131 |' | sort)" \
		neighbors "$node"
done
fwait_expect "c2n2: c3-node1's pod CIDR now via 10.99.0.131" 10 \
	"10.99.49.0/24 10.99.0.131 20" eval 'kroutes c2n2 | grep "^10.99.49.0/24"'

itest_log "done in $((SECONDS - T0)) s"
