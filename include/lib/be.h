/* Big-endian stores into packets the tool builds itself.  The builder fixes
 * their layout, so these check no bounds; bytes that arrive from the wire are
 * read with rd.h instead. */
#ifndef RP_LIB_BE_H
#define RP_LIB_BE_H

#include <stdint.h>

static inline void
be_put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void
be_put32(uint8_t *b, uint32_t v)
{
	be_put16(b, (uint16_t)(v >> 16));
	be_put16(b + 2, (uint16_t)v);
}

#endif
