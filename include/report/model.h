/* The report model: what every report format reads of a correlated run
 * (rules with their counts, where each probe's evidence lies, the
 * captures), so that the formats depend on it and on nothing of each
 * other.  Every report is a pure function of the run directory, so
 * `ruleproof report` re-derives them byte for byte. */
#ifndef RP_REPORT_MODEL_H
#define RP_REPORT_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "correlate/correlate.h"
#include "plan/plan.h"
#include "probe/probeid.h"
#include "plan/rundir.h"

#define REPORT_SCHEMA "ruleproof-report/1"
/* Left by a run that was interrupted, so that the reports say so however
 * often they are re-derived. */
#define REPORT_INTERRUPTED "interrupted.txt"

/* How many probes of one rule (or of the whole run) saw what. */
struct rule_stats {
	struct rule_summary sum;
	uint32_t            obs[OBS_UNKNOWN + 1];        /* by enum observed */
	uint32_t            ev[EVD_INCONCLUSIVE + 1];    /* by enum evidence */
};

/* One row of the rule table: a profile rule, or the `default closed` line. */
struct report_rule {
	uint32_t                   idx;        /* correlator rule index, or PLAN_RULE_DEFAULT */
	const struct profile_rule *ru;         /* NULL for `default closed` */
	int                        line;
	bool                       expect_open;
	const char                *services;
	char                       flow[512];  /* "cp, portal -> core" */
	char                       text[1024]; /* "open cp, portal -> core : core-app" */
	const struct rule_stats   *st;
};

/* Where one probe's evidence lies: frame numbers (1-based, 0 none) in the
 * sender's and the receiver's pcap, and a Wireshark display filter that
 * shows the probe, its reply and any ICMP error quoting it in either. */
struct probe_locator {
	struct probe_carriers car;
	char                  tx_pcap[128], rx_pcap[128];
	uint32_t              sent_frame, reply_frame, arrived_frame;
	char                  filter[160];
};

/* One capture of the run, senders' first, in endpoint order. */
struct report_capture {
	const struct capfile *meta;
	bool                     at_sender;
	char                     sha256[65];   /* of its pcap, "" if the file is not there */
};

struct report {
	const struct run_params *rp;
	const struct plan       *pl;
	const struct corr       *c;
	struct probeid          *pid;           /* the run's key, for the carriers */
	int64_t                  finished_us;   /* the last capture's end (started_us if none) */
	bool                     interrupted;
	char                     plan_version[32];   /* the ruleproof that ran the probes */
	struct rule_stats       *stats;         /* one per profile rule, then `default closed` */
	struct rule_stats        total;
	/* Of the whole run: probes by enum proof, and the passes that rest on
	 * a hop distance alone (the summary says so). */
	uint32_t                 proof[PROOF_NONE + 1];
	uint32_t                 pass_by_hops;
	struct report_capture   *caps;
	size_t                   ncaps, capcap;
};

/* Gathers what every format needs from the correlated run and its
 * directory (capture hashes, the interrupted marker, the plan's version). */
int  report_init(struct report *, const struct run_params *, const struct plan *,
                 const struct corr *, const char *dir, char *err, size_t errlen);
void report_fini(struct report *);

/* Profile rules, then `default closed` if the profile has it. */
size_t   report_nrules(const struct report *);
void     report_rule_at(const struct report *, size_t i, struct report_rule *);
unsigned report_rules_failing(const struct report *, unsigned *nrules);
void     report_locate(const struct report *, uint32_t id, struct probe_locator *);
/* "tx-a.pcap #12 reply #40, rx-b.pcap #7", or "no frame" */
void     report_where(const struct probe_locator *, char *buf, size_t len);
/* "open" if all probes agree, else "12 open, 2 closed"; same for evidence. */
void     report_observed_text(const struct rule_stats *, char *buf, size_t len);
void     report_evidence_text(const struct rule_stats *, char *buf, size_t len);
/* "pass", "FAIL", "inconclusive": a failure must stand out in plain text. */
const char *report_verdict_word(enum verdict);
const char *report_proto_name(uint8_t proto);
/* observed_name() and evidence_name() by array index, for count tables. */
const char *report_obs_name_at(size_t i);
const char *report_ev_name_at(size_t i);
const char *report_proof_name_at(size_t i);
/* A one-line summary: "FAIL: 520 probes: 515 pass, 5 fail, 0 inconclusive; 2 of 7 rules fail" */
void     report_summary_line(const struct report *, char *buf, size_t len);

/* 0 every probe passed, 1 some failed, 3 none failed but some inconclusive. */
int  report_exit_status(const struct corr *);

#endif
