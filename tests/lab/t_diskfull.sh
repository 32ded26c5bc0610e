#!/usr/bin/env bash
# quick
# No room or no right to write evidence is a clear error before a probe is
# sent; a disk that fills during a capture is never a silently cut pcap: the
# capture is flagged and the probes it should prove stay inconclusive.
. "$(dirname "$0")/lib.sh"
need jq
cd "$ROOT"
MOUNTS=()
umount_all() { local m; for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done; }
tmpfs_at() { mkdir -p "$1" && mount -t tmpfs -o "$2" tmpfs "$1" && MOUNTS+=("$1"); }

before=$(ip netns list | wc -l)
tmpfs_at "$SCRATCH/tiny" size=256k || { bad "tmpfs"; finish; exit 1; }
trap 'umount_all; split_cleanup' EXIT
lab "$SCRATCH/tiny/runs" profiles/assist-onprem-multi.profile --site profiles/lab/assist-onprem-multi.site
check "a 256 KiB file system: exit 3, got $RC" [ "$RC" -eq 3 ]
check "... says how much room the evidence needs" grep -q "KiB free, the run needs about" "$SCRATCH/tiny/runs.stderr"
check "... before a namespace was made or a probe sent" [ "$(ip netns list | wc -l)" = "$before" ]
check "... and keeps no empty run" [ -z "$(ls -A "$SCRATCH/tiny/runs")" ]

tmpfs_at "$SCRATCH/ro" ro,size=1m || { bad "tmpfs"; finish; exit 1; }
lab "$SCRATCH/ro" tests/lab/small.profile --site tests/lab/small.site
check "a read-only directory: exit 3, got $RC" [ "$RC" -eq 3 ]
check "... says why" grep -q "Read-only file system" "$SCRATCH/ro.stderr"

# A listener whose disk fills while it captures.
split_net 198.18.10.10 198.18.20.10 tests/lab/rulesets/open-all.nft || { bad "namespaces"; finish; exit 1; }
trap 'umount_all; split_cleanup' EXIT
"$RP" -q plan tests/lab/many.profile --site tests/lab/small.site -o "$SCRATCH/run.plan" --rate 2000 --linger 300
tmpfs_at "$SCRATCH/fill" size=2m || { bad "tmpfs"; finish; exit 1; }
split_listen "$SCRATCH/run.plan" "$SCRATCH/fill/caps"
dd if=/dev/zero of="$SCRATCH/fill/filler" bs=64k 2>/dev/null   # fills it to the last block
ip netns exec "$NS_SRC" "$RP" -q send --plan "$SCRATCH/run.plan" --out "$SCRATCH/caps"
split_stop
rc=$?
check "the listener whose disk filled fails (exit 3), got $rc" [ "$rc" -eq 3 ]
check "... and says its pcap could not be written" grep -q "pcap file could not be written completely" "$SCRATCH/listen.err"
rm -f "$SCRATCH/fill/filler"
mkdir -p "$SCRATCH/joined"
cp "$SCRATCH"/caps/* "$SCRATCH/joined/"
cp "$SCRATCH"/fill/caps/* "$SCRATCH/joined/" 2>/dev/null
"$RP" -q report --plan "$SCRATCH/run.plan" "$SCRATCH/joined" >/dev/null
rc=$?
check "a capture cut short by a full disk proves nothing: exit 3, got $rc" [ "$rc" -eq 3 ]
check "... no probe passes on its word: the arrivals it lost are inconclusive" \
	[ "$(jq '[.results[] | select(.verdict == "pass" and .evidence == "arrived")] | length' "$SCRATCH/joined/report.json")" = 0 ]
finish
