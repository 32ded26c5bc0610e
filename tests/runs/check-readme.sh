#!/usr/bin/env bash
# Checks that the demo excerpt quoted in a README is what the demo golden
# really prints.
#
# usage: tests/runs/check-readme.sh README.md
#
# The excerpt is the fenced block between the lines
#   <!-- demo excerpt: tests/runs/demo/expected/report.txt -->
#   <!-- end demo excerpt -->
# (the path names the report it quotes, relative to the top of the tree).
# Every line of the block other than a line `...` (an elision) must appear
# in that report in the same order, and lines not separated by `...` must be
# consecutive there too.  Exit 0 when it matches; 1, naming the first line
# that does not, when it does not or the markers or the block are missing;
# 2 on usage errors.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 README.md" >&2; exit 2; }
readme=$1
[ -r "$readme" ] || { echo "$0: $readme: cannot read" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

begin_re='^<!-- demo excerpt: (.+) -->$'
end_line='<!-- end demo excerpt -->'
report=""
n=0 state=0 start=0
excerpt=()   # the excerpt's lines
lineno=()    # their line numbers in the README
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	case $state in
	0)	if [[ $line =~ $begin_re ]]; then report=${BASH_REMATCH[1]}; start=$n; state=1; fi ;;
	1)	if [ "$line" = "$end_line" ]; then state=4
		elif [[ $line == '```'* ]]; then state=2
		elif [ -n "${line//[[:space:]]/}" ]; then
			echo "$readme:$n: only a fenced block may stand between the demo excerpt markers" >&2; exit 1
		fi ;;
	2)	if [[ $line == '```'* ]]; then state=3
		else excerpt+=("$line"); lineno+=("$n"); fi ;;
	3)	if [ "$line" = "$end_line" ]; then state=5
		elif [ -n "${line//[[:space:]]/}" ]; then
			echo "$readme:$n: '$end_line' missing: it must follow the demo excerpt's block" >&2; exit 1
		fi ;;
	esac
	[ "$state" -ge 4 ] && break
done <"$readme"

case $state in
0)	echo "$readme: no line '<!-- demo excerpt: tests/runs/demo/expected/report.txt -->'" >&2; exit 1 ;;
1|4)	echo "$readme:$start: no fenced block (\`\`\`) after the demo excerpt marker" >&2; exit 1 ;;
2)	echo "$readme:$start: the demo excerpt's fenced block is not closed" >&2; exit 1 ;;
3)	echo "$readme:$start: no line '$end_line' after the demo excerpt" >&2; exit 1 ;;
esac
case $report in /*) path=$report ;; *) path=$ROOT/$report ;; esac
[ -r "$path" ] || { echo "$readme:$start: $report: cannot read the report the excerpt quotes" >&2; exit 1; }
[ ${#excerpt[@]} -gt 0 ] || { echo "$readme:$start: the demo excerpt is empty" >&2; exit 1; }

mapfile -t R <"$path"

# Each run of lines between elisions must be found, consecutively, after
# the end of the previous run's match; the earliest match leaves the most
# room for the runs after it.
pos=0    # index into R where the next run may start
i=0
total=${#excerpt[@]}
while [ "$i" -lt "$total" ]; do
	if [ "${excerpt[$i]}" = "..." ]; then i=$((i + 1)); continue; fi
	j=$i
	while [ "$j" -lt "$total" ] && [ "${excerpt[$j]}" != "..." ]; do j=$((j + 1)); done
	len=$((j - i))
	found=-1 best=0 bestat=-1
	for ((s = pos; s < ${#R[@]}; s++)); do
		k=0
		while [ "$k" -lt "$len" ] && [ $((s + k)) -lt ${#R[@]} ] &&
			[ "${R[$((s + k))]}" = "${excerpt[$((i + k))]}" ]; do k=$((k + 1)); done
		if [ "$k" -eq "$len" ]; then found=$s; break; fi
		if [ "$k" -gt "$best" ]; then best=$k; bestat=$s; fi
	done
	if [ "$found" -lt 0 ]; then
		bad=$((i + best))
		if [ "$best" -eq 0 ]; then
			why="not in $report$( [ "$pos" -gt 0 ] && echo " after line $pos")"
		else
			why="$report line $((bestat + best + 1)) differs (the lines before it match $report lines $((bestat + 1))-$((bestat + best)); put '...' between lines that are not consecutive there)"
		fi
		echo "$readme:${lineno[$bad]}: demo excerpt line does not match: $why" >&2
		echo "  excerpt: ${excerpt[$bad]}" >&2
		[ "$best" -gt 0 ] && [ $((bestat + best)) -lt ${#R[@]} ] && echo "  report:  ${R[$((bestat + best))]}" >&2
		exit 1
	fi
	pos=$((found + len))
	i=$j
done
echo "$readme: the demo excerpt matches $report"
