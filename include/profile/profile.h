/* Profiles: what must be open and what must be closed, written from a vendor
 * table with symbolic names (zones, roles, DNS names, address blocks).  The
 * language is documented in ruleproof.profile(5); profile/parse.h reads
 * one, and these queries are what the rest of the tool asks of it. */
#ifndef RP_PROFILE_PROFILE_H
#define RP_PROFILE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/types.h"

const char *profile_name(const struct profile *);     /* file name as given */
const char *profile_title(const struct profile *);    /* `profile "..."` */
const char *profile_document(const struct profile *); /* the first `source "..."`, or NULL */

/* The files read: 0 is the profile itself, then every include in the
 * order reached (paths as resolved, relative to the working directory
 * when the profile's name is).  A run that keeps a copy of the profile
 * must keep these too. */
size_t      profile_nfiles(const struct profile *);
const char *profile_file(const struct profile *, size_t i);

size_t profile_nendpoints(const struct profile *);
const struct profile_endpoint *profile_endpoint(const struct profile *, size_t i);
/* Index of the endpoint (zone, role, fqdn, block, or a wildcard's chosen
 * name) called name, or -1. */
long   profile_find_endpoint(const struct profile *, const char *name);
/* What a name that is no endpoint is: "group", "wildcard", "service", or
 * NULL if the profile does not define it. */
const char *profile_name_kind(const struct profile *, const char *name);

size_t profile_nrules(const struct profile *);
const struct profile_rule *profile_rule(const struct profile *, size_t i);
/* The span of a rule that covers proto/port, or NULL. */
const struct port_span *profile_rule_span(const struct profile_rule *, uint8_t proto,
                                          uint16_t port);

/* Line of the `default closed` statement, 0 if the profile has none. */
int    profile_default_closed_line(const struct profile *);
/* Its file (NULL without one), and whether it is `default closed all`. */
const char *profile_default_closed_file(const struct profile *);
bool   profile_default_closed_all(const struct profile *);

/* True if some `open` rule allows proto/port from endpoint src to dst. */
bool   profile_allows(const struct profile *, size_t src, size_t dst,
                      uint8_t proto, uint16_t port);

#endif
