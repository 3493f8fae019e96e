#!/bin/bash
#
# fib-basic.sh - routes learned from BIRD and from another flatbgpd reach
# the kernel with protocol bgp, the configured metric and table; a
# withdrawal and a session loss remove them; "show fib" tells.
#
#   dut    10.99.0.1 fd99::1  AS 65001  fib: table 1000, metric 33
#   bird   10.99.0.2 fd99::2  AS 65002  announces 10.99.102.0/24 fd99:102::/64
#   peer   10.99.0.3 fd99::3  AS 65003  flatbgpd, default fib (main, 20),
#                                       announces 10.99.103.0/24 fd99:103::/64

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-basic
itest_require_flatbgpd
itest_require_peers bird

lan_add lan 10.99.0.0/24 fd99::/64
for n in dut bird peer; do ns_add "$n"; done
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_attach bird lan 10.99.0.2/24 fd99::2/64
ns_attach peer lan 10.99.0.3/24 fd99::3/64

conf=$(flatbgpd_conf dut 10.99.0.1 65001 nbr=10.99.0.2,65002,passive \
	nbr=10.99.0.3,65003,passive net4=10.99.101.0/24 net6=fd99:101::/64)
flatbgpd_conf_set "$conf" "fib:
  table: 1000
  metric: 33"
flatbgpd_start dut "$conf"
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 \
	net4=10.99.102.0/24 net6=fd99:102::/64
flatbgpd_start peer "$(flatbgpd_conf peer 10.99.0.3 65003 nbr=10.99.0.1,65001 \
	net4=10.99.103.0/24 net6=fd99:103::/64)"
wait_established flatbgpd dut 10.99.0.2
wait_established flatbgpd dut 10.99.0.3

itest_log "learned routes in table 1000 with metric 33, protocol bgp"
wait_kroute dut "10.99.102.0/24 10.99.0.2 33" 1000
wait_kroute dut "fd99:102::/64 fd99::2 33" 1000
wait_kroute dut "10.99.103.0/24 10.99.0.3 33" 1000
wait_kroute dut "fd99:103::/64 fd99::3 33" 1000
itest_check "nothing of ours in the main table" \
	test -z "$(kroutes dut main)"
itest_check "our own prefixes are not installed" \
	eval '! kroute_has dut 10.99.101.0/24 1000 && ! kroute_has dut fd99:101::/64 1000'
itest_check "show fib: installed" \
	test "$(fib_state dut 10.99.102.0/24)" = installed
# shellcheck disable=SC2016
itest_check "show fib -j: table, metric, protocol" eval \
	'flatbgpctl_ns dut -j show fib | "$ITEST_PYTHON" -c "
import json, sys
r = [x for x in json.load(sys.stdin)[\"fib\"] if x[\"prefix\"] == \"fd99:103::/64\"][0]
sys.exit(not (r[\"table\"] == 1000 and r[\"metric\"] == 33 and r[\"protocol\"] == 186
    and r[\"next_hops\"] == [\"fd99::3\"]))"'
itest_check "show fib (table) lists the route" eval \
	'flatbgpctl_ns dut show fib | grep -q "^10.99.103.0/24 *10.99.0.3 *33 *1000 *186 *installed"'

itest_log "the other flatbgpd installs ours in its main table (defaults)"
wait_kroute peer "10.99.101.0/24 10.99.0.1 20"
wait_kroute peer "fd99:101::/64 fd99::1 20"

itest_log "withdrawal"
bird_withdraw bird 10.99.102.0/24
wait_no_kroute dut 10.99.102.0/24 1000
itest_check "the IPv6 route of the same peer stays" \
	kroute_has dut "fd99:102::/64 fd99::2 33" 1000

itest_log "session loss: the peer flatbgpd stops"
flatbgpd_stop peer
wait_no_kroute dut 10.99.103.0/24 1000
wait_no_kroute dut fd99:103::/64 1000
itest_check "the stopped flatbgpd removed its routes" \
	test -z "$(kroutes peer main)"
itest_check "BIRD's route stays" kroute_has dut "fd99:102::/64 fd99::2 33" 1000

itest_log "session loss: BIRD stops"
bird_stop bird
wait_no_kroute dut fd99:102::/64 1000
itest_check "table 1000 has no bgp route left" test -z "$(kroutes dut 1000)"
