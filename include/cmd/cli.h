/* The subcommands, and what they share: loading a profile, a site and the
 * plan they expand to, with diagnostics on stderr. */
#ifndef RP_CMD_CLI_H
#define RP_CMD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/log.h"
#include "plan/plan.h"
#include "profile/profile.h"
#include "profile/site.h"

/* Exit statuses of every subcommand. */
enum {
	EXIT_PASS = 0,       /* every probe passed (or: the command did its job) */
	EXIT_FAIL = 1,       /* some probe failed */
	EXIT_USAGE = 2,      /* bad usage or bad input */
	EXIT_RUN = 3,        /* the run could not be done, or has inconclusive probes */
};

struct cli_inputs {
	struct profile *prof;
	struct site    *site;
	struct plan    *pl;
};

/* Loads profile (and site and plan when site is not NULL).  Returns
 * EXIT_PASS or EXIT_USAGE after saying what is wrong. */
int  cli_load(const struct rp_log *, const char *profile, const char *site, bool lab,
              struct cli_inputs *);
void cli_free(struct cli_inputs *);
/* Loads a plan file (run parameters plus the embedded profile and site) and
 * rebuilds its probes; EXIT_PASS or EXIT_USAGE after saying what is wrong. */
struct run_params;
int  cli_load_plan(const struct rp_log *, const char *plan_path, struct run_params *,
                   struct cli_inputs *);
bool cli_color(void);
int  cli_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Compiles the plan's ruleset to out, planting `drift` deviations chosen by
 * seed (described in planted). */
int compile_ruleset(const struct plan *, unsigned long drift, unsigned long long seed,
                    FILE *out, FILE *planted, const struct rp_log *);
/* Correlates a run directory and writes its reports; returns an exit status. */
/* reseal: the caller itself added to the sealed evidence (a resumed run)
 * and checked before that nothing else had changed. */
int correlate_run_dir(const char *dir, bool interrupted, bool reseal, bool print,
                      const struct rp_log *);

int cmd_check(int argc, char **argv, const struct rp_log *);
int cmd_compile(int argc, char **argv, const struct rp_log *);
int cmd_plan(int argc, char **argv, const struct rp_log *);
int cmd_lab(int argc, char **argv, const struct rp_log *);
int cmd_correlate(int argc, char **argv, const struct rp_log *);
int cmd_report(int argc, char **argv, const struct rp_log *);
int cmd_verify(int argc, char **argv, const struct rp_log *);
int cmd_diff(int argc, char **argv, const struct rp_log *);
int cmd_send(int argc, char **argv, const struct rp_log *);
int cmd_listen(int argc, char **argv, const struct rp_log *);
int cmd_tls_pin(int argc, char **argv, const struct rp_log *);

#endif
