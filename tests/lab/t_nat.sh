#!/usr/bin/env bash
# quick
# Through DNAT (public -> internal address) and source NAT with port
# translation, every probe is still joined to its id, gets the verdict it
# should, and the report shows how it was translated.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/nat.nft || { bad "namespaces"; finish; exit 1; }
"$RP" -q plan tests/lab/small.profile --site tests/lab/nat.site -o "$SCRATCH/run.plan" --rate 200 --linger 300
caps=$SCRATCH/caps
# The far side's own address is the internal one: it says which endpoint it is.
split_listen "$SCRATCH/run.plan" "$caps" --as server --iface eth0
check "listener runs as nobody once started" \
	grep -q "^Uid:[[:space:]]*65534" /proc/$LPID/status
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$caps"
check "send exits 0, got $?" [ $? -eq 0 ]
split_stop
"$RP" -q report --plan "$SCRATCH/run.plan" "$caps" >/dev/null
rc=$?
check "through DNAT and PAT: all pass (exit 0), got $rc" [ "$rc" -eq 0 ]
d443=$(jq -r '.results[] | select(.port == 443) | .detail' "$caps/report.json")
check "443 crossed and is shown as translated: $d443" \
	grep -Eq "host-reset|SYN arrived at server; RST from 198.18.100.10 .*translated: 198.18.10.10:[0-9]+ -> 198.18.100.10:443 arrived as 198.19.255.254:2[0-9]{4} -> 198.18.20.10:443" <<<"$d443"
check "report.json records the translation" \
	[ "$(jq -r '.results[] | select(.port == 443) | "\(.translation.arrived.src) \(.translation.arrived.dst) \(.translation.arrived.dport)"' "$caps/report.json")" = "198.19.255.254 198.18.20.10 443" ]
check "report.json counts tries and arrivals" \
	[ "$(jq -c '.results[] | select(.port == 443) | [.tries, .arrivals]' "$caps/report.json")" = "[1,1]" ]
check "22: the firewall's reset" [ "$(jq -r '.results[] | select(.port == 22) | .evidence' "$caps/report.json")" = firewall-reset ]
check "3389: ICMP admin prohibited" [ "$(jq -r '.results[] | select(.port == 3389) | .evidence' "$caps/report.json")" = icmp-unreachable ]
check "no foreign packets" [ "$(jq '.summary.foreign_packets' "$caps/report.json")" = 0 ]
finish
