#!/usr/bin/env bash
# quick
# An endpoint nobody can capture on: only the sender's side exists.  A
# SYN-ACK proves open; a reset is the host's when it comes from as far as the
# host's SYN-ACKs, and the firewall's when it comes from nearer.
. "$(dirname "$0")/lib.sh"
need jq socat ss
cd "$ROOT"

split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/hops.nft || { bad "namespaces"; finish; exit 1; }
# A real service on 443 in the far namespace (started by this test, ended by PID).
ip netns exec "$NS_DST" socat -u TCP-LISTEN:443,reuseaddr,fork /dev/null &
BGPIDS+=("$!")
for _ in $(seq 1 50); do ip netns exec "$NS_DST" ss -ltn | grep -q ':443 ' && break; sleep 0.1; done
"$RP" -q plan tests/lab/hops.profile --site tests/lab/small.site -o "$SCRATCH/run.plan" --rate 100 --linger 300
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$SCRATCH/caps"
check "send exits 0, got $?" [ $? -eq 0 ]
"$RP" -q report --plan "$SCRATCH/run.plan" "$SCRATCH/caps" >/dev/null
rc=$?
check "no far-side capture, yet every probe has a verdict: exit 0, got $rc" [ "$rc" -eq 0 ]
ev() { jq -r --argjson n "$1" '.results[] | select(.port == $n) | .evidence' "$SCRATCH/caps/report.json"; }
check "443: answered (SYN-ACK)" [ "$(ev 443)" = answered ]
check "8443: host-reset, judged by distance" [ "$(ev 8443)" = host-reset ]
check "22: firewall-reset, judged by distance" [ "$(ev 22)" = firewall-reset ]
check "the detail says how it was judged" \
	grep -q "nearer than the host's own SYN-ACKs (1 hops; no far-side capture)" \
	<<<"$(jq -r '.results[] | select(.port == 22) | .detail' "$SCRATCH/caps/report.json")"
finish
