#!/usr/bin/env bash
# Every shipped profile runs end to end on its lab site: the ruleset
# compiled from it conforms, so every probe passes (none fails, none is
# inconclusive), and the lab leaves no namespace behind.  Before that, each
# profile checks clean against its site for the lab, and its canonical form
# is a fixed point.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

n=0
for p in profiles/*.profile; do
	name=$(basename "$p" .profile)
	site=profiles/lab/$name.site
	if [ ! -f "$site" ]; then
		bad "$name: no lab site $site"
		continue
	fi
	n=$((n + 1))
	check "$name: checks clean for the lab" bash -c "'$RP' -q check '$p' --site '$site' --lab >/dev/null 2>'$SCRATCH/$name.check'"
	check "$name: canonical form is a fixed point" \
		bash -c "'$RP' check <('$RP' check '$p' 2>/dev/null) 2>/dev/null | cmp -s - <('$RP' check '$p' 2>/dev/null)"
	want=$("$RP" plan "$p" --site "$site" --list 2>/dev/null | tail -n +2 | wc -l)
	start=$(date +%s%N)
	lab "$SCRATCH/$name" "$p" --site "$site"
	ms=$((($(date +%s%N) - start) / 1000000))
	check "$name: exit 0 (all pass), got $RC, in $((ms / 1000)).$(printf %03d $((ms % 1000))) s" [ "$RC" -eq 0 ]
	if [ -z "$DIR" ] || [ ! -s "$DIR/report.json" ]; then
		bad "$name: no report"; sed 's/^/    /' "$SCRATCH/$name.stderr" | tail -5
		continue
	fi
	summary=$(jq -c '.summary | {probes, pass, fail, inconclusive}' "$DIR/report.json")
	check "$name: every one of the $want planned probes passes ($summary)" \
		[ "$summary" = "{\"probes\":$want,\"pass\":$want,\"fail\":0,\"inconclusive\":0}" ]
	check "$name: the compiled ruleset is kept as evidence" [ -s "$DIR/firewall.nft" ]
	check "$name: no namespace left behind" no_leftovers "$DIR"
done
check "every shipped profile was run ($n)" [ "$n" -ge 7 ]
finish
