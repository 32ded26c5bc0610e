#!/usr/bin/env bash
# The demo: the Workspace ONE Assist multi-server on-prem firewall table in a
# namespace lab, with three planted mistakes, judged from packets alone.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root to build network namespaces (sudo make demo)" >&2
	exit 1
fi
seed=${RP_DEMO_SEED:-4}
./ruleproof lab profiles/assist-onprem-multi.profile \
	--site profiles/lab/assist-onprem-multi.site --drift 3 --seed "$seed"
rc=$?
# 1 means "the firewall deviates": the planted mistakes were found.
if [ $rc -gt 1 ]; then
	echo "demo: the lab run failed (exit $rc)" >&2
	exit $rc
fi
run=$(ls -1d captures/*/ | sort | tail -n 1)
echo
echo "What --drift planted (${run}planted.txt; the correlator never reads it):"
grep '^drift' "${run}planted.txt" | sed 's/^/  /'
echo
echo "Evidence kept in ${run}: report.json, report.txt, tx-*.pcap, rx-*.pcap, firewall.nft"
