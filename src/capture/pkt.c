#include "capture/pkt.h"

#include <pcap/dlt.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/rd.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define MAX_VLAN_TAGS  4
#define ICMP_UNREACH   3
#define ICMP6_UNREACH  1
#define PROTO_ICMP     1
#define PROTO_ICMP6    58
/* Extension headers walked before giving up: more is an attack, not a
 * packet worth judging. */
#define MAX_EXT_HDRS   8

/* Walks link-layer headers to the start of the IP header; *et gets the
 * ethertype (for raw IP, from the version nibble). */
static int
skip_link(int dlt, struct rd *r, uint16_t *etp)
{
	uint16_t et;
	int tags = 0;

	switch (dlt) {
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
#endif
		if (rd_left(r) < 1)
			return -1;
		*etp = (r->p[r->off] >> 4) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
		return 0;
	case DLT_LINUX_SLL:
		rd_skip(r, 14);
		et = rd_be16(r);
		break;
	case DLT_EN10MB:
		rd_skip(r, 12);
		et = rd_be16(r);
		while ((et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ) && tags++ < MAX_VLAN_TAGS) {
			rd_skip(r, 2);
			et = rd_be16(r);
		}
		break;
	default:
		return -1;
	}
	*etp = et;
	return rd_ok(r) && (et == ETHERTYPE_IPV4 || et == ETHERTYPE_IPV6) ? 0 : -1;
}

static bool
is_ext_header(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

/* Reads an IPv6 header and its extension headers into a zeroed ip (as are
 * all the parsers' outputs: pkt_dissect zeroes the packet); ip->proto gets
 * the upper layer and *l4 a reader over it.  A non-first fragment has no
 * transport header and is refused. */
static int
parse_ipv6(struct rd *r, struct pkt_ip *ip, struct rd *l4, bool quoted)
{
	uint8_t vtc = rd_u8(r), nh;
	uint16_t plen;
	int hops;
	struct rd body;

	rd_skip(r, 3);
	plen = rd_be16(r);
	nh = rd_u8(r);
	ip->ttl = rd_u8(r);
	ip->src.family = ip->dst.family = AF_INET6;
	rd_bytes(r, ip->src.b, 16);
	rd_bytes(r, ip->dst.b, 16);
	if (!rd_ok(r) || (vtc >> 4) != 6)
		return -1;
	body = (quoted || rd_left(r) < plen) ? rd_rest(r) : rd_sub(r, plen);
	for (hops = 0; is_ext_header(nh) && hops < MAX_EXT_HDRS; hops++) {
		uint8_t next = rd_u8(&body), len = rd_u8(&body);
		if (nh == 44) {
			uint16_t off = rd_be16(&body);
			if ((off & 0xfff8) != 0)
				return -1;
			rd_skip(&body, 4);
		} else {
			rd_skip(&body, (size_t)len * 8 + 6);
		}
		nh = next;
		if (!rd_ok(&body))
			return -1;
	}
	if (is_ext_header(nh))
		return -1;
	ip->proto = nh;
	*l4 = body;
	return 0;
}

/* Reads an IPv4 header; *r is left on the transport header, and *l4 is a
 * reader limited to what the header's total length announces.  Fragments
 * other than the first carry no transport header and are refused. */
static int
parse_ipv4(struct rd *r, struct pkt_ip *ip, struct rd *l4, bool quoted)
{
	uint8_t vihl = rd_u8(r);
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	uint16_t totlen, frag;

	rd_skip(r, 1);
	totlen = rd_be16(r);
	ip->id = rd_be16(r);
	frag = rd_be16(r);
	ip->ttl = rd_u8(r);
	ip->proto = rd_u8(r);
	rd_skip(r, 2);
	ip->src.family = ip->dst.family = AF_INET;
	rd_bytes(r, ip->src.b, 4);
	rd_bytes(r, ip->dst.b, 4);
	if (!rd_ok(r) || (vihl >> 4) != 4 || ihl < 20 || totlen < ihl)
		return -1;
	rd_skip(r, ihl - 20);              /* options */
	if (!rd_ok(r) || (frag & 0x1fff) != 0)
		return -1;
	/* A quote is cut short by design, and a capture may be cut by its snap
	 * length: parse what is there.  Beyond the announced length lies link
	 * padding, which is not transport header. */
	if (quoted || rd_left(r) < totlen - ihl)
		*l4 = rd_rest(r);
	else
		*l4 = rd_sub(r, totlen - ihl);
	return rd_ok(l4) ? 0 : -1;
}

static int
parse_ip(uint16_t et, struct rd *r, struct pkt_ip *ip, struct rd *l4, bool quoted)
{
	return et == ETHERTYPE_IPV6 ? parse_ipv6(r, ip, l4, quoted) : parse_ipv4(r, ip, l4, quoted);
}

#define TCPOPT_EOL       0
#define TCPOPT_NOP       1
#define TCPOPT_TIMESTAMP 8
#define TCPOLEN_TIMESTAMP 10

/* Walks TCP options for the timestamp; a malformed option list ends the
 * walk without failing the packet. */
static void
parse_tcp_options(struct rd o, struct pkt_l4 *l4)
{
	while (rd_left(&o) > 0) {
		uint8_t kind = rd_u8(&o), len;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP)
			continue;
		len = rd_u8(&o);
		if (!rd_ok(&o) || len < 2 || len - 2u > rd_left(&o))
			return;
		if (kind == TCPOPT_TIMESTAMP && len == TCPOLEN_TIMESTAMP) {
			l4->tsval = rd_be32(&o);
			l4->tsecr = rd_be32(&o);
			l4->has_ts = true;
			return;
		}
		rd_skip(&o, len - 2u);
	}
}

static void
set_payload(struct rd *r, struct pkt_l4 *l4)
{
	struct rd rest = rd_rest(r);

	l4->payload = rest.p;
	l4->payload_len = rd_left(&rest);
}

static enum pkt_kind
parse_l4(struct rd *r, uint8_t proto, struct pkt_l4 *l4)
{
	uint8_t doff;

	if (proto != 6 && proto != 17)
		return PKT_OTHER;
	l4->sport = rd_be16(r);
	l4->dport = rd_be16(r);
	if (!rd_ok(r))
		return PKT_OTHER;
	if (proto == 17) {
		rd_skip(r, 4);            /* length, checksum */
		if (rd_ok(r))
			set_payload(r, l4);
		return PKT_UDP;
	}
	l4->seq = rd_be32(r);
	l4->has_seq = rd_ok(r);
	l4->ack = rd_be32(r);
	doff = rd_u8(r);
	l4->flags = rd_u8(r);
	/* A quote may end after the seq; the ports and seq are still good. */
	if (!rd_ok(r)) {
		l4->ack = 0, l4->flags = 0;
		return PKT_TCP;
	}
	rd_skip(r, 6);                    /* window, checksum, urgent pointer */
	if ((doff >> 4) > 5 && rd_ok(r)) {
		struct rd opts = rd_sub(r, (size_t)((doff >> 4) - 5) * 4);
		if (rd_ok(&opts))
			parse_tcp_options(opts, l4);
	}
	if (rd_ok(r))
		set_payload(r, l4);
	return PKT_TCP;
}

/* ICMP and ICMPv6 share the layout this needs: type, code, 4 more bytes of
 * header, then (for a destination unreachable) the offending packet of the
 * same IP version. */
static void
parse_icmp(struct rd *r, bool v6, struct pkt *out)
{
	struct rd quote, ql4;

	out->icmp_type = rd_u8(r);
	out->icmp_code = rd_u8(r);
	rd_skip(r, 6);
	if (!rd_ok(r) || out->icmp_type != (v6 ? ICMP6_UNREACH : ICMP_UNREACH))
		return;
	quote = rd_rest(r);
	if (parse_ip(v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4, &quote, &out->q_ip, &ql4, true) != 0)
		return;
	out->q_kind = parse_l4(&ql4, out->q_ip.proto, &out->q_l4);
	out->has_quote = out->q_kind != PKT_OTHER;
}

int
pkt_dissect(int dlt, const uint8_t *frame, size_t caplen, struct pkt *out)
{
	static const struct pkt none;
	struct rd r = rd_init(frame, caplen), l4;
	uint16_t et = 0;

	/* Everything not read stays zero: the parsers below only set what they
	 * read.  A copy rather than memset, which compilers make a string
	 * instruction whose start-up costs more than these few dozen bytes. */
	*out = none;
	if (skip_link(dlt, &r, &et) != 0 || parse_ip(et, &r, &out->ip, &l4, false) != 0)
		return -1;
	switch (out->ip.proto) {
	case PROTO_ICMP:
	case PROTO_ICMP6: {
		struct rd ic = l4;
		bool v6 = et == ETHERTYPE_IPV6;
		if (v6 != (out->ip.proto == PROTO_ICMP6))
			break;        /* ICMPv4 over IPv6 or the reverse: not ours */
		parse_icmp(&ic, v6, out);
		if (rd_ok(&ic) || out->has_quote)
			out->kind = PKT_ICMP;
		break;
	}
	case 6:
	case 17:
		out->kind = parse_l4(&l4, out->ip.proto, &out->l4);
		break;
	default:
		out->kind = PKT_OTHER;
	}
	return 0;
}

bool
pkt_is_icmp_unreach(const struct pkt *p)
{
	uint8_t want = p->ip.src.family == AF_INET6 ? ICMP6_UNREACH : ICMP_UNREACH;

	return p->kind == PKT_ICMP && p->icmp_type == want && p->has_quote;
}
