#!/usr/bin/env bash
# quick
# A profile with an include: the run directory and split plan files carry the
# included file too, so the run is re-derived from them alone, wherever the
# included file has gone since.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

cp -r tests/lab/include.profile tests/lab/incl "$SCRATCH/"
lab "$SCRATCH/runs" "$SCRATCH/include.profile" --site tests/lab/small.site
check "a profile with an include runs: exit 0, got $RC" [ "$RC" -eq 0 ]
check "plan.json embeds the included file" \
	[ "$(jq -r '.profile.includes[0].path' "$DIR/plan.json")" = "$SCRATCH/incl/services.inc" ]
rm -r "$SCRATCH/incl"
jq -S '{summary, results}' "$DIR/report.json" >"$SCRATCH/first.json"
"$RP" -q report "$DIR" >/dev/null
check "re-derived with the included file gone from disk: exit 0, got $?" [ $? -eq 0 ]
jq -S '{summary, results}' "$DIR/report.json" >"$SCRATCH/second.json"
check "... with the same verdicts" cmp -s "$SCRATCH/first.json" "$SCRATCH/second.json"
jq -r '.profile.includes[0].text = "service https = tcp/444\n"' "$DIR/plan.json" >"$SCRATCH/tampered.plan"
"$RP" -q send --plan "$SCRATCH/tampered.plan" --as clients --dry-run >/dev/null 2>"$SCRATCH/t.err"
rc=$?
check "an embedded include that does not match its hash is refused: exit 2, got $rc" [ "$rc" -eq 2 ]
check "... saying so" grep -q "does not match its sha256" "$SCRATCH/t.err"
finish
