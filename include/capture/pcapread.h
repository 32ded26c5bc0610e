/* Reading a capture file a batch of records at a time.  A classic pcap file
 * (either byte order, micro- or nanosecond timestamps, versions 2.0-2.4) of
 * a link type the dissector reads is read in large blocks and its records
 * are walked in place with the bounds-checked reader: no copy and no call
 * per packet, which is most of what libpcap costs on a million-probe run.
 * Anything else (pcapng, other link types, a file too short for a pcap
 * header) goes through libpcap, one record per batch.  Either way a file
 * reads, or is refused, as libpcap reads it, in its words: timestamps in
 * microseconds, a record cut to the file's snap length. */
#ifndef RP_CAPTURE_PCAPREAD_H
#define RP_CAPTURE_PCAPREAD_H

#include <stddef.h>
#include <stdint.h>

struct pcap_rec {
	int64_t        ts_us;
	const uint8_t *data;
	uint32_t       caplen;
};

struct pcapread;

/* NULL with the reason in err (without the path) when the file cannot be
 * opened or is not a capture file. */
struct pcapread *pcapread_open(const char *path, char *err, size_t errlen);
void             pcapread_close(struct pcapread *);
/* The link type as a DLT_ value (pcap/dlt.h). */
int              pcapread_dlt(const struct pcapread *);
/* Up to max next records into rec; their data stays valid until the next
 * call.  Returns how many (0 at the end of the file), or -1 with the
 * reason in err when the file is damaged there; the records before the
 * damage have all been returned by then. */
int              pcapread_next(struct pcapread *, struct pcap_rec *rec, int max, char *err,
                               size_t errlen);

#endif
