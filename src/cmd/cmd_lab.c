/* The subcommands that run probes or judge them: lab, correlate. */
#include "cmd/cmd_lab.h"

#include <errno.h>
#include <getopt.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "lib/exitstatus.h"
#include "plan/inputs.h"
#include "lab/ruleset.h"
#include "plan/inputs.h"
#include "report/runreport.h"
#include "correlate/correlate.h"
#include "lib/sudouser.h"
#include "lab/lab.h"
#include "report/manifest.h"
#include "report/report.h"
#include "plan/rundir.h"
#include "lib/sigfd.h"
#include "lib/diskspace.h"

#define LAB_RATE_DEFAULT   2000
#define LAB_LINGER_DEFAULT 500
#define LAB_RETRIES_DEFAULT 1
#define NFT_FILE           "firewall.nft"
#define PLANTED_FILE       "planted.txt"

static const char lab_usage[] =
    "usage: ruleproof lab PROFILE --site SITE [--firewall RULES.nft]\n"
    "                     [--drift N [--seed S]] [--out DIR] [--rate PPS] [--linger MS]\n"
    "                     [--retries N] [--tls-cert CERT.pem --tls-key KEY.pem]\n"
    "Builds a network namespace per host of SITE and a firewall namespace running\n"
    "nftables between them (198.18.0.0/15 only), sends every probe of PROFILE,\n"
    "captures both sides, correlates and prints the conformance report.\n"
    "  --firewall FILE  load this ruleset instead of one compiled from PROFILE\n"
    "  --drift N        plant N deviations in the compiled ruleset (planted.txt)\n"
    "  --seed S         choose the deviations deterministically (default: random)\n"
    "  --out DIR        where run directories go (default: captures)\n"
    "  --rate PPS       probes per second per sender (default: 2000)\n"
    "  --linger MS      wait for late replies after the last probe (default: 500)\n"
    "  --retries N      try probes that got no answer N more times (default: 1)\n"
    "  --ca CA.pem      the CA bundle for the certificate checks' `trusted` (kept in\n"
    "                   the run directory as ca.pem, so that reports re-derive alike)\n"
    "  --tls-cert FILE  the certificate chain (PEM) the listeners' TLS responders\n"
    "  --tls-key FILE   serve, with its key (default: a test certificate each makes)\n"
    "       ruleproof lab --resume RUN_DIR [--tls-cert CERT.pem --tls-key KEY.pem]\n"
    "  --resume RUN_DIR continue an interrupted run: the same plan, key and ruleset;\n"
    "                   probes without a verdict are sent again into new captures\n"
    "                   (tx-NAME-r1.pcap ...); no evidence is rewritten\n"
    "Needs root.  Exit status: 0 all pass, 1 some fail, 2 bad input, 3 run error\n"
    "or inconclusive probes.\n";

struct lab_opts {
	const char   *site, *firewall, *out, *resume, *ca, *tls_cert, *tls_key;
	unsigned long drift, rate, linger, retries;
	unsigned long long seed;
	bool          seeded;
};

/* The run judged from its directory alone, exactly as `report` would;
 * reseal: this command itself added to the sealed evidence (a resumed run)
 * and checked before that nothing else had changed. */
static int
judge(const char *dir, bool interrupted, bool reseal, const struct rp_log *log)
{
	const char *key = getenv("RULEPROOF_SIGN_KEY");
	struct runreport_opts o = { .interrupted = interrupted, .print = true,
	    .color = cli_color(), .force = reseal, .sign_key = key && key[0] ? key : NULL };

	return runreport(dir, &o, log);
}

static int
parse_lab_opts(int argc, char **argv, struct lab_opts *o, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' }, { "firewall", required_argument, NULL, 'f' },
		{ "drift", required_argument, NULL, 'd' }, { "seed", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' }, { "rate", required_argument, NULL, 'r' },
		{ "linger", required_argument, NULL, 'L' }, { "retries", required_argument, NULL, 'R' },
		{ "resume", required_argument, NULL, 'u' }, { "ca", required_argument, NULL, 'C' },
		{ "tls-cert", required_argument, NULL, 'T' }, { "tls-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	*o = (struct lab_opts){ .out = "captures", .rate = LAB_RATE_DEFAULT, .linger = LAB_LINGER_DEFAULT,
	    .retries = LAB_RETRIES_DEFAULT };
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:f:d:S:o:r:L:R:u:C:T:K:h", opts, NULL)) != -1) {
		switch (c) {
		case 'C': o->ca = optarg; break;
		case 'T': o->tls_cert = optarg; break;
		case 'K': o->tls_key = optarg; break;
		case 'u': o->resume = optarg; break;
		case 's': o->site = optarg; break;
		case 'f': o->firewall = optarg; break;
		case 'o': o->out = optarg; break;
		case 'd':
			if (cli_parse_uint(optarg, 1000, &o->drift) != 0)
				return log_warnx(log, "--drift takes a number from 0 to 1000"), -1;
			break;
		case 'S':
			if (cli_parse_uint(optarg, ~0UL, &v) != 0)
				return log_warnx(log, "--seed takes a non-negative integer"), -1;
			o->seed = v;
			o->seeded = true;
			break;
		case 'r':
			if (cli_parse_uint(optarg, 1000000, &o->rate) != 0 || o->rate == 0)
				return log_warnx(log, "--rate takes a number from 1 to 1000000"), -1;
			break;
		case 'L':
			if (cli_parse_uint(optarg, 60000, &o->linger) != 0)
				return log_warnx(log, "--linger takes milliseconds from 0 to 60000"), -1;
			break;
		case 'R':
			if (cli_parse_uint(optarg, 10, &o->retries) != 0)
				return log_warnx(log, "--retries takes a number from 0 to 10"), -1;
			break;
		case 'h': fputs(lab_usage, stdout); return 1;
		default: return -1;
		}
	}
	if (!o->tls_cert != !o->tls_key)
		return log_warnx(log, "--tls-cert and --tls-key go together"), -1;
	if (o->resume)
		return optind == argc && !o->site && !o->firewall && !o->drift ? 0 :
		    (log_warnx(log, "--resume takes the run directory (and --tls-cert, --tls-key) only"), -1);
	if (optind != argc - 1 || !o->site)
		return -1;
	if (o->firewall && o->drift)
		return log_warnx(log, "--drift plants deviations in the compiled ruleset; it does not go with --firewall"), -1;
	return 0;
}

static int
copy_ruleset(const char *src, const char *dst, const struct rp_log *log)
{
	char buf[8192];
	FILE *in = fopen(src, "r"), *out;
	size_t n;
	int rc = 0;

	if (!in) {
		log_warn(log, "%s", src);
		return EXIT_USAGE;
	}
	out = fopen(dst, "wx");
	if (!out) {
		log_warn(log, "%s", dst);
		fclose(in);
		return EXIT_RUN;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = EXIT_RUN;
	if (ferror(in))
		rc = EXIT_RUN;
	fclose(in);
	if (fclose(out) != 0)
		rc = EXIT_RUN;
	if (rc)
		log_warnx(log, "copying %s to %s failed", src, dst);
	return rc;
}

/* Writes the ruleset the lab's firewall will load into the run directory. */
static int
stage_ruleset(const struct lab_opts *o, const struct plan *pl, const char *dir, const struct rp_log *log)
{
	char nft[1100], planted[1100];
	FILE *out, *pf = NULL;
	unsigned long long seed = o->seed;
	int rc;

	snprintf(nft, sizeof(nft), "%s/%s", dir, NFT_FILE);
	if (o->firewall)
		return copy_ruleset(o->firewall, nft, log);
	if (o->drift && !o->seeded && RAND_bytes((unsigned char *)&seed, sizeof(seed)) != 1)
		return EXIT_RUN;
	out = fopen(nft, "wx");
	snprintf(planted, sizeof(planted), "%s/%s", dir, PLANTED_FILE);
	if (!out || (o->drift && !(pf = fopen(planted, "wx")))) {
		log_warn(log, "%s", out ? planted : nft);
		if (out)
			fclose(out);
		return EXIT_RUN;
	}
	rc = ruleset_compile(pl, o->drift, seed, out, pf, log) == 0 ? EXIT_PASS : EXIT_RUN;
	if (fclose(out) != 0 || (pf && fclose(pf) != 0)) {
		log_warnx(log, "%s: write failed", dir);
		rc = EXIT_RUN;
	}
	return rc;
}

static int
prepare_run(const struct lab_opts *o, const char *profile, const struct inputs *in,
    struct run_params *rp, char *dir, size_t dirlen, const char *command, const struct rp_log *log)
{
	char err[512];
	int rc;

	if (run_init(rp, err, sizeof(err)) != 0 ||
	    run_make_dir(o->out, rp->id, dir, dirlen, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_RUN;
	}
	/* Room is checked before anything is sent; an empty run is not kept. */
	if (diskspace_check(dir, diskspace_needed(plan_nprobes(in->pl), (unsigned)o->retries + 1), err,
	    sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		rmdir(dir);
		return EXIT_RUN;
	}
	if (run_stage_inputs(rp, dir, profile, o->site, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_RUN;
	}
	rp->prof = in->prof;
	rp->rate = (unsigned)o->rate;
	rp->linger_ms = (unsigned)o->linger;
	rp->retries = (unsigned)o->retries;
	snprintf(rp->command, sizeof(rp->command), "%s", command);
	if (run_write_plan(rp, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_RUN;
	}
	rc = stage_ruleset(o, in->pl, dir, log);
	if (rc == EXIT_PASS && o->ca) {
		char ca[1100];
		snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
		rc = copy_ruleset(o->ca, ca, log);
	}
	return rc;
}

static int
run_lab(const struct lab_opts *o, const struct inputs *in, const struct run_params *rp,
    const char *dir, int sigfd, unsigned segment, const uint8_t *skip, bool *interrupted,
    const struct rp_log *log)
{
	char nft[1100], err[512];
	struct lab_cfg cfg = { .pl = in->pl, .rp = rp, .run_dir = dir, .nft_path = nft,
	    .log = log, .sigfd = sigfd, .segment = segment, .skip = skip,
	    .tls_cert = o->tls_cert, .tls_key = o->tls_key };
	struct lab *lab;
	int rc = EXIT_PASS;

	snprintf(nft, sizeof(nft), "%s/%s", dir, NFT_FILE);
	lab = lab_up(&cfg, err, sizeof(err));
	if (!lab) {
		log_warnx(log, "lab: %s", err);
		return EXIT_RUN;
	}
	if (lab_run(lab, interrupted, err, sizeof(err)) != 0) {
		log_warnx(log, "lab: %s", err);
		rc = EXIT_RUN;
	}
	lab_down(lab);
	return rc;
}

/* Before a run is resumed, its sealed evidence must be as it was left. */
static int
check_untouched(const char *dir, const struct rp_log *log)
{
	struct mf_result res;
	char err[512];
	size_t i;
	int rc = 0;

	if (manifest_verify(dir, NULL, NULL, &res, err, sizeof(err)) != 0)
		return log_warnx(log, "%s", err), -1;
	for (i = 0; i < res.nchanges; i++) {
		log_warnx(log, "%s: %s since the run was interrupted", res.changes[i].name,
		    mf_change_name(res.changes[i].what));
		rc = -1;
	}
	if (rc != 0)
		log_warnx(log, "not resumed: the evidence changed (ruleproof verify %s)", dir);
	mf_result_free(&res);
	return rc;
}

/* What the run has proven so far: the probes that already have a verdict
 * (skip[i] = 1), and the next capture segment. */
static uint8_t *
judged_so_far(const char *dir, const struct run_params *rp, const struct inputs *in,
    unsigned *segment, uint32_t *left, const struct rp_log *log)
{
	struct corr *c = corr_new(in->pl);
	uint8_t *skip = calloc(plan_nprobes(in->pl) + 1, 1);
	size_t e, n = 0;
	char err[512];
	uint32_t i;

	if (!c || !skip || corr_read_dir(c, rp->key, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", c && skip ? err : "out of memory");
		corr_free(c);
		free(skip);
		return NULL;
	}
	corr_set_skew(c, (int64_t)rp->skew_ms * 1000);
	corr_finish(c);
	*left = 0;
	for (i = 0; i < plan_nprobes(in->pl); i++) {
		skip[i] = corr_result(c, i)->verdict != VERDICT_INCONCLUSIVE;
		*left += !skip[i];
	}
	for (e = 0; e < profile_nendpoints(in->prof); e++) {
		n = corr_ncaptures(c, e, true) > n ? corr_ncaptures(c, e, true) : n;
		n = corr_ncaptures(c, e, false) > n ? corr_ncaptures(c, e, false) : n;
	}
	*segment = (unsigned)n;
	corr_free(c);
	return skip;
}

static int
resume_lab(const struct lab_opts *o, const struct rp_log *log)
{
	const char *dir = o->resume;
	char path[1100], err[512];
	struct run_params rp;
	struct inputs in;
	uint8_t *skip;
	unsigned segment = 0;
	uint32_t left = 0;
	bool interrupted = false;
	int rc, sigfd;

	snprintf(path, sizeof(path), "%s/%s", dir, RUN_PLAN_FILE);
	if ((rc = inputs_load_plan(log, path, &rp, &in)) != EXIT_PASS)
		return rc;
	if (check_untouched(dir, log) != 0 || !(skip = judged_so_far(dir, &rp, &in, &segment, &left, log))) {
		inputs_free(&in);
		return EXIT_RUN;
	}
	if (segment >= CORR_MAX_SEGMENTS ||
	    diskspace_check(dir, diskspace_needed(left, rp.retries + 1), err, sizeof(err)) != 0) {
		log_warnx(log, "%s", segment >= CORR_MAX_SEGMENTS ? "resumed too often" : err);
		rc = EXIT_RUN;
		goto out;
	}
	if (left == 0) {
		log_info(log, "%s: every probe already has a verdict; nothing to resume", rp.id);
		rc = judge(dir, false, false, log);
		goto out;
	}
	log_info(log, "resuming %s: %u of %u probes still without a verdict, into capture segment %u",
	    rp.id, left, plan_nprobes(in.pl), segment);
	/* The run is being completed: the marker of its interruption goes, the
	 * interrupted segments stay. */
	snprintf(path, sizeof(path), "%s/%s", dir, REPORT_INTERRUPTED);
	unlink(path);
	sigfd = sigfd_open();
	rc = sigfd < 0 ? EXIT_RUN : run_lab(o, &in, &rp, dir, sigfd, segment, skip, &interrupted, log);
	if (sigfd >= 0)
		close(sigfd);
	if (rc == EXIT_PASS || interrupted)
		rc = judge(dir, interrupted, true, log);
	if (interrupted)
		rc = EXIT_RUN;
out:
	free(skip);
	inputs_free(&in);
	return rc;
}

/* The responders load them after the namespaces are up: a file that cannot
 * be read is said before anything is built. */
static int
check_tls_files(const struct lab_opts *o, const struct rp_log *log)
{
	if (o->tls_cert && access(o->tls_cert, R_OK) != 0)
		return log_warn(log, "--tls-cert %s", o->tls_cert), -1;
	if (o->tls_key && access(o->tls_key, R_OK) != 0)
		return log_warn(log, "--tls-key %s", o->tls_key), -1;
	return 0;
}

/* Under sudo, a run belongs to the user who ran sudo, so that
 * `ruleproof report DIR` works without root afterwards: the run directory
 * and everything in it (and the --out directory when the lab made it),
 * handed over at the end of every run, interrupted or failed ones too.
 * Returns rc, or EXIT_RUN when a file could not be handed over. */
static int
hand_over(const struct sudo_user *owner, const char *base, bool base_made, const char *dir,
    int rc, const struct rp_log *log)
{
	char err[512];
	struct stat st;

	if (!owner)
		return rc;
	if ((base_made && sudouser_hand_over(owner, base, err, sizeof(err)) != 0) ||
	    (dir[0] && stat(dir, &st) == 0 && sudouser_hand_over(owner, dir, err, sizeof(err)) != 0)) {
		log_warnx(log, "%s", err);
		return rc == EXIT_PASS ? EXIT_RUN : rc;
	}
	return rc;
}

int
cmd_lab(int argc, char **argv, const struct rp_log *log)
{
	struct lab_opts o;
	struct inputs in;
	struct run_params rp;
	struct sudo_user owner;
	struct stat st;
	char dir[1024] = "", err[256];
	bool interrupted = false, base_made;
	int rc, sigfd, crc, sudo;
	struct run_params cmdline;

	/* Recorded before getopt reorders argv. */
	run_set_command(&cmdline, argc, argv);
	rc = parse_lab_opts(argc, argv, &o, log);
	if (rc != 0) {
		if (rc < 0)
			fputs(lab_usage, stderr);
		return rc < 0 ? EXIT_USAGE : EXIT_PASS;
	}
	sudo = sudouser_get(&owner, err, sizeof(err));
	if (sudo < 0) {
		log_warnx(log, "lab: %s", err);
		return EXIT_USAGE;
	}
	if (o.resume) {
		if (geteuid() != 0) {
			log_warnx(log, "lab: needs root to create network namespaces (try sudo)");
			return EXIT_RUN;
		}
		rc = check_tls_files(&o, log) != 0 ? EXIT_USAGE : resume_lab(&o, log);
		return hand_over(sudo ? &owner : NULL, o.resume, false, o.resume, rc, log);
	}
	if (o.ca && access(o.ca, R_OK) != 0) {
		log_warn(log, "--ca %s", o.ca);
		return EXIT_USAGE;
	}
	if (check_tls_files(&o, log) != 0)
		return EXIT_USAGE;
	if (o.firewall && access(o.firewall, R_OK) != 0) {
		log_warn(log, "%s", o.firewall);
		return EXIT_USAGE;
	}
	if (geteuid() != 0) {
		log_warnx(log, "lab: needs root to create network namespaces (try sudo)");
		return EXIT_RUN;
	}
	rc = inputs_load(log, argv[optind], o.site, true, &in);
	if (rc != EXIT_PASS)
		return rc;
	/* An interrupted lab still stops its agents and removes its namespaces. */
	sigfd = sigfd_open();
	if (sigfd < 0) {
		log_warn(log, "signalfd");
		inputs_free(&in);
		return EXIT_RUN;
	}
	base_made = stat(o.out, &st) != 0;
	rc = prepare_run(&o, argv[optind], &in, &rp, dir, sizeof(dir), cmdline.command, log);
	if (rc == EXIT_PASS)
		rc = run_lab(&o, &in, &rp, dir, sigfd, 0, NULL, &interrupted, log);
	inputs_free(&in);
	close(sigfd);
	if (rc == EXIT_PASS || interrupted) {
		/* Judged from the run directory alone, exactly as `correlate` would. */
		crc = judge(dir, interrupted, false, log);
		rc = interrupted ? EXIT_RUN : crc;
	}
	return hand_over(sudo ? &owner : NULL, o.out, base_made, dir, rc, log);
}
