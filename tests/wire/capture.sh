#!/bin/bash
#
# capture.sh - records the BGP messages that BIRD and FRR exchange, for the
# fixtures in this directory.  Not part of "make check": run it by hand as
# root (network namespaces) when the fixtures need refreshing, then decode
# with tests/wire/pcap_to_hex.py and review every expected decode.
#
# One LAN (10.98.0.0/24, fd98::/64):
#   BIRD 10.98.0.1 AS 65001  <-> FRR 10.98.0.2 AS 4200000002 (eBGP, IPv4
#                                transport, both families, 4-octet AS)
#   BIRD fd98::1   AS 65001  <-> FRR fd98::3 AS 65001 (iBGP, IPv6 transport,
#                                RFC 8950 IPv4 routes with IPv6 next hops)
# tcpdump runs in BIRD's namespace; the pcap is written to $1.

set -eu
out=${1:?usage: capture.sh OUT.pcap}
. "$(dirname "$0")/../integration/lib.sh"

itest_init wire-capture
lan_add lan 10.98.0.0/24 fd98::/64
for n in bird frr frr2; do
	ns_add "$n"
done
ns_attach bird lan 10.98.0.1/24 fd98::1/64
ns_attach frr lan 10.98.0.2/24 fd98::2/64
ns_attach frr2 lan - fd98::3/64

ns_exec bird tcpdump -i any -U -s 0 -w "$out" 'tcp port 179' \
	>"$ITEST_DIR/tcpdump.log" 2>&1 &
tcpdump_pid=$!
sleep 1

bird_start bird 10.98.0.1 65001 \
	nbr=10.98.0.2,4200000002 nbr=fd98::3,65001 \
	net4=10.98.101.0/24 net4=10.98.102.0/25 net6=fd98:101::/64
frr_start frr 10.98.0.2 4200000002 nbr=10.98.0.1,65001,passive \
	net4=10.98.201.0/24 net4=10.98.202.0/23 net6=fd98:201::/64
frr_start frr2 10.98.0.3 65001 nbr=fd98::1,65001,passive \
	net4=10.98.203.0/24 net6=fd98:203::/64

wait_established bird bird 10.98.0.2
wait_established bird bird fd98::3
wait_route bird bird ipv4 "10.98.201.0/24 10.98.0.2 4200000002"
wait_route frr frr ipv4 "10.98.101.0/24 10.98.0.1 65001"
sleep 3
bird_withdraw bird 10.98.102.0/25
sleep 3
bird_stop bird
sleep 2
kill "$tcpdump_pid"
wait "$tcpdump_pid" || true
itest_ok "captured to $out"
