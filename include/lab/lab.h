/* The lab: one network namespace per endpoint host and one firewall
 * namespace running nftables between them, all on 198.18.0.0/15.  Each host
 * has a veth to the firewall, a /32 address and a default route through the
 * firewall; the firewall has a /32 route to each host. */
#ifndef RP_LAB_LAB_H
#define RP_LAB_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/log.h"
#include "plan/plan.h"
#include "plan/rundir.h"

struct lab_cfg {
	const struct plan       *pl;
	const struct run_params *rp;
	const char              *run_dir;
	const char              *nft_path;    /* ruleset to load in the firewall */
	const struct rp_log     *log;
	int                      sigfd;       /* caller's signalfd: stop early when readable */
	unsigned                 segment;     /* capture segment to write (0; more when resumed) */
	const uint8_t           *skip;        /* per probe id: 1 = already judged, not sent again */
	const char              *tls_cert, *tls_key;  /* for the responders, or NULL: a test certificate */
};

struct lab;

/* Builds the namespaces and loads the ruleset.  On failure everything built
 * so far is removed again. */
struct lab *lab_up(const struct lab_cfg *, char *err, size_t errlen);
/* Starts a listener on every receiving host, then a sender on every sending
 * host, waits for the senders, then stops the listeners.  Returns 0, or -1
 * (err says why; *interrupted is set when a signal cut it short). */
int  lab_run(struct lab *, bool *interrupted, char *err, size_t errlen);
/* Ends every process it started (by PID) and deletes every namespace. */
void lab_down(struct lab *);

#endif
