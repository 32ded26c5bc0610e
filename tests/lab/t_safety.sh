#!/usr/bin/env bash
# The lab refuses addresses outside 198.18.0.0/15 before creating anything,
# and bad input gets exit status 2 with a message, never a crash.  Only this
# test's own runs are looked at: other labs may run at the same time, so
# namespaces are told apart by the run's suffix (lib.sh's no_leftovers), and
# a run refused before it has a run directory has no suffix to name any.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
P=tests/lab/small.profile

# Refused before the run has an id: nothing of it exists, namespaces included.
nothing_made() { [ -z "$DIR" ] && [ -z "$(ls -A "$1")" ]; }
lab "$SCRATCH/out" $P --site tests/lab/outside.site
check "outside address: exit 2, got $RC" [ "$RC" -eq 2 ]
check "outside address: says why" grep -q "10.20.30.40 is outside 198.18.0.0/15" "$SCRATCH/out.stderr"
check "outside address: no run directory, so no namespace" nothing_made "$SCRATCH/out"

lab "$SCRATCH/missing" tests/lab/nonexistent.profile --site tests/lab/small.site
check "missing profile: exit 2, got $RC" [ "$RC" -eq 2 ]
lab "$SCRATCH/badfw" $P --site tests/lab/small.site --firewall tests/lab/nonexistent.nft
check "missing ruleset: exit 2, got $RC" [ "$RC" -eq 2 ]
check "missing ruleset: no run directory, so no namespace" nothing_made "$SCRATCH/badfw"
printf 'table inet x {\n chain y {\n  this is not nftables\n }\n}\n' >"$SCRATCH/broken.nft"
lab "$SCRATCH/brokenfw" $P --site tests/lab/small.site --firewall "$SCRATCH/broken.nft"
check "broken ruleset: exit 3 (the firewall refused it), got $RC" [ "$RC" -eq 3 ]
check "broken ruleset: nft's complaint is shown" grep -q "nft -f failed" "$SCRATCH/brokenfw.stderr"
check "broken ruleset: a run directory" [ -n "$DIR" ]
check "broken ruleset: no namespace of that run left" no_leftovers "$DIR"
lab "$SCRATCH/usage" $P
check "no --site: exit 2, got $RC" [ "$RC" -eq 2 ]
lab "$SCRATCH/rate" $P --site tests/lab/small.site --rate 0
check "--rate 0: exit 2, got $RC" [ "$RC" -eq 2 ]
lab "$SCRATCH/both" $P --site tests/lab/small.site --firewall tests/lab/rulesets/open-all.nft --drift 1
check "--drift with --firewall: exit 2, got $RC" [ "$RC" -eq 2 ]
finish
