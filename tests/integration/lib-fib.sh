# shellcheck shell=bash
#
# lib-fib.sh - kernel-route helpers for the fib-*.sh tests (source after
# lib.sh). Routes are read with "ip -j" inside the test's namespaces and
# normalized to one line per route:
#
#   PREFIX NEXTHOP[,NEXTHOP...] METRIC      (next hops sorted)
#
# A next hop is the gateway address (IPv4 routes via an IPv6 gateway,
# RFC 8950, show the IPv6 address).
#
#   kroutes NS [TABLE [PROTO]]     routes of PROTO [bgp] in TABLE [main]
#   kroute_has NS LINE [TABLE]     exactly LINE, or any route of PREFIX
#                                  when LINE is a prefix alone
#   kroute_lacks NS PREFIX [TABLE]
#   wait_kroute NS LINE [TABLE] [T] / wait_no_kroute NS PREFIX [TABLE] [T]
#                                  (each prints an "ok" line)
#   fib_state NS PREFIX            the state "flatbgpctl show fib" gives
#   fib_lan_dut_bird               namespaces dut (10.99.0.1, fd99::1) and
#                                  bird (.2, ::2) on one LAN "lan"

kroutes() {
	local ns=$1 table=${2:-main} proto=${3:-bgp} af
	for af in -4 -6; do
		ns_exec "$ns" ip -j "$af" route show table "$table" proto "$proto"
	done | "$ITEST_PYTHON" -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    for r in json.loads(line):
        hops = r.get("nexthops") or [r]
        gw = []
        for h in hops:
            g = h.get("gateway") or (h.get("via") or {}).get("host") or "-"
            gw.append(g)
        print(r["dst"], ",".join(sorted(gw)), r.get("metric", 0))
' | sort
}

kroute_has() {
	local out
	out=$(kroutes "$1" "${3:-main}") || return 1
	case $2 in
	*" "*) printf '%s\n' "$out" | grep -qxF -- "$2" ;;
	*) printf '%s\n' "$out" | awk -v p="$2" '$1 == p { f = 1 } END { exit !f }' ;;
	esac
}

wait_kroute() {
	wait_until "${4:-10}" kroute_has "$1" "$2" "${3:-main}" ||
		itest_fail "$1: no kernel route '$2' in table ${3:-main}; has:$(printf '\n  %s' "$(kroutes "$1" "${3:-main}")")"
	itest_ok "$1: kernel route '$2' (table ${3:-main})"
}

kroute_lacks() {
	! kroute_has "$@"
}

wait_no_kroute() {
	wait_until "${4:-10}" kroute_lacks "$1" "$2" "${3:-main}" ||
		itest_fail "$1: kernel route $2 still in table ${3:-main}"
	itest_ok "$1: no kernel route $2 (table ${3:-main})"
}

fib_state() {
	flatbgpctl_ns "$1" -j show fib | "$ITEST_PYTHON" -c '
import json, sys
for r in json.load(sys.stdin)["fib"]:
    if r["prefix"] == sys.argv[1]:
        print(r["state"])
        break
else:
    print("absent")' "$2"
}

fib_lan_dut_bird() {
	lan_add lan 10.99.0.0/24 fd99::/64
	ns_add dut
	ns_add bird
	ns_attach dut lan 10.99.0.1/24 fd99::1/64
	ns_attach bird lan 10.99.0.2/24 fd99::2/64
}

# flatbgpd_conf_set CONF YAML-LINES: append top-level keys (fib:, ...) to
# a configuration written by flatbgpd_conf.
flatbgpd_conf_set() {
	printf '%s\n' "$2" >>"$1"
}
