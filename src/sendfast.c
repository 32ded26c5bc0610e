#include "sendfast.h"
#include "be.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define IP_HLEN        20
#define MAX_TEMPLATES  8

/* A packet libnet built for one kind from one source address. */
struct template {
	const struct probe_kind *kind;
	uint32_t                 src;        /* network byte order */
	uint8_t                  pkt[SENDFAST_MAXPKT];
	size_t                   len;
};

struct sendfast {
	int                fd;
	libnet_t          *l;                 /* LIBNET_NONE: builds, never sends */
	struct template    tmpl[MAX_TEMPLATES];
	size_t             ntmpl;
	uint8_t            buf[SENDFAST_BATCH][SENDFAST_MAXPKT];
	struct iovec       iov[SENDFAST_BATCH];
	struct sockaddr_in to[SENDFAST_BATCH];
	struct mmsghdr     msg[SENDFAST_BATCH];
	size_t             n;
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
	f->fd = fd;
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
	free(f);
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

int
sendfast_add(struct sendfast *f, const struct probe_kind *k, const struct rp_addr *src,
    const struct rp_addr *dst, uint16_t dport, const struct probe_carriers *c, char *err,
    size_t errlen)
{
	size_t i;
	int len;

	if (f->n == SENDFAST_BATCH)
		return -1;       /* the caller flushes at batch boundaries */
	i = f->n;
	len = sendfast_build(f, k, src, dst, dport, c, f->buf[i], err, errlen);
	if (len < 0)
		return -1;
	f->iov[i] = (struct iovec){ .iov_base = f->buf[i], .iov_len = (size_t)len };
	f->to[i] = (struct sockaddr_in){ .sin_family = AF_INET };
	memcpy(&f->to[i].sin_addr, dst->b, 4);
	f->msg[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &f->to[i],
	    .msg_namelen = sizeof(f->to[i]), .msg_iov = &f->iov[i], .msg_iovlen = 1 } };
	f->n++;
	return 0;
}

size_t
sendfast_pending(const struct sendfast *f)
{
	return f->n;
}

struct sendfast_count
sendfast_flush(struct sendfast *f, char *err, size_t errlen)
{
	struct sendfast_count n = { 0, 0 };
	size_t at = 0;
	int r, intr = 0;

	/* Each round sends at least one packet or gives one up, but for a few
	 * interrupted calls: bounded. */
	while (at < f->n) {
		r = sendmmsg(f->fd, &f->msg[at], (unsigned)(f->n - at), 0);
		if (r > 0) {
			n.sent += (unsigned)r;
			at += (size_t)r;
		} else if (r < 0 && errno == EINTR && intr++ < 16) {
			continue;
		} else {
			if (n.failed++ == 0)
				snprintf(err, errlen, "sendmmsg: %s", r < 0 ? strerror(errno) : "nothing sent");
			at++;
		}
	}
	f->n = 0;
	return n;
}
