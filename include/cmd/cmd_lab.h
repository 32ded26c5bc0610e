/* The commands lab: the whole pipeline in a namespace lab.  Each returns an exit
 * status (lib/exitstatus.h). */
#ifndef RP_CMD_CMD_LAB_H
#define RP_CMD_CMD_LAB_H

#include "lib/log.h"

int cmd_lab(int argc, char **argv, const struct rp_log *);

#endif
