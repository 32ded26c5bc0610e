/* Network addresses as plain values, IPv4 or IPv6. */
#ifndef RP_LIB_ADDR_H
#define RP_LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_STRLEN 46

struct rp_addr {
	uint8_t  family;   /* AF_INET or AF_INET6 */
	uint8_t  b[16];    /* network byte order; IPv4 uses b[0..3], the rest is 0 */
};

/* Parses dotted-quad IPv4 strictly (no leading zeros, no shorthand), or an
 * IPv6 address in any RFC 4291 text form (no zone index). */
bool     addr_parse(const char *s, struct rp_addr *out);
bool     addr_is_v6(const struct rp_addr *);
const char *addr_fmt(const struct rp_addr *, char buf[ADDR_STRLEN]);
bool     addr_eq(const struct rp_addr *, const struct rp_addr *);
uint32_t addr_v4(const struct rp_addr *);           /* host byte order */
struct rp_addr addr_from_v4(uint32_t host_order);
/* The only addresses a lab or a test may ever send to: the IPv4 benchmarking
 * range 198.18.0.0/15 (RFC 2544) and the IPv6 documentation range
 * 2001:db8::/32 (RFC 3849). */
bool     addr_in_lab_range(const struct rp_addr *);
#define  ADDR_LAB_RANGES "198.18.0.0/15 or 2001:db8::/32"

#endif
