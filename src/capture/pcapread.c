#include "capture/pcapread.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/rd.h"

#define PCAP_FILE_HDR   24
#define PCAP_REC_HDR    16
/* libpcap's bound on a record of the link types read here. */
#define PCAP_MAX_SNAP   262144u
/* Blocks read at once: large enough that the read() calls cost nothing
 * per packet, small enough to stay a small part of the correlator's
 * memory; always more than the largest record. */
#define BLOCK           (1u << 20)
/* The link types of the file format (they differ from DLT_ values). */
#define LINKTYPE_ETHERNET  1
#define LINKTYPE_RAW       101
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4      228

struct pcapread {
	int      fd;                 /* classic pcap read in blocks, or -1 */
	pcap_t  *pc;                 /* anything else, through libpcap */
	bool     big_endian, nano;
	bool     swapped;            /* not in the host's byte order */
	/* pcap format 2.3 and older may have caplen and len the wrong way
	 * round (libpcap's lengths_swapped). */
	bool     lens_swapped, lens_maybe_swapped;
	uint32_t snap;
	int      dlt;
	uint8_t *buf;
	size_t   len, off;           /* bytes in buf, bytes consumed */
	bool     eof;
};

static uint32_t
field32(struct rd *r, bool big_endian)
{
	uint32_t v = rd_be32(r);
	return big_endian ? v : __builtin_bswap32(v);
}

static uint16_t
field16(struct rd *r, bool big_endian)
{
	uint16_t v = rd_be16(r);
	return big_endian ? v : __builtin_bswap16(v);
}

/* The magic, read big-endian, tells the byte order and the precision:
 * anything but the four classic ones is libpcap's. */
static bool
classic_magic(uint32_t magic, struct pcapread *r)
{
	switch (magic) {
	case 0xd4c3b2a1: r->big_endian = false; r->nano = false; return true;
	case 0x4d3cb2a1: r->big_endian = false; r->nano = true; return true;
	case 0xa1b2c3d4: r->big_endian = true; r->nano = false; return true;
	case 0xa1b23c4d: r->big_endian = true; r->nano = true; return true;
	default: return false;
	}
}

/* Reads until buf is full or the file ends; false on a read error. */
static bool
fill(struct pcapread *r)
{
	memmove(r->buf, r->buf + r->off, r->len - r->off);
	r->len -= r->off;
	r->off = 0;
	while (!r->eof && r->len < BLOCK) {
		ssize_t n = read(r->fd, r->buf + r->len, BLOCK - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			r->eof = true;
		r->len += (size_t)n;
	}
	return true;
}

/* The file header of a classic pcap file; false (and nothing consumed)
 * when the file is not one, or one libpcap must judge. */
static bool
classic_header(struct pcapread *r)
{
	struct rd h = rd_init(r->buf, r->len);
	uint16_t major, minor;
	uint32_t linktype;

	if (r->len < PCAP_FILE_HDR || !classic_magic(rd_be32(&h), r))
		return false;
	r->swapped = r->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	major = field16(&h, r->big_endian);
	minor = field16(&h, r->big_endian);
	rd_skip(&h, 8);                  /* thiszone, sigfigs */
	r->snap = field32(&h, r->big_endian);
	linktype = field32(&h, r->big_endian);
	/* Versions 2.0 to 2.4 are read here; libpcap refuses the others, or
	 * knows their quirks. */
	if (major != 2 || minor > 4)
		return false;
	r->lens_swapped = minor < 3;
	r->lens_maybe_swapped = minor == 3;
	/* libpcap keeps the snap length as an int: a "negative" one, or 0,
	 * reads as the largest. */
	if (r->snap == 0 || r->snap > INT32_MAX)
		r->snap = PCAP_MAX_SNAP;
	/* The upper bits hold FCS flags and the like.  Only the link types the
	 * dissector reads come here: libpcap knows the others' limits. */
	switch (linktype & 0x03ffffff) {
	case LINKTYPE_ETHERNET: r->dlt = DLT_EN10MB; break;
	case LINKTYPE_RAW: r->dlt = DLT_RAW; break;
	case LINKTYPE_LINUX_SLL: r->dlt = DLT_LINUX_SLL; break;
	case LINKTYPE_IPV4: r->dlt = DLT_IPV4; break;
	default: return false;
	}
	r->off = PCAP_FILE_HDR;
	return true;
}

struct pcapread *
pcapread_open(const char *path, char *err, size_t errlen)
{
	struct pcapread *r = calloc(1, sizeof(*r));
	char ebuf[PCAP_ERRBUF_SIZE] = "";

	if (!r || !(r->buf = malloc(BLOCK))) {
		snprintf(err, errlen, "out of memory");
		pcapread_close(r);
		return NULL;
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd >= 0 && fill(r) && classic_header(r))
		return r;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!r->pc) {
		snprintf(err, errlen, "%s", ebuf);
		pcapread_close(r);
		return NULL;
	}
	r->dlt = pcap_datalink(r->pc);
	return r;
}

void
pcapread_close(struct pcapread *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->pc)
		pcap_close(r->pc);
	free(r->buf);
	free(r);
}

int
pcapread_dlt(const struct pcapread *r)
{
	return r->dlt;
}

/* One record through libpcap: its buffer lives until the next call. */
static int
next_libpcap(struct pcapread *r, struct pcap_rec *rec, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(r->pc, &h, &data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		snprintf(err, errlen, "%s", pcap_geterr(r->pc));
		return -1;
	}
	/* A pcapng timestamp can be out of range: wrapped, not undefined. */
	rec->ts_us = (int64_t)((uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec);
	rec->data = data;
	rec->caplen = h->caplen;
	return 1;
}

/* The record at off, if all of it is in the buffer: 1, 0 when more must
 * be read first, -1 when it cannot be read (err says why, in libpcap's
 * words). */
static int
walk_one(struct pcapread *r, struct pcap_rec *rec, char *err, size_t errlen)
{
	struct rd h = rd_init(r->buf + r->off, r->len - r->off);
	uint32_t sec, frac, caplen, len;
	int64_t s, f;

	if (rd_left(&h) < PCAP_REC_HDR) {
		if (r->eof && rd_left(&h) > 0)
			snprintf(err, errlen, "truncated dump file; tried to read %d header bytes, "
			    "only got %zu", PCAP_REC_HDR, rd_left(&h));
		return r->eof && rd_left(&h) > 0 ? -1 : 0;
	}
	sec = field32(&h, r->big_endian);
	frac = field32(&h, r->big_endian);
	caplen = field32(&h, r->big_endian);
	len = field32(&h, r->big_endian);
	if (r->lens_swapped || (r->lens_maybe_swapped && caplen > len))
		caplen = len;
	if (caplen > PCAP_MAX_SNAP) {
		if (caplen > r->snap)
			snprintf(err, errlen, "invalid packet capture length %u, bigger than snaplen "
			    "of %u", caplen, r->snap);
		else
			snprintf(err, errlen, "invalid packet capture length %u, bigger than maximum "
			    "of %u", caplen, PCAP_MAX_SNAP);
		return -1;
	}
	if (rd_left(&h) < caplen) {
		/* libpcap reads the snap length first, then the rest, and
		 * names what it was reading. */
		if (r->eof)
			snprintf(err, errlen, "truncated dump file; tried to read %u captured bytes, "
			    "only got %zu", rd_left(&h) < r->snap ? (caplen < r->snap ? caplen : r->snap) :
			    caplen, rd_left(&h));
		return r->eof ? -1 : 0;
	}
	/* As libpcap reads them: signed in a file of the host's byte order,
	 * unsigned in a swapped one. */
	s = r->swapped ? (int64_t)sec : (int64_t)(int32_t)sec;
	f = r->swapped ? (int64_t)frac : (int64_t)(int32_t)frac;
	rec->ts_us = s * 1000000 + (r->nano ? f / 1000 : f);
	rec->data = h.p + h.off;
	rec->caplen = caplen < r->snap ? caplen : r->snap;
	r->off += PCAP_REC_HDR + caplen;
	return 1;
}

int
pcapread_next(struct pcapread *r, struct pcap_rec *rec, int max, char *err, size_t errlen)
{
	int n = 0, rc;

	if (r->pc)
		return max > 0 ? next_libpcap(r, rec, err, errlen) : 0;
	/* Records already handed out live in buf: it is only refilled at the
	 * start of a call. */
	while (n < max && (rc = walk_one(r, &rec[n], err, errlen)) != 0) {
		if (rc < 0)
			return n > 0 ? n : -1;
		n++;
	}
	if (n > 0 || r->eof)
		return n;
	if (!fill(r)) {
		snprintf(err, errlen, "error reading dump file: %s", strerror(errno));
		return -1;
	}
	return pcapread_next(r, rec, max, err, errlen);
}
