#!/usr/bin/env bash
# An intercepting middlebox: the firewall namespace redirects the clients'
# TLS to a TLS proxy of its own (socat, started by this test and ended by
# PID), which completes the client's handshake with its own certificate and
# opens its own TLS to the server.  The server sees a ClientHello with a
# random the sender never sent: tls-reoriginated; and the chain the sender
# got is not the one the listener serves (the inside check fails).
. "$(dirname "$0")/lib.sh"
need jq openssl socat ss
cd "$ROOT"

C=$SCRATCH/certs
mkdir -p "$C"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/proxy.key" -out "$C/proxy.pem" \
	-days 30 -subj "/CN=Intercepting Proxy" -addext subjectAltName=DNS:portal.lab.example 2>/dev/null
cat >"$SCRATCH/mitm.profile" <<'PROF'
profile "lab test: TLS interception"
zone clients "client network"
role server  "a server behind the firewall"
open clients -> server : tcp/443 tls cert (san)
PROF
cat >"$SCRATCH/fw.nft" <<'NFT'
table ip mitm {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		ip saddr 198.18.10.10 ip daddr 198.18.20.10 tcp dport 443 redirect to :4443
	}
}
table inet labtest {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
	}
}
NFT
split_net 198.18.10.10 198.18.20.10 "$SCRATCH/fw.nft" || { bad "namespaces"; finish; exit 1; }
ip netns exec "$NS_FW" socat OPENSSL-LISTEN:4443,reuseaddr,fork,cert="$C/proxy.pem",key="$C/proxy.key",verify=0 \
	OPENSSL:198.18.20.10:443,verify=0,snihost=portal.lab.example >/dev/null 2>&1 &
BGPIDS+=("$!")
for _ in $(seq 1 50); do ip netns exec "$NS_FW" ss -ltnH | grep -q ':4443 ' && break; sleep 0.1; done
"$RP" -q plan "$SCRATCH/mitm.profile" --site tests/lab/tls.site -o "$SCRATCH/run.plan" --rate 200 --linger 300
caps=$SCRATCH/caps
split_listen "$SCRATCH/run.plan" "$caps"
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$caps"
check "send exits 0, got $?" [ $? -eq 0 ]
split_stop 0.5
"$RP" -q report --plan "$SCRATCH/run.plan" "$caps" >"$SCRATCH/report.txt"
rc=$?
R=$caps/report.json
res() { jq -r --argjson n "$1" ".results[] | select(.port == \$n) | $2" "$R"; }
check "the interception fails the rule (exit 1), got $rc" [ "$rc" -eq 1 ]
check "443: tls-reoriginated" [ "$(res 443 .evidence)" = tls-reoriginated ]
check "443: the reason names the foreign ClientHello" \
	grep -q "a ClientHello with a client random we never sent (SNI 'portal.lab.example') reached it on port 443" \
	<<<"$(res 443 .detail)"
check "443: the sender's handshake completed, with the proxy's certificate" \
	[ "$(res 443 '.tls.outcome + " " + .tls.certificate.subject')" = "handshake CN=Intercepting Proxy" ]
check "443: the chain is unlike the one seen from inside (inside check fails)" \
	[ "$(res 443 '[.tls.inside_chain_matches, (.tls.checks[] | select(.check == "inside") | .verdict)] | map(tostring) | join(" ")')" = "false fail" ]
finish
