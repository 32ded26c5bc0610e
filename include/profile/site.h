/* Sites: where a profile's names live at one place (addresses).  A site
 * binds zones and roles, and may rebind any other endpoint (an fqdn, a
 * block, a wildcard's chosen name) to its own addresses; a lab site must
 * rebind every real-world address to the lab ranges. */
#ifndef RP_PROFILE_SITE_H
#define RP_PROFILE_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/addr.h"
#include "profile/profile.h"

struct site_host {
	const char           *name;    /* an endpoint of the profile */
	struct rp_addr        addr;    /* the first address, or the block's network */
	const struct rp_addr *addrs;   /* every address bound, in order (a block: its network) */
	size_t                naddrs;
	bool                  block;   /* bound to addr/prefix, probed by a sample */
	unsigned              prefix;
	unsigned              sample;  /* block: sample size, 0 for the profile's */
	const char           *fqdn;    /* `fqdn "..."`: the endpoint's DNS name here (the SNI of
	                                * its TLS probes), or NULL */
	int                   line;
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
/* The host binding name (DNS names compare without regard to case). */
const struct site_host *site_find(const struct site *, const char *name);

/* Cross-checks a site against a profile, reporting into diag with the same
 * format: every host must name an endpoint of the profile, every endpoint
 * that a rule uses must have an address (bound here, or documented by the
 * profile), and a host's `fqdn` only names zones and roles.  With lab set,
 * every address the plan would use, and every address the site lists,
 * must lie in the lab ranges (ADDR_LAB_RANGES), and no two endpoints may
 * share an address.  Returns the number of errors. */
int  site_check(const struct site *, const struct profile *, bool lab, FILE *diag);

/* The addresses endpoint e of pf is probed at, here: the site's binding,
 * else the profile's documented addresses; a block (bound here or
 * documented) gives its sample (cidr_sample(), of the site's size, else
 * the profile's).  malloc'ed (caller frees), *n the count;
 * NULL with *n == 0 when the endpoint has none. */
struct rp_addr *site_endpoint_addrs(const struct site *, const struct profile *, size_t e,
                                    size_t *n);

void site_print(const struct site *, FILE *out);

#endif
