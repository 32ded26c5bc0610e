/* Judging a run directory end to end: correlate its captures, write every
 * report, seal it with the manifest.  `ruleproof report` and the end of
 * `ruleproof lab` both come here. */
#ifndef RP_REPORT_RUNREPORT_H
#define RP_REPORT_RUNREPORT_H

#include <stdbool.h>

#include "lib/log.h"

struct runreport_opts {
	bool        interrupted;   /* the lab stopped early: leave the marker */
	bool        print;         /* the table on standard output */
	bool        force;         /* re-seal even if evidence changed since the last seal */
	const char *plan;          /* plan file apart from the captures, or NULL */
	const char *sign_key;      /* Ed25519 private key (PEM), or NULL */
	unsigned    skew_ms;       /* with skew_set: overrides the plan's clock skew */
	bool        skew_set;
	const char *ca;            /* CA bundle for the `trusted` checks, or NULL */
	bool        color;         /* the printed table in colour */
	bool        require_proof; /* a verdict on hop distance alone is inconclusive */
};

/* An exit status (lib/exitstatus.h): the verdict, or a failure to read,
 * report or seal, which outranks it. */
int runreport(const char *dir, const struct runreport_opts *, const struct rp_log *);

#endif
