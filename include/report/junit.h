/* report.junit.xml: a test case per rule for CI. */
#ifndef RP_REPORT_JUNIT_H
#define RP_REPORT_JUNIT_H

#include <stdio.h>

#include "report/model.h"

void report_junit(const struct report *, FILE *out);

#endif
