#include "correlate/correlate.h"

#include <pcap/pcap.h>
#include <unistd.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/pcapread.h"
#include "correlate/pktdecode.h"
#include "correlate/tlsev.h"

/* How long after a probe left the sender the far side must still have been
 * capturing for its silence to mean anything. */
#define TRANSIT_US 250000

/* What the captures said about one probe, kept densely by probe id: a
 * million probes cost 32 bytes each.  How a probe arrived, what came back,
 * and a source address other than the planned one are only kept for the
 * probes that have them, in a side table (struct extra); addresses there
 * are indexes into a table of the distinct ones seen. */
struct obs {
	int64_t  sent_us, last_sent_us;
	uint32_t sent_frame;
	uint32_t ext;                   /* extra index + 1, 0 if none */
	uint16_t nsent, sent_sport;
	uint8_t  sent_seg, last_sent_seg;
};

/* The first arrival of a probe at the far side, and how often it arrived. */
struct arrival {
	uint32_t src, dst;              /* address indexes */
	uint32_t frame;
	uint16_t sport, dport;
	uint16_t count;
	uint8_t  seg, vouched;
	uint8_t  host_replied;          /* the far side saw the host answer it */
};

/* The reply that counts for a probe (see note_reply). */
struct reply {
	uint32_t frame;
	uint32_t from;                  /* address index */
	uint8_t  ev;                    /* enum probe_event */
	uint8_t  seg, ttl, itype, icode;
};

struct extra {
	struct arrival a;               /* a.count 0: never arrived */
	struct reply   r;               /* r.ev EV_NONE: no reply */
	uint32_t       sent_src;        /* address index + 1; 0: the planned source */
};

/* The distinct addresses seen, each once; an open-addressing hash finds
 * them. */
struct addr_tab {
	struct rp_addr *a;
	size_t          n, cap;
	uint32_t       *slot;           /* index + 1, 0 empty */
	size_t          nslot;
};

/* corr_result() judges a probe when asked, from its observations, into one
 * of these slots in turn: a result stays valid for CORR_RESULT_SLOTS - 1
 * further calls. */
#define CORR_RESULT_SLOTS 8
struct result_ring {
	struct probe_result r[CORR_RESULT_SLOTS];
	unsigned            next;
};

/* An agent's captures of one endpoint: one per segment of the run (a run
 * resumed after an interruption adds a segment, never rewrites one). */
struct cap_slot {
	struct capfile *seg;
	size_t             nseg;
};

struct corr {
	const struct plan   *pl;
	/* Per destination address (endpoint, address index): the fewest hops
	 * from which its own SYN-ACKs came back, 0 when none did. */
	uint8_t            **host_hops;
	struct obs          *obs;
	size_t               obs_bytes;
	struct extra        *ext;
	size_t               next, capext;
	struct addr_tab      addrs;
	struct result_ring  *ring;
	struct cap_slot     *tx, *rx;        /* per endpoint */
	struct rule_summary *rules;          /* per rule, then one for the default */
	struct rule_summary  total;
	uint64_t             foreign;
	int64_t              skew_us;
	bool                 require_proof;  /* hop distance alone is inconclusive */
	struct tlsev        *tls;            /* TLS probes' side table, or NULL */
	const char          *ca_file;
	char                 ca_dir[1100];   /* the run directory's ca.pem, if any */
};

/* The observations of a million probes are read in no order, one probe per
 * packet: on huge pages where the system allows, so as not to miss the TLB
 * on every packet (a third of the time spent on the events).  Zero until
 * written, as the kernel maps them in. */
static struct obs *
obs_alloc(size_t n, size_t *bytes)
{
	void *p;

	*bytes = n * sizeof(struct obs);
	p = mmap(NULL, *bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, *bytes, MADV_HUGEPAGE);
#endif
	return p;
}

struct corr *
corr_new(const struct plan *pl)
{
	struct corr *c = calloc(1, sizeof(*c));
	size_t ne = profile_nendpoints(plan_profile(pl)), nr = profile_nrules(plan_profile(pl));
	uint32_t n = plan_nprobes(pl);

	if (!c)
		return NULL;
	c->pl = pl;
	c->obs = obs_alloc(n ? n : 1, &c->obs_bytes);
	c->ring = calloc(1, sizeof(*c->ring));
	c->tx = calloc(ne ? ne : 1, sizeof(*c->tx));
	c->rx = calloc(ne ? ne : 1, sizeof(*c->rx));
	c->rules = calloc(nr + 1, sizeof(*c->rules));
	if (!c->obs || !c->ring || !c->tx || !c->rx || !c->rules) {
		corr_free(c);
		return NULL;
	}
	return c;
}

void
corr_free(struct corr *c)
{
	if (!c)
		return;
	tlsev_free(c->tls);
	if (c->obs)
		munmap(c->obs, c->obs_bytes);
	free(c->ext);
	free(c->addrs.a);
	free(c->addrs.slot);
	free(c->ring);
	if (c->tx && c->rx) {
		size_t e;
		for (e = 0; e < profile_nendpoints(plan_profile(c->pl)); e++) {
			free(c->tx[e].seg);
			free(c->rx[e].seg);
		}
	}
	free(c->tx);
	free(c->rx);
	free(c->rules);
	if (c->host_hops) {
		size_t e;
		for (e = 0; e < profile_nendpoints(plan_profile(c->pl)); e++)
			free(c->host_hops[e]);
		free(c->host_hops);
	}
	free(c);
}

void
corr_set_capture(struct corr *c, size_t ep, bool at_sender, const struct capfile *m)
{
	struct cap_slot *s = at_sender ? &c->tx[ep] : &c->rx[ep];

	free(s->seg);
	s->seg = NULL;
	s->nseg = 0;
	if (m)
		corr_add_capture(c, ep, at_sender, m);
}

void
corr_add_capture(struct corr *c, size_t ep, bool at_sender, const struct capfile *m)
{
	struct cap_slot *s = at_sender ? &c->tx[ep] : &c->rx[ep];
	struct capfile *n;

	n = realloc(s->seg, (s->nseg + 1) * sizeof(*n));
	if (!n)
		return;         /* a capture not recorded is a capture not trusted */
	s->seg = n;
	s->seg[s->nseg++] = *m;
}

const struct capfile *
corr_capture(const struct corr *c, size_t ep, bool at_sender)
{
	return corr_capture_at(c, ep, at_sender, 0);
}

size_t
corr_ncaptures(const struct corr *c, size_t ep, bool at_sender)
{
	return (at_sender ? &c->tx[ep] : &c->rx[ep])->nseg;
}

const struct capfile *
corr_capture_at(const struct corr *c, size_t ep, bool at_sender, size_t seg)
{
	const struct cap_slot *s = at_sender ? &c->tx[ep] : &c->rx[ep];
	return seg < s->nseg ? &s->seg[seg] : NULL;
}

static uint32_t
addr_hash(const struct rp_addr *a)
{
	uint32_t h = 2166136261u;
	size_t i;

	h = (h ^ a->family) * 16777619u;
	for (i = 0; i < sizeof(a->b); i++)
		h = (h ^ a->b[i]) * 16777619u;
	return h;
}

static bool
addr_tab_grow(struct addr_tab *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 64, i;
	uint32_t *slot = calloc(ns, sizeof(*slot));
	struct rp_addr *a = t->n < t->cap ? t->a : realloc(t->a, ns / 2 * sizeof(*a));

	if (!slot || !a) {
		free(slot);
		if (a)
			t->a = a;
		return false;
	}
	t->a = a;
	t->cap = ns / 2;
	for (i = 0; i < t->n; i++) {
		size_t k = addr_hash(&t->a[i]) & (ns - 1);
		while (slot[k])
			k = (k + 1) & (ns - 1);
		slot[k] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = ns;
	return true;
}

/* The address's index, added if new; UINT32_MAX when out of memory. */
static uint32_t
addr_index(struct addr_tab *t, const struct rp_addr *a)
{
	size_t k;

	if ((t->n + 1) * 2 > t->nslot && !addr_tab_grow(t))
		return UINT32_MAX;
	for (k = addr_hash(a) & (t->nslot - 1); t->slot[k]; k = (k + 1) & (t->nslot - 1))
		if (addr_eq(&t->a[t->slot[k] - 1], a))
			return t->slot[k] - 1;
	t->a[t->n] = *a;
	t->slot[k] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}

static const struct rp_addr *
addr_at(const struct corr *c, uint32_t i)
{
	static const struct rp_addr none;

	return i < c->addrs.n ? &c->addrs.a[i] : &none;
}

/* A new element of a side table (*n of *cap), or NULL when out of memory. */
static void *
side_add(void **tab, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		void *t = realloc(*tab, nc * size);
		if (!t)
			return NULL;
		*tab = t;
		*cap = nc;
	}
	return memset((char *)*tab + (*n)++ * size, 0, size);
}

/* The probe's extra record, created on first need; NULL when out of memory. */
static struct extra *
ext_get(struct corr *c, struct obs *o)
{
	struct extra *x;

	if (o->ext)
		return &c->ext[o->ext - 1];
	x = side_add((void **)&c->ext, &c->next, &c->capext, sizeof(*x));
	if (x)
		o->ext = (uint32_t)c->next;
	return x;
}

static const struct extra *
ext_of(const struct corr *c, const struct obs *o)
{
	return o->ext ? &c->ext[o->ext - 1] : NULL;
}

static const struct reply *
reply_of(const struct corr *c, const struct obs *o)
{
	const struct extra *x = ext_of(c, o);

	return x && x->r.ev != EV_NONE ? &x->r : NULL;
}

static const struct arrival *
arrival_of(const struct corr *c, const struct obs *o)
{
	const struct extra *x = ext_of(c, o);

	return x && x->a.count ? &x->a : NULL;
}

static uint8_t
reply_ev(const struct corr *c, const struct obs *o)
{
	const struct reply *r = reply_of(c, o);

	return r ? r->ev : EV_NONE;
}

static void
note_reply(struct corr *c, struct obs *o, const struct probe_match *m, const struct pkt *p)
{
	struct extra *x = ext_get(c, o);
	struct reply *r = x ? &x->r : NULL;

	/* A positive answer outranks a refusal: it is proof of crossing. */
	if (!r || (r->ev != EV_NONE && !(m->ev == EV_ANSWER && r->ev != EV_ANSWER)))
		return;
	r->ev = (uint8_t)m->ev;
	r->frame = m->frame;
	r->seg = m->seg;
	r->ttl = p->ip.ttl;
	r->from = addr_index(&c->addrs, &p->ip.src);
	r->itype = p->icmp_type;
	r->icode = p->icmp_code;
}

static void
note_arrival(struct corr *c, struct obs *o, const struct probe_match *m, const struct pkt *p)
{
	struct extra *x = ext_get(c, o);
	struct arrival *a = x ? &x->a : NULL;

	if (!a)
		return;
	if (a->count) {
		if (a->count < UINT16_MAX)
			a->count++;
		return;
	}
	a->count = 1;
	a->frame = m->frame;
	a->seg = m->seg;
	a->src = addr_index(&c->addrs, &p->ip.src);
	a->dst = addr_index(&c->addrs, &p->ip.dst);
	a->sport = p->l4.sport;
	a->dport = p->l4.dport;
	a->vouched = (uint8_t)m->vouched;
}

/* The host's own answer, seen at the far side: what must come back for a
 * client to connect (a one-way rule lets the probe through, not this). */
static void
note_host_reply(struct corr *c, struct obs *o)
{
	struct extra *x = ext_get(c, o);

	if (x)
		x->a.host_replied = 1;
}

/* The source a probe was first seen leaving from is only kept when it is not
 * the planned one. */
static void
note_sent_src(struct corr *c, struct obs *o, const struct probe *pr, const struct rp_addr *src)
{
	struct extra *x;

	if (addr_eq(src, plan_probe_src(c->pl, pr))) {
		if (o->ext)
			c->ext[o->ext - 1].sent_src = 0;
		return;
	}
	if ((x = ext_get(c, o)) != NULL)
		x->sent_src = addr_index(&c->addrs, src) + 1;
}

void
corr_event(struct corr *c, const struct probe_match *m, const struct pkt *p, int64_t ts_us,
    size_t ep, bool at_sender)
{
	const struct probe *pr = plan_probe(c->pl, m->id);
	struct obs *o;

	/* Evidence about a probe is only taken from the hosts it involves. */
	if (!pr || (at_sender ? pr->src : pr->dst) != ep) {
		c->foreign++;
		return;
	}
	o = &c->obs[m->id];
	switch (m->ev) {
	case EV_SENT:
		if (o->nsent == 0 || ts_us < o->sent_us) {
			o->sent_us = ts_us;
			o->sent_frame = m->frame;
			o->sent_seg = m->seg;
			note_sent_src(c, o, pr, &p->ip.src);
			o->sent_sport = p->l4.sport;
		}
		if (o->nsent == 0 || ts_us > o->last_sent_us) {
			o->last_sent_us = ts_us;
			o->last_sent_seg = m->seg;
		}
		if (o->nsent < UINT16_MAX)
			o->nsent++;
		break;
	case EV_ARRIVED:
		note_arrival(c, o, m, p);
		break;
	case EV_ANSWER:
	case EV_RESET:
	case EV_UNREACH:
		note_reply(c, o, m, p);
		break;
	case EV_HOST_REPLY:
		note_host_reply(c, o);
		break;
	case EV_NONE:
		break;
	}
}

int
corr_read_pcap(struct corr *c, struct probeid *pid, const char *path, size_t ep, bool at_sender,
    char *err, size_t errlen)
{
	return corr_read_pcap_seg(c, pid, path, ep, at_sender, 0, err, errlen);
}

/* One capture file being read. */
struct reading {
	struct corr       *c;
	struct evidence_sink sink;     /* corr_event, for the TLS flows */
	struct probeid    *pid;
	struct pktdecode  *dec;
	size_t             ep;
	bool               at_sender;
	uint8_t            seg;
	uint32_t           frame;
	struct pcap_rec    rec[PKTDECODE_BATCH];
	struct decoded     pk[PKTDECODE_BATCH];
};

static void
sink_event(void *arg, const struct probe_match *m, const struct pkt *p, int64_t ts_us,
    size_t ep, bool at_sender)
{
	corr_event(arg, m, p, ts_us, ep, at_sender);
}

/* Probe ids come in no order: the probe records a packet a few places on
 * will need are fetched while this one is judged. */
#define PREFETCH_AHEAD 8

static void
prefetch_probe(const struct reading *rd, int i, int n)
{
	const struct decoded *b = &rd->pk[i];

	if (i >= n || b->dr != DECODE_MATCH)
		return;
	__builtin_prefetch(&rd->c->obs[b->m.id], 1);
	__builtin_prefetch(plan_probe(rd->c->pl, b->m.id));
}

/* The batch's evidence, in capture order: the TLS flows first take what
 * is theirs, as each packet comes. */
static void
batch_apply(struct reading *rd, int n)
{
	int i;

	for (i = 0; i < PREFETCH_AHEAD; i++)
		prefetch_probe(rd, i, n);
	for (i = 0; i < n; i++) {
		struct decoded *b = &rd->pk[i];
		uint32_t frame = ++rd->frame;

		prefetch_probe(rd, i + PREFETCH_AHEAD, n);
		if (!b->dissected || tlsev_packet(rd->c->tls, &rd->sink, rd->pid, &b->p, rd->rec[i].ts_us,
		    frame, rd->seg, rd->ep, rd->at_sender))
			continue;
		if (b->dr == DECODE_MATCH) {
			b->m.frame = frame;
			b->m.seg = rd->seg;
			corr_event(rd->c, &b->m, &b->p, rd->rec[i].ts_us, rd->ep, rd->at_sender);
		} else if (b->dr == DECODE_FOREIGN) {
			rd->c->foreign++;
		}
	}
}

static int
read_records(struct reading *rd, struct pcapread *pr, char *why, size_t whylen)
{
	int n;

	tlsev_capture_begin(rd->c->tls, rd->ep, rd->at_sender);
	while ((n = pcapread_next(pr, rd->rec, PKTDECODE_BATCH, why, whylen)) > 0) {
		pktdecode_run(rd->dec, rd->rec, n, rd->pk);
		batch_apply(rd, n);
	}
	tlsev_capture_done(rd->c->tls);
	return n;
}

int
corr_read_pcap_seg(struct corr *c, struct probeid *pid, const char *path, size_t ep,
    bool at_sender, unsigned seg, char *err, size_t errlen)
{
	char why[PCAP_ERRBUF_SIZE + 64] = "";
	struct pcapread *pr = pcapread_open(path, why, sizeof(why));
	struct reading *rd = pr ? calloc(1, sizeof(*rd)) : NULL;
	int n = -1;

	if (pr && rd) {
		*rd = (struct reading){ .c = c, .sink = { sink_event, c }, .pid = pid, .ep = ep, .at_sender = at_sender,
		    .seg = (uint8_t)(seg > UINT8_MAX ? UINT8_MAX : seg),
		    .dec = pktdecode_new(c->pl, pid, ep, at_sender, pcapread_dlt(pr)) };
		if (rd->dec)
			n = read_records(rd, pr, why, sizeof(why));
	}
	if (pr && (!rd || !rd->dec))
		snprintf(why, sizeof(why), "out of memory");
	if (n < 0)
		snprintf(err, errlen, "%s: %s", path, why);
	if (rd)
		pktdecode_free(rd->dec);
	free(rd);
	pcapread_close(pr);
	return n < 0 ? -1 : 0;
}

void
corr_capture_names(const char *endpoint, bool at_sender, char *pcap, size_t plen, char *meta,
    size_t mlen)
{
	corr_segment_names(endpoint, at_sender, 0, pcap, plen, meta, mlen);
}

void
corr_segment_names(const char *endpoint, bool at_sender, unsigned seg, char *pcap, size_t plen,
    char *meta, size_t mlen)
{
	char sfx[16] = "";

	if (seg > 0)
		snprintf(sfx, sizeof(sfx), "-r%u", seg);
	snprintf(pcap, plen, "%s-%s%s.pcap", at_sender ? "tx" : "rx", endpoint, sfx);
	snprintf(meta, mlen, "%s-%s%s.json", at_sender ? "tx" : "rx", endpoint, sfx);
}

/* A capture's error as the report keeps it: without the run directory,
 * which libpcap and the reader both put in, so that the reports of a run
 * are the same wherever its directory is (moved, copied, or named
 * relatively), e.g. "rx-server.pcap: No such file or directory". */
static void
error_in_run(char *msg, const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = msg, *q;

	while (dl > 0 && (p = strstr(p, dir)) != NULL) {
		for (q = p + dl; *q == '/'; q++)
			;
		if (q == p + dl) {
			p++;
			continue;
		}
		memmove(p, q, strlen(q) + 1);
	}
	/* "NAME: NAME: why" (the reader's prefix, then libpcap's) says NAME once. */
	if (strncmp(msg, name, nl) == 0 && strncmp(msg + nl, ": ", 2) == 0 &&
	    strncmp(msg + nl + 2, name, nl) == 0 && strncmp(msg + 2 * nl + 2, ": ", 2) == 0)
		memmove(msg, msg + nl + 2, strlen(msg + nl + 2) + 1);
}

/* Every segment of an endpoint's captures, in order, until the first one
 * that does not exist.  A pcap without a readable capture file is not
 * trusted at all; one that cannot be read to its end is kept as incomplete:
 * its probes become inconclusive rather than being judged on half the
 * evidence. */
static void
load_one(struct corr *c, struct probeid *pid, const char *dir, size_t ep, bool at_sender)
{
	const char *name = profile_endpoint(plan_profile(c->pl), ep)->name;
	char pf[256], mf[256], path[1024], err[512];
	struct capfile m;
	unsigned seg;

	for (seg = 0; seg < CORR_MAX_SEGMENTS; seg++) {
		corr_segment_names(name, at_sender, seg, pf, sizeof(pf), mf, sizeof(mf));
		snprintf(path, sizeof(path), "%s/%s", dir, mf);
		if (access(path, F_OK) != 0)
			return;
		if (capfile_read(&m, path, err, sizeof(err)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, pf);
		if (corr_read_pcap_seg(c, pid, path, ep, at_sender, seg, err, sizeof(err)) != 0) {
			m.complete = false;
			error_in_run(err, dir, pf);
			snprintf(m.error, sizeof(m.error), "%s", err);
		}
		corr_add_capture(c, ep, at_sender, &m);
	}
}

int
corr_read_dir(struct corr *c, const uint8_t key[PROBEID_KEYLEN], const char *dir, char *err,
    size_t errlen)
{
	struct probeid *pid = probeid_new(key);
	size_t i;

	bool oom;

	if (!pid) {
		snprintf(err, errlen, "cannot key probe ids");
		return -1;
	}
	/* Read first: the far side's ClientHellos are told by the randoms the
	 * senders logged. */
	tlsev_free(c->tls);
	c->tls = tlsev_new(c->pl, key, dir, &oom);
	if (oom) {
		probeid_free(pid);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(c->ca_dir, sizeof(c->ca_dir), "%s/ca.pem", dir);
	if (access(c->ca_dir, R_OK) != 0)
		c->ca_dir[0] = '\0';
	for (i = 0; i < plan_nsenders(c->pl); i++)
		load_one(c, pid, dir, plan_sender(c->pl, i), true);
	for (i = 0; i < plan_nreceivers(c->pl); i++)
		load_one(c, pid, dir, plan_receiver(c->pl, i), false);
	probeid_free(pid);
	return 0;
}

static bool
meta_lossless(const struct capfile *m)
{
	return m->complete && m->cap.drop == 0 && m->cap.ifdrop == 0;
}

static bool
any_complete(const struct cap_slot *s)
{
	size_t i;

	for (i = 0; i < s->nseg; i++)
		if (s->seg[i].complete)
			return true;
	return false;
}

/* One probe's observations as the judgement reads them. */
struct obs_view {
	int64_t        sent_us, last_sent_us;
	uint8_t        sent_seg, last_sent_seg, reply_seg, arrived_seg;
	struct rp_addr sent_src, arr_src, arr_dst;
	uint16_t       sent_sport, arr_sport, arr_dport;
	unsigned       arr_vouched;
	uint32_t       sent_frame, reply_frame, arrived_frame;
	uint16_t       nsent, narrived;
	bool           host_replied;
	uint8_t        reply;          /* enum probe_event, EV_NONE if none */
	uint8_t        ttl, itype, icode;
	struct rp_addr from;
};

static void
expand(const struct corr *c, uint32_t id, struct obs_view *v)
{
	const struct obs *o = &c->obs[id];
	const struct reply *rp = reply_of(c, o);
	const struct arrival *a = arrival_of(c, o);
	const struct extra *x = ext_of(c, o);

	memset(v, 0, sizeof(*v));
	v->host_replied = x && x->a.host_replied;
	v->sent_us = o->sent_us;
	v->last_sent_us = o->last_sent_us;
	v->sent_seg = o->sent_seg;
	v->last_sent_seg = o->last_sent_seg;
	v->sent_frame = o->sent_frame;
	v->nsent = o->nsent;
	v->sent_sport = o->sent_sport;
	if (o->nsent)
		v->sent_src = x && x->sent_src ? *addr_at(c, x->sent_src - 1) :
		    *plan_probe_src(c->pl, plan_probe(c->pl, id));
	if (a) {
		v->narrived = a->count;
		v->arrived_frame = a->frame;
		v->arrived_seg = a->seg;
		v->arr_src = *addr_at(c, a->src);
		v->arr_dst = *addr_at(c, a->dst);
		v->arr_sport = a->sport;
		v->arr_dport = a->dport;
		v->arr_vouched = a->vouched;
	}
	if (rp) {
		v->reply = rp->ev;
		v->reply_frame = rp->frame;
		v->reply_seg = rp->seg;
		v->ttl = rp->ttl;
		v->itype = rp->itype;
		v->icode = rp->icode;
		v->from = *addr_at(c, rp->from);
	}
}

/* Why the far side's silence about this probe cannot be trusted, or
 * INC_NONE.  The last try is the one judged: a complete far-side capture
 * must have been live from before it left until it could have arrived,
 * clock skew included, and without a drop; and the sender's capture of
 * that try must be lossless, or a reply may have gone unseen. */
static enum inconclusive_reason
rx_doubt(const struct cap_slot *rx, const struct cap_slot *tx, const struct obs_view *o,
    int64_t skew_us)
{
	const struct capfile *cover = NULL;
	size_t i;

	for (i = 0; i < rx->nseg && !cover; i++)
		if (rx->seg[i].complete && rx->seg[i].started_us <= o->last_sent_us - skew_us &&
		    rx->seg[i].finished_us >= o->last_sent_us + TRANSIT_US + skew_us)
			cover = &rx->seg[i];
	if (!cover)
		return any_complete(rx) ? INC_RX_WINDOW : INC_NO_RX_CAPTURE;
	if (!meta_lossless(cover))
		return INC_RX_LOSSY;
	if (o->last_sent_seg >= tx->nseg || !meta_lossless(&tx->seg[o->last_sent_seg]))
		return INC_TX_LOSSY;
	return INC_NONE;
}

static void
classify_crossed(const struct obs_view *o, struct probe_result *r)
{
	r->obs = OBS_OPEN;
	r->proof = o->narrived > 0 ? PROOF_TWO_SIDED : PROOF_HANDSHAKE;
	if (o->reply == EV_ANSWER)
		r->ev = EVD_ANSWERED;
	else if (o->reply == EV_RESET)
		r->ev = EVD_HOST_RESET;
	else if (o->host_replied && o->reply == EV_NONE)
		r->ev = EVD_ONE_WAY;
	else
		r->ev = EVD_ARRIVED;
}

/* A SYN-ACK with no arrival: from the host, unless the far side was live
 * and lossless over the probe's window and saw no SYN, when a middle box
 * (a SYN proxy) answered and nothing shows the SYN would have crossed. */
static void
classify_answered(const struct obs_view *o, enum inconclusive_reason doubt,
    struct probe_result *r)
{
	if (doubt != INC_NONE) {
		classify_crossed(o, r);
		return;
	}
	r->ev = EVD_MIDDLEBOX_ANSWER;
	r->obs = OBS_UNKNOWN;
	r->why = INC_MIDDLEBOX;
	r->proof = PROOF_NONE;
}

/* An ICMP port unreachable from the probe's own destination: the host
 * refused what reached it. */
static bool
host_refused(const struct corr *c, const struct probe *p, const struct obs_view *o)
{
	bool v6 = addr_is_v6(&o->from);

	return addr_eq(&o->from, plan_probe_dst(c->pl, p)) &&
	    (v6 ? o->itype == 1 && o->icode == 4 : o->itype == 3 && o->icode == 3);
}

/* Hops a reply travelled: senders start at 64, 128 or 255. */
static uint8_t
hops_of(uint8_t ttl)
{
	uint8_t start = ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
	return (uint8_t)(start - ttl);
}

/* Without the far side, a reset is judged by its distance: one that comes
 * from nearer than the host's own SYN-ACKs was sent by a middle box on the
 * host's behalf; one from as far is the host's.  Returns false when there
 * is no SYN-ACK from that address to compare with. */
static bool
classify_reset_by_hops(const struct corr *c, const struct probe *p, const struct obs_view *o,
    struct probe_result *r)
{
	uint8_t ref = c->host_hops ? c->host_hops[p->dst][p->dst_addr] : 0, h = hops_of(o->ttl);

	if (ref == 0)
		return false;
	r->by_hops = true;
	r->host_hops = (uint8_t)(ref - 1);
	if (h + 1 < ref) {
		r->ev = EVD_FIREWALL_RESET;
		r->obs = OBS_CLOSED;
	} else {
		r->ev = EVD_HOST_RESET;
		r->obs = OBS_OPEN;
	}
	return true;
}

static void
classify_stopped(const struct corr *c, const struct probe *p, const struct obs_view *o,
    const struct cap_slot *rx, const struct cap_slot *tx, struct probe_result *r)
{
	enum inconclusive_reason doubt = rx_doubt(rx, tx, o, c->skew_us);

	r->proof = PROOF_TWO_SIDED;
	if (o->reply == EV_UNREACH) {
		/* An unreachable names its sender and quotes our probe: proof
		 * on its own.  From the destination itself it says the host
		 * refused what crossed, unless the far side, live and lossless,
		 * shows that nothing did (a box forging the host's address). */
		if (doubt != INC_NONE)
			r->proof = PROOF_ICMP;
		if (doubt != INC_NONE && host_refused(c, p, o)) {
			r->ev = EVD_HOST_REFUSED;
			r->obs = OBS_OPEN;
		} else {
			r->ev = EVD_ICMP_UNREACHABLE;
			r->obs = OBS_CLOSED;
		}
	} else if (doubt != INC_NONE && doubt != INC_TX_LOSSY && o->reply == EV_RESET &&
	    classify_reset_by_hops(c, p, o, r)) {
		r->proof = PROOF_HOP_DISTANCE;
	} else if (doubt != INC_NONE && !(o->reply == EV_RESET && doubt == INC_TX_LOSSY)) {
		r->ev = EVD_INCONCLUSIVE;
		r->obs = OBS_UNKNOWN;
		r->why = doubt;
		r->proof = PROOF_NONE;
	} else if (o->reply == EV_RESET) {
		r->ev = EVD_FIREWALL_RESET;
		r->obs = OBS_CLOSED;
	} else {
		r->ev = EVD_SILENT_DROP;
		r->obs = OBS_CLOSED;
	}
}

static void
classify(const struct corr *c, uint32_t id, struct probe_result *r)
{
	const struct probe *p = plan_probe(c->pl, id);
	struct obs_view ov, *o = &ov;
	const struct cap_slot *tx = &c->tx[p->src], *rx = &c->rx[p->dst];

	expand(c, id, o);
	memset(r, 0, sizeof(*r));
	r->sent_us = o->sent_us;
	r->reply_ttl = o->ttl;
	r->icmp_type = o->itype;
	r->icmp_code = o->icode;
	r->reply_from = o->from;
	r->sent_frame = o->sent_frame;
	r->sent_seg = o->sent_seg;
	r->reply_seg = o->reply_seg;
	r->arrived_seg = o->arrived_seg;
	r->tries = o->nsent > UINT8_MAX ? UINT8_MAX : (uint8_t)o->nsent;
	r->arrivals = o->narrived > UINT8_MAX ? UINT8_MAX : (uint8_t)o->narrived;
	r->sent_src = o->sent_src;
	r->sent_sport = o->sent_sport;
	r->arr_src = o->arr_src;
	r->arr_dst = o->arr_dst;
	r->arr_sport = o->arr_sport;
	r->arr_dport = o->arr_dport;
	r->arr_vouched = o->arr_vouched;
	r->translated = o->narrived > 0 && o->nsent > 0 &&
	    (!addr_eq(&o->arr_src, &o->sent_src) || !addr_eq(&o->arr_dst, plan_probe_dst(c->pl, p)) ||
	    o->arr_sport != o->sent_sport || o->arr_dport != p->port);
	r->reply_frame = o->reply_frame;
	r->arrived_frame = o->arrived_frame;
	if (o->nsent == 0) {
		r->ev = EVD_INCONCLUSIVE;
		r->obs = OBS_UNKNOWN;
		r->why = any_complete(tx) ? INC_NOT_SENT : INC_NO_TX_CAPTURE;
		r->proof = PROOF_NONE;
	} else if (o->narrived > 0) {
		classify_crossed(o, r);
	} else if (o->reply == EV_ANSWER && c->tls && p->tls) {
		/* A TLS probe's handshake went on past the SYN-ACK: tlsev
		 * judges below what answered it (a proxy that re-originates
		 * TLS, or the host itself behind a SYN proxy). */
		classify_crossed(o, r);
	} else if (o->reply == EV_ANSWER) {
		classify_answered(o, rx_doubt(rx, tx, o, c->skew_us), r);
	} else {
		classify_stopped(c, p, o, rx, tx, r);
	}
	/* For audits that need proof, a distance is no verdict. */
	if (c->require_proof && r->proof == PROOF_HOP_DISTANCE) {
		r->ev = EVD_INCONCLUSIVE;
		r->obs = OBS_UNKNOWN;
		r->why = INC_HOPS_ONLY;
		r->proof = PROOF_NONE;
	}
	if (r->obs == OBS_UNKNOWN)
		r->verdict = VERDICT_INCONCLUSIVE;
	else if (r->ev == EVD_ONE_WAY)
		r->verdict = VERDICT_FAIL;   /* crossed, so not closed; unanswered, so not open */
	else
		r->verdict = ((r->obs == OBS_OPEN) == p->expect_open) ? VERDICT_PASS : VERDICT_FAIL;
	if (c->tls && p->tls) {
		enum inconclusive_reason doubt = o->nsent ? rx_doubt(rx, tx, o, c->skew_us) : INC_NOT_SENT;

		tlsev_classify(c->tls, id, r, doubt, c->skew_us);
		/* Re-originated means none of our ClientHellos reached the host:
		 * that rests on the far side's capture. */
		if (r->ev == EVD_TLS_REORIGINATED && doubt == INC_NONE)
			r->proof = PROOF_TWO_SIDED;
		else if (r->obs == OBS_UNKNOWN)
			r->proof = PROOF_NONE;
	}
}

static void
tally(struct rule_summary *s, enum verdict v)
{
	s->probes++;
	if (v == VERDICT_PASS)
		s->pass++;
	else if (v == VERDICT_FAIL)
		s->fail++;
	else
		s->inconclusive++;
	/* Inconclusive is never silently a pass; a fail outranks both. */
	s->verdict = s->fail ? VERDICT_FAIL : s->inconclusive ? VERDICT_INCONCLUSIVE : VERDICT_PASS;
}

/* The hop distance of every destination address that answered a SYN, from
 * its nearest SYN-ACK; stored +1 so that 0 means "never answered". */
static void
learn_host_hops(struct corr *c)
{
	size_t ne = profile_nendpoints(plan_profile(c->pl)), e;
	uint32_t i;

	c->host_hops = calloc(ne ? ne : 1, sizeof(*c->host_hops));
	for (e = 0; c->host_hops && e < ne; e++) {
		size_t na = plan_naddrs(c->pl, e);
		c->host_hops[e] = na ? calloc(na, 1) : NULL;
	}
	if (!c->host_hops)
		return;
	for (i = 0; i < plan_nprobes(c->pl); i++) {
		const struct probe *p = plan_probe(c->pl, i);
		const struct reply *rp = reply_of(c, &c->obs[i]);
		uint8_t *slot = c->host_hops[p->dst] ? &c->host_hops[p->dst][p->dst_addr] : NULL;
		uint8_t h;

		if (!slot || !rp || rp->ev != EV_ANSWER || !addr_eq(addr_at(c, rp->from),
		    plan_probe_dst(c->pl, p)))
			continue;
		h = (uint8_t)(hops_of(rp->ttl) + 1);
		if (*slot == 0 || h < *slot)
			*slot = h;
	}
}

void
corr_require_proof(struct corr *c, bool on)
{
	c->require_proof = on;
}

void
corr_set_skew(struct corr *c, int64_t skew_us)
{
	c->skew_us = skew_us > 0 ? skew_us : 0;
}

void
corr_finish(struct corr *c)
{
	size_t nr = profile_nrules(plan_profile(c->pl));
	uint32_t i;

	memset(c->rules, 0, (nr + 1) * sizeof(*c->rules));
	memset(&c->total, 0, sizeof(c->total));
	if (!c->host_hops)
		learn_host_hops(c);
	tlsev_set_ca(c->tls, c->ca_file ? c->ca_file : c->ca_dir[0] ? c->ca_dir : NULL);
	for (i = 0; i < plan_nprobes(c->pl); i++) {
		const struct probe *p = plan_probe(c->pl, i);
		struct probe_result r;

		classify(c, i, &r);
		tally(&c->rules[p->rule == PLAN_RULE_DEFAULT ? nr : p->rule], r.verdict);
		tally(&c->total, r.verdict);
	}
}

const struct probe_result *
corr_result(const struct corr *c, uint32_t id)
{
	struct probe_result *r;

	if (id >= plan_nprobes(c->pl))
		return NULL;
	r = &c->ring->r[c->ring->next++ % CORR_RESULT_SLOTS];
	classify(c, id, r);
	return r;
}

struct rule_summary
corr_rule(const struct corr *c, uint32_t rule)
{
	size_t nr = profile_nrules(plan_profile(c->pl));

	if (rule == PLAN_RULE_DEFAULT)
		return c->rules[nr];
	return rule < nr ? c->rules[rule] : (struct rule_summary){ 0 };
}

struct rule_summary corr_total(const struct corr *c) { return c->total; }

void corr_set_ca(struct corr *c, const char *ca_file) { c->ca_file = ca_file; }
const struct tls_result *corr_tls(const struct corr *c, uint32_t id) { return tlsev_result(c->tls, id); }
const char *corr_tls_problem(const struct corr *c) { return tlsev_log_problem(c->tls); }
uint64_t corr_foreign(const struct corr *c) { return c->foreign; }

static const char *
icmp_meaning(bool v6, uint8_t type, uint8_t code)
{
	static const char *const v4[16] = {
		[0] = " net unreachable", [1] = " host unreachable", [2] = " protocol unreachable",
		[3] = " port unreachable", [9] = " net administratively prohibited",
		[10] = " host administratively prohibited", [13] = " administratively prohibited",
	};
	static const char *const v6names[8] = {
		[0] = " no route", [1] = " administratively prohibited", [2] = " beyond scope",
		[3] = " address unreachable", [4] = " port unreachable", [5] = " source policy",
		[6] = " reject route",
	};

	if (v6)
		return type == 1 && code < 8 && v6names[code] ? v6names[code] : "";
	return type == 3 && code < 16 && v4[code] ? v4[code] : "";
}

static const char *
reason_text(enum inconclusive_reason w)
{
	switch (w) {
	case INC_NOT_SENT: return "the probe was never seen leaving the sender";
	case INC_NO_TX_CAPTURE: return "no usable capture from the sender";
	case INC_NO_RX_CAPTURE: return "no usable capture from the far side";
	case INC_RX_LOSSY: return "the far-side capture dropped packets";
	case INC_RX_WINDOW: return "the far-side capture did not cover the probe's window";
	case INC_TX_LOSSY: return "the sender's capture dropped packets, a reply may be lost";
	case INC_MIDDLEBOX: return "a middle box answered";
	case INC_HOPS_ONLY: return "only the hop distance of a reply tells who sent it, and "
	    "--require-proof asks for more";
	case INC_NONE: break;
	}
	return "";
}

/* "(translated: A:p -> B:q arrived as C:r -> D:s)" when NAT/PAT rewrote it. */
static void
append_translation(const struct corr *c, uint32_t id, char *buf, size_t len)
{
	const struct probe *p = plan_probe(c->pl, id);
	const struct probe_result *r = corr_result(c, id);
	char a[ADDR_STRLEN], b[ADDR_STRLEN], x[ADDR_STRLEN], y[ADDR_STRLEN];
	size_t n = strlen(buf);

	if (!r->translated || n >= len)
		return;
	snprintf(buf + n, len - n, " (translated: %s:%u -> %s:%u arrived as %s:%u -> %s:%u)",
	    addr_fmt(&r->sent_src, a), r->sent_sport, addr_fmt(plan_probe_dst(c->pl, p), b), p->port,
	    addr_fmt(&r->arr_src, x), r->arr_sport, addr_fmt(&r->arr_dst, y), r->arr_dport);
}

/* The worst certificate check, when one did not pass: the reason a TLS
 * probe that crossed can still fail. */
static void
tls_cert_detail(const struct tls_result *x, char *buf, size_t len)
{
	size_t i, n = strlen(buf);

	if (!x || !x->evaluated || x->eval.worst == TLSCERT_PASS || n >= len)
		return;
	for (i = 0; i < x->eval.n; i++)
		if (x->eval.r[i].verdict == x->eval.worst) {
			snprintf(buf + n, len - n, "; certificate %s %s: %s",
			    tlscert_check_name(x->eval.r[i].check),
			    x->eval.worst == TLSCERT_FAIL ? "FAIL" : "warn", x->eval.r[i].reason);
			return;
		}
}

void
probe_result_detail(const struct corr *c, uint32_t id, char *buf, size_t len)
{
	const struct probe *p = plan_probe(c->pl, id);
	const struct probe_result *r = corr_result(c, id);
	const char *dst = profile_endpoint(plan_profile(c->pl), p->dst)->name;
	const char *what = p->proto == RP_PROTO_UDP ? "datagram" : "SYN";
	bool v6 = addr_is_v6(&r->reply_from);
	const char *icmp = v6 ? "ICMPv6" : "ICMP";
	char from[ADDR_STRLEN];

	addr_fmt(&r->reply_from, from);
	if (corr_tls(c, id) && r->ev >= EVD_TLS_INTACT && r->ev <= EVD_TLS_BLOCKED_AFTER_SYN)
		snprintf(buf, len, "%s", corr_tls(c, id)->reason);
	else switch (r->ev) {
	case EVD_ARRIVED:
		if (reply_ev(c, &c->obs[id]) == EV_UNREACH)
			snprintf(buf, len, "%s arrived at %s; %s %u/%u%s from %s", what, dst, icmp, r->icmp_type,
			    r->icmp_code, icmp_meaning(v6, r->icmp_type, r->icmp_code), from);
		else
			snprintf(buf, len, "%s arrived at %s", what, dst);
		break;
	case EVD_ANSWERED:
		snprintf(buf, len, "SYN-ACK from %s ttl %u", from, r->reply_ttl);
		break;
	case EVD_HOST_RESET:
		if (r->by_hops)
			snprintf(buf, len, "RST from %s ttl %u, %u hops away like the host's own SYN-ACKs "
			    "(no far-side capture)", from, r->reply_ttl, hops_of(r->reply_ttl));
		else
			snprintf(buf, len, "SYN arrived at %s; RST from %s ttl %u", dst, from, r->reply_ttl);
		break;
	case EVD_FIREWALL_RESET:
		if (r->by_hops)
			snprintf(buf, len, "RST from %s ttl %u, %u hops away, nearer than the host's own "
			    "SYN-ACKs (%u hops; no far-side capture)", from, r->reply_ttl,
			    hops_of(r->reply_ttl), r->host_hops);
		else
			snprintf(buf, len, "RST from %s ttl %u; %s never reached %s (capture live, lossless)",
			    from, r->reply_ttl, what, dst);
		break;
	case EVD_ICMP_UNREACHABLE:
		if (r->proof == PROOF_TWO_SIDED)
			snprintf(buf, len, "%s %u/%u%s from %s; %s never reached %s (capture live, lossless)",
			    icmp, r->icmp_type, r->icmp_code, icmp_meaning(v6, r->icmp_type, r->icmp_code),
			    from, what, dst);
		else
			snprintf(buf, len, "%s %u/%u%s from %s", icmp, r->icmp_type, r->icmp_code,
			    icmp_meaning(v6, r->icmp_type, r->icmp_code), from);
		break;
	case EVD_HOST_REFUSED:
		snprintf(buf, len, "%s %u/%u%s from %s itself: the %s crossed, the host refused it "
		    "(no far-side capture)", icmp, r->icmp_type, r->icmp_code,
		    icmp_meaning(v6, r->icmp_type, r->icmp_code), dst, what);
		break;
	case EVD_ONE_WAY:
		snprintf(buf, len, "%s arrived at %s and the host answered, but the answer never came "
		    "back (one-way)", what, dst);
		break;
	case EVD_MIDDLEBOX_ANSWER:
		snprintf(buf, len, "SYN-ACK from %s ttl %u, but the SYN never reached %s (capture live, "
		    "lossless): a middle box answered (SYN proxy?)", from, r->reply_ttl, dst);
		break;
	case EVD_SILENT_DROP:
		snprintf(buf, len, "nothing reached %s, nothing came back (capture live, lossless)", dst);
		break;
	case EVD_INCONCLUSIVE:
		if (r->why == INC_RX_WINDOW && c->skew_us > 0)
			snprintf(buf, len, "%s (allowing %lld ms of clock skew)", reason_text(r->why),
			    (long long)(c->skew_us / 1000));
		else
			snprintf(buf, len, "%s", reason_text(r->why));
		break;
	case EVD_TLS_INTACT: case EVD_TLS_SNI_ALTERED: case EVD_TLS_ALTERED:
	case EVD_TLS_REORIGINATED: case EVD_TLS_BLOCKED_AFTER_SYN:
		break;
	}
	if (corr_tls(c, id) && (r->ev < EVD_TLS_INTACT || r->ev > EVD_TLS_BLOCKED_AFTER_SYN) &&
	    corr_tls(c, id)->reason[0]) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "; TLS: %s", corr_tls(c, id)->reason);
	}
	tls_cert_detail(corr_tls(c, id), buf, len);
	append_translation(c, id, buf, len);
	if (r->tries > 1) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, " [%u tries]", r->tries);
	}
}
