/* The rule table of the terminal and of report.txt. */
#include "report/text.h"

#include <string.h>

#include "report/tls.h"

#define COL_RED    "\033[31m"
#define COL_GREEN  "\033[32m"
#define COL_YELLOW "\033[33m"
#define COL_BOLD   "\033[1m"
#define COL_DIM    "\033[2m"
#define COL_OFF    "\033[0m"

/* ---- the text table ---- */

struct text_cols {
	int verdict, flow, svc, obs, ev;
};

static const char *
verdict_color(enum verdict v)
{
	return v == VERDICT_PASS ? COL_GREEN : v == VERDICT_FAIL ? COL_RED : COL_YELLOW;
}

/* "FAIL 12/14": the verdict and how many of the rule's probes pass. */
static int
verdict_cell(const struct rule_stats *st, char *buf, size_t len)
{
	return snprintf(buf, len, "%s %u/%u", report_verdict_word(st->sum.verdict), st->sum.pass,
	    st->sum.probes);
}

static void
widen(int *w, int n)
{
	if (n > *w)
		*w = n;
}

static void
col_widths(const struct report *r, struct text_cols *w)
{
	struct report_rule rr;
	char buf[512];
	size_t i;

	*w = (struct text_cols){ 7, 21, 7, 8, 8 };   /* the headers' widths */
	for (i = 0; i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		widen(&w->verdict, verdict_cell(rr.st, buf, sizeof(buf)));
		widen(&w->flow, (int)strlen(rr.flow));
		widen(&w->svc, (int)strlen(rr.services));
		report_observed_text(rr.st, buf, sizeof(buf));
		widen(&w->obs, (int)strlen(buf));
		report_evidence_text(rr.st, buf, sizeof(buf));
		widen(&w->ev, (int)strlen(buf));
	}
}

/* The verdict first, so that it shows even where a narrow terminal cuts
 * the line; padded by hand because of the colour codes. */
static void
print_verdict_cell(FILE *out, const struct rule_stats *st, int width, bool color)
{
	char buf[64];
	int n = verdict_cell(st, buf, sizeof(buf));

	if (color)
		fprintf(out, "%s%s%s%s", st->sum.verdict == VERDICT_PASS ? "" : COL_BOLD,
		    verdict_color(st->sum.verdict), buf, COL_OFF);
	else
		fputs(buf, out);
	fprintf(out, "%*s", width - n, "");
}

static void
print_probe_line(const struct report *r, FILE *out, uint32_t id, bool color)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct probe *p = plan_probe(r->pl, id);
	const struct probe_result *res = corr_result(r->c, id);
	struct probe_locator loc;
	char flow[160], addrs[2 * ADDR_STRLEN + 8], sa[ADDR_STRLEN], da[ADDR_STRLEN];
	char port[16], detail[768], where[400], proof[32] = "";

	snprintf(flow, sizeof(flow), "%s -> %s", profile_endpoint(prof, p->src)->name,
	    profile_endpoint(prof, p->dst)->name);
	/* The addresses tell apart the probes of one pair and port that only
	 * differ in them: IPv4 and IPv6, the members of a sampled block. */
	snprintf(addrs, sizeof(addrs), "%s -> %s", addr_fmt(plan_probe_src(r->pl, p), sa),
	    addr_fmt(plan_probe_dst(r->pl, p), da));
	snprintf(port, sizeof(port), "%s/%u", report_proto_name(p->proto), p->port);
	probe_result_detail(r->c, id, detail, sizeof(detail));
	report_locate(r, id, &loc);
	report_where(&loc, where, sizeof(where));
	if (res->proof != PROOF_NONE)
		snprintf(proof, sizeof(proof), " [%s]", proof_name(res->proof));
	fprintf(out, "      %sprobe %-5u%s %-24s %-29s %-10s %-7s %-16s %s%s  %sevidence: %s%s\n",
	    color ? verdict_color(res->verdict) : "", id, color ? COL_OFF : "", flow, addrs, port,
	    observed_name(res->obs), evidence_name(res->ev), detail, proof,
	    color ? COL_DIM : "", where,
	    color ? COL_OFF : "");
}

static void
print_rule_probes(const struct report *r, FILE *out, const struct report_rule *rr, bool color,
    unsigned max_probes)
{
	unsigned shown = 0, skipped = 0;
	uint32_t i;

	for (i = 0; i < plan_nprobes(r->pl); i++) {
		const struct probe *p = plan_probe(r->pl, i);
		if (p->rule != rr->idx || corr_result(r->c, i)->verdict == VERDICT_PASS)
			continue;
		if (max_probes && shown >= max_probes) {
			skipped++;
			continue;
		}
		print_probe_line(r, out, i, color);
		shown++;
	}
	if (skipped)
		fprintf(out, "      ... and %u more (report.csv and report.html list them all)\n", skipped);
}

static void
print_rule_table(const struct report *r, FILE *out, bool color, unsigned max_probes)
{
	struct report_rule rr;
	struct text_cols w;
	char obs[512], ev[512];
	size_t i;

	col_widths(r, &w);
	fprintf(out, "%s%5s  %-*s  %-*s  %-*s  %-6s  %-*s  %s%s\n", color ? COL_BOLD : "", "LINE",
	    w.verdict, "VERDICT", w.flow, "SOURCE -> DESTINATION", w.svc, "SERVICE", "EXPECT",
	    w.obs, "OBSERVED", "EVIDENCE", color ? COL_OFF : "");
	for (i = 0; i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		report_observed_text(rr.st, obs, sizeof(obs));
		report_evidence_text(rr.st, ev, sizeof(ev));
		fprintf(out, "%5d  ", rr.line);
		print_verdict_cell(out, rr.st, w.verdict, color);
		fprintf(out, "  %-*s  %-*s  %-6s  %-*s  %s\n", w.flow, rr.flow, w.svc, rr.services,
		    rr.expect_open ? "open" : "closed", w.obs, obs, ev);
		if (rr.st->sum.verdict != VERDICT_PASS)
			print_rule_probes(r, out, &rr, color, max_probes);
	}
}

void
report_text(const struct report *r, FILE *out, bool color, const char *run_dir,
    unsigned max_probes)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct rule_summary *t = &r->total.sum;
	char sum[256];

	fprintf(out, "%s%s%s\n", color ? COL_BOLD : "", profile_title(prof), color ? COL_OFF : "");
	fprintf(out, "profile  %s (sha256 %.16s)\n", r->rp->profile_src, r->rp->profile_sha256);
	fprintf(out, "site     %s (sha256 %.16s)\n", r->rp->site_src, r->rp->site_sha256);
	if (run_dir)
		fprintf(out, "run      %s   evidence in %s\n\n", r->rp->id, run_dir);
	else
		fprintf(out, "run      %s\n\n", r->rp->id);
	print_rule_table(r, out, color, max_probes);
	report_tls_text(r, out);
	report_summary_line(r, sum, sizeof(sum));
	fputc('\n', out);
	if (color)
		fprintf(out, "%s%s%s%s\n", COL_BOLD,
		    verdict_color(t->fail ? VERDICT_FAIL : t->inconclusive ? VERDICT_INCONCLUSIVE :
		    VERDICT_PASS), sum, COL_OFF);
	else
		fprintf(out, "%s\n", sum);
}
