/* Bounds-checked reader over untrusted bytes (captured packets, pcap
 * records).  A read past the end never touches memory: it sets the sticky
 * error flag and yields zero, so a dissector can read a whole header and
 * test rd_ok() once, in the manner of tcpdump's GET_* macros. */
#ifndef RP_LIB_RD_H
#define RP_LIB_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;
	size_t         len;
	size_t         off;
	bool           err;
};

/* Inline: the dissectors call these a few dozen times per packet, and a
 * million-probe run has millions of packets. */
static inline struct rd
rd_init(const void *p, size_t len)
{
	struct rd r = { .p = p, .len = p ? len : 0, .off = 0, .err = false };
	return r;
}

static inline bool
rd_ok(const struct rd *r)
{
	return !r->err;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

static inline bool
rd_need(struct rd *r, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return false;
	}
	return true;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static inline uint16_t
rd_be16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)((unsigned)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
	uint32_t v;

	if (!rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
	    (uint32_t)r->p[r->off + 2] << 8 | (uint32_t)r->p[r->off + 3];
	r->off += 4;
	return v;
}

static inline void
rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n))
		r->off += n;
}

static inline void
rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n)) {
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->p + r->off, n);
	r->off += n;
}

static inline struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd s = { .p = NULL, .len = 0, .off = 0, .err = true };

	if (!rd_need(r, n))
		return s;
	s = rd_init(r->p + r->off, n);
	r->off += n;
	return s;
}

static inline struct rd
rd_rest(struct rd *r)
{
	return rd_sub(r, rd_left(r));
}

#endif
