/* The subcommands that read a sealed run directory without changing it:
 * verify (is the evidence what was sealed?) and diff (what changed between
 * two runs?). */
#include "cmd/cmd_evidence.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cli.h"
#include "lib/exitstatus.h"
#include "plan/inputs.h"
#include "report/manifest.h"
#include "report/report.h"
#include "report/rundiff.h"

static const char verify_usage[] =
    "usage: ruleproof verify RUN_DIR [--pubkey KEY.pem]\n"
    "Checks every file of a run directory against its MANIFEST.sha256 and names\n"
    "each file added, missing or modified since; with --pubkey (an Ed25519 public\n"
    "or private key, PEM), also checks MANIFEST.sig.\n"
    "Exit status: 0 intact, 1 something changed or the signature does not hold,\n"
    "2 usage error or unreadable directory or key.\n";

static const char *
sig_text(enum mf_sig s)
{
	switch (s) {
	case MF_SIG_NONE:      return "not signed";
	case MF_SIG_UNCHECKED: return "signed (MANIFEST.sig), not checked: give --pubkey KEY";
	case MF_SIG_GOOD:      return "signature good";
	case MF_SIG_BAD:       return "signature BAD: MANIFEST.sig does not verify MANIFEST.sha256 "
	                              "under this key";
	case MF_SIG_MISSING:   return "signature MISSING: no MANIFEST.sig";
	}
	return "?";
}

static void
print_verify(const char *dir, const struct mf_result *res)
{
	size_t i;

	if (!res->have_manifest) {
		printf("verify: FAILED: %s has no %s (`ruleproof report %s` writes one)\n", dir,
		    MANIFEST_FILE, dir);
		return;
	}
	for (i = 0; i < res->nchanges; i++)
		printf("%-10s %s\n", mf_change_name(res->changes[i].what), res->changes[i].name);
	printf("verify: %s: %zu files listed, %zu change%s; %s", mf_result_ok(res) ? "OK" : "FAILED",
	    res->nlisted, res->nchanges, res->nchanges == 1 ? "" : "s", sig_text(res->sig));
	if (res->sig == MF_SIG_GOOD || res->sig == MF_SIG_BAD)
		printf(" (Ed25519 key %s)", res->key_fpr);
	putchar('\n');
}

int
cmd_verify(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "pubkey", required_argument, NULL, 'k' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pubkey = NULL;
	struct mf_result res;
	char err[512];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'k')
			pubkey = optarg;
		else {
			fputs(verify_usage, c == 'h' ? stdout : stderr);
			return c == 'h' ? EXIT_PASS : EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(verify_usage, stderr);
		return EXIT_USAGE;
	}
	if (manifest_verify(argv[optind], pubkey, NULL, &res, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_USAGE;
	}
	print_verify(argv[optind], &res);
	rc = mf_result_ok(&res) ? EXIT_PASS : EXIT_FAIL;
	mf_result_free(&res);
	return rc;
}

static const char diff_usage[] =
    "usage: ruleproof diff RUN_A RUN_B\n"
    "Lists the rules, and the probes, whose verdict differs between two runs\n"
    "(run directories, or their report.json files).  Rules are matched by what\n"
    "they say, probes by hosts, destination address, protocol and port.\n"
    "Exit status: 0 no change, 1 some change, 2 usage error or unreadable report.\n";

/* A run directory's report.json, or the file itself. */
static json_t *
load_report(const char *arg, const struct rp_log *log)
{
	char path[1100];
	struct stat st;
	json_error_t je;
	json_t *o;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/%s", arg, REPORT_FILE);
	else
		snprintf(path, sizeof(path), "%s", arg);
	if ((o = json_load_file(path, 0, &je)) == NULL)
		log_warnx(log, "%s: %s", path, je.text);
	return o;
}

int
cmd_diff(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct rundiff_counts n;
	json_t *a, *b;
	char err[256];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		fputs(diff_usage, c == 'h' ? stdout : stderr);
		return c == 'h' ? EXIT_PASS : EXIT_USAGE;
	}
	if (optind != argc - 2) {
		fputs(diff_usage, stderr);
		return EXIT_USAGE;
	}
	a = load_report(argv[optind], log);
	b = a ? load_report(argv[optind + 1], log) : NULL;
	if (!a || !b) {
		json_decref(a);
		return EXIT_USAGE;
	}
	rc = rundiff(a, b, stdout, cli_color(), &n, err, sizeof(err));
	if (rc != 0)
		log_warnx(log, "%s", err);
	json_decref(a);
	json_decref(b);
	return rc != 0 ? EXIT_USAGE : rundiff_total(&n) ? EXIT_FAIL : EXIT_PASS;
}
