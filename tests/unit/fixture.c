#include "fixture.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/parse.h"

/* Diagnostics are kept aside and shown only when a text does not parse, so
 * that a passing suite prints nothing. */
static struct profile *
parse_profile(const char *name, const char *text)
{
	char *d = NULL;
	size_t dl = 0;
	FILE *f = open_memstream(&d, &dl);
	struct profile *pf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pf = profile_parse(name, text, strlen(text), f, NULL);
	fclose(f);
	if (!pf)
		fprintf(stderr, "\n%s", d);
	free(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	return pf;
}

static struct site *
parse_site(const char *name, const char *text)
{
	char *d = NULL;
	size_t dl = 0;
	FILE *f = open_memstream(&d, &dl);
	struct site *st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	st = site_parse(name, text, strlen(text), f, NULL);
	fclose(f);
	if (!st)
		fprintf(stderr, "\n%s", d);
	free(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	return st;
}

void
fixture_parse(struct fixture *x, const char *profile_name, const char *profile_text,
    const char *site_name, const char *site_text)
{
	memset(x, 0, sizeof(*x));
	x->pf = parse_profile(profile_name, profile_text);
	x->st = parse_site(site_name, site_text);
	x->pl = plan_build(x->pf, x->st, x->err, sizeof(x->err));
}

void
fixture_load(struct fixture *x, const char *profile_path, const char *site_path)
{
	int nerr = 0;

	memset(x, 0, sizeof(*x));
	x->pf = profile_load(profile_path, stderr, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->pf);
	x->st = site_load(site_path, stderr, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->st);
	x->pl = plan_build(x->pf, x->st, x->err, sizeof(x->err));
}

void
fixture_close(struct fixture *x)
{
	plan_free(x->pl);
	site_free(x->st);
	profile_free(x->pf);
	memset(x, 0, sizeof(*x));
}

size_t
fixture_ep(const struct fixture *x, const char *name)
{
	long i = profile_find_endpoint(x->pf, name);

	CU_ASSERT_FATAL(i >= 0);
	return (size_t)i;
}

uint32_t
fixture_probe_to(const struct fixture *x, uint16_t port)
{
	uint32_t i;

	for (i = 0; i < plan_nprobes(x->pl); i++)
		if (plan_probe(x->pl, i)->port == port)
			return i;
	CU_FAIL_FATAL("no probe to that port");
	return 0;
}
