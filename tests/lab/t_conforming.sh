#!/usr/bin/env bash
# quick
# A ruleset compiled from the profile conforms: every probe passes, and the
# run directory holds the evidence (pcaps tshark can read, capture files,
# plan, report) and nothing planted.
. "$(dirname "$0")/lib.sh"
need jq tshark
cd "$ROOT"

lab "$SCRATCH/runs" profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site
check "exit status 0 (all pass), got $RC" [ "$RC" -eq 0 ]
check "run directory created" [ -d "$DIR" ]
probes=$(jq '.summary.probes' "$DIR/report.json")
check "520 probes planned and judged (got $probes)" [ "$probes" = 520 ]
check "every probe passes" [ "$(jq '.summary.pass' "$DIR/report.json")" = 520 ]
check "schema is ruleproof-report/1" [ "$(jq -r '.schema' "$DIR/report.json")" = ruleproof-report/1 ]
check "every result names its rule as file:line" \
	[ "$(jq '[.results[] | select(.rule | test(":[0-9]+$") | not)] | length' "$DIR/report.json")" = 0 ]
check "no foreign packets in a lab of our own" [ "$(jq '.summary.foreign_packets' "$DIR/report.json")" = 0 ]
check "no planted.txt without --drift" [ ! -e "$DIR/planted.txt" ]
for f in plan.json profile.profile site.site firewall.nft report.txt; do
	check "$f kept" [ -s "$DIR/$f" ]
done
for p in "$DIR"/tx-*.pcap "$DIR"/rx-*.pcap; do
	n=$(tshark -r "$p" 2>/dev/null | wc -l)
	m=$(jq '.capture.packets' "${p%.pcap}.json")
	check "$(basename "$p"): tshark reads $n packets, capture file says $m" [ "$n" -gt 0 -a "$n" = "$m" ]
	check "$(basename "$p"): its agent gave up root once its sockets were open" \
		grep -q "^dropped to nobody" <<<"$(jq -r '.privileges' "${p%.pcap}.json")"
	check "$(basename "$p"): no capture drops" [ "$(jq '.capture.dropped + .capture.if_dropped' "${p%.pcap}.json")" = 0 ]
done
check "open rules crossed (host-reset: no listener behind the firewall)" \
	[ "$(jq '[.results[] | select(.expect == "open" and (.tls | not) and .evidence != "host-reset")] | length' "$DIR/report.json")" = 0 ]
check "open TLS ports: the ClientHello arrived intact (the listener's responder answers)" \
	[ "$(jq '[.results[] | select(.tls) | select(.evidence != "tls-intact")] | length' "$DIR/report.json")" = 0 ]
check "closed probes were silently dropped" \
	[ "$(jq '[.results[] | select(.expect == "closed" and .evidence != "silent-drop")] | length' "$DIR/report.json")" = 0 ]
check "silent drops were tried twice (one retry by default), answered probes once" \
	[ "$(jq '[.results[] | select((.evidence == "silent-drop") != (.detail | endswith("[2 tries]")))] | length' "$DIR/report.json")" = 0 ]
check "no namespace left behind" no_leftovers "$DIR"
finish
