#!/usr/bin/env bash
# SIGINT in the middle of a run: the agents stop and close their captures,
# the lab removes its namespaces, the report says it is incomplete, and the
# exit status is 3.
. "$(dirname "$0")/lib.sh"
need jq tshark
cd "$ROOT"

mkdir -p "$SCRATCH/runs"
# 520 probes at 20 per second per sender take several seconds.
"$RP" -q lab profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site \
	--rate 20 --out "$SCRATCH/runs" >"$SCRATCH/out" 2>"$SCRATCH/err" &
pid=$!
BGPIDS+=("$pid")
# Wait (bounded) until the senders are running, then interrupt.
for _ in $(seq 1 100); do
	[ -n "$(ls "$SCRATCH"/runs/*/tx-*.pcap 2>/dev/null)" ] && break
	sleep 0.1
done
sleep 1
kill -INT "$pid"
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "ruleproof ended within 30 s of SIGINT" bash -c "! kill -0 $pid 2>/dev/null"
wait "$pid"
rc=$?
DIR=$(run_dir "$SCRATCH/runs")
check "exit status 3, got $rc" [ "$rc" -eq 3 ]
check "report marked interrupted" [ "$(jq '.run.interrupted' "$DIR/report.json")" = true ]
check "senders recorded the interruption" [ "$(jq -s 'map(select(.role == "send" and .interrupted)) | length' "$DIR"/tx-*.json)" -gt 0 ]
check "captures were closed cleanly (tshark reads them)" bash -c "for p in '$DIR'/*.pcap; do tshark -r \"\$p\" >/dev/null 2>&1 || exit 1; done"
check "probes not sent are inconclusive, not pass" [ "$(jq '.summary.inconclusive' "$DIR/report.json")" -gt 0 ]
check "no namespace left behind" no_leftovers "$DIR"
finish
