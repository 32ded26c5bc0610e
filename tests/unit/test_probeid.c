/* Unit tests for probe ids (probeid.h): the correlator's joins are only as
 * good as the round trip and the rejection of everything else. */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probeid.h"
#include "suites.h"

static const uint8_t key_a[PROBEID_KEYLEN] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};
/* One bit apart from key_a: a good PRF makes that a wholly different key. */
static const uint8_t key_b[PROBEID_KEYLEN] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xfe,
};

/* splitmix64 with a fixed seed: the "foreign traffic" is the same on every
 * run, so a failure can be reproduced. */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_round_trip(void)
{
	static const uint32_t large[] = {
		100001, 1u << 20, 16777215, 1u << 31, 0xfffffff0u, UINT32_MAX - 1,
	};
	struct probeid *p = probeid_new(key_a);
	uint32_t id, got, bad_trip = 0, bad_sport = 0;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (id = 0; id <= 100000; id++) {
		struct probe_carriers c;

		probeid_encode(p, id, &c);
		got = UINT32_MAX;
		if (!probeid_match(p, c.seq, c.sport, 100001, &got) || got != id)
			bad_trip++;
		if (c.sport < 1024)
			bad_sport++;
	}
	CU_ASSERT_EQUAL(bad_trip, 0);
	CU_ASSERT_EQUAL(bad_sport, 0);
	for (i = 0; i < sizeof(large) / sizeof(large[0]); i++) {
		struct probe_carriers c;

		probeid_encode(p, large[i], &c);
		CU_ASSERT(c.sport >= 1024);
		got = 0;
		CU_ASSERT_TRUE(probeid_match(p, c.seq, c.sport, UINT32_MAX, &got));
		CU_ASSERT_EQUAL(got, large[i]);
	}
	probeid_free(p);
}

static void
test_seq_is_permutation(void)
{
	enum { N = 100000 };
	struct probeid *p = probeid_new(key_a);
	uint32_t *seqs = calloc(N, sizeof(*seqs)), i, dups = 0, identity = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(seqs);
	for (i = 0; i < N; i++) {
		struct probe_carriers c;

		probeid_encode(p, i, &c);
		seqs[i] = c.seq;
		identity += c.seq == i;
	}
	/* Two probes with one sequence number could not be told apart. */
	qsort(seqs, N, sizeof(*seqs), cmp_u32);
	for (i = 1; i < N; i++)
		dups += seqs[i] == seqs[i - 1];
	CU_ASSERT_EQUAL(dups, 0);
	/* The id must be hidden, not carried in clear. */
	CU_ASSERT(identity < 2);
	free(seqs);
	probeid_free(p);
}

static void
test_deterministic(void)
{
	/* Sender and correlator key separate instances and must agree. */
	struct probeid *p = probeid_new(key_a), *q = probeid_new(key_a);
	uint32_t id, differ = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	for (id = 0; id < 1000; id++) {
		struct probe_carriers a, b;

		probeid_encode(p, id, &a);
		probeid_encode(q, id, &b);
		differ += a.seq != b.seq || a.sport != b.sport || a.ipid != b.ipid;
	}
	CU_ASSERT_EQUAL(differ, 0);
	probeid_free(p);
	probeid_free(q);
}

static void
test_keys_differ(void)
{
	struct probeid *p = probeid_new(key_a), *q = probeid_new(key_b);
	uint32_t id, same_seq = 0, same_sport = 0, same_ipid = 0, cross = 0, got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	for (id = 0; id < 1000; id++) {
		struct probe_carriers a, b;

		probeid_encode(p, id, &a);
		probeid_encode(q, id, &b);
		same_seq += a.seq == b.seq;
		same_sport += a.sport == b.sport;
		same_ipid += a.ipid == b.ipid;
		/* Another run's probe must not be taken for one of ours. */
		cross += probeid_match(q, a.seq, a.sport, 1000, &got);
	}
	/* 32-bit values of independent keys: a single equal seq in a thousand
	 * is a one in four million event.  16-bit tags may agree by chance a
	 * few times, never wholesale. */
	CU_ASSERT_EQUAL(same_seq, 0);
	CU_ASSERT(same_sport < 10);
	CU_ASSERT(same_ipid < 10);
	CU_ASSERT_EQUAL(cross, 0);
	probeid_free(p);
	probeid_free(q);
}

static void
test_wrong_sport(void)
{
	struct probeid *p = probeid_new(key_a);
	uint32_t id, accepted = 0, got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (id = 0; id < 1000; id++) {
		struct probe_carriers c;

		probeid_encode(p, id, &c);
		/* The right seq with any other port is not vouched for. */
		accepted += probeid_match(p, c.seq, (uint16_t)(c.sport ^ 1), 1000, &got);
		accepted += probeid_match(p, c.seq, (uint16_t)(c.sport + 1), 1000, &got);
		accepted += probeid_match(p, c.seq, 0, 1000, &got);
		accepted += probeid_match(p, c.seq, (uint16_t)(c.sport - 1024), 1000, &got);
		/* Nor is a neighbouring seq with the right port. */
		accepted += probeid_match(p, c.seq + 1, c.sport, 1000, &got);
	}
	CU_ASSERT_EQUAL(accepted, 0);
	probeid_free(p);
}

static void
test_outside_plan(void)
{
	struct probeid *p = probeid_new(key_a);
	struct probe_carriers c;
	uint32_t got = 7;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	probeid_encode(p, 1000, &c);
	CU_ASSERT_FALSE(probeid_match(p, c.seq, c.sport, 1000, &got));
	CU_ASSERT_TRUE(probeid_match(p, c.seq, c.sport, 1001, &got));
	CU_ASSERT_EQUAL(got, 1000);

	probeid_encode(p, 0, &c);
	CU_ASSERT_FALSE(probeid_match(p, c.seq, c.sport, 0, &got));   /* empty plan */

	/* The largest id cannot be below any nprobes. */
	probeid_encode(p, UINT32_MAX, &c);
	CU_ASSERT_FALSE(probeid_match(p, c.seq, c.sport, UINT32_MAX, &got));
	probeid_free(p);
}

static void
test_foreign_packets(void)
{
	enum { TRIALS = 1000000, NPROBES = 1000 };
	struct probeid *p = probeid_new(key_a);
	uint64_t rs = 0x5eed;
	uint32_t i, got, matches = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* P(any false match) ~ TRIALS * NPROBES / 2^48 ~ 3.6e-6, so a single
	 * match here means the tag does not vouch for the id. */
	for (i = 0; i < TRIALS; i++) {
		uint64_t r = next_rand(&rs);

		matches += probeid_match(p, (uint32_t)r, (uint16_t)(r >> 32), NPROBES, &got);
	}
	CU_ASSERT_EQUAL(matches, 0);
	probeid_free(p);
}

/* One observation of probe id (or of noise, when id is UINT32_MAX): the
 * carriers offered are the bits of has, those in rewritten changed on the
 * way; what recovery must make of it follows from that alone. */
struct case_obs {
	struct carrier_obs o;
	uint32_t           id;
	unsigned           intact;     /* carriers offered and not rewritten */
};

static void
make_case(struct probeid *p, uint64_t *rs, uint32_t nprobes, struct case_obs *k)
{
	uint64_t r = next_rand(rs);
	unsigned rewritten = (unsigned)(r >> 8) & 15;
	struct probe_carriers c;

	memset(k, 0, sizeof(*k));
	k->o.has = (unsigned)r & 15;
	if ((r >> 12) % 8 == 0) {
		/* Noise: none of this run's ids. */
		k->id = UINT32_MAX;
		k->o.seq = (uint32_t)(r >> 16);
		k->o.tsval = (uint32_t)next_rand(rs);
		k->o.sport = (uint16_t)(r >> 48);
		k->o.ipid = (uint16_t)(r >> 32);
		return;
	}
	k->id = (uint32_t)((r >> 16) % nprobes);
	probeid_encode(p, k->id, &c);
	/* A rewrite always changes the value: XOR with a non-zero mask. */
	k->o.seq = c.seq ^ ((rewritten & CARRIER_SEQ) ? 0x10001u : 0);
	k->o.sport = (uint16_t)(c.sport ^ ((rewritten & CARRIER_SPORT) ? 0x101 : 0));
	k->o.ipid = (uint16_t)(c.ipid ^ ((rewritten & CARRIER_IPID) ? 0x8001 : 0));
	k->o.tsval = c.tsval ^ ((rewritten & CARRIER_TSVAL) ? 0x80000001u : 0);
	k->intact = k->o.has & ~rewritten;
}

static unsigned
count_bits(unsigned v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Whether recovery must find the id: one of the permutation carriers,
 * which name it, intact, and two carriers intact in all. */
static bool
recoverable(const struct case_obs *k)
{
	return k->id != UINT32_MAX && (k->intact & (CARRIER_SEQ | CARRIER_TSVAL)) &&
	    count_bits(k->intact) >= 2;
}

static void
test_recover_many(void)
{
	enum { N = 1000, NPROBES = 5000 };
	struct probeid *p = probeid_new(key_a);
	static struct case_obs k[N];
	static struct carrier_obs o[N];
	static bool ok[N];
	static uint32_t id[N];
	static unsigned vouched[N];
	uint64_t rs = 0xba7c4;
	unsigned every, bad = 0;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < N; i++)
		make_case(p, &rs, NPROBES, &k[i]);
	/* With every carrier checked, vouched is exactly the intact ones;
	 * without, at least two of them. */
	for (every = 0; every < 2; every++) {
		for (i = 0; i < N; i++) {
			o[i] = k[i].o;
			o[i].every = every;
		}
		probeid_recover_many(p, o, N, NPROBES, ok, id, vouched);
		for (i = 0; i < N; i++) {
			bool want = recoverable(&k[i]);

			if (ok[i] != want || (want && (id[i] != k[i].id || (every ?
			    vouched[i] != k[i].intact :
			    (vouched[i] & ~k[i].intact) != 0 || count_bits(vouched[i]) < 2))))
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* One at a time, the same. */
	for (i = 0; i < N; i++) {
		uint32_t got = UINT32_MAX;
		unsigned v = 0;
		bool one = probeid_recover(p, &k[i].o, NPROBES, &got, &v);

		if (one != recoverable(&k[i]) || (one && (got != k[i].id || v != k[i].intact)))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	probeid_free(p);
}

/* The sender encodes a batch at a time: the same carriers as one by one,
 * across the internal batch size and for ids whose TSval is mapped off 0. */
static void
test_encode_many(void)
{
	struct probeid *p = probeid_new(key_a);
	static uint32_t ids[300];
	static struct probe_carriers many[300];
	struct probe_carriers one;
	size_t i, n = sizeof(ids) / sizeof(ids[0]);
	uint64_t rs = 7;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < n; i++)
		ids[i] = i < 150 ? (uint32_t)i : (uint32_t)next_rand(&rs);
	probeid_encode_many(p, ids, n, many);
	for (i = 0; i < n; i++) {
		probeid_encode(p, ids[i], &one);
		CU_ASSERT_EQUAL(many[i].seq, one.seq);
		CU_ASSERT_EQUAL(many[i].sport, one.sport);
		CU_ASSERT_EQUAL(many[i].ipid, one.ipid);
		CU_ASSERT_EQUAL(many[i].tsval, one.tsval);
	}
	probeid_encode_many(p, ids, 0, many);
	probeid_free(p);
}

int
register_probeid_tests(void)
{
	CU_pSuite s = CU_add_suite("probeid", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "round trip", test_round_trip) ||
	    !CU_add_test(s, "seq is a permutation", test_seq_is_permutation) ||
	    !CU_add_test(s, "deterministic per key", test_deterministic) ||
	    !CU_add_test(s, "keys give different carriers", test_keys_differ) ||
	    !CU_add_test(s, "wrong sport rejected", test_wrong_sport) ||
	    !CU_add_test(s, "ids outside the plan rejected", test_outside_plan) ||
	    !CU_add_test(s, "foreign packets rejected", test_foreign_packets) ||
	    !CU_add_test(s, "many observations at once", test_recover_many) ||
	    !CU_add_test(s, "many ids encoded at once", test_encode_many))
		return -1;
	return 0;
}
