#!/usr/bin/env bash
# A firewall that rate-limits new flows drops most of a fast sweep.  Without
# retries those probes look closed; with retries every probe crosses in the
# end, and the report shows how many tries each one took.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"
P=tests/lab/ratelimit.profile S=tests/lab/small.site R=tests/lab/rulesets/ratelimit.nft

lab "$SCRATCH/none" $P --site $S --firewall $R --rate 200 --retries 0
check "no retries: the limit shows as failures (exit 1), got $RC" [ "$RC" -eq 1 ]
n=$(jq '.summary.fail' "$DIR/report.json")
check "no retries: most of the 40 probes were dropped ($n)" [ "$n" -ge 20 ]

lab "$SCRATCH/retry" $P --site $S --firewall $R --rate 200 --retries 8 --linger 700
check "with retries: every probe crosses (exit 0), got $RC" [ "$RC" -eq 0 ]
tried=$(jq '[.results[] | select(.detail | test("\\[[0-9]+ tries\\]"))] | length' "$DIR/report.json")
check "with retries: the probes that needed more than one try say so ($tried)" [ "$tried" -ge 20 ]
check "with retries: the first-try probes say nothing of tries" \
	[ "$(jq '[.results[] | select(.detail | test("tries") | not)] | length' "$DIR/report.json")" -ge 5 ]
check "no namespace left behind" no_leftovers "$DIR"
finish
