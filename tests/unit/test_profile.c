/* Unit tests for the lexer and the profile language: tokens, every error
 * message, the model (spans, services text, sections), profile_allows() and
 * the canonical round trip. */
#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/diag.h"
#include "profile/print.h"
#include "profile/parse.h"
#include "profile/lex.h"
#include "profile/profile.h"
#include "suites.h"

/* ---- helpers ---- */

/* Parses text; *diag_out (optional) gets the diagnostics, caller frees. */
static struct profile *
parse(const char *text, char **diag_out, int *nerr)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct profile *pf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pf = profile_parse("t.profile", text, strlen(text), f, nerr);
	fclose(f);
	if (diag_out)
		*diag_out = buf;
	else
		free(buf);
	return pf;
}

static char *
print_profile(const struct profile *pf)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	profile_print(pf, f);
	fclose(f);
	return buf;
}

/* The profile must fail with exactly nerr errors and a diagnostic whose
 * first line is `first`. */
static void
check_error(const char *text, int want_nerr, const char *first)
{
	char *d = NULL;
	int nerr = -1;
	struct profile *pf = parse(text, &d, &nerr);

	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_EQUAL(nerr, want_nerr);
	if (!strstr(d, first)) {
		fprintf(stderr, "\nwanted: %s\ngot:\n%s", first, d);
		CU_FAIL("diagnostic not found");
	}
	profile_free(pf);
	free(d);
}

#define HDR "profile \"t\"\nzone a\nzone b\nrole c\n"

/* ---- lexer ---- */

struct lexed {
	enum tok_kind kinds[32];
	size_t        n;
	int           nerr;
};

static struct lexed
lex_all(const char *text, bool addr_runs)
{
	struct lexed r;
	struct diag *d = diag_open(NULL, "x", text, strlen(text));
	struct lexer lx;

	memset(&r, 0, sizeof(r));
	lex_init(&lx, text, strlen(text), d, addr_runs);
	while (r.n < 32) {
		r.kinds[r.n++] = lx.cur.kind;
		if (lx.cur.kind == TK_EOF)
			break;
		lex_advance(&lx);
	}
	r.nerr = diag_nerrors(d);
	diag_close(d);
	return r;
}

static void
check_kinds(const char *text, bool addr_runs, const enum tok_kind *want, size_t n)
{
	struct lexed r = lex_all(text, addr_runs);
	size_t i;

	CU_ASSERT_EQUAL_FATAL(r.n, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(r.kinds[i], want[i]);
}

static void
test_lex_arrow_splits_ident(void)
{
	static const enum tok_kind w[] = { TK_IDENT, TK_ARROW, TK_IDENT, TK_EOF };
	static const enum tok_kind w2[] = { TK_IDENT, TK_ARROW, TK_IDENT, TK_EOF };
	struct lexer lx;
	struct diag *d;
	const char *t = "a-->b";

	check_kinds("devices->portal", false, w, 4);
	check_kinds("a-->b", false, w2, 4);
	/* "a-" keeps its dash: only a dash before '>' ends a name */
	d = diag_open(NULL, "x", t, strlen(t));
	lex_init(&lx, t, strlen(t), d, false);
	CU_ASSERT_EQUAL(lx.cur.at.len, 2);
	diag_close(d);
}

static void
test_lex_ident_with_dashes(void)
{
	const char *t = "me-to-cp_2- x";
	struct diag *d = diag_open(NULL, "x", t, strlen(t));
	struct lexer lx;
	char *s;

	lex_init(&lx, t, strlen(t), d, false);
	CU_ASSERT_EQUAL(lx.cur.kind, TK_IDENT);
	s = lex_text(&lx, &lx.cur);
	CU_ASSERT_STRING_EQUAL(s, "me-to-cp_2-");
	free(s);
	diag_close(d);
}

static void
test_lex_numbers(void)
{
	const char *t = "007 99999999999999999999 65535";
	struct diag *d = diag_open(NULL, "x", t, strlen(t));
	struct lexer lx;

	lex_init(&lx, t, strlen(t), d, false);
	CU_ASSERT_EQUAL(lx.cur.kind, TK_NUMBER);
	CU_ASSERT_EQUAL(lx.cur.num, 7);
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.num, UINT32_MAX);   /* saturates, never wraps */
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.num, 65535);
	CU_ASSERT_EQUAL(diag_nerrors(d), 0);
	diag_close(d);
}

static void
test_lex_string_escapes(void)
{
	const char *t = "\"a\\\"b\\\\c\" \"\"";
	struct diag *d = diag_open(NULL, "x", t, strlen(t));
	struct lexer lx;
	char *s;

	lex_init(&lx, t, strlen(t), d, false);
	CU_ASSERT_EQUAL_FATAL(lx.cur.kind, TK_STRING);
	s = lex_string(&lx, &lx.cur);
	CU_ASSERT_STRING_EQUAL(s, "a\"b\\c");
	free(s);
	lex_advance(&lx);
	s = lex_string(&lx, &lx.cur);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	CU_ASSERT_EQUAL(diag_nerrors(d), 0);
	diag_close(d);
}

static void
test_lex_string_errors(void)
{
	static const enum tok_kind unterminated[] = { TK_BAD, TK_NEWLINE, TK_IDENT, TK_EOF };
	struct lexed r;

	check_kinds("\"abc\nx", false, unterminated, 4);
	CU_ASSERT_EQUAL(lex_all("\"abc\nx", false).nerr, 1);
	CU_ASSERT_EQUAL(lex_all("\"abc\\", false).nerr, 1);
	CU_ASSERT_EQUAL(lex_all("\"a\\nb\"", false).nerr, 1);
	CU_ASSERT_EQUAL(lex_all("\"a\x01" "b\"", false).nerr, 1);
	r = lex_all("\"tab\there\"", false);
	CU_ASSERT_EQUAL(r.nerr, 0);
}

static void
test_lex_continuation(void)
{
	static const enum tok_kind joined[] = { TK_IDENT, TK_COMMA, TK_IDENT, TK_EOF };
	static const enum tok_kind split[] = { TK_IDENT, TK_NEWLINE, TK_IDENT, TK_EOF };
	static const enum tok_kind colon[] = { TK_IDENT, TK_COLON, TK_IDENT, TK_EOF };
	static const enum tok_kind eq[] = { TK_IDENT, TK_EQUALS, TK_IDENT, TK_EOF };
	static const enum tok_kind arrow[] = { TK_IDENT, TK_ARROW, TK_IDENT, TK_EOF };
	static const enum tok_kind slash[] = { TK_IDENT, TK_SLASH, TK_NEWLINE, TK_NUMBER, TK_EOF };

	check_kinds("a,\n\n  # comment\n b", false, joined, 4);
	check_kinds("a # c, \n b", false, split, 4);
	check_kinds("a :\n b", false, colon, 4);
	check_kinds("a =\n b", false, eq, 4);
	check_kinds("a ->\n b", false, arrow, 4);
	check_kinds("tcp /\n 443", false, slash, 5);
}

static void
test_lex_blank_lines_and_crlf(void)
{
	static const enum tok_kind w[] = { TK_IDENT, TK_NEWLINE, TK_IDENT, TK_NEWLINE, TK_EOF };

	check_kinds("\n\n  \n a\r\n\r\n\n# x\nb\n\n", false, w, 5);
}

static void
test_lex_addresses(void)
{
	static const enum tok_kind site[] = { TK_IDENT, TK_ADDR, TK_NUMBER, TK_EOF };
	static const enum tok_kind prof[] = { TK_NUMBER, TK_BAD, TK_NUMBER, TK_BAD, TK_NUMBER, TK_EOF };

	check_kinds("db 198.18.1.10 42", true, site, 4);
	check_kinds("1.2.3", false, prof, 6);
}

static void
test_lex_bad_bytes(void)
{
	struct lexed r = lex_all("a @@@ b \xc3\xa9 \xff", false);

	/* one report per run of junk */
	CU_ASSERT_EQUAL(r.nerr, 3);
}

static void
test_lex_nul_bytes(void)
{
	static const char t[] = "profile \"x\"\nzone a\0\0\0b\nzone \0\n";
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int nerr = 0;
	struct profile *pf = profile_parse("nul", t, sizeof(t) - 1, f, &nerr);

	fclose(f);
	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 2);   /* one per run of NULs */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "nul:2:7: error: unexpected byte 0x00"));
	free(buf);
}

static void
test_lex_positions(void)
{
	const char *t = "ab\n\tcd  ef,\n  gh";
	struct diag *d = diag_open(NULL, "x", t, strlen(t));
	struct lexer lx;

	lex_init(&lx, t, strlen(t), d, false);
	CU_ASSERT_EQUAL(lx.cur.at.line, 1);
	CU_ASSERT_EQUAL(lx.cur.at.col, 1);
	lex_advance(&lx);   /* newline: shown just after "ab" */
	CU_ASSERT_EQUAL(lx.cur.kind, TK_NEWLINE);
	CU_ASSERT_EQUAL(lx.cur.at.line, 1);
	CU_ASSERT_EQUAL(lx.cur.at.col, 3);
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.at.line, 2);
	CU_ASSERT_EQUAL(lx.cur.at.col, 2);   /* bytes: the tab is one column */
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.at.col, 6);
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.kind, TK_COMMA);
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.at.line, 3);
	CU_ASSERT_EQUAL(lx.cur.at.col, 3);
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.kind, TK_EOF);
	CU_ASSERT_EQUAL(lx.cur.at.line, 3);
	CU_ASSERT_EQUAL(lx.cur.at.col, 5);
	diag_close(d);
}

/* ---- diagnostics format ---- */

static void
test_diag_caret_tabs_and_width(void)
{
	char *d = NULL;
	struct profile *pf = parse(HDR "\topen a ->\tnope : tcp/443\n", &d, NULL);

	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_STRING_EQUAL(d,
	    "t.profile:5:12: error: unknown endpoint 'nope'\n"
	    "    \topen a ->\tnope : tcp/443\n"
	    "    \t         \t^~~~\n");
	free(d);
}

static void
test_diag_sorted_by_position(void)
{
	char *d = NULL;
	struct profile *pf = parse(HDR "open a -> x : tcp/1\nzone 7\n", &d, NULL);
	char *first = strstr(d, ":5:"), *second = strstr(d, ":6:");

	CU_ASSERT_PTR_NULL(pf);
	/* the resolution error (line 5) is found after the syntax error (line
	 * 6) but printed first */
	CU_ASSERT_PTR_NOT_NULL(first);
	CU_ASSERT_PTR_NOT_NULL(second);
	CU_ASSERT(first && second && first < second);
	free(d);
}

static void
test_diag_null_stream_counts(void)
{
	const char *t = "zone a\nzone a\n";
	int nerr = 0;
	struct profile *pf = profile_parse("x", t, strlen(t), NULL, &nerr);

	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 2);   /* duplicate + missing profile */
}

/* ---- error messages, one class each ---- */

static void
test_err_syntax(void)
{
	check_error(HDR "open a b : tcp/1\n", 1, "t.profile:5:8: error: expected '->', found 'b'");
	check_error(HDR "open a -> b tcp/1\n", 1, "t.profile:5:13: error: expected ':', found 'tcp'");
	check_error(HDR "zone 5\n", 1, "t.profile:5:6: error: expected zone name, found '5'");
	check_error(HDR "zone d \"x\" y\n", 1, "t.profile:5:12: error: expected end of line, found 'y'");
	check_error(HDR "open a -> b : tcp/\n", 1,
	    "t.profile:5:19: error: expected port number, found end of line");
	check_error(HDR "open a -> b :", 1,
	    "t.profile:5:14: error: expected service name or tcp/udp port list, found end of file");
	check_error(HDR "service s tcp/1\n", 1, "t.profile:5:11: error: expected '=', found 'tcp'");
	check_error(HDR "default open\n", 1, "t.profile:5:9: error: expected 'closed', found 'open'");
	check_error("profile 5\n", 1, "t.profile:1:9: error: expected string, found '5'");
	check_error(HDR "section x\n", 1, "t.profile:5:9: error: expected section title string, found 'x'");
	check_error(HDR "open a -> b : tcp 443\n", 1, "t.profile:5:19: error: expected '/', found '443'");
	check_error(HDR "-> a\n", 1, "t.profile:5:1: error: expected a statement, found '->'");
}

static void
test_err_unknown_statement(void)
{
	check_error(HDR "allow a -> b : tcp/1\n", 1,
	    "t.profile:5:1: error: unknown statement 'allow' (expected profile, source, "
	    "section, include, zone, role, fqdn, block, wildcard, group, service, open, closed "
	    "or default)");
}

static void
test_err_keep_going(void)
{
	int nerr = 0;
	struct profile *pf = parse(HDR "zone 1\nrole 2\nopen a b\nfoo\nopen a -> b : tcp/0\n",
	    NULL, &nerr);

	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 5);
}

static void
test_err_unknown_names(void)
{
	check_error(HDR "open a -> nope : tcp/1\n", 1, "t.profile:5:11: error: unknown endpoint 'nope'");
	check_error(HDR "open a -> b : nope\n", 1, "t.profile:5:15: error: unknown service 'nope'");
	check_error(HDR "open a -> b : c\n", 1, "t.profile:5:15: error: 'c' is a role, not a service");
	check_error(HDR "service s = tcp/1\nopen s -> b : s\n", 1,
	    "t.profile:6:6: error: 's' is a service, not an endpoint");
	check_error(HDR "service s = t\n", 1, "t.profile:5:13: error: unknown service 't'");
}

static void
test_err_duplicates(void)
{
	check_error(HDR "role a\n", 1,
	    "t.profile:5:6: error: duplicate definition of 'a' (first defined at line 2)");
	check_error(HDR "service c = tcp/1\n", 1,
	    "t.profile:5:9: error: duplicate definition of 'c' (first defined at line 4)");
	check_error(HDR "service s = tcp/1\nzone s\n", 1,
	    "t.profile:6:6: error: duplicate definition of 's' (first defined at line 5)");
	check_error(HDR "profile \"u\"\n", 1,
	    "t.profile:5:1: error: duplicate 'profile' statement (first at line 1)");
	check_error(HDR "default closed\ndefault closed\n", 1,
	    "t.profile:6:1: error: duplicate 'default closed' statement (first at line 5)");
}

static void
test_err_ports(void)
{
	check_error(HDR "open a -> b : tcp/70000\n", 1,
	    "t.profile:5:19: error: port 70000 out of range 1-65535");
	check_error(HDR "open a -> b : udp/0\n", 1, "t.profile:5:19: error: port 0 out of range 1-65535");
	check_error(HDR "open a -> b : tcp/4294967296\n", 1,
	    "error: port 4294967296 out of range 1-65535");
	check_error(HDR "open a -> b : tcp/123456789012345678901234567890\n", 1,
	    "error: port 12345678901234567890... out of range 1-65535");
	check_error(HDR "open a -> b : tcp/5230-5228\n", 1,
	    "t.profile:5:19: error: empty port range 5230-5228\n"
	    "    open a -> b : tcp/5230-5228\n"
	    "                      ^~~~~~~~~\n");
	check_error(HDR "open a -> b : tcp/1, 2-70000\n", 1,
	    "t.profile:5:24: error: port 70000 out of range 1-65535");
}

static void
test_err_reserved_names(void)
{
	check_error(HDR "zone tcp\n", 1,
	    "t.profile:5:6: error: 'tcp' cannot be used as a name: it starts a port list like tcp/443");
	check_error(HDR "service udp = tcp/53\n", 1,
	    "t.profile:5:9: error: 'udp' cannot be used as a name: it starts a port list like udp/443");
}

static void
test_err_shared_endpoint(void)
{
	check_error(HDR "open a, c -> b, c : tcp/1\n", 1,
	    "t.profile:5:17: error: 'c' is both a source and a destination of this rule");
}

static void
test_err_cycles(void)
{
	check_error(HDR "service s = s\n", 1, "t.profile:5:13: error: service definition cycle: s -> s");
	check_error(HDR "service x = tcp/1, y\nservice y = z\nservice z = x\n", 1,
	    "t.profile:7:13: error: service definition cycle: x -> y -> z -> x");
	/* a diamond is not a cycle */
	{
		int nerr = 0;
		struct profile *pf = parse(HDR "service w = x, y\nservice x = z\nservice y = z\n"
		    "service z = tcp/1\nopen a -> b : w\n", NULL, &nerr);

		CU_ASSERT_PTR_NOT_NULL(pf);
		CU_ASSERT_EQUAL(nerr, 0);
		profile_free(pf);
	}
}

static void
test_err_long_service_chain(void)
{
	/* a long chain of definitions resolves (the walk is iterative) */
	enum { DEPTH = 3000 };
	size_t cap = DEPTH * 40 + 64, n = 0, i;
	char *t = malloc(cap);
	int nerr = -1;
	struct profile *pf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	n += (size_t)snprintf(t + n, cap - n, "profile \"chain\"\n");
	for (i = 0; i < DEPTH; i++)
		n += (size_t)snprintf(t + n, cap - n, "service s%zu = s%zu\n", i, i + 1);
	n += (size_t)snprintf(t + n, cap - n, "service s%d = tcp/%d\n", DEPTH, 7);
	pf = profile_parse("chain", t, n, NULL, &nerr);
	CU_ASSERT_PTR_NOT_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	profile_free(pf);
	free(t);
}

static void
test_err_contradiction(void)
{
	check_error(HDR "open a -> b : tcp/1433\nclosed a, c -> b : tcp/1400-1500\n", 1,
	    "t.profile:6:1: error: contradicts open rule at line 5: a -> b tcp/1433\n"
	    "    closed a, c -> b : tcp/1400-1500\n"
	    "    ^~~~~~\n");
	check_error(HDR "service s = tcp/10-20\nclosed a -> b, c : s\nopen a -> c : tcp/15-30\n", 1,
	    "t.profile:7:1: error: contradicts closed rule at line 6: a -> c tcp/15-20");
	/* different protocol, endpoint or port: no contradiction */
	{
		int nerr = 0;
		struct profile *pf = parse(HDR "open a -> b : tcp/53\nclosed a -> b : udp/53\n"
		    "closed c -> b : tcp/53\nclosed a -> c : tcp/53\nclosed a -> b : tcp/54\n",
		    NULL, &nerr);

		CU_ASSERT_PTR_NOT_NULL(pf);
		CU_ASSERT_EQUAL(nerr, 0);
		profile_free(pf);
	}
}

static void
test_err_missing_profile(void)
{
	check_error("zone a\n", 1, "t.profile:1:1: error: missing 'profile' statement\n    zone a\n    ^\n");
	check_error("", 1, "t.profile:1:1: error: missing 'profile' statement\n    \n    ^\n");
	/* a malformed profile statement is not also "missing" */
	check_error("profile\n", 1, "t.profile:1:8: error: expected string, found end of line");
}

static void
test_err_lexical(void)
{
	check_error(HDR "zone d \"abc\n", 1, "t.profile:5:8: error: unterminated string");
	check_error(HDR "zone d \"a\\tb\"\n", 1,
	    "t.profile:5:10: error: invalid escape '\\t' in string: only \\\" and \\\\ are allowed");
	check_error(HDR "zone d \"a\x1b[31m\"\n", 1, "t.profile:5:10: error: control character 0x1b in string");
	check_error(HDR "zone d; zone e\n", 1, "t.profile:5:7: error: unexpected character ';'");
	check_error(HDR "zone caf\xc3\xa9\n", 1,
	    "t.profile:5:9: error: unexpected character '\xc3\xa9': only strings may hold non-ASCII text");
	check_error(HDR "zone \xff\n", 1, "t.profile:5:6: error: unexpected byte 0xff");
}

static void
test_warn_listed_twice(void)
{
	char *d = NULL;
	int nerr = -1;
	struct profile *pf = parse(HDR "open a -> b : tcp/443, 80, 443, udp/443\n", &d, &nerr);

	CU_ASSERT_PTR_NOT_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_STRING_EQUAL(d,
	    "t.profile:5:28: warning: tcp/443 listed twice\n"
	    "    open a -> b : tcp/443, 80, 443, udp/443\n"
	    "                               ^~~\n");
	profile_free(pf);
	free(d);
	pf = parse(HDR "service s = tcp/1-10, tcp/5-20\n", &d, &nerr);
	CU_ASSERT_PTR_NOT_NULL(pf);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.profile:5:27: warning: tcp/5-10 listed twice"));
	profile_free(pf);
	free(d);
}

/* The warning names the first port of an item listed before and the
 * ports after it that were too, as the span-merging version did. */
static void
check_relisted(const char *list, const char *want)
{
	char text[256], *d = NULL;
	int nerr = -1;
	struct profile *pf;

	snprintf(text, sizeof(text), HDR "open a -> c : %s\n", list);
	pf = parse(text, &d, &nerr);
	CU_ASSERT_PTR_NOT_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	if (want) {
		CU_ASSERT_PTR_NOT_NULL(strstr(d, want));
	} else {
		CU_ASSERT_PTR_NULL(strstr(d, "warning"));
	}
	profile_free(pf);
	free(d);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
test_warn_listed_twice_spans(void)
{
	check_relisted("tcp/1-10, 20-30, 5-25", "warning: tcp/5-10 listed twice");
	check_relisted("tcp/10-20, 1-30", "warning: tcp/10-20 listed twice");
	check_relisted("tcp/5, 7, 1-10", "warning: tcp/5 listed twice");
	check_relisted("tcp/5, 6, 1-10", "warning: tcp/5-6 listed twice");
	check_relisted("tcp/63-64, 1-200", "warning: tcp/63-64 listed twice");
	check_relisted("tcp/65535, 65530-65535", "warning: tcp/65535 listed twice");
	check_relisted("tcp/1, udp/1, tcp/2", NULL);
	check_relisted("tcp+udp/80, udp/80", "warning: udp/80 listed twice");
	check_relisted("tcp/100-200, udp/150, tcp+udp/140-160", "warning: tcp/140-160 listed twice");
	check_relisted("udp/100-200, tcp+udp/140-160", "warning: udp/140-160 listed twice");
}

/* Every port, one by one, in one rule: was quadratic (8,000 ports took
 * 2.7 s, 16,000 took 18 s); completes now, with the same warnings. */
static void
test_warn_listed_every_port(void)
{
	size_t cap = 65535 * 8 + 256, len;
	char *text = malloc(cap), *d = NULL;
	unsigned port;
	int nerr = -1;
	struct profile *pf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	len = (size_t)snprintf(text, cap, HDR "open a -> c : tcp/1");
	for (port = 2; port <= 65535; port++)
		len += (size_t)snprintf(text + len, cap - len, ", %u", port);
	snprintf(text + len, cap - len, ", 65535, 1-3, udp/7, tcp+udp/7\n");
	pf = parse(text, &d, &nerr);
	CU_ASSERT_PTR_NOT_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_EQUAL(count(d, "warning: "), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "warning: tcp/65535 listed twice"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "warning: tcp/1-3 listed twice"));
	/* One warning an item: tcp is looked at first. */
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "warning: tcp/7 listed twice"));
	if (pf) {
		CU_ASSERT_EQUAL(profile_rule(pf, 0)->nspans, 2);
	}
	profile_free(pf);
	free(d);
	free(text);
}

/* ---- names, addresses and the new punctuation ---- */

static char *
cur_text(const struct lexer *lx)
{
	return lex_text(lx, &lx->cur);
}

static void
test_lex_dns_names(void)
{
	static const char *const names[] = {
		"rm01.awmdm.com", "*.apple.com", "*gstatic.com", "accounts.google.[country]",
		"accounts.google.com.*", "itun.es",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct diag *d = diag_open(NULL, "x", names[i], strlen(names[i]));
		struct lexer lx;
		char *t;

		lex_init(&lx, names[i], strlen(names[i]), d, false);
		CU_ASSERT_EQUAL(lx.cur.kind, TK_IDENT);
		t = cur_text(&lx);
		CU_ASSERT_STRING_EQUAL(t, names[i]);
		free(t);
		lex_advance(&lx);
		CU_ASSERT_EQUAL(lx.cur.kind, TK_EOF);
		CU_ASSERT_EQUAL(diag_nerrors(d), 0);
		diag_close(d);
	}
}

static void
test_lex_name_edges(void)
{
	static const enum tok_kind trailing_dot[] = { TK_IDENT, TK_BAD, TK_EOF };
	static const enum tok_kind plus[] = { TK_IDENT, TK_PLUS, TK_IDENT, TK_SLASH, TK_NUMBER, TK_EOF };
	static const enum tok_kind arrow[] = { TK_IDENT, TK_ARROW, TK_IDENT, TK_EOF };
	static const enum tok_kind bracket[] = { TK_IDENT, TK_BAD, TK_EOF };

	check_kinds("a.com.", false, trailing_dot, 3);
	check_kinds("tcp+udp/5228", false, plus, 6);
	check_kinds("a.b.com->x.y.com", false, arrow, 4);
	check_kinds("a.[]", false, bracket, 3);
}

/* lex_address() re-reads cur where the grammar wants an address. */
static void
check_address(const char *text, const char *want, enum tok_kind next)
{
	struct diag *d = diag_open(NULL, "x", text, strlen(text));
	struct lexer lx;
	char *t;

	lex_init(&lx, text, strlen(text), d, false);
	CU_ASSERT_TRUE_FATAL(lex_address(&lx));
	CU_ASSERT_EQUAL(lx.cur.kind, TK_ADDR);
	t = cur_text(&lx);
	CU_ASSERT_STRING_EQUAL(t, want);
	free(t);
	lex_advance(&lx);
	CU_ASSERT_EQUAL(lx.cur.kind, next);
	CU_ASSERT_EQUAL(diag_nerrors(d), 0);
	diag_close(d);
}

static void
test_lex_address(void)
{
	struct diag *d;
	struct lexer lx;

	check_address("17.0.0.0/8 sample", "17.0.0.0/8", TK_IDENT);
	check_address("2001:db8::1, x", "2001:db8::1", TK_COMMA);
	check_address("::1\n", "::1", TK_NEWLINE);
	check_address("fe80::/10 # c", "fe80::/10", TK_EOF);
	check_address("1.2.3.4x \"d\"", "1.2.3.4x", TK_STRING);
	/* a name that cannot start an address is left alone */
	d = diag_open(NULL, "x", "rm01", 4);
	lex_init(&lx, "rm01", 4, d, false);
	CU_ASSERT_FALSE(lex_address(&lx));
	CU_ASSERT_EQUAL(lx.cur.kind, TK_IDENT);
	diag_close(d);
}

/* ---- fqdn, block, wildcard, group, placement ---- */

#define EPS "profile \"t\"\nzone dev\nrole srv\n"

static struct profile *
parse_ok(const char *text)
{
	char *d = NULL;
	int nerr = -1;
	struct profile *pf = parse(text, &d, &nerr);

	if (!pf)
		fprintf(stderr, "\n%s", d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	free(d);
	return pf;
}

static const struct profile_endpoint *
endpoint_named(const struct profile *pf, const char *name)
{
	long i = profile_find_endpoint(pf, name);

	CU_ASSERT_FATAL(i >= 0);
	return profile_endpoint(pf, (size_t)i);
}

static void
test_model_fqdn(void)
{
	struct profile *pf = parse_ok(EPS
	    "fqdn rm01.awmdm.com \"Portal Server\" = 52.207.131.208, 2001:db8::7\n"
	    "fqdn fcm.googleapis.com\n"
	    "open dev -> rm01.awmdm.com, FCM.googleapis.com : tcp/443\n");
	const struct profile_endpoint *e = endpoint_named(pf, "rm01.awmdm.com");
	char buf[ADDR_STRLEN];

	CU_ASSERT_EQUAL(e->kind, EP_FQDN);
	CU_ASSERT_STRING_EQUAL(e->desc, "Portal Server");
	CU_ASSERT_EQUAL_FATAL(e->naddrs, 2);
	CU_ASSERT_STRING_EQUAL(addr_fmt(&e->addrs[0], buf), "52.207.131.208");
	CU_ASSERT_STRING_EQUAL(addr_fmt(&e->addrs[1], buf), "2001:db8::7");
	CU_ASSERT_EQUAL(e->line, 4);
	CU_ASSERT_STRING_EQUAL(e->file, "t.profile");
	CU_ASSERT_PTR_NULL(e->wildcard);
	/* DNS names compare without regard to case */
	CU_ASSERT_EQUAL(profile_find_endpoint(pf, "RM01.AWMDM.COM"), profile_find_endpoint(pf, "rm01.awmdm.com"));
	CU_ASSERT_EQUAL(endpoint_named(pf, "fcm.googleapis.com")->naddrs, 0);
	CU_ASSERT_EQUAL(profile_rule(pf, 0)->ndst, 2);
	profile_free(pf);
}

static void
test_fqdn_declared_twice(void)
{
	char *d = NULL;
	int nerr = -1;
	struct profile *pf = parse(EPS "fqdn a.example.com \"one\" = 198.18.0.1\n"
	    "fqdn a.example.com \"two\" = 198.18.0.1, 198.18.0.2, 198.18.0.2\n", &d, &nerr);
	const struct profile_endpoint *e;

	/* a warning, as vendor tables repeat rows; the addresses join */
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(d,
	    "t.profile:5:6: warning: fqdn 'a.example.com' declared twice (first at line 4)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "t.profile:5:52: warning: address 198.18.0.2 listed twice\n"));
	CU_ASSERT_PTR_NULL(strstr(d, "address 198.18.0.1 listed twice"));
	e = endpoint_named(pf, "a.example.com");
	CU_ASSERT_STRING_EQUAL(e->desc, "one");
	CU_ASSERT_EQUAL(e->naddrs, 2);
	free(d);
	profile_free(pf);
}

static void
test_err_fqdn(void)
{
	check_error(EPS "fqdn localhost\n", 1,
	    "t.profile:4:6: error: invalid DNS name 'localhost': it needs at least one dot");
	check_error(EPS "fqdn a..b\n", 1, "t.profile:4:6: error: invalid DNS name 'a..b': a label is empty");
	check_error(EPS "fqdn a-.com\n", 1, "error: invalid DNS name 'a-.com': a label starts or ends with '-'");
	check_error(EPS "fqdn -a.com\n", 1, "t.profile:4:6: error: expected DNS name, found '-'");
	check_error(EPS "fqdn *.a.com\n", 1,
	    "error: invalid DNS name '*.a.com': it is a pattern: declare it with 'wildcard'");
	check_error(EPS "fqdn a_b.com\n", 1,
	    "error: invalid DNS name 'a_b.com': only letters, digits, '-' and '.' may appear in it");
	check_error(EPS "fqdn a.com = 17.0.0.0/8\n", 1,
	    "t.profile:4:14: error: '17.0.0.0/8' is an address block: an fqdn's documented addresses "
	    "are single addresses (declare the block with 'block')");
	check_error(EPS "fqdn a.com = 1.2.3\n", 1, "t.profile:4:14: error: invalid address '1.2.3'");
	check_error(EPS "fqdn a.com = x\n", 1, "t.profile:4:14: error: expected address, found 'x'");
	check_error(EPS "fqdn a.com =", 1, "t.profile:4:13: error: expected address, found end of file");
	check_error(EPS "zone a.com\n", 1, "t.profile:4:6: error: 'a.com' cannot name a zone");
	check_error(EPS "service s.x = tcp/1\n", 1, "t.profile:4:9: error: 's.x' cannot name a service");
}

static void
test_model_block(void)
{
	struct profile *pf = parse_ok(EPS
	    "block apple \"Apple\" = 17.0.0.0/8\n"
	    "block six = 2001:db8:1::/48 sample 3\n"
	    "open srv -> apple, six : tcp/2195\n");
	const struct profile_endpoint *e = endpoint_named(pf, "apple");
	char buf[ADDR_STRLEN];

	CU_ASSERT_EQUAL(e->kind, EP_BLOCK);
	CU_ASSERT_EQUAL(e->prefix, 8);
	CU_ASSERT_EQUAL(e->sample, PROFILE_SAMPLE_DEFAULT);
	CU_ASSERT_EQUAL_FATAL(e->naddrs, 1);
	CU_ASSERT_STRING_EQUAL(addr_fmt(&e->addrs[0], buf), "17.0.0.0");
	e = endpoint_named(pf, "six");
	CU_ASSERT_EQUAL(e->prefix, 48);
	CU_ASSERT_EQUAL(e->sample, 3);
	profile_free(pf);
}

static void
test_err_block(void)
{
	check_error(EPS "block b = 17.0.0.1/8\n", 1,
	    "t.profile:4:11: error: invalid address block '17.0.0.1/8': host bits are set");
	check_error(EPS "block b = 17.0.0.0/33\n", 1,
	    "error: invalid address block '17.0.0.0/33': the prefix length must be 0 to 32");
	check_error(EPS "block b = 17.0.0.0\n", 1,
	    "error: invalid address block '17.0.0.0': an address block is written like 17.0.0.0/8");
	check_error(EPS "block b = 17.0.0.0/8 sample 0\n", 1,
	    "t.profile:4:29: error: sample size 0 out of range 1-256");
	check_error(EPS "block b = 17.0.0.0/8 sample 257\n", 1, "error: sample size 257 out of range 1-256");
	check_error(EPS "block b = 17.0.0.0/8 sample\n", 1,
	    "t.profile:4:28: error: expected sample size, found end of line");
	check_error(EPS "block b 17.0.0.0/8\n", 1, "t.profile:4:9: error: expected '=', found '17.0.0.0'");
}

static void
test_model_wildcard(void)
{
	struct profile *pf = parse_ok(EPS
	    "fqdn www.apple.com \"declared\" = 198.18.0.9\n"
	    "wildcard *.apple.com \"App Store\" = www.apple.com, itunes.apple.com\n"
	    "wildcard accounts.google.[country] = accounts.google.com.au, accounts.google.co.uk\n"
	    "open srv -> *.apple.com, accounts.google.[country] : tcp/443 tls\n");
	const struct profile_rule *r = profile_rule(pf, 0);
	const struct profile_endpoint *e;

	/* a chosen name that an fqdn declares is that endpoint; the others
	 * are made for the wildcard, without addresses */
	CU_ASSERT_EQUAL(profile_nendpoints(pf), 6);
	e = endpoint_named(pf, "www.apple.com");
	CU_ASSERT_STRING_EQUAL(e->desc, "declared");
	CU_ASSERT_STRING_EQUAL(e->wildcard, "*.apple.com");
	e = endpoint_named(pf, "itunes.apple.com");
	CU_ASSERT_EQUAL(e->kind, EP_FQDN);
	CU_ASSERT_EQUAL(e->naddrs, 0);
	CU_ASSERT_STRING_EQUAL(e->wildcard, "*.apple.com");
	CU_ASSERT_EQUAL(e->line, 5);
	CU_ASSERT_STRING_EQUAL(endpoint_named(pf, "accounts.google.co.uk")->wildcard,
	    "accounts.google.[country]");
	CU_ASSERT_EQUAL(r->ndst, 4);
	CU_ASSERT_STRING_EQUAL(r->to, "*.apple.com, accounts.google.[country]");
	CU_ASSERT_STRING_EQUAL(profile_name_kind(pf, "*.apple.com"), "wildcard");
	CU_ASSERT_EQUAL(profile_find_endpoint(pf, "*.apple.com"), -1);
	profile_free(pf);
}

static void
test_err_wildcard(void)
{
	check_error(EPS "wildcard apple.com = www.apple.com\n", 1,
	    "t.profile:4:10: error: invalid wildcard pattern 'apple.com': it has no '*' or "
	    "[placeholder]: declare a single name with 'fqdn'");
	check_error(EPS "wildcard *.apple.com = www.aple.com\n", 1,
	    "t.profile:4:24: error: 'www.aple.com' does not match the wildcard '*.apple.com'");
	check_error(EPS "wildcard a.[country] = a.com, b.com\n", 1,
	    "t.profile:4:31: error: 'b.com' does not match the wildcard 'a.[country]'");
	check_error(EPS "wildcard *.a.com = x.a.com\nwildcard *.A.com = y.a.com\n", 1,
	    "t.profile:5:10: error: duplicate definition of '*.A.com' (first defined at line 4)");
	check_error(EPS "wildcard *.a.com\n", 1, "t.profile:4:17: error: expected '=', found end of line");
}

static void
test_model_groups(void)
{
	struct profile *pf = parse_ok(EPS
	    "zone lan\n"
	    "fqdn a.example.com = 198.18.0.1\n"
	    "wildcard *.x.com = p.x.com, q.x.com\n"
	    "group inner \"Inner\" = a.example.com, *.x.com\n"
	    "group outer = inner, srv, a.example.com\n"
	    "open dev, lan -> outer : tcp/1\n");
	const struct profile_rule *r = profile_rule(pf, 0);

	/* expanded, each endpoint once, in the order written */
	CU_ASSERT_EQUAL_FATAL(r->ndst, 4);
	CU_ASSERT_EQUAL(r->dst[0], (size_t)profile_find_endpoint(pf, "a.example.com"));
	CU_ASSERT_EQUAL(r->dst[1], (size_t)profile_find_endpoint(pf, "p.x.com"));
	CU_ASSERT_EQUAL(r->dst[2], (size_t)profile_find_endpoint(pf, "q.x.com"));
	CU_ASSERT_EQUAL(r->dst[3], (size_t)profile_find_endpoint(pf, "srv"));
	CU_ASSERT_STRING_EQUAL(r->from, "dev, lan");
	CU_ASSERT_STRING_EQUAL(r->to, "outer");
	CU_ASSERT_STRING_EQUAL(profile_name_kind(pf, "outer"), "group");
	CU_ASSERT(profile_allows(pf, 0, (size_t)profile_find_endpoint(pf, "q.x.com"), RP_PROTO_TCP, 1));
	profile_free(pf);
}

static void
test_err_groups(void)
{
	check_error(EPS "group g = g\n", 1, "t.profile:4:11: error: group definition cycle: g -> g");
	check_error(EPS "group a = b, dev\ngroup b = c\ngroup c = a\n", 1,
	    "t.profile:6:11: error: group definition cycle: a -> b -> c -> a");
	check_error(EPS "group g = dev, nope\n", 1, "t.profile:4:16: error: unknown endpoint 'nope'");
	check_error(EPS "service s = tcp/1\ngroup g = s\n", 1,
	    "t.profile:5:11: error: 's' is a service, not an endpoint");
	check_error(EPS "group g = dev, srv\nopen g -> srv : tcp/1\n", 1,
	    "t.profile:5:11: error: 'srv' is both a source and a destination of this rule");
	check_error(EPS "group g = dev, srv\nopen srv -> g : tcp/1\n", 1,
	    "t.profile:5:13: error: 'srv' (in group 'g') is both a source and a destination of this rule");
	check_error(EPS "group g = dev\nopen g -> srv : g\n", 1,
	    "t.profile:5:17: error: 'g' is a group, not a service");
	check_error(EPS "group dev = srv\n", 1,
	    "t.profile:4:7: error: duplicate definition of 'dev' (first defined at line 2)");
}

static void
test_model_zones(void)
{
	struct profile *pf = parse_ok("profile \"z\"\nrole db \"DB\" in private\nrole web in dmz\n"
	    "zone dmz\nzone private \"Private zone\"\nrole other\n");

	CU_ASSERT_EQUAL(endpoint_named(pf, "db")->zone, profile_find_endpoint(pf, "private"));
	CU_ASSERT_EQUAL(endpoint_named(pf, "web")->zone, profile_find_endpoint(pf, "dmz"));
	CU_ASSERT_EQUAL(endpoint_named(pf, "other")->zone, -1);
	CU_ASSERT_EQUAL(endpoint_named(pf, "dmz")->zone, -1);
	profile_free(pf);
	check_error(EPS "role db in srv\n", 1, "t.profile:4:12: error: 'srv' is a role, not a zone");
	check_error(EPS "role db in nowhere\n", 1, "t.profile:4:12: error: unknown zone 'nowhere'");
	check_error(EPS "role db in\n", 1, "t.profile:4:11: error: expected zone name, found end of line");
}

/* ---- services: both protocols, TLS ---- */

static void
test_model_tls(void)
{
	struct profile *pf = parse_ok(EPS
	    "service https = tcp/443 tls\n"
	    "service apns = tcp/2195, 2196 tls sni \"gateway.push.apple.com\"\n"
	    "service fcm = tcp+udp/5228-5230\n"
	    "open dev -> srv : https, apns, fcm, tcp/80\n"
	    "open srv -> dev : tcp/22\n");
	const struct profile_rule *r = profile_rule(pf, 0);
	const struct port_span *sp;

	CU_ASSERT_TRUE(r->tls);
	CU_ASSERT_FALSE(profile_rule(pf, 1)->tls);
	CU_ASSERT_EQUAL_FATAL(r->nspans, 5);   /* 80, 443, 2195-2196, tcp 5228-5230, udp */
	sp = profile_rule_span(r, RP_PROTO_TCP, 443);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_TRUE(sp->tls);
	CU_ASSERT_PTR_NULL(sp->sni);
	sp = profile_rule_span(r, RP_PROTO_TCP, 2196);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_EQUAL(sp->lo, 2195);
	CU_ASSERT_STRING_EQUAL(sp->sni, "gateway.push.apple.com");
	sp = profile_rule_span(r, RP_PROTO_UDP, 5229);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_FALSE(sp->tls);
	CU_ASSERT_PTR_NOT_NULL(profile_rule_span(r, RP_PROTO_TCP, 5230));
	CU_ASSERT_FALSE(profile_rule_span(r, RP_PROTO_TCP, 80)->tls);
	CU_ASSERT_PTR_NULL(profile_rule_span(r, RP_PROTO_TCP, 81));
	/* tls and plain ports that touch stay apart */
	profile_free(pf);
	pf = parse_ok(EPS "open dev -> srv : tcp/443 tls, tcp/444\n");
	CU_ASSERT_EQUAL(profile_rule(pf, 0)->nspans, 2);
	profile_free(pf);
}

static void
test_err_tls(void)
{
	check_error(EPS "open dev -> srv : udp/443 tls\n", 1,
	    "t.profile:4:27: error: 'tls' needs tcp: a udp port cannot carry a TLS ClientHello");
	check_error(EPS "open dev -> srv : tcp+udp/443 tls\n", 1, "error: 'tls' needs tcp");
	check_error(EPS "open dev -> srv : tcp/443 tls, 8443\n", 1,
	    "t.profile:4:32: error: a port list ends at 'tls': start another one with tcp/ or udp/");
	check_error(EPS "service s = tcp/443\nopen dev -> srv : s tls\n", 1,
	    "t.profile:5:21: error: 'tls' follows a port list (tcp/443 tls), not a service name");
	check_error(EPS "open dev -> srv : tcp/443 tls sni\n", 1,
	    "t.profile:4:34: error: expected server name string, found end of line");
	check_error(EPS "open dev -> srv : tcp/443 tls sni \"x\"\n", 1,
	    "t.profile:4:35: error: invalid server name 'x': it needs at least one dot");
	check_error(EPS "open dev -> srv : tcp/443 tls, tcp/440-450\n", 1,
	    "t.profile:4:32: error: tcp/443 is listed with and without tls");
	check_error(EPS "open dev -> srv : tcp/443 tls sni \"a.com\", tcp/443 tls sni \"b.com\"\n", 1,
	    "t.profile:4:44: error: tcp/443 is listed with two different server names (sni)");
	check_error(EPS "open dev -> srv : tcp+tcp/1\n", 1, "t.profile:4:23: error: expected 'udp', found 'tcp'");
	check_error(EPS "open dev -> srv : udp+/1\n", 1, "t.profile:4:23: error: expected 'tcp', found '/'");
}

static void
test_warn_both_protocols(void)
{
	char *d = NULL;
	int nerr = -1;
	struct profile *pf = parse(EPS "open dev -> srv : tcp/5228-5230, udp/5229, tcp+udp/5230\n",
	    &d, &nerr);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_STRING_EQUAL(d,
	    "t.profile:4:52: warning: tcp/5230 listed twice\n"
	    "    open dev -> srv : tcp/5228-5230, udp/5229, tcp+udp/5230\n"
	    "                                                       ^~~~\n");
	free(d);
	profile_free(pf);
}

/* ---- rules: direction, citation, provenance ---- */

static void
test_model_provenance(void)
{
	struct profile *pf = parse_ok(EPS
	    "open dev -> srv : tcp/1 inbound\n"
	    "source \"Doc A\"\nsection \"S1\"\n"
	    "open dev -> srv : tcp/2 cite \"row 2\" outbound\n"
	    "source \"Doc B\"\n"
	    "open dev -> srv : tcp/3\n"
	    "section \"\"\n"
	    "open dev -> srv : tcp/4\n");
	const struct profile_rule *r;

	CU_ASSERT_STRING_EQUAL(profile_document(pf), "Doc A");
	r = profile_rule(pf, 0);
	CU_ASSERT_EQUAL(r->direction, DIR_INBOUND);
	CU_ASSERT_STRING_EQUAL(r->document, "Doc A");   /* before any source: the first */
	CU_ASSERT_PTR_NULL(r->section);
	CU_ASSERT_PTR_NULL(r->cite);
	CU_ASSERT_STRING_EQUAL(r->file, "t.profile");
	r = profile_rule(pf, 1);
	CU_ASSERT_EQUAL(r->direction, DIR_OUTBOUND);
	CU_ASSERT_STRING_EQUAL(r->cite, "row 2");
	CU_ASSERT_STRING_EQUAL(r->section, "S1");
	r = profile_rule(pf, 2);
	CU_ASSERT_EQUAL(r->direction, DIR_UNSPECIFIED);
	CU_ASSERT_STRING_EQUAL(r->document, "Doc B");
	CU_ASSERT_STRING_EQUAL(r->section, "S1");
	CU_ASSERT_PTR_NULL(profile_rule(pf, 3)->section);
	profile_free(pf);
	check_error(EPS "open dev -> srv : tcp/1 inbound outbound\n", 1,
	    "t.profile:4:33: error: the rule's direction is given twice");
	check_error(EPS "open dev -> srv : tcp/1 cite \"a\" cite \"b\"\n", 1,
	    "t.profile:4:34: error: the rule's citation is given twice");
	check_error(EPS "open dev -> srv : tcp/1 cite\n", 1,
	    "t.profile:4:29: error: expected citation string, found end of line");
	check_error(EPS "open dev -> srv : tcp/1 sideways\n", 1,
	    "t.profile:4:25: error: expected end of line, found 'sideways'");
}

static void
test_model_default_all(void)
{
	struct profile *pf = parse_ok(EPS "open dev -> srv : tcp/1\ndefault closed all\n");

	CU_ASSERT_TRUE(profile_default_closed_all(pf));
	CU_ASSERT_EQUAL(profile_default_closed_line(pf), 5);
	CU_ASSERT_STRING_EQUAL(profile_default_closed_file(pf), "t.profile");
	profile_free(pf);
	pf = parse_ok(EPS "default closed\n");
	CU_ASSERT_FALSE(profile_default_closed_all(pf));
	profile_free(pf);
	check_error(EPS "default closed some\n", 1, "t.profile:4:16: error: expected end of line, found 'some'");
}

static void
test_err_contradiction_groups(void)
{
	check_error(EPS "fqdn a.com\nwildcard *.x.com = p.x.com\ngroup g = a.com, *.x.com\n"
	    "open dev -> g : tcp/443 tls\nclosed dev -> p.x.com : tcp/400-500\n", 1,
	    "t.profile:8:1: error: contradicts open rule at line 7: dev -> p.x.com tcp/443");
}

/* ---- include ---- */

struct vfile {
	const char *path, *text;
};

/* A reader over a fixed table of files, so that include tests need no
 * file system. */
static bool
vread(void *ctx, const char *path, char **text, size_t *len, int *err)
{
	const struct vfile *v;

	for (v = ctx; v->path; v++)
		if (strcmp(v->path, path) == 0) {
			*len = strlen(v->text);
			*text = malloc(*len + 1);
			memcpy(*text, v->text, *len + 1);
			return true;
		}
	*err = ENOENT;
	return false;
}

static struct profile *
parse_with(const char *name, const char *text, const struct vfile *files, char **diag_out,
    int *nerr)
{
	struct profile_reader io = { vread, (void *)files };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct profile *pf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pf = profile_parse_with(name, text, strlen(text), &io, f, nerr);
	fclose(f);
	*diag_out = buf;
	return pf;
}

static void
test_include(void)
{
	static const struct vfile files[] = {
		{ "dir/common.inc", "source \"Doc C\"\nsection \"C\"\nzone dev\n"
		    "include \"more/svc.inc\"\nopen dev -> srv : https\n" },
		{ "dir/more/svc.inc", "service https = tcp/443 tls\n" },
		{ NULL, NULL },
	};
	char *d = NULL, *out;
	int nerr = -1;
	struct profile *pf = parse_with("dir/main.profile",
	    "profile \"m\"\nsource \"Doc M\"\nrole srv\ninclude \"common.inc\"\n"
	    "open srv -> dev : tcp/22\n", files, &d, &nerr);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_EQUAL_FATAL(profile_nfiles(pf), 3);
	CU_ASSERT_STRING_EQUAL(profile_file(pf, 0), "dir/main.profile");
	CU_ASSERT_STRING_EQUAL(profile_file(pf, 1), "dir/common.inc");
	CU_ASSERT_STRING_EQUAL(profile_file(pf, 2), "dir/more/svc.inc");
	CU_ASSERT_PTR_NULL(profile_file(pf, 3));
	CU_ASSERT_STRING_EQUAL(profile_rule(pf, 0)->file, "dir/common.inc");
	CU_ASSERT_EQUAL(profile_rule(pf, 0)->line, 5);
	CU_ASSERT_STRING_EQUAL(profile_rule(pf, 0)->document, "Doc C");
	/* an included file's source and section end with it */
	CU_ASSERT_STRING_EQUAL(profile_rule(pf, 1)->document, "Doc M");
	CU_ASSERT_PTR_NULL(profile_rule(pf, 1)->section);
	CU_ASSERT_STRING_EQUAL(profile_document(pf), "Doc M");
	CU_ASSERT_STRING_EQUAL(endpoint_named(pf, "dev")->file, "dir/common.inc");
	/* the canonical form writes the included files out in place */
	out = print_profile(pf);
	CU_ASSERT_PTR_NULL(strstr(out, "include"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "source \"Doc C\"\nsection \"C\"\nopen dev -> srv : https\n"
	    "\nsource \"Doc M\"\nsection \"\"\nopen srv -> dev : tcp/22\n"));
	free(out);
	free(d);
	profile_free(pf);
}

static void
test_err_include(void)
{
	static const struct vfile files[] = {
		{ "a.inc", "zone z\ninclude \"b.inc\"\n" },
		{ "b.inc", "role r\ninclude \"a.inc\"\nopen z -> nowhere : tcp/1\n" },
		{ "c.inc", "profile \"again\"\n" },
		{ "d.inc", "zone d\n" },
		{ NULL, NULL },
	};
	char *d = NULL;
	int nerr = -1;
	struct profile *pf = parse_with("m.profile", "profile \"m\"\ninclude \"a.inc\"\n"
	    "include \"missing.inc\"\ninclude \"c.inc\"\ninclude \"d.inc\"\ninclude \"d.inc\"\n"
	    "include nope\n", files, &d, &nerr);

	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 6);
	/* grouped by file, in the order the files were read */
	CU_ASSERT_STRING_EQUAL(d,
	    "m.profile:3:9: error: cannot include 'missing.inc': No such file or directory\n"
	    "    include \"missing.inc\"\n"
	    "            ^~~~~~~~~~~~~\n"
	    "m.profile:6:9: error: 'd.inc' is already included (at line 5)\n"
	    "    include \"d.inc\"\n"
	    "            ^~~~~~~\n"
	    "m.profile:7:9: error: expected file name string, found 'nope'\n"
	    "    include nope\n"
	    "            ^~~~\n"
	    "b.inc:2:9: error: include cycle: a.inc -> b.inc -> a.inc\n"
	    "    include \"a.inc\"\n"
	    "            ^~~~~~~\n"
	    "b.inc:3:11: error: unknown endpoint 'nowhere'\n"
	    "    open z -> nowhere : tcp/1\n"
	    "              ^~~~~~~\n"
	    "c.inc:1:1: error: 'profile' belongs in the main file, not in an included one\n"
	    "    profile \"again\"\n"
	    "    ^~~~~~~\n");
	free(d);
}

static void
test_include_from_disk(void)
{
	char *d = NULL;
	int nerr = -1;
	static const char text[] = "profile \"x\"\ninclude \"/dev/zero\"\n";
	size_t size = 0;
	struct profile *pf;
	FILE *f = open_memstream(&d, &size);

	/* the file system reader refuses what is not a regular file */
	pf = profile_parse("t.profile", text, sizeof(text) - 1, f, &nerr);
	fclose(f);
	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "error: cannot include '/dev/zero': Invalid argument"));
	free(d);
}

static void
test_print_new_constructs(void)
{
	struct profile *pf = parse_ok(
	    "profile \"all\"\nsource \"D\"\nrole db in private\nzone private\n"
	    "group g \"G\" = x.example.com, *.y.com\n"
	    "block b = 2001:db8::/32 sample 4\n"
	    "wildcard *.y.com \"Y\" = a.y.com\n"
	    "fqdn x.example.com \"X\" = 198.18.0.1, 2001:db8::0:1\n"
	    "service s = udp+tcp/2, 1, 3\n"
	    "section \"S\"\n"
	    "open db -> g, b : s, tcp/443 tls sni \"x.example.com\" outbound cite \"c\"\n"
	    "default closed all\n");
	char *out = print_profile(pf);

	CU_ASSERT_STRING_EQUAL(out,
	    "profile \"all\"\n"
	    "source \"D\"\n"
	    "\n"
	    "zone private\n"
	    "role db in private\n"
	    "\n"
	    "fqdn x.example.com \"X\" = 198.18.0.1, 2001:db8::1\n"
	    "block b = 2001:db8::/32 sample 4\n"
	    "\n"
	    "wildcard *.y.com \"Y\" = a.y.com\n"
	    "\n"
	    "group g \"G\" = x.example.com, *.y.com\n"
	    "\n"
	    "service s = tcp+udp/1-3\n"
	    "\n"
	    "section \"S\"\n"
	    "open db -> g, b : s, tcp/443 tls sni \"x.example.com\" outbound cite \"c\"\n"
	    "\n"
	    "default closed all\n");
	free(out);
	profile_free(pf);
}

/* ---- model ---- */

static const char assist[] =
    "profile \"Assist\"\n"
    "source \"Doc\"\n"
    "zone devices \"Device and User Networks / Internet\"\n"
    "zone uem\n"
    "role portal\nrole cp\nrole core\nrole db\n"
    "service https = tcp/443\n"
    "service core-app = tcp/6443, 8865, 8866, 8867, 8870, 20879, 48660\n"
    "section \"Firewall Rules, Multiple Server On-Prem Deployment\"\n"
    "open devices -> cp : https\n"
    "open devices -> portal : https\n"
    "open uem -> portal : https\n"
    "open cp, portal -> core : core-app\n"
    "open core -> cp : tcp/12780\n"
    "open core -> db : tcp/1433\n"
    "closed devices -> db : tcp/1433\n"
    "default closed\n";

static void
test_model_basics(void)
{
	int nerr = -1;
	struct profile *pf = parse(assist, NULL, &nerr);
	const struct profile_rule *r;
	const struct profile_endpoint *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_STRING_EQUAL(profile_name(pf), "t.profile");
	CU_ASSERT_STRING_EQUAL(profile_title(pf), "Assist");
	CU_ASSERT_STRING_EQUAL(profile_document(pf), "Doc");
	CU_ASSERT_EQUAL(profile_nendpoints(pf), 6);
	CU_ASSERT_EQUAL(profile_find_endpoint(pf, "core"), 4);
	CU_ASSERT_EQUAL(profile_find_endpoint(pf, "https"), -1);
	CU_ASSERT_EQUAL(profile_find_endpoint(pf, "nope"), -1);
	e = profile_endpoint(pf, 0);
	CU_ASSERT_STRING_EQUAL(e->name, "devices");
	CU_ASSERT_STRING_EQUAL(e->desc, "Device and User Networks / Internet");
	CU_ASSERT_EQUAL(e->kind, EP_ZONE);
	CU_ASSERT_EQUAL(e->line, 3);
	e = profile_endpoint(pf, 1);
	CU_ASSERT_STRING_EQUAL(e->desc, "");
	CU_ASSERT_EQUAL(profile_endpoint(pf, 2)->kind, EP_ROLE);
	CU_ASSERT_PTR_NULL(profile_endpoint(pf, 6));
	CU_ASSERT_EQUAL(profile_nrules(pf), 7);
	CU_ASSERT_PTR_NULL(profile_rule(pf, 7));
	CU_ASSERT_EQUAL(profile_default_closed_line(pf), 19);
	r = profile_rule(pf, 3);
	CU_ASSERT_EQUAL(r->line, 15);
	CU_ASSERT_EQUAL(r->col, 1);
	CU_ASSERT(r->expect_open);
	CU_ASSERT_EQUAL_FATAL(r->nsrc, 2);
	CU_ASSERT_EQUAL(r->src[0], 3);
	CU_ASSERT_EQUAL(r->src[1], 2);
	CU_ASSERT_EQUAL_FATAL(r->ndst, 1);
	CU_ASSERT_EQUAL(r->dst[0], 4);
	CU_ASSERT_STRING_EQUAL(r->services, "core-app");
	CU_ASSERT_STRING_EQUAL(r->section, "Firewall Rules, Multiple Server On-Prem Deployment");
	CU_ASSERT_EQUAL_FATAL(r->nspans, 5);   /* 6443, 8865-8867, 8870, 20879, 48660 */
	CU_ASSERT_EQUAL(r->spans[1].lo, 8865);
	CU_ASSERT_EQUAL(r->spans[1].hi, 8867);
	CU_ASSERT_FALSE(profile_rule(pf, 6)->expect_open);
	profile_free(pf);
}

static void
test_model_optional_parts(void)
{
	struct profile *pf = parse("profile \"x\"\nzone a\nrole b\nopen a -> b : tcp/1\n", NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_PTR_NULL(profile_document(pf));
	CU_ASSERT_PTR_NULL(profile_rule(pf, 0)->section);
	CU_ASSERT_EQUAL(profile_default_closed_line(pf), 0);
	profile_free(pf);
}

static void
test_model_allows(void)
{
	struct profile *pf = parse(assist, NULL, NULL);
	long dev, cp, portal, core, db, uem;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	dev = profile_find_endpoint(pf, "devices");
	uem = profile_find_endpoint(pf, "uem");
	portal = profile_find_endpoint(pf, "portal");
	cp = profile_find_endpoint(pf, "cp");
	core = profile_find_endpoint(pf, "core");
	db = profile_find_endpoint(pf, "db");
	CU_ASSERT(profile_allows(pf, (size_t)dev, (size_t)cp, RP_PROTO_TCP, 443));
	CU_ASSERT(profile_allows(pf, (size_t)uem, (size_t)portal, RP_PROTO_TCP, 443));
	CU_ASSERT_FALSE(profile_allows(pf, (size_t)uem, (size_t)cp, RP_PROTO_TCP, 443));
	CU_ASSERT_FALSE(profile_allows(pf, (size_t)dev, (size_t)cp, RP_PROTO_TCP, 8443));
	CU_ASSERT_FALSE(profile_allows(pf, (size_t)dev, (size_t)cp, RP_PROTO_UDP, 443));
	CU_ASSERT(profile_allows(pf, (size_t)cp, (size_t)core, RP_PROTO_TCP, 8866));
	CU_ASSERT(profile_allows(pf, (size_t)portal, (size_t)core, RP_PROTO_TCP, 48660));
	CU_ASSERT_FALSE(profile_allows(pf, (size_t)portal, (size_t)core, RP_PROTO_TCP, 8868));
	CU_ASSERT_FALSE(profile_allows(pf, (size_t)core, (size_t)portal, RP_PROTO_TCP, 8866));
	CU_ASSERT(profile_allows(pf, (size_t)core, (size_t)db, RP_PROTO_TCP, 1433));
	/* closed rules never allow */
	CU_ASSERT_FALSE(profile_allows(pf, (size_t)dev, (size_t)db, RP_PROTO_TCP, 1433));
	CU_ASSERT_FALSE(profile_allows(pf, 99, (size_t)db, RP_PROTO_TCP, 1433));
	profile_free(pf);
}

static void
test_model_spans_merge(void)
{
	struct profile *pf = parse(HDR
	    "service lo = tcp/1-10\n"
	    "service mid = tcp/11-20, lo\n"
	    "open a -> b : udp/53, tcp/5231, 442, mid, tcp/443, 5228-5230, 21, udp/54\n"
	    "open a -> c : tcp/65535, 65534, 1-65535, udp/65535\n",
	    NULL, NULL);
	const struct profile_rule *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	r = profile_rule(pf, 0);
	CU_ASSERT_EQUAL_FATAL(r->nspans, 4);
	CU_ASSERT_EQUAL(r->spans[0].proto, RP_PROTO_TCP);
	CU_ASSERT_EQUAL(r->spans[0].lo, 1);
	CU_ASSERT_EQUAL(r->spans[0].hi, 21);
	CU_ASSERT_EQUAL(r->spans[1].lo, 442);
	CU_ASSERT_EQUAL(r->spans[1].hi, 443);
	CU_ASSERT_EQUAL(r->spans[2].lo, 5228);
	CU_ASSERT_EQUAL(r->spans[2].hi, 5231);
	CU_ASSERT_EQUAL(r->spans[3].proto, RP_PROTO_UDP);
	CU_ASSERT_EQUAL(r->spans[3].lo, 53);
	CU_ASSERT_EQUAL(r->spans[3].hi, 54);
	CU_ASSERT_STRING_EQUAL(r->services, "udp/53, tcp/442, 5231, mid, tcp/21, 443, 5228-5230, udp/54");
	r = profile_rule(pf, 1);
	CU_ASSERT_EQUAL_FATAL(r->nspans, 2);
	CU_ASSERT_EQUAL(r->spans[0].lo, 1);
	CU_ASSERT_EQUAL(r->spans[0].hi, 65535);
	CU_ASSERT_EQUAL(r->spans[1].lo, 65535);
	CU_ASSERT_STRING_EQUAL(r->services, "tcp/1-65535, udp/65535");
	profile_free(pf);
}

static void
test_model_sections(void)
{
	struct profile *pf = parse(HDR "open a -> b : tcp/1\nsection \"S1\"\nopen a -> b : tcp/2\n"
	    "section \"S2\"\nsection \"S3\"\nopen a -> b : tcp/3\n", NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_PTR_NULL(profile_rule(pf, 0)->section);
	CU_ASSERT_STRING_EQUAL(profile_rule(pf, 1)->section, "S1");
	CU_ASSERT_STRING_EQUAL(profile_rule(pf, 2)->section, "S3");
	profile_free(pf);
}

static void
test_model_use_before_definition(void)
{
	int nerr = -1;
	struct profile *pf = parse("open x -> y : s\nservice s = t\nservice t = udp/9\n"
	    "zone x\nrole y\nprofile \"late\"\n", NULL, &nerr);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT(profile_allows(pf, 0, 1, RP_PROTO_UDP, 9));
	profile_free(pf);
}

static void
test_model_keywords_as_names(void)
{
	int nerr = -1;
	struct profile *pf = parse("profile \"k\"\nzone open\nrole zone\nservice default = tcp/1\n"
	    "open open -> zone : default\n", NULL, &nerr);

	/* keywords are only keywords at the start of a statement */
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT(profile_allows(pf, 0, 1, RP_PROTO_TCP, 1));
	profile_free(pf);
}

static void
test_load_missing_file(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int nerr = 0;
	struct profile *pf = profile_load("/nonexistent/x.profile", f, &nerr);

	fclose(f);
	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_EQUAL(nerr, 1);
	CU_ASSERT_STRING_EQUAL(buf, "/nonexistent/x.profile: error: cannot read: No such file or directory\n");
	free(buf);
}

/* ---- canonical printer ---- */

static void
test_print_canonical(void)
{
	struct profile *pf = parse(
	    "# comment\n"
	    "open   x->y:tcp/443,80 , 81,udp/53  # trailing\n"
	    "zone x \"X \\\"quoted\\\" \\\\ back\"\n"
	    "role y\n"
	    "service s = tcp/9-10, 1, 8, u\n"
	    "service u = udp/1\n"
	    "section \"A\"\n"
	    "closed y -> x : s\n"
	    "default closed\n"
	    "profile \"T\"\n", NULL, NULL);
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	out = print_profile(pf);
	CU_ASSERT_STRING_EQUAL(out,
	    "profile \"T\"\n"
	    "\n"
	    "zone x \"X \\\"quoted\\\" \\\\ back\"\n"
	    "role y\n"
	    "\n"
	    "service s = tcp/1, 8-10, u\n"
	    "service u = udp/1\n"
	    "\n"
	    "open x -> y : tcp/80-81, 443, udp/53\n"
	    "\n"
	    "section \"A\"\n"
	    "closed y -> x : s\n"
	    "\n"
	    "default closed\n");
	free(out);
	profile_free(pf);
}

static void
test_print_minimal(void)
{
	struct profile *pf = parse("profile \"only\"\n", NULL, NULL);
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	out = print_profile(pf);
	CU_ASSERT_STRING_EQUAL(out, "profile \"only\"\n");
	free(out);
	profile_free(pf);
	pf = parse("profile \"p\"\nsource \"s\"\ndefault closed\n", NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	out = print_profile(pf);
	CU_ASSERT_STRING_EQUAL(out, "profile \"p\"\nsource \"s\"\n\ndefault closed\n");
	free(out);
	profile_free(pf);
}

static void
round_trip(const char *text)
{
	struct profile *a = parse(text, NULL, NULL), *b;
	char *ta, *tb;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	ta = print_profile(a);
	b = parse(ta, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	tb = print_profile(b);
	CU_ASSERT_STRING_EQUAL(ta, tb);
	CU_ASSERT_EQUAL(profile_nrules(a), profile_nrules(b));
	free(ta);
	free(tb);
	profile_free(a);
	profile_free(b);
}

static void
test_print_round_trip(void)
{
	round_trip(assist);
	round_trip("profile \"\\\\\\\"\"\nzone a \"\"\nrole b \"\\\\\"\n"
	    "open a -> b : tcp/1, 1, 2, udp/3,\n 5-9\nsection \"s\"\nopen b -> a : tcp/1\n");
	round_trip("profile \"x\"\nrole r\nzone z\nsection \"1\"\nopen z -> r : tcp/1\n"
	    "section \"2\"\nopen r -> z : tcp/2\nsection \"1\"\nopen z -> r : tcp/3\n");
	round_trip("profile \"x\"\nzone z\nopen z -> a.b.com : tcp/1\nsource \"A\"\n"
	    "section \"s\"\nopen z -> a.b.com : tcp/2\nsection \"\"\nsource \"B\"\n"
	    "open z -> c.b.com : tcp/3\nfqdn a.b.com\nwildcard *.b.com = c.b.com\n");
}

int
register_profile_tests(void)
{
	static const struct {
		const char *name;
		void      (*fn)(void);
	} tests[] = {
		{ "lex: '->' splits a name", test_lex_arrow_splits_ident },
		{ "lex: names with dashes", test_lex_ident_with_dashes },
		{ "lex: numbers saturate", test_lex_numbers },
		{ "lex: string escapes", test_lex_string_escapes },
		{ "lex: string errors", test_lex_string_errors },
		{ "lex: continuation lines", test_lex_continuation },
		{ "lex: blank lines and CRLF", test_lex_blank_lines_and_crlf },
		{ "lex: address runs", test_lex_addresses },
		{ "lex: junk bytes", test_lex_bad_bytes },
		{ "lex: NUL bytes", test_lex_nul_bytes },
		{ "lex: positions", test_lex_positions },
		{ "diag: caret, tabs, width", test_diag_caret_tabs_and_width },
		{ "diag: sorted by position", test_diag_sorted_by_position },
		{ "diag: NULL stream counts", test_diag_null_stream_counts },
		{ "error: syntax", test_err_syntax },
		{ "error: unknown statement", test_err_unknown_statement },
		{ "error: keeps going", test_err_keep_going },
		{ "error: unknown names", test_err_unknown_names },
		{ "error: duplicates", test_err_duplicates },
		{ "error: ports", test_err_ports },
		{ "error: tcp/udp reserved", test_err_reserved_names },
		{ "error: shared endpoint", test_err_shared_endpoint },
		{ "error: service cycles", test_err_cycles },
		{ "error: long service chain", test_err_long_service_chain },
		{ "error: contradictions", test_err_contradiction },
		{ "error: missing profile", test_err_missing_profile },
		{ "error: lexical", test_err_lexical },
		{ "warning: listed twice", test_warn_listed_twice },
		{ "warning: listed twice, spans", test_warn_listed_twice_spans },
		{ "warning: listed twice, every port", test_warn_listed_every_port },
		{ "model: basics", test_model_basics },
		{ "model: optional parts", test_model_optional_parts },
		{ "model: profile_allows", test_model_allows },
		{ "model: spans merge", test_model_spans_merge },
		{ "model: sections", test_model_sections },
		{ "model: use before definition", test_model_use_before_definition },
		{ "model: keywords as names", test_model_keywords_as_names },
		{ "load: missing file", test_load_missing_file },
		{ "lex: DNS names and patterns", test_lex_dns_names },
		{ "lex: name edges, '+'", test_lex_name_edges },
		{ "lex: addresses where wanted", test_lex_address },
		{ "model: fqdn", test_model_fqdn },
		{ "warning: fqdn declared twice", test_fqdn_declared_twice },
		{ "error: fqdn", test_err_fqdn },
		{ "model: block", test_model_block },
		{ "error: block", test_err_block },
		{ "model: wildcard", test_model_wildcard },
		{ "error: wildcard", test_err_wildcard },
		{ "model: groups", test_model_groups },
		{ "error: groups", test_err_groups },
		{ "model: zone placement", test_model_zones },
		{ "model: tls, sni, tcp+udp", test_model_tls },
		{ "error: tls", test_err_tls },
		{ "warning: both protocols", test_warn_both_protocols },
		{ "model: direction, citation, provenance", test_model_provenance },
		{ "model: default closed all", test_model_default_all },
		{ "error: contradiction through groups", test_err_contradiction_groups },
		{ "include", test_include },
		{ "error: include", test_err_include },
		{ "include: only regular files", test_include_from_disk },
		{ "print: new constructs", test_print_new_constructs },
		{ "print: canonical", test_print_canonical },
		{ "print: minimal", test_print_minimal },
		{ "print: round trip", test_print_round_trip },
	};
	CU_pSuite s = CU_add_suite("profile", NULL, NULL);
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
