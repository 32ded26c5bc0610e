/* Profiles: what must be open and what must be closed, written from a vendor
 * table with symbolic names (zones, roles).  The language is documented in
 * ruleproof-profile(5); this header is the model the rest of the tool reads. */
#ifndef RP_PROFILE_H
#define RP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum rp_proto { RP_PROTO_TCP = 6, RP_PROTO_UDP = 17 };

/* One protocol and an inclusive port range (lo == hi for a single port). */
struct port_span {
	uint8_t  proto;   /* enum rp_proto */
	uint16_t lo, hi;
};

enum endpoint_kind { EP_ZONE, EP_ROLE };

struct profile_endpoint {
	const char        *name;
	const char        *desc;   /* "" when not given */
	enum endpoint_kind kind;
	int                line;
};

struct profile_rule {
	int                     line, col;   /* where the rule keyword starts */
	bool                    expect_open; /* `open` vs `closed` */
	const size_t           *src;         /* endpoint indexes, as written */
	size_t                  nsrc;
	const size_t           *dst;
	size_t                  ndst;
	/* Every port the rule names, services expanded, sorted by (proto, lo)
	 * and merged where ranges touch or overlap. */
	const struct port_span *spans;
	size_t                  nspans;
	const char             *services;    /* canonical text of the list, e.g. "portal, tcp/1433" */
	const char             *section;     /* provenance from the last `section`, or NULL */
};

struct profile;

/* Parse a profile held in memory.  `name` is used in diagnostics.  Every
 * error and warning goes to `diag` (may be NULL) formatted as
 *   NAME:LINE:COL: error: MESSAGE
 *       <the source line>
 *       <caret under the offending token>
 * and parsing continues after an error so one run reports them all.
 * Returns NULL if there was any error; *nerr (optional) gets the count. */
struct profile *profile_parse(const char *name, const char *text, size_t len,
                              FILE *diag, int *nerr);
/* Reads the file, then profile_parse(); I/O errors are reported in diag too. */
struct profile *profile_load(const char *path, FILE *diag, int *nerr);
void            profile_free(struct profile *);

const char *profile_name(const struct profile *);     /* file name as given */
const char *profile_title(const struct profile *);    /* `profile "..."` */
const char *profile_document(const struct profile *); /* `source "..."`, or NULL */

size_t profile_nendpoints(const struct profile *);
const struct profile_endpoint *profile_endpoint(const struct profile *, size_t i);
/* Index of the zone or role called name, or -1. */
long   profile_find_endpoint(const struct profile *, const char *name);

size_t profile_nrules(const struct profile *);
const struct profile_rule *profile_rule(const struct profile *, size_t i);

/* Line of the `default closed` statement, 0 if the profile has none. */
int    profile_default_closed_line(const struct profile *);

/* True if some `open` rule allows proto/port from endpoint src to dst. */
bool   profile_allows(const struct profile *, size_t src, size_t dst,
                      uint8_t proto, uint16_t port);

/* The canonical form: what `ruleproof check` prints. */
void   profile_print(const struct profile *, FILE *out);

#endif
