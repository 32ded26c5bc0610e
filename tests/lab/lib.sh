# Shared by the namespace lab tests.  Each test gets its own scratch
# directory (removed on exit, also on failure) and checks that the lab left
# no namespace behind.  Tests only ever send inside namespaces that
# `ruleproof lab` creates, on 198.18.0.0/15.
set -uo pipefail

RP=$(realpath "${1:?usage: $0 RULEPROOF_BINARY}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LABDIR="$ROOT/tests/lab"
SCRATCH=$(mktemp -d /tmp/rp-test.XXXXXX)
TESTNAME=$(basename "$0" .sh)
FAILS=0
CHECKS=0
BGPIDS=()

cleanup() {
	local p
	for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

ok()   { CHECKS=$((CHECKS + 1)); echo "  ok   $*"; }
bad()  { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "  FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# The newest run directory under $1.
run_dir() { ls -1d "$1"/*/ 2>/dev/null | sort | tail -n 1 | sed 's:/$::'; }

# No namespace of that run may outlive it.
no_leftovers() {
	local dir=$1 suffix
	suffix=${dir##*-}
	! ip netns list 2>/dev/null | grep -q "^rp-$suffix-"
}

# Runs the lab; sets RC and DIR.
lab() {
	local out=$1; shift
	mkdir -p "$out"
	"$RP" -q lab "$@" --out "$out" >"$out.stdout" 2>"$out.stderr"
	RC=$?
	DIR=$(run_dir "$out")
}

finish() {
	echo "$TESTNAME: $((CHECKS - FAILS)) passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
