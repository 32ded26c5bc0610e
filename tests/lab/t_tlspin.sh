#!/usr/bin/env bash
# quick
# `ruleproof tls-pin` prints the SPKI pin of seed 000's
# device.security.ssl.b64pubkeys: equal to the openssl pipeline for RSA and
# EC keys, from PEM, DER and chain files; -v adds the SHA-1 thumbprint as
# Windows shows it and the SHA-256; bad input gets exit 2 and a reason.  No
# network: certificates are made here with the openssl CLI.
. "$(dirname "$0")/lib.sh"
need openssl
cd "$SCRATCH" || exit 1

# The reference: the pipeline of issue 5, independent of ruleproof.
ref_pin() { openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der |
	openssl dgst -sha256 -binary | base64; }
# A fingerprint as Windows shows it: uppercase hex, no separators.
ref_fp() { openssl x509 -noout -fingerprint "-$2" -in "$1" | sed 's/.*=//; s/://g'; }

selfsigned() {   # NAME KEYALG...
	local n=$1; shift
	openssl req -x509 -newkey "$@" -nodes -keyout "$n.key" -out "$n.pem" -days 30 \
		-subj "/CN=$n.assist.example" -addext "subjectAltName=DNS:$n.assist.example" 2>/dev/null
}

selfsigned rsa2048 rsa:2048
selfsigned rsa3072 rsa:3072
selfsigned ecp256 ec -pkeyopt ec_paramgen_curve:P-256
selfsigned ecp384 ec -pkeyopt ec_paramgen_curve:P-384
selfsigned ed25519 ed25519
for n in rsa2048 rsa3072 ecp256 ecp384 ed25519; do
	[ -s $n.pem ] || { bad "openssl made $n.pem"; continue; }
	got=$("$RP" tls-pin $n.pem)
	want=$(ref_pin $n.pem)
	check "$n: pin $got equals the openssl pipeline's $want" [ -n "$want" -a "$got" = "$want" ]
done

# The pin hashes the public key, not the certificate: a second certificate
# on the same key has the same pin and another thumbprint.
openssl req -x509 -key rsa2048.key -out renewed.pem -days 60 -subj "/CN=renewed.assist.example" 2>/dev/null
check "a renewed certificate on the same key keeps the pin" \
	[ "$("$RP" tls-pin renewed.pem)" = "$("$RP" tls-pin rsa2048.pem)" ]
check "... and its whole-certificate hash differs from the pin" \
	[ "$(openssl x509 -outform der -in renewed.pem | openssl dgst -sha256 -binary | base64)" != \
	  "$("$RP" tls-pin renewed.pem)" ]

# A chain file: a CA and a leaf it signed, leaf first, as servers send it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
	-days 365 -subj "/CN=Lab Root CA" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=rm01.assist.example" 2>/dev/null
printf 'subjectAltName=DNS:rm01.assist.example\n' >leaf.ext
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
	-extfile leaf.ext -out leaf.pem 2>/dev/null
cat leaf.pem ca.pem >chain.pem
check "a chain file: the pin of its first certificate (the leaf)" \
	[ "$("$RP" tls-pin chain.pem)" = "$(ref_pin leaf.pem)" ]
out=$("$RP" tls-pin -v chain.pem)
check "-v: the first line is still the pin" [ "$(head -n 1 <<<"$out")" = "$(ref_pin leaf.pem)" ]
check "-v: the SHA-1 thumbprint as Windows shows it (40 uppercase hex)" \
	grep -qx "  sha1        $(ref_fp leaf.pem sha1)" <<<"$out"
check "-v: the SHA-256 of the certificate" grep -qx "  sha256      $(ref_fp leaf.pem sha256)" <<<"$out"
check "-v: the thumbprint has the Windows form" \
	grep -qE '^  sha1        [0-9A-F]{40}$' <<<"$out"
check "-v: the CA's pin too (the pin set of seed 000 has root, intermediate and leaf)" \
	grep -qx "  pin         $(ref_pin ca.pem)" <<<"$out"
check "-v: subject, issuer and the SAN" bash -c "grep -qx '  subject     CN=rm01.assist.example' <<<'$out' &&
	grep -qx '  issuer      CN=Lab Root CA' <<<'$out' && grep -qx '  san         rm01.assist.example' <<<'$out'"

# A DER .cer, as Windows exports it.
openssl x509 -in ecp256.pem -outform der -out ecp256.cer
check "a DER .cer file gives the same pin as its PEM" \
	[ "$("$RP" tls-pin ecp256.cer)" = "$(ref_pin ecp256.pem)" ]

# The printed pin is what a profile's cert clause takes.
pin=$("$RP" tls-pin chain.pem)
cat >pin.profile <<EOF
profile "pin"
zone devices
fqdn rm01.assist.example = 198.18.1.10
open devices -> rm01.assist.example : tcp/443 tls cert (pin "$pin", san)
EOF
check "the printed pin parses in a profile" bash -c "'$RP' -q check pin.profile >/dev/null"

# ---- bad input: exit 2, a reason, nothing on stdout ----
badcase() {   # WHAT PATTERN ARGS...
	local what=$1 pat=$2 out err rc; shift 2
	out=$("$RP" tls-pin "$@" 2>err.txt); rc=$?
	err=$(cat err.txt)
	if [ $rc -eq 2 ] && [ -z "$out" ] && grep -q -- "$pat" <<<"$err"; then
		ok "$what: exit 2, '$(head -n 1 <<<"$err")'"
	else
		bad "$what: exit $rc, stdout '$out', stderr '$err'"
	fi
}
badcase "a missing file" "tls-pin: nosuch.pem: \|cannot open nosuch.pem: No such file or directory" nosuch.pem
badcase "a private key, not a certificate" "no PEM certificate in it (its first PEM block is PRIVATE KEY" rsa2048.key
badcase "a CSR" "its first PEM block is CERTIFICATE REQUEST" leaf.csr
: >empty.pem
badcase "an empty file" "empty.pem: empty file" empty.pem
head -c 600 /dev/urandom >junk.bin
badcase "random bytes" "neither a PEM certificate" junk.bin
printf 'hello\n' >text.txt
badcase "a text file" "neither a PEM certificate" text.txt
sed '5d' rsa2048.pem >cut.pem
badcase "a PEM certificate with a line cut out" "certificate 1: its PEM block holds no valid certificate" cut.pem
mkdir adir
badcase "a directory" "adir: not a regular file" adir
head -c $((2 * 1024 * 1024)) /dev/zero >big.pem
badcase "a 2 MiB file" "larger than 1 MiB" big.pem
badcase "no argument" "usage: ruleproof tls-pin"
badcase "two arguments" "usage: ruleproof tls-pin" rsa2048.pem ecp256.pem
badcase "an unknown option" "usage: ruleproof tls-pin" --frob rsa2048.pem
check "--help exits 0 with the usage" bash -c "'$RP' tls-pin --help | grep -q '^usage: ruleproof tls-pin'"

finish
