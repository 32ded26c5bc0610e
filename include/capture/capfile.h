/* What an agent (sender or listener) says about its own capture: where it
 * ran, the window it covered and what it lost.  Written next to its pcap as
 * JSON; the correlator trusts no capture without it. */
#ifndef RP_CAPTURE_CAPFILE_H
#define RP_CAPTURE_CAPFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"

#define CAPFILE_SCHEMA "ruleproof-capture/1"

struct capfile {
	char     role[8];          /* "send" or "listen" */
	char     endpoint[64];
	char     iface[32];
	char     addr[48];
	char     pcap[128];        /* file name, relative to the run directory */
	int64_t  started_us;       /* capture live from (CLOCK_REALTIME, us) */
	int64_t  finished_us;      /* capture live until */
	struct capture_stats cap;
	uint64_t sent;             /* probes handed to the kernel (senders) */
	uint64_t send_errors;
	bool     interrupted;      /* stopped by a signal before the end */
	bool     complete;         /* pcap written and closed without error */
	char     error[160];       /* why not complete, or "" */
	char     privileges[96];   /* how it ran once its sockets were open */
};

/* The file is created (never overwritten) before an agent gives up root,
 * and written at its end through the open descriptor. */
int capfile_create(const char *path, char *err, size_t errlen);
int capfile_write_fd(const struct capfile *, int fd, char *err, size_t errlen);
int capfile_write(const struct capfile *, const char *path, char *err, size_t errlen);
int capfile_read(struct capfile *, const char *path, char *err, size_t errlen);

#endif
