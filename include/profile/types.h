/* The types of the profile model that the rest of the tool reads (what
 * profile/profile.h's queries return): a leaf, so that the parser's
 * private model (profile/model.h) and the public queries share them
 * without including each other. */
#ifndef RP_PROFILE_TYPES_H
#define RP_PROFILE_TYPES_H

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

#endif
