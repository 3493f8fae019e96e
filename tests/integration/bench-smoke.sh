#!/bin/bash
#
# bench-smoke.sh - the benchmark's smoke mode (bench/README.md): 10,000
# IPv4 routes through flatbgpd and through BIRD, once each, plus the two
# limits and flatbgpd with 10,000 IPv6 routes, so that "make check"
# keeps bench/ working.  Checks that every
# figure came in and that the report is produced; the figures themselves
# go to the log, unchecked (a loaded CI machine is no benchmark).

set -eu
# A measurement runs in $(...): a failure inside must end the test.
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
# shellcheck source=lib-flatbgpd.sh source-path=SCRIPTDIR
. "$here/lib-flatbgpd.sh"
# shellcheck source=../../bench/lib.sh source-path=SCRIPTDIR
. "$here/../../bench/lib.sh"

itest_init bench-smoke
itest_require_peers bird
bench_require flatbgpd bird
BENCH_TIMEOUT=${BENCH_TIMEOUT:-30}
bench_init
COUNT=10000
results="$ITEST_DIR/results.txt"

# measure CMD...: one measurement's result line; its own TAP output (a
# "not ok" from inside) is dropped, the failure ends the test here.
measure() {
	exec 7>/dev/null
	"$@"
}

# Each measurement gets namespaces of its own: the run number lives in
# this shell, the measurements in subshells.
next_run() {
	BENCH_RUN_SEQ=$((${BENCH_RUN_SEQ:-0} + 1))
}

# field LINE KEY: the value of KEY= in a result line.
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# is_seconds VALUE: a measured time, not "timeout" or "na".
is_seconds() {
	case $1 in
	'' | *[!0-9.]*) return 1 ;;
	*) return 0 ;;
	esac
}

# check_line LINE KEY...: every KEY of LINE holds a number.
check_line() {
	local line=$1 key v
	shift
	for key in "$@"; do
		v=$(field "$line" "$key")
		is_seconds "$v" || itest_fail "$key is '$v' in: $line"
	done
}

next_run
line=$(measure bench_limit_bgp 4 "$COUNT")
itest_log "$line"
check_line "$line" sink
itest_ok "limit: generator straight into the sink"
printf '%s\n' "$line" >>"$results"

next_run
line=$(measure bench_limit_kernel 4 "$COUNT")
itest_log "$line"
check_line "$line" fib wd add delete
itest_ok "limit: the kernel takes $COUNT routes over batched netlink"
printf '%s\n' "$line" >>"$results"

for d in flatbgpd bird; do
	next_run
	line=$(measure bench_daemon "$d" 4 "$COUNT")
	itest_log "$line"
	check_line "$line" sink fib wd_sink wd_fib hwm_kib cpu idle_kib
	itest_ok "$d: $COUNT routes to the sink and into the FIB, and out again"
	printf '%s\n' "$line" >>"$results"
done

# IPv6 over IPv6 sessions; the withdrawal sends more than 1024 IPv6
# deletions at once (a full batch, which once exceeded the socket's send
# buffer).
next_run
line=$(measure bench_daemon flatbgpd 6 "$COUNT")
itest_log "$line"
check_line "$line" sink fib wd_sink wd_fib hwm_kib cpu idle_kib
itest_ok "flatbgpd: $COUNT IPv6 routes to the sink and into the FIB, and out again"
printf '%s\n' "$line" >>"$results"

{
	echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
	bench_versions | sed 's/^/version /'
} >"$ITEST_DIR/machine.txt"
# shellcheck disable=SC2016 # expanded by eval
itest_check "the report has a row per daemon and the targets" eval \
	'"$ITEST_PYTHON" "$top_srcdir/bench/report.py" "$ITEST_DIR/machine.txt" \
	"$results" >"$ITEST_DIR/report.md" &&
	grep -q "^| flatbgpd | 1 |" "$ITEST_DIR/report.md" &&
	grep -q "^| BIRD 2 | 1 |" "$ITEST_DIR/report.md" &&
	grep -q "^| FIB within 1.1" "$ITEST_DIR/report.md"'
