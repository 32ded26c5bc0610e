/* The report model every format shares, the terminal/text table, report.json
 * and writing them all.  Nothing here may read the clock or the
 * environment: the reports are a function of the run directory alone. */
#include "report/report.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomicfile.h"
#include "lib/errfmt.h"

#define COL_RED    "\033[31m"
#define COL_GREEN  "\033[32m"
#define COL_YELLOW "\033[33m"
#define COL_BOLD   "\033[1m"
#define COL_DIM    "\033[2m"
#define COL_OFF    "\033[0m"

const char *
report_proto_name(uint8_t proto)
{
	return proto == RP_PROTO_UDP ? "udp" : "tcp";
}

const char *
report_verdict_word(enum verdict v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "FAIL" : "inconclusive";
}

/* ---- the model ---- */

static void
tally_stats(struct report *r)
{
	size_t nr = profile_nrules(plan_profile(r->pl));
	uint32_t i;

	for (i = 0; i < plan_nprobes(r->pl); i++) {
		const struct probe *p = plan_probe(r->pl, i);
		const struct probe_result *res = corr_result(r->c, i);
		struct rule_stats *s = &r->stats[p->rule == PLAN_RULE_DEFAULT ? nr : p->rule];

		s->obs[res->obs]++;
		s->ev[res->ev]++;
		r->total.obs[res->obs]++;
		r->total.ev[res->ev]++;
	}
	for (i = 0; i < nr; i++)
		r->stats[i].sum = corr_rule(r->c, i);
	r->stats[nr].sum = corr_rule(r->c, PLAN_RULE_DEFAULT);
	r->total.sum = corr_total(r->c);
}

/* The hash of a capture named in the run directory, "" if it is not there:
 * the reports name every pcap with its hash so that a printed page alone
 * pins the evidence it was made from. */
static void
hash_capture(const char *dir, const char *endpoint, bool at_sender, unsigned seg, char out[65])
{
	char pf[256], mf[256], path[1400], err[256];

	corr_segment_names(endpoint, at_sender, seg, pf, sizeof(pf), mf, sizeof(mf));
	snprintf(path, sizeof(path), "%s/%s", dir, pf);
	if (access(path, F_OK) != 0 || sha256_file_hex(path, out, err, sizeof(err)) != 0)
		out[0] = '\0';
}

/* The version of ruleproof that wrote the plan (run_read_plan does not keep
 * it; it is optional). */
static void
read_plan_version(const char *dir, char *out, size_t len)
{
	char path[1100];
	json_t *o, *v;

	snprintf(path, sizeof(path), "%s/%s", dir, RUN_PLAN_FILE);
	snprintf(out, len, "unknown");
	if ((o = json_load_file(path, 0, NULL)) == NULL)
		return;
	if ((v = json_object_get(o, "version")) != NULL && json_is_string(v))
		snprintf(out, len, "%s", json_string_value(v));
	json_decref(o);
}

/* The captures, and when the run ended: from its captures rather than the
 * clock, so that a re-derived report says the same. */
static void
scan_captures(struct report *r, const char *dir)
{
	const struct profile *prof = plan_profile(r->pl);
	size_t e;
	int side;

	r->finished_us = r->rp->started_us;
	for (side = 1; side >= 0; side--)
		for (e = 0; e < profile_nendpoints(prof); e++) {
			size_t seg, nseg = corr_ncaptures(r->c, e, side == 1);

			/* Only the last segment says how the run ended: an earlier
			 * one was interrupted if the run was resumed. */
			for (seg = 0; seg < nseg && r->ncaps < r->capcap; seg++) {
				const struct capfile *m = corr_capture_at(r->c, e, side == 1, seg);
				struct report_capture *rc = &r->caps[r->ncaps];

				if (m->finished_us > r->finished_us)
					r->finished_us = m->finished_us;
				if (seg + 1 == nseg)
					r->interrupted |= m->interrupted;
				rc->meta = m;
				rc->at_sender = side == 1;
				hash_capture(dir, profile_endpoint(prof, e)->name, side == 1, (unsigned)seg,
				    rc->sha256);
				r->ncaps++;
			}
		}
}

int
report_init(struct report *r, const struct run_params *rp, const struct plan *pl,
    const struct corr *c, const char *dir, char *err, size_t errlen)
{
	size_t ne = profile_nendpoints(plan_profile(pl)), nr = profile_nrules(plan_profile(pl));
	char path[1100];

	memset(r, 0, sizeof(*r));
	r->rp = rp;
	r->pl = pl;
	r->c = c;
	r->pid = probeid_new(rp->key);
	r->stats = calloc(nr + 1, sizeof(*r->stats));
	r->capcap = (2 * ne + 1) * CORR_MAX_SEGMENTS;
	r->caps = calloc(r->capcap, sizeof(*r->caps));
	if (!r->pid || !r->stats || !r->caps) {
		report_fini(r);
		return errfmt(err, errlen, "out of memory");
	}
	tally_stats(r);
	scan_captures(r, dir);
	snprintf(path, sizeof(path), "%s/%s", dir, REPORT_INTERRUPTED);
	r->interrupted |= access(path, F_OK) == 0;
	read_plan_version(dir, r->plan_version, sizeof(r->plan_version));
	return 0;
}

void
report_fini(struct report *r)
{
	probeid_free(r->pid);
	free(r->stats);
	free(r->caps);
	memset(r, 0, sizeof(*r));
}

size_t
report_nrules(const struct report *r)
{
	const struct profile *prof = plan_profile(r->pl);

	return profile_nrules(prof) + (profile_default_closed_line(prof) > 0);
}

/* "a, b" from a rule's endpoint list. */
static size_t
names(const struct profile *prof, const size_t *ep, size_t n, char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    profile_endpoint(prof, ep[i])->name);
	return off < len ? off : len - 1;
}

void
report_rule_at(const struct report *r, size_t i, struct report_rule *out)
{
	const struct profile *prof = plan_profile(r->pl);
	size_t nr = profile_nrules(prof), off;

	memset(out, 0, sizeof(*out));
	if (i >= nr) {
		out->idx = PLAN_RULE_DEFAULT;
		out->line = profile_default_closed_line(prof);
		out->services = "every other named port";
		snprintf(out->flow, sizeof(out->flow), "every other pair of hosts");
		snprintf(out->text, sizeof(out->text), "default closed");
		out->st = &r->stats[nr];
		return;
	}
	out->idx = (uint32_t)i;
	out->ru = profile_rule(prof, i);
	out->line = out->ru->line;
	out->expect_open = out->ru->expect_open;
	out->services = out->ru->services;
	off = names(prof, out->ru->src, out->ru->nsrc, out->flow, sizeof(out->flow));
	snprintf(out->flow + off, sizeof(out->flow) - off, " -> ");
	off = strlen(out->flow);
	names(prof, out->ru->dst, out->ru->ndst, out->flow + off, sizeof(out->flow) - off);
	snprintf(out->text, sizeof(out->text), "%s %s : %s", out->expect_open ? "open" : "closed",
	    out->flow, out->services);
	out->st = &r->stats[i];
}

unsigned
report_rules_failing(const struct report *r, unsigned *nrules)
{
	size_t i, n = report_nrules(r), nr = profile_nrules(plan_profile(r->pl));
	unsigned fail = 0;

	for (i = 0; i < n; i++)
		fail += r->stats[i < nr ? i : nr].sum.verdict == VERDICT_FAIL;
	*nrules = (unsigned)n;
	return fail;
}

void
report_locate(const struct report *r, uint32_t id, struct probe_locator *loc)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct probe *p = plan_probe(r->pl, id);
	const struct probe_result *res = corr_result(r->c, id);
	char meta[256];

	memset(loc, 0, sizeof(*loc));
	probeid_encode(r->pid, id, &loc->car);
	/* The segment of the first try: a resumed run's evidence may lie in a
	 * later capture (tx-NAME-r1.pcap ...). */
	corr_segment_names(profile_endpoint(prof, p->src)->name, true, res->sent_seg, loc->tx_pcap,
	    sizeof(loc->tx_pcap), meta, sizeof(meta));
	corr_segment_names(profile_endpoint(prof, p->dst)->name, false, res->arrived_seg,
	    loc->rx_pcap, sizeof(loc->rx_pcap), meta, sizeof(meta));
	loc->sent_frame = res->sent_frame;
	loc->reply_frame = res->reply_frame;
	loc->arrived_frame = res->arrived_frame;
	/* The raw sequence number and the timestamp value are the probe's keyed
	 * id: they survive address and port translation (and the timestamp an
	 * ISN-randomising firewall), Wireshark also matches the sequence number
	 * inside the TCP header an ICMP error quotes, and a reply acknowledges
	 * seq + 1.  A UDP probe is told by its keyed source port. */
	if (p->proto == RP_PROTO_UDP)
		snprintf(loc->filter, sizeof(loc->filter), "udp.port==%u && udp.port==%u",
		    loc->car.sport, p->port);
	else if (corr_tls(r->c, id))
		/* A TLS probe's SYN is the kernel's: only its source port is ours,
		 * and it marks every segment of the flow (and an ICMP quote). */
		snprintf(loc->filter, sizeof(loc->filter), "tcp.port==%u && tcp.port==%u",
		    loc->car.sport, p->port);
	else
		snprintf(loc->filter, sizeof(loc->filter),
		    "tcp.port==%u && (tcp.seq_raw==%u || tcp.ack_raw==%u || "
		    "tcp.options.timestamp.tsval==%u)", p->port, loc->car.seq,
		    (uint32_t)(loc->car.seq + 1u), loc->car.tsval);
}

void
report_where(const struct probe_locator *loc, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (loc->sent_frame || loc->reply_frame)
		off += (size_t)snprintf(buf, len, "%s", loc->tx_pcap);
	if (loc->sent_frame && off < len)
		off += (size_t)snprintf(buf + off, len - off, " #%u", loc->sent_frame);
	if (loc->reply_frame && off < len)
		off += (size_t)snprintf(buf + off, len - off, " reply #%u", loc->reply_frame);
	if (loc->arrived_frame && off < len)
		off += (size_t)snprintf(buf + off, len - off, "%s%s #%u", off ? ", " : "",
		    loc->rx_pcap, loc->arrived_frame);
	if (off == 0)
		snprintf(buf, len, "no frame");
}

/* "name" when every count but one is zero, else "n name, m name". */
static void
counts_text(const uint32_t *n, size_t k, const char *(*name)(size_t), char *buf, size_t len)
{
	size_t i, off = 0, nonzero = 0;

	for (i = 0; i < k; i++)
		nonzero += n[i] != 0;
	buf[0] = '\0';
	for (i = 0; i < k && off < len; i++) {
		if (!n[i])
			continue;
		if (nonzero == 1)
			off += (size_t)snprintf(buf + off, len - off, "%s", name(i));
		else
			off += (size_t)snprintf(buf + off, len - off, "%s%u %s", off ? ", " : "", n[i],
			    name(i));
	}
	if (nonzero == 0)
		snprintf(buf, len, "-");
}

static const char *obs_name_at(size_t i) { return observed_name((enum observed)i); }
static const char *ev_name_at(size_t i) { return evidence_name((enum evidence)i); }

void
report_observed_text(const struct rule_stats *s, char *buf, size_t len)
{
	counts_text(s->obs, OBS_UNKNOWN + 1, obs_name_at, buf, len);
}

void
report_evidence_text(const struct rule_stats *s, char *buf, size_t len)
{
	counts_text(s->ev, EVD_INCONCLUSIVE + 1, ev_name_at, buf, len);
}

void
report_summary_line(const struct report *r, char *buf, size_t len)
{
	const struct rule_summary *t = &r->total.sum;
	unsigned nrules, nfail = report_rules_failing(r, &nrules);
	uint64_t foreign = corr_foreign(r->c);

	snprintf(buf, len, "%s%s: %u probes: %u pass, %u fail, %u inconclusive; %u of %u rules fail%s",
	    r->interrupted ? "INCOMPLETE (interrupted) " : "",
	    t->fail ? "FAIL" : t->inconclusive ? "INCONCLUSIVE" : "PASS", t->probes, t->pass,
	    t->fail, t->inconclusive, nfail, nrules, foreign ? " (foreign packets ignored)" : "");
}

int
report_exit_status(const struct corr *c)
{
	struct rule_summary t = corr_total(c);

	return t.fail ? 1 : t.inconclusive ? 3 : 0;
}

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
	char flow[160], port[16], detail[768], where[400];

	snprintf(flow, sizeof(flow), "%s -> %s", profile_endpoint(prof, p->src)->name,
	    profile_endpoint(prof, p->dst)->name);
	snprintf(port, sizeof(port), "%s/%u", report_proto_name(p->proto), p->port);
	probe_result_detail(r->c, id, detail, sizeof(detail));
	report_locate(r, id, &loc);
	report_where(&loc, where, sizeof(where));
	fprintf(out, "      %sprobe %-5u%s %-24s %-10s %-7s %-16s %s  %sevidence: %s%s\n",
	    color ? verdict_color(res->verdict) : "", id, color ? COL_OFF : "", flow, port,
	    observed_name(res->obs), evidence_name(res->ev), detail, color ? COL_DIM : "", where,
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

/* ---- report.json ---- */

/* Frame numbers are null when there is no such frame. */
static json_t *
json_frame(uint32_t frame)
{
	return frame ? json_integer(frame) : json_null();
}

/* How often the probe left and arrived, and, when NAT or PAT rewrote it on
 * the way, how it was sent and how it arrived. */
static json_t *
json_tries(const struct probe_result *res)
{
	char sa[ADDR_STRLEN], aa[ADDR_STRLEN], ad[ADDR_STRLEN];
	json_t *o = json_pack("{s:i, s:i}", "tries", (int)res->tries, "arrivals", (int)res->arrivals);

	if (o && res->translated)
		json_object_set_new(o, "translation", json_pack("{s:{s:s, s:i}, s:{s:s, s:i, s:s, s:i}}",
		    "sent", "src", addr_fmt(&res->sent_src, sa), "sport", (int)res->sent_sport,
		    "arrived", "src", addr_fmt(&res->arr_src, aa), "sport", (int)res->arr_sport,
		    "dst", addr_fmt(&res->arr_dst, ad), "dport", (int)res->arr_dport));
	return o;
}

static json_t *
json_result(const struct report *r, uint32_t id)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct probe *p = plan_probe(r->pl, id);
	const struct probe_result *res = corr_result(r->c, id);
	struct probe_locator loc;
	char rule[600], sa[ADDR_STRLEN], da[ADDR_STRLEN], detail[768];
	json_t *o;

	/* The file the rule is written in: an include's rules name the include. */
	snprintf(rule, sizeof(rule), "%s:%d", plan_probe_file(r->pl, p), plan_probe_line(r->pl, p));
	probe_result_detail(r->c, id, detail, sizeof(detail));
	report_locate(r, id, &loc);
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}",
	    "probe", (json_int_t)id, "rule", rule,
	    "from", profile_endpoint(prof, p->src)->name, "to", profile_endpoint(prof, p->dst)->name,
	    "src", addr_fmt(plan_probe_src(r->pl, p), sa), "dst", addr_fmt(plan_probe_dst(r->pl, p), da),
	    "proto", report_proto_name(p->proto), "port", (int)p->port,
	    "expect", p->expect_open ? "open" : "closed", "observed", observed_name(res->obs),
	    "evidence", evidence_name(res->ev), "verdict", verdict_name(res->verdict), "detail", detail);
	/* Added in ruleproof 0.1.0's evidence bundle: where the evidence lies. */
	if (o && json_object_update_new(o, json_pack("{s:i, s:i, s:I, s:s, s:o, s:o, s:s, s:o, s:s}",
	    "line", plan_probe_line(r->pl, p), "sport", (int)loc.car.sport,
	    "seq", (json_int_t)loc.car.seq, "tx_pcap", loc.tx_pcap,
	    "sent_frame", json_frame(loc.sent_frame), "reply_frame", json_frame(loc.reply_frame),
	    "rx_pcap", loc.rx_pcap, "arrived_frame", json_frame(loc.arrived_frame),
	    "filter", loc.filter)) != 0) {
		json_decref(o);
		return NULL;
	}
	if (o && json_object_update_new(o, json_tries(res)) != 0) {
		json_decref(o);
		return NULL;
	}
	if (o && p->tls && corr_tls(r->c, id))
		json_object_set_new(o, "tls", report_tls_probe_json(r, id));
	return o;
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
json_counts(const uint32_t *n, size_t k, const char *(*name)(size_t))
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < k; i++)
		json_object_set_new(o, name(i), json_integer(n[i]));
	return o;
}

/* Where a rule comes from and what it says, as written: the file it is in
 * (an include, perhaps), the vendor document and the row it cites, the
 * direction the vendor's table gives, its endpoint lists before groups were
 * expanded, and whether it expects TLS. */
static json_t *
json_provenance(const struct profile_rule *ru)
{
	static const char *const dirs[] = { NULL, "inbound", "outbound" };

	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:s, s:b}",
	    "file", ru->file ? ru->file : "", "document", ru->document, "cite", ru->cite,
	    "direction", (unsigned)ru->direction < 3 ? dirs[ru->direction] : NULL,
	    "from_as_written", ru->from ? ru->from : "", "to_as_written", ru->to ? ru->to : "",
	    "tls", ru->tls);
}

static json_t *
json_rule(const struct report *r, const struct report_rule *rr)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct rule_summary *s = &rr->st->sum;
	char rule[600];
	json_t *o;

	snprintf(rule, sizeof(rule), "%s:%d", rr->ru && rr->ru->file ? rr->ru->file : r->rp->profile_src,
	    rr->line);
	o = json_pack("{s:s, s:o, s:o, s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:s}",
	    "rule", rule,
	    "from", rr->ru ? json_names(prof, rr->ru->src, rr->ru->nsrc) : json_array(),
	    "to", rr->ru ? json_names(prof, rr->ru->dst, rr->ru->ndst) : json_array(),
	    "services", rr->ru ? rr->services : "default closed",
	    "expect", rr->expect_open ? "open" : "closed",
	    "section", rr->ru ? rr->ru->section : NULL,
	    "probes", (json_int_t)s->probes, "pass", (json_int_t)s->pass, "fail", (json_int_t)s->fail,
	    "inconclusive", (json_int_t)s->inconclusive, "verdict", verdict_name(s->verdict));
	if (o && json_object_update_new(o, json_pack("{s:i, s:s, s:o, s:o}",
	    "line", rr->line, "text", rr->text,
	    "observed", json_counts(rr->st->obs, OBS_UNKNOWN + 1, obs_name_at),
	    "evidence", json_counts(rr->st->ev, EVD_INCONCLUSIVE + 1, ev_name_at))) != 0) {
		json_decref(o);
		return NULL;
	}
	if (o && rr->ru && json_object_update_new(o, json_provenance(rr->ru)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
json_capture(const struct capfile *m, const char *sha)
{
	char st[40], fin[40];
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:s}",
	    "role", m->role, "endpoint", m->endpoint, "address", m->addr, "pcap", m->pcap,
	    "packets", (json_int_t)m->cap.packets, "dropped", (json_int_t)m->cap.drop,
	    "if_dropped", (json_int_t)m->cap.ifdrop, "complete", m->complete, "error", m->error);

	run_fmt_time(m->started_us, st, sizeof(st));
	run_fmt_time(m->finished_us, fin, sizeof(fin));
	if (o && json_object_update_new(o, json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:s?}",
	    "interface", m->iface, "started", st, "finished", fin, "sent", (json_int_t)m->sent,
	    "send_errors", (json_int_t)m->send_errors, "interrupted", m->interrupted,
	    "sha256", sha[0] ? sha : NULL)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
json_captures(const struct report *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < r->ncaps; i++)
		json_array_append_new(a, json_capture(r->caps[i].meta, r->caps[i].sha256));
	return a;
}

static json_t *
json_rules(const struct report *r)
{
	json_t *a = json_array();
	struct report_rule rr;
	size_t i;

	for (i = 0; a && i < report_nrules(r); i++) {
		report_rule_at(r, i, &rr);
		json_array_append_new(a, json_rule(r, &rr));
	}
	return a;
}

static json_t *
json_report(const struct report *r)
{
	const struct profile *prof = plan_profile(r->pl);
	const struct rule_summary *t = &r->total.sum;
	unsigned nrules, nfail = report_rules_failing(r, &nrules);
	char st[40], fin[40];

	run_fmt_time(r->rp->started_us, st, sizeof(st));
	run_fmt_time(r->finished_us, fin, sizeof(fin));
	return json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:b, s:s},"
	    " s:{s:s, s:s, s:s, s:s?}, s:{s:s, s:s},"
	    " s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}",
	    "schema", REPORT_SCHEMA,
	    "run", "id", r->rp->id, "started", st, "finished", fin, "version", RUN_VERSION,
	    "command", r->rp->command, "interrupted", r->interrupted,
	    "plan_version", r->plan_version,
	    "profile", "file", r->rp->profile_src, "title", profile_title(prof),
	    "sha256", r->rp->profile_sha256, "document", profile_document(prof),
	    "site", "file", r->rp->site_src, "sha256", r->rp->site_sha256,
	    "summary", "probes", (json_int_t)t->probes, "pass", (json_int_t)t->pass,
	    "fail", (json_int_t)t->fail, "inconclusive", (json_int_t)t->inconclusive,
	    "foreign_packets", (json_int_t)corr_foreign(r->c), "rules", (json_int_t)nrules,
	    "rules_failing", (json_int_t)nfail,
	    "rules", json_rules(r), "captures", json_captures(r), "results", json_array());
}

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)
/* What jansson writes for the empty results array that closes the report,
 * and the indent of an element of that array. */
#define RESULTS_TAIL "\"results\": []\n}"
#define RESULTS_INDENT "    "

/* One result as an element of the results array: jansson's own layout,
 * shifted by the array's depth. */
static int
stream_result(const struct report *r, uint32_t id, FILE *out)
{
	json_t *o = json_result(r, id);
	char *txt = o ? json_dumps(o, JSON_FLAGS) : NULL;
	const char *p;

	json_decref(o);
	if (!txt)
		return -1;
	/* Line by line: a call per character was a tenth of the time. */
	for (p = txt; p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);

		fputs(RESULTS_INDENT, out);
		fwrite(p, 1, n, out);
		p = nl ? nl + 1 : NULL;
	}
	free(txt);
	return 0;
}

/* The report is dumped without its results, then they are written one at a
 * time in their place: the same bytes as dumping one tree, in memory
 * proportional to one result rather than to a million. */
int
report_json(const struct report *r, FILE *out)
{
	json_t *o = json_report(r), *tls = o ? report_tls_endpoints_json(r) : NULL;
	char *head;
	size_t hl, tl = strlen(RESULTS_TAIL);
	uint32_t i, n = plan_nprobes(r->pl);
	int rc = 0;

	/* Before the results, which must stay last to be streamed. */
	if (tls && json_array_size(tls) > 0) {
		json_object_del(o, "results");
		json_object_set_new(o, "tls_endpoints", tls);
		json_object_set_new(o, "results", json_array());
	} else {
		json_decref(tls);
	}
	head = o ? json_dumps(o, JSON_FLAGS) : NULL;
	hl = head ? strlen(head) : 0;
	json_decref(o);
	if (!head)
		return -1;
	if (n == 0 || hl < tl || strcmp(head + hl - tl, RESULTS_TAIL) != 0) {
		fputs(head, out);
	} else {
		fwrite(head, 1, hl - tl, out);
		fputs("\"results\": [\n", out);
		for (i = 0; i < n && rc == 0; i++) {
			rc = stream_result(r, i, out);
			fputs(i + 1 < n ? ",\n" : "\n", out);
		}
		fputs("  ]\n}", out);
	}
	free(head);
	fputc('\n', out);
	return rc;
}

/* ---- writing them all ---- */

enum fmt { FMT_JSON, FMT_TEXT, FMT_JUNIT, FMT_CSV, FMT_HTML };

static const struct {
	const char *name;
	enum fmt    fmt;
} outputs[] = {
	{ REPORT_FILE, FMT_JSON }, { REPORT_TEXT, FMT_TEXT }, { REPORT_JUNIT, FMT_JUNIT },
	{ REPORT_CSV, FMT_CSV }, { REPORT_HTML, FMT_HTML },
};

bool
report_is_output(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		if (strcmp(name, outputs[i].name) == 0)
			return true;
	return false;
}

static int
write_format(const struct report *r, enum fmt f, FILE *out)
{
	switch (f) {
	case FMT_JSON:
		return report_json(r, out);
	case FMT_TEXT:
		report_text(r, out, false, NULL, 0);
		break;
	case FMT_JUNIT:
		report_junit(r, out);
		break;
	case FMT_CSV:
		report_csv(r, out);
		break;
	case FMT_HTML:
		report_html(r, out);
		break;
	}
	return 0;
}

struct format_job {
	const struct report *r;
	enum fmt             fmt;
};

static int
fill_format(FILE *out, void *arg)
{
	const struct format_job *job = arg;

	return write_format(job->r, job->fmt, out);
}

int
report_write_all(const struct report *r, const char *dir, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		struct format_job job = { r, outputs[i].fmt };
		char path[1100];

		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i].name);
		if (atomic_write(path, fill_format, &job, err, errlen) != 0)
			return -1;
	}
	return 0;
}
