#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errfmt.h"
#include "flowset.h"

struct plan {
	const struct profile *prof;
	struct probe         *probes;
	uint32_t              n, cap;
	struct rp_addr       *addr;     /* per endpoint */
	bool                 *bound;    /* per endpoint */
	size_t               *senders, nsenders;
	size_t               *receivers, nreceivers;
	struct flowset       *seen;
};

/* A port of the universe: proto and port packed as proto << 16 | port. */
struct universe {
	uint32_t *v;
	size_t    n, cap;
};

static int
add_probe(struct plan *pl, uint32_t rule, size_t src, size_t dst, uint8_t proto,
    uint16_t port, bool open)
{
	struct probe *p;
	int r = flowset_add(pl->seen, flow_key(src, dst, proto, port));

	if (r <= 0)
		return r;           /* a flow is probed once, by its first rule */
	if (pl->n == pl->cap) {
		uint32_t ncap = pl->cap ? pl->cap * 2 : 256;
		struct probe *np = realloc(pl->probes, ncap * sizeof(*np));
		if (!np)
			return -1;
		pl->probes = np;
		pl->cap = ncap;
	}
	p = &pl->probes[pl->n];
	p->id = pl->n++;
	p->rule = rule;
	p->src = (uint16_t)src;
	p->dst = (uint16_t)dst;
	p->dst_addr = 0;
	p->proto = proto;
	p->port = port;
	p->expect_open = open;
	return 0;
}

static int
bind_endpoints(struct plan *pl, const struct site *site)
{
	size_t i, ne = profile_nendpoints(pl->prof);

	pl->addr = calloc(ne ? ne : 1, sizeof(*pl->addr));
	pl->bound = calloc(ne ? ne : 1, sizeof(*pl->bound));
	if (!pl->addr || !pl->bound)
		return -1;
	for (i = 0; i < ne; i++) {
		const struct site_host *h = site_find(site, profile_endpoint(pl->prof, i)->name);
		if (h) {
			pl->addr[i] = h->addr;
			pl->bound[i] = true;
		}
	}
	return 0;
}

static int
expand_rules(struct plan *pl, char *err, size_t errlen)
{
	size_t r, s, d, k;

	for (r = 0; r < profile_nrules(pl->prof); r++) {
		const struct profile_rule *ru = profile_rule(pl->prof, r);
		for (s = 0; s < ru->nsrc; s++)
			for (d = 0; d < ru->ndst; d++) {
				if (!pl->bound[ru->src[s]] || !pl->bound[ru->dst[d]])
					return errfmt(err, errlen, "rule at %s:%d: '%s' has no host in the site",
					    profile_name(pl->prof), ru->line,
					    profile_endpoint(pl->prof, pl->bound[ru->src[s]] ? ru->dst[d] : ru->src[s])->name);
				for (k = 0; k < ru->nspans; k++) {
					const struct port_span *sp = &ru->spans[k];
					uint32_t port;
					for (port = sp->lo; port <= sp->hi; port++)
						if (add_probe(pl, (uint32_t)r, ru->src[s], ru->dst[d], sp->proto,
						    (uint16_t)port, ru->expect_open) < 0)
							return errfmt(err, errlen, "out of memory");
				}
			}
	}
	return 0;
}

static int
uni_add(struct universe *u, uint8_t proto, uint32_t port)
{
	if (port < 1 || port > 65535)
		return 0;
	if (u->n == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 64;
		uint32_t *nv = realloc(u->v, ncap * sizeof(*nv));
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

/* Every named port and its neighbours, sorted and without repeats. */
static int
build_universe(const struct profile *prof, struct universe *u)
{
	size_t r, k, i, o = 0;

	for (r = 0; r < profile_nrules(prof); r++) {
		const struct profile_rule *ru = profile_rule(prof, r);
		for (k = 0; k < ru->nspans; k++) {
			const struct port_span *sp = &ru->spans[k];
			uint32_t p;
			for (p = sp->lo; p <= sp->hi; p++)
				if (uni_add(u, sp->proto, p) < 0)
					return -1;
			if (uni_add(u, sp->proto, (uint32_t)sp->lo - 1) < 0 ||
			    uni_add(u, sp->proto, (uint32_t)sp->hi + 1) < 0)
				return -1;
		}
	}
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

static int
expand_default(struct plan *pl)
{
	struct universe u = { 0 };
	size_t ne = profile_nendpoints(pl->prof), s, d, i;
	int rc = -1;

	if (build_universe(pl->prof, &u) != 0)
		goto out;
	for (s = 0; s < ne; s++)
		for (d = 0; d < ne; d++) {
			if (s == d || !pl->bound[s] || !pl->bound[d] || !is_destination(pl->prof, d))
				continue;
			for (i = 0; i < u.n; i++) {
				uint8_t proto = (uint8_t)(u.v[i] >> 16);
				uint16_t port = (uint16_t)u.v[i];
				if (profile_allows(pl->prof, s, d, proto, port))
					continue;
				if (add_probe(pl, PLAN_RULE_DEFAULT, s, d, proto, port, false) < 0)
					goto out;
			}
		}
	rc = 0;
out:
	free(u.v);
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

	if (!pl || !(pl->seen = flowset_new()) || (pl->prof = prof, bind_endpoints(pl, site)) != 0) {
		errfmt(err, errlen, "out of memory");
		goto fail;
	}
	if (expand_rules(pl, err, errlen) != 0)
		goto fail;
	if (profile_default_closed_line(prof) > 0 && expand_default(pl) != 0) {
		errfmt(err, errlen, "out of memory");
		goto fail;
	}
	if (collect_agents(pl) != 0) {
		errfmt(err, errlen, "out of memory");
		goto fail;
	}
	flowset_free(pl->seen);
	pl->seen = NULL;
	return pl;
fail:
	plan_free(pl);
	return NULL;
}

void
plan_free(struct plan *pl)
{
	if (!pl)
		return;
	flowset_free(pl->seen);
	free(pl->probes);
	free(pl->addr);
	free(pl->bound);
	free(pl->senders);
	free(pl->receivers);
	free(pl);
}

uint32_t plan_nprobes(const struct plan *pl) { return pl->n; }
const struct probe *plan_probe(const struct plan *pl, uint32_t id) { return id < pl->n ? &pl->probes[id] : NULL; }
size_t plan_naddrs(const struct plan *pl, size_t ep) { return pl->bound[ep] ? 1 : 0; }
const struct rp_addr *plan_addr_at(const struct plan *pl, size_t ep, size_t i) { (void)i; return &pl->addr[ep]; }
const struct rp_addr *plan_addr(const struct plan *pl, size_t ep) { return &pl->addr[ep]; }

const struct rp_addr *
plan_probe_src(const struct plan *pl, const struct probe *p)
{
	return plan_addr_at(pl, p->src, 0);
}

const struct rp_addr *
plan_probe_dst(const struct plan *pl, const struct probe *p)
{
	return plan_addr_at(pl, p->dst, p->dst_addr);
}
const struct profile *plan_profile(const struct plan *pl) { return pl->prof; }
size_t plan_nsenders(const struct plan *pl) { return pl->nsenders; }
size_t plan_sender(const struct plan *pl, size_t i) { return pl->senders[i]; }
size_t plan_nreceivers(const struct plan *pl) { return pl->nreceivers; }
size_t plan_receiver(const struct plan *pl, size_t i) { return pl->receivers[i]; }

int
plan_probe_line(const struct plan *pl, const struct probe *p)
{
	if (p->rule == PLAN_RULE_DEFAULT)
		return profile_default_closed_line(pl->prof);
	return profile_rule(pl->prof, p->rule)->line;
}
