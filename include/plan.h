/* The plan: the deterministic expansion of profile x site into probes.  Both
 * the agents and the correlator rebuild it from the same inputs, so a probe
 * is identified everywhere by its dense index alone.
 *
 * Negative probes of `default closed`: for every ordered pair (source,
 * destination) of distinct endpoints the site binds, where the destination
 * is the destination of some rule, every port of the port universe that no
 * open rule allows for that pair is probed and expected closed.  The port
 * universe is every port any rule names, plus each single port's neighbours
 * (p-1, p+1) and each range's outer neighbours (lo-1, hi+1), so that a rule
 * widened by one port or opened to the wrong source is caught. */
#ifndef RP_PLAN_H
#define RP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "profile.h"
#include "site.h"

#define PLAN_RULE_DEFAULT UINT32_MAX

struct probe {
	uint32_t id;
	uint32_t rule;         /* profile rule index, or PLAN_RULE_DEFAULT */
	uint16_t src, dst;     /* profile endpoint indexes */
	uint16_t dst_addr;     /* which of the destination's addresses */
	uint16_t port;
	uint8_t  proto;        /* enum rp_proto */
	bool     expect_open;
};

struct plan;

/* Returns NULL with a message in err if an endpoint a probe needs has no
 * host in the site. */
struct plan *plan_build(const struct profile *, const struct site *,
                        char *err, size_t errlen);
void         plan_free(struct plan *);

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
 * negative probes). */
int                 plan_probe_line(const struct plan *, const struct probe *);
const struct profile *plan_profile(const struct plan *);

/* Distinct endpoints that send, and that receive, at least one probe. */
size_t plan_nsenders(const struct plan *);
size_t plan_sender(const struct plan *, size_t i);
size_t plan_nreceivers(const struct plan *);
size_t plan_receiver(const struct plan *, size_t i);

#endif
