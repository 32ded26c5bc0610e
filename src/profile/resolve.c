/* Name resolution and whole-profile checks (after every file is parsed, so
 * names may be used before they are defined), and the queries. */
#include "profile/resolve.h"

#include <stdlib.h>
#include <string.h>

#include "lib/oom.h"
#include "lib/dnsname.h"
#include "profile/print.h"
#include "profile/profile.h"

static void
add_unique(size_t **v, size_t *n, size_t x)
{
	if (pf_has_index(*v, *n, x))
		return;
	*v = pf_grow(*v, *n, sizeof(**v));
	(*v)[(*n)++] = x;
}

/* ---- definitions that name each other: services and groups ---- */

/* One family of definitions, walked depth first with an explicit stack so
 * that a long chain of definitions cannot exhaust the C stack. */
struct defs {
	const char *what;   /* "service", "group": for the cycle message */
	size_t (*nmembers)(const struct profile *, size_t d);
	/* The definition of the same family member i names, or NO_INDEX. */
	size_t (*member)(const struct profile *, size_t d, size_t i);
	const struct src_span *(*member_at)(const struct profile *, size_t d, size_t i);
	const char *(*name)(const struct profile *, size_t d);
	enum def_state *(*state)(struct profile *, size_t d);
	/* Called once every member is expanded (members in a reported cycle
	 * are still open and must be skipped). */
	void (*expand)(struct profile *, size_t d);
};

struct frame {
	size_t def, next;
};

static void
report_cycle(struct profile *pf, struct diag *d, const struct defs *fam,
    const struct frame *st, size_t depth, size_t target, const struct src_span *at)
{
	char *path = NULL;
	size_t size = 0, k = depth;
	FILE *f = pf_mem_open(&path, &size);

	while (k > 0 && st[k - 1].def != target)
		k--;
	for (k = k ? k - 1 : 0; k < depth; k++)
		fprintf(f, "%s -> ", fam->name(pf, st[k].def));
	fputs(fam->name(pf, target), f);
	pf_mem_close(f);
	diag_error(d, at, "%s definition cycle: %s", fam->what, path);
	free(path);
}

static void
walk(struct profile *pf, struct diag *d, const struct defs *fam, size_t root)
{
	struct frame *st = pf_grow(NULL, 0, sizeof(*st));
	size_t depth = 1;

	st[0].def = root;
	st[0].next = 0;
	*fam->state(pf, root) = DS_OPEN;
	while (depth > 0) {
		struct frame *fr = &st[depth - 1];
		size_t def = fr->def, i, t;

		if (fr->next < fam->nmembers(pf, def)) {
			i = fr->next++;
			t = fam->member(pf, def, i);
			if (t == NO_INDEX)
				continue;
			if (*fam->state(pf, t) == DS_OPEN) {
				report_cycle(pf, d, fam, st, depth, t, fam->member_at(pf, def, i));
			} else if (*fam->state(pf, t) == DS_NEW) {
				st = pf_grow(st, depth, sizeof(*st));
				st[depth].def = t;
				st[depth].next = 0;
				depth++;
				*fam->state(pf, t) = DS_OPEN;
			}
			continue;
		}
		fam->expand(pf, def);
		*fam->state(pf, def) = DS_DONE;
		depth--;
	}
	free(st);
}

/* ---- services ---- */

/* The spans one ref names: its service's, or its inline ports in each of
 * its protocols (caller frees). */
static struct port_span *
ref_spans(const struct profile *pf, const struct ref *r, size_t *n)
{
	struct port_span *v;
	size_t i, k = 0;
	unsigned bit;

	if (r->name) {
		const struct service *s = r->target != NO_INDEX ? &pf->svcs[r->target] : NULL;

		*n = s ? s->nspans : 0;
		v = xreallocarray(NULL, *n, sizeof(*v));
		if (*n)
			memcpy(v, s->spans, *n * sizeof(*v));
		return v;
	}
	v = xreallocarray(NULL, r->nports * 2, sizeof(*v));
	for (bit = PB_TCP; bit <= PB_UDP; bit <<= 1) {
		if (!(r->protos & bit))
			continue;
		for (i = 0; i < r->nports; i++) {
			v[k] = r->ports[i];
			v[k].proto = bit == PB_UDP ? RP_PROTO_UDP : RP_PROTO_TCP;
			v[k].tls = r->tls;
			v[k].sni = r->sni;
			v[k].cert = r->cert ? &r->cert->pub : NULL;
			k++;
		}
	}
	*n = k;
	return v;
}

/* Every port a list names, merged. */
static void
expand_list(const struct profile *pf, const struct svclist *l, struct port_span **out,
    size_t *nout)
{
	struct port_span *v = NULL, *part;
	size_t i, n = 0, m;

	for (i = 0; i < l->n; i++) {
		part = ref_spans(pf, &l->v[i], &m);
		v = xreallocarray(v, n + m, sizeof(*v));
		if (m)
			memcpy(v + n, part, m * sizeof(*v));
		n += m;
		free(part);
	}
	*out = v;
	*nout = pf_merge_spans(v, n);
}

/* How two spans' TLS expectations differ, or NULL if they agree. */
static const char *
tls_differs(const struct port_span *a, const struct port_span *b)
{
	if (a->tls != b->tls)
		return "with and without tls";
	if (!a->sni != !b->sni || (a->sni && !dnsname_eq(a->sni, b->sni)))
		return "with two different server names (sni)";
	if (!tlscert_expect_eq(a->cert, b->cert))
		return "with two different certificate checks (cert)";
	return NULL;
}

/* A port one ref names with other TLS expectations than an earlier ref. */
static bool
conflict(const struct port_span *a, size_t na, const struct port_span *b, size_t nb,
    struct port_span *at, const char **how)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i].proto == b[j].proto && a[i].lo <= b[j].hi && b[j].lo <= a[i].hi &&
			    (*how = tls_differs(&a[i], &b[j])) != NULL) {
				*at = b[j];
				at->lo = a[i].lo > b[j].lo ? a[i].lo : b[j].lo;
				at->hi = at->lo;
				return true;
			}
	return false;
}

/* A port is probed once: two refs of one list must agree on its TLS
 * expectation. */
static void
check_tls_conflicts(const struct profile *pf, struct diag *d, const struct svclist *l)
{
	struct port_span **spans = xreallocarray(NULL, l->n, sizeof(*spans)), at;
	size_t *ns = xreallocarray(NULL, l->n, sizeof(*ns)), i, j;
	const char *how;
	char buf[32];

	for (j = 0; j < l->n; j++) {
		spans[j] = ref_spans(pf, &l->v[j], &ns[j]);
		for (i = 0; i < j; i++) {
			if (!conflict(spans[i], ns[i], spans[j], ns[j], &at, &how))
				continue;
			diag_error(d, &l->v[j].at, "%s is listed %s", pf_span_str(&at, buf, sizeof(buf)),
			    how);
			break;
		}
	}
	for (j = 0; j < l->n; j++)
		free(spans[j]);
	free(spans);
	free(ns);
}

static size_t
svc_nmembers(const struct profile *pf, size_t d)
{
	return pf->svcs[d].list.n;
}

static size_t
svc_member(const struct profile *pf, size_t d, size_t i)
{
	return pf->svcs[d].list.v[i].target;
}

static const struct src_span *
svc_member_at(const struct profile *pf, size_t d, size_t i)
{
	return &pf->svcs[d].list.v[i].at;
}

static const char *
svc_name(const struct profile *pf, size_t d)
{
	return pf->svcs[d].name;
}

static enum def_state *
svc_state(struct profile *pf, size_t d)
{
	return &pf->svcs[d].state;
}

static void
svc_expand(struct profile *pf, size_t d)
{
	struct service *s = &pf->svcs[d];

	expand_list(pf, &s->list, &s->spans, &s->nspans);
}

static const struct defs service_defs = {
	"service", svc_nmembers, svc_member, svc_member_at, svc_name, svc_state, svc_expand,
};

static const char *
what_is(const struct profile *pf, const char *name)
{
	long i = pf_find_endpoint(pf, name);

	if (i >= 0)
		return pf->eps[i].pub.kind == EP_ZONE ? "zone" : pf->eps[i].pub.kind == EP_ROLE ?
		    "role" : pf->eps[i].pub.kind == EP_FQDN ? "fqdn" : "block";
	return profile_name_kind(pf, name);
}

static void
resolve_svcref(struct profile *pf, struct diag *d, struct ref *r)
{
	const char *kind;
	long i;

	if (!r->name)
		return;
	i = pf_find_service(pf, r->name);
	if (i >= 0) {
		r->target = (size_t)i;
		return;
	}
	kind = what_is(pf, r->name);
	if (kind)
		diag_error(d, &r->at, "'%s' is a %s, not a service", r->name, kind);
	else
		diag_error(d, &r->at, "unknown service '%s'", r->name);
}

static void
resolve_services(struct profile *pf, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < pf->nsvcs; i++)
		for (j = 0; j < pf->svcs[i].list.n; j++)
			resolve_svcref(pf, d, &pf->svcs[i].list.v[j]);
	for (i = 0; i < pf->nsvcs; i++)
		if (pf->svcs[i].state == DS_NEW)
			walk(pf, d, &service_defs, i);
	for (i = 0; i < pf->nsvcs; i++) {
		check_tls_conflicts(pf, d, &pf->svcs[i].list);
		pf->svcs[i].text = pf_svclist_text(&pf->svcs[i].list);
	}
}

/* ---- endpoints, wildcards, groups ---- */

/* Looks the name up without reporting anything. */
static void
lookup_epref(const struct profile *pf, struct epref *e)
{
	long i;

	e->kind = TG_NONE;
	e->index = NO_INDEX;
	if ((i = pf_find_endpoint(pf, e->name)) >= 0)
		e->kind = TG_ENDPOINT;
	else if ((i = pf_find_wildcard(pf, e->name)) >= 0)
		e->kind = TG_WILDCARD;
	else if ((i = pf_find_group(pf, e->name)) >= 0)
		e->kind = TG_GROUP;
	if (i >= 0)
		e->index = (size_t)i;
}

static void
resolve_epref(struct profile *pf, struct diag *d, struct epref *e)
{
	lookup_epref(pf, e);
	if (e->kind != TG_NONE)
		return;
	if (pf_find_service(pf, e->name) >= 0)
		diag_error(d, &e->at, "'%s' is a service, not an endpoint", e->name);
	else
		diag_error(d, &e->at, "unknown endpoint '%s'", e->name);
}

/* The names chosen for each wildcard are endpoints: the fqdn of that name
 * if the profile declares one, else one made for it (to be bound by the
 * site). */
static void
resolve_wildcards(struct profile *pf)
{
	size_t w, i;

	for (w = 0; w < pf->nwilds; w++) {
		struct wildcard *wc = &pf->wilds[w];

		for (i = 0; i < wc->names.n; i++) {
			long e = pf_find_endpoint(pf, wc->names.v[i].name);
			struct endpoint *ep;

			if (e < 0) {
				ep = pf_add_endpoint(pf, pf_strdup(wc->names.v[i].name), NULL, EP_FQDN,
				    &wc->names.v[i].at);
				ep->implicit = true;
				e = (long)(pf->neps - 1);
			}
			ep = &pf->eps[e];
			if (ep->wild == NO_INDEX)
				ep->wild = w;
			add_unique(&wc->idx, &wc->nidx, (size_t)e);
		}
	}
}

static void
resolve_zones(struct profile *pf, struct diag *d)
{
	size_t i;

	for (i = 0; i < pf->neps; i++) {
		struct epref *z = &pf->eps[i].zone;
		const char *kind;

		if (!z->name)
			continue;
		lookup_epref(pf, z);
		if (z->kind == TG_ENDPOINT && pf->eps[z->index].pub.kind == EP_ZONE)
			pf->eps[i].pub.zone = (long)z->index;
		else if ((kind = what_is(pf, z->name)) != NULL)
			diag_error(d, &z->at, "'%s' is a %s, not a zone", z->name, kind);
		else
			diag_error(d, &z->at, "unknown zone '%s'", z->name);
	}
}

/* Appends the endpoints one resolved name stands for. */
static void
append_epref(const struct profile *pf, const struct epref *e, size_t **v, size_t *n)
{
	size_t i;

	switch (e->kind) {
	case TG_ENDPOINT:
		add_unique(v, n, e->index);
		break;
	case TG_WILDCARD:
		for (i = 0; i < pf->wilds[e->index].nidx; i++)
			add_unique(v, n, pf->wilds[e->index].idx[i]);
		break;
	case TG_GROUP:
		/* A group still open is part of a reported cycle. */
		if (pf->groups[e->index].state == DS_DONE)
			for (i = 0; i < pf->groups[e->index].nexp; i++)
				add_unique(v, n, pf->groups[e->index].exp[i]);
		break;
	case TG_NONE:
		break;
	}
}

static size_t
grp_nmembers(const struct profile *pf, size_t d)
{
	return pf->groups[d].members.n;
}

static size_t
grp_member(const struct profile *pf, size_t d, size_t i)
{
	const struct epref *e = &pf->groups[d].members.v[i];

	return e->kind == TG_GROUP ? e->index : NO_INDEX;
}

static const struct src_span *
grp_member_at(const struct profile *pf, size_t d, size_t i)
{
	return &pf->groups[d].members.v[i].at;
}

static const char *
grp_name(const struct profile *pf, size_t d)
{
	return pf->groups[d].name;
}

static enum def_state *
grp_state(struct profile *pf, size_t d)
{
	return &pf->groups[d].state;
}

static void
grp_expand(struct profile *pf, size_t d)
{
	struct group *g = &pf->groups[d];
	size_t i;

	for (i = 0; i < g->members.n; i++)
		append_epref(pf, &g->members.v[i], &g->exp, &g->nexp);
}

static const struct defs group_defs = {
	"group", grp_nmembers, grp_member, grp_member_at, grp_name, grp_state, grp_expand,
};

static void
resolve_groups(struct profile *pf, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < pf->ngroups; i++)
		for (j = 0; j < pf->groups[i].members.n; j++)
			resolve_epref(pf, d, &pf->groups[i].members.v[j]);
	for (i = 0; i < pf->ngroups; i++)
		if (pf->groups[i].state == DS_NEW)
			walk(pf, d, &group_defs, i);
}

/* ---- rules ---- */

static size_t *
expand_eplist(struct profile *pf, struct diag *d, struct eplist *l, size_t *n)
{
	size_t *v = NULL, i;

	*n = 0;
	for (i = 0; i < l->n; i++) {
		resolve_epref(pf, d, &l->v[i]);
		append_epref(pf, &l->v[i], &v, n);
	}
	return v;
}

static const char *
target_name(enum target_kind k)
{
	return k == TG_WILDCARD ? "wildcard" : "group";
}

/* A host does not probe itself: no endpoint may be on both sides. */
static void
check_shared(const struct profile *pf, struct diag *d, const struct rule *r)
{
	size_t j, k, n;
	size_t *v;

	for (j = 0; j < r->dst.n; j++) {
		const struct epref *e = &r->dst.v[j];

		v = NULL;
		n = 0;
		append_epref(pf, e, &v, &n);
		for (k = 0; k < n; k++) {
			if (!pf_has_index(r->srcidx, r->nsrc, v[k]))
				continue;
			if (e->kind == TG_ENDPOINT)
				diag_error(d, &e->at, "'%s' is both a source and a destination of this rule",
				    e->name);
			else
				diag_error(d, &e->at, "'%s' (in %s '%s') is both a source and a destination "
				    "of this rule", pf->eps[v[k]].name, target_name(e->kind), e->name);
			break;
		}
		free(v);
	}
}

static void
resolve_rule(struct profile *pf, struct diag *d, struct rule *r)
{
	size_t i;

	r->srcidx = expand_eplist(pf, d, &r->src, &r->nsrc);
	r->dstidx = expand_eplist(pf, d, &r->dst, &r->ndst);
	check_shared(pf, d, r);
	for (i = 0; i < r->svcs.n; i++)
		resolve_svcref(pf, d, &r->svcs.v[i]);
	check_tls_conflicts(pf, d, &r->svcs);
	expand_list(pf, &r->svcs, &r->spans, &r->nspans);
	r->services = pf_svclist_text(&r->svcs);
	r->from = pf_eplist_text(&r->src);
	r->to = pf_eplist_text(&r->dst);
	/* Rules before the first `source` come from it too. */
	if (!r->pub.document)
		r->pub.document = pf->doc;
}

/* Reports b (the later rule) if some (source, destination, port) is both
 * open and closed through a and b. */
static void
check_pair(const struct profile *pf, struct diag *d, const struct rule *a, const struct rule *b)
{
	struct port_span ov;
	size_t i, j;
	char buf[32], at[300];

	if (!pf_spans_overlap(a->spans, a->nspans, b->spans, b->nspans, &ov))
		return;
	for (i = 0; i < b->nsrc; i++) {
		if (!pf_has_index(a->srcidx, a->nsrc, b->srcidx[i]))
			continue;
		for (j = 0; j < b->ndst; j++) {
			if (!pf_has_index(a->dstidx, a->ndst, b->dstidx[j]))
				continue;
			diag_error(d, &b->kw, "contradicts %s rule at %s: %s -> %s %s",
			    a->pub.expect_open ? "open" : "closed",
			    pf_where(pf, &a->kw, &b->kw, at, sizeof(at)),
			    pf->eps[b->srcidx[i]].name, pf->eps[b->dstidx[j]].name,
			    pf_span_str(&ov, buf, sizeof(buf)));
			return;
		}
	}
}

static void
check_contradictions(const struct profile *pf, struct diag *d)
{
	size_t i, j;

	for (j = 1; j < pf->nrules; j++)
		for (i = 0; i < j; i++)
			if (pf->rules[i].pub.expect_open != pf->rules[j].pub.expect_open)
				check_pair(pf, d, &pf->rules[i], &pf->rules[j]);
}

void
pf_resolve(struct profile *pf, struct diag *d)
{
	size_t i;

	if (pf->main_doc)
		pf->doc = pf->main_doc;
	resolve_services(pf, d);
	resolve_wildcards(pf);
	resolve_zones(pf, d);
	resolve_groups(pf, d);
	for (i = 0; i < pf->nrules; i++)
		resolve_rule(pf, d, &pf->rules[i]);
	check_contradictions(pf, d);
	if (!pf->title_line) {
		struct src_span top = { 0, 1, 1, 0, 0, 0 };

		diag_error(d, &top, "missing 'profile' statement");
	}
}

/* The public views point into storage that may have moved while parsing. */
void
pf_publish(struct profile *pf)
{
	size_t i, k;

	for (i = 0; i < pf->neps; i++) {
		struct endpoint *e = &pf->eps[i];

		e->pub.name = e->name;
		e->pub.desc = e->desc;
		e->pub.line = e->at.line;
		e->pub.file = pf->files[e->at.file];
		e->pub.addrs = e->addrs;
		e->pub.naddrs = e->naddrs;
		e->pub.wildcard = e->wild != NO_INDEX ? pf->wilds[e->wild].pattern : NULL;
	}
	for (i = 0; i < pf->nrules; i++) {
		struct rule *r = &pf->rules[i];

		r->pub.src = r->srcidx;
		r->pub.nsrc = r->nsrc;
		r->pub.dst = r->dstidx;
		r->pub.ndst = r->ndst;
		r->pub.spans = r->spans;
		r->pub.nspans = r->nspans;
		r->pub.services = r->services;
		r->pub.from = r->from;
		r->pub.to = r->to;
		r->pub.cite = r->cite;
		for (k = 0; k < r->nspans; k++)
			r->pub.tls = r->pub.tls || r->spans[k].tls;
	}
}
