/* report.junit.xml: one <testcase> per rule, for CI.  A failing rule carries
 * a <failure> whose text lists its failing probes with their evidence; a rule
 * with no failing probe but some inconclusive ones carries an <error>, not a
 * <skipped>: the test could not be carried out, and CI must not read that as
 * green.  Valid against the Jenkins junit-10.xsd (tests/junit-10.xsd). */
#include "report/junit.h"

#include <string.h>

#include "lib/escape.h"

/* Lines of evidence in one <failure>; the CSV and HTML list every probe. */
#define JUNIT_MAX_PROBES 100

static void
attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	esc_markup(out, value);
	fputc('"', out);
}

static void
property(FILE *out, const char *name, const char *value)
{
	fputs("      <property", out);
	attr(out, "name", name);
	attr(out, "value", value);
	fputs("/>\n", out);
}

static void
properties(const struct report *r, FILE *out)
{
	const struct rule_summary *t = &r->total.sum;
	char buf[64], sum[256];

	report_summary_line(r, sum, sizeof(sum));
	fputs("    <properties>\n", out);
	property(out, "run", r->rp->id);
	property(out, "command", r->rp->command);
	property(out, "profile", r->rp->profile_src);
	property(out, "profile.sha256", r->rp->profile_sha256);
	property(out, "site", r->rp->site_src);
	property(out, "site.sha256", r->rp->site_sha256);
	property(out, "ruleproof.version", RUN_VERSION);
	snprintf(buf, sizeof(buf), "%u", t->probes);
	property(out, "probes", buf);
	property(out, "summary", sum);
	property(out, "interrupted", r->interrupted ? "true" : "false");
	fputs("    </properties>\n", out);
}

/* One line of evidence: what the probe was, what was seen, where. */
static void
probe_evidence(const struct report *r, FILE *out, uint32_t id)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct probe *p = plan_probe(r->pl, id);
	const struct probe_result *res = corr_result(r->c, id);
	struct probe_locator loc;
	char line[1400], detail[768], where[400], sa[ADDR_STRLEN], da[ADDR_STRLEN];

	probe_result_detail(r->c, id, detail, sizeof(detail));
	report_locate(r, id, &loc);
	report_where(&loc, where, sizeof(where));
	snprintf(line, sizeof(line),
	    "%s probe %u %s -> %s %s/%u (%s -> %s): expected %s, observed %s by %s (proof: %s): "
	    "%s; evidence %s; wireshark filter: %s",
	    report_verdict_word(res->verdict), id, profile_endpoint(prof, p->src)->name,
	    profile_endpoint(prof, p->dst)->name, report_proto_name(p->proto), p->port,
	    addr_fmt(plan_probe_src(r->pl, p), sa), addr_fmt(plan_probe_dst(r->pl, p), da),
	    p->expect_open ? "open" : "closed", observed_name(res->obs), evidence_name(res->ev),
	    proof_name(res->proof), detail, where, loc.filter);
	esc_markup(out, line);
	fputc('\n', out);
}

static void
rule_problem(const struct report *r, FILE *out, const struct report_rule *rr)
{
	const struct rule_summary *s = &rr->st->sum;
	bool failed = s->verdict == VERDICT_FAIL;
	char msg[1400], obs[512];
	unsigned shown = 0, more = 0;
	uint32_t i;

	report_observed_text(rr->st, obs, sizeof(obs));
	if (failed)
		snprintf(msg, sizeof(msg), "%u of %u probes fail: expected %s, observed %s", s->fail,
		    s->probes, rr->expect_open ? "open" : "closed", obs);
	else
		snprintf(msg, sizeof(msg), "%u of %u probes have no verdict", s->inconclusive,
		    s->probes);
	fprintf(out, "      <%s", failed ? "failure" : "error");
	attr(out, "type", failed ? "fail" : "inconclusive");
	attr(out, "message", msg);
	fputs(">", out);
	for (i = 0; i < plan_nprobes(r->pl); i++) {
		if (plan_probe(r->pl, i)->rule != rr->idx ||
		    corr_result(r->c, i)->verdict == VERDICT_PASS)
			continue;
		if (shown++ < JUNIT_MAX_PROBES)
			probe_evidence(r, out, i);
		else
			more++;
	}
	if (more)
		fprintf(out, "... and %u more (report.csv and report.html list them all)\n", more);
	fprintf(out, "</%s>\n", failed ? "failure" : "error");
}

static void
testcase(const struct report *r, FILE *out, const struct report_rule *rr)
{
	const struct profile *prof = plan_profile(r->pl);
	char name[1200];

	snprintf(name, sizeof(name), "line %d: %s", rr->line, rr->text);
	fputs("    <testcase", out);
	attr(out, "classname", profile_title(prof));
	attr(out, "name", name);
	if (rr->st->sum.verdict == VERDICT_PASS) {
		fputs("/>\n", out);
		return;
	}
	fputs(">\n", out);
	rule_problem(r, out, rr);
	fputs("    </testcase>\n", out);
}

static unsigned
rules_inconclusive(const struct report *r)
{
	struct report_rule rr;
	unsigned n = 0;
	size_t i;

	for (i = 0; i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		n += rr.st->sum.verdict == VERDICT_INCONCLUSIVE;
	}
	return n;
}

void
report_junit(const struct report *r, FILE *out)
{
	unsigned nrules, nfail = report_rules_failing(r, &nrules), nerr = rules_inconclusive(r);
	int64_t us = r->finished_us - r->rp->started_us;
	char started[40], counts[128], sum[256];
	struct report_rule rr;
	size_t i;

	run_fmt_time(r->rp->started_us, started, sizeof(started));
	started[19] = '\0';   /* the schema's timestamp has no fraction nor zone; it is UTC */
	if (us < 0)
		us = 0;
	snprintf(counts, sizeof(counts), "tests=\"%u\" failures=\"%u\" errors=\"%u\"", nrules, nfail,
	    nerr);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<testsuites name=\"ruleproof\" %s time=\"%lld.%03lld\">\n", counts,
	    (long long)(us / 1000000), (long long)(us % 1000000 / 1000));
	fprintf(out, "  <testsuite");
	attr(out, "name", profile_title(plan_profile(r->pl)));
	fprintf(out, " %s skipped=\"0\" time=\"%lld.%03lld\"", counts, (long long)(us / 1000000),
	    (long long)(us % 1000000 / 1000));
	attr(out, "timestamp", started);
	attr(out, "id", r->rp->id);
	attr(out, "file", r->rp->profile_src);
	fputs(">\n", out);
	properties(r, out);
	for (i = 0; i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		testcase(r, out, &rr);
	}
	report_summary_line(r, sum, sizeof(sum));
	fputs("    <system-out>", out);
	esc_markup(out, sum);
	fputs("</system-out>\n  </testsuite>\n</testsuites>\n", out);
}
