/* The report model every format reads.  Nothing here may read the clock
 * or the environment: the reports are a function of the run directory
 * alone. */
#include "report/model.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomicfile.h"
#include "lib/errfmt.h"


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
		r->proof[res->proof]++;
		if (res->verdict == VERDICT_PASS && res->proof == PROOF_HOP_DISTANCE)
			r->pass_by_hops++;
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

const char *report_obs_name_at(size_t i) { return observed_name((enum observed)i); }
const char *report_ev_name_at(size_t i) { return evidence_name((enum evidence)i); }
const char *report_proof_name_at(size_t i) { return proof_name((enum proof)i); }

void
report_observed_text(const struct rule_stats *s, char *buf, size_t len)
{
	counts_text(s->obs, OBS_UNKNOWN + 1, report_obs_name_at, buf, len);
}

void
report_evidence_text(const struct rule_stats *s, char *buf, size_t len)
{
	counts_text(s->ev, EVD_INCONCLUSIVE + 1, report_ev_name_at, buf, len);
}

void
report_summary_line(const struct report *r, char *buf, size_t len)
{
	const struct rule_summary *t = &r->total.sum;
	unsigned nrules, nfail = report_rules_failing(r, &nrules);
	uint64_t foreign = corr_foreign(r->c);

	char hops[96] = "";

	/* A pass that rests on a distance alone is no plain pass: said here,
	 * and --require-proof turns it into an inconclusive. */
	if (r->pass_by_hops)
		snprintf(hops, sizeof(hops), " (%u by hop distance only)", r->pass_by_hops);
	snprintf(buf, len, "%s%s: %u probes: %u pass%s, %u fail, %u inconclusive; %u of %u rules fail%s",
	    r->interrupted ? "INCOMPLETE (interrupted) " : "",
	    t->fail ? "FAIL" : t->inconclusive ? "INCONCLUSIVE" : "PASS", t->probes, t->pass, hops,
	    t->fail, t->inconclusive, nfail, nrules, foreign ? " (foreign packets ignored)" : "");
}

int
report_exit_status(const struct corr *c)
{
	struct rule_summary t = corr_total(c);

	return t.fail ? 1 : t.inconclusive ? 3 : 0;
}
