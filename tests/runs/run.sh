#!/usr/bin/env bash
# Whole-run golden tests: re-derive the reports of committed run directories
# and compare them byte for byte with the expected ones.  Needs no root and
# no network namespace: `ruleproof report` only reads files.
#
# usage: tests/runs/run.sh [--update] RULEPROOF [NAME...]
#
# For each golden of tests/runs/TESTLIST (or each NAME given), NAME/run/ is
# copied to a fresh temporary directory, `RULEPROOF report` re-derives its
# reports there (exit 0, 1 or 3 is the run's verdict; anything else is an
# error), report.json must be valid JSON, a second `report` over the same
# directory must write the same bytes, and report.txt and report.json must
# equal NAME/expected/ byte for byte (a mismatch prints `diff -u`).
# --update writes the re-derived files into NAME/expected/ instead of
# comparing them, and names those that changed.
set -uo pipefail

usage() { echo "usage: $0 [--update] RULEPROOF [NAME...]" >&2; exit 2; }

update=0
args=()
for a in "$@"; do
	case $a in
	--update) update=1 ;;
	-h|--help) usage ;;
	-*) echo "$0: unknown option '$a'" >&2; usage ;;
	*) args+=("$a") ;;
	esac
done
[ ${#args[@]} -ge 1 ] || usage
RP=${args[0]}
case $RP in */*) ;; *) RP=./$RP ;; esac
[ -x "$RP" ] || { echo "$0: $RP: not an executable" >&2; exit 2; }
RP=$(cd "$(dirname "$RP")" && pwd)/$(basename "$RP")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v jq >/dev/null || { echo "$0: jq is needed to check report.json" >&2; exit 2; }

# `report` refuses plain root unless told; as any other user it just works.
[ "$(id -u)" -eq 0 ] && export RULEPROOF_ALLOW_ROOT=1

if [ ${#args[@]} -gt 1 ]; then
	names=("${args[@]:1}")
else
	mapfile -t names < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$HERE/TESTLIST")
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rp-runs.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
fail() { echo "FAIL $name: $*"; bad=1; }

# Runs `report` over $1; sets rc.  Its output is kept beside the directory.
derive() {
	"$RP" -q report "$1" >"$1.stdout" 2>"$1.stderr"
	rc=$?
}

for name in "${names[@]}"; do
	bad=0
	if [ ! -f "$HERE/$name/run/plan.json" ]; then
		fail "no run directory $HERE/$name/run"
		failed=$((failed + 1))
		continue
	fi
	t=$(mktemp -d "$WORK/$name.XXXXXX")
	cp -R "$HERE/$name/run/." "$t/"
	derive "$t"
	case $rc in
	0|1|3) ;;
	*) fail "ruleproof report exited $rc"; sed 's/^/    /' "$t.stderr" ;;
	esac
	for f in report.txt report.json; do
		[ -f "$t/$f" ] || fail "ruleproof report wrote no $f"
	done
	if [ "$bad" -eq 0 ] && ! jq empty "$t/report.json" 2>"$t.jq"; then
		fail "report.json is not valid JSON: $(head -n 1 "$t.jq")"
	fi
	# Stable: a second derivation over the same (now sealed) directory.
	if [ "$bad" -eq 0 ]; then
		mkdir "$t.first"
		cp "$t/report.txt" "$t/report.json" "$t.first/"
		derive "$t"
		for f in report.txt report.json; do
			if ! cmp -s "$t.first/$f" "$t/$f"; then
				fail "$f differs between two derivations of the same run (not stable)"
				diff -u --label "first/$f" --label "second/$f" "$t.first/$f" "$t/$f" | head -n 40
			fi
		done
	fi
	if [ "$bad" -eq 0 ]; then
		for f in report.txt report.json; do
			exp=$HERE/$name/expected/$f
			if [ "$update" -eq 1 ]; then
				if ! cmp -s "$exp" "$t/$f"; then
					mkdir -p "$HERE/$name/expected"
					cp "$t/$f" "$exp"
					echo "updated $name/expected/$f"
				fi
			elif [ ! -f "$exp" ]; then
				fail "no expected/$f (tests/runs/run.sh --update $RP $name writes it)"
			elif ! cmp -s "$exp" "$t/$f"; then
				fail "$f differs from expected/$f"
				diff -u --label "$name/expected/$f" --label "$name/re-derived/$f" "$exp" "$t/$f"
			fi
		done
	fi
	if [ "$bad" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $name (exit $rc)"
	else
		failed=$((failed + 1))
	fi
done

echo "runs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
