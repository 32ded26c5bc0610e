/* report.html: one self-contained page for auditors (inline CSS, no script,
 * no external URL, a Content-Security-Policy that forbids loading anything),
 * so that it can be archived with the evidence and opened years later.
 * Every string from an input file goes through esc_markup(). */
#include "report/html.h"

#include <string.h>

#include "lib/escape.h"

/* Passing probes listed per rule: beyond this a page for a sweep of a
 * million probes would not open; every failing or inconclusive probe is
 * always listed, and the CSV and JSON list them all. */
#define HTML_MAX_PASSING 1000

static const char css[] =
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--pass:#1a7f37;"
    "--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--inc:#9a6700;--inc-bg:#fff8c5}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.5 -apple-system,'Segoe UI','DejaVu Sans',Helvetica,Arial,"
    "sans-serif;color:var(--fg);background:#fff}\n"
    "main{max-width:1240px;margin:0 auto;padding:24px 32px 48px}\n"
    "header.top{border-bottom:1px solid var(--line);padding-bottom:12px;margin-bottom:20px}\n"
    ".brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}\n"
    "h1{font-size:26px;margin:4px 0 2px}\n"
    "h2{font-size:18px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}\n"
    ".doc{color:var(--muted);margin:0}\n"
    ".verdict{display:flex;gap:24px;align-items:center;border:1px solid var(--line);"
    "border-left:8px solid var(--pass);border-radius:6px;padding:16px 20px;background:var(--pass-bg)}\n"
    ".verdict.fail{border-left-color:var(--fail);background:var(--fail-bg)}\n"
    ".verdict.inconclusive{border-left-color:var(--inc);background:var(--inc-bg)}\n"
    ".verdict .big{font-size:34px;font-weight:700;letter-spacing:.04em;min-width:150px}\n"
    ".verdict.pass .big{color:var(--pass)}.verdict.fail .big{color:var(--fail)}"
    ".verdict.inconclusive .big{color:var(--inc)}\n"
    ".summary{font-size:16px;font-weight:600;margin:0 0 8px}\n"
    ".cards{display:flex;gap:10px;flex-wrap:wrap}\n"
    ".card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:6px 14px;"
    "min-width:96px}\n"
    ".card b{display:block;font-size:20px}.card span{color:var(--muted);font-size:12px}\n"
    ".card.bad b{color:var(--fail)}.card.warn b{color:var(--inc)}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}\n"
    "th{background:var(--bg);font-weight:600;white-space:nowrap}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tr.fail td{background:var(--fail-bg)}tr.inconclusive td{background:var(--inc-bg)}\n"
    ".badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:700;"
    "color:#fff;background:var(--pass)}\n"
    ".badge.fail{background:var(--fail)}.badge.inconclusive{background:var(--inc)}\n"
    "code,pre{font:12px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace}\n"
    "code.hash{word-break:break-all}\n"
    "code.filter{color:var(--muted);font-size:11px;overflow-wrap:anywhere}\n"
    "td.where{min-width:300px;max-width:420px}td.nowrap{white-space:nowrap}\n"
    "pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px;"
    "white-space:pre-wrap;word-break:break-all}\n"
    "table.facts th{width:190px;background:none;white-space:normal}\n"
    "details{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:0 10px}\n"
    "details>summary{cursor:pointer;padding:6px 0;font-weight:600}\n"
    "details[open]>summary{border-bottom:1px solid var(--line);margin-bottom:6px}\n"
    ".muted{color:var(--muted)}\n"
    "footer{margin-top:40px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);"
    "padding-top:10px}\n"
    "@media print{main{max-width:none;padding:0}.scroll{overflow:visible}"
    "tr,details{break-inside:avoid}}\n";

static void
h(FILE *out, const char *s)
{
	esc_markup(out, s);
}

static void
td(FILE *out, const char *cls, const char *s)
{
	if (cls)
		fprintf(out, "<td class=\"%s\">", cls);
	else
		fputs("<td>", out);
	h(out, s);
	fputs("</td>", out);
}

static const char *
vclass(enum verdict v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "fail" : "inconclusive";
}

static void
badge(FILE *out, enum verdict v)
{
	fprintf(out, "<span class=\"badge %s\">%s</span>", vclass(v), report_verdict_word(v));
}

static void
card(FILE *out, const char *cls, unsigned n, const char *label)
{
	fprintf(out, "<div class=\"card%s%s\"><b>%u</b><span>%s</span></div>", cls ? " " : "",
	    cls ? cls : "", n, label);
}

static enum verdict
run_verdict(const struct report *r)
{
	return r->total.sum.fail ? VERDICT_FAIL :
	    r->total.sum.inconclusive ? VERDICT_INCONCLUSIVE : VERDICT_PASS;
}

static void
html_head(const struct report *r, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<meta name=\"generator\" content=\"ruleproof " RUN_VERSION
	    "\">\n<title>", out);
	h(out, report_verdict_word(run_verdict(r)));
	fputs(" \xe2\x80\x94 ", out);
	h(out, profile_title(plan_profile(r->pl)));
	fprintf(out, " \xe2\x80\x94 ruleproof</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
	    css);
}

static void
html_banner(const struct report *r, FILE *out)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct rule_summary *t = &r->total.sum;
	unsigned nrules, nfail = report_rules_failing(r, &nrules);
	enum verdict v = run_verdict(r);
	char sum[256];

	fputs("<header class=\"top\">\n<div class=\"brand\">ruleproof firewall conformance report"
	    "</div>\n<h1>", out);
	h(out, profile_title(prof));
	fputs("</h1>\n", out);
	if (profile_document(prof)) {
		fputs("<p class=\"doc\">Rule table from: ", out);
		h(out, profile_document(prof));
		fputs("</p>\n", out);
	}
	fputs("</header>\n", out);
	report_summary_line(r, sum, sizeof(sum));
	fprintf(out, "<section class=\"verdict %s\">\n<div class=\"big\">%s</div>\n<div>\n"
	    "<p class=\"summary\" id=\"summary\">", vclass(v), v == VERDICT_PASS ? "PASS" :
	    v == VERDICT_FAIL ? "FAIL" : "INCONCLUSIVE");
	h(out, sum);
	fputs("</p>\n<div class=\"cards\">", out);
	card(out, nfail ? "bad" : NULL, nfail, "rules failing");
	card(out, NULL, nrules, "rules");
	card(out, NULL, t->probes, "probes");
	card(out, NULL, t->pass, "pass");
	card(out, t->fail ? "bad" : NULL, t->fail, "fail");
	card(out, t->inconclusive ? "warn" : NULL, t->inconclusive, "inconclusive");
	fputs("</div>\n</div>\n</section>\n", out);
}

static void
rule_row(FILE *out, const struct report_rule *rr)
{
	char obs[512], ev[512], n[64];

	report_observed_text(rr->st, obs, sizeof(obs));
	report_evidence_text(rr->st, ev, sizeof(ev));
	fprintf(out, "<tr class=\"%s\"><td>", vclass(rr->st->sum.verdict));
	badge(out, rr->st->sum.verdict);
	fprintf(out, "</td><td class=\"num\"><a href=\"#rule-%d\">%d</a></td>", rr->line, rr->line);
	td(out, NULL, rr->flow);
	td(out, NULL, rr->services);
	td(out, NULL, rr->expect_open ? "open" : "closed");
	td(out, NULL, obs);
	td(out, NULL, ev);
	snprintf(n, sizeof(n), "%u / %u", rr->st->sum.pass, rr->st->sum.probes);
	td(out, "num", n);
	fputs("</tr>\n", out);
}

static void
html_rules(const struct report *r, FILE *out)
{
	struct report_rule rr;
	size_t i;

	fputs("<h2>Rules</h2>\n<div class=\"scroll\"><table class=\"rules\">\n<thead><tr>"
	    "<th>Verdict</th><th>Line</th><th>Source \xe2\x86\x92 destination</th><th>Service</th>"
	    "<th>Expected</th><th>Observed</th><th>Evidence</th><th>Probes passing</th></tr></thead>\n"
	    "<tbody>\n", out);
	for (i = 0; i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		rule_row(out, &rr);
	}
	fputs("</tbody></table></div>\n", out);
}

static const char probe_head[] =
    "<thead><tr><th>Probe</th><th>Verdict</th><th>Source \xe2\x86\x92 destination</th>"
    "<th>Port</th><th>Expected</th><th>Observed</th><th>Detail</th>"
    "<th>Where the evidence lies, and its Wireshark display filter</th></tr></thead>\n";

static void
probe_row(const struct report *r, FILE *out, uint32_t id, bool with_line)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct probe *p = plan_probe(r->pl, id);
	const struct probe_result *res = corr_result(r->c, id);
	struct probe_locator loc;
	char buf[800], sa[ADDR_STRLEN], da[ADDR_STRLEN];

	report_locate(r, id, &loc);
	fprintf(out, "<tr class=\"%s\"><td class=\"num\">%u", vclass(res->verdict), id);
	if (with_line)
		fprintf(out, "<br><span class=\"muted\">line %d</span>", plan_probe_line(r->pl, p));
	fputs("</td><td>", out);
	badge(out, res->verdict);
	fputs("</td><td>", out);
	h(out, profile_endpoint(prof, p->src)->name);
	fputs(" \xe2\x86\x92 ", out);
	h(out, profile_endpoint(prof, p->dst)->name);
	fprintf(out, "<br><span class=\"muted\">%s \xe2\x86\x92 %s</span></td>",
	    addr_fmt(plan_probe_src(r->pl, p), sa), addr_fmt(plan_probe_dst(r->pl, p), da));
	snprintf(buf, sizeof(buf), "%s/%u", report_proto_name(p->proto), p->port);
	td(out, "num", buf);
	td(out, NULL, p->expect_open ? "open" : "closed");
	fprintf(out, "<td>%s<br><span class=\"muted\">%s<br>proof: %s</span></td>",
	    observed_name(res->obs), evidence_name(res->ev), proof_name(res->proof));
	probe_result_detail(r->c, id, buf, sizeof(buf));
	td(out, NULL, buf);
	report_where(&loc, buf, sizeof(buf));
	fputs("<td class=\"where\">", out);
	h(out, buf);
	fputs("<br><code class=\"filter\">", out);
	h(out, loc.filter);
	fputs("</code></td></tr>\n", out);
}

static void
html_problems(const struct report *r, FILE *out)
{
	const struct rule_summary *t = &r->total.sum;
	uint32_t i;

	fputs("<h2>Failing and inconclusive probes</h2>\n", out);
	if (t->fail + t->inconclusive == 0) {
		fputs("<p>Every probe passed.</p>\n", out);
		return;
	}
	fprintf(out, "<div class=\"scroll\"><table class=\"probes\">\n%s<tbody>\n", probe_head);
	for (i = 0; i < plan_nprobes(r->pl); i++)
		if (corr_result(r->c, i)->verdict != VERDICT_PASS)
			probe_row(r, out, i, true);
	fputs("</tbody></table></div>\n", out);
}

static void
fact(FILE *out, const char *name, const char *value, const char *code_class)
{
	fprintf(out, "<tr><th>%s</th><td>", name);
	if (code_class)
		fprintf(out, "<code class=\"%s\">", code_class);
	h(out, value);
	fputs(code_class ? "</code></td></tr>\n" : "</td></tr>\n", out);
}

static void
html_run(const struct report *r, FILE *out)
{
	const struct profile *prof = plan_profile(r->pl);
	int64_t us = r->finished_us - r->rp->started_us;
	char buf[640];

	fputs("<h2>Run</h2>\n<table class=\"facts\">\n", out);
	fact(out, "Run id", r->rp->id, NULL);
	run_fmt_time(r->rp->started_us, buf, sizeof(buf));
	fact(out, "Started (UTC)", buf, NULL);
	run_fmt_time(r->finished_us, buf, sizeof(buf));
	fact(out, "Finished (UTC)", buf, NULL);
	snprintf(buf, sizeof(buf), "%.3f s", (double)(us > 0 ? us : 0) / 1e6);
	fact(out, "Duration", buf, NULL);
	fact(out, "Command line run", r->rp->command[0] ? r->rp->command : "(not recorded)", "cmd");
	snprintf(buf, sizeof(buf), "%s (run by ruleproof %s)", RUN_VERSION, r->plan_version);
	fact(out, "Report by ruleproof", buf, NULL);
	snprintf(buf, sizeof(buf), "%s \xe2\x80\x94 %s", r->rp->profile_src, profile_title(prof));
	fact(out, "Profile", buf, NULL);
	fact(out, "Profile SHA-256", r->rp->profile_sha256, "hash");
	fact(out, "Site", r->rp->site_src, NULL);
	fact(out, "Site SHA-256", r->rp->site_sha256, "hash");
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)corr_foreign(r->c));
	fact(out, "Foreign packets ignored", buf, NULL);
	fact(out, "Interrupted", r->interrupted ? "yes: the verdicts are incomplete" : "no", NULL);
	fputs("</table>\n", out);
}

static void
capture_row(FILE *out, const struct capfile *m)
{
	int64_t us = m->finished_us - m->started_us;
	char buf[200];

	fputs("<tr>", out);
	td(out, NULL, m->role);
	td(out, NULL, m->endpoint);
	td(out, NULL, m->iface);
	td(out, NULL, m->addr);
	run_fmt_time(m->started_us, buf, sizeof(buf));
	td(out, "nowrap", buf);
	snprintf(buf, sizeof(buf), "%.3f s", (double)(us > 0 ? us : 0) / 1e6);
	td(out, "num", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)m->sent);
	td(out, "num", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)m->cap.packets);
	td(out, "num", buf);
	snprintf(buf, sizeof(buf), "%llu / %llu", (unsigned long long)m->cap.drop,
	    (unsigned long long)m->cap.ifdrop);
	td(out, "num", buf);
	fputs("<td><code>", out);
	h(out, m->pcap);
	fputs("</code></td>", out);
	td(out, NULL, m->complete ? "complete" : m->error[0] ? m->error : "incomplete");
	fputs("</tr>\n", out);
}

static void
file_row(FILE *out, const char *name, const char *what, const char *sha)
{
	fputs("<tr><td><code>", out);
	h(out, name);
	fputs("</code></td>", out);
	td(out, NULL, what);
	fputs("<td><code class=\"hash\">", out);
	h(out, sha[0] ? sha : "(missing)");
	fputs("</code></td></tr>\n", out);
}

static void
html_captures(const struct report *r, FILE *out)
{
	size_t i;

	fputs("<h2>Where each agent ran</h2>\n<div class=\"scroll\"><table class=\"captures\">\n"
	    "<thead><tr><th>Role</th><th>Host</th><th>Interface</th><th>Address</th>"
	    "<th>Capture from (UTC)</th><th>Lasting</th><th>Probes sent</th><th>Packets</th>"
	    "<th>Drops (kernel / if)</th><th>Pcap</th><th>State</th></tr>"
	    "</thead>\n<tbody>\n", out);
	for (i = 0; i < r->ncaps; i++)
		capture_row(out, r->caps[i].meta);
	fputs("</tbody></table></div>\n", out);
}

/* The hashes a printed page needs to pin its evidence; MANIFEST.sha256
 * covers every file of the directory. */
static void
html_files(const struct report *r, FILE *out)
{
	size_t i;

	fputs("<h2>Evidence files</h2>\n<div class=\"scroll\"><table class=\"files\">\n"
	    "<thead><tr><th>File</th><th>What it is</th><th>SHA-256</th></tr></thead>\n<tbody>\n",
	    out);
	file_row(out, RUN_PROFILE_FILE, "copy of the profile", r->rp->profile_sha256);
	file_row(out, RUN_SITE_FILE, "copy of the site", r->rp->site_sha256);
	for (i = 0; i < r->ncaps; i++)
		file_row(out, r->caps[i].meta->pcap, r->caps[i].at_sender ? "sender's capture" :
		    "far side's capture", r->caps[i].sha256);
	fputs("</tbody></table></div>\n", out);
}

static void
html_rule_probes(const struct report *r, FILE *out, const struct report_rule *rr)
{
	unsigned passing = 0;
	uint32_t i;

	fprintf(out, "<details id=\"rule-%d\"%s><summary>", rr->line,
	    rr->st->sum.verdict == VERDICT_PASS ? "" : " open");
	badge(out, rr->st->sum.verdict);
	fprintf(out, " line %d: ", rr->line);
	h(out, rr->text);
	fprintf(out, " <span class=\"muted\">(%u of %u probes pass)</span></summary>\n",
	    rr->st->sum.pass, rr->st->sum.probes);
	if (rr->ru && rr->ru->section) {
		fputs("<p class=\"muted\">Section: ", out);
		h(out, rr->ru->section);
		fputs("</p>\n", out);
	}
	fprintf(out, "<div class=\"scroll\"><table class=\"probes\">\n%s<tbody>\n", probe_head);
	for (i = 0; i < plan_nprobes(r->pl); i++) {
		if (plan_probe(r->pl, i)->rule != rr->idx)
			continue;
		if (corr_result(r->c, i)->verdict == VERDICT_PASS && passing++ >= HTML_MAX_PASSING)
			continue;
		probe_row(r, out, i, false);
	}
	fputs("</tbody></table></div>\n", out);
	if (passing > HTML_MAX_PASSING)
		fprintf(out, "<p class=\"muted\">%u more passing probes of this rule are listed in "
		    "<code>report.csv</code> and <code>report.json</code>.</p>\n",
		    passing - HTML_MAX_PASSING);
	fputs("</details>\n", out);
}

static void
html_all_probes(const struct report *r, FILE *out)
{
	struct report_rule rr;
	size_t i;

	fputs("<h2>Every probe, by rule</h2>\n<p class=\"muted\">Rules with a failing or "
	    "inconclusive probe are expanded. Frame numbers count from 1 as in Wireshark; "
	    "<code>tx-*.pcap</code> is the sender's capture (the probe leaving and any reply), "
	    "<code>rx-*.pcap</code> the far side's (the probe arriving).</p>\n", out);
	for (i = 0; i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		html_rule_probes(r, out, &rr);
	}
}

static void
html_verify(FILE *out)
{
	fputs("<h2>Verifying this evidence</h2>\n<p>The run directory holds the plan, the copies "
	    "of the profile and site, every pcap with its capture record, and these reports. "
	    "<code>MANIFEST.sha256</code> lists the SHA-256 of every file; "
	    "<code>MANIFEST.sig</code>, when present, is an Ed25519 signature over it.</p>\n"
	    "<pre>ruleproof verify RUN_DIR --pubkey KEY.pub     # hashes and signature\n"
	    "(cd RUN_DIR &amp;&amp; sha256sum -c MANIFEST.sha256)  # hashes, without ruleproof\n"
	    "ruleproof report RUN_DIR                      # re-derives every report\n"
	    "tshark -r RUN_DIR/tx-HOST.pcap -Y 'FILTER'    # one probe's frames</pre>\n", out);
}

void
report_html(const struct report *r, FILE *out)
{
	html_head(r, out);
	html_banner(r, out);
	html_rules(r, out);
	html_problems(r, out);
	html_run(r, out);
	html_captures(r, out);
	html_files(r, out);
	html_all_probes(r, out);
	html_verify(out);
	fputs("<footer>Generated by ruleproof " RUN_VERSION " from the run directory alone "
	    "(report schema " REPORT_SCHEMA "); the same directory always yields the same page."
	    "</footer>\n</main>\n</body>\n</html>\n", out);
}
