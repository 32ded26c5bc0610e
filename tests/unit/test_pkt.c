/* Unit tests for the frame dissector (pkt.h).  Captured traffic is untrusted,
 * so besides well-formed frames of every supported link type this feeds
 * truncated and malformed ones: each frame is copied into a heap block of
 * exactly its captured length, so that under ASan (make SAN=1) one byte
 * read too far is a crash, not a silent pass. */
#include <CUnit/Basic.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "frame.h"
#include "capture/pkt.h"
#include "suites.h"

#define SENDER   "198.18.1.10"
#define TARGET   "198.18.3.10"
#define ROUTER   "198.18.9.1"
#define SPORT    40001
#define DPORT    443
#define SEQ      0x8badf00du
#define IPID     0x1234

/* Dissects a private heap copy of exactly len bytes. */
static int
dissect(int dlt, const struct frame *f, size_t len, struct pkt *out)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	memcpy(copy, f->b, len);
	rc = pkt_dissect(dlt, copy, len, out);
	free(copy);
	return rc;
}

static bool
addr_is(const struct rp_addr *a, const char *s)
{
	char buf[ADDR_STRLEN];

	return strcmp(addr_fmt(a, buf), s) == 0;
}

static void
put_ip(struct frame *f, uint8_t proto, size_t payload)
{
	struct frame_ip ip = { .src = SENDER, .dst = TARGET, .proto = proto, .ttl = 63,
	    .id = IPID };

	frame_ipv4(f, &ip, payload);
}

/* Ethernet, IPv4, TCP with the given flags. */
static void
eth_tcp(struct frame *f, uint8_t flags, uint32_t ack)
{
	memset(f, 0, sizeof(*f));
	frame_eth(f, 0x0800);
	put_ip(f, 6, 20);
	frame_tcp(f, SPORT, DPORT, SEQ, ack, flags);
}

/* An ICMP unreachable from a router, quoting the SYN's IP header and its
 * first tcp_bytes bytes of TCP header. */
static void
eth_icmp_quote(struct frame *f, uint8_t type, uint8_t code, size_t tcp_bytes)
{
	struct frame_ip outer = { .src = ROUTER, .dst = SENDER, .proto = 1, .ttl = 254 };
	/* The quoted header still announces the whole original packet. */
	struct frame_ip quoted = { .src = SENDER, .dst = TARGET, .proto = 6, .ttl = 1,
	    .id = IPID, .totlen = 40 };
	struct frame tcp = { .len = 0 };

	frame_tcp(&tcp, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	memset(f, 0, sizeof(*f));
	frame_eth(f, 0x0800);
	frame_ipv4(f, &outer, 8 + 20 + tcp_bytes);
	frame_u8(f, type);
	frame_u8(f, code);
	frame_be16(f, 0);         /* checksum */
	frame_be32(f, 0);         /* unused (or next-hop MTU) */
	frame_ipv4(f, &quoted, 20);
	frame_mem(f, tcp.b, tcp_bytes);
}

static void
check_syn_fields(const struct pkt *p)
{
	CU_ASSERT_TRUE(addr_is(&p->ip.src, SENDER));
	CU_ASSERT_TRUE(addr_is(&p->ip.dst, TARGET));
	CU_ASSERT_EQUAL(p->ip.proto, 6);
	CU_ASSERT_EQUAL(p->ip.ttl, 63);
	CU_ASSERT_EQUAL(p->ip.id, IPID);
	CU_ASSERT_EQUAL(p->kind, PKT_TCP);
	CU_ASSERT_EQUAL(p->l4.sport, SPORT);
	CU_ASSERT_EQUAL(p->l4.dport, DPORT);
	CU_ASSERT_EQUAL(p->l4.seq, SEQ);
	CU_ASSERT_TRUE(p->l4.has_seq);
}

static void
test_eth_syn(void)
{
	struct frame f;
	struct pkt p;

	eth_tcp(&f, TCPF_SYN, 0);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	check_syn_fields(&p);
	CU_ASSERT_EQUAL(p.l4.flags, TCPF_SYN);
	CU_ASSERT_EQUAL(p.l4.ack, 0);
	CU_ASSERT_FALSE(p.has_quote);
	CU_ASSERT_FALSE(pkt_is_icmp_unreach(&p));
}

static void
test_rst_ack(void)
{
	struct frame f;
	struct pkt p;

	eth_tcp(&f, TCPF_RST | TCPF_ACK, SEQ + 1);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_TCP);
	CU_ASSERT_EQUAL(p.l4.flags, TCPF_RST | TCPF_ACK);
	CU_ASSERT_EQUAL(p.l4.ack, SEQ + 1);
	CU_ASSERT_EQUAL(p.l4.seq, SEQ);
}

static void
test_udp(void)
{
	struct frame f = { .len = 0 };
	struct pkt p;

	frame_eth(&f, 0x0800);
	put_ip(&f, 17, 12);
	frame_be16(&f, 5353);
	frame_be16(&f, 53);
	frame_be16(&f, 12);       /* UDP length */
	frame_be16(&f, 0);
	frame_be32(&f, 0xdeadbeef);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_UDP);
	CU_ASSERT_EQUAL(p.l4.sport, 5353);
	CU_ASSERT_EQUAL(p.l4.dport, 53);
	/* UDP has no sequence number: nothing may be read as one. */
	CU_ASSERT_FALSE(p.l4.has_seq);
	CU_ASSERT_EQUAL(p.l4.seq, 0);
}

static void
test_other_proto(void)
{
	struct frame f = { .len = 0 };
	struct pkt p;

	frame_eth(&f, 0x0800);
	put_ip(&f, 47, 4);        /* GRE */
	frame_be32(&f, 0x00000800);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_OTHER);
	CU_ASSERT_EQUAL(p.ip.proto, 47);
	CU_ASSERT_TRUE(addr_is(&p.ip.src, SENDER));
}

static void
test_vlan(void)
{
	struct frame f = { .len = 0 };
	struct pkt p;

	/* 802.1Q: TPID 0x8100, TCI, then the real EtherType. */
	frame_eth(&f, 0x8100);
	frame_be16(&f, 0x0064);
	frame_be16(&f, 0x0800);
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	check_syn_fields(&p);

	/* QinQ: an 802.1ad outer tag around an 802.1Q inner tag. */
	memset(&f, 0, sizeof(f));
	frame_eth(&f, 0x88a8);
	frame_be16(&f, 0x0010);
	frame_be16(&f, 0x8100);
	frame_be16(&f, 0x0064);
	frame_be16(&f, 0x0800);
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	check_syn_fields(&p);

	/* A tag in front of something that is not IPv4. */
	memset(&f, 0, sizeof(f));
	frame_eth(&f, 0x8100);
	frame_be16(&f, 0x0064);
	frame_be16(&f, 0x86dd);
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
}

static void
test_ip_options(void)
{
	/* Record-route-sized junk would do; NOPs and an end-of-list suffice. */
	static const uint8_t opts[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	struct frame_ip ip = { .src = SENDER, .dst = TARGET, .proto = 6, .ttl = 63, .id = IPID,
	    .opts = opts, .optlen = sizeof(opts) };
	struct frame f = { .len = 0 };
	struct pkt p;

	frame_eth(&f, 0x0800);
	frame_ipv4(&f, &ip, 20);
	CU_ASSERT_EQUAL(f.b[14], 0x47);          /* IHL 7 */
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	/* Reading TCP at offset 20 instead of 28 would give other ports. */
	check_syn_fields(&p);
	CU_ASSERT_EQUAL(p.l4.flags, TCPF_SYN);
}

static void
test_dlt_raw(void)
{
	struct frame f = { .len = 0 };
	struct pkt p;

	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_RAW, &f, f.len, &p), 0);
	check_syn_fields(&p);
#ifdef DLT_IPV4
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_IPV4, &f, f.len, &p), 0);
	check_syn_fields(&p);
#endif
	/* The same bytes read as Ethernet are garbage and must be refused. */
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
}

static void
test_dlt_linux_sll(void)
{
	static const uint8_t mac[8] = { 0x02, 0, 0, 0, 0, 0x01, 0, 0 };
	struct frame f = { .len = 0 };
	struct pkt p;

	frame_be16(&f, 4);        /* packet type: sent by us */
	frame_be16(&f, 1);        /* ARPHRD_ETHER */
	frame_be16(&f, 6);        /* address length */
	frame_mem(&f, mac, sizeof(mac));
	frame_be16(&f, 0x0800);
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_LINUX_SLL, &f, f.len, &p), 0);
	check_syn_fields(&p);

	f.b[14] = 0x08, f.b[15] = 0x06;          /* ARP */
	CU_ASSERT_EQUAL(dissect(DLT_LINUX_SLL, &f, f.len, &p), -1);
}

static void
test_unknown_dlt(void)
{
	struct frame f;
	struct pkt p;

	eth_tcp(&f, TCPF_SYN, 0);
	CU_ASSERT_EQUAL(dissect(DLT_IEEE802_11, &f, f.len, &p), -1);
	CU_ASSERT_EQUAL(dissect(DLT_NULL, &f, f.len, &p), -1);
	CU_ASSERT_EQUAL(dissect(-1, &f, f.len, &p), -1);
	CU_ASSERT_EQUAL(dissect(99999, &f, f.len, &p), -1);

	/* Known DLT, but an EtherType that is not IPv4. */
	f.b[12] = 0x86, f.b[13] = 0xdd;
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
}

static void
test_icmp_quote(void)
{
	struct frame f;
	struct pkt p;

	/* RFC 792 guarantees only 8 bytes of the offending transport header:
	 * ports and sequence number, no flags. */
	eth_icmp_quote(&f, 3, 13, 8);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_ICMP);
	CU_ASSERT_TRUE(addr_is(&p.ip.src, ROUTER));
	CU_ASSERT_EQUAL(p.ip.ttl, 254);
	CU_ASSERT_EQUAL(p.icmp_type, 3);
	CU_ASSERT_EQUAL(p.icmp_code, 13);
	CU_ASSERT_TRUE(p.has_quote);
	CU_ASSERT_TRUE(pkt_is_icmp_unreach(&p));
	CU_ASSERT_TRUE(addr_is(&p.q_ip.src, SENDER));
	CU_ASSERT_TRUE(addr_is(&p.q_ip.dst, TARGET));
	CU_ASSERT_EQUAL(p.q_ip.id, IPID);
	CU_ASSERT_EQUAL(p.q_kind, PKT_TCP);
	CU_ASSERT_EQUAL(p.q_l4.sport, SPORT);
	CU_ASSERT_EQUAL(p.q_l4.dport, DPORT);
	CU_ASSERT_EQUAL(p.q_l4.seq, SEQ);
	CU_ASSERT_TRUE(p.q_l4.has_seq);

	/* A generous router quotes the whole header: flags come through too. */
	eth_icmp_quote(&f, 3, 3, 20);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_TRUE(pkt_is_icmp_unreach(&p));
	CU_ASSERT_EQUAL(p.icmp_code, 3);
	CU_ASSERT_EQUAL(p.q_l4.seq, SEQ);
	CU_ASSERT_EQUAL(p.q_l4.flags, TCPF_SYN);
}

static void
test_icmp_short_quote(void)
{
	struct frame f;
	struct pkt p;

	/* Ports only: still a quote, but its seq must not be trusted. */
	eth_icmp_quote(&f, 3, 13, 4);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_ICMP);
	CU_ASSERT_EQUAL(p.q_l4.sport, SPORT);
	CU_ASSERT_EQUAL(p.q_l4.dport, DPORT);
	CU_ASSERT_FALSE(p.q_l4.has_seq);
	CU_ASSERT_EQUAL(p.q_l4.seq, 0);

	/* Less than the ports: no usable quote at all. */
	eth_icmp_quote(&f, 3, 13, 2);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_ICMP);
	CU_ASSERT_EQUAL(p.icmp_type, 3);
	CU_ASSERT_FALSE(p.has_quote);
	CU_ASSERT_FALSE(pkt_is_icmp_unreach(&p));
}

static void
test_icmp_not_unreach(void)
{
	struct frame f;
	struct pkt p;

	/* Time exceeded quotes a packet too, but says nothing about a
	 * firewall's verdict. */
	eth_icmp_quote(&f, 11, 0, 8);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_ICMP);
	CU_ASSERT_EQUAL(p.icmp_type, 11);
	CU_ASSERT_FALSE(pkt_is_icmp_unreach(&p));
}

/* Whatever a cut frame yields must agree with the whole frame: a dissector
 * may say less about a truncated packet, never something else. */
static void
check_consistent(const struct pkt *cut, const struct pkt *whole)
{
	CU_ASSERT_TRUE(addr_eq(&cut->ip.src, &whole->ip.src));
	CU_ASSERT_TRUE(addr_eq(&cut->ip.dst, &whole->ip.dst));
	CU_ASSERT_EQUAL(cut->ip.proto, whole->ip.proto);
	CU_ASSERT_EQUAL(cut->ip.ttl, whole->ip.ttl);
	if (cut->kind != PKT_OTHER)
		CU_ASSERT_EQUAL(cut->kind, whole->kind);
	if (cut->kind == PKT_TCP || cut->kind == PKT_UDP) {
		CU_ASSERT_EQUAL(cut->l4.sport, whole->l4.sport);
		CU_ASSERT_EQUAL(cut->l4.dport, whole->l4.dport);
	}
	if (cut->l4.has_seq)
		CU_ASSERT_EQUAL(cut->l4.seq, whole->l4.seq);
	if (cut->l4.flags)
		CU_ASSERT_EQUAL(cut->l4.flags, whole->l4.flags);
	if (cut->has_quote) {
		CU_ASSERT_TRUE(addr_eq(&cut->q_ip.src, &whole->q_ip.src));
		CU_ASSERT_EQUAL(cut->q_l4.sport, whole->q_l4.sport);
		CU_ASSERT_EQUAL(cut->q_l4.dport, whole->q_l4.dport);
		if (cut->q_l4.has_seq)
			CU_ASSERT_EQUAL(cut->q_l4.seq, whole->q_l4.seq);
	}
}

/* Dissects every prefix of f; below min_len (link header plus a whole IPv4
 * header) nothing can be dissected. */
static void
sweep(int dlt, const struct frame *f, size_t min_len)
{
	struct pkt whole, cut;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(dissect(dlt, f, f->len, &whole), 0);
	for (len = 0; len <= f->len; len++) {
		int rc = dissect(dlt, f, len, &cut);

		CU_ASSERT(rc == 0 || rc == -1);
		if (len < min_len)
			CU_ASSERT_EQUAL(rc, -1);
		if (rc == 0)
			check_consistent(&cut, &whole);
	}
}

static void
test_truncated_syn(void)
{
	struct frame f;
	struct pkt p;
	size_t len;

	eth_tcp(&f, TCPF_SYN, 0);
	CU_ASSERT_EQUAL_FATAL(f.len, 54);
	sweep(DLT_EN10MB, &f, 14 + 20);
	/* Where the layers end, specifically: no ports without 4 bytes of
	 * TCP, no seq without 8, no flags without 14. */
	for (len = 34; len < 54; len++) {
		if (dissect(DLT_EN10MB, &f, len, &p) != 0)
			continue;
		if (len < 38)
			CU_ASSERT_NOT_EQUAL(p.kind, PKT_TCP);
		if (len < 42)
			CU_ASSERT_FALSE(p.l4.has_seq);
		if (len < 48)
			CU_ASSERT_EQUAL(p.l4.flags, 0);
	}
}

static void
test_truncated_others(void)
{
	struct frame f = { .len = 0 };

	eth_icmp_quote(&f, 3, 13, 8);
	sweep(DLT_EN10MB, &f, 14 + 20);

	memset(&f, 0, sizeof(f));
	frame_eth(&f, 0x8100);
	frame_be16(&f, 0x0064);
	frame_be16(&f, 0x0800);
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	sweep(DLT_EN10MB, &f, 18 + 20);

	memset(&f, 0, sizeof(f));
	frame_mem(&f, (const uint8_t[14]){ 0 }, 14);
	frame_be16(&f, 0x0800);
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	sweep(DLT_LINUX_SLL, &f, 16 + 20);

	memset(&f, 0, sizeof(f));
	put_ip(&f, 6, 20);
	frame_tcp(&f, SPORT, DPORT, SEQ, 0, TCPF_SYN);
	sweep(DLT_RAW, &f, 20);
}

/* Sets a big-endian 16-bit field of the frame. */
static void
poke16(struct frame *f, size_t off, uint16_t v)
{
	f->b[off] = (uint8_t)(v >> 8);
	f->b[off + 1] = (uint8_t)v;
}

static void
test_malformed_ip(void)
{
	struct frame f;
	struct pkt p;
	uint8_t ihl;

	/* IHL below 5 cannot even hold the fixed header. */
	for (ihl = 0; ihl < 5; ihl++) {
		eth_tcp(&f, TCPF_SYN, 0);
		f.b[14] = (uint8_t)(0x40 | ihl);
		CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
	}
	/* IHL 15 (60 bytes) runs past the 40-byte packet, whether the total
	 * length agrees with the capture or claims enough room. */
	eth_tcp(&f, TCPF_SYN, 0);
	f.b[14] = 0x4f;
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
	poke16(&f, 16, 80);
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);

	/* An IPv6 version nibble behind an IPv4 EtherType. */
	eth_tcp(&f, TCPF_SYN, 0);
	f.b[14] = 0x65;
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
	f.b[14] = 0x05;
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);

	/* A total length shorter than the header itself. */
	eth_tcp(&f, TCPF_SYN, 0);
	poke16(&f, 16, 19);
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
}

static void
test_fragments(void)
{
	struct frame f;
	struct pkt p;

	/* A non-first fragment: what follows the header is not TCP. */
	eth_tcp(&f, TCPF_SYN, 0);
	poke16(&f, 20, 0x0003);
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
	poke16(&f, 20, 0x2001);                  /* MF and an offset */
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);
	poke16(&f, 20, 0x1fff);
	CU_ASSERT_EQUAL(dissect(DLT_EN10MB, &f, f.len, &p), -1);

	/* The first fragment (MF, offset 0) and DF carry the TCP header. */
	poke16(&f, 20, 0x2000);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	check_syn_fields(&p);
	poke16(&f, 20, 0x4000);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	check_syn_fields(&p);
}

static void
test_totlen_beyond_caplen(void)
{
	struct frame f;
	struct pkt p;
	int rc;

	/* The IP header announces 1500 bytes, 40 were captured (a snaplen
	 * cut).  Nothing may be read past the capture; if the dissector
	 * answers, it must answer with the bytes that are there. */
	eth_tcp(&f, TCPF_SYN, 0);
	poke16(&f, 16, 1500);
	rc = dissect(DLT_EN10MB, &f, f.len, &p);
	CU_ASSERT(rc == 0 || rc == -1);
	if (rc == 0) {
		check_syn_fields(&p);
		CU_ASSERT_EQUAL(p.l4.flags, TCPF_SYN);
	}
	poke16(&f, 16, 0xffff);
	rc = dissect(DLT_EN10MB, &f, f.len, &p);
	CU_ASSERT(rc == 0 || rc == -1);
}

static void
test_trailing_padding(void)
{
	struct frame f;
	struct pkt p;
	size_t i;

	/* Ethernet pads short frames to 60 bytes; the padding is not part of
	 * the packet and must not be read as transport header. */
	eth_tcp(&f, TCPF_SYN, 0);
	for (i = 0; i < 6; i++)
		frame_u8(&f, 0xff);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	check_syn_fields(&p);

	/* Here IP says the packet ends 10 bytes into TCP: the rest of the
	 * TCP header lies beyond it (in the padding) and must be ignored, so
	 * the SYN flag is not seen. */
	poke16(&f, 16, 30);
	CU_ASSERT_EQUAL_FATAL(dissect(DLT_EN10MB, &f, f.len, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_TCP);
	CU_ASSERT_EQUAL(p.l4.sport, SPORT);
	CU_ASSERT_TRUE(p.l4.has_seq);
	CU_ASSERT_EQUAL(p.l4.seq, SEQ);
	CU_ASSERT_EQUAL(p.l4.flags, 0);
	CU_ASSERT_EQUAL(p.l4.ack, 0);
}

/* IPv6: built by hand, byte by byte, in network order. */
static size_t
v6_header(uint8_t *b, uint16_t plen, uint8_t nh, uint8_t hlim, uint8_t src_last, uint8_t dst_last)
{
	static const uint8_t doc[4] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(b, 0, 40);
	b[0] = 0x60;
	b[4] = (uint8_t)(plen >> 8);
	b[5] = (uint8_t)plen;
	b[6] = nh;
	b[7] = hlim;
	memcpy(b + 8, doc, 4);
	b[23] = src_last;
	memcpy(b + 24, doc, 4);
	b[39] = dst_last;
	return 40;
}

static size_t
tcp_syn(uint8_t *b, uint16_t sport, uint16_t dport, uint32_t seq)
{
	memset(b, 0, 20);
	b[0] = (uint8_t)(sport >> 8), b[1] = (uint8_t)sport;
	b[2] = (uint8_t)(dport >> 8), b[3] = (uint8_t)dport;
	b[4] = (uint8_t)(seq >> 24), b[5] = (uint8_t)(seq >> 16);
	b[6] = (uint8_t)(seq >> 8), b[7] = (uint8_t)seq;
	b[12] = 5 << 4;
	b[13] = TCPF_SYN;
	return 20;
}

static void
test_ipv6_tcp(void)
{
	uint8_t f[128];
	struct pkt p;
	struct rp_addr want;
	size_t n = v6_header(f, 20, 6, 63, 1, 2);

	n += tcp_syn(f + n, 40000, 443, 0xdeadbeef);
	CU_ASSERT_EQUAL_FATAL(pkt_dissect(DLT_RAW, f, n, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_TCP);
	CU_ASSERT_EQUAL(p.ip.ttl, 63);
	CU_ASSERT_EQUAL(p.l4.sport, 40000);
	CU_ASSERT_EQUAL(p.l4.dport, 443);
	CU_ASSERT_EQUAL(p.l4.seq, 0xdeadbeef);
	CU_ASSERT_TRUE(addr_parse("2001:db8::1", &want) && addr_eq(&p.ip.src, &want));
	CU_ASSERT_TRUE(addr_parse("2001:db8::2", &want) && addr_eq(&p.ip.dst, &want));
	/* Every truncation is refused or read consistently, never overread. */
	for (size_t cut = 0; cut < n; cut++) {
		struct pkt q;
		if (pkt_dissect(DLT_RAW, f, cut, &q) == 0 && q.kind == PKT_TCP)
			CU_ASSERT_EQUAL(q.l4.dport, 443);
	}
}

static void
test_ipv6_ext_headers(void)
{
	uint8_t f[160];
	struct pkt p;
	size_t n = v6_header(f, 8 + 16 + 8 + 20, 0, 64, 1, 2);

	/* hop-by-hop (8 bytes) -> destination options (16) -> fragment, first
	 * (offset 0, more fragments) -> TCP */
	memset(f + n, 0, 8);
	f[n] = 60;
	n += 8;
	memset(f + n, 0, 16);
	f[n] = 44;
	f[n + 1] = 1;
	n += 16;
	memset(f + n, 0, 8);
	f[n] = 6;
	f[n + 3] = 1;                 /* offset 0, M flag */
	n += 8;
	n += tcp_syn(f + n, 1234, 22, 7);
	CU_ASSERT_EQUAL_FATAL(pkt_dissect(DLT_RAW, f, n, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_TCP);
	CU_ASSERT_EQUAL(p.l4.dport, 22);
	/* The same as a later fragment carries no TCP header. */
	f[40 + 8 + 16 + 2] = 0x05;    /* offset 0x05xx */
	CU_ASSERT_EQUAL(pkt_dissect(DLT_RAW, f, n, &p), -1);
}

static void
test_ipv6_too_many_ext_headers(void)
{
	uint8_t f[40 + 8 * 12 + 20];
	struct pkt p;
	size_t n = v6_header(f, 8 * 12 + 20, 60, 64, 1, 2), i;

	for (i = 0; i < 12; i++, n += 8) {
		memset(f + n, 0, 8);
		f[n] = i == 11 ? 6 : 60;
	}
	n += tcp_syn(f + n, 1, 2, 3);
	CU_ASSERT_EQUAL(pkt_dissect(DLT_RAW, f, n, &p), -1);
}

static void
test_icmpv6_unreach(void)
{
	uint8_t f[200];
	struct pkt p;
	size_t n, q;

	/* Ethernet, then ICMPv6 1/1 (administratively prohibited) from a
	 * router quoting our SYN. */
	memset(f, 0, 14);
	f[12] = 0x86, f[13] = 0xdd;
	n = 14 + v6_header(f + 14, 8 + 40 + 20, 58, 64, 0xfe, 1);
	memset(f + n, 0, 8);
	f[n] = 1;
	f[n + 1] = 1;
	n += 8;
	q = v6_header(f + n, 20, 6, 63, 1, 2);
	n += q;
	n += tcp_syn(f + n, 40000, 3389, 0x01020304);
	CU_ASSERT_EQUAL_FATAL(pkt_dissect(DLT_EN10MB, f, n, &p), 0);
	CU_ASSERT_EQUAL(p.kind, PKT_ICMP);
	CU_ASSERT_EQUAL(p.icmp_type, 1);
	CU_ASSERT_EQUAL(p.icmp_code, 1);
	CU_ASSERT_TRUE(pkt_is_icmp_unreach(&p));
	CU_ASSERT_EQUAL(p.q_kind, PKT_TCP);
	CU_ASSERT_EQUAL(p.q_l4.dport, 3389);
	CU_ASSERT_EQUAL(p.q_l4.seq, 0x01020304);
	CU_ASSERT_TRUE(p.q_l4.has_seq);
	/* ICMPv4's number (3) means nothing in ICMPv6. */
	f[14 + 40] = 3;
	CU_ASSERT_EQUAL(pkt_dissect(DLT_EN10MB, f, n, &p), 0);
	CU_ASSERT_FALSE(pkt_is_icmp_unreach(&p));
}

int
register_pkt_tests(void)
{
	CU_pSuite s = CU_add_suite("pkt", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "ethernet SYN", test_eth_syn) ||
	    !CU_add_test(s, "RST|ACK", test_rst_ack) ||
	    !CU_add_test(s, "UDP", test_udp) ||
	    !CU_add_test(s, "other IP protocol", test_other_proto) ||
	    !CU_add_test(s, "VLAN tags", test_vlan) ||
	    !CU_add_test(s, "IPv4 options", test_ip_options) ||
	    !CU_add_test(s, "DLT_RAW", test_dlt_raw) ||
	    !CU_add_test(s, "DLT_LINUX_SLL", test_dlt_linux_sll) ||
	    !CU_add_test(s, "unknown link types", test_unknown_dlt) ||
	    !CU_add_test(s, "ICMP 3/13 quote", test_icmp_quote) ||
	    !CU_add_test(s, "ICMP short quote", test_icmp_short_quote) ||
	    !CU_add_test(s, "ICMP other than unreachable", test_icmp_not_unreach) ||
	    !CU_add_test(s, "SYN truncated at every length", test_truncated_syn) ||
	    !CU_add_test(s, "other frames truncated", test_truncated_others) ||
	    !CU_add_test(s, "malformed IPv4 header", test_malformed_ip) ||
	    !CU_add_test(s, "fragments", test_fragments) ||
	    !CU_add_test(s, "total length beyond caplen", test_totlen_beyond_caplen) ||
	    !CU_add_test(s, "trailing padding", test_trailing_padding) ||
	    !CU_add_test(s, "IPv6 TCP", test_ipv6_tcp) ||
	    !CU_add_test(s, "IPv6 extension headers", test_ipv6_ext_headers) ||
	    !CU_add_test(s, "IPv6 extension header limit", test_ipv6_too_many_ext_headers) ||
	    !CU_add_test(s, "ICMPv6 unreachable", test_icmpv6_unreach))
		return -1;
	return 0;
}
