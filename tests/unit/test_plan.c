/* Unit tests for plan expansion (plan.h): which probes a profile and a site
 * give, and with which expectation.  Expected probe sets are worked out by
 * hand from the policy in plan.h, not from the implementation. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "lib/keyset.h"
#include "profile/parse.h"
#include "plan/plan.h"
#include "profile/profile.h"
#include "profile/site.h"
#include "suites.h"

static uint32_t
count_flow(const struct fixture *w, const char *src, const char *dst, uint8_t proto, uint16_t port)
{
	size_t s = fixture_ep(w, src), d = fixture_ep(w, dst);
	uint32_t i, n = 0;

	for (i = 0; i < plan_nprobes(w->pl); i++) {
		const struct probe *p = plan_probe(w->pl, i);
		n += p->src == s && p->dst == d && p->proto == proto && p->port == port;
	}
	return n;
}

/* The probe of a flow, or NULL. */
static const struct probe *
find(const struct fixture *w, const char *src, const char *dst, uint8_t proto, uint16_t port)
{
	size_t s = fixture_ep(w, src), d = fixture_ep(w, dst);
	uint32_t i;

	for (i = 0; i < plan_nprobes(w->pl); i++) {
		const struct probe *p = plan_probe(w->pl, i);
		if (p->src == s && p->dst == d && p->proto == proto && p->port == port)
			return p;
	}
	return NULL;
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

static uint32_t
count_expect(const struct fixture *w, bool open)
{
	uint32_t i, n = 0;

	for (i = 0; i < plan_nprobes(w->pl); i++)
		n += plan_probe(w->pl, i)->expect_open == open;
	return n;
}

static uint32_t
count_rule(const struct fixture *w, uint32_t rule)
{
	uint32_t i, n = 0;

	for (i = 0; i < plan_nprobes(w->pl); i++)
		n += plan_probe(w->pl, i)->rule == rule;
	return n;
}

/* ---- rule expansion ---- */

static const char p_open[] =
    "profile \"T\"\n"
    "zone a \"A\"\n"
    "role b \"B\"\n"
    "role c \"C\"\n"
    "service web = tcp/443, 8865-8867\n"
    "open a -> b, c : web, tcp/1433\n";

static const char s_abc[] =
    "site \"T\"\n"
    "host a 198.18.0.1\n"
    "host b 198.18.0.2\n"
    "host c 198.18.0.3\n";

static void
test_open_expansion(void)
{
	static const uint16_t ports[] = { 443, 8865, 8866, 8867, 1433 };
	static const uint16_t not_ports[] = { 442, 444, 8864, 8868, 1432, 1434 };
	static const char *const dsts[] = { "b", "c" };
	struct fixture w;
	char buf[ADDR_STRLEN];
	size_t d, k;
	uint32_t i;

	fixture_parse(&w, "t.profile", p_open, "t.site", s_abc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	/* 2 pairs x (443 + three ports of the range + 1433). */
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 10);
	for (d = 0; d < 2; d++) {
		for (k = 0; k < sizeof(ports) / sizeof(ports[0]); k++) {
			const struct probe *p = find(&w, "a", dsts[d], RP_PROTO_TCP, ports[k]);
			CU_ASSERT_EQUAL(count_flow(&w, "a", dsts[d], RP_PROTO_TCP, ports[k]), 1);
			CU_ASSERT_PTR_NOT_NULL_FATAL(p);
			CU_ASSERT_TRUE(p->expect_open);
			CU_ASSERT_EQUAL(p->rule, 0);
			CU_ASSERT_EQUAL(plan_probe_line(w.pl, p), line_of(p_open, "open a"));
		}
		/* Without `default closed` nothing beyond the rule is probed. */
		for (k = 0; k < sizeof(not_ports) / sizeof(not_ports[0]); k++)
			CU_ASSERT_EQUAL(count_flow(&w, "a", dsts[d], RP_PROTO_TCP, not_ports[k]), 0);
	}
	/* Ids are dense indexes. */
	for (i = 0; i < plan_nprobes(w.pl); i++)
		CU_ASSERT_EQUAL(plan_probe(w.pl, i)->id, i);
	CU_ASSERT_PTR_NULL(plan_probe(w.pl, plan_nprobes(w.pl)));
	CU_ASSERT_PTR_NULL(plan_probe(w.pl, UINT32_MAX));
	CU_ASSERT_STRING_EQUAL(addr_fmt(plan_addr(w.pl, fixture_ep(&w, "c")), buf), "198.18.0.3");
	CU_ASSERT_PTR_EQUAL(plan_profile(w.pl), w.pf);
	fixture_close(&w);
}

static const char p_overlap[] =
    "profile \"T\"\n"
    "zone a\n"
    "role b\n"
    "role c\n"
    "open a -> b : tcp/443\n"
    "open a, c -> b : tcp/443, tcp/80\n"
    "closed a -> c : tcp/22\n"
    "open a -> b : udp/443\n";

static void
test_flow_probed_once(void)
{
	struct fixture w;
	const struct probe *p;

	fixture_parse(&w, "t.profile", p_overlap, "t.site", s_abc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	/* a->b tcp/443 is named twice but probed once, by the first rule. */
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 6);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_TCP, 443), 1);
	p = find(&w, "a", "b", RP_PROTO_TCP, 443);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->rule, 0);
	CU_ASSERT_EQUAL(plan_probe_line(w.pl, p), line_of(p_overlap, "open a -> b : tcp/443"));

	p = find(&w, "c", "b", RP_PROTO_TCP, 80);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->rule, 1);
	CU_ASSERT_EQUAL(plan_probe_line(w.pl, p), line_of(p_overlap, "open a, c"));
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_TCP, 80), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "c", "b", RP_PROTO_TCP, 443), 1);

	/* A closed rule gives a probe expected closed. */
	p = find(&w, "a", "c", RP_PROTO_TCP, 22);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->expect_open);
	CU_ASSERT_EQUAL(p->rule, 2);
	CU_ASSERT_EQUAL(plan_probe_line(w.pl, p), line_of(p_overlap, "closed"));

	/* The same port number over UDP is another flow. */
	p = find(&w, "a", "b", RP_PROTO_UDP, 443);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->rule, 3);
	CU_ASSERT_EQUAL(count_expect(&w, true), 5);
	fixture_close(&w);
}

/* ---- negative probes of `default closed` ---- */

#define P_NEG_RULES \
    "profile \"T\"\n" \
    "zone src \"S\"\n" \
    "role web \"W\"\n" \
    "role db \"D\"\n" \
    "role idle \"bound, in no rule\"\n" \
    "role unbound \"in no rule, not in the site\"\n" \
    "open src -> web : tcp/443, 8000-8002\n" \
    "open web -> db : tcp/1433\n" \
    "closed src -> db : tcp/22\n"

static const char p_neg[] = P_NEG_RULES "default closed\n";
static const char p_neg_nodefault[] = P_NEG_RULES;

static const char s_neg[] =
    "site \"T\"\n"
    "host src 198.18.1.1\n"
    "host web 198.18.1.2\n"
    "host db 198.18.1.3\n"
    "host idle 198.18.1.4\n";

/* The port universe of p_neg by hand: the named ports, single ports' p±1,
 * the range's outer neighbours 7999 and 8003. */
static const uint16_t neg_universe[] = {
	21, 22, 23, 442, 443, 444, 1432, 1433, 1434, 7999, 8000, 8001, 8002, 8003,
};

static bool
in_neg_universe(uint16_t port)
{
	size_t i;

	for (i = 0; i < sizeof(neg_universe) / sizeof(neg_universe[0]); i++)
		if (neg_universe[i] == port)
			return true;
	return false;
}

static void
test_negative_policy(void)
{
	/* Ordered pairs of distinct bound endpoints whose destination is a
	 * rule's destination (web, db); idle sends but never receives, and
	 * unbound has no host at all. */
	static const char *const pairs[][2] = {
		{ "src", "web" }, { "db", "web" }, { "idle", "web" },
		{ "src", "db" }, { "web", "db" }, { "idle", "db" },
	};
	const size_t nuni = sizeof(neg_universe) / sizeof(neg_universe[0]);
	struct fixture w;
	const struct probe *p;
	size_t i, k, missing = 0, outside = 0;

	fixture_parse(&w, "t.profile", p_neg, "t.site", s_neg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	/* 6 pairs x 14 ports, each flow exactly once. */
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 6 * 14);
	for (i = 0; i < 6; i++)
		for (k = 0; k < nuni; k++)
			missing += count_flow(&w, pairs[i][0], pairs[i][1], RP_PROTO_TCP,
			    neg_universe[k]) != 1;
	CU_ASSERT_EQUAL(missing, 0);
	for (i = 0; i < plan_nprobes(w.pl); i++) {
		p = plan_probe(w.pl, i);
		outside += !in_neg_universe(p->port) || p->proto != RP_PROTO_TCP ||
		    p->src == p->dst || p->dst == fixture_ep(&w, "src") || p->dst == fixture_ep(&w, "idle") ||
		    p->src == fixture_ep(&w, "unbound") || p->dst == fixture_ep(&w, "unbound");
	}
	CU_ASSERT_EQUAL(outside, 0);

	/* What the open rules allow for a pair is not a negative probe. */
	CU_ASSERT_EQUAL(count_expect(&w, true), 5);
	CU_ASSERT_EQUAL(count_rule(&w, PLAN_RULE_DEFAULT), 6 * 14 - 5 - 1);
	p = find(&w, "src", "web", RP_PROTO_TCP, 8001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(p->expect_open);
	CU_ASSERT_EQUAL(p->rule, 0);

	/* The right port from the wrong source. */
	p = find(&w, "db", "web", RP_PROTO_TCP, 443);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->expect_open);
	CU_ASSERT_EQUAL(p->rule, PLAN_RULE_DEFAULT);
	CU_ASSERT_EQUAL(plan_probe_line(w.pl, p), line_of(p_neg, "default closed"));

	/* A rule widened by one port. */
	p = find(&w, "src", "web", RP_PROTO_TCP, 8003);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->expect_open);
	p = find(&w, "web", "db", RP_PROTO_TCP, 1434);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->expect_open);

	/* A port named for another pair is closed here. */
	p = find(&w, "src", "db", RP_PROTO_TCP, 1433);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->expect_open);
	CU_ASSERT_EQUAL(p->rule, PLAN_RULE_DEFAULT);

	/* The closed rule keeps its own flow (and line). */
	p = find(&w, "src", "db", RP_PROTO_TCP, 22);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->rule, 2);
	CU_ASSERT_EQUAL(plan_probe_line(w.pl, p), line_of(p_neg, "closed src"));

	/* Not beyond the universe: a rule's inner gap or p±2. */
	CU_ASSERT_EQUAL(count_flow(&w, "src", "web", RP_PROTO_TCP, 8004), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "src", "web", RP_PROTO_TCP, 441), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "src", "web", RP_PROTO_UDP, 443), 0);
	fixture_close(&w);
}

static void
test_no_default_closed(void)
{
	struct fixture w;

	fixture_parse(&w, "t.profile", p_neg_nodefault, "t.site", s_neg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	/* 4 + 1 open, 1 closed: the rules' own flows, nothing more. */
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 6);
	CU_ASSERT_EQUAL(count_expect(&w, true), 5);
	CU_ASSERT_EQUAL(count_rule(&w, PLAN_RULE_DEFAULT), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "src", "web", RP_PROTO_TCP, 444), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "db", "web", RP_PROTO_TCP, 443), 0);
	fixture_close(&w);
}

static void
test_universe_clipped(void)
{
	static const char text[] =
	    "profile \"T\"\n"
	    "zone a\n"
	    "role b\n"
	    "open a -> b : tcp/1, tcp/65535, udp/65530-65535\n"
	    "default closed\n";
	static const char site[] = "site \"T\"\nhost a 198.18.0.1\nhost b 198.18.0.2\n";
	struct fixture w;
	uint32_t i, zero = 0;

	fixture_parse(&w, "t.profile", text, "t.site", site);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	/* tcp {1, 2, 65534, 65535} and udp {65529..65535}: port 0 and 65536
	 * do not exist; only a -> b qualifies (a is no destination). */
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 11);
	for (i = 0; i < plan_nprobes(w.pl); i++)
		zero += plan_probe(w.pl, i)->port == 0;
	CU_ASSERT_EQUAL(zero, 0);
	CU_ASSERT_EQUAL(count_expect(&w, true), 8);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_TCP, 2), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_TCP, 65534), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_UDP, 65529), 1);
	/* Neighbours belong to their own protocol. */
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_UDP, 2), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_TCP, 65529), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "b", "a", RP_PROTO_TCP, 1), 0);
	fixture_close(&w);
}

/* ---- agents and errors ---- */

static void
check_list(const struct fixture *w, bool senders, const char *const *names, size_t n)
{
	size_t i, got = senders ? plan_nsenders(w->pl) : plan_nreceivers(w->pl);

	CU_ASSERT_EQUAL_FATAL(got, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(senders ? plan_sender(w->pl, i) : plan_receiver(w->pl, i),
		    fixture_ep(w, names[i]));
}

static void
test_agents(void)
{
	static const char *const all_send[] = { "src", "web", "db", "idle" };
	static const char *const rule_send[] = { "src", "web" };
	static const char *const recv[] = { "web", "db" };
	struct fixture w;

	/* With negative probes every bound endpoint sends. */
	fixture_parse(&w, "t.profile", p_neg, "t.site", s_neg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	check_list(&w, true, all_send, 4);
	check_list(&w, false, recv, 2);
	fixture_close(&w);

	fixture_parse(&w, "t.profile", p_neg_nodefault, "t.site", s_neg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	check_list(&w, true, rule_send, 2);
	check_list(&w, false, recv, 2);
	fixture_close(&w);
}

static void
test_missing_host(void)
{
	static const char no_db[] =
	    "site \"T\"\n"
	    "host src 198.18.1.1\n"
	    "host web 198.18.1.2\n";
	static const char no_src[] =
	    "site \"T\"\n"
	    "host web 198.18.1.2\n"
	    "host db 198.18.1.3\n";
	struct fixture w;

	fixture_parse(&w, "t.profile", p_neg, "t.site", no_db);
	CU_ASSERT_PTR_NULL(w.pl);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.err, "'db'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w.err, "no host"));
	fixture_close(&w);

	/* The missing end is named, whichever end it is. */
	fixture_parse(&w, "t.profile", p_neg, "t.site", no_src);
	CU_ASSERT_PTR_NULL(w.pl);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.err, "'src'"));
	CU_ASSERT_PTR_NULL(strstr(w.err, "'web'"));
	fixture_close(&w);
}

/* ---- several addresses, families, TLS ---- */

static const char p_multi[] =
    "profile \"M\"\n"
    "zone dev\n"
    "role srv\n"
    "fqdn two.example.com = 52.0.0.1, 52.0.0.2\n"
    "block blk = 17.0.0.0/8 sample 3\n"
    "fqdn six.example.com\n"
    "service https = tcp/443 tls\n"
    "open dev -> two.example.com, blk : https, tcp/80\n"
    "open dev -> srv : tcp/8443 tls sni \"cp.example.com\", tcp/443 tls\n"
    "open dev -> six.example.com : https\n"
    "default closed\n";

static const char s_multi[] =
    "site \"M\"\n"
    "host dev 198.18.1.1, 2001:db8::1\n"
    "host srv 198.18.1.2 fqdn \"srv.example.com\"\n"
    "host two.example.com 198.18.2.1, 198.18.2.2\n"
    "host blk 198.18.64.0/24\n"
    "host six.example.com 2001:db8::6\n";

/* The probe of a flow to one address of the destination, or NULL. */
static const struct probe *
find_at(const struct fixture *w, const char *src, const char *dst, size_t addr, uint16_t port)
{
	size_t s = fixture_ep(w, src), d = fixture_ep(w, dst);
	uint32_t i;

	for (i = 0; i < plan_nprobes(w->pl); i++) {
		const struct probe *p = plan_probe(w->pl, i);

		if (p->src == s && p->dst == d && p->dst_addr == addr && p->proto == RP_PROTO_TCP &&
		    p->port == port)
			return p;
	}
	return NULL;
}

static void
test_several_addresses(void)
{
	struct fixture w;
	const struct probe *p;
	char a[ADDR_STRLEN];
	size_t k;

	fixture_parse(&w, "t.profile", p_multi, "t.site", s_multi);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	CU_ASSERT_EQUAL(plan_naddrs(w.pl, fixture_ep(&w, "two.example.com")), 2);
	CU_ASSERT_EQUAL(plan_naddrs(w.pl, fixture_ep(&w, "blk")), 3);
	CU_ASSERT_STRING_EQUAL(addr_fmt(plan_addr_at(w.pl, fixture_ep(&w, "blk"), 1), a), "198.18.64.127");
	/* every flow once per address of the destination */
	for (k = 0; k < 2; k++) {
		p = find_at(&w, "dev", "two.example.com", k, 443);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_TRUE(p->expect_open);
		CU_ASSERT_STRING_EQUAL(addr_fmt(plan_probe_dst(w.pl, p), a), k ? "198.18.2.2" : "198.18.2.1");
		CU_ASSERT_STRING_EQUAL(addr_fmt(plan_probe_src(w.pl, p), a), "198.18.1.1");
		CU_ASSERT_PTR_NOT_NULL(find_at(&w, "dev", "two.example.com", k, 444));
	}
	for (k = 0; k < 3; k++)
		CU_ASSERT_PTR_NOT_NULL(find_at(&w, "dev", "blk", k, 80));
	CU_ASSERT_PTR_NULL(find_at(&w, "dev", "blk", 3, 80));
	/* an IPv6 destination is probed from the source's IPv6 address */
	p = find_at(&w, "dev", "six.example.com", 0, 443);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(addr_fmt(plan_probe_src(w.pl, p), a), "2001:db8::1");
	fixture_close(&w);
}

static void
test_tls_and_sni(void)
{
	struct fixture w;
	const struct probe *p;

	fixture_parse(&w, "t.profile", p_multi, "t.site", s_multi);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	p = find_at(&w, "dev", "two.example.com", 1, 443);
	CU_ASSERT_TRUE(p->tls);
	CU_ASSERT_STRING_EQUAL(plan_probe_sni(w.pl, p), "two.example.com");
	p = find_at(&w, "dev", "two.example.com", 0, 80);
	CU_ASSERT_FALSE(p->tls);
	CU_ASSERT_PTR_NULL(plan_probe_sni(w.pl, p));
	/* a block has no name: TLS without SNI */
	p = find_at(&w, "dev", "blk", 0, 443);
	CU_ASSERT_TRUE(p->tls);
	CU_ASSERT_PTR_NULL(plan_probe_sni(w.pl, p));
	/* the rule's sni, else the site's fqdn for a role */
	CU_ASSERT_STRING_EQUAL(plan_probe_sni(w.pl, find_at(&w, "dev", "srv", 0, 8443)), "cp.example.com");
	CU_ASSERT_STRING_EQUAL(plan_probe_sni(w.pl, find_at(&w, "dev", "srv", 0, 443)), "srv.example.com");
	CU_ASSERT_STRING_EQUAL(plan_endpoint_fqdn(w.pl, fixture_ep(&w, "srv")), "srv.example.com");
	CU_ASSERT_PTR_NULL(plan_endpoint_fqdn(w.pl, fixture_ep(&w, "dev")));
	/* negative probes are plain */
	p = find_at(&w, "dev", "srv", 0, 444);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->tls);
	CU_ASSERT_EQUAL(p->rule, PLAN_RULE_DEFAULT);
	CU_ASSERT_STRING_EQUAL(plan_probe_file(w.pl, p), "t.profile");
	fixture_close(&w);
}

static void
test_negative_senders(void)
{
	struct fixture w;
	uint32_t i, from_fqdn = 0, cross = 0;

	/* fqdns and blocks receive negative probes but never send them, and
	 * no probe crosses address families */
	fixture_parse(&w, "t.profile", p_multi, "t.site", s_multi);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	for (i = 0; i < plan_nprobes(w.pl); i++) {
		const struct probe *p = plan_probe(w.pl, i);

		from_fqdn += profile_endpoint(w.pf, p->src)->kind >= EP_FQDN;
		cross += plan_probe_src(w.pl, p)->family != plan_probe_dst(w.pl, p)->family;
	}
	CU_ASSERT_EQUAL(from_fqdn, 0);
	CU_ASSERT_EQUAL(cross, 0);
	/* srv has only IPv4: nothing from it to six.example.com */
	CU_ASSERT_EQUAL(count_flow(&w, "srv", "six.example.com", RP_PROTO_TCP, 443), 0);
	CU_ASSERT_EQUAL(count_flow(&w, "srv", "two.example.com", RP_PROTO_TCP, 443), 2);
	fixture_close(&w);
}

static void
test_family_error(void)
{
	static const char text[] =
	    "profile \"F\"\nrole a\nrole b\nopen a -> b : tcp/1\n";
	struct fixture w;

	fixture_parse(&w, "t.profile", text, "t.site",
	    "site \"F\"\nhost a 198.18.0.1\nhost b 2001:db8::2\n");
	CU_ASSERT_PTR_NULL(w.pl);
	CU_ASSERT_STRING_EQUAL(w.err,
	    "t.profile:4:1: error: 'a' has no address of a family that 'b' has (IPv6 2001:db8::2): "
	    "the rule's probes from it cannot be sent");
	fixture_close(&w);
}

/* An IPv4-only source and a dual-stack destination: the family both have
 * is probed, the other left out with a warning at the rule. */
static void
test_family_warning(void)
{
	static const char text[] =
	    "profile \"F\"\nrole a\nrole b\nrole c\nopen a -> b : tcp/1\nopen c -> b : tcp/2\n";
	struct fixture w;

	fixture_parse(&w, "t.profile", text, "t.site",
	    "site \"F\"\nhost a 198.18.0.1\nhost b 198.18.0.2, 2001:db8::2, 2001:db8::3\n"
	    "host c 198.18.0.3, 2001:db8::4\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_TCP, 1), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "c", "b", RP_PROTO_TCP, 2), 3);
	CU_ASSERT_EQUAL(plan_nwarnings(w.pl), 1);
	CU_ASSERT_STRING_EQUAL(plan_warning(w.pl, 0),
	    "t.profile:5:1: warning: 'a' has no IPv6 address: 'b' is probed from it at its IPv4 "
	    "addresses only, not at 2001:db8::2 (and more of its addresses)");
	CU_ASSERT_PTR_NULL(plan_warning(w.pl, 1));
	fixture_close(&w);
}

static void
test_default_all(void)
{
	static const char text[] =
	    "profile \"S\"\nzone a\nrole b\nopen a -> b : tcp/443 tls, udp/53\nopen b -> a : tcp/22\n"
	    "default closed all\n";
	struct fixture w;

	/* every port of each protocol named, per pair: 2 x 65535 x 2 (how fast
	 * is `make bench`'s to say, not a unit test's: under load or valgrind
	 * a time bound here failed for no fault of the code) */
	fixture_parse(&w, "t.profile", text, "t.site",
	    "site \"S\"\nhost a 198.18.0.1\nhost b 198.18.0.2\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 2 * 65535 * 2);
	CU_ASSERT_EQUAL(count_rule(&w, PLAN_RULE_DEFAULT), 2 * 65535 * 2 - 3);
	CU_ASSERT_EQUAL(count_flow(&w, "a", "b", RP_PROTO_UDP, 65535), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "b", "a", RP_PROTO_UDP, 1), 1);
	CU_ASSERT_TRUE(find(&w, "a", "b", RP_PROTO_TCP, 443)->expect_open);
	CU_ASSERT_FALSE(find(&w, "a", "b", RP_PROTO_TCP, 444)->expect_open);
	fixture_close(&w);
}

/* ---- flow keys ---- */

static void
test_keyset_keys(void)
{
	struct keyset *s = keyset_new();
	uint32_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* the destination address is part of a flow */
	CU_ASSERT_EQUAL(keyset_add_flow(s, flow_key(1, 2, 0, RP_PROTO_TCP, 443)), 1);
	CU_ASSERT_EQUAL(keyset_add_flow(s, flow_key(1, 2, 1, RP_PROTO_TCP, 443)), 1);
	CU_ASSERT_EQUAL(keyset_add_flow(s, flow_key(1, 2, 1, RP_PROTO_TCP, 443)), 0);
	CU_ASSERT_TRUE(keyset_has_flow(s, flow_key(1, 2, 0, RP_PROTO_TCP, 443)));
	CU_ASSERT_FALSE(keyset_has_flow(s, flow_key(1, 2, 2, RP_PROTO_TCP, 443)));
	CU_ASSERT_FALSE(keyset_has_flow(s, flow_key(1, 2, 0, RP_PROTO_UDP, 443)));
	CU_ASSERT_FALSE(keyset_has_flow(s, flow_key(2, 1, 0, RP_PROTO_TCP, 443)));
	/* plain keys live beside flows; growth keeps everything */
	CU_ASSERT_EQUAL(keyset_add(s, 0), 1);
	for (i = 1; i < 5000; i++)
		CU_ASSERT_EQUAL_FATAL(keyset_add(s, i), 1);
	CU_ASSERT_EQUAL(keyset_count(s), 5002);
	for (i = 0; i < 5000; i++)
		CU_ASSERT_TRUE_FATAL(keyset_has(s, i));
	CU_ASSERT_TRUE(keyset_has_flow(s, flow_key(1, 2, 1, RP_PROTO_TCP, 443)));
	CU_ASSERT_FALSE(keyset_has(s, 5000));
	keyset_free(s);
}

/* ---- the shipped profile ---- */

static void
test_shipped(void)
{
	struct fixture w;
	struct plan *again;
	uint32_t i, same = 0;
	int nerr = 0;

	memset(&w, 0, sizeof(w));
	w.pf = profile_load("profiles/assist-onprem-multi.profile", stderr, &nerr);
	w.st = site_load("profiles/lab/assist-onprem-multi.site", stderr, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.st);
	w.pl = plan_build(w.pf, w.st, w.err, sizeof(w.err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.pl);
	/* Open: devices->cp, devices->portal, uem->portal (443 each), cp and
	 * portal -> core x 7 core-app ports, core->cp 12780, core->db 1433. */
	CU_ASSERT_EQUAL(count_expect(&w, true), 3 + 14 + 1 + 1);
	CU_ASSERT_EQUAL(count_rule(&w, 3), 14);
	/* Universe: 10 named ports x 3, but 8865-8867 is one range (8864..8868,
	 * 5 ports instead of 9): 26.  Destinations cp, portal, core, db, each
	 * with 5 other sources: 20 pairs x 26 = 520 flows, of which the 19
	 * open ones are the rules' probes. */
	CU_ASSERT_EQUAL(plan_nprobes(w.pl), 520);
	CU_ASSERT_EQUAL(count_rule(&w, PLAN_RULE_DEFAULT), 520 - 19);
	CU_ASSERT_EQUAL(count_flow(&w, "cp", "core", RP_PROTO_TCP, 8868), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "cp", "core", RP_PROTO_TCP, 8869), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "uem", "core", RP_PROTO_TCP, 48661), 1);
	CU_ASSERT_EQUAL(count_flow(&w, "core", "uem", RP_PROTO_TCP, 443), 0);
	CU_ASSERT_EQUAL(plan_nsenders(w.pl), 6);
	CU_ASSERT_EQUAL(plan_nreceivers(w.pl), 4);

	/* The agents rebuild the plan independently: it must come out the
	 * same, probe for probe. */
	again = plan_build(w.pf, w.st, w.err, sizeof(w.err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(again);
	CU_ASSERT_EQUAL(plan_nprobes(again), plan_nprobes(w.pl));
	for (i = 0; i < plan_nprobes(w.pl) && i < plan_nprobes(again); i++) {
		const struct probe *a = plan_probe(w.pl, i), *b = plan_probe(again, i);
		same += a->src == b->src && a->dst == b->dst && a->port == b->port &&
		    a->proto == b->proto && a->rule == b->rule && a->expect_open == b->expect_open;
	}
	CU_ASSERT_EQUAL(same, 520);
	plan_free(again);
	fixture_close(&w);
}

int
register_plan_tests(void)
{
	CU_pSuite s = CU_add_suite("plan", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "open rules expand", test_open_expansion) ||
	    !CU_add_test(s, "a flow is probed once", test_flow_probed_once) ||
	    !CU_add_test(s, "negative probe policy", test_negative_policy) ||
	    !CU_add_test(s, "no default closed, no negatives", test_no_default_closed) ||
	    !CU_add_test(s, "universe clipped to 1..65535", test_universe_clipped) ||
	    !CU_add_test(s, "senders and receivers", test_agents) ||
	    !CU_add_test(s, "endpoint without a host", test_missing_host) ||
	    !CU_add_test(s, "shipped multi-server profile", test_shipped) ||
	    !CU_add_test(s, "several addresses per endpoint", test_several_addresses) ||
	    !CU_add_test(s, "TLS probes and their SNI", test_tls_and_sni) ||
	    !CU_add_test(s, "negative probes: senders, families", test_negative_senders) ||
	    !CU_add_test(s, "no address of the family", test_family_error) ||
	    !CU_add_test(s, "dual-stack destination from a one-family source", test_family_warning) ||
	    !CU_add_test(s, "default closed all", test_default_all) ||
	    !CU_add_test(s, "flow keys include the address", test_keyset_keys))
		return -1;
	return 0;
}
