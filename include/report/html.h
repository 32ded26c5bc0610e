/* report.html: one self-contained page for auditors. */
#ifndef RP_REPORT_HTML_H
#define RP_REPORT_HTML_H

#include <stdio.h>

#include "report/model.h"

void report_html(const struct report *, FILE *out);

#endif
