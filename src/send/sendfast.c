#include "send/sendfast.h"
#include "lib/be.h"
#include "send/ethpath.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>

#define IP_HLEN        20
#define MAX_TEMPLATES  8

/* A packet libnet built for one kind from one source address. */
struct template {
	const struct probe_kind *kind;
	uint32_t                 src;        /* network byte order */
	uint8_t                  pkt[SENDFAST_MAXPKT];
	size_t                   len;
};

/* Packets waiting for one sendmmsg on one socket. */
struct batch {
	int                fd;
	uint8_t            buf[SENDFAST_BATCH][ETHPATH_HLEN + SENDFAST_MAXPKT];
	struct iovec       iov[SENDFAST_BATCH];
	struct sockaddr_in to[SENDFAST_BATCH];
	struct mmsghdr     msg[SENDFAST_BATCH];
	size_t             n;
};

struct sendfast {
	libnet_t          *l;                 /* LIBNET_NONE: builds, never sends */
	struct template    tmpl[MAX_TEMPLATES];
	size_t             ntmpl;
	struct ethpath    *link;              /* Ethernet frames, or NULL */
	struct sockaddr_ll ll;                /* where they go */
	bool               link_failed;       /* the packet socket refused one */
	char               link_err[96];      /* why */
	struct sendfast_paths paths;
	struct batch       ip, eth;
};

struct sendfast *
sendfast_new(int fd, char *err, size_t errlen)
{
	char lerr[LIBNET_ERRBUF_SIZE] = "";
	struct sendfast *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->ip.fd = fd;
	f->eth.fd = -1;
	f->l = libnet_init(LIBNET_NONE, NULL, lerr);
	if (!f->l) {
		snprintf(err, errlen, "libnet: %s", lerr);
		free(f);
		return NULL;
	}
	return f;
}

void
sendfast_free(struct sendfast *f)
{
	if (!f)
		return;
	libnet_destroy(f->l);
	ethpath_free(f->link);
	free(f);
}

void
sendfast_set_link(struct sendfast *f, struct ethpath *o)
{
	ethpath_free(f->link);
	f->link = o;
	f->eth.fd = o ? ethpath_fd(o) : -1;
	f->ll = (struct sockaddr_ll){ .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
	    .sll_ifindex = o ? ethpath_ifindex(o) : 0 };
}

bool
sendfast_can(const struct probe_kind *k, const struct rp_addr *src, const struct rp_addr *dst)
{
	return k && k->patch && !addr_is_v6(src) && !addr_is_v6(dst) &&
	    (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP);
}

/* libnet builds the kind's packet for this probe, the once per kind and
 * source; the result's bytes become the template. */
static const struct template *
template_for(struct sendfast *f, const struct probe_kind *k, const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c, char *err,
    size_t errlen)
{
	libnet_ptag_t tags[PROBE_MAX_TAGS] = { 0 };
	struct template *t;
	uint32_t s, len = 0;
	uint8_t *pkt = NULL;
	size_t i;

	memcpy(&s, src->b, 4);
	for (i = 0; i < f->ntmpl; i++)
		if (f->tmpl[i].kind == k && f->tmpl[i].src == s)
			return &f->tmpl[i];
	if (f->ntmpl == MAX_TEMPLATES) {
		snprintf(err, errlen, "too many probe templates");
		return NULL;
	}
	libnet_clear_packet(f->l);
	if (k->build(f->l, tags, src, dst, dport, c) != 0 ||
	    libnet_pblock_coalesce(f->l, &pkt, &len) < 0) {
		snprintf(err, errlen, "libnet: %s", libnet_geterror(f->l));
		return NULL;
	}
	t = &f->tmpl[f->ntmpl];
	if (len > sizeof(t->pkt) || len < IP_HLEN || (pkt[0] & 0x0f) != IP_HLEN / 4) {
		snprintf(err, errlen, "%s template of %u bytes not supported", k->name, len);
		free(pkt);
		return NULL;
	}
	t->kind = k;
	t->src = s;
	memcpy(t->pkt, pkt, len);
	t->len = len;
	free(pkt);
	f->ntmpl++;
	return t;
}

/* The ones' complement sum of RFC 1071 over b, folded into 16 bits. */
static uint32_t
sum16(uint32_t acc, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	return acc;
}

static uint16_t
fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Fixes the IP header's checksum and the transport checksum (with the
 * pseudo-header of src, dst, protocol and length). */
static void
checksums(uint8_t *pkt, size_t len)
{
	uint8_t *l4 = pkt + IP_HLEN;
	size_t l4len = len - IP_HLEN, at = pkt[9] == IPPROTO_TCP ? 16 : 6;
	uint32_t acc;

	be_put16(pkt + 10, 0);
	be_put16(pkt + 10, fold(sum16(0, pkt, IP_HLEN)));
	if (l4len < at + 2)
		return;
	be_put16(l4 + at, 0);
	acc = sum16(0, pkt + 12, 8) + pkt[9] + (uint32_t)l4len;
	be_put16(l4 + at, fold(sum16(acc, l4, l4len)));
}

int
sendfast_build(struct sendfast *f, const struct probe_kind *k, const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c, uint8_t *buf,
    char *err, size_t errlen)
{
	const struct template *t = template_for(f, k, src, dst, dport, c, err, errlen);

	if (!t)
		return -1;
	memcpy(buf, t->pkt, t->len);
	be_put16(buf + 4, c->ipid);
	memcpy(buf + 16, dst->b, 4);
	k->patch(buf + IP_HLEN, t->len - IP_HLEN, dport, c);
	checksums(buf, t->len);
	return (int)t->len;
}

/* Queues the packet of len bytes in the batch's next buffer, to name. */
static void
queue(struct batch *b, size_t len, void *name, socklen_t namelen)
{
	size_t i = b->n++;

	b->iov[i] = (struct iovec){ .iov_base = b->buf[i], .iov_len = len };
	b->msg[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = name, .msg_namelen = namelen,
	    .msg_iov = &b->iov[i], .msg_iovlen = 1 } };
}

/* An IP packet goes to the destination in its header. */
static void
queue_ip(struct batch *b, size_t len)
{
	size_t i = b->n;

	b->to[i] = (struct sockaddr_in){ .sin_family = AF_INET };
	memcpy(&b->to[i].sin_addr, b->buf[i] + 16, 4);
	queue(b, len, &b->to[i], sizeof(b->to[i]));
}

/* Queues the probe's Ethernet frame when the next hop is known, else its
 * IP packet for the raw socket. */
int
sendfast_add(struct sendfast *f, const struct probe_kind *k, const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c, char *err,
    size_t errlen)
{
	uint8_t hdr[ETHPATH_HLEN];
	bool eth = f->link && !f->link_failed && ethpath_header(f->link, src->b, dst->b, hdr);
	struct batch *b = eth ? &f->eth : &f->ip;
	size_t i = b->n, h = eth ? ETHPATH_HLEN : 0;
	int len;

	if (i == SENDFAST_BATCH)
		return -1;       /* the caller flushes at batch boundaries */
	len = sendfast_build(f, k, src, dst, dport, c, b->buf[i] + h, err, errlen);
	if (len < 0)
		return -1;
	memcpy(b->buf[i], hdr, h);
	if (eth)
		queue(b, (size_t)len + h, &f->ll, sizeof(f->ll));
	else
		queue_ip(b, (size_t)len);
	return 0;
}

size_t
sendfast_pending(const struct sendfast *f)
{
	return f->ip.n + f->eth.n;
}

/* Sends the batch from its first packet on; returns how many it went
 * through (sent or given up).  With give_up false it stops at the first
 * refusal instead, so that the rest can take the other path. */
static size_t
batch_send(struct batch *b, bool give_up, struct sendfast_count *n, char *err, size_t errlen)
{
	size_t at = 0;
	int r, intr = 0;

	/* Each round sends at least one packet or gives one up, but for a few
	 * interrupted calls: bounded. */
	while (at < b->n) {
		r = sendmmsg(b->fd, &b->msg[at], (unsigned)(b->n - at), 0);
		if (r > 0) {
			n->sent += (unsigned)r;
			at += (size_t)r;
		} else if (r < 0 && errno == EINTR && intr++ < 16) {
			continue;
		} else if (!give_up) {
			break;
		} else {
			if (n->failed++ == 0)
				snprintf(err, errlen, "sendmmsg: %s", r < 0 ? strerror(errno) : "nothing sent");
			at++;
		}
	}
	return at;
}

/* Moves the frames the packet socket refused to the raw IP socket's batch
 * (both hold at most SENDFAST_BATCH together: the caller flushes). */
static void
eth_to_ip(struct sendfast *f, size_t from)
{
	size_t i, len;

	for (i = from; i < f->eth.n && f->ip.n < SENDFAST_BATCH; i++) {
		len = f->eth.iov[i].iov_len - ETHPATH_HLEN;
		memcpy(f->ip.buf[f->ip.n], f->eth.buf[i] + ETHPATH_HLEN, len);
		queue_ip(&f->ip, len);
	}
}

struct sendfast_count
sendfast_flush(struct sendfast *f, char *err, size_t errlen)
{
	struct sendfast_count n = { 0, 0 };
	size_t done = batch_send(&f->eth, false, &n, err, errlen);

	f->paths.eth += n.sent;
	/* Whatever fails on the packet socket goes out the raw IP way, and
	 * so does everything after: one error and the link path is given up. */
	if (done < f->eth.n) {
		snprintf(f->link_err, sizeof(f->link_err), "%s", strerror(errno));
		f->paths.link_error = f->link_err;
		eth_to_ip(f, done);
		f->link_failed = true;
	}
	f->eth.n = 0;
	done = n.sent;
	batch_send(&f->ip, true, &n, err, errlen);
	f->paths.ip += n.sent - done;
	f->ip.n = 0;
	return n;
}

struct sendfast_paths
sendfast_paths(const struct sendfast *f)
{
	return f->paths;
}
