/* The sender's TLS probes.  Each goes over a kernel TCP connection from the
 * sender's address and the probe's keyed source port (the only carrier a
 * kernel connection lets us choose), then an OpenSSL client handshake with
 * the plan's SNI and no verification (we record what is presented, we do
 * not trust it).  They run in a thread of their own beside the raw probes,
 * a bounded number at a time, each under a deadline; every try goes into
 * the sender's TLS log (tlslog.h). */
#ifndef RP_TLS_TLSCLIENT_H
#define RP_TLS_TLSCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/agent.h"
#include "plan/plan.h"

/* Is this probe sent over TLS (and so not as a raw SYN)? */
bool tlsc_is_tls(const struct probe *);
/* The longest n TLS probes can take, every try timing out, over
 * retries + 1 rounds: what a caller waiting for a sender must allow. */
uint64_t tlsc_budget_ms(uint32_t n, unsigned retries);
/* How many of endpoint's probes are TLS probes (not skipped). */
uint32_t tlsc_count(const struct agent_cfg *);

struct tlsc;

/* Before privileges are dropped: creates the log file (never overwritten)
 * and the client context.  NULL with err when that fails. */
struct tlsc *tlsc_open(const struct agent_cfg *, const char *log_path, char *err, size_t errlen);
/* Starts the thread; 0 or -1 (err). */
int  tlsc_start(struct tlsc *, char *err, size_t errlen);
/* Readable once the thread is done with every try, or -1 if none runs. */
int  tlsc_done_fd(const struct tlsc *);
bool tlsc_done(const struct tlsc *);
/* Asks the thread to stop at once (an interruption). */
void tlsc_stop(struct tlsc *);
/* Waits for the thread, writes the log; *first_tries gets how many probes
 * were tried at least once.  0, or -1 with err when the log cannot be
 * written.  Frees t. */
int  tlsc_finish(struct tlsc *t, uint64_t *first_tries, char *err, size_t errlen);

#endif
