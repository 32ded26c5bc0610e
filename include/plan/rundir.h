/* A run directory (captures/RUN-ID/) and its plan file: the small file from
 * which every agent and the correlator rebuild the same probes (profile and
 * site copies with their hashes, the per-run key, the parameters). */
#ifndef RP_PLAN_RUNDIR_H
#define RP_PLAN_RUNDIR_H

#include <stddef.h>
#include <stdint.h>

#include "probe/probeid.h"
#include "profile/profile.h"

#define RUN_PLAN_SCHEMA  "ruleproof-plan/1"
#define RUN_PLAN_FILE    "plan.json"
#define RUN_PROFILE_FILE "profile.profile"
#define RUN_SITE_FILE    "site.site"
#define RUN_VERSION      "0.1.0"
/* 9999-12-31T23:59:59.999999Z: times read from files are refused past it
 * (or before 1970), so that formatting them or taking their difference is
 * always defined. */
#define RUN_TIME_MAX_US  INT64_C(253402300799999999)

struct run_params {
	char     id[48];
	uint8_t  key[PROBEID_KEYLEN];
	unsigned rate;          /* probes per second per sender */
	unsigned linger_ms;     /* wait for replies after the last probe */
	unsigned retries;       /* extra tries for probes that got no answer */
	unsigned skew_ms;       /* clock difference tolerated between agents' hosts */
	char     profile_src[512], site_src[512];   /* paths as the user gave them */
	char     profile_copy[1024], site_copy[1024]; /* the staged copies, when writing */
	/* When writing a plan: the parsed profile, whose included files are
	 * embedded too (borrowed; NULL for none). */
	const struct profile *prof;
	char     profile_sha256[65], site_sha256[65];
	int64_t  started_us;
	char     command[1024];
};

/* A fresh id (UTC time plus random hex) and key. */
int  run_init(struct run_params *, char *err, size_t errlen);
/* Creates base/ID (base created too if missing); out gets the path. */
int  run_make_dir(const char *base, const char *id, char *out, size_t outlen,
                  char *err, size_t errlen);
/* Copies profile and site into dir and records their hashes in rp. */
int  run_stage_inputs(struct run_params *, const char *dir, const char *profile,
                      const char *site, char *err, size_t errlen);
/* plan.json in a run directory.  It embeds the texts of the profile and the
 * site, so that the same file given as `--plan` lets an agent on another
 * host rebuild every probe. */
int  run_write_plan(const struct run_params *, const char *dir, char *err, size_t errlen);
int  run_read_plan(struct run_params *, const char *dir, char *err, size_t errlen);
int  run_write_plan_file(const struct run_params *, const char *path, char *err, size_t errlen);
/* A fresh run (id, key) for a profile and site read in place: what
 * `ruleproof plan -o` writes for agents on other hosts. */
int  run_plan_for(struct run_params *, const char *profile, const char *site, unsigned rate,
                  unsigned linger_ms, unsigned retries, unsigned skew_ms, char *err,
                  size_t errlen);
int  run_read_plan_file(struct run_params *, const char *path, char *err, size_t errlen);
/* The embedded texts of a plan file (malloc'ed, NUL-terminated); their
 * SHA-256 must equal the recorded ones. */
int  run_plan_texts(const char *path, char **profile, size_t *plen, char **site,
                    size_t *slen, char *err, size_t errlen);

/* The files the profile includes, embedded in a plan file under the paths
 * the profile resolved them to, each checked against its SHA-256. */
struct plan_include {
	char  *path, *text;
	size_t len;
};
int  run_plan_includes(const char *path, struct plan_include **inc, size_t *n, char *err,
                       size_t errlen);
void run_plan_includes_free(struct plan_include *, size_t n);
void run_set_command(struct run_params *, int argc, char *const argv[]);

int64_t run_now_us(void);
int     sha256_file_hex(const char *path, char out[65], char *err, size_t errlen);
/* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" */
void    run_fmt_time(int64_t us, char *buf, size_t len);

#endif
