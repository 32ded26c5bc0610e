#include "capture/capture.h"

#include "lib/errfmt.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Enough for the headers the correlator reads, with room for IP options
 * and an ICMP quote; payload is not evidence. */
/* Room for a ClientHello in one segment (TLS probes are parsed from both
 * captures); a SYN or a reply is far shorter and costs no more. */
#define CAPTURE_SNAPLEN 2048
#define CAPTURE_BUFFER  (8 * 1024 * 1024)

/* Records are gathered here and written a block at a time: at a few
 * hundred thousand packets a second, stdio's small default buffer made the
 * writes most of the sender's own time. */
#define CAPTURE_WBUF (256 * 1024)

struct capture {
	pcap_t        *pc;
	pcap_dumper_t *dump;
	uint64_t       packets;
	uint8_t       *wbuf;
	size_t         wlen;
	void         (*sink)(void *, const uint8_t *, size_t);
	void          *sink_arg;
};

static int
activate(struct capture *c, const char *iface, const char *filter, char *err, size_t errlen)
{
	struct bpf_program prog;
	int rc;

	if (pcap_set_snaplen(c->pc, CAPTURE_SNAPLEN) != 0 ||
	    pcap_set_promisc(c->pc, 0) != 0 ||
	    pcap_set_immediate_mode(c->pc, 1) != 0 ||
	    pcap_set_buffer_size(c->pc, CAPTURE_BUFFER) != 0 ||
	    pcap_set_tstamp_precision(c->pc, PCAP_TSTAMP_PRECISION_MICRO) != 0)
		return errfmt(err, errlen, "%s: cannot configure capture", iface);
	rc = pcap_activate(c->pc);
	if (rc < 0)
		return errfmt(err, errlen, "%s: %s", iface, pcap_geterr(c->pc));
	if (pcap_compile(c->pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
		return errfmt(err, errlen, "filter '%s': %s", filter, pcap_geterr(c->pc));
	rc = pcap_setfilter(c->pc, &prog);
	pcap_freecode(&prog);
	if (rc != 0)
		return errfmt(err, errlen, "filter '%s': %s", filter, pcap_geterr(c->pc));
	if (pcap_setnonblock(c->pc, 1, err) != 0)
		return -1;
	return 0;
}

struct capture *
capture_open(const char *iface, const char *filter, const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = calloc(1, sizeof(*c));

	if (!c) {
		errfmt(err, errlen, "out of memory");
		return NULL;
	}
	c->wbuf = malloc(CAPTURE_WBUF);
	c->pc = c->wbuf ? pcap_create(iface, ebuf) : NULL;
	if (!c->pc) {
		errfmt(err, errlen, "%s: %s", iface, c->wbuf ? ebuf : "out of memory");
		free(c->wbuf);
		free(c);
		return NULL;
	}
	if (activate(c, iface, filter, err, errlen) != 0)
		goto bad;
	c->dump = pcap_dump_open(c->pc, path);
	if (!c->dump) {
		errfmt(err, errlen, "%s: %s", path, pcap_geterr(c->pc));
		goto bad;
	}
	/* The header goes to disk now: an unwritable file fails here, before a
	 * single probe is sent. */
	if (pcap_dump_flush(c->dump) != 0) {
		errfmt(err, errlen, "%s: cannot write", path);
		goto bad;
	}
	return c;
bad:
	if (c->dump)
		pcap_dump_close(c->dump);
	pcap_close(c->pc);
	free(c->wbuf);
	free(c);
	return NULL;
}

int
capture_fd(const struct capture *c)
{
	return pcap_get_selectable_fd(c->pc);
}

int
capture_datalink(const struct capture *c)
{
	return pcap_datalink(c->pc);
}

void
capture_set_sink(struct capture *c, void (*fn)(void *, const uint8_t *, size_t), void *arg)
{
	c->sink = fn;
	c->sink_arg = arg;
}

static void
wflush(struct capture *c)
{
	if (c->wlen)
		fwrite(c->wbuf, c->wlen, 1, pcap_dump_file(c->dump));
	c->wlen = 0;
}

/* One record as pcap_dump() writes it: the classic pcap record header
 * (32-bit seconds and microseconds, captured and original length, in host
 * order), then the bytes. */
static void
dump_record(struct capture *c, const struct pcap_pkthdr *h, const u_char *bytes)
{
	uint32_t hdr[4] = { (uint32_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, h->caplen, h->len };

	if (c->wlen + sizeof(hdr) + h->caplen > CAPTURE_WBUF)
		wflush(c);
	if (sizeof(hdr) + h->caplen > CAPTURE_WBUF) {
		/* Never with our snap length; kept exact if it ever happens. */
		fwrite(hdr, sizeof(hdr), 1, pcap_dump_file(c->dump));
		fwrite(bytes, h->caplen, 1, pcap_dump_file(c->dump));
		return;
	}
	memcpy(c->wbuf + c->wlen, hdr, sizeof(hdr));
	memcpy(c->wbuf + c->wlen + sizeof(hdr), bytes, h->caplen);
	c->wlen += sizeof(hdr) + h->caplen;
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)(void *)user;

	dump_record(c, h, bytes);
	c->packets++;
	if (c->sink)
		c->sink(c->sink_arg, bytes, h->caplen);
}

int
capture_drain(struct capture *c, char *err, size_t errlen)
{
	int n, total = 0;

	/* Bounded: a flood cannot keep this loop from returning to its caller. */
	for (int rounds = 0; rounds < 64; rounds++) {
		n = pcap_dispatch(c->pc, -1, on_packet, (u_char *)c);
		if (n < 0)
			return errfmt(err, errlen, "capture: %s", pcap_geterr(c->pc));
		if (n == 0)
			break;
		total += n;
	}
	/* On disk after every drain, as with stdio's own buffering before: a
	 * write per batch of packets instead of two per packet. */
	wflush(c);
	return total;
}

int
capture_close(struct capture *c, struct capture_stats *st, char *err, size_t errlen)
{
	struct pcap_stat ps = { 0 };
	int rc = 0;
	FILE *f;

	if (capture_drain(c, err, errlen) < 0)
		rc = -1;
	if (pcap_stats(c->pc, &ps) != 0 && rc == 0)
		rc = errfmt(err, errlen, "capture statistics: %s", pcap_geterr(c->pc));
	st->packets = c->packets;
	st->recv = ps.ps_recv;
	st->drop = ps.ps_drop;
	st->ifdrop = ps.ps_ifdrop;
	wflush(c);
	f = pcap_dump_file(c->dump);
	if ((pcap_dump_flush(c->dump) != 0 || ferror(f)) && rc == 0)
		rc = errfmt(err, errlen, "pcap file could not be written completely");
	/* pcap_dump_close() hides fclose()'s result, so close through stdio. */
	if (fclose(f) != 0 && rc == 0)
		rc = errfmt(err, errlen, "pcap file could not be written completely");
	pcap_close(c->pc);
	free(c->wbuf);
	free(c);
	return rc;
}
