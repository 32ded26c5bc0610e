#!/usr/bin/env bash
# TLS probes over IPv6 as over IPv4: with a dual-stack server every TLS port
# is probed at both addresses, the responder serves both, and the same-cert
# check compares the ports of each address on its own.
. "$(dirname "$0")/lib.sh"
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
finish
