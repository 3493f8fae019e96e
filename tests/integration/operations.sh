#!/bin/bash
#
# operations.sh - flatbgpctl's control commands and the daemon's life cycle:
# clear (hard and soft), reload and SIGHUP, broken configurations,
# flatbgpctl's errors, max-prefixes, TCP-MD5 and the hold timer.
#
#   dut     10.99.0.1  AS 65001  flatbgpd under test, policy.import.max-prefixes 3,
#                                announces 10.99.101.0/24 fd99:101::/64
#   bird    10.99.0.2  AS 65002  BIRD: hard clear; removed by a reload
#   f2      10.99.0.3  AS 65003  flatbgpd: soft clear; hold time 3, SIGSTOPped
#   bird4   10.99.0.4  AS 65004  BIRD, passive: added by SIGHUP
#   bird5   10.99.0.5  AS 65005  BIRD: announces 4 prefixes, one too many
#   md5ok   10.99.0.6  AS 65006  BIRD, passive, password "flat-md5"
#   md5bad  10.99.0.7  AS 65007  BIRD, passive, password "wrong-md5"
# dut has every neighbor but bird4 from the start, passwords "flat-md5"
# for md5ok and md5bad.
#
# Checks: flatbgpctl's exit status and exact messages for an unknown
# neighbor and a daemon not running (SPEC 2); more than max-prefixes
# prefixes: Cease 6/1 sent (dut's last_error, BIRD's log); TCP-MD5: the
# session with the right password comes up, the wrong one never does;
# "clear neighbor" resets (Cease 6/4, a second transition to Established)
# and the session and routes come back; "clear neighbor soft" sends a
# ROUTE-REFRESH (counters on both sides, no reset, f2 answers with
# UPDATEs); SIGHUP with a neighbor added and the prefixes changed: the
# neighbor starts, the prefixes are announced and withdrawn without a
# session reset; "reload" without a neighbor: Cease 6/3 to it; a broken
# file through "reload" (exit 1, FILE:LINE:COLUMN) and SIGHUP (the same in
# the log) changes nothing; a peer that goes silent (SIGSTOP) gets Hold
# Timer Expired 4/0 (dut's last_error, and f2's once it runs again).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-flatbgpd.sh
. "$(dirname "$0")/lib-flatbgpd.sh"

itest_init operations
itest_require_flatbgpd
itest_require_peers bird

lan_add lan 10.99.0.0/24 fd99::/64
n=1
for ns in dut bird f2 bird4 bird5 md5ok md5bad; do
	ns_add "$ns"
	ns_attach "$ns" lan "10.99.0.$n/24" "fd99::$n/64"
	n=$((n + 1))
done
t_start=$SECONDS

# dut_conf [SPEC...]: dut's configuration with the neighbors and
# prefixes given (besides the fixed ones), max-prefixes 3 and the MD5
# passwords; prints its path.
dut_conf() {
	local conf
	# shellcheck disable=SC2054 # commas belong to the SPEC words
	conf=$(fconf dut 10.99.0.1 65001 nbr=10.99.0.3,65003,hold=3 \
		nbr=10.99.0.5,65005,passive nbr=10.99.0.6,65006 \
		nbr=10.99.0.7,65007 "$@")
	fconf_neighbor "$conf" 10.99.0.6 password '"flat-md5"'
	fconf_neighbor "$conf" 10.99.0.7 password '"flat-md5"'
	fconf_policy_import "$conf" '    max-prefixes: 3'
	printf '%s\n' "$conf"
}

# tcp_counter NS NAME: the TcpExt counter NAME of namespace NS.
tcp_counter() {
	ns_exec "$1" cat /proc/net/netstat | awk -v f="$2" '
		$1 == "TcpExt:" && !names { for (i = 2; i <= NF; i++) col[$i] = i; names = 1; next }
		$1 == "TcpExt:" { print $col[f] + 0; exit }'
}

# bird_password NS NEIGHBOR PASSWORD: give BIRD's session a TCP-MD5
# password (RFC 2385) and reconfigure.
bird_password() {
	local conf="$ITEST_DIR/$1/bird/bird.conf"
	sed -i "s/^protocol bgp $(_proto_name "$2") {\$/&\\n\\tpassword \"$3\";/" "$conf"
	grep -q "password \"$3\"" "$conf" || itest_fail "no password in $conf"
	_birdc "$1" configure >&2
}

conf=$(dut_conf nbr=10.99.0.2,65002 net4=10.99.101.0/24 net6=fd99:101::/64)
flatbgpd_start dut "$conf"
dut_pid=$(cat "$ITEST_DIR/dut/flatbgpd/flatbgpd.run")
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001,passive \
	net4=10.99.102.0/24 net6=fd99:102::/64
flatbgpd_start f2 "$(fconf f2 10.99.0.3 65003 nbr=10.99.0.1,65001,passive \
	net4=10.99.103.0/24 net6=fd99:103::/64)"
bird_start bird4 10.99.0.4 65004 nbr=10.99.0.1,65001,passive \
	net4=10.99.104.0/24 net6=fd99:104::/64
bird_start bird5 10.99.0.5 65005 nbr=10.99.0.1,65001 \
	net4=10.99.105.0/24 net4=10.99.115.0/24 net6=fd99:105::/64 net6=fd99:115::/64
bird_start md5ok 10.99.0.6 65006 nbr=10.99.0.1,65001,passive net4=10.99.106.0/24
bird_start md5bad 10.99.0.7 65007 nbr=10.99.0.1,65001,passive net4=10.99.107.0/24
bird_password md5ok 10.99.0.1 flat-md5
bird_password md5bad 10.99.0.1 wrong-md5

wait_established flatbgpd dut 10.99.0.2
wait_established flatbgpd dut 10.99.0.3
wait_established bird bird 10.99.0.1
wait_established flatbgpd f2 10.99.0.1
wait_route bird bird ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route flatbgpd f2 ipv6 "fd99:101::/64 fd99::1 65001"
wait_route flatbgpd dut ipv4 "10.99.102.0/24 10.99.0.2 65002"

itest_log "flatbgpctl errors (SPEC 2)"
# expect_ctl_error DESC MESSAGE CTL-ARGS...: exit status 1, exactly
# MESSAGE on stderr, nothing on stdout.
expect_ctl_error() {
	local desc=$1 want=$2 rc=0
	shift 2
	"$@" >"$ITEST_DIR/ctl.out" 2>"$ITEST_DIR/ctl.err" || rc=$?
	[ "$rc" = 1 ] || itest_fail "$desc: exit status $rc, not 1"
	[ ! -s "$ITEST_DIR/ctl.out" ] ||
		itest_fail "$desc: output on stdout: $(cat "$ITEST_DIR/ctl.out")"
	[ "$(cat "$ITEST_DIR/ctl.err")" = "$want" ] ||
		itest_fail "$desc: stderr '$(cat "$ITEST_DIR/ctl.err")', not '$want'"
	itest_ok "$desc"
}
expect_ctl_error "show neighbor UNKNOWN: exit 1" \
	"flatbgpctl: no such neighbor: 10.99.0.77" \
	flatbgpctl_ns dut show neighbor 10.99.0.77
expect_ctl_error "show neighbor UNKNOWN -j: exit 1" \
	"flatbgpctl: no such neighbor: 10.99.0.77" \
	flatbgpctl_ns dut -j show neighbor 10.99.0.77
expect_ctl_error "clear neighbor UNKNOWN: exit 1" \
	"flatbgpctl: no such neighbor: fd99::77" \
	flatbgpctl_ns dut clear neighbor fd99::77
nosock="$ITEST_DIR/dut/none.sock"
expect_ctl_error "daemon not running: SPEC 2's message" \
	"flatbgpctl: cannot connect to $nosock: No such file or directory (is flatbgpd running?)" \
	ns_exec dut "$FLATBGPCTL" -s "$nosock" show neighbors

itest_log "max-prefixes 3, bird5 sends 4: Cease 6/1"
nbr_error() {
	# shellcheck disable=SC2016
	fnbr "$1" "$2" "'%s %s %s' % (n['last_error']['direction'],
		n['last_error']['code'], n['last_error']['subcode'])
		if n['last_error'] and n['last_error']['direction'] else '-'"
}
fwait_expect "dut: last error with bird5 is Cease/Maximum Number of Prefixes sent" \
	15 "sent 6 1" nbr_error dut 10.99.0.5
itest_check "BIRD logged the Cease 6/1 from dut" wait_until 10 grep -q \
	'Received: Maximum number of prefixes reached' "$(bird_log bird5)"
# BIRD comes back after its error wait and gets the same answer: stop it.
bird_stop bird5

itest_log "TCP-MD5"
wait_established flatbgpd dut 10.99.0.6
wait_established bird md5ok 10.99.0.1
wait_route flatbgpd dut ipv4 "10.99.106.0/24 10.99.0.6 65006"
# Connect retry is 1 s on both ends: after 6 s the wrong password has had
# several tries.
while [ $((SECONDS - t_start)) -lt 7 ]; do sleep 0.5; done
itest_check "wrong password: dut's session to md5bad not Established" \
	test "$(flatbgpd_state dut 10.99.0.7)" != Established
itest_check "wrong password: md5bad's session to dut not Established" \
	test "$(bird_state md5bad 10.99.0.1)" != Established
itest_check "wrong password: no route from md5bad" \
	peer_lacks_route flatbgpd dut ipv4 10.99.107.0/24
# The reason: md5bad's kernel saw dut's SYNs with a digest that does not
# match its key (dut does sign them).
# shellcheck disable=SC2016
itest_check "md5bad's kernel dropped segments with a wrong digest (TCPMD5Failure)" \
	eval '[ "$(tcp_counter md5bad TCPMD5Failure)" -gt 0 ]'

itest_log "clear neighbor: hard reset"
transitions() { fnbr "$1" "$2" "n['established_transitions']"; }
fexpect "dut: 1 transition to Established with bird so far" 1 transitions dut 10.99.0.2
fexpect "clear neighbor 10.99.0.2: 'session reset', exit 0" "session reset" \
	flatbgpctl_ns dut clear neighbor 10.99.0.2
itest_check "BIRD logged Cease/Administrative Reset" wait_until 10 grep -q \
	'Received: Administrative reset' "$(bird_log bird)"
fexpect "dut: last error with bird is Cease 6/4 sent" "sent 6 4" nbr_error dut 10.99.0.2
fwait_expect "dut: the session to bird came back (2 transitions)" 15 \
	"2 Established" fnbr dut 10.99.0.2 \
	"'%s %s' % (n['established_transitions'], n['state'])"
wait_route flatbgpd dut ipv4 "10.99.102.0/24 10.99.0.2 65002"
wait_route bird bird ipv6 "fd99:101::/64 fd99::1 65001"

itest_log "clear neighbor soft: ROUTE-REFRESH"
refresh() {
	fnbr "$1" "$2" "'%s %s %s' % (n['messages']['sent']['route_refresh'],
		n['messages']['received']['route_refresh'], n['established_transitions'])"
}
fexpect "dut: no ROUTE-REFRESH yet with f2" "0 0 1" refresh dut 10.99.0.3
fexpect "f2: no ROUTE-REFRESH yet" "0 0 1" refresh f2 10.99.0.1
# shellcheck disable=SC2034 # used in an eval below
f2_updates=$(fnbr f2 10.99.0.1 "n['messages']['sent']['update']")
fexpect "clear neighbor 10.99.0.3 soft: exit 0" "route refresh requested and sent" \
	flatbgpctl_ns dut clear neighbor 10.99.0.3 soft
# A ROUTE-REFRESH names one AFI/SAFI (RFC 2918 3): one per family.
fwait_expect "dut: 2 ROUTE-REFRESH sent (IPv4, IPv6), no reset" 5 "2 0 1" \
	refresh dut 10.99.0.3
fwait_expect "f2: 2 ROUTE-REFRESH received, no reset" 5 "0 2 1" refresh f2 10.99.0.1
# The same in the text of "show neighbor": Sent, Received columns.
itest_check "dut: show neighbor 10.99.0.3 text: route refresh 2 sent 0 received" \
	grep -qE '^ +route refresh +2 +0$' <<<"$(flatbgpctl_ns dut show neighbor 10.99.0.3)"
itest_check "f2: show neighbor 10.99.0.1 text: route refresh 0 sent 2 received" \
	grep -qE '^ +route refresh +0 +2$' <<<"$(flatbgpctl_ns f2 show neighbor 10.99.0.1)"
# shellcheck disable=SC2016
itest_check "f2 answered with UPDATEs" wait_until 5 eval \
	'[ "$(fnbr f2 10.99.0.1 "n[\"messages\"][\"sent\"][\"update\"]")" -gt "$f2_updates" ]'
itest_check "dut keeps f2's routes" \
	peer_has_route flatbgpd dut ipv6 "fd99:103::/64 fd99::3 65003"

itest_log "SIGHUP: neighbor bird4 added; 10.99.111.0/24 added, fd99:101::/64 removed"
conf=$(dut_conf nbr=10.99.0.2,65002 nbr=10.99.0.4,65004 \
	net4=10.99.101.0/24 net4=10.99.111.0/24)
kill -HUP "$dut_pid"
wait_established flatbgpd dut 10.99.0.4
wait_established bird bird4 10.99.0.1
wait_route flatbgpd dut ipv4 "10.99.104.0/24 10.99.0.4 65004"
wait_route bird bird4 ipv4 "10.99.111.0/24 10.99.0.1 65001"
wait_route bird bird ipv4 "10.99.111.0/24 10.99.0.1 65001"
wait_no_route bird bird ipv6 fd99:101::/64
wait_route flatbgpd f2 ipv4 "10.99.111.0/24 10.99.0.1 65001"
wait_no_route flatbgpd f2 ipv6 fd99:101::/64
itest_check "bird4 never got fd99:101::/64" peer_lacks_route bird bird4 ipv6 fd99:101::/64
fexpect "no session reset with bird (still 2 transitions)" "2 Established" \
	fnbr dut 10.99.0.2 "'%s %s' % (n['established_transitions'], n['state'])"
fexpect "no session reset with f2 (dut's side)" "1 Established" \
	fnbr dut 10.99.0.3 "'%s %s' % (n['established_transitions'], n['state'])"
fexpect "no session reset with f2 (f2's side)" "1 Established" \
	fnbr f2 10.99.0.1 "'%s %s' % (n['established_transitions'], n['state'])"
fexpect "show originated: the new prefixes" "10.99.101.0/24 10.99.111.0/24" \
	fjson dut "' '.join(sorted(o['prefix'] for o in d['originated']))" show originated

itest_log "reload: neighbor bird removed, Cease 6/3"
conf=$(dut_conf nbr=10.99.0.4,65004 net4=10.99.101.0/24 net4=10.99.111.0/24)
fexpect "flatbgpctl reload: exit 0" "configuration reloaded" flatbgpctl_ns dut reload
itest_check "BIRD logged Cease/Peer De-configured" wait_until 10 grep -q \
	'Received: Peer de-configured' "$(bird_log bird)"
expect_ctl_error "show neighbor 10.99.0.2 after removal: exit 1" \
	"flatbgpctl: no such neighbor: 10.99.0.2" \
	flatbgpctl_ns dut show neighbor 10.99.0.2
wait_no_route flatbgpd dut ipv4 10.99.102.0/24
wait_no_route bird bird ipv4 10.99.101.0/24
# shellcheck disable=SC2016
fexpect "bird4 and f2 stay up" "Established Established" eval \
	'echo "$(flatbgpd_state dut 10.99.0.4) $(flatbgpd_state dut 10.99.0.3)"'

itest_log "broken configurations are refused, the daemon keeps running"
cp "$conf" "$conf.good"
line=$(grep -n '^hold-time: ' "$conf" | head -n 1 | cut -d: -f1)
sed -i "${line}s/.*/hold-time: 2/" "$conf"
rc=0
out=$(flatbgpctl_ns dut reload 2>&1) || rc=$?
printf '%s\n' "$out" >&2
itest_check "reload of a broken file: exit 1" test "$rc" = 1
itest_check "reload of a broken file: FILE:$line:COLUMN: message" \
	grep -qE "^$conf:$line:[0-9]+: .*hold-time" <<<"$out"
cp "$conf.good" "$conf"
printf 'neighbours: []\n' >>"$conf"
line=$(wc -l <"$conf")
kill -HUP "$dut_pid"
itest_check "SIGHUP with a broken file: FILE:$line:COLUMN: in the log" \
	wait_until 5 grep -qE "^$conf:$line:[0-9]+: " "$(flatbgpd_log dut)"
itest_check "the daemon is still running" kill -0 "$dut_pid"
for a in 10.99.0.3 10.99.0.4; do
	fexpect "dut: $a still Established, no reset" "1 Established" \
		fnbr dut "$a" "'%s %s' % (n['established_transitions'], n['state'])"
done
itest_check "the originated prefixes are unchanged" \
	peer_has_route flatbgpd f2 ipv4 "10.99.111.0/24 10.99.0.1 65001"
cp "$conf.good" "$conf"

itest_log "hold timer: f2 goes silent"
f2_pid=$(cat "$ITEST_DIR/f2/flatbgpd/flatbgpd.run")
fexpect "dut: negotiated hold time with f2 is 3 s" 3 fnbr dut 10.99.0.3 "n['hold_time']"
kill -STOP "$f2_pid"
fwait_expect "dut: Hold Timer Expired 4/0 sent to f2" 10 "sent 4 0" \
	nbr_error dut 10.99.0.3
itest_check "dut: session to f2 down" test "$(flatbgpd_state dut 10.99.0.3)" != Established
itest_check "dut: show neighbor text: last error sent ... (4/0)" grep -qE \
	'^ +Last error: +sent .*\(4/0\)' <<<"$(flatbgpctl_ns dut show neighbor 10.99.0.3)"
wait_no_route flatbgpd dut ipv4 10.99.103.0/24 5
kill -CONT "$f2_pid"
# Woken up, f2 finds dut's NOTIFICATION in its socket and its own hold
# timer expired (it heard nothing for 3 s either); which one it handles
# first is up to the event loop (flatbgpd: the timer), so either
# direction is right, the error is not.
# shellcheck disable=SC2016
itest_check "f2 (running again): last error Hold Timer Expired 4/0" \
	wait_until 10 eval '[[ "$(nbr_error f2 10.99.0.1)" =~ ^(sent|received)\ 4\ 0$ ]]'
wait_established flatbgpd dut 10.99.0.3
fexpect "f2: the session is back (2 transitions)" "2 Established" \
	fnbr f2 10.99.0.1 "'%s %s' % (n['established_transitions'], n['state'])"

itest_log "dut stops"
flatbgpd_stop dut
sock=$(flatbgpd_sock dut)
expect_ctl_error "flatbgpctl after the daemon stopped: SPEC 2's message" \
	"flatbgpctl: cannot connect to $sock: No such file or directory (is flatbgpd running?)" \
	flatbgpctl_ns dut show neighbors
itest_check "bird4 logged the Cease" wait_until 10 bird_cease_received bird4
