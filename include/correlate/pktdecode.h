/* Captured packets decoded into probe evidence a batch at a time: each
 * record dissected (pkt.h) and claimed by the probe kinds, then the ids of
 * all the claims recovered together (probeid_recover_many), which pipelines
 * their AES blocks.  The result is what probekind_decode() says of each
 * packet: what a packet is evidence of depends only on its bytes, the plan
 * and the key. */
#ifndef RP_CORRELATE_PKTDECODE_H
#define RP_CORRELATE_PKTDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/pcapread.h"
#include "capture/pkt.h"
#include "plan/plan.h"
#include "probe/probekind.h"

#define PKTDECODE_BATCH 256

struct decoded {
	struct pkt         p;         /* valid when dissected; points into the record */
	bool               dissected;
	enum decode_result dr;        /* as probekind_decode() says */
	struct probe_match m;         /* id, ev and vouched when dr is DECODE_MATCH */
};

struct pktdecode;

/* For the captures of an endpoint of the plan, at the sender or the far
 * side, of link type dlt, under the run's key (pid, borrowed).  NULL when
 * out of memory. */
struct pktdecode *pktdecode_new(const struct plan *, struct probeid *pid, size_t endpoint,
                                bool at_sender, int dlt);
void              pktdecode_free(struct pktdecode *);
/* Decodes n records (at most PKTDECODE_BATCH) into out[0..n).  Only an
 * arrival's m.vouched names every carrier that agrees; the others name at
 * least the two that recovered the id. */
void              pktdecode_run(struct pktdecode *, const struct pcap_rec *rec, int n,
                                struct decoded *out);

#endif
