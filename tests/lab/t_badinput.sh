#!/usr/bin/env bash
# quick
# Bad input, faults and misuse: every case gets its exact exit status and a
# message that says what is wrong; never a crash (the sanitized binary runs
# this test too, and a sanitizer report is a wrong status) nor a hang (every
# command runs under a timeout).  The README's table "Bad input, faults and
# misuse" lists these cases.
. "$(dirname "$0")/lib.sh"
need jq text2pcap
cd "$ROOT"
P=tests/lab/small.profile
S=tests/lab/small.site
B=$SCRATCH/bad
mkdir -p "$B"

# expect STATUS REGEX WHAT COMMAND...: the command's exit status and its
# output (stdout and stderr together) matching REGEX (grep -E).
# deps-lint: wrapper expect 3
expect() {
	local want=$1 pat=$2 what=$3 out rc
	shift 3
	out=$(timeout 60 "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -aqE -- "$pat" <<<"$out"; then
		ok "$what: exit $rc"
	else
		bad "$what: exit $rc, want $want and /$pat/; got: $(head -c 400 <<<"$out" | tr -d '\000')"
	fi
}

# ---- profiles and sites ----
printf 'profile "x"\nzone a\nrole b\nopen a -> b : tcp/99999\n' >"$B/port.profile"
expect 2 'port.profile:4:19: error: port 99999 out of range 1-65535' "profile: port out of range" \
	"$RP" check "$B/port.profile"
printf 'profile "x"\nzone a\nopen a -> nosuch : tcp/80\n' >"$B/unknown.profile"
expect 2 "unknown.profile:3:11: error: unknown endpoint 'nosuch'" "profile: unknown name" \
	"$RP" check "$B/unknown.profile"
printf 'profile "x\nzone\n' >"$B/string.profile"
expect 2 'string.profile:1:9: error: unterminated string' "profile: unterminated string" \
	"$RP" check "$B/string.profile"
expect 2 'nosuch.profile: error: cannot read: No such file or directory' "profile: missing file" \
	"$RP" check "$B/nosuch.profile"
expect 2 'error: cannot read: Is a directory' "profile: a directory" "$RP" check "$B"
: >"$B/empty.profile"
expect 2 "empty.profile:1:1: error: missing 'profile' statement" "profile: empty file" \
	"$RP" check "$B/empty.profile"
# Every byte value: NULs and terminal escapes are named, never echoed.
for _ in 1 2 3 4; do for i in $(seq 0 255); do printf "\\x$(printf %02x "$i")"; done; done >"$B/binary.profile"
expect 2 'binary.profile:1:1: error: unexpected byte 0x00' "profile: a binary file" \
	"$RP" check "$B/binary.profile"
check "profile: a binary file's control characters are not echoed" \
	bash -c "! '$RP' check '$B/binary.profile' 2>&1 | grep -aq $'\\x1b'"
{ echo 'profile "x"'; head -c 1048576 /dev/zero | tr '\0' x; echo; } >"$B/longline.profile"
expect 2 "longline.profile:2:1: error: unknown statement 'xxxx" "profile: a 1 MiB line" \
	"$RP" check "$B/longline.profile"
out=$("$RP" check "$B/longline.profile" 2>&1)
check "profile: a 1 MiB line is shown as a window of it (${#out} bytes)" \
	bash -c '[ ${#1} -lt 1024 ] && grep -q "^    x\{120\}\.\.\.$" <<<"$1"' _ "$out"
# One port named 500,000 times in a 1 MB line: linear, and 100 warnings shown.
{ echo 'profile "x"'; echo 'zone a'; echo 'role b'; printf 'open a -> b : tcp/1'; \
  yes ,1 | head -n 500000 | tr -d '\n'; echo; } >"$B/dup.profile"
expect 0 'dup.profile: 499900 more diagnostics not shown \(0 errors, 499900 warnings\)' \
	"profile: a port listed 500,000 times" "$RP" -q check "$B/dup.profile"
printf 'site "s"\nhost clients 300.1.1.1\nhost server 198.18.20.10\n' >"$B/addr.site"
expect 2 "addr.site:2:14: error: invalid address '300.1.1.1'" "site: bad address" \
	"$RP" check "$P" --site "$B/addr.site"
printf 'site "s"\nhost clients\nhost server 198.18.20.10\n' >"$B/noaddr.site"
expect 2 'noaddr.site:2:13: error: expected address, found end of line' "site: host without address" \
	"$RP" check "$P" --site "$B/noaddr.site"
printf 'site "s"\nhost clients 198.18.10.10\nhost server 198.18.20.10\nhost ghost 198.18.30.10\n' >"$B/ghost.site"
expect 2 "ghost.site:4:6: error: unknown endpoint 'ghost' in profile" "site: a host the profile does not name" \
	"$RP" check "$P" --site "$B/ghost.site"
: >"$B/empty.site"
expect 2 "empty.site:1:1: error: missing 'site' statement" "site: empty file" \
	"$RP" check "$P" --site "$B/empty.site"
expect 2 'nosuch.site: error: cannot read: No such file or directory' "site: missing file" \
	"$RP" plan "$P" --site "$B/nosuch.site"

# ---- plan files ----
"$RP" -q plan "$P" --site "$S" -o "$B/good.plan"
jq '.schema = "ruleproof-plan/9"' "$B/good.plan" >"$B/v9.plan"
expect 2 "schema 'ruleproof-plan/9', expected 'ruleproof-plan/1' \\(a plan from another version" \
	"plan: another version's (send)" "$RP" send --plan "$B/v9.plan" --as clients --dry-run
expect 2 "schema 'ruleproof-plan/9', expected 'ruleproof-plan/1'" "plan: another version's (report)" \
	"$RP" report --plan "$B/v9.plan" "$B"
jq '.profile.text |= sub("tcp/443"; "tcp/444")' "$B/good.plan" >"$B/edited.plan"
expect 2 'edited.plan: the embedded profile does not match its sha256' "plan: edited embedded profile" \
	"$RP" listen --plan "$B/edited.plan"
head -c 100 "$B/good.plan" >"$B/cut.plan"
expect 2 'cut.plan: not a plan file \(JSON\): line [0-9]+: ' "plan: truncated" \
	"$RP" send --plan "$B/cut.plan" --dry-run
expect 2 'small.profile: not a plan file \(JSON\): line 1: ' "plan: a profile given as a plan" \
	"$RP" send --plan "$P" --dry-run
expect 2 'is a directory, not a plan file' "plan: a directory" "$RP" listen --plan "$B"
expect 2 'nosuch.plan: No such file or directory' "plan: missing file" "$RP" send --plan "$B/nosuch.plan"

# ---- run directories ----
lab "$SCRATCH/runs" "$P" --site "$S" --firewall tests/lab/rulesets/evidence.nft
RUN=$DIR
check "a lab run to spoil (exit $RC)" [ "$RC" -eq 0 ]
# A copy without its seal, so that report re-derives what the files say.
spoil() { rm -rf "$SCRATCH/$1"; cp -r "$RUN" "$SCRATCH/$1"; rm -f "$SCRATCH/$1/MANIFEST.sha256"; }

spoil times
sed -i 's/"started_us": [0-9]*/"started_us": -9223372036854775807/' "$SCRATCH/times/rx-server.json"
expect 3 'rx-server.json: capture window outside the years 1970 to 9999; the capture is not used' \
	"capture file: impossible times" "$RP" report "$SCRATCH/times"
check "capture file: impossible times: nothing passes on a capture not used" \
	[ "$(jq '[.results[] | select(.evidence == "silent-drop" or .evidence == "arrived")] | length' "$SCRATCH/times/report.json")" = 0 ]
spoil broken
echo '{"schema": "ruleproof-capture/1", "role": "listen"' >"$SCRATCH/broken/rx-server.json"
expect 3 "rx-server.json: '}' expected near end of file; the capture is not used" \
	"capture file: not JSON" "$RP" report "$SCRATCH/broken"
spoil other
jq '.schema = "ruleproof-capture/7"' "$RUN/tx-clients.json" >"$SCRATCH/other/tx-clients.json"
expect 3 "tx-clients.json: schema 'ruleproof-capture/7', expected 'ruleproof-capture/1'" \
	"capture file: another version's" "$RP" report "$SCRATCH/other"
spoil gone
rm "$SCRATCH/gone/rx-server.json"
expect 3 'rx-server.json: no such capture file; the probes it should have seen are inconclusive' \
	"capture file: missing" "$RP" report "$SCRATCH/gone"

# A pcap written by another tool: SYNs between the plan's very hosts and
# ports, with sequence numbers and ports of their own.
foreign_pcap() {
	local i ports=(0016 0017 01bb 0d3d) hex
	for i in $(seq 1 40); do
		hex="45000028$(printf '%04x' "$i")000040060000c6120a0ac612140a"
		hex+="$(printf '%04x' $((RANDOM % 60000 + 1024)))${ports[$((i % 4))]}"
		hex+="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')000000005002faf000000000"
		echo "0000 $(sed 's/../& /g' <<<"$hex")"
	done | text2pcap -q -l 101 - "$1" >/dev/null 2>&1
}
spoil foreign
foreign_pcap "$SCRATCH/foreign/rx-server.pcap"
# The server's reset came back but no arrival of the probe can be shown:
# it reads as a firewall's reset, a failure of the open rule.
expect 1 '^FAIL: 6 probes' "pcap from another tool" "$RP" report "$SCRATCH/foreign"
check "pcap from another tool: its 40 packets are counted foreign" \
	[ "$(jq '.summary.foreign_packets' "$SCRATCH/foreign/report.json")" = 40 ]
check "pcap from another tool: none is taken for an arrival" \
	[ "$(jq '[.results[] | select(.arrivals > 0 or .arrived_frame != null)] | length' "$SCRATCH/foreign/report.json")" = 0 ]
cp "$SCRATCH/foreign/rx-server.pcap" "$SCRATCH/sealed.pcap"
spoil sealed
cp "$RUN/MANIFEST.sha256" "$SCRATCH/sealed/"
cp "$SCRATCH/sealed.pcap" "$SCRATCH/sealed/rx-server.pcap"
expect 1 '^modified +rx-server.pcap$' "pcap from another tool in a sealed run: verify names it" \
	"$RP" verify "$SCRATCH/sealed"
spoil cut
head -c 200 "$RUN/rx-server.pcap" >"$SCRATCH/cut/rx-server.pcap"
expect 3 'capture rx-server.pcap is incomplete: .*truncated dump file' "truncated pcap" \
	"$RP" report "$SCRATCH/cut"
check "truncated pcap: report.json names it without the run directory" \
	[ "$(jq -r '.captures[] | select(.pcap == "rx-server.pcap") | .error' "$SCRATCH/cut/report.json" | cut -c1-35)" = "rx-server.pcap: truncated dump file" ]
spoil nopcap
rm "$SCRATCH/nopcap/rx-server.pcap"
expect 3 'capture rx-server.pcap is incomplete: .*No such file or directory' "a capture file without its pcap" \
	"$RP" report "$SCRATCH/nopcap"
check "a pcap that cannot be read: report.json has no path of the run directory" \
	bash -c "! grep -q '$SCRATCH/nopcap' '$SCRATCH/nopcap/report.json' && grep -q '\"error\": \"rx-server.pcap: No such file or directory\"' '$SCRATCH/nopcap/report.json'"
mkdir -p "$SCRATCH/moved/deeper"
cp -r "$SCRATCH/nopcap" "$SCRATCH/moved/deeper/run"
(cd "$SCRATCH/moved" && "$RP" -q report deeper/run/ >/dev/null 2>&1)
check "... and the same reports, byte for byte, from the run directory moved elsewhere" \
	bash -c "for f in '$SCRATCH'/nopcap/report.*; do cmp -s \"\$f\" '$SCRATCH/moved/deeper/run/'\"\${f##*/}\" || exit 1; done"
spoil notpcap
cp "$P" "$SCRATCH/notpcap/tx-clients.pcap"
expect 3 'capture tx-clients.pcap is incomplete: .*unknown file format' "a text file as a pcap" \
	"$RP" report "$SCRATCH/notpcap"

mkdir -p "$SCRATCH/empty"
expect 2 'empty/plan.json: No such file or directory' "report on an empty directory" \
	"$RP" report "$SCRATCH/empty"
expect 1 'verify: FAILED: .* has no MANIFEST.sha256' "verify without a manifest" \
	"$RP" verify "$SCRATCH/empty"
expect 2 'nosuch: No such file or directory' "verify on a missing directory" "$RP" verify "$SCRATCH/nosuch"
expect 2 'report.json: unable to open' "diff of directories without reports" \
	"$RP" diff "$SCRATCH/empty" "$SCRATCH/empty"

# ---- agents: interfaces and privileges, in namespaces of this test's own ----
split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/evidence.nft || { bad "namespaces"; finish; exit 1; }
expect 2 '--iface nosuch0: no such interface on this host' "send --iface nosuch0" \
	ip netns exec "$NS_SRC" "$RP" send --plan "$B/good.plan" --iface nosuch0 --out "$SCRATCH/if"
expect 2 '--iface nosuch0: no such interface on this host' "listen --iface nosuch0" \
	ip netns exec "$NS_DST" "$RP" listen --plan "$B/good.plan" --iface nosuch0 --out "$SCRATCH/if"
check "--iface nosuch0: nothing written" [ ! -e "$SCRATCH/if" ]
expect 2 "'nosuch' is not a source of any probe in this plan" "send --as nosuch" \
	ip netns exec "$NS_SRC" "$RP" send --plan "$B/good.plan" --as nosuch --out "$SCRATCH/as"
chmod 755 "$SCRATCH" "$B" && chmod 644 "$B/good.plan"     # readable by nobody
mkdir -m 777 "$SCRATCH/nobody"
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
expect 3 'send needs root: capturing and sending raw packets take CAP_NET_RAW' "send by a non-root user" \
	ip netns exec "$NS_SRC" "${nobody[@]}" "$RP" send --plan "$B/good.plan" --out "$SCRATCH/nobody"
expect 3 'listen needs root: capturing takes CAP_NET_RAW' "listen by a non-root user" \
	ip netns exec "$NS_DST" "${nobody[@]}" "$RP" listen --plan "$B/good.plan" --out "$SCRATCH/nobody"
check "a non-root agent writes nothing" [ -z "$(ls -A "$SCRATCH/nobody")" ]

# ---- usage: every subcommand ----
for c in check compile plan lab listen send correlate report verify diff; do
	expect 2 "^$c: unrecognized option '--bogus'" "$c --bogus" "$RP" "$c" --bogus
	expect 2 "^usage: ruleproof $c " "$c without arguments" "$RP" "$c"
done
expect 2 "option '--site' requires an argument" "check --site without its argument" "$RP" check "$P" --site
expect 2 "option '--site' requires an argument" "compile --site without its argument" "$RP" compile "$P" --site
expect 2 "option requires an argument -- 'o'" "plan -o without its argument" "$RP" plan "$P" --site "$S" -o
expect 2 "option '--firewall' requires an argument" "lab --firewall without its argument" \
	"$RP" lab "$P" --site "$S" --firewall
expect 2 "option '--plan' requires an argument" "listen --plan without its argument" "$RP" listen --plan
expect 2 "option '--plan' requires an argument" "send --plan without its argument" "$RP" send --plan
expect 2 "option '--plan' requires an argument" "correlate --plan without its argument" "$RP" correlate --plan
expect 2 "option '--sign' requires an argument" "report --sign without its argument" "$RP" report "$RUN" --sign
expect 2 "option '--pubkey' requires an argument" "verify --pubkey without its argument" "$RP" verify "$RUN" --pubkey
expect 2 '^usage: ruleproof diff RUN_A RUN_B' "diff with one run" "$RP" diff "$RUN"
expect 2 '^usage: ruleproof check ' "check with two profiles" "$RP" check "$P" "$P"
expect 2 '--rate takes a number from 1 to 1000000' "plan --rate abc" \
	"$RP" plan "$P" --site "$S" -o "$B/rate.plan" --rate abc
expect 2 '--skew takes milliseconds from 0 to 3600000' "report --skew -5" "$RP" report "$RUN" --skew -5
expect 2 'nosuch.pem: No such file or directory' "report --sign with a missing key" \
	"$RP" report "$RUN" --sign "$B/nosuch.pem"
expect 2 "^usage: ruleproof \\[-v \\| -q\\] COMMAND" "an unknown global option" "$RP" -x check "$P"
expect 2 "unknown command 'frobnicate'" "an unknown command" "$RP" frobnicate
check "no namespace left behind" no_leftovers "$RUN"
finish
