#!/usr/bin/env bash
# Fails when a test or script runs a program that scripts/deps.sh does not
# install: a green CI must not rest on what a machine happened to have.  No
# root, no network; reads the shell syntax trees (shfmt) and dpkg's database.
#
#   scripts/deps-lint.sh                    every tests/**/*.sh, scripts/*.sh, .ci/run
#   scripts/deps-lint.sh FILE...            those files
#   scripts/deps-lint.sh --as PATH FILE...  those files, judged as if they were at PATH
#   scripts/deps-lint.sh --self-test        the lint's own test
#   scripts/deps-lint.sh --uses [FILE...]    also list every program each file runs
#
# What counts as running a program: the first word of every simple command,
# wherever it stands (after | && || ; & ( { then do else, inside $( ) ` `
# <( ) and here-documents, in function bodies), and the command a wrapper
# runs: timeout, env, sudo, setpriv, nice, nohup, stdbuf, xargs, exec,
# command, /usr/bin/time, `ip netns exec NS`, `bash -c CODE` and `sh -c CODE`
# (CODE is read as shell too, as is `trap CODE`), an array spliced in as
# "${NAME[@]}" (its first elements), and the functions a `# deps-lint:
# wrapper NAME N` comment declares (they run their arguments after the Nth).
# A program looked for (`command -v`, `type`, `hash`, `which`) counts too: a
# test must not skip what it cannot find.
# Not programs: shell keywords and builtins, functions the file (or, for a
# lab test, tests/lab/lib.sh) defines, words made by an expansion ("$RP",
# $chrome), and the project's own files (./ruleproof, scripts/deps.sh).
# Words inside quotes, echo messages and here-documents are arguments, never
# commands, unless they are code as above.
#
# Each program must be from Debian's base (a package dpkg marks Essential or
# Priority required: on every Debian system, so installed here too) or be
# named in `scripts/deps.sh --list L`, after a package of a list L the file
# may count on:
#   tests/**, scripts/deps-lint.sh, .ci/run  build and test (make check, CI)
#   scripts/bench.sh                         build and bench (it runs deps.sh --bench)
#   scripts/deps.sh                          none: it runs before anything is installed
#   other scripts/*.sh                       build (make demo installs that alone)
# Where the program is installed here, dpkg must agree: the file that
# `command -v` would find (in /usr/sbin /usr/bin /sbin /bin, merged /usr or
# not, through alternatives' links) belongs to that package or to one it
# depends on, recursively.  The name in deps.sh is what counts, so the
# verdict does not depend on what this machine has installed.  A lab test
# (tests/lab/t_*.sh, lib.sh) must also say `need PROG` (lib.sh) for every
# program not from the base, before it first runs it; a `need` of a program
# deps.sh does not cover is an offence too.
#
# Prints each offence as FILE:LINE: PROG: why, then a count; exit 1 if any.
set -f -uo pipefail   # no globbing: words are split into arrays as they are
export LC_ALL=C
CALLER=$PWD
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
SELF=$ROOT/scripts/deps-lint.sh

die() { echo "deps-lint: $*" >&2; exit 2; }

# ---- the syntax tree, flattened ---------------------------------------------
# One line per record, fields separated by tabs:
#   C LINE WORD...          a simple command and its words
#   F START END NAME        a function definition and the lines it spans
#   A LINE NAME WORD...     an array assignment NAME=(WORD...) (not +=)
# A word is L:TEXT (literal: quotes removed), D:TEXT (made by an expansion;
# TEXT is the source with $_ for each expansion, for code given to bash -c)
# or A:NAME ("${NAME[@]}").  TEXT escapes \ tab newline as \\ \t \n.
read -r -d '' JQ <<'EOF'
def esc: gsub("\\\\"; "\\\\") | gsub("\t"; "\\t") | gsub("\n"; "\\n");
def dq: gsub("\\\\\n"; "") | gsub("\\\\(?<c>[\"$`\\\\])"; .c);
def unq: gsub("\\\\\n"; "") | gsub("\\\\(?<c>.)"; .c);
def ptext:
	if .Type == "Lit" then .Value | unq
	elif .Type == "SglQuoted" then .Value
	elif .Type == "DblQuoted" then
		[(.Parts // [])[] | if .Type == "Lit" then .Value | dq else "$_" end] | join("")
	else "$_" end;
def literal: all((.Parts // [])[]; .Type == "Lit" or .Type == "SglQuoted"
	or (.Type == "DblQuoted" and all((.Parts // [])[]; .Type == "Lit")));
def param: if .Type == "DblQuoted" and ((.Parts // []) | length) == 1 then .Parts[0] else . end;
def arrayref:
	if ((.Parts // []) | length) != 1 then null
	else .Parts[0] | param
		| if .Type == "ParamExp" and .Index != null and ((.Index.Parts // []) | length) == 1
			and (.Index.Parts[0].Value == "@" or .Index.Parts[0].Value == "*")
			and .Exp == null and .Repl == null and .Slice == null
			and (.Excl | not) and (.Length | not)
		then .Param.Value else null end
	end;
def word: arrayref as $a
	| if $a then "A:" + $a
	elif literal then "L:" + ([(.Parts // [])[] | ptext] | join("") | esc)
	else "D:" + ([(.Parts // [])[] | ptext] | join("") | esc) end;
.. | objects
| if .Type == "CallExpr" and ((.Args // []) | length) > 0 then
	(["C", (.Args[0].Pos.Line | tostring)] + [.Args[] | word]) | join("\t")
elif .Type == "FuncDecl" then
	["F", (.Pos.Line | tostring), (.End.Line | tostring), .Name.Value] | join("\t")
elif (.Name | type) == "object" and (.Array | type) == "object" and (.Append | not) then
	(["A", (.Pos.Line | tostring), .Name.Value] + [(.Array.Elems // [])[] | .Value | word]) | join("\t")
else empty end
EOF

# flatten < SHELL: the records above; fails if the shell does not parse.
flatten() { shfmt -ln bash --to-json | jq -r "$JQ"; }

unesc() { printf '%b' "$1"; }

# ---- what bash itself knows ---------------------------------------------------
declare -A SHELLWORD=()
for w in if then else elif fi do done case esac while until for in function select \
	'{' '}' '!' '[[' ']]' coproc \
	alias bg bind break builtin caller cd command compgen complete compopt continue \
	declare dirs disown echo enable eval exec exit export false fc fg getopts hash help \
	history jobs kill let local logout mapfile popd printf pushd pwd read readarray \
	readonly return set shift shopt source suspend test times trap true type typeset \
	ulimit umask unalias unset wait . : '['; do
	SHELLWORD[$w]=1
done

# ---- deps.sh's lists and dpkg's database --------------------------------------
declare -A ANN=()       # "LIST PROG" -> package deps.sh names for it in LIST
declare -A ANNANY=()    # PROG -> "LIST:PACKAGE" of some list
for l in build test bench; do
	out=$(bash "$ROOT/scripts/deps.sh" --list "$l") || die "scripts/deps.sh --list $l failed"
	while read -r pkg progs; do
		for p in $progs; do
			ANN["$l $p"]=$pkg
			[ -n "${ANNANY[$p]:-}" ] || ANNANY[$p]="$l:$pkg"
		done
	done <<<"$out"
done

declare -A INSTALLED=() BASE=() DEPS=()
# Installed packages only; their dependencies "a (>= 1), b | c, d:any" as
# "a b c d": any alternative counts.
while IFS=$'\t' read -r pkg ess prio deps; do
	INSTALLED[$pkg]=1
	[ "$ess" = yes ] || [ "$prio" = required ] && BASE[$pkg]=1
	DEPS[$pkg]=$deps
done < <(dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Essential}\t${Priority}\t${Pre-Depends}, ${Depends}\n' |
	sed -nE '/^.i/{ s/^[^\t]*\t//; s/\([^)]*\)//g; s/:[a-z0-9]+([ ,|]|$)/\1/g; s/[,|]/ /g; p; }')
[ ${#INSTALLED[@]} -gt 0 ] || die "dpkg-query lists no installed package (is this Debian?)"

# depends_on A B: A is B or depends on it, recursively (installed packages).
depends_on() {
	local want=$2 p q
	local -A seen=([$1]=1)
	local -a todo=("$1")
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}; todo=("${todo[@]:1}")
		[ "$p" = "$want" ] && return 0
		for q in ${DEPS[$p]:-}; do
			[ -n "${seen[$q]:-}" ] && continue
			seen[$q]=1; todo+=("$q")
		done
	done
	return 1
}

# Where each program is and which package owns it, for all programs at once
# (one dpkg-query): PATHOF[PROG] (empty: not installed here), OWNER[PROG]
# (empty: no package owns it).
declare -A PATHOF=() OWNER=()
locate_all() {
	local prog d path c line pk p IFS=$' \t\n'
	local -a cands=()
	local -A candsof=() ownerof=()
	for prog in "$@"; do
		[ -n "${PATHOF[$prog]+x}" ] && continue
		path=""
		if [[ $prog == /* ]]; then
			[ -x "$prog" ] && path=$prog
		else
			for d in /usr/sbin /usr/bin /sbin /bin; do
				[ -x "$d/$prog" ] && [ ! -d "$d/$prog" ] && { path=$d/$prog; break; }
			done
		fi
		PATHOF[$prog]=$path
		OWNER[$prog]=""
		[ -n "$path" ] || continue
		# dpkg knows the path a package shipped: /bin/ls, not /usr/bin/ls, on
		# merged /usr; an alternative (awk, cc) only by its target.
		for c in "$path" "$(readlink -f "$path")"; do
			candsof[$prog]+="$c "
			case $c in /usr/*) candsof[$prog]+="${c#/usr} " ;; *) candsof[$prog]+="/usr$c " ;; esac
		done
		cands+=(${candsof[$prog]})
	done
	[ ${#cands[@]} -gt 0 ] || return 0
	while read -r line; do
		case $line in "diversion by"*) continue ;; esac
		pk=${line%%: /*}
		pk=${pk%%,*}
		ownerof[${line#*: }]=${pk%%:*}
	done < <(dpkg-query -S "${cands[@]}" 2>/dev/null)
	for prog in "${!candsof[@]}"; do
		for c in ${candsof[$prog]}; do
			p=${ownerof[$c]:-}
			[ -n "$p" ] && { OWNER[$prog]=$p; break; }
		done
	done
}

# ---- which lists a file may count on ------------------------------------------
lists_for() {
	case $1 in
	scripts/deps.sh) echo "" ;;
	scripts/bench.sh) echo "build bench" ;;
	scripts/deps-lint.sh | tests/* | .ci/*) echo "build test" ;;
	*) echo "build" ;;
	esac
}
is_labtest() { [[ $1 == tests/lab/t_*.sh || $1 == tests/lab/lib.sh ]]; }

# ---- offences ------------------------------------------------------------------
NOFF=0
declare -A FILES_OFF=()
offend() {   # FILE LINE PROG WHY
	echo "$1:$2: $3: $4"
	NOFF=$((NOFF + 1))
	FILES_OFF[$1]=1
}

# cover ROLE PROG: sets WHY, empty when the base or deps.sh covers PROG for a
# file at ROLE, else why not; and KIND: base or listed.
cover() {
	local role=$1 prog=$2 l pkg="" name=${2##*/} owner path any mine
	locate_all "$prog"
	path=${PATHOF[$prog]} owner=${OWNER[$prog]}
	WHY="" KIND=listed
	if [ -n "$owner" ] && [ -n "${BASE[$owner]:-}" ]; then KIND=base; return; fi
	mine=${LISTS[$role]-$(lists_for "$role")}
	LISTS[$role]=$mine
	for l in $mine; do
		pkg=${ANN["$l $name"]:-}
		[ -n "$pkg" ] && break
	done
	local may="Debian's base alone"
	[ -z "$mine" ] || may="deps.sh --list ${mine// /, }"
	if [ -z "$pkg" ]; then
		any=${ANNANY[$name]:-}
		if [ -n "$any" ]; then
			WHY="deps.sh names it only in its ${any%%:*} list (package ${any#*:}); this file may count on $may"
		elif [ -n "$owner" ]; then
			WHY="$path is from package $owner, not Debian's base, and no package of $may names it"
		elif [ -n "$path" ]; then
			WHY="$path belongs to no Debian package, and no package of $may names it"
		else
			WHY="not installed here, and no package of $may names it"
		fi
		return
	fi
	if [ -n "$owner" ] && ! depends_on "$pkg" "$owner"; then
		WHY="deps.sh names package $pkg for it, but $path is from $owner, which $pkg does not depend on"
	fi
}
declare -A LISTS=()

# ---- reading one file ---------------------------------------------------------
# Per file: USES and NEEDS ("LINE PROG"), the functions, their line ranges,
# the arrays and the wrapper directives.
declare -A FUNC=() WRAP=() ARR=() LIBFUNC=() LIBWRAP=()
FRANGES=()
USES=()
BADCODE=()
NEEDS=()
LIBNEEDS=()

in_function() {   # LINE: inside a function body of this file?
	local r
	for r in "${FRANGES[@]}"; do
		[ "$1" -ge "${r% *}" ] && [ "$1" -le "${r#* }" ] && return 0
	done
	return 1
}

# ELEMS: the value words of the array NAME as last assigned at or before
# LINE (else as assigned anywhere), separated by \x1f.
array_at() {
	local name=$1 line=$2 e best="" bl=0 l
	for e in "${!ARR[@]}"; do
		[ "${e%% *}" = "$name" ] || continue
		l=${e#* }
		if [ "$l" -le "$line" ] && [ "$l" -ge "$bl" ]; then bl=$l; best=${ARR[$e]}; fi
	done
	[ -n "$best" ] || { for e in "${!ARR[@]}"; do [ "${e%% *}" = "$name" ] && best=${ARR[$e]}; done; }
	ELEMS=$best
}

# skip_opts ARGSPEC: advance I over options of a wrapper in W; ARGSPEC lists
# the options that take a separate argument (" -u -C --unset ").
skip_opts() {
	local spec=" $1 " t
	while [ "$I" -lt ${#W[@]} ]; do
		t=${W[I]}
		[ "${t:0:2}" = L: ] || return
		t=${t:2}
		case $t in
		--) I=$((I + 1)); return ;;
		--*=*) I=$((I + 1)) ;;
		-*) if [[ $spec == *" $t "* ]]; then I=$((I + 2)); else I=$((I + 1)); fi ;;
		*) return ;;
		esac
	done
}
skip_assigns() {
	while [ "$I" -lt ${#W[@]} ] && [[ ${W[I]} =~ ^[LD]:[A-Za-z_][A-Za-z0-9_]*= ]]; do I=$((I + 1)); done
}

# looked_up LINE WORD...: the programs `command -v`, `type`, `hash` or `which`
# look for count as used: a test or script that looks for a program depends
# on it (and a test must not skip what it cannot find).
looked_up() {
	local line=$1 w
	shift
	for w in "$@"; do
		case $w in L:-*) continue ;; L:*) ;; *) continue ;; esac
		w=${w:2}
		[ -n "$w" ] && [[ $w != *[\$\\]* ]] || continue
		[ -n "${SHELLWORD[$w]:-}" ] || [ -n "${FUNC[$w]:-}" ] || [[ $w == */* && $w != /* ]] || USES+=("$line $w")
	done
}

# command_words CTX LINE WORD...: the programs one simple command runs.
# CTX: file (the file's functions and arrays are known) or inner (bash -c).
command_words() {
	local ctx=$1 line=$2 t v base splices=0
	shift 2
	W=("$@")
	I=0
	while [ "$I" -lt ${#W[@]} ]; do
		t=${W[I]}
		v=${t:2}
		case ${t:0:2} in
		A:)
			[ "$ctx" = file ] && [ $((splices += 1)) -le 8 ] || return
			array_at "$v" "$line"
			[ -n "$ELEMS" ] || return
			local -a sp
			IFS=$'\x1f'; sp=($ELEMS); IFS=$' \t\n'
			W=("${W[@]:0:I}" "${sp[@]}" "${W[@]:I+1}")
			continue ;;
		D:) return ;;
		esac
		[[ $v == *\\* ]] && v=$(unesc "$v")
		# Empty, or $ in a literal: made by an expansion (code given to bash -c).
		[ -n "$v" ] && [[ $v != *'$'* ]] || return
		if [ "$ctx" = file ] && [ -n "${FUNC[$v]:-}" ]; then
			[ "$v" = need ] && { local k; for k in "${W[@]:I+1}"; do [ "${k:0:2}" = L: ] && NEEDS+=("$line ${k:2}"); done; }
			[ -n "${WRAP[$v]:-}" ] || return
			I=$((I + 1 + WRAP[$v]))
			continue
		fi
		if [ -n "${SHELLWORD[$v]:-}" ]; then
			case $v in
			command)
				I=$((I + 1))
				case ${W[I]:-} in L:-v | L:-V) looked_up "$line" "${W[@]:I+1}"; return ;; esac
				skip_opts "" ; continue ;;
			type | hash) looked_up "$line" "${W[@]:I+1}" ;;
			exec) I=$((I + 1)); skip_opts "-a"; continue ;;
			builtin) return ;;
			trap)
				t=${W[I + 1]:-}
				case $t in L:-* | "") return ;; esac
				inner_code "$ctx" "$line" "${t:2}" ;;
			esac
			return
		fi
		case $v in
		time) I=$((I + 1)); skip_opts ""; continue ;;   # the keyword (time -p)
		*/*) [[ $v == /* ]] || return ;;                  # the project's own files
		esac
		USES+=("$line $v")
		base=${v##*/}
		I=$((I + 1))
		case $base in
		timeout) skip_opts "-s -k --signal --kill-after"; I=$((I + 1)) ;;
		env) skip_opts "-u -C -S --unset --chdir --split-string"; skip_assigns ;;
		sudo) skip_opts "-u -g -C -D -h -p -r -t -U -T"; skip_assigns ;;
		setpriv) skip_opts "--ruid --euid --reuid --rgid --egid --regid --groups --inh-caps --ambient-caps --bounding-set --securebits --pdeathsig --selinux-label --apparmor-profile" ;;
		nice) skip_opts "-n --adjustment" ;;
		nohup) ;;
		which) looked_up "$line" "${W[@]:I}"; return ;;
		stdbuf) skip_opts "-i -o -e --input --output --error" ;;
		xargs) skip_opts "-a -d -E -I -L -n -P -s --arg-file --delimiter --max-args --max-procs --max-chars --process-slot-var" ;;
		time) skip_opts "-o -f --output --format" ;;
		ip)
			# ip [-all] netns exec [NS] COMMAND
			local all=0
			[ "${W[I]:-}" = L:-all ] && { all=1; I=$((I + 1)); }
			[ "${W[I]:-}" = L:netns ] && [ "${W[I + 1]:-}" = L:exec ] || return
			I=$((I + 2 + 1 - all)) ;;
		bash | sh | dash)
			while [ "$I" -lt ${#W[@]} ]; do
				case ${W[I]} in
				L:-c) t=${W[I + 1]:-}; [ -n "$t" ] && inner_code inner "$line" "${t:2}"; return ;;
				L:-o | L:+o) I=$((I + 2)) ;;
				L:-*) I=$((I + 1)) ;;
				*) return ;;   # a script file: its own lint
				esac
			done
			return ;;
		*) return ;;
		esac
	done
}

# inner_code CTX LINE ESCAPED_TEXT: code that a command hands to a shell.
inner_code() {
	local ctx=$1 line=$2 code rec
	code=$(unesc "$3")
	local -a recs
	mapfile -t recs < <(flatten <<<"$code" 2>/dev/null || echo FAILED)
	if [ "${recs[-1]:-}" = FAILED ]; then BADCODE+=("$line"); return; fi
	local savedW=("${W[@]}") savedI=$I
	for rec in "${recs[@]}"; do
		[ "${rec:0:2}" = $'C\t' ] || continue
		local -a f
		IFS=$'\t'; f=($rec); IFS=$' \t\n'
		command_words "$ctx" $((line + f[1] - 1)) "${f[@]:2}"
	done
	W=("${savedW[@]}") I=$savedI
}

# read_file FILE: fills FUNC WRAP ARR FRANGES USES NEEDS; 1 if it does not parse.
read_file() {
	local file=$1 rec n
	local -a recs f
	FUNC=() WRAP=() ARR=() FRANGES=() USES=() NEEDS=() BADCODE=()
	if [ "${2:-}" = lab ]; then
		for n in "${!LIBFUNC[@]}"; do FUNC[$n]=1; done
		for n in "${!LIBWRAP[@]}"; do WRAP[$n]=${LIBWRAP[$n]}; done
	fi
	mapfile -t recs < <(flatten <"$file" 2>"$ERRS"; echo "rc $?")
	[ "${recs[-1]}" = "rc 0" ] || return 1
	unset 'recs[-1]'
	while read -r n; do
		[[ $n =~ ^#\ deps-lint:\ wrapper\ ([A-Za-z_][A-Za-z0-9_-]*)\ ([0-9]+)$ ]] &&
			WRAP[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
	done < <(grep '^# deps-lint: wrapper ' "$file")
	for rec in "${recs[@]}"; do
		IFS=$'\t'; f=($rec); IFS=$' \t\n'
		case ${f[0]} in
		F) FUNC[${f[3]}]=1; FRANGES+=("${f[1]} ${f[2]}") ;;
		A) printf -v n '%s\x1f' "${f[@]:3}"; ARR["${f[2]} ${f[1]}"]=$n ;;
		esac
	done
	for rec in "${recs[@]}"; do
		[ "${rec:0:2}" = $'C\t' ] || continue
		IFS=$'\t'; f=($rec); IFS=$' \t\n'
		command_words file "${f[1]}" "${f[@]:2}"
	done
	return 0
}

# lint_read FILE ROLE: reads one file, keeping what lint_judge needs.
declare -A S_USES=() S_NEEDS=() S_FR=() S_BAD=() S_BADCODE=()
lint_read() {
	local file=$1 role=$2 lab=""
	is_labtest "$role" && lab=lab
	if ! read_file "$file" $lab; then
		S_BAD[$file]=$(head -n 1 "$ERRS")
		return
	fi
	S_USES[$file]="" S_NEEDS[$file]="" S_FR[$file]=""
	S_BADCODE[$file]=${BADCODE[*]}
	[ ${#USES[@]} -eq 0 ] || printf -v 'S_USES[$file]' '%s\x1f' "${USES[@]}"
	[ ${#NEEDS[@]} -eq 0 ] || printf -v 'S_NEEDS[$file]' '%s\x1f' "${NEEDS[@]}"
	[ ${#FRANGES[@]} -eq 0 ] || printf -v 'S_FR[$file]' '%s\x1f' "${FRANGES[@]}"
}

# lint_judge FILE ROLE: every offence of one file, judged as if it were at
# ROLE, in the order of their lines.
lint_judge() {
	local file=$1 role=$2 u line prog lab="" k more
	local -A first=() count=() needed=() needline=()
	local -a offs=()
	local n=0
	if [ -n "${S_BAD[$file]+x}" ]; then
		offend "$file" 1 "(syntax)" "cannot be read as shell: ${S_BAD[$file]}"
		return
	fi
	IFS=$'\x1f'
	USES=(${S_USES[$file]}) NEEDS=(${S_NEEDS[$file]}) FRANGES=(${S_FR[$file]})
	IFS=$' \t\n'
	is_labtest "$role" && lab=lab
	off() { offs+=("$1:$2: $3: $4"); n=$((n + 1)); }
	for k in ${S_BADCODE[$file]}; do
		off "$file" "$k" "(code)" "the code this line hands to a shell (bash -c, trap) does not parse: its programs cannot be checked"
	done
	for u in "${USES[@]}"; do
		[ -n "$u" ] || continue
		line=${u%% *} prog=${u#* }
		count[$prog]=$((${count[$prog]:-0} + 1))
		[ -n "${first[$prog]:-}" ] || first[$prog]=$line
	done
	if [ -n "$lab" ]; then
		[ "$role" = tests/lab/lib.sh ] || for u in "${LIBNEEDS[@]}"; do needed[$u]=1; needline[$u]=0; done
		for u in "${NEEDS[@]}"; do
			[ -n "$u" ] || continue
			line=${u%% *} prog=${u#* }
			needed[$prog]=1
			[ -n "${needline[$prog]:-}" ] || needline[$prog]=$line
			cover "$role" "$prog"
			[ -z "$WHY" ] || off "$file" "$line" "$prog" "needed, but $WHY"
		done
	fi
	for prog in "${!first[@]}"; do
		line=${first[$prog]}
		cover "$role" "$prog"
		[ -z "$SHOW" ] || offs+=("$file:$line: $prog: uses ${count[$prog]}, $KIND, package ${OWNER[$prog]:-none here}${WHY:+, OFFENCE}")
		more=""
		[ "${count[$prog]}" -gt 1 ] && more=" (first of ${count[$prog]} uses)"
		if [ -n "$WHY" ]; then
			off "$file" "$line" "$prog" "$WHY$more"
			continue
		fi
		[ -n "$lab" ] && [ "$KIND" != base ] || continue
		if [ -z "${needed[$prog]:-}" ]; then
			off "$file" "$line" "$prog" "runs it without \`need $prog\` (tests/lab/lib.sh)$more"
			continue
		fi
		# need before the first use outside a function body.
		for u in "${USES[@]}"; do
			[ "${u#* }" = "$prog" ] || continue
			k=${u%% *}
			in_function "$k" && continue
			[ "$k" -lt "${needline[$prog]}" ] &&
				off "$file" "$k" "$prog" "runs it before its \`need\` at line ${needline[$prog]}"
			break
		done
	done
	NOFF=$((NOFF + n))
	[ "$n" -eq 0 ] || FILES_OFF[$file]=1
	[ ${#offs[@]} -gt 0 ] || return 0
	printf '%s\n' "${offs[@]}" | sort -t: -k2,2n -s
}

# ---- the self-test --------------------------------------------------------------
# The lint run on small files of its own, each judged as if it were a lab
# test (or the bench): those that run tcpdump, or jq without `need jq`, must
# fail naming the program; one that only runs ls, or names tcpdump in
# messages, must pass.
self_test() {
	local d fails=0 n=0 out rc
	d=$(mktemp -d /tmp/deps-lint.XXXXXX) || exit 2
	case1() {   # NAME ROLE CODE EXPECTED_EXIT [PATTERN]
		n=$((n + 1))
		printf '%s\n' "$3" >"$d/$1.sh"
		out=$("$SELF" --as "$2" "$d/$1.sh" 2>&1)
		rc=$?
		if [ "$rc" -eq "$4" ] && { [ -z "${5:-}" ] || grep -q -- "$5" <<<"$out"; }; then
			echo "  ok   $1"
		else
			echo "  FAIL $1: exit $rc, want $4${5:+ and /$5/}; got: $out"
			fails=$((fails + 1))
		fi
	}
	local T=tests/lab/t_selftest.sh
	case1 tcpdump $T $'x=1\ntcpdump -nn -r f.pcap | wc -l' 1 "tcpdump.sh:2: tcpdump: "
	case1 ls $T $'ls -l /\necho "tcpdump in a message" >&2\ncat <<EOF\ntcpdump -r in a here-document\nEOF' 0
	case1 substituted $T $'n=$(ip netns exec ns timeout 5 tcpdump -r f | wc -l)' 1 "substituted.sh:1: tcpdump: "
	case1 bash-c $T $'check "x" bash -c "tcpdump -r \\"$f\\" >/dev/null"' 1 "bash-c.sh:1: tcpdump: "
	case1 unneeded $T $'jq . f.json' 1 "unneeded.sh:1: jq: runs it without .need jq."
	case1 needed $T $'need jq\njq . f.json' 0
	case1 need-uncovered $T $'need masscan' 1 "need-uncovered.sh:1: masscan: needed, but deps.sh names it only in its bench list"
	case1 bench scripts/bench.sh $'masscan 198.18.20.1 -p1' 0
	rm -rf "$d"
	echo "deps-lint self-test: $((n - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ]
}

# ---- main ------------------------------------------------------------------------
SHOW=""
for p in shfmt jq dpkg-query; do
	type -P "$p" >/dev/null || die "needs $p (scripts/deps.sh --test installs it)"
done
as=""
case ${1:-} in
--self-test) self_test; exit ;;
--uses) SHOW=1; shift ;;
--as) as=${2:?--as PATH FILE...}; shift 2 ;;
esac
if [ $# -gt 0 ]; then
	# Named from where the lint was started; inside the tree, by their path in it.
	files=()
	for f in "$@"; do
		[[ $f == /* ]] || f=$CALLER/$f
		[[ $f == "$ROOT"/* ]] && f=${f#"$ROOT"/}
		files+=("$f")
	done
else
	shopt -s globstar nullglob
	set +f
	files=(tests/**/*.sh scripts/*.sh .ci/run)
	set -f
fi

ERRS=$(mktemp /tmp/deps-lint.XXXXXX) || exit 2
trap 'rm -f "$ERRS"' EXIT

# lib.sh's functions, wrappers and needs, for the lab tests.
read_file tests/lab/lib.sh || die "tests/lab/lib.sh does not parse"
for n in "${!FUNC[@]}"; do LIBFUNC[$n]=1; done
for n in "${!WRAP[@]}"; do LIBWRAP[$n]=${WRAP[$n]}; done
for u in "${NEEDS[@]}"; do LIBNEEDS+=("${u#* }"); done

for f in "${files[@]}"; do
	[ -f "$f" ] || die "$f: no such file"
	lint_read "$f" "${as:-$f}"
done
IFS=$'\x1f'
locate_all $(for f in "${!S_USES[@]}"; do printf '%s' "${S_USES[$f]}${S_NEEDS[$f]}"; done |
	tr '\037' '\n' | sed -n 's/^[0-9]* //p' | sort -u | tr '\n' '\037')
IFS=$' \t\n'
for f in "${files[@]}"; do
	lint_judge "$f" "${as:-$f}"
done
s=s; [ "$NOFF" -eq 1 ] && s=""
echo "deps-lint: $NOFF offence$s in ${#FILES_OFF[@]} of ${#files[@]} files"
[ "$NOFF" -eq 0 ]
