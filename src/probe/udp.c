/* UDP probes.  A datagram carries no sequence number, so the id rides in a
 * 16-byte payload (a magic, then the two permutation carriers) and is
 * vouched for by the source port and the IP id.  An ICMP error quotes the
 * datagram (Linux quotes it whole; a router that quotes only the 8-byte UDP
 * header leaves nothing to recover the id from, and its error counts as
 * foreign). */
#include "probe/udp.h"
#include "lib/be.h"

#define UDP_PAYLOAD  16

static const uint8_t udp_magic[4] = { 'r', 'p', 'u', '1' };

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int
udp_build(libnet_t *l, libnet_ptag_t tags[PROBE_MAX_TAGS], const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c)
{
	uint8_t payload[UDP_PAYLOAD] = { 0 };

	memcpy(payload, udp_magic, sizeof(udp_magic));
	be_put32(payload + 4, c->seq);
	be_put32(payload + 8, c->tsval);
	tags[0] = libnet_build_udp(c->sport, dport, LIBNET_UDP_H + UDP_PAYLOAD, 0, payload,
	    UDP_PAYLOAD, l, tags[0]);
	if (tags[0] == -1)
		return -1;
	return probe_build_ip(l, &tags[1], src, dst, IPPROTO_UDP, LIBNET_UDP_H + UDP_PAYLOAD,
	    c->ipid);
}

/* The fields udp_build sets per probe, where it puts them. */
static void
udp_patch(uint8_t *l4, size_t l4len, uint16_t dport, const struct probe_carriers *c)
{
	if (l4len < LIBNET_UDP_H + UDP_PAYLOAD)
		return;
	be_put16(l4, c->sport);
	be_put16(l4 + 2, dport);
	be_put32(l4 + LIBNET_UDP_H + 4, c->seq);
	be_put32(l4 + LIBNET_UDP_H + 8, c->tsval);
}

/* Carriers of a datagram (or of the datagram an ICMP error quotes).
 * Returns false if it is not shaped like one of ours. */
static bool
udp_carriers(const struct pkt_ip *ip, const struct pkt_l4 *u, struct carrier_obs *o)
{
	if (u->payload_len < UDP_PAYLOAD || memcmp(u->payload, udp_magic, sizeof(udp_magic)) != 0)
		return false;
	o->has = CARRIER_SEQ | CARRIER_TSVAL | CARRIER_SPORT;
	o->seq = get32(u->payload + 4);
	o->tsval = get32(u->payload + 8);
	o->sport = u->sport;
	if (ip->src.family != AF_INET6) {
		o->has |= CARRIER_IPID;
		o->ipid = ip->id;
	}
	return true;
}

static enum decode_result
udp_claim(const struct pkt *p, const struct probe_self *self, bool at_sender,
    struct probe_claim *cl)
{
	bool from_self = probe_self_is(self, &p->ip.src);

	if (p->kind == PKT_UDP) {
		if (at_sender != from_self || !udp_carriers(&p->ip, &p->l4, &cl->o))
			return DECODE_SKIP;
		cl->ev = at_sender ? EV_SENT : EV_ARRIVED;
		return DECODE_MATCH;
	}
	if (!pkt_is_icmp_unreach(p) || p->q_kind != PKT_UDP)
		return DECODE_SKIP;
	if (at_sender && probe_self_is(self, &p->q_ip.src)) {
		cl->ev = EV_UNREACH;
		return udp_carriers(&p->q_ip, &p->q_l4, &cl->o) ? DECODE_MATCH : DECODE_FOREIGN;
	}
	/* At the far side: the host refusing a datagram that reached it. */
	if (!at_sender && from_self && udp_carriers(&p->q_ip, &p->q_l4, &cl->o)) {
		cl->ev = EV_HOST_REPLY;
		cl->unmatched = DECODE_SKIP;
		return DECODE_MATCH;
	}
	return DECODE_SKIP;
}

const struct probe_kind probe_kind_udp = {
	.name = "udp",
	.proto = IPPROTO_UDP,
	.bpf = "udp or icmp",
	.build = udp_build,
	.patch = udp_patch,
	.claim = udp_claim,
};
