#!/bin/bash
#
# flatbgp-ebgp.sh - flatbgpd against flatbgpd over eBGP: AS path prepend
# and next-hop-self, on one LAN where a third-party next hop would work.
#
#   a  10.99.0.1 fd99::1  AS 65001  export all, announces 10.99.101.0/24 fd99:101::/64
#   b  10.99.0.2 fd99::2  AS 65002  announces 10.99.102.0/24 fd99:102::/64
#   c  10.99.0.3 fd99::3  AS 65003  announces 10.99.103.0/24 fd99:103::/64
#   a <-> b over IPv4 (a connects), a <-> c over IPv6 (c connects)
#
# Checks: both sessions Established on both ends; b and c get a's prefixes
# with AS path 65001 and a's address as next hop; the prefixes a passes on
# arrive with a's AS prepended (65001 65003, 65001 65002) and a as next hop
# (next-hop-self, the default for eBGP), never c's or b's own address, and
# without LOCAL_PREF (RFC 4271 5.1.5); with next-hop-self: false on a's
# neighbor b (reload) the third-party next hop of c goes through instead; a
# withdrawal by c disappears at b; stopping a gives b and c a Cease.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-flatbgpd.sh
. "$(dirname "$0")/lib-flatbgpd.sh"

itest_init flatbgp-ebgp
itest_require_flatbgpd
# shellcheck disable=SC2119 # no peers, only the tools lib.sh needs
itest_require_peers

lan_add lan 10.99.0.0/24 fd99::/64
for n in a b c; do
	ns_add "$n"
done
ns_attach a lan 10.99.0.1/24 fd99::1/64
ns_attach b lan 10.99.0.2/24 fd99::2/64
ns_attach c lan 10.99.0.3/24 fd99::3/64

# shellcheck disable=SC2054 # commas belong to the SPEC words
a_spec=(nbr=10.99.0.2,65002 nbr=fd99::3,65003,passive
	net4=10.99.101.0/24 net6=fd99:101::/64 export=all)
flatbgpd_start a "$(fconf a 10.99.0.1 65001 "${a_spec[@]}")"
flatbgpd_start b "$(fconf b 10.99.0.2 65002 nbr=10.99.0.1,65001,passive \
	net4=10.99.102.0/24 net6=fd99:102::/64)"
c_conf=$(fconf c 10.99.0.3 65003 nbr=fd99::1,65001 \
	net4=10.99.103.0/24 net6=fd99:103::/64)
flatbgpd_start c "$c_conf"

wait_established flatbgpd a 10.99.0.2
wait_established flatbgpd a fd99::3
wait_established flatbgpd b 10.99.0.1
wait_established flatbgpd c fd99::1

itest_log "a's own prefixes: AS path 65001, next hop a"
wait_route flatbgpd b ipv4 "10.99.101.0/24 10.99.0.1 65001"
wait_route flatbgpd b ipv6 "fd99:101::/64 fd99::1 65001"
# a <-> c is an IPv6 session with extended next hop (RFC 8950) on both
# ends: an IPv4 route may come with a's IPv4 or IPv6 address.
# shellcheck disable=SC2016 # eval expands later, on purpose
itest_check "c: 10.99.101.0/24 via a (10.99.0.1 or fd99::1), AS path 65001" \
	wait_until 20 eval 'peer_has_route flatbgpd c ipv4 "10.99.101.0/24 10.99.0.1 65001" ||
	peer_has_route flatbgpd c ipv4 "10.99.101.0/24 fd99::1 65001"'
wait_route flatbgpd c ipv6 "fd99:101::/64 fd99::1 65001"

itest_log "passed on: a's AS prepended, a as next hop"
wait_route flatbgpd b ipv4 "10.99.103.0/24 10.99.0.1 65001 65003"
wait_route flatbgpd b ipv6 "fd99:103::/64 fd99::1 65001 65003"
# shellcheck disable=SC2016
itest_check "c: 10.99.102.0/24 via a, AS path 65001 65002" \
	wait_until 20 eval 'peer_has_route flatbgpd c ipv4 "10.99.102.0/24 10.99.0.1 65001 65002" ||
	peer_has_route flatbgpd c ipv4 "10.99.102.0/24 fd99::1 65001 65002"'
wait_route flatbgpd c ipv6 "fd99:102::/64 fd99::1 65001 65002"
# shellcheck disable=SC2016
itest_check "b has exactly one path per prefix (no third-party copies)" eval \
	'[ "$(flatbgpd_routes b ipv4 | wc -l)" = 2 ] && [ "$(flatbgpd_routes b ipv6 | wc -l)" = 2 ]'

itest_log "attributes at b (show rib -j)"
fexpect "b: fd99:103::/64 from a: best, no LOCAL_PREF, ORIGIN IGP, source AS 65001" \
	"True None IGP 65001 []" fpath b fd99:103::/64 10.99.0.1 \
	"' '.join(str(x) for x in (p['best'], p['local_pref'], p['origin'],
		p['source_as'], p['cluster_list']))"
fexpect "a: c's 10.99.103.0/24 as received (AS path 65003, no prepend on import)" \
	"[65003]" fpath a 10.99.103.0/24 fd99::3 "json.dumps(p['as_path'])"
fexpect "a advertises 4 prefixes to b (2 own, 2 of c)" 4 \
	fnbr a 10.99.0.2 "n['prefixes']['advertised']"

itest_log "next-hop-self: false on a towards b: c's next hop passes through"
a_conf=$(fconf a 10.99.0.1 65001 "${a_spec[@]}")
fconf_neighbor "$a_conf" 10.99.0.2 next-hop-self false
itest_check "a: reload with next-hop-self false" eval 'flatbgpctl_ns a reload >&2'
wait_route flatbgpd b ipv6 "fd99:103::/64 fd99::3 65001 65003" 30
wait_route flatbgpd b ipv4 "10.99.103.0/24 10.99.0.3 65001 65003"
itest_check "b: a's own prefix keeps a's next hop" \
	peer_has_route flatbgpd b ipv4 "10.99.101.0/24 10.99.0.1 65001"

itest_log "withdrawal by c (reload without 10.99.103.0/24)"
c_conf=$(fconf c 10.99.0.3 65003 nbr=fd99::1,65001 net6=fd99:103::/64)
itest_check "c: reload" eval 'flatbgpctl_ns c reload >&2'
wait_no_route flatbgpd a ipv4 10.99.103.0/24
wait_no_route flatbgpd b ipv4 10.99.103.0/24
itest_check "b: c's IPv6 prefix stays" peer_has_route flatbgpd b ipv6 fd99:103::/64

itest_log "a stops: Cease to b and c, routes through a gone"
flatbgpd_stop a
itest_check "b logged the Cease from a" wait_until 10 flatbgpd_cease_received b
itest_check "c logged the Cease from a" wait_until 10 flatbgpd_cease_received c
wait_no_route flatbgpd b ipv6 fd99:103::/64
wait_no_route flatbgpd c ipv4 10.99.102.0/24
fexpect "b: last error is the Cease received from a" "received 6" \
	fnbr b 10.99.0.1 "'%s %s' % (n['last_error']['direction'], n['last_error']['code'])"
