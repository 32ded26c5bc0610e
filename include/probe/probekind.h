/* The registry of probe kinds (probe/kind.h): which kind probes a planned
 * probe, and which kind's evidence a captured packet is.  Adding a kind is
 * one new file and one entry in the registry. */
#ifndef RP_PROBE_PROBEKIND_H
#define RP_PROBE_PROBEKIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/kind.h"

/* The first kind from index *k on that does not skip the packet, its
 * index left in *k: DECODE_SKIP when none claims it. */
enum decode_result probekind_claim(size_t *k, const struct pkt *, const struct probe_self *,
                                   bool at_sender, struct probe_claim *);
/* A claim settled by the recovery of its id (recovered, id, vouched): the
 * match in m, and DECODE_MATCH or what the packet is if not ours. */
enum decode_result probekind_settle(const struct probe_claim *, bool recovered, uint32_t id,
                                    unsigned vouched, struct probe_match *m);
/* Classifies a captured packet as evidence for one probe: the kinds from
 * index first on in turn, until one does not skip it, each recovering the
 * id it claims.  The correlator does the same over a batch of packets. */
enum decode_result probekind_decode(size_t first, const struct pkt *, struct probeid *,
                                    uint32_t nprobes, const struct probe_self *, bool at_sender,
                                    struct probe_match *);

/* The kind that probes a given planned probe, or NULL. */
const struct probe_kind *probekind_for(const struct probe *);
/* All kinds, NULL-terminated, for decoders that do not know the kind yet. */
const struct probe_kind *const *probekind_all(void);


/* A BPF filter that keeps the evidence of every kind (the union of theirs). */
const char *probekind_filter(void);


#endif
