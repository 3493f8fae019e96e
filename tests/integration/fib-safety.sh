#!/bin/bash
#
# fib-safety.sh - SPEC §4 "never wrong routes", and next-hop resolution.
#
#  - a received prefix overlapping our own (originated) prefix, a
#    connected network or the session's network is rejected with its
#    reason ("show rib") and never installed;
#  - an address added later makes a learned prefix overlap a connected
#    network: it is rejected and leaves the kernel;
#  - a next hop outside every connected network is "unresolved" and stays
#    out of the kernel until an address makes it reachable.
#
#   dut   10.99.0.1 fd99::1  AS 65001  originates 10.99.101.0/24;
#         eth1 10.99.50.1/24 (a second LAN)
#   bird  10.99.0.2 fd99::2  AS 65002  announces 10.99.101.0/24 (ours),
#         10.99.50.0/25 (connected), 10.99.0.0/23 and fd99::/48 (the
#         session's network), 10.99.60.0/24, 10.99.102.0/24
#   raw   10.99.0.6          AS 65006  rawpeer: 10.99.120.0/24 via 10.77.0.1

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-safety
itest_require_flatbgpd
itest_require_peers bird rawpeer
rawpeer_require

lan_add lan 10.99.0.0/24 fd99::/64
lan_add lan2 10.99.50.0/24
for n in dut bird raw; do ns_add "$n"; done
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_attach dut lan2 10.99.50.1/24 -
ns_attach bird lan 10.99.0.2/24 fd99::2/64
ns_attach raw lan 10.99.0.6/24 -

flatbgpd_start dut "$(flatbgpd_conf dut 10.99.0.1 65001 \
	nbr=10.99.0.2,65002,passive nbr=10.99.0.6,65006,passive,af=ipv4 \
	net4=10.99.101.0/24)"
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 \
	net4=10.99.101.0/24 net4=10.99.50.0/25 net4=10.99.0.0/23 \
	net6=fd99::/48 net4=10.99.60.0/24 net4=10.99.102.0/24
wait_established flatbgpd dut 10.99.0.2
wait_kroute dut "10.99.102.0/24 10.99.0.2 20"
wait_kroute dut "10.99.60.0/24 10.99.0.2 20"

# rejected PREFIX: the reason "show rib" gives for BIRD's path.
rejected() {
	flatbgpctl_ns dut -j show rib "$1" | "$ITEST_PYTHON" -c '
import json, sys
for r in json.load(sys.stdin)["routes"]:
    for p in r["paths"]:
        if p["source"] == "10.99.0.2" and r["prefix"] == sys.argv[1]:
            print(p["rejected"] or "accepted")' "$1"
}

itest_log "overlapping prefixes are rejected, with the reason, and not installed"
for p in "10.99.101.0/24|overlaps a prefix this node originates" \
	"10.99.50.0/25|overlaps a connected network" \
	"10.99.0.0/23|overlaps a connected network" \
	"fd99::/48|overlaps a connected network"; do
	pfx=${p%%|*}
	why=${p#*|}
	itest_check "$pfx rejected: $why" test "$(rejected "$pfx")" = "$why"
	itest_check "$pfx not in the kernel" kroute_lacks dut "$pfx"
done

itest_log "an address added later: the learned prefix overlaps it now"
ns_exec dut ip addr add 10.99.60.1/32 dev lo
wait_no_kroute dut 10.99.60.0/24
itest_check "10.99.60.0/24 rejected" \
	test "$(rejected 10.99.60.0/24)" = "overlaps a connected network"
ns_exec dut ip addr del 10.99.60.1/32 dev lo
wait_kroute dut "10.99.60.0/24 10.99.0.2 20"

itest_log "a next hop outside every connected network is unresolved"
rawpeer_run raw -t 30 -b 10.99.0.6 -c 10.99.0.1 179 >"$ITEST_DIR/raw.out" 2>&1 <<'EOF' &
open 65006 9 10.99.0.6
expect-type 1
expect-type 4
keepalive
auto-keepalive 3
msg 2 0000 0014 40010100 40020602010000fdee 4003040a4d0001 180a6378
read-all 25000
EOF
raw_pid=$!
_itest_track_pid "$raw_pid" raw/rawpeer
wait_established flatbgpd dut 10.99.0.6
wait_until 10 test "$(fib_state dut 10.99.120.0/24)" = unresolved ||
	itest_fail "10.99.120.0/24: $(fib_state dut 10.99.120.0/24)"
itest_ok "show fib: 10.99.120.0/24 unresolved"
# shellcheck disable=SC2016
itest_check "show rib: next hop unresolved" eval \
	'flatbgpctl_ns dut -j show rib 10.99.120.0/24 | "$ITEST_PYTHON" -c "
import json, sys
p = json.load(sys.stdin)[\"routes\"][0][\"paths\"][0]
sys.exit(not (p[\"next_hop_resolved\"] is False and p[\"reason\"] == \"next hop unresolved\"))"'
itest_check "not in the kernel" kroute_lacks dut 10.99.120.0/24
ns_exec dut ip addr add 10.77.0.2/24 dev eth0
wait_kroute dut "10.99.120.0/24 10.77.0.1 20"
itest_check "show fib: installed" test "$(fib_state dut 10.99.120.0/24)" = installed
ns_exec dut ip addr del 10.77.0.2/24 dev eth0
wait_no_kroute dut 10.99.120.0/24
itest_check "show fib: unresolved again" \
	test "$(fib_state dut 10.99.120.0/24)" = unresolved
