#include "frame.h"

#include <CUnit/Basic.h>
#include <string.h>

#include "lib/addr.h"

void
frame_u8(struct frame *f, uint8_t v)
{
	/* A frame that outgrows its buffer is a bug in the test itself. */
	CU_ASSERT_FATAL(f->len < FRAME_MAX);
	f->b[f->len++] = v;
}

void
frame_be16(struct frame *f, uint16_t v)
{
	frame_u8(f, (uint8_t)(v >> 8));
	frame_u8(f, (uint8_t)v);
}

void
frame_be32(struct frame *f, uint32_t v)
{
	frame_be16(f, (uint16_t)(v >> 16));
	frame_be16(f, (uint16_t)v);
}

void
frame_mem(struct frame *f, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		frame_u8(f, b[i]);
}

void
frame_eth(struct frame *f, uint16_t ethertype)
{
	static const uint8_t macs[12] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,   /* locally administered */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	};

	frame_mem(f, macs, sizeof(macs));
	frame_be16(f, ethertype);
}

/* The header checksum is filled in so that the pcaps the tests write are
 * valid for any other reader too (the dissector itself does not check it:
 * offloaded captures carry junk there). */
static uint16_t
ip_checksum(const uint8_t *h, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void
frame_ipv4(struct frame *f, const struct frame_ip *ip, size_t payload_len)
{
	struct rp_addr s, d;
	size_t start = f->len, hlen = 20 + ip->optlen;
	uint16_t ck;

	CU_ASSERT_FATAL(addr_parse(ip->src, &s) && addr_parse(ip->dst, &d));
	frame_u8(f, ip->vihl ? ip->vihl : (uint8_t)(0x40 | hlen / 4));
	frame_u8(f, 0);
	frame_be16(f, ip->totlen ? ip->totlen : (uint16_t)(hlen + payload_len));
	frame_be16(f, ip->id);
	frame_be16(f, ip->frag);
	frame_u8(f, ip->ttl ? ip->ttl : 64);
	frame_u8(f, ip->proto);
	frame_be16(f, 0);
	frame_mem(f, s.b, 4);
	frame_mem(f, d.b, 4);
	frame_mem(f, ip->opts, ip->optlen);
	ck = ip_checksum(&f->b[start], hlen);
	f->b[start + 10] = (uint8_t)(ck >> 8);
	f->b[start + 11] = (uint8_t)ck;
}

void
frame_tcp(struct frame *f, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    uint8_t flags)
{
	frame_be16(f, sport);
	frame_be16(f, dport);
	frame_be32(f, seq);
	frame_be32(f, ack);
	frame_u8(f, 5 << 4);      /* data offset: 20 bytes, no options */
	frame_u8(f, flags);
	frame_be16(f, 64240);     /* window */
	frame_be16(f, 0);         /* checksum: the dissector never reads it */
	frame_be16(f, 0);         /* urgent pointer */
}
