#!/bin/bash
#
# malformed.sh - flatbgpd answers bad input per RFC 4271 / RFC 7606 and
# keeps everything else running.
#
#   flatbgpd 10.99.0.1        AS 65001, one passive neighbor per case
#   BIRD     10.99.0.2        AS 65002, a good peer whose route must survive
#   rawpeer  10.99.0.21-.30   AS 650NN, one address (and neighbor) per case,
#                             so that no case meets the damping of another
#
# ITEST_DUT=bird runs the same cases against BIRD (which answers some of
# them the same way) to check the test itself.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

itest_init malformed
DUT=${ITEST_DUT:-flatbgpd}
[ "$DUT" = bird ] || itest_require_flatbgpd
itest_require_peers bird rawpeer
rawpeer_require

lan_add lan 10.99.0.0/24 fd99::/64
ns_add dut
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_add bird
ns_attach bird lan 10.99.0.2/24 fd99::2/64
ns_add raw
ns_attach raw lan 10.99.0.21/24 -
for n in 22 23 24 25 26 27 28 29 30; do
	ns_exec raw ip addr add "10.99.0.$n/24" dev eth0
done

# shellcheck disable=SC2054 # commas belong to the SPEC words
spec=(nbr=10.99.0.2,65002,passive net4=10.99.101.0/24)
for n in 21 22 23 24 25 26 27 28 29 30; do
	spec+=("nbr=10.99.0.$n,650$n,passive,af=ipv4")
done
if [ "$DUT" = bird ]; then
	bird_start dut 10.99.0.1 65001 "${spec[@]}"
else
	flatbgpd_start dut "$(flatbgpd_conf dut 10.99.0.1 65001 "${spec[@]}")"
fi
bird_start bird 10.99.0.2 65002 nbr=10.99.0.1,65001 net4=10.99.102.0/24
wait_established "$DUT" dut 10.99.0.2
wait_route "$DUT" dut ipv4 "10.99.102.0/24 10.99.0.2 65002"

# run_case N DESC: run the rawpeer script on stdin from 10.99.0.N against
# the daemon; its output goes to the log.
run_case() {
	local n=$1 desc=$2 out rc=0
	out=$(rawpeer_run raw -t 10 -b "10.99.0.$n" -c 10.99.0.1 179) || rc=$?
	printf '%s\n' "--- case $n: $desc" "$out" >&2
	[ "$rc" = 0 ] || itest_fail "$desc (rawpeer exit $rc; see the log)"
	itest_ok "$desc"
}

# Header errors (RFC 4271 6.1), before any OPEN of ours.
run_case 21 "bad marker: NOTIFICATION 1/1" <<'EOF'
send 00000000000000000000000000000000 0013 04
expect-notification 1 1
EOF
run_case 22 "header length 18: NOTIFICATION 1/2" <<'EOF'
send ffffffffffffffffffffffffffffffff 0012 04
expect-notification 1 2
EOF
run_case 23 "unknown message type 9: NOTIFICATION 1/3" <<'EOF'
open 65023 9 10.99.0.23
expect-type 1
expect-type 4
keepalive
msg 9
expect-notification 1 3
EOF

# OPEN errors (RFC 4271 6.2).
# Version 3, AS 65024 (0xfe00), hold 9, id 10.99.0.24, no parameters.
run_case 24 "OPEN version 3: NOTIFICATION 2/1" <<'EOF'
msg 1 03 fe00 0009 0a630018 00
expect-notification 2 1
EOF
run_case 25 "OPEN with the wrong AS: NOTIFICATION 2/2" <<'EOF'
open 65099 9 10.99.0.25
expect-notification 2 2
EOF
run_case 26 "OPEN hold time 1: NOTIFICATION 2/6" <<'EOF'
open 65026 1 10.99.0.26
expect-notification 2 6
EOF
run_case 27 "OPEN BGP identifier 0.0.0.0: NOTIFICATION 2/3" <<'EOF'
open 65027 9 0.0.0.0
expect-notification 2 3
EOF

# UPDATE errors (RFC 4271 6.3, RFC 7606).
# Total Attribute Length (16) beyond the end of the message: nothing in it
# can be parsed, so the session is reset with 3/1, Malformed Attribute List
# (RFC 4271 6.3; RFC 7606 keeps "session reset" for it).
run_case 28 "Total Attribute Length past the message end: NOTIFICATION 3/1" <<'EOF'
open 65028 9 10.99.0.28
expect-type 1
expect-type 4
keepalive
read-all 500
msg 2 0000 0010 40010100
expect-notification 3 1
EOF
# ORIGIN 5 (undefined) for 10.99.129.0/24: treat-as-withdraw (RFC 7606
# 7.1), the session stays up. AS_PATH: one AS_SEQUENCE of 65029 (0xfe05),
# 4-octet ASNs (both sides announce the capability), NEXT_HOP 10.99.0.29.
run_case 29 "ORIGIN 5: treat-as-withdraw, session stays up" <<'EOF'
open 65029 9 10.99.0.29
expect-type 1
expect-type 4
keepalive
read-all 500
msg 2 0000 0014 40010105 40020602010000fe05 4003040a63001d 180a6381
expect-up 2000
EOF
itest_check "the malformed route 10.99.129.0/24 was not accepted" \
	peer_lacks_route "$DUT" dut ipv4 10.99.129.0/24

# A well-formed UPDATE from rawpeer is accepted (the scripts above are not
# rejected for some other reason); the session stays up while we look.
rawpeer_run raw -t 10 -b 10.99.0.30 -c 10.99.0.1 179 >"$ITEST_DIR/case30.out" 2>&1 <<'EOF' &
open 65030 9 10.99.0.30
expect-type 1
expect-type 4
keepalive
auto-keepalive 3
read-all 500
msg 2 0000 0014 40010100 40020602010000fe06 4003040a63001e 180a6382
expect-up 8000
EOF
good=$!
wait_route "$DUT" dut ipv4 "10.99.130.0/24 10.99.0.30 65030"
wait "$good" || itest_fail "rawpeer case 30 failed: $(tr '\n' ' ' <"$ITEST_DIR/case30.out")"

itest_log "the daemon survived, with the good peer's route"
itest_check "$DUT still running" kill -0 "$(cat "$ITEST_DIR/dut/$DUT/"*.run)"
itest_check "session to BIRD still Established" _peer_is_established "$DUT" dut 10.99.0.2
itest_check "BIRD's route still there" \
	peer_has_route "$DUT" dut ipv4 "10.99.102.0/24 10.99.0.2 65002"
