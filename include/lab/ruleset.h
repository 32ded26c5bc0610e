/* A conforming nftables ruleset compiled from a plan, optionally with
 * planted mistakes: what `ruleproof compile` prints and what `ruleproof
 * lab` loads when no ruleset is given. */
#ifndef RP_LAB_RULESET_H
#define RP_LAB_RULESET_H

#include <stdio.h>

#include "lib/log.h"
#include "plan/plan.h"

/* Compiles the plan's ruleset to out, planting `drift` deviations chosen by
 * seed (described in planted).  0, or -1 after saying why (out of memory). */
int ruleset_compile(const struct plan *, unsigned long drift, unsigned long long seed,
                    FILE *out, FILE *planted, const struct rp_log *);

#endif
