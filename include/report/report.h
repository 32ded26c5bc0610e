/* Conformance reports written into a run directory: the terminal table
 * and report.txt (report/text.h), report.json (report/json.h), JUnit XML
 * for CI, CSV for spreadsheets and one self-contained HTML page for
 * auditors, all read from the report model (report/model.h). */
#ifndef RP_REPORT_REPORT_H
#define RP_REPORT_REPORT_H

#include <stdbool.h>

#include "report/model.h"

#define REPORT_FILE   "report.json"
#define REPORT_TEXT   "report.txt"
#define REPORT_JUNIT  "report.junit.xml"
#define REPORT_CSV    "report.csv"
#define REPORT_HTML   "report.html"

/* Writes every report file into dir (each through a temporary file and a
 * rename, so that a reader never sees half a report). */
int  report_write_all(const struct report *, const char *dir, char *err, size_t errlen);
/* True for the files report_write_all() writes (and may rewrite). */
bool report_is_output(const char *name);

#endif
