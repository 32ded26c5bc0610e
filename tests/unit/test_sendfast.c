#include <CUnit/CUnit.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "send/ethpath.h"
#include "probe/syn.h"
#include "probe/udp.h"
#include "send/sendfast.h"
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

/* An RTM_NEWROUTE answer: header, rtmsg, then RTA_OIF and RTA_GATEWAY
 * (the gateway's attribute at *gw_at, for corrupting it). */
static size_t
route_answer(uint8_t *b, uint32_t seq, size_t *gw_at)
{
	struct nlmsghdr h = { .nlmsg_type = RTM_NEWROUTE, .nlmsg_seq = seq };
	struct rtmsg m = { .rtm_family = AF_INET, .rtm_type = RTN_UNICAST };
	uint16_t len = 8, type = RTA_OIF;
	uint32_t oif = 7;
	size_t at = sizeof(h);

	memcpy(b + at, &m, sizeof(m));
	at += NLMSG_ALIGN(sizeof(m));
	memcpy(b + at, &len, 2);
	memcpy(b + at + 2, &type, 2);
	memcpy(b + at + 4, &oif, 4);
	at += 8;
	type = RTA_GATEWAY;
	*gw_at = at;
	memcpy(b + at, &len, 2);
	memcpy(b + at + 2, &type, 2);
	memcpy(b + at + 4, "\xc6\x13\xff\xfe", 4);
	at += 8;
	h.nlmsg_len = (uint32_t)at;
	memcpy(b, &h, sizeof(h));
	return at;
}

/* The route lookup's answer decides between frame and raw IP packet: what
 * is malformed or for another request must not yield a next hop. */
static void
test_route_answer(void)
{
	uint8_t b[128] = { 0 };
	struct ethpath_route rt;
	size_t gw, n = route_answer(b, 9, &gw);
	struct nlmsgerr e = { .error = -ENETUNREACH };
	struct nlmsghdr h = { .nlmsg_len = sizeof(h) + sizeof(e), .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = 4 };
	size_t cut;

	CU_ASSERT_EQUAL(ethpath_parse_route(b, n, 9, &rt), 0);
	CU_ASSERT_EQUAL(rt.type, RTN_UNICAST);
	CU_ASSERT_EQUAL(rt.oif, 7);
	CU_ASSERT_TRUE(rt.has_gw);
	CU_ASSERT_EQUAL(memcmp(rt.gw, "\xc6\x13\xff\xfe", 4), 0);
	CU_ASSERT_EQUAL(rt.error, 0);
	CU_ASSERT_EQUAL(ethpath_parse_route(b, n, 8, &rt), -1);
	for (cut = 0; cut < n; cut++)
		CU_ASSERT_EQUAL(ethpath_parse_route(b, cut, 9, &rt), -1);
	b[gw] = 3;                 /* an attribute shorter than its header */
	CU_ASSERT_EQUAL(ethpath_parse_route(b, n, 9, &rt), -1);
	b[gw] = 6;                 /* a gateway of two bytes is no gateway */
	CU_ASSERT_EQUAL(ethpath_parse_route(b, n, 9, &rt), 0);
	CU_ASSERT_FALSE(rt.has_gw);
	memcpy(b, &h, sizeof(h));
	memcpy(b + sizeof(h), &e, sizeof(e));
	CU_ASSERT_EQUAL(ethpath_parse_route(b, h.nlmsg_len, 4, &rt), 0);
	CU_ASSERT_EQUAL(rt.error, ENETUNREACH);
}

/* Not root, or no such interface: no Ethernet path, and a message. */
static void
test_link_unavailable(void)
{
	char err[160] = "";

	CU_ASSERT_PTR_NULL(ethpath_open("rp-no-such-if0", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rp-no-such-if0"));
	CU_ASSERT_PTR_NULL(ethpath_open("lo", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "lo"));
}

int
register_sendfast_tests(void)
{
	CU_pSuite s = CU_add_suite("sendfast", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "patched templates are libnet's bytes", test_same_bytes) ||
	    !CU_add_test(s, "which probes take the fast path", test_can) ||
	    !CU_add_test(s, "a failed flush counts and empties", test_flush_without_socket) ||
	    !CU_add_test(s, "route lookup answers", test_route_answer) ||
	    !CU_add_test(s, "no Ethernet path where there is none", test_link_unavailable))
		return -1;
	return 0;
}
