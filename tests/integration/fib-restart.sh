#!/bin/bash
#
# fib-restart.sh - restart without disruption, and keep-on-exit.
#
# flatbgpd is killed (kill -9) with its routes in the kernel; meanwhile
# BIRD withdraws one prefix.  On the next start flatbgpd finds its old
# routes, keeps those the RIB confirms (replaced in place: "ip monitor
# route" must show no deletion of them, so there is no gap) and deletes
# the stale one once the session has converged.  With fib.keep-on-exit,
# SIGTERM leaves the routes in the kernel.
#
#   dut   10.99.0.1 fd99::1  AS 65001
#   bird  10.99.0.2 fd99::2  AS 65002  announces 10.99.102.0/24,
#                                      10.99.103.0/24, fd99:102::/64

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-restart
itest_require_flatbgpd
itest_require_peers bird

fib_lan_dut_bird

conf=$(flatbgpd_conf dut 10.99.0.1 65001 nbr=10.99.0.2,65002,passive)
flatbgpd_start dut "$conf"
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 \
	net4=10.99.102.0/24 net4=10.99.103.0/24 net6=fd99:102::/64
wait_established flatbgpd dut 10.99.0.2
wait_kroute dut "10.99.102.0/24 10.99.0.2 20"
wait_kroute dut "10.99.103.0/24 10.99.0.2 20"
wait_kroute dut "fd99:102::/64 fd99::2 20"

itest_log "flatbgpd crashes; its routes stay; BIRD withdraws one meanwhile"
flatbgpd_kill dut
itest_check "routes left in the kernel" \
	test "$(kroutes dut | wc -l)" = 3
# shellcheck disable=SC2016 # eval expands later, on purpose
wait_until 20 eval '[ "$(bird_state bird 10.99.0.1)" != Established ]' ||
	itest_fail "BIRD did not notice the crash"
bird_withdraw bird 10.99.103.0/24

mon="$ITEST_DIR/dut/monitor.txt"
ip netns exec "$(ns_name dut)" ip monitor route >"$mon" 2>&1 </dev/null 7>&- 8>&- &
_itest_track_pid $! dut/monitor
sleep 0.3

itest_log "restart: the stale route goes, the valid ones stay in place"
flatbgpd_start dut "$conf"
itest_check "show fib right after start: the old route is pending" \
	test "$(fib_state dut 10.99.103.0/24)" = pending
wait_established flatbgpd dut 10.99.0.2
# Bounded wait: converged at End-of-RIB, at the latest after the hold
# time (9 s).
wait_no_kroute dut 10.99.103.0/24 main 20
itest_check "valid routes still there" eval \
	'kroute_has dut "10.99.102.0/24 10.99.0.2 20" && kroute_has dut "fd99:102::/64 fd99::2 20"'
sleep 0.3
itest_check "the stale route was deleted" grep -q '^Deleted 10.99.103.0/24' "$mon"
itest_check "the valid routes were never deleted (no gap)" \
	eval "! grep -E '^Deleted (10.99.102.0/24|fd99:102::/64)' \"$mon\""
itest_check "logged" grep -q "routes of ours in table 254 from an earlier run" \
	"$(flatbgpd_log dut)"

itest_log "keep-on-exit"
flatbgpd_stop dut
itest_check "without keep-on-exit SIGTERM removes them" \
	test -z "$(kroutes dut)"
flatbgpd_conf_set "$conf" "fib:
  keep-on-exit: true"
flatbgpd_start dut "$conf"
# Both routes in before the stop: BIRD's IPv6 UPDATE may come a few
# milliseconds after the IPv4 one.
wait_kroute dut "10.99.102.0/24 10.99.0.2 20" main 20
wait_kroute dut "fd99:102::/64 fd99::2 20" main 20
flatbgpd_stop dut
itest_check "with keep-on-exit SIGTERM leaves them" \
	eval 'kroute_has dut 10.99.102.0/24 && kroute_has dut fd99:102::/64'
