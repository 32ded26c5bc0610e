#include "send/sendsched.h"

#define NS_PER_S 1000000000ULL

void
sendsched_init(struct sendsched *s, uint64_t rate, int64_t now_ns)
{
	uint64_t b;

	s->rate = rate ? rate : 1;
	s->start_ns = now_ns;
	s->done = 0;
	/* As many probes as fit in a batch's time at this rate, at least one:
	 * at low rates every probe waits for its own slot. */
	b = s->rate * SENDSCHED_BATCH_NS / NS_PER_S;
	s->batch = b < 1 ? 1 : b > SENDSCHED_MAX_BATCH ? SENDSCHED_MAX_BATCH : (unsigned)b;
}

void
sendsched_restart(struct sendsched *s, int64_t now_ns)
{
	s->start_ns = now_ns;
	s->done = 0;
}

int64_t
sendsched_due(const struct sendsched *s)
{
	/* Split so that done * 1e9 cannot overflow for any run. */
	uint64_t whole = s->done / s->rate, part = s->done % s->rate;

	return s->start_ns + (int64_t)(whole * NS_PER_S + part * NS_PER_S / s->rate);
}

void
sendsched_sent(struct sendsched *s, unsigned n)
{
	s->done += n;
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

void
sendperm_init(struct sendperm *p, uint64_t n, const uint8_t key[PROBEID_KEYLEN])
{
	uint64_t k = 0, s;
	int i;

	for (i = 0; i < 8; i++)
		k = k << 8 | key[i];
	p->n = n;
	p->offset = n ? k % n : 0;
	if (n < 3) {
		p->stride = 1;
		return;
	}
	/* Near n / phi, moved by the key by up to a sixteenth of n, then to
	 * the nearest stride coprime with n (a bounded walk: among any n
	 * consecutive numbers one is coprime; in practice a few steps). */
	s = (uint64_t)((double)n * 0.6180339887) + (k >> 8) % (n / 16 + 1);
	s = s % n ? s % n : 1;
	for (i = 0; i < 4096 && gcd(s, n) != 1; i++)
		s = s + 1 < n ? s + 1 : 1;
	p->stride = gcd(s, n) == 1 ? s : 1;
}

uint64_t
sendperm_at(const struct sendperm *p, uint64_t i)
{
	/* (offset + i * stride) mod n without overflow for n < 2^32. */
	return p->n ? (p->offset + (i % p->n) * p->stride) % p->n : 0;
}
