/* The command that judges a run from its directory: report (alias
 * correlate); the work is report/runreport's. */
#include "cmd/cmd_report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "lib/exitstatus.h"
#include "plan/inputs.h"
#include "lib/exitstatus.h"
#include "report/manifest.h"
#include "report/runreport.h"

static void
report_usage(FILE *out, const char *name)
{
	fprintf(out,
	    "usage: ruleproof %s [--plan PLAN] RUN_DIR [--sign KEY.pem] [--force] [--skew MS]\n"
	    "                 [--ca CA.pem] [--require-proof]\n"
	    "Re-derives every verdict of a run from its directory alone (plan.json, the\n"
	    "profile and site copies, the pcaps and their capture files), rewrites\n"
	    "report.txt, report.json, report.junit.xml, report.csv and report.html there,\n"
	    "prints the report, and rewrites MANIFEST.sha256 over every file.\n"
	    "  --plan PLAN     the plan file of split agents whose captures are in RUN_DIR\n"
	    "                  (copied there as plan.json if it has none)\n"
	    "  --sign KEY.pem  also sign the manifest (MANIFEST.sig) with this Ed25519\n"
	    "                  private key (default: $RULEPROOF_SIGN_KEY)\n"
	    "  --force         re-seal even if the evidence changed since the last manifest\n"
	    "  --skew MS       clock difference to tolerate between the agents' hosts\n"
	    "                  (default: the plan's; 100 for plan files, 0 in the lab)\n"
	    "  --ca CA.pem     the CA bundle the certificate checks' `trusted` verifies\n"
	    "                  against (default: RUN_DIR/ca.pem if there, else the system's)\n"
	    "  --require-proof a verdict that rests on a reply's hop distance alone (no\n"
	    "                  far-side capture, no handshake) is inconclusive, not a pass\n",
	    name);
}

/* `report` and its older name `correlate`. */
int
cmd_correlate(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "sign", required_argument, NULL, 's' }, { "force", no_argument, NULL, 'f' },
		{ "plan", required_argument, NULL, 'p' }, { "skew", required_argument, NULL, 'K' },
		{ "ca", required_argument, NULL, 'C' }, { "require-proof", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *env = getenv("RULEPROOF_SIGN_KEY");
	struct runreport_opts o = { .print = true, .color = cli_color(),
	    .sign_key = env && env[0] ? env : NULL };
	char err[512];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 's')
			o.sign_key = optarg;
		else if (c == 'f')
			o.force = true;
		else if (c == 'p')
			o.plan = optarg;
		else if (c == 'R')
			o.require_proof = true;
		else if (c == 'C') {
			if (access(optarg, R_OK) != 0) {
				log_warn(log, "--ca %s", optarg);
				return EXIT_USAGE;
			}
			o.ca = optarg;
		}
		else if (c == 'K') {
			unsigned long v;
			if (cli_parse_uint(optarg, 3600000, &v) != 0) {
				log_warnx(log, "--skew takes milliseconds from 0 to 3600000");
				return EXIT_USAGE;
			}
			o.skew_ms = (unsigned)v;
			o.skew_set = true;
		} else {
			report_usage(c == 'h' ? stdout : stderr, argv[0]);
			return c == 'h' ? EXIT_PASS : EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		report_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	/* A bad key is found before anything is rewritten. */
	if (o.sign_key && manifest_check_signing_key(o.sign_key, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_USAGE;
	}
	return runreport(argv[optind], &o, log);
}

int
cmd_report(int argc, char **argv, const struct rp_log *log)
{
	return cmd_correlate(argc, argv, log);
}
