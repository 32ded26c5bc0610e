/* What a probe kind is: everything that differs between a TCP SYN, a UDP
 * probe or a TLS ClientHello lives behind one const ops struct per kind
 * (one file per kind: probe/syn.c, probe/udp.c), with the few helpers
 * every kind uses.  The registry of kinds is probe/probekind.h. */
#ifndef RP_PROBE_KIND_H
#define RP_PROBE_KIND_H

#include <libnet.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "capture/pkt.h"
#include "plan/plan.h"
#include "probe/probeid.h"

enum probe_event {
	EV_NONE = 0,
	EV_SENT,        /* the probe leaving the sender (tx capture) */
	EV_ARRIVED,     /* the probe reaching the far side (rx capture) */
	EV_ANSWER,      /* a positive answer back at the sender (SYN-ACK) */
	EV_RESET,       /* a TCP reset back at the sender */
	EV_UNREACH,     /* an ICMP unreachable back at the sender */
	EV_HOST_REPLY,  /* the far-side host answering (rx capture) */
};

struct probe_match {
	uint32_t         id;
	enum probe_event ev;
	uint32_t         frame;   /* 1-based frame number in its pcap, 0 if unknown */
	unsigned         vouched; /* CARRIER_* bits that identified it */
	uint8_t          seg;     /* capture segment it was read from (resumed runs) */
};

enum decode_result {
	DECODE_SKIP = 0,   /* not this kind's evidence at this capture point */
	DECODE_MATCH,      /* evidence for the probe in the match */
	DECODE_FOREIGN,    /* shaped like this kind's evidence, but not this run's */
};

#define PROBE_MAX_TAGS 4

/* What a captured packet claims to be before its probe id is recovered:
 * which event, by which carriers, and what it is if none of this run's ids
 * is among them (DECODE_FOREIGN, or DECODE_SKIP for the far side's reply to
 * someone else's probe). */
struct probe_claim {
	enum probe_event   ev;
	struct carrier_obs o;
	enum decode_result unmatched;
};

/* Who captured a packet: an endpoint of a plan, which may have several
 * addresses (both IP versions, a sampled block); or, without a plan, one
 * address. */
struct probe_self {
	const struct plan    *pl;
	size_t                endpoint;
	const struct rp_addr *only;     /* used when pl is NULL */
};

bool probe_self_is(const struct probe_self *, const struct rp_addr *);

struct probe_kind {
	const char *name;
	uint8_t     proto;
	/* BPF filter for a capture that must hold this kind's evidence. */
	const char *bpf;
	/* Builds (or, with tags from an earlier call, patches) the packet in
	 * l; the caller sends it.  Returns 0, or -1 with libnet's error. */
	int (*build)(libnet_t *l, libnet_ptag_t tags[PROBE_MAX_TAGS],
	             const struct rp_addr *src, const struct rp_addr *dst,
	             uint16_t dport, const struct probe_carriers *);
	/* Optional fast path (sendfast.h): rewrites, in a transport header
	 * and payload of l4len bytes that build made, the destination port and
	 * the carriers of another probe; addresses, IP id and checksums are
	 * the caller's.  NULL: every probe is built by build. */
	void (*patch)(uint8_t *l4, size_t l4len, uint16_t dport, const struct probe_carriers *);
	/* Whether a captured packet is this kind's evidence at this capture
	 * point (at_sender; self is that agent's address): DECODE_SKIP, or
	 * DECODE_FOREIGN when it is shaped like it but cannot be this run's,
	 * or DECODE_MATCH with what it claims to be in the claim, which the
	 * recovery of its id settles (probekind_settle). */
	enum decode_result (*claim)(const struct pkt *, const struct probe_self *self,
	                            bool at_sender, struct probe_claim *);
};

/* Builds (or patches, through *tag) the IPv4 or IPv6 header under a kind's
 * transport header of l4len bytes; the libnet context must be RAW4 for an
 * IPv4 pair and RAW6 for an IPv6 pair.  Returns 0 or -1. */
int probe_build_ip(libnet_t *l, libnet_ptag_t *tag, const struct rp_addr *src,
                   const struct rp_addr *dst, uint8_t proto, uint16_t l4len, uint16_t ipid);

#endif
