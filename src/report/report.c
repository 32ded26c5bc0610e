/* Writing every report of a run, each through a temporary file and a
 * rename, from the table of formats below. */
#include "report/report.h"

#include <string.h>

#include "lib/atomicfile.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/text.h"

/* ---- writing them all ---- */

static int
text_file(const struct report *r, FILE *out)
{
	report_text(r, out, false, NULL, 0);
	return 0;
}

static int
junit_file(const struct report *r, FILE *out)
{
	report_junit(r, out);
	return 0;
}

static int
csv_file(const struct report *r, FILE *out)
{
	report_csv(r, out);
	return 0;
}

static int
html_file(const struct report *r, FILE *out)
{
	report_html(r, out);
	return 0;
}

/* Every report file and the format that writes it: a new format is one
 * module and one row here. */
static const struct {
	const char *name;
	int       (*write)(const struct report *, FILE *);
} outputs[] = {
	{ REPORT_FILE, report_json }, { REPORT_TEXT, text_file }, { REPORT_JUNIT, junit_file },
	{ REPORT_CSV, csv_file }, { REPORT_HTML, html_file },
};

bool
report_is_output(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		if (strcmp(name, outputs[i].name) == 0)
			return true;
	return false;
}

struct format_job {
	const struct report *r;
	int                (*write)(const struct report *, FILE *);
};

static int
fill_format(FILE *out, void *arg)
{
	const struct format_job *job = arg;

	return job->write(job->r, out);
}

int
report_write_all(const struct report *r, const char *dir, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		struct format_job job = { r, outputs[i].write };
		char path[1100];

		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i].name);
		if (atomic_write(path, fill_format, &job, err, errlen) != 0)
			return -1;
	}
	return 0;
}
