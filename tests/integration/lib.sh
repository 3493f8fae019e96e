# shellcheck shell=bash
#
# lib.sh - integration-test harness for flatbgp.
#
# Sourced by every script in tests/integration/. It builds a private world of
# Linux network namespaces (one per router, one per LAN holding a bridge),
# starts real BGP speakers in them (BIRD 2, FRR, OpenBGPD, GoBGP, flatbgpd)
# with every runtime file in a per-run temp dir, offers query helpers that
# print normalized one-line-per-item output for assertions, and tears the
# whole world down on exit, failure or Ctrl-C.
#
# Rules this file enforces (see README.md):
#  - nothing is ever added to the root namespace: veth pairs are created
#    inside the LAN namespace and one end is moved straight into the host
#    namespace; bridges live in their own namespace;
#  - every namespace name starts with a per-run prefix ("fbt<PID>-");
#  - processes are started in the foreground of a background job, their pid
#    recorded, and stopped by that pid only;
#  - every wait is bounded (wait_until TIMEOUT ...).
#
# Public API (short names: NS and LAN are the names without the run prefix):
#   itest_init NAME               root/netns checks, temp dir, prefix, trap
#   itest_log MSG...              progress on stderr
#   itest_ok DESC / itest_check DESC CMD... / itest_fail MSG / itest_skip MSG
#                                 TAP lines on stdout (plan printed at exit)
#   ns_add NS                     namespace with lo up, DAD off
#   lan_add LAN [SUBNET4 [SUBNET6]]  bridge br0 in namespace "lan-LAN"
#   ns_attach NS LAN ADDR4/LEN|- ADDR6/LEN|- [IFNAME]  veth NS<->LAN bridge
#   ns_exec NS CMD...             run CMD inside NS
#   ns_name NS                    print the real namespace name
#   wait_until TIMEOUT CMD...     poll CMD every 0.2 s, at most TIMEOUT s
#   PEER_start NS ROUTER_ID LOCAL_AS SPEC...   PEER in bird frr openbgpd gobgp
#   PEER_stop NS                  SIGTERM by pid, bounded wait, then SIGKILL
#   PEER_state NS NEIGHBOR        "Established" or the daemon's own state word
#   PEER_routes NS [ipv4|ipv6]    "PREFIX NEXTHOP ASPATH..." sorted, BGP-learned
#   PEER_announce NS PREFIX / PEER_withdraw NS PREFIX
#   PEER_cease_received NS        0 if the log shows a NOTIFICATION Cease received
#   PEER_log NS                   print the path of the daemon's log file
#   flatbgpd_conf NS ROUTER_ID LOCAL_AS SPEC... [export=local|all|none]
#                                 write a flatbgp.conf, print its path
#   flatbgpd_start NS CONF [ARGS...] / flatbgpd_stop NS / flatbgpd_kill NS
#   flatbgpctl_ns NS ARGS...      flatbgpctl -s <NS's socket> ARGS
#   flatbgpd_state NS NEIGHBOR / flatbgpd_routes NS [AF]   via flatbgpctl -j
#   PEER_kill NS                  SIGSTOP+SIGKILL (crash, no NOTIFICATION)
#   peer_has_route PEER NS AF LINE / peer_lacks_route PEER NS AF PREFIX
#   wait_established PEER NS NEIGHBOR [T] / wait_route PEER NS AF LINE [T]
#   wait_no_route PEER NS AF PREFIX [T]    (each prints an "ok" line)
#   rawpeer_require / rawpeer_run NS ARGS... < SCRIPT
#   itest_require_flatbgpd        skip the test if the daemon is not built
#   itest_require_peers PEER...   skip unless bird/frr/openbgpd/gobgp/rawpeer
#                                 and the tools lib.sh needs are installed
#
# SPEC words accepted by every PEER_start:
#   nbr=ADDR,AS[,passive][,hold=N][,af=ipv4|ipv6|both][,port=N]
#        a neighbor (IPv4 or IPv6 transport). passive: never connect, only
#        accept. af: address families activated on the session [both].
#        port: remote TCP port to connect to [179].
#   net4=PREFIX  net6=PREFIX   originate this prefix (repeatable)
#   hold=N       default hold time for all neighbors [9]; keepalive = hold/3
#
# Environment: top_builddir, top_srcdir (set by automake or derived from
# this file's location), FLATBGPD, FLATBGPCTL, RAWPEER, ITEST_KEEP=1 keeps
# the temp dir on failure, ITEST_KEEP=2 always (namespaces and processes
# are removed anyway),
# ITEST_VERBOSE=1 logs every step. File descriptors 7 and 8 are the
# script's own stdout/stderr (TAP output); the daemons do not inherit them.

set -eu

# The JSON of FRR, OpenBGPD, GoBGP and flatbgpctl is read with python3 (the
# system one when there, not a user's shim).
if [ -z "${ITEST_PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then
		ITEST_PYTHON=/usr/bin/python3
	else
		ITEST_PYTHON=python3
	fi
fi
ITEST_GOBGP_API=127.0.0.1:50051     # per namespace, so never clashes

# ---------------------------------------------------------------------------
# Messages and TAP output
#
# The suite runs *.sh tests under automake's TAP driver: stdout carries
# only TAP ("ok N - ...", "not ok N - ...", the plan "1..N" printed at
# exit), everything else goes to stderr (kept in the test's .log file).

# itest_log MSG...: progress line on stderr.
itest_log() {
	printf '[%s %s] %s\n' "${ITEST_NAME:-itest}" "$(date +%T)" "$*" >&"${ITEST_FD_ERR:-2}"
}

# itest_ok DESC: one passed check.
itest_ok() {
	ITEST_TAP_N=$((${ITEST_TAP_N:-0} + 1))
	printf 'ok %d - %s\n' "$ITEST_TAP_N" "$*" >&"${ITEST_FD_OUT:-1}"
}

# itest_check DESC CMD...: run CMD; "ok" if it succeeds, else itest_fail.
itest_check() {
	local desc=$1
	shift
	if "$@"; then
		itest_ok "$desc"
	else
		itest_fail "$desc"
	fi
}

# itest_fail MSG: a failed check: "not ok", then exit 1. The EXIT trap
# dumps the daemons' logs to stderr, prints the plan and cleans up.
itest_fail() {
	ITEST_TAP_N=$((${ITEST_TAP_N:-0} + 1))
	printf 'not ok %d - %s\n' "$ITEST_TAP_N" "$(printf '%s' "$*" | head -n 1)" \
		>&"${ITEST_FD_OUT:-1}"
	printf '[%s] FAIL: %s\n' "${ITEST_NAME:-itest}" "$*" >&"${ITEST_FD_ERR:-2}"
	ITEST_FAILED=1
	ITEST_NOTOK=1
	exit 1
}

# itest_skip MSG: the whole test is skipped. TAP's way is "1..0 # SKIP" and
# exit status 0 (the TAP driver calls any other status an ERROR); with
# automake's plain driver set ITEST_SKIP_STATUS=77.
# Call the requirement checks (itest_require_flatbgpd...) before any check;
# a skip after some "ok" lines only counts as one skipped check.
itest_skip() {
	printf '[%s] SKIP: %s\n' "${ITEST_NAME:-itest}" "$*" >&"${ITEST_FD_ERR:-2}"
	if [ "${ITEST_TAP_N:-0}" -gt 0 ]; then
		ITEST_TAP_N=$((ITEST_TAP_N + 1))
		printf 'ok %d # SKIP %s\n' "$ITEST_TAP_N" "$*" >&"${ITEST_FD_OUT:-1}"
		exit 0
	fi
	printf '1..0 # SKIP %s\n' "$*" >&"${ITEST_FD_OUT:-1}"
	ITEST_SKIPPED=1
	exit "${ITEST_SKIP_STATUS:-0}"
}

# ---------------------------------------------------------------------------
# Set-up and tear-down

# itest_init NAME: must be called first. Checks that we are root and that
# network namespaces work (the test is skipped otherwise), creates the temp dir
# and the namespace prefix, finds the binaries and installs the trap that
# removes everything again.
itest_init() {
	ITEST_NAME=$1
	# fd 7/8: the script's own stdout/stderr. TAP lines and the exit
	# report go there, also when a trap fires inside a function whose
	# output is redirected (wait_until ... >/dev/null) or captured.
	exec 7>&1 8>&2
	ITEST_FD_OUT=7 ITEST_FD_ERR=8
	ITEST_FAILED=0
	ITEST_NOTOK=0
	ITEST_SKIPPED=0
	ITEST_TAP_N=0
	ITEST_CLEANED=0
	if [ "$(id -u)" != 0 ]; then
		itest_skip "must run as root (network namespaces)"
	fi
	# The daemons and ip(8) live in sbin, which a CI PATH may lack.
	case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin ;; esac
	case ":$PATH:" in *:/sbin:*) ;; *) PATH=$PATH:/sbin ;; esac
	if ! command -v ip >/dev/null 2>&1; then
		itest_skip "iproute2 'ip' not found"
	fi
	ITEST_PREFIX="fbt$$-"
	# The temp dir must be traversable by the unprivileged users the
	# daemons drop to (frr); each daemon gets its own subdirectory.
	ITEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fbt.XXXXXX")
	chmod 755 "$ITEST_DIR"
	: >"$ITEST_DIR/pids"
	: >"$ITEST_DIR/netns"
	# Name the command that failed when set -e ends the script.
	set -E
	trap '_itest_err "${BASH_SOURCE[0]}" "$LINENO" "$BASH_COMMAND"' ERR
	trap '_itest_cleanup' EXIT
	trap '_itest_cleanup 130; trap - EXIT; exit 130' INT
	trap '_itest_cleanup 143; trap - EXIT; exit 143' TERM
	trap '_itest_cleanup 141; trap - EXIT; exit 141' PIPE
	# Probe: can we create (and delete) a namespace at all?
	if ! ip netns add "${ITEST_PREFIX}probe" 2>"$ITEST_DIR/probe.err"; then
		itest_skip "ip netns add failed: $(cat "$ITEST_DIR/probe.err")"
	fi
	ip netns del "${ITEST_PREFIX}probe"

	local here
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
	top_builddir=$(cd "${top_builddir:-$top_srcdir}" && pwd)
	FLATBGPD=${FLATBGPD:-$top_builddir/src/flatbgpd}
	FLATBGPCTL=${FLATBGPCTL:-$top_builddir/src/flatbgpctl}
	RAWPEER=${RAWPEER:-$top_builddir/tests/tools/rawpeer}
	[ "${ITEST_VERBOSE:-0}" = 1 ] && itest_log "temp dir $ITEST_DIR, prefix $ITEST_PREFIX"
	return 0
}

# ERR trap: report once where set -e stopped the script.
_itest_err() {
	# Only the script itself: failures in background jobs or command
	# substitutions are reported where the script sees them.
	[ "$BASHPID" = "$$" ] || return 0
	[ "${ITEST_ERR_SHOWN:-0}" = 0 ] || return 0
	ITEST_ERR_SHOWN=1
	printf '[%s] ERROR: %s:%s: command failed: %s\n' "${ITEST_NAME:-itest}" \
		"$1" "$2" "$3" >&8
}

# itest_require_peers PEER...: skip the test unless the programs of every
# named peer (bird frr openbgpd gobgp rawpeer) and the tools lib.sh uses are
# installed. Call it right after itest_init.
itest_require_peers() {
	local p c missing=""
	local need="ip ss timeout tac awk $ITEST_PYTHON"
	for p in "$@"; do
		case $p in
		bird) need="$need bird birdc" ;;
		frr) need="$need /usr/lib/frr/zebra /usr/lib/frr/bgpd vtysh" ;;
		openbgpd) need="$need bgpd bgpctl useradd" ;;
		gobgp) need="$need gobgpd gobgp" ;;
		rawpeer) [ -x "$RAWPEER" ] || need="$need ${CC:-cc}" ;;
		*) itest_fail "itest_require_peers: unknown peer $p" ;;
		esac
	done
	for c in $need; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
	done
	[ -z "$missing" ] ||
		itest_skip "not installed:$missing (see contrib/setup.sh)"
}

# Register a pid for cleanup: "PID LABEL".
_itest_track_pid() {
	printf '%s %s\n' "$1" "$2" >>"$ITEST_DIR/pids"
}

# Forget a pid once it has been stopped.
_itest_untrack_pid() {
	local tmp="$ITEST_DIR/pids.tmp"
	awk -v p="$1" '$1 != p' "$ITEST_DIR/pids" >"$tmp" || true
	mv "$tmp" "$ITEST_DIR/pids"
}

# _itest_kill_pid PID: SIGTERM, wait at most 5 s, then SIGKILL. Only ever
# called with pids we recorded ourselves.
_itest_kill_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		sleep 0.1
	fi
	# Reap it if it is our child; ignore "not a child".
	wait "$pid" 2>/dev/null || true
}

# The EXIT/INT/TERM handler. Idempotent. Order: dump logs on failure, stop
# recorded daemons, kill whatever is still inside OUR namespaces (pids the
# kernel lists for them), delete the namespaces, remove the temp dir.
_itest_cleanup() {
	local rc=$? pid ns p
	[ $# -eq 0 ] || rc=$1
	[ "${ITEST_CLEANED:-1}" = 0 ] || return 0
	ITEST_CLEANED=1
	set +e
	# A reader that went away (… | head) must not stop the cleanup half
	# way: writes fail with EPIPE instead of killing the shell.
	trap '' PIPE
	if [ "$ITEST_SKIPPED" = 1 ]; then
		rc=0
	elif [ "$rc" != 0 ]; then
		ITEST_FAILED=1
		if [ "$ITEST_NOTOK" = 0 ]; then
			ITEST_TAP_N=$((ITEST_TAP_N + 1))
			printf 'not ok %d - aborted (exit status %s)\n' "$ITEST_TAP_N" "$rc" >&7
		fi
	fi
	if [ "$ITEST_FAILED" = 1 ]; then
		_itest_dump_logs
	fi
	# Newest first: FRR's bgpd before its zebra.
	if [ -s "$ITEST_DIR/pids" ]; then
		tac "$ITEST_DIR/pids" | while read -r pid _; do
			_itest_kill_pid "$pid"
			_itest_frr_tmp_cleanup "$pid"
		done
	fi
	while read -r ns; do
		[ -n "$ns" ] || continue
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			_itest_kill_pid "$p"
		done
		ip netns del "$ns" 2>/dev/null
	done <"$ITEST_DIR/netns"
	[ "$ITEST_SKIPPED" = 1 ] || printf '1..%d\n' "$ITEST_TAP_N" >&7
	if { [ "$ITEST_FAILED" = 1 ] && [ "${ITEST_KEEP:-0}" = 1 ]; } ||
		[ "${ITEST_KEEP:-0}" = 2 ]; then
		itest_log "keeping $ITEST_DIR"
	else
		rm -rf "$ITEST_DIR"
	fi
	return 0
}

# Print the tail of every daemon log (helps when a CI run fails).
_itest_dump_logs() {
	local f
	for f in "$ITEST_DIR"/*/*/*.log; do
		[ -f "$f" ] || continue
		printf '==== %s (last 40 lines)\n' "${f#"$ITEST_DIR"/}" >&8
		tail -n 40 "$f" >&8
	done
}

# ---------------------------------------------------------------------------
# Topology

# ns_name NS: the real namespace name.
ns_name() {
	printf '%s%s\n' "$ITEST_PREFIX" "$1"
}

# ns_exec NS CMD...: run CMD in namespace NS.
ns_exec() {
	local ns=$1
	shift
	ip netns exec "$ITEST_PREFIX$ns" "$@"
}

# ns_add NS: create a namespace, bring lo up and switch IPv6 DAD off (so
# addresses, link-local included, are usable at once). Also creates the
# per-namespace runtime dir $ITEST_DIR/NS.
ns_add() {
	local ns=$ITEST_PREFIX$1
	ip netns add "$ns"
	echo "$ns" >>"$ITEST_DIR/netns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	mkdir -p "$ITEST_DIR/$1"
	chmod 755 "$ITEST_DIR/$1"
}

# lan_add LAN [SUBNET4 [SUBNET6]]: a LAN is a bridge "br0" inside its own
# namespace "lan-LAN"; hosts are attached with ns_attach. The subnets are
# only recorded (lan_subnet4/6) for the tests' convenience.
lan_add() {
	local lan=$1
	ns_add "lan-$lan"
	ip -n "${ITEST_PREFIX}lan-$lan" link add br0 type bridge
	ip -n "${ITEST_PREFIX}lan-$lan" link set br0 up
	echo "${2:-}" >"$ITEST_DIR/lan-$lan/subnet4"
	echo "${3:-}" >"$ITEST_DIR/lan-$lan/subnet6"
	echo 0 >"$ITEST_DIR/lan-$lan/ports"
}

lan_subnet4() { cat "$ITEST_DIR/lan-$1/subnet4"; }
lan_subnet6() { cat "$ITEST_DIR/lan-$1/subnet6"; }

# ns_attach NS LAN ADDR4/LEN|- ADDR6/LEN|- [IFNAME]: connect NS to LAN with a
# veth pair. The pair is created inside the LAN namespace (never in the
# root namespace) and its host end moved into NS as IFNAME [eth0, eth1...].
# IPv6 addresses are added with nodad, so no wait for DAD is needed.
ns_attach() {
	local ns=$ITEST_PREFIX$1 lan=$2 a4=$3 a6=$4 ifname=${5:-}
	local lns="${ITEST_PREFIX}lan-$lan" n port
	n=$(cat "$ITEST_DIR/lan-$lan/ports")
	echo $((n + 1)) >"$ITEST_DIR/lan-$lan/ports"
	port="p$n"
	if [ -z "$ifname" ]; then
		local i=0
		while ip -n "$ns" link show "eth$i" >/dev/null 2>&1; do
			i=$((i + 1))
			[ "$i" -lt 64 ] || itest_fail "ns_attach: too many interfaces in $1"
		done
		ifname="eth$i"
	fi
	ip -n "$lns" link add "$port" type veth peer name "$ifname" netns "$ns"
	ip -n "$lns" link set "$port" master br0 up
	if [ "$a4" != - ]; then
		ip -n "$ns" addr add "$a4" dev "$ifname"
	fi
	if [ "$a6" != - ]; then
		ip -n "$ns" addr add "$a6" dev "$ifname" nodad
	fi
	ip -n "$ns" link set "$ifname" up
}

# wait_until TIMEOUT CMD...: run CMD every 0.2 s until it succeeds (return 0)
# or TIMEOUT seconds have passed (return 1). Bounded both in iterations and
# in wall-clock time, whatever CMD does (CMD itself must not hang).
wait_until() {
	local timeout=$1 i max deadline
	shift
	max=$((timeout * 5 + 1))
	deadline=$((SECONDS + timeout + 1))
	for ((i = 0; i < max; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		[ "$SECONDS" -lt "$deadline" ] || break
		sleep 0.2
	done
	return 1
}

# ---------------------------------------------------------------------------
# Common peer plumbing

# _peer_parse ARGS...: parse the SPEC words (see the header) into arrays
# NBR_ADDR NBR_AS NBR_PASSIVE NBR_HOLD NBR_AF NBR_PORT and NET4 NET6, HOLD.
_peer_parse() {
	NBR_ADDR=() NBR_AS=() NBR_PASSIVE=() NBR_HOLD=() NBR_AF=() NBR_PORT=()
	NET4=() NET6=()
	HOLD=9
	local arg f fields i
	for arg in "$@"; do
		case $arg in
		hold=*) HOLD=${arg#hold=} ;;
		net4=*) NET4+=("${arg#net4=}") ;;
		net6=*) NET6+=("${arg#net6=}") ;;
		nbr=*)
			IFS=, read -r -a fields <<<"${arg#nbr=}"
			[ "${#fields[@]}" -ge 2 ] || itest_fail "bad neighbor spec: $arg"
			NBR_ADDR+=("${fields[0]}")
			NBR_AS+=("${fields[1]}")
			NBR_PASSIVE+=(0) NBR_HOLD+=("") NBR_AF+=(both) NBR_PORT+=(179)
			i=$((${#NBR_ADDR[@]} - 1))
			for f in "${fields[@]:2}"; do
				case $f in
				passive) NBR_PASSIVE[i]=1 ;;
				hold=*) NBR_HOLD[i]=${f#hold=} ;;
				af=ipv4 | af=ipv6 | af=both) NBR_AF[i]=${f#af=} ;;
				port=*) NBR_PORT[i]=${f#port=} ;;
				*) itest_fail "bad neighbor option '$f' in $arg" ;;
				esac
			done
			;;
		*) itest_fail "bad peer spec word: $arg" ;;
		esac
	done
	for i in "${!NBR_ADDR[@]}"; do
		[ -n "${NBR_HOLD[i]}" ] || NBR_HOLD[i]=$HOLD
	done
}

# _nbr_has_af I AF: is address family AF (ipv4|ipv6) active on neighbor I?
_nbr_has_af() {
	[ "${NBR_AF[$1]}" = both ] || [ "${NBR_AF[$1]}" = "$2" ]
}

# _is_v6 ADDR
_is_v6() {
	case $1 in *:*) return 0 ;; *) return 1 ;; esac
}

# _proto_name ADDR: an identifier derived from an address (n_10_99_0_2).
_proto_name() {
	printf 'n_%s\n' "$1" | tr '.:' '__'
}

# _peer_dir NS KIND: runtime dir of the KIND daemon in NS (created; logs
# of an earlier run in it are renamed).
_peer_dir() {
	local d="$ITEST_DIR/$1/$2"
	mkdir -p "$d"
	_peer_rotate_logs "$d"
	printf '%s\n' "$d"
}

# _peer_rotate_logs DIR: a restarted daemon gets fresh log files, so that
# log greps (PEER_cease_received) only see the current run.
_peer_rotate_logs() {
	local f n
	for f in "$1"/*.log "$1"/*.out; do
		[ -f "$f" ] || continue
		n=1
		while [ -e "$f.$n" ] && [ "$n" -lt 100 ]; do n=$((n + 1)); done
		mv "$f" "$f.$n"
	done
}

# _peer_start_bg NS KIND LOG CMD...: start CMD inside NS in the background,
# stdout+stderr to LOG, record the pid (ip netns exec execs, so $! is the
# daemon itself).
_peer_start_bg() {
	local ns=$1 kind=$2 log=$3 pid
	shift 3
	ip netns exec "$ITEST_PREFIX$ns" "$@" >>"$log" 2>&1 </dev/null 7>&- 8>&- &
	pid=$!
	_itest_track_pid "$pid" "$ns/$kind"
	printf '%s\n' "$pid"
}

# _peer_runfiles NS KIND: the *.run files (one pid each) of a daemon, in
# reverse name order: FRR's 1bgpd.run before 0zebra.run.
_peer_runfiles() {
	local f files=()
	for f in "$ITEST_DIR/$1/$2"/*.run; do
		[ -f "$f" ] && files=("$f" "${files[@]+"${files[@]}"}")
	done
	printf '%s\n' "${files[@]+"${files[@]}"}"
}

# _peer_stop NS KIND: stop every pid recorded in ITEST_DIR/NS/KIND/*.run.
_peer_stop() {
	local f pid
	for f in $(_peer_runfiles "$1" "$2"); do
		pid=$(cat "$f")
		_itest_kill_pid "$pid"
		_itest_frr_tmp_cleanup "$pid"
		_itest_untrack_pid "$pid"
		rm -f "$f"
	done
}

# _peer_kill NS KIND: SIGKILL (a crash: no NOTIFICATION, the other side
# only notices the closed TCP connection or its hold timer). The daemon and
# its own children (OpenBGPD's engines) are first frozen with SIGSTOP, so
# that none of them sees another die and sends a Cease.
_peer_kill() {
	local f pid p all
	for f in $(_peer_runfiles "$1" "$2"); do
		pid=$(cat "$f")
		all="$pid $(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' | tr '\n' ' ')"
		for p in $all; do kill -STOP "$p" 2>/dev/null || true; done
		for p in $all; do kill -KILL "$p" 2>/dev/null || true; done
		wait "$pid" 2>/dev/null || true
		_itest_frr_tmp_cleanup "$pid"
		_itest_untrack_pid "$pid"
		rm -f "$f"
	done
}

# _local_addr NS NEIGHBOR FAMILY: our global address of FAMILY (4|6) on the
# interface NS uses to reach NEIGHBOR. Used where a daemon needs to be told
# the next hop of the other family (IPv6 routes over an IPv4 session).
_local_addr() {
	local ns=$ITEST_PREFIX$1 dev
	dev=$(ip -n "$ns" route get "$2" 2>/dev/null |
		sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1)
	[ -n "$dev" ] || return 0
	ip -n "$ns" -"$3" -o addr show dev "$dev" scope global |
		awk '{ sub("/.*", "", $4); print $4; exit }'
}

# ---------------------------------------------------------------------------
# BIRD 2
#
# bird -f (foreground), -c config, -s control socket, -P pid file; queried
# with birdc -s SOCKET. Protocols are named after the neighbor address
# (n_10_99_0_2, n_fd99__2). Static routes are blackhole routes in protocols
# static4/static6, exported with "export all"; announce/withdraw rewrite
# the config and run "birdc configure".
#
# IPv6 over an IPv4 session (and vice versa): BIRD needs a next hop of the
# channel's family; we set "next hop address" to our own global address of
# that family on the interface towards the neighbor.
#
# Cease: BIRD logs the received NOTIFICATION as
#   "<RMT> n_10_99_0_2: Received: Administrative shutdown"
# (other Cease subcodes: "Peer de-configured", "Administrative reset", ...).

bird_start() {
	local ns=$1 rid=$2 las=$3 d
	shift 3
	_peer_parse "$@"
	d=$(_peer_dir "$ns" bird)
	printf '%s\n' "$rid" >"$d/rid"
	printf '%s\n' "$las" >"$d/as"
	printf '%s\n' "${NET4[@]+"${NET4[@]}"}" | sed '/^$/d' >"$d/nets4"
	printf '%s\n' "${NET6[@]+"${NET6[@]}"}" | sed '/^$/d' >"$d/nets6"
	_bird_write_conf "$ns" "$d"
	rm -f "$d/bird.ctl"	# a restart must wait for the new socket
	ns_exec "$ns" bird -p -c "$d/bird.conf" >"$d/check.log" 2>&1 ||
		itest_fail "bird config invalid: $(cat "$d/check.log")"
	_peer_start_bg "$ns" bird "$d/bird.log" \
		bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" >"$d/bird.run"
	wait_until 10 test -S "$d/bird.ctl" || itest_fail "bird in $ns did not start"
}

# Writes bird.conf from the parsed spec and the nets files.
_bird_write_conf() {
	local ns=$1 d=$2 i a nh p
	{
		printf 'log "%s/bird.log" all;\n' "$d"
		printf 'router id %s;\n' "$(cat "$d/rid")"
		printf 'protocol device { scan time 10; }\n'
		# include must start a line
		printf 'protocol static static4 {\n\tipv4;\ninclude "%s/static4.conf";\n}\n' "$d"
		printf 'protocol static static6 {\n\tipv6;\ninclude "%s/static6.conf";\n}\n' "$d"
		for i in "${!NBR_ADDR[@]}"; do
			a=${NBR_ADDR[i]}
			printf 'protocol bgp %s {\n' "$(_proto_name "$a")"
			printf '\tlocal as %s;\n\tneighbor %s port %s as %s;\n' \
				"$(cat "$d/as")" "$a" "${NBR_PORT[i]}" "${NBR_AS[i]}"
			[ "${NBR_PASSIVE[i]}" = 0 ] || printf '\tpassive on;\n'
			printf '\thold time %s;\n\tkeepalive time %s;\n' \
				"${NBR_HOLD[i]}" "$(_keepalive "${NBR_HOLD[i]}")"
			printf '\tstartup hold time %s;\n' "${NBR_HOLD[i]}"
			printf '\tdebug { states, events };\n'
			printf '\tconnect delay time 1;\n\tconnect retry time 2;\n'
			printf '\terror wait time 1, 5;\n'
			for p in ipv4 ipv6; do
				_nbr_has_af "$i" "$p" || continue
				printf '\t%s {\n\t\timport all;\n\t\texport all;\n' "$p"
				nh=""
				if [ "$p" = ipv6 ] && ! _is_v6 "$a"; then
					nh=$(_local_addr "$ns" "$a" 6)
				elif [ "$p" = ipv4 ] && _is_v6 "$a"; then
					# RFC 8950: IPv4 routes with an IPv6 next hop.
					printf '\t\textended next hop on;\n'
				fi
				[ -z "$nh" ] || printf '\t\tnext hop address %s;\n' "$nh"
				printf '\t};\n'
			done
			printf '}\n'
		done
	} >"$d/bird.conf"
	sed 's/.*/route & blackhole;/' "$d/nets4" >"$d/static4.conf"
	sed 's/.*/route & blackhole;/' "$d/nets6" >"$d/static6.conf"
}

# _keepalive HOLD: keepalive interval = hold/3 (0 stays 0).
_keepalive() {
	if [ "$1" = 0 ]; then echo 0; else echo $(($1 / 3 > 0 ? $1 / 3 : 1)); fi
}

_birdc() {
	local ns=$1
	shift
	ns_exec "$ns" birdc -s "$ITEST_DIR/$ns/bird/bird.ctl" "$@"
}

bird_stop() { _peer_stop "$1" bird; }
bird_kill() { _peer_kill "$1" bird; }
bird_log() { printf '%s\n' "$ITEST_DIR/$1/bird/bird.log"; }

# bird_state NS NEIGHBOR: BGP state from "show protocols" (Established,
# Active, Connect, Idle, OpenSent, OpenConfirm).
bird_state() {
	_birdc "$1" show protocols "$(_proto_name "$2")" 2>/dev/null |
		awk -v n="$(_proto_name "$2")" '$1 == n { print $6; found = 1 }
			END { if (!found) print "Unknown" }'
}

# bird_routes NS [ipv4|ipv6]: BGP-learned routes, all paths, one line each:
# "PREFIX NEXTHOP ASPATH...". NEXTHOP is the first address of BGP.next_hop
# (the global one when a link-local follows).
bird_routes() {
	local ns=$1 af=${2:-ipv4} table
	[ "$af" = ipv6 ] && table=master6 || table=master4
	_birdc "$ns" show route all table "$table" | awk '
		function flush() {
			if (pfx != "" && bgp) print pfx, nh, path
			bgp = 0; nh = "-"; path = ""
		}
		/^[0-9a-f]+[.:][0-9a-f.:]*\/[0-9]+ / { flush(); pfx = $1; next }
		/^[ \t]+(unicast|unreachable|blackhole)/ { flush(); next }
		/Type: BGP/ { bgp = 1 }
		/BGP.next_hop:/ { nh = $2 }
		/BGP.as_path:/ { $1 = ""; sub(/^ /, ""); path = $0 }
		END { flush() }' | sed 's/ *$//' | sort
}

# bird_announce NS PREFIX / bird_withdraw NS PREFIX: edit the static routes
# and reconfigure.
bird_announce() { _bird_netedit "$1" "$2" add; }
bird_withdraw() { _bird_netedit "$1" "$2" del; }

_bird_netedit() {
	local ns=$1 pfx=$2 op=$3 d="$ITEST_DIR/$1/bird" f
	_is_v6 "$pfx" && f=nets6 || f=nets4
	_nets_edit "$d/$f" "$pfx" "$op"
	sed 's/.*/route & blackhole;/' "$d/nets4" >"$d/static4.conf"
	sed 's/.*/route & blackhole;/' "$d/nets6" >"$d/static6.conf"
	_birdc "$ns" configure >/dev/null
}

# _nets_edit FILE PREFIX add|del
_nets_edit() {
	local f=$1 pfx=$2 op=$3
	grep -vxF -- "$pfx" "$f" >"$f.tmp" || true
	[ "$op" = del ] || printf '%s\n' "$pfx" >>"$f.tmp"
	mv "$f.tmp" "$f"
}

# bird_cease_received NS
bird_cease_received() {
	grep -qE 'Received: (Administrative shutdown|Peer de-configured|Administrative reset|Connection rejected|Other configuration change|Connection collision resolution|Out of resources|Maximum number of prefixes reached)' \
		"$(bird_log "$1")"
}

# ---------------------------------------------------------------------------
# FRR (zebra + bgpd)
#
# Both run as root with -u frr -g frr (FRR refuses to keep running as root);
# the runtime dir is owned by frr. zebra is needed: bgpd learns interface
# addresses from it (the IPv6 next hop it sends over an IPv4 session is the
# interface's global IPv6 address, plus the link-local one) and it installs
# the learned routes in the namespace's kernel. Options: -f config,
# -i pid file, -z zserv socket, --vty_socket DIR (vtysh looks for
# DIR/bgpd.vty), -P 0 (no TCP vty), --log file:PATH.
#
# Cease: with "bgp log-neighbor-changes" bgpd logs
#   "%NOTIFICATION: received from neighbor 10.99.0.1 6/2 (Cease/Administrative Shutdown) 0 bytes"

frr_start() {
	local ns=$1 rid=$2 las=$3 d
	shift 3
	_peer_parse "$@"
	d=$(_peer_dir "$ns" frr)
	chown frr:frr "$d"
	_frr_write_conf "$ns" "$d" "$rid" "$las"
	chown frr:frr "$d"/*.conf
	rm -f "$d"/*.vty "$d/zserv.api"	# a restart must wait for new ones
	_peer_start_bg "$ns" frr "$d/zebra.out" /usr/lib/frr/zebra -u frr -g frr \
		-f "$d/zebra.conf" -i "$d/zebra.pid" -z "$d/zserv.api" \
		--vty_socket "$d" -P 0 --log "file:$d/zebra.log" >"$d/0zebra.run"
	wait_until 10 test -S "$d/zserv.api" || itest_fail "zebra in $ns did not start"
	_peer_start_bg "$ns" frr "$d/bgpd.out" /usr/lib/frr/bgpd -u frr -g frr \
		-f "$d/bgpd.conf" -i "$d/bgpd.pid" -z "$d/zserv.api" \
		--vty_socket "$d" -P 0 --log "file:$d/bgpd.log" >"$d/1bgpd.run"
	wait_until 10 test -S "$d/bgpd.vty" || itest_fail "bgpd in $ns did not start"
	printf '%s\n' "$las" >"$d/as"
}

_frr_write_conf() {
	local ns=$1 d=$2 rid=$3 las=$4 i a p n
	printf 'hostname %s\n' "$ns" >"$d/zebra.conf"
	{
		printf 'frr defaults traditional\nhostname %s\n' "$ns"
		printf 'router bgp %s\n' "$las"
		printf ' bgp router-id %s\n' "$rid"
		printf ' no bgp ebgp-requires-policy\n'
		printf ' no bgp network import-check\n'
		printf ' no bgp default ipv4-unicast\n'
		printf ' bgp log-neighbor-changes\n'
		for i in "${!NBR_ADDR[@]}"; do
			a=${NBR_ADDR[i]}
			printf ' neighbor %s remote-as %s\n' "$a" "${NBR_AS[i]}"
			[ "${NBR_PORT[i]}" = 179 ] || printf ' neighbor %s port %s\n' "$a" "${NBR_PORT[i]}"
			[ "${NBR_PASSIVE[i]}" = 0 ] || printf ' neighbor %s passive\n' "$a"
			printf ' neighbor %s timers %s %s\n' "$a" \
				"$(_keepalive "${NBR_HOLD[i]}")" "${NBR_HOLD[i]}"
			printf ' neighbor %s timers connect 1\n' "$a"
			printf ' neighbor %s advertisement-interval 0\n' "$a"
			if _is_v6 "$a"; then
				printf ' neighbor %s capability extended-nexthop\n' "$a"
			fi
		done
		for p in ipv4 ipv6; do
			printf ' address-family %s unicast\n' "$p"
			if [ "$p" = ipv4 ]; then
				for n in "${NET4[@]+"${NET4[@]}"}"; do
					printf '  network %s\n' "$n"
				done
			else
				for n in "${NET6[@]+"${NET6[@]}"}"; do
					printf '  network %s\n' "$n"
				done
			fi
			for i in "${!NBR_ADDR[@]}"; do
				_nbr_has_af "$i" "$p" || continue
				printf '  neighbor %s activate\n' "${NBR_ADDR[i]}"
			done
			printf ' exit-address-family\n'
		done
	} >"$d/bgpd.conf"
}

# _vtysh NS CMD...: one vtysh command against bgpd of NS.
_vtysh() {
	local ns=$1 c args=()
	shift
	for c in "$@"; do args+=(-c "$c"); done
	ns_exec "$ns" vtysh --vty_socket "$ITEST_DIR/$ns/frr" -d bgpd "${args[@]}"
}

# frr_stop NS [hard]: bgpd closes its sessions WITHOUT a NOTIFICATION on
# SIGTERM, so unless "hard" is given we first run "bgp shutdown" (Cease,
# Administrative Shutdown to every neighbor), like the other daemons do on
# SIGTERM.
frr_stop() {
	if [ "${2:-}" != hard ] && [ -S "$ITEST_DIR/$1/frr/bgpd.vty" ]; then
		_vtysh "$1" "configure terminal" \
			"router bgp $(cat "$ITEST_DIR/$1/frr/as")" "bgp shutdown" \
			>/dev/null 2>&1 || true
		sleep 0.5
	fi
	_peer_stop "$1" frr
}
frr_kill() { _peer_kill "$1" frr; }
frr_log() { printf '%s\n' "$ITEST_DIR/$1/frr/bgpd.log"; }

# frr_state NS NEIGHBOR: bgpState (Established, Active, Connect, Idle, ...).
frr_state() {
	_vtysh "$1" "show bgp neighbors $2 json" 2>/dev/null |
		"$ITEST_PYTHON" -c '
import json, sys
try:
    d = json.load(sys.stdin)
    print(d[sys.argv[1]]["bgpState"])
except Exception:
    print("Unknown")' "$2"
}

# frr_routes NS [ipv4|ipv6]: routes learned from a peer (locally originated
# ones, peerId "(unspec)", are left out), every path, "PREFIX NEXTHOP ASPATH".
# NEXTHOP: the global next hop (FRR also keeps the link-local one).
frr_routes() {
	local ns=$1 af=${2:-ipv4}
	_vtysh "$ns" "show bgp $af unicast json" | "$ITEST_PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
for pfx, paths in d.get("routes", {}).items():
    for p in paths:
        if p.get("peerId", "(unspec)") == "(unspec)":
            continue
        nh = "-"
        for n in p.get("nexthops", []):
            if n.get("scope", "global") == "global":
                nh = n.get("ip", "-")
                break
        print(" ".join(x for x in (pfx, nh, p.get("path", "")) if x))
' | sort
}

frr_announce() { _frr_netedit "$1" "$2" ""; }
frr_withdraw() { _frr_netedit "$1" "$2" "no "; }

_frr_netedit() {
	local ns=$1 pfx=$2 no=$3 af
	_is_v6 "$pfx" && af=ipv6 || af=ipv4
	_vtysh "$ns" "configure terminal" "router bgp $(cat "$ITEST_DIR/$ns/frr/as")" \
		"address-family $af unicast" "${no}network $pfx" >/dev/null
}

frr_cease_received() {
	grep -qE 'NOTIFICATION: received from neighbor .* 6/[0-9]+ \(Cease' "$(frr_log "$1")"
}

# ---------------------------------------------------------------------------
# OpenBGPD
#
# bgpd -d (foreground, logs to stderr) -f CONFIG; the control socket is set
# in the config ("socket PATH"); queried with bgpctl -s SOCKET. It chroots
# to the home of user _openbgpd (/run/openbgpd): both must exist, we create
# them if the package's sysusers step did not run. Debian's build installs
# no kernel routes ("fib-update no" anyway). Filters deny by default:
# "allow from any / allow to any". Prefixes are "network" statements;
# announce/withdraw use "bgpctl network add|delete" (delete also withdraws
# a config network).
#
# The other address family: the portable build cannot find its own address
# of the other family (get_alternate_addr() is #if 0 on Linux), so it sends
# IPv6 routes over an IPv4 session with next hop ::1; "local-address" does
# not help. We use "multihop 2" (for eBGP only that branch honours
# no-modify) and "match to NBR inet6 set nexthop OWN6" + "set nexthop
# no-modify" (inet/OWN4 for IPv6 sessions; 7.7 has no extended next hop).
#
# Runs as 4 processes (bgpd, bgpd -R/-S/-T); SIGTERM sends Cease.
# Cease: bgpd logs
#   "neighbor 10.99.0.1: received notification: Cease, administratively down"

openbgpd_start() {
	local ns=$1 rid=$2 las=$3 d i a n la f
	shift 3
	_peer_parse "$@"
	_openbgpd_prepare
	d=$(_peer_dir "$ns" openbgpd)
	{
		printf 'AS %s\nrouter-id %s\n' "$las" "$rid"
		printf 'socket "%s/bgpd.sock"\n' "$d"
		printf 'fib-update no\nholdtime %s\nconnect-retry 1\n' "$HOLD"
		for n in "${NET4[@]+"${NET4[@]}"}" "${NET6[@]+"${NET6[@]}"}"; do
			printf 'network %s\n' "$n"
		done
		for i in "${!NBR_ADDR[@]}"; do
			a=${NBR_ADDR[i]}
			printf 'neighbor %s {\n\tremote-as %s\n' "$a" "${NBR_AS[i]}"
			[ "${NBR_PASSIVE[i]}" = 0 ] || printf '\tpassive\n'
			[ "${NBR_PORT[i]}" = 179 ] || printf '\tport %s\n' "${NBR_PORT[i]}"
			# See the header: multihop makes "nexthop no-modify" work
			# for the routes of the other address family.
			printf '\tmultihop 2\n'
			printf '\tholdtime %s\n' "${NBR_HOLD[i]}"
			if _nbr_has_af "$i" ipv4; then
				printf '\tannounce IPv4 unicast\n'
			else
				printf '\tannounce IPv4 none\n'
			fi
			if _nbr_has_af "$i" ipv6; then
				printf '\tannounce IPv6 unicast\n'
			else
				printf '\tannounce IPv6 none\n'
			fi
			printf '}\n'
		done
		printf 'allow from any\nallow to any\n'
		# Routes of the other family than the session's: without this
		# bgpd sends IPv6 routes over an IPv4 session with next hop ::1
		# (and IPv4 over IPv6 unusable): set our own address of that
		# family on the interface towards the neighbor.
		for i in "${!NBR_ADDR[@]}"; do
			a=${NBR_ADDR[i]}
			if _is_v6 "$a"; then
				la=$(_local_addr "$ns" "$a" 4) f=inet
			else
				la=$(_local_addr "$ns" "$a" 6) f=inet6
			fi
			[ -n "$la" ] || continue
			printf 'match to %s %s set nexthop %s\n' "$a" "$f" "$la"
			printf 'match to %s %s set nexthop no-modify\n' "$a" "$f"
		done
	} >"$d/bgpd.conf"
	chmod 600 "$d/bgpd.conf"
	rm -f "$d/bgpd.sock"
	ns_exec "$ns" bgpd -n -f "$d/bgpd.conf" >"$d/check.log" 2>&1 ||
		itest_fail "openbgpd config invalid: $(cat "$d/check.log")"
	_peer_start_bg "$ns" openbgpd "$d/bgpd.log" bgpd -d -v -f "$d/bgpd.conf" >"$d/bgpd.run"
	wait_until 10 test -S "$d/bgpd.sock" || itest_fail "openbgpd in $ns did not start"
}

# The chroot dir and the unprivileged user the Debian package expects.
_openbgpd_prepare() {
	mkdir -p /run/openbgpd
	if ! getent passwd _openbgpd >/dev/null; then
		itest_log "creating system user _openbgpd (package sysusers step missing)"
		useradd --system --no-create-home --home-dir /run/openbgpd \
			--shell /usr/sbin/nologin _openbgpd
	fi
}

_bgpctl() {
	local ns=$1
	shift
	ns_exec "$ns" bgpctl -s "$ITEST_DIR/$ns/openbgpd/bgpd.sock" "$@"
}

openbgpd_stop() { _peer_stop "$1" openbgpd; }
openbgpd_kill() { _peer_kill "$1" openbgpd; }
openbgpd_log() { printf '%s\n' "$ITEST_DIR/$1/openbgpd/bgpd.log"; }

# openbgpd_state NS NEIGHBOR: "Established" or the FSM state (Idle, Active,
# Connect, OpenSent, OpenConfirm).
openbgpd_state() {
	_bgpctl "$1" -j show neighbor "$2" 2>/dev/null | "$ITEST_PYTHON" -c '
import json, sys
try:
    s = json.load(sys.stdin)["neighbors"][0]["state"]
    print("Established" if s.lower() == "established" else s)
except Exception:
    print("Unknown")'
}

# openbgpd_routes NS [ipv4|ipv6]: paths learned from neighbors (locally
# announced ones left out), "PREFIX NEXTHOP ASPATH".
openbgpd_routes() {
	local ns=$1 af=${2:-ipv4}
	_bgpctl "$ns" -j show rib "$af" | "$ITEST_PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
for r in d.get("rib", []):
    # locally announced networks: neighbor "LOCAL", remote_addr "???"
    if r.get("announced") or r.get("neighbor", {}).get("description") == "LOCAL":
        continue
    f = [r["prefix"], r.get("exit_nexthop") or "-"]
    if r.get("aspath"):
        f.append(r["aspath"])
    print(" ".join(f))
' | sort
}

openbgpd_announce() { _bgpctl "$1" network add "$2" >/dev/null; }
openbgpd_withdraw() { _bgpctl "$1" network delete "$2" >/dev/null; }

openbgpd_cease_received() {
	grep -qE 'received notification: Cease' "$(openbgpd_log "$1")"
}

# ---------------------------------------------------------------------------
# GoBGP (a peer only; no zebra integration)
#
# gobgpd -f CONFIG.toml -t toml --api-hosts 127.0.0.1:50051 (per namespace)
# --pprof-disable -p (plain log). Originated prefixes are added after start
# with "gobgp global rib add"; default policies accept everything.
#
# SIGTERM sends Cease 6/3 (Peer De-configured). IPv4 over an IPv6 session
# negotiates extended next hop (RFC 8950) with BIRD/FRR.
# Cease: gobgpd logs (plain format)
#   level=warning msg="received notification" Code=6 ... Subcode=2
#   level=info msg="Peer Down" ... Reason="notification-received code 6(cease) subcode 2(administrative shutdown)"

gobgp_start() {
	local ns=$1 rid=$2 las=$3 d i a n
	shift 3
	_peer_parse "$@"
	d=$(_peer_dir "$ns" gobgp)
	{
		printf '[global.config]\n  as = %s\n  router-id = "%s"\n' "$las" "$rid"
		printf '  port = 179\n'
		for i in "${!NBR_ADDR[@]}"; do
			a=${NBR_ADDR[i]}
			printf '[[neighbors]]\n  [neighbors.config]\n'
			printf '    neighbor-address = "%s"\n    peer-as = %s\n' "$a" "${NBR_AS[i]}"
			printf '  [neighbors.timers.config]\n'
			printf '    hold-time = %s\n    keepalive-interval = %s\n' \
				"${NBR_HOLD[i]}" "$(_keepalive "${NBR_HOLD[i]}")"
			printf '    connect-retry = 1\n    idle-hold-time-after-reset = 1\n'
			printf '  [neighbors.transport.config]\n'
			[ "${NBR_PORT[i]}" = 179 ] || printf '    remote-port = %s\n' "${NBR_PORT[i]}"
			[ "${NBR_PASSIVE[i]}" = 0 ] || printf '    passive-mode = true\n'
			for p in ipv4 ipv6; do
				_nbr_has_af "$i" "$p" || continue
				printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n'
				printf '      afi-safi-name = "%s-unicast"\n' "$p"
			done
		done
	} >"$d/gobgpd.toml"
	_peer_start_bg "$ns" gobgp "$d/gobgpd.log" gobgpd -f "$d/gobgpd.toml" -t toml \
		--api-hosts "$ITEST_GOBGP_API" --pprof-disable -p >"$d/gobgpd.run"
	wait_until 10 _gobgp "$ns" global || itest_fail "gobgpd in $ns did not start"
	for n in "${NET4[@]+"${NET4[@]}"}" "${NET6[@]+"${NET6[@]}"}"; do
		gobgp_announce "$ns" "$n"
	done
}

_gobgp() {
	local ns=$1
	shift
	ns_exec "$ns" gobgp -u "${ITEST_GOBGP_API%:*}" -p "${ITEST_GOBGP_API##*:}" "$@"
}

gobgp_stop() { _peer_stop "$1" gobgp; }
gobgp_kill() { _peer_kill "$1" gobgp; }
gobgp_log() { printf '%s\n' "$ITEST_DIR/$1/gobgp/gobgpd.log"; }

gobgp_state() {
	_gobgp "$1" -j neighbor "$2" 2>/dev/null | "$ITEST_PYTHON" -c '
import json, sys
names = {1: "Idle", 2: "Connect", 3: "Active", 4: "OpenSent",
         5: "OpenConfirm", 6: "Established"}
try:
    s = json.load(sys.stdin)["state"]["session_state"]
    print(names.get(s, s) if isinstance(s, int) else str(s).capitalize())
except Exception:
    print("Unknown")'
}

gobgp_routes() {
	local ns=$1 af=${2:-ipv4}
	_gobgp "$ns" -j global rib -a "$af" | "$ITEST_PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
for pfx, paths in d.items():
    for p in paths:
        if p.get("source-id", "") in ("", "<nil>") and not p.get("neighbor-ip"):
            continue
        nh, path = "-", ""
        for a in p.get("attrs", []):
            t = a.get("type")
            if t == 3:
                nh = a.get("nexthop", "-")
            elif t == 14:
                nh = a.get("nexthop", "-")
            elif t == 2:
                asns = []
                for seg in a.get("as_paths", []):
                    asns += [str(x) for x in seg.get("asns", [])]
                path = " ".join(asns)
        print(" ".join(x for x in (pfx, nh, path) if x))
' | sort
}

gobgp_announce() {
	local af=ipv4
	_is_v6 "$2" && af=ipv6
	_gobgp "$1" global rib add -a "$af" "$2" origin igp >/dev/null
}

gobgp_withdraw() {
	local af=ipv4
	_is_v6 "$2" && af=ipv6
	_gobgp "$1" global rib del -a "$af" "$2" >/dev/null
}

gobgp_cease_received() {
	grep -qiE 'notification-received code 6' "$(gobgp_log "$1")"
}

# ---------------------------------------------------------------------------
# Generic assertions over the PEER_state / PEER_routes helpers.
# PEER is bird, frr, openbgpd or gobgp.

# peer_has_route PEER NS AF LINE: does PEER_routes NS AF print exactly LINE
# ("PREFIX NEXTHOP ASPATH")? A LINE of just "PREFIX" matches any path of it.
peer_has_route() {
	local out
	out=$("$1"_routes "$2" "$3") || return 1
	case $4 in
	*" "*) printf '%s\n' "$out" | grep -qxF -- "$4" ;;
	*) printf '%s\n' "$out" | awk -v p="$4" '$1 == p { f = 1 } END { exit !f }' ;;
	esac
}

# peer_lacks_route PEER NS AF PREFIX: no path at all for PREFIX.
peer_lacks_route() {
	! peer_has_route "$1" "$2" "$3" "$4"
}

_peer_is_established() {
	[ "$("$1"_state "$2" "$3")" = Established ]
}

# wait_established PEER NS NEIGHBOR [TIMEOUT=30]: or itest_fail.
wait_established() {
	wait_until "${4:-30}" _peer_is_established "$1" "$2" "$3" ||
		itest_fail "$1 in $2: session to $3 not Established after ${4:-30}s (state $("$1"_state "$2" "$3"))"
	itest_ok "$1 in $2: session to $3 Established"
}

# wait_route PEER NS AF LINE [TIMEOUT=20]: wait until peer_has_route, or
# itest_fail showing what the peer has.
wait_route() {
	wait_until "${5:-20}" peer_has_route "$1" "$2" "$3" "$4" ||
		itest_fail "$1 in $2: no $3 route '$4' after ${5:-20}s; has:$(printf '\n  %s' "$("$1"_routes "$2" "$3")")"
	itest_ok "$1 in $2: $3 route '$4'"
}

# wait_no_route PEER NS AF PREFIX [TIMEOUT=20]
wait_no_route() {
	wait_until "${5:-20}" peer_lacks_route "$1" "$2" "$3" "$4" ||
		itest_fail "$1 in $2: $3 route $4 still there after ${5:-20}s"
	itest_ok "$1 in $2: no $3 route $4"
}

# ---------------------------------------------------------------------------
# flatbgpd (the daemon under test)

# itest_require_flatbgpd: skip the test when the daemon or CLI is not built.
itest_require_flatbgpd() {
	[ -x "$FLATBGPD" ] || itest_skip "flatbgpd not built ($FLATBGPD)"
	[ -x "$FLATBGPCTL" ] || itest_skip "flatbgpctl not built ($FLATBGPCTL)"
}

# flatbgpd_conf NS ROUTER_ID LOCAL_AS SPEC... [export=local|all|none]:
# write a flatbgp.conf (SPEC.md section 3) from the same SPEC words as the
# other peers and print its path. Kubernetes discovery is off (pod-cidr and
# service-cidr none, api-server none); the prefixes come from net4=/net6=;
# the control socket and the log level (debug) are set. Tests that need
# other keys write their own YAML.
flatbgpd_conf() {
	local ns=$1 rid=$2 las=$3 d i a export=local arg words=()
	shift 3
	for arg in "$@"; do
		case $arg in
		export=*) export=${arg#export=} ;;
		*) words+=("$arg") ;;
		esac
	done
	_peer_parse "${words[@]+"${words[@]}"}"
	d="$ITEST_DIR/$ns/flatbgpd"
	mkdir -p "$d"
	{
		printf 'asn: %s\nrouter-id: %s\n' "$las" "$rid"
		printf 'listen:\n  - address: "::"\n    port: 179\n'
		printf 'hold-time: %s\nconnect-retry: 1\n' "$HOLD"
		printf 'advertise:\n  pod-cidr: none\n  service-cidr: none\n'
		printf '  prefixes: ['
		local sep=""
		for a in "${NET4[@]+"${NET4[@]}"}" "${NET6[@]+"${NET6[@]}"}"; do
			printf '%s%s' "$sep" "$a"
			sep=", "
		done
		printf ']\n'
		printf 'kubernetes:\n  node-name: %s\n  api-server: none\n' "$ns"
		printf 'neighbors:\n'
		for i in "${!NBR_ADDR[@]}"; do
			printf '  - address: "%s"\n    asn: %s\n' "${NBR_ADDR[i]}" "${NBR_AS[i]}"
			[ "${NBR_PASSIVE[i]}" = 0 ] || printf '    passive: true\n'
			printf '    hold-time: %s\n' "${NBR_HOLD[i]}"
			case ${NBR_AF[i]} in
			both) printf '    families: [ipv4, ipv6]\n' ;;
			*) printf '    families: [%s]\n' "${NBR_AF[i]}" ;;
			esac
		done
		printf 'policy:\n  export: %s\n' "$export"
		printf 'control:\n  socket: "%s/flatbgpd.sock"\n' "$d"
		printf 'log:\n  level: debug\n'
	} >"$d/flatbgp.conf"
	printf '%s\n' "$d/flatbgp.conf"
}

# flatbgpd_start NS CONF [ARGS...]: run flatbgpd in the foreground in NS with
# control socket $ITEST_DIR/NS/flatbgpd/flatbgpd.sock (-s), log (stderr) to
# flatbgpd.log; waits (10 s) for the socket.
flatbgpd_start() {
	local ns=$1 conf=$2 d
	shift 2
	d=$(_peer_dir "$ns" flatbgpd)
	rm -f "$d/flatbgpd.sock"
	_peer_start_bg "$ns" flatbgpd "$d/flatbgpd.log" "$FLATBGPD" -c "$conf" \
		-s "$d/flatbgpd.sock" "$@" >"$d/flatbgpd.run"
	wait_until 10 test -S "$d/flatbgpd.sock" || itest_fail "flatbgpd in $ns did not start"
}

flatbgpd_stop() { _peer_stop "$1" flatbgpd; }
flatbgpd_kill() { _peer_kill "$1" flatbgpd; }
flatbgpd_log() { printf '%s\n' "$ITEST_DIR/$1/flatbgpd/flatbgpd.log"; }
flatbgpd_sock() { printf '%s\n' "$ITEST_DIR/$1/flatbgpd/flatbgpd.sock"; }

# flatbgpctl_ns NS ARGS...: flatbgpctl against the daemon of NS.
flatbgpctl_ns() {
	local ns=$1
	shift
	ns_exec "$ns" "$FLATBGPCTL" -s "$ITEST_DIR/$ns/flatbgpd/flatbgpd.sock" "$@"
}

# flatbgpd_state NS NEIGHBOR / flatbgpd_routes NS [ipv4|ipv6]: the same
# normalized output as for the other peers, from "flatbgpctl -j" (schema of
# src/control_handlers.c: {"neighbors": [{"address", "state"}]} and
# {"routes": [{"prefix", "paths": [{"source", "next_hop", "as_path",
# "rejected"}]}]}). Left out: locally originated and rejected paths.
flatbgpd_state() {
	flatbgpctl_ns "$1" -j show neighbors 2>/dev/null | "$ITEST_PYTHON" -c '
import ipaddress, json, sys
want = ipaddress.ip_address(sys.argv[1])
try:
    for n in json.load(sys.stdin)["neighbors"]:
        try:
            same = ipaddress.ip_address(n["address"]) == want
        except ValueError:
            same = False
        if same:
            print(n["state"])
            break
    else:
        print("Unknown")
except Exception:
    print("Unknown")' "$2"
}

flatbgpd_routes() {
	local ns=$1 af=${2:-ipv4}
	flatbgpctl_ns "$ns" -j show rib | "$ITEST_PYTHON" -c '
import json, sys
v6 = sys.argv[1] == "ipv6"
def asn(x):
    if isinstance(x, list):
        return "{" + ",".join(str(y) for y in x) + "}"
    return str(x)
for r in json.load(sys.stdin).get("routes", []):
    if (":" in r["prefix"]) != v6:
        continue
    for p in r.get("paths", []):
        if p.get("source") == "local" or p.get("rejected"):
            continue
        path = p.get("as_path") or []
        if isinstance(path, str):
            path = path.split()
        f = [r["prefix"], p.get("next_hop") or "-"] + [asn(x) for x in path]
        print(" ".join(f))
' "$af" | sort
}

flatbgpd_cease_received() {
	grep -qiE 'received notification.*(cease|6/)' "$(flatbgpd_log "$1")"
}

# ---------------------------------------------------------------------------
# rawpeer (tests/tools/rawpeer.c): scripted raw BGP messages.

# rawpeer_require: make sure $RAWPEER exists; when it was not built by make
# (running a script by hand), compile it into the temp dir with cc.
rawpeer_require() {
	[ -x "$RAWPEER" ] && return 0
	local src="$top_srcdir/tests/tools/rawpeer.c"
	[ -f "$src" ] || itest_skip "rawpeer not built and $src missing"
	RAWPEER="$ITEST_DIR/rawpeer"
	${CC:-cc} -std=c11 -Wall -Wextra -O2 -o "$RAWPEER" "$src" ||
		itest_fail "cannot compile $src"
}

# rawpeer_run NS ARGS... < SCRIPT: run rawpeer in NS, bounded to 60 s by
# timeout(1); stdout is rawpeer's "recv ..." lines, exit status rawpeer's.
rawpeer_run() {
	local ns=$1
	shift
	ns_exec "$ns" timeout 60 "$RAWPEER" "$@"
}

# ---------------------------------------------------------------------------
# FRR leaves a per-process dir in /var/tmp/frr (crash log buffer); remove
# the ones of the pids we started.
_itest_frr_tmp_cleanup() {
	local pid=$1 d
	for d in /var/tmp/frr/*."$pid"; do
		[ -d "$d" ] && rm -rf "$d"
	done
	return 0
}
