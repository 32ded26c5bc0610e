#include "probeid.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

struct probeid {
	EVP_CIPHER_CTX *aes;
};

enum { TWEAK_ROUND = 'F', TWEAK_TS_ROUND = 'T', TWEAK_SPORT = 'S', TWEAK_IPID = 'I' };

#define FEISTEL_ROUNDS 4

struct probeid *
probeid_new(const uint8_t key[PROBEID_KEYLEN])
{
	struct probeid *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->aes = EVP_CIPHER_CTX_new();
	if (!p->aes || EVP_EncryptInit_ex(p->aes, EVP_aes_128_ecb(), NULL, key, NULL) != 1) {
		probeid_free(p);
		return NULL;
	}
	EVP_CIPHER_CTX_set_padding(p->aes, 0);
	return p;
}

void
probeid_free(struct probeid *p)
{
	if (!p)
		return;
	EVP_CIPHER_CTX_free(p->aes);
	free(p);
}

/* One AES block as a PRF: domain-separated by tweak, so the round function
 * and the tags can never produce related values. */
static uint32_t
prf(struct probeid *p, uint8_t tweak, uint8_t round, uint32_t x)
{
	uint8_t in[16] = { 0 }, out[32];

	in[0] = tweak;
	in[1] = round;
	in[2] = (uint8_t)(x >> 24);
	in[3] = (uint8_t)(x >> 16);
	in[4] = (uint8_t)(x >> 8);
	in[5] = (uint8_t)x;
	/* ECB on one block cannot fail once the context is initialised.
	 * EVP_Cipher goes straight to the cipher: EVP_EncryptUpdate's
	 * bookkeeping cost as much as the block itself, on every packet. */
	(void)EVP_Cipher(p->aes, out, in, sizeof(in));
	return (uint32_t)out[0] << 24 | (uint32_t)out[1] << 16 |
	    (uint32_t)out[2] << 8 | out[3];
}

static uint32_t
permute(struct probeid *p, uint8_t tweak, uint32_t v)
{
	uint16_t l = (uint16_t)(v >> 16), r = (uint16_t)v;
	int i;

	for (i = 0; i < FEISTEL_ROUNDS; i++) {
		uint16_t nl = r;
		r = (uint16_t)(l ^ prf(p, tweak, (uint8_t)i, r));
		l = nl;
	}
	return (uint32_t)l << 16 | r;
}

static uint32_t
unpermute(struct probeid *p, uint8_t tweak, uint32_t v)
{
	uint16_t l = (uint16_t)(v >> 16), r = (uint16_t)v;
	int i;

	for (i = FEISTEL_ROUNDS - 1; i >= 0; i--) {
		uint16_t pr = l;
		l = (uint16_t)(r ^ prf(p, tweak, (uint8_t)i, l));
		r = pr;
	}
	return (uint32_t)l << 16 | r;
}

/* A zero TSval reads as "no timestamp" to some stacks; the permutation
 * maps exactly one id to it, and that id gets its complement instead. */
static uint32_t
tsval_of(struct probeid *p, uint32_t id)
{
	uint32_t t = permute(p, TWEAK_TS_ROUND, id);
	return t ? t : ~UINT32_C(0);
}

static uint16_t
sport_tag(struct probeid *p, uint32_t id)
{
	/* Stay clear of the privileged ports, which some firewalls treat apart. */
	return (uint16_t)(1024 + prf(p, TWEAK_SPORT, 0, id) % (65536 - 1024));
}

void
probeid_encode(struct probeid *p, uint32_t id, struct probe_carriers *out)
{
	out->seq = permute(p, TWEAK_ROUND, id);
	out->sport = sport_tag(p, id);
	out->ipid = (uint16_t)prf(p, TWEAK_IPID, 0, id);
	out->tsval = tsval_of(p, id);
}

/* The carriers of obs that agree with id, as CARRIER_* bits.  known: the
 * ones the candidate was derived from, which agree by construction and are
 * not computed again (four AES blocks each). */
static unsigned
vouchers(struct probeid *p, const struct carrier_obs *o, uint32_t id, unsigned known)
{
	unsigned v = known;

	if ((o->has & CARRIER_SEQ) && !(known & CARRIER_SEQ) && o->seq == permute(p, TWEAK_ROUND, id))
		v |= CARRIER_SEQ;
	if ((o->has & CARRIER_SPORT) && o->sport == sport_tag(p, id))
		v |= CARRIER_SPORT;
	if ((o->has & CARRIER_IPID) && o->ipid == (uint16_t)prf(p, TWEAK_IPID, 0, id))
		v |= CARRIER_IPID;
	if ((o->has & CARRIER_TSVAL) && !(known & CARRIER_TSVAL) && o->tsval == tsval_of(p, id))
		v |= CARRIER_TSVAL;
	return v;
}

static unsigned
popcount4(unsigned v)
{
	return (v & 1) + ((v >> 1) & 1) + ((v >> 2) & 1) + ((v >> 3) & 1);
}

bool
probeid_recover(struct probeid *p, const struct carrier_obs *o, uint32_t nprobes, uint32_t *id,
    unsigned *vouched)
{
	uint32_t cand[2];
	unsigned n = 0, i, v, known[2];

	/* Only the permutation carriers can name a candidate.  A candidate
	 * from the sequence number gives that number back; one from a TSval
	 * gives it back unless it is 0 (tsval_of never yields 0). */
	if (o->has & CARRIER_SEQ) {
		known[n] = CARRIER_SEQ;
		cand[n++] = unpermute(p, TWEAK_ROUND, o->seq);
	}
	if (o->has & CARRIER_TSVAL) {
		known[n] = o->tsval != 0 ? CARRIER_TSVAL : 0;
		cand[n++] = unpermute(p, TWEAK_TS_ROUND, o->tsval == ~UINT32_C(0) ? 0 : o->tsval);
	}
	for (i = 0; i < n; i++) {
		if (cand[i] >= nprobes)
			continue;
		v = vouchers(p, o, cand[i], known[i]);
		if (popcount4(v) >= 2) {
			*id = cand[i];
			if (vouched)
				*vouched = v;
			return true;
		}
	}
	return false;
}

bool
probeid_match(struct probeid *p, uint32_t seq, uint16_t sport, uint32_t nprobes,
    uint32_t *id)
{
	struct carrier_obs o = { .has = CARRIER_SEQ | CARRIER_SPORT, .seq = seq, .sport = sport };

	return probeid_recover(p, &o, nprobes, id, NULL);
}
