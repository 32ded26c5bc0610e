#!/usr/bin/env bash
# quick
# TLS probes through the lab: over a completed TCP handshake to the
# listener's responder the ClientHello arrives intact (same random, SNI and
# JA4 as sent) and both ports present the one test certificate; then a
# firewall that lets every SYN through but drops the ClientHello whose
# server name is blocked.example (an nftables payload match at the name's
# offset, measured in the first run's capture) is reported as blocked after
# the SYN, with its reason; and a firewall that rewrites the server name in
# the ClientHello on 8443 (an nftables payload set) is reported as SNI
# altered, one that rewrites a cipher suite on 9443 as altered.
. "$(dirname "$0")/lib.sh"
need jq tshark
cd "$ROOT"

res() { jq -r --argjson n "$2" ".results[] | select(.port == \$n) | $3" "$1/report.json"; }

lab "$SCRATCH/open" tests/lab/tls.profile --site tests/lab/tls.site
check "compiled ruleset: all pass (exit 0), got $RC" [ "$RC" -eq 0 ]
for p in 443 8443 9443; do
	check "$p: tls-intact" [ "$(res "$DIR" $p .evidence)" = tls-intact ]
	check "$p: the ClientHello arrived with the SNI and JA4 sent" \
		[ "$(res "$DIR" $p '[.tls.sni_sent == .tls.sni_arrived, .tls.ja4_sent == .tls.ja4_arrived, .tls.hello_arrived] | all')" = true ]
done
check "443: the SNI is the server's fqdn from the site" [ "$(res "$DIR" 443 .tls.sni_sent)" = portal.lab.example ]
check "9443: the SNI is the rule's own" [ "$(res "$DIR" 9443 .tls.sni_arrived)" = blocked.example ]
check "443: handshake done over TLS 1.3" [ "$(res "$DIR" 443 '.tls.outcome + " " + .tls.version')" = "handshake TLSv1.3" ]
check "443: its client random is the one the sender logged" \
	[ "$(res "$DIR" 443 .tls.client_random)" = "$(jq -r '.tries[] | select(.port == 443) | .client_random' "$DIR/tls-clients.json" | head -1)" ]
frame=$(res "$DIR" 443 .tls.hello_frame)
check "443: rx-server.pcap frame $frame is that ClientHello" \
	[ "$(tshark -r "$DIR/rx-server.pcap" -Y "frame.number == $frame && tls.handshake.type == 1" -T fields -e tls.handshake.extensions_server_name 2>/dev/null)" = portal.lab.example ]
check "443: certificate checks pass (san, not-expired, same-cert, inside)" \
	[ "$(res "$DIR" 443 '[.tls.checks[] | .check + ":" + .verdict] | join(",")')" = "san:pass,not-expired:pass,same-cert:pass,inside:pass" ]
check "443 and 8443 present the same certificate" [ "$(jq '.tls_endpoints[0].same_cert' "$DIR/report.json")" = true ]
check "the generated test certificate lives 90 days: far from the not-expired default of 30" \
	[ "$(res "$DIR" 443 .tls.certificate.days_left)" -ge 89 ]
check "the SHA-1 thumbprint is 40 uppercase hex digits" \
	grep -Eq '^[0-9A-F]{40}$' <<<"$(res "$DIR" 443 .tls.certificate.sha1)"
check "the responder served every planned TLS port with its test certificate" \
	[ "$(jq -c '[.certificate, [.ports[] | .state]]' "$DIR/tls-rx-server.json")" = '["generated test certificate",["served","served","served"]]' ]
check "22: silent-drop" [ "$(res "$DIR" 22 .evidence)" = silent-drop ]
check "no foreign packets" [ "$(jq '.summary.foreign_packets' "$DIR/report.json")" = 0 ]
check "report.txt has the TLS section" grep -q "tcp/443, tcp/8443, tcp/9443 present the same certificate" "$DIR/report.txt"
check "no namespace left behind" no_leftovers "$DIR"

# Where the server name lies in our ClientHello, from the capture: the
# transport payload offset nftables' @ih counts from.
hello=$(tshark -r "$DIR/tx-clients.pcap" -Y "tls.handshake.type == 1 && tcp.dstport == 9443" -T fields -e tcp.payload 2>/dev/null | head -1)
name=$(printf 'blocked.example' | od -An -tx1 | tr -d ' \n')
off=$(( $(awk -v h="$hello" -v n="$name" 'BEGIN { print index(h, n) - 1 }') / 2 ))
check "the server name found in the captured ClientHello (byte $off)" [ "$off" -gt 40 ]
cat >"$SCRATCH/sni.nft" <<NFT
table inet labtest {
	chain forward {
		type filter hook forward priority filter; policy drop;
		tcp dport 9443 @ih,$((off * 8)),$(( ${#name} * 4 )) 0x$name drop
		ct state established,related accept
		ip saddr 198.18.10.10 ip daddr 198.18.20.10 tcp dport { 443, 8443, 9443 } accept
	}
}
NFT
lab "$SCRATCH/sni" tests/lab/tls.profile --site tests/lab/tls.site --firewall "$SCRATCH/sni.nft"
check "SNI filter: a rule fails (exit 1), got $RC" [ "$RC" -eq 1 ]
check "9443: tls-blocked-after-syn, observed closed, verdict fail" \
	[ "$(res "$DIR" 9443 '[.evidence, .observed, .verdict] | join(" ")')" = "tls-blocked-after-syn closed fail" ]
check "9443: the reason says the SYN crossed and the ClientHello did not" \
	grep -q "the SYN crossed (it arrived) but the ClientHello (SNI 'blocked.example') never reached server (capture live, lossless)" \
	<<<"$(res "$DIR" 9443 .detail)"
check "9443: the SYN did arrive at the far side" [ "$(res "$DIR" 9443 .arrivals)" -ge 1 ]
check "9443: no ClientHello for it in the far side's capture" \
	[ "$(tshark -r "$DIR/rx-server.pcap" -Y 'tls.handshake.type == 1 && tcp.dstport == 9443' 2>/dev/null | wc -l)" = 0 ]
check "9443: the sender's handshake timed out" [ "$(res "$DIR" 9443 .tls.outcome)" = timeout ]
check "443 and 8443 still tls-intact" [ "$(res "$DIR" 443 .evidence) $(res "$DIR" 8443 .evidence)" = "tls-intact tls-intact" ]
check "the text report says blocked after the SYN" grep -q "tls-blocked-after-syn" "$DIR/report.txt"
check "no namespace left behind" no_leftovers "$DIR"

# The same offset holds portal.lab.example in the ClientHellos to 8443:
# its last two bytes are rewritten on the way ("le" -> "l3").  And the
# first cipher suite offered to 9443 (TLS_AES_128_GCM_SHA256, after the
# record and handshake headers, version, random and 32-byte session id) is
# rewritten, leaving the SNI alone.
cs=$((5 + 4 + 2 + 32 + 1 + 32 + 2))
check "the first cipher suite offered is 0x1301 at byte $cs" [ "${hello:$((cs * 2)):4}" = 1301 ]
full=$(printf 'portal.lab.example' | od -An -tx1 | tr -d ' \n')
cat >"$SCRATCH/alter.nft" <<NFT
table inet labtest {
	chain forward {
		type filter hook forward priority filter; policy drop;
		tcp dport 8443 @ih,$((off * 8)),128 0x${full:0:32} @ih,$((off * 8 + 128)),16 0x${full:32:4} @ih,$((off * 8 + 128)),16 set 0x6c33
		tcp dport 9443 @ih,$((cs * 8)),16 0x1301 @ih,$((cs * 8)),16 set 0x1303
		ct state established,related accept
		ip saddr 198.18.10.10 ip daddr 198.18.20.10 tcp dport { 443, 8443, 9443 } accept
	}
}
NFT
lab "$SCRATCH/alter" tests/lab/tls.profile --site tests/lab/tls.site --firewall "$SCRATCH/alter.nft"
check "SNI rewritten: a rule fails (exit 1), got $RC" [ "$RC" -eq 1 ]
check "8443: tls-sni-altered" [ "$(res "$DIR" 8443 .evidence)" = tls-sni-altered ]
check "8443: the reason shows both names" \
	grep -q "ClientHello arrived at server with SNI 'portal.lab.exampl3', sent as 'portal.lab.example' (same client random): a middlebox rewrote it" \
	<<<"$(res "$DIR" 8443 .detail)"
check "8443: the handshake broke (the transcript no longer matches)" [ "$(res "$DIR" 8443 .tls.outcome)" = alert ]
check "9443: a cipher rewritten, same random and SNI: tls-altered" [ "$(res "$DIR" 9443 .evidence)" = tls-altered ]
check "9443: the reason shows both JA4s" grep -q "ClientHello arrived at server with JA4 .*, sent as t13d100900_" <<<"$(res "$DIR" 9443 .detail)"
check "443 untouched: tls-intact" [ "$(res "$DIR" 443 .evidence)" = tls-intact ]
check "no namespace left behind" no_leftovers "$DIR"
finish
