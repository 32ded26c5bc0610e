/* Sites: where a profile's symbolic names live at one place (addresses). */
#ifndef RP_SITE_H
#define RP_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "addr.h"
#include "profile.h"

struct site_host {
	const char    *name;   /* a zone or role of the profile */
	struct rp_addr addr;
	int            line;
};

struct site;

/* Same diagnostics contract as profile_parse(). */
struct site *site_parse(const char *name, const char *text, size_t len,
                        FILE *diag, int *nerr);
struct site *site_load(const char *path, FILE *diag, int *nerr);
void         site_free(struct site *);

const char *site_name(const struct site *);   /* file name as given */
const char *site_title(const struct site *);  /* `site "..."` */
size_t      site_nhosts(const struct site *);
const struct site_host *site_host(const struct site *, size_t i);
const struct site_host *site_find(const struct site *, const char *name);

/* Cross-checks a site against a profile, reporting into diag with the same
 * format: every host must name a zone or role of the profile, and every
 * endpoint that a rule uses must be bound.  With lab set, every address must
 * lie in 198.18.0.0/15.  Returns the number of errors. */
int  site_check(const struct site *, const struct profile *, bool lab, FILE *diag);

void site_print(const struct site *, FILE *out);

#endif
