/* Unit tests for bad input: the files a run directory holds besides its
 * pcaps, read back as untrusted input (plan files, run.h; capture files,
 * capture/capfile.h), and diagnostics about a file that is not text.  Regression
 * tests for what fuzz_plan and fuzz_meta found: a long non-ASCII field cut
 * inside a character made report.json unwritable, and capture times at the
 * ends of int64 overflowed where the reports take their difference. */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capfile.h"
#include "profile/parse.h"
#include "profile/profile.h"
#include "plan/rundir.h"
#include "suites.h"
#include "lib/utf8.h"

/* "é" is two bytes: 0xc3 0xa9. */
#define E_ACUTE "\xc3\xa9"

static bool
is_json_text(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

/* A file of its own for one test, removed by the caller. */
static void
write_temp(char path[64], const char *text)
{
	int fd;

	snprintf(path, 64, "/tmp/rp-unit-runfiles.XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static void
test_utf8_copy(void)
{
	char buf[4];

	CU_ASSERT_TRUE(utf8_copy(buf, sizeof(buf), "abc"));
	CU_ASSERT_STRING_EQUAL(buf, "abc");
	CU_ASSERT_FALSE(utf8_copy(buf, sizeof(buf), "abcd"));
	CU_ASSERT_STRING_EQUAL(buf, "abc");
	/* Three bytes fit: "a" and "é", but not half of the next "é". */
	CU_ASSERT_FALSE(utf8_copy(buf, sizeof(buf), "a" E_ACUTE E_ACUTE));
	CU_ASSERT_STRING_EQUAL(buf, "a" E_ACUTE);
	CU_ASSERT_FALSE(utf8_copy(buf, sizeof(buf), "ab" E_ACUTE));
	CU_ASSERT_STRING_EQUAL(buf, "ab");
	/* A four-byte character that does not fit leaves nothing. */
	CU_ASSERT_FALSE(utf8_copy(buf, sizeof(buf), "\xf0\x9f\x94\x92"));
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_TRUE(utf8_copy(buf, 1, ""));
	CU_ASSERT_STRING_EQUAL(buf, "");
}

static const char meta_head[] =
    "{\"schema\": \"ruleproof-capture/1\", \"role\": \"listen\", \"interface\": \"eth0\","
    " \"address\": \"198.18.20.10\", \"pcap\": \"rx-server.pcap\", \"capture\": {\"packets\": 6,"
    " \"received\": 6, \"dropped\": 0, \"if_dropped\": 0}, \"sent\": 0, \"send_errors\": 0,"
    " \"interrupted\": false, \"complete\": true, \"error\": \"\",";

static int
read_meta(const char *tail, struct capfile *m, char *err, size_t errlen)
{
	char path[64], *text;
	int rc;

	CU_ASSERT_FATAL(asprintf(&text, "%s %s}", meta_head, tail) > 0);
	write_temp(path, text);
	free(text);
	rc = capfile_read(m, path, err, errlen);
	unlink(path);
	return rc;
}

static void
test_meta_times(void)
{
	struct capfile m;
	char err[256] = "";

	CU_ASSERT_EQUAL(read_meta("\"endpoint\": \"server\", \"started_us\": 1795315599021554,"
	    " \"finished_us\": 1795315600380108", &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(m.finished_us - m.started_us, 1358554);
	CU_ASSERT_EQUAL(read_meta("\"endpoint\": \"server\", \"started_us\": -9223372036854775807,"
	    " \"finished_us\": 9223372036854775807", &m, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "capture window outside the years 1970 to 9999"));
	CU_ASSERT_EQUAL(read_meta("\"endpoint\": \"server\", \"started_us\": 0,"
	    " \"finished_us\": 253402300800000000", &m, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(read_meta("\"endpoint\": \"server\", \"started_us\": 0,"
	    " \"finished_us\": 253402300799999999", &m, err, sizeof(err)), 0);
}

static void
test_meta_long_text(void)
{
	struct capfile m;
	char err[256] = "", tail[512];
	size_t i, off;

	/* 40 "é": 80 bytes for a 64-byte field, cut after 31 of them. */
	off = (size_t)snprintf(tail, sizeof(tail), "\"started_us\": 1, \"finished_us\": 2, \"endpoint\": \"");
	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(tail + off, sizeof(tail) - off, E_ACUTE);
	snprintf(tail + off, sizeof(tail) - off, "\"");
	CU_ASSERT_EQUAL_FATAL(read_meta(tail, &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(m.endpoint), 62);
	CU_ASSERT_TRUE(is_json_text(m.endpoint));
}

static char *
plan_text(const char *schema, const char *started, const char *command)
{
	char *t;

	CU_ASSERT_FATAL(asprintf(&t,
	    "{\"schema\": \"%s\", \"version\": \"0.1.0\", \"run_id\": \"20261122T024638Z-b5af21\","
	    " \"key\": \"d0271e82d5c0caa8208f988a7808e0c5\", \"started_us\": %s,"
	    " \"profile\": {\"source\": \"p.profile\", \"sha256\": \"00\", \"text\": \"\"},"
	    " \"site\": {\"source\": \"s.site\", \"sha256\": \"00\", \"text\": \"\"},"
	    " \"parameters\": {\"rate\": 2000, \"linger_ms\": 500, \"retries\": 1, \"skew_ms\": 0},"
	    " \"command\": \"%s\"}", schema, started, command) > 0);
	return t;
}

static int
read_plan(char *text, struct run_params *rp, char *err, size_t errlen)
{
	char path[64];
	int rc;

	write_temp(path, text);
	free(text);
	rc = run_read_plan_file(rp, path, err, errlen);
	unlink(path);
	return rc;
}

static void
test_plan_fields(void)
{
	struct run_params rp;
	char err[256] = "", cmd[2100];
	size_t i, off = 0;

	cmd[off++] = 'y';
	for (i = 0; i < 700; i++)
		off += (size_t)snprintf(cmd + off, sizeof(cmd) - off, "%s", i % 2 ? E_ACUTE : "x");
	/* 1051 bytes into 1024: the 1024th is the second half of an "é". */
	CU_ASSERT_EQUAL_FATAL(read_plan(plan_text(RUN_PLAN_SCHEMA, "1", cmd), &rp, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(rp.command), 1022);
	CU_ASSERT_TRUE(is_json_text(rp.command));

	CU_ASSERT_EQUAL(read_plan(plan_text("ruleproof-plan/9", "1", ""), &rp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "schema 'ruleproof-plan/9', expected 'ruleproof-plan/1'"));
	CU_ASSERT_EQUAL(read_plan(plan_text(RUN_PLAN_SCHEMA, "-1", ""), &rp, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(read_plan(plan_text(RUN_PLAN_SCHEMA, "9223372036854775807", ""), &rp, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a ruleproof-plan/1 plan"));
}

static void
test_not_a_plan(void)
{
	struct run_params rp;
	char err[256] = "", path[64], *pt = NULL, *st = NULL;
	size_t pl, sl;

	CU_ASSERT_EQUAL(run_read_plan_file(&rp, "/tmp", err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "/tmp: is a directory, not a plan file");
	CU_ASSERT_EQUAL(run_plan_texts("/tmp", &pt, &pl, &st, &sl, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NULL(pt);
	write_temp(path, "profile \"x\"\n");
	CU_ASSERT_EQUAL(run_read_plan_file(&rp, path, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ": not a plan file (JSON): line 1: "));
	unlink(path);
}

static void
test_command_line(void)
{
	static char arg[] = "/tmp/x" E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE
	    E_ACUTE E_ACUTE;
	char *argv[80];
	struct run_params rp;
	size_t i;

	for (i = 0; i < 80; i++)
		argv[i] = arg;
	/* 80 arguments of 25 bytes (with their spaces): the 1024th byte of the
	 * line is the second half of an "é". */
	memset(&rp, 0, sizeof(rp));
	run_set_command(&rp, 80, argv);
	CU_ASSERT_EQUAL(strncmp(rp.command, "ruleproof /tmp/x", 16), 0);
	CU_ASSERT_EQUAL(strlen(rp.command), 1022);
	CU_ASSERT_TRUE(is_json_text(rp.command));
	run_set_command(&rp, 1, argv);
	CU_ASSERT_STRING_EQUAL(rp.command, "ruleproof /tmp/x" E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE
	    E_ACUTE E_ACUTE E_ACUTE E_ACUTE);
}

/* A binary given as a profile: its control characters (here a terminal
 * escape sequence) are not echoed with the offending line. */
static void
test_diag_controls(void)
{
	static const char text[] = "profile \"x\"\n\x1b]0;pwned\x07\x1b[2J zone\n";
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct profile *pf;
	int nerr = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pf = profile_parse("bin.profile", text, sizeof(text) - 1, f, &nerr);
	fclose(f);
	CU_ASSERT_PTR_NULL(pf);
	CU_ASSERT_TRUE(nerr > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "bin.profile:2:1: error: unexpected byte 0x1b"));
	CU_ASSERT_PTR_NULL(memchr(out, '\x1b', len));
	CU_ASSERT_PTR_NULL(memchr(out, '\x07', len));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    ?]0;pwned??[2J zone\n"));
	profile_free(pf);
	free(out);
}

int
register_badinput_tests(void)
{
	CU_pSuite s = CU_add_suite("bad input", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "utf8_copy cuts between characters", test_utf8_copy) ||
	    !CU_add_test(s, "capture file times", test_meta_times) ||
	    !CU_add_test(s, "capture file long text", test_meta_long_text) ||
	    !CU_add_test(s, "plan file fields", test_plan_fields) ||
	    !CU_add_test(s, "not a plan file", test_not_a_plan) ||
	    !CU_add_test(s, "command line cut", test_command_line) ||
	    !CU_add_test(s, "diagnostics echo no control characters", test_diag_controls))
		return -1;
	return 0;
}
