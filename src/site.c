/* The site language: which address each zone or role of a profile has at one
 * place.  The source text is kept so that site_check() can show the lines it
 * complains about, long after parsing. */
#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lex.h"

struct host {
	struct site_host pub;
	char            *name;
	struct src_span  name_at, addr_at;
};

struct site {
	char           *name, *title, *text;
	size_t          len;
	int             title_line;
	struct src_span site_at;   /* the `site` keyword: where file-wide errors go */
	struct host    *hosts;
	size_t          nhosts;
};

struct sparser {
	struct lexer lx;
	struct diag *d;
	struct site *s;
};

/* Longest address text quoted back in a message. */
enum { ADDR_SHOW = 40 };

void
site_free(struct site *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nhosts; i++)
		free(s->hosts[i].name);
	free(s->hosts);
	free(s->name);
	free(s->title);
	free(s->text);
	free(s);
}

static const struct host *
find_host(const struct site *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		if (strcmp(s->hosts[i].name, name) == 0)
			return &s->hosts[i];
	return NULL;
}

static const struct host *
find_addr(const struct site *s, const struct rp_addr *a)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		if (addr_eq(&s->hosts[i].pub.addr, a))
			return &s->hosts[i];
	return NULL;
}

static bool
st_site(void *ctx, const struct tok *kw)
{
	struct sparser *p = ctx;
	struct lexer *lx = &p->lx;

	if (p->s->title_line) {
		diag_error(p->d, &kw->at, "duplicate 'site' statement (first at line %d)",
		    p->s->title_line);
		return false;
	}
	/* Even a malformed statement counts as present: "missing" would only
	 * repeat its error. */
	p->s->title_line = kw->at.line;
	p->s->site_at = kw->at;
	if (!lex_expect(lx, TK_STRING, "string"))
		return false;
	p->s->title = lex_string(lx, &lx->cur);
	lex_advance(lx);
	return true;
}

/* ADDRESS: the lexer gives a run of digits and dots; addr_parse() judges it. */
static bool
host_address(struct sparser *p, struct rp_addr *a, bool *ok)
{
	struct lexer *lx = &p->lx;
	const struct tok *t = &lx->cur;
	char *text;

	if (t->kind != TK_ADDR && t->kind != TK_NUMBER) {
		lex_syntax_error(lx, "IPv4 address");
		return false;
	}
	text = lex_text(lx, t);
	if (!addr_parse(text, a)) {
		diag_error(p->d, &t->at, "invalid IPv4 address '%.*s%s'", ADDR_SHOW, text,
		    strlen(text) > ADDR_SHOW ? "..." : "");
		*ok = false;
	}
	free(text);
	lex_advance(lx);
	return true;
}

static bool
st_host(void *ctx, const struct tok *kw)
{
	struct sparser *p = ctx;
	struct lexer *lx = &p->lx;
	struct site *s = p->s;
	struct host h;
	const struct host *other;
	char buf[ADDR_STRLEN];
	bool ok = true;

	memset(&h, 0, sizeof(h));
	if (!lex_expect(lx, TK_IDENT, "zone or role name"))
		return false;
	h.name_at = lx->cur.at;
	h.name = lex_text(lx, &lx->cur);
	lex_advance(lx);
	h.addr_at = lx->cur.at;
	if (!host_address(p, &h.pub.addr, &ok)) {
		free(h.name);
		return false;
	}
	if ((other = find_host(s, h.name)) != NULL) {
		diag_error(p->d, &h.name_at, "duplicate host '%s' (first defined at line %d)",
		    h.name, other->pub.line);
		ok = false;
	}
	if (ok && (other = find_addr(s, &h.pub.addr)) != NULL) {
		diag_error(p->d, &h.addr_at, "address %s already used by '%s' at line %d",
		    addr_fmt(&h.pub.addr, buf), other->name, other->pub.line);
		ok = false;
	}
	if (!ok) {
		free(h.name);
		return true;
	}
	h.pub.line = kw->at.line;
	if (s->nhosts == 0 || (s->nhosts & (s->nhosts - 1)) == 0)
		s->hosts = lex_xreallocarray(s->hosts, s->nhosts ? s->nhosts * 2 : 1,
		    sizeof(*s->hosts));
	s->hosts[s->nhosts++] = h;
	return true;
}

static const struct lex_stmt statements[] = {
	{ "site", st_site }, { "host", st_host },
};

struct site *
site_parse(const char *name, const char *text, size_t len, FILE *diag, int *nerr)
{
	struct sparser p;
	struct site *s = lex_xreallocarray(NULL, 1, sizeof(*s));
	size_t i;
	int n;

	memset(s, 0, sizeof(*s));
	memset(&p, 0, sizeof(p));
	name = name ? name : "<site>";
	s->name = lex_xstrndup(name, strlen(name));
	s->len = text ? len : 0;
	s->text = lex_xstrndup(text ? text : "", s->len);
	p.s = s;
	p.d = diag_open(diag, s->name, s->text, s->len);
	lex_init(&p.lx, s->text, s->len, p.d, true);
	lex_statements(&p.lx, statements, sizeof(statements) / sizeof(statements[0]), &p);
	if (!s->title_line) {
		struct src_span top = { 1, 1, 0, 0, 0 };

		diag_error(p.d, &top, "missing 'site' statement");
	}
	n = diag_nerrors(p.d);
	diag_close(p.d);
	if (nerr)
		*nerr = n;
	if (n) {
		site_free(s);
		return NULL;
	}
	for (i = 0; i < s->nhosts; i++)
		s->hosts[i].pub.name = s->hosts[i].name;
	return s;
}

struct site *
site_load(const char *path, FILE *diag, int *nerr)
{
	struct site *s;
	char *text;
	size_t len;

	if (!lex_read_file(path, &text, &len)) {
		diag_file_error(diag, path, "cannot read: %s", strerror(errno));
		if (nerr)
			*nerr = 1;
		return NULL;
	}
	s = site_parse(path, text, len, diag, nerr);
	free(text);
	return s;
}

const char *
site_name(const struct site *s)
{
	return s->name;
}

const char *
site_title(const struct site *s)
{
	return s->title;
}

size_t
site_nhosts(const struct site *s)
{
	return s->nhosts;
}

const struct site_host *
site_host(const struct site *s, size_t i)
{
	return i < s->nhosts ? &s->hosts[i].pub : NULL;
}

const struct site_host *
site_find(const struct site *s, const char *name)
{
	const struct host *h = name ? find_host(s, name) : NULL;

	return h ? &h->pub : NULL;
}

/* Line of the first rule that names endpoint e, or 0. */
static int
first_use(const struct profile *pf, size_t e)
{
	size_t i, j;

	for (i = 0; i < profile_nrules(pf); i++) {
		const struct profile_rule *r = profile_rule(pf, i);

		for (j = 0; j < r->nsrc; j++)
			if (r->src[j] == e)
				return r->line;
		for (j = 0; j < r->ndst; j++)
			if (r->dst[j] == e)
				return r->line;
	}
	return 0;
}

static void
check_hosts(const struct site *s, const struct profile *pf, bool lab, struct diag *d)
{
	char buf[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		const struct host *h = &s->hosts[i];

		if (profile_find_endpoint(pf, h->name) < 0)
			diag_error(d, &h->name_at, "unknown zone or role '%s' in profile %s",
			    h->name, profile_name(pf));
		if (lab && !addr_in_lab_range(&h->pub.addr))
			diag_error(d, &h->addr_at,
			    "address %s is outside 198.18.0.0/15: the lab only uses the benchmarking range",
			    addr_fmt(&h->pub.addr, buf));
	}
}

static void
check_bound(const struct site *s, const struct profile *pf, struct diag *d)
{
	size_t e;

	for (e = 0; e < profile_nendpoints(pf); e++) {
		const char *name = profile_endpoint(pf, e)->name;
		int line = first_use(pf, e);

		if (line && !find_host(s, name))
			diag_error(d, &s->site_at, "'%s' is used by rule at %s:%d but has no host",
			    name, profile_name(pf), line);
	}
}

int
site_check(const struct site *s, const struct profile *pf, bool lab, FILE *diag)
{
	struct diag *d = diag_open(diag, s->name, s->text, s->len);
	int n;

	check_hosts(s, pf, lab, d);
	check_bound(s, pf, d);
	n = diag_nerrors(d);
	diag_close(d);
	return n;
}

void
site_print(const struct site *s, FILE *out)
{
	char buf[ADDR_STRLEN];
	size_t i, width = 0;
	const char *t;

	fputs("site \"", out);
	for (t = s->title; *t; t++) {
		if (*t == '"' || *t == '\\')
			fputc('\\', out);
		fputc(*t, out);
	}
	fputs("\"\n", out);
	for (i = 0; i < s->nhosts; i++)
		if (strlen(s->hosts[i].name) > width)
			width = strlen(s->hosts[i].name);
	if (s->nhosts)
		fputc('\n', out);
	for (i = 0; i < s->nhosts; i++)
		fprintf(out, "host %-*s %s\n", (int)width, s->hosts[i].name,
		    addr_fmt(&s->hosts[i].pub.addr, buf));
}
