/* TCP SYN probes.  The id rides in the sequence number and in the TCP
 * timestamp value (recovered from a SYN, from a reply's acknowledgement and
 * timestamp echo, or from the header quoted in an ICMP error) and is vouched
 * for by the source port and the IP id. */
#include "probe/syn.h"
#include "lib/be.h"

#define SYN_WINDOW 64240
/* The options a Linux client puts in a SYN (MSS, SACK permitted, timestamps,
 * window scale), so that the probe looks like real traffic to middleboxes;
 * the timestamp value is patched per probe at TS_OFFSET. */
#define SYN_OPTLEN 20
#define TS_OFFSET  8

static void
syn_options(uint8_t opt[SYN_OPTLEN], uint32_t tsval)
{
	static const uint8_t tmpl[SYN_OPTLEN] = {
		2, 4, 0x05, 0xb4,        /* MSS 1460 */
		4, 2,                    /* SACK permitted */
		8, 10, 0, 0, 0, 0, 0, 0, 0, 0,   /* timestamps: TSval, TSecr 0 */
		1,                       /* NOP */
		3, 3, 7,                 /* window scale 7 */
	};

	memcpy(opt, tmpl, SYN_OPTLEN);
	opt[TS_OFFSET] = (uint8_t)(tsval >> 24);
	opt[TS_OFFSET + 1] = (uint8_t)(tsval >> 16);
	opt[TS_OFFSET + 2] = (uint8_t)(tsval >> 8);
	opt[TS_OFFSET + 3] = (uint8_t)tsval;
}

static int
syn_build(libnet_t *l, libnet_ptag_t tags[PROBE_MAX_TAGS], const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c)
{
	uint8_t opt[SYN_OPTLEN];

	/* libnet stacks headers from the innermost out: options, TCP, IP. */
	syn_options(opt, c->tsval);
	tags[2] = libnet_build_tcp_options(opt, SYN_OPTLEN, l, tags[2]);
	if (tags[2] == -1)
		return -1;
	tags[0] = libnet_build_tcp(c->sport, dport, c->seq, 0, TH_SYN, SYN_WINDOW, 0, 0,
	    LIBNET_TCP_H + SYN_OPTLEN, NULL, 0, l, tags[0]);
	if (tags[0] == -1)
		return -1;
	return probe_build_ip(l, &tags[1], src, dst, IPPROTO_TCP, LIBNET_TCP_H + SYN_OPTLEN,
	    c->ipid);
}

/* The fields syn_build sets per probe, where it puts them. */
static void
syn_patch(uint8_t *l4, size_t l4len, uint16_t dport, const struct probe_carriers *c)
{
	if (l4len < LIBNET_TCP_H + SYN_OPTLEN)
		return;
	be_put16(l4, c->sport);
	be_put16(l4 + 2, dport);
	be_put32(l4 + 4, c->seq);
	be_put32(l4 + LIBNET_TCP_H + TS_OFFSET, c->tsval);
}

/* What a SYN, or the SYN quoted in an ICMP error, carries. */
static void
syn_carriers(const struct pkt_ip *ip, const struct pkt_l4 *t, struct carrier_obs *o)
{
	o->has = CARRIER_SPORT;
	o->sport = t->sport;
	if (t->has_seq) {
		o->has |= CARRIER_SEQ;
		o->seq = t->seq;
	}
	if (ip->src.family != AF_INET6) {
		o->has |= CARRIER_IPID;
		o->ipid = ip->id;
	}
	if (t->has_ts) {
		o->has |= CARRIER_TSVAL;
		o->tsval = t->tsval;
	}
}

/* A reply acknowledges seq + 1, goes to our port, and (a SYN-ACK with
 * timestamps) echoes our TSval. */
static void
reply_carriers(const struct pkt_l4 *t, struct carrier_obs *o)
{
	o->has = CARRIER_SEQ | CARRIER_SPORT;
	o->seq = t->ack - 1;
	o->sport = t->dport;
	if (t->has_ts && t->tsecr != 0) {
		o->has |= CARRIER_TSVAL;
		o->tsval = t->tsecr;
	}
}

static enum decode_result
syn_claim_tcp(const struct pkt *p, bool from_self, bool at_sender, struct probe_claim *cl)
{
	const struct pkt_l4 *t = &p->l4;
	uint8_t f = t->flags & (TCPF_SYN | TCPF_ACK | TCPF_RST);

	if (f == TCPF_SYN) {
		/* The sender's own SYNs, and at the far side only those of
		 * others: a host may be both. */
		if (at_sender != from_self)
			return DECODE_SKIP;
		cl->ev = at_sender ? EV_SENT : EV_ARRIVED;
		syn_carriers(&p->ip, t, &cl->o);
		return DECODE_MATCH;
	}
	if (!(t->flags & TCPF_ACK) || !(t->flags & (TCPF_SYN | TCPF_RST)) || at_sender == from_self)
		return DECODE_SKIP;
	reply_carriers(t, &cl->o);
	if (at_sender) {
		cl->ev = (t->flags & TCPF_RST) ? EV_RESET : EV_ANSWER;
		return DECODE_MATCH;
	}
	/* The host's answer to a foreign SYN was counted with the SYN. */
	cl->ev = EV_HOST_REPLY;
	cl->unmatched = DECODE_SKIP;
	return DECODE_MATCH;
}

static enum decode_result
syn_claim(const struct pkt *p, const struct probe_self *self, bool at_sender,
    struct probe_claim *cl)
{
	if (p->kind == PKT_TCP)
		return syn_claim_tcp(p, probe_self_is(self, &p->ip.src), at_sender, cl);
	if (at_sender && pkt_is_icmp_unreach(p) && p->q_kind == PKT_TCP &&
	    probe_self_is(self, &p->q_ip.src)) {
		cl->ev = EV_UNREACH;
		syn_carriers(&p->q_ip, &p->q_l4, &cl->o);
		return DECODE_MATCH;
	}
	return DECODE_SKIP;
}

const struct probe_kind probe_kind_syn = {
	.name = "syn",
	.proto = IPPROTO_TCP,
	.bpf = "tcp or icmp",
	.build = syn_build,
	.patch = syn_patch,
	.claim = syn_claim,
};
