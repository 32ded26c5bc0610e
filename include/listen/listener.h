/* The listener: on a far-side host, captures what arrives until told to
 * stop (a signal, or the lab's stop descriptor), and answers TLS on the
 * planned TLS ports that no service holds (listen/responder.h). */
#ifndef RP_LISTEN_LISTENER_H
#define RP_LISTEN_LISTENER_H

#include "capture/agent.h"

/* A process exit status: 0 done, 3 failed or interrupted.  The capture file
 * is written in every case once the capture was opened. */
int listener_run(const struct agent_cfg *);

#endif
