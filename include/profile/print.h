/* Profiles written back out: the canonical form `ruleproof check` prints,
 * and the canonical text of lists that the model keeps for reports. */
#ifndef RP_PROFILE_PRINT_H
#define RP_PROFILE_PRINT_H

#include <stdio.h>

#include "profile/model.h"

/* The canonical form: what `ruleproof check` prints.  Included files are
 * written out in place, so it is one self-contained profile. */
void   profile_print(const struct profile *, FILE *out);
/* The canonical text of a service list and of an endpoint list (malloc'd,
 * NULL when out of memory). */
char *pf_svclist_text(const struct svclist *);
char *pf_eplist_text(const struct eplist *);

#endif
