#!/bin/bash
#
# flatbgp-ibgp.sh - flatbgpd against flatbgpd over iBGP: LOCAL_PREF sent,
# no AS path prepend, next hop unchanged, no iBGP-to-iBGP re-advertisement
# (RFC 4271 9.2) without route reflection.
#
#   a  10.99.0.1 fd99::1  AS 65001  export all, announces 10.99.101.0/24 fd99:101::/64
#   b  10.99.0.2 fd99::2  AS 65001  export all, announces 10.99.102.0/24 fd99:102::/64
#   d  10.99.0.4 fd99::4  AS 65001  announces 10.99.104.0/24 fd99:104::/64
#   e  10.99.0.5 fd99::5  AS 65005  announces 10.99.105.0/24 fd99:105::/64
#   e -eBGP- a -iBGP- b -iBGP- d    (a-e, a-b over IPv4; b-d over IPv6)
#   b is a's and d's only iBGP neighbor: no full mesh, no reflector.
#
# Checks: sessions; b gets a's own prefixes with an empty AS path, a's
# address as next hop and LOCAL_PREF 100; b gets e's prefixes through a with
# AS path 65005 (no prepend on iBGP) and e's address as next hop (unchanged,
# no next-hop-self on iBGP) and LOCAL_PREF 100; d gets b's own prefixes but
# none of what b learned over iBGP (a's and e's), and e none of d's; e gets
# b's prefix through a with a's AS prepended; a withdrawal at e disappears
# at b.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib-flatbgpd.sh
. "$(dirname "$0")/lib-flatbgpd.sh"

itest_init flatbgp-ibgp
itest_require_flatbgpd
# shellcheck disable=SC2119 # no peers, only the tools lib.sh needs
itest_require_peers

lan_add lan 10.99.0.0/24 fd99::/64
for n in a b d e; do
	ns_add "$n"
done
ns_attach a lan 10.99.0.1/24 fd99::1/64
ns_attach b lan 10.99.0.2/24 fd99::2/64
ns_attach d lan 10.99.0.4/24 fd99::4/64
ns_attach e lan 10.99.0.5/24 fd99::5/64

flatbgpd_start a "$(fconf a 10.99.0.1 65001 nbr=10.99.0.2,65001 \
	nbr=10.99.0.5,65005,passive net4=10.99.101.0/24 net6=fd99:101::/64 \
	export=all)"
flatbgpd_start b "$(fconf b 10.99.0.2 65001 nbr=10.99.0.1,65001,passive \
	nbr=fd99::4,65001,passive net4=10.99.102.0/24 net6=fd99:102::/64 \
	export=all)"
flatbgpd_start d "$(fconf d 10.99.0.4 65001 nbr=fd99::2,65001 \
	net4=10.99.104.0/24 net6=fd99:104::/64)"
e_conf=$(fconf e 10.99.0.5 65005 nbr=10.99.0.1,65001 \
	net4=10.99.105.0/24 net6=fd99:105::/64)
flatbgpd_start e "$e_conf"

wait_established flatbgpd a 10.99.0.2
wait_established flatbgpd a 10.99.0.5
wait_established flatbgpd b 10.99.0.1
wait_established flatbgpd b fd99::4
wait_established flatbgpd d fd99::2
wait_established flatbgpd e 10.99.0.1
fexpect "a: session to b is iBGP" ibgp fnbr a 10.99.0.2 "n['type']"
fexpect "a: session to e is eBGP" ebgp fnbr a 10.99.0.5 "n['type']"

itest_log "a's own prefixes at b: empty AS path, next hop a, LOCAL_PREF 100"
# flatbgpd_routes prints "PREFIX NEXTHOP" when the AS path is empty.
wait_route flatbgpd b ipv4 "10.99.101.0/24 10.99.0.1"
wait_route flatbgpd b ipv6 "fd99:101::/64 fd99::1"
fexpect "b: 10.99.101.0/24 from a: AS path [], LOCAL_PREF 100, best" \
	"[] 100 True" fpath b 10.99.101.0/24 10.99.0.1 \
	"'%s %s %s' % (json.dumps(p['as_path']), p['local_pref'], p['best'])"

itest_log "e's prefixes at b through a: no prepend, next hop unchanged"
wait_route flatbgpd b ipv4 "10.99.105.0/24 10.99.0.5 65005"
wait_route flatbgpd b ipv6 "fd99:105::/64 fd99::5 65005"
fexpect "b: fd99:105::/64 from a: LOCAL_PREF 100, no ORIGINATOR_ID/CLUSTER_LIST" \
	"100 None []" fpath b fd99:105::/64 10.99.0.1 \
	"'%s %s %s' % (p['local_pref'], p['originator_id'], json.dumps(p['cluster_list']))"
fexpect "a: e's route as received over eBGP has no LOCAL_PREF" null \
	fpath a 10.99.105.0/24 10.99.0.5 "p['local_pref']"

itest_log "no iBGP-to-iBGP re-advertisement"
# b's own prefixes reach d (the control that the session works)...
# shellcheck disable=SC2016 # eval expands later, on purpose
itest_check "d: b's 10.99.102.0/24, empty AS path, next hop b" \
	wait_until 20 eval 'peer_has_route flatbgpd d ipv4 "10.99.102.0/24 10.99.0.2" ||
	peer_has_route flatbgpd d ipv4 "10.99.102.0/24 fd99::2"'
wait_route flatbgpd d ipv6 "fd99:102::/64 fd99::2"
wait_route flatbgpd b ipv4 "10.99.104.0/24 10.99.0.4"
# ...and e's prefix went from a to b before that; give b time to (wrongly)
# pass the iBGP-learned routes on: d's first UPDATEs are long in.
sleep 2
for pfx in 10.99.101.0/24 10.99.105.0/24; do
	itest_check "d: no $pfx (b learned it over iBGP)" \
		peer_lacks_route flatbgpd d ipv4 "$pfx"
done
for pfx in fd99:101::/64 fd99:105::/64; do
	itest_check "d: no $pfx (b learned it over iBGP)" \
		peer_lacks_route flatbgpd d ipv6 "$pfx"
done
fexpect "b advertises 2 prefixes to d (its own)" 2 \
	fnbr b fd99::4 "n['prefixes']['advertised']"
fexpect "b advertises 2 prefixes to a (its own, not d's)" 2 \
	fnbr b 10.99.0.1 "n['prefixes']['advertised']"

itest_log "iBGP-learned to eBGP: prepended, next hop self"
wait_route flatbgpd e ipv4 "10.99.102.0/24 10.99.0.1 65001"
wait_route flatbgpd e ipv6 "fd99:102::/64 fd99::1 65001"
itest_check "e: no 10.99.104.0/24 (d's prefix stops at b)" \
	peer_lacks_route flatbgpd e ipv4 10.99.104.0/24

itest_log "withdrawal at e (reload without fd99:105::/64)"
e_conf=$(fconf e 10.99.0.5 65005 nbr=10.99.0.1,65001 net4=10.99.105.0/24)
itest_check "e: reload" eval 'flatbgpctl_ns e reload >&2'
wait_no_route flatbgpd b ipv6 fd99:105::/64
itest_check "b: e's IPv4 prefix stays" \
	peer_has_route flatbgpd b ipv4 "10.99.105.0/24 10.99.0.5 65005"
