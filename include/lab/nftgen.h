/* A firewall ruleset as a list of first-match rules between lab hosts, compiled
 * from a profile's open rules, evaluated in memory (to predict what nftables
 * will do) and emitted as an nftables script. */
#ifndef RP_LAB_NFTGEN_H
#define RP_LAB_NFTGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plan/plan.h"

enum fw_action { FW_ACCEPT, FW_DROP, FW_REJECT_RST, FW_REJECT_ICMP };

struct fw_rule {
	size_t         src, dst;     /* profile endpoint indexes */
	uint8_t        proto;
	uint16_t       lo, hi;
	enum fw_action act;
	int            line;         /* profile line it came from, 0 if planted */
	const char    *file;         /* and its file (the profile or an include), NULL if planted */
};

struct fwset;

/* One accept rule per (open rule, source, destination, port span); the
 * chain's policy drops everything else, as a conforming firewall would.
 * Rules are between endpoints: fw_emit() writes each for every address of
 * both (anonymous sets when there are several, ip and ip6 apart). */
struct fwset *fw_compile(const struct plan *);
void          fw_free(struct fwset *);
struct fwset *fw_clone(const struct fwset *);

size_t                fw_nrules(const struct fwset *);
const struct fw_rule *fw_rule_at(const struct fwset *, size_t i);
int  fw_insert(struct fwset *, size_t pos, const struct fw_rule *);
void fw_replace(struct fwset *, size_t pos, const struct fw_rule *);
/* Exchanges the rules of two sets (to adopt a modified copy). */
void fw_swap(struct fwset *, struct fwset *);

/* First match wins; no match is the policy (drop). */
enum fw_action fw_eval(const struct fwset *, size_t src, size_t dst,
                       uint8_t proto, uint16_t port);
const char    *fw_action_name(enum fw_action);

/* The nftables script: a table of its own (`inet ruleproof`) with a forward
 * chain, so it never touches any other table. */
void fw_emit(const struct fwset *, const struct plan *, FILE *out);

#endif
