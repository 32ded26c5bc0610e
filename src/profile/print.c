/* The canonical form of a profile: one statement per line, definitions
 * grouped by kind, port lists sorted and merged, included files written out
 * in place.  Printing it and parsing the result gives the same text again
 * (the golden and fuzz tests hold it to that). */
#include "profile/print.h"

#include <stdlib.h>
#include <string.h>

static void
put_ports(FILE *f, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		fprintf(f, "%u", (unsigned)lo);
	else
		fprintf(f, "%u-%u", (unsigned)lo, (unsigned)hi);
}

/* The checks in a fixed order, whatever order they were written in. */
static void
put_cert(FILE *f, const struct tlscert_expect *e)
{
	const char *sep = "";
	size_t i;

	fputs(" cert (", f);
	if (e->san) {
		fputs("san", f);
		sep = ", ";
	}
	if (e->not_expired) {
		fprintf(f, "%snot-expired %ud", sep, e->warn_days);
		sep = ", ";
	}
	for (i = 0; i < e->npins; i++) {
		fprintf(f, "%spin ", sep);
		lex_put_string(f, e->pins[i]);
		sep = ", ";
	}
	if (e->issuer) {
		fprintf(f, "%sissuer ", sep);
		lex_put_string(f, e->issuer);
		sep = ", ";
	}
	if (e->trusted) {
		fprintf(f, "%strusted", sep);
		sep = ", ";
	}
	if (e->same_cert)
		fprintf(f, "%ssame-cert", sep);
	fputc(')', f);
}

static void
put_inline(FILE *f, const struct ref *r)
{
	size_t j;

	fputs(r->protos == (PB_TCP | PB_UDP) ? "tcp+udp/" : r->protos == PB_UDP ? "udp/" : "tcp/",
	    f);
	for (j = 0; j < r->nports; j++) {
		if (j)
			fputs(", ", f);
		put_ports(f, r->ports[j].lo, r->ports[j].hi);
	}
	if (r->tls)
		fputs(" tls", f);
	if (r->sni) {
		fputs(" sni ", f);
		lex_put_string(f, r->sni);
	}
	if (r->cert)
		put_cert(f, &r->cert->pub);
}

char *
pf_svclist_text(const struct svclist *l)
{
	char *buf = NULL;
	size_t size = 0, i;
	FILE *f = pf_mem_open(&buf, &size);

	for (i = 0; i < l->n; i++) {
		if (i)
			fputs(", ", f);
		if (l->v[i].name)
			fputs(l->v[i].name, f);
		else
			put_inline(f, &l->v[i]);
	}
	pf_mem_close(f);
	return buf;
}

char *
pf_eplist_text(const struct eplist *l)
{
	char *buf = NULL;
	size_t size = 0, i;
	FILE *f = pf_mem_open(&buf, &size);

	for (i = 0; i < l->n; i++)
		fprintf(f, "%s%s", i ? ", " : "", l->v[i].name);
	pf_mem_close(f);
	return buf;
}

/* `KEYWORD NAME ["DESC"]`, the common head of every definition. */
static void
put_head(FILE *out, const char *keyword, const char *name, const char *desc)
{
	fprintf(out, "%s %s", keyword, name);
	if (desc && desc[0]) {
		fputc(' ', out);
		lex_put_string(out, desc);
	}
}

static void
put_addrs(FILE *out, const struct rp_addr *v, size_t n)
{
	char buf[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : " = ", addr_fmt(&v[i], buf));
}

static void
print_endpoint(const struct profile *pf, const struct endpoint *e, FILE *out)
{
	char buf[ADDR_STRLEN];
	static const char *const kw[] = {
		[EP_ZONE] = "zone", [EP_ROLE] = "role", [EP_FQDN] = "fqdn", [EP_BLOCK] = "block",
	};

	put_head(out, kw[e->pub.kind], e->name, e->desc);
	if (e->pub.kind == EP_ROLE && e->pub.zone >= 0)
		fprintf(out, " in %s", pf->eps[e->pub.zone].name);
	if (e->pub.kind == EP_FQDN)
		put_addrs(out, e->addrs, e->naddrs);
	if (e->pub.kind == EP_BLOCK)
		fprintf(out, " = %s/%u sample %u", addr_fmt(&e->addrs[0], buf), e->pub.prefix,
		    e->pub.sample);
	fputc('\n', out);
}

/* The endpoints of the given kinds, in the order of `kinds`; wildcard
 * names that no `fqdn` declares are implied by their wildcard. */
static void
print_endpoints(const struct profile *pf, FILE *out, const enum endpoint_kind *kinds,
    size_t nkinds)
{
	bool gap = true;
	size_t k, i;

	for (k = 0; k < nkinds; k++)
		for (i = 0; i < pf->neps; i++) {
			const struct endpoint *e = &pf->eps[i];

			if (e->pub.kind != kinds[k] || e->implicit)
				continue;
			if (gap)
				fputc('\n', out);
			gap = false;
			print_endpoint(pf, e, out);
		}
}

/* `KEYWORD NAME ["DESC"] = a, b, c` for wildcards and groups. */
static void
print_list_def(FILE *out, const char *keyword, const char *name, const char *desc,
    const struct eplist *l)
{
	char *text = pf_eplist_text(l);

	put_head(out, keyword, name, desc);
	fprintf(out, " = %s\n", text);
	free(text);
}

static void
print_wildcards_and_groups(const struct profile *pf, FILE *out)
{
	size_t i;

	if (pf->nwilds)
		fputc('\n', out);
	for (i = 0; i < pf->nwilds; i++)
		print_list_def(out, "wildcard", pf->wilds[i].pattern, pf->wilds[i].desc,
		    &pf->wilds[i].names);
	if (pf->ngroups)
		fputc('\n', out);
	for (i = 0; i < pf->ngroups; i++)
		print_list_def(out, "group", pf->groups[i].name, pf->groups[i].desc,
		    &pf->groups[i].members);
}

static bool
same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void
print_rule(const struct rule *r, FILE *out)
{
	fprintf(out, "%s %s -> %s : %s", r->pub.expect_open ? "open" : "closed", r->from, r->to,
	    r->services);
	if (r->pub.direction != DIR_UNSPECIFIED)
		fputs(r->pub.direction == DIR_INBOUND ? " inbound" : " outbound", out);
	if (r->cite) {
		fputs(" cite ", out);
		lex_put_string(out, r->cite);
	}
	fputc('\n', out);
}

/* Rules in order, with `source` and `section` wherever provenance changes
 * (`section ""` where a rule has none again, after an included file's
 * sections; documents start at the profile's and never go back to none). */
static void
print_rules(const struct profile *pf, FILE *out)
{
	const char *section = NULL, *doc = pf->doc;
	size_t i;

	for (i = 0; i < pf->nrules; i++) {
		const struct rule *r = &pf->rules[i];
		bool dchg = !same_text(r->pub.document, doc), schg = !same_text(r->pub.section, section);

		if (dchg || schg || i == 0)
			fputc('\n', out);
		if (dchg) {
			fputs("source ", out);
			lex_put_string(out, r->pub.document);
			fputc('\n', out);
			doc = r->pub.document;
		}
		if (schg) {
			fputs("section ", out);
			lex_put_string(out, r->pub.section ? r->pub.section : "");
			fputc('\n', out);
			section = r->pub.section;
		}
		print_rule(r, out);
	}
}

void
profile_print(const struct profile *pf, FILE *out)
{
	static const enum endpoint_kind zr[] = { EP_ZONE, EP_ROLE }, fb[] = { EP_FQDN, EP_BLOCK };
	size_t i;

	fputs("profile ", out);
	lex_put_string(out, pf->title);
	fputc('\n', out);
	if (pf->doc) {
		fputs("source ", out);
		lex_put_string(out, pf->doc);
		fputc('\n', out);
	}
	print_endpoints(pf, out, zr, 2);
	print_endpoints(pf, out, fb, 2);
	print_wildcards_and_groups(pf, out);
	if (pf->nsvcs) {
		fputc('\n', out);
		for (i = 0; i < pf->nsvcs; i++)
			fprintf(out, "service %s = %s\n", pf->svcs[i].name, pf->svcs[i].text);
	}
	print_rules(pf, out);
	if (pf->default_line)
		fprintf(out, "\ndefault closed%s\n", pf->default_all ? " all" : "");
}
