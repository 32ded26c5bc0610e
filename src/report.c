#include "report.h"

#include <jansson.h>
#include <string.h>
#include <unistd.h>

#define COL_RED    "\033[31m"
#define COL_GREEN  "\033[32m"
#define COL_YELLOW "\033[33m"
#define COL_BOLD   "\033[1m"
#define COL_OFF    "\033[0m"

static const char *
proto_name(uint8_t proto)
{
	return proto == RP_PROTO_UDP ? "udp" : "tcp";
}

/* "a, b -> c" for a rule, from its endpoint lists. */
static void
rule_flow(const struct profile *prof, const struct profile_rule *ru, char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < ru->nsrc && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    profile_endpoint(prof, ru->src[i])->name);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, " -> ");
	for (i = 0; i < ru->ndst && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    profile_endpoint(prof, ru->dst[i])->name);
}

static const char *
verdict_color(enum verdict v)
{
	return v == VERDICT_PASS ? COL_GREEN : v == VERDICT_FAIL ? COL_RED : COL_YELLOW;
}

static void
print_verdict(FILE *out, enum verdict v, bool color)
{
	const char *name = v == VERDICT_FAIL ? "FAIL" : verdict_name(v);

	if (color)
		fprintf(out, "%s%s%s", verdict_color(v), name, COL_OFF);
	else
		fputs(name, out);
}

static void
print_rule_row(FILE *out, const char *line, const char *flow, const char *svc, const char *expect,
    struct rule_summary s, bool color)
{
	fprintf(out, "%5s  %-28s %-26s %-6s %6u %5u %5u %6u  ", line, flow, svc, expect, s.probes,
	    s.pass, s.fail, s.inconclusive);
	print_verdict(out, s.verdict, color);
	fputc('\n', out);
}

static void
print_rules(const struct report_ctx *x, FILE *out, bool color)
{
	const struct profile *prof = plan_profile(x->pl);
	char flow[256], line[16];
	size_t r;

	fprintf(out, "%5s  %-28s %-26s %-6s %6s %5s %5s %6s  %s\n", "LINE", "FROM -> TO", "SERVICES",
	    "EXPECT", "PROBES", "PASS", "FAIL", "INCONC", "VERDICT");
	for (r = 0; r < profile_nrules(prof); r++) {
		const struct profile_rule *ru = profile_rule(prof, r);
		struct rule_summary s = corr_rule(x->c, (uint32_t)r);
		rule_flow(prof, ru, flow, sizeof(flow));
		snprintf(line, sizeof(line), "%d", ru->line);
		print_rule_row(out, line, flow, ru->services, ru->expect_open ? "open" : "closed", s, color);
	}
	if (profile_default_closed_line(prof) > 0) {
		snprintf(line, sizeof(line), "%d", profile_default_closed_line(prof));
		print_rule_row(out, line, "default closed", "every other named port", "closed",
		    corr_rule(x->c, PLAN_RULE_DEFAULT), color);
	}
}

static void
print_probe_row(const struct report_ctx *x, FILE *out, uint32_t id, bool color)
{
	const struct profile *prof = plan_profile(x->pl);
	const struct probe *p = plan_probe(x->pl, id);
	const struct probe_result *res = corr_result(x->c, id);
	char flow[160], port[16], detail[256];

	snprintf(flow, sizeof(flow), "%s -> %s", profile_endpoint(prof, p->src)->name,
	    profile_endpoint(prof, p->dst)->name);
	snprintf(port, sizeof(port), "%s/%u", proto_name(p->proto), p->port);
	probe_result_detail(x->c, id, detail, sizeof(detail));
	fprintf(out, "%5u  %5d  %-24s %-10s %-6s %-8s ", id, plan_probe_line(x->pl, p), flow, port,
	    p->expect_open ? "open" : "closed", observed_name(res->obs));
	if (color)
		fprintf(out, "%s%-16s%s", verdict_color(res->verdict), evidence_name(res->ev), COL_OFF);
	else
		fprintf(out, "%-16s", evidence_name(res->ev));
	fprintf(out, " %s\n", detail);
}

static void
print_problems(const struct report_ctx *x, FILE *out, bool color)
{
	uint32_t i;
	struct rule_summary t = corr_total(x->c);

	if (t.fail + t.inconclusive == 0)
		return;
	fprintf(out, "\n%sProbes that failed or have no verdict:%s\n", color ? COL_BOLD : "",
	    color ? COL_OFF : "");
	fprintf(out, "%5s  %5s  %-24s %-10s %-6s %-8s %-16s %s\n", "PROBE", "LINE", "FROM -> TO",
	    "PORT", "EXPECT", "OBSERVED", "EVIDENCE", "DETAIL");
	for (i = 0; i < plan_nprobes(x->pl); i++)
		if (corr_result(x->c, i)->verdict != VERDICT_PASS)
			print_probe_row(x, out, i, color);
}

static unsigned
rules_failing(const struct report_ctx *x, unsigned *total)
{
	const struct profile *prof = plan_profile(x->pl);
	unsigned n = 0;
	size_t r;

	*total = (unsigned)profile_nrules(prof);
	for (r = 0; r < profile_nrules(prof); r++)
		n += corr_rule(x->c, (uint32_t)r).verdict == VERDICT_FAIL;
	if (profile_default_closed_line(prof) > 0) {
		(*total)++;
		n += corr_rule(x->c, PLAN_RULE_DEFAULT).verdict == VERDICT_FAIL;
	}
	return n;
}

void
report_text(const struct report_ctx *x, FILE *out, bool color)
{
	const struct profile *prof = plan_profile(x->pl);
	struct rule_summary t = corr_total(x->c);
	unsigned nrules, nfail = rules_failing(x, &nrules);

	fprintf(out, "%s%s%s\n", color ? COL_BOLD : "", profile_title(prof), color ? COL_OFF : "");
	fprintf(out, "profile  %s (sha256 %.16s)\n", x->rp->profile_src, x->rp->profile_sha256);
	fprintf(out, "site     %s (sha256 %.16s)\n", x->rp->site_src, x->rp->site_sha256);
	fprintf(out, "run      %s   evidence in %s\n\n", x->rp->id, x->run_dir);
	print_rules(x, out, color);
	print_problems(x, out, color);
	fprintf(out, "\n%s%u probes: %u pass, %u fail, %u inconclusive; %u of %u rules fail%s\n",
	    x->interrupted ? "INCOMPLETE (interrupted) " : "", t.probes, t.pass, t.fail,
	    t.inconclusive, nfail, nrules, corr_foreign(x->c) ? " (foreign packets ignored)" : "");
}

int
report_exit_status(const struct corr *c)
{
	struct rule_summary t = corr_total(c);

	return t.fail ? 1 : t.inconclusive ? 3 : 0;
}

static json_t *
json_result(const struct report_ctx *x, uint32_t id)
{
	const struct profile *prof = plan_profile(x->pl);
	const struct probe *p = plan_probe(x->pl, id);
	const struct probe_result *r = corr_result(x->c, id);
	char rule[600], sa[ADDR_STRLEN], da[ADDR_STRLEN], detail[256];

	snprintf(rule, sizeof(rule), "%s:%d", x->rp->profile_src, plan_probe_line(x->pl, p));
	probe_result_detail(x->c, id, detail, sizeof(detail));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}",
	    "probe", (json_int_t)id, "rule", rule,
	    "from", profile_endpoint(prof, p->src)->name, "to", profile_endpoint(prof, p->dst)->name,
	    "src", addr_fmt(plan_probe_src(x->pl, p), sa), "dst", addr_fmt(plan_probe_dst(x->pl, p), da),
	    "proto", proto_name(p->proto), "port", (int)p->port,
	    "expect", p->expect_open ? "open" : "closed", "observed", observed_name(r->obs),
	    "evidence", evidence_name(r->ev), "verdict", verdict_name(r->verdict), "detail", detail);
}

static json_t *
json_names(const struct profile *prof, const size_t *ep, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(profile_endpoint(prof, ep[i])->name));
	return a;
}

static json_t *
json_rule(const struct report_ctx *x, const struct profile_rule *ru, uint32_t idx, int line)
{
	const struct profile *prof = plan_profile(x->pl);
	struct rule_summary s = corr_rule(x->c, idx);
	char rule[600];

	snprintf(rule, sizeof(rule), "%s:%d", x->rp->profile_src, line);
	return json_pack("{s:s, s:o, s:o, s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:s}",
	    "rule", rule,
	    "from", ru ? json_names(prof, ru->src, ru->nsrc) : json_array(),
	    "to", ru ? json_names(prof, ru->dst, ru->ndst) : json_array(),
	    "services", ru ? ru->services : "default closed",
	    "expect", (ru && ru->expect_open) ? "open" : "closed",
	    "section", ru ? ru->section : NULL,
	    "probes", (json_int_t)s.probes, "pass", (json_int_t)s.pass, "fail", (json_int_t)s.fail,
	    "inconclusive", (json_int_t)s.inconclusive, "verdict", verdict_name(s.verdict));
}

static json_t *
json_captures(const struct report_ctx *x)
{
	json_t *a = json_array();
	size_t ne = profile_nendpoints(plan_profile(x->pl)), e;
	int side;

	for (side = 1; side >= 0; side--)
		for (e = 0; a && e < ne; e++) {
			const struct agent_meta *m = corr_capture(x->c, e, side == 1);
			if (!m)
				continue;
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:s}",
			    "role", m->role, "endpoint", m->endpoint, "address", m->addr, "pcap", m->pcap,
			    "packets", (json_int_t)m->cap.packets, "dropped", (json_int_t)m->cap.drop,
			    "if_dropped", (json_int_t)m->cap.ifdrop, "complete", m->complete,
			    "error", m->error));
		}
	return a;
}

static json_t *
json_report(const struct report_ctx *x)
{
	const struct profile *prof = plan_profile(x->pl);
	struct rule_summary t = corr_total(x->c);
	char st[40], fin[40];
	json_t *rules = json_array(), *results = json_array(), *o;
	size_t r;
	uint32_t i;

	run_fmt_time(x->rp->started_us, st, sizeof(st));
	run_fmt_time(x->finished_us, fin, sizeof(fin));
	for (r = 0; rules && r < profile_nrules(prof); r++)
		json_array_append_new(rules, json_rule(x, profile_rule(prof, r), (uint32_t)r,
		    profile_rule(prof, r)->line));
	if (rules && profile_default_closed_line(prof) > 0)
		json_array_append_new(rules, json_rule(x, NULL, PLAN_RULE_DEFAULT,
		    profile_default_closed_line(prof)));
	for (i = 0; results && i < plan_nprobes(x->pl); i++)
		json_array_append_new(results, json_result(x, i));
	o = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:b}, s:{s:s, s:s, s:s}, s:{s:s, s:s},"
	    " s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}",
	    "schema", REPORT_SCHEMA,
	    "run", "id", x->rp->id, "started", st, "finished", fin, "version", RUN_VERSION,
	    "command", x->rp->command, "interrupted", x->interrupted,
	    "profile", "file", x->rp->profile_src, "title", profile_title(prof),
	    "sha256", x->rp->profile_sha256,
	    "site", "file", x->rp->site_src, "sha256", x->rp->site_sha256,
	    "summary", "probes", (json_int_t)t.probes, "pass", (json_int_t)t.pass,
	    "fail", (json_int_t)t.fail, "inconclusive", (json_int_t)t.inconclusive,
	    "foreign_packets", (json_int_t)corr_foreign(x->c),
	    "rules", rules, "captures", json_captures(x), "results", results);
	return o;
}

int
report_json(const struct report_ctx *x, const char *path, char *err, size_t errlen)
{
	json_t *o = json_report(x);
	int rc;

	if (!o) {
		snprintf(err, errlen, "cannot encode the report");
		return -1;
	}
	rc = json_dump_file(o, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc != 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		return -1;
	}
	return 0;
}
