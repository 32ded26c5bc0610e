/* The subcommands that judge a run from its directory: correlate. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "correlate.h"
#include "report.h"
#include "run.h"

int
correlate_run_dir(const char *dir, bool interrupted, bool print, const struct rp_log *log)
{
	char path[1100], err[512];
	struct run_params rp;
	struct cli_inputs in;
	struct corr *c = NULL;
	FILE *txt;
	int rc;

	if (run_read_plan(&rp, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_USAGE;
	}
	{
		char pf[1100], sf[1100];
		snprintf(pf, sizeof(pf), "%s/%s", dir, RUN_PROFILE_FILE);
		snprintf(sf, sizeof(sf), "%s/%s", dir, RUN_SITE_FILE);
		rc = cli_load(log, pf, sf, false, &in);
		if (rc != EXIT_PASS)
			return rc;
	}
	c = corr_new(in.pl);
	if (!c || corr_read_dir(c, rp.key, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", c ? err : "out of memory");
		corr_free(c);
		cli_free(&in);
		return EXIT_RUN;
	}
	corr_finish(c);
	{
		struct report_ctx x = { .rp = &rp, .pl = in.pl, .c = c, .finished_us = run_now_us(),
		    .run_dir = dir, .interrupted = interrupted };
		snprintf(path, sizeof(path), "%s/%s", dir, REPORT_FILE);
		rc = report_exit_status(c);
		if (report_json(&x, path, err, sizeof(err)) != 0) {
			log_warnx(log, "%s", err);
			rc = EXIT_RUN;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, REPORT_TEXT);
		if ((txt = fopen(path, "w")) != NULL) {
			report_text(&x, txt, false);
			if (fclose(txt) != 0)
				rc = EXIT_RUN;
		} else {
			log_warn(log, "%s", path);
			rc = EXIT_RUN;
		}
		if (print)
			report_text(&x, stdout, cli_color());
	}
	corr_free(c);
	cli_free(&in);
	return rc;
}

static const char correlate_usage[] =
    "usage: ruleproof correlate RUN_DIR\n"
    "Re-derives every verdict of a run from its directory alone (plan.json, the\n"
    "profile and site copies, the pcaps and their capture files), rewrites\n"
    "report.json and report.txt there, and prints the report.\n";

int
cmd_correlate(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(correlate_usage, stdout);
			return EXIT_PASS;
		}
		fputs(correlate_usage, stderr);
		return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fputs(correlate_usage, stderr);
		return EXIT_USAGE;
	}
	return correlate_run_dir(argv[optind], false, true, log);
}
