#!/bin/bash
#
# route-reflector.sh - three flatbgpd in one AS, one of them a route
# reflector (RFC 4456) for the two others, plus a scripted client.
#
#   r    10.99.0.1 fd99::1  AS 65001  reflector, export all, announces 10.99.101.0/24
#   c1   10.99.0.2 fd99::2  AS 65001  client (IPv4 session), announces 10.99.102.0/24 fd99:102::/64
#   c2   10.99.0.3 fd99::3  AS 65001  client (IPv6 session), announces 10.99.103.0/24 fd99:103::/64
#   raw  10.99.0.9          AS 65001  client (rawpeer), sends 10.99.109.0/24 with
#                                     LOCAL_PREF 250 and next hop 10.99.0.9
#
# Checks, with route-reflector-client on both clients: a client's routes
# reach the other client (show rib -j) with ORIGINATOR_ID = the client's
# router id, CLUSTER_LIST = [r's router id, the default cluster id], the
# next hop unchanged, an empty AS path and LOCAL_PREF as received (250 from
# raw, 100 otherwise); r's own routes carry neither attribute; no client
# gets its own route back. Then r restarts without the client flag: the
# sessions and r's own routes are back, c1's and c2's routes are at r, but
# nothing is reflected.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-flatbgpd.sh
. "$(dirname "$0")/lib-flatbgpd.sh"

itest_init route-reflector
itest_require_flatbgpd
itest_require_peers rawpeer
rawpeer_require

lan_add lan 10.99.0.0/24 fd99::/64
for n in r c1 c2 raw; do
	ns_add "$n"
done
ns_attach r lan 10.99.0.1/24 fd99::1/64
ns_attach c1 lan 10.99.0.2/24 fd99::2/64
ns_attach c2 lan 10.99.0.3/24 fd99::3/64
ns_attach raw lan 10.99.0.9/24 -

# r_conf CLIENT(true|false): write r's configuration, print its path.
r_conf() {
	local conf a
	# shellcheck disable=SC2054 # commas belong to the SPEC words
	conf=$(fconf r 10.99.0.1 65001 nbr=10.99.0.2,65001,passive \
		nbr=fd99::3,65001,passive nbr=10.99.0.9,65001,passive,af=ipv4 \
		net4=10.99.101.0/24 export=all)
	for a in 10.99.0.2 fd99::3 10.99.0.9; do
		fconf_neighbor "$conf" "$a" route-reflector-client "$1"
	done
	printf '%s\n' "$conf"
}

flatbgpd_start r "$(r_conf true)"
flatbgpd_start c1 "$(fconf c1 10.99.0.2 65001 nbr=10.99.0.1,65001 \
	net4=10.99.102.0/24 net6=fd99:102::/64)"
flatbgpd_start c2 "$(fconf c2 10.99.0.3 65001 nbr=fd99::1,65001 \
	net4=10.99.103.0/24 net6=fd99:103::/64)"
wait_established flatbgpd r 10.99.0.2
wait_established flatbgpd r fd99::3
wait_established flatbgpd c1 10.99.0.1
wait_established flatbgpd c2 fd99::1

# The scripted client: OPEN (AS 65001, hold 9, id 10.99.0.9), then one
# UPDATE: ORIGIN IGP, empty AS_PATH, NEXT_HOP 10.99.0.9, LOCAL_PREF 250,
# NLRI 10.99.109.0/24; then it stays up (keepalives) for at most 40 s.
raw_out="$ITEST_DIR/raw/rawpeer.out"
rawpeer_run raw -t 10 -b 10.99.0.9 -c 10.99.0.1 179 >"$raw_out" 2>&1 7>&- 8>&- <<'EOF' &
open 65001 9 10.99.0.9
expect-type 1
expect-type 4
keepalive
auto-keepalive 3
msg 2 0000 0015 40010100 400200 4003040a630009 4005040000 00fa 180a636d
read-all 40000
EOF
raw_pid=$!

itest_log "reflected: client to client"
wait_route flatbgpd c2 ipv4 "10.99.102.0/24 10.99.0.2"
wait_route flatbgpd c2 ipv6 "fd99:102::/64 fd99::2"
# shellcheck disable=SC2016 # eval expands later, on purpose
itest_check "c1: c2's 10.99.103.0/24, next hop c2's (IPv4 or, RFC 8950, IPv6)" \
	wait_until 20 eval 'peer_has_route flatbgpd c1 ipv4 "10.99.103.0/24 10.99.0.3" ||
	peer_has_route flatbgpd c1 ipv4 "10.99.103.0/24 fd99::3"'
wait_route flatbgpd c1 ipv6 "fd99:103::/64 fd99::3"
attrs="'%s %s %s %s' % (p['originator_id'], json.dumps(p['cluster_list']),
	json.dumps(p['as_path']), p['local_pref'])"
fexpect "c2: 10.99.102.0/24 with ORIGINATOR_ID c1, CLUSTER_LIST [r]" \
	'10.99.0.2 ["10.99.0.1"] [] 100' fpath c2 10.99.102.0/24 fd99::1 "$attrs"
fexpect "c2: fd99:102::/64 with ORIGINATOR_ID c1, CLUSTER_LIST [r]" \
	'10.99.0.2 ["10.99.0.1"] [] 100' fpath c2 fd99:102::/64 fd99::1 "$attrs"
fexpect "c1: fd99:103::/64 with ORIGINATOR_ID c2, CLUSTER_LIST [r]" \
	'10.99.0.3 ["10.99.0.1"] [] 100' fpath c1 fd99:103::/64 10.99.0.1 "$attrs"
fexpect "r: c1's route as received (no ORIGINATOR_ID, no CLUSTER_LIST)" \
	'None [] [] 100' fpath r 10.99.102.0/24 10.99.0.2 "$attrs"

itest_log "reflected: the scripted client's LOCAL_PREF 250"
wait_route flatbgpd c1 ipv4 "10.99.109.0/24 10.99.0.9"
wait_route flatbgpd c2 ipv4 "10.99.109.0/24 10.99.0.9"
fexpect "c2: 10.99.109.0/24 with LOCAL_PREF 250, ORIGINATOR_ID raw" \
	'10.99.0.9 ["10.99.0.1"] [] 250' fpath c2 10.99.109.0/24 fd99::1 "$attrs"
fexpect "c1: 10.99.109.0/24 with LOCAL_PREF 250, ORIGINATOR_ID raw" \
	'10.99.0.9 ["10.99.0.1"] [] 250' fpath c1 10.99.109.0/24 10.99.0.1 "$attrs"

itest_log "r's own routes: not reflected, so no RFC 4456 attributes"
wait_route flatbgpd c1 ipv4 "10.99.101.0/24 10.99.0.1"
fexpect "c1: r's 10.99.101.0/24 without ORIGINATOR_ID/CLUSTER_LIST" \
	'None [] [] 100' fpath c1 10.99.101.0/24 10.99.0.1 "$attrs"
# Rejected paths count too: a route reflected back would show up as an
# originator loop.
fexpect "c1: its own 10.99.102.0/24 has just the local path" local \
	fjson c1 "' '.join(p['source'] for p in d['routes'][0]['paths'])" \
	show rib 10.99.102.0/24
fexpect "c2: its own fd99:103::/64 has just the local path" local \
	fjson c2 "' '.join(p['source'] for p in d['routes'][0]['paths'])" \
	show rib fd99:103::/64
fexpect "r advertises 4 prefixes to c1 (own, 2 of c2, raw's)" 4 \
	fnbr r 10.99.0.2 "n['prefixes']['advertised']"
for n in c1 c2; do
	fexpect "$n: nothing rejected (no originator or cluster loop)" 0 \
		fjson "$n" "sum(1 for r in d['routes'] for p in r['paths']
			if p['rejected'])" show rib
done

kill "$raw_pid" 2>/dev/null || true
wait "$raw_pid" 2>/dev/null || true
printf '%s\n' "--- rawpeer" >&2
cat "$raw_out" >&2

itest_log "r without route-reflector-client: nothing reflected"
flatbgpd_stop r
wait_no_route flatbgpd c2 ipv4 10.99.102.0/24
flatbgpd_start r "$(r_conf false)"
wait_established flatbgpd r 10.99.0.2
wait_established flatbgpd r fd99::3
wait_route flatbgpd r ipv4 "10.99.102.0/24 10.99.0.2"
wait_route flatbgpd r ipv6 "fd99:103::/64 fd99::3"
wait_route flatbgpd c1 ipv4 "10.99.101.0/24 10.99.0.1"
wait_route flatbgpd c2 ipv4 "10.99.101.0/24 10.99.0.1"
# The clients' routes are at r and r's own routes at the clients: give r
# time to (wrongly) reflect, then look.
sleep 2
itest_check "c2: no 10.99.102.0/24 of c1" peer_lacks_route flatbgpd c2 ipv4 10.99.102.0/24
itest_check "c2: no fd99:102::/64 of c1" peer_lacks_route flatbgpd c2 ipv6 fd99:102::/64
itest_check "c1: no 10.99.103.0/24 of c2" peer_lacks_route flatbgpd c1 ipv4 10.99.103.0/24
itest_check "c1: no fd99:103::/64 of c2" peer_lacks_route flatbgpd c1 ipv6 fd99:103::/64
fexpect "r advertises 1 prefix to c1 (its own)" 1 \
	fnbr r 10.99.0.2 "n['prefixes']['advertised']"
