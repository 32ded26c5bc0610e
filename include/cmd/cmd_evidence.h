/* The commands verify and diff: what a sealed run directory holds, and how two runs differ.  Each returns an exit
 * status (lib/exitstatus.h). */
#ifndef RP_CMD_CMD_EVIDENCE_H
#define RP_CMD_CMD_EVIDENCE_H

#include "lib/log.h"

int cmd_verify(int argc, char **argv, const struct rp_log *);
int cmd_diff(int argc, char **argv, const struct rp_log *);

#endif
