#include "rd.h"

#include <string.h>

struct rd
rd_init(const void *p, size_t len)
{
	struct rd r = { .p = p, .len = p ? len : 0, .off = 0, .err = false };
	return r;
}

bool
rd_ok(const struct rd *r)
{
	return !r->err;
}

size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

static bool
rd_need(struct rd *r, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return false;
	}
	return true;
}

uint8_t
rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t
rd_be16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)((unsigned)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

uint32_t
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

void
rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n))
		r->off += n;
}

void
rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n)) {
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->p + r->off, n);
	r->off += n;
}

struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd s = { .p = NULL, .len = 0, .off = 0, .err = true };

	if (!rd_need(r, n))
		return s;
	s = rd_init(r->p + r->off, n);
	r->off += n;
	return s;
}

struct rd
rd_rest(struct rd *r)
{
	return rd_sub(r, rd_left(r));
}
