/* Unit tests for the site language and site_check(). */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "site.h"
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

/* site_check() of a site that parses; returns its error count and hands
 * back the diagnostics. */
static int
check_against_base(const char *text, bool lab, char **diag_out)
{
	const char *pt = base_profile;
	struct profile *pf = profile_parse("base.profile", pt, strlen(pt), NULL, NULL);
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
	    "t.site:2:8: error: invalid address block '198.18.0.0/33'");
	check_error("site \"s\"\nhost a 198.18.0.1/24\n", 1,
	    "t.site:2:8: error: invalid address block '198.18.0.1/24'");
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
