/* The profile, site and plan that the plan, ruleset, correlator and report
 * tests start from, parsed from texts or loaded from shipped files.  A
 * fixture that does not parse is a broken test: its diagnostics go to
 * stderr and the test stops there (a fatal CUnit assertion). */
#ifndef RP_TEST_FIXTURE_H
#define RP_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "plan/plan.h"
#include "profile/profile.h"
#include "profile/site.h"

struct fixture {
	struct profile *pf;
	struct site    *st;
	struct plan    *pl;        /* NULL when plan_build refused: err says why */
	char            err[256];
};

/* profile_name and site_name are what diagnostics and reports call them. */
void   fixture_parse(struct fixture *, const char *profile_name, const char *profile_text,
                     const char *site_name, const char *site_text);
void   fixture_load(struct fixture *, const char *profile_path, const char *site_path);
void   fixture_close(struct fixture *);
/* The index of endpoint name, which must exist. */
size_t fixture_ep(const struct fixture *, const char *name);
/* The first probe to port, which must exist (fixtures plan each port once). */
uint32_t fixture_probe_to(const struct fixture *, uint16_t port);

#endif
