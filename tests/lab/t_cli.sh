#!/usr/bin/env bash
# Every subcommand explains itself; `correlate` re-derives the same verdicts
# from a run directory alone.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

check "ruleproof --help exits 0" "$RP" --help >/dev/null
"$RP" >/dev/null 2>&1
check "ruleproof with no command exits 2" [ $? -eq 2 ]
for c in check compile plan lab correlate; do
	check "$c --help exits 0 and shows usage" bash -c "'$RP' $c --help | grep -q '^usage: ruleproof $c'"
done
"$RP" frobnicate >/dev/null 2>&1
check "unknown command exits 2" [ $? -eq 2 ]
"$RP" plan profiles/assist-onprem-multi.profile >/dev/null 2>&1
check "plan without --site exits 2" [ $? -eq 2 ]

out=$("$RP" check profiles/assist-onprem-multi.profile)
check "check prints the canonical form" grep -q '^open cp, portal -> core : core-app inbound cite ' <<<"$out"
check "the canonical form is a fixed point" \
	bash -c "'$RP' check <('$RP' check profiles/assist-onprem-multi.profile) | cmp -s - <('$RP' check profiles/assist-onprem-multi.profile)"
check "compile emits a table of its own" bash -c "'$RP' compile profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site | grep -q '^table inet ruleproof {'"
n=$("$RP" plan profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site --list | tail -n +2 | wc -l)
check "plan lists 520 probes (got $n)" [ "$n" = 520 ]

lab "$SCRATCH/runs" tests/lab/small.profile --site tests/lab/small.site --firewall tests/lab/rulesets/evidence.nft
jq -S '{summary, rules, results}' "$DIR/report.json" >"$SCRATCH/first.json"
"$RP" -q correlate "$DIR" >/dev/null
check "correlate exits 0 on a conforming run" [ $? -eq 0 ]
jq -S '{summary, rules, results}' "$DIR/report.json" >"$SCRATCH/second.json"
check "correlate re-derives identical verdicts from the captures" cmp -s "$SCRATCH/first.json" "$SCRATCH/second.json"
rm "$DIR"/rx-server.*
"$RP" -q correlate "$DIR" >/dev/null
rc=$?
check "without the far-side capture: exit 3 (inconclusive), got $rc" [ $rc -eq 3 ]
check "without the far-side capture, silence is never a pass" \
	[ "$(jq -r '.results[] | select(.port == 23) | .verdict' "$DIR/report.json")" = inconclusive ]
check "without the far-side capture, an ICMP refusal still proves closed" \
	[ "$(jq -r '.results[] | select(.port == 3389) | .verdict' "$DIR/report.json")" = pass ]
"$RP" -q correlate "$SCRATCH/nonexistent" >/dev/null 2>&1
check "correlate on a missing directory exits 2" [ $? -eq 2 ]
finish
