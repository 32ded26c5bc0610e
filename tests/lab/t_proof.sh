#!/usr/bin/env bash
# quick
# Proof strength, and the replies that prove something on their own: one
# side alone through a firewall that normalises TTLs (a distance proves
# nothing there, and --require-proof says so), the host's own ICMP port
# unreachable (crossed, not closed), then both sides through a SYN proxy
# (answered by a middle box) and a one-way rule (the answer never returns).
. "$(dirname "$0")/lib.sh"
need jq socat ss sysctl
cd "$ROOT"
P=tests/lab/proof.profile
field() { jq -r --argjson n "$2" --arg p "$3" ".results[] | select(.port == \$n and .proto == \$p) | .$4" "$1/report.json"; }

# ---- one side only ----
split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/proof-onesided.nft || { bad "namespaces"; finish; exit 1; }
ip netns exec "$NS_DST" socat -u TCP-LISTEN:443,reuseaddr,fork /dev/null &
BGPIDS+=("$!")
for _ in $(seq 1 50); do ip netns exec "$NS_DST" ss -ltn | grep -q ':443 ' && break; sleep 0.1; done
"$RP" -q plan $P --site tests/lab/small.site -o "$SCRATCH/one.plan" --rate 100 --linger 300
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/one.plan" --out "$SCRATCH/one"
check "send exits 0, got $?" [ $? -eq 0 ]
"$RP" -q report --plan "$SCRATCH/one.plan" "$SCRATCH/one" >/dev/null
D=$SCRATCH/one
check "443: answered, proven by the handshake" \
	[ "$(field "$D" 443 tcp evidence)/$(field "$D" 443 tcp proof)" = answered/handshake ]
check "8443, reset by the firewall under one TTL: a host-reset by hop distance only" \
	[ "$(field "$D" 8443 tcp evidence)/$(field "$D" 8443 tcp proof)" = host-reset/hop-distance ]
check "udp/7777: the host's own port unreachable means crossed (host-refused, icmp), a pass" \
	[ "$(field "$D" 7777 udp evidence)/$(field "$D" 7777 udp proof)/$(field "$D" 7777 udp verdict)" = host-refused/icmp/pass ]
check "the detail says the host refused it" \
	grep -q "from server itself: the datagram crossed, the host refused it" <<<"$(field "$D" 7777 udp detail)"
check "report.json counts the passes that rest on hop distance" \
	[ "$(jq '.summary.pass_by_hop_distance' "$D/report.json")" = 1 ]
check "the summary line says so" grep -q "pass (1 by hop distance only)" "$D/report.txt"
check "report.csv has the proof column" grep -q ',hop-distance'$'\r''$' "$D/report.csv"
"$RP" -q report --require-proof --plan "$SCRATCH/one.plan" "$D" >/dev/null
rc=$?
check "--require-proof: no pass on a distance alone, exit 3, got $rc" [ "$rc" -eq 3 ]
check "--require-proof: 8443 and 22 inconclusive" \
	[ "$(field "$D" 8443 tcp verdict)/$(field "$D" 22 tcp verdict)" = inconclusive/inconclusive ]
check "--require-proof: the reason names it" grep -q -- "--require-proof asks for more" <<<"$(field "$D" 8443 tcp detail)"
check "--require-proof: the handshake still proves 443" [ "$(field "$D" 443 tcp verdict)" = pass ]
split_down

# ---- both sides ----
split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/proof-twosided.nft || { bad "namespaces"; finish; exit 1; }
ip netns exec "$NS_FW" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
"$RP" -q plan $P --site tests/lab/small.site -o "$SCRATCH/two.plan" --rate 100 --linger 300 --retries 0
split_listen "$SCRATCH/two.plan" "$SCRATCH/two"
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/two.plan" --out "$SCRATCH/two"
split_stop
"$RP" -q report --plan "$SCRATCH/two.plan" "$SCRATCH/two" >/dev/null
D=$SCRATCH/two
check "443 behind a SYN proxy: answered-by-middlebox, inconclusive (was: answered, pass)" \
	[ "$(field "$D" 443 tcp evidence)/$(field "$D" 443 tcp verdict)" = answered-by-middlebox/inconclusive ]
check "the detail names the middle box" grep -q "a middle box answered (SYN proxy?)" <<<"$(field "$D" 443 tcp detail)"
check "8443, a one-way rule: one-way, fail (was: arrived, pass)" \
	[ "$(field "$D" 8443 tcp evidence)/$(field "$D" 8443 tcp verdict)/$(field "$D" 8443 tcp proof)" = one-way/fail/two-sided ]
check "udp/7777 crossed, seen at the far side: two-sided" \
	[ "$(field "$D" 7777 udp verdict)/$(field "$D" 7777 udp proof)" = pass/two-sided ]
check "TLS 9443 behind the same SYN proxy: its handshake completed, the ClientHello crossed" \
	[ "$(field "$D" 9443 tcp evidence)/$(field "$D" 9443 tcp verdict)/$(field "$D" 9443 tcp proof)" = tls-intact/pass/two-sided ]
check "22 reset by the firewall, the far side live: two-sided" \
	[ "$(field "$D" 22 tcp evidence)/$(field "$D" 22 tcp proof)" = firewall-reset/two-sided ]
finish
