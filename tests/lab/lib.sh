# Shared by the namespace lab tests.  Each test gets its own scratch
# directory (removed on exit, also on failure) and checks that the lab left
# no namespace behind.  Tests only ever send inside namespaces that
# `ruleproof lab` creates, on 198.18.0.0/15.
set -uo pipefail

RP=$(realpath "${1:?usage: $0 RULEPROOF_BINARY}")
# The tests run as root (namespaces need it), and run the commands that need
# no privilege too: they say so explicitly (ruleproof(1), PRIVILEGES).
export RULEPROOF_ALLOW_ROOT=1
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
# check WHAT COMMAND...: one check, passed when COMMAND succeeds.  (For
# scripts/deps-lint.sh: check runs its arguments after the first.)
# deps-lint: wrapper check 1
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

# need PROG...: the programs a test runs that are not from Debian's base
# (packages dpkg marks Essential or Priority required: coreutils, grep, sed,
# findutils, diffutils, util-linux, mawk, ...), each installed by
# scripts/deps.sh; every test says so near its top, and scripts/deps-lint.sh
# checks that it says so for each program it runs.  A missing program is a
# failure of the test, counted in its summary, and ends it there: never a
# skip, never checks that fail later for a reason nobody reads.
need() {
	local p missing=0
	for p in "$@"; do
		type -P "$p" >/dev/null 2>&1 && continue
		bad "needs $p, which is not installed (scripts/deps.sh --test installs it)"
		missing=1
	done
	[ "$missing" -eq 0 ] && return 0
	finish
	exit 1
}

# A three-namespace network of the test's own for the split agents: a source
# host, a firewall and a far-side host, each end on a veth to the firewall.
# Names carry this test's suffix; the namespaces go away on exit.
# Usage: split_net SRC_ADDR DST_ADDR RULESET; sets NS_SRC, NS_FW, NS_DST.
SPLIT_NS=()
split_cleanup() {
	local n
	for n in "${SPLIT_NS[@]}"; do ip netns del "$n" 2>/dev/null; done
	cleanup
}
split_net() {
	local src=$1 dst=$2 rules=$3 sfx gw=198.19.255.254
	sfx=t$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
	NS_SRC=rp-$sfx-src NS_FW=rp-$sfx-fw NS_DST=rp-$sfx-dst
	SPLIT_NS=("$NS_SRC" "$NS_DST" "$NS_FW")
	trap split_cleanup EXIT
	ip netns add "$NS_FW" && ip netns add "$NS_SRC" && ip netns add "$NS_DST" || return 1
	ip -n "$NS_FW" link set lo up
	ip netns exec "$NS_FW" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward; echo 0 > /proc/sys/net/ipv4/icmp_ratelimit'
	local ns addr i=0
	for ns in "$NS_SRC" "$NS_DST"; do
		addr=$([ "$ns" = "$NS_SRC" ] && echo "$src" || echo "$dst")
		ip -n "$NS_FW" link add "h$i" type veth peer name eth0 netns "$ns" || return 1
		ip -n "$ns" link set lo up && ip -n "$ns" link set eth0 up
		ip -n "$ns" addr add "$addr/32" dev eth0
		ip -n "$ns" route add "$gw/32" dev eth0
		ip -n "$ns" route add default via "$gw" dev eth0 src "$addr"
		ip -n "$NS_FW" link set "h$i" up
		ip -n "$NS_FW" addr add "$gw/32" dev "h$i"
		ip -n "$NS_FW" route add "$addr/32" dev "h$i"
		i=$((i + 1))
	done
	ip netns exec "$NS_FW" nft -f "$rules"
}

# Starts the far side's listener on PLAN, capturing into OUT (further listen
# options follow), and returns once it listens and a little longer than the
# plan's tolerated clock skew, so that no probe is sent before its capture
# window opens. Sets LPID; its stderr goes to $SCRATCH/listen.err.
split_listen() {
	local plan=$1 out=$2
	shift 2
	ip netns exec "$NS_DST" "$RP" listen --plan "$plan" --out "$out" "$@" 2>"$SCRATCH/listen.err" &
	LPID=$!
	BGPIDS+=("$LPID")
	for _ in $(seq 1 50); do grep -q "listening on" "$SCRATCH/listen.err" && break; sleep 0.1; done
	sleep 0.3
}

# Lets the last answers of a send arrive (SECONDS, default 0.3), then stops the
# listener started by split_listen; returns the listener's exit status.
split_stop() {
	sleep "${1:-0.3}"
	kill -INT "$LPID"
	wait "$LPID"
}

# Takes down the network of split_net and the processes started on it, and
# keeps the scratch directory, so that one test can build a second network.
split_down() {
	local n p
	for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	BGPIDS=()
	for n in "${SPLIT_NS[@]}"; do ip netns del "$n" 2>/dev/null; done
	SPLIT_NS=()
}

# `ruleproof lab` runs ip and nft, and so do split_net, split_cleanup,
# split_down and no_leftovers: every lab test needs them.
need ip nft
