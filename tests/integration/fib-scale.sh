#!/bin/bash
#
# fib-scale.sh - 100,000 routes from one peer reach the kernel, and all go
# away when the peer leaves.  BIRD originates them (static routes, /26s in
# 10.100.0.0-10.197.255.255: private space inside the namespaces only).
#
# Also measured, for the record (stderr, not checked): the same number of
# "ip route add" through "ip -batch" in a namespace of its own, and
# flatbgpd's own figures from its log ("fib: N requests in M batches").
#
#   dut   10.99.0.1  AS 65001  policy.import.max-prefixes 200000
#   bird  10.99.0.2  AS 65002

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-fib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib-fib.sh"

itest_init fib-scale
itest_require_flatbgpd
itest_require_peers bird
COUNT=${FIB_SCALE_COUNT:-100000}

lan_add lan 10.99.0.0/24 fd99::/64
for n in dut bird ref; do ns_add "$n"; done
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_attach bird lan 10.99.0.2/24 fd99::2/64
ns_attach ref lan 10.99.0.3/24 -

# The prefixes, one per line.
"$ITEST_PYTHON" -c '
import sys
for i in range(int(sys.argv[1])):
    j = i // 4
    print("10.%d.%d.%d/26" % (100 + j // 256, j % 256, 64 * (i % 4)))
' "$COUNT" >"$ITEST_DIR/prefixes"

conf=$(flatbgpd_conf dut 10.99.0.1 65001 nbr=10.99.0.2,65002,passive)
sed -i "s/^policy:\$/policy:\\n  import:\\n    max-prefixes: 200000/" "$conf"
sed -i 's/^  level: debug$/  level: info/' "$conf"
flatbgpd_start dut "$conf"
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001
wait_established flatbgpd dut 10.99.0.2

count_routes() {
	ns_exec "$1" ip -4 route show proto bgp | wc -l
}

itest_log "BIRD announces $COUNT routes"
d="$ITEST_DIR/bird/bird"
cp "$ITEST_DIR/prefixes" "$d/nets4"
sed 's/.*/route & blackhole;/' "$d/nets4" >"$d/static4.conf"
start=$(date +%s.%N)
_birdc bird configure >/dev/null
# shellcheck disable=SC2016 # eval expands later, on purpose
wait_until 60 eval '[ "$(count_routes dut)" -ge "$COUNT" ]' ||
	itest_fail "only $(count_routes dut) of $COUNT routes in the kernel after 60 s"
end=$(date +%s.%N)
itest_ok "$COUNT routes in the kernel"
itest_log "$(printf 'from "birdc configure" to %d kernel routes: %.2f s' \
	"$COUNT" "$(echo "$end - $start" | bc)")"
# shellcheck disable=SC2016
itest_check "each with BIRD's next hop and our metric" eval \
	'[ "$(ns_exec dut ip -4 route show proto bgp | grep -c "via 10.99.0.2 dev eth0 metric 20")" = "$COUNT" ]'
grep -h "fib: .* requests in" "$(flatbgpd_log dut)" >&2 || true
# shellcheck disable=SC2016
itest_check "show fib streams them all" eval \
	'[ "$(flatbgpctl_ns dut -j show fib | "$ITEST_PYTHON" -c "
import json, sys
print(sum(1 for r in json.load(sys.stdin)[\"fib\"] if r[\"state\"] == \"installed\"))")" = "$COUNT" ]'
rss=$(flatbgpctl_ns dut -j show memory | "$ITEST_PYTHON" -c '
import json, sys; print(json.load(sys.stdin)["memory"]["rss_bytes"] // 1048576)')
itest_log "flatbgpd RSS with $COUNT routes: $rss MiB"

itest_log "BIRD leaves: every route goes"
start=$(date +%s.%N)
bird_stop bird
# shellcheck disable=SC2016
wait_until 60 eval '[ "$(count_routes dut)" = 0 ]' ||
	itest_fail "$(count_routes dut) routes left after 60 s"
end=$(date +%s.%N)
itest_ok "all $COUNT routes removed"
itest_log "$(printf 'from "bird stop" to an empty table: %.2f s' \
	"$(echo "$end - $start" | bc)")"
grep -h "fib: .* requests in" "$(flatbgpd_log dut)" | tail -n 1 >&2 || true

itest_log "for comparison: ip -batch adding the same routes (namespace ref)"
sed 's/.*/route add & via 10.99.0.1 proto bgp metric 20/' "$ITEST_DIR/prefixes" \
	>"$ITEST_DIR/batch"
start=$(date +%s.%N)
ns_exec ref ip -batch "$ITEST_DIR/batch"
end=$(date +%s.%N)
itest_check "ip -batch added them" test "$(count_routes ref)" = "$COUNT"
itest_log "$(printf 'ip -batch: %d routes in %.2f s' "$COUNT" \
	"$(echo "$end - $start" | bc)")"
