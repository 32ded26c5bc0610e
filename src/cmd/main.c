/* ruleproof: proves, packet by packet, that a firewall does what its rule
 * table says.  main() only picks the subcommand. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd_agent.h"
#include "cmd/cmd_check.h"
#include "cmd/cmd_evidence.h"
#include "cmd/cmd_lab.h"
#include "cmd/cmd_report.h"
#include "cmd/cmd_tls.h"
#include "lib/exitstatus.h"
#include "lib/rootguard.h"
#include "plan/rundir.h"

struct command {
	const char *name;
	int (*fn)(int, char **, const struct rp_log *);
	const char *summary;
	/* Needs no privilege: never keeps root (rootguard.h).  send decides
	 * for itself: only its --dry-run needs none. */
	bool unprivileged;
};

static const struct command commands[] = {
	{ "check", cmd_check, "parse a profile (and site) and print it in canonical form", true },
	{ "compile", cmd_compile, "compile a profile and site into an nftables ruleset", true },
	{ "plan", cmd_plan, "list the probes a profile and site expand to", true },
	{ "lab", cmd_lab, "run a profile end to end in a namespace lab with an nftables firewall", false },
	{ "listen", cmd_listen, "capture on the far side of a firewall, for one endpoint of a plan", false },
	{ "send", cmd_send, "send one source endpoint's probes of a plan, capturing both ways", false },
	{ "correlate", cmd_correlate, "re-derive the verdicts of a run from its captures alone", true },
	{ "report", cmd_report, "re-derive every report of a run from its plan and pcaps, and seal it", true },
	{ "verify", cmd_verify, "check a run directory against its manifest and signature", true },
	{ "diff", cmd_diff, "list the rules and probes whose verdict changed between two runs", true },
	{ "tls-pin", cmd_tls_pin, "print the SPKI pin (base64 SHA-256) of a certificate file", true },
};

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: ruleproof [-v | -q] COMMAND [ARGS]\n"
	    "       ruleproof COMMAND --help\n\n"
	    "Proves, packet by packet, that a firewall does what its rule table says.\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nexit status: 0 all probes pass, 1 some fail, 2 usage or input error,\n"
	    "3 run error or inconclusive probes.  See ruleproof(1).\n");
}

int
main(int argc, char **argv)
{
	struct rp_log log = { .prog = "ruleproof", .level = LOG_LVL_INFO };
	int i = 1;
	size_t k;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0)
			log.level = LOG_LVL_DEBUG;
		else if (strcmp(argv[i], "-q") == 0)
			log.level = LOG_LVL_QUIET;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EXIT_PASS;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("ruleproof %s\n", RUN_VERSION);
			return EXIT_PASS;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(argv[i], commands[k].name) == 0) {
			if (commands[k].unprivileged && rootguard(commands[k].name, &log) != 0)
				return EXIT_USAGE;
			return commands[k].fn(argc - i, argv + i, &log);
		}
	log_warnx(&log, "unknown command '%s'", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}
