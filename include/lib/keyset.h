/* A set of flows (source endpoint, destination endpoint, destination
 * address, proto, port), used while expanding plans to keep each flow once;
 * and of plain 64-bit keys (probe ids), used while planting drift. */
#ifndef RP_LIB_KEYSET_H
#define RP_LIB_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Two parts: (src, dst, proto, port) in 56 bits, and the index of the
 * destination's address.  Endpoint and address indexes use 16 bits each,
 * as struct probe does. */
struct flow_key {
	uint64_t a, b;
};

struct keyset;

struct flow_key flow_key(size_t src, size_t dst, size_t dst_addr, uint8_t proto, uint16_t port);
struct keyset *keyset_new(void);
void            keyset_free(struct keyset *);
/* Returns 1 if added, 0 if already present, -1 on allocation failure. */
int             keyset_add_flow(struct keyset *, struct flow_key);
bool            keyset_has_flow(const struct keyset *, struct flow_key);
/* A plain key k is the flow key { k, 0 }; keys must be below 2^63. */
int             keyset_add(struct keyset *, uint64_t key);
bool            keyset_has(const struct keyset *, uint64_t key);
size_t          keyset_count(const struct keyset *);

#endif
