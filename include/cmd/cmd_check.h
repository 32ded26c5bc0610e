/* The commands check, compile and plan: what a profile says, before anything is sent.  Each returns an exit
 * status (lib/exitstatus.h). */
#ifndef RP_CMD_CMD_CHECK_H
#define RP_CMD_CMD_CHECK_H

#include "lib/log.h"

int cmd_check(int argc, char **argv, const struct rp_log *);
int cmd_compile(int argc, char **argv, const struct rp_log *);
int cmd_plan(int argc, char **argv, const struct rp_log *);

#endif
