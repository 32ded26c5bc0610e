/* libFuzzer target for the capture files (tx-NAME.json, rx-NAME.json) that
 * agents write next to their pcaps: a run directory arrives from other hosts
 * and is untrusted input.  The bytes are read by capfile_read() from a
 * memfd (memfile.h); what it accepts must be safe for what the reports do
 * with it: format its times, take their difference, and write it back as
 * JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/capfile.h"
#include "memfile.h"
#include "plan/rundir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capfile m;
	char err[512], st[40], fin[40];
	const char *path = fuzz_memfile(data, size);
	volatile int64_t span;
	int out;

	err[0] = '\0';
	if (capfile_read(&m, path, err, sizeof(err)) != 0) {
		if (!err[0])
			abort();   /* a refusal must say why */
		return 0;
	}
	/* What report.c, report_html.c and report_junit.c do with the times. */
	run_fmt_time(m.started_us, st, sizeof(st));
	run_fmt_time(m.finished_us, fin, sizeof(fin));
	span = m.finished_us - m.started_us;
	(void)span;
	/* Whatever was accepted can be written again (the strings were cut to
	 * their fields: still text jansson accepts). */
	if ((out = memfd_create("fuzz.out", 0)) < 0)
		abort();
	if (capfile_write_fd(&m, out, err, sizeof(err)) != 0)
		abort();
	close(out);
	return 0;
}
