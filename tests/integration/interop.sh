#!/bin/bash
#
# interop.sh - flatbgpd against BIRD, FRR, OpenBGPD and GoBGP on one LAN.
#
#   flatbgpd 10.99.0.1 fd99::1  AS 65001  announces 10.99.101.0/24 fd99:101::/64
#   BIRD     10.99.0.2          AS 65002  connects;  flatbgpd passive (IPv4 transport)
#   FRR      10.99.0.3          AS 65003  passive;   flatbgpd connects (IPv4 transport)
#   OpenBGPD fd99::4            AS 65004  passive;   flatbgpd connects (IPv6 transport)
#   GoBGP    fd99::5            AS 65005  connects;  flatbgpd passive (IPv6 transport)
# Each peer announces 10.99.10N.0/24 and fd99:10N::/64 over its one session.
#
# Checks: all sessions Established; every peer gets flatbgpd's two prefixes
# with flatbgpd's address as next hop and AS path 65001; flatbgpd learns and
# installs (proto bgp) every peer's prefixes; a withdrawal removes the route
# from the RIB and the kernel; a crashed peer's routes go; stopping flatbgpd
# sends a Cease to every peer and removes its kernel routes.
#
# ITEST_DUT=bird runs the same script with BIRD in flatbgpd's place (no
# kernel checks): it validates the test itself when flatbgpd is not ready.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

itest_init interop
DUT=${ITEST_DUT:-flatbgpd}
[ "$DUT" = bird ] || itest_require_flatbgpd
itest_require_peers bird frr openbgpd gobgp

lan_add lan 10.99.0.0/24 fd99::/64
for n in dut bird frr obgp gobgp; do
	ns_add "$n"
done
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_attach bird lan 10.99.0.2/24 fd99::2/64
ns_attach frr lan 10.99.0.3/24 fd99::3/64
ns_attach obgp lan 10.99.0.4/24 fd99::4/64
ns_attach gobgp lan 10.99.0.5/24 fd99::5/64

# shellcheck disable=SC2054 # commas belong to the SPEC words
dut_spec=(nbr=10.99.0.2,65002,passive nbr=10.99.0.3,65003 nbr=fd99::4,65004
	nbr=fd99::5,65005,passive net4=10.99.101.0/24 net6=fd99:101::/64)
if [ "$DUT" = bird ]; then
	bird_start dut 10.99.0.1 65001 "${dut_spec[@]}"
else
	flatbgpd_start dut "$(flatbgpd_conf dut 10.99.0.1 65001 "${dut_spec[@]}")"
fi
dut_state() { "$DUT"_state "$@"; }
dut_routes() { "$DUT"_routes "$@"; }

bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 \
	net4=10.99.102.0/24 net6=fd99:102::/64
frr_start frr 10.99.0.3 65003 nbr=10.99.0.1,65001,passive \
	net4=10.99.103.0/24 net6=fd99:103::/64
openbgpd_start obgp 10.99.0.4 65004 nbr=fd99::1,65001,passive \
	net4=10.99.104.0/24 net6=fd99:104::/64
gobgp_start gobgp 10.99.0.5 65005 nbr=fd99::1,65001 \
	net4=10.99.105.0/24 net6=fd99:105::/64

itest_log "sessions"
for n in 10.99.0.2 10.99.0.3 fd99::4 fd99::5; do
	wait_established "$DUT" dut "$n"
done
wait_established bird bird 10.99.0.1
wait_established frr frr 10.99.0.1
wait_established openbgpd obgp fd99::1
wait_established gobgp gobgp fd99::1

itest_log "flatbgpd's prefixes at every peer"
wait_route bird bird ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route bird bird ipv6 "fd99:101::/64 fd99::1 65001"
wait_route frr frr ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route frr frr ipv6 "fd99:101::/64 fd99::1 65001"
# IPv4 over IPv6 to OpenBGPD, which has no extended next hop: IPv4 next hop.
wait_route openbgpd obgp ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route openbgpd obgp ipv6 "fd99:101::/64 fd99::1 65001"
# GoBGP negotiates extended next hop (RFC 8950): either next hop is right.
# shellcheck disable=SC2016 # eval expands later, on purpose
wait_until 20 eval 'peer_has_route gobgp gobgp ipv4 "10.99.101.0/24 fd99::1 65001" ||
	peer_has_route gobgp gobgp ipv4 "10.99.101.0/24 10.99.0.1 65001"' ||
	itest_fail "GoBGP did not get 10.99.101.0/24 from $DUT: $(gobgp_routes gobgp ipv4)"
itest_ok "gobgp in gobgp: ipv4 route 10.99.101.0/24 over the IPv6 session"
wait_route gobgp gobgp ipv6 "fd99:101::/64 fd99::1 65001"

itest_log "the peers' prefixes at flatbgpd"
wait_route "$DUT" dut ipv4 "10.99.102.0/24 10.99.0.2 65002"
wait_route "$DUT" dut ipv6 "fd99:102::/64 fd99::2 65002"
wait_route "$DUT" dut ipv4 "10.99.103.0/24 10.99.0.3 65003"
wait_route "$DUT" dut ipv6 "fd99:103::/64 fd99::3 65003"
wait_route "$DUT" dut ipv4 "10.99.104.0/24 10.99.0.4 65004"
wait_route "$DUT" dut ipv6 "fd99:104::/64 fd99::4 65004"
# shellcheck disable=SC2016
wait_until 20 eval 'peer_has_route "$DUT" dut ipv4 "10.99.105.0/24 fd99::5 65005" ||
	peer_has_route "$DUT" dut ipv4 "10.99.105.0/24 10.99.0.5 65005"' ||
	itest_fail "$DUT did not get 10.99.105.0/24 from GoBGP: $(dut_routes dut ipv4)"
itest_ok "$DUT in dut: ipv4 route 10.99.105.0/24 over the IPv6 session"
wait_route "$DUT" dut ipv6 "fd99:105::/64 fd99::5 65005"

# fib_has PREFIX VIA: the kernel of the dut namespace has PREFIX, protocol
# bgp, with next hop VIA (IPv4 over IPv6 next hops show as "inet6 VIA").
fib_has() {
	local af=-4
	case $1 in *:*) af=-6 ;; esac
	ns_exec dut ip "$af" route show proto bgp "$1" 2>/dev/null | grep -q "via \(inet6 \)\?$2 "
}
fib_lacks() {
	[ -z "$(ns_exec dut ip route show proto bgp "$1" 2>/dev/null)" ] &&
		[ -z "$(ns_exec dut ip -6 route show proto bgp "$1" 2>/dev/null)" ]
}
if [ "$DUT" = flatbgpd ]; then
	itest_log "kernel routes"
	for r in "10.99.102.0/24 10.99.0.2" "fd99:102::/64 fd99::2" \
		"10.99.103.0/24 10.99.0.3" "fd99:103::/64 fd99::3" \
		"10.99.104.0/24 10.99.0.4" "fd99:104::/64 fd99::4" \
		"fd99:105::/64 fd99::5"; do
		read -r pfx via <<<"$r"
		itest_check "kernel route $pfx via $via (proto bgp)" \
			wait_until 10 fib_has "$pfx" "$via"
	done
fi

itest_log "withdraw"
frr_withdraw frr 10.99.103.0/24
openbgpd_withdraw obgp fd99:104::/64
wait_no_route "$DUT" dut ipv4 10.99.103.0/24
wait_no_route "$DUT" dut ipv6 fd99:104::/64
itest_check "FRR's IPv6 prefix stays" peer_has_route "$DUT" dut ipv6 fd99:103::/64
if [ "$DUT" = flatbgpd ]; then
	itest_check "kernel route 10.99.103.0/24 removed" wait_until 10 fib_lacks 10.99.103.0/24
	itest_check "kernel route fd99:104::/64 removed" wait_until 10 fib_lacks fd99:104::/64
fi
frr_announce frr 10.99.103.0/24
wait_route "$DUT" dut ipv4 "10.99.103.0/24 10.99.0.3 65003"

itest_log "a peer crashes: its routes go (TCP reset or hold timer, 9 s)"
gobgp_kill gobgp
wait_no_route "$DUT" dut ipv6 fd99:105::/64 20
itest_check "the other peers' routes stay" peer_has_route "$DUT" dut ipv4 10.99.102.0/24
if [ "$DUT" = flatbgpd ]; then
	itest_check "kernel route fd99:105::/64 removed" wait_until 10 fib_lacks fd99:105::/64
fi

itest_log "flatbgpd stops: Cease to every peer"
"$DUT"_stop dut
itest_check "BIRD logged a Cease" wait_until 10 bird_cease_received bird
itest_check "FRR logged a Cease" wait_until 10 frr_cease_received frr
itest_check "OpenBGPD logged a Cease" wait_until 10 openbgpd_cease_received obgp
wait_no_route bird bird ipv4 10.99.101.0/24
wait_no_route frr frr ipv6 fd99:101::/64
if [ "$DUT" = flatbgpd ]; then
	# shellcheck disable=SC2016
	itest_check "flatbgpd removed its kernel routes" wait_until 10 eval \
		'[ -z "$(ns_exec dut ip route show proto bgp)$(ns_exec dut ip -6 route show proto bgp)" ]'
fi
