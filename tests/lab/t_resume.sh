#!/usr/bin/env bash
# An interrupted run resumed with --resume: the same plan, key and ruleset;
# only probes without a verdict are sent again, into new capture segments;
# no byte of the first captures changes; the completed run passes, is no
# longer marked interrupted, and its bundle verifies.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

mkdir -p "$SCRATCH/runs"
"$RP" -q lab profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site \
	--drift 3 --seed 5 --rate 20 --out "$SCRATCH/runs" >/dev/null 2>"$SCRATCH/err" &
pid=$!
BGPIDS+=("$pid")
for _ in $(seq 1 100); do [ -n "$(ls "$SCRATCH"/runs/*/tx-*.pcap 2>/dev/null)" ] && break; sleep 0.1; done
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
DIR=$(run_dir "$SCRATCH/runs")
check "interrupted: exit 3, got $rc" [ "$rc" -eq 3 ]
check "interrupted: marked so" [ -e "$DIR/interrupted.txt" ]
(cd "$DIR" && sha256sum tx-*.pcap rx-*.pcap tx-*.json rx-*.json) >"$SCRATCH/first.sha"
jq -c '[.results[] | select(.verdict != "inconclusive") | {probe, verdict, tries}]' "$DIR/report.json" >"$SCRATCH/judged"
before=$(jq '[.results[] | select(.verdict != "inconclusive")] | length' "$DIR/report.json")
check "interrupted: some probes judged, some not ($before of 520 judged)" [ "$before" -gt 0 ] && [ "$before" -lt 520 ]

"$RP" -q lab --resume "$DIR" >/dev/null 2>"$SCRATCH/resume.err"
rc=$?
check "resumed: exit 1 (the planted deviations, nothing else), got $rc" [ "$rc" -eq 1 ]
check "resumed: no probe left without a verdict" [ "$(jq '.summary.inconclusive' "$DIR/report.json")" = 0 ]
jq -r '.results[] | select(.verdict == "fail") | "\(.from) \(.to) \(.proto) \(.port)"' "$DIR/report.json" | sort >"$SCRATCH/failed"
grep '^flow' "$DIR/planted.txt" | awk '{print $2, $3, $4, $5}' | sort >"$SCRATCH/planted"
check "resumed: the failures are exactly the planted flows" cmp -s "$SCRATCH/failed" "$SCRATCH/planted"
check "resumed: no longer marked interrupted" bash -c "[ ! -e '$DIR/interrupted.txt' ] && [ \"\$(jq .run.interrupted '$DIR/report.json')\" = false ]"
check "resumed: the first captures are byte for byte as they were" bash -c "cd '$DIR' && sha256sum -c --quiet '$SCRATCH/first.sha'"
check "resumed: new capture segments beside them" bash -c "ls '$DIR'/tx-*-r1.pcap '$DIR'/rx-*-r1.pcap >/dev/null"
jq -c --slurpfile j "$SCRATCH/judged" '[.results[] | select(.probe as $p | $j[0] | map(.probe) | index($p)) | {probe, verdict, tries}]' \
	"$DIR/report.json" >"$SCRATCH/after"
check "resumed: probes judged before were not sent again (same verdict, same tries)" \
	cmp -s "$SCRATCH/judged" "$SCRATCH/after"
"$RP" -q verify "$DIR" >/dev/null
check "resumed: the bundle verifies, exit $?" [ $? -eq 0 ]
"$RP" lab --resume "$DIR" >/dev/null 2>"$SCRATCH/again.err"
rc=$?
check "resuming a finished run sends nothing and changes no verdict: exit 1, got $rc" [ "$rc" -eq 1 ]
check "... and says so" grep -q "nothing to resume" "$SCRATCH/again.err"
check "... without a new capture segment" bash -c "! ls '$DIR'/tx-*-r2.pcap >/dev/null 2>&1"
printf 'x' >>"$DIR/tx-devices.json"
"$RP" -q lab --resume "$DIR" >/dev/null 2>"$SCRATCH/tamper.err"
rc=$?
check "a run whose evidence changed is not resumed: exit 3, got $rc" [ "$rc" -eq 3 ]
check "... naming the change" grep -q "tx-devices.json: modified" "$SCRATCH/tamper.err"
check "no namespace left behind" no_leftovers "$DIR"
finish
