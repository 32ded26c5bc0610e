/* Unit tests for addresses (addr.h): strict parsing matters because a lab
 * must refuse anything outside 198.18.0.0/15, and an address some tool reads
 * as octal would silently point somewhere else. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/addr.h"
#include "suites.h"

static void
test_parse_valid(void)
{
	static const struct {
		const char *s;
		uint32_t    v;
	} ok[] = {
		{ "198.18.0.1", 0xc6120001u },
		{ "0.0.0.0", 0 },
		{ "255.255.255.255", 0xffffffffu },
		{ "10.0.0.0", 0x0a000000u },      /* a lone zero is no leading zero */
		{ "1.20.100.250", 0x011464fau },
		{ "100.0.10.9", 0x64000a09u },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct rp_addr a;

		memset(&a, 0xee, sizeof(a));
		CU_ASSERT_TRUE(addr_parse(ok[i].s, &a));
		CU_ASSERT_EQUAL(a.family, AF_INET);
		CU_ASSERT_EQUAL(addr_v4(&a), ok[i].v);
		CU_ASSERT_EQUAL(a.b[0], (uint8_t)(ok[i].v >> 24));   /* network order */
		CU_ASSERT_EQUAL(a.b[3], (uint8_t)ok[i].v);
	}
}

static void
test_parse_invalid(void)
{
	static const char *const bad[] = {
		"01.2.3.4", "1.02.3.4", "1.2.3.04", "1.2.3.00", "00.1.1.1",
		"1.2.3", "1.2.3.4.5", "1.2", "1",
		"256.1.1.1", "1.1.1.256", "999.1.1.1", "1234.1.1.1", "1.2.3.0004",
		"1.2.3.4 ", " 1.2.3.4", "1.2.3.4x", "1.2.3.4/24", "1.2.3.4.",
		"", ".", "...", "1..2.3", ".1.2.3", "1.2.3.",
		"-1.2.3.4", "+1.2.3.4", "0x1.2.3.4", "1,2,3,4", "a.b.c.d", "1.2.3.4:",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rp_addr a;
		bool got = addr_parse(bad[i], &a);

		if (got)
			fprintf(stderr, "\naccepted bad address \"%s\"\n", bad[i]);
		CU_ASSERT_FALSE(got);
	}
}

static void
test_format(void)
{
	static const char *const in[] = {
		"198.18.0.1", "0.0.0.0", "255.255.255.255", "10.0.100.7",
	};
	char buf[ADDR_STRLEN];
	struct rp_addr a;
	size_t i;

	/* Parsing then formatting gives the canonical text back. */
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		CU_ASSERT_TRUE_FATAL(addr_parse(in[i], &a));
		CU_ASSERT_STRING_EQUAL(addr_fmt(&a, buf), in[i]);
	}
	a = addr_from_v4(0xc613fffeu);
	CU_ASSERT_PTR_EQUAL(addr_fmt(&a, buf), buf);
	CU_ASSERT_STRING_EQUAL(buf, "198.19.255.254");
	CU_ASSERT_EQUAL(a.family, AF_INET);
	CU_ASSERT_EQUAL(addr_v4(&a), 0xc613fffeu);
}

static void
test_eq(void)
{
	struct rp_addr a, b, c;

	CU_ASSERT_TRUE_FATAL(addr_parse("198.18.1.10", &a));
	CU_ASSERT_TRUE_FATAL(addr_parse("198.18.1.10", &b));
	CU_ASSERT_TRUE_FATAL(addr_parse("198.18.1.11", &c));
	CU_ASSERT_TRUE(addr_eq(&a, &b));
	CU_ASSERT_FALSE(addr_eq(&a, &c));
	CU_ASSERT_FALSE(addr_eq(&c, &a));
	b = addr_from_v4(0xc6120a01u);          /* 198.18.10.1: same bytes, reordered */
	CU_ASSERT_FALSE(addr_eq(&a, &b));
	/* An IPv4 address equals itself built from its integer form. */
	b = addr_from_v4(addr_v4(&a));
	CU_ASSERT_TRUE(addr_eq(&a, &b));
	/* Same bytes, other family: not the same address. */
	b.family = AF_INET6;
	CU_ASSERT_FALSE(addr_eq(&a, &b));
	CU_ASSERT_FALSE(addr_eq(&b, &a));
}

static void
test_lab_range(void)
{
	static const struct {
		const char *s;
		bool        in;
	} cases[] = {
		{ "198.17.255.255", false },
		{ "198.18.0.0", true },
		{ "198.18.0.1", true },
		{ "198.18.255.255", true },
		{ "198.19.0.0", true },
		{ "198.19.255.255", true },
		{ "198.20.0.0", false },
		{ "199.18.0.1", false },
		{ "10.18.0.1", false },
		{ "0.0.0.0", false },
		{ "255.255.255.255", false },
	};
	struct rp_addr a;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_TRUE_FATAL(addr_parse(cases[i].s, &a));
		if (addr_in_lab_range(&a) != cases[i].in)
			fprintf(stderr, "\n%s: lab range wrong\n", cases[i].s);
		CU_ASSERT_EQUAL(addr_in_lab_range(&a), cases[i].in);
	}
	/* The range is IPv4 only: the same leading bytes as IPv6 are not in it. */
	CU_ASSERT_TRUE_FATAL(addr_parse("198.18.0.1", &a));
	a.family = AF_INET6;
	CU_ASSERT_FALSE(addr_in_lab_range(&a));
}

static void
test_v6(void)
{
	static const struct {
		const char *s;
		bool        ok, lab;
	} cases[] = {
		{ "2001:db8::1", true, true },
		{ "2001:0db8:0:0:0:0:0:1", true, true },
		{ "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true, true },
		{ "2001:db9::1", true, false },
		{ "2001:db7:ffff::1", true, false },
		{ "::1", true, false },
		{ "fe80::1", true, false },
		{ "::ffff:198.18.0.1", true, false },   /* mapped, but not IPv4 on the wire */
		{ "2001:db8::1::2", false, false },
		{ "2001:db8::1%eth0", false, false },
		{ "2001:db8:::1", false, false },
		{ ":", false, false },
	};
	char buf[ADDR_STRLEN];
	struct rp_addr a;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = addr_parse(cases[i].s, &a);
		if (ok != cases[i].ok)
			fprintf(stderr, "\n%s: parse %d, expected %d\n", cases[i].s, ok, cases[i].ok);
		CU_ASSERT_EQUAL(ok, cases[i].ok);
		if (!ok || !cases[i].ok)
			continue;
		CU_ASSERT_TRUE(addr_is_v6(&a));
		CU_ASSERT_EQUAL(addr_in_lab_range(&a), cases[i].lab);
	}
	CU_ASSERT_TRUE_FATAL(addr_parse("2001:0db8:0000::0042", &a));
	CU_ASSERT_STRING_EQUAL(addr_fmt(&a, buf), "2001:db8::42");
	CU_ASSERT_TRUE_FATAL(addr_parse("198.18.0.1", &a));
	CU_ASSERT_FALSE(addr_is_v6(&a));
}

int
register_addr_tests(void)
{
	CU_pSuite s = CU_add_suite("addr", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "parse valid", test_parse_valid) ||
	    !CU_add_test(s, "parse invalid", test_parse_invalid) ||
	    !CU_add_test(s, "format", test_format) ||
	    !CU_add_test(s, "equality", test_eq) ||
	    !CU_add_test(s, "lab range boundaries", test_lab_range) ||
	    !CU_add_test(s, "IPv6", test_v6))
		return -1;
	return 0;
}
