/* Conformance reports: the terminal table and report.json
 * (schema ruleproof-report/1, documented in ruleproof(1)). */
#ifndef RP_REPORT_H
#define RP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "correlate.h"
#include "plan.h"
#include "run.h"

#define REPORT_SCHEMA "ruleproof-report/1"
#define REPORT_FILE   "report.json"
#define REPORT_TEXT   "report.txt"

struct report_ctx {
	const struct run_params *rp;
	const struct plan       *pl;
	const struct corr       *c;
	int64_t                  finished_us;
	const char              *run_dir;
	bool                     interrupted;
};

void report_text(const struct report_ctx *, FILE *out, bool color);
int  report_json(const struct report_ctx *, const char *path, char *err, size_t errlen);
/* 0 every probe passed, 1 some failed, 3 none failed but some inconclusive. */
int  report_exit_status(const struct corr *);

#endif
