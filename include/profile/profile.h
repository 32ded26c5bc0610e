/* Profiles: what must be open and what must be closed, written from a vendor
 * table with symbolic names (zones, roles, DNS names, address blocks).  The
 * language is documented in ruleproof.profile(5); this header is the model
 * the rest of the tool reads. */
#ifndef RP_PROFILE_PROFILE_H
#define RP_PROFILE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "tls/tlscert.h"

enum rp_proto { RP_PROTO_TCP = 6, RP_PROTO_UDP = 17 };

/* One protocol and an inclusive port range (lo == hi for a single port). */
struct port_span {
	uint8_t     proto;   /* enum rp_proto */
	uint16_t    lo, hi;
	/* A TLS ClientHello must pass (tcp only).  Its SNI is `sni` when the
	 * profile overrides it, else the destination's name: see
	 * plan_probe_sni(). */
	bool        tls;
	const char *sni;
	/* `tls ... cert (...)`: the checks on the certificate the server
	 * presents, or NULL (owned by the profile). */
	const struct tlscert_expect *cert;
};

enum endpoint_kind {
	EP_ZONE,    /* a network of the site (`zone`) */
	EP_ROLE,    /* a server of the site (`role`) */
	EP_FQDN,    /* a DNS name, with its documented addresses (`fqdn`, or
	             * chosen for a `wildcard`) */
	EP_BLOCK,   /* an address block probed by a sample (`block`) */
};

/* Sample size of a block without `sample N`, and the largest allowed. */
#define PROFILE_SAMPLE_DEFAULT 8
#define PROFILE_SAMPLE_MAX     256

struct profile_endpoint {
	const char           *name;     /* for EP_FQDN the DNS name: the SNI of its TLS probes */
	const char           *desc;     /* "" when not given */
	enum endpoint_kind    kind;
	int                   line;     /* where it is defined (first definition) */
	const char           *file;     /* in which file: the profile or an include */
	/* EP_FQDN: the documented addresses (possibly none).  EP_BLOCK: one,
	 * the block's network address, with `prefix`.  Others: none.  A site
	 * may bind any endpoint to other addresses. */
	const struct rp_addr *addrs;
	size_t                naddrs;
	unsigned              prefix;   /* EP_BLOCK */
	unsigned              sample;   /* EP_BLOCK: addresses probed */
	/* EP_FQDN chosen for a wildcard: the (first) pattern, else NULL. */
	const char           *wildcard;
	/* EP_ROLE placed `in` a zone: that zone's index, else -1. */
	long                  zone;
};

enum rule_direction { DIR_UNSPECIFIED, DIR_INBOUND, DIR_OUTBOUND };

struct profile_rule {
	int                     line, col;   /* where the rule keyword starts */
	bool                    expect_open; /* `open` vs `closed` */
	/* Endpoint indexes, groups and wildcards expanded, each endpoint once,
	 * in the order written. */
	const size_t           *src;
	size_t                  nsrc;
	const size_t           *dst;
	size_t                  ndst;
	/* Every port the rule names, services expanded, sorted by (proto, lo)
	 * and merged where ranges touch or overlap (and agree on TLS). */
	const struct port_span *spans;
	size_t                  nspans;
	const char             *services;    /* canonical text of the list, e.g. "portal, tcp/1433" */
	const char             *section;     /* provenance from the last `section`, or NULL */
	/* Provenance and meaning, for reports. */
	const char             *file;        /* the file the rule is written in */
	const char             *document;    /* `source` in effect (the first one for rules
	                                      * before any), or NULL when there is none */
	const char             *cite;        /* the rule's own `cite "..."`, or NULL */
	enum rule_direction     direction;   /* `inbound` / `outbound`, as the table says */
	const char             *from, *to;   /* source and destination lists as written */
	bool                    tls;         /* some span expects TLS */
};

struct profile;

/* Where `include` reads files.  read() returns false with *err an errno
 * value; *text is malloc'ed. */
struct profile_reader {
	bool (*read)(void *ctx, const char *path, char **text, size_t *len, int *err);
	void  *ctx;
};

/* Parse a profile held in memory.  `name` is used in diagnostics, and
 * included files are found relative to its directory.  Every error and
 * warning goes to `diag` (may be NULL) formatted as
 *   NAME:LINE:COL: error: MESSAGE
 *       <the source line>
 *       <caret under the offending token>
 * and parsing continues after an error so one run reports them all.
 * Returns NULL if there was any error; *nerr (optional) gets the count. */
struct profile *profile_parse(const char *name, const char *text, size_t len,
                              FILE *diag, int *nerr);
/* The same with includes read through `io` (NULL: from the file system,
 * regular files of at most 4 MiB). */
struct profile *profile_parse_with(const char *name, const char *text, size_t len,
                                   const struct profile_reader *io, FILE *diag, int *nerr);
/* Reads the file, then profile_parse(); I/O errors are reported in diag too. */
struct profile *profile_load(const char *path, FILE *diag, int *nerr);
void            profile_free(struct profile *);

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

/* The canonical form: what `ruleproof check` prints.  Included files are
 * written out in place, so it is one self-contained profile. */
void   profile_print(const struct profile *, FILE *out);

#endif
