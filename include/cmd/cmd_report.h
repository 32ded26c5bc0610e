/* The commands report (and its older name correlate): judging a run directory.  Each returns an exit
 * status (lib/exitstatus.h). */
#ifndef RP_CMD_CMD_REPORT_H
#define RP_CMD_CMD_REPORT_H

#include "lib/log.h"

int cmd_correlate(int argc, char **argv, const struct rp_log *);
int cmd_report(int argc, char **argv, const struct rp_log *);

#endif
