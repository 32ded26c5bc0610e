#include "correlate/evidence.h"

/* The names are part of report.json's schema: each table is checked
 * against its enum's length at compile time. */

const char *
evidence_name(enum evidence e)
{
	static const char *const names[] = {
		"arrived", "answered", "host-reset", "host-refused", "firewall-reset",
		"icmp-unreachable", "silent-drop", "one-way", "answered-by-middlebox",
		"tls-intact", "tls-sni-altered", "tls-altered", "tls-reoriginated",
		"tls-blocked-after-syn", "inconclusive",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == EVD_INCONCLUSIVE + 1, "evidence names");
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

const char *
proof_name(enum proof p)
{
	static const char *const names[] = {
		"two-sided", "handshake", "icmp", "hop-distance", "none",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == PROOF_NONE + 1, "proof names");
	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}
