/* The evidence model: what a probe's fate can be (the classes of the
 * design), the per-probe result the correlator derives, and the sink
 * through which a decoder hands evidence on.  A leaf that the correlator
 * and the TLS evidence (tlsev) both read, so that neither includes the
 * other. */
#ifndef RP_CORRELATE_EVIDENCE_H
#define RP_CORRELATE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/pkt.h"
#include "lib/addr.h"
#include "probe/probekind.h"

enum evidence {
	EVD_ARRIVED, EVD_ANSWERED, EVD_HOST_RESET,           /* crossed */
	/* An ICMP port unreachable from the destination's own address: the
	 * datagram crossed and the host refused it. */
	EVD_HOST_REFUSED,
	EVD_FIREWALL_RESET, EVD_ICMP_UNREACHABLE, EVD_SILENT_DROP, /* stopped */
	/* The probe crossed and the host answered at the far side, but the
	 * answer never came back: no client can connect, whatever the rule. */
	EVD_ONE_WAY,
	/* A SYN-ACK came back while the far side, live and lossless, never saw
	 * the SYN: a middle box (a SYN proxy) answered for the host. */
	EVD_MIDDLEBOX_ANSWER,
	/* TLS probes (tlsev.h): what became of the ClientHello. */
	EVD_TLS_INTACT, EVD_TLS_SNI_ALTERED, EVD_TLS_ALTERED, EVD_TLS_REORIGINATED,
	EVD_TLS_BLOCKED_AFTER_SYN,
	EVD_INCONCLUSIVE,
};
enum observed { OBS_OPEN, OBS_CLOSED, OBS_UNKNOWN };
enum verdict  { VERDICT_PASS, VERDICT_FAIL, VERDICT_INCONCLUSIVE };

/* Why a probe has no verdict. */
enum inconclusive_reason {
	INC_NONE = 0,
	INC_NOT_SENT,          /* the probe was never seen leaving the sender */
	INC_NO_TX_CAPTURE,     /* the sender's capture is missing or broken */
	INC_NO_RX_CAPTURE,     /* no usable far-side capture */
	INC_RX_LOSSY,          /* the far-side capture dropped packets */
	INC_RX_WINDOW,         /* the far-side capture did not cover the probe */
	INC_TX_LOSSY,          /* replies may have been lost at the sender */
	INC_MIDDLEBOX,         /* a middle box answered; crossing is not shown */
	INC_HOPS_ONLY,         /* only a hop distance, and proof was required */
};

/* How strongly a verdict is proven, strongest first. */
enum proof {
	PROOF_TWO_SIDED,       /* the far-side capture saw the probe, or was live and
	                        * lossless over its window and saw nothing */
	PROOF_HANDSHAKE,       /* the destination's own SYN-ACK (or service reply) */
	PROOF_ICMP,            /* an ICMP error quoting the probe, from the address named */
	PROOF_HOP_DISTANCE,    /* only the TTL of a reply against the host's own */
	PROOF_NONE,            /* no verdict */
};

struct probe_result {
	enum evidence            ev;
	enum observed            obs;
	enum verdict             verdict;
	enum inconclusive_reason why;
	int64_t                  sent_us;     /* first time seen leaving, 0 if never */
	uint8_t                  reply_ttl;   /* of the RST / SYN-ACK / ICMP */
	uint8_t                  icmp_type, icmp_code;
	struct rp_addr           reply_from;
	/* Where the evidence lies: 1-based frame numbers (0: none) of the first
	 * probe seen leaving and of the reply, in the sender's tx pcap, and of
	 * the first arrival in the receiver's rx pcap. */
	uint32_t                 sent_frame, reply_frame, arrived_frame;
	/* ... and in which segment of those captures (0 unless resumed). */
	uint8_t                  sent_seg, reply_seg, arrived_seg;
	uint8_t                  tries;       /* times it was seen leaving (retries + 1) */
	uint8_t                  arrivals;    /* times it was seen arriving */
	/* How the first arrival looked at the far side, and whether that differs
	 * from what was sent (NAT, PAT). */
	bool                     translated;
	struct rp_addr           sent_src, arr_src, arr_dst;
	uint16_t                 sent_sport, arr_sport, arr_dport;
	unsigned                 arr_vouched; /* CARRIER_* bits that identified the arrival */
	/* Without a usable far-side capture, a reset was judged by comparing its
	 * hop distance with that of the host's own SYN-ACKs (host_hops). */
	bool                     by_hops;
	uint8_t                  host_hops;
	enum proof               proof;
};

struct rule_summary {
	uint32_t     probes, pass, fail, inconclusive;
	enum verdict verdict;
};

/* A run resumed after an interruption adds capture segments (tx-NAME-r1...);
 * it never rewrites one. */
#define CORR_MAX_SEGMENTS 64

/* Where a decoder hands each piece of evidence it recognises (the
 * correlator's corr_event, for a module that must not know the
 * correlator). */
struct evidence_sink {
	void (*event)(void *arg, const struct probe_match *, const struct pkt *, int64_t ts_us,
	              size_t endpoint, bool at_sender);
	void  *arg;
};

const char *evidence_name(enum evidence);
const char *observed_name(enum observed);
const char *verdict_name(enum verdict);
const char *proof_name(enum proof);

#endif
