# shellcheck shell=bash
#
# bench/lib.sh - the benchmark's plumbing, shared by bench/run.sh and
# tests/integration/bench-smoke.sh.  Source it after
# tests/integration/lib.sh and call bench_init after itest_init: the
# namespaces, the peer daemons (BIRD, FRR, OpenBGPD, GoBGP, flatbgpd),
# their runtime dirs, pid tracking and the cleanup on exit are that
# harness's; this file adds the topology of one measurement, one adapter
# per daemon under test and the measurements.
#
# One run (bench_daemon DAEMON FAMILY COUNT) builds a fresh world:
#
#   gen  10.99.0.2 / fd99::2  AS 65002  bench/bgpgen (the feeder)
#   dut  10.99.0.1 / fd99::1  AS 65001  the daemon under test + fibwatch
#   sink 10.99.0.3 / fd99::3  AS 65003  bench/bgpsink
#
# on one LAN, eBGP both sides, sessions over IPv4 for the IPv4 table and
# over IPv6 for the IPv6 one; the daemon accepts both sessions
# (passive), imports everything, exports everything and installs into
# its namespace's kernel FIB where it can.  It prints one result line:
#
#   daemon=D family=4|6 count=N sink=S fib=F wd_sink=W wd_fib=X wd=Y
#   hwm_kib=H cpu=C cpu_total=T idle_kib=I
#
# sink/fib: seconds from the first UPDATE byte the generator wrote to the
# sink holding all N / fibwatch counting N routes of the daemon's
# protocol; wd_*: from the generator closing its session to none left
# (wd = the later of the two); hwm_kib: VmHWM summed over the daemon's
# processes; cpu: their utime+stime from the first UPDATE until both
# counts were full, cpu_total until the end of the withdrawal; idle_kib:
# VmRSS summed with the sink's session up and no routes.  A figure that
# does not apply is "na" (no FIB), one that did not come in time
# "timeout".
#
# The limits print the same kind of line:
#   bench_limit_bgp FAMILY COUNT     generator straight into the sink
#   bench_limit_kernel FAMILY COUNT  fibload: COUNT routes over batched
#                                    netlink, fibwatch counting them
#
# Environment: BENCH_TIMEOUT (seconds a phase may take [600]),
# BENCH_SETTLE (seconds between the sink's session and the table [1]),
# BENCH_BIN (where bgpgen, bgpsink, fibwatch, fibload are
# [$top_builddir/bench]).

BENCH_ASN_DUT=65001
BENCH_ASN_GEN=65002
BENCH_ASN_SINK=65003
BENCH_RUN_SEQ=0

# bench_init: after itest_init; finds the tools (skip if not built).
bench_init() {
	local t
	BENCH_BIN=${BENCH_BIN:-$top_builddir/bench}
	BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
	BENCH_SETTLE=${BENCH_SETTLE:-1}
	for t in bgpgen bgpsink fibwatch fibload; do
		[ -x "$BENCH_BIN/$t" ] ||
			itest_skip "bench/$t not built (run make)"
	done
}

# bench_require DAEMON...: skip unless those daemons are installed.
bench_require() {
	local d peers=()
	for d in "$@"; do
		case $d in
		flatbgpd) itest_require_flatbgpd ;;
		*) peers+=("$d") ;;
		esac
	done
	[ "${#peers[@]}" = 0 ] || itest_require_peers "${peers[@]}"
}

# ---------------------------------------------------------------------------
# Topology of one run: fresh namespaces (names r<SEQ>-...), removed again
# by bench_world_down.

# bench_world_names: BW_LAN BW_DUT BW_GEN BW_SINK, the short namespace
# names of run number BENCH_RUN_SEQ.
bench_world_names() {
	BW_LAN=r$BENCH_RUN_SEQ BW_DUT=r$BENCH_RUN_SEQ-dut
	BW_GEN=r$BENCH_RUN_SEQ-gen BW_SINK=r$BENCH_RUN_SEQ-sink
}

# bench_world_up FAMILY: the next run's namespaces (bench_world_names)
# and BW_A_DUT BW_A_GEN BW_A_SINK, the addresses of the session family.
bench_world_up() {
	local family=$1 n
	BENCH_RUN_SEQ=$((BENCH_RUN_SEQ + 1))
	bench_world_names
	lan_add "$BW_LAN" 10.99.0.0/24 fd99::/64
	for n in "$BW_DUT" "$BW_GEN" "$BW_SINK"; do ns_add "$n"; done
	ns_attach "$BW_DUT" "$BW_LAN" 10.99.0.1/24 fd99::1/64
	ns_attach "$BW_GEN" "$BW_LAN" 10.99.0.2/24 fd99::2/64
	ns_attach "$BW_SINK" "$BW_LAN" 10.99.0.3/24 fd99::3/64
	# FRR sends router advertisements on IPv6 sessions: no SLAAC
	# addresses to confuse the sessions' source addresses.
	ns_no_slaac "$BW_DUT" "$BW_GEN" "$BW_SINK"
	if [ "$family" = 6 ]; then
		BW_A_DUT=fd99::1 BW_A_GEN=fd99::2 BW_A_SINK=fd99::3
	else
		BW_A_DUT=10.99.0.1 BW_A_GEN=10.99.0.2 BW_A_SINK=10.99.0.3
	fi
}

# bench_world_down: stop everything started in this run's namespaces
# (recorded pids first, by pid), then delete the namespaces.
bench_world_down() {
	local ns full p f
	for ns in "$BW_DUT" "$BW_GEN" "$BW_SINK" "lan-$BW_LAN"; do
		full=$(ns_name "$ns")
		for f in "$ITEST_DIR/$ns"/*/*.run; do
			[ -f "$f" ] || continue
			p=$(cat "$f")
			_itest_kill_pid "$p"
			_itest_frr_tmp_cleanup "$p"
			_itest_untrack_pid "$p"
			rm -f "$f"
		done
		for p in $(ip netns pids "$full" 2>/dev/null); do
			_itest_kill_pid "$p"
		done
		ip netns del "$full" 2>/dev/null || true
		grep -vxF "$full" "$ITEST_DIR/netns" >"$ITEST_DIR/netns.tmp" || true
		mv "$ITEST_DIR/netns.tmp" "$ITEST_DIR/netns"
		[ "${ITEST_KEEP:-0}" = 2 ] || rm -rf "${ITEST_DIR:?}/$ns"
	done
}

# ---------------------------------------------------------------------------
# The tools: started like the daemons (lib.sh records the pid), output
# (events and warnings) into $ITEST_DIR/NS/KIND/events.

# bench_tool NS KIND CMD...: start a tool in NS, record its pid.
bench_tool() {
	local ns=$1 kind=$2 d
	shift 2
	d="$ITEST_DIR/$ns/$kind"
	mkdir -p "$d"
	: >"$d/events"		# only this run's events count
	_peer_start_bg "$ns" "$kind" "$d/events" "$@" >"$d/tool.run"
}

# bench_event_time NS KIND EVENT: the time of EVENT, empty if none yet.
bench_event_time() {
	awk -v e="$3" '$1 == e { print $2; exit }' "$ITEST_DIR/$1/$2/events" \
		2>/dev/null
}

_bench_has_event() {
	[ -n "$(bench_event_time "$1" "$2" "$3")" ]
}

# bench_wait_event NS KIND EVENT TIMEOUT: 0 once EVENT is there.
bench_wait_event() {
	wait_until "$4" _bench_has_event "$1" "$2" "$3"
}

# bench_tool_pid NS KIND
bench_tool_pid() {
	cat "$ITEST_DIR/$1/$2/tool.run"
}

# bench_world_events: every tool's events and the daemon logs' tails of
# this run on stderr (after a timeout: what happened instead).
bench_world_events() {
	local f
	for f in "$ITEST_DIR/$BW_DUT"/*/events "$ITEST_DIR/$BW_GEN"/*/events \
	    "$ITEST_DIR/$BW_SINK"/*/events "$ITEST_DIR/$BW_DUT"/*/*.log; do
		[ -f "$f" ] || continue
		printf '==== %s\n' "${f#"$ITEST_DIR"/}" >&2
		tail -n 20 "$f" >&2
	done
}

# bench_diff LATER EARLIER: LATER - EARLIER in seconds (3 decimals), or
# "timeout" when LATER is empty.
bench_diff() {
	if [ -z "$1" ] || [ -z "$2" ]; then
		echo timeout
	else
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'
	fi
}

# ---------------------------------------------------------------------------
# Process figures, summed over a daemon's processes: the pids lib.sh
# recorded for it and their children (OpenBGPD's engines).

# bench_pids NS DAEMON
bench_pids() {
	local f p
	for f in "$ITEST_DIR/$1/$2"/*.run; do
		[ -f "$f" ] || continue
		p=$(cat "$f")
		echo "$p"
		ps -o pid= --ppid "$p" 2>/dev/null | tr -d ' '
	done | sort -un
}

# bench_status_kib NS DAEMON FIELD: FIELD (VmHWM, VmRSS) summed, in KiB.
bench_status_kib() {
	local p sum=0 v
	for p in $(bench_pids "$1" "$2"); do
		v=$(awk -v f="$3:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null)
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

# bench_cpu_ticks NS DAEMON: utime + stime summed, in clock ticks.
bench_cpu_ticks() {
	local p sum=0 v
	for p in $(bench_pids "$1" "$2"); do
		# Fields 14 and 15, counted after the ")" that ends the name.
		v=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null |
			awk '{ print $12 + $13 }')
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

# bench_cpu_seconds TICKS_LATER TICKS_EARLIER
bench_cpu_seconds() {
	awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f\n", (a - b) / hz }'
}

# ---------------------------------------------------------------------------
# Adapters: bench_start_DAEMON FAMILY starts the daemon under test in
# $BW_DUT with the generator and the sink as passive eBGP neighbors,
# import all, export all, FIB install where the daemon can.
# bench_proto_DAEMON prints the rtm_protocol of its kernel routes, or
# "na" when it installs none here.

# The lib.sh SPEC words for both neighbors.
_bench_spec() {
	local af=ipv4
	[ "$1" = 6 ] && af=ipv6
	printf '%s\n' "nbr=$BW_A_GEN,$BENCH_ASN_GEN,passive,af=$af" \
		"nbr=$BW_A_SINK,$BENCH_ASN_SINK,passive,af=$af" hold=180
}

# flatbgpd: the defaults, but every prefix allowed (the default allows
# only private space), no max-prefixes Cease below the table, and log
# level info (lib.sh writes debug).
bench_start_flatbgpd() {
	local conf spec
	mapfile -t spec < <(_bench_spec "$1")
	conf=$(flatbgpd_conf "$BW_DUT" 10.99.0.1 "$BENCH_ASN_DUT" "${spec[@]}" export=all)
	sed -i 's/^  level: debug$/  level: info/' "$conf"
	fconf_policy_import "$conf" '    allow: ["0.0.0.0/0", "::/0"]
    max-prefixes: 4000000'
	flatbgpd_start "$BW_DUT" "$conf"
}
bench_proto_flatbgpd() { echo 186; }

# BIRD: lib.sh's configuration plus kernel protocols exporting every
# route of both tables (BIRD installs nothing without them).
bench_start_bird() {
	local ns=$BW_DUT d spec
	mapfile -t spec < <(_bench_spec "$1")
	_peer_parse "${spec[@]}"
	d=$(_peer_dir "$ns" bird)
	echo 10.99.0.1 >"$d/rid"
	echo "$BENCH_ASN_DUT" >"$d/as"
	: >"$d/nets4"
	: >"$d/nets6"
	_bird_write_conf "$ns" "$d"
	printf 'protocol kernel kernel4 {\n\tipv4 { export all; };\n}\n' >>"$d/bird.conf"
	printf 'protocol kernel kernel6 {\n\tipv6 { export all; };\n}\n' >>"$d/bird.conf"
	ns_exec "$ns" bird -p -c "$d/bird.conf" >"$d/check.log" 2>&1 ||
		itest_fail "bird config invalid: $(cat "$d/check.log")"
	_peer_start_bg "$ns" bird "$d/bird.log" \
		bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" >"$d/bird.run"
	wait_until 10 test -S "$d/bird.ctl" || itest_fail "bird in $ns did not start"
}
bench_proto_bird() { echo 12; }

# FRR: bgpd + zebra, zebra installs (proto bgp).
bench_start_frr() {
	local spec
	mapfile -t spec < <(_bench_spec "$1")
	frr_start "$BW_DUT" 10.99.0.1 "$BENCH_ASN_DUT" "${spec[@]}"
}
bench_proto_frr() { echo 186; }

# OpenBGPD: Debian's build installs no kernel routes (fib-update no).
bench_start_openbgpd() {
	local spec
	mapfile -t spec < <(_bench_spec "$1")
	openbgpd_start "$BW_DUT" 10.99.0.1 "$BENCH_ASN_DUT" "${spec[@]}"
}
bench_proto_openbgpd() { echo na; }

# GoBGP: no zebra here, so no FIB.
bench_start_gobgp() {
	local spec
	mapfile -t spec < <(_bench_spec "$1")
	gobgp_start "$BW_DUT" 10.99.0.1 "$BENCH_ASN_DUT" "${spec[@]}"
}
bench_proto_gobgp() { echo na; }

# bench_versions: one "name version" line per program measured.
bench_versions() {
	local p
	for p in bird2 frr openbgpd gobgpd; do
		dpkg-query -W -f '${Package} ${Version}\n' "$p" 2>/dev/null ||
			echo "$p not-installed"
	done
	printf 'flatbgpd %s\n' "$(git -C "${top_srcdir:?}" describe --always --dirty 2>/dev/null || echo unknown)"
}

# ---------------------------------------------------------------------------
# Measurements

# _bench_gen_args FAMILY COUNT ADDRESS: bgpgen's arguments.
_bench_gen_args() {
	local six="" nh=10.99.0.2
	[ "$1" = 6 ] && six=-6 nh=fd99::2
	printf '%s\n' -c "$3" -a "$BENCH_ASN_GEN" -r 10.99.0.2 -n "$2" \
		-N "$nh" -T 60 $six
}

# _bench_start_gen FAMILY COUNT ADDRESS WHO: the generator, sending to
# ADDRESS; prints the time of its first UPDATE byte once it has one.
_bench_start_gen() {
	local gen_args
	mapfile -t gen_args < <(_bench_gen_args "$1" "$2" "$3")
	bench_tool "$BW_GEN" gen "$BENCH_BIN/bgpgen" "${gen_args[@]}"
	bench_wait_event "$BW_GEN" gen first-update 120 ||
		itest_fail "$4: the generator's session did not come up"
	bench_event_time "$BW_GEN" gen first-update
}

# bench_daemon DAEMON FAMILY COUNT: one run; prints the result line.
bench_daemon() {
	local daemon=$1 family=$2 count=$3 proto t0 c0 c1 c2 idle hwm
	local sink fib wd_sink wd_fib wd
	bench_world_up "$family"
	proto=$("bench_proto_$daemon")
	if [ "$proto" != na ]; then
		bench_tool "$BW_DUT" fibwatch "$BENCH_BIN/fibwatch" -P "$proto" \
			-n "$count" -f "$family"
		bench_wait_event "$BW_DUT" fibwatch ready 10 ||
			itest_fail "fibwatch did not start"
	fi
	"bench_start_$daemon" "$family"
	bench_tool "$BW_SINK" sink "$BENCH_BIN/bgpsink" -c "$BW_A_DUT" \
		-a "$BENCH_ASN_SINK" -r 10.99.0.3 -n "$count" -f "$family" -T 60
	bench_wait_event "$BW_SINK" sink established 60 ||
		itest_fail "$daemon: the sink's session did not come up"
	sleep "$BENCH_SETTLE"
	idle=$(bench_status_kib "$BW_DUT" "$daemon" VmRSS)
	c0=$(bench_cpu_ticks "$BW_DUT" "$daemon")
	t0=$(_bench_start_gen "$family" "$count" "$BW_A_DUT" "$daemon")

	bench_wait_event "$BW_SINK" sink full "$BENCH_TIMEOUT" || true
	[ "$proto" = na ] || bench_wait_event "$BW_DUT" fibwatch full "$BENCH_TIMEOUT" || true
	c1=$(bench_cpu_ticks "$BW_DUT" "$daemon")
	sink=$(bench_diff "$(bench_event_time "$BW_SINK" sink full)" "$t0")
	fib=na
	[ "$proto" = na ] || fib=$(bench_diff "$(bench_event_time "$BW_DUT" fibwatch full)" "$t0")

	bench_wait_event "$BW_GEN" gen sent 60 || true
	kill -USR1 "$(bench_tool_pid "$BW_GEN" gen)" 2>/dev/null || true
	bench_wait_event "$BW_GEN" gen close 10 || itest_fail "$daemon: the generator did not close"
	t0=$(bench_event_time "$BW_GEN" gen close)
	wd_sink=timeout wd_fib=na
	if [ "$sink" != timeout ]; then
		bench_wait_event "$BW_SINK" sink empty "$BENCH_TIMEOUT" || true
		wd_sink=$(bench_diff "$(bench_event_time "$BW_SINK" sink empty)" "$t0")
	fi
	if [ "$proto" != na ]; then
		wd_fib=timeout
		if [ "$fib" != timeout ]; then
			bench_wait_event "$BW_DUT" fibwatch empty "$BENCH_TIMEOUT" || true
			wd_fib=$(bench_diff "$(bench_event_time "$BW_DUT" fibwatch empty)" "$t0")
		fi
	fi
	wd=$(_bench_later "$wd_sink" "$wd_fib")
	c2=$(bench_cpu_ticks "$BW_DUT" "$daemon")
	hwm=$(bench_status_kib "$BW_DUT" "$daemon" VmHWM)
	case "$sink $fib $wd" in *timeout*) bench_world_events ;; esac
	printf 'daemon=%s family=%s count=%s sink=%s fib=%s wd_sink=%s wd_fib=%s wd=%s hwm_kib=%s cpu=%s cpu_total=%s idle_kib=%s\n' \
		"$daemon" "$family" "$count" "$sink" "$fib" "$wd_sink" "$wd_fib" \
		"$wd" "$hwm" "$(bench_cpu_seconds "$c1" "$c0")" \
		"$(bench_cpu_seconds "$c2" "$c0")" "$idle"
	bench_world_down
}

# _bench_later A B: the larger of two figures ("na" ignored, "timeout"
# wins).
_bench_later() {
	case "$1 $2" in
	*timeout*) echo timeout ;;
	"na na") echo na ;;
	na\ *) echo "$2" ;;
	*\ na) echo "$1" ;;
	*) awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }' ;;
	esac
}

# bench_limit_bgp FAMILY COUNT: the generator straight into the sink.
bench_limit_bgp() {
	local family=$1 count=$2 t0
	bench_world_up "$family"
	bench_tool "$BW_SINK" sink "$BENCH_BIN/bgpsink" -l "$BW_A_SINK" \
		-a "$BENCH_ASN_SINK" -r 10.99.0.3 -n "$count" -f "$family" -T 60
	t0=$(_bench_start_gen "$family" "$count" "$BW_A_SINK" limit)
	bench_wait_event "$BW_SINK" sink full "$BENCH_TIMEOUT" || bench_world_events
	printf 'daemon=limit-bgp family=%s count=%s sink=%s\n' "$family" "$count" \
		"$(bench_diff "$(bench_event_time "$BW_SINK" sink full)" "$t0")"
	bench_world_down
}

# bench_limit_kernel FAMILY COUNT: fibload in the daemon's place, the
# same routes via the generator's address; fibwatch times them in and
# out.
bench_limit_kernel() {
	local family=$1 count=$2 six="" gw=10.99.0.2 t0 t1 fib wd
	[ "$family" = 6 ] && six=-6 gw=fd99::2
	bench_world_up "$family"
	bench_tool "$BW_DUT" fibwatch "$BENCH_BIN/fibwatch" -P 186 -n "$count" \
		-f "$family"
	bench_wait_event "$BW_DUT" fibwatch ready 10 || itest_fail "fibwatch did not start"
	bench_tool "$BW_DUT" fibload "$BENCH_BIN/fibload" -g "$gw" -d eth0 \
		-n "$count" $six
	bench_wait_event "$BW_DUT" fibload delete-done "$BENCH_TIMEOUT" || true
	bench_wait_event "$BW_DUT" fibwatch empty 60 || bench_world_events
	t0=$(bench_event_time "$BW_DUT" fibload add-start)
	t1=$(bench_event_time "$BW_DUT" fibload delete-start)
	fib=$(bench_diff "$(bench_event_time "$BW_DUT" fibwatch full)" "$t0")
	wd=$(bench_diff "$(bench_event_time "$BW_DUT" fibwatch empty)" "$t1")
	printf 'daemon=limit-kernel family=%s count=%s fib=%s wd_fib=%s wd=%s add=%s delete=%s\n' \
		"$family" "$count" "$fib" "$wd" "$wd" \
		"$(bench_diff "$(bench_event_time "$BW_DUT" fibload add-done)" "$t0")" \
		"$(bench_diff "$(bench_event_time "$BW_DUT" fibload delete-done)" "$t1")"
	bench_world_down
}
