#!/usr/bin/env bash
# Runs every namespace lab test (root only) with the first binary, and the
# tests marked `# quick` again with each further binary (the sanitized build).
# Ends with one summary line counting every check.
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: run-all.sh RULEPROOF [QUICK_RULEPROOF...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "lab tests: need root for network namespaces" >&2
	exit 1
fi
passed=0 failed=0 first=1
for bin in "$@"; do
	for t in "$here"/t_*.sh; do
		if [ $first -eq 0 ] && ! grep -q '^# quick' "$t"; then continue; fi
		echo "== $(basename "$t") ($bin)"
		out=$(bash "$t" "$bin" 2>&1)
		echo "$out"
		line=$(tail -n 1 <<<"$out")
		p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$line")
		f=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$line")
		# A test that died before its summary counts as one failure.
		[ -n "$p" ] || { p=0; f=1; }
		passed=$((passed + p)); failed=$((failed + f))
	done
	first=0
done
echo "labs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
