/* The correlator: joins what each sender sent and got back with what each
 * listener saw arrive, by probe id, and decides per probe what the evidence
 * is and whether the firewall did what the profile says.  It works offline
 * from the run directory alone (plan, profile and site copies, pcaps and
 * their capture meta files). */
#ifndef RP_CORRELATE_CORRELATE_H
#define RP_CORRELATE_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "correlate/evidence.h"
#include "lib/addr.h"
#include "capture/capfile.h"
#include "plan/plan.h"
#include "probe/probekind.h"

struct tls_result;


struct corr;

struct corr *corr_new(const struct plan *);
void         corr_free(struct corr *);

/* Declares an agent's capture of endpoint, replacing any (NULL meta: no
 * capture); corr_add_capture adds one more segment. */
void corr_set_capture(struct corr *, size_t endpoint, bool at_sender, const struct capfile *);
void corr_add_capture(struct corr *, size_t endpoint, bool at_sender, const struct capfile *);
/* Feeds one piece of evidence captured at endpoint. */
void corr_event(struct corr *, const struct probe_match *, const struct pkt *, int64_t ts_us,
                size_t endpoint, bool at_sender);
/* Reads one capture file and feeds what it holds (as segment 0, or seg). */
int  corr_read_pcap(struct corr *, struct probeid *, const char *path, size_t endpoint,
                    bool at_sender, char *err, size_t errlen);
int  corr_read_pcap_seg(struct corr *, struct probeid *, const char *path, size_t endpoint,
                        bool at_sender, unsigned seg, char *err, size_t errlen);
/* Loads every capture the plan calls for from a run directory (tx-NAME and
 * rx-NAME .pcap and .json); a missing one is recorded, not fatal. */
int  corr_read_dir(struct corr *, const uint8_t key[PROBEID_KEYLEN], const char *dir,
                   char *err, size_t errlen);
/* The clock difference to tolerate between the sender's and the listener's
 * hosts: the far side must have been capturing from skew before a probe
 * left until skew after its last try could have arrived.  Default 0 (one
 * clock, as in the lab). */
void corr_set_skew(struct corr *, int64_t skew_us);
/* Audits that need proof: a verdict that rests on a reply's hop distance
 * alone (PROOF_HOP_DISTANCE) becomes inconclusive (`--require-proof`). */
void corr_require_proof(struct corr *, bool on);
/* The CA bundle the certificate checks' `trusted` verifies against (NULL:
 * the run directory's ca.pem if it has one, else the system's). */
void corr_set_ca(struct corr *, const char *ca_file);
/* What the TLS side table says about a TLS probe, NULL for any other. */
const struct tls_result *corr_tls(const struct corr *, uint32_t id);
/* A sender's or listener's TLS log that could not be read, or NULL. */
const char *corr_tls_problem(const struct corr *);
/* Decides every probe; call once after all events. */
void corr_finish(struct corr *);

/* A probe's result, judged when asked from its compact observations (only
 * arrivals and replies keep more than a few dozen bytes per probe).  The
 * result lives in one of a few slots used in turn: it stays valid for the
 * next 7 calls, so copy it to keep it longer.  NULL for an id out of the
 * plan. */
const struct probe_result *corr_result(const struct corr *, uint32_t id);
/* Rule index, or PLAN_RULE_DEFAULT for the negative probes. */
struct rule_summary corr_rule(const struct corr *, uint32_t rule);
struct rule_summary corr_total(const struct corr *);
/* Packets shaped like probe evidence that are not this run's (another run or
 * tool: wrong key, id outside the plan, tag mismatch), plus evidence of this
 * run seen at a host its probe does not involve. */
uint64_t corr_foreign(const struct corr *);
/* The first segment, how many there are, and one of them. */
const struct capfile *corr_capture(const struct corr *, size_t endpoint, bool at_sender);
size_t                   corr_ncaptures(const struct corr *, size_t endpoint, bool at_sender);
const struct capfile *corr_capture_at(const struct corr *, size_t endpoint, bool at_sender,
                                         size_t seg);

/* One line a person can check: what was seen, where, and why it counts. */
void probe_result_detail(const struct corr *, uint32_t id, char *buf, size_t len);

/* File names of an endpoint's captures inside a run directory: its first
 * segment, and any segment. */
void corr_capture_names(const char *endpoint, bool at_sender, char *pcap, size_t plen,
                        char *meta, size_t mlen);
void corr_segment_names(const char *endpoint, bool at_sender, unsigned seg, char *pcap,
                        size_t plen, char *meta, size_t mlen);

#endif
