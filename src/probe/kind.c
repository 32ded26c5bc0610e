#include "probe/kind.h"

#include <string.h>

bool
probe_self_is(const struct probe_self *s, const struct rp_addr *a)
{
	size_t i;

	if (!s->pl)
		return s->only && addr_eq(s->only, a);
	for (i = 0; i < plan_naddrs(s->pl, s->endpoint); i++)
		if (addr_eq(plan_addr_at(s->pl, s->endpoint, i), a))
			return true;
	return false;
}

#define PROBE_TTL 64

int
probe_build_ip(libnet_t *l, libnet_ptag_t *tag, const struct rp_addr *src,
    const struct rp_addr *dst, uint8_t proto, uint16_t l4len, uint16_t ipid)
{
	if (src->family != dst->family)
		return -1;
	if (addr_is_v6(src)) {
		struct libnet_in6_addr s, d;
		memcpy(&s, src->b, 16);
		memcpy(&d, dst->b, 16);
		*tag = libnet_build_ipv6(0, 0, l4len, proto, PROBE_TTL, s, d, NULL, 0, l, *tag);
	} else {
		uint32_t s, d;
		memcpy(&s, src->b, 4);
		memcpy(&d, dst->b, 4);
		*tag = libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + l4len), 0, ipid, 0, PROBE_TTL,
		    proto, 0, s, d, NULL, 0, l, *tag);
	}
	return *tag == -1 ? -1 : 0;
}
