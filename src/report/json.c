/* report.json (schema ruleproof-report/1, documented in ruleproof(1)). */
#include "report/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report/tls.h"

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
	if (o && json_object_set_new(o, "proof", json_string(proof_name(res->proof))) != 0) {
		json_decref(o);
		return NULL;
	}
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
	    "observed", json_counts(rr->st->obs, OBS_UNKNOWN + 1, report_obs_name_at),
	    "evidence", json_counts(rr->st->ev, EVD_INCONCLUSIVE + 1, report_ev_name_at))) != 0) {
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
	    " s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}, s:o, s:o, s:o}",
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
	    "pass_by_hop_distance", (json_int_t)r->pass_by_hops,
	    "proof", json_counts(r->proof, PROOF_NONE + 1, report_proof_name_at),
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
