/* The TLS part of the reports: per TLS probe what became of its
 * ClientHello, the certificate the server presented (the facts a person
 * compares with a console: SHA-1 thumbprint as Windows shows it, SHA-256,
 * SPKI pin) and the profile's checks on it; per address, whether its TLS
 * ports present the same certificate. */
#include "report/tls.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/tlsev.h"

static bool
has_tls(const struct report *r)
{
	uint32_t i;

	for (i = 0; i < plan_nprobes(r->pl); i++)
		if (corr_tls(r->c, i))
			return true;
	return false;
}

static json_t *
json_str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *
json_cert(const struct tls_result *x)
{
	const struct tlscert_info *in = x->chain ? tlscert_at(x->chain, 0) : NULL;
	char nb[16], na[16];
	json_t *san;
	size_t i;

	if (!in)
		return json_null();
	san = json_array();
	for (i = 0; san && i < in->nsan; i++)
		json_array_append_new(san, json_string(in->san[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:s, s:s, s:I, s:b}",
	    "subject", in->subject, "issuer", in->issuer,
	    "not_before", tlscert_date(in->not_before, nb, sizeof(nb)),
	    "not_after", tlscert_date(in->not_after, na, sizeof(na)), "days_left", (json_int_t)x->days_left,
	    "san", san ? san : json_array(), "sha1", in->sha1, "sha256", in->sha256, "pin", in->pin,
	    "chain_length", (json_int_t)tlscert_chain_len(x->chain), "self_issued", in->self_issued);
}

static json_t *
json_checks(const struct tls_result *x)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && x->evaluated && i < x->eval.n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}",
		    "check", tlscert_check_name(x->eval.r[i].check),
		    "verdict", tlscert_verdict_name(x->eval.r[i].verdict), "reason", x->eval.r[i].reason));
	return a;
}

/* The sender's TLS log the shown try is in: a resumed run's later
 * segments have their own. */
static const char *
log_name(const struct report *r, uint32_t id, const struct tls_result *x, char *fn, size_t len)
{
	tlslog_name(profile_endpoint(plan_profile(r->pl), plan_probe(r->pl, id)->src)->name, true,
	    x->seg, fn, len);
	return fn;
}

json_t *
report_tls_probe_json(const struct report *r, uint32_t id)
{
	const struct tls_result *x = corr_tls(r->c, id);
	const struct probe_result *res = corr_result(r->c, id);
	const struct tlslog_try *t;
	char fn[300];
	json_t *o;

	if (!x)
		return NULL;
	t = x->shown;
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:b, s:I, s:s?, s:o, s:o, s:o}",
	    "reason", x->reason, "sni_sent", json_str_or_null(x->sni_sent),
	    "sni_arrived", x->hello_arrived ? json_string(x->sni_arrived) : json_null(),
	    "ja4_sent", json_str_or_null(x->ja4_sent),
	    "ja4_arrived", x->hello_arrived ? json_str_or_null(x->ja4_arrived) : json_null(),
	    "client_random", json_str_or_null(x->random), "hello_arrived", x->hello_arrived,
	    "hello_frame", x->hello_frame ? json_integer(x->hello_frame) : json_null(),
	    "foreign_hello", x->foreign_hello, "tries", (json_int_t)x->tries_logged,
	    "outcome", t ? tls_outcome_name(t->outcome) : NULL,
	    "alert", t && t->alert >= 0 ? json_integer(t->alert) : json_null(),
	    "version", json_str_or_null(t ? t->version : NULL),
	    "cipher", json_str_or_null(t ? t->cipher : NULL));
	if (!o)
		return NULL;
	(void)res;
	json_object_set_new(o, "log", t ? json_string(log_name(r, id, x, fn, sizeof(fn))) : json_null());
	json_object_set_new(o, "certificate", json_cert(x));
	json_object_set_new(o, "inside_chain_matches", !x->inside || !x->chain ? json_null() :
	    json_boolean(tlscert_chain_equal(x->inside, x->chain)));
	json_object_set_new(o, "same_cert_as_other_ports", x->same_as_peers_known ?
	    json_boolean(x->same_as_peers) : json_null());
	json_object_set_new(o, "checks", json_checks(x));
	json_object_set_new(o, "cert_verdict", x->evaluated ?
	    json_string(tlscert_verdict_name(x->eval.worst)) : json_null());
	return o;
}

static bool
same_addr(const struct probe *p, const struct probe *q)
{
	return q->dst == p->dst && q->dst_addr == p->dst_addr;
}

/* The probe that stands for its address and port among the TLS probes
 * from first on: several sources may probe one port, which is listed once,
 * by the first probe that got a certificate, else the first. */
static bool
port_rep(const struct report *r, uint32_t first, uint32_t id)
{
	const struct probe *p = plan_probe(r->pl, id);
	bool has = corr_tls(r->c, id)->chain != NULL;
	uint32_t i;

	for (i = first; i < plan_nprobes(r->pl); i++) {
		const struct probe *q = plan_probe(r->pl, i);
		const struct tls_result *x = corr_tls(r->c, i);

		if (i == id || !x || !same_addr(p, q) || q->port != p->port)
			continue;
		if ((x->chain != NULL) > has || ((x->chain != NULL) == has && i < id))
			return false;
	}
	return true;
}

/* The probes of one destination address, in plan order: the first one's
 * id stands for the address. */
static bool
first_of_addr(const struct report *r, uint32_t id)
{
	const struct probe *p = plan_probe(r->pl, id);
	uint32_t i;

	for (i = 0; i < id; i++)
		if (corr_tls(r->c, i) && same_addr(p, plan_probe(r->pl, i)))
			return false;
	return true;
}

/* An address's TLS ports, one probe each (port_rep), and whether the
 * certificates that can be compared are the same. */
struct addr_ports {
	uint32_t *ids;
	size_t    n;
	bool      compared, same, skipped;
};

static int
addr_ports(const struct report *r, uint32_t first, struct addr_ports *a)
{
	const struct probe *p = plan_probe(r->pl, first);
	uint32_t i;
	size_t j, k;

	memset(a, 0, sizeof(*a));
	a->same = true;
	if (!(a->ids = malloc(plan_nprobes(r->pl) * sizeof(*a->ids))))
		return -1;
	for (i = first; i < plan_nprobes(r->pl); i++)
		if (corr_tls(r->c, i) && same_addr(p, plan_probe(r->pl, i)) && port_rep(r, first, i))
			a->ids[a->n++] = i;
	for (j = 0; j < a->n; j++)
		for (k = j + 1; k < a->n; k++) {
			const struct tls_result *x = corr_tls(r->c, a->ids[j]), *y = corr_tls(r->c, a->ids[k]);

			if (!x->chain || !y->chain)
				continue;
			if (!tls_result_comparable(x, y)) {
				a->skipped = true;
				continue;
			}
			a->compared = true;
			a->same = a->same && tlscert_leaf_equal(x->chain, y->chain);
		}
	return 0;
}

static json_t *
json_endpoint(const struct report *r, uint32_t id)
{
	const struct probe *p = plan_probe(r->pl, id);
	json_t *ports = json_array();
	struct addr_ports ap;
	char a[ADDR_STRLEN];
	size_t i;

	if (!ports || addr_ports(r, id, &ap) != 0) {
		json_decref(ports);
		return NULL;
	}
	for (i = 0; i < ap.n; i++) {
		const struct tls_result *x = corr_tls(r->c, ap.ids[i]);
		const struct tlscert_info *in = x->chain ? tlscert_at(x->chain, 0) : NULL;

		json_array_append_new(ports, json_pack("{s:i, s:o, s:o, s:o}",
		    "port", (int)plan_probe(r->pl, ap.ids[i])->port,
		    "sha1", json_str_or_null(in ? in->sha1 : NULL),
		    "sha256", json_str_or_null(in ? in->sha256 : NULL),
		    "pin", json_str_or_null(in ? in->pin : NULL)));
	}
	free(ap.ids);
	return json_pack("{s:s, s:s, s:o, s:o}",
	    "endpoint", profile_endpoint(plan_profile(r->pl), p->dst)->name,
	    "address", addr_fmt(plan_probe_dst(r->pl, p), a), "ports", ports,
	    "same_cert", ap.compared ? json_boolean(ap.same) : json_null());
}

json_t *
report_tls_endpoints_json(const struct report *r)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; a && i < plan_nprobes(r->pl); i++)
		if (corr_tls(r->c, i) && first_of_addr(r, i))
			json_array_append_new(a, json_endpoint(r, i));
	return a;
}

/* ---- text ---- */

static void
text_cert(FILE *out, const struct tls_result *x)
{
	const struct tlscert_info *in = x->chain ? tlscert_at(x->chain, 0) : NULL;
	char na[16];
	size_t i;

	if (!in)
		return;
	fprintf(out, "        certificate %s, issued by %s, expires %s (%ld days left at the probe)\n",
	    in->subject, in->issuer, tlscert_date(in->not_after, na, sizeof(na)), x->days_left);
	fprintf(out, "        SHA-1 %s  SHA-256 %s\n        SPKI pin %s", in->sha1, in->sha256, in->pin);
	if (in->nsan) {
		fprintf(out, "  SAN");
		for (i = 0; i < in->nsan; i++)
			fprintf(out, "%s %s", i ? "," : "", in->san[i]);
	}
	fputc('\n', out);
	if (x->inside && x->chain)
		fprintf(out, "        chain seen from inside the far side: %s\n",
		    tlscert_chain_equal(x->inside, x->chain) ? "the same" : "DIFFERENT");
}

static void
text_probe(const struct report *r, FILE *out, uint32_t id)
{
	const struct probe *p = plan_probe(r->pl, id);
	const struct tls_result *x = corr_tls(r->c, id);
	const struct probe_result *res = corr_result(r->c, id);
	const struct tlslog_try *t = x->shown;
	char a[ADDR_STRLEN];
	size_t i;

	fprintf(out, "  %-4s %s -> %s %s tcp/%u  %s  SNI %s", report_verdict_word(res->verdict),
	    profile_endpoint(plan_profile(r->pl), p->src)->name,
	    profile_endpoint(plan_profile(r->pl), p->dst)->name, addr_fmt(plan_probe_dst(r->pl, p), a),
	    p->port, evidence_name(res->ev), x->sni_sent[0] ? x->sni_sent : "(none)");
	if (t && t->outcome == TLSO_HANDSHAKE)
		fprintf(out, "  %s %s", t->version, t->cipher);
	else if (t)
		fprintf(out, "  %s", tls_outcome_name(t->outcome));
	fprintf(out, "\n        %s\n", x->reason);
	text_cert(out, x);
	if (x->evaluated) {
		fprintf(out, "        checks:");
		for (i = 0; i < x->eval.n; i++)
			fprintf(out, "%s %s %s (%s)", i ? ";" : "", tlscert_check_name(x->eval.r[i].check),
			    x->eval.r[i].verdict == TLSCERT_FAIL ? "FAIL" : tlscert_verdict_name(x->eval.r[i].verdict),
			    x->eval.r[i].reason);
		fputc('\n', out);
	}
}

static void
text_same_cert(const struct report *r, FILE *out, uint32_t id)
{
	const struct probe *p = plan_probe(r->pl, id);
	char ports[256] = "", a[ADDR_STRLEN];
	struct addr_ports ap;
	size_t off = 0, i;
	unsigned n = 0;

	if (addr_ports(r, id, &ap) != 0)
		return;
	for (i = 0; i < ap.n; i++) {
		if (!corr_tls(r->c, ap.ids[i])->chain)
			continue;
		if (off < sizeof(ports))
			off += (size_t)snprintf(ports + off, sizeof(ports) - off, "%stcp/%u", n ? ", " : "",
			    plan_probe(r->pl, ap.ids[i])->port);
		n++;
	}
	free(ap.ids);
	if (ap.compared)
		fprintf(out, "  %s %s: %s %s%s\n", profile_endpoint(plan_profile(r->pl), p->dst)->name,
		    addr_fmt(plan_probe_dst(r->pl, p), a), ports,
		    ap.same ? "present the same certificate" : "present DIFFERENT certificates",
		    ap.skipped ? " (those a responder made in another run segment not compared)" : "");
}

void
report_tls_text(const struct report *r, FILE *out)
{
	uint32_t i;

	if (!has_tls(r))
		return;
	fprintf(out, "\nTLS probes\n");
	for (i = 0; i < plan_nprobes(r->pl); i++)
		if (corr_tls(r->c, i))
			text_probe(r, out, i);
	for (i = 0; i < plan_nprobes(r->pl); i++)
		if (corr_tls(r->c, i) && first_of_addr(r, i))
			text_same_cert(r, out, i);
	if (corr_tls_problem(r->c))
		fprintf(out, "  (TLS logs: %s)\n", corr_tls_problem(r->c));
}
