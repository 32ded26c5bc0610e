/* Bounds-checked reader over untrusted bytes (captured packets, pcap
 * records).  A read past the end never touches memory: it sets the sticky
 * error flag and yields zero, so a dissector can read a whole header and
 * test rd_ok() once, in the manner of tcpdump's GET_* macros. */
#ifndef RP_RD_H
#define RP_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p;
	size_t         len;
	size_t         off;
	bool           err;
};

struct rd rd_init(const void *p, size_t len);
bool      rd_ok(const struct rd *);
size_t    rd_left(const struct rd *);
uint8_t   rd_u8(struct rd *);
uint16_t  rd_be16(struct rd *);
uint32_t  rd_be32(struct rd *);
void      rd_skip(struct rd *, size_t n);
/* Copies n bytes to dst, or zero-fills dst and flags an error. */
void      rd_bytes(struct rd *, void *dst, size_t n);
/* A sub-reader over the next n bytes (clamped: flags error if short). */
struct rd rd_sub(struct rd *, size_t n);
/* A sub-reader over everything left. */
struct rd rd_rest(struct rd *);

#endif
