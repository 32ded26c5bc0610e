#!/usr/bin/env bash
# Module discipline, checked by `make check`:
#  1. no include circle between modules: a module is src/STAGE/NAME.c with
#     include/STAGE/NAME.h (or a header alone); NAME.c and NAME.h both count
#     for its includes;
#  3. command files only wire: they include no other command's header,
#     and no stage module includes a command;
#  2. one header per module: every function or object a module's object file
#     exports is declared in its own header, so that the include graph is the
#     call graph and a circle cannot hide behind a shared header.
# Usage: scripts/modcheck.sh [OBJDIR]   (OBJDIR: build/rel by default; rule 2
# is checked for the objects found there)
set -uo pipefail
cd "$(dirname "$0")/.."
objdir=${1:-build/rel}
bad=0

mod_of() {	# src/lab/lab.c, include/lab/lab.h -> lab/lab
	local p=${1#src/}; p=${p#include/}; echo "${p%.*}"
}

# 1. The module graph, as "FROM TO" pairs for tsort, with every module also
# paired with itself so that a module without edges is still a node.
edges=$(for f in $(git ls-files 'src/*.c' 'include/*.h' 2>/dev/null || find src include -name '*.[ch]'); do
	m=$(mod_of "$f")
	echo "$m $m"
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)\.h".*/\1/p' "$f" |
	while read -r to; do
		[ "$to" = "$m" ] || echo "$m $to"
	done
done | sort -u)
if ! loops=$(tsort <<<"$edges" 2>&1 >/dev/null) || [ -n "$loops" ]; then
	echo "modcheck: include circle between modules:" >&2
	sed -n 's/^tsort: //p' <<<"$loops" | grep -v 'input contains a loop' | sort -u | sed 's/^/  /' >&2
	# Show each edge among the modules named, so the fix is easy to see.
	names=$(sed -n 's/^tsort: //p' <<<"$loops" | grep -v 'input contains a loop')
	while read -r a b; do
		[ "$a" = "$b" ] && continue
		grep -qxF "$a" <<<"$names" && grep -qxF "$b" <<<"$names" && echo "    $a includes $b" >&2
	done <<<"$edges"
	bad=1
fi

# 3 (checked here, with the graph at hand). Command files only wire: none
# includes another command file's header; what two commands share lives in a
# stage module (cmd/cli is the commands' own helper, cmd/main the entry).
while read -r a b; do
	case "$a $b" in
	cmd/main\ *|*\ cmd/cli|cmd/cli\ cmd/cli) ;;
	cmd/*\ cmd/*) [ "$a" = "$b" ] || { echo "modcheck: $a includes $b: a command file must not use another (move what they share into a stage module)" >&2; bad=1; } ;;
	esac
done <<<"$edges"
# Nothing below the commands includes them.
while read -r a b; do
	case "$a $b" in
	cmd/*) ;;
	*\ cmd/*) echo "modcheck: $a includes $b: stage modules do not depend on the commands" >&2; bad=1 ;;
	esac
done <<<"$edges"

# 2. Exported symbols declared in their own module's header.
if [ -d "$objdir/src" ]; then
	for o in $(find "$objdir/src" -name '*.o' | sort); do
		m=${o#"$objdir"/src/}; m=${m%.o}
		[ "$m" = cmd/main ] && continue
		h=include/$m.h
		syms=$(nm --defined-only -g "$o" 2>/dev/null | awk '$2 ~ /^[TDBRC]$/ {print $3}')
		[ -n "$syms" ] || continue
		if [ ! -f "$h" ]; then
			echo "modcheck: $m exports $(echo $syms | wc -w) symbols but has no header $h" >&2
			bad=1; continue
		fi
		for s in $syms; do
			grep -qw -- "$s" "$h" || { echo "modcheck: src/$m.c: '$s' is not declared in $h" >&2; bad=1; }
		done
	done
fi
[ $bad -eq 0 ] && echo "modcheck: $(grep -c . <<<"$(cut -d' ' -f1 <<<"$edges" | sort -u)") modules, no include circle, every export declared in its own header"
exit $bad
