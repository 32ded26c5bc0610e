#!/usr/bin/env bash
# An interrupted run resumed with --resume: the same plan, key and ruleset;
# only probes without a verdict are sent again, into new capture segments;
# no byte of the first captures changes; the completed run passes, is no
# longer marked interrupted, and its bundle verifies.  TLS probes re-sent
# are judged from the resumed segment's TLS logs.
. "$(dirname "$0")/lib.sh"
need jq
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
check "interrupted: some probes judged, some not ($before of 520 judged)" [ "$before" -gt 0 -a "$before" -lt 520 ]

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

# TLS probes re-sent in a resumed run are judged from their own segment:
# the sender's tls-clients-r1.json and the listener's tls-rx-server-r1.json,
# whose responder made a certificate of its own (not compared with the
# first segment's).  At one probe a second the run is stopped after the
# first TLS probe or two; the timing is retried a bounded number of times.
tlsrun=""
for wait in 1.5 1.2 0.8; do
	rm -rf "$SCRATCH/tls"
	mkdir -p "$SCRATCH/tls"
	"$RP" -q lab tests/lab/tls.profile --site tests/lab/tls.site --rate 1 --out "$SCRATCH/tls" \
		>/dev/null 2>"$SCRATCH/tls.err" &
	pid=$!
	BGPIDS+=("$pid")
	for _ in $(seq 1 100); do [ -n "$(ls "$SCRATCH"/tls/*/tx-*.pcap 2>/dev/null)" ] && break; sleep 0.1; done
	sleep "$wait"
	kill -INT "$pid"
	wait "$pid"
	tlsrun=$(run_dir "$SCRATCH/tls")
	n=$(jq '[.results[] | select(.tls != null and .verdict != "inconclusive")] | length' "$tlsrun/report.json")
	[ "$n" -ge 1 ] && [ "$n" -lt 3 ] && break
	tlsrun=""
done
check "TLS: interrupted with some TLS probes judged and some not" [ -n "$tlsrun" ]
if [ -n "$tlsrun" ]; then
	left=$(jq -c '[.results[] | select(.tls != null and .verdict == "inconclusive") | .port]' "$tlsrun/report.json")
	"$RP" -q lab --resume "$tlsrun" >/dev/null 2>"$SCRATCH/tlsresume.err"
	rc=$?
	check "TLS resumed: all pass (exit 0), got $rc" [ "$rc" -eq 0 ]
	check "TLS resumed: the re-sent probes ($left) are tls-intact, judged from tls-clients-r1.json" \
		[ "$(jq -c --argjson l "$left" '[.results[] | select(.port as $p | $l | index($p)) | [.evidence, .tls.log]] | unique' "$tlsrun/report.json")" = '[["tls-intact","tls-clients-r1.json"]]' ]
	check "TLS resumed: their chain seen from inside is the resumed responder's (tls-rx-server-r1.json)" \
		[ "$(jq -c --argjson l "$left" '[.results[] | select(.port as $p | $l | index($p)) | .tls.inside_chain_matches] | unique' "$tlsrun/report.json")" = '[true]' ]
	check "TLS resumed: same-cert does not compare the certificates two responder runs made" \
		[ "$(jq '[.results[] | .tls.checks[]? | select(.check == "same-cert" and .verdict == "fail")] | length' "$tlsrun/report.json")" = 0 ]
	check "TLS resumed: the address's ports are not reported as DIFFERENT" \
		[ "$(jq '.tls_endpoints[0].same_cert' "$tlsrun/report.json")" != false ]
	check "TLS resumed: no namespace left behind" no_leftovers "$tlsrun"
fi
finish
