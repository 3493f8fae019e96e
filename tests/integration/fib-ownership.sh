#!/bin/bash
#
# fib-ownership.sh - flatbgpd changes and deletes only routes with its
# protocol number.
#
#  - a static route on a learned prefix with another metric is another
#    kernel key: both coexist, the static one untouched by start and stop;
#  - a static route on our key (same prefix, table, metric) is left alone
#    and "show fib" says "conflicting"; once it goes, ours is installed;
#    a static route appended next to ours makes ours go, not theirs;
#  - "ip route del" of one of our routes is undone.
#
#   dut   10.99.0.1 fd99::1  AS 65001
#   bird  10.99.0.2 fd99::2  AS 65002  announces 10.99.102.0/24,
#                                      10.99.104.0/24, fd99:102::/64

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-ownership
itest_require_flatbgpd
itest_require_peers bird

fib_lan_dut_bird

# Routes of another owner, there before flatbgpd starts.
ns_exec dut ip route add 10.99.102.0/24 via 10.99.0.9 proto static
ns_exec dut ip route add 10.99.104.0/24 via 10.99.0.9 proto static metric 20
ns_exec dut ip -6 route add fd99:102::/64 via fd99::9 proto static metric 20
statics() { kroutes dut main static; }
before=$(statics)

flatbgpd_start dut "$(flatbgpd_conf dut 10.99.0.1 65001 nbr=10.99.0.2,65002,passive)"
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 \
	net4=10.99.102.0/24 net4=10.99.104.0/24 net6=fd99:102::/64
wait_established flatbgpd dut 10.99.0.2

itest_log "another metric: both routes"
wait_kroute dut "10.99.102.0/24 10.99.0.2 20"
itest_check "the static routes are untouched" test "$(statics)" = "$before"

itest_log "our key taken: conflicting, left alone"
wait_until 10 test "$(fib_state dut 10.99.104.0/24)" = conflicting ||
	itest_fail "10.99.104.0/24: state $(fib_state dut 10.99.104.0/24)"
itest_ok "show fib: 10.99.104.0/24 conflicting"
itest_check "show fib: fd99:102::/64 conflicting" \
	test "$(fib_state dut fd99:102::/64)" = conflicting
itest_check "no bgp route on those keys" \
	eval '! kroute_has dut 10.99.104.0/24 && ! kroute_has dut fd99:102::/64'
itest_check "the conflict is logged" \
	grep -q "10.99.104.0/24: .*another owner" "$(flatbgpd_log dut)"
itest_check "the static routes are still untouched" test "$(statics)" = "$before"

itest_log "ip route del of our route is undone"
ns_exec dut ip route del 10.99.102.0/24 proto bgp
wait_kroute dut "10.99.102.0/24 10.99.0.2 20"
itest_check "logged" grep -q "10.99.102.0/24: our route was deleted" \
	"$(flatbgpd_log dut)"

itest_log "the other owner leaves: ours goes in"
ns_exec dut ip route del 10.99.104.0/24 proto static metric 20
wait_kroute dut "10.99.104.0/24 10.99.0.2 20"
itest_check "show fib: installed" \
	test "$(fib_state dut 10.99.104.0/24)" = installed
itest_log "the other owner appends a route on our key: ours goes, theirs stays"
ns_exec dut ip route append 10.99.104.0/24 via 10.99.0.9 proto static metric 20
wait_no_kroute dut 10.99.104.0/24
itest_check "their route is there" \
	eval 'statics | grep -qxF "10.99.104.0/24 10.99.0.9 20"'
itest_check "show fib: conflicting again" \
	test "$(fib_state dut 10.99.104.0/24)" = conflicting

itest_log "flatbgpd stops: its routes go, the others stay"
flatbgpd_stop dut
itest_check "no bgp route left" test -z "$(kroutes dut main)"
itest_check "static routes as before" test "$(statics)" = "$before"
