#include "send/ethpath.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/errfmt.h"
#include "lib/rd.h"

#define CACHE_PAIRS   4096          /* (src, dst) pairs; more take the IP path */
/* Twice the pairs: the table never fills, so that a pair not in it is found
 * absent at the next free slot, not after a scan of every slot per probe. */
#define CACHE_BITS    13
#define CACHE_SLOTS   (1u << CACHE_BITS)
#define RETRY_EVERY   1024
#define NL_ALIGN(n)   (((n) + 3u) & ~3u)

/* One (src, dst) pair's resolution: the next hop's MAC, or how many probes
 * took the IP path since it was last asked. */
struct slot {
	uint64_t key;               /* src << 32 | dst */
	bool     used, ok;
	uint8_t  mac[ETH_ALEN];
	uint32_t misses;
};

struct ethpath {
	int         fd, nl, inet, ifindex;
	char        ifname[IF_NAMESIZE];
	uint8_t     mac[ETH_ALEN];
	uint32_t    seq;
	size_t      npairs;
	struct slot cache[CACHE_SLOTS];
};

static int
iface_mac(struct ethpath *o, char *err, size_t errlen)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", o->ifname);
	if (ioctl(o->inet, SIOCGIFHWADDR, &ifr) != 0)
		return errfmt(err, errlen, "%s: %s", o->ifname, strerror(errno));
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return errfmt(err, errlen, "%s is not an Ethernet interface", o->ifname);
	memcpy(o->mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

/* Bound with protocol 0: the socket only sends, the kernel queues nothing
 * to it.  The qdisc is not bypassed: PACKET_QDISC_BYPASS also skips the
 * taps (dev_queue_xmit_nit), and the sender's own capture must see every
 * probe it sends. */
static int
open_packet(struct ethpath *o, char *err, size_t errlen)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = 0 };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };

	o->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	o->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (o->fd < 0 || o->nl < 0)
		return errfmt(err, errlen, "socket: %s", strerror(errno));
	/* A lookup waits this long at most for the kernel's answer. */
	if (setsockopt(o->nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
		return errfmt(err, errlen, "netlink: %s", strerror(errno));
	sll.sll_ifindex = o->ifindex;
	if (bind(o->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		return errfmt(err, errlen, "bind %s: %s", o->ifname, strerror(errno));
	return 0;
}

struct ethpath *
ethpath_open(const char *iface, char *err, size_t errlen)
{
	struct ethpath *o = calloc(1, sizeof(*o));

	if (!o) {
		errfmt(err, errlen, "out of memory");
		return NULL;
	}
	o->fd = o->nl = -1;
	snprintf(o->ifname, sizeof(o->ifname), "%s", iface ? iface : "");
	o->ifindex = (int)if_nametoindex(o->ifname);
	o->inet = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (o->ifindex <= 0 || o->inet < 0) {
		errfmt(err, errlen, "%s: %s", o->ifname, strerror(errno));
		ethpath_free(o);
		return NULL;
	}
	if (iface_mac(o, err, errlen) != 0 || open_packet(o, err, errlen) != 0) {
		ethpath_free(o);
		return NULL;
	}
	return o;
}

void
ethpath_free(struct ethpath *o)
{
	if (!o)
		return;
	if (o->fd >= 0)
		close(o->fd);
	if (o->nl >= 0)
		close(o->nl);
	if (o->inet >= 0)
		close(o->inet);
	free(o);
}

int
ethpath_fd(const struct ethpath *o)
{
	return o->fd;
}

int
ethpath_ifindex(const struct ethpath *o)
{
	return o->ifindex;
}

static uint32_t
rd_host32(struct rd *r)
{
	uint32_t v;

	rd_bytes(r, &v, sizeof(v));
	return v;
}

static uint16_t
rd_host16(struct rd *r)
{
	uint16_t v;

	rd_bytes(r, &v, sizeof(v));
	return v;
}

/* The route's attributes: output interface and gateway. */
static void
parse_attrs(struct rd *r, struct ethpath_route *rt)
{
	while (rd_ok(r) && rd_left(r) >= 4) {
		uint16_t alen = rd_host16(r), type = rd_host16(r);
		struct rd a;

		if (alen < 4) {
			r->err = true;
			return;
		}
		a = rd_sub(r, alen - 4u);
		rd_skip(r, NL_ALIGN(alen) - alen < rd_left(r) ? NL_ALIGN(alen) - alen : rd_left(r));
		if (type == RTA_OIF && rd_left(&a) == 4)
			rt->oif = (int)rd_host32(&a);
		else if (type == RTA_GATEWAY && rd_left(&a) == 4) {
			rd_bytes(&a, rt->gw, 4);
			rt->has_gw = true;
		}
	}
}

int
ethpath_parse_route(const uint8_t *buf, size_t len, uint32_t seq, struct ethpath_route *rt)
{
	struct rd r = rd_init(buf, len), m;
	uint32_t mlen;
	uint16_t type;

	memset(rt, 0, sizeof(*rt));
	mlen = rd_host32(&r);
	type = rd_host16(&r);
	rd_skip(&r, 2);
	if (rd_host32(&r) != seq || !rd_ok(&r) || mlen < 16 || mlen > len)
		return -1;
	rd_skip(&r, 4);
	m = rd_sub(&r, mlen - 16);
	if (type == NLMSG_ERROR) {
		int32_t e = (int32_t)rd_host32(&m);
		/* The kernel sends -errno; anything else is no answer either. */
		rt->error = e == 0 ? 0 : e < 0 && e > -4096 ? -e : EPROTO;
		return rd_ok(&m) ? 0 : -1;
	}
	if (type != RTM_NEWROUTE)
		return -1;
	/* struct rtmsg: family, dst_len, src_len, tos, table, protocol,
	 * scope, type, flags. */
	rd_skip(&m, 7);
	rt->type = rd_u8(&m);
	rd_skip(&m, 4);
	parse_attrs(&m, rt);
	return rd_ok(&m) ? 0 : -1;
}

static void
put_attr(uint8_t *at, uint16_t type, const uint8_t v[4])
{
	uint16_t alen = 8;

	memcpy(at, &alen, 2);
	memcpy(at + 2, &type, 2);
	memcpy(at + 4, v, 4);
}

/* Asks the kernel which way src -> dst leaves: 0 with the route, or -1. */
static int
route_get(struct ethpath *o, const uint8_t src[4], const uint8_t dst[4], struct ethpath_route *rt)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg    m;
		uint8_t         attrs[16];
	} req;
	uint8_t ans[4096];
	ssize_t n;
	int tries;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETROUTE;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = ++o->seq;
	req.m.rtm_family = AF_INET;
	req.m.rtm_dst_len = 32;
	req.m.rtm_src_len = 32;
	put_attr(req.attrs, RTA_DST, dst);
	put_attr(req.attrs + 8, RTA_SRC, src);
	if (send(o->nl, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return -1;
	/* Answers to earlier requests that timed out are skipped: bounded. */
	for (tries = 0; tries < 8; tries++) {
		n = recv(o->nl, ans, sizeof(ans), 0);
		if (n < 0)
			return -1;
		if (ethpath_parse_route(ans, (size_t)n, o->seq, rt) == 0)
			return rt->error ? -1 : 0;
	}
	return -1;
}

/* The next hop's MAC from the neighbour table, when it is complete. */
static bool
neigh_get(struct ethpath *o, const uint8_t hop[4], uint8_t mac[ETH_ALEN])
{
	struct arpreq req;
	struct sockaddr_in *pa = (struct sockaddr_in *)&req.arp_pa;

	memset(&req, 0, sizeof(req));
	pa->sin_family = AF_INET;
	memcpy(&pa->sin_addr, hop, 4);
	snprintf(req.arp_dev, sizeof(req.arp_dev), "%s", o->ifname);
	if (ioctl(o->inet, SIOCGARP, &req) != 0 || !(req.arp_flags & ATF_COM))
		return false;
	memcpy(mac, req.arp_ha.sa_data, ETH_ALEN);
	return true;
}

static bool
resolve(struct ethpath *o, const uint8_t src[4], const uint8_t dst[4], uint8_t mac[ETH_ALEN])
{
	struct ethpath_route rt;

	if (route_get(o, src, dst, &rt) != 0 || rt.type != RTN_UNICAST || rt.oif != o->ifindex)
		return false;
	return neigh_get(o, rt.has_gw ? rt.gw : dst, mac);
}

static struct slot *
slot_for(struct ethpath *o, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - CACHE_BITS));

	for (; o->cache[i].used; i = (i + 1) % CACHE_SLOTS)
		if (o->cache[i].key == key)
			return &o->cache[i];
	if (o->npairs == CACHE_PAIRS)
		return NULL;
	o->npairs++;
	o->cache[i].used = true;
	o->cache[i].key = key;
	return &o->cache[i];
}

bool
ethpath_header(struct ethpath *o, const uint8_t src[4], const uint8_t dst[4],
    uint8_t hdr[ETHPATH_HLEN])
{
	uint32_t s, d;
	struct slot *sl;

	memcpy(&s, src, 4);
	memcpy(&d, dst, 4);
	sl = slot_for(o, (uint64_t)s << 32 | d);
	if (!sl)
		return false;
	if (!sl->ok) {
		uint32_t m = sl->misses++;
		/* Asked on probes 1, 2, 4, ... then every RETRY_EVERY. */
		if ((m & (m + 1)) != 0 && (m + 1) % RETRY_EVERY != 0)
			return false;
		if (!resolve(o, src, dst, sl->mac))
			return false;
		sl->ok = true;
	}
	memcpy(hdr, sl->mac, ETH_ALEN);
	memcpy(hdr + ETH_ALEN, o->mac, ETH_ALEN);
	hdr[12] = ETHERTYPE_IP >> 8;
	hdr[13] = ETHERTYPE_IP & 0xff;
	return true;
}
