#!/usr/bin/env bash
# `make bench`: ruleproof against what a user would pick instead, measured side
# by side in one run on this machine.  Root; it sends only inside network
# namespaces it creates (and those `ruleproof lab` creates), only to
# 198.18.0.0/15, and removes them on exit, also on failure.
#
#   a. send rate through a dropping firewall: ruleproof vs masscan, with
#      trafgen (kernel TX ring) as the limit of the path;
#   b. full-port sweep of one host through that firewall: wall time vs
#      `nmap -sS -p- -T4`, and how many ports each classified correctly;
#   c. 16 hosts x 65535 ports end to end (`ruleproof lab`): wall time,
#      capture drops, peak RSS of every process;
#   d. correlating that run again vs `tcpdump -r` over the same pcaps.
#
# Every rate is counted the same way for every tool: packets the firewall's
# ingress interface received, over the time between the samples that saw
# the counter start and stop moving.
set -uo pipefail

RP=$(realpath "${1:-./ruleproof}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NMAP_LIMIT=${BENCH_NMAP_SECONDS:-240}
HOSTS=${BENCH_HOSTS:-16}
WORK=$(mktemp -d /tmp/rp-bench.XXXXXX)
SFX=b$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
NS_SRC=rp-$SFX-src NS_FW=rp-$SFX-fw NS_DST=rp-$SFX-dst
BGPIDS=()
# The bench is root for its namespaces; the offline commands (compile,
# correlate) it runs on its own scratch files may run as root too.
export RULEPROOF_ALLOW_ROOT=1

cleanup() {
	local p n
	for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for n in "$NS_SRC" "$NS_DST" "$NS_FW"; do ip netns del "$n" 2>/dev/null; done
	[ -n "${BENCH_KEEP:-}" ] && echo "bench: kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
[ -x "$RP" ] || die "$RP: not built (make)"

# The tools compared against (and jq, ping, /usr/bin/time) come from Debian,
# installed only when missing: scripts/deps.sh lists them (--list bench).
need_tools() {
	"$ROOT/scripts/deps.sh" --bench || die "scripts/deps.sh --bench could not install the bench's tools"
}

# The inputs: one client zone, servers behind the firewall with tcp/443 open
# and every other port closed (`default closed all`, the full-port sweep).
write_inputs() {
	local i addrs=""
	for i in $(seq 1 "$HOSTS"); do addrs+="${addrs:+, }198.18.20.$i"; done
	cat >"$WORK/one.profile" <<-EOF
	profile "bench: full-port sweep"
	zone clients "client network"
	role server  "servers behind the firewall"
	open clients -> server : tcp/443
	default closed all
	EOF
	printf 'site "bench: one server"\nhost clients 198.18.10.10\nhost server 198.18.20.10\n' \
		>"$WORK/one.site"
	printf 'site "bench: %s servers"\nhost clients 198.18.10.10\nhost server %s\n' \
		"$HOSTS" "$addrs" >"$WORK/many.site"
	"$RP" compile "$WORK/one.profile" --site "$WORK/many.site" >"$WORK/fw.nft" ||
		die "cannot compile the bench ruleset"
}

# src (198.18.10.10) -- fw -- dst (198.18.20.1-16), the firewall dropping
# all but tcp/443, as `ruleproof lab` builds it.
build_net() {
	local gw=198.19.255.254 i
	ip netns add "$NS_FW" && ip netns add "$NS_SRC" && ip netns add "$NS_DST" || die "ip netns add"
	ip -n "$NS_FW" link set lo up
	ip netns exec "$NS_FW" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	ip -n "$NS_FW" link add h0 type veth peer name eth0 netns "$NS_SRC" || die "veth"
	ip -n "$NS_FW" link add h1 type veth peer name eth0 netns "$NS_DST" || die "veth"
	for n in "$NS_SRC" "$NS_DST"; do
		ip -n "$n" link set lo up && ip -n "$n" link set eth0 up
		ip -n "$n" route add "$gw/32" dev eth0
	done
	ip -n "$NS_SRC" addr add 198.18.10.10/32 dev eth0
	ip -n "$NS_SRC" route add default via "$gw" dev eth0 src 198.18.10.10
	for i in $(seq 1 "$HOSTS"); do ip -n "$NS_DST" addr add "198.18.20.$i/32" dev eth0; done
	ip -n "$NS_DST" route add default via "$gw" dev eth0 src 198.18.20.1
	ip -n "$NS_FW" link set h0 up && ip -n "$NS_FW" link set h1 up
	ip -n "$NS_FW" addr add "$gw/32" dev h0 && ip -n "$NS_FW" addr add "$gw/32" dev h1
	ip -n "$NS_FW" route add 198.18.10.10/32 dev h0
	ip -n "$NS_FW" route add 198.18.20.0/27 dev h1
	ip netns exec "$NS_FW" nft -f "$WORK/fw.nft" || die "nft"
	# Neighbours known up front: no tool's first packets wait for ARP.
	ip netns exec "$NS_SRC" ping -c1 -W1 "$gw" >/dev/null 2>&1
	ip netns exec "$NS_DST" ping -c1 -W1 "$gw" >/dev/null 2>&1
	FW_MAC=$(ip -n "$NS_FW" -j link show h0 | jq -r '.[0].address')
	SRC_MAC=$(ip -n "$NS_SRC" -j link show eth0 | jq -r '.[0].address')
}

# Samples the firewall's ingress packet counter every 20 ms into $1, for at
# most $2 seconds, in the background.
sample_start() {
	local out=$1 max=$2
	ip netns exec "$NS_FW" bash -c '
		f=/sys/class/net/h0/statistics/rx_packets
		for ((i = 0; i < '"$((max * 50))"'; i++)); do
			read -r c <"$f"; echo "$EPOCHREALTIME $c"; sleep 0.02
		done' >"$out" 2>/dev/null &
	SAMPLER=$!
	BGPIDS+=("$SAMPLER")
	sleep 0.3
}
sample_stop() { kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null; }

# "packets seconds pps" from a sample file: from the last sample before the
# counter moved to the first one at its final value.
rate_of() {
	awk 'NR == 1 { c0 = $2; t0 = $1 }
	     { t[NR] = $1; c[NR] = $2; n = NR }
	     END {
		fin = c[n]; ts = t0; te = t[n]
		for (i = 1; i <= n; i++) if (c[i] == c0) ts = t[i]; else break
		for (i = n; i >= 1; i--) if (c[i] == fin) te = t[i]; else break
		d = te - ts; p = fin - c0
		printf "%d %.3f %.0f\n", p, d, (d > 0 ? p / d : 0) }' "$1"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- a. send rate ----------------------------------------------------------
bench_send() {
	local n=$((HOSTS * 65535)) r
	echo "a. send rate, $n SYNs through the dropping firewall (firewall ingress counter)"

	"$RP" -q plan "$WORK/one.profile" --site "$WORK/many.site" -o "$WORK/a.plan" \
		--rate 1000000 --linger 0 --retries 0 >/dev/null || die "plan"
	mkdir -p "$WORK/a"
	sample_start "$WORK/a-rp.samples" 120
	ip netns exec "$NS_SRC" timeout 110 "$RP" -q send --plan "$WORK/a.plan" --out "$WORK/a" \
		>"$WORK/a-send.log" 2>&1
	sample_stop
	read -r RP_PK RP_S RP_PPS < <(rate_of "$WORK/a-rp.samples")

	sample_start "$WORK/a-masscan.samples" 120
	ip netns exec "$NS_SRC" timeout 110 masscan "198.18.20.1-198.18.20.$HOSTS" -p1-65535 \
		--rate 10000000 --wait 0 --adapter eth0 --adapter-ip 198.18.10.10 \
		--adapter-mac "$SRC_MAC" --router-mac "$FW_MAC" -oL "$WORK/a-masscan.out" \
		>"$WORK/a-masscan.log" 2>&1
	sample_stop
	read -r MS_PK MS_S MS_PPS < <(rate_of "$WORK/a-masscan.samples")

	cat >"$WORK/syn.trafgen" <<-EOF
	{
	  eth(da=$FW_MAC, sa=$SRC_MAC),
	  ipv4(saddr=198.18.10.10, daddr=198.18.20.10, ttl=64),
	  tcp(sp=40000, dp=dinc(1, 65535), syn, win=64240)
	}
	EOF
	sample_start "$WORK/a-trafgen.samples" 120
	ip netns exec "$NS_SRC" timeout 110 trafgen --dev eth0 --conf "$WORK/syn.trafgen" \
		--num "$n" --cpus 1 >"$WORK/a-trafgen.log" 2>&1
	sample_stop
	read -r TG_PK TG_S TG_PPS < <(rate_of "$WORK/a-trafgen.samples")

	printf '   %-24s %9s %8s %10s  %s\n' tool packets seconds pps "ruleproof / tool"
	printf '   %-24s %9s %8s %10s\n' "ruleproof send" "$RP_PK" "$RP_S" "$RP_PPS"
	printf '   %-24s %9s %8s %10s  %s\n' "masscan --rate 10M" "$MS_PK" "$MS_S" "$MS_PPS" \
		"$(ratio "$RP_PPS" "$MS_PPS")x"
	printf '   %-24s %9s %8s %10s  %s\n' "trafgen (TX ring, 1 cpu)" "$TG_PK" "$TG_S" "$TG_PPS" \
		"$(ratio "$RP_PPS" "$TG_PPS")x"
}

# Total results and how many a report got right, read from the summary at
# the top of report.json (the file is large for a million probes).
summary_of() {
	local f=$1/report.json
	head -c 4096 "$f" | awk -F'[:,]' '/"summary"/ { s = 1 } s && /"probes"/ { p = $2 }
		s && /"pass"/ { ok = $2 } s && /"inconclusive"/ { inc = $2; print p + 0, ok + 0, inc + 0; exit }'
}

# ---- b. full-port sweep of one host ---------------------------------------
bench_sweep() {
	local t0 t1 dir open_ok filt total nm_ok
	echo "b. full-port sweep of one host (198.18.20.10, tcp/1-65535) through the dropping firewall"
	mkdir -p "$WORK/b"
	t0=$(now)
	"$RP" -q lab "$WORK/one.profile" --site "$WORK/one.site" --out "$WORK/b" \
		--rate 1000000 >"$WORK/b.log" 2>&1
	t1=$(now)
	RPB_S=$(secs "$t0" "$t1")
	dir=$(ls -1d "$WORK"/b/*/ | tail -n 1)
	read -r RPB_N RPB_OK RPB_INC < <(summary_of "$dir")

	t0=$(now)
	ip netns exec "$NS_SRC" timeout $((NMAP_LIMIT + 30)) nmap -sS -p- -T4 -n -Pn \
		--host-timeout "${NMAP_LIMIT}s" -oX "$WORK/b-nmap.xml" 198.18.20.10 >"$WORK/b-nmap.log" 2>&1
	t1=$(now)
	NMB_S=$(secs "$t0" "$t1")
	# Truth: the firewall accepts tcp/443 only.  nmap says open or closed
	# for a port it reached (no listener: closed), filtered for a drop.
	open_ok=$(grep -c 'portid="443"><state state="\(open\|closed\)"' "$WORK/b-nmap.xml")
	filt=$(grep -o '<extraports state="filtered" count="[0-9]*"' "$WORK/b-nmap.xml" |
		grep -o '[0-9]*' | head -n 1)
	listed=$(grep -c '<port protocol="tcp" portid="[0-9]*"><state state="filtered"' "$WORK/b-nmap.xml")
	nm_ok=$((open_ok + ${filt:-0} + listed))
	if grep -q 'timed out' "$WORK/b-nmap.log" "$WORK/b-nmap.xml"; then NM_NOTE="(hit --host-timeout ${NMAP_LIMIT}s)"; else NM_NOTE=""; fi

	printf '   %-24s %8s %16s  %s\n' tool seconds "ports correct" "nmap time / ruleproof time"
	printf '   %-24s %8s %16s\n' "ruleproof lab" "$RPB_S" "$RPB_OK/65535"
	printf '   %-24s %8s %16s  %s %s\n' "nmap -sS -p- -T4" "$NMB_S" "$nm_ok/65535" \
		"$(ratio "$NMB_S" "$RPB_S")x" "$NM_NOTE"
}

# Peak RSS in MiB from a `/usr/bin/time -v` log.
peak_mib() { awk -F: '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$1"; }

# ---- c. 16 hosts x 65535 ports ---------------------------------------------
bench_full() {
	local t0 t1
	echo "c. $HOSTS hosts x 65535 ports end to end (ruleproof lab, rate 1000000/s, 1 retry)"
	mkdir -p "$WORK/c"
	t0=$(now)
	/usr/bin/time -v -o "$WORK/c.time" "$RP" -v lab "$WORK/one.profile" --site "$WORK/many.site" \
		--out "$WORK/c" --rate 1000000 >"$WORK/c.log" 2>&1
	t1=$(now)
	RPC_S=$(secs "$t0" "$t1")
	CDIR=$(ls -1d "$WORK"/c/*/ | tail -n 1)
	CDIR=${CDIR%/}
	read -r RPC_N RPC_OK RPC_INC < <(summary_of "$CDIR")
	echo "   wall time            ${RPC_S} s for ${RPC_N} probes"
	echo "   verdicts correct     ${RPC_OK}/${RPC_N} (inconclusive ${RPC_INC})"
	jq -r '"   capture \(.role) \(.endpoint): \(.capture.packets) packets, dropped \(.capture.dropped) (+\(.capture.if_dropped) by the interface)"' \
		"$CDIR"/tx-*.json "$CDIR"/rx-*.json 2>/dev/null
	grep -h 'peak RSS' "$WORK/c.log" | sed -E 's/^[^:]*: (debug: )?/   /'
	echo "   all processes (largest, /usr/bin/time): $(peak_mib "$WORK/c.time") MiB"
}

# ---- d. correlation vs tcpdump -r ------------------------------------------
bench_correlate() {
	local t0 t1 f pk
	echo "d. correlating run c again vs tcpdump -r over the same pcaps"
	t0=$(now)
	/usr/bin/time -v -o "$WORK/d.time" "$RP" -v correlate "$CDIR" >"$WORK/d.log" 2>&1
	t1=$(now)
	RPD_S=$(secs "$t0" "$t1")
	RPD_CORR=$(sed -n 's/.*correlated [0-9]* probes in \([0-9.]*\) s.*/\1/p' "$WORK/d.log" | head -n 1)
	pk=0
	t0=$(now)
	for f in "$CDIR"/tx-*.pcap "$CDIR"/rx-*.pcap; do
		tcpdump -nn -r "$f" >/dev/null 2>>"$WORK/d-tcpdump.log"
	done
	t1=$(now)
	TD_S=$(secs "$t0" "$t1")
	# Reading alone, no decoding or printing: the floor of any pcap reader.
	t0=$(now)
	for f in "$CDIR"/tx-*.pcap "$CDIR"/rx-*.pcap; do
		tcpdump -r "$f" -w /dev/null 2>>"$WORK/d-tcpdump.log"
	done
	t1=$(now)
	TW_S=$(secs "$t0" "$t1")
	for f in "$CDIR"/tx-*.pcap "$CDIR"/rx-*.pcap; do
		pk=$((pk + $(jq '.capture.packets' "${f%.pcap}.json")))
	done
	printf '   %-36s %8s  %s\n' what seconds "ruleproof / tcpdump"
	printf '   %-36s %8s  %s\n' "tcpdump -nn -r ($pk packets)" "$TD_S" ""
	printf '   %-36s %8s  %s\n' "tcpdump -r -w /dev/null (read only)" "$TW_S" ""
	printf '   %-36s %8s  %s\n' "ruleproof correlation (read+judge)" "${RPD_CORR:-?}" \
		"$(ratio "${RPD_CORR:-0}" "$TD_S")x of tcpdump -nn -r, $(ratio "${RPD_CORR:-0}" "$TW_S")x of read only"
	printf '   %-36s %8s  %s\n' "ruleproof correlate (with 5 reports)" "$RPD_S" "$(ratio "$RPD_S" "$TD_S")x"
	echo "   ruleproof correlate peak RSS: $(peak_mib "$WORK/d.time") MiB"
}

need_tools
write_inputs
build_net
echo "ruleproof bench: $(nproc) cores, $(uname -r), namespaces rp-$SFX-*, all on 198.18.0.0/15"
T0=$(now)
PARTS=${BENCH_PARTS:-abcd}
[[ $PARTS == *a* ]] && bench_send
[[ $PARTS == *b* ]] && bench_sweep
[[ $PARTS == *c* ]] && bench_full
[[ $PARTS == *c*d* ]] && bench_correlate
echo "bench done in $(secs "$T0" "$(now)") s"
