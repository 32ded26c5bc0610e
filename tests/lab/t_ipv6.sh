#!/usr/bin/env bash
# quick
# IPv6 in the lab (2001:db8::/32 only): every evidence class with ICMPv6 type
# and code, UDP over IPv6, and a dual-stack site probed over both versions.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"
P=tests/lab/small.profile

field() { jq -r --argjson n "$2" ".results[] | select(.port == \$n) | .$3" "$1/report.json"; }

lab "$SCRATCH/ev" $P --site tests/lab/ipv6.site --firewall tests/lab/rulesets/evidence6.nft
check "IPv6 evidence ruleset conforms: exit 0, got $RC" [ "$RC" -eq 0 ]
check "443 accepted: host-reset over IPv6" [ "$(field "$DIR" 443 evidence)" = host-reset ]
check "the probes went to the IPv6 address" [ "$(field "$DIR" 443 dst)" = 2001:db8:20::10 ]
check "22: firewall-reset" [ "$(field "$DIR" 22 evidence)" = firewall-reset ]
check "23: silent-drop" [ "$(field "$DIR" 23 evidence)" = silent-drop ]
check "3389: ICMPv6 1/1 administratively prohibited" grep -q "ICMPv6 1/1 administratively prohibited" <<<"$(field "$DIR" 3389 detail)"
check "3390: ICMPv6 1/4 port unreachable" grep -q "ICMPv6 1/4 port unreachable" <<<"$(field "$DIR" 3390 detail)"
check "3391: ICMPv6 1/3 address unreachable" grep -q "ICMPv6 1/3 address unreachable" <<<"$(field "$DIR" 3391 detail)"
check "no namespace left behind" no_leftovers "$DIR"

lab "$SCRATCH/udp" tests/lab/udp.profile --site tests/lab/ipv6.site
check "UDP over IPv6 with the compiled ruleset: exit 0, got $RC" [ "$RC" -eq 0 ]
check "udp/5229 over IPv6 arrived, the host's ICMPv6 port unreachable shown" \
	grep -q "datagram arrived at server; ICMPv6 1/4 port unreachable from 2001:db8:20::10" \
	<<<"$(jq -r '.results[] | select(.proto == "udp" and .port == 5229) | .detail' "$DIR/report.json")"

lab "$SCRATCH/dual" $P --site tests/lab/dualstack.site
check "dual stack: exit 0, got $RC" [ "$RC" -eq 0 ]
check "dual stack: every probe once per IP version (12)" [ "$(jq '.summary.probes' "$DIR/report.json")" = 12 ]
check "dual stack: 443 probed at both addresses" \
	[ "$(jq -c '[.results[] | select(.port == 443) | .dst] | sort' "$DIR/report.json")" = '["198.18.20.10","2001:db8:20::10"]' ]
check "dual stack: IPv4 probes from the IPv4 address, IPv6 from the IPv6 one" \
	[ "$(jq '[.results[] | select((.src | contains(":")) != (.dst | contains(":")))] | length' "$DIR/report.json")" = 0 ]
check "no namespace left behind" no_leftovers "$DIR"

# An IPv4-only source and a dual-stack server: IPv4 is probed, and each rule
# says (file:line:col) that IPv6 cannot be, instead of refusing the plan.
out=$("$RP" plan $P --site tests/lab/v4client.site 2>&1); rc=$?
check "IPv4-only clients to a dual-stack server: plan exits 0, got $rc" [ "$rc" -eq 0 ]
check "the open rule warns at its line that IPv6 is left out" grep -qxF \
	"$P:7:1: warning: 'clients' has no IPv6 address: 'server' is probed from it at its IPv4 addresses only, not at 2001:db8:20::10" <<<"$out"
check "so does the closed rule" grep -q "^$P:8:1: warning: 'clients' has no IPv6 address" <<<"$out"
lab "$SCRATCH/v4c" $P --site tests/lab/v4client.site
check "IPv4-only clients: exit 0, got $RC" [ "$RC" -eq 0 ]
check "IPv4-only clients: only IPv4 probes" \
	[ "$(jq '[.results[] | select(.dst | contains(":"))] | length' "$DIR/report.json")" = 0 ]
check "no namespace left behind" no_leftovers "$DIR"
finish
