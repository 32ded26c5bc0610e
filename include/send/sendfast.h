/* The sender's fast path for IPv4 probes: each kind's packet is built once
 * by libnet (a template per kind and source address), then for every probe
 * the kind patches its own fields (probekind.h: patch) and this module the
 * destination, the IP id and both checksums; the packets of a batch leave
 * with one sendmmsg(2), as Ethernet frames on a packet socket when the
 * next hop is known (send/ethpath.h), else on the raw IP socket.  Probes it cannot take (IPv6, a
 * kind without patch) go through libnet as before. */
#ifndef RP_SEND_SENDFAST_H
#define RP_SEND_SENDFAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "probe/probekind.h"
#include "probe/probeid.h"

#define SENDFAST_BATCH 64        /* packets per sendmmsg at most */
#define SENDFAST_MAXPKT 256      /* larger templates take the slow path */

struct sendfast;

/* fd: a raw IPv4 socket with IP_HDRINCL (libnet's RAW4 one), or -1 to only
 * build (tests).  NULL with a message in err. */
struct sendfast *sendfast_new(int fd, char *err, size_t errlen);
void             sendfast_free(struct sendfast *);

struct ethpath;
/* Hands over the Ethernet path (send/ethpath.h), or none with NULL: IPv4 probes
 * whose next hop it resolves leave as frames on its packet socket, the
 * rest, and all of them once that socket refuses one, on the raw one. */
void sendfast_set_link(struct sendfast *, struct ethpath *);

/* Whether a probe of kind k between these addresses can take the fast path. */
bool sendfast_can(const struct probe_kind *k, const struct rp_addr *src,
                  const struct rp_addr *dst);
/* Writes the probe's packet into buf (SENDFAST_MAXPKT bytes); its length, or
 * -1 with a message in err when libnet cannot build the template. */
int  sendfast_build(struct sendfast *, const struct probe_kind *, const struct rp_addr *src,
                    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *,
                    uint8_t *buf, char *err, size_t errlen);
/* Queues a probe for the next flush; flushes first when the batch is full.
 * Returns -1 with a message in err when it cannot be built. */
int  sendfast_add(struct sendfast *, const struct probe_kind *, const struct rp_addr *src,
                  const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *,
                  char *err, size_t errlen);
size_t sendfast_pending(const struct sendfast *);

/* What a flush did: packets the kernel took, packets it refused (the first
 * refusal's reason in err). */
struct sendfast_count {
	unsigned sent, failed;
};
struct sendfast_count sendfast_flush(struct sendfast *, char *err, size_t errlen);

/* Which way the packets the kernel took went, and why the Ethernet path
 * was given up (NULL while it was not). */
struct sendfast_paths {
	uint64_t    eth, ip;
	const char *link_error;
};
struct sendfast_paths sendfast_paths(const struct sendfast *);

#endif
