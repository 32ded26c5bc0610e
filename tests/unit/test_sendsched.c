#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "send/sendsched.h"
#include "suites.h"

static const uint8_t KEY[PROBEID_KEYLEN] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };

/* Slot k of a rate r lies at k / r seconds from the start, without error
 * piling up, at any rate: the limiter cannot drift however long it runs. */
static void
test_slots_exact(void)
{
	static const uint64_t rates[] = { 1, 3, 7, 100, 2000, 99999, 333333, 1000000, 3000000 };
	size_t i;

	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct sendsched s;
		uint64_t r = rates[i], k;
		int64_t prev = 1000;

		sendsched_init(&s, r, 1000);
		CU_ASSERT_EQUAL(sendsched_due(&s), 1000);
		/* Ten seconds' worth of probes in uneven batches. */
		for (k = 0; k < 10 * r; ) {
			unsigned n = (unsigned)(k % 5 + 1);
			if (k + n > 10 * r)
				n = (unsigned)(10 * r - k);
			sendsched_sent(&s, n);
			k += n;
			CU_ASSERT_TRUE(sendsched_due(&s) >= prev);
			prev = sendsched_due(&s);
			if (k > 100000)
				break;       /* the end is checked below */
		}
		sendsched_restart(&s, 1000);
		sendsched_sent(&s, (unsigned)(10 * r > UINT32_MAX ? UINT32_MAX : 10 * r));
		CU_ASSERT_EQUAL(sendsched_due(&s), 1000 + 10 * 1000000000LL);
		/* Half a slot into a rate that does not divide a second. */
		sendsched_restart(&s, 0);
		sendsched_sent(&s, 1);
		CU_ASSERT_TRUE(llabs(sendsched_due(&s) - (int64_t)(1000000000ULL / r)) <= 1);
	}
}

/* Low rates wait for every probe; high rates batch, up to the cap. */
static void
test_batch(void)
{
	struct sendsched s;

	sendsched_init(&s, 0, 0);
	CU_ASSERT_EQUAL(s.rate, 1);
	CU_ASSERT_EQUAL(s.batch, 1);
	sendsched_init(&s, 2000, 0);
	CU_ASSERT_EQUAL(s.batch, 1);
	sendsched_init(&s, 100000, 0);
	CU_ASSERT_EQUAL(s.batch, 20);
	sendsched_init(&s, 1000000, 0);
	CU_ASSERT_EQUAL(s.batch, SENDSCHED_MAX_BATCH);
}

/* Every index exactly once, for sizes small, prime, and a 16-host sweep. */
static void
test_perm_complete(void)
{
	static const uint64_t sizes[] = { 1, 2, 3, 4, 10, 64, 65535, 65536, 1000003, 16 * 65535 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct sendperm p;
		uint64_t n = sizes[i], k, seen = 0;
		uint8_t *hit = calloc(n, 1);

		CU_ASSERT_PTR_NOT_NULL_FATAL(hit);
		sendperm_init(&p, n, KEY);
		for (k = 0; k < n; k++) {
			uint64_t j = sendperm_at(&p, k);
			if (j < n && !hit[j]) {
				hit[j] = 1;
				seen++;
			}
		}
		CU_ASSERT_EQUAL(seen, n);
		free(hit);
	}
}

/* In a plan of 16 hosts x 65535 ports (host-major), consecutive probes
 * almost never go to the same host, and another key gives another order. */
static void
test_perm_spread(void)
{
	const uint64_t n = 16 * 65535;
	uint8_t other[PROBEID_KEYLEN] = { 1 };
	struct sendperm p, q;
	uint64_t k, same = 0, differ = 0;

	sendperm_init(&p, n, KEY);
	sendperm_init(&q, n, other);
	for (k = 0; k + 1 < n; k++) {
		same += sendperm_at(&p, k) / 65535 == sendperm_at(&p, k + 1) / 65535;
		differ += sendperm_at(&p, k) != sendperm_at(&q, k);
	}
	CU_ASSERT_TRUE(same < n / 100);
	CU_ASSERT_TRUE(differ > n / 2);
}

int
register_sendsched_tests(void)
{
	CU_pSuite s = CU_add_suite("sendsched", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "slots exact at any rate", test_slots_exact) ||
	    !CU_add_test(s, "batch size", test_batch) ||
	    !CU_add_test(s, "permutation visits each probe once", test_perm_complete) ||
	    !CU_add_test(s, "permutation spreads hosts, keyed", test_perm_spread))
		return -1;
	return 0;
}
