#!/bin/bash
#
# fib-datapath.sh - packets follow the installed routes: a host behind one
# node pings a host behind another node (IPv4 and IPv6), as pods of two
# kind clusters would; when a node's flatbgpd stops, the path is gone.
#
#   host1 10.99.101.2 -- node1 (flatbgpd, AS 65001) 10.99.0.1 --+-- lan
#   host2 10.99.102.2 -- node2 (flatbgpd, AS 65002) 10.99.0.2 --+
#   node N announces 10.99.10N.0/24 and fd99:10N::/64, its hosts' network.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-datapath
itest_require_flatbgpd
# shellcheck disable=SC2119 # no peer daemon: only the common tools
itest_require_peers
command -v ping >/dev/null 2>&1 || itest_skip "ping not installed"

lan_add lan 10.99.0.0/24 fd99::/64
for i in 1 2; do
	lan_add "h$i" "10.99.10$i.0/24" "fd99:10$i::/64"
	ns_add "node$i"
	ns_add "host$i"
	ns_attach "node$i" lan "10.99.0.$i/24" "fd99::$i/64"
	ns_attach "node$i" "h$i" "10.99.10$i.1/24" "fd99:10$i::1/64"
	ns_attach "host$i" "h$i" "10.99.10$i.2/24" "fd99:10$i::2/64"
	ns_exec "host$i" ip route add default via "10.99.10$i.1"
	ns_exec "host$i" ip -6 route add default via "fd99:10$i::1"
	ns_exec "node$i" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
done
flatbgpd_start node1 "$(flatbgpd_conf node1 10.99.0.1 65001 \
	nbr=10.99.0.2,65002 net4=10.99.101.0/24 net6=fd99:101::/64)"
flatbgpd_start node2 "$(flatbgpd_conf node2 10.99.0.2 65002 \
	nbr=10.99.0.1,65001,passive net4=10.99.102.0/24 net6=fd99:102::/64)"
wait_established flatbgpd node1 10.99.0.2
wait_kroute node1 "10.99.102.0/24 10.99.0.2 20"
wait_kroute node1 "fd99:102::/64 fd99::2 20"
wait_kroute node2 "10.99.101.0/24 10.99.0.1 20"
wait_kroute node2 "fd99:101::/64 fd99::1 20"

# ping NS ARGS...: its output is not TAP: to stderr.
ping_from() {
	local ns=$1
	shift
	ns_exec "$ns" ping -c 1 -W 2 "$@" >&2
}
itest_check "host1 pings host2 (IPv4)" ping_from host1 10.99.102.2
itest_check "host1 pings host2 (IPv6)" ping_from host1 -6 fd99:102::2
itest_check "host2 pings host1" ping_from host2 10.99.101.2

itest_log "node2's flatbgpd stops: its routes and node1's routes to it go"
flatbgpd_stop node2
wait_no_kroute node1 10.99.102.0/24
wait_no_kroute node2 10.99.101.0/24
itest_check "no path any more" \
	eval '! ping_from host1 10.99.102.2 2>/dev/null'
