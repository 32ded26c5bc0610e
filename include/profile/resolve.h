/* Name resolution and whole-profile checks, run once every file is parsed
 * (so names may be used before they are defined), then the public view of
 * the model built. */
#ifndef RP_PROFILE_RESOLVE_H
#define RP_PROFILE_RESOLVE_H

#include "profile/diag.h"
#include "profile/model.h"

void pf_resolve(struct profile *, struct diag *);
void pf_publish(struct profile *);

#endif
