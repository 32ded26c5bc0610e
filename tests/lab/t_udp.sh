#!/usr/bin/env bash
# quick
# UDP probes: a datagram that reaches the host is open even though the host
# refuses it (ICMP port unreachable from the host itself); one the firewall
# refuses or drops is closed, with the ICMP type and code kept.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"
P=tests/lab/udp.profile S=tests/lab/small.site

field() { jq -r --arg p "$2" --argjson n "$3" ".results[] | select(.proto == \$p and .port == \$n) | .$4" "$1/report.json"; }

lab "$SCRATCH/ev" $P --site $S --firewall tests/lab/rulesets/udp-evidence.nft
check "udp evidence ruleset conforms: exit 0, got $RC" [ "$RC" -eq 0 ]
for port in 5228 5229 5230; do
	check "udp/$port crossed: arrived" [ "$(field "$DIR" udp $port evidence)" = arrived ]
	check "udp/$port: the host's own port unreachable is shown" \
		grep -q "datagram arrived at server; ICMP 3/3 port unreachable from 198.18.20.10" <<<"$(field "$DIR" udp $port detail)"
	check "tcp/$port crossed: host-reset" [ "$(field "$DIR" tcp $port evidence)" = host-reset ]
done
check "udp/53 admin-prohibited: icmp-unreachable 3/13" \
	grep -q "ICMP 3/13" <<<"$(field "$DIR" udp 53 detail)"
check "udp/123 refused by the firewall: icmp-unreachable 3/3 from the firewall" \
	bash -c "[ '$(field "$DIR" udp 123 evidence)' = icmp-unreachable ] && grep -q 'ICMP 3/3 port unreachable from 198.19' <<<'$(field "$DIR" udp 123 detail)'"
check "udp/161 dropped: silent-drop" [ "$(field "$DIR" udp 161 evidence)" = silent-drop ]
check "no foreign packets" [ "$(jq '.summary.foreign_packets' "$DIR/report.json")" = 0 ]

lab "$SCRATCH/compiled" $P --site $S
check "compiled ruleset with udp rules: exit 0, got $RC" [ "$RC" -eq 0 ]
check "compiled ruleset accepts udp" grep -q "udp dport 5228-5230 accept" "$DIR/firewall.nft"
lab "$SCRATCH/open" $P --site $S --firewall tests/lab/rulesets/open-all.nft
check "open-all: the three closed udp ports fail as arrivals" \
	[ "$(jq -c '[.results[] | select(.verdict == "fail") | [.port, .evidence]]' "$DIR/report.json")" = '[[53,"arrived"],[123,"arrived"],[161,"arrived"]]' ]
check "no namespace left behind" no_leftovers "$DIR"
finish
