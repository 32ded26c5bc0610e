/* report.csv: one row per probe with a header row, RFC 4180 (CRLF line
 * ends, quoted fields), for spreadsheets.  Columns are only ever added at
 * the end. */
#include "report/csv.h"

#include "lib/escape.h"

static const char csv_header[] =
    "probe,rule,line,rule_text,from,to,src,dst,proto,port,expect,observed,evidence,verdict,"
    "detail,tx_pcap,sent_frame,reply_frame,rx_pcap,arrived_frame,sport,seq,filter,proof\r\n";

/* A frame number, or an empty field when there is none. */
static void
frame(FILE *out, uint32_t f)
{
	if (f)
		fprintf(out, ",%u", f);
	else
		fputc(',', out);
}

static void
text(FILE *out, const char *s)
{
	fputc(',', out);
	esc_csv_text(out, s);
}

static void
csv_row(const struct report *r, FILE *out, uint32_t id)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct probe *p = plan_probe(r->pl, id);
	const struct probe_result *res = corr_result(r->c, id);
	struct report_rule rr;
	struct probe_locator loc;
	char rule[600], detail[768], sa[ADDR_STRLEN], da[ADDR_STRLEN];

	report_rule_at(r, p->rule == PLAN_RULE_DEFAULT ? profile_nrules(prof) : p->rule, &rr);
	report_locate(r, id, &loc);
	probe_result_detail(r->c, id, detail, sizeof(detail));
	snprintf(rule, sizeof(rule), "%s:%d", plan_probe_file(r->pl, p), rr.line);
	fprintf(out, "%u", id);
	text(out, rule);
	fprintf(out, ",%d", rr.line);
	text(out, rr.text);
	text(out, profile_endpoint(prof, p->src)->name);
	text(out, profile_endpoint(prof, p->dst)->name);
	fprintf(out, ",%s,%s,%s,%u,%s,%s,%s,%s", addr_fmt(plan_probe_src(r->pl, p), sa),
	    addr_fmt(plan_probe_dst(r->pl, p), da), report_proto_name(p->proto), p->port,
	    p->expect_open ? "open" : "closed", observed_name(res->obs), evidence_name(res->ev),
	    verdict_name(res->verdict));
	text(out, detail);
	text(out, loc.tx_pcap);
	frame(out, loc.sent_frame);
	frame(out, loc.reply_frame);
	text(out, loc.rx_pcap);
	frame(out, loc.arrived_frame);
	fprintf(out, ",%u,%u", loc.car.sport, loc.car.seq);
	text(out, loc.filter);
	fprintf(out, ",%s\r\n", proof_name(res->proof));
}

void
report_csv(const struct report *r, FILE *out)
{
	uint32_t i;

	fputs(csv_header, out);
	for (i = 0; i < plan_nprobes(r->pl); i++)
		csv_row(r, out, i);
}
