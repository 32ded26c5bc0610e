#!/usr/bin/env bash
# quick
# For seeds 1..5 of --drift 3 the failing probes are exactly the flows the
# planted deviations change, nothing more and nothing less, and each fails
# with the evidence its firewall action leaves.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"
seeds=${RP_DRIFT_SEEDS:-1 2 3 4 5}

# An accepted flow is answered where the TLS responder serves the port (the
# far host's tls-rx log says so) and reset by the host's stack elsewhere.
evidence_for() {
	case $1 in
	accept)
		if jq -e --argjson n "$3" '.ports[] | select(.port == $n and .state == "served")' \
			"$DIR/tls-rx-$2.json" >/dev/null 2>&1; then
			echo answered
		else
			echo host-reset
		fi ;;
	drop) echo silent-drop ;;
	reject-rst) echo firewall-reset ;; reject-icmp) echo icmp-unreachable ;;
	esac
}

for seed in $seeds; do
	lab "$SCRATCH/runs-$seed" profiles/assist-onprem-multi.profile \
		--site profiles/lab/assist-onprem-multi.site --drift 3 --seed "$seed"
	check "seed $seed: exit status 1 (some fail), got $RC" [ "$RC" -eq 1 ]
	check "seed $seed: three deviations planted" [ "$(grep -c '^drift' "$DIR/planted.txt")" = 3 ]
	jq -r '.results[] | select(.verdict == "fail") | "\(.from) \(.to) \(.proto) \(.port)"' \
		"$DIR/report.json" | sort >"$SCRATCH/failed"
	grep '^flow' "$DIR/planted.txt" | awk '{print $2, $3, $4, $5}' | sort >"$SCRATCH/planted"
	if diff -u "$SCRATCH/planted" "$SCRATCH/failed" >"$SCRATCH/diff"; then
		ok "seed $seed: failing probes == planted flows ($(wc -l <"$SCRATCH/failed"))"
	else
		bad "seed $seed: failing probes differ from planted flows"; cat "$SCRATCH/diff"
	fi
	check "seed $seed: nothing inconclusive" [ "$(jq '.summary.inconclusive' "$DIR/report.json")" = 0 ]
	while read -r _ from to proto port _ fw; do
		want=$(evidence_for "${fw#fw=}" "$to" "$port")
		got=$(jq -r --arg f "$from" --arg t "$to" --arg p "$proto" --argjson n "$port" \
			'.results[] | select(.from == $f and .to == $t and .proto == $p and .port == $n) | .evidence' \
			"$DIR/report.json")
		check "seed $seed: $from -> $to $proto/$port (${fw#fw=}) shows as $want (got $got)" [ "$got" = "$want" ]
	done < <(grep '^flow' "$DIR/planted.txt")
	check "seed $seed: no namespace left behind" no_leftovers "$DIR"
done
finish
