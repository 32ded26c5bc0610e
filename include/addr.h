/* Network addresses as plain values (IPv4 today; the family field keeps the
 * door open for IPv6 without changing every caller). */
#ifndef RP_ADDR_H
#define RP_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_STRLEN 46

struct rp_addr {
	uint8_t  family;   /* AF_INET */
	uint8_t  b[16];    /* network byte order; IPv4 uses b[0..3] */
};

/* Parses dotted-quad IPv4 strictly (no leading zeros, no shorthand). */
bool     addr_parse(const char *s, struct rp_addr *out);
const char *addr_fmt(const struct rp_addr *, char buf[ADDR_STRLEN]);
bool     addr_eq(const struct rp_addr *, const struct rp_addr *);
uint32_t addr_v4(const struct rp_addr *);           /* host byte order */
struct rp_addr addr_from_v4(uint32_t host_order);
/* The benchmarking range 198.18.0.0/15 (RFC 2544): the only addresses a lab
 * or a test may ever send to. */
bool     addr_in_lab_range(const struct rp_addr *);

#endif
