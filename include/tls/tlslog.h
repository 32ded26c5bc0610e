/* The TLS logs of a run.  A sender writes tls-NAME.json: per try of each TLS
 * probe, the flow it used, the client random OpenSSL put in its ClientHello,
 * the SNI, how the handshake ended and the chain the server presented.  A
 * listener writes tls-rx-NAME.json: per planned TLS port of its host,
 * whether its responder served it (and with which chain), or which chain the
 * service already holding the port presents when asked from inside.  The
 * correlator reads both back: they are untrusted input like the captures. */
#ifndef RP_TLS_TLSLOG_H
#define RP_TLS_TLSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"

#define TLSLOG_SCHEMA    "ruleproof-tls/1"
#define TLSLOG_RX_SCHEMA "ruleproof-tls-rx/1"
#define TLSLOG_RANDOM    32
#define TLSLOG_MAX_CHAIN 16
#define TLSLOG_MAX_DER   65536
#define TLSLOG_MAX_TRIES 1000000

/* How one try ended, as the sender saw it. */
enum tls_outcome {
	TLSO_HANDSHAKE = 0,  /* handshake done */
	TLSO_RESET,          /* reset after the TCP handshake */
	TLSO_TIMEOUT,        /* TCP up, no handshake in time */
	TLSO_ALERT,          /* the server (or a middlebox) sent a fatal alert */
	TLSO_CLOSED,         /* closed without an alert */
	TLSO_REFUSED,        /* the SYN got a reset */
	TLSO_UNREACHABLE,    /* the SYN got an ICMP error */
	TLSO_CONNECT_TIMEOUT,/* no answer to the SYN in time */
	TLSO_ERROR,          /* a local failure (bind, memory): says nothing of the path */
	TLSO_COUNT
};

const char *tls_outcome_name(enum tls_outcome);

/* One DER certificate (owned by its log). */
struct tlslog_der {
	uint8_t *p;
	size_t   len;
};

struct tlslog_try {
	uint32_t          probe;
	uint8_t           try_no;        /* 1 for the first try */
	uint16_t          sport;
	struct rp_addr    src, dst;
	uint16_t          port;
	int64_t           started_us, ended_us;
	bool              has_random;    /* a ClientHello was produced */
	uint8_t           random[TLSLOG_RANDOM];
	char              sni[256];      /* "" without SNI */
	enum tls_outcome  outcome;
	int               alert;         /* TLS alert number, -1 none */
	char              version[16];   /* "TLSv1.3", "" before the handshake */
	char              cipher[64];
	char              error[128];    /* local failure, or "" */
	struct tlslog_der chain[TLSLOG_MAX_CHAIN];
	size_t            nchain;
	uint8_t           seg;           /* the run segment whose log holds it (not in the file) */
};

struct tlslog {
	char               endpoint[64];
	struct tlslog_try *t;
	size_t             n, cap;
};

/* Appends a try (its chain moves into the log); -1 when out of memory. */
int  tlslog_add(struct tlslog *, struct tlslog_try *);
void tlslog_free(struct tlslog *);
int  tlslog_write(const struct tlslog *, FILE *);
/* Into a descriptor opened earlier (before an agent gives up root); closes
 * it (*fd = -1) unless it cannot be wrapped in a stream.  -1 with a reason. */
int  tlslog_write_fd(const struct tlslog *, int *fd, char *err, size_t errlen);
/* Reads a sender's log; -1 with a reason when the file is not one. */
int  tlslog_read(struct tlslog *, const char *path, char *err, size_t errlen);

/* A planned TLS port of a listener's host. */
enum tlsrx_state { TLSRX_SERVED, TLSRX_IN_USE, TLSRX_FAILED };

const char *tlsrx_state_name(enum tlsrx_state);

struct tlsrx_port {
	struct rp_addr    addr;          /* the planned address probes go to */
	uint16_t          port;
	char              bound[64];     /* where the responder listened ("0.0.0.0" behind DNAT) */
	enum tlsrx_state  state;
	char              error[160];    /* why not served, or why no inside chain */
	uint32_t          handshakes;    /* completed by the responder */
	uint32_t          failed;        /* begun but not completed */
	struct tlslog_der chain[TLSLOG_MAX_CHAIN];  /* served, or seen from inside */
	size_t            nchain;
};

/* The cert_source of a responder that made its own certificate: each run
 * segment's responder makes another. */
#define TLSRX_GENERATED "generated test certificate"

struct tlsrx_log {
	char               endpoint[64];
	char               cert_source[300];  /* "generated test certificate" or the file */
	struct tlsrx_port *p;
	size_t             n;
};

void tlsrx_free(struct tlsrx_log *);
int  tlsrx_write(const struct tlsrx_log *, FILE *);
int  tlsrx_write_fd(const struct tlsrx_log *, int *fd, char *err, size_t errlen);
int  tlsrx_read(struct tlsrx_log *, const char *path, char *err, size_t errlen);

/* File names in a run directory: tls-NAME.json and tls-rx-NAME.json, with
 * -rN for the segments of a resumed run. */
void tlslog_name(const char *endpoint, bool at_sender, unsigned seg, char *buf, size_t len);

/* Base64 of DER bytes into a new string, and back (NULL / -1 on bad input). */
char *tlslog_b64(const uint8_t *p, size_t len);
int   tlslog_unb64(const char *s, struct tlslog_der *out);

#endif
