#!/bin/bash
#
# fib-ecmp.sh - two peers of one AS announcing the same prefix give one
# multipath route with both next hops (IPv4 and IPv6); when one peer
# leaves, the route shrinks to one next hop in place: replaced, never
# deleted (checked with "ip monitor route" in the namespace).
#
#   dut    10.99.0.1 fd99::1  AS 65001
#   bird1  10.99.0.2 fd99::2  AS 65002  announces 10.99.110.0/24 fd99:110::/64
#   bird2  10.99.0.3 fd99::3  AS 65002  announces the same

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-ecmp
itest_require_flatbgpd
itest_require_peers bird

lan_add lan 10.99.0.0/24 fd99::/64
for n in dut bird1 bird2; do ns_add "$n"; done
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_attach bird1 lan 10.99.0.2/24 fd99::2/64
ns_attach bird2 lan 10.99.0.3/24 fd99::3/64

flatbgpd_start dut "$(flatbgpd_conf dut 10.99.0.1 65001 \
	nbr=10.99.0.2,65002,passive nbr=10.99.0.3,65002,passive)"
for i in 1 2; do
	bird_start "bird$i" "10.99.0.$((i + 1))" 65002 nbr=10.99.0.1,65001 \
		net4=10.99.110.0/24 net6=fd99:110::/64
done
wait_established flatbgpd dut 10.99.0.2
wait_established flatbgpd dut 10.99.0.3

itest_log "one multipath route per family"
wait_kroute dut "10.99.110.0/24 10.99.0.2,10.99.0.3 20"
wait_kroute dut "fd99:110::/64 fd99::2,fd99::3 20"
itest_check "exactly one IPv4 route for the prefix" \
	test "$(ns_exec dut ip -4 route show 10.99.110.0/24 | grep -c '^10')" = 1
# shellcheck disable=SC2016
itest_check "show fib lists both next hops" eval \
	'flatbgpctl_ns dut -j show fib | "$ITEST_PYTHON" -c "
import json, sys
r = [x for x in json.load(sys.stdin)[\"fib\"] if x[\"prefix\"] == \"10.99.110.0/24\"][0]
sys.exit(sorted(r[\"next_hops\"]) != [\"10.99.0.2\", \"10.99.0.3\"] or r[\"state\"] != \"installed\")"'

itest_log "bird2 leaves: the routes shrink in place"
mon="$ITEST_DIR/dut/monitor.txt"
ip netns exec "$(ns_name dut)" ip monitor route >"$mon" 2>&1 </dev/null 7>&- 8>&- &
_itest_track_pid $! dut/monitor
sleep 0.3
bird_stop bird2
wait_kroute dut "10.99.110.0/24 10.99.0.2 20"
wait_kroute dut "fd99:110::/64 fd99::2 20"
sleep 0.5
itest_check "the kernel saw the routes replaced" \
	grep -q "10.99.110.0/24 via 10.99.0.2" "$mon"
itest_check "no deletion of 10.99.110.0/24 or fd99:110::/64 (no gap)" \
	eval "! grep -E '^Deleted (10.99.110.0/24|fd99:110::/64)' \"$mon\""

itest_log "bird2 comes back: two next hops again"
bird_start bird2 10.99.0.3 65002 nbr=10.99.0.1,65001 \
	net4=10.99.110.0/24 net6=fd99:110::/64
wait_kroute dut "10.99.110.0/24 10.99.0.2,10.99.0.3 20" main 20
wait_kroute dut "fd99:110::/64 fd99::2,fd99::3 20"
itest_check "still no deletion" \
	eval "! grep -E '^Deleted (10.99.110.0/24|fd99:110::/64)' \"$mon\""
