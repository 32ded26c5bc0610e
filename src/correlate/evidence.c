#include "correlate/evidence.h"

const char *
evidence_name(enum evidence e)
{
	static const char *const names[] = {
		"arrived", "answered", "host-reset", "firewall-reset", "icmp-unreachable",
		"silent-drop", "tls-intact", "tls-sni-altered", "tls-altered", "tls-reoriginated",
		"tls-blocked-after-syn", "inconclusive",
	};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

const char *
observed_name(enum observed o)
{
	return o == OBS_OPEN ? "open" : o == OBS_CLOSED ? "closed" : "unknown";
}

const char *
verdict_name(enum verdict v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "fail" : "inconclusive";
}
