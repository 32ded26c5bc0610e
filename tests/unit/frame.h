/* Hand-built frames for the dissector and correlator tests.  Frames are
 * assembled byte by byte in network order, never through header structs,
 * so a test states exactly what is on the wire. */
#ifndef RP_TEST_FRAME_H
#define RP_TEST_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX 512

struct frame {
	uint8_t b[FRAME_MAX];
	size_t  len;
};

/* An IPv4 header as a test wants it; zero fields get ordinary values
 * (IHL 5, total length = header + payload, TTL 64). */
struct frame_ip {
	const char    *src, *dst;   /* dotted quads */
	uint8_t        proto;
	uint8_t        ttl;
	uint16_t       id;
	uint16_t       frag;        /* flags and fragment offset, as on the wire */
	uint8_t        vihl;        /* overrides version/IHL when non-zero */
	uint16_t       totlen;      /* overrides the total length when non-zero */
	const uint8_t *opts;        /* options, a multiple of 4 bytes */
	size_t         optlen;
};

void frame_u8(struct frame *, uint8_t);
void frame_be16(struct frame *, uint16_t);
void frame_be32(struct frame *, uint32_t);
void frame_mem(struct frame *, const void *, size_t);

/* Destination and source MAC, then the EtherType. */
void frame_eth(struct frame *, uint16_t ethertype);
/* payload_len is what follows the header (for the total length field). */
void frame_ipv4(struct frame *, const struct frame_ip *, size_t payload_len);
/* A 20-byte TCP header without options. */
void frame_tcp(struct frame *, uint16_t sport, uint16_t dport, uint32_t seq,
               uint32_t ack, uint8_t flags);

#endif
