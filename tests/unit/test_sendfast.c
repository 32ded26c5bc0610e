#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "sendfast.h"
#include "suites.h"

static const uint8_t KEY[PROBEID_KEYLEN] = { 1, 3, 5, 7, 9, 11, 13, 15, 2, 4, 6, 8, 10, 12, 14, 16 };

/* What libnet itself builds for the probe, from scratch. */
static int
libnet_bytes(const struct probe_kind *k, const struct rp_addr *src, const struct rp_addr *dst,
    uint16_t dport, const struct probe_carriers *c, uint8_t *out)
{
	char err[LIBNET_ERRBUF_SIZE];
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, err);
	libnet_ptag_t tags[PROBE_MAX_TAGS] = { 0 };
	uint8_t *pkt = NULL;
	uint32_t len = 0;
	int rc = -1;

	if (!l)
		return -1;
	if (k->build(l, tags, src, dst, dport, c) == 0 && libnet_pblock_coalesce(l, &pkt, &len) >= 0 &&
	    len <= SENDFAST_MAXPKT) {
		memcpy(out, pkt, len);
		rc = (int)len;
	}
	free(pkt);
	libnet_destroy(l);
	return rc;
}

/* The patched template is byte for byte the packet libnet builds for each
 * probe (ports, carriers, IP id, destination, both checksums), for every
 * kind with a fast path, over many probes and destinations. */
static void
test_same_bytes(void)
{
	const struct probe_kind *const kinds[] = { &probe_kind_syn, &probe_kind_udp };
	struct probeid *pid = probeid_new(KEY);
	char err[160] = "";
	struct sendfast *f = sendfast_new(-1, err, sizeof(err));
	struct rp_addr src = addr_from_v4(0xc6120a0a);
	size_t k;
	uint32_t id;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (k = 0; k < 2; k++)
		for (id = 0; id < 3000; id++) {
			struct rp_addr dst = addr_from_v4(0xc6121400 + id % 37);
			uint16_t port = (uint16_t)(1 + (id * 7919u) % 65535);
			struct probe_carriers c;
			uint8_t a[SENDFAST_MAXPKT], b[SENDFAST_MAXPKT];
			int na, nb;

			probeid_encode(pid, id, &c);
			na = sendfast_build(f, kinds[k], &src, &dst, port, &c, a, err, sizeof(err));
			nb = libnet_bytes(kinds[k], &src, &dst, port, &c, b);
			CU_ASSERT_TRUE(na > 0 && na == nb);
			if (na != nb || na <= 0 || memcmp(a, b, (size_t)na) != 0) {
				CU_FAIL("fast path differs from libnet");
				break;
			}
		}
	sendfast_free(f);
	probeid_free(pid);
}

static void
test_can(void)
{
	struct rp_addr v4 = addr_from_v4(0xc6120a0a), v6;

	CU_ASSERT_TRUE(addr_parse("2001:db8::1", &v6));
	CU_ASSERT_TRUE(sendfast_can(&probe_kind_syn, &v4, &v4));
	CU_ASSERT_TRUE(sendfast_can(&probe_kind_udp, &v4, &v4));
	CU_ASSERT_FALSE(sendfast_can(&probe_kind_syn, &v6, &v6));
	CU_ASSERT_FALSE(sendfast_can(NULL, &v4, &v4));
}

/* No socket: a flush gives every packet up, says why, and empties the batch. */
static void
test_flush_without_socket(void)
{
	struct probeid *pid = probeid_new(KEY);
	char err[160] = "";
	struct sendfast *f = sendfast_new(-1, err, sizeof(err));
	struct rp_addr src = addr_from_v4(0xc6120a0a), dst = addr_from_v4(0xc6121401);
	struct probe_carriers c;
	struct sendfast_count n;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	probeid_encode(pid, 5, &c);
	for (i = 0; i < SENDFAST_BATCH; i++)
		CU_ASSERT_EQUAL(sendfast_add(f, &probe_kind_syn, &src, &dst, 80, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(sendfast_add(f, &probe_kind_syn, &src, &dst, 80, &c, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sendfast_pending(f), SENDFAST_BATCH);
	n = sendfast_flush(f, err, sizeof(err));
	CU_ASSERT_EQUAL(n.sent, 0);
	CU_ASSERT_EQUAL(n.failed, SENDFAST_BATCH);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "sendmmsg"));
	CU_ASSERT_EQUAL(sendfast_pending(f), 0);
	sendfast_free(f);
	probeid_free(pid);
}

int
register_sendfast_tests(void)
{
	CU_pSuite s = CU_add_suite("sendfast", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "patched templates are libnet's bytes", test_same_bytes) ||
	    !CU_add_test(s, "which probes take the fast path", test_can) ||
	    !CU_add_test(s, "a failed flush counts and empties", test_flush_without_socket))
		return -1;
	return 0;
}
