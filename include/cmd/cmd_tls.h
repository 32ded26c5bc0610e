/* The commands tls-pin: the SPKI pin and facts of a certificate file.  Each returns an exit
 * status (lib/exitstatus.h). */
#ifndef RP_CMD_CMD_TLS_H
#define RP_CMD_CMD_TLS_H

#include "lib/log.h"

int cmd_tls_pin(int argc, char **argv, const struct rp_log *);

#endif
