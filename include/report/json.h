/* report.json: schema REPORT_SCHEMA, documented in ruleproof(1). */
#ifndef RP_REPORT_JSON_H
#define RP_REPORT_JSON_H

#include <stdio.h>

#include "report/model.h"

/* 0, or -1 when the document cannot be built or written. */
int  report_json(const struct report *, FILE *out);

#endif
