/* libFuzzer target for plan files (plan.json, RUN.plan): they travel
 * between hosts and sit in run directories, so they are untrusted input.
 * The bytes are read by run_read_plan_file(), run_plan_includes() and
 * run_plan_texts() from a memfd (memfile.h); what they accept must be safe for what the reports do
 * with it: format the start time and write every string back into
 * report.json. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memfile.h"
#include "plan/rundir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* report.json packs these with json_pack("s"), which refuses a string that
 * is not UTF-8: the whole report would be lost. */
static void
must_be_json_text(const char *s)
{
	json_t *j = json_string(s);

	if (!j)
		abort();
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_params rp;
	struct plan_include *inc = NULL;
	char err[512], when[40], *ptext = NULL, *stext = NULL;
	size_t plen = 0, slen = 0, ninc = 0, i;
	const char *path = fuzz_memfile(data, size);

	err[0] = '\0';
	if (run_read_plan_file(&rp, path, err, sizeof(err)) != 0) {
		if (!err[0])
			abort();   /* a refusal must say why */
	} else {
		run_fmt_time(rp.started_us, when, sizeof(when));
		must_be_json_text(rp.id);
		must_be_json_text(rp.command);
		must_be_json_text(rp.profile_src);
		must_be_json_text(rp.site_src);
		must_be_json_text(rp.profile_sha256);
		must_be_json_text(rp.site_sha256);
	}
	/* The profile's included files, each checked against its hash. */
	err[0] = '\0';
	if (run_plan_includes(path, &inc, &ninc, err, sizeof(err)) != 0) {
		if (!err[0] || inc || ninc)
			abort();
	}
	for (i = 0; i < ninc; i++)
		if (!inc[i].path || !inc[i].text || strlen(inc[i].text) != inc[i].len)
			abort();
	run_plan_includes_free(inc, ninc);
	err[0] = '\0';
	if (run_plan_texts(path, &ptext, &plen, &stext, &slen, err, sizeof(err)) != 0) {
		if (!err[0] || ptext || stext)
			abort();
		return 0;
	}
	/* The texts are handed to the parsers with their lengths. */
	if (!ptext || !stext || strlen(ptext) != plen || strlen(stext) != slen)
		abort();
	free(ptext);
	free(stext);
	return 0;
}
