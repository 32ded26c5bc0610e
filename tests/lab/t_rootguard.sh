#!/usr/bin/env bash
# quick
# Commands that need no privilege never keep root: as plain root they refuse
# unless RULEPROOF_ALLOW_ROOT=1 says so; under sudo (SUDO_UID/SUDO_GID) they
# drop to that user before reading anything.  A lab run, and the captures of
# a listener, made under sudo belong to the user who ran sudo.  The user is
# nobody (65534) here, which has no right to this test's root-only files.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
P=tests/lab/small.profile
S=tests/lab/small.site
U=65534
chmod 755 "$SCRATCH"
# Readable by anyone: the inputs the dropped commands are given.
mkdir -m 755 "$SCRATCH/in" && cp "$P" "$S" "$SCRATCH/in/" && chmod 644 "$SCRATCH/in/"*
PP=$SCRATCH/in/small.profile
SS=$SCRATCH/in/small.site
"$RP" -q plan "$PP" --site "$SS" -o "$SCRATCH/in/run.plan" && chmod 644 "$SCRATCH/in/run.plan"
# Root only: a dropped command cannot read it.
cp "$P" "$SCRATCH/secret.profile" && chmod 600 "$SCRATCH/secret.profile"

plain_root=(env -u RULEPROOF_ALLOW_ROOT -u SUDO_UID -u SUDO_GID -u SUDO_USER)
as_sudo=(env -u RULEPROOF_ALLOW_ROOT SUDO_UID=$U SUDO_GID=$U SUDO_USER=nobody)

# ---- plain root without the allowance: refused, before any input is read ----
msg='needs no privilege and does not run as root: .* or set RULEPROOF_ALLOW_ROOT=1'
for c in "check $PP" "compile $PP --site $SS" "plan $PP --site $SS" "report $SCRATCH/nosuch" \
	"correlate $SCRATCH/nosuch" "verify $SCRATCH/nosuch" "diff $SCRATCH/a $SCRATCH/b" "tls-pin $SCRATCH/nosuch.pem" \
	"send --plan $SCRATCH/in/run.plan --as clients --dry-run"; do
	# shellcheck disable=SC2086
	out=$("${plain_root[@]}" timeout 30 "$RP" $c 2>&1)
	rc=$?
	name=${c%% *}
	[ "$name" = send ] && name="send --dry-run"
	check "plain root, ${c%% *}: refused with exit 2 (got $rc)" [ "$rc" -eq 2 ]
	check "plain root, ${c%% *}: says why" grep -qE "^ruleproof: $name $msg" <<<"$out"
	check "plain root, ${c%% *}: reads nothing (no 'No such file' for a missing input)" \
		bash -c "! grep -q 'No such file' <<<\"\$1\"" _ "$out"
done
out=$("${plain_root[@]}" RULEPROOF_ALLOW_ROOT=1 "$RP" check "$SCRATCH/secret.profile" 2>&1)
check "plain root with RULEPROOF_ALLOW_ROOT=1: runs as root (reads a root-only file), exit $?" \
	grep -q '^profile "lab test' <<<"$out"
out=$("${plain_root[@]}" RULEPROOF_ALLOW_ROOT=yes "$RP" check "$PP" 2>&1)
check "RULEPROOF_ALLOW_ROOT=yes is no allowance (only 1 is): exit $?" grep -q 'does not run as root' <<<"$out"
out=$(env -u RULEPROOF_ALLOW_ROOT SUDO_UID=abc SUDO_GID=0 "$RP" check "$PP" 2>&1)
check "a malformed SUDO_UID is refused: exit $?" grep -q "check: SUDO_UID='abc' is not a user id; not run" <<<"$out"
out=$(SUDO_UID=abc SUDO_GID=0 "$RP" lab "$P" --site "$S" --out "$SCRATCH/badenv" 2>&1)
rc=$?
check "a malformed SUDO_UID stops a lab too, exit 2 (got $rc), nothing made" \
	bash -c "[ $rc -eq 2 ] && grep -q \"lab: SUDO_UID='abc' is not a user id\" <<<\"\$1\" && [ ! -e '$SCRATCH/badenv' ]" _ "$out"
out=$(env -u RULEPROOF_ALLOW_ROOT SUDO_UID=0 SUDO_GID=0 "$RP" check "$PP" 2>&1)
check "sudo run by root (SUDO_UID=0) is plain root: refused" grep -q 'does not run as root' <<<"$out"
out=$("${plain_root[@]}" "$RP" lab "$P" --help 2>&1)
check "lab (needs root) is not refused" grep -q '^usage: ruleproof lab' <<<"$out"

# ---- under sudo: the commands run as the user who called sudo ----
out=$("${as_sudo[@]}" "$RP" -v check "$PP" 2>&1)
rc=$?
check "sudo, check: runs (exit $rc)" [ "$rc" -eq 0 ]
check "sudo, check: says it dropped to uid $U" grep -q "check needs no privilege: dropped to .*(uid $U, gid $U)" <<<"$out"
out=$("${as_sudo[@]}" "$RP" check "$SCRATCH/secret.profile" 2>&1)
rc=$?
check "sudo, check: a root-only file is unreadable, exit 2 (got $rc)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'secret.profile: error: cannot read: Permission denied' <<<\"\$1\"" _ "$out"
mkdir -m 777 "$SCRATCH/w"
"${as_sudo[@]}" "$RP" -q plan "$PP" --site "$SS" -o "$SCRATCH/w/u.plan"
check "sudo, plan -o: the plan file belongs to uid $U" [ "$(stat -c %u:%g "$SCRATCH/w/u.plan")" = "$U:$U" ]
out=$("${as_sudo[@]}" "$RP" send --plan "$SCRATCH/in/run.plan" --as clients --dry-run 2>&1)
check "sudo, send --dry-run: runs as uid $U (exit $?)" grep -q 'would send 6 probes' <<<"$out"
out=$("${as_sudo[@]}" "$RP" -q plan "$PP" --site "$SS" -o "$SCRATCH/root.plan" 2>&1)
check "sudo, plan -o into a directory only root may write: not written" [ ! -e "$SCRATCH/root.plan" ]

# ---- a lab run under sudo belongs to the user who ran sudo ----
"${as_sudo[@]}" "$RP" -q lab "$P" --site "$S" --firewall tests/lab/rulesets/evidence.nft \
	--out "$SCRATCH/runs" >"$SCRATCH/lab.out" 2>"$SCRATCH/lab.err"
rc=$?
DIR=$(run_dir "$SCRATCH/runs")
check "sudo, lab: runs (exit $rc)" [ "$rc" -eq 0 ]
check "sudo, lab: the run directory has its files" [ -s "$DIR/report.json" -a -s "$DIR/rx-server.pcap" ]
check "sudo, lab: the run directory and every file in it belong to uid $U" \
	[ -z "$(find "$DIR" ! -user $U -o ! -group $U)" ]
check "sudo, lab: so does the --out directory it made" [ "$(stat -c %u "$SCRATCH/runs")" = $U ]
rm "$DIR/report.json"
out=$(cd "$SCRATCH" && setpriv --reuid=$U --regid=$U --clear-groups "$RP" -q report "$DIR" 2>&1 >/dev/null)
rc=$?
check "uid $U re-derives and reseals the run without root (exit $rc)" [ "$rc" -eq 0 -a -z "${out:+x}" ]
check "... writing its reports" [ "$(stat -c %u "$DIR/report.json")" = $U ]
out=$("${as_sudo[@]}" "$RP" -q verify "$DIR" 2>&1)
check "sudo, verify of that run: exit $?" grep -q '^verify: OK' <<<"$out"

cp -r "$DIR" "$SCRATCH/rootrun" && rm "$SCRATCH/rootrun/report.json"    # a copy root owns
out=$("${as_sudo[@]}" "$RP" -q report "$SCRATCH/rootrun" 2>&1 >/dev/null)
rc=$?
check "sudo, report on a run directory root owns: exit 3 (got $rc), says why" \
	bash -c "[ $rc -eq 3 ] && grep -q 'rootrun/report.json.tmp: Permission denied' <<<\"\$1\"" _ "$out"

# ---- an interrupted lab run under sudo too ----
"${as_sudo[@]}" "$RP" -q lab tests/lab/many.profile --site "$S" --rate 50 \
	--out "$SCRATCH/int" >/dev/null 2>"$SCRATCH/int.err" &
lpid=$!
BGPIDS+=("$lpid")
for _ in $(seq 1 100); do [ -n "$(ls "$SCRATCH/int"/*/tx-*.pcap 2>/dev/null)" ] && break; sleep 0.1; done
sleep 0.5
kill -INT "$lpid"
wait "$lpid"
rc=$?
IDIR=$(run_dir "$SCRATCH/int")
check "sudo, interrupted lab: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "sudo, interrupted lab: every file belongs to uid $U" \
	[ -n "$IDIR" ] && [ -z "$(find "$IDIR" ! -user $U)" ]

# ---- a listener's captures under sudo, in namespaces of this test's own ----
split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/evidence.nft || { bad "namespaces"; finish; exit 1; }
ip netns exec "$NS_DST" "${as_sudo[@]}" timeout 30 "$RP" -q listen --plan "$SCRATCH/in/run.plan" \
	--out "$SCRATCH/caps/new" --duration 1 2>"$SCRATCH/listen.err"
rc=$?
check "sudo, listen: exit $rc" [ "$rc" -eq 0 ]
check "sudo, listen: its capture and capture file belong to uid $U" \
	[ "$(stat -c %u "$SCRATCH/caps/new/rx-server.pcap" "$SCRATCH/caps/new/rx-server.json" | sort -u)" = $U ]
check "sudo, listen: so do the directories it made" \
	[ "$(stat -c %u "$SCRATCH/caps" "$SCRATCH/caps/new" | sort -u)" = $U ]
check "no namespace left behind" no_leftovers "$DIR"
finish
