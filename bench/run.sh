#!/bin/bash
#
# bench/run.sh - flatbgpd against BIRD 2, FRR, OpenBGPD and GoBGP, each
# as the daemon between a table generator and a counting sink, plus the
# two limits (generator straight into the sink; the kernel's own insert
# rate), as a Markdown table of medians.  See bench/README.md.
#
#   sudo bench/run.sh [-r RUNS] [-d "DAEMONS"] [-p "PLAN"] [-o FILE]
#   sudo bench/run.sh -s          (smoke: 10,000 routes, flatbgpd, BIRD)
#
# RUNS [3] per figure; DAEMONS [flatbgpd bird frr openbgpd gobgp], those
# not installed are left out; PLAN [4:100000 4:1000000 6:100000] is a
# list of FAMILY:COUNT.  The raw result lines go to bench/out/ (or
# $BENCH_OUT), the table to FILE [stdout].  Progress on stderr.
#
# Everything runs inside network namespaces created for each run and
# deleted after it; nothing touches the root namespace.  Runs are
# interleaved (every daemon once, then again) so that a change in the
# machine's load spreads over all of them.

set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-$top_srcdir}" && pwd)
export top_srcdir top_builddir
# shellcheck source-path=SCRIPTDIR source=../tests/integration/lib.sh
. "$top_srcdir/tests/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../tests/integration/lib-flatbgpd.sh
. "$top_srcdir/tests/integration/lib-flatbgpd.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

runs=3
daemons="flatbgpd bird frr openbgpd gobgp"
plan="4:100000 4:1000000 6:100000"
output=""
while getopts "sr:d:p:o:" opt; do
	case $opt in
	s) runs=1 daemons="flatbgpd bird" plan="4:10000" ;;
	r) runs=$OPTARG ;;
	d) daemons=$OPTARG ;;
	p) plan=$OPTARG ;;
	o) output=$OPTARG ;;
	*) sed -n '9,14p' "$0" >&2; exit 2 ;;
	esac
done

itest_init bench
# run.sh speaks no TAP: the harness's "ok" lines go nowhere.
exec 7>/dev/null
bench_init

present=""
for d in $daemons; do
	case $d in
	flatbgpd) need="$FLATBGPD" ;;
	bird) need=bird ;;
	frr) need=/usr/lib/frr/bgpd ;;
	openbgpd) need=bgpd ;;
	gobgp) need=gobgpd ;;
	*) echo "run.sh: unknown daemon $d" >&2; exit 2 ;;
	esac
	if command -v "$need" >/dev/null 2>&1; then
		present="$present $d"
	else
		itest_log "$d is not installed: left out"
	fi
done
# shellcheck disable=SC2086
bench_require $present

out=${BENCH_OUT:-$here/out}
mkdir -p "$out"
stamp=$(date +%Y%m%d-%H%M%S)
raw="$out/raw-$stamp.txt"
info="$out/machine-$stamp.txt"
{
	echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores"
	echo "memory $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel $(uname -r)"
	echo "load-before $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "plan $plan runs=$runs daemons=$present"
	bench_versions | sed 's/^/version /'
} >"$info"

# One measurement in a subshell (set -e on in it): a daemon that fails
# only costs its figure ("failed=1").  Its world is torn down either way.
seq=0
measure() {
	local label=$1 family=$2 count=$3 rc tmp="$ITEST_DIR/measure.out"
	shift 3
	seq=$((seq + 1))
	BENCH_RUN_SEQ=$((seq - 1))
	set +e
	(set -e; "$@") >"$tmp"
	rc=$?
	set -e
	if [ "$rc" = 0 ] && [ -s "$tmp" ]; then
		cat "$tmp" >>"$raw"
		itest_log "$(cat "$tmp")"
	else
		itest_log "FAILED: $label IPv$family $count (exit status $rc)"
		echo "daemon=$label family=$family count=$count failed=1" >>"$raw"
		# shellcheck disable=SC2034 # read by bench_world_names
		BENCH_RUN_SEQ=$seq
		bench_world_names
		bench_world_down
	fi
}

start=$SECONDS
for item in $plan; do
	family=${item%%:*} count=${item##*:}
	for ((r = 1; r <= runs; r++)); do
		itest_log "IPv$family, $count routes, run $r of $runs"
		measure limit-bgp "$family" "$count" \
			bench_limit_bgp "$family" "$count"
		measure limit-kernel "$family" "$count" \
			bench_limit_kernel "$family" "$count"
		for d in $present; do
			measure "$d" "$family" "$count" \
				bench_daemon "$d" "$family" "$count"
		done
	done
done
echo "load-after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$info"
echo "duration $((SECONDS - start)) s" >>"$info"
itest_log "raw results in $raw, $((SECONDS - start)) s"

if [ -n "$output" ]; then
	"$ITEST_PYTHON" "$here/report.py" "$info" "$raw" >"$output"
	itest_log "table written to $output"
else
	"$ITEST_PYTHON" "$here/report.py" "$info" "$raw"
fi
