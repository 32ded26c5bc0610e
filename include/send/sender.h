/* The sender: on a source-zone host, sends one endpoint's probes of a plan
 * at the planned rate (the Ethernet path where it can, else raw IP
 * sockets; TLS probes through kernel connections), retries the unanswered,
 * and captures both ways.  The agent configuration is capture/agent.h. */
#ifndef RP_SEND_SENDER_H
#define RP_SEND_SENDER_H

#include "capture/agent.h"

/* A process exit status: 0 done, 3 failed or interrupted.  The capture file
 * is written in every case once the capture was opened. */
int sender_run(const struct agent_cfg *);

#endif
