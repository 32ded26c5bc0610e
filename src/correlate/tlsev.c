#include "correlate/tlsev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/hex.h"

/* A ClientHello is whole within this much of a client's stream. */
#define TLSEV_STREAM_LIMIT 16384
/* Flows followed in one capture; more are not TLS probes of ours. */
#define TLSEV_MAX_FLOWS    65536
/* How long after a try ended another's ClientHello still counts. */
#define TLSEV_TRANSIT_US   250000
#define TLSEV_NONE         UINT32_MAX

/* One TLS probe. */
struct tprobe {
	uint32_t          id;
	uint16_t          sport;
	bool              has_sent_ja4;
	char              ja4_sent[TLS_JA4_SIZE];
	bool              hello_seen_sent;
	bool              arrived;                 /* a ClientHello with our random */
	char              sni_arr[256], ja4_arr[TLS_JA4_SIZE];
	uint8_t           arr_random[TLSLOG_RANDOM];
	uint32_t          arr_frame;
	uint8_t           arr_seg;
	/* Client data of its flow reached the far side but no ClientHello
	 * could be read from it: why. */
	char              unread[96];
	struct tls_result res;
	struct tlscert_chain *chain;
};

/* One TCP flow of a TLS probe (or, at the far side, one whose probe is not
 * known yet), by its client-side 4-tuple. */
struct flow {
	struct rp_addr      csrc, cdst;
	uint16_t            csport, cdport;
	uint32_t            isn;
	uint32_t            probe;      /* tprobe index, or TLSEV_NONE */
	bool                syn_reported, hello_done, at_rx;
	struct pkt          syn;        /* addresses and ports only */
	int64_t             syn_ts;
	uint32_t            syn_frame;
	uint8_t             seg;
	struct tcp_collect *cc;         /* only while a ClientHello is awaited */
	uint32_t            next;       /* hash chain, TLSEV_NONE at its end */
};

#define TLSEV_HASH 65536

/* A ClientHello with a random no sender logged. */
struct foreign {
	size_t   ep;
	uint16_t dport;
	int64_t  ts;
	char     sni[256];
};

struct rnd_ent {
	uint8_t                  random[TLSLOG_RANDOM];
	const struct tlslog_try *t;
};

struct tlsev {
	const struct plan *pl;
	struct probeid    *pid;
	uint32_t          *probe_of;    /* plan probe id -> tprobe index */
	struct tprobe     *tp;
	size_t             ntp;
	uint32_t          *bysport;     /* tprobe indexes sorted by sport */
	struct tlslog     *logs;        /* per endpoint (segments appended) */
	struct tlsrx_log  *rx;          /* per endpoint and run segment (rx_of) */
	struct tlscert_chain **inside;  /* per rx port, lazily */
	size_t             ninside;
	struct rnd_ent    *rnd;
	size_t             nrnd;
	struct flow       *flows;
	size_t             nflows, capflows;
	uint32_t          *heads;       /* TLSEV_HASH chains of flows by 4-tuple */
	struct foreign    *fh;
	size_t             nfh, capfh;
	uint8_t           *ports;       /* per capture: 65536 bits, TLS ports of the endpoint */
	uint8_t            hs[TLSEV_STREAM_LIMIT];
	char               problem[512];
	const char        *ca_file;
	struct tlscert_store *store;    /* the CA bundle, opened at the first `trusted` */
	bool               store_tried;
};

static int
cmp_sport(const void *a, const void *b, void *arg)
{
	const struct tprobe *tp = arg;
	uint16_t x = tp[*(const uint32_t *)a].sport, y = tp[*(const uint32_t *)b].sport;

	return x < y ? -1 : x > y;
}

static int
cmp_rnd(const void *a, const void *b)
{
	return memcmp(((const struct rnd_ent *)a)->random, ((const struct rnd_ent *)b)->random,
	    TLSLOG_RANDOM);
}

static void
note_problem(struct tlsev *t, const char *msg)
{
	size_t n = strlen(t->problem);

	if (n < sizeof(t->problem) - 1)
		snprintf(t->problem + n, sizeof(t->problem) - n, "%s%s", n ? "; " : "", msg);
}

static struct tlsrx_log *
rx_of(const struct tlsev *t, size_t ep, unsigned seg)
{
	return &t->rx[ep * CORR_MAX_SEGMENTS + seg];
}

/* Every segment of an endpoint's log: the sender's tries into one list,
 * each marked with its segment; the listener's per segment, since each
 * resumed segment has its own responder.  A segment without a log is
 * skipped, not the end: an endpoint with nothing left to send in one
 * resumed segment writes none. */
static void
read_logs(struct tlsev *t, const char *dir, size_t ep, bool at_sender)
{
	const char *name = profile_endpoint(plan_profile(t->pl), ep)->name;
	char fn[300], path[1400], err[600];
	unsigned seg;

	for (seg = 0; seg < CORR_MAX_SEGMENTS; seg++) {
		tlslog_name(name, at_sender, seg, fn, sizeof(fn));
		snprintf(path, sizeof(path), "%s/%s", dir, fn);
		if (access(path, F_OK) != 0)
			continue;
		if (at_sender) {
			struct tlslog l;
			size_t i;

			if (tlslog_read(&l, path, err, sizeof(err)) != 0) {
				note_problem(t, err);
				continue;
			}
			for (i = 0; i < l.n; i++) {
				l.t[i].seg = (uint8_t)seg;
				if (tlslog_add(&t->logs[ep], &l.t[i]) != 0)
					note_problem(t, "out of memory");
			}
			tlslog_free(&l);
		} else if (tlsrx_read(rx_of(t, ep, seg), path, err, sizeof(err)) != 0) {
			note_problem(t, err);
		}
	}
}

/* The client randoms of every logged try, sorted, for the far side. */
static int
index_randoms(struct tlsev *t, size_t ne)
{
	size_t e, i, n = 0;

	for (e = 0; e < ne; e++)
		n += t->logs[e].n;
	t->rnd = calloc(n ? n : 1, sizeof(*t->rnd));
	if (!t->rnd)
		return -1;
	for (e = 0; e < ne; e++)
		for (i = 0; i < t->logs[e].n; i++) {
			const struct tlslog_try *tr = &t->logs[e].t[i];
			const struct probe *p = plan_probe(t->pl, tr->probe);

			/* A try is only believed for the probe its sender sends. */
			if (!tr->has_random || !p || p->src != e || t->probe_of[tr->probe] == TLSEV_NONE)
				continue;
			memcpy(t->rnd[t->nrnd].random, tr->random, TLSLOG_RANDOM);
			t->rnd[t->nrnd++].t = tr;
		}
	qsort(t->rnd, t->nrnd, sizeof(*t->rnd), cmp_rnd);
	return 0;
}

struct tlsev *
tlsev_new(const struct plan *pl, const uint8_t key[PROBEID_KEYLEN], const char *dir, bool *oom)
{
	size_t ne = profile_nendpoints(plan_profile(pl)), e;
	uint32_t i, n = plan_nprobes(pl);
	struct tlsev *t;

	*oom = false;
	for (i = 0; i < n && !plan_probe(pl, i)->tls; i++)
		;
	if (i == n)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t || !(t->probe_of = malloc((n + 1) * sizeof(*t->probe_of))) ||
	    !(t->tp = calloc(n, sizeof(*t->tp))) || !(t->bysport = calloc(n, sizeof(*t->bysport))) ||
	    !(t->logs = calloc(ne ? ne : 1, sizeof(*t->logs))) ||
	    !(t->rx = calloc((ne ? ne : 1) * CORR_MAX_SEGMENTS, sizeof(*t->rx))) || !(t->pid = probeid_new(key)) ||
	    !(t->ports = calloc(65536 / 8, 1)) || !(t->heads = malloc(TLSEV_HASH * sizeof(*t->heads))))
		goto oom;
	memset(t->heads, 0xff, TLSEV_HASH * sizeof(*t->heads));
	t->pl = pl;
	for (i = 0; i < n; i++) {
		const struct probe *p = plan_probe(pl, i);
		struct probe_carriers car;

		t->probe_of[i] = TLSEV_NONE;
		if (!p->tls || p->proto != RP_PROTO_TCP)
			continue;
		probeid_encode(t->pid, i, &car);
		t->probe_of[i] = (uint32_t)t->ntp;
		t->tp[t->ntp].id = i;
		t->tp[t->ntp].sport = car.sport;
		t->bysport[t->ntp] = (uint32_t)t->ntp;
		t->ntp++;
	}
	qsort_r(t->bysport, t->ntp, sizeof(*t->bysport), cmp_sport, t->tp);
	for (e = 0; e < plan_nsenders(pl); e++)
		read_logs(t, dir, plan_sender(pl, e), true);
	for (e = 0; e < plan_nreceivers(pl); e++)
		read_logs(t, dir, plan_receiver(pl, e), false);
	if (index_randoms(t, ne) != 0)
		goto oom;
	return t;
oom:
	*oom = true;
	tlsev_free(t);
	return NULL;
}

/* A far-side flow of a known probe whose client data gave no ClientHello. */
static void
note_unread(struct tlsev *t, const struct flow *f, const char *why)
{
	if (f->at_rx && f->probe != TLSEV_NONE && !t->tp[f->probe].unread[0])
		snprintf(t->tp[f->probe].unread, sizeof(t->tp[f->probe].unread), "%s", why);
}

static void
free_flows(struct tlsev *t)
{
	size_t i;

	for (i = 0; i < t->nflows; i++) {
		if (t->flows[i].cc)
			note_unread(t, &t->flows[i], "the capture ends before it is whole");
		tcpc_free(t->flows[i].cc);
	}
	t->nflows = 0;
	if (t->heads)
		memset(t->heads, 0xff, TLSEV_HASH * sizeof(*t->heads));
}

void
tlsev_free(struct tlsev *t)
{
	size_t e, i, ne;

	if (!t)
		return;
	ne = t->pl ? profile_nendpoints(plan_profile(t->pl)) : 0;
	free_flows(t);
	free(t->flows);
	for (i = 0; t->tp && i < t->ntp; i++)
		tlscert_chain_free(t->tp[i].chain);
	for (e = 0; e < ne; e++)
		if (t->logs)
			tlslog_free(&t->logs[e]);
	for (e = 0; t->rx && e < ne * CORR_MAX_SEGMENTS; e++)
		tlsrx_free(&t->rx[e]);
	for (i = 0; t->inside && i < t->ninside; i++)
		tlscert_chain_free(t->inside[i]);
	free(t->inside);
	free(t->logs);
	free(t->rx);
	free(t->rnd);
	free(t->fh);
	free(t->probe_of);
	free(t->tp);
	free(t->bysport);
	free(t->ports);
	free(t->heads);
	tlscert_store_free(t->store);
	probeid_free(t->pid);
	free(t);
}

const char *
tlsev_log_problem(const struct tlsev *t)
{
	return t && t->problem[0] ? t->problem : NULL;
}

void
tlsev_set_ca(struct tlsev *t, const char *ca_file)
{
	if (!t)
		return;
	t->ca_file = ca_file;
	tlscert_store_free(t->store);
	t->store = NULL;
	t->store_tried = false;
}

/* ---- packets ---- */

static bool
self_is(const struct tlsev *t, size_t ep, const struct rp_addr *a)
{
	struct probe_self s = { .pl = t->pl, .endpoint = ep };

	return probe_self_is(&s, a);
}

/* The TLS probe of endpoint's (as sender or receiver) with this source port
 * tag to this port (and, at the sender, this address). */
static uint32_t
by_sport(const struct tlsev *t, uint16_t sport, uint16_t dport, const struct rp_addr *dst,
    size_t ep, bool at_sender)
{
	size_t lo = 0, hi = t->ntp;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->tp[t->bysport[mid]].sport < sport)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->ntp && t->tp[t->bysport[lo]].sport == sport; lo++) {
		const struct tprobe *tp = &t->tp[t->bysport[lo]];
		const struct probe *p = plan_probe(t->pl, tp->id);

		if (p->port != dport || (at_sender ? p->src : p->dst) != ep)
			continue;
		if (at_sender && !addr_eq(plan_probe_dst(t->pl, p), dst))
			continue;
		return t->bysport[lo];
	}
	return TLSEV_NONE;
}

static uint32_t
flow_hash(const struct rp_addr *s, uint16_t sp, const struct rp_addr *d, uint16_t dp)
{
	uint32_t h = 2166136261u ^ ((uint32_t)sp << 16 | dp);
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ s->b[i]) * 16777619u, h = (h ^ d->b[i]) * 16777619u;
	return (h ^ (h >> 16)) % TLSEV_HASH;
}

static struct flow *
find_flow(struct tlsev *t, const struct rp_addr *s, uint16_t sp, const struct rp_addr *d,
    uint16_t dp)
{
	uint32_t i;

	/* Chains hold the newest first: a retry reuses its 4-tuple. */
	for (i = t->heads[flow_hash(s, sp, d, dp)]; i != TLSEV_NONE; i = t->flows[i].next) {
		struct flow *f = &t->flows[i];
		if (f->csport == sp && f->cdport == dp && addr_eq(&f->csrc, s) && addr_eq(&f->cdst, d))
			return f;
	}
	return NULL;
}

static struct flow *
new_flow(struct tlsev *t, const struct pkt *p, int64_t ts, uint32_t frame, uint8_t seg,
    uint32_t probe)
{
	struct flow *f;

	if (t->nflows == t->capflows) {
		size_t nc = t->capflows ? t->capflows * 2 : 64;
		struct flow *nf;

		if (nc > TLSEV_MAX_FLOWS || !(nf = realloc(t->flows, nc * sizeof(*nf))))
			return NULL;
		t->flows = nf;
		t->capflows = nc;
	}
	f = &t->flows[t->nflows];
	memset(f, 0, sizeof(*f));
	{
		uint32_t h = flow_hash(&p->ip.src, p->l4.sport, &p->ip.dst, p->l4.dport);
		f->next = t->heads[h];
		t->heads[h] = (uint32_t)t->nflows++;
	}
	f->csrc = p->ip.src;
	f->cdst = p->ip.dst;
	f->csport = p->l4.sport;
	f->cdport = p->l4.dport;
	f->isn = p->l4.seq;
	f->probe = probe;
	f->syn = *p;
	f->syn.l4.payload = NULL;
	f->syn.l4.payload_len = 0;
	f->syn_ts = ts;
	f->syn_frame = frame;
	f->seg = seg;
	return f;
}

static void
emit(const struct evidence_sink *c, uint32_t id, enum probe_event ev, uint32_t frame, uint8_t seg,
    const struct pkt *p, int64_t ts, size_t ep, bool at_sender)
{
	struct probe_match m = { .id = id, .ev = ev, .frame = frame, .vouched = CARRIER_SPORT,
	    .seg = seg };

	c->event(c->arg, &m, p, ts, ep, at_sender);
}

static void
ja4_of(const struct tls_client_hello *ch, char out[TLS_JA4_SIZE])
{
	if (tls_ja4(ch, out) != 0)
		out[0] = '\0';
}

static const struct rnd_ent *
find_random(const struct tlsev *t, const uint8_t r[TLSLOG_RANDOM])
{
	struct rnd_ent key;

	memcpy(key.random, r, TLSLOG_RANDOM);
	return bsearch(&key, t->rnd, t->nrnd, sizeof(*t->rnd), cmp_rnd);
}

static void
add_foreign(struct tlsev *t, size_t ep, uint16_t dport, int64_t ts, const struct tls_client_hello *ch)
{
	struct foreign *f;

	if (t->nfh == t->capfh) {
		size_t nc = t->capfh ? t->capfh * 2 : 16;
		struct foreign *nf;

		if (nc > TLSEV_MAX_FLOWS || !(nf = realloc(t->fh, nc * sizeof(*nf))))
			return;
		t->fh = nf;
		t->capfh = nc;
	}
	f = &t->fh[t->nfh++];
	f->ep = ep;
	f->dport = dport;
	f->ts = ts;
	if (!tls_sni_str(ch, f->sni, sizeof(f->sni)))
		f->sni[0] = '\0';
}

/* A whole ClientHello on a flow: at the sender, what was sent; at the far
 * side, what arrived, told by its random. */
static void
on_hello(struct tlsev *t, const struct evidence_sink *c, struct flow *f, const struct tls_client_hello *ch,
    int64_t ts, uint32_t frame, uint8_t seg, size_t ep, bool at_sender)
{
	const struct rnd_ent *re;
	struct tprobe *tp;

	if (at_sender) {
		tp = &t->tp[f->probe];
		tp->hello_seen_sent = true;
		if (!tp->has_sent_ja4) {
			ja4_of(ch, tp->ja4_sent);
			tp->has_sent_ja4 = true;
		}
		return;
	}
	re = find_random(t, ch->random);
	if (!re || plan_probe(t->pl, re->t->probe)->dst != ep) {
		add_foreign(t, ep, f->cdport, ts, ch);
		return;
	}
	f->probe = t->probe_of[re->t->probe];
	tp = &t->tp[f->probe];
	if (!f->syn_reported) {
		/* The SYN's source port was translated (PAT): its probe is
		 * known only now. */
		emit(c, tp->id, EV_ARRIVED, f->syn_frame, f->seg, &f->syn, f->syn_ts, ep, false);
		f->syn_reported = true;
	}
	if (tp->arrived)
		return;
	tp->arrived = true;
	memcpy(tp->arr_random, ch->random, TLSLOG_RANDOM);
	if (!tls_sni_str(ch, tp->sni_arr, sizeof(tp->sni_arr)))
		tp->sni_arr[0] = '\0';
	ja4_of(ch, tp->ja4_arr);
	tp->arr_frame = frame;
	tp->arr_seg = seg;
}

static void
client_data(struct tlsev *t, const struct evidence_sink *c, struct flow *f, const struct pkt *p, int64_t ts,
    uint32_t frame, uint8_t seg, size_t ep, bool at_sender)
{
	struct tls_client_hello ch;
	const uint8_t *data;
	const char *why = NULL;
	char msg[96];
	size_t len;
	enum tls_res r;

	if (f->hello_done || p->l4.payload_len == 0)
		return;
	/* Made at the first data, freed once the hello is parsed (or is not
	 * one): memory for the flows still awaiting theirs only. */
	if (!f->cc) {
		if (!(f->cc = tcpc_new(TLSEV_STREAM_LIMIT)))
			return;
		tcpc_add(f->cc, f->isn, true, NULL, 0);
	}
	tcpc_add(f->cc, p->l4.seq, false, p->l4.payload, p->l4.payload_len);
	data = tcpc_data(f->cc, &len);
	r = tls_client_hello_from_stream(data, len, t->hs, sizeof(t->hs), &ch, &why);
	if (r == TLS_NEED_MORE && len < TLSEV_STREAM_LIMIT)
		return;
	f->hello_done = true;
	if (r == TLS_OK) {
		on_hello(t, c, f, &ch, ts, frame, seg, ep, at_sender);
	} else {
		snprintf(msg, sizeof(msg), "%s%s%s", tls_res_name(r), why ? ": " : "", why ? why : "");
		note_unread(t, f, msg);
	}
	tcpc_free(f->cc);
	f->cc = NULL;
}

/* At the sender: its own SYNs and data, and what comes back. */
static bool
sender_packet(struct tlsev *t, const struct evidence_sink *c, const struct pkt *p, int64_t ts, uint32_t frame,
    uint8_t seg, size_t ep)
{
	const struct pkt_l4 *l = &p->l4;
	struct flow *f;

	if (p->kind == PKT_TCP && self_is(t, ep, &p->ip.src)) {
		f = find_flow(t, &p->ip.src, l->sport, &p->ip.dst, l->dport);
		if ((l->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN) {
			uint32_t k = f ? f->probe : by_sport(t, l->sport, l->dport, &p->ip.dst, ep, true);

			if (k == TLSEV_NONE)
				return false;
			if (!f || f->isn != l->seq)
				f = new_flow(t, p, ts, frame, seg, k);
			emit(c, t->tp[k].id, EV_SENT, frame, seg, p, ts, ep, true);
			return true;
		}
		if (!f)
			return false;
		client_data(t, c, f, p, ts, frame, seg, ep, true);
		return true;
	}
	if (p->kind == PKT_TCP && self_is(t, ep, &p->ip.dst)) {
		f = find_flow(t, &p->ip.dst, l->dport, &p->ip.src, l->sport);
		if (!f)
			return false;
		if ((l->flags & (TCPF_SYN | TCPF_ACK)) == (TCPF_SYN | TCPF_ACK))
			emit(c, t->tp[f->probe].id, EV_ANSWER, frame, seg, p, ts, ep, true);
		else if (l->flags & TCPF_RST)
			emit(c, t->tp[f->probe].id, EV_RESET, frame, seg, p, ts, ep, true);
		return true;
	}
	if (pkt_is_icmp_unreach(p) && p->q_kind == PKT_TCP && self_is(t, ep, &p->q_ip.src)) {
		f = find_flow(t, &p->q_ip.src, p->q_l4.sport, &p->q_ip.dst, p->q_l4.dport);
		if (!f)
			return false;
		emit(c, t->tp[f->probe].id, EV_UNREACH, frame, seg, p, ts, ep, true);
		return true;
	}
	return false;
}

static bool
port_is_tls(const struct tlsev *t, uint16_t port)
{
	return (t->ports[port / 8] >> (port % 8)) & 1;
}

static void
mark_ports(struct tlsev *t, size_t ep)
{
	size_t i;

	memset(t->ports, 0, 65536 / 8);
	for (i = 0; i < t->ntp; i++) {
		const struct probe *p = plan_probe(t->pl, t->tp[i].id);
		if (p->dst == ep)
			t->ports[p->port / 8] |= (uint8_t)(1u << (p->port % 8));
	}
}

/* At the far side: SYNs and data toward a TLS port of this host. */
static bool
receiver_packet(struct tlsev *t, const struct evidence_sink *c, struct probeid *pid, const struct pkt *p,
    int64_t ts, uint32_t frame, uint8_t seg, size_t ep)
{
	const struct pkt_l4 *l = &p->l4;
	struct flow *f;

	if (p->kind != PKT_TCP)
		return false;
	/* The host's side of a flow we follow.  Its address need not be the
	 * planned one: behind DNAT the host has its internal address. */
	if (find_flow(t, &p->ip.dst, l->dport, &p->ip.src, l->sport))
		return true;
	if (!port_is_tls(t, l->dport) || self_is(t, ep, &p->ip.src))
		return false;
	f = find_flow(t, &p->ip.src, l->sport, &p->ip.dst, l->dport);
	if ((l->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN) {
		uint32_t k = by_sport(t, l->sport, l->dport, NULL, ep, false);
		struct probe_self self = { .pl = t->pl, .endpoint = ep };
		struct probe_match m;

		if (f && f->isn == l->seq)
			return true;    /* a retransmission */
		/* Not a TLS probe's port tag: perhaps a raw probe to the same
		 * port, which its own kind judges. */
		memset(&m, 0, sizeof(m));
		if (probekind_decode(0, p, pid, plan_nprobes(t->pl), &self, false, &m) == DECODE_MATCH &&
		    !plan_probe(t->pl, m.id)->tls)
			return false;
		f = new_flow(t, p, ts, frame, seg, k);
		if (f)
			f->at_rx = true;
		if (f && k != TLSEV_NONE) {
			emit(c, t->tp[k].id, EV_ARRIVED, frame, seg, p, ts, ep, false);
			f->syn_reported = true;
		}
		return true;
	}
	if (!f)
		return false;
	client_data(t, c, f, p, ts, frame, seg, ep, false);
	return true;
}

/* Some TLS probe's flow (its keyed source port and its port), seen where
 * it is not evidence: a host that both sends and receives captures the
 * probes of others in its sender capture too. */
static bool
some_tls_flow(const struct tlsev *t, const struct pkt *p)
{
	size_t lo = 0, hi = t->ntp, k;
	uint16_t sp = p->l4.sport, dp = p->l4.dport;
	const struct rp_addr *sa = &p->ip.src, *da = &p->ip.dst;
	int dir;

	if (p->kind != PKT_TCP)
		return false;
	for (dir = 0; dir < 2; dir++, sp = p->l4.dport, dp = p->l4.sport, sa = &p->ip.dst,
	    da = &p->ip.src) {
		for (lo = 0, hi = t->ntp; lo < hi;) {
			size_t mid = (lo + hi) / 2;
			if (t->tp[t->bysport[mid]].sport < sp)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < t->ntp && t->tp[t->bysport[k]].sport == sp; k++) {
			const struct probe *q = plan_probe(t->pl, t->tp[t->bysport[k]].id);
			if (q->port == dp && addr_eq(plan_probe_dst(t->pl, q), da) &&
			    addr_eq(plan_probe_src(t->pl, q), sa))
				return true;
		}
	}
	return false;
}

bool
tlsev_packet(struct tlsev *t, const struct evidence_sink *c, struct probeid *pid, const struct pkt *p,
    int64_t ts_us, uint32_t frame, uint8_t seg, size_t ep, bool at_sender)
{
	bool mine;

	if (!t)
		return false;
	mine = at_sender ? sender_packet(t, c, p, ts_us, frame, seg, ep) :
	    receiver_packet(t, c, pid, p, ts_us, frame, seg, ep);
	return mine || some_tls_flow(t, p);
}

void
tlsev_capture_begin(struct tlsev *t, size_t ep, bool at_sender)
{
	if (!t)
		return;
	free_flows(t);
	if (!at_sender)
		mark_ports(t, ep);
}

void
tlsev_capture_done(struct tlsev *t)
{
	if (!t)
		return;
	free_flows(t);
	memset(t->ports, 0, 65536 / 8);
}

/* ---- classification ---- */

/* The try a report shows: the first whose handshake completed, else the
 * last; and how many were logged. */
static const struct tlslog_try *
pick_try(const struct tlsev *t, const struct probe *p, uint32_t *n)
{
	const struct tlslog *l = &t->logs[p->src];
	const struct tlslog_try *best = NULL;
	size_t i;

	*n = 0;
	for (i = 0; i < l->n; i++) {
		const struct tlslog_try *tr = &l->t[i];
		if (tr->probe != p->id)
			continue;
		(*n)++;
		if (!best || (best->outcome != TLSO_HANDSHAKE &&
		    (tr->outcome == TLSO_HANDSHAKE || tr->started_us >= best->started_us)))
			best = tr;
	}
	return best;
}

/* The listener's record of this probe's address and port in a segment. */
static const struct tlsrx_port *
rx_port(const struct tlsev *t, const struct probe *p, unsigned seg, size_t *idx)
{
	const struct tlsrx_log *rx = rx_of(t, p->dst, seg);
	size_t i;

	for (i = 0; i < rx->n; i++)
		if (rx->p[i].port == p->port && addr_eq(&rx->p[i].addr, plan_probe_dst(t->pl, p))) {
			if (idx)
				*idx = i;
			return &rx->p[i];
		}
	return NULL;
}

/* The try the report shows, and the segment (its log, its responder) the
 * probe is judged from. */
static void
show_try(struct tlsev *t, struct tprobe *tp, const struct probe *p)
{
	struct tls_result *x = &tp->res;
	const struct tlsrx_port *rp;

	x->shown = pick_try(t, p, &x->tries_logged);
	x->seg = x->shown ? x->shown->seg : 0;
	rp = rx_port(t, p, x->seg, NULL);
	x->generated_cert = rp && rp->state == TLSRX_SERVED &&
	    strcmp(rx_of(t, p->dst, x->seg)->cert_source, TLSRX_GENERATED) == 0;
}

bool
tls_result_comparable(const struct tls_result *a, const struct tls_result *b)
{
	return a->seg == b->seg || (!a->generated_cert && !b->generated_cert);
}

static const struct tlslog_try *
try_with_random(const struct tlsev *t, const uint8_t r[TLSLOG_RANDOM])
{
	const struct rnd_ent *re = find_random(t, r);
	return re ? re->t : NULL;
}

static bool
any_hello_sent(const struct tlsev *t, const struct probe *p, const struct tprobe *tp)
{
	const struct tlslog *l = &t->logs[p->src];
	size_t i;

	if (tp->hello_seen_sent)
		return true;
	for (i = 0; i < l->n; i++)
		if (l->t[i].probe == p->id && l->t[i].has_random && l->t[i].outcome != TLSO_REFUSED &&
		    l->t[i].outcome != TLSO_UNREACHABLE && l->t[i].outcome != TLSO_CONNECT_TIMEOUT)
			return true;
	return false;
}

/* Another's ClientHello reached this probe's host and port while one of
 * our tries was under way. */
static const struct foreign *
foreign_in_window(const struct tlsev *t, const struct probe *p, int64_t skew_us)
{
	const struct tlslog *l = &t->logs[p->src];
	size_t i, k;

	for (k = 0; k < t->nfh; k++) {
		const struct foreign *f = &t->fh[k];
		if (f->ep != p->dst || f->dport != p->port)
			continue;
		for (i = 0; i < l->n; i++) {
			const struct tlslog_try *tr = &l->t[i];
			if (tr->probe == p->id && f->ts >= tr->started_us - skew_us &&
			    f->ts <= tr->ended_us + TLSEV_TRANSIT_US + skew_us)
				return f;
		}
	}
	return NULL;
}

static bool
crossed(const struct probe_result *r)
{
	return r->ev == EVD_ARRIVED || r->ev == EVD_ANSWERED || r->ev == EVD_HOST_RESET;
}

static const char *
outcome_text(const struct tlslog_try *tr, char *buf, size_t len)
{
	if (!tr)
		snprintf(buf, len, "no try logged");
	else if (tr->outcome == TLSO_HANDSHAKE)
		snprintf(buf, len, "handshake done, %s %s", tr->version, tr->cipher);
	else if (tr->outcome == TLSO_ALERT)
		snprintf(buf, len, "alert %d%s%s", tr->alert, tls_alert_name((uint8_t)tr->alert) ? " " : "",
		    tls_alert_name((uint8_t)tr->alert) ? tls_alert_name((uint8_t)tr->alert) : "");
	else
		snprintf(buf, len, "%s%s%s", tls_outcome_name(tr->outcome), tr->error[0] ? ": " : "",
		    tr->error);
	return buf;
}

static void
class_arrived(struct tprobe *tp, const struct probe *p, struct probe_result *r,
    const struct tlslog_try *sent, const char *dst)
{
	struct tls_result *x = &tp->res;
	char oc[160];
	bool same_sni = strcmp(sent ? sent->sni : "", tp->sni_arr) == 0;
	bool same_ja4 = !tp->has_sent_ja4 || strcmp(tp->ja4_sent, tp->ja4_arr) == 0;

	(void)p;
	x->hello_arrived = true;
	x->hello_frame = tp->arr_frame;
	x->hello_seg = tp->arr_seg;
	snprintf(x->sni_arrived, sizeof(x->sni_arrived), "%s", tp->sni_arr);
	snprintf(x->ja4_arrived, sizeof(x->ja4_arrived), "%s", tp->ja4_arr);
	outcome_text(x->shown, oc, sizeof(oc));
	r->obs = OBS_OPEN;
	if (!same_sni) {
		r->ev = EVD_TLS_SNI_ALTERED;
		snprintf(x->reason, sizeof(x->reason), "ClientHello arrived at %s with SNI '%s', sent as '%s' "
		    "(same client random): a middlebox rewrote it; %s", dst, tp->sni_arr,
		    sent ? sent->sni : "", oc);
	} else if (!same_ja4) {
		r->ev = EVD_TLS_ALTERED;
		snprintf(x->reason, sizeof(x->reason), "ClientHello arrived at %s with JA4 %s, sent as %s "
		    "(same client random and SNI): a middlebox rewrote it; %s", dst, tp->ja4_arr,
		    tp->ja4_sent, oc);
	} else {
		r->ev = EVD_TLS_INTACT;
		snprintf(x->reason, sizeof(x->reason), "ClientHello arrived at %s intact (SNI %s%s%s%s); %s",
		    dst, tp->sni_arr[0] ? tp->sni_arr : "none", tp->has_sent_ja4 ? ", JA4 " : "",
		    tp->has_sent_ja4 ? tp->ja4_arr : "", tp->has_sent_ja4 ? " as sent" : "", oc);
	}
}

static void
classify_tls(struct tlsev *t, struct tprobe *tp, struct probe_result *r,
    enum inconclusive_reason doubt, int64_t skew_us)
{
	const struct probe *p = plan_probe(t->pl, tp->id);
	const char *dst = profile_endpoint(plan_profile(t->pl), p->dst)->name;
	struct tls_result *x = &tp->res;
	const struct foreign *fh;
	char oc[160];

	show_try(t, tp, p);
	x->hello_seen_sent = tp->hello_seen_sent;
	snprintf(x->sni_sent, sizeof(x->sni_sent), "%s", x->shown ? x->shown->sni : "");
	snprintf(x->ja4_sent, sizeof(x->ja4_sent), "%s", tp->has_sent_ja4 ? tp->ja4_sent : "");
	if (x->shown && x->shown->has_random)
		hex_encode(x->shown->random, TLSLOG_RANDOM, x->random, false);
	outcome_text(x->shown, oc, sizeof(oc));
	if (tp->arrived) {
		class_arrived(tp, p, r, try_with_random(t, tp->arr_random), dst);
		return;
	}
	if (!crossed(r) || !any_hello_sent(t, p, tp)) {
		snprintf(x->reason, sizeof(x->reason), "no ClientHello could follow: %s", oc);
		return;
	}
	/* Neither arrived intact nor missing: the SYN-level class stands. */
	if (tp->unread[0]) {
		snprintf(x->reason, sizeof(x->reason), "data of the probe's flow reached %s but no "
		    "ClientHello could be read from it (%s): what became of it cannot be told; %s", dst,
		    tp->unread, oc);
		return;
	}
	fh = foreign_in_window(t, p, skew_us);
	if (fh && x->shown && x->shown->outcome == TLSO_HANDSHAKE) {
		r->ev = EVD_TLS_REORIGINATED;
		r->obs = OBS_OPEN;
		x->foreign_hello = true;
		snprintf(x->reason, sizeof(x->reason), "our ClientHello never reached %s, yet our handshake "
		    "completed and a ClientHello with a client random we never sent (SNI '%s') reached it on "
		    "port %u: a middlebox opened its own TLS", dst, fh->sni, p->port);
		return;
	}
	if (doubt == INC_NONE && x->shown && x->shown->outcome == TLSO_HANDSHAKE) {
		r->ev = EVD_TLS_REORIGINATED;
		r->obs = OBS_OPEN;
		snprintf(x->reason, sizeof(x->reason), "our handshake completed (%s %s) but none of our "
		    "ClientHellos reached %s (capture live, lossless): something on the path answered TLS in "
		    "its place", x->shown->version, x->shown->cipher, dst);
		return;
	}
	if (doubt == INC_NONE || (r->ev == EVD_ANSWERED && x->shown &&
	    x->shown->outcome != TLSO_HANDSHAKE)) {
		r->ev = EVD_TLS_BLOCKED_AFTER_SYN;
		r->obs = OBS_CLOSED;
		r->why = INC_NONE;
		snprintf(x->reason, sizeof(x->reason), "the SYN crossed (%s) but the ClientHello (SNI '%s') "
		    "never reached %s%s: stopped after the TCP handshake, by SNI or DPI; sender saw %s",
		    r->arrivals ? "it arrived" : "the host answered", x->sni_sent, dst,
		    doubt == INC_NONE ? " (capture live, lossless)" : " (judged at the sender: no far-side capture)",
		    oc);
		return;
	}
	snprintf(x->reason, sizeof(x->reason), "the far side cannot tell whether the ClientHello arrived; %s",
	    oc);
}

/* ---- certificates ---- */

static struct tlscert_chain *
chain_of(const struct tlslog_der *d, size_t n)
{
	struct tlscert_der v[TLSLOG_MAX_CHAIN];
	char err[256];
	size_t i;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		v[i].p = d[i].p;
		v[i].len = d[i].len;
	}
	return tlscert_chain_from_der(v, n, err, sizeof(err));
}

static const struct tlscert_chain *
probe_chain(struct tlsev *t, struct tprobe *tp)
{
	const struct tlslog_try *tr = tp->res.shown;

	if (!tp->chain && tr && tr->outcome == TLSO_HANDSHAKE)
		tp->chain = chain_of(tr->chain, tr->nchain);
	(void)t;
	return tp->chain;
}

/* What the listener saw from inside for this probe's address and port, in
 * the segment the probe is judged from. */
static const struct tlscert_chain *
inside_chain(struct tlsev *t, const struct probe *p, unsigned seg)
{
	size_t ne = profile_nendpoints(plan_profile(t->pl)), k, i, off = 0;
	size_t me = p->dst * CORR_MAX_SEGMENTS + seg;
	const struct tlsrx_port *rp;

	if (!t->inside) {
		size_t tot = 0;
		for (k = 0; k < ne * CORR_MAX_SEGMENTS; k++)
			tot += t->rx[k].n;
		t->inside = calloc(tot ? tot : 1, sizeof(*t->inside));
		if (!t->inside)
			return NULL;
		t->ninside = tot;
	}
	if (!(rp = rx_port(t, p, seg, &i)))
		return NULL;
	for (k = 0; k < me; k++)
		off += t->rx[k].n;
	if (!t->inside[off + i])
		t->inside[off + i] = chain_of(rp->chain, rp->nchain);
	return t->inside[off + i];
}

static void
evaluate(struct tlsev *t, struct tprobe *tp, struct probe_result *r)
{
	const struct probe *p = plan_probe(t->pl, tp->id);
	const struct tlscert_expect *ex = plan_probe_cert(t->pl, p);
	const struct tlscert_chain *ch = probe_chain(t, tp);
	struct tls_result *x = &tp->res;
	struct tlscert_peer peers[16];
	char labels[16][16], lab[16];
	const char *names[2];
	size_t nn = 0, np = 0, i;
	const char *fq = plan_endpoint_fqdn(t->pl, p->dst);
	bool same = true;

	x->chain = ch;
	x->inside = inside_chain(t, p, x->seg);
	if (ch && tlscert_at(ch, 0) && x->shown)
		x->days_left = tlscert_days_left(tlscert_at(ch, 0), x->shown->started_us / 1000000);
	/* The other TLS ports of the same address, for same-cert. */
	for (i = 0; i < t->ntp; i++) {
		const struct probe *q = plan_probe(t->pl, t->tp[i].id);
		const struct tlscert_chain *qc;

		if (q->id == p->id || q->dst != p->dst || q->dst_addr != p->dst_addr || q->port == p->port)
			continue;
		if (!t->tp[i].res.shown)
			show_try(t, &t->tp[i], q);
		qc = probe_chain(t, &t->tp[i]);
		/* Certificates two responder runs made are not the same by
		 * design: not a finding about the server. */
		if (!tls_result_comparable(x, &t->tp[i].res))
			qc = NULL;
		if (qc && ch) {
			x->same_as_peers_known = true;
			same = same && tlscert_leaf_equal(ch, qc);
		}
		if (np < 16) {
			snprintf(labels[np], sizeof(labels[np]), "tcp/%u", q->port);
			peers[np].label = labels[np];
			peers[np].chain = qc;
			np++;
		}
	}
	x->same_as_peers = same;
	if (!ex)
		return;
	if (x->sni_sent[0])
		names[nn++] = x->sni_sent;
	if (fq && (!nn || strcasecmp(fq, names[0]) != 0))
		names[nn++] = fq;
	snprintf(lab, sizeof(lab), "tcp/%u", p->port);
	/* Loaded once for the run; if it cannot be, each check says why. */
	if (ex->trusted && !t->store_tried) {
		char why[256];
		t->store_tried = true;
		t->store = tlscert_store_open(t->ca_file, why, sizeof(why));
	}
	{
		struct tlscert_input in = {
			.expect = ex, .chain = ch, .label = lab, .names = names, .nnames = nn,
			.at = x->shown ? x->shown->started_us / 1000000 : 0, .ca_file = t->ca_file,
			.peers = peers, .npeers = np, .inside = x->inside, .store = t->store,
		};
		tlscert_evaluate(&in, &x->eval);
	}
	x->evaluated = true;
	/* A port expected open whose certificate fails its checks does not
	 * pass: the service is reachable but not as the profile requires. */
	if (x->eval.worst == TLSCERT_FAIL && r->verdict == VERDICT_PASS && p->expect_open)
		r->verdict = VERDICT_FAIL;
}

void
tlsev_classify(struct tlsev *t, uint32_t id, struct probe_result *r,
    enum inconclusive_reason doubt, int64_t skew_us)
{
	const struct probe *p = plan_probe(t->pl, id);
	struct tprobe *tp;

	if (!t || id >= plan_nprobes(t->pl) || t->probe_of[id] == TLSEV_NONE)
		return;
	tp = &t->tp[t->probe_of[id]];
	classify_tls(t, tp, r, doubt, skew_us);
	if (r->obs != OBS_UNKNOWN)
		r->verdict = ((r->obs == OBS_OPEN) == p->expect_open) ? VERDICT_PASS : VERDICT_FAIL;
	else
		r->verdict = VERDICT_INCONCLUSIVE;
	evaluate(t, tp, r);
}

const struct tls_result *
tlsev_result(const struct tlsev *t, uint32_t id)
{
	if (!t || id >= plan_nprobes(t->pl) || t->probe_of[id] == TLSEV_NONE)
		return NULL;
	return &t->tp[t->probe_of[id]].res;
}
