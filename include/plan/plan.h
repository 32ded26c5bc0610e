/* The plan: the deterministic expansion of profile x site into probes.  Both
 * the agents and the correlator rebuild it from the same inputs, so a probe
 * is identified everywhere by its dense index alone.
 *
 * Every probe goes to one concrete address: a rule's flows are repeated for
 * each address of the destination (an fqdn's documented addresses, a
 * block's sample, or what the site binds), in that order.  A sender sends
 * from its first address of the destination's family.  A flow (source,
 * destination, destination address, protocol, port) is probed once, by the
 * first rule that names it.
 *
 * Negative probes of `default closed`: for every ordered pair (source,
 * destination) of distinct endpoints with addresses, where the source is a
 * zone or a role (a network or host of the site, where a sender can run)
 * and the destination is the destination of some rule, every port of the
 * port universe that no rule probes for that pair is probed and expected
 * closed, at each of the destination's addresses.  The port universe is
 * every port any rule names, plus each single port's neighbours (p-1, p+1)
 * and each range's outer neighbours (lo-1, hi+1), so that a rule widened by
 * one port or opened to the wrong source is caught; with `default closed
 * all` it is every port 1-65535 of each protocol the profile names (the
 * full segmentation sweep).  Negative probes are plain (never TLS). */
#ifndef RP_PLAN_PLAN_H
#define RP_PLAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "profile/profile.h"
#include "profile/site.h"

#define PLAN_RULE_DEFAULT UINT32_MAX

struct probe {
	uint32_t id;
	uint32_t rule;         /* profile rule index, or PLAN_RULE_DEFAULT */
	uint16_t src, dst;     /* profile endpoint indexes */
	uint16_t dst_addr;     /* which of the destination's addresses */
	uint16_t port;
	uint8_t  proto;        /* enum rp_proto */
	bool     expect_open;
	bool     tls;          /* a TLS ClientHello must pass: see plan_probe_sni() */
};

struct plan;

/* Returns NULL with a message in err if an endpoint a probe needs has no
 * host in the site, or a rule's source and destination have no address
 * family in common. */
struct plan *plan_build(const struct profile *, const struct site *,
                        char *err, size_t errlen);
void         plan_free(struct plan *);
/* What the plan leaves out of what the rules ask, one diagnostic a line
 * ("FILE:LINE:COL: warning: ..."): the destination addresses of a family
 * the source has none of. */
size_t       plan_nwarnings(const struct plan *);
const char  *plan_warning(const struct plan *, size_t i);

uint32_t            plan_nprobes(const struct plan *);
const struct probe *plan_probe(const struct plan *, uint32_t id);
/* An endpoint's addresses (only meaningful for endpoints in use).  A sender
 * sends from its first address. */
size_t                plan_naddrs(const struct plan *, size_t endpoint);
const struct rp_addr *plan_addr_at(const struct plan *, size_t endpoint, size_t i);
/* The endpoint's first address. */
const struct rp_addr *plan_addr(const struct plan *, size_t endpoint);
/* Where a probe goes from and to. */
const struct rp_addr *plan_probe_src(const struct plan *, const struct probe *);
const struct rp_addr *plan_probe_dst(const struct plan *, const struct probe *);
/* File line of the rule a probe tests (the `default closed` line for
 * negative probes), and that rule's file (the profile or an include). */
int                 plan_probe_line(const struct plan *, const struct probe *);
const char         *plan_probe_file(const struct plan *, const struct probe *);
/* The server name a TLS probe sends, or NULL (no SNI, or not TLS): the
 * rule's `tls sni "..."`, else the destination's `fqdn "..."` in the site,
 * else the destination's own name when it is an fqdn. */
const char         *plan_probe_sni(const struct plan *, const struct probe *);
/* The checks on the certificate a TLS probe's server presents (the rule's
 * `tls ... cert (...)`, see tlscert_evaluate()), or NULL: not TLS, a
 * negative probe, or no cert clause. */
const struct tlscert_expect *plan_probe_cert(const struct plan *, const struct probe *);
/* The DNS name an endpoint has here: the site's `fqdn "..."`, else its
 * name when it is an fqdn, else NULL. */
const char         *plan_endpoint_fqdn(const struct plan *, size_t endpoint);
const struct profile *plan_profile(const struct plan *);

/* Distinct endpoints that send, and that receive, at least one probe. */
size_t plan_nsenders(const struct plan *);
size_t plan_sender(const struct plan *, size_t i);
size_t plan_nreceivers(const struct plan *);
size_t plan_receiver(const struct plan *, size_t i);

#endif
