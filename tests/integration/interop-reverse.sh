#!/bin/bash
#
# interop-reverse.sh - flatbgpd against BIRD, FRR, OpenBGPD and GoBGP, every
# session in the other direction than in interop.sh, so that together the
# two tests have each peer with flatbgpd connecting and accepting. BIRD,
# FRR and OpenBGPD also use the other transport than in interop.sh (GoBGP
# cannot: over an IPv4 session it sends its IPv6 routes with an IPv4 next
# hop, which BIRD and flatbgpd rightly refuse):
#
#   flatbgpd 10.99.0.1 fd99::1  AS 65001  announces 10.99.101.0/24 fd99:101::/64
#   BIRD     fd99::2            AS 65002  passive;   flatbgpd connects (IPv6 transport)
#   FRR      fd99::3            AS 65003  connects;  flatbgpd passive  (IPv6 transport)
#   OpenBGPD 10.99.0.4          AS 65004  connects;  flatbgpd passive  (IPv4 transport)
#   GoBGP    fd99::5            AS 65005  passive;   flatbgpd connects (IPv6 transport)
# Each peer announces 10.99.10N.0/24 and fd99:10N::/64 over its one session.
#
# Checks: sessions Established on both sides; flatbgpd's prefixes at every
# peer (AS path 65001, next hop flatbgpd's address); every peer's prefixes
# at flatbgpd (AS path of the peer, next hop the peer's address);
# "flatbgpctl show neighbors" and "show rib", text and -j, list them; a
# withdrawal by each peer disappears at flatbgpd, a withdrawal by flatbgpd
# (reload without the prefix) disappears at every peer; stopping flatbgpd
# gives every peer a Cease (its own log says so).
#
# Where extended next hop (RFC 8950) is negotiated over an IPv6 session an
# IPv4 route may carry either family's next hop; both are accepted, any
# other is not. ITEST_DUT=bird runs the script with BIRD in flatbgpd's
# place (flatbgpctl checks left out) to check the test itself.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-flatbgpd.sh
. "$(dirname "$0")/lib-flatbgpd.sh"

itest_init interop-reverse
DUT=${ITEST_DUT:-flatbgpd}
[ "$DUT" = bird ] || itest_require_flatbgpd
itest_require_peers bird frr openbgpd gobgp

lan_add lan 10.99.0.0/24 fd99::/64
for n in dut bird frr obgp gobgp; do
	ns_add "$n"
done
ns_attach dut lan 10.99.0.1/24 fd99::1/64
ns_attach bird lan 10.99.0.2/24 fd99::2/64
ns_attach frr lan 10.99.0.3/24 fd99::3/64
ns_attach obgp lan 10.99.0.4/24 fd99::4/64
ns_attach gobgp lan 10.99.0.5/24 fd99::5/64
# FRR sends router advertisements on IPv6 sessions (extended next hop).
ns_no_slaac dut bird frr obgp gobgp

# shellcheck disable=SC2054 # commas belong to the SPEC words
dut_spec=(nbr=fd99::2,65002 nbr=fd99::3,65003,passive
	nbr=10.99.0.4,65004,passive nbr=fd99::5,65005)
dut_nets=(net4=10.99.101.0/24 net6=fd99:101::/64)
if [ "$DUT" = bird ]; then
	bird_start dut 10.99.0.1 65001 "${dut_spec[@]}" "${dut_nets[@]}"
else
	flatbgpd_start dut "$(fconf dut 10.99.0.1 65001 "${dut_spec[@]}" "${dut_nets[@]}")"
fi

bird_start bird 10.99.0.2 65002 nbr=fd99::1,65001,passive \
	net4=10.99.102.0/24 net6=fd99:102::/64
frr_start frr 10.99.0.3 65003 nbr=fd99::1,65001 \
	net4=10.99.103.0/24 net6=fd99:103::/64
openbgpd_start obgp 10.99.0.4 65004 nbr=10.99.0.1,65001 \
	net4=10.99.104.0/24 net6=fd99:104::/64
gobgp_start gobgp 10.99.0.5 65005 nbr=fd99::1,65001,passive \
	net4=10.99.105.0/24 net6=fd99:105::/64

itest_log "sessions"
for n in fd99::2 fd99::3 10.99.0.4 fd99::5; do
	wait_established "$DUT" dut "$n"
done
wait_established bird bird fd99::1
wait_established frr frr fd99::1
wait_established openbgpd obgp 10.99.0.1
wait_established gobgp gobgp fd99::1

# wait_route_either PEER NS AF PREFIX ASPATH NH1 NH2: the route with either
# next hop (IPv4 over an IPv6 session with extended next hop, RFC 8950).
wait_route_either() {
	local peer=$1 ns=$2 af=$3 pfx=$4 path=$5 nh1=$6 nh2=$7
	# shellcheck disable=SC2016 # eval expands later, on purpose
	wait_until 20 eval 'peer_has_route "$peer" "$ns" "$af" "$pfx $nh1 $path" ||
		peer_has_route "$peer" "$ns" "$af" "$pfx $nh2 $path"' ||
		itest_fail "$peer in $ns: no $af route '$pfx' via $nh1 or $nh2, path $path; has:$(printf '\n  %s' "$("$peer"_routes "$ns" "$af")")"
	itest_ok "$peer in $ns: $af route '$pfx $path' via $nh1 or $nh2"
}

itest_log "flatbgpd's prefixes at every peer"
wait_route_either bird bird ipv4 10.99.101.0/24 65001 10.99.0.1 fd99::1
wait_route bird bird ipv6 "fd99:101::/64 fd99::1 65001"
wait_route_either frr frr ipv4 10.99.101.0/24 65001 10.99.0.1 fd99::1
wait_route frr frr ipv6 "fd99:101::/64 fd99::1 65001"
wait_route openbgpd obgp ipv4 "10.99.101.0/24 10.99.0.1 65001"
# IPv6 over the IPv4 session: flatbgpd's own IPv6 address on the link.
wait_route openbgpd obgp ipv6 "fd99:101::/64 fd99::1 65001"
wait_route_either gobgp gobgp ipv4 10.99.101.0/24 65001 10.99.0.1 fd99::1
wait_route gobgp gobgp ipv6 "fd99:101::/64 fd99::1 65001"

itest_log "the peers' prefixes at $DUT"
wait_route_either "$DUT" dut ipv4 10.99.102.0/24 65002 10.99.0.2 fd99::2
wait_route "$DUT" dut ipv6 "fd99:102::/64 fd99::2 65002"
wait_route_either "$DUT" dut ipv4 10.99.103.0/24 65003 10.99.0.3 fd99::3
wait_route "$DUT" dut ipv6 "fd99:103::/64 fd99::3 65003"
wait_route "$DUT" dut ipv4 "10.99.104.0/24 10.99.0.4 65004"
wait_route "$DUT" dut ipv6 "fd99:104::/64 fd99::4 65004"
wait_route_either "$DUT" dut ipv4 10.99.105.0/24 65005 10.99.0.5 fd99::5
wait_route "$DUT" dut ipv6 "fd99:105::/64 fd99::5 65005"

if [ "$DUT" = flatbgpd ]; then
	itest_log "flatbgpctl show neighbors / show rib"
	# Prefixes received / accepted / advertised. FRR sends flatbgpd's
	# own two prefixes back (it has no sender-side loop check by
	# default): 4 received, 2 accepted.
	for r in "fd99::2 65002 2" "fd99::3 65003 4" "10.99.0.4 65004 2" \
		"fd99::5 65005 2"; do
		read -r a as rcvd <<<"$r"
		fwait_expect "show neighbors -j: $a AS $as, $rcvd/2/2 prefixes" 10 \
			"$as Established $rcvd 2 2" fjson dut "' '.join(str(x)
				for n in d['neighbors'] if n['address'] == '$a'
				for x in (n['remote_as'], n['state'],
				n['prefixes']['received'], n['prefixes']['accepted'],
				n['prefixes']['advertised']))" show neighbors
	done
	summary=$(flatbgpctl_ns dut show neighbors)
	printf '%s\n' "$summary" >&2
	for r in "fd99::2 65002 2" "fd99::3 65003 4" "10.99.0.4 65004 2" \
		"fd99::5 65005 2"; do
		read -r a as rcvd <<<"$r"
		# address, AS, state, up time, received, accepted, advertised
		itest_check "show neighbors: $a AS $as Established, $rcvd/2/2" \
			grep -qE "^$a +$as +Established +[0-9:dhm]+ +$rcvd +2 +2( |$)" \
			<<<"$summary"
	done
	fexpect "show rib -j: FRR's copy of our 10.99.101.0/24 rejected" \
		"[65003, 65001] overlaps a prefix this node originates" \
		fpath dut 10.99.101.0/24 fd99::3 \
		"json.dumps(p['as_path']) + ' ' + p['rejected']"
	rib=$(flatbgpctl_ns dut show rib)
	printf '%s\n' "$rib" >&2
	for r in "10.99.102.0/24 65002" "fd99:102::/64 65002" \
		"10.99.104.0/24 65004" "fd99:105::/64 65005"; do
		read -r pfx as <<<"$r"
		itest_check "show rib: $pfx best, AS path $as" \
			grep -qE "^\*> +$pfx +[0-9a-f.:]+ +$as +IGP " <<<"$rib"
	done
	itest_check "show rib: own 10.99.101.0/24 (local)" \
		grep -qE '^\*> +10\.99\.101\.0/24 .* local *$' <<<"$rib"
	fexpect "show rib -j: 10.99.104.0/24 from OpenBGPD" \
		"true 65004 10.99.0.4 [65004] IGP" fpath dut 10.99.104.0/24 10.99.0.4 \
		"' '.join(str(x) for x in (str(p['best']).lower(), p['source_as'],
			p['next_hop'], json.dumps(p['as_path']), p['origin']))"
	fexpect "show rib -j: fd99:103::/64 from FRR" \
		"true 65003 fd99::3 [65003] IGP" fpath dut fd99:103::/64 fd99::3 \
		"' '.join(str(x) for x in (str(p['best']).lower(), p['source_as'],
			p['next_hop'], json.dumps(p['as_path']), p['origin']))"
	fexpect "show rib -j: 10 routes, 2 of them local" "10 2" fjson dut \
		"'%d %d' % (len(d['routes']), sum(1 for r in d['routes']
			for p in r['paths'] if p['source'] == 'local'))" show rib
fi

itest_log "withdrawals by each peer"
bird_withdraw bird 10.99.102.0/24
frr_withdraw frr fd99:103::/64
openbgpd_withdraw obgp 10.99.104.0/24
gobgp_withdraw gobgp fd99:105::/64
wait_no_route "$DUT" dut ipv4 10.99.102.0/24
wait_no_route "$DUT" dut ipv6 fd99:103::/64
wait_no_route "$DUT" dut ipv4 10.99.104.0/24
wait_no_route "$DUT" dut ipv6 fd99:105::/64
# shellcheck disable=SC2016
itest_check "the other family's prefixes stay" eval \
	'peer_has_route "$DUT" dut ipv6 fd99:102::/64 &&
	peer_has_route "$DUT" dut ipv4 10.99.103.0/24 &&
	peer_has_route "$DUT" dut ipv6 fd99:104::/64 &&
	peer_has_route "$DUT" dut ipv4 10.99.105.0/24'

itest_log "withdrawals by $DUT"
if [ "$DUT" = bird ]; then
	bird_withdraw dut 10.99.101.0/24
	bird_withdraw dut fd99:101::/64
	bird_announce dut 10.99.111.0/24
else
	# Same neighbors, the prefixes changed: a reload, not a restart.
	conf=$(fconf dut 10.99.0.1 65001 "${dut_spec[@]}" net4=10.99.111.0/24)
	itest_check "flatbgpctl reload" eval "flatbgpctl_ns dut reload >&2"
fi
for p in bird:bird frr:frr openbgpd:obgp gobgp:gobgp; do
	wait_no_route "${p%%:*}" "${p#*:}" ipv4 10.99.101.0/24
	wait_no_route "${p%%:*}" "${p#*:}" ipv6 fd99:101::/64
	wait_route_either "${p%%:*}" "${p#*:}" ipv4 10.99.111.0/24 65001 \
		10.99.0.1 fd99::1
done

itest_log "$DUT stops: Cease to every peer"
"$DUT"_stop dut
itest_check "BIRD logged a Cease" wait_until 10 bird_cease_received bird
itest_check "FRR logged a Cease" wait_until 10 frr_cease_received frr
itest_check "OpenBGPD logged a Cease" wait_until 10 openbgpd_cease_received obgp
itest_check "GoBGP logged a Cease" wait_until 10 gobgp_cease_received gobgp
wait_no_route bird bird ipv4 10.99.111.0/24
wait_no_route frr frr ipv4 10.99.111.0/24
wait_no_route openbgpd obgp ipv4 10.99.111.0/24
wait_no_route gobgp gobgp ipv4 10.99.111.0/24
