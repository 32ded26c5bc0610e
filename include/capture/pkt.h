/* Dissection of captured frames.  Captured traffic is untrusted: every byte
 * is read through rd.h, nothing is cast to a header struct. */
#ifndef RP_CAPTURE_PKT_H
#define RP_CAPTURE_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

enum pkt_kind { PKT_OTHER = 0, PKT_TCP, PKT_UDP, PKT_ICMP };

#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10

struct pkt_ip {
	struct rp_addr src, dst;
	uint8_t        proto, ttl;
	uint16_t       id;
};

struct pkt_l4 {
	uint16_t sport, dport;
	uint32_t seq, ack;     /* TCP only */
	uint8_t  flags;        /* TCP only */
	bool     has_seq;      /* false for UDP, or a quote cut before the seq */
	bool     has_ts;       /* TCP timestamp option present */
	uint32_t tsval, tsecr;
	/* The transport payload as captured (a pointer into the frame given to
	 * pkt_dissect, valid as long as it is): a UDP probe's id rides there. */
	const uint8_t *payload;
	size_t         payload_len;
};

struct pkt {
	struct pkt_ip ip;
	enum pkt_kind kind;
	struct pkt_l4 l4;                 /* PKT_TCP, PKT_UDP */
	uint8_t       icmp_type, icmp_code;
	/* An ICMP error quotes the offending packet's IP header and at least 8
	 * bytes of its transport header: enough for the ports and the seq. */
	bool          has_quote;
	struct pkt_ip q_ip;
	enum pkt_kind q_kind;
	struct pkt_l4 q_l4;
};

/* dlt is the pcap link type (DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL ...).
 * Returns 0 for an IPv4 or IPv6 packet that was dissected (extension
 * headers walked; ICMP or ICMPv6 destination unreachable with its quote),
 * -1 otherwise.  For IPv6, ip.ttl is the hop limit and ip.id is 0. */
int  pkt_dissect(int dlt, const uint8_t *frame, size_t caplen, struct pkt *out);
/* An ICMP type 3 or ICMPv6 type 1 that quotes a TCP or UDP header. */
bool pkt_is_icmp_unreach(const struct pkt *);

#endif
