#!/bin/bash
#
# fib-overflow.sh - the notification socket overflows (ENOBUFS) and
# flatbgpd recovers from a dump.  flatbgpd is frozen (SIGSTOP) while our
# route is deleted by hand and 60,000 routes of another owner are added,
# one of them on our key; the kernel drops notifications for flatbgpd.
# After SIGCONT it must notice the overrun, read the table again, put its
# route back and report the conflict it could not have seen otherwise.
#
#   dut   10.99.0.1  AS 65001
#   bird  10.99.0.2  AS 65002  announces 10.99.102.0/24 and 10.150.3.0/26

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-overflow
itest_require_flatbgpd
itest_require_peers bird

fib_lan_dut_bird

flatbgpd_start dut "$(flatbgpd_conf dut 10.99.0.1 65001 nbr=10.99.0.2,65002,passive)"
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 \
	net4=10.99.102.0/24 net4=10.150.3.0/26
wait_established flatbgpd dut 10.99.0.2
wait_kroute dut "10.99.102.0/24 10.99.0.2 20"
wait_kroute dut "10.150.3.0/26 10.99.0.2 20"

# 60,000 static /26s (metric 0: no conflict), and one appended on our key.
"$ITEST_PYTHON" -c '
for i in range(60000):
    j = i // 4
    p = "10.%d.%d.%d/26" % (100 + j // 256, j % 256, 64 * (i % 4))
    if p == "10.150.3.0/26":
        print("route append %s via 10.99.0.9 proto static metric 20" % p)
    else:
        print("route add %s via 10.99.0.9 proto static" % p)
' >"$ITEST_DIR/batch"

itest_log "flatbgpd frozen: our route deleted, 60,000 foreign routes added"
pid=$(cat "$ITEST_DIR/dut/flatbgpd/flatbgpd.run")
kill -STOP "$pid"
ns_exec dut ip route del 10.99.102.0/24 proto bgp
ns_exec dut ip -batch "$ITEST_DIR/batch"
kill -CONT "$pid"

itest_check "the overrun is noticed" wait_until 20 \
	grep -q "notification socket overrun" "$(flatbgpd_log dut)"
wait_kroute dut "10.99.102.0/24 10.99.0.2 20" main 20
wait_until 20 test "$(fib_state dut 10.150.3.0/26)" = conflicting ||
	itest_fail "10.150.3.0/26: $(fib_state dut 10.150.3.0/26)"
itest_ok "the conflict hidden in the overflow is found"
wait_no_kroute dut 10.150.3.0/26
itest_check "the foreign route on our key stays" eval \
	'kroutes dut main static | grep -qxF "10.150.3.0/26 10.99.0.9 20"'
itest_check "all 60,000 foreign routes untouched" \
	test "$(ns_exec dut ip -4 route show proto static | wc -l)" = 60000
