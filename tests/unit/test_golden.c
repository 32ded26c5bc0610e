/* Golden tests: every tests/golden/profile/NAME.profile and
 * tests/golden/site/NAME.site is checked against NAME.out (must parse; the
 * canonical print must match byte for byte) and/or NAME.err (the
 * diagnostics must match byte for byte; without NAME.out the file must also
 * fail).  Having both pins the warnings of a file that parses.  Sites are
 * checked against tests/golden/site/base.profile with lab set.  Run from the
 * repository root: paths in diagnostics are relative to it. */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/print.h"
#include "profile/parse.h"
#include "profile/site.h"
#include "suites.h"

#define PROFILE_DIR "tests/golden/profile"
#define SITE_DIR    "tests/golden/site"
#define SITE_BASE   SITE_DIR "/base.profile"

struct capture {
	FILE  *f;
	char  *buf;
	size_t size;
};

static void
capture_open(struct capture *c)
{
	c->buf = NULL;
	c->size = 0;
	c->f = open_memstream(&c->buf, &c->size);
}

static char *
capture_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

/* Whole file, or NULL if it does not exist. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, n;
	char chunk[4096];
	FILE *out;

	if (!f)
		return NULL;
	out = open_memstream(&buf, &size);
	if (!out) {
		fclose(f);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, out);
	fclose(f);
	fclose(out);
	return buf;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted paths DIR/NAME for every NAME ending in ext. */
static char **
list_inputs(const char *dir, const char *ext, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t el = strlen(ext);

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		char **nv;

		if (l <= el || strcmp(e->d_name + l - el, ext) != 0)
			continue;
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		if (asprintf(&v[*n], "%s/%s", dir, e->d_name) < 0)
			break;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_names);
	return v;
}

static char *
sibling(const char *path, const char *ext, const char *newext)
{
	size_t l = strlen(path) - strlen(ext);
	char *r = NULL;

	if (asprintf(&r, "%.*s%s", (int)l, path, newext) < 0)
		return NULL;
	return r;
}

/* On mismatch, shows where the texts part ways: enough to see what broke
 * without an external diff. */
static bool
same(const char *path, const char *what, const char *want, const char *got)
{
	size_t line = 1, i = 0, ls = 0;

	if (strcmp(want, got) == 0)
		return true;
	while (want[i] && want[i] == got[i]) {
		if (want[i] == '\n') {
			line++;
			ls = i + 1;
		}
		i++;
	}
	fprintf(stderr, "\n%s: %s differs at line %zu:\n  expected: %.*s\n  got:      %.*s\n",
	    path, what, line, (int)strcspn(want + ls, "\n"), want + ls,
	    (int)strcspn(got + ls, "\n"), got + ls);
	fprintf(stderr, "--- full output:\n%s---\n", got);
	return false;
}

static void
assert_file(bool ok, const char *path, const char *why)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "golden %s: %s", path, why);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, __LINE__, msg, __FILE__, "", CU_FALSE);
}

static char *
print_profile(const struct profile *pf)
{
	struct capture c;

	capture_open(&c);
	profile_print(pf, c.f);
	return capture_close(&c);
}

/* The canonical text must itself parse to the same canonical text. */
static bool
canonical_fixpoint(const char *path, const char *canon)
{
	struct capture diag;
	struct profile *pf;
	char *again, *d;
	bool ok;

	/* Warnings are pinned by the .err file already: show them only if the
	 * canonical text fails to parse. */
	capture_open(&diag);
	pf = profile_parse(path, canon, strlen(canon), diag.f, NULL);
	d = capture_close(&diag);
	if (!pf)
		fprintf(stderr, "\n%s: canonical output does not parse:\n%s", path, d);
	free(d);
	if (!pf)
		return false;
	again = print_profile(pf);
	ok = same(path, "re-parsed canonical output", canon, again);
	free(again);
	profile_free(pf);
	return ok;
}

static const char *
judge(const char *path, const char *want_out, const char *want_err,
    const char *got_out, const char *got_err, bool failed)
{
	if (!want_out && !want_err)
		return "neither .out nor .err exists";
	if (want_out) {
		if (failed)
			return "expected to parse, but it failed (see stderr)";
		if (!same(path, ".out", want_out, got_out))
			return "canonical output differs from .out (see stderr)";
	} else if (!failed) {
		return "expected errors, but it parsed";
	}
	if (want_err && !same(path, ".err", want_err, got_err))
		return "diagnostics differ from .err (see stderr)";
	return NULL;
}

static void
golden_profile(const char *path)
{
	char *out_path = sibling(path, ".profile", ".out"), *err_path = sibling(path, ".profile", ".err");
	char *want_out = slurp(out_path), *want_err = slurp(err_path), *got_out = NULL, *got_err;
	struct capture diag;
	struct profile *pf;
	const char *why;

	capture_open(&diag);
	pf = profile_load(path, diag.f, NULL);
	got_err = capture_close(&diag);
	if (pf)
		got_out = print_profile(pf);
	else if (want_out)
		fprintf(stderr, "\n%s", got_err);
	why = judge(path, want_out, want_err, got_out ? got_out : "", got_err, pf == NULL);
	if (!why && want_out && !canonical_fixpoint(path, want_out))
		why = ".out is not a fixpoint of parse + print (see stderr)";
	assert_file(why == NULL, path, why ? why : "ok");
	profile_free(pf);
	free(out_path);
	free(err_path);
	free(want_out);
	free(want_err);
	free(got_out);
	free(got_err);
}

static void
golden_site(const char *path, const struct profile *base)
{
	char *out_path = sibling(path, ".site", ".out"), *err_path = sibling(path, ".site", ".err");
	char *want_out = slurp(out_path), *want_err = slurp(err_path), *got_out = NULL, *got_err;
	struct capture diag, out;
	struct site *s;
	int nerr = 0;
	const char *why;

	capture_open(&diag);
	s = site_load(path, diag.f, NULL);
	if (s)
		nerr = site_check(s, base, true, diag.f);
	got_err = capture_close(&diag);
	if (s) {
		capture_open(&out);
		site_print(s, out.f);
		got_out = capture_close(&out);
	}
	if ((!s || nerr) && want_out)
		fprintf(stderr, "\n%s", got_err);
	why = judge(path, want_out, want_err, got_out ? got_out : "", got_err, !s || nerr > 0);
	assert_file(why == NULL, path, why ? why : "ok");
	site_free(s);
	free(out_path);
	free(err_path);
	free(want_out);
	free(want_err);
	free(got_out);
	free(got_err);
}

static void
test_golden_profiles(void)
{
	size_t n, i;
	char **v = list_inputs(PROFILE_DIR, ".profile", &n);

	CU_ASSERT_FATAL(n > 0);
	for (i = 0; i < n; i++) {
		golden_profile(v[i]);
		free(v[i]);
	}
	free(v);
}

static void
test_golden_sites(void)
{
	size_t n, i;
	char **v = list_inputs(SITE_DIR, ".site", &n);
	struct profile *base = profile_load(SITE_BASE, stderr, NULL);

	assert_file(base != NULL, SITE_BASE, "the base profile must parse");
	CU_ASSERT_FATAL(n > 0);
	for (i = 0; base && i < n; i++)
		golden_site(v[i], base);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	profile_free(base);
}

/* Every shipped profile has a golden copy (and so its canonical output is
 * pinned by the profiles test): the two must not drift apart.  And every
 * one has a lab site that binds it inside the lab ranges, so that
 * `ruleproof lab` can run it. */
static void
shipped_one(const char *path)
{
	const char *base = strrchr(path, '/') + 1;
	char *golden = NULL, *site = NULL, *a, *b;
	struct profile *pf;
	struct site *st;
	size_t n = strlen(base) - strlen(".profile");

	CU_ASSERT_FATAL(asprintf(&golden, PROFILE_DIR "/%s", base) > 0);
	CU_ASSERT_FATAL(asprintf(&site, "profiles/lab/%.*s.site", (int)n, base) > 0);
	a = slurp(path);
	b = slurp(golden);
	assert_file(b != NULL, path, "has no golden copy in " PROFILE_DIR);
	assert_file(a && b && strcmp(a, b) == 0, path, "differs from its golden copy");
	pf = profile_load(path, NULL, NULL);
	st = site_load(site, stderr, NULL);
	assert_file(st != NULL, site, "a shipped profile needs a lab site that parses");
	if (pf && st)
		assert_file(site_check(st, pf, true, stderr) == 0, site, "must bind the profile for the lab");
	site_free(st);
	profile_free(pf);
	free(a);
	free(b);
	free(golden);
	free(site);
}

static void
test_shipped_profiles(void)
{
	size_t n, i;
	char **v = list_inputs("profiles", ".profile", &n);

	CU_ASSERT(n >= 7);
	for (i = 0; i < n; i++) {
		shipped_one(v[i]);
		free(v[i]);
	}
	free(v);
}

int
register_golden_tests(void)
{
	CU_pSuite s = CU_add_suite("golden", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "profiles (" PROFILE_DIR ")", test_golden_profiles) ||
	    !CU_add_test(s, "sites (" SITE_DIR ")", test_golden_sites) ||
	    !CU_add_test(s, "shipped profiles = golden copies, with lab sites", test_shipped_profiles))
		return -1;
	return 0;
}
