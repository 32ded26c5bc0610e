/* The sender's Ethernet path for IPv4 probes: an AF_PACKET socket bound to
 * the egress interface, with each frame's destination MAC that of the next
 * hop the kernel's routing and neighbour tables give.  It skips the raw IP
 * socket's per-packet route lookup, netfilter OUTPUT/POSTROUTING hooks and
 * neighbour output.  Every destination it cannot resolve (not routed out of
 * this interface, neighbour not yet known, a lookup error) is left to the
 * raw IP socket: the caller asks per probe, and an unresolved destination
 * is asked again after 1, 2, 4, ... and then every 1024 probes, so that the
 * ARP the raw socket's first packets trigger is picked up. */
#ifndef RP_SEND_ETHPATH_H
#define RP_SEND_ETHPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETHPATH_HLEN 14          /* Ethernet header */

struct ethpath;

/* As root (before the privilege drop): the packet socket bound to iface and
 * what resolving needs.  NULL with a message in err when iface is not an
 * Ethernet interface or a socket cannot be opened. */
struct ethpath *ethpath_open(const char *iface, char *err, size_t errlen);
void            ethpath_free(struct ethpath *);
int             ethpath_fd(const struct ethpath *);
int             ethpath_ifindex(const struct ethpath *);

/* Writes the Ethernet header for an IPv4 packet from src to dst (network
 * byte order, 4 bytes each) into hdr; false when this destination must take
 * the raw IP path. */
bool ethpath_header(struct ethpath *, const uint8_t src[4], const uint8_t dst[4],
                    uint8_t hdr[ETHPATH_HLEN]);

/* What an RTM_NEWROUTE answer says about the route, from a netlink buffer. */
struct ethpath_route {
	uint8_t  type;           /* RTN_UNICAST, ... */
	int      oif;            /* 0 when absent */
	bool     has_gw;
	uint8_t  gw[4];
	int      error;          /* from an NLMSG_ERROR answer, else 0 */
};
/* Parses the first message of the answer to request seq; 0, or -1 when it
 * is malformed, for another request or neither a route nor an error.  The
 * bytes come from the kernel, but are parsed like any other. */
int ethpath_parse_route(const uint8_t *buf, size_t len, uint32_t seq, struct ethpath_route *);

#endif
