/* The profile language: a recursive-descent parser over lex.h (one lexer
 * per file; an included file is parsed where it is included), then a
 * resolution pass (names may be used before they are defined), then the
 * checks that need the whole profile (definition cycles, contradictions).
 * The canonical printer is in profile_print.c. */
#include "profile/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/oom.h"
#include "lib/cidr.h"
#include "lib/dnsname.h"
#include "profile/model.h"
#include "profile/resolve.h"

#define INCLUDE_DEPTH_MAX 16
#define INCLUDE_SIZE_MAX  (4u << 20)
/* Longest address text quoted back in a message. */
#define ADDR_SHOW 40

struct parser {
	struct lexer                *lx;        /* the file being read */
	struct diag                 *d;
	struct profile              *pf;
	const struct profile_reader *io;
	const char                  *section;   /* owned by pf->strs */
	const char                  *doc;
	char                       **texts;     /* included texts: alive until diag_close() */
	size_t                       ntexts;
	size_t                       open[INCLUDE_DEPTH_MAX + 1];   /* files being read */
	size_t                       depth;
	struct src_span             *included_at;   /* per file: its include statement */
};

/* Every definition shares one namespace: where name is first defined, or
 * NULL.  (DNS names and patterns cannot collide with plain names, but a
 * pattern can with a pattern.) */
static const struct src_span *
defined_at(const struct profile *pf, const char *name)
{
	long i;

	if ((i = pf_find_endpoint(pf, name)) >= 0)
		return &pf->eps[i].at;
	if ((i = pf_find_service(pf, name)) >= 0)
		return &pf->svcs[i].at;
	if ((i = pf_find_group(pf, name)) >= 0)
		return &pf->groups[i].at;
	if ((i = pf_find_wildcard(pf, name)) >= 0)
		return &pf->wilds[i].at;
	return NULL;
}

/* ---- statements: header and provenance ---- */

static const char *
keep_string(struct parser *p)
{
	struct profile *pf = p->pf;

	pf->strs = pf_grow(pf->strs, pf->nstrs, sizeof(*pf->strs));
	pf->strs[pf->nstrs] = lex_string(p->lx, &p->lx->cur);
	lex_advance(p->lx);
	return pf->strs[pf->nstrs++];
}

static bool
st_profile(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct lexer *lx = p->lx;

	if (kw->at.file != 0) {
		diag_error(p->d, &kw->at, "'profile' belongs in the main file, not in an included one");
		return false;
	}
	if (p->pf->title_line) {
		diag_error(p->d, &kw->at, "duplicate 'profile' statement (first at line %d)",
		    p->pf->title_line);
		return false;
	}
	/* Even a malformed statement counts as present: "missing" would only
	 * repeat its error. */
	p->pf->title_line = kw->at.line;
	if (!lex_expect(lx, TK_STRING, "string"))
		return false;
	p->pf->title = lex_string(lx, &lx->cur);
	lex_advance(lx);
	return true;
}

/* `source` names the document the rules after it come from, up to the next
 * `source`; the profile's document is the main file's first (or, if it has
 * none, the first an include has). */
static bool
st_source(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;

	if (!lex_expect(p->lx, TK_STRING, "document title string"))
		return false;
	p->doc = keep_string(p);
	if (kw->at.file == 0 && !p->pf->main_doc)
		p->pf->main_doc = p->doc;
	if (!p->pf->doc)
		p->pf->doc = p->doc;
	return true;
}

static bool
st_section(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;

	(void)kw;
	if (!lex_expect(p->lx, TK_STRING, "section title string"))
		return false;
	/* `section ""` ends the current section. */
	p->section = keep_string(p);
	if (!p->section[0])
		p->section = NULL;
	return true;
}

/* ---- statements: definitions ---- */

static bool
is_plain_name(const char *s)
{
	for (; *s; s++)
		if (*s == '.' || *s == '*' || *s == '[')
			return false;
	return true;
}

static bool
reserved_name(struct parser *p, const char *name, const struct src_span *at)
{
	/* tcp/udp would be ambiguous in a service list: tcp/443 vs a service. */
	if (strcmp(name, "tcp") == 0 || strcmp(name, "udp") == 0) {
		diag_error(p->d, at, "'%s' cannot be used as a name: it starts a port list like %s/443",
		    name, name);
		return true;
	}
	return false;
}

static bool
duplicate(struct parser *p, const char *name, const struct src_span *at)
{
	const struct src_span *first = defined_at(p->pf, name);
	char buf[300];

	if (!first)
		return false;
	diag_error(p->d, at, "duplicate definition of '%s' (first defined at %s)", name,
	    pf_where(p->pf, first, at, buf, sizeof(buf)));
	return true;
}

/* The NAME of a zone, role, block, group or service definition.  *out
 * stays NULL when the name cannot be defined (reported); parsing of the
 * statement goes on so that one run shows every error. */
static bool
definition_name(struct parser *p, const char *what, char **out, struct src_span *at)
{
	struct lexer *lx = p->lx;
	char *name;
	char expect[48];

	*out = NULL;
	snprintf(expect, sizeof(expect), "%s name", what);
	if (!lex_expect(lx, TK_IDENT, expect))
		return false;
	*at = lx->cur.at;
	name = lex_text(lx, &lx->cur);
	lex_advance(lx);
	if (!is_plain_name(name)) {
		diag_error(p->d, at, "'%s' cannot name a %s: a plain name has letters, digits, '_' "
		    "and '-' (dots and '*' are for fqdn and wildcard)", name, what);
	} else if (!reserved_name(p, name, at) && !duplicate(p, name, at)) {
		*out = name;
		return true;
	}
	free(name);
	return true;
}

/* An optional "DESCRIPTION" after a name. */
static char *
opt_desc(struct parser *p)
{
	char *desc = NULL;

	if (p->lx->cur.kind == TK_STRING) {
		desc = lex_string(p->lx, &p->lx->cur);
		lex_advance(p->lx);
	}
	return desc;
}

/* Equals and the start of a list, after a definition's name. */
static bool
expect_equals(struct parser *p)
{
	if (!lex_expect(p->lx, TK_EQUALS, "'='"))
		return false;
	lex_advance(p->lx);
	return true;
}

static bool
st_zone(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct src_span at;
	char *name, *desc;

	(void)kw;
	if (!definition_name(p, "zone", &name, &at))
		return false;
	desc = opt_desc(p);
	if (name)
		pf_add_endpoint(p->pf, name, desc, EP_ZONE, &at);
	else
		free(desc);
	return true;
}

/* role NAME ["DESC"] [in ZONE] */
static bool
st_role(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct lexer *lx = p->lx;
	struct epref zone = { NULL, { 0 }, TG_NONE, NO_INDEX };
	struct endpoint *e;
	struct src_span at;
	char *name, *desc;

	(void)kw;
	if (!definition_name(p, "role", &name, &at))
		return false;
	desc = opt_desc(p);
	if (lex_word(lx, "in")) {
		lex_advance(lx);
		if (!lex_expect(lx, TK_IDENT, "zone name")) {
			free(name);
			free(desc);
			return false;
		}
		zone.name = lex_text(lx, &lx->cur);
		zone.at = lx->cur.at;
		lex_advance(lx);
	}
	if (!name) {
		free(desc);
		free(zone.name);
		return true;
	}
	e = pf_add_endpoint(p->pf, name, desc, EP_ROLE, &at);
	e->zone = zone;
	return true;
}

/* One address where the grammar wants one; *text (caller frees) gets its
 * text, NULL after a syntax error. */
static bool
address_token(struct parser *p, char **text, struct src_span *at)
{
	struct lexer *lx = p->lx;

	*text = NULL;
	if (!lex_address(lx)) {
		lex_syntax_error(lx, "address");
		return false;
	}
	*text = lex_text(lx, &lx->cur);
	*at = lx->cur.at;
	lex_advance(lx);
	return true;
}

static void
bad_address(struct parser *p, const struct src_span *at, const char *what, const char *text)
{
	diag_error(p->d, at, "invalid %s '%.*s%s'", what, ADDR_SHOW, text,
	    strlen(text) > ADDR_SHOW ? "..." : "");
}

/* Is a among v[lo..hi)? */
static bool
has_addr(const struct rp_addr *v, size_t lo, size_t hi, const struct rp_addr *a)
{
	size_t i;

	for (i = lo; i < hi; i++)
		if (addr_eq(&v[i], a))
			return true;
	return false;
}

/* addrs := ADDR {',' ADDR}, appended to e's documented addresses (e may be
 * NULL: checked and dropped).  Addresses before `mine` came from an
 * earlier declaration: repeating them is no news. */
static bool
parse_fqdn_addrs(struct parser *p, struct endpoint *e, size_t mine)
{
	struct lexer *lx = p->lx;
	struct src_span at;
	struct rp_addr a;
	char *text, buf[ADDR_STRLEN];

	for (;;) {
		if (!address_token(p, &text, &at))
			return false;
		if (strchr(text, '/'))
			diag_error(p->d, &at, "'%s' is an address block: an fqdn's documented addresses "
			    "are single addresses (declare the block with 'block')", text);
		else if (!addr_parse(text, &a))
			bad_address(p, &at, "address", text);
		else if (e && has_addr(e->addrs, mine, e->naddrs, &a))
			diag_warning(p->d, &at, "address %s listed twice", addr_fmt(&a, buf));
		else if (e && !has_addr(e->addrs, 0, mine, &a)) {
			e->addrs = pf_grow(e->addrs, e->naddrs, sizeof(*e->addrs));
			e->addrs[e->naddrs++] = a;
		}
		free(text);
		if (lx->cur.kind != TK_COMMA)
			return true;
		lex_advance(lx);
	}
}

/* A DNS name token: its text if valid (caller frees), else NULL after an
 * error.  Returns false on a syntax error. */
static bool
dns_name_token(struct parser *p, const char *what, char **out, struct src_span *at)
{
	struct lexer *lx = p->lx;
	const char *why;
	char *name;

	*out = NULL;
	if (!lex_expect(lx, TK_IDENT, what))
		return false;
	name = lex_text(lx, &lx->cur);
	*at = lx->cur.at;
	lex_advance(lx);
	if ((why = dnsname_problem(name)) != NULL) {
		diag_error(p->d, at, "invalid DNS name '%s': %s", name, why);
		free(name);
		return true;
	}
	*out = name;
	return true;
}

/* fqdn NAME ["DESC"] [= ADDR {, ADDR}].  The same name declared again is
 * only a warning (vendor tables repeat rows): its addresses join the
 * first declaration's. */
static bool
st_fqdn(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct profile *pf = p->pf;
	struct endpoint *e = NULL;
	struct src_span at;
	char *name, *desc, buf[300];
	long first;

	(void)kw;
	if (!dns_name_token(p, "DNS name", &name, &at))
		return false;
	desc = opt_desc(p);
	if (name && (first = pf_find_endpoint(pf, name)) >= 0) {
		diag_warning(p->d, &at, "fqdn '%s' declared twice (first at %s)", name,
		    pf_where(p->pf, &pf->eps[first].at, &at, buf, sizeof(buf)));
		e = &pf->eps[first];
		free(name);
		free(desc);
	} else if (name) {
		e = pf_add_endpoint(pf, name, desc, EP_FQDN, &at);
	} else {
		free(desc);
	}
	if (p->lx->cur.kind != TK_EQUALS)
		return true;
	lex_advance(p->lx);
	return parse_fqdn_addrs(p, e, e ? e->naddrs : 0);
}

/* sample N, in 1..PROFILE_SAMPLE_MAX. */
static bool
parse_sample(struct parser *p, unsigned *out)
{
	struct lexer *lx = p->lx;

	lex_advance(lx);
	if (!lex_expect(lx, TK_NUMBER, "sample size"))
		return false;
	if (lx->cur.num < 1 || lx->cur.num > PROFILE_SAMPLE_MAX)
		diag_error(p->d, &lx->cur.at, "sample size %.*s out of range 1-%d",
		    (int)(lx->cur.at.len > 20 ? 20 : lx->cur.at.len), lx->text + lx->cur.at.off,
		    PROFILE_SAMPLE_MAX);
	else
		*out = lx->cur.num;
	lex_advance(lx);
	return true;
}

/* block NAME ["DESC"] = CIDR [sample N] */
static bool
st_block(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct endpoint *e;
	struct src_span at, bat;
	struct rp_addr net;
	unsigned prefix = 0, sample = PROFILE_SAMPLE_DEFAULT;
	const char *why;
	char *name, *desc, *text;
	bool ok;

	(void)kw;
	if (!definition_name(p, "block", &name, &at))
		return false;
	desc = opt_desc(p);
	if (!expect_equals(p) || !address_token(p, &text, &bat)) {
		free(name);
		free(desc);
		return false;
	}
	ok = cidr_parse(text, &net, &prefix, &why);
	if (!ok && why)
		diag_error(p->d, &bat, "invalid address block '%.*s': %s", ADDR_SHOW, text, why);
	else if (!ok)
		bad_address(p, &bat, "address block", text);
	free(text);
	if (lex_word(p->lx, "sample") && !parse_sample(p, &sample)) {
		free(name);
		free(desc);
		return false;
	}
	if (!name || !ok) {
		free(name);
		free(desc);
		return true;
	}
	e = pf_add_endpoint(p->pf, name, desc, EP_BLOCK, &at);
	e->addrs = xreallocarray(NULL, 1, sizeof(*e->addrs));
	e->addrs[0] = net;
	e->naddrs = 1;
	e->pub.prefix = prefix;
	e->pub.sample = sample;
	return true;
}

static struct epref *
add_epref(struct eplist *l, char *name, const struct src_span *at)
{
	struct epref *e;

	l->v = pf_grow(l->v, l->n, sizeof(*l->v));
	e = &l->v[l->n++];
	e->name = name;
	e->at = *at;
	e->kind = TG_NONE;
	e->index = NO_INDEX;
	return e;
}

static bool
listed_before(const struct eplist *l, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < l->n; i++)
		if (pf_name_eq(l->v[i].name, name))
			return true;
	return false;
}

/* The names chosen for a wildcard: DNS names that match it. */
static bool
parse_chosen(struct parser *p, const char *pattern, struct eplist *l)
{
	struct src_span at;
	char *name;

	for (;;) {
		if (!dns_name_token(p, "DNS name", &name, &at))
			return false;
		if (name && pattern && !dnsname_match(pattern, name)) {
			diag_error(p->d, &at, "'%s' does not match the wildcard '%s'", name, pattern);
			free(name);
		} else if (name) {
			add_epref(l, name, &at);
			if (listed_before(l, name))
				diag_warning(p->d, &at, "'%s' listed twice", name);
		}
		if (p->lx->cur.kind != TK_COMMA)
			return true;
		lex_advance(p->lx);
	}
}

/* wildcard PATTERN ["DESC"] = NAME {, NAME}: the names are the ones probed
 * for the pattern. */
static bool
st_wildcard(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct lexer *lx = p->lx;
	struct profile *pf = p->pf;
	struct eplist names = { NULL, 0 };
	struct wildcard *w;
	struct src_span at;
	const char *why;
	char *pattern, *desc;
	bool ok;

	(void)kw;
	if (!lex_expect(lx, TK_IDENT, "wildcard pattern"))
		return false;
	pattern = lex_text(lx, &lx->cur);
	at = lx->cur.at;
	lex_advance(lx);
	if ((why = dnsname_pattern_problem(pattern)) != NULL) {
		diag_error(p->d, &at, "invalid wildcard pattern '%s': %s", pattern, why);
		free(pattern);
		pattern = NULL;
	} else if (duplicate(p, pattern, &at)) {
		free(pattern);
		pattern = NULL;
	}
	desc = opt_desc(p);
	ok = expect_equals(p) && parse_chosen(p, pattern, &names);
	if (!ok || !pattern) {
		free(pattern);
		free(desc);
		pf_free_eplist(&names);
		return ok;
	}
	pf->wilds = pf_grow(pf->wilds, pf->nwilds, sizeof(*pf->wilds));
	w = &pf->wilds[pf->nwilds++];
	memset(w, 0, sizeof(*w));
	w->pattern = pattern;
	w->desc = desc ? desc : pf_strdup("");
	w->at = at;
	w->names = names;
	return true;
}

/* eplist := NAME {',' NAME}: zones, roles, fqdns, blocks, wildcards and
 * groups, resolved later. */
static bool
parse_eplist(struct parser *p, struct eplist *l)
{
	struct lexer *lx = p->lx;
	struct epref *e;

	for (;;) {
		if (!lex_expect(lx, TK_IDENT, "endpoint name"))
			return false;
		e = add_epref(l, lex_text(lx, &lx->cur), &lx->cur.at);
		if (listed_before(l, e->name))
			diag_warning(p->d, &e->at, "'%s' listed twice", e->name);
		lex_advance(lx);
		if (lx->cur.kind != TK_COMMA)
			return true;
		lex_advance(lx);
	}
}

/* group NAME ["DESC"] = ENDPOINT {, ENDPOINT} */
static bool
st_group(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct profile *pf = p->pf;
	struct eplist members = { NULL, 0 };
	struct group *g;
	struct src_span at;
	char *name, *desc;
	bool ok;

	(void)kw;
	if (!definition_name(p, "group", &name, &at))
		return false;
	desc = opt_desc(p);
	ok = expect_equals(p) && parse_eplist(p, &members);
	if (!ok || !name) {
		free(name);
		free(desc);
		pf_free_eplist(&members);
		return ok;
	}
	pf->groups = pf_grow(pf->groups, pf->ngroups, sizeof(*pf->groups));
	g = &pf->groups[pf->ngroups++];
	memset(g, 0, sizeof(*g));
	g->name = name;
	g->desc = desc ? desc : pf_strdup("");
	g->at = at;
	g->members = members;
	return true;
}

/* ---- service lists ---- */

/* Ports already listed in the list being parsed, for the "listed twice"
 * warning: one bit per port and protocol (16 KiB, made at the first port),
 * so that a list of n ports costs O(n), not O(n^2) as a list of spans
 * merged anew for every item did (8,000 ports took 2.7 s). */
#define SEEN_WORDS (65536 / 64)

struct seen {
	uint64_t *v;    /* tcp in words [0, SEEN_WORDS), udp in the next SEEN_WORDS */
};

static uint8_t
proto_of_bit(unsigned bit)
{
	return bit == PB_UDP ? RP_PROTO_UDP : RP_PROTO_TCP;
}

/* The first port in [lo, hi] whose bit is `set` in words w, or hi + 1. */
static uint32_t
seen_find(const uint64_t *w, uint32_t lo, uint32_t hi, bool set)
{
	uint32_t i;

	for (i = lo; i <= hi; i = (i | 63) + 1) {
		uint64_t word = set ? w[i >> 6] : ~w[i >> 6];

		word &= ~0ULL << (i & 63);
		if (word) {
			i = (i & ~63U) + (uint32_t)__builtin_ctzll(word);
			return i <= hi ? i : hi + 1;
		}
	}
	return hi + 1;
}

static void
seen_set(uint64_t *w, uint32_t lo, uint32_t hi)
{
	uint32_t i;

	for (i = lo; i <= hi; i = (i | 63) + 1) {
		uint64_t mask = ~0ULL << (i & 63);

		if ((i | 63) > hi)
			mask &= ~0ULL >> (63 - (hi & 63));
		w[i >> 6] |= mask;
	}
}

/* Warns if span s (in the protocols of r) overlaps what the list named
 * before: the first port of s named before, and the ports after it that
 * were too; then remembers s. */
static void
warn_relisted(struct parser *p, struct seen *seen, const struct ref *r, struct port_span s,
    const struct src_span *at)
{
	struct port_span run;
	uint64_t *w;
	uint32_t first;
	unsigned bit;
	char buf[32];
	bool warned = false;

	if (!seen->v) {
		seen->v = xreallocarray(NULL, 2 * SEEN_WORDS, sizeof(*seen->v));
		memset(seen->v, 0, 2 * SEEN_WORDS * sizeof(*seen->v));
	}
	for (bit = PB_TCP; bit <= PB_UDP; bit <<= 1) {
		if (!(r->protos & bit))
			continue;
		s.proto = proto_of_bit(bit);
		w = seen->v + (bit == PB_UDP ? SEEN_WORDS : 0);
		first = seen_find(w, s.lo, s.hi, true);
		if (!warned && first <= s.hi) {
			run = s;
			run.lo = (uint16_t)first;
			run.hi = (uint16_t)(seen_find(w, first, s.hi, false) - 1);
			diag_warning(p->d, at, "%s listed twice", pf_span_str(&run, buf, sizeof(buf)));
			warned = true;
		}
		seen_set(w, s.lo, s.hi);
	}
}

static bool
port_in_range(struct parser *p, const struct tok *t)
{
	if (t->num >= 1 && t->num <= 65535)
		return true;
	diag_error(p->d, &t->at, "port %.*s%s out of range 1-65535",
	    (int)(t->at.len > 20 ? 20 : t->at.len), p->lx->text + t->at.off,
	    t->at.len > 20 ? "..." : "");
	return false;
}

/* portitem := NUMBER | NUMBER '-' NUMBER, appended to an inline ref. */
static bool
parse_portitem(struct parser *p, struct ref *r, struct seen *seen)
{
	struct lexer *lx = p->lx;
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
	memset(&s, 0, sizeof(s));
	s.lo = (uint16_t)lo.num;
	s.hi = (uint16_t)hi.num;
	warn_relisted(p, seen, r, s, &at);
	r->ports = pf_grow(r->ports, r->nports, sizeof(*r->ports));
	r->ports[r->nports++] = s;
	return true;
}

/* ---- cert (...) ---- */

static const char cert_checks[] = "san, not-expired, pin, issuer, trusted or same-cert";

/* A check that takes no argument, given again: harmless, but a sign of a
 * copy-and-paste slip. */
static void
flag_check(struct parser *p, bool *flag, const char *name)
{
	if (*flag)
		diag_warning(p->d, &p->lx->cur.at, "'%s' listed twice", name);
	*flag = true;
	lex_advance(p->lx);
}

/* not-expired [Nd]: the days-left threshold under which it warns. */
static bool
parse_not_expired(struct parser *p, struct certx *c)
{
	struct lexer *lx = p->lx;
	struct tok num;

	if (c->pub.not_expired)
		diag_error(p->d, &lx->cur.at, "'not-expired' given twice");
	c->pub.not_expired = true;
	c->pub.warn_days = TLSCERT_WARN_DAYS_DEFAULT;
	lex_advance(lx);
	if (lx->cur.kind != TK_NUMBER)
		return true;
	num = lx->cur;
	lex_advance(lx);
	/* The unit is part of the number ("30d"): two tokens, no space. */
	if (!lex_word(lx, "d") || lx->cur.at.off != num.at.off + num.at.len) {
		diag_error(p->d, &num.at, "expected a number of days like %ud: the warning "
		    "threshold needs its unit", num.num > 99999 ? 30u : (unsigned)num.num);
		return false;
	}
	num.at.len++;
	lex_advance(lx);
	if (num.num > TLSCERT_WARN_DAYS_MAX)
		diag_error(p->d, &num.at, "warning threshold %.*s out of range 0d-%dd",
		    (int)(num.at.len > 20 ? 20 : num.at.len), lx->text + num.at.off,
		    TLSCERT_WARN_DAYS_MAX);
	else
		c->pub.warn_days = num.num;
	return true;
}

/* pin "BASE64": checked now, so that a pin copied short or from the wrong
 * field (a SHA-1 thumbprint) fails before any probe is sent. */
static bool
parse_pin(struct parser *p, struct certx *c)
{
	struct lexer *lx = p->lx;
	const char *why;
	char *pin, buf[160];
	size_t i;

	lex_advance(lx);
	if (!lex_expect(lx, TK_STRING, "pin string (base64 SHA-256 of a SubjectPublicKeyInfo, "
	    "as `ruleproof tls-pin` prints it)"))
		return false;
	pin = lex_string(lx, &lx->cur);
	if ((why = tlscert_pin_problem(pin, buf, sizeof(buf))) != NULL) {
		diag_error(p->d, &lx->cur.at, "invalid pin: it %s", why);
		free(pin);
		lex_advance(lx);
		return true;
	}
	for (i = 0; i < c->pub.npins; i++)
		if (strcmp(c->pins[i], pin) == 0) {
			diag_warning(p->d, &lx->cur.at, "pin listed twice");
			free(pin);
			lex_advance(lx);
			return true;
		}
	c->pins = pf_grow(c->pins, c->pub.npins, sizeof(*c->pins));
	c->pins[c->pub.npins++] = pin;
	lex_advance(lx);
	return true;
}

static bool
parse_issuer(struct parser *p, struct certx *c)
{
	struct lexer *lx = p->lx;
	char *text;

	if (c->issuer)
		diag_error(p->d, &lx->cur.at, "'issuer' given twice");
	lex_advance(lx);
	if (!lex_expect(lx, TK_STRING, "issuer text string"))
		return false;
	text = lex_string(lx, &lx->cur);
	if (!text[0]) {
		diag_error(p->d, &lx->cur.at, "empty issuer text: every issuer would contain it");
		free(text);
	} else if (c->issuer) {
		free(text);
	} else {
		c->issuer = text;
	}
	lex_advance(lx);
	return true;
}

/* check := san | not-expired [Nd] | pin STRING | issuer STRING | trusted
 *        | same-cert */
static bool
parse_check(struct parser *p, struct certx *c)
{
	struct lexer *lx = p->lx;
	char expect[96], buf[48];

	snprintf(expect, sizeof(expect), "certificate check (%s)", cert_checks);
	if (!lex_expect(lx, TK_IDENT, expect))
		return false;
	if (lex_word(lx, "san"))
		flag_check(p, &c->pub.san, "san");
	else if (lex_word(lx, "trusted"))
		flag_check(p, &c->pub.trusted, "trusted");
	else if (lex_word(lx, "same-cert"))
		flag_check(p, &c->pub.same_cert, "same-cert");
	else if (lex_word(lx, "not-expired"))
		return parse_not_expired(p, c);
	else if (lex_word(lx, "pin"))
		return parse_pin(p, c);
	else if (lex_word(lx, "issuer"))
		return parse_issuer(p, c);
	else {
		diag_error(p->d, &lx->cur.at, "unknown certificate check %s: expected %s",
		    lex_describe(lx, &lx->cur, buf, sizeof(buf)), cert_checks);
		return false;
	}
	return true;
}

/* cert '(' check {',' check} ')', after tls [sni "NAME"].  Parentheses
 * because a ',' after a port list already continues the service list. */
static bool
parse_cert(struct parser *p, struct ref *r)
{
	struct lexer *lx = p->lx;
	struct certx *c = xreallocarray(NULL, 1, sizeof(*c));
	bool ok;

	memset(c, 0, sizeof(*c));
	c->at = lx->cur.at;
	lex_advance(lx);
	ok = lex_expect(lx, TK_LPAREN, "'(' and the checks, as in cert (san, not-expired 30d)");
	if (ok)
		lex_advance(lx);
	while (ok) {
		ok = parse_check(p, c);
		if (ok && lx->cur.kind == TK_COMMA) {
			lex_advance(lx);
		} else if (ok && lx->cur.kind == TK_RPAREN) {
			lex_advance(lx);
			break;
		} else if (ok) {
			lex_syntax_error(lx, "',' or ')'");
			ok = false;
		}
	}
	if (!ok) {
		pf_free_certx(c);
		return false;
	}
	c->pub.pins = (const char *const *)c->pins;
	c->pub.issuer = c->issuer;
	r->cert = c;
	return true;
}

/* `cert` where no `tls` precedes it. */
static bool
stray_cert(struct parser *p, const struct ref *last)
{
	if (!lex_word(p->lx, "cert"))
		return false;
	if (last->name)
		diag_error(p->d, &p->lx->cur.at, "'cert' follows a port list (tcp/443 tls cert "
		    "(...)), not a service name: say it in the service's definition");
	else
		diag_error(p->d, &p->lx->cur.at, "'cert' needs 'tls' before it: tcp/443 tls cert "
		    "(...)");
	return true;
}

/* tls [sni "NAME"] [cert (...)], after an inline port list. */
static bool
parse_tls(struct parser *p, struct ref *r)
{
	struct lexer *lx = p->lx;
	const char *why;

	if (r->protos & PB_UDP)
		diag_error(p->d, &lx->cur.at, "'tls' needs tcp: a udp port cannot carry a TLS "
		    "ClientHello");
	r->tls = true;
	lex_advance(lx);
	if (lex_word(lx, "cert"))
		return parse_cert(p, r);
	if (!lex_word(lx, "sni"))
		return true;
	lex_advance(lx);
	if (!lex_expect(lx, TK_STRING, "server name string"))
		return false;
	r->sni = lex_string(lx, &lx->cur);
	if ((why = dnsname_problem(r->sni)) != NULL)
		diag_error(p->d, &lx->cur.at, "invalid server name '%s': %s", r->sni, why);
	lex_advance(lx);
	return !lex_word(lx, "cert") || parse_cert(p, r);
}

static struct ref *
add_ref(struct svclist *l, const struct src_span *at)
{
	struct ref *r;

	l->v = pf_grow(l->v, l->n, sizeof(*l->v));
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->at = *at;
	r->target = NO_INDEX;
	return r;
}

/* protos := tcp | udp | tcp+udp | udp+tcp */
static bool
parse_protos(struct parser *p, unsigned *bits)
{
	struct lexer *lx = p->lx;

	*bits = lex_word(lx, "tcp") ? PB_TCP : PB_UDP;
	lex_advance(lx);
	if (lx->cur.kind == TK_PLUS) {
		lex_advance(lx);
		if (!lex_word(lx, *bits == PB_TCP ? "udp" : "tcp")) {
			lex_syntax_error(lx, *bits == PB_TCP ? "'udp'" : "'tcp'");
			return false;
		}
		*bits = PB_TCP | PB_UDP;
		lex_advance(lx);
	}
	return lex_expect(lx, TK_SLASH, "'/'");
}

/* svcref := NAME | protos '/' portitem [tls] */
static bool
parse_ref(struct parser *p, struct svclist *l, struct seen *seen)
{
	struct lexer *lx = p->lx;
	struct src_span at = lx->cur.at;
	struct ref *r;
	unsigned bits;
	size_t i;

	if (!lex_expect(lx, TK_IDENT, "service name or tcp/udp port list"))
		return false;
	if (lex_word(lx, "tcp") || lex_word(lx, "udp")) {
		if (!parse_protos(p, &bits))
			return false;
		lex_advance(lx);
		r = add_ref(l, &at);
		r->protos = (uint8_t)bits;
		if (!parse_portitem(p, r, seen))
			return false;
		return !lex_word(lx, "tls") || parse_tls(p, r);
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
 * number continue that list and a ',' and a name start a new ref.  A list
 * that took `tls` is finished. */
static bool
parse_svclist(struct parser *p, struct svclist *l)
{
	struct lexer *lx = p->lx;
	struct seen seen = { NULL };
	bool ok = parse_ref(p, l, &seen);
	size_t i;

	while (ok && lx->cur.kind == TK_COMMA) {
		struct ref *last = &l->v[l->n - 1];

		lex_advance(lx);
		if (last->name || lx->cur.kind != TK_NUMBER) {
			ok = parse_ref(p, l, &seen);
		} else if (last->tls) {
			diag_error(p->d, &lx->cur.at, "a port list ends at 'tls': start another one "
			    "with tcp/ or udp/");
			ok = false;
		} else {
			ok = parse_portitem(p, last, &seen) &&
			    (!lex_word(lx, "tls") || parse_tls(p, last));
		}
	}
	free(seen.v);
	for (i = 0; i < l->n; i++)
		l->v[i].nports = pf_merge_spans(l->v[i].ports, l->v[i].nports);
	return ok && !stray_cert(p, &l->v[l->n - 1]);
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
	if (!definition_name(p, "service", &name, &at))
		return false;
	if (!expect_equals(p)) {
		free(name);
		return false;
	}
	ok = parse_svclist(p, &list);
	if (!ok || !name) {
		free(name);
		pf_free_svclist(&list);
		return ok;
	}
	pf->svcs = pf_grow(pf->svcs, pf->nsvcs, sizeof(*pf->svcs));
	s = &pf->svcs[pf->nsvcs++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->at = at;
	s->list = list;
	return true;
}

/* ---- rules ---- */

/* After the services: [inbound | outbound] [cite "TEXT"], in any order. */
static bool
parse_rule_attrs(struct parser *p, struct rule *r)
{
	struct lexer *lx = p->lx;

	for (;;) {
		bool in = lex_word(lx, "inbound"), out = lex_word(lx, "outbound");

		if (in || out) {
			if (r->pub.direction != DIR_UNSPECIFIED)
				diag_error(p->d, &lx->cur.at, "the rule's direction is given twice");
			r->pub.direction = in ? DIR_INBOUND : DIR_OUTBOUND;
			lex_advance(lx);
		} else if (lex_word(lx, "cite")) {
			if (r->cite)
				diag_error(p->d, &lx->cur.at, "the rule's citation is given twice");
			lex_advance(lx);
			if (!lex_expect(lx, TK_STRING, "citation string"))
				return false;
			free(r->cite);
			r->cite = lex_string(lx, &lx->cur);
			lex_advance(lx);
		} else if (lex_word(lx, "tls") && r->svcs.n && r->svcs.v[r->svcs.n - 1].name) {
			diag_error(p->d, &lx->cur.at, "'tls' follows a port list (tcp/443 tls), not a "
			    "service name: say it in the service's definition");
			return false;
		} else {
			return true;
		}
	}
}

static bool
parse_rule_body(struct parser *p, struct rule *r)
{
	struct lexer *lx = p->lx;

	if (!parse_eplist(p, &r->src) || !lex_expect(lx, TK_ARROW, "'->'"))
		return false;
	lex_advance(lx);
	if (!parse_eplist(p, &r->dst) || !lex_expect(lx, TK_COLON, "':'"))
		return false;
	lex_advance(lx);
	return parse_svclist(p, &r->svcs) && parse_rule_attrs(p, r);
}

static bool
rule_stmt(struct parser *p, const struct tok *kw, bool open)
{
	struct profile *pf = p->pf;
	struct rule r;

	memset(&r, 0, sizeof(r));
	if (!parse_rule_body(p, &r)) {
		pf_free_rule(&r);
		return false;
	}
	r.kw = kw->at;
	r.pub.line = kw->at.line;
	r.pub.col = kw->at.col;
	r.pub.expect_open = open;
	r.pub.section = p->section;
	r.pub.document = p->doc;
	r.pub.file = pf->files[kw->at.file];
	pf->rules = pf_grow(pf->rules, pf->nrules, sizeof(*pf->rules));
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

/* default closed [all] */
static bool
st_default(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct profile *pf = p->pf;
	char buf[300];

	if (!lex_word(p->lx, "closed")) {
		lex_syntax_error(p->lx, "'closed'");
		return false;
	}
	lex_advance(p->lx);
	if (pf->default_line) {
		diag_error(p->d, &kw->at, "duplicate 'default closed' statement (first at %s)",
		    pf_where(p->pf, &pf->default_at, &kw->at, buf, sizeof(buf)));
		if (lex_word(p->lx, "all"))
			lex_advance(p->lx);
		return true;
	}
	pf->default_line = kw->at.line;
	pf->default_at = kw->at;
	if (lex_word(p->lx, "all")) {
		pf->default_all = true;
		lex_advance(p->lx);
	}
	return true;
}

/* ---- include ---- */

static bool st_include(void *, const struct tok *);

static const struct lex_stmt statements[] = {
	{ "profile", st_profile }, { "source", st_source }, { "section", st_section },
	{ "include", st_include }, { "zone", st_zone }, { "role", st_role },
	{ "fqdn", st_fqdn }, { "block", st_block }, { "wildcard", st_wildcard },
	{ "group", st_group }, { "service", st_service }, { "open", st_open },
	{ "closed", st_closed }, { "default", st_default },
};

/* Regular files only, and not huge: an include of /dev/zero or a FIFO must
 * fail, not hang. */
static bool
read_from_fs(void *ctx, const char *path, char **text, size_t *len, int *err)
{
	struct stat st;
	char *buf;
	ssize_t got;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	(void)ctx;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*err = errno;
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > INCLUDE_SIZE_MAX) {
		*err = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		close(fd);
		return false;
	}
	buf = xreallocarray(NULL, (size_t)st.st_size + 1, 1);
	while (n < (size_t)st.st_size && (got = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)got;
	close(fd);
	*text = buf;
	*len = n;
	return true;
}

static const struct profile_reader fs_reader = { read_from_fs, NULL };

/* PATH relative to the directory of the file that includes it. */
static char *
include_path(const char *includer, const char *path)
{
	const char *slash = strrchr(includer, '/');
	char *r;

	if (path[0] == '/' || !slash)
		return pf_strdup(path);
	r = xreallocarray(NULL, (size_t)(slash - includer) + strlen(path) + 2, 1);
	sprintf(r, "%.*s/%s", (int)(slash - includer), includer, path);
	return r;
}

static long
find_file(const struct profile *pf, const char *path)
{
	size_t i;

	for (i = 0; i < pf->nfiles; i++)
		if (strcmp(pf->files[i], path) == 0)
			return (long)i;
	return -1;
}

static void
report_include_cycle(struct parser *p, const struct src_span *at, size_t target)
{
	char *path = NULL;
	size_t size = 0, k;
	FILE *f = pf_mem_open(&path, &size);

	for (k = 0; k < p->depth && p->open[k] != target; k++)
		;
	for (; k < p->depth; k++)
		fprintf(f, "%s -> ", p->pf->files[p->open[k]]);
	fputs(p->pf->files[target], f);
	pf_mem_close(f);
	diag_error(p->d, at, "include cycle: %s", path);
	free(path);
}

/* May this file be included here?  Reports why not. */
static bool
include_allowed(struct parser *p, const struct src_span *at, const char *path)
{
	long seen = find_file(p->pf, path);
	size_t k;
	char buf[300];

	if (seen >= 0) {
		for (k = 0; k < p->depth; k++)
			if (p->open[k] == (size_t)seen) {
				report_include_cycle(p, at, (size_t)seen);
				return false;
			}
		diag_error(p->d, at, "'%s' is already included (at %s)", path,
		    pf_where(p->pf, &p->included_at[seen], at, buf, sizeof(buf)));
		return false;
	}
	if (p->depth > INCLUDE_DEPTH_MAX) {
		diag_error(p->d, at, "includes nested deeper than %d", INCLUDE_DEPTH_MAX);
		return false;
	}
	return true;
}

static void parse_text(struct parser *, const char *text, size_t len, int file);

/* include "FILE": read in place; it starts with the includer's `source`
 * and `section`, and its own end with it. */
static bool
st_include(void *ctx, const struct tok *kw)
{
	struct parser *p = ctx;
	struct profile *pf = p->pf;
	struct lexer *lx = p->lx;
	struct src_span at;
	const char *doc, *section;
	char *rel, *path, *text = NULL;
	size_t len = 0;
	int err = 0, id;

	(void)kw;
	if (!lex_expect(lx, TK_STRING, "file name string"))
		return false;
	at = lx->cur.at;
	rel = lex_string(lx, &lx->cur);
	lex_advance(lx);
	path = include_path(pf->files[at.file], rel);
	free(rel);
	if (!include_allowed(p, &at, path)) {
		free(path);
		return true;
	}
	if (!p->io->read(p->io->ctx, path, &text, &len, &err)) {
		diag_error(p->d, &at, "cannot include '%s': %s", path, strerror(err));
		free(path);
		return true;
	}
	p->texts = pf_grow(p->texts, p->ntexts, sizeof(*p->texts));
	p->texts[p->ntexts++] = text;
	pf->files = pf_grow(pf->files, pf->nfiles, sizeof(*pf->files));
	p->included_at = pf_grow(p->included_at, pf->nfiles, sizeof(*p->included_at));
	p->included_at[pf->nfiles] = at;
	pf->files[pf->nfiles++] = path;
	id = diag_add_file(p->d, path, text, len);
	doc = p->doc;
	section = p->section;
	parse_text(p, text, len, id);
	/* An included file's `source` and `section` apply to its own rules. */
	p->doc = doc;
	p->section = section;
	p->lx = lx;
	return true;
}

static void
parse_text(struct parser *p, const char *text, size_t len, int file)
{
	struct lexer lx;

	/* Address runs are one token even where no address belongs, so that a
	 * misplaced one is one error, not one per dot. */
	lex_init_file(&lx, text, len, p->d, true, file);
	p->lx = &lx;
	p->open[p->depth++] = (size_t)file;
	lex_statements(&lx, statements, sizeof(statements) / sizeof(statements[0]), p);
	p->depth--;
	p->lx = NULL;
}

/* ---- entry points ---- */

struct profile *
profile_parse_with(const char *name, const char *text, size_t len,
    const struct profile_reader *io, FILE *diag, int *nerr)
{
	struct parser p;
	struct profile *pf = xreallocarray(NULL, 1, sizeof(*pf));
	size_t i;
	int n;

	memset(pf, 0, sizeof(*pf));
	memset(&p, 0, sizeof(p));
	name = name ? name : "<profile>";
	pf->name = pf_strdup(name);
	pf->files = pf_grow(NULL, 0, sizeof(*pf->files));
	pf->files[pf->nfiles++] = pf_strdup(name);
	p.included_at = pf_grow(NULL, 0, sizeof(*p.included_at));
	memset(p.included_at, 0, sizeof(*p.included_at));
	p.pf = pf;
	p.io = io ? io : &fs_reader;
	p.d = diag_open(diag, pf->files[0], text, len);
	parse_text(&p, text ? text : "", text ? len : 0, 0);
	pf_resolve(pf, p.d);
	n = diag_nerrors(p.d);
	diag_close(p.d);
	for (i = 0; i < p.ntexts; i++)
		free(p.texts[i]);
	free(p.texts);
	free(p.included_at);
	if (nerr)
		*nerr = n;
	if (n) {
		profile_free(pf);
		return NULL;
	}
	pf_publish(pf);
	return pf;
}

struct profile *
profile_parse(const char *name, const char *text, size_t len, FILE *diag, int *nerr)
{
	return profile_parse_with(name, text, len, NULL, diag, nerr);
}

struct profile *
profile_load(const char *path, FILE *diag, int *nerr)
{
	struct profile *pf;
	char *text;
	size_t len;

	if (!lex_load_file(path, &text, &len, diag, nerr))
		return NULL;
	pf = profile_parse(path, text, len, diag, nerr);
	free(text);
	return pf;
}

void
profile_free(struct profile *pf)
{
	pf_free(pf);
}
