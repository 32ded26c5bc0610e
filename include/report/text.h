/* The rule table: on the terminal (colour, the run directory) and as
 * report.txt (neither). */
#ifndef RP_REPORT_TEXT_H
#define RP_REPORT_TEXT_H

#include <stdio.h>

#include "report/model.h"

/* The table grouped by rule, each failing rule followed by its failing or
 * inconclusive probes (at most max_probes each, 0 for all), and the summary
 * line.  run_dir is shown on the terminal only (NULL in report.txt, which
 * must not depend on the path it was re-derived from). */
void report_text(const struct report *, FILE *out, bool color, const char *run_dir,
                 unsigned max_probes);

#endif
