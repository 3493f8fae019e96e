#!/bin/bash
#
# harness-selftest.sh - proves that lib.sh and rawpeer work, without flatbgpd.
#
# One LAN (10.99.0.0/24, fd99::/64) with BIRD in the middle, peered with
#   FRR      10.99.0.2 AS 65002  IPv4 transport, BIRD connects, FRR passive
#   OpenBGPD 10.99.0.3 AS 65003  IPv4 transport, OpenBGPD connects, BIRD passive
#   GoBGP    fd99::4   AS 65004  IPv6 transport, BIRD connects, GoBGP passive
#   rawpeer  10.99.0.9 AS 65009  rawpeer connects (malformed UPDATE)
#   rawpeer  10.99.0.10 AS 65010 BIRD connects to a listening rawpeer
#   rawpeer  fd99::9    AS 65019 rawpeer connects over IPv6 (a good session)
# Every speaker announces one IPv4 and one IPv6 prefix over its one session
# (both families on every session). Checks: sessions Established, routes
# with the expected next hop and AS path in both directions, a withdrawal,
# NOTIFICATIONs answering rawpeer's bad input, and Cease on shutdown.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

itest_init harness-selftest
itest_require_peers bird frr openbgpd gobgp rawpeer
rawpeer_require

lan_add lan 10.99.0.0/24 fd99::/64
for n in bird frr obgp gobgp raw1 raw2; do
	ns_add "$n"
done
ns_attach bird lan 10.99.0.1/24 fd99::1/64
ns_attach frr lan 10.99.0.2/24 fd99::2/64
ns_attach obgp lan 10.99.0.3/24 fd99::3/64
ns_attach gobgp lan 10.99.0.4/24 fd99::4/64
ns_attach raw1 lan 10.99.0.9/24 fd99::9/64
ns_attach raw2 lan 10.99.0.10/24 -

itest_log "starting BIRD, FRR, OpenBGPD, GoBGP"
bird_start bird 10.99.0.1 65001 \
	nbr=10.99.0.2,65002 \
	nbr=10.99.0.3,65003,passive \
	nbr=fd99::4,65004 \
	nbr=10.99.0.9,65009,passive,af=ipv4 \
	nbr=10.99.0.10,65010,af=ipv4 \
	nbr=fd99::9,65019,passive,af=ipv6 \
	net4=10.99.101.0/24 net6=fd99:101::/64
frr_start frr 10.99.0.2 65002 nbr=10.99.0.1,65001,passive \
	net4=10.99.102.0/24 net6=fd99:102::/64
openbgpd_start obgp 10.99.0.3 65003 nbr=10.99.0.1,65001 \
	net4=10.99.103.0/24 net6=fd99:103::/64
gobgp_start gobgp 10.99.0.4 65004 nbr=fd99::1,65001,passive \
	net4=10.99.104.0/24 net6=fd99:104::/64

itest_log "sessions"
wait_established bird bird 10.99.0.2
wait_established bird bird 10.99.0.3
wait_established bird bird fd99::4
wait_established frr frr 10.99.0.1
wait_established openbgpd obgp 10.99.0.1
wait_established gobgp gobgp fd99::1

itest_log "routes received by BIRD"
wait_route bird bird ipv4 "10.99.102.0/24 10.99.0.2 65002"
wait_route bird bird ipv6 "fd99:102::/64 fd99::2 65002"
wait_route bird bird ipv4 "10.99.103.0/24 10.99.0.3 65003"
wait_route bird bird ipv6 "fd99:103::/64 fd99::3 65003"
# IPv4 over the IPv6 session: extended next hop (RFC 8950).
wait_route bird bird ipv4 "10.99.104.0/24 fd99::4 65004"
wait_route bird bird ipv6 "fd99:104::/64 fd99::4 65004"

itest_log "routes received from BIRD"
wait_route frr frr ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route frr frr ipv6 "fd99:101::/64 fd99::1 65001"
wait_route openbgpd obgp ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route openbgpd obgp ipv6 "fd99:101::/64 fd99::1 65001"
wait_route gobgp gobgp ipv4 "10.99.101.0/24 fd99::1 65001"
wait_route gobgp gobgp ipv6 "fd99:101::/64 fd99::1 65001"
# Transit through BIRD keeps the LAN next hop (RFC 4271 5.1.3, third party).
wait_route frr frr ipv4 "10.99.103.0/24 10.99.0.3 65001 65003"
wait_route openbgpd obgp ipv6 "fd99:102::/64 fd99::2 65001 65002"
wait_route gobgp gobgp ipv6 "fd99:103::/64 fd99::3 65001 65003"

itest_log "withdraw"
frr_withdraw frr 10.99.102.0/24
gobgp_withdraw gobgp fd99:104::/64
wait_no_route bird bird ipv4 10.99.102.0/24
wait_no_route bird bird ipv6 fd99:104::/64
wait_no_route openbgpd obgp ipv4 10.99.102.0/24
itest_check "withdrawing FRR's IPv4 prefix leaves its IPv6 one" \
	peer_has_route bird bird ipv6 fd99:102::/64
frr_announce frr 10.99.102.0/24
wait_route bird bird ipv4 "10.99.102.0/24 10.99.0.2 65002"

itest_log "rawpeer connects: OPEN, routes, then an UPDATE with a bad attribute length"
# UPDATE: no withdrawn routes, 4 octets of attributes holding ORIGIN with
# attribute length 5 (overruns the attribute list): BIRD answers
# NOTIFICATION 3/1 (UPDATE Message Error / Malformed Attribute List).
cat >"$ITEST_DIR/raw1.script" <<'EOF'
open 65009 9 10.99.0.9
expect-type 1 5
expect-type 4 5
keepalive
read-all 1500
msg 2 0000 0004 40010500
expect-notification 3 1 5
expect-close 5
EOF
out=$(rawpeer_run raw1 -t 10 -c 10.99.0.1 179 <"$ITEST_DIR/raw1.script") ||
	itest_fail "rawpeer (connect) failed: $out"
printf '%s\n' "$out" >&2
itest_ok "rawpeer -c: OPEN, KEEPALIVE, then NOTIFICATION 3/1 for the bad UPDATE"
itest_check "rawpeer got BIRD's routes (an UPDATE)" grep -q '^recv 2 ' <<<"$out"
itest_check "BIRD logged the malformed attribute list" \
	grep -q 'n_10_99_0_9: .*Malformed attribute list' "$(bird_log bird)"

itest_log "rawpeer listens: BIRD connects, then a header with length 18"
cat >"$ITEST_DIR/raw2.script" <<'EOF'
expect-type 1 5
open 65010 9 10.99.0.10
expect-type 4 5
keepalive
send ffffffffffffffffffffffffffffffff 0012 04
expect-notification 1 2 5
EOF
out=$(rawpeer_run raw2 -t 15 -l 179 <"$ITEST_DIR/raw2.script") ||
	itest_fail "rawpeer (listen) failed: $out"
printf '%s\n' "$out" >&2
itest_check "rawpeer -l: accepted BIRD's connection" grep -q '^accepted 10.99.0.1$' <<<"$out"
itest_ok "rawpeer -l: NOTIFICATION 1/2 for a header of length 18"

itest_log "rawpeer over IPv6: a well-formed session stays up"
cat >"$ITEST_DIR/raw3.script" <<'EOF'
open 65019 9 10.99.0.19
expect-type 1 5
expect-type 4 5
keepalive
expect-up 1500
EOF
out=$(rawpeer_run raw1 -6 -t 10 -c fd99::1 179 <"$ITEST_DIR/raw3.script") ||
	itest_fail "rawpeer -6 failed: $out"
printf '%s\n' "$out" >&2
# MP_REACH_NLRI (type 14, extended length or not) for AFI 2 SAFI 1.
itest_check "rawpeer -6: BIRD sent its IPv6 routes (MP_REACH_NLRI, AFI 2)" \
	grep -Eq '^recv 2 .*(800e..|900e....)000201' <<<"$out"

itest_log "rawpeer's own bounds check: a header with length 4097"
cat >"$ITEST_DIR/raw4.script" <<'EOF'
expect-type 4 5
EOF
rawpeer_run raw2 -t 10 -l 1790 <"$ITEST_DIR/raw4.script" \
	>"$ITEST_DIR/raw4.out" 2>"$ITEST_DIR/raw4.err" &
listener=$!
wait_until 5 eval 'ns_exec raw2 ss -Htln | grep -q ":1790 "' ||
	itest_fail "rawpeer -l 1790 did not listen"
printf 'send ffffffffffffffffffffffffffffffff 1001 04\nsleep 500\n' |
	rawpeer_run raw1 -t 5 -c 10.99.0.10 1790 >/dev/null || true
rc=0
wait "$listener" || rc=$?
itest_check "rawpeer rejects a received length of 4097 (exit 1)" [ "$rc" = 1 ]
itest_check "rawpeer says why" grep -q 'bad length 4097' "$ITEST_DIR/raw4.err"

itest_log "BIRD still fine with everybody else"
for n in 10.99.0.2 10.99.0.3 fd99::4; do
	itest_check "BIRD still Established with $n" _peer_is_established bird bird "$n"
done

itest_log "Cease on shutdown"
openbgpd_stop obgp
itest_check "BIRD logged the Cease from OpenBGPD" wait_until 10 bird_cease_received bird
wait_no_route bird bird ipv4 10.99.103.0/24
itest_check "BIRD's session to the stopped OpenBGPD is down" \
	wait_until 10 eval '! _peer_is_established bird bird 10.99.0.3'
bird_stop bird
itest_check "FRR logged the Cease from BIRD" wait_until 10 frr_cease_received frr
itest_check "GoBGP logged the Cease from BIRD" wait_until 10 gobgp_cease_received gobgp
wait_no_route frr frr ipv4 10.99.101.0/24
wait_no_route gobgp gobgp ipv6 fd99:101::/64

