/* What a command works on: a profile, a site and the plan they expand to,
 * loaded from their files or from a plan file, with every diagnostic on
 * stderr.  The commands and the stages that judge a run directory share
 * it. */
#ifndef RP_PLAN_INPUTS_H
#define RP_PLAN_INPUTS_H

#include <stdbool.h>

#include "lib/exitstatus.h"
#include "lib/log.h"
#include "plan/plan.h"
#include "profile/profile.h"
#include "profile/site.h"

struct inputs {
	struct profile *prof;
	struct site    *site;
	struct plan    *pl;
};

/* Loads profile (and site and plan when site is not NULL).  Returns
 * EXIT_PASS or EXIT_USAGE after saying what is wrong. */
int  inputs_load(const struct rp_log *, const char *profile, const char *site, bool lab,
              struct inputs *);
void inputs_free(struct inputs *);
/* Loads a plan file (run parameters plus the embedded profile and site) and
 * rebuilds its probes; EXIT_PASS or EXIT_USAGE after saying what is wrong. */
struct run_params;
int  inputs_load_plan(const struct rp_log *, const char *plan_path, struct run_params *,
                      struct inputs *);

#endif
