/* Probe ids ride inside the probe under a per-run key, so the correlator can
 * join what was sent with what arrived or came back without trusting
 * addresses, and can reject packets of other runs and other tools.
 *
 * The id is a dense index into the plan.  The TCP sequence number carries a
 * keyed 32-bit permutation of it (a Feistel network over AES), and the source
 * port and IP id carry keyed tags of it, so that one field recovers the id
 * and the others vouch for it. */
#ifndef RP_PROBEID_H
#define RP_PROBEID_H

#include <stdbool.h>
#include <stdint.h>

#define PROBEID_KEYLEN 16

struct probe_carriers {
	uint32_t seq;    /* TCP sequence number of the SYN */
	uint16_t sport;  /* source port, 1024-65535 */
	uint16_t ipid;   /* IPv4 identification */
};

struct probeid;

struct probeid *probeid_new(const uint8_t key[PROBEID_KEYLEN]);
void            probeid_free(struct probeid *);

void probeid_encode(struct probeid *, uint32_t id, struct probe_carriers *out);
/* Recovers the id from a sequence number (a SYN's seq, or a reply's ack - 1)
 * and accepts it only if it lies in the plan and the source port vouches for
 * it.  Foreign packets fail with probability 1 - nprobes / 2^48. */
bool probeid_match(struct probeid *, uint32_t seq, uint16_t sport,
                   uint32_t nprobes, uint32_t *id);

#endif
