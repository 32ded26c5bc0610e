#!/usr/bin/env bash
# quick
# Two runs at once on one machine do not take each other's packets: two
# labs side by side, and two split runs through the very same hosts and
# interfaces, where each run's listener sees the other's probes and must
# count them as foreign, never match them.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

"$RP" -q lab profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site \
	--drift 3 --seed 2 --out "$SCRATCH/a" >/dev/null 2>&1 &
a=$!
"$RP" -q lab profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site \
	--out "$SCRATCH/b" >/dev/null 2>&1 &
b=$!
BGPIDS+=("$a" "$b")
wait "$a"; rca=$?
wait "$b"; rcb=$?
A=$(run_dir "$SCRATCH/a") B=$(run_dir "$SCRATCH/b")
check "two labs at once: the drifted one fails (1), got $rca" [ "$rca" -eq 1 ]
check "two labs at once: the conforming one passes (0), got $rcb" [ "$rcb" -eq 0 ]
jq -r '.results[] | select(.verdict == "fail") | "\(.from) \(.to) \(.proto) \(.port)"' "$A/report.json" | sort >"$SCRATCH/failed"
grep '^flow' "$A/planted.txt" | awk '{print $2, $3, $4, $5}' | sort >"$SCRATCH/planted"
check "two labs at once: the drifted run's failures are exactly its planted flows" cmp -s "$SCRATCH/failed" "$SCRATCH/planted"
check "two labs at once: no namespace left by either" bash -c "! ip netns list | grep -Eq 'rp-(${A##*-}|${B##*-})-'"

split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/evidence.nft || { bad "namespaces"; finish; exit 1; }
for r in one two; do
	"$RP" -q plan tests/lab/small.profile --site tests/lab/small.site -o "$SCRATCH/$r.plan" --rate 200 --linger 300
	ip netns exec "$NS_DST" "$RP" listen --plan "$SCRATCH/$r.plan" --out "$SCRATCH/$r" 2>"$SCRATCH/$r.err" &
	BGPIDS+=("$!")
	eval "l_$r=$!"
done
for r in one two; do
	for _ in $(seq 1 50); do grep -q "listening on" "$SCRATCH/$r.err" && break; sleep 0.1; done
done
sleep 0.3
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/one.plan" --out "$SCRATCH/one" &
s1=$!
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/two.plan" --out "$SCRATCH/two" &
s2=$!
BGPIDS+=("$s1" "$s2")
wait "$s1"; wait "$s2"
sleep 0.3
kill -INT "$l_one" "$l_two"
wait "$l_one"; wait "$l_two"
for r in one two; do
	"$RP" -q report --plan "$SCRATCH/$r.plan" "$SCRATCH/$r" >/dev/null
	rc=$?
	check "split run $r beside the other: all pass (exit 0), got $rc" [ "$rc" -eq 0 ]
	n=$(jq '.summary.foreign_packets' "$SCRATCH/$r/report.json")
	check "split run $r saw the other run's probes and counted them as foreign ($n)" [ "$n" -ge 1 ]
done
finish
