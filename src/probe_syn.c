/* TCP SYN probes.  The id rides in the sequence number (recovered from a
 * reply's acknowledgement number, or from the seq quoted in an ICMP error)
 * and is vouched for by the source port. */
#include "probekind.h"

#define SYN_WINDOW 64240
#define SYN_TTL    64

static int
syn_build(libnet_t *l, libnet_ptag_t tags[PROBE_MAX_TAGS], const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c)
{
	uint32_t s, d;

	memcpy(&s, src->b, 4);
	memcpy(&d, dst->b, 4);
	tags[0] = libnet_build_tcp(c->sport, dport, c->seq, 0, TH_SYN, SYN_WINDOW, 0, 0,
	    LIBNET_TCP_H, NULL, 0, l, tags[0]);
	if (tags[0] == -1)
		return -1;
	tags[1] = libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H, 0, c->ipid, 0, SYN_TTL,
	    IPPROTO_TCP, 0, s, d, NULL, 0, l, tags[1]);
	return tags[1] == -1 ? -1 : 0;
}

static enum decode_result
match_or_foreign(bool matched)
{
	return matched ? DECODE_MATCH : DECODE_FOREIGN;
}

static enum decode_result
syn_decode(const struct pkt *p, struct probeid *pid, uint32_t nprobes,
    const struct rp_addr *self, bool at_sender, struct probe_match *m)
{
	const struct pkt_l4 *t = &p->l4;
	bool from_self = addr_eq(&p->ip.src, self);

	if (p->kind == PKT_TCP) {
		uint8_t f = t->flags & (TCPF_SYN | TCPF_ACK | TCPF_RST);
		if (f == TCPF_SYN) {
			/* The sender's own SYNs, and at the far side only
			 * those of others: a host may be both. */
			if (at_sender != from_self)
				return DECODE_SKIP;
			m->ev = at_sender ? EV_SENT : EV_ARRIVED;
			return match_or_foreign(probeid_match(pid, t->seq, t->sport, nprobes, &m->id));
		}
		if (!(t->flags & TCPF_ACK) || !(t->flags & (TCPF_SYN | TCPF_RST)))
			return DECODE_SKIP;
		/* A reply acknowledges seq + 1 and is addressed to our port. */
		if (at_sender == from_self)
			return DECODE_SKIP;
		if (at_sender) {
			m->ev = (t->flags & TCPF_RST) ? EV_RESET : EV_ANSWER;
			return match_or_foreign(probeid_match(pid, t->ack - 1, t->dport, nprobes, &m->id));
		}
		/* The host's answer to a foreign SYN was counted with the SYN. */
		m->ev = EV_HOST_REPLY;
		return probeid_match(pid, t->ack - 1, t->dport, nprobes, &m->id) ?
		    DECODE_MATCH : DECODE_SKIP;
	}
	if (at_sender && pkt_is_icmp_unreach(p) && p->q_kind == PKT_TCP && p->q_l4.has_seq &&
	    addr_eq(&p->q_ip.src, self)) {
		m->ev = EV_UNREACH;
		return match_or_foreign(probeid_match(pid, p->q_l4.seq, p->q_l4.sport, nprobes, &m->id));
	}
	return DECODE_SKIP;
}

const struct probe_kind probe_kind_syn = {
	.name = "syn",
	.proto = IPPROTO_TCP,
	.bpf = "tcp or icmp",
	.build = syn_build,
	.decode = syn_decode,
};
