#!/usr/bin/env bash
# quick
# The sender's Ethernet path and its fallback to the raw IP socket.  With
# the gateway's MAC not yet known, the first probe goes the raw IP way (its
# ARP resolves the gateway) and later ones as frames; with a gateway that
# never answers ARP, none may leave as a frame (no guessed MAC).  Either
# way the sender's own capture holds every probe that left.
. "$(dirname "$0")/lib.sh"
need jq tshark
cd "$ROOT"

split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/evidence.nft || { bad "namespaces"; finish; exit 1; }
"$RP" -q plan tests/lab/small.profile --site tests/lab/small.site \
	-o "$SCRATCH/run.plan" --rate 200 --linger 300 --retries 3 || bad "plan"

# "ETH IP" from a sender's log.
paths_of() {
	sed -n 's/.*sent \([0-9]*\) as Ethernet frames on eth0, \([0-9]*\) on the raw IP socket.*/\1 \2/p' "$1"
}
# SYNs from the sender in its own capture: TCP segments from its address
# whose flags are SYN alone, as tcpdump's "src host 198.18.10.10 and
# tcp[tcpflags] == tcp-syn" counted them: the outer headers only, so not the
# SYNs that ICMP errors quote (tshark dissects those too).  Nothing (no
# number, so the check fails) when tshark fails; a file it reads as
# something else holds no SYN, and the count fails the check as well.
syns_in() {
	local frames
	frames=$(tshark -n -r "$1" -Y "ip.src == 198.18.10.10 && tcp.flags == 0x002 && !icmp" \
		-T fields -e frame.number 2>/dev/null) || return 1
	grep -c . <<<"$frames"
}

check "the gateway's MAC is not known before sending" \
	[ -z "$(ip -n "$NS_SRC" neigh show 198.19.255.254 | grep -v FAILED)" ]
split_listen "$SCRATCH/run.plan" "$SCRATCH/a"
ip netns exec "$NS_SRC" "$RP" send --plan "$SCRATCH/run.plan" --out "$SCRATCH/a" 2>"$SCRATCH/a.err"
rc=$?
split_stop
check "send exits 0, got $rc" [ "$rc" -eq 0 ]
read -r eth ip < <(paths_of "$SCRATCH/a.err")
sent=$(jq '.sent' "$SCRATCH/a/tx-clients.json")
check "the first probe took the raw IP socket (got ${ip:-none})" [ "${ip:-0}" -ge 1 ]
check "once ARP resolved, probes left as Ethernet frames (got ${eth:-none})" [ "${eth:-0}" -ge 1 ]
syns=$(syns_in "$SCRATCH/a/tx-clients.pcap")
check "the sender's capture holds every probe it sent: $syns SYNs, $((eth + ip)) sent" \
	[ "$syns" -eq $((eth + ip)) -a "$syns" -ge "$sent" ]
"$RP" -q correlate --plan "$SCRATCH/run.plan" "$SCRATCH/a" >/dev/null
rc=$?
check "probes of both paths are judged alike: all pass (exit 0), got $rc" [ "$rc" -eq 0 ]

# A gateway that never answers ARP: nothing may leave as a frame.
ip -n "$NS_FW" link set h0 arp off
ip -n "$NS_SRC" neigh flush dev eth0
mkdir -p "$SCRATCH/b"
ip netns exec "$NS_SRC" "$RP" send --plan "$SCRATCH/run.plan" --out "$SCRATCH/b" 2>"$SCRATCH/b.err"
read -r eth ip < <(paths_of "$SCRATCH/b.err")
check "unresolved gateway: no Ethernet frames (got ${eth:-none})" [ "${eth:-x}" = 0 ]
check "unresolved gateway: every probe handed to the raw IP socket (got ${ip:-none})" \
	[ "${ip:-0}" -ge "$(jq '.sent' "$SCRATCH/b/tx-clients.json")" -a "${ip:-0}" -gt 0 ]
check "unresolved gateway: no send errors" [ "$(jq '.send_errors' "$SCRATCH/b/tx-clients.json")" = 0 ]
finish
