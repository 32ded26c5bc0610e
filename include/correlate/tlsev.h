/* The correlator's TLS evidence, kept beside the per-probe observations of
 * the raw kinds (only TLS probes have an entry).  A TLS probe's SYN is the
 * kernel's: only its keyed source port is ours, so its flows are told by
 * that port and followed by 4-tuple in both captures; the ClientHello that
 * arrived is told by its client random, looked up in the sender's TLS log
 * (which also survives port translation).  It feeds the SYN-level events
 * (sent, arrived, answered, reset, unreachable) to the correlator like any
 * kind, then refines the verdict with what happened to the ClientHello and
 * with the certificate checks, evaluated at the time the probe was sent. */
#ifndef RP_CORRELATE_TLSEV_H
#define RP_CORRELATE_TLSEV_H

#include <stdbool.h>
#include <stdint.h>

#include "correlate/evidence.h"
#include "capture/pkt.h"
#include "plan/plan.h"
#include "probe/probeid.h"
#include "tls/tlscert.h"
#include "tls/tlslog.h"
#include "tls/tlsrec.h"

/* What the report says about a TLS probe. */
struct tls_result {
	const struct tlslog_try *shown;          /* the try reported (handshake, else last), or NULL */
	uint32_t     tries_logged;
	char         sni_sent[256], sni_arrived[256];
	char         ja4_sent[TLS_JA4_SIZE], ja4_arrived[TLS_JA4_SIZE];
	char         random[2 * TLSLOG_RANDOM + 1];     /* of the shown try, hex, or "" */
	bool         hello_seen_sent;    /* in the sender's capture */
	bool         hello_arrived;      /* with one of our randoms, at the far side */
	bool         foreign_hello;      /* another random at the far side, same port, in time */
	uint32_t     hello_frame;        /* rx frame of the arrived ClientHello, 0 none */
	uint8_t      hello_seg;
	uint8_t      seg;                /* the run segment judged from: the shown try's */
	bool         generated_cert;     /* that segment's responder served its own certificate */
	char         reason[320];        /* why the TLS class (or why none) */
	/* The chain the sender recorded, leaf facts, and the checks. */
	const struct tlscert_chain *chain;
	const struct tlscert_chain *inside;     /* the listener's, or NULL */
	bool                         evaluated;
	struct tlscert_eval          eval;
	long                         days_left;
	bool                         same_as_peers_known, same_as_peers;
};

struct tlsev;

/* NULL if the plan has no TLS probe (nothing to do) or out of memory
 * (*oom set).  Reads the sender and listener TLS logs from dir; a missing
 * or broken log is recorded (tlsev_log_problem), not fatal. */
struct tlsev *tlsev_new(const struct plan *, const uint8_t key[PROBEID_KEYLEN], const char *dir,
                        bool *oom);
void          tlsev_free(struct tlsev *);
const char   *tlsev_log_problem(const struct tlsev *);
void          tlsev_set_ca(struct tlsev *, const char *ca_file);

/* One captured packet; true when it belongs to a TLS probe's flow (then no
 * other kind looks at it).  Events go to sink. */
bool tlsev_packet(struct tlsev *, const struct evidence_sink *, struct probeid *, const struct pkt *,
                  int64_t ts_us, uint32_t frame, uint8_t seg, size_t endpoint, bool at_sender);
/* Around each capture file read (flows do not span capture files). */
void tlsev_capture_begin(struct tlsev *, size_t endpoint, bool at_sender);
void tlsev_capture_done(struct tlsev *);

/* Refines a TLS probe's result (its SYN-level class is in r); doubt is why
 * the far side's silence cannot be trusted (INC_NONE when it can); skew_us
 * widens the window for another's ClientHello. */
void tlsev_classify(struct tlsev *, uint32_t id, struct probe_result *r,
                    enum inconclusive_reason doubt, int64_t skew_us);
const struct tls_result *tlsev_result(const struct tlsev *, uint32_t id);
/* Whether two probes' certificates say anything about each other: not when
 * they come from different run segments and a responder made one of them. */
bool tls_result_comparable(const struct tls_result *, const struct tls_result *);

#endif
