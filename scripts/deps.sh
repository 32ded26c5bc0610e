#!/usr/bin/env bash
# Installs what ruleproof needs from Debian's packages, and only what is
# missing.  This file is the one place that lists packages:
#
#   scripts/deps.sh            building and running ruleproof (make deps, make demo)
#   scripts/deps.sh --test     that, and what the test suite runs (make check, CI)
#   scripts/deps.sh --bench    that, and the tools make bench measures against
#   scripts/deps.sh --list build|test|bench
#                              print that list, one package a line, followed by
#                              the programs the scripts and tests run from it
#
# scripts/deps-lint.sh (make deps-lint) fails when a test or script runs a
# program that is neither from Debian's base (a package dpkg marks Essential
# or Priority required, present on every Debian system) nor named below after
# a package of a list that test or script may count on.
set -euo pipefail

# PACKAGE or PACKAGE:PROGRAM,...: after the colon, each program the project
# runs from that package or from one it depends on (tshark brings
# wireshark-common and its text2pcap).
# binutils (gcc brings it) and git: scripts/modcheck.sh (make check, make
# modcheck) reads the objects with nm and lists the sources with git ls-files.
build=(make:make gcc libc6-dev libpcap-dev libnet1-dev libssl-dev libjansson-dev libpsl-dev
	nftables:nft iproute2:ip,ss binutils:nm git:git)
# shfmt and jq: scripts/deps-lint.sh reads the scripts' syntax trees with them;
# procps: t_proof sets a sysctl in its firewall namespace.
test=(libcunit1-dev tshark:tshark,text2pcap jq:jq clang:clang libclang-rt-14-dev
	chromium:chromium libxml2-utils:xmllint fonts-dejavu-core socat:socat valgrind:valgrind
	openssl:openssl shfmt:shfmt procps:sysctl)
# What scripts/bench.sh runs besides the build list (iputils-ping: the bench
# warms the neighbour caches with ping; Debian's base has no ping).
bench=(masscan:masscan nmap:nmap netsniff-ng:trafgen tcpdump:tcpdump time:time jq:jq
	iputils-ping:ping)

usage() {
	echo "usage: scripts/deps.sh [--test | --bench | --list build|test|bench]" >&2
	exit 2
}

case ${1:-} in
--list)
	[ $# -eq 2 ] || usage
	case $2 in
	build) list=("${build[@]}") ;;
	test) list=("${test[@]}") ;;
	bench) list=("${bench[@]}") ;;
	*) usage ;;
	esac
	for p in "${list[@]}"; do
		progs=""
		[ "$p" = "${p%%:*}" ] || progs=${p#*:}
		echo "${p%%:*} ${progs//,/ }"
	done
	exit 0
	;;
"") want=("${build[@]}") ;;
--test) want=("${build[@]}" "${test[@]}") ;;
--bench) want=("${build[@]}" "${bench[@]}") ;;
*) usage ;;
esac
[ $# -le 1 ] || usage

missing=()
for p in "${want[@]}"; do
	p=${p%%:*}
	case " ${missing[*]} " in *" $p "*) continue ;; esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root (sudo make ...) to install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
