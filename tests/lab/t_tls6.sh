#!/usr/bin/env bash
# TLS probes over IPv6 as over IPv4: with a dual-stack server every TLS port
# is probed at both addresses, the responder serves both, and the same-cert
# check compares the ports of each address on its own.  And tls_endpoints
# lists a port two sources probe once, also when the first source's probe
# got no certificate (the firewall stops it) and the second's did.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"

lab "$SCRATCH/runs" tests/lab/tls.profile --site tests/lab/tls6.site
check "all pass (exit 0), got $RC" [ "$RC" -eq 0 ]
check "six TLS probes, all tls-intact" \
	[ "$(jq -c '[.results[] | select(.tls) | .evidence] | unique + [length]' "$DIR/report.json")" = '["tls-intact",6]' ]
check "the IPv6 ones went to the server's IPv6 address" \
	[ "$(jq '[.results[] | select(.tls and .dst == "2001:db8:20::10")] | length' "$DIR/report.json")" = 3 ]
check "the sender's log has IPv6 tries from its IPv6 address" \
	[ "$(jq '[.tries[] | select(.src == "2001:db8:10::10")] | length' "$DIR/tls-clients.json")" -ge 3 ]
check "one tls_endpoints entry per address, each with the same certificate on its ports" \
	[ "$(jq -c '[.tls_endpoints[] | [.address, .same_cert]]' "$DIR/report.json")" = '[["198.18.20.10",true],["2001:db8:20::10",true]]' ]
check "no foreign packets" [ "$(jq '.summary.foreign_packets' "$DIR/report.json")" = 0 ]
check "no namespace left behind" no_leftovers "$DIR"

cat >"$SCRATCH/two.profile" <<'EOF2'
profile "lab test: one TLS port, two sources"
zone guests  "guest network"
zone clients "client network"
role server  "a server behind the firewall"
service portal = tcp/443 tls
closed guests  -> server : portal
open   clients -> server : portal
EOF2
cat >"$SCRATCH/two.site" <<'EOF2'
site "lab test site: two sources"
host guests  198.18.11.10
host clients 198.18.10.10
host server  198.18.20.10 fqdn "portal.lab.example"
EOF2
lab "$SCRATCH/two" "$SCRATCH/two.profile" --site "$SCRATCH/two.site"
check "two sources: all pass (exit 0), got $RC" [ "$RC" -eq 0 ]
check "two sources: guests' probe stopped, clients' probe got the certificate" \
	[ "$(jq -c '[.results[] | [.from, .observed, (.tls.certificate != null)]]' "$DIR/report.json")" = '[["guests","closed",false],["clients","open",true]]' ]
check "two sources: tls_endpoints lists server 198.18.20.10 tcp/443 once, with the certificate" \
	[ "$(jq -c '[.tls_endpoints[] | [.endpoint, .address, [.ports[] | [.port, (.sha1 != null)]]]]' "$DIR/report.json")" = '[["server","198.18.20.10",[[443,true]]]]' ]
check "no namespace left behind" no_leftovers "$DIR"
finish
