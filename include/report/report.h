/* Conformance reports, every one a pure function of the run directory (so
 * `ruleproof report` re-derives them byte for byte): the terminal table and
 * report.txt, report.json (schema ruleproof-report/1, documented in
 * ruleproof(1)), JUnit XML for CI, CSV for spreadsheets and one
 * self-contained HTML page for auditors. */
#ifndef RP_REPORT_REPORT_H
#define RP_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "correlate/correlate.h"
#include "plan/plan.h"
#include "probe/probeid.h"
#include "plan/rundir.h"

#define REPORT_SCHEMA "ruleproof-report/1"
#define REPORT_FILE   "report.json"
#define REPORT_TEXT   "report.txt"
#define REPORT_JUNIT  "report.junit.xml"
#define REPORT_CSV    "report.csv"
#define REPORT_HTML   "report.html"
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
/* A one-line summary: "FAIL: 520 probes: 515 pass, 5 fail, 0 inconclusive; 2 of 7 rules fail" */
void     report_summary_line(const struct report *, char *buf, size_t len);

/* The table grouped by rule, each failing rule followed by its failing or
 * inconclusive probes (at most max_probes each, 0 for all), and the summary
 * line.  run_dir is shown on the terminal only (NULL in report.txt, which
 * must not depend on the path it was re-derived from). */
void report_text(const struct report *, FILE *out, bool color, const char *run_dir,
                 unsigned max_probes);
int  report_json(const struct report *, FILE *out);
void report_junit(const struct report *, FILE *out);
void report_csv(const struct report *, FILE *out);
void report_html(const struct report *, FILE *out);
/* Writes every report file into dir (each through a temporary file and a
 * rename, so that a reader never sees half a report). */
int  report_write_all(const struct report *, const char *dir, char *err, size_t errlen);
/* True for the files report_write_all() writes (and may rewrite). */
bool report_is_output(const char *name);

/* The TLS parts (report_tls.c): a probe's "tls" object (NULL for a probe
 * that is not TLS), the per-address "tls_endpoints" array (NULL when the
 * run has no TLS probe), and the text section. */
struct json_t;
struct json_t *report_tls_probe_json(const struct report *, uint32_t id);
struct json_t *report_tls_endpoints_json(const struct report *);
void           report_tls_text(const struct report *, FILE *out);

/* 0 every probe passed, 1 some failed, 3 none failed but some inconclusive. */
int  report_exit_status(const struct corr *);

#endif
