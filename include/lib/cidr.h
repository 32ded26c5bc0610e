/* Address blocks (CIDR) as the profile and site languages write them, and
 * the deterministic sample by which a block is probed. */
#ifndef RP_LIB_CIDR_H
#define RP_LIB_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/addr.h"

/* "17.0.0.0/8", "2001:db8::/32": the network (host bits must be clear) and
 * the prefix length (no leading zeros).  On failure *why says what is wrong
 * when it is more than "not an address" (NULL then). */
bool   cidr_parse(const char *text, struct rp_addr *net, unsigned *prefix, const char **why);

/* Does the whole block lie in the lab ranges (ADDR_LAB_RANGES)? */
bool   cidr_in_lab_range(const struct rp_addr *net, unsigned prefix);

/* The sample of a block: a pure function of the block and the size.  The
 * usable addresses are the block without its first and last address (the
 * IPv4 network and broadcast addresses; IPv6's subnet-router anycast and
 * the top of the RFC 2526 reserved anycast range), or every address of a
 * block of one or two.  If there are at most `size` of them, all; else the
 * first usable, the last usable, and size - 2 addresses evenly spaced
 * between them (first + k * ((last - first) / (size - 1))).  out must have
 * room for size addresses; returns the count, in ascending order. */
size_t cidr_sample(const struct rp_addr *net, unsigned prefix, unsigned size, struct rp_addr *out);

#endif
