#!/usr/bin/env bash
# quick
# Reports and the evidence bundle end to end: one lab run writes every
# report format and a manifest; verify passes, and fails naming the file
# after one byte of a pcap changes; `report` re-derives byte-identical JSON;
# a signature holds only under its key; diff against a conforming run shows
# exactly the planted change; JUnit validates against the common schema;
# the HTML page renders in headless Chromium.
. "$(dirname "$0")/lib.sh"
need chromium jq openssl tshark xmllint
cd "$ROOT"

PROFILE=profiles/assist-onprem-multi.profile
SITE=profiles/lab/assist-onprem-multi.site

lab "$SCRATCH/drift" "$PROFILE" --site "$SITE" --drift 3 --seed 4
A=$DIR
check "drifted run exits 1 (some probe fails), got $RC" [ "$RC" -eq 1 ]
for f in report.txt report.json report.junit.xml report.csv report.html MANIFEST.sha256; do
	check "the run wrote $f" [ -s "$A/$f" ]
done
check "no signature without a key" [ ! -e "$A/MANIFEST.sig" ]
check "the terminal ends on the one-line summary" \
	grep -q '^FAIL: 520 probes: 515 pass, 5 fail, 0 inconclusive; 2 of 7 rules fail$' "$SCRATCH/drift.stdout"
check "the terminal table groups failing probes under their rule" \
	bash -c "grep -A1 '^   46  FAIL 12/14  *cp, portal -> core ' '$SCRATCH/drift.stdout' | grep -q '^      probe '"
cp "$A/report.html" "$SCRATCH/first.html"

# The manifest covers every file but itself, in sha256sum's own format.
n_files=$(find "$A" -type f ! -name 'MANIFEST.*' | wc -l)
check "the manifest lists all $n_files files" [ "$(wc -l <"$A/MANIFEST.sha256")" -eq "$n_files" ]
check "sha256sum -c agrees with the manifest" bash -c "cd '$A' && sha256sum -c --quiet --strict MANIFEST.sha256"
out=$("$RP" verify "$A"); rc=$?
check "verify passes on a fresh run (exit $rc)" [ $rc -eq 0 ]
check "verify says OK" grep -q '^verify: OK' <<<"$out"

# report.json: the new fields locate each probe's evidence, and the display
# filter really selects those frames in the pcaps.
check "results carry the evidence location" \
	[ "$(jq '[.results[] | select(.filter and .tx_pcap and .rx_pcap and has("sent_frame"))] | length' "$A/report.json")" = 520 ]
check "rules carry their text" \
	[ "$(jq -r '.rules[] | select(.rule | endswith(":46")) | .text' "$A/report.json")" = "open cp, portal -> core : core-app" ]
frames_ok=0
while IFS=$'\t' read -r tx rx sent reply arrived filter; do
	got=$(tshark -r "$A/$tx" -Y "$filter" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
	want=" $got"
	ok=1
	for fr in $sent $reply; do [ "$fr" = null ] || [[ "$want" == *" $fr "* ]] || ok=0; done
	if [ "$arrived" != null ]; then
		got=$(tshark -r "$A/$rx" -Y "$filter" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
		[[ " $got" == *" $arrived "* ]] || ok=0
	fi
	frames_ok=$((frames_ok + ok))
done < <(jq -r '[.results[] | select(.verdict != "pass")] |
	(map(select(.evidence == "icmp-unreachable"))[0], map(select(.arrived_frame != null))[0]) |
	[.tx_pcap, .rx_pcap, (.sent_frame|tostring), (.reply_frame|tostring), (.arrived_frame|tostring), .filter] | @tsv' "$A/report.json")
# One probe refused by ICMP (the filter must match the quoted SYN), one that
# crossed (its frames on both sides); tshark is too slow to ask about all.
check "the Wireshark filters show the recorded frames ($frames_ok of 2 probes)" [ "$frames_ok" -eq 2 ]

# CSV: a header and one row per probe; JUnit: one testcase per rule, valid.
check "CSV has a header and 520 rows" [ "$(grep -c $'\r$' "$A/report.csv")" -eq 521 ]
check "CSV header names the evidence columns" \
	grep -q '^probe,.*,sent_frame,reply_frame,rx_pcap,arrived_frame,sport,seq,filter' "$A/report.csv"
check "JUnit validates against junit-10.xsd" \
	xmllint --noout --schema tests/junit-10.xsd "$A/report.junit.xml" 2>/dev/null
cases=$(xmllint --xpath 'count(//testcase)' "$A/report.junit.xml")
failures=$(xmllint --xpath 'count(//testcase/failure)' "$A/report.junit.xml")
check "JUnit: one testcase per rule ($cases), two failures ($failures)" [ "$cases/$failures" = 7/2 ]
check "JUnit: a failure carries its probes' evidence" \
	grep -q 'FAIL probe 10 portal -&gt; core tcp/6443 .*icmp-unreachable.*evidence tx-portal.pcap' "$A/report.junit.xml"
bad=$(sed 's/<testsuite name=/<testsuite bogus="x" name=/' "$A/report.junit.xml")
! xmllint --noout --schema tests/junit-10.xsd - <<<"$bad" 2>/dev/null
check "the schema check can fail (an unknown attribute is refused)" [ $? -eq 0 ]

# Re-derived from the plan and pcaps alone: the same bytes.
cp "$A/report.json" "$SCRATCH/first.json"
cp "$A/MANIFEST.sha256" "$SCRATCH/first.manifest"
"$RP" report "$A" >/dev/null 2>"$SCRATCH/report.err"
check "report re-derives byte-identical JSON" cmp -s "$SCRATCH/first.json" "$A/report.json"
check "report says it rewrote the manifest" grep -q 'MANIFEST.sha256 rewritten' "$SCRATCH/report.err"
check "the rewritten manifest is the same" cmp -s "$SCRATCH/first.manifest" "$A/MANIFEST.sha256"
check "correlate is still an alias of report" \
	bash -c "'$RP' correlate --help | grep -q '^usage: ruleproof correlate '"

# Signing with Ed25519.
openssl genpkey -algorithm ed25519 -out "$SCRATCH/key.pem" 2>/dev/null
openssl pkey -in "$SCRATCH/key.pem" -pubout -out "$SCRATCH/key.pub"
openssl genpkey -algorithm ed25519 -out "$SCRATCH/other.pem" 2>/dev/null
openssl pkey -in "$SCRATCH/other.pem" -pubout -out "$SCRATCH/other.pub"
"$RP" -q report "$A" --sign "$SCRATCH/key.pem" >/dev/null
check "report --sign writes a 64-byte MANIFEST.sig" [ "$(stat -c %s "$A/MANIFEST.sig" 2>/dev/null)" = 64 ]
check "verify --pubkey: signature good" bash -c "'$RP' verify '$A' --pubkey '$SCRATCH/key.pub' | grep -q 'signature good'"
out=$("$RP" verify "$A" --pubkey "$SCRATCH/other.pub"); rc=$?
check "verify with another key exits 1 (got $rc)" [ $rc -eq 1 ]
check "verify with another key says the signature is BAD" grep -q 'signature BAD' <<<"$out"
check "openssl alone verifies the signature too" \
	openssl pkeyutl -verify -pubin -inkey "$SCRATCH/key.pub" -rawin -in "$A/MANIFEST.sha256" \
	-sigfile "$A/MANIFEST.sig" -out /dev/null
RULEPROOF_SIGN_KEY="$SCRATCH/other.pem" "$RP" -q report "$A" >/dev/null
check "RULEPROOF_SIGN_KEY signs too" bash -c "'$RP' verify '$A' --pubkey '$SCRATCH/other.pub' >/dev/null"
"$RP" -q report "$A" --sign "$SCRATCH/key.pub" >/dev/null 2>&1
check "a public key cannot sign: exit 2" [ $? -eq 2 ]

# One byte of a pcap changed: verify fails and names that file, and only it.
pcap=tx-portal.pcap
printf '\xff' | dd of="$A/$pcap" bs=1 seek=60 conv=notrunc 2>/dev/null
out=$("$RP" verify "$A" --pubkey "$SCRATCH/other.pub"); rc=$?
check "verify after one changed byte exits 1 (got $rc)" [ $rc -eq 1 ]
check "verify names the changed pcap" grep -q "^modified   $pcap\$" <<<"$out"
check "verify names nothing else" [ "$(grep -c '^modified\|^added\|^missing' <<<"$out")" -eq 1 ]
check "the signature still holds over the untouched manifest" grep -q 'signature good' <<<"$out"
"$RP" -q report "$A" >/dev/null 2>"$SCRATCH/reseal.err"; rc=$?
check "report refuses to re-seal changed evidence (exit $rc)" [ $rc -eq 3 ]
check "... and says why" grep -q "left as it was" "$SCRATCH/reseal.err"
check "... so verify still names the pcap" bash -c "'$RP' verify '$A' | grep -q '^modified   $pcap\$'"
echo extra >"$A/notes.txt"; rm "$A/rx-db.json"
out=$("$RP" verify "$A")
check "verify names an added file" grep -q '^added      notes.txt$' <<<"$out"
check "verify names a missing file" grep -q '^missing    rx-db.json$' <<<"$out"

# diff: a conforming run against the drifted one shows exactly what was planted.
lab "$SCRATCH/clean" "$PROFILE" --site "$SITE"
B=$DIR
check "conforming run exits 0, got $RC" [ "$RC" -eq 0 ]
"$RP" diff "$B" "$B" >/dev/null
check "diff of a run with itself exits 0" [ $? -eq 0 ]
out=$("$RP" diff "$B" "$SCRATCH/first.json"); rc=$?
check "diff across the change exits 1 (got $rc)" [ $rc -eq 1 ]
check "diff lists both rules that changed" \
	[ "$(sed -n '/^Rules whose verdict changed:/,/^$/p' <<<"$out" | grep -c 'pass -> FAIL')" -eq 2 ]
check "diff names line 46's rule" grep -q 'pass -> FAIL .*:46  open cp, portal -> core : core-app' <<<"$out"
check "diff counts 2 rules and 5 probes" grep -q '^diff: 2 rules and 5 probes changed verdict$' <<<"$out"
missed=0
while read -r _ src dst proto port _; do
	grep -q "$src -> $dst $proto/$port " <<<"$out" || missed=$((missed + 1))
done < <(grep '^flow' "$A/planted.txt")
check "every planted flow shows in the diff ($missed missed)" [ "$missed" -eq 0 ]
"$RP" diff "$B" >/dev/null 2>&1
check "diff with one run exits 2" [ $? -eq 2 ]
"$RP" verify "$SCRATCH/nonexistent" >/dev/null 2>&1
check "verify of a missing directory exits 2" [ $? -eq 2 ]

# The HTML page: self-contained, and rendered by a real browser.
check "HTML loads nothing from outside" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$B/report.html'"
# Chromium is a test dependency like any other (need, at the top): a
# machine without it fails here, it does not skip these checks.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$SCRATCH/chrome")
# One load: the screenshot, and the DOM as rendered.
timeout 60 chromium "${flags[@]}" --screenshot="$SCRATCH/page.png" --window-size=1280,2000 \
	--dump-dom "file://$SCRATCH/first.html" >"$SCRATCH/dom.html" 2>/dev/null
check "Chromium took a screenshot of the page" [ "$(stat -c %s "$SCRATCH/page.png" 2>/dev/null || echo 0)" -gt 50000 ]
check "the rendered page shows the summary" \
	grep -q 'id="summary">FAIL: 520 probes: 515 pass, 5 fail, 0 inconclusive; 2 of 7 rules fail<' "$SCRATCH/dom.html"
check "the rendered page shows the failing rule" \
	grep -q 'line 46: open cp, portal -&gt; core : core-app' "$SCRATCH/dom.html"
check "the rendered page shows a failing probe's filter" \
	grep -q "$(jq -r '.results[10].filter' "$SCRATCH/first.json" | sed 's/&/\&amp;/g; s/[][\.*^$|]/\\&/g')" "$SCRATCH/dom.html"
check "no namespace left behind" no_leftovers "$A"
finish
