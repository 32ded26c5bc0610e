#!/usr/bin/env bash
# Installs what ruleproof needs from Debian's packages, and only what is
# missing.  `--test` adds what the test suite needs.  Used by `make demo`,
# `make check` and CI alike.
set -euo pipefail

build=(make gcc libc6-dev libpcap-dev libnet1-dev libssl-dev libjansson-dev libpsl-dev nftables iproute2)
test=(libcunit1-dev tshark jq clang libclang-rt-14-dev chromium libxml2-utils fonts-dejavu-core socat valgrind openssl)

want=("${build[@]}")
[ "${1:-}" = "--test" ] && want+=("${test[@]}")

missing=()
for p in "${want[@]}"; do
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
