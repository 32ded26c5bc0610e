#!/usr/bin/env bash
# quick
# The split operation across namespaces started separately: a plan file, a
# listener on the far side started on its own, a sender in the source zone
# started on its own, then an offline correlation of their captures.  A
# listener stopped before the sender is done never yields a pass.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/evidence.nft || { bad "namespaces"; finish; exit 1; }
check "plan file written" "$RP" -q plan tests/lab/small.profile --site tests/lab/small.site \
	-o "$SCRATCH/run.plan" --rate 200 --linger 300

run_split() {   # $1: capture dir, $2: stop the listener before sending (yes/no)
	local caps=$1 early=$2 lpid
	ip netns exec "$NS_DST" "$RP" listen --plan "$SCRATCH/run.plan" --out "$caps" 2>"$caps.listen.err" &
	lpid=$!
	BGPIDS+=("$lpid")
	for _ in $(seq 1 50); do grep -q "listening on" "$caps.listen.err" 2>/dev/null && break; sleep 0.1; done
	# Longer than the plan's tolerated clock skew (100 ms) before sending.
	sleep 0.3
	if [ "$early" = yes ]; then kill -TERM "$lpid"; wait "$lpid"; fi
	ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$caps"
	SEND_RC=$?
	if [ "$early" = no ]; then sleep 0.3; kill -INT "$lpid"; fi
	wait "$lpid"
	LISTEN_RC=$?
}

run_split "$SCRATCH/caps" no
check "send exits 0, got $SEND_RC" [ "$SEND_RC" -eq 0 ]
check "listen stopped by SIGINT exits 0, got $LISTEN_RC" [ "$LISTEN_RC" -eq 0 ]
check "listener picked its endpoint from its own address" [ -s "$SCRATCH/caps/rx-server.pcap" ]
check "sender picked its endpoint from its own address" [ -s "$SCRATCH/caps/tx-clients.pcap" ]
check "listener capture complete" [ "$(jq '.complete' "$SCRATCH/caps/rx-server.json")" = true ]
"$RP" -q correlate --plan "$SCRATCH/run.plan" "$SCRATCH/caps" >"$SCRATCH/report.txt"
rc=$?
check "correlate --plan: all pass (exit 0), got $rc" [ "$rc" -eq 0 ]
check "report.json written next to the captures" [ -s "$SCRATCH/caps/report.json" ]
ev=$(jq -c '[.results[] | [.port, .evidence]] | sort' "$SCRATCH/caps/report.json")
check "every evidence class across split agents" \
	[ "$ev" = '[[22,"firewall-reset"],[23,"silent-drop"],[443,"host-reset"],[3389,"icmp-unreachable"],[3390,"icmp-unreachable"],[3391,"icmp-unreachable"]]' ]

"$RP" -q report --skew 60000 "$SCRATCH/caps" >/dev/null
rc=$?
check "with a minute of tolerated clock skew the same captures prove no silence: exit 3, got $rc" [ "$rc" -eq 3 ]
check "... and say why" grep -q "allowing 60000 ms of clock skew" \
	<<<"$(jq -r '.results[] | select(.port == 23) | .detail' "$SCRATCH/caps/report.json")"

ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$SCRATCH/caps" 2>"$SCRATCH/again.err"
check "a second send refuses to overwrite the evidence" grep -q "never overwritten" "$SCRATCH/again.err"

chmod 755 "$SCRATCH" && chmod 644 "$SCRATCH/run.plan"     # readable by nobody
out=$(cd "$SCRATCH" && setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$RP" send --plan "$SCRATCH/run.plan" --as clients --dry-run 2>&1)
rc=$?
check "send --dry-run needs no privilege and says what it would send (exit $rc)" \
	bash -c "[ $rc -eq 0 ] && grep -q 'would send 6 probes from clients (198.18.10.10) at 200/s' <<<'$out'"
check "send --dry-run sends nothing and writes nothing" [ ! -e "$SCRATCH/captures" ]

"$RP" -q plan tests/lab/scope.profile --site tests/lab/scope.site -o "$SCRATCH/scope.plan"
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/scope.plan" --out "$SCRATCH/scope" 2>"$SCRATCH/scope.err"
rc=$?
check "scope guard: a vendor's documented address the site does not declare is refused (exit $rc)" \
	bash -c "[ $rc -eq 2 ] && grep -q \"scope: the site does not declare 'api.vendor.example'\" '$SCRATCH/scope.err'"
check "scope guard: nothing captured, nothing sent" [ ! -e "$SCRATCH/scope" ]

run_split "$SCRATCH/early" yes
"$RP" -q correlate --plan "$SCRATCH/run.plan" "$SCRATCH/early" >/dev/null
rc=$?
check "listener stopped early: exit 3 (inconclusive), got $rc" [ "$rc" -eq 3 ]
check "listener stopped early: nothing passes on silence or on an arrival it could not see" \
	[ "$(jq '[.results[] | select(.evidence == "silent-drop" or .evidence == "host-reset" or .evidence == "arrived")] | length' "$SCRATCH/early/report.json")" = 0 ]
check "listener stopped early: the reason is the capture window" \
	grep -q "did not cover" <<<"$(jq -r '.results[] | select(.port == 23) | .detail' "$SCRATCH/early/report.json")"
check "listener stopped early: an ICMP refusal still proves closed" \
	[ "$(jq -r '.results[] | select(.port == 3389) | .verdict' "$SCRATCH/early/report.json")" = pass ]
finish
