#!/usr/bin/env bash
# The lab refuses addresses outside 198.18.0.0/15 before creating anything,
# and bad input gets exit status 2 with a message, never a crash.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
P=tests/lab/small.profile

before=$(ip netns list | wc -l)
lab "$SCRATCH/out" $P --site tests/lab/outside.site
check "outside address: exit 2, got $RC" [ "$RC" -eq 2 ]
check "outside address: says why" grep -q "10.20.30.40 is outside 198.18.0.0/15" "$SCRATCH/out.stderr"
check "outside address: no run directory" [ -z "$DIR" ]
check "outside address: no namespace created" [ "$(ip netns list | wc -l)" = "$before" ]

lab "$SCRATCH/missing" tests/lab/nonexistent.profile --site tests/lab/small.site
check "missing profile: exit 2, got $RC" [ "$RC" -eq 2 ]
lab "$SCRATCH/badfw" $P --site tests/lab/small.site --firewall tests/lab/nonexistent.nft
check "missing ruleset: exit 2, got $RC" [ "$RC" -eq 2 ]
check "missing ruleset: no namespace left" [ "$(ip netns list | wc -l)" = "$before" ]
printf 'table inet x {\n chain y {\n  this is not nftables\n }\n}\n' >"$SCRATCH/broken.nft"
lab "$SCRATCH/brokenfw" $P --site tests/lab/small.site --firewall "$SCRATCH/broken.nft"
check "broken ruleset: exit 3 (the firewall refused it), got $RC" [ "$RC" -eq 3 ]
check "broken ruleset: nft's complaint is shown" grep -q "nft -f failed" "$SCRATCH/brokenfw.stderr"
check "broken ruleset: no namespace left" [ "$(ip netns list | wc -l)" = "$before" ]
lab "$SCRATCH/usage" $P
check "no --site: exit 2, got $RC" [ "$RC" -eq 2 ]
lab "$SCRATCH/rate" $P --site tests/lab/small.site --rate 0
check "--rate 0: exit 2, got $RC" [ "$RC" -eq 2 ]
lab "$SCRATCH/both" $P --site tests/lab/small.site --firewall tests/lab/rulesets/open-all.nft --drift 1
check "--drift with --firewall: exit 2, got $RC" [ "$RC" -eq 2 ]
finish
