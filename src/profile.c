/* The profile language: a recursive-descent parser over lex.h, then a
 * resolution pass (names may be used before they are defined), then the
 * checks that need the whole file (service cycles, contradictions). */
#include "profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lex.h"

#define NO_INDEX SIZE_MAX

/* One entry of a service list as written: a service name, or an inline
 * tcp/udp port list. */
struct ref {
	char             *name;    /* NULL for an inline list */
	uint8_t           proto;
	struct port_span *ports;   /* inline list; sorted and merged once parsed */
	size_t            nports;
	struct src_span   at;
	size_t            target;  /* the named service, once resolved */
};

struct svclist {
	struct ref *v;
	size_t      n;
};

enum svc_state { SV_NEW, SV_OPEN, SV_DONE };

struct service {
	char             *name;
	struct src_span   at;
	struct svclist    list;
	char             *text;    /* canonical list */
	struct port_span *spans;   /* everything it names, expanded */
	size_t            nspans;
	enum svc_state    state;
};

struct epref {
	char           *name;
	struct src_span at;
};

struct eplist {
	struct epref *v;
	size_t        n;
};

struct rule {
	struct profile_rule pub;
	struct eplist       src, dst;
	struct svclist      svcs;
	size_t             *srcidx, *dstidx;   /* NO_INDEX where unresolved */
	struct port_span   *spans;
	size_t              nspans;
	char               *services;
	struct src_span     kw;   /* the open/closed keyword */
};

struct endpoint {
	struct profile_endpoint pub;
	char                   *name, *desc;
};

struct profile {
	char            *name, *title, *doc;
	int              title_line, doc_line, default_line;
	struct endpoint *eps;
	size_t           neps;
	struct service  *svcs;
	size_t           nsvcs;
	struct rule     *rules;
	size_t           nrules;
	char           **sections;
	size_t           nsections;
};

struct parser {
	struct lexer    lx;
	struct diag    *d;
	struct profile *pf;
	const char     *section;   /* owned by pf->sections */
};

/* Room for element n: capacity doubles at every power of two, so no
 * separate capacity field is needed. */
static void *
grow(void *v, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		v = lex_xreallocarray(v, n ? n * 2 : 1, size);
	return v;
}

static const char *
proto_name(uint8_t proto)
{
	return proto == RP_PROTO_UDP ? "udp" : "tcp";
}

/* ---- port spans ---- */

static int
cmp_span(const void *a, const void *b)
{
	const struct port_span *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->hi > y->hi) - (x->hi < y->hi);
}

/* Sorts by (proto, lo) and merges spans that overlap or touch; returns the
 * new count. */
static size_t
merge_spans(struct port_span *v, size_t n)
{
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_span);
	for (i = 1; i < n; i++) {
		struct port_span *last = &v[out];

		if (v[i].proto == last->proto && (uint32_t)v[i].lo <= (uint32_t)last->hi + 1) {
			if (v[i].hi > last->hi)
				last->hi = v[i].hi;
		} else {
			v[++out] = v[i];
		}
	}
	return out + 1;
}

/* First common run of two merged span lists. */
static bool
spans_overlap(const struct port_span *a, size_t na, const struct port_span *b,
    size_t nb, struct port_span *out)
{
	size_t i = 0, j = 0;

	while (i < na && j < nb) {
		const struct port_span *x = &a[i], *y = &b[j];

		if (x->proto == y->proto && x->lo <= y->hi && y->lo <= x->hi) {
			out->proto = x->proto;
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

static void
put_ports(FILE *f, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		fprintf(f, "%u", (unsigned)lo);
	else
		fprintf(f, "%u-%u", (unsigned)lo, (unsigned)hi);
}

/* "tcp/443" or "tcp/5228-5230" into a caller's buffer. */
static const char *
span_str(const struct port_span *s, char *buf, size_t size)
{
	if (s->lo == s->hi)
		snprintf(buf, size, "%s/%u", proto_name(s->proto), (unsigned)s->lo);
	else
		snprintf(buf, size, "%s/%u-%u", proto_name(s->proto), (unsigned)s->lo,
		    (unsigned)s->hi);
	return buf;
}

/* ---- memory ---- */

static void
free_svclist(struct svclist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].ports);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
free_eplist(struct eplist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
free_rule(struct rule *r)
{
	free_eplist(&r->src);
	free_eplist(&r->dst);
	free_svclist(&r->svcs);
	free(r->srcidx);
	free(r->dstidx);
	free(r->spans);
	free(r->services);
}

void
profile_free(struct profile *pf)
{
	size_t i;

	if (!pf)
		return;
	for (i = 0; i < pf->neps; i++) {
		free(pf->eps[i].name);
		free(pf->eps[i].desc);
	}
	for (i = 0; i < pf->nsvcs; i++) {
		free(pf->svcs[i].name);
		free_svclist(&pf->svcs[i].list);
		free(pf->svcs[i].text);
		free(pf->svcs[i].spans);
	}
	for (i = 0; i < pf->nrules; i++)
		free_rule(&pf->rules[i]);
	for (i = 0; i < pf->nsections; i++)
		free(pf->sections[i]);
	free(pf->eps);
	free(pf->svcs);
	free(pf->rules);
	free(pf->sections);
	free(pf->name);
	free(pf->title);
	free(pf->doc);
	free(pf);
}

/* ---- lookups ---- */

static long
find_endpoint(const struct profile *pf, const char *name)
{
	size_t i;

	for (i = 0; i < pf->neps; i++)
		if (strcmp(pf->eps[i].name, name) == 0)
			return (long)i;
	return -1;
}

static long
find_service(const struct profile *pf, const char *name)
{
	size_t i;

	for (i = 0; i < pf->nsvcs; i++)
		if (strcmp(pf->svcs[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Zones, roles and services share one namespace: the line defining name, or 0. */
static int
defined_at(const struct profile *pf, const char *name)
{
	long i = find_endpoint(pf, name);

	if (i >= 0)
		return pf->eps[i].pub.line;
	i = find_service(pf, name);
	return i >= 0 ? pf->svcs[i].at.line : 0;
}

static const char *
kind_name(enum endpoint_kind k)
{
	return k == EP_ZONE ? "zone" : "role";
}

/* ---- statements ---- */

/* `profile "..."` and `source "..."`: once each. */
static bool
header_string(struct parser *p, const struct tok *kw, const char *keyword,
    char **dst, int *line)
{
	struct lexer *lx = &p->lx;

	if (*line) {
		diag_error(p->d, &kw->at, "duplicate '%s' statement (first at line %d)",
		    keyword, *line);
		return false;
	}
	/* Even a malformed statement counts as present: "missing" would only
	 * repeat its error. */
	*line = kw->at.line;
	if (!lex_expect(lx, TK_STRING, "string"))
		return false;
	*dst = lex_string(lx, &lx->cur);
	lex_advance(lx);
	return true;
}

static bool
st_profile(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;

	return header_string(p, kw, "profile", &p->pf->title, &p->pf->title_line);
}

static bool
st_source(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;

	return header_string(p, kw, "source", &p->pf->doc, &p->pf->doc_line);
}

static bool
st_section(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct profile *pf = p->pf;

	(void)kw;
	if (!lex_expect(&p->lx, TK_STRING, "section title string"))
		return false;
	pf->sections = grow(pf->sections, pf->nsections, sizeof(*pf->sections));
	pf->sections[pf->nsections] = lex_string(&p->lx, &p->lx.cur);
	p->section = pf->sections[pf->nsections++];
	lex_advance(&p->lx);
	return true;
}

/* The NAME of a zone, role or service definition.  *out stays NULL when the
 * name cannot be defined (reported); parsing of the statement goes on. */
static bool
definition_name(struct parser *p, const char *what, char **out, struct src_span *at)
{
	struct lexer *lx = &p->lx;
	char *name;
	int first;

	*out = NULL;
	if (!lex_expect(lx, TK_IDENT, what))
		return false;
	*at = lx->cur.at;
	name = lex_text(lx, &lx->cur);
	lex_advance(lx);
	/* tcp/udp would be ambiguous in a service list: tcp/443 vs a service. */
	if (strcmp(name, "tcp") == 0 || strcmp(name, "udp") == 0) {
		diag_error(p->d, at, "'%s' cannot be used as a name: it starts a port list like %s/443",
		    name, name);
		free(name);
		return true;
	}
	first = defined_at(p->pf, name);
	if (first) {
		diag_error(p->d, at, "duplicate definition of '%s' (first defined at line %d)",
		    name, first);
		free(name);
		return true;
	}
	*out = name;
	return true;
}

static bool
endpoint_def(struct parser *p, const struct tok *kw, enum endpoint_kind kind)
{
	struct lexer *lx = &p->lx;
	struct profile *pf = p->pf;
	struct src_span at;
	struct endpoint *e;
	char *name, *desc = NULL;

	if (!definition_name(p, kind == EP_ZONE ? "zone name" : "role name", &name, &at))
		return false;
	if (lx->cur.kind == TK_STRING) {
		desc = lex_string(lx, &lx->cur);
		lex_advance(lx);
	}
	if (!name) {
		free(desc);
		return true;
	}
	pf->eps = grow(pf->eps, pf->neps, sizeof(*pf->eps));
	e = &pf->eps[pf->neps++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->desc = desc ? desc : lex_xstrndup("", 0);
	e->pub.kind = kind;
	e->pub.line = kw->at.line;
	return true;
}

static bool
st_zone(void *ctx, const struct tok *kw)
{
	return endpoint_def(ctx, kw, EP_ZONE);
}

static bool
st_role(void *ctx, const struct tok *kw)
{
	return endpoint_def(ctx, kw, EP_ROLE);
}

/* ---- service lists ---- */

/* Ports already listed in the list being parsed, for the "listed twice"
 * warning. */
struct seen {
	struct port_span *v;
	size_t            n;
};

static void
warn_relisted(struct parser *p, struct seen *seen, struct port_span s,
    const struct src_span *at)
{
	struct port_span *tmp, run;
	size_t i, n = 0;
	char buf[32];

	if (seen->n) {
		tmp = lex_xreallocarray(NULL, seen->n, sizeof(*tmp));
		for (i = 0; i < seen->n; i++)
			if (seen->v[i].proto == s.proto)
				tmp[n++] = seen->v[i];
		n = merge_spans(tmp, n);
		if (spans_overlap(tmp, n, &s, 1, &run))
			diag_warning(p->d, at, "%s listed twice", span_str(&run, buf, sizeof(buf)));
		free(tmp);
	}
	seen->v = grow(seen->v, seen->n, sizeof(*seen->v));
	seen->v[seen->n++] = s;
}

static bool
port_in_range(struct parser *p, const struct tok *t)
{
	if (t->num >= 1 && t->num <= 65535)
		return true;
	diag_error(p->d, &t->at, "port %.*s%s out of range 1-65535",
	    (int)(t->at.len > 20 ? 20 : t->at.len), p->lx.text + t->at.off,
	    t->at.len > 20 ? "..." : "");
	return false;
}

/* portitem := NUMBER | NUMBER '-' NUMBER, appended to an inline ref. */
static bool
parse_portitem(struct parser *p, struct ref *r, struct seen *seen)
{
	struct lexer *lx = &p->lx;
	struct tok lo, hi;
	struct src_span at;
	struct port_span s;
	bool ok;

	if (!lex_expect(lx, TK_NUMBER, "port number"))
		return false;
	lo = hi = lx->cur;
	ok = port_in_range(p, &lo);
	lex_advance(lx);
	if (lx->cur.kind == TK_DASH) {
		lex_advance(lx);
		if (!lex_expect(lx, TK_NUMBER, "port number"))
			return false;
		hi = lx->cur;
		ok = port_in_range(p, &hi) && ok;
		lex_advance(lx);
	}
	at = lo.at;
	at.len = hi.at.off + hi.at.len - lo.at.off;
	if (ok && lo.num > hi.num) {
		diag_error(p->d, &at, "empty port range %u-%u", (unsigned)lo.num, (unsigned)hi.num);
		ok = false;
	}
	if (!ok)
		return true;   /* reported; the statement's syntax is still fine */
	s.proto = r->proto;
	s.lo = (uint16_t)lo.num;
	s.hi = (uint16_t)hi.num;
	warn_relisted(p, seen, s, &at);
	r->ports = grow(r->ports, r->nports, sizeof(*r->ports));
	r->ports[r->nports++] = s;
	return true;
}

static struct ref *
add_ref(struct svclist *l, const struct src_span *at)
{
	struct ref *r;

	l->v = grow(l->v, l->n, sizeof(*l->v));
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->at = *at;
	r->target = NO_INDEX;
	return r;
}

/* svcref := NAME | (tcp|udp) '/' portitem */
static bool
parse_ref(struct parser *p, struct svclist *l, struct seen *seen)
{
	struct lexer *lx = &p->lx;
	struct src_span at = lx->cur.at;
	bool tcp = lex_word(lx, "tcp"), udp = lex_word(lx, "udp");
	struct ref *r;
	size_t i;

	if (!lex_expect(lx, TK_IDENT, "service name or tcp/udp port list"))
		return false;
	if (tcp || udp) {
		lex_advance(lx);
		if (!lex_expect(lx, TK_SLASH, "'/'"))
			return false;
		lex_advance(lx);
		r = add_ref(l, &at);
		r->proto = tcp ? RP_PROTO_TCP : RP_PROTO_UDP;
		return parse_portitem(p, r, seen);
	}
	r = add_ref(l, &at);
	r->name = lex_text(lx, &lx->cur);
	lex_advance(lx);
	for (i = 0; i + 1 < l->n; i++)
		if (l->v[i].name && strcmp(l->v[i].name, r->name) == 0) {
			diag_warning(p->d, &at, "service '%s' listed twice", r->name);
			break;
		}
	return true;
}

/* svclist := svcref {',' svcref}, where after an inline list a ',' and a
 * number continue that list and a ',' and a name start a new ref. */
static bool
parse_svclist(struct parser *p, struct svclist *l)
{
	struct lexer *lx = &p->lx;
	struct seen seen = { NULL, 0 };
	bool ok = parse_ref(p, l, &seen);
	size_t i;

	while (ok && lx->cur.kind == TK_COMMA) {
		lex_advance(lx);
		if (l->v[l->n - 1].name == NULL && lx->cur.kind == TK_NUMBER)
			ok = parse_portitem(p, &l->v[l->n - 1], &seen);
		else
			ok = parse_ref(p, l, &seen);
	}
	free(seen.v);
	for (i = 0; i < l->n; i++)
		l->v[i].nports = merge_spans(l->v[i].ports, l->v[i].nports);
	return ok;
}

static bool
st_service(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct profile *pf = p->pf;
	struct svclist list = { NULL, 0 };
	struct service *s;
	struct src_span at;
	char *name;
	bool ok;

	(void)kw;
	if (!definition_name(p, "service name", &name, &at))
		return false;
	if (!lex_expect(&p->lx, TK_EQUALS, "'='")) {
		free(name);
		return false;
	}
	lex_advance(&p->lx);
	/* A name that cannot be defined was reported, but its list is still
	 * checked so that one run shows every error. */
	ok = parse_svclist(p, &list);
	if (!ok || !name) {
		free(name);
		free_svclist(&list);
		return ok;
	}
	pf->svcs = grow(pf->svcs, pf->nsvcs, sizeof(*pf->svcs));
	s = &pf->svcs[pf->nsvcs++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->at = at;
	s->list = list;
	return true;
}

/* ---- rules ---- */

/* eplist := NAME {',' NAME} */
static bool
parse_eplist(struct parser *p, struct eplist *l)
{
	struct lexer *lx = &p->lx;
	struct epref *e;
	size_t i;

	for (;;) {
		if (!lex_expect(lx, TK_IDENT, "zone or role name"))
			return false;
		l->v = grow(l->v, l->n, sizeof(*l->v));
		e = &l->v[l->n++];
		e->name = lex_text(lx, &lx->cur);
		e->at = lx->cur.at;
		for (i = 0; i + 1 < l->n; i++)
			if (strcmp(l->v[i].name, e->name) == 0) {
				diag_warning(p->d, &e->at, "'%s' listed twice", e->name);
				break;
			}
		lex_advance(lx);
		if (lx->cur.kind != TK_COMMA)
			return true;
		lex_advance(lx);
	}
}

static bool
parse_rule_body(struct parser *p, struct rule *r)
{
	struct lexer *lx = &p->lx;

	if (!parse_eplist(p, &r->src) || !lex_expect(lx, TK_ARROW, "'->'"))
		return false;
	lex_advance(lx);
	if (!parse_eplist(p, &r->dst) || !lex_expect(lx, TK_COLON, "':'"))
		return false;
	lex_advance(lx);
	return parse_svclist(p, &r->svcs);
}

static bool
rule_stmt(struct parser *p, const struct tok *kw, bool open)
{
	struct profile *pf = p->pf;
	struct rule r;

	memset(&r, 0, sizeof(r));
	if (!parse_rule_body(p, &r)) {
		free_rule(&r);
		return false;
	}
	r.kw = kw->at;
	r.pub.line = kw->at.line;
	r.pub.col = kw->at.col;
	r.pub.expect_open = open;
	r.pub.section = p->section;
	pf->rules = grow(pf->rules, pf->nrules, sizeof(*pf->rules));
	pf->rules[pf->nrules++] = r;
	return true;
}

static bool
st_open(void *ctx, const struct tok *kw)
{
	return rule_stmt(ctx, kw, true);
}

static bool
st_closed(void *ctx, const struct tok *kw)
{
	return rule_stmt(ctx, kw, false);
}

static bool
st_default(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;

	if (!lex_word(&p->lx, "closed")) {
		lex_syntax_error(&p->lx, "'closed'");
		return false;
	}
	if (p->pf->default_line)
		diag_error(p->d, &kw->at, "duplicate 'default closed' statement (first at line %d)",
		    p->pf->default_line);
	else
		p->pf->default_line = kw->at.line;
	lex_advance(&p->lx);
	return true;
}

static const struct lex_stmt statements[] = {
	{ "profile", st_profile }, { "source", st_source }, { "section", st_section },
	{ "zone", st_zone }, { "role", st_role }, { "service", st_service },
	{ "open", st_open }, { "closed", st_closed }, { "default", st_default },
};

/* ---- resolution ---- */

static void
resolve_svcref(struct parser *p, struct ref *r)
{
	long i;

	if (!r->name)
		return;
	i = find_service(p->pf, r->name);
	if (i >= 0) {
		r->target = (size_t)i;
		return;
	}
	i = find_endpoint(p->pf, r->name);
	if (i >= 0)
		diag_error(p->d, &r->at, "'%s' is a %s, not a service", r->name,
		    kind_name(p->pf->eps[i].pub.kind));
	else
		diag_error(p->d, &r->at, "unknown service '%s'", r->name);
}

/* Every port a list names: its inline ports and its services' spans. */
static void
expand_list(const struct profile *pf, const struct svclist *l,
    struct port_span **out, size_t *nout)
{
	struct port_span *v;
	size_t i, n = 0, k = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].target != NO_INDEX ? pf->svcs[l->v[i].target].nspans : l->v[i].nports;
	v = lex_xreallocarray(NULL, n, sizeof(*v));
	for (i = 0; i < l->n; i++) {
		const struct ref *r = &l->v[i];
		const struct port_span *src = r->target != NO_INDEX ? pf->svcs[r->target].spans : r->ports;
		size_t m = r->target != NO_INDEX ? pf->svcs[r->target].nspans : r->nports;

		if (m)
			memcpy(v + k, src, m * sizeof(*v));
		k += m;
	}
	*out = v;
	*nout = merge_spans(v, n);
}

/* Text is built in memory streams; like every allocation here, running out
 * of memory is fatal. */
static FILE *
mem_open(char **buf, size_t *size)
{
	FILE *f = open_memstream(buf, size);

	if (!f) {
		fputs("ruleproof: out of memory\n", stderr);
		abort();
	}
	return f;
}

static void
mem_close(FILE *f)
{
	if (fclose(f) != 0) {
		fputs("ruleproof: out of memory\n", stderr);
		abort();
	}
}

static char *
svclist_text(const struct svclist *l)
{
	char *buf = NULL;
	size_t size = 0, i, j;
	FILE *f = mem_open(&buf, &size);

	for (i = 0; i < l->n; i++) {
		const struct ref *r = &l->v[i];

		if (i)
			fputs(", ", f);
		if (r->name) {
			fputs(r->name, f);
			continue;
		}
		fprintf(f, "%s/", proto_name(r->proto));
		for (j = 0; j < r->nports; j++) {
			if (j)
				fputs(", ", f);
			put_ports(f, r->ports[j].lo, r->ports[j].hi);
		}
	}
	mem_close(f);
	return buf;
}

struct frame {
	size_t svc, next;
};

static void
report_cycle(struct parser *p, const struct frame *st, size_t depth, size_t t,
    const struct ref *r)
{
	const struct profile *pf = p->pf;
	char *path = NULL;
	size_t size = 0, k = depth;
	FILE *f = mem_open(&path, &size);

	while (k > 0 && st[k - 1].svc != t)
		k--;
	for (k = k ? k - 1 : 0; k < depth; k++)
		fprintf(f, "%s -> ", pf->svcs[st[k].svc].name);
	fputs(pf->svcs[t].name, f);
	mem_close(f);
	diag_error(p->d, &r->at, "service definition cycle: %s", path);
	free(path);
}

/* Depth-first expansion from one service, with an explicit stack so that a
 * long chain of definitions cannot exhaust the C stack. */
static void
expand_service(struct parser *p, size_t root)
{
	struct profile *pf = p->pf;
	struct frame *st = grow(NULL, 0, sizeof(*st));
	size_t depth = 1;

	st[0].svc = root;
	st[0].next = 0;
	pf->svcs[root].state = SV_OPEN;
	while (depth > 0) {
		struct frame *fr = &st[depth - 1];
		struct service *s = &pf->svcs[fr->svc];

		if (fr->next < s->list.n) {
			const struct ref *r = &s->list.v[fr->next++];

			if (r->target == NO_INDEX)
				continue;
			if (pf->svcs[r->target].state == SV_OPEN) {
				report_cycle(p, st, depth, r->target, r);
			} else if (pf->svcs[r->target].state == SV_NEW) {
				st = grow(st, depth, sizeof(*st));
				st[depth].svc = r->target;
				st[depth].next = 0;
				depth++;
				pf->svcs[r->target].state = SV_OPEN;
			}
			continue;
		}
		/* Members still open are part of a reported cycle: skipped. */
		expand_list(pf, &s->list, &s->spans, &s->nspans);
		s->state = SV_DONE;
		depth--;
	}
	free(st);
}

static void
resolve_services(struct parser *p)
{
	struct profile *pf = p->pf;
	size_t i, j;

	for (i = 0; i < pf->nsvcs; i++)
		for (j = 0; j < pf->svcs[i].list.n; j++)
			resolve_svcref(p, &pf->svcs[i].list.v[j]);
	for (i = 0; i < pf->nsvcs; i++)
		if (pf->svcs[i].state == SV_NEW)
			expand_service(p, i);
	for (i = 0; i < pf->nsvcs; i++)
		pf->svcs[i].text = svclist_text(&pf->svcs[i].list);
}

static size_t *
resolve_eplist(struct parser *p, const struct eplist *l)
{
	size_t *idx = lex_xreallocarray(NULL, l->n, sizeof(*idx)), i;

	for (i = 0; i < l->n; i++) {
		long e = find_endpoint(p->pf, l->v[i].name);

		idx[i] = e >= 0 ? (size_t)e : NO_INDEX;
		if (e >= 0)
			continue;
		if (find_service(p->pf, l->v[i].name) >= 0)
			diag_error(p->d, &l->v[i].at, "'%s' is a service, not a zone or role",
			    l->v[i].name);
		else
			diag_error(p->d, &l->v[i].at, "unknown zone or role '%s'", l->v[i].name);
	}
	return idx;
}

static bool
has_index(const size_t *v, size_t n, size_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void
resolve_rule(struct parser *p, struct rule *r)
{
	size_t i;

	r->srcidx = resolve_eplist(p, &r->src);
	r->dstidx = resolve_eplist(p, &r->dst);
	for (i = 0; i < r->dst.n; i++)
		if (r->dstidx[i] != NO_INDEX && has_index(r->srcidx, r->src.n, r->dstidx[i]))
			diag_error(p->d, &r->dst.v[i].at,
			    "'%s' is both a source and a destination of this rule", r->dst.v[i].name);
	for (i = 0; i < r->svcs.n; i++)
		resolve_svcref(p, &r->svcs.v[i]);
	expand_list(p->pf, &r->svcs, &r->spans, &r->nspans);
	r->services = svclist_text(&r->svcs);
}

/* Reports b (the later rule) if some (source, destination, port) is both
 * open and closed through a and b. */
static void
check_pair(struct parser *p, const struct rule *a, const struct rule *b)
{
	const struct profile *pf = p->pf;
	struct port_span ov;
	size_t i, j;
	char buf[32];

	if (!spans_overlap(a->spans, a->nspans, b->spans, b->nspans, &ov))
		return;
	for (i = 0; i < b->src.n; i++) {
		if (b->srcidx[i] == NO_INDEX || !has_index(a->srcidx, a->src.n, b->srcidx[i]))
			continue;
		for (j = 0; j < b->dst.n; j++) {
			if (b->dstidx[j] == NO_INDEX || !has_index(a->dstidx, a->dst.n, b->dstidx[j]))
				continue;
			diag_error(p->d, &b->kw, "contradicts %s rule at line %d: %s -> %s %s",
			    a->pub.expect_open ? "open" : "closed", a->pub.line,
			    pf->eps[b->srcidx[i]].name, pf->eps[b->dstidx[j]].name,
			    span_str(&ov, buf, sizeof(buf)));
			return;
		}
	}
}

static void
check_contradictions(struct parser *p)
{
	const struct profile *pf = p->pf;
	size_t i, j;

	for (j = 1; j < pf->nrules; j++)
		for (i = 0; i < j; i++)
			if (pf->rules[i].pub.expect_open != pf->rules[j].pub.expect_open)
				check_pair(p, &pf->rules[i], &pf->rules[j]);
}

static void
resolve(struct parser *p)
{
	struct profile *pf = p->pf;
	size_t i;

	resolve_services(p);
	for (i = 0; i < pf->nrules; i++)
		resolve_rule(p, &pf->rules[i]);
	check_contradictions(p);
	if (!pf->title_line) {
		struct src_span top = { 1, 1, 0, 0, 0 };

		diag_error(p->d, &top, "missing 'profile' statement");
	}
}

/* The public views point into storage that may have moved while parsing. */
static void
publish(struct profile *pf)
{
	size_t i;

	for (i = 0; i < pf->neps; i++) {
		pf->eps[i].pub.name = pf->eps[i].name;
		pf->eps[i].pub.desc = pf->eps[i].desc;
	}
	for (i = 0; i < pf->nrules; i++) {
		struct rule *r = &pf->rules[i];

		r->pub.src = r->srcidx;
		r->pub.nsrc = r->src.n;
		r->pub.dst = r->dstidx;
		r->pub.ndst = r->dst.n;
		r->pub.spans = r->spans;
		r->pub.nspans = r->nspans;
		r->pub.services = r->services;
	}
}

struct profile *
profile_parse(const char *name, const char *text, size_t len, FILE *diag, int *nerr)
{
	struct parser p;
	struct profile *pf = lex_xreallocarray(NULL, 1, sizeof(*pf));
	int n;

	memset(pf, 0, sizeof(*pf));
	memset(&p, 0, sizeof(p));
	name = name ? name : "<profile>";
	pf->name = lex_xstrndup(name, strlen(name));
	p.pf = pf;
	p.d = diag_open(diag, pf->name, text, len);
	lex_init(&p.lx, text, len, p.d, false);
	lex_statements(&p.lx, statements, sizeof(statements) / sizeof(statements[0]), &p);
	resolve(&p);
	n = diag_nerrors(p.d);
	diag_close(p.d);
	if (nerr)
		*nerr = n;
	if (n) {
		profile_free(pf);
		return NULL;
	}
	publish(pf);
	return pf;
}

struct profile *
profile_load(const char *path, FILE *diag, int *nerr)
{
	struct profile *pf;
	char *text;
	size_t len;

	if (!lex_read_file(path, &text, &len)) {
		diag_file_error(diag, path, "cannot read: %s", strerror(errno));
		if (nerr)
			*nerr = 1;
		return NULL;
	}
	pf = profile_parse(path, text, len, diag, nerr);
	free(text);
	return pf;
}

/* ---- queries ---- */

const char *
profile_name(const struct profile *pf)
{
	return pf->name;
}

const char *
profile_title(const struct profile *pf)
{
	return pf->title;
}

const char *
profile_document(const struct profile *pf)
{
	return pf->doc;
}

size_t
profile_nendpoints(const struct profile *pf)
{
	return pf->neps;
}

const struct profile_endpoint *
profile_endpoint(const struct profile *pf, size_t i)
{
	return i < pf->neps ? &pf->eps[i].pub : NULL;
}

long
profile_find_endpoint(const struct profile *pf, const char *name)
{
	return name ? find_endpoint(pf, name) : -1;
}

size_t
profile_nrules(const struct profile *pf)
{
	return pf->nrules;
}

const struct profile_rule *
profile_rule(const struct profile *pf, size_t i)
{
	return i < pf->nrules ? &pf->rules[i].pub : NULL;
}

int
profile_default_closed_line(const struct profile *pf)
{
	return pf->default_line;
}

static bool
spans_cover(const struct port_span *v, size_t n, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].proto == proto && v[i].lo <= port && port <= v[i].hi)
			return true;
	return false;
}

bool
profile_allows(const struct profile *pf, size_t src, size_t dst, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < pf->nrules; i++) {
		const struct rule *r = &pf->rules[i];

		if (r->pub.expect_open && has_index(r->srcidx, r->src.n, src) &&
		    has_index(r->dstidx, r->dst.n, dst) && spans_cover(r->spans, r->nspans, proto, port))
			return true;
	}
	return false;
}

/* ---- canonical printer ---- */

static void
put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
print_endpoints(const struct profile *pf, FILE *out, enum endpoint_kind kind)
{
	size_t i;

	for (i = 0; i < pf->neps; i++) {
		const struct endpoint *e = &pf->eps[i];

		if (e->pub.kind != kind)
			continue;
		fprintf(out, "%s %s", kind_name(kind), e->name);
		if (e->desc[0]) {
			fputc(' ', out);
			put_string(out, e->desc);
		}
		fputc('\n', out);
	}
}

static void
print_eplist(const struct profile *pf, const size_t *idx, size_t n, FILE *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", pf->eps[idx[i]].name);
}

static bool
same_section(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void
print_rules(const struct profile *pf, FILE *out)
{
	const char *section = NULL;
	size_t i;

	for (i = 0; i < pf->nrules; i++) {
		const struct rule *r = &pf->rules[i];

		if (!same_section(r->pub.section, section)) {
			if (i)
				fputc('\n', out);
			fputs("section ", out);
			put_string(out, r->pub.section);
			fputc('\n', out);
			section = r->pub.section;
		}
		fputs(r->pub.expect_open ? "open " : "closed ", out);
		print_eplist(pf, r->srcidx, r->src.n, out);
		fputs(" -> ", out);
		print_eplist(pf, r->dstidx, r->dst.n, out);
		fprintf(out, " : %s\n", r->services);
	}
}

void
profile_print(const struct profile *pf, FILE *out)
{
	size_t i;

	fputs("profile ", out);
	put_string(out, pf->title);
	fputc('\n', out);
	if (pf->doc) {
		fputs("source ", out);
		put_string(out, pf->doc);
		fputc('\n', out);
	}
	if (pf->neps) {
		fputc('\n', out);
		print_endpoints(pf, out, EP_ZONE);
		print_endpoints(pf, out, EP_ROLE);
	}
	if (pf->nsvcs) {
		fputc('\n', out);
		for (i = 0; i < pf->nsvcs; i++)
			fprintf(out, "service %s = %s\n", pf->svcs[i].name, pf->svcs[i].text);
	}
	if (pf->nrules) {
		fputc('\n', out);
		print_rules(pf, out);
	}
	if (pf->default_line)
		fputs("\ndefault closed\n", out);
}
