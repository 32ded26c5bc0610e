/* The site language: which addresses each endpoint of a profile has at one
 * place.  The source text is kept so that site_check() can show the lines
 * it complains about, long after parsing. */
#include "profile/site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/oom.h"
#include "lib/cidr.h"
#include "profile/diag.h"
#include "lib/dnsname.h"
#include "profile/lex.h"

struct host {
	struct site_host pub;
	char            *name, *fqdn;
	struct rp_addr  *addrs;
	struct src_span *addr_at;   /* per address */
	size_t           naddrs;
	struct src_span  name_at;
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

static void
free_host(struct host *h)
{
	free(h->name);
	free(h->fqdn);
	free(h->addrs);
	free(h->addr_at);
}

void
site_free(struct site *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nhosts; i++)
		free_host(&s->hosts[i]);
	free(s->hosts);
	free(s->name);
	free(s->title);
	free(s->text);
	free(s);
}

static bool
name_eq(const char *a, const char *b)
{
	return strchr(a, '.') ? dnsname_eq(a, b) : strcmp(a, b) == 0;
}

static const struct host *
find_host(const struct site *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		if (name_eq(s->hosts[i].name, name))
			return &s->hosts[i];
	return NULL;
}

static const struct host *
find_addr(const struct site *s, const struct rp_addr *a)
{
	size_t i, k;

	for (i = 0; i < s->nhosts; i++)
		for (k = 0; k < s->hosts[i].naddrs; k++)
			if (addr_eq(&s->hosts[i].addrs[k], a))
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

static bool
has_own(const struct host *h, const struct rp_addr *a)
{
	size_t k;

	for (k = 0; k < h->naddrs; k++)
		if (addr_eq(&h->addrs[k], a))
			return true;
	return false;
}

static void
add_addr(struct host *h, const struct rp_addr *a, const struct src_span *at)
{
	h->addrs = xreallocarray(h->addrs, h->naddrs + 1, sizeof(*h->addrs));
	h->addr_at = xreallocarray(h->addr_at, h->naddrs + 1, sizeof(*h->addr_at));
	h->addrs[h->naddrs] = *a;
	h->addr_at[h->naddrs++] = *at;
}

/* One ADDRESS or BLOCK of a host line; *ok goes false (reported) if it
 * cannot be used. */
static bool
host_address(struct sparser *p, struct host *h, bool *ok)
{
	struct lexer *lx = &p->lx;
	const struct host *other;
	struct rp_addr a;
	unsigned prefix = 0;
	const char *why = NULL;
	char *text, buf[ADDR_STRLEN];
	bool block;

	if (!lex_address(lx)) {
		lex_syntax_error(lx, "address");
		return false;
	}
	text = lex_text(lx, &lx->cur);
	block = strchr(text, '/') != NULL;
	if (block ? !cidr_parse(text, &a, &prefix, &why) : !addr_parse(text, &a)) {
		diag_error(p->d, &lx->cur.at, "invalid %s '%.*s%s'%s%s", block ? "address block" : "address",
		    ADDR_SHOW, text, strlen(text) > ADDR_SHOW ? "..." : "", why ? ": " : "",
		    why ? why : "");
		*ok = false;
	} else if (block && h->naddrs) {
		diag_error(p->d, &lx->cur.at, "a host is bound to addresses or to one block, not both");
		*ok = false;
	} else if ((other = find_addr(p->s, &a)) != NULL) {
		diag_error(p->d, &lx->cur.at, "address %s already used by '%s' at line %d",
		    addr_fmt(&a, buf), other->name, other->pub.line);
		*ok = false;
	} else if (has_own(h, &a)) {
		diag_error(p->d, &lx->cur.at, "address %s listed twice", addr_fmt(&a, buf));
		*ok = false;
	} else {
		add_addr(h, &a, &lx->cur.at);
		h->pub.block = block;
		h->pub.prefix = prefix;
	}
	free(text);
	lex_advance(lx);
	return true;
}

/* [sample N] after a block, [fqdn "NAME"] after addresses. */
static bool
host_options(struct sparser *p, struct host *h, bool *ok)
{
	struct lexer *lx = &p->lx;
	const char *why;

	if (h->pub.block && lex_word(lx, "sample")) {
		lex_advance(lx);
		if (!lex_expect(lx, TK_NUMBER, "sample size"))
			return false;
		if (lx->cur.num < 1 || lx->cur.num > PROFILE_SAMPLE_MAX) {
			diag_error(p->d, &lx->cur.at, "sample size %.*s out of range 1-%d",
			    (int)(lx->cur.at.len > 20 ? 20 : lx->cur.at.len), lx->text + lx->cur.at.off,
			    PROFILE_SAMPLE_MAX);
			*ok = false;
		}
		h->pub.sample = lx->cur.num;
		lex_advance(lx);
	}
	if (!lex_word(lx, "fqdn"))
		return true;
	lex_advance(lx);
	if (!lex_expect(lx, TK_STRING, "DNS name string"))
		return false;
	h->fqdn = lex_string(lx, &lx->cur);
	if ((why = dnsname_problem(h->fqdn)) != NULL) {
		diag_error(p->d, &lx->cur.at, "invalid DNS name '%s': %s", h->fqdn, why);
		*ok = false;
	}
	lex_advance(lx);
	return true;
}

/* host NAME ADDR {, ADDR} [fqdn "NAME"]  |  host NAME BLOCK [sample N] */
static bool
host_body(struct sparser *p, struct host *h, bool *ok)
{
	struct lexer *lx = &p->lx;

	if (!lex_expect(lx, TK_IDENT, "endpoint name"))
		return false;
	h->name_at = lx->cur.at;
	h->name = lex_text(lx, &lx->cur);
	lex_advance(lx);
	for (;;) {
		if (!host_address(p, h, ok))
			return false;
		if (lx->cur.kind != TK_COMMA)
			break;
		lex_advance(lx);
	}
	return host_options(p, h, ok);
}

static bool
st_host(void *ctx, const struct tok *kw)
{
	struct sparser *p = ctx;
	struct site *s = p->s;
	const struct host *other;
	struct host h;
	bool ok = true;

	memset(&h, 0, sizeof(h));
	if (!host_body(p, &h, &ok)) {
		free_host(&h);
		return false;
	}
	if ((other = find_host(s, h.name)) != NULL) {
		diag_error(p->d, &h.name_at, "duplicate host '%s' (first defined at line %d)",
		    h.name, other->pub.line);
		ok = false;
	}
	if (!ok || h.naddrs == 0) {
		free_host(&h);
		return true;
	}
	h.pub.line = kw->at.line;
	if (s->nhosts == 0 || (s->nhosts & (s->nhosts - 1)) == 0)
		s->hosts = xreallocarray(s->hosts, s->nhosts ? s->nhosts * 2 : 1,
		    sizeof(*s->hosts));
	s->hosts[s->nhosts++] = h;
	return true;
}

static const struct lex_stmt statements[] = {
	{ "site", st_site }, { "host", st_host },
};

static void
publish(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		struct host *h = &s->hosts[i];

		h->pub.name = h->name;
		h->pub.addr = h->addrs[0];
		h->pub.addrs = h->addrs;
		h->pub.naddrs = h->naddrs;
		h->pub.fqdn = h->fqdn;
	}
}

struct site *
site_parse(const char *name, const char *text, size_t len, FILE *diag, int *nerr)
{
	struct sparser p;
	struct site *s = xreallocarray(NULL, 1, sizeof(*s));
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
		struct src_span top = { 0, 1, 1, 0, 0, 0 };

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
	publish(s);
	return s;
}

struct site *
site_load(const char *path, FILE *diag, int *nerr)
{
	struct site *s;
	char *text;
	size_t len;

	if (!lex_load_file(path, &text, &len, diag, nerr))
		return NULL;
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

/* ---- block samples ---- */

static struct rp_addr *
sample_of(const struct rp_addr *net, unsigned prefix, unsigned size, size_t *n)
{
	struct rp_addr *v = xreallocarray(NULL, size ? size : 1, sizeof(*v));

	*n = cidr_sample(net, prefix, size, v);
	return v;
}

struct rp_addr *
site_endpoint_addrs(const struct site *s, const struct profile *pf, size_t e, size_t *n)
{
	const struct profile_endpoint *ep = profile_endpoint(pf, e);
	const struct host *h = ep ? find_host(s, ep->name) : NULL;
	struct rp_addr *v;

	*n = 0;
	if (!ep)
		return NULL;
	if (h && h->pub.block)
		return sample_of(&h->addrs[0], h->pub.prefix,
		    h->pub.sample ? h->pub.sample : ep->kind == EP_BLOCK ? ep->sample :
		    PROFILE_SAMPLE_DEFAULT, n);
	if (h) {
		v = xreallocarray(NULL, h->naddrs, sizeof(*v));
		memcpy(v, h->addrs, h->naddrs * sizeof(*v));
		*n = h->naddrs;
		return v;
	}
	if (ep->kind == EP_BLOCK)
		return sample_of(&ep->addrs[0], ep->prefix, ep->sample, n);
	if (ep->naddrs == 0)
		return NULL;
	v = xreallocarray(NULL, ep->naddrs, sizeof(*v));
	memcpy(v, ep->addrs, ep->naddrs * sizeof(*v));
	*n = ep->naddrs;
	return v;
}

/* ---- site_check ---- */

/* Line of the first rule that names endpoint e, or 0; *file its file. */
static int
first_use(const struct profile *pf, size_t e, const char **file)
{
	size_t i, j;

	for (i = 0; i < profile_nrules(pf); i++) {
		const struct profile_rule *r = profile_rule(pf, i);

		*file = r->file;
		for (j = 0; j < r->nsrc; j++)
			if (r->src[j] == e)
				return r->line;
		for (j = 0; j < r->ndst; j++)
			if (r->dst[j] == e)
				return r->line;
	}
	return 0;
}

static const char *
kind_word(enum endpoint_kind k)
{
	return k == EP_ZONE ? "zone" : k == EP_ROLE ? "role" : k == EP_FQDN ? "fqdn" : "block";
}

/* The host must name an endpoint (not a group, wildcard or service). */
static bool
check_name(const struct site *s, const struct host *h, const struct profile *pf,
    struct diag *d)
{
	const char *kind;
	long e = profile_find_endpoint(pf, h->name);

	(void)s;
	if (e >= 0)
		return true;
	kind = profile_name_kind(pf, h->name);
	if (kind && strcmp(kind, "group") == 0)
		diag_error(d, &h->name_at, "'%s' is a group in profile %s: bind its members, not the group",
		    h->name, profile_name(pf));
	else if (kind && strcmp(kind, "wildcard") == 0)
		diag_error(d, &h->name_at, "'%s' is a wildcard in profile %s: bind the names chosen "
		    "for it, not the pattern", h->name, profile_name(pf));
	else if (kind)
		diag_error(d, &h->name_at, "'%s' is a service in profile %s, not an endpoint",
		    h->name, profile_name(pf));
	else
		diag_error(d, &h->name_at, "unknown endpoint '%s' in profile %s", h->name,
		    profile_name(pf));
	return false;
}

/* A block must lie in the lab ranges as a whole, not just start there. */
static bool
in_lab(const struct host *h, size_t k)
{
	return h->pub.block ? cidr_in_lab_range(&h->addrs[k], h->pub.prefix) :
	    addr_in_lab_range(&h->addrs[k]);
}

static void
check_host_lab(const struct host *h, struct diag *d)
{
	char buf[ADDR_STRLEN];
	size_t k;

	for (k = 0; k < h->naddrs; k++) {
		if (in_lab(h, k))
			continue;
		if (h->pub.block)
			diag_error(d, &h->addr_at[k], "address block %s/%u is not inside %s: the lab only "
			    "uses those ranges", addr_fmt(&h->addrs[k], buf), h->pub.prefix, ADDR_LAB_RANGES);
		else
			diag_error(d, &h->addr_at[k], "address %s is outside %s: the lab only uses those "
			    "ranges", addr_fmt(&h->addrs[k], buf), ADDR_LAB_RANGES);
	}
}

static void
check_hosts(const struct site *s, const struct profile *pf, bool lab, struct diag *d)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		const struct host *h = &s->hosts[i];
		long e;

		if (check_name(s, h, pf, d) && h->fqdn) {
			e = profile_find_endpoint(pf, h->name);
			if (profile_endpoint(pf, (size_t)e)->kind >= EP_FQDN)
				diag_error(d, &h->name_at, "'%s' (%s) takes no fqdn \"...\": only zones and "
				    "roles do", h->name, kind_word(profile_endpoint(pf, (size_t)e)->kind));
		}
		if (lab)
			check_host_lab(h, d);
	}
}

/* Every endpoint a rule uses needs an address; in the lab, every address
 * the profile documents and the site does not rebind is refused. */
static void
check_endpoints(const struct site *s, const struct profile *pf, bool lab, struct diag *d)
{
	char buf[ADDR_STRLEN];
	const char *file = NULL;
	size_t e, n, k;

	for (e = 0; e < profile_nendpoints(pf); e++) {
		const struct profile_endpoint *ep = profile_endpoint(pf, e);
		int line = first_use(pf, e, &file);
		struct rp_addr *v;

		if (!line)
			continue;
		v = site_endpoint_addrs(s, pf, e, &n);
		if (n == 0 && ep->kind <= EP_ROLE)
			diag_error(d, &s->site_at, "'%s' is used by rule at %s:%d but has no host",
			    ep->name, file, line);
		else if (n == 0)
			diag_error(d, &s->site_at, "'%s' is used by rule at %s:%d but has no address: "
			    "the profile documents none, so the site must bind it", ep->name, file, line);
		for (k = 0; lab && !find_host(s, ep->name) && k < n; k++)
			if (!addr_in_lab_range(&v[k])) {
				diag_error(d, &s->site_at, "'%s' would be probed at its documented address %s "
				    "(%s:%d), outside %s: bind it to a lab address", ep->name,
				    addr_fmt(&v[k], buf), ep->file, ep->line, ADDR_LAB_RANGES);
				break;
			}
		free(v);
	}
}

/* One namespace per endpoint in the lab: no two may share an address. */
static void
check_shared(const struct site *s, const struct profile *pf, struct diag *d)
{
	size_t ne = profile_nendpoints(pf), e, f, i, j, n, m;
	const char *file;
	char buf[ADDR_STRLEN];

	for (e = 0; e < ne; e++) {
		struct rp_addr *a;

		if (!first_use(pf, e, &file))
			continue;
		a = site_endpoint_addrs(s, pf, e, &n);
		for (f = e + 1; f < ne && n; f++) {
			struct rp_addr *b;
			bool hit = false;

			if (!first_use(pf, f, &file))
				continue;
			b = site_endpoint_addrs(s, pf, f, &m);
			for (i = 0; i < n && !hit; i++)
				for (j = 0; j < m && !hit; j++)
					if (addr_eq(&a[i], &b[j])) {
						diag_error(d, &s->site_at, "'%s' and '%s' share the address %s: "
						    "the lab needs one address per endpoint",
						    profile_endpoint(pf, e)->name, profile_endpoint(pf, f)->name,
						    addr_fmt(&a[i], buf));
						hit = true;
					}
			free(b);
		}
		free(a);
	}
}

int
site_check(const struct site *s, const struct profile *pf, bool lab, FILE *diag)
{
	struct diag *d = diag_open(diag, s->name, s->text, s->len);
	int n;

	check_hosts(s, pf, lab, d);
	check_endpoints(s, pf, lab, d);
	if (lab)
		check_shared(s, pf, d);
	n = diag_nerrors(d);
	diag_close(d);
	return n;
}

/* ---- printing ---- */

static void
print_host(const struct host *h, int width, FILE *out)
{
	char buf[ADDR_STRLEN];
	size_t k;

	fprintf(out, "host %-*s ", width, h->name);
	for (k = 0; k < h->naddrs; k++)
		fprintf(out, "%s%s", k ? ", " : "", addr_fmt(&h->addrs[k], buf));
	if (h->pub.block)
		fprintf(out, "/%u", h->pub.prefix);
	if (h->pub.sample)
		fprintf(out, " sample %u", h->pub.sample);
	if (h->fqdn) {
		fputs(" fqdn ", out);
		lex_put_string(out, h->fqdn);
	}
	fputc('\n', out);
}

void
site_print(const struct site *s, FILE *out)
{
	size_t i, width = 0;

	fputs("site ", out);
	lex_put_string(out, s->title);
	fputc('\n', out);
	for (i = 0; i < s->nhosts; i++)
		if (strlen(s->hosts[i].name) > width)
			width = strlen(s->hosts[i].name);
	if (s->nhosts)
		fputc('\n', out);
	for (i = 0; i < s->nhosts; i++)
		print_host(&s->hosts[i], (int)width, out);
}
