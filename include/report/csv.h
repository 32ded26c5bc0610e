/* report.csv: one row per probe, RFC 4180, for spreadsheets. */
#ifndef RP_REPORT_CSV_H
#define RP_REPORT_CSV_H

#include <stdio.h>

#include "report/model.h"

void report_csv(const struct report *, FILE *out);

#endif
