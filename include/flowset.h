/* A set of flows (source endpoint, destination endpoint, proto, port), used
 * while expanding plans and compiling rulesets to keep each flow once. */
#ifndef RP_FLOWSET_H
#define RP_FLOWSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flowset;

uint64_t        flow_key(size_t src, size_t dst, uint8_t proto, uint16_t port);
struct flowset *flowset_new(void);
void            flowset_free(struct flowset *);
/* Returns 1 if added, 0 if already present, -1 on allocation failure. */
int             flowset_add(struct flowset *, uint64_t key);
bool            flowset_has(const struct flowset *, uint64_t key);
size_t          flowset_count(const struct flowset *);

#endif
