#include "plan/inputs.h"
#include "profile/parse.h"

#include "plan/rundir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
inputs_load(const struct rp_log *log, const char *profile, const char *site, bool lab,
    struct inputs *in)
{
	char err[512];
	int nerr = 0;

	memset(in, 0, sizeof(*in));
	in->prof = profile_load(profile, stderr, &nerr);
	if (!in->prof) {
		log_warnx(log, "%s: %d error%s", profile, nerr, nerr == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	if (!site)
		return EXIT_PASS;
	in->site = site_load(site, stderr, &nerr);
	if (!in->site) {
		log_warnx(log, "%s: %d error%s", site, nerr, nerr == 1 ? "" : "s");
		inputs_free(in);
		return EXIT_USAGE;
	}
	nerr = site_check(in->site, in->prof, lab, stderr);
	if (nerr > 0) {
		log_warnx(log, "%s: %d error%s", site, nerr, nerr == 1 ? "" : "s");
		inputs_free(in);
		return EXIT_USAGE;
	}
	in->pl = plan_build(in->prof, in->site, err, sizeof(err));
	if (!in->pl) {
		fprintf(stderr, "%s\n", err);
		log_warnx(log, "%s: the plan cannot be built", profile);
		inputs_free(in);
		return EXIT_USAGE;
	}
	/* Said where the profile is read; agents and reports rebuilding the
	 * plan from a plan file stay quiet about it. */
	for (size_t i = 0; i < plan_nwarnings(in->pl); i++)
		fprintf(stderr, "%s\n", plan_warning(in->pl, i));
	return EXIT_PASS;
}

void
inputs_free(struct inputs *in)
{
	plan_free(in->pl);
	site_free(in->site);
	profile_free(in->prof);
	memset(in, 0, sizeof(*in));
}

struct embedded_files {
	struct plan_include *inc;
	size_t               n;
};

/* Includes come from the plan file, never from the disk of the host that
 * reads it: what was planned is what is rebuilt. */
static bool
read_embedded(void *ctx, const char *path, char **text, size_t *len, int *err)
{
	const struct embedded_files *ef = ctx;
	size_t i;

	for (i = 0; i < ef->n; i++) {
		if (strcmp(ef->inc[i].path, path) != 0)
			continue;
		*text = malloc(ef->inc[i].len + 1);
		if (!*text) {
			*err = ENOMEM;
			return false;
		}
		memcpy(*text, ef->inc[i].text, ef->inc[i].len);
		(*text)[ef->inc[i].len] = '\0';
		*len = ef->inc[i].len;
		return true;
	}
	*err = ENOENT;
	return false;
}

int
inputs_load_plan(const struct rp_log *log, const char *path, struct run_params *rp,
    struct inputs *in)
{
	char err[512], *ptext = NULL, *stext = NULL;
	size_t plen = 0, slen = 0;
	struct embedded_files ef = { NULL, 0 };
	struct profile_reader io = { .read = read_embedded, .ctx = &ef };
	int nerr = 0, rc = EXIT_USAGE;

	memset(in, 0, sizeof(*in));
	if (run_read_plan_file(rp, path, err, sizeof(err)) != 0 ||
	    run_plan_texts(path, &ptext, &plen, &stext, &slen, err, sizeof(err)) != 0 ||
	    run_plan_includes(path, &ef.inc, &ef.n, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		free(ptext);
		free(stext);
		return EXIT_USAGE;
	}
	/* Diagnostics name the files the plan was made from. */
	in->prof = profile_parse_with(rp->profile_src, ptext, plen, &io, stderr, &nerr);
	if (in->prof)
		in->site = site_parse(rp->site_src, stext, slen, stderr, &nerr);
	if (!in->prof || !in->site || site_check(in->site, in->prof, false, stderr) > 0) {
		log_warnx(log, "%s: the embedded profile or site does not load", path);
		goto out;
	}
	in->pl = plan_build(in->prof, in->site, err, sizeof(err));
	if (!in->pl) {
		log_warnx(log, "%s: %s", path, err);
		goto out;
	}
	rc = EXIT_PASS;
out:
	free(ptext);
	free(stext);
	run_plan_includes_free(ef.inc, ef.n);
	if (rc != EXIT_PASS)
		inputs_free(in);
	return rc;
}
