#include "plan/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errfmt.h"
#include "lib/keyset.h"

struct plan {
	const struct profile *prof;
	struct probe         *probes;
	uint32_t              n;
	size_t                cap;
	struct rp_addr      **addrs;    /* per endpoint: where it is probed (site_endpoint_addrs) */
	size_t               *naddrs;
	char                **fqdn;     /* per endpoint: the site's `fqdn "..."`, or NULL */
	struct rp_addr        none;     /* what plan_addr() gives for an endpoint without one */
	size_t               *senders, nsenders;
	size_t               *receivers, nreceivers;
	struct keyset       *seen;     /* flows the rules probe */
	char               **warn;     /* what the rules ask that cannot be probed */
	size_t               nwarn;
};

/* What one probe is about, before it has an id. */
struct flow {
	uint32_t rule;
	size_t   src, dst, addr;
	uint8_t  proto;
	uint16_t port;
	bool     open, tls;
};

static int
append(struct plan *pl, const struct flow *f)
{
	struct probe *p;

	if (pl->n == pl->cap) {
		size_t ncap = pl->cap ? pl->cap * 2 : 256;
		struct probe *np;

		/* Probe ids are 32-bit. */
		if (pl->n == UINT32_MAX || !(np = reallocarray(pl->probes, ncap, sizeof(*np))))
			return -1;
		pl->probes = np;
		pl->cap = ncap;
	}
	p = &pl->probes[pl->n];
	memset(p, 0, sizeof(*p));
	p->id = pl->n++;
	p->rule = f->rule;
	p->src = (uint16_t)f->src;
	p->dst = (uint16_t)f->dst;
	p->dst_addr = (uint16_t)f->addr;
	p->proto = f->proto;
	p->port = f->port;
	p->expect_open = f->open;
	p->tls = f->tls;
	return 0;
}

/* A rule's probe: each flow once, by the first rule that names it. */
static int
add_rule_probe(struct plan *pl, const struct flow *f)
{
	int r = keyset_add_flow(pl->seen, flow_key(f->src, f->dst, f->addr, f->proto, f->port));

	return r <= 0 ? r : append(pl, f);
}

/* Index of the first address of ep in the family of a, or -1. */
static long
source_addr(const struct plan *pl, size_t ep, const struct rp_addr *a)
{
	size_t i;

	for (i = 0; i < pl->naddrs[ep]; i++)
		if (pl->addrs[ep][i].family == a->family)
			return (long)i;
	return -1;
}

static int
bind_endpoints(struct plan *pl, const struct site *site)
{
	size_t i, ne = profile_nendpoints(pl->prof);

	/* Probes name endpoints and addresses in 16 bits. */
	if (ne > UINT16_MAX)
		return -1;
	pl->addrs = calloc(ne ? ne : 1, sizeof(*pl->addrs));
	pl->naddrs = calloc(ne ? ne : 1, sizeof(*pl->naddrs));
	pl->fqdn = calloc(ne ? ne : 1, sizeof(*pl->fqdn));
	if (!pl->addrs || !pl->naddrs || !pl->fqdn)
		return -1;
	for (i = 0; i < ne; i++) {
		const struct site_host *h = site_find(site, profile_endpoint(pl->prof, i)->name);

		pl->addrs[i] = site_endpoint_addrs(site, pl->prof, i, &pl->naddrs[i]);
		if (pl->naddrs[i] > UINT16_MAX)
			pl->naddrs[i] = UINT16_MAX;
		if (h && h->fqdn && !(pl->fqdn[i] = strdup(h->fqdn)))
			return -1;
	}
	return 0;
}

static int
no_address(const struct plan *pl, const struct profile_rule *ru, size_t ep, char *err,
    size_t errlen)
{
	const struct profile_endpoint *e = profile_endpoint(pl->prof, ep);

	return errfmt(err, errlen, "%s:%d:%d: error: '%s' has %s", ru->file, ru->line, ru->col, e->name,
	    e->kind <= EP_ROLE ? "no host in the site" : "no address (the site must bind it)");
}

/* Every port of every span of a rule, from s to one address of d. */
static int
expand_pair_addr(struct plan *pl, const struct profile_rule *ru, struct flow *f)
{
	size_t k;
	uint32_t port;

	for (k = 0; k < ru->nspans; k++) {
		const struct port_span *sp = &ru->spans[k];

		f->proto = sp->proto;
		f->tls = sp->tls;
		for (port = sp->lo; port <= sp->hi; port++) {
			f->port = (uint16_t)port;
			if (add_rule_probe(pl, f) < 0)
				return -1;
		}
	}
	return 0;
}

static int
add_warning(struct plan *pl, const char *text)
{
	char **v = reallocarray(pl->warn, pl->nwarn + 1, sizeof(*v));

	if (!v)
		return -1;
	pl->warn = v;
	if (!(pl->warn[pl->nwarn] = strdup(text)))
		return -1;
	pl->nwarn++;
	return 0;
}

/* A destination address of a family the source has none of cannot be
 * probed from it: that family is left out with a warning, and only a pair
 * with no family in common is an error (its rule would have no probe). */
static int
family_gap(struct plan *pl, const struct profile_rule *ru, size_t s, size_t d,
    const struct rp_addr *first_skipped, unsigned nskipped, bool none_probed, char *err,
    size_t errlen)
{
	char a[ADDR_STRLEN], text[768];
	const char *sname = profile_endpoint(pl->prof, s)->name;
	const char *dname = profile_endpoint(pl->prof, d)->name;
	bool v6 = addr_is_v6(first_skipped);

	if (none_probed)
		return errfmt(err, errlen, "%s:%d:%d: error: '%s' has no address of a family that "
		    "'%s' has (%s %s): the rule's probes from it cannot be sent", ru->file, ru->line,
		    ru->col, sname, dname, v6 ? "IPv6" : "IPv4", addr_fmt(first_skipped, a));
	snprintf(text, sizeof(text), "%s:%d:%d: warning: '%s' has no %s address: '%s' is probed "
	    "from it at its %s addresses only, not at %s%s", ru->file, ru->line, ru->col, sname,
	    v6 ? "IPv6" : "IPv4", dname, v6 ? "IPv4" : "IPv6", addr_fmt(first_skipped, a),
	    nskipped > 1 ? " (and more of its addresses)" : "");
	if (add_warning(pl, text) != 0)
		return errfmt(err, errlen, "out of memory");
	return 0;
}

static int
expand_pair(struct plan *pl, uint32_t r, size_t s, size_t d, char *err, size_t errlen)
{
	const struct profile_rule *ru = profile_rule(pl->prof, r);
	struct flow f = { .rule = r, .src = s, .dst = d, .open = ru->expect_open };
	const struct rp_addr *skipped[2] = { NULL, NULL };   /* first of each family */
	unsigned nskipped[2] = { 0, 0 }, probed = 0;
	int fam;

	if (!pl->naddrs[s] || !pl->naddrs[d])
		return no_address(pl, ru, pl->naddrs[s] ? d : s, err, errlen);
	for (f.addr = 0; f.addr < pl->naddrs[d]; f.addr++) {
		const struct rp_addr *da = &pl->addrs[d][f.addr];

		if (source_addr(pl, s, da) < 0) {
			fam = addr_is_v6(da);
			if (!skipped[fam])
				skipped[fam] = da;
			nskipped[fam]++;
			continue;
		}
		probed++;
		if (expand_pair_addr(pl, ru, &f) < 0)
			return errfmt(err, errlen, "out of memory (or more than 2^32 probes)");
	}
	for (fam = 0; fam < 2; fam++)
		if (skipped[fam] && family_gap(pl, ru, s, d, skipped[fam], nskipped[fam], probed == 0,
		    err, errlen) != 0)
			return -1;
	return 0;
}

static int
expand_rules(struct plan *pl, char *err, size_t errlen)
{
	size_t r, s, d;

	for (r = 0; r < profile_nrules(pl->prof); r++) {
		const struct profile_rule *ru = profile_rule(pl->prof, r);

		for (s = 0; s < ru->nsrc; s++)
			for (d = 0; d < ru->ndst; d++)
				if (expand_pair(pl, (uint32_t)r, ru->src[s], ru->dst[d], err, errlen) != 0)
					return -1;
	}
	return 0;
}

/* ---- default closed ---- */

/* The port universe: proto << 16 | port, sorted, each once. */
struct universe {
	uint32_t *v;
	size_t    n, cap;
};

static int
uni_add(struct universe *u, uint8_t proto, uint32_t port)
{
	if (port < 1 || port > 65535)
		return 0;
	if (u->n == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 64;
		uint32_t *nv = reallocarray(u->v, ncap, sizeof(*nv));

		if (!nv)
			return -1;
		u->v = nv;
		u->cap = ncap;
	}
	u->v[u->n++] = (uint32_t)proto << 16 | port;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Every named port and its neighbours. */
static int
universe_named(const struct profile *prof, struct universe *u)
{
	size_t r, k;
	uint32_t p;

	for (r = 0; r < profile_nrules(prof); r++) {
		const struct profile_rule *ru = profile_rule(prof, r);

		for (k = 0; k < ru->nspans; k++) {
			const struct port_span *sp = &ru->spans[k];

			for (p = sp->lo; p <= sp->hi; p++)
				if (uni_add(u, sp->proto, p) < 0)
					return -1;
			if (uni_add(u, sp->proto, (uint32_t)sp->lo - 1) < 0 ||
			    uni_add(u, sp->proto, (uint32_t)sp->hi + 1) < 0)
				return -1;
		}
	}
	return 0;
}

/* Every port of every protocol the profile names: the full sweep. */
static int
universe_all(const struct profile *prof, struct universe *u)
{
	bool proto[2] = { false, false };
	size_t r, k;
	uint32_t p;
	int i;

	for (r = 0; r < profile_nrules(prof); r++)
		for (k = 0; k < profile_rule(prof, r)->nspans; k++)
			proto[profile_rule(prof, r)->spans[k].proto == RP_PROTO_UDP] = true;
	for (i = 0; i < 2; i++)
		for (p = 1; proto[i] && p <= 65535; p++)
			if (uni_add(u, i ? RP_PROTO_UDP : RP_PROTO_TCP, p) < 0)
				return -1;
	return 0;
}

static int
build_universe(const struct profile *prof, struct universe *u)
{
	size_t i, o = 0;

	if ((profile_default_closed_all(prof) ? universe_all(prof, u) : universe_named(prof, u)) != 0)
		return -1;
	if (u->n == 0)
		return 0;
	qsort(u->v, u->n, sizeof(*u->v), cmp_u32);
	for (i = 0; i < u->n; i++)
		if (o == 0 || u->v[o - 1] != u->v[i])
			u->v[o++] = u->v[i];
	u->n = o;
	return 0;
}

static bool
is_destination(const struct profile *prof, size_t ep)
{
	size_t r, d;

	for (r = 0; r < profile_nrules(prof); r++) {
		const struct profile_rule *ru = profile_rule(prof, r);

		for (d = 0; d < ru->ndst; d++)
			if (ru->dst[d] == ep)
				return true;
	}
	return false;
}

/* Negative probes only leave zones and roles: fqdns, blocks and wildcards
 * stand for hosts outside the site, where no sender runs. */
static bool
negative_sender(const struct plan *pl, size_t ep)
{
	return pl->naddrs[ep] > 0 && profile_endpoint(pl->prof, ep)->kind <= EP_ROLE;
}

static int
expand_default_pair(struct plan *pl, const struct universe *u, size_t s, size_t d)
{
	struct flow f = { .rule = PLAN_RULE_DEFAULT, .src = s, .dst = d };
	size_t i;

	for (f.addr = 0; f.addr < pl->naddrs[d]; f.addr++) {
		if (source_addr(pl, s, &pl->addrs[d][f.addr]) < 0)
			continue;   /* no probe crosses families */
		for (i = 0; i < u->n; i++) {
			f.proto = (uint8_t)(u->v[i] >> 16);
			f.port = (uint16_t)u->v[i];
			/* Unique by construction: only the rules' flows are in
			 * the set, which keeps it small for a full sweep. */
			if (!keyset_has_flow(pl->seen, flow_key(s, d, f.addr, f.proto, f.port)) &&
			    append(pl, &f) < 0)
				return -1;
		}
	}
	return 0;
}

static int
expand_default(struct plan *pl)
{
	struct universe u = { 0 };
	size_t ne = profile_nendpoints(pl->prof), s, d;
	bool *dest = calloc(ne ? ne : 1, sizeof(*dest));
	int rc = -1;

	if (!dest || build_universe(pl->prof, &u) != 0)
		goto out;
	for (d = 0; d < ne; d++)
		dest[d] = pl->naddrs[d] > 0 && is_destination(pl->prof, d);
	for (s = 0; s < ne; s++)
		for (d = 0; d < ne; d++)
			if (s != d && dest[d] && negative_sender(pl, s) &&
			    expand_default_pair(pl, &u, s, d) != 0)
				goto out;
	rc = 0;
out:
	free(u.v);
	free(dest);
	return rc;
}

static int
collect_agents(struct plan *pl)
{
	size_t ne = profile_nendpoints(pl->prof), e;
	uint32_t i;
	bool *snd = calloc(ne ? ne : 1, sizeof(bool)), *rcv = calloc(ne ? ne : 1, sizeof(bool));
	int rc = -1;

	pl->senders = calloc(ne ? ne : 1, sizeof(size_t));
	pl->receivers = calloc(ne ? ne : 1, sizeof(size_t));
	if (!snd || !rcv || !pl->senders || !pl->receivers)
		goto out;
	for (i = 0; i < pl->n; i++) {
		snd[pl->probes[i].src] = true;
		rcv[pl->probes[i].dst] = true;
	}
	for (e = 0; e < ne; e++) {
		if (snd[e])
			pl->senders[pl->nsenders++] = e;
		if (rcv[e])
			pl->receivers[pl->nreceivers++] = e;
	}
	rc = 0;
out:
	free(snd);
	free(rcv);
	return rc;
}

struct plan *
plan_build(const struct profile *prof, const struct site *site, char *err, size_t errlen)
{
	struct plan *pl = calloc(1, sizeof(*pl));

	if (!pl || !(pl->seen = keyset_new()) || (pl->prof = prof, bind_endpoints(pl, site)) != 0) {
		errfmt(err, errlen, "out of memory (or more than 65535 endpoints)");
		goto fail;
	}
	if (expand_rules(pl, err, errlen) != 0)
		goto fail;
	if (profile_default_closed_line(prof) > 0 && expand_default(pl) != 0) {
		errfmt(err, errlen, "out of memory (or more than 2^32 probes)");
		goto fail;
	}
	if (collect_agents(pl) != 0) {
		errfmt(err, errlen, "out of memory");
		goto fail;
	}
	keyset_free(pl->seen);
	pl->seen = NULL;
	return pl;
fail:
	plan_free(pl);
	return NULL;
}

void
plan_free(struct plan *pl)
{
	size_t i, ne;

	if (!pl)
		return;
	ne = pl->prof ? profile_nendpoints(pl->prof) : 0;
	for (i = 0; i < ne && pl->addrs; i++)
		free(pl->addrs[i]);
	for (i = 0; i < ne && pl->fqdn; i++)
		free(pl->fqdn[i]);
	keyset_free(pl->seen);
	free(pl->probes);
	free(pl->addrs);
	free(pl->naddrs);
	free(pl->fqdn);
	free(pl->senders);
	free(pl->receivers);
	for (i = 0; i < pl->nwarn; i++)
		free(pl->warn[i]);
	free(pl->warn);
	free(pl);
}

size_t
plan_nwarnings(const struct plan *pl)
{
	return pl->nwarn;
}

const char *
plan_warning(const struct plan *pl, size_t i)
{
	return i < pl->nwarn ? pl->warn[i] : NULL;
}

uint32_t
plan_nprobes(const struct plan *pl)
{
	return pl->n;
}

const struct probe *
plan_probe(const struct plan *pl, uint32_t id)
{
	return id < pl->n ? &pl->probes[id] : NULL;
}

size_t
plan_naddrs(const struct plan *pl, size_t ep)
{
	return pl->naddrs[ep];
}

const struct rp_addr *
plan_addr_at(const struct plan *pl, size_t ep, size_t i)
{
	return i < pl->naddrs[ep] ? &pl->addrs[ep][i] : &pl->none;
}

const struct rp_addr *
plan_addr(const struct plan *pl, size_t ep)
{
	return plan_addr_at(pl, ep, 0);
}

const struct rp_addr *
plan_probe_src(const struct plan *pl, const struct probe *p)
{
	long i = source_addr(pl, p->src, plan_probe_dst(pl, p));

	return plan_addr_at(pl, p->src, i < 0 ? 0 : (size_t)i);
}

const struct rp_addr *
plan_probe_dst(const struct plan *pl, const struct probe *p)
{
	return plan_addr_at(pl, p->dst, p->dst_addr);
}

const struct profile *
plan_profile(const struct plan *pl)
{
	return pl->prof;
}

size_t
plan_nsenders(const struct plan *pl)
{
	return pl->nsenders;
}

size_t
plan_sender(const struct plan *pl, size_t i)
{
	return pl->senders[i];
}

size_t
plan_nreceivers(const struct plan *pl)
{
	return pl->nreceivers;
}

size_t
plan_receiver(const struct plan *pl, size_t i)
{
	return pl->receivers[i];
}

int
plan_probe_line(const struct plan *pl, const struct probe *p)
{
	if (p->rule == PLAN_RULE_DEFAULT)
		return profile_default_closed_line(pl->prof);
	return profile_rule(pl->prof, p->rule)->line;
}

const char *
plan_probe_file(const struct plan *pl, const struct probe *p)
{
	if (p->rule == PLAN_RULE_DEFAULT)
		return profile_default_closed_file(pl->prof);
	return profile_rule(pl->prof, p->rule)->file;
}

const char *
plan_endpoint_fqdn(const struct plan *pl, size_t ep)
{
	const struct profile_endpoint *e = profile_endpoint(pl->prof, ep);

	if (pl->fqdn[ep])
		return pl->fqdn[ep];
	return e && e->kind == EP_FQDN ? e->name : NULL;
}

const char *
plan_probe_sni(const struct plan *pl, const struct probe *p)
{
	const struct port_span *sp;

	if (!p->tls || p->rule == PLAN_RULE_DEFAULT)
		return NULL;
	sp = profile_rule_span(profile_rule(pl->prof, p->rule), p->proto, p->port);
	if (sp && sp->sni)
		return sp->sni;
	return plan_endpoint_fqdn(pl, p->dst);
}

const struct tlscert_expect *
plan_probe_cert(const struct plan *pl, const struct probe *p)
{
	const struct port_span *sp;

	if (!p->tls || p->rule == PLAN_RULE_DEFAULT)
		return NULL;
	sp = profile_rule_span(profile_rule(pl->prof, p->rule), p->proto, p->port);
	return sp ? sp->cert : NULL;
}
