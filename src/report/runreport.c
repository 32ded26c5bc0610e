/* Judging a run from its directory: re-derive every verdict from the plan
 * and the pcaps, write every report format, then seal the directory with
 * its manifest (and a signature when a key is given): reports first,
 * manifest last, so that the manifest covers the reports. */
#include "report/runreport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "capture/capfile.h"
#include "correlate/correlate.h"
#include "plan/inputs.h"
#include "plan/rundir.h"
#include "report/manifest.h"
#include "report/report.h"
#include "report/text.h"

/* The terminal shows at most this many failing probes per rule; the files
 * list them all. */
#define TERM_MAX_PROBES 20

static int
mark_interrupted(const char *dir, const struct rp_log *log)
{
	char path[1100];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, REPORT_INTERRUPTED);
	if (access(path, F_OK) == 0)
		return 0;
	if ((f = fopen(path, "w")) == NULL || fputs("The run was interrupted before every probe "
	    "was sent and every capture closed; its verdicts are incomplete.\n", f) < 0) {
		log_warn(log, "%s", path);
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* The evidence (anything but the reports this command rewrites) must be
 * what the existing manifest sealed, or re-sealing would bless a change. */
static int
check_old_seal(const char *dir, bool force, const struct rp_log *log)
{
	struct mf_result res;
	char err[512];
	size_t i;

	if (manifest_verify(dir, NULL, report_is_output, &res, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return -1;
	}
	if (!res.have_manifest || res.nchanges == 0) {
		mf_result_free(&res);
		return 0;
	}
	for (i = 0; i < res.nchanges; i++)
		log_warnx(log, "%s: %s since %s was written", res.changes[i].name,
		    mf_change_name(res.changes[i].what), MANIFEST_FILE);
	mf_result_free(&res);
	if (force) {
		log_warnx(log, "--force: sealing the changed evidence in a new %s", MANIFEST_FILE);
		return 0;
	}
	log_warnx(log, "%s left as it was: the evidence changed since it was written "
	    "(`ruleproof verify %s` names the changes; --force seals the directory as it is now)",
	    MANIFEST_FILE, dir);
	return -1;
}

static void
drop_stale_signature(const char *dir, const struct rp_log *log)
{
	char path[1100];

	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_SIG);
	if (access(path, F_OK) != 0)
		return;
	if (unlink(path) != 0)
		log_warn(log, "%s", path);
	else
		log_warnx(log, "removed %s: it signed the previous manifest (sign again with --sign "
		    "KEY or RULEPROOF_SIGN_KEY)", MANIFEST_SIG);
}

static int
seal(const char *dir, const struct runreport_opts *o, bool had_manifest, const struct rp_log *log)
{
	char err[512], fpr[65];
	size_t n = 0;
	bool changed = false;

	if (manifest_write(dir, &n, &changed, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_RUN;
	}
	log_info(log, "%s %s: %zu files", MANIFEST_FILE, !had_manifest ? "written" :
	    changed ? "rewritten" : "rewritten, unchanged", n);
	if (!o->sign_key) {
		if (changed)
			drop_stale_signature(dir, log);
		return EXIT_PASS;
	}
	if (manifest_sign(dir, o->sign_key, fpr, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_USAGE;
	}
	log_info(log, "%s: Ed25519 signature by key %s", MANIFEST_SIG, fpr);
	return EXIT_PASS;
}

static int
write_reports(const char *dir, const struct run_params *rp, const struct plan *pl,
    const struct corr *c, const struct runreport_opts *o, const struct rp_log *log)
{
	struct report r;
	char err[512];
	int rc = report_exit_status(c);

	if (report_init(&r, rp, pl, c, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_RUN;
	}
	if (report_write_all(&r, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", err);
		rc = EXIT_RUN;
	}
	if (o->print)
		report_text(&r, stdout, o->color, dir, TERM_MAX_PROBES);
	report_fini(&r);
	return rc;
}

/* A plan file given apart from the captures is copied next to them, so
 * that the sealed directory holds everything a later `report` needs. */
static int
adopt_plan(const char *dir, const char *plan, const struct rp_log *log)
{
	char path[1100], buf[65536];
	FILE *in, *out;
	size_t n;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, RUN_PLAN_FILE);
	if (access(path, F_OK) == 0)
		return 0;
	if ((in = fopen(plan, "rb")) == NULL || (out = fopen(path, "wbx")) == NULL) {
		log_warn(log, "%s", in ? path : plan);
		if (in)
			fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in) || fclose(out) != 0)
		rc = -1;
	fclose(in);
	if (rc != 0)
		log_warnx(log, "%s: cannot copy the plan", path);
	else
		log_info(log, "%s: copied from %s", path, plan);
	return rc;
}

/* The run's parameters, profile, site and plan: from a plan file given
 * apart (split agents), else from the run directory's plan.json and the
 * copies of the profile and the site beside it. */
static int
load_run(const char *dir, const char *plan, struct run_params *rp, struct inputs *in,
    const struct rp_log *log)
{
	char pf[1100];
	int rc;

	if (plan) {
		if ((rc = inputs_load_plan(log, plan, rp, in)) != EXIT_PASS)
			return rc;
		if (adopt_plan(dir, plan, log) != 0) {
			inputs_free(in);
			return EXIT_RUN;
		}
		return EXIT_PASS;
	}
	/* plan.json embeds the profile and site it was made from (checked
	 * against their hashes), so a directory of split captures needs no
	 * copies of them. */
	snprintf(pf, sizeof(pf), "%s/%s", dir, RUN_PLAN_FILE);
	if (access(pf, R_OK) != 0) {
		log_warnx(log, "%s: %s", pf, strerror(errno));
		return EXIT_USAGE;
	}
	return inputs_load_plan(log, pf, rp, in);
}

/* Says why a capture the plan calls for cannot be used: the verdicts only
 * say "no usable capture", and a refused capture file (damaged, edited, from
 * another version), a missing one or a broken pcap must be named. */
static void
warn_captures(const struct corr *c, const struct plan *pl, const char *dir, size_t ep,
    bool at_sender, const struct rp_log *log)
{
	const char *name = profile_endpoint(plan_profile(pl), ep)->name;
	char pcap[256], meta[256], path[1400], err[512];
	struct capfile tmp;
	unsigned seg;
	size_t k;

	for (seg = 0; seg < CORR_MAX_SEGMENTS; seg++) {
		corr_segment_names(name, at_sender, seg, pcap, sizeof(pcap), meta, sizeof(meta));
		snprintf(path, sizeof(path), "%s/%s", dir, meta);
		if (access(path, F_OK) != 0) {
			if (seg == 0)
				log_warnx(log, "%s: no such capture file; the probes it should have seen "
				    "are inconclusive", path);
			break;
		}
		if (capfile_read(&tmp, path, err, sizeof(err)) != 0)
			log_warnx(log, "%s; the capture is not used", err);
	}
	for (k = 0; k < corr_ncaptures(c, ep, at_sender); k++) {
		const struct capfile *m = corr_capture_at(c, ep, at_sender, k);

		if (m && !m->complete && m->error[0])
			log_warnx(log, "capture %s is incomplete: %s", m->pcap, m->error);
	}
}

/* For the timing and memory line at debug level (`make bench` reads it). */
static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double
peak_rss_mib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024 : 0;
}

int
runreport(const char *dir, const struct runreport_opts *o, const struct rp_log *log)
{
	char err[512], mf[1100];
	struct run_params rp;
	struct inputs in;
	struct corr *c;
	bool had_manifest, marked;
	int64_t t0, t1;
	int rc, src;
	size_t i;

	if ((rc = load_run(dir, o->plan, &rp, &in, log)) != EXIT_PASS)
		return rc;
	t0 = mono_us();
	c = corr_new(in.pl);
	if (!c || corr_read_dir(c, rp.key, dir, err, sizeof(err)) != 0) {
		log_warnx(log, "%s", c ? err : "out of memory");
		corr_free(c);
		inputs_free(&in);
		return EXIT_RUN;
	}
	for (i = 0; i < plan_nsenders(in.pl); i++)
		warn_captures(c, in.pl, dir, plan_sender(in.pl, i), true, log);
	for (i = 0; i < plan_nreceivers(in.pl); i++)
		warn_captures(c, in.pl, dir, plan_receiver(in.pl, i), false, log);
	corr_set_skew(c, (int64_t)(o->skew_set ? o->skew_ms : rp.skew_ms) * 1000);
	corr_set_ca(c, o->ca);
	corr_require_proof(c, o->require_proof);
	corr_finish(c);
	t1 = mono_us();
	if (corr_tls_problem(c))
		log_warnx(log, "TLS logs: %s", corr_tls_problem(c));
	marked = !o->interrupted || mark_interrupted(dir, log) == 0;
	snprintf(mf, sizeof(mf), "%s/%s", dir, MANIFEST_FILE);
	had_manifest = access(mf, F_OK) == 0;
	src = had_manifest && check_old_seal(dir, o->force, log) != 0 ? EXIT_RUN : EXIT_PASS;
	rc = write_reports(dir, &rp, in.pl, c, o, log);
	log_debug(log, "correlated %u probes in %.3f s; reports written in %.3f s; peak RSS %.1f MiB",
	    plan_nprobes(in.pl), (double)(t1 - t0) / 1e6, (double)(mono_us() - t1) / 1e6,
	    peak_rss_mib());
	if (!marked)
		rc = EXIT_RUN;
	if (src == EXIT_PASS)
		src = seal(dir, o, had_manifest, log);
	corr_free(c);
	inputs_free(&in);
	/* A failure to seal outranks the verdict: the bundle is not what it claims. */
	return src != EXIT_PASS ? src : rc;
}
