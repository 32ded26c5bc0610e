#!/usr/bin/env bash
# quick
# TLS through DNAT (public -> internal address) and source NAT with port
# translation: the SYN arrives with its keyed source port rewritten, so the
# far side tells the probe by the ClientHello's client random, which the
# sender logged; the responder, whose planned address is the public one,
# listens on every address of the host.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

cat >"$SCRATCH/nat.profile" <<'PROF'
profile "lab test: TLS through NAT"
zone clients "client network"
role server  "a server behind the firewall"
open   clients -> server : tcp/443 tls sni "portal.lab.example" cert (san)
closed clients -> server : tcp/22
PROF
split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/nat.nft || { bad "namespaces"; finish; exit 1; }
"$RP" -q plan "$SCRATCH/nat.profile" --site tests/lab/nat.site -o "$SCRATCH/run.plan" --rate 200 --linger 300
caps=$SCRATCH/caps
split_listen "$SCRATCH/run.plan" "$caps" --as server --iface eth0
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$caps"
check "send exits 0, got $?" [ $? -eq 0 ]
split_stop
"$RP" -q report --plan "$SCRATCH/run.plan" "$caps" >/dev/null
rc=$?
check "through DNAT and PAT: all pass (exit 0), got $rc" [ "$rc" -eq 0 ]
R=$caps/report.json
res() { jq -r --argjson n "$1" ".results[] | select(.port == \$n) | $2" "$R"; }
check "443: tls-intact" [ "$(res 443 .evidence)" = tls-intact ]
check "443: the SYN arrived translated to the internal address, from the firewall's port range" \
	grep -Eq "translated: 198.18.10.10:[0-9]+ -> 198.18.100.10:443 arrived as 198.19.255.254:2[0-9]{4} -> 198.18.20.10:443" \
	<<<"$(res 443 .detail)"
check "443: the source port the far side saw is not the keyed one" \
	[ "$(res 443 '.translation.arrived.sport != .sport')" = true ]
check "443: the ClientHello was told by its client random" \
	[ "$(res 443 '[.tls.hello_arrived, .tls.sni_arrived] | map(tostring) | join(" ")')" = "true portal.lab.example" ]
check "443: the certificate covers the SNI (san)" [ "$(res 443 '.tls.checks[0].verdict')" = pass ]
check "the responder listened on every address (its planned address is translated)" \
	[ "$(jq -r '.ports[0] | .bound + " " + .state' "$caps/tls-rx-server.json")" = "0.0.0.0 served" ]
check "22: the firewall's reset" [ "$(res 22 .evidence)" = firewall-reset ]
check "no foreign packets" [ "$(jq '.summary.foreign_packets' "$R")" = 0 ]
finish
