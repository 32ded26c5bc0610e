/* The listener's TLS responder: on the far side, it completes TLS
 * handshakes on the TLS ports planned to its host, so that a ClientHello can
 * cross a stateful firewall that only forwards data of established
 * connections.  It binds what is free and skips a port a service already
 * holds (never disturbing it; that service answers the probes instead, and
 * the responder records the chain it presents when asked from inside).  It
 * records everything in the listener's TLS log (tlslog.h). */
#ifndef RP_LISTEN_RESPONDER_H
#define RP_LISTEN_RESPONDER_H

#include <stddef.h>

#include "capture/agent.h"

struct responder;

/* While still root: binds the listening sockets, loads the certificate
 * (cfg->tls_cert, cfg->tls_key) or makes a test certificate for the names
 * the probes send, and creates the log file.  NULL when the endpoint has no
 * TLS port planned (*err "") or on failure (err says why). */
struct responder *responder_open(const struct agent_cfg *, char *err, size_t errlen);
/* Starts serving in a thread of its own; 0 or -1 (err). */
int  responder_start(struct responder *, char *err, size_t errlen);
/* "TLS responder: serving tcp/443, tcp/8443; left to the service holding
 * it: tcp/9443" into buf; returns its length. */
int  responder_summary(const struct responder *, char *buf, size_t len);
/* Stops serving, closes every socket, writes the log and frees r; 0 or -1. */
int  responder_finish(struct responder *r, char *err, size_t errlen);

#endif
