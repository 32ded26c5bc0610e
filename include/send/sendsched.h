/* The sender's schedule: when each probe may leave (an exact rate limiter
 * that sends in batches) and in what order (a keyed permutation of the
 * plan, so that consecutive probes go to different hosts and ports rather
 * than sweeping one host's ports at the full rate).  Pure arithmetic on
 * times the caller reads, so that it can be tested without a clock. */
#ifndef RP_SEND_SENDSCHED_H
#define RP_SEND_SENDSCHED_H

#include <stdint.h>

#include "probe/probeid.h"

/* Probes sent per wait at most, and about how long a batch may last. */
#define SENDSCHED_MAX_BATCH 64
#define SENDSCHED_BATCH_NS  200000

struct sendsched {
	int64_t  start_ns;   /* slot of probe 0 */
	uint64_t rate;       /* probes per second, >= 1 */
	uint64_t done;       /* probes given their slot so far */
	unsigned batch;      /* probes per wait */
};

void sendsched_init(struct sendsched *, uint64_t rate, int64_t now_ns);
/* Restarts the slots at now (a retry round after a linger) keeping the rate. */
void sendsched_restart(struct sendsched *, int64_t now_ns);
/* The slot of the next probe: the batch that starts with it may leave then.
 * Slot k is start + k / rate exactly (no rounding that adds up). */
int64_t sendsched_due(const struct sendsched *);
/* Counts n probes as sent. */
void sendsched_sent(struct sendsched *, unsigned n);

/* A keyed permutation of [0, n): perm_at(i) for i = 0..n-1 visits every
 * index once.  It steps by a key-derived stride near n times the golden
 * ratio, coprime with n: neighbours in the plan end up far apart. */
struct sendperm {
	uint64_t n, stride, offset;
};

void     sendperm_init(struct sendperm *, uint64_t n, const uint8_t key[PROBEID_KEYLEN]);
uint64_t sendperm_at(const struct sendperm *, uint64_t i);

#endif
