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

struct flowset;

struct flow_key flow_key(size_t src, size_t dst, size_t dst_addr, uint8_t proto, uint16_t port);
struct flowset *flowset_new(void);
void            flowset_free(struct flowset *);
/* Returns 1 if added, 0 if already present, -1 on allocation failure. */
int             flowset_add_flow(struct flowset *, struct flow_key);
bool            flowset_has_flow(const struct flowset *, struct flow_key);
/* A plain key k is the flow key { k, 0 }; keys must be below 2^63. */
int             flowset_add(struct flowset *, uint64_t key);
bool            flowset_has(const struct flowset *, uint64_t key);
size_t          flowset_count(const struct flowset *);

#endif
