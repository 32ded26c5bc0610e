/* The commands send and listen: the agents of a split run.  Each returns an exit
 * status (lib/exitstatus.h). */
#ifndef RP_CMD_CMD_AGENT_H
#define RP_CMD_CMD_AGENT_H

#include "lib/log.h"

int cmd_send(int argc, char **argv, const struct rp_log *);
int cmd_listen(int argc, char **argv, const struct rp_log *);

#endif
