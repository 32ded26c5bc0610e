/* Unit tests for comparing two runs (rundiff.h): rules are matched by what
 * they say, not by line; probes by hosts, address, protocol and port; every
 * kind of difference is counted, and identical runs differ in nothing. */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rundiff.h"
#include "suites.h"

static json_t *
rule(const char *loc, const char *from, const char *to, const char *svc, const char *verdict,
    int fail)
{
	return json_pack("{s:s, s:[s], s:[s], s:s, s:s, s:s, s:i, s:i}", "rule", loc, "from", from,
	    "to", to, "services", svc, "expect", "open", "verdict", verdict, "fail", fail,
	    "probes", 2);
}

static json_t *
probe(const char *from, const char *to, const char *dst, int port, const char *verdict,
    const char *evidence)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "from", from, "to", to,
	    "dst", dst, "proto", "tcp", "port", port, "verdict", verdict, "evidence", evidence,
	    "rule", "x.profile:3");
}

/* Two rules and three probes, all passing, as run A saw them. */
static json_t *
baseline(const char *id)
{
	return json_pack("{s:s, s:{s:s}, s:{s:s}, s:[o, o], s:[o, o, o]}",
	    "schema", "ruleproof-report/1", "run", "id", id, "profile", "file", "x.profile",
	    "rules", rule("x.profile:3", "a", "b", "https", "pass", 0),
	    rule("x.profile:4", "a", "c", "ssh", "pass", 0),
	    "results", probe("a", "b", "198.18.0.2", 443, "pass", "arrived"),
	    probe("a", "c", "198.18.0.3", 22, "pass", "arrived"),
	    probe("a", "c", "198.18.0.3", 23, "pass", "silent-drop"));
}

static json_t *
at(json_t *doc, const char *array, size_t i)
{
	return json_array_get(json_object_get(doc, array), i);
}

/* Runs the diff; out gets what it printed (caller frees). */
static struct rundiff_counts
diff(const json_t *a, const json_t *b, char **out)
{
	struct rundiff_counts n;
	size_t len = 0;
	char err[128];
	FILE *m = open_memstream(out, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(rundiff(a, b, m, false, &n, err, sizeof(err)), 0);
	fclose(m);
	return n;
}

static void
test_identical(void)
{
	json_t *a = baseline("A"), *b = baseline("B");
	struct rundiff_counts n;
	char *out;

	n = diff(a, b, &out);
	CU_ASSERT_EQUAL(rundiff_total(&n), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "diff: no rule and no probe changed verdict"));
	free(out);
	json_decref(a);
	json_decref(b);
}

static void
test_verdict_changed(void)
{
	json_t *a = baseline("A"), *b = baseline("B");
	struct rundiff_counts n;
	char *out;

	json_object_set_new(at(b, "rules", 1), "verdict", json_string("fail"));
	json_object_set_new(at(b, "rules", 1), "fail", json_integer(1));
	json_object_set_new(at(b, "results", 2), "verdict", json_string("fail"));
	json_object_set_new(at(b, "results", 2), "evidence", json_string("host-reset"));
	n = diff(a, b, &out);
	CU_ASSERT_EQUAL(n.rules_changed, 1);
	CU_ASSERT_EQUAL(n.probes_changed, 1);
	CU_ASSERT_EQUAL(rundiff_total(&n), 2);
	/* Old reports have no "text": the rule is told from its parts. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Rules whose verdict changed:\n  pass -> FAIL "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " x.profile:4  open a -> c : ssh"
	    "  (failing probes 0 -> 1 of 2)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "a -> c tcp/23 (198.18.0.3)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "evidence silent-drop -> host-reset"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "diff: 1 rule and 1 probe changed verdict"));
	/* Back again: the other way round. */
	free(out);
	n = diff(b, a, &out);
	CU_ASSERT_EQUAL(n.rules_changed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL -> pass"));
	free(out);
	json_decref(a);
	json_decref(b);
}

static void
test_moved_rule(void)
{
	json_t *a = baseline("A"), *b = baseline("B");
	struct rundiff_counts n;
	char *out;

	/* A comment added above the rules moves them; they are the same rules. */
	json_object_set_new(at(b, "rules", 0), "rule", json_string("x.profile:13"));
	json_object_set_new(at(b, "rules", 1), "rule", json_string("x.profile:14"));
	json_object_set_new(at(b, "rules", 1), "text", json_string("open a -> c : ssh"));
	n = diff(a, b, &out);
	CU_ASSERT_EQUAL(rundiff_total(&n), 0);
	free(out);
	json_decref(a);
	json_decref(b);
}

static void
test_added_removed(void)
{
	json_t *a = baseline("A"), *b = baseline("B");
	struct rundiff_counts n;
	char *out;

	json_array_append_new(json_object_get(b, "rules"),
	    rule("x.profile:5", "a", "d", "rdp", "fail", 1));
	json_array_append_new(json_object_get(b, "results"),
	    probe("a", "d", "198.18.0.4", 3389, "fail", "silent-drop"));
	json_array_remove(json_object_get(b, "results"), 0);
	n = diff(a, b, &out);
	CU_ASSERT_EQUAL(n.rules_only_b, 1);
	CU_ASSERT_EQUAL(n.rules_only_a, 0);
	CU_ASSERT_EQUAL(n.probes_only_b, 1);
	CU_ASSERT_EQUAL(n.probes_only_a, 1);
	CU_ASSERT_EQUAL(n.rules_changed + n.probes_changed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Rules only in B:\n  FAIL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "open a -> d : rdp"));
	free(out);
	json_decref(a);
	json_decref(b);
}

static void
test_duplicates_pair_in_order(void)
{
	json_t *a = baseline("A"), *b = baseline("B");
	struct rundiff_counts n;
	char *out;

	/* The same probe twice (a destination listed twice): first with first. */
	json_array_append_new(json_object_get(a, "results"),
	    probe("a", "b", "198.18.0.2", 443, "fail", "silent-drop"));
	json_array_append_new(json_object_get(b, "results"),
	    probe("a", "b", "198.18.0.2", 443, "fail", "silent-drop"));
	n = diff(a, b, &out);
	CU_ASSERT_EQUAL(rundiff_total(&n), 0);
	free(out);
	json_decref(a);
	json_decref(b);
}

static void
test_not_a_report(void)
{
	json_t *a = baseline("A"), *b = json_pack("{s:s}", "schema", "something-else/1");
	struct rundiff_counts n;
	char err[128];
	FILE *devnull = fopen("/dev/null", "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(devnull);
	CU_ASSERT_EQUAL(rundiff(a, b, devnull, false, &n, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ruleproof-report/1"));
	fclose(devnull);
	json_decref(a);
	json_decref(b);
}

int
register_rundiff_tests(void)
{
	CU_pSuite s = CU_add_suite("rundiff", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "identical runs", test_identical) ||
	    !CU_add_test(s, "verdict changed", test_verdict_changed) ||
	    !CU_add_test(s, "rules moved in the file", test_moved_rule) ||
	    !CU_add_test(s, "added and removed", test_added_removed) ||
	    !CU_add_test(s, "duplicates pair in order", test_duplicates_pair_in_order) ||
	    !CU_add_test(s, "not a report", test_not_a_report))
		return -1;
	return 0;
}
