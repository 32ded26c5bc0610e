/* Planted mistakes: deterministic deviations from a conforming ruleset, so
 * that a lab run has something real to find.  The description of what was
 * planted goes to planted.txt, which only the tests read: the correlator
 * must find each deviation from the packets alone. */
#ifndef RP_LAB_DRIFT_H
#define RP_LAB_DRIFT_H

#include <stdint.h>
#include <stdio.h>

#include "lab/nftgen.h"
#include "plan/plan.h"

/* Applies n deviations chosen by seed.  Each one changes the outcome of at
 * least one planned probe and none that an earlier one changed, so every
 * deviation is observable on its own.  For each, `planted` gets a
 * "drift K: ..." line followed by one line per probe it changes:
 *   flow SRC DST PROTO PORT expect=open|closed fw=ACTION
 * Returns the number planted (less than n when the plan has too few
 * candidates), or -1 on allocation failure. */
int fw_drift(struct fwset *, const struct plan *, unsigned n, uint64_t seed, FILE *planted);

#endif
