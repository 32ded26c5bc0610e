/* Probe ids ride inside the probe under a per-run key, so the correlator can
 * join what was sent with what arrived or came back without trusting
 * addresses, and can reject packets of other runs and other tools.
 *
 * The id is a dense index into the plan.  It travels in four carriers: the
 * TCP sequence number and the TCP timestamp value each hold a keyed 32-bit
 * permutation of it (Feistel networks over AES, with different tweaks), and
 * the source port and the IPv4 id hold keyed tags of it.  Any carrier that
 * holds a permutation recovers the id; the others vouch for it.  An id is
 * accepted when two carriers agree, so that it survives any one of them
 * being rewritten on the way: the source port by PAT, the sequence number by
 * ISN randomisation, the IP id by a normalising middlebox. */
#ifndef RP_PROBE_PROBEID_H
#define RP_PROBE_PROBEID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBEID_KEYLEN 16

struct probe_carriers {
	uint32_t seq;    /* TCP sequence number of the SYN */
	uint16_t sport;  /* source port, 1024-65535 */
	uint16_t ipid;   /* IPv4 identification */
	uint32_t tsval;  /* TCP timestamp value (never 0) */
};

/* Which carriers a captured packet offers, and which ones vouched. */
enum {
	CARRIER_SEQ = 1, CARRIER_SPORT = 2, CARRIER_IPID = 4, CARRIER_TSVAL = 8,
};

struct carrier_obs {
	unsigned has;            /* CARRIER_* bits present in the packet */
	uint32_t seq, tsval;
	uint16_t sport, ipid;
	/* Check every carrier, for *vouched to name them all; otherwise the
	 * checks stop once two agree, which is all that accepting an id
	 * takes. */
	bool     every;
};

struct probeid;

struct probeid *probeid_new(const uint8_t key[PROBEID_KEYLEN]);
void            probeid_free(struct probeid *);

void probeid_encode(struct probeid *, uint32_t id, struct probe_carriers *out);
/* probeid_encode() of n ids at once, with the same results: their AES
 * blocks go through the cipher together (the sender encodes a batch's
 * probes this way, ten blocks each). */
void probeid_encode_many(struct probeid *, const uint32_t *id, size_t n,
                         struct probe_carriers *out);
/* Recovers the id from a sequence number (a SYN's seq, or a reply's ack - 1)
 * and accepts it only if it lies in the plan and the source port vouches for
 * it.  Foreign packets fail with probability 1 - nprobes / 2^48. */
bool probeid_match(struct probeid *, uint32_t seq, uint16_t sport,
                   uint32_t nprobes, uint32_t *id);
/* Recovers an id on which at least two of the offered carriers agree.
 * *vouched (optional) gets the CARRIER_* bits that matched, so that a
 * report can say which field a middlebox rewrote (all of them, whatever
 * the observation's every says). */
bool probeid_recover(struct probeid *, const struct carrier_obs *, uint32_t nprobes,
                     uint32_t *id, unsigned *vouched);
/* probeid_recover() of n observations at once, with the same results
 * (ok[i], and id[i] and vouched[i] when ok; vouched[i] names every
 * carrier that agrees only for an observation marked every): their AES
 * blocks go through
 * the cipher together, which pipelines them.  A million-probe run has
 * millions of ids to recover. */
void probeid_recover_many(struct probeid *, const struct carrier_obs *, size_t n,
                          uint32_t nprobes, bool *ok, uint32_t *id, unsigned *vouched);

#endif
