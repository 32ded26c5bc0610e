#!/usr/bin/env bash
# The certificate checks, on certificates made here with the openssl CLI:
# the listener's responder serves a CA-signed certificate on 443 (given with
# --tls-cert/--tls-key), and real TLS services started by this test
# (openssl s_server, ended by PID) hold 8443-8447, which the responder leaves
# to them: a wildcard, a wrong name, an expired certificate, and a
# self-signed one checked against its SPKI pin and against a wrong pin.  443
# and 8443 present different certificates, so 443's same-cert fails.  Then
# `lab --tls-cert/--tls-key` has the lab's responders serve the CA-signed one.
. "$(dirname "$0")/lib.sh"
need jq openssl ss
cd "$ROOT"

C=$SCRATCH/certs
mkdir -p "$C"
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/$1.key" -out "$C/$1.csr" -subj "/CN=$2" 2>/dev/null; }
sign() {   # name days san
	key "$1" "$3"
	openssl x509 -req -in "$C/$1.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days "$2" \
		-out "$C/$1.pem" -extfile <(printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3") 2>/dev/null
}
pin() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" \
	-days 30 -subj "/CN=Lab Test CA" 2>/dev/null
sign good 90 portal.lab.example
sign wild 90 '*.lab.example'
sign wrong 90 other.example
sign expired -1 portal.lab.example
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/self.key" -out "$C/self.pem" \
	-days 90 -subj "/CN=portal.lab.example" -addext subjectAltName=DNS:portal.lab.example 2>/dev/null
check "test certificates made" [ -s "$C/good.pem" -a -s "$C/expired.pem" -a -s "$C/self.pem" ]
SELFPIN=$(pin "$C/self.pem")
GOODPIN=$(pin "$C/good.pem")

cat >"$SCRATCH/cert.profile" <<PROF
profile "lab test: certificate checks"
zone clients "client network"
role server  "a server behind the firewall"
open clients -> server : tcp/443 tls cert (san, not-expired 30d, trusted, issuer "Lab Test CA", same-cert)
open clients -> server : tcp/8443 tls cert (san, trusted)
open clients -> server : tcp/8444 tls cert (san)
open clients -> server : tcp/8445 tls cert (not-expired)
open clients -> server : tcp/8446 tls cert (pin "$SELFPIN")
open clients -> server : tcp/8447 tls cert (pin "$GOODPIN")
PROF
cat >"$SCRATCH/fw.nft" <<'NFT'
table inet labtest {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 198.18.10.10 ip daddr 198.18.20.10 tcp dport { 443, 8443-8447 } accept
	}
}
NFT
split_net 198.18.10.10 198.18.20.10 "$SCRATCH/fw.nft" || { bad "namespaces"; finish; exit 1; }
serve() {   # port cert
	ip netns exec "$NS_DST" openssl s_server -accept "198.18.20.10:$1" -cert "$C/$2.pem" -key "$C/$2.key" \
		-www -quiet >/dev/null 2>&1 &
	BGPIDS+=("$!")
}
serve 8443 wild; serve 8444 wrong; serve 8445 expired; serve 8446 self; serve 8447 self
for _ in $(seq 1 50); do [ "$(ip netns exec "$NS_DST" ss -ltnH | grep -c ':844[3-7] ')" = 5 ] && break; sleep 0.1; done
check "five real TLS services listening" [ "$(ip netns exec "$NS_DST" ss -ltnH | grep -c ':844[3-7] ')" = 5 ]

"$RP" -q plan "$SCRATCH/cert.profile" --site tests/lab/tls.site -o "$SCRATCH/run.plan" --rate 200 --linger 300
caps=$SCRATCH/caps
ip netns exec "$NS_DST" "$RP" listen --plan "$SCRATCH/run.plan" --out "$caps" \
	--tls-cert "$C/good.pem" --tls-key "$C/good.key" 2>"$SCRATCH/listen.err" &
lpid=$!
BGPIDS+=("$lpid")
for _ in $(seq 1 50); do grep -q "listening on" "$SCRATCH/listen.err" && break; sleep 0.1; done
sleep 0.3
check "the responder says which ports it left to their services" \
	grep -q "not serving: .*198.18.20.10:8443 (in use: left to its service)" "$SCRATCH/listen.err"
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$caps"
check "send exits 0, got $?" [ $? -eq 0 ]
sleep 0.3
kill -INT "$lpid"
wait "$lpid"
check "listen exits 0, got $?" [ $? -eq 0 ]
"$RP" -q report --plan "$SCRATCH/run.plan" --ca "$C/ca.pem" "$caps" >"$SCRATCH/report.txt"
rc=$?
check "some certificate fails its checks: exit 1, got $rc" [ "$rc" -eq 1 ]
R=$caps/report.json
res() { jq -r --argjson n "$1" ".results[] | select(.port == \$n) | $2" "$R"; }
chk() { res "$1" "[.tls.checks[] | .check + \":\" + .verdict] | join(\",\")"; }
for p in 443 8443 8444 8445 8446 8447; do
	check "$p: the ClientHello arrived intact" [ "$(res $p .evidence)" = tls-intact ]
done
check "443 (valid SAN, CA-signed): san, not-expired, trusted, issuer pass; same-cert fails" \
	[ "$(chk 443)" = "san:pass,not-expired:pass,issuer:pass,trusted:pass,same-cert:fail,inside:pass" ]
check "443: verdict fail, and the detail says why" \
	bash -c "[ '$(res 443 .verdict)' = fail ] && grep -q 'certificate same-cert FAIL' <<<'$(res 443 .detail)'"
check "443 and 8443 present different certificates" \
	[ "$(jq '.tls_endpoints[0].same_cert' "$R")" = false ]
check "8443 (wildcard *.lab.example): san and trusted pass" [ "$(chk 8443)" = "san:pass,trusted:pass,inside:pass" ]
check "8443: the service's chain seen from inside is the one seen through the firewall" \
	[ "$(res 8443 .tls.inside_chain_matches)" = true ]
check "8444 (wrong name): san fails" [ "$(res 8444 '[.verdict, (.tls.checks[] | select(.check == "san") | .verdict)] | join(" ")')" = "fail fail" ]
check "8445 (expired): not-expired fails" [ "$(res 8445 '[.verdict, (.tls.checks[] | select(.check == "not-expired") | .verdict)] | join(" ")')" = "fail fail" ]
check "8445: days left is negative" [ "$(res 8445 .tls.certificate.days_left)" -lt 0 ]
check "8446 (self-signed, its own SPKI pin): pin passes" [ "$(res 8446 '[.verdict, (.tls.checks[] | select(.check == "pin") | .verdict)] | join(" ")')" = "pass pass" ]
check "8446: the pin in the report is the one openssl computes" [ "$(res 8446 .tls.certificate.pin)" = "$SELFPIN" ]
check "8447 (self-signed, another key's pin): pin fails" [ "$(res 8447 '[.verdict, (.tls.checks[] | select(.check == "pin") | .verdict)] | join(" ")')" = "fail fail" ]
check "the SHA-1 thumbprint is openssl's fingerprint, as Windows shows it" \
	[ "$(res 443 .tls.certificate.sha1)" = "$(openssl x509 -in "$C/good.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')" ]
check "the listener recorded the services' ports as in use, with their chains" \
	[ "$(jq -c '[.ports[] | [.port, .state, (.chain | length)]]' "$caps/tls-rx-server.json")" = '[[443,"served",1],[8443,"in-use",1],[8444,"in-use",1],[8445,"in-use",1],[8446,"in-use",1],[8447,"in-use",1]]' ]
check "the text report shows the checks" grep -q "same-cert FAIL" "$SCRATCH/report.txt"

# lab --tls-cert/--tls-key: the lab's responders serve the given
# certificate on every TLS port instead of making their own.
lab "$SCRATCH/labcert" tests/lab/tls.profile --site tests/lab/tls.site --tls-cert "$C/good.pem" --tls-key "$C/good.key"
check "lab --tls-cert: all pass (exit 0), got $RC" [ "$RC" -eq 0 ]
GOODSHA1=$(openssl x509 -in "$C/good.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
check "lab --tls-cert: every TLS port presented that certificate (SHA-1 $GOODSHA1), a chain of one" \
	[ "$(jq -c '[.results[] | select(.tls) | [.tls.certificate.sha1, .tls.certificate.chain_length, .tls.certificate.issuer]] | unique' "$DIR/report.json")" = "[[\"$GOODSHA1\",1,\"CN=Lab Test CA\"]]" ]
check "lab --tls-cert: tls_endpoints lists it on each port" \
	[ "$(jq -c '[.tls_endpoints[].ports[].sha1] | unique' "$DIR/report.json")" = "[\"$GOODSHA1\"]" ]
check "lab --tls-cert: the listener's log names the file and served every port" \
	[ "$(jq -c '[.certificate, ([.ports[].state] | unique)]' "$DIR/tls-rx-server.json")" = "[\"$C/good.pem\",[\"served\"]]" ]
check "no namespace left behind" no_leftovers "$DIR"
"$RP" -q lab tests/lab/tls.profile --site tests/lab/tls.site --tls-cert "$C/good.pem" >/dev/null 2>"$SCRATCH/lone.err"
rc=$?
check "lab --tls-cert without --tls-key: exit 2, got $rc, saying why" \
	bash -c "[ $rc -eq 2 ] && grep -q -- '--tls-cert and --tls-key go together' '$SCRATCH/lone.err'"
"$RP" -q lab tests/lab/tls.profile --site tests/lab/tls.site --tls-cert "$C/good.pem" --tls-key "$C/none.key" \
	--out "$SCRATCH/nokey" >/dev/null 2>"$SCRATCH/nokey.err"
rc=$?
check "lab --tls-key that cannot be read: exit 2 before any run, got $rc" \
	bash -c "[ $rc -eq 2 ] && grep -q -- '--tls-key $C/none.key: No such file' '$SCRATCH/nokey.err' && [ -z \"\$(ls '$SCRATCH/nokey' 2>/dev/null)\" ]"
finish
