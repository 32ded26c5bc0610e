#include "profile/model.h"

#include <stdlib.h>
#include <string.h>

#include "lib/oom.h"
#include "lib/dnsname.h"

/* ---- small helpers ---- */

void *
pf_grow(void *v, size_t n, size_t size)
{
	/* Room for element n: capacity doubles at every power of two, so no
	 * separate capacity field is needed. */
	if (n == 0 || (n & (n - 1)) == 0)
		v = xreallocarray(v, n ? n * 2 : 1, size);
	return v;
}

char *
pf_strdup(const char *s)
{
	return lex_xstrndup(s, strlen(s));
}

const char *
pf_proto_name(uint8_t proto)
{
	return proto == RP_PROTO_UDP ? "udp" : "tcp";
}

/* DNS names compare without regard to case; other names exactly. */
bool
pf_name_eq(const char *a, const char *b)
{
	return strchr(a, '.') ? dnsname_eq(a, b) : strcmp(a, b) == 0;
}

/* "line 12", or "FILE:12" when the place is in another file than `here`. */
const char *
pf_where(const struct profile *pf, const struct src_span *at, const struct src_span *here,
    char *buf, size_t size)
{
	if (at->file == here->file)
		snprintf(buf, size, "line %d", at->line);
	else
		snprintf(buf, size, "%s:%d", pf->files[at->file], at->line);
	return buf;
}

/* ---- port spans ---- */

static bool
same_tls(const struct port_span *a, const struct port_span *b)
{
	if (a->tls != b->tls || !tlscert_expect_eq(a->cert, b->cert))
		return false;
	if (!a->sni || !b->sni)
		return a->sni == b->sni;
	return dnsname_eq(a->sni, b->sni);
}

static int
cmp_span(const void *a, const void *b)
{
	const struct port_span *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return (int)x->tls - (int)y->tls;
}

size_t
pf_merge_spans(struct port_span *v, size_t n)
{
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_span);
	for (i = 1; i < n; i++) {
		struct port_span *last = &v[out];

		if (v[i].proto == last->proto && same_tls(&v[i], last) &&
		    (uint32_t)v[i].lo <= (uint32_t)last->hi + 1) {
			if (v[i].hi > last->hi)
				last->hi = v[i].hi;
		} else {
			v[++out] = v[i];
		}
	}
	return out + 1;
}

bool
pf_spans_overlap(const struct port_span *a, size_t na, const struct port_span *b,
    size_t nb, struct port_span *out)
{
	size_t i = 0, j = 0;

	while (i < na && j < nb) {
		const struct port_span *x = &a[i], *y = &b[j];

		if (x->proto == y->proto && x->lo <= y->hi && y->lo <= x->hi) {
			*out = *x;
			out->lo = x->lo > y->lo ? x->lo : y->lo;
			out->hi = x->hi < y->hi ? x->hi : y->hi;
			return true;
		}
		if (x->proto < y->proto || (x->proto == y->proto && x->hi < y->hi))
			i++;
		else
			j++;
	}
	return false;
}

const char *
pf_span_str(const struct port_span *s, char *buf, size_t size)
{
	if (s->lo == s->hi)
		snprintf(buf, size, "%s/%u", pf_proto_name(s->proto), (unsigned)s->lo);
	else
		snprintf(buf, size, "%s/%u-%u", pf_proto_name(s->proto), (unsigned)s->lo,
		    (unsigned)s->hi);
	return buf;
}

/* ---- memory ---- */

void
pf_free_certx(struct certx *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->pub.npins; i++)
		free(c->pins[i]);
	free(c->pins);
	free(c->issuer);
	free(c);
}

void
pf_free_svclist(struct svclist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].ports);
		free(l->v[i].sni);
		pf_free_certx(l->v[i].cert);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
pf_free_eplist(struct eplist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
pf_free_rule(struct rule *r)
{
	pf_free_eplist(&r->src);
	pf_free_eplist(&r->dst);
	pf_free_svclist(&r->svcs);
	free(r->srcidx);
	free(r->dstidx);
	free(r->spans);
	free(r->services);
	free(r->from);
	free(r->to);
	free(r->cite);
}

static void
free_endpoints(struct profile *pf)
{
	size_t i;

	for (i = 0; i < pf->neps; i++) {
		free(pf->eps[i].name);
		free(pf->eps[i].desc);
		free(pf->eps[i].addrs);
		free(pf->eps[i].zone.name);
	}
	free(pf->eps);
}

static void
free_definitions(struct profile *pf)
{
	size_t i;

	for (i = 0; i < pf->nsvcs; i++) {
		free(pf->svcs[i].name);
		pf_free_svclist(&pf->svcs[i].list);
		free(pf->svcs[i].text);
		free(pf->svcs[i].spans);
	}
	for (i = 0; i < pf->ngroups; i++) {
		free(pf->groups[i].name);
		free(pf->groups[i].desc);
		pf_free_eplist(&pf->groups[i].members);
		free(pf->groups[i].exp);
	}
	for (i = 0; i < pf->nwilds; i++) {
		free(pf->wilds[i].pattern);
		free(pf->wilds[i].desc);
		pf_free_eplist(&pf->wilds[i].names);
		free(pf->wilds[i].idx);
	}
	free(pf->svcs);
	free(pf->groups);
	free(pf->wilds);
}

void
pf_free(struct profile *pf)
{
	size_t i;

	if (!pf)
		return;
	free_endpoints(pf);
	free_definitions(pf);
	for (i = 0; i < pf->nrules; i++)
		pf_free_rule(&pf->rules[i]);
	for (i = 0; i < pf->nstrs; i++)
		free(pf->strs[i]);
	for (i = 0; i < pf->nfiles; i++)
		free(pf->files[i]);
	free(pf->rules);
	free(pf->strs);
	free(pf->files);
	free(pf->name);
	free(pf->title);
	free(pf);
}

/* ---- lookups ---- */

long
pf_find_endpoint(const struct profile *pf, const char *name)
{
	size_t i;

	for (i = 0; i < pf->neps; i++)
		if (pf_name_eq(pf->eps[i].name, name))
			return (long)i;
	return -1;
}

long
pf_find_service(const struct profile *pf, const char *name)
{
	size_t i;

	for (i = 0; i < pf->nsvcs; i++)
		if (strcmp(pf->svcs[i].name, name) == 0)
			return (long)i;
	return -1;
}

long
pf_find_group(const struct profile *pf, const char *name)
{
	size_t i;

	for (i = 0; i < pf->ngroups; i++)
		if (strcmp(pf->groups[i].name, name) == 0)
			return (long)i;
	return -1;
}

long
pf_find_wildcard(const struct profile *pf, const char *pattern)
{
	size_t i;

	for (i = 0; i < pf->nwilds; i++)
		if (dnsname_eq(pf->wilds[i].pattern, pattern))
			return (long)i;
	return -1;
}

struct endpoint *
pf_add_endpoint(struct profile *pf, char *name, char *desc, enum endpoint_kind kind,
    const struct src_span *at)
{
	struct endpoint *e;

	pf->eps = pf_grow(pf->eps, pf->neps, sizeof(*pf->eps));
	e = &pf->eps[pf->neps++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->desc = desc ? desc : pf_strdup("");
	e->pub.kind = kind;
	e->pub.zone = -1;
	e->at = *at;
	e->wild = NO_INDEX;
	return e;
}

bool
pf_has_index(const size_t *v, size_t n, size_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* ---- memory streams ---- */

FILE *
pf_mem_open(char **buf, size_t *size)
{
	FILE *f = open_memstream(buf, size);

	if (!f)
		oom_fatal();
	return f;
}

void
pf_mem_close(FILE *f)
{
	if (fclose(f) != 0)
		oom_fatal();
}
