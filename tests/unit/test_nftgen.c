/* Unit tests for the compiled ruleset (nftgen.h) and planted mistakes
 * (drift.h).  The lab trusts fw_eval to predict what nftables does, and the
 * lab tests trust planted.txt to say what the correlator must find, so both
 * are checked against the plan itself. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/drift.h"
#include "profile/parse.h"
#include "fixture.h"
#include "lab/nftgen.h"
#include "plan/plan.h"
#include "suites.h"

static const char p_small[] =
    "profile \"Small\"\n"
    "zone a\n"
    "role b\n"
    "role c\n"
    "open a -> b, c : tcp/443, 8000-8002\n"
    "open a, c -> b : udp/53\n"
    "closed a -> c : tcp/22\n";

static const char s_small[] =
    "site \"T\"\n"
    "host a 198.18.0.1\n"
    "host b 198.18.0.2\n"
    "host c 198.18.0.3\n";

static void
world_from(struct fixture *w, const char *profile, const char *site)
{
	fixture_parse(w, "t.profile", profile, "t.site", site);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->pl);
}

static void
world_small(struct fixture *w)
{
	world_from(w, p_small, s_small);
}

static void
world_shipped(struct fixture *w)
{
	fixture_load(w, "profiles/assist-onprem-multi.profile", "profiles/lab/assist-onprem-multi.site");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->pl);
}

/* Line number (from 1) of the first line of text containing needle. */
static int
line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle), *p;
	int line = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	for (p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static size_t
count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* ---- compile and evaluate ---- */

static void
test_compile(void)
{
	struct fixture w;
	struct fwset *fw;
	const int l0 = line_of(p_small, "open a -> b"), l1 = line_of(p_small, "open a, c");
	const struct {
		const char *src, *dst;
		uint8_t     proto;
		uint16_t    lo, hi;
		int         line;
	} want[] = {
		{ "a", "b", RP_PROTO_TCP, 443, 443, l0 },
		{ "a", "b", RP_PROTO_TCP, 8000, 8002, l0 },
		{ "a", "c", RP_PROTO_TCP, 443, 443, l0 },
		{ "a", "c", RP_PROTO_TCP, 8000, 8002, l0 },
		{ "a", "b", RP_PROTO_UDP, 53, 53, l1 },
		{ "c", "b", RP_PROTO_UDP, 53, 53, l1 },
	};
	size_t i, k;

	world_small(&w);
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	/* One accept per (open rule, source, destination, span); the closed
	 * rule adds nothing, the policy already drops. */
	CU_ASSERT_EQUAL(fw_nrules(fw), 6);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t found = 0;
		for (k = 0; k < fw_nrules(fw); k++) {
			const struct fw_rule *r = fw_rule_at(fw, k);
			if (r->src == fixture_ep(&w, want[i].src) && r->dst == fixture_ep(&w, want[i].dst) &&
			    r->proto == want[i].proto && r->lo == want[i].lo && r->hi == want[i].hi) {
				found++;
				CU_ASSERT_EQUAL(r->act, FW_ACCEPT);
				CU_ASSERT_EQUAL(r->line, want[i].line);
			}
		}
		CU_ASSERT_EQUAL(found, 1);
	}
	CU_ASSERT_PTR_NULL(fw_rule_at(fw, fw_nrules(fw)));
	fw_free(fw);
	fixture_close(&w);
}

static void
test_eval_compiled(void)
{
	struct fixture w;
	struct fwset *fw;
	size_t a, b, c;

	world_small(&w);
	a = fixture_ep(&w, "a"), b = fixture_ep(&w, "b"), c = fixture_ep(&w, "c");
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 443), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 8000), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_eval(fw, a, c, RP_PROTO_TCP, 8002), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_eval(fw, c, b, RP_PROTO_UDP, 53), FW_ACCEPT);
	/* Range edges, direction, protocol, the closed rule: all policy. */
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 7999), FW_DROP);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 8003), FW_DROP);
	CU_ASSERT_EQUAL(fw_eval(fw, b, a, RP_PROTO_TCP, 443), FW_DROP);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_UDP, 443), FW_DROP);
	CU_ASSERT_EQUAL(fw_eval(fw, c, b, RP_PROTO_TCP, 443), FW_DROP);
	CU_ASSERT_EQUAL(fw_eval(fw, a, c, RP_PROTO_TCP, 22), FW_DROP);
	fw_free(fw);
	fixture_close(&w);
}

static void
test_eval_first_match(void)
{
	struct fixture w;
	struct fwset *fw, *copy;
	size_t a, b;
	struct fw_rule rst, icmp, acc;

	world_small(&w);
	a = fixture_ep(&w, "a"), b = fixture_ep(&w, "b");
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	copy = fw_clone(fw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);

	/* A reject in front shadows the accept behind it, for its port only. */
	rst = (struct fw_rule){ .src = a, .dst = b, .proto = RP_PROTO_TCP, .lo = 8001, .hi = 8001,
	    .act = FW_REJECT_RST };
	CU_ASSERT_EQUAL(fw_insert(copy, 0, &rst), 0);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 8001), FW_REJECT_RST);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 8000), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 8002), FW_ACCEPT);

	/* A catch-all at the end only gets what nothing before matched. */
	icmp = (struct fw_rule){ .src = a, .dst = b, .proto = RP_PROTO_TCP, .lo = 1, .hi = 65535,
	    .act = FW_REJECT_ICMP };
	CU_ASSERT_EQUAL(fw_insert(copy, fw_nrules(copy), &icmp), 0);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 443), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 444), FW_REJECT_ICMP);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 65535), FW_REJECT_ICMP);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_UDP, 444), FW_DROP);
	CU_ASSERT_EQUAL(fw_nrules(copy), 8);
	CU_ASSERT_NOT_EQUAL(fw_insert(copy, fw_nrules(copy) + 1, &icmp), 0);

	/* Replacing the front rule changes its verdict in place. */
	acc = rst;
	acc.act = FW_ACCEPT;
	acc.lo = acc.hi = 9000;
	fw_replace(copy, 0, &acc);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 9000), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_eval(copy, a, b, RP_PROTO_TCP, 8001), FW_ACCEPT);

	/* The clone was a copy: the original is untouched. */
	CU_ASSERT_EQUAL(fw_nrules(fw), 6);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 444), FW_DROP);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 9000), FW_DROP);
	fw_swap(fw, copy);
	CU_ASSERT_EQUAL(fw_nrules(fw), 8);
	CU_ASSERT_EQUAL(fw_eval(fw, a, b, RP_PROTO_TCP, 9000), FW_ACCEPT);
	CU_ASSERT_EQUAL(fw_nrules(copy), 6);
	fw_free(copy);
	fw_free(fw);
	fixture_close(&w);
}

static void
test_compiled_conforms(void)
{
	struct fixture w;
	struct fwset *fw;
	uint32_t i, wrong = 0;

	/* Without planted mistakes the compiled set is the profile: every
	 * planned probe meets its expectation. */
	world_shipped(&w);
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	/* 19 open probes, but 8865-8867 is one span: 3 + 2 x 5 + 1 + 1 rules. */
	CU_ASSERT_EQUAL(fw_nrules(fw), 15);
	for (i = 0; i < plan_nprobes(w.pl); i++) {
		const struct probe *p = plan_probe(w.pl, i);
		wrong += (fw_eval(fw, p->src, p->dst, p->proto, p->port) == FW_ACCEPT) != p->expect_open;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	fw_free(fw);
	fixture_close(&w);
}

/* ---- emit ---- */

static char *
emit(const struct fwset *fw, const struct plan *pl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fw_emit(fw, pl, f);
	fclose(f);
	return buf;
}

static void
test_emit(void)
{
	struct fixture w;
	struct fwset *fw;
	struct fw_rule planted;
	char *out, comment[64];

	world_small(&w);
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	out = emit(fw, w.pl);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "table inet ruleproof {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "chain forward {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "type filter hook forward priority filter; policy drop;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp dport 443 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip saddr 198.18.0.1 ip daddr 198.18.0.3 tcp dport 8000-8002 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip saddr 198.18.0.3 ip daddr 198.18.0.2 udp dport 53 accept"));
	snprintf(comment, sizeof(comment), "comment \"a -> b, t.profile:%d\"",
	    line_of(p_small, "open a -> b"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, comment));
	CU_ASSERT_EQUAL(count_str(out, "dport "), 6);
	CU_ASSERT_PTR_NULL(strstr(out, "dport 22"));
	CU_ASSERT_EQUAL(count_str(out, "{"), count_str(out, "}"));
	free(out);

	/* A planted reject is emitted as nft's reject, and says it was planted. */
	planted = (struct fw_rule){ .src = fixture_ep(&w, "c"), .dst = fixture_ep(&w, "b"), .proto = RP_PROTO_TCP,
	    .lo = 25, .hi = 25, .act = FW_REJECT_RST };
	CU_ASSERT_EQUAL_FATAL(fw_insert(fw, 0, &planted), 0);
	out = emit(fw, w.pl);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "ip saddr 198.18.0.3 ip daddr 198.18.0.2 tcp dport 25 reject with tcp reset"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "c -> b, planted"));
	CU_ASSERT_EQUAL(count_str(out, "dport "), 7);
	/* First match: the planted rule must come before the accepts. */
	CU_ASSERT(strstr(out, "dport 25") < strstr(out, "dport 443"));
	free(out);
	fw_free(fw);
	fixture_close(&w);
}

/* ---- drift ---- */

/* Runs fw_drift on a fresh compiled set; returns the planted text and hands
 * back the drifted set. */
static char *
drift(const struct fixture *w, uint64_t seed, unsigned n, int *rc, struct fwset **out)
{
	struct fwset *fw = fw_compile(w->pl);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	*rc = fw_drift(fw, w->pl, n, seed, f);
	fclose(f);
	if (out)
		*out = fw;
	else
		fw_free(fw);
	return buf;
}

static bool
same_rules(const struct fwset *a, const struct fwset *b)
{
	size_t i;

	if (fw_nrules(a) != fw_nrules(b))
		return false;
	for (i = 0; i < fw_nrules(a); i++) {
		const struct fw_rule *x = fw_rule_at(a, i), *y = fw_rule_at(b, i);
		if (x->src != y->src || x->dst != y->dst || x->proto != y->proto ||
		    x->lo != y->lo || x->hi != y->hi || x->act != y->act || x->line != y->line)
			return false;
	}
	return true;
}

static void
test_drift_deterministic(void)
{
	struct fixture w;
	struct fwset *f1, *f2;
	char *t1, *t2, *t3;
	int rc1, rc2, rc3;

	world_shipped(&w);
	t1 = drift(&w, 7, 3, &rc1, &f1);
	t2 = drift(&w, 7, 3, &rc2, &f2);
	CU_ASSERT_EQUAL(rc1, 3);
	CU_ASSERT_EQUAL(rc2, 3);
	CU_ASSERT_STRING_EQUAL(t1, t2);
	CU_ASSERT_TRUE(same_rules(f1, f2));
	/* Another seed plants other mistakes. */
	t3 = drift(&w, 8, 3, &rc3, NULL);
	CU_ASSERT_EQUAL(rc3, 3);
	CU_ASSERT_STRING_NOT_EQUAL(t1, t3);
	free(t1);
	free(t2);
	free(t3);
	fw_free(f1);
	fw_free(f2);
	fixture_close(&w);
}

static void
test_drift_seeds_differ(void)
{
	enum { NSEEDS = 50 };
	struct fixture w;
	char *t[NSEEDS];
	size_t i, j, same = 0;
	int rc;

	world_shipped(&w);
	for (i = 0; i < NSEEDS; i++)
		t[i] = drift(&w, i + 1, 3, &rc, NULL);
	/* Three mistakes out of hundreds of candidates: two seeds picking
	 * the same three in the same order would be a broken generator. */
	for (i = 0; i < NSEEDS; i++)
		for (j = i + 1; j < NSEEDS; j++)
			same += strcmp(t[i], t[j]) == 0;
	CU_ASSERT_EQUAL(same, 0);
	for (i = 0; i < NSEEDS; i++)
		free(t[i]);
	fixture_close(&w);
}

/* The probe of a planted "flow" line not listed yet, or NULL.  A flow to
 * an endpoint with several addresses is one line per address (probe). */
static const struct probe *
flow_probe(const struct fixture *w, const char *src, const char *dst, const char *proto,
    unsigned port, const bool *marked)
{
	long s = profile_find_endpoint(w->pf, src), d = profile_find_endpoint(w->pf, dst);
	uint8_t pr = strcmp(proto, "udp") == 0 ? RP_PROTO_UDP : RP_PROTO_TCP;
	uint32_t i;

	for (i = 0; i < plan_nprobes(w->pl); i++) {
		const struct probe *p = plan_probe(w->pl, i);
		if ((long)p->src == s && (long)p->dst == d && p->proto == pr && p->port == port &&
		    !marked[p->id])
			return p;
	}
	return NULL;
}

/* Checks one seed's planted text against the drifted set; returns the
 * number of problems found (each is also a CUnit failure). */
static unsigned
check_planted(const struct fixture *w, const struct fwset *fw, const char *text, bool *marked)
{
	unsigned bad = 0, drifts = 0, flows_in_drift = 0, lines_ok = 1;
	const char *line = text;
	char one[512];

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char src[64], dst[64], proto[8], expect[16], act[32];
		unsigned port, k;
		const struct probe *p;

		snprintf(one, sizeof(one), "%.*s", (int)n, line);
		line += n + (nl != NULL);
		if (sscanf(one, "drift %u:", &k) == 1) {
			/* Every deviation must change at least one probe. */
			if (drifts > 0 && flows_in_drift == 0)
				bad++;
			if (k != ++drifts)
				bad++;
			flows_in_drift = 0;
			continue;
		}
		if (sscanf(one, "flow %63s %63s %7s %u expect=%15s fw=%31s", src, dst, proto, &port,
		    expect, act) != 6) {
			fprintf(stderr, "\nunexpected planted line: %s\n", one);
			lines_ok = 0;
			continue;
		}
		flows_in_drift++;
		p = flow_probe(w, src, dst, proto, port, marked);
		if (!p) {
			fprintf(stderr, "\nplanted flow is no probe (or one listed too often): %s\n", one);
			bad++;
			continue;
		}
		{
			enum fw_action a = fw_eval(fw, p->src, p->dst, p->proto, p->port);
			if (strcmp(expect, p->expect_open ? "open" : "closed") != 0 ||
			    (a == FW_ACCEPT) == p->expect_open || strcmp(act, fw_action_name(a)) != 0) {
				fprintf(stderr, "\nplanted flow not drifted: %s (fw now %s)\n", one,
				    fw_action_name(a));
				bad++;
			}
		}
		marked[p->id] = true;
	}
	if (drifts == 0 || flows_in_drift == 0)
		bad++;
	CU_ASSERT_TRUE(lines_ok);
	return bad + !lines_ok;
}

/* For each seed, the planted flows must be exactly the probes whose outcome
 * the drifted firewall now gets wrong: none missing, none extra.  Returns
 * the number of seeds for which that fails. */
static unsigned
check_drift_seeds(const struct fixture *w, uint64_t first, uint64_t last, unsigned n)
{
	unsigned bad_seeds = 0;
	uint64_t seed;

	for (seed = first; seed <= last; seed++) {
		struct fwset *fw;
		int rc;
		char *text = drift(w, seed, n, &rc, &fw);
		bool *marked = calloc(plan_nprobes(w->pl), sizeof(bool));
		unsigned bad;
		uint32_t i;

		CU_ASSERT_PTR_NOT_NULL_FATAL(marked);
		CU_ASSERT_EQUAL(rc, (int)n);
		bad = check_planted(w, fw, text, marked);
		for (i = 0; i < plan_nprobes(w->pl); i++) {
			const struct probe *p = plan_probe(w->pl, i);
			bool wrong = (fw_eval(fw, p->src, p->dst, p->proto, p->port) == FW_ACCEPT) !=
			    p->expect_open;
			if (wrong != marked[i]) {
				fprintf(stderr, "\nseed %llu: probe %u %s but %s\n",
				    (unsigned long long)seed, i, wrong ? "drifted" : "listed",
				    wrong ? "not listed" : "not drifted");
				bad++;
			}
		}
		bad_seeds += bad != 0;
		free(marked);
		free(text);
		fw_free(fw);
	}
	return bad_seeds;
}

static void
test_drift_planted_exact(void)
{
	struct fixture w;

	world_shipped(&w);
	CU_ASSERT_EQUAL(check_drift_seeds(&w, 1, 50, 3), 0);
	fixture_close(&w);
}

static void
test_drift_many(void)
{
	struct fixture w;

	/* Many deviations per seed make later ones likely to collide with
	 * earlier ones (a rule moved twice, a widened rule moved): each must
	 * still be visible on its own and the listing must stay exact. */
	world_shipped(&w);
	CU_ASSERT_EQUAL(check_drift_seeds(&w, 1, 30, 12), 0);
	fixture_close(&w);
}

static void
test_drift_too_few_candidates(void)
{
	static const char text[] =
	    "profile \"T\"\n"
	    "zone a\n"
	    "role b\n"
	    "open a -> b : tcp/443\n";
	static const char site[] = "site \"T\"\nhost a 198.18.0.1\nhost b 198.18.0.2\n";
	struct fixture w;
	char err[256];
	struct fwset *fw;
	char *out;
	int rc;

	/* One probe (open): block it, and nothing else can be changed without
	 * touching it again, so one deviation at most, not an endless loop. */
	memset(&w, 0, sizeof(w));
	w.pf = profile_parse("t.profile", text, strlen(text), stderr, NULL);
	w.st = site_parse("t.site", site, strlen(site), stderr, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.st);
	w.pl = plan_build(w.pf, w.st, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	CU_ASSERT_EQUAL_FATAL(plan_nprobes(w.pl), 1);
	out = drift(&w, 1, 5, &rc, &fw);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_EQUAL(count_str(out, "drift "), 1);
	CU_ASSERT_EQUAL(count_str(out, "flow a b tcp 443 expect=open"), 1);
	CU_ASSERT_NOT_EQUAL(fw_eval(fw, fixture_ep(&w, "a"), fixture_ep(&w, "b"), RP_PROTO_TCP, 443), FW_ACCEPT);
	free(out);
	fw_free(fw);
	fixture_close(&w);
}

/* ---- several addresses, IPv6 ---- */

static const char p_multi[] =
    "profile \"Multi\"\n"
    "zone a\n"
    "role b\n"
    "fqdn c.example.com = 198.51.100.1\n"
    "block blk = 17.0.0.0/8 sample 3\n"
    "open a -> b, c.example.com, blk : tcp/443 tls, udp/53\n"
    "open b -> a : tcp/22\n"
    "default closed\n";

static const char s_multi[] =
    "site \"T\"\n"
    "host a 198.18.0.1, 2001:db8::1\n"
    "host b 198.18.0.2, 198.18.0.3, 2001:db8::2\n"
    "host c.example.com 198.18.0.4\n"
    "host blk 198.18.64.0/24\n";

static void
test_emit_sets_and_ip6(void)
{
	struct fixture w;
	struct fwset *fw;
	char *out;

	world_from(&w, p_multi, s_multi);
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	out = emit(fw, w.pl);
	/* one nft rule per family both ends have; several addresses as a set */
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "ip saddr 198.18.0.1 ip daddr { 198.18.0.2, 198.18.0.3 } tcp dport 443 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 tcp dport 443 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 udp dport 53 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "ip saddr 198.18.0.1 ip daddr { 198.18.64.1, 198.18.64.127, 198.18.64.254 } udp dport 53 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip saddr 198.18.0.1 ip daddr 198.18.0.4 tcp dport 443 accept"));
	CU_ASSERT_PTR_NULL(strstr(out, "ip6 saddr 2001:db8::1 ip6 daddr 198"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "ip saddr { 198.18.0.2, 198.18.0.3 } ip daddr 198.18.0.1 tcp dport 22 accept"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ip6 saddr 2001:db8::2 ip6 daddr 2001:db8::1 tcp dport 22 accept"));
	/* a -> b (2 families) x 2 spans, c and blk x 2 spans, b -> a x 2 */
	CU_ASSERT_EQUAL(count_str(out, "dport "), 4 + 4 + 2);
	free(out);
	fw_free(fw);
	fixture_close(&w);
}

static void
test_multi_conforms_and_drifts(void)
{
	struct fixture w;
	struct fwset *fw;
	uint32_t i, wrong = 0;

	/* the compiled set meets every probe, at every address; and for any
	 * seed the planted flows are exactly the probes whose outcome changed
	 * (one line per probe, so an address counts once per probe) */
	world_from(&w, p_multi, s_multi);
	fw = fw_compile(w.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	for (i = 0; i < plan_nprobes(w.pl); i++) {
		const struct probe *p = plan_probe(w.pl, i);

		wrong += (fw_eval(fw, p->src, p->dst, p->proto, p->port) == FW_ACCEPT) != p->expect_open;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	fw_free(fw);
	CU_ASSERT_EQUAL(check_drift_seeds(&w, 1, 40, 3), 0);
	fixture_close(&w);
}

int
register_nftgen_tests(void)
{
	CU_pSuite s = CU_add_suite("nftgen", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "compile", test_compile) ||
	    !CU_add_test(s, "eval of the compiled set", test_eval_compiled) ||
	    !CU_add_test(s, "eval is first match", test_eval_first_match) ||
	    !CU_add_test(s, "compiled set conforms", test_compiled_conforms) ||
	    !CU_add_test(s, "emit", test_emit) ||
	    !CU_add_test(s, "drift is deterministic", test_drift_deterministic) ||
	    !CU_add_test(s, "drift seeds differ", test_drift_seeds_differ) ||
	    !CU_add_test(s, "drift: planted = deviations (seeds 1..50)", test_drift_planted_exact) ||
	    !CU_add_test(s, "drift: 12 deviations (seeds 1..30)", test_drift_many) ||
	    !CU_add_test(s, "drift with too few candidates", test_drift_too_few_candidates) ||
	    !CU_add_test(s, "emit: address sets and ip6", test_emit_sets_and_ip6) ||
	    !CU_add_test(s, "several addresses: conforms, drift exact", test_multi_conforms_and_drifts))
		return -1;
	return 0;
}
