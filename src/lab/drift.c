#include "lab/drift.h"

#include <stdbool.h>
#include <stdlib.h>

#include "lib/keyset.h"

enum drift_kind { DRIFT_OPEN_CLOSED, DRIFT_BLOCK_OPEN, DRIFT_WIDEN, DRIFT_WRONG_SOURCE, DRIFT_KINDS };

/* splitmix64: small, seedable, and the same everywhere, so a seed names the
 * same set of deviations on every machine. */
struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static size_t
rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_next(r) % n) : 0;
}

/* Picks, uniformly, a probe whose expectation is `open`, or -1. */
static long
pick_probe(const struct plan *pl, struct rng *r, bool open)
{
	uint32_t n = plan_nprobes(pl), i, count = 0, k;

	for (i = 0; i < n; i++)
		count += plan_probe(pl, i)->expect_open == open;
	if (count == 0)
		return -1;
	k = (uint32_t)rng_below(r, count);
	for (i = 0; i < n; i++)
		if (plan_probe(pl, i)->expect_open == open && k-- == 0)
			return (long)i;
	return -1;
}

static int
plant_open_closed(struct fwset *fw, const struct plan *pl, struct rng *r, char *what, size_t wl)
{
	long id = pick_probe(pl, r, false);
	const struct probe *p;
	struct fw_rule ru;

	if (id < 0)
		return 1;
	p = plan_probe(pl, (uint32_t)id);
	ru = (struct fw_rule){ .src = p->src, .dst = p->dst, .proto = p->proto,
	    .lo = p->port, .hi = p->port, .act = FW_ACCEPT };
	snprintf(what, wl, "opened a port that must be closed: accept %s -> %s %s/%u",
	    profile_endpoint(plan_profile(pl), p->src)->name,
	    profile_endpoint(plan_profile(pl), p->dst)->name,
	    p->proto == RP_PROTO_UDP ? "udp" : "tcp", p->port);
	return fw_insert(fw, 0, &ru);
}

static int
plant_block_open(struct fwset *fw, const struct plan *pl, struct rng *r, char *what, size_t wl)
{
	static const enum fw_action acts[] = { FW_DROP, FW_REJECT_RST, FW_REJECT_ICMP };
	long id = pick_probe(pl, r, true);
	const struct probe *p;
	struct fw_rule ru;

	if (id < 0)
		return 1;
	p = plan_probe(pl, (uint32_t)id);
	ru = (struct fw_rule){ .src = p->src, .dst = p->dst, .proto = p->proto,
	    .lo = p->port, .hi = p->port, .act = acts[rng_below(r, 3)] };
	snprintf(what, wl, "blocked a port that must be open: %s %s -> %s %s/%u",
	    fw_action_name(ru.act), profile_endpoint(plan_profile(pl), p->src)->name,
	    profile_endpoint(plan_profile(pl), p->dst)->name,
	    p->proto == RP_PROTO_UDP ? "udp" : "tcp", p->port);
	return fw_insert(fw, 0, &ru);
}

/* Picks, uniformly, an accept rule that came from the profile, or -1. */
static long
pick_accept(const struct fwset *fw, struct rng *r)
{
	size_t n = fw_nrules(fw), i, count = 0, k;

	for (i = 0; i < n; i++)
		count += fw_rule_at(fw, i)->act == FW_ACCEPT && fw_rule_at(fw, i)->line > 0;
	if (count == 0)
		return -1;
	k = rng_below(r, count);
	for (i = 0; i < n; i++)
		if (fw_rule_at(fw, i)->act == FW_ACCEPT && fw_rule_at(fw, i)->line > 0 && k-- == 0)
			return (long)i;
	return -1;
}

static int
plant_widen(struct fwset *fw, const struct plan *pl, struct rng *r, char *what, size_t wl)
{
	long i = pick_accept(fw, r);
	struct fw_rule ru;

	if (i < 0)
		return 1;
	ru = *fw_rule_at(fw, (size_t)i);
	ru.lo = ru.lo > 1 ? (uint16_t)(ru.lo - 1) : ru.lo;
	ru.hi = ru.hi < 65535 ? (uint16_t)(ru.hi + 1) : ru.hi;
	{
		const struct fw_rule *old = fw_rule_at(fw, (size_t)i);
		char was[16];
		if (old->lo == old->hi)
			snprintf(was, sizeof(was), "%u", old->lo);
		else
			snprintf(was, sizeof(was), "%u-%u", old->lo, old->hi);
		snprintf(what, wl, "widened %s -> %s %s/%s (line %d) to %u-%u",
		    profile_endpoint(plan_profile(pl), ru.src)->name,
		    profile_endpoint(plan_profile(pl), ru.dst)->name,
		    ru.proto == RP_PROTO_UDP ? "udp" : "tcp", was, ru.line, ru.lo, ru.hi);
	}
	fw_replace(fw, (size_t)i, &ru);
	return 0;
}

static int
plant_wrong_source(struct fwset *fw, const struct plan *pl, struct rng *r, char *what, size_t wl)
{
	long i = pick_accept(fw, r);
	struct fw_rule ru;
	size_t ns = plan_nsenders(pl), k, start = rng_below(r, ns);

	if (i < 0 || ns < 2)
		return 1;
	ru = *fw_rule_at(fw, (size_t)i);
	for (k = 0; k < ns; k++) {
		size_t s = plan_sender(pl, (start + k) % ns);
		/* Only a source that the profile does not already allow makes
		 * a wrong source visible from both ends. */
		if (s != ru.src && s != ru.dst &&
		    !profile_allows(plan_profile(pl), s, ru.dst, ru.proto, ru.lo)) {
			snprintf(what, wl, "rule at line %d opened to the wrong source: %s -> %s instead of %s -> %s",
			    ru.line, profile_endpoint(plan_profile(pl), s)->name,
			    profile_endpoint(plan_profile(pl), ru.dst)->name,
			    profile_endpoint(plan_profile(pl), ru.src)->name,
			    profile_endpoint(plan_profile(pl), ru.dst)->name);
			ru.src = s;
			fw_replace(fw, (size_t)i, &ru);
			return 0;
		}
	}
	return 1;
}

static bool
fw_opens(enum fw_action a)
{
	return a == FW_ACCEPT;
}

/* The probes whose outcome differs between two rulesets; refuses a change
 * that is invisible or that touches a probe an earlier deviation changed. */
static int
diff_effect(const struct fwset *before, const struct fwset *after, const struct plan *pl,
    const struct keyset *taken, struct keyset *mine)
{
	uint32_t i;
	int changed = 0;

	for (i = 0; i < plan_nprobes(pl); i++) {
		const struct probe *p = plan_probe(pl, i);
		enum fw_action a = fw_eval(before, p->src, p->dst, p->proto, p->port);
		enum fw_action b = fw_eval(after, p->src, p->dst, p->proto, p->port);
		if (a == b)
			continue;
		/* A change between two ways of closing is no deviation the
		 * profile can see; a change of open/closed is. */
		if (fw_opens(a) == fw_opens(b))
			continue;
		if (keyset_has(taken, p->id))
			return -1;
		if (keyset_add(mine, p->id) < 0)
			return -1;
		changed++;
	}
	return changed;
}

static void
print_effect(const struct fwset *fw, const struct plan *pl, const struct keyset *mine, FILE *out)
{
	const struct profile *prof = plan_profile(pl);
	uint32_t i;

	for (i = 0; i < plan_nprobes(pl); i++) {
		const struct probe *p = plan_probe(pl, i);
		if (!keyset_has(mine, p->id))
			continue;
		fprintf(out, "flow %s %s %s %u expect=%s fw=%s\n",
		    profile_endpoint(prof, p->src)->name, profile_endpoint(prof, p->dst)->name,
		    p->proto == RP_PROTO_UDP ? "udp" : "tcp", p->port,
		    p->expect_open ? "open" : "closed",
		    fw_action_name(fw_eval(fw, p->src, p->dst, p->proto, p->port)));
	}
}

typedef int (*plant_fn)(struct fwset *, const struct plan *, struct rng *, char *, size_t);

/* Tries one deviation on a copy; keeps it if it is visible and disjoint.
 * Returns 0 if planted, 1 if this try found nothing to plant, -1 on error. */
static int
try_plant(struct fwset *fw, const struct plan *pl, struct rng *r, struct keyset *taken,
    unsigned k, FILE *planted)
{
	static const plant_fn fns[DRIFT_KINDS] = {
		plant_open_closed, plant_block_open, plant_widen, plant_wrong_source,
	};
	struct fwset *copy = fw_clone(fw);
	struct keyset *mine = keyset_new();
	char what[256];
	int rc = -1, eff;
	uint32_t i;

	if (!copy || !mine)
		goto out;
	rc = fns[rng_below(r, DRIFT_KINDS)](copy, pl, r, what, sizeof(what));
	if (rc != 0)
		goto out;
	eff = diff_effect(fw, copy, pl, taken, mine);
	if (eff <= 0) {
		rc = 1;
		goto out;
	}
	for (i = 0; i < plan_nprobes(pl); i++)
		if (keyset_has(mine, i) && keyset_add(taken, i) < 0) {
			rc = -1;
			goto out;
		}
	fprintf(planted, "drift %u: %s\n", k, what);
	print_effect(copy, pl, mine, planted);
	fw_swap(fw, copy);
out:
	keyset_free(mine);
	fw_free(copy);
	return rc;
}

int
fw_drift(struct fwset *fw, const struct plan *pl, unsigned n, uint64_t seed, FILE *planted)
{
	struct rng r = { .s = seed };
	struct keyset *taken = keyset_new();
	unsigned done = 0, tries;
	/* Bounded: a plan too small for n disjoint deviations gets fewer. */
	unsigned max_tries = 64 * (n + 1);
	int rc;

	if (!taken)
		return -1;
	for (tries = 0; done < n && tries < max_tries; tries++) {
		rc = try_plant(fw, pl, &r, taken, done + 1, planted);
		if (rc < 0) {
			keyset_free(taken);
			return -1;
		}
		if (rc == 0)
			done++;
	}
	keyset_free(taken);
	return (int)done;
}
