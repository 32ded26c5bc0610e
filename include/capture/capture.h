/* A live capture written to a pcap file: one per agent.  Counts the
 * kernel's drops so that a lossy capture can never support a verdict. */
#ifndef RP_CAPTURE_CAPTURE_H
#define RP_CAPTURE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture_stats {
	uint64_t packets;   /* written to the file */
	uint64_t recv;      /* pcap_stats ps_recv */
	uint64_t drop;      /* ps_drop: buffer overflow */
	uint64_t ifdrop;    /* ps_ifdrop: interface drops */
};

struct capture;

/* Opens iface (in the caller's network namespace), applies the BPF filter,
 * and creates the pcap file at path. */
struct capture *capture_open(const char *iface, const char *filter, const char *path,
                             char *err, size_t errlen);
/* A descriptor that polls readable when packets wait. */
int  capture_fd(const struct capture *);
int  capture_datalink(const struct capture *);
/* Also hands every captured packet to fn (after writing it), e.g. for a
 * sender that watches for answers while it sends. */
void capture_set_sink(struct capture *,
                      void (*fn)(void *arg, const uint8_t *frame, size_t caplen),
                      void *arg);
/* Writes every packet that is waiting; returns how many, or -1. */
int  capture_drain(struct capture *, char *err, size_t errlen);
/* Reads the drop counters, flushes and closes the file.  Returns -1 if the
 * file could not be written completely (e.g. disk full). */
int  capture_close(struct capture *, struct capture_stats *, char *err, size_t errlen);

#endif
