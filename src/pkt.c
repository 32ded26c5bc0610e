#include "pkt.h"

#include <pcap/dlt.h>
#include <string.h>
#include <sys/socket.h>

#include "rd.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define MAX_VLAN_TAGS  4
#define ICMP_UNREACH   3

/* Walks link-layer headers to the start of the IPv4 header. */
static int
skip_link(int dlt, struct rd *r)
{
	uint16_t et;
	int tags = 0;

	switch (dlt) {
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
#endif
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
	return rd_ok(r) && et == ETHERTYPE_IPV4 ? 0 : -1;
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
	memset(&ip->src, 0, sizeof(ip->src));
	memset(&ip->dst, 0, sizeof(ip->dst));
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

	memset(l4, 0, sizeof(*l4));
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

static void
parse_icmp(struct rd *r, struct pkt *out)
{
	struct rd quote, ql4;

	out->icmp_type = rd_u8(r);
	out->icmp_code = rd_u8(r);
	rd_skip(r, 6);
	if (!rd_ok(r) || out->icmp_type != ICMP_UNREACH)
		return;
	quote = rd_rest(r);
	if (parse_ipv4(&quote, &out->q_ip, &ql4, true) != 0)
		return;
	out->q_kind = parse_l4(&ql4, out->q_ip.proto, &out->q_l4);
	out->has_quote = out->q_kind != PKT_OTHER;
}

int
pkt_dissect(int dlt, const uint8_t *frame, size_t caplen, struct pkt *out)
{
	struct rd r = rd_init(frame, caplen), l4;

	memset(out, 0, sizeof(*out));
	if (skip_link(dlt, &r) != 0 || parse_ipv4(&r, &out->ip, &l4, false) != 0)
		return -1;
	switch (out->ip.proto) {
	case 1: {
		struct rd ic = l4;
		parse_icmp(&ic, out);
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
	return p->kind == PKT_ICMP && p->icmp_type == ICMP_UNREACH && p->has_quote;
}
