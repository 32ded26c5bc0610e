#include "probe/probeid.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/be.h"

/* Observations recovered together (probeid_recover_many): each needs up
 * to two AES blocks per step, and a step's blocks go through the cipher in
 * one call. */
#define BATCH 128
#define TASKS (2 * BATCH)

struct probeid {
	EVP_CIPHER_CTX *aes;
	uint8_t         in[TASKS][16], out[TASKS][16];
};

enum { TWEAK_ROUND = 'F', TWEAK_TS_ROUND = 'T', TWEAK_SPORT = 'S', TWEAK_IPID = 'I' };

#define FEISTEL_ROUNDS 4

/* A PRF value: the first four bytes of its block. */
static uint32_t
block_word(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

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
	be_put32(in + 2, x);
	/* ECB on one block cannot fail once the context is initialised.
	 * EVP_Cipher goes straight to the cipher: EVP_EncryptUpdate's
	 * bookkeeping cost as much as the block itself, on every packet. */
	(void)EVP_Cipher(p->aes, out, in, sizeof(in));
	return block_word(out);
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

/* A zero TSval reads as "no timestamp" to some stacks; the permutation
 * maps exactly one id to it, and that id gets its complement instead. */
static uint32_t
tsval_nonzero(uint32_t t)
{
	return t ? t : ~UINT32_C(0);
}

static uint32_t
tsval_of(struct probeid *p, uint32_t id)
{
	return tsval_nonzero(permute(p, TWEAK_TS_ROUND, id));
}

/* The source port tag from its PRF value: clear of the privileged ports,
 * which some firewalls treat apart. */
static uint16_t
sport_from(uint32_t prf_value)
{
	return (uint16_t)(1024 + prf_value % (65536 - 1024));
}

static uint16_t
sport_tag(struct probeid *p, uint32_t id)
{
	return sport_from(prf(p, TWEAK_SPORT, 0, id));
}

void
probeid_encode(struct probeid *p, uint32_t id, struct probe_carriers *out)
{
	out->seq = permute(p, TWEAK_ROUND, id);
	out->sport = sport_tag(p, id);
	out->ipid = (uint16_t)prf(p, TWEAK_IPID, 0, id);
	out->tsval = tsval_of(p, id);
}

/* prf() of n values at once, each with its tweak (res may be x): one call
 * through the cipher, which pipelines the blocks (AES-NI works on several
 * at a time). */
static void
prf_many(struct probeid *p, const uint8_t *tweak, uint8_t round, const uint32_t *x, size_t n,
    uint32_t *res)
{
	size_t k;

	for (k = 0; k < n; k++) {
		/* Bytes 6-15 stay zero from calloc, as in prf(). */
		p->in[k][0] = tweak[k];
		p->in[k][1] = round;
		be_put32(&p->in[k][2], x[k]);
	}
	if (n > 0)
		(void)EVP_Cipher(p->aes, p->out[0], p->in[0], (unsigned)(n * 16));
	for (k = 0; k < n; k++)
		res[k] = block_word(p->out[k]);
}

/* permute() of n values at once, or its inverse, round by round.  The
 * blocks are packed here rather than through prf_many(): a round feeds 16
 * bits and keeps 16, and this is most of the AES work. */
static void
feistel_many(struct probeid *p, const uint8_t *tweak, uint32_t *v, size_t n, bool inverse)
{
	size_t k;
	int i;

	for (k = 0; k < n; k++)
		p->in[k][0] = tweak[k];
	for (i = 0; i < FEISTEL_ROUNDS; i++) {
		uint8_t round = (uint8_t)(inverse ? FEISTEL_ROUNDS - 1 - i : i);

		for (k = 0; k < n; k++) {
			uint16_t half = (uint16_t)(inverse ? v[k] >> 16 : v[k]);

			p->in[k][1] = round;
			be_put32(&p->in[k][2], half);
		}
		if (n > 0)
			(void)EVP_Cipher(p->aes, p->out[0], p->in[0], (unsigned)(n * 16));
		for (k = 0; k < n; k++) {
			uint16_t f = (uint16_t)block_word(p->out[k]);
			uint16_t l = (uint16_t)(v[k] >> 16), r = (uint16_t)v[k];

			v[k] = inverse ? (uint32_t)(uint16_t)(r ^ f) << 16 | l :
			    (uint32_t)r << 16 | (uint16_t)(l ^ f);
		}
	}
}

void
probeid_encode_many(struct probeid *p, const uint32_t *id, size_t n, struct probe_carriers *out)
{
	uint8_t tweak[TASKS];
	uint32_t v[TASKS];
	size_t k, at, m;

	for (at = 0; at < n; at += m) {
		m = n - at < BATCH ? n - at : BATCH;
		/* The sequence numbers and timestamps: both permutations of the
		 * id, in one pass of the Feistel rounds. */
		for (k = 0; k < m; k++) {
			tweak[k] = TWEAK_ROUND;
			tweak[m + k] = TWEAK_TS_ROUND;
			v[k] = v[m + k] = id[at + k];
		}
		feistel_many(p, tweak, v, 2 * m, false);
		for (k = 0; k < m; k++) {
			out[at + k].seq = v[k];
			out[at + k].tsval = tsval_nonzero(v[m + k]);
			tweak[k] = TWEAK_SPORT;
			tweak[m + k] = TWEAK_IPID;
			v[k] = v[m + k] = id[at + k];
		}
		prf_many(p, tweak, 0, v, 2 * m, v);
		for (k = 0; k < m; k++) {
			out[at + k].sport = sport_from(v[k]);
			out[at + k].ipid = (uint16_t)v[m + k];
		}
	}
}

static unsigned
popcount4(unsigned v)
{
	return (v & 1) + ((v >> 1) & 1) + ((v >> 2) & 1) + ((v >> 3) & 1);
}

/* A batch's id candidates: those of observation i are cand[2i], and
 * cand[2i + 1] when it has two; known: the carriers each was derived
 * from, which agree with it by construction. */
struct candidates {
	uint32_t cand[TASKS];
	unsigned known[TASKS];
	uint8_t  n[BATCH];
};

/* AES work on a batch's carriers: per entry the tweak and the value to
 * feed, and which carrier of which observation (or candidate slot) it is
 * for. */
struct check {
	uint8_t  tweak[TASKS];
	uint32_t v[TASKS];
	unsigned carrier[TASKS];
	size_t   obs[TASKS], n;
};

static void
check_add(struct check *k, uint8_t tweak, uint32_t v, unsigned carrier, size_t obs)
{
	k->tweak[k->n] = tweak;
	k->v[k->n] = v;
	k->carrier[k->n] = carrier;
	k->obs[k->n++] = obs;
}

/* Only the permutation carriers can name a candidate: the sequence number
 * first, then the TSval, whose candidate is only worked out where the
 * first did not recover the id.  A candidate from the sequence number
 * gives that number back; one from a TSval gives it back unless it is 0
 * (tsval_of never yields 0). */
static void
find_candidates(struct probeid *p, const struct carrier_obs *o, size_t n, unsigned j,
    const bool *ok, struct candidates *c)
{
	struct check from;
	size_t i;

	from.n = 0;
	for (i = 0; i < n; i++) {
		if (j == 0)
			c->n[i] = (uint8_t)(!!(o[i].has & CARRIER_SEQ) + !!(o[i].has & CARRIER_TSVAL));
		if (ok[i] || j >= c->n[i])
			continue;
		if (j == 0 && (o[i].has & CARRIER_SEQ)) {
			c->known[2 * i] = CARRIER_SEQ;
			check_add(&from, TWEAK_ROUND, o[i].seq, CARRIER_SEQ, 2 * i);
		} else {
			c->known[2 * i + j] = o[i].tsval != 0 ? CARRIER_TSVAL : 0;
			check_add(&from, TWEAK_TS_ROUND, o[i].tsval == ~UINT32_C(0) ? 0 : o[i].tsval,
			    CARRIER_TSVAL, 2 * i + j);
		}
	}
	feistel_many(p, from.tweak, from.v, from.n, true);
	for (i = 0; i < from.n; i++)
		c->cand[from.obs[i]] = from.v[i];
}

/* Whether each observation not yet recovered has its candidate j (one in
 * the plan); *v gets the carriers it was derived from. */
static bool
pending(const bool *ok, const struct candidates *c, size_t i, unsigned j, uint32_t nprobes,
    unsigned *v)
{
	if (ok[i] || j >= c->n[i] || c->cand[2 * i + j] >= nprobes)
		return false;
	*v = c->known[2 * i + j];
	return true;
}

/* How a carrier holds an id: the tweak of its function of it. */
static uint8_t
carrier_tweak(unsigned carrier)
{
	return carrier == CARRIER_SEQ ? TWEAK_ROUND : carrier == CARRIER_TSVAL ? TWEAK_TS_ROUND :
	    carrier == CARRIER_SPORT ? TWEAK_SPORT : TWEAK_IPID;
}

static bool
carrier_agrees(const struct carrier_obs *o, unsigned carrier, uint32_t value)
{
	switch (carrier) {
	case CARRIER_SEQ: return o->seq == value;
	case CARRIER_TSVAL: return o->tsval == (value ? value : ~UINT32_C(0));
	case CARRIER_SPORT: return o->sport == sport_from(value);
	default: return o->ipid == (uint16_t)value;
	}
}

/* The checks of a candidate against the carriers, cheapest first: the
 * source port tag, the IP id tag (one block each), then the sequence
 * number and the TSval (the permutation, four blocks each).  A phase after
 * the first only runs where two carriers do not agree yet, or where every
 * one is wanted. */
static const struct phase {
	unsigned carriers;
	bool     permutation;
} phases[] = {
	{ CARRIER_SPORT, false },
	{ CARRIER_IPID, false },
	{ CARRIER_SEQ | CARRIER_TSVAL, true },
};

static void
vouch_phase(struct probeid *p, const struct carrier_obs *o, size_t n, uint32_t nprobes,
    const struct candidates *c, unsigned j, const bool *ok, unsigned *v, const struct phase *ph)
{
	static const unsigned each[] = { CARRIER_SEQ, CARRIER_SPORT, CARRIER_IPID, CARRIER_TSVAL };
	struct check k;
	unsigned known;
	size_t i, e;

	k.n = 0;
	for (i = 0; i < n; i++) {
		if (!pending(ok, c, i, j, nprobes, &known))
			continue;
		if (ph == phases)
			v[i] = known;
		else if (popcount4(v[i]) >= 2 && !o[i].every)
			continue;
		for (e = 0; e < 4; e++)
			if ((ph->carriers & each[e]) && (o[i].has & each[e]) && !(known & each[e]))
				check_add(&k, carrier_tweak(each[e]), c->cand[2 * i + j], each[e], i);
	}
	if (ph->permutation)
		feistel_many(p, k.tweak, k.v, k.n, false);
	else
		prf_many(p, k.tweak, 0, k.v, k.n, k.v);
	for (e = 0; e < k.n; e++)
		if (carrier_agrees(&o[k.obs[e]], k.carrier[e], k.v[e]))
			v[k.obs[e]] |= k.carrier[e];
}

/* Candidate j of each observation not yet recovered is its id when two of
 * its carriers agree with it. */
static void
vouch(struct probeid *p, const struct carrier_obs *o, size_t n, uint32_t nprobes,
    const struct candidates *c, unsigned j, bool *ok, uint32_t *id, unsigned *vouched)
{
	unsigned v[BATCH], known;
	size_t i;

	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		vouch_phase(p, o, n, nprobes, c, j, ok, v, &phases[i]);
	for (i = 0; i < n; i++) {
		if (!pending(ok, c, i, j, nprobes, &known) || popcount4(v[i]) < 2)
			continue;
		ok[i] = true;
		id[i] = c->cand[2 * i + j];
		vouched[i] = v[i];
	}
}

static void
recover_batch(struct probeid *p, const struct carrier_obs *o, size_t n, uint32_t nprobes,
    bool *ok, uint32_t *id, unsigned *vouched)
{
	struct candidates c;
	size_t i;

	unsigned j;

	for (i = 0; i < n; i++)
		ok[i] = false;
	/* The second candidate only counts where the first did not. */
	for (j = 0; j < 2; j++) {
		find_candidates(p, o, n, j, ok, &c);
		vouch(p, o, n, nprobes, &c, j, ok, id, vouched);
	}
}

void
probeid_recover_many(struct probeid *p, const struct carrier_obs *o, size_t n, uint32_t nprobes,
    bool *ok, uint32_t *id, unsigned *vouched)
{
	size_t i;

	for (i = 0; i < n; i += BATCH)
		recover_batch(p, o + i, n - i < BATCH ? n - i : BATCH, nprobes, ok + i, id + i,
		    vouched + i);
}

bool
probeid_recover(struct probeid *p, const struct carrier_obs *o, uint32_t nprobes, uint32_t *id,
    unsigned *vouched)
{
	uint32_t got;
	unsigned v;
	struct carrier_obs every = *o;
	bool ok;

	every.every = vouched != NULL;
	probeid_recover_many(p, &every, 1, nprobes, &ok, &got, &v);
	if (ok) {
		*id = got;
		if (vouched)
			*vouched = v;
	}
	return ok;
}

bool
probeid_match(struct probeid *p, uint32_t seq, uint16_t sport, uint32_t nprobes,
    uint32_t *id)
{
	struct carrier_obs o = { .has = CARRIER_SEQ | CARRIER_SPORT, .seq = seq, .sport = sport };

	return probeid_recover(p, &o, nprobes, id, NULL);
}
