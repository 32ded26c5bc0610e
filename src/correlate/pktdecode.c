#include "correlate/pktdecode.h"

#include <stdlib.h>
#include <string.h>

struct pktdecode {
	const struct plan *pl;
	struct probeid    *pid;
	struct probe_self  self;
	bool               at_sender;
	int                dlt;
	/* Per packet of the batch: the kind that claimed it, and its claim. */
	size_t             kind[PKTDECODE_BATCH];
	struct probe_claim cl[PKTDECODE_BATCH];
	/* The claims to recover, and which packet made each. */
	struct carrier_obs o[PKTDECODE_BATCH];
	int                which[PKTDECODE_BATCH];
	bool               ok[PKTDECODE_BATCH];
	uint32_t           id[PKTDECODE_BATCH];
	unsigned           vouched[PKTDECODE_BATCH];
};

struct pktdecode *
pktdecode_new(const struct plan *pl, struct probeid *pid, size_t endpoint, bool at_sender,
    int dlt)
{
	struct pktdecode *d = malloc(sizeof(*d));

	if (d)
		*d = (struct pktdecode){ .pl = pl, .pid = pid, .self = { .pl = pl, .endpoint = endpoint },
		    .at_sender = at_sender, .dlt = dlt };
	return d;
}

void
pktdecode_free(struct pktdecode *d)
{
	free(d);
}

/* Dissects and claims each packet; returns how many claims there are to
 * recover. */
static int
claim_all(struct pktdecode *d, const struct pcap_rec *rec, int n, struct decoded *out)
{
	int i, nc = 0;

	for (i = 0; i < n; i++) {
		struct decoded *b = &out[i];

		b->dissected = pkt_dissect(d->dlt, rec[i].data, rec[i].caplen, &b->p) == 0;
		d->kind[i] = 0;
		b->dr = b->dissected ?
		    probekind_claim(&d->kind[i], &b->p, &d->self, d->at_sender, &d->cl[i]) : DECODE_SKIP;
		if (b->dr == DECODE_MATCH) {
			d->o[nc] = d->cl[i].o;
			/* Only an arrival keeps the carriers that vouched for it
			 * (the report names those a middlebox rewrote). */
			d->o[nc].every = d->cl[i].ev == EV_ARRIVED;
			d->which[nc++] = i;
		}
	}
	return nc;
}

void
pktdecode_run(struct pktdecode *d, const struct pcap_rec *rec, int n, struct decoded *out)
{
	uint32_t nprobes = plan_nprobes(d->pl);
	int nc = claim_all(d, rec, n, out), k;

	probeid_recover_many(d->pid, d->o, (size_t)nc, nprobes, d->ok, d->id, d->vouched);
	for (k = 0; k < nc; k++) {
		int i = d->which[k];
		struct decoded *b = &out[i];

		memset(&b->m, 0, sizeof(b->m));
		b->dr = probekind_settle(&d->cl[i], d->ok[k], d->id[k], d->vouched[k], &b->m);
		/* Not this kind's after all: the kinds after it, one by one. */
		if (b->dr == DECODE_SKIP)
			b->dr = probekind_decode(d->kind[i] + 1, &b->p, d->pid, nprobes, &d->self,
			    d->at_sender, &b->m);
	}
}
