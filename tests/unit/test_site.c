/* Unit tests for the site language and site_check(). */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cidr.h"
#include "profile/parse.h"
#include "profile/profile.h"
#include "profile/site.h"
#include "suites.h"

static const char base_profile[] =
    "profile \"base\"\n"
    "zone devices\n"
    "role portal\n"
    "role db\n"
    "role spare\n"
    "open devices -> portal : tcp/443\n"
    "open portal -> db : tcp/1433\n";

static struct site *
parse(const char *text, char **diag_out, int *nerr)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct site *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	s = site_parse("t.site", text, strlen(text), f, nerr);
	fclose(f);
	if (diag_out)
		*diag_out = buf;
	else
		free(buf);
	return s;
}

static void
check_error(const char *text, int want_nerr, const char *first)
{
	char *d = NULL;
	int nerr = -1;
	struct site *s = parse(text, &d, &nerr);

	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(nerr, want_nerr);
	if (!strstr(d, first)) {
		fprintf(stderr, "\nwanted: %s\ngot:\n%s", first, d);
		CU_FAIL("diagnostic not found");
	}
	site_free(s);
	free(d);
}

/* site_check() of a site that parses against a profile that parses;
 * returns its error count and hands back the diagnostics. */
static int
check_site(const char *pname, const char *ptext, const char *text, bool lab, char **diag_out)
{
	struct profile *pf = profile_parse(pname, ptext, strlen(ptext), NULL, NULL);
	struct site *s = parse(text, NULL, NULL);
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	f = open_memstream(&buf, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = site_check(s, pf, lab, f);
	fclose(f);
	*diag_out = buf;
	site_free(s);
	profile_free(pf);
	return n;
}

static int
check_against_base(const char *text, bool lab, char **diag_out)
{
	return check_site("base.profile", base_profile, text, lab, diag_out);
}

static void
test_parse_good(void)
{
	int nerr = -1;
	struct site *s = parse("# lab\nsite \"Lab \\\"one\\\"\"\n\nhost devices 198.18.1.10\n"
	    "host portal\t198.18.3.10  # web\nhost db 198.19.0.1\n", NULL, &nerr);
	const struct site_host *h;
	char buf[ADDR_STRLEN];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_STRING_EQUAL(site_name(s), "t.site");
	CU_ASSERT_STRING_EQUAL(site_title(s), "Lab \"one\"");
	CU_ASSERT_EQUAL(site_nhosts(s), 3);
	h = site_host(s, 1);
	CU_ASSERT_STRING_EQUAL(h->name, "portal");
	CU_ASSERT_STRING_EQUAL(addr_fmt(&h->addr, buf), "198.18.3.10");
	CU_ASSERT_EQUAL(h->line, 5);
	CU_ASSERT_PTR_NULL(site_host(s, 3));
	CU_ASSERT_PTR_EQUAL(site_find(s, "db"), site_host(s, 2));
	CU_ASSERT_PTR_NULL(site_find(s, "nope"));
	site_free(s);
}

static void
test_print_aligned(void)
{
	struct site *s = parse("host portal 198.18.3.10\nsite \"x\"\nhost db 198.18.6.10\n"
	    "host devices 198.18.1.10\n", NULL, NULL);
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	site_print(s, f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf,
	    "site \"x\"\n"
	    "\n"
	    "host portal  198.18.3.10\n"
	    "host db      198.18.6.10\n"
	    "host devices 198.18.1.10\n");
	free(buf);
	site_free(s);
}

static void
test_print_round_trip(void)
{
	struct site *a = parse("site \"a\\\\b\"\nhost x 198.18.0.1\nhost yy 198.18.0.2\n", NULL, NULL), *b;
	char *ta = NULL, *tb = NULL;
	size_t sa = 0, sb = 0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f = open_memstream(&ta, &sa);
	site_print(a, f);
	fclose(f);
	b = parse(ta, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f = open_memstream(&tb, &sb);
	site_print(b, f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(ta, tb);
	free(ta);
	free(tb);
	site_free(a);
	site_free(b);
}

static void
test_err_addresses(void)
{
	check_error("site \"s\"\nhost a 1.2.3\n", 1, "t.site:2:8: error: invalid address '1.2.3'\n"
	    "    host a 1.2.3\n"
	    "           ^~~~~\n");
	check_error("site \"s\"\nhost a 198.18.01.1\n", 1, "t.site:2:8: error: invalid address '198.18.01.1'");
	check_error("site \"s\"\nhost a 300.1.1.1\n", 1, "error: invalid address '300.1.1.1'");
	check_error("site \"s\"\nhost a 12\n", 1, "error: invalid address '12'");
	check_error("site \"s\"\nhost a 1.2.3.4.5\n", 1, "error: invalid address '1.2.3.4.5'");
	check_error("site \"s\"\nhost a\n", 1, "t.site:2:7: error: expected address, found end of line");
	check_error("site \"s\"\nhost a fe80::1::2\n", 1, "t.site:2:8: error: invalid address 'fe80::1::2'");
	check_error("site \"s\"\nhost a 198.18.0.1x\n", 1, "t.site:2:8: error: invalid address '198.18.0.1x'");
	check_error("site \"s\"\nhost a 198.18.0.0/33\n", 1,
	    "t.site:2:8: error: invalid address block '198.18.0.0/33': the prefix length must be 0 to 32");
	check_error("site \"s\"\nhost a 198.18.0.1/24\n", 1,
	    "t.site:2:8: error: invalid address block '198.18.0.1/24': host bits are set");
	check_error("site \"s\"\nhost a 198.18.0.1, 198.18.0.0/24\n", 1,
	    "t.site:2:20: error: a host is bound to addresses or to one block, not both");
	check_error("site \"s\"\nhost a 198.18.0.1, 198.18.0.1\n", 1,
	    "t.site:2:20: error: address 198.18.0.1 listed twice");
	check_error("site \"s\"\nhost a 198.18.0.0/24 sample 0\n", 1,
	    "t.site:2:29: error: sample size 0 out of range 1-256");
	check_error("site \"s\"\nhost a 198.18.0.1 fqdn \"x\"\n", 1,
	    "t.site:2:24: error: invalid DNS name 'x': it needs at least one dot");
}

static void
test_err_duplicates(void)
{
	check_error("site \"s\"\nhost a 198.18.0.1\nhost a 198.18.0.2\n", 1,
	    "t.site:3:6: error: duplicate host 'a' (first defined at line 2)");
	check_error("site \"s\"\nhost portal 198.18.1.10\nhost b 198.18.1.10\n", 1,
	    "t.site:3:8: error: address 198.18.1.10 already used by 'portal' at line 2");
	check_error("site \"s\"\nsite \"t\"\n", 1, "t.site:2:1: error: duplicate 'site' statement (first at line 1)");
}

static void
test_err_statements(void)
{
	check_error("host a 198.18.0.1\n", 1, "t.site:1:1: error: missing 'site' statement");
	check_error("site \"s\"\nzone a\n", 1,
	    "t.site:2:1: error: unknown statement 'zone' (expected site or host)");
	check_error("site s\n", 1, "t.site:1:6: error: expected string, found 's'");
	check_error("site \"s\"\nhost 5 198.18.0.1\n", 1,
	    "t.site:2:6: error: expected endpoint name, found '5'");
	check_error("site \"s\"\nhost a 198.18.0.1 b\n", 1,
	    "t.site:2:19: error: expected end of line, found 'b'");
}

static void
test_check_good(void)
{
	char *d = NULL;
	int n = check_against_base("site \"s\"\nhost devices 198.18.1.1\nhost portal 198.18.1.2\n"
	    "host db 198.18.1.3\n", true, &d);

	/* spare is used by no rule, so it needs no host */
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(d, "");
	free(d);
}

static void
test_check_unknown_host(void)
{
	char *d = NULL;
	int n = check_against_base("site \"s\"\nhost devices 198.18.1.1\nhost portal 198.18.1.2\n"
	    "host db 198.18.1.3\nhost dbx 198.18.1.4\n", true, &d);

	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(d,
	    "t.site:5:6: error: unknown endpoint 'dbx' in profile base.profile\n"
	    "    host dbx 198.18.1.4\n"
	    "         ^~~\n");
	free(d);
}

static void
test_check_unbound(void)
{
	char *d = NULL;
	int n = check_against_base("# header\n\nsite \"s\"\nhost devices 198.18.1.1\n", true, &d);

	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(d,
	    "t.site:3:1: error: 'portal' is used by rule at base.profile:6 but has no host\n"
	    "    site \"s\"\n"
	    "    ^~~~\n"
	    "t.site:3:1: error: 'db' is used by rule at base.profile:7 but has no host\n"
	    "    site \"s\"\n"
	    "    ^~~~\n");
	free(d);
}

static void
test_check_lab_range(void)
{
	const char *t = "site \"s\"\nhost devices 10.0.0.1\nhost portal 198.20.0.1\n"
	    "host db 198.17.255.255\n";
	char *d = NULL;
	int n = check_against_base(t, true, &d);

	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(d,
	    "t.site:2:14: error: address 10.0.0.1 is outside 198.18.0.0/15 or 2001:db8::/32: "
	    "the lab only uses those ranges\n"
	    "    host devices 10.0.0.1\n"
	    "                 ^~~~~~~~\n"));
	free(d);
	/* without lab, any address will do */
	n = check_against_base(t, false, &d);
	CU_ASSERT_EQUAL(n, 0);
	free(d);
}

/* ---- several addresses, IPv6, blocks, fqdn ---- */

static void
test_parse_addresses(void)
{
	struct site *s = parse("site \"s\"\nhost a 198.18.0.1, 2001:db8::1,\n  198.18.0.2 fqdn \"a.lab.example\"\n"
	    "host b 198.18.64.0/24 sample 4\nhost C.Example.com 2001:db8:1::/64\n", NULL, NULL);
	const struct site_host *h;
	char buf[ADDR_STRLEN];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h = site_find(s, "a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 3);
	CU_ASSERT_STRING_EQUAL(addr_fmt(&h->addr, buf), "198.18.0.1");
	CU_ASSERT_STRING_EQUAL(addr_fmt(&h->addrs[1], buf), "2001:db8::1");
	CU_ASSERT_STRING_EQUAL(h->fqdn, "a.lab.example");
	CU_ASSERT_FALSE(h->block);
	h = site_find(s, "b");
	CU_ASSERT_TRUE(h->block);
	CU_ASSERT_EQUAL(h->prefix, 24);
	CU_ASSERT_EQUAL(h->sample, 4);
	CU_ASSERT_PTR_NULL(h->fqdn);
	/* DNS names compare without regard to case */
	CU_ASSERT_PTR_NOT_NULL(site_find(s, "c.example.COM"));
	site_free(s);
}

static char *
print_site(const char *text)
{
	struct site *s = parse(text, NULL, NULL);
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	site_print(s, f);
	fclose(f);
	site_free(s);
	return buf;
}

static void
test_print_new_forms(void)
{
	char *a = print_site("site \"s\"\nhost a 198.18.0.1,2001:DB8::0:1 fqdn \"a.lab.example\"\n"
	    "host bb 198.18.64.0/24 sample 4\nhost c 2001:db8:1::/64\n"), *b;

	CU_ASSERT_STRING_EQUAL(a,
	    "site \"s\"\n"
	    "\n"
	    "host a  198.18.0.1, 2001:db8::1 fqdn \"a.lab.example\"\n"
	    "host bb 198.18.64.0/24 sample 4\n"
	    "host c  2001:db8:1::/64\n");
	b = print_site(a);
	CU_ASSERT_STRING_EQUAL(a, b);
	free(a);
	free(b);
}

/* ---- block samples ---- */

static char *
sample(const char *block, unsigned size)
{
	struct rp_addr net, out[PROFILE_SAMPLE_MAX];
	char text[64], *slash, buf[ADDR_STRLEN], *r = NULL;
	size_t n, i, len = 0;
	FILE *f = open_memstream(&r, &len);

	snprintf(text, sizeof(text), "%s", block);
	slash = strchr(text, '/');
	*slash = '\0';
	CU_ASSERT_FATAL(addr_parse(text, &net));
	n = cidr_sample(&net, (unsigned)atoi(slash + 1), size, out);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", addr_fmt(&out[i], buf));
	fclose(f);
	return r;
}

static void
check_sample(const char *block, unsigned size, const char *want)
{
	char *got = sample(block, size);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "\nsample of %s (%u): %s, wanted %s\n", block, size, got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void
test_block_sample(void)
{
	/* first and last usable, evenly spaced between: worked out by hand */
	check_sample("198.18.64.0/24", 8,
	    "198.18.64.1 198.18.64.37 198.18.64.73 198.18.64.109 198.18.64.145 198.18.64.181 "
	    "198.18.64.217 198.18.64.254");
	check_sample("17.0.0.0/8", 3, "17.0.0.1 17.127.255.255 17.255.255.254");
	check_sample("17.0.0.0/8", 2, "17.0.0.1 17.255.255.254");
	check_sample("17.0.0.0/8", 1, "17.0.0.1");
	/* no more than the block holds, network and broadcast left out */
	check_sample("198.18.0.0/30", 8, "198.18.0.1 198.18.0.2");
	check_sample("198.18.0.0/31", 8, "198.18.0.0 198.18.0.1");
	check_sample("198.18.0.7/32", 8, "198.18.0.7");
	check_sample("2001:db8::/64", 3, "2001:db8::1 2001:db8::7fff:ffff:ffff:ffff 2001:db8::ffff:ffff:ffff:fffe");
	check_sample("::/0", 2, "::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
	check_sample("0.0.0.0/0", 2, "0.0.0.1 255.255.255.254");
}

/* ---- where an endpoint is probed ---- */

static const char addr_profile[] =
    "profile \"a\"\n"
    "zone dev\n"
    "role srv\n"
    "fqdn doc.example.com = 52.0.0.1, 52.0.0.2\n"
    "fqdn nodoc.example.com\n"
    "block blk = 17.0.0.0/8 sample 2\n"
    "wildcard *.w.com = a.w.com\n"
    "group g = doc.example.com, nodoc.example.com\n"
    "service https = tcp/443 tls\n"
    "open dev -> srv, g, blk, *.w.com : https\n";

static struct profile *
addr_pf(void)
{
	struct profile *pf = profile_parse("a.profile", addr_profile, strlen(addr_profile), stderr, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	return pf;
}

static char *
addrs_of(const struct site *s, const struct profile *pf, const char *name)
{
	size_t n, i, len = 0;
	struct rp_addr *v = site_endpoint_addrs(s, pf, (size_t)profile_find_endpoint(pf, name), &n);
	char buf[ADDR_STRLEN], *r = NULL;
	FILE *f = open_memstream(&r, &len);

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", addr_fmt(&v[i], buf));
	fclose(f);
	free(v);
	return r;
}

static void
check_addrs(const struct site *s, const struct profile *pf, const char *name, const char *want)
{
	char *got = addrs_of(s, pf, name);

	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void
test_endpoint_addrs(void)
{
	struct profile *pf = addr_pf();
	struct site *s = parse("site \"s\"\nhost dev 198.18.1.1\nhost srv 198.18.1.2, 198.18.1.3\n"
	    "host nodoc.example.com 198.18.2.1\nhost a.w.com 198.18.3.1\n", NULL, NULL);
	struct site *r = parse("site \"r\"\nhost dev 198.18.1.1\nhost srv 198.18.1.2\n"
	    "host doc.example.com 198.18.2.2\nhost nodoc.example.com 198.18.2.1\n"
	    "host blk 198.18.64.0/24\nhost a.w.com 198.18.3.1\n", NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	/* bound here, else documented in the profile; blocks give samples */
	check_addrs(s, pf, "srv", "198.18.1.2 198.18.1.3");
	check_addrs(s, pf, "doc.example.com", "52.0.0.1 52.0.0.2");
	check_addrs(s, pf, "nodoc.example.com", "198.18.2.1");
	check_addrs(s, pf, "blk", "17.0.0.1 17.255.255.254");
	check_addrs(r, pf, "doc.example.com", "198.18.2.2");
	check_addrs(r, pf, "blk", "198.18.64.1 198.18.64.254");   /* the profile's sample size */
	CU_ASSERT_EQUAL(site_check(s, pf, false, NULL), 0);
	CU_ASSERT_EQUAL(site_check(r, pf, true, NULL), 0);
	site_free(s);
	site_free(r);
	profile_free(pf);
}

static int
check_addr_site(const char *site_text, bool lab, char **diag_out)
{
	return check_site("a.profile", addr_profile, site_text, lab, diag_out);
}

static void
test_check_new_endpoints(void)
{
	char *d = NULL;
	int n = check_addr_site("site \"s\"\nhost dev 198.18.1.1\nhost srv 198.18.1.2\n"
	    "host a.w.com 198.18.3.1\n", true, &d);

	/* an fqdn without documented addresses must be bound; documented
	 * addresses and blocks outside the lab must be rebound */
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:1:1: error: 'doc.example.com' would be probed at its "
	    "documented address 52.0.0.1 (a.profile:4), outside 198.18.0.0/15 or 2001:db8::/32: bind it "
	    "to a lab address\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:1:1: error: 'nodoc.example.com' is used by rule at "
	    "a.profile:10 but has no address: the profile documents none, so the site must bind it\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "'blk' would be probed at its documented address 17.0.0.1 "
	    "(a.profile:6)"));
	free(d);
	n = check_addr_site("site \"s\"\nhost dev 198.18.1.1\nhost srv 198.18.1.2\n"
	    "host a.w.com 198.18.3.1\nhost nodoc.example.com 198.18.2.1\n", false, &d);
	CU_ASSERT_EQUAL(n, 0);
	free(d);
}

static void
test_check_binding_kinds(void)
{
	char *d = NULL;
	int n = check_addr_site("site \"s\"\nhost dev 198.18.1.1\nhost srv 198.18.1.2\n"
	    "host a.w.com 198.18.3.1\nhost nodoc.example.com 198.18.2.1 fqdn \"x.example.com\"\n"
	    "host doc.example.com 198.18.2.2\nhost blk 198.16.0.0/14\nhost g 198.18.9.1\n"
	    "host *.w.com 198.18.9.2\nhost https 198.18.9.3\n", true, &d);

	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:5:6: error: 'nodoc.example.com' (fqdn) takes no fqdn "
	    "\"...\": only zones and roles do\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:7:10: error: address block 198.16.0.0/14 is not inside "
	    "198.18.0.0/15 or 2001:db8::/32: the lab only uses those ranges\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:8:6: error: 'g' is a group in profile a.profile: bind "
	    "its members, not the group\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:9:6: error: '*.w.com' is a wildcard in profile "
	    "a.profile: bind the names chosen for it, not the pattern\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.site:10:6: error: 'https' is a service in profile a.profile, "
	    "not an endpoint\n"));
	free(d);
}

static void
test_check_lab_shared_address(void)
{
	char *d = NULL;
	/* two endpoints in one sample: the lab needs one address each */
	int n = check_addr_site("site \"s\"\nhost dev 198.18.1.1\nhost srv 198.18.64.254\n"
	    "host a.w.com 198.18.3.1\nhost nodoc.example.com 198.18.2.1\n"
	    "host doc.example.com 198.18.2.2\nhost blk 198.18.64.0/24\n", true, &d);

	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "error: 'srv' and 'blk' share the address 198.18.64.254: the "
	    "lab needs one address per endpoint\n"));
	free(d);
}

static void
test_load_missing_file(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int nerr = 0;
	struct site *s = site_load("/nonexistent/x.site", f, &nerr);

	fclose(f);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(nerr, 1);
	CU_ASSERT_STRING_EQUAL(buf, "/nonexistent/x.site: error: cannot read: No such file or directory\n");
	free(buf);
}

static void
test_shipped_lab_site(void)
{
	int nerr = -1;
	struct profile *pf = profile_load("profiles/assist-onprem-multi.profile", stderr, &nerr);
	struct site *s = site_load("profiles/lab/assist-onprem-multi.site", stderr, &nerr);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(site_title(s), "Lab site: Assist multi-server on-prem");
	CU_ASSERT_EQUAL(site_nhosts(s), 6);
	CU_ASSERT_EQUAL(site_check(s, pf, true, stderr), 0);
	site_free(s);
	profile_free(pf);
}

int
register_site_tests(void)
{
	static const struct {
		const char *name;
		void      (*fn)(void);
	} tests[] = {
		{ "parse: good", test_parse_good },
		{ "print: aligned", test_print_aligned },
		{ "print: round trip", test_print_round_trip },
		{ "error: addresses", test_err_addresses },
		{ "error: duplicates", test_err_duplicates },
		{ "error: statements", test_err_statements },
		{ "check: good", test_check_good },
		{ "check: unknown host", test_check_unknown_host },
		{ "check: unbound endpoint", test_check_unbound },
		{ "check: lab range", test_check_lab_range },
		{ "load: missing file", test_load_missing_file },
		{ "parse: several addresses, IPv6, blocks, fqdn", test_parse_addresses },
		{ "print: new forms", test_print_new_forms },
		{ "block samples", test_block_sample },
		{ "where endpoints are probed", test_endpoint_addrs },
		{ "check: fqdns, blocks, documented addresses", test_check_new_endpoints },
		{ "check: what a host may bind", test_check_binding_kinds },
		{ "check: lab needs distinct addresses", test_check_lab_shared_address },
		{ "shipped lab site", test_shipped_lab_site },
	};
	CU_pSuite s = CU_add_suite("site", NULL, NULL);
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
