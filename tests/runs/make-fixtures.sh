#!/usr/bin/env bash
# Remakes the run directories of the whole-run goldens (tests/runs/NAME/run/)
# with real `ruleproof lab` runs, then their expected reports
# (tests/runs/run.sh --update).  Root (the lab builds network namespaces;
# it removes them itself, and this script checks that it did).
#
# usage: tests/runs/make-fixtures.sh [NAME...]     (default: every golden)
#
# Run from anywhere; it works at the top of the tree with ./ruleproof (make
# it first), so that the commands recorded in each plan.json are the ones a
# user types: `ruleproof lab PROFILE --site SITE ...`, into the default
# captures/ directory.  Each lab run directory is copied here without the
# reports the lab derived and without its manifest (run.sh re-derives both)
# and then removed from captures/.
#
# Only one golden is edited by hand, in plain sight below: "lossy" (two drop
# counters).  Lab runs are timed by the machine, so a remade golden differs
# from the committed one (run ids, times, ports, keys); each is checked for
# what it is meant to show before it is kept.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
RP=./ruleproof
RUNS=tests/runs
FIX=$RUNS/fixtures

[ "$(id -u)" -eq 0 ] || { echo "make-fixtures: needs root (ruleproof lab)" >&2; exit 1; }
[ -x "$RP" ] || { echo "make-fixtures: build ./ruleproof first (make)" >&2; exit 1; }
for t in jq tshark nft ip; do
	command -v "$t" >/dev/null || { echo "make-fixtures: $t is needed" >&2; exit 1; }
done

ALL=(evidence evidence6 udp nat tls tls-dpi redirect interrupted resumed lossy demo)
if [ $# -gt 0 ]; then want=("$@"); else want=("${ALL[@]}"); fi
wanted() { local n; for n in "${want[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }
for n in "${want[@]}"; do
	case " ${ALL[*]} " in *" $n "*) ;; *) echo "make-fixtures: no golden '$n'" >&2; exit 2 ;; esac
done

SCRATCH=$(mktemp -d /tmp/rp-fixtures.XXXXXX)
LABPIDS=()
LABDIRS=()
cleanup() {
	local p d
	for p in "${LABPIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	for d in "${LABDIRS[@]}"; do rm -rf "$d"; done
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

die() { echo "make-fixtures: $*" >&2; exit 1; }

# The run directory that appeared in captures/ since $1 (a listing).
new_run() {
	comm -13 "$1" <(ls -1 captures 2>/dev/null | sort) | grep -E '^[0-9]{8}T[0-9]{6}Z-[0-9a-f]+$' | tail -n 1
}

# No namespace of run directory $1 may outlive its lab.
no_leftovers() {
	local sfx=${1##*-}
	! ip netns list 2>/dev/null | grep -q "^rp-$sfx-" || die "namespaces rp-$sfx-* left behind"
}

# Runs `ruleproof lab ARGS...` into captures/; sets DIR (captures/RUN-ID).
lab() {
	local before=$SCRATCH/before rc
	ls -1 captures 2>/dev/null | sort >"$before"
	echo "+ ruleproof lab $*"
	set +e
	"$RP" lab "$@" >"$SCRATCH/lab.out" 2>"$SCRATCH/lab.err"
	rc=$?
	set -e
	[ "$rc" -le 3 ] && [ "$rc" -ne 2 ] || { cat "$SCRATCH/lab.err" >&2; die "lab exited $rc"; }
	DIR=captures/$(new_run "$before")
	[ "$DIR" != captures/ ] || die "no run directory appeared in captures/"
	LABDIRS+=("$ROOT/$DIR")
	no_leftovers "$DIR"
}

# Checks a fact about the lab's own report of $DIR: jq expression, what it means.
want() {
	[ "$(jq "$1" "$DIR/report.json")" = true ] || die "$DIR: expected $2 ($1)"
}

# Copies run directory $2 as golden $1: every input of `report`, not the
# reports the lab derived from them, nor the manifest over them.
keep() {
	local name=$1 src=$2 dst=$RUNS/$1/run
	rm -rf "$dst"
	mkdir -p "$dst"
	(cd "$src" && find . -maxdepth 1 -type f ! -name 'report.*' ! -name 'MANIFEST.*' -printf '%P\n') |
		while read -r f; do cp "$src/$f" "$dst/$f"; done
	chmod -R u+rwX,go+rX "$dst"
	echo "  kept $dst ($(ls "$dst" | wc -l) files)"
}

# Drops a lab run directory from captures/ once kept.
done_with() { rm -rf "$1"; }

made=()

if wanted evidence; then
	lab tests/lab/small.profile --site tests/lab/small.site --firewall tests/lab/rulesets/evidence.nft
	want '[.results[].evidence] | sort | unique == ["firewall-reset","host-reset","icmp-unreachable","silent-drop"]' \
		"host-reset, firewall-reset, icmp-unreachable, silent-drop"
	want '[.results[] | select(.evidence == "icmp-unreachable") | .detail | capture("ICMP (?<tc>[0-9]+/[0-9]+)").tc] | sort == ["3/1","3/13","3/3"]' \
		"ICMP 3/1, 3/3 and 3/13"
	keep evidence "$DIR"; done_with "$DIR"; made+=(evidence)
fi

if wanted evidence6; then
	lab tests/lab/small.profile --site tests/lab/ipv6.site --firewall tests/lab/rulesets/evidence6.nft
	want '[.results[].evidence] | sort | unique == ["firewall-reset","host-reset","icmp-unreachable","silent-drop"]' \
		"the same classes over IPv6"
	want '[.results[] | select(.evidence == "icmp-unreachable") | .detail | capture("ICMPv6 (?<tc>[0-9]+/[0-9]+)").tc] | sort == ["1/1","1/3","1/4"]' \
		"ICMPv6 1/1, 1/3 and 1/4"
	keep evidence6 "$DIR"; done_with "$DIR"; made+=(evidence6)
fi

if wanted udp; then
	lab tests/lab/udp.profile --site tests/lab/small.site --firewall tests/lab/rulesets/udp-evidence.nft
	want '[.results[] | select(.proto == "udp") | .evidence] | sort | unique == ["arrived","icmp-unreachable","silent-drop"]' \
		"udp arrived, icmp-unreachable and silent-drop"
	keep udp "$DIR"; done_with "$DIR"; made+=(udp)
fi

if wanted nat; then
	lab "$FIX/nat.profile" --site tests/lab/small.site --firewall "$FIX/nat.nft"
	want '[.results[] | select(.expect == "open") | .translation != null] | all' "every crossing probe translated"
	want '[.results[] | select(.port == 8443) | .translation.arrived.dport] == [443]' "8443 arriving as 443 (DNAT)"
	want '.summary.fail == 0 and .summary.inconclusive == 0' "all pass"
	keep nat "$DIR"; done_with "$DIR"; made+=(nat)
fi

if wanted tls || wanted tls-dpi; then
	lab tests/lab/tls.profile --site tests/lab/tls.site
	want '[.results[] | select(.tls != null) | .evidence] == ["tls-intact","tls-intact","tls-intact"]' "tls-intact x3"
	want '.tls_endpoints[0].same_cert == true' "one certificate on the three ports"
	if wanted tls; then keep tls "$DIR"; made+=(tls); fi
	TLSRUN=$DIR
	# Where our ClientHello holds the server name and the first cipher
	# suite (bytes of the TCP payload, nftables' @ih), as tests/lab/t_tls.sh
	# measures them; the ruleset of tls-dpi meddles at those offsets.
	hello=$(tshark -r "$TLSRUN/tx-clients.pcap" -Y "tls.handshake.type == 1 && tcp.dstport == 9443" \
		-T fields -e tcp.payload 2>/dev/null | head -n 1)
	name=$(printf 'blocked.example' | od -An -tx1 | tr -d ' \n')
	full=$(printf 'portal.lab.example' | od -An -tx1 | tr -d ' \n')
	off=$(( $(awk -v h="$hello" -v n="$name" 'BEGIN { print index(h, n) - 1 }') / 2 ))
	cs=$((5 + 4 + 2 + 32 + 1 + 32 + 2))
	[ "$off" -gt 40 ] || die "server name not found in the captured ClientHello"
	[ "${hello:$((cs * 2)):4}" = 1301 ] || die "the first cipher suite offered is not 0x1301 at byte $cs"
	cat >"$FIX/tls-dpi.nft" <<NFT
# Golden run "tls-dpi", written by tests/runs/make-fixtures.sh: a firewall
# that lets every SYN of tests/lab/tls.profile through and then meddles with
# the ClientHellos by payload offset (measured in the "tls" golden's
# capture: the server name at byte $off of the TCP payload, the first cipher
# suite at byte $cs).  On 443 it rewrites the first cipher suite offered
# (0x1301 -> 0x1303), on 8443 the last two bytes of the server name
# ("le" -> "l3"), and on 9443 it drops the ClientHello naming
# blocked.example.
table inet labtest {
	chain forward {
		type filter hook forward priority filter; policy drop;
		tcp dport 443 @ih,$((cs * 8)),16 0x1301 @ih,$((cs * 8)),16 set 0x1303
		tcp dport 8443 @ih,$((off * 8)),128 0x${full:0:32} @ih,$((off * 8 + 128)),16 0x${full:32:4} @ih,$((off * 8 + 128)),16 set 0x6c33
		tcp dport 9443 @ih,$((off * 8)),$(( ${#name} * 4 )) 0x$name drop
		ct state established,related accept
		ip saddr 198.18.10.10 ip daddr 198.18.20.10 tcp dport { 443, 8443, 9443 } accept
	}
}
NFT
	done_with "$TLSRUN"
fi

if wanted tls-dpi; then
	lab tests/lab/tls.profile --site tests/lab/tls.site --firewall "$FIX/tls-dpi.nft"
	want '[.results[] | select(.tls != null) | .evidence] == ["tls-altered","tls-sni-altered","tls-blocked-after-syn"]' \
		"443 tls-altered, 8443 tls-sni-altered, 9443 tls-blocked-after-syn"
	keep tls-dpi "$DIR"; done_with "$DIR"; made+=(tls-dpi)
fi

if wanted redirect; then
	lab "$FIX/redirect.profile" --site "$FIX/redirect.site" --firewall "$FIX/redirect.nft"
	want '[.results[].evidence] == ["tls-reoriginated","tls-intact","answered"]' \
		"tls-reoriginated (clients -> server), tls-intact (clients -> mirror), answered (admins -> server)"
	keep redirect "$DIR"; done_with "$DIR"; made+=(redirect)
fi

if wanted interrupted || wanted resumed; then
	# One probe a second, stopped by SIGINT after one or two of the three
	# TLS probes were judged (the timing is retried a bounded number of
	# times, as in tests/lab/t_resume.sh); then resumed.  Both goldens
	# come from this one run, so asking for either remakes both.
	DIR=""
	for wait in 1.5 1.2 1.8 0.8 2.2 1.5; do
		ls -1 captures 2>/dev/null | sort >"$SCRATCH/before"
		echo "+ ruleproof lab tests/lab/tls.profile --site tests/lab/tls.site --rate 1   (SIGINT after ${wait}s of sending)"
		"$RP" lab tests/lab/tls.profile --site tests/lab/tls.site --rate 1 >"$SCRATCH/lab.out" 2>"$SCRATCH/lab.err" &
		pid=$!
		LABPIDS+=("$pid")
		for _ in $(seq 1 100); do [ -n "$(find captures -name 'tx-*.pcap' -newer "$SCRATCH/before" 2>/dev/null)" ] && break; sleep 0.1; done
		sleep "$wait"
		kill -INT "$pid"
		set +e; wait "$pid"; rc=$?; set -e
		LABPIDS=()
		d=captures/$(new_run "$SCRATCH/before")
		[ "$d" != captures/ ] || die "no run directory appeared in captures/"
		LABDIRS+=("$ROOT/$d")
		no_leftovers "$d"
		DIR=$d
		if [ "$rc" -eq 3 ] && [ -e "$d/interrupted.txt" ] &&
			[ "$(jq '[.results[] | select(.tls != null and .verdict != "inconclusive")] | length | . >= 1 and . < 3' "$d/report.json")" = true ]; then
			break
		fi
		echo "  (stopped at a poor moment: exit $rc; again)"
		done_with "$d"
		DIR=""
	done
	[ -n "$DIR" ] || die "could not interrupt the run between its TLS probes"
	want '.run.interrupted == true' "the report marked interrupted"
	keep interrupted "$DIR"
	echo "+ ruleproof lab --resume $DIR"
	set +e; "$RP" lab --resume "$DIR" >"$SCRATCH/lab.out" 2>"$SCRATCH/lab.err"; rc=$?; set -e
	[ "$rc" -eq 0 ] || { cat "$SCRATCH/lab.err" >&2; die "resume exited $rc"; }
	no_leftovers "$DIR"
	want '.run.interrupted == false and .summary.inconclusive == 0' "the resumed run complete"
	ls "$DIR"/tx-clients-r1.pcap "$DIR"/rx-server-r1.pcap >/dev/null || die "no resumed capture segments"
	keep resumed "$DIR"
	done_with "$DIR"
	made+=(interrupted resumed)
fi

if wanted lossy; then
	lab "$FIX/lossy.profile" --site "$FIX/lossy.site" --firewall "$FIX/lossy.nft"
	want '.summary.pass == 8 and ([.captures[] | .dropped + .if_dropped] | add) == 0' "all 8 pass, no capture dropped anything"
	keep lossy "$DIR"; done_with "$DIR"
	# HAND EDIT, on purpose (a real capture drop is hard to make): the
	# listener on server and the sender on admins are made to say that
	# their kernel dropped 3 packets.  Nothing else changes (not even
	# capture.received, which pcap counts apart).  See tests/runs/README.md.
	for f in "$RUNS/lossy/run/rx-server.json" "$RUNS/lossy/run/tx-admins.json"; do
		sed -i 's/"dropped": 0,/"dropped": 3,/' "$f"
		[ "$(jq '.capture.dropped' "$f")" = 3 ] || die "$f: the drop counter was not edited"
		echo "  HAND EDIT: $f: capture.dropped 0 -> 3"
	done
	made+=(lossy)
fi

if wanted demo; then
	# The README's demo, exactly as `make demo` runs it.
	ls -1 captures 2>/dev/null | sort >"$SCRATCH/before"
	echo "+ scripts/demo.sh   (ruleproof lab profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site --drift 3 --seed 4)"
	RP_DEMO_SEED=4 scripts/demo.sh >"$SCRATCH/lab.out" 2>"$SCRATCH/lab.err" || { cat "$SCRATCH/lab.err" >&2; die "demo failed"; }
	DIR=captures/$(new_run "$SCRATCH/before")
	[ "$DIR" != captures/ ] || die "no run directory appeared in captures/"
	LABDIRS+=("$ROOT/$DIR")
	no_leftovers "$DIR"
	want '.summary.fail == 5 and .summary.inconclusive == 0' "the demo's 5 failing probes, nothing inconclusive"
	keep demo "$DIR"; done_with "$DIR"; made+=(demo)
fi

echo "+ tests/runs/run.sh --update $RP ${made[*]}"
"$RUNS/run.sh" --update "$RP" "${made[@]}"
du -sh "$RUNS"
