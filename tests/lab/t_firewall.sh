#!/usr/bin/env bash
# quick
# Hand-written rulesets (--firewall): every evidence class is told apart and
# gets the right verdict; a wide-open and a closed firewall fail exactly the
# probes they should.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"
P=tests/lab/small.profile S=tests/lab/small.site

evidence() { jq -r --argjson n "$2" '.results[] | select(.port == $n) | .evidence' "$1/report.json"; }
detail() { jq -r --argjson n "$2" '.results[] | select(.port == $n) | .detail' "$1/report.json"; }

lab "$SCRATCH/ev" $P --site $S --firewall tests/lab/rulesets/evidence.nft
check "evidence ruleset conforms: exit 0, got $RC" [ "$RC" -eq 0 ]
check "443 accepted: host-reset" [ "$(evidence "$DIR" 443)" = host-reset ]
check "22 reject with tcp reset: firewall-reset" [ "$(evidence "$DIR" 22)" = firewall-reset ]
check "23 dropped by policy: silent-drop" [ "$(evidence "$DIR" 23)" = silent-drop ]
for p in 3389 3390 3391; do
	check "$p rejected with ICMP: icmp-unreachable" [ "$(evidence "$DIR" $p)" = icmp-unreachable ]
done
check "3389 shows ICMP 3/13 admin prohibited" grep -q "ICMP 3/13 administratively prohibited" <<<"$(detail "$DIR" 3389)"
check "3390 shows ICMP 3/3 port unreachable" grep -q "ICMP 3/3 port unreachable" <<<"$(detail "$DIR" 3390)"
check "3391 shows ICMP 3/1 host unreachable" grep -q "ICMP 3/1 host unreachable" <<<"$(detail "$DIR" 3391)"
check "the firewall's RST comes from the server's address, unlike a hop's TTL" \
	grep -q "RST from 198.18.20.10 ttl 64; SYN never reached server" <<<"$(detail "$DIR" 22)"
check "the host's RST has crossed one hop (ttl 63)" grep -q "ttl 63" <<<"$(detail "$DIR" 443)"
check "ruleset copied into the run" cmp -s tests/lab/rulesets/evidence.nft "$DIR/firewall.nft"
check "no namespace left behind" no_leftovers "$DIR"

lab "$SCRATCH/open" $P --site $S --firewall tests/lab/rulesets/open-all.nft
check "open-all: exit 1, got $RC" [ "$RC" -eq 1 ]
check "open-all: the 5 closed ports fail, 443 passes" \
	[ "$(jq -c '[.results[] | select(.verdict == "fail") | .port] | sort' "$DIR/report.json")" = "[22,23,3389,3390,3391]" ]
check "open-all: failures are host resets (the SYN crossed)" \
	[ "$(jq '[.results[] | select(.verdict == "fail" and .evidence != "host-reset")] | length' "$DIR/report.json")" = 0 ]

lab "$SCRATCH/closed" $P --site $S --firewall tests/lab/rulesets/closed-all.nft
check "closed-all: exit 1, got $RC" [ "$RC" -eq 1 ]
check "closed-all: only 443 fails, as a silent drop" \
	[ "$(jq -c '[.results[] | select(.verdict == "fail") | [.port, .evidence]]' "$DIR/report.json")" = '[[443,"silent-drop"]]' ]
check "rule verdicts: the open rule fails, the closed rule passes" \
	[ "$(jq -c '[.rules[] | .verdict]' "$DIR/report.json")" = '["fail","pass"]' ]
check "no namespace left behind" no_leftovers "$DIR"
finish
