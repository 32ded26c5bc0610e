/* The two agents of a run: a sender on a source-zone host and a listener on
 * a far-side host.  Each captures its own interface to a pcap and describes
 * that capture in a meta file (capture/capfile.h).  They run in the caller's
 * network namespace; the lab forks one process per agent after setns(). */
#ifndef RP_CAPTURE_AGENT_H
#define RP_CAPTURE_AGENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/sudouser.h"
#include "lib/log.h"
#include "plan/plan.h"
#include "probe/probeid.h"

/* Counters a sender keeps in memory shared with the process that started
 * it, for a live progress line. */
struct agent_progress {
	atomic_uint_fast64_t total;     /* probes this sender must send */
	atomic_uint_fast64_t sent;      /* probes sent, first tries */
	atomic_uint_fast64_t answered;  /* probes with an answer seen */
	atomic_uint_fast64_t retried;   /* further tries sent */
};

struct agent_cfg {
	const struct plan   *plan;
	size_t               endpoint;     /* whose probes to send / whose host this is */
	const char          *iface;
	const char          *pcap_path;
	const char          *pcap_name;    /* as recorded in the meta file */
	const char          *meta_path;
	const uint8_t       *key;          /* PROBEID_KEYLEN bytes */
	unsigned             rate;         /* probes per second (sender) */
	unsigned             linger_ms;    /* wait for late replies after the last probe */
	unsigned             retries;      /* resend rounds for probes without an answer */
	unsigned             max_seconds;  /* hard bound on the agent's life */
	int                  ready_fd;     /* gets one byte once the capture is live, or -1 */
	int                  stop_fd;      /* listener stops when readable or closed, or -1 */
	bool                 signal_stops; /* listener: a signal is the normal way to stop */
	struct agent_progress *progress;   /* sender: counters to update, or NULL */
	const uint8_t       *skip;         /* sender: per probe id, 1 = already judged, or NULL */
	/* TLS: the sender's or the listener's TLS log (tlslog.h), NULL for
	 * none; the listener's responder serves tls_cert/tls_key, or a test
	 * certificate made in memory when they are NULL. */
	const char          *tls_log_path;
	const char          *tls_cert, *tls_key;
	const struct rp_log *log;
	/* Who gets the capture and capture file (the user who ran sudo), set
	 * while still root; NULL leaves them to the creator. */
	const struct sudo_user *owner;
};

/* What both agents do around their own work (send/sender.h,
 * listen/listener.h): the capture, its capture file, the privilege drop,
 * and the end that seals them. */
struct capfile;
struct capture;

#define AGENT_NS_PER_S 1000000000LL

int64_t agent_now_ns(clockid_t);
void    agent_meta_init(struct capfile *, const struct agent_cfg *, const char *role);
/* One byte on fd (if >= 0) once the capture is live. */
void    agent_notify_ready(int fd);
/* Waits up to until_ns (CLOCK_MONOTONIC) for capture traffic, a signal or a
 * stop request, writing packets as they come.  Returns 2 on a signal, 1 if
 * asked to stop through stop_fd, 0 when the time is up, -1 on a capture
 * error (message in err). */
int     agent_wait_and_capture(struct capture *, int sigfd, int stop_fd, int64_t until_ns,
                               char *err, size_t errlen);
/* Creates the capture file, then opens the capture (pcap) and hands both to
 * cfg->owner; the capture file's descriptor, or -1 after saying why. */
int     agent_open_outputs(struct capfile *, struct capture **, const struct agent_cfg *);
/* Becomes nobody for good, recording how in the capture file; -1 on error. */
int     agent_drop_privileges(struct capfile *, const struct agent_cfg *);
/* Closes the capture and writes the capture file: the agent's exit status,
 * 0 done or 3 failed or interrupted. */
int     agent_finish(struct capfile *, struct capture *, int metafd, const struct agent_cfg *,
                     char *err, size_t errlen);

#endif
