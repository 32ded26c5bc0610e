/* DNS names and the wildcard patterns of vendor endpoint tables, as the
 * profile language uses them (ruleproof.profile(5), "Names"). */
#ifndef RP_LIB_DNSNAME_H
#define RP_LIB_DNSNAME_H

#include <stdbool.h>

#define DNSNAME_MAX 253

/* NULL if name is a DNS host name ruleproof accepts: two or more labels of
 * letters, digits and '-' (not at either end of a label), each at most 63
 * characters, 253 in all.  Otherwise why it is not, for a message. */
const char *dnsname_problem(const char *name);

/* The same for a wildcard pattern: a DNS name in which '*' stands for any
 * run of characters (possibly empty) and a placeholder such as "[country]"
 * for one or more whole labels (com.au).  It must hold at least one of
 * them; labels may be empty only where a '*' or placeholder fills them. */
const char *dnsname_pattern_problem(const char *pattern);

/* Does the (valid) name match the (valid) pattern?  Case-insensitive, as
 * DNS is. */
bool dnsname_match(const char *pattern, const char *name);

/* Case-insensitive equality of two names. */
bool dnsname_eq(const char *a, const char *b);

#endif
