#!/usr/bin/env bash
# Runs every namespace lab test (root only) with the given binary.  With
# RP_QUICK=1 only the tests marked quick run (used for the sanitizer build).
set -uo pipefail
bin=${1:?usage: run-all.sh RULEPROOF_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "lab tests: need root for network namespaces" >&2
	exit 1
fi
passed=0 failed=0
for t in "$here"/t_*.sh; do
	if [ -n "${RP_QUICK:-}" ] && ! grep -q '^# quick' "$t"; then continue; fi
	echo "== $(basename "$t") ($bin)"
	if bash "$t" "$bin"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "lab tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
