#include "send/sender.h"

#include <inttypes.h>
#include <libnet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/capfile.h"
#include "capture/capture.h"
#include "lib/sigfd.h"
#include "probe/probekind.h"
#include "send/ethpath.h"
#include "send/sendfast.h"
#include "send/sendsched.h"
#include "tls/tlsclient.h"

/* A libnet context holds one packet's headers, which a kind patches from
 * probe to probe; a probe of another kind or IP version starts a fresh
 * packet.  IPv4 and IPv6 need contexts of their own (raw sockets of each
 * family), opened when first needed. */
struct crafter {
	libnet_t                *l4, *l6, *cur;
	libnet_ptag_t            tags[PROBE_MAX_TAGS];
	const struct probe_kind *kind;
	char                     err[LIBNET_ERRBUF_SIZE];
};

static libnet_t *
crafter_for(struct crafter *cr, const struct rp_addr *src)
{
	bool v6 = addr_is_v6(src);
	libnet_t **slot = v6 ? &cr->l6 : &cr->l4;

	if (!*slot)
		*slot = libnet_init(v6 ? LIBNET_RAW6 : LIBNET_RAW4, NULL, cr->err);
	return *slot;
}

static int
send_one(struct crafter *cr, const struct probe_carriers *c, const struct agent_cfg *cfg,
    const struct probe *p)
{
	const struct probe_kind *k = probekind_for(p);
	const struct rp_addr *src = plan_probe_src(cfg->plan, p);
	libnet_t *l = crafter_for(cr, src);

	if (!k || !l)
		return -1;
	if (k != cr->kind || l != cr->cur) {
		libnet_clear_packet(l);
		memset(cr->tags, 0, sizeof(cr->tags));
		cr->kind = k;
		cr->cur = l;
	}
	if (k->build(l, cr->tags, src, plan_probe_dst(cfg->plan, p), p->port, c) != 0)
		return -1;
	return libnet_write(l) < 0 ? -1 : 0;
}

/* Opens, while still root, a raw socket for every IP version this sender
 * sends from. */
static bool
crafter_open_all(struct crafter *cr, const struct agent_cfg *cfg)
{
	const struct plan *pl = cfg->plan;
	bool need[2] = { false, false };
	uint32_t i;

	for (i = 0; i < plan_nprobes(pl); i++) {
		const struct probe *p = plan_probe(pl, i);
		if (p->src == cfg->endpoint)
			need[addr_is_v6(plan_probe_src(pl, p))] = true;
	}
	for (i = 0; i < plan_naddrs(pl, cfg->endpoint); i++) {
		const struct rp_addr *a = plan_addr_at(pl, cfg->endpoint, i);
		if (need[addr_is_v6(a)] && !crafter_for(cr, a))
			return false;
		need[addr_is_v6(a)] = false;
	}
	return true;
}

static const char *
crafter_error(const struct crafter *cr)
{
	if (cr->cur)
		return libnet_geterror(cr->cur);
	return cr->err[0] ? cr->err : "no raw socket";
}

/* Everything a sender works with while it sends. */
struct sender {
	const struct agent_cfg *cfg;
	struct capfile      *m;
	struct capture         *cap;
	struct crafter          cr;
	struct probeid         *pid;
	int                     sigfd, dlt;
	int64_t                 deadline;
	struct sendsched        sched;      /* when each probe may leave */
	struct sendperm         order;      /* in which order they leave */
	struct sendfast        *fast;       /* IPv4 probes in batches, or NULL */
	struct ethpath         *link;       /* their Ethernet path, or NULL */
	uint8_t                *answered;   /* per probe id */
	struct agent_progress   dummy;
	struct agent_progress  *prog;
	struct tlsc            *tls;        /* the TLS probes' thread, or NULL */
};

/* Watches the sender's own capture for answers (SYN-ACK, RST, ICMP), so
 * that only probes without one are tried again. */
static void
on_own_packet(void *arg, const uint8_t *frame, size_t caplen)
{
	struct sender *s = arg;
	const struct probe_self self = { .pl = s->cfg->plan, .endpoint = s->cfg->endpoint };
	struct probe_match pm;
	struct pkt p;

	/* What this host sent itself is never an answer: skipped before the
	 * keyed decoding, which would cost as much as sending it. */
	if (pkt_dissect(s->dlt, frame, caplen, &p) != 0 || probe_self_is(&self, &p.ip.src))
		return;
	memset(&pm, 0, sizeof(pm));
	if (probekind_decode(0, &p, s->pid, plan_nprobes(s->cfg->plan), &self, true, &pm) != DECODE_MATCH)
		return;
	if ((pm.ev == EV_ANSWER || pm.ev == EV_RESET || pm.ev == EV_UNREACH) && !s->answered[pm.id]) {
		s->answered[pm.id] = 1;
		atomic_fetch_add(&s->prog->answered, 1);
	}
}

/* Waits for the next slot of the rate; 0 to go on, -1 to stop sending. */
static int
pace(struct sender *s)
{
	int w;

	/* Drained before every batch, also when sending is behind the rate
	 * and there is no time to wait: otherwise the kernel's ring fills with
	 * our own SYNs and drops the evidence. */
	if (capture_drain(s->cap, s->m->error, sizeof(s->m->error)) < 0)
		return -1;
	w = agent_wait_and_capture(s->cap, s->sigfd, -1, sendsched_due(&s->sched), s->m->error,
	    sizeof(s->m->error));

	if (w < 0)
		return -1;
	if (w == 2) {
		s->m->interrupted = true;
		log_warnx(s->cfg->log, "interrupted after %ju probes", (uintmax_t)s->m->sent);
		return -1;
	}
	if (agent_now_ns(CLOCK_MONOTONIC) > s->deadline) {
		snprintf(s->m->error, sizeof(s->m->error), "sender reached its time limit of %u s",
		    s->cfg->max_seconds);
		return -1;
	}
	return 0;
}

/* Counts probes the kernel took (ok) or refused (bad, with why). */
static void
count_sent(struct sender *s, bool retry, unsigned ok, unsigned bad, const char *why)
{
	if (!retry)
		s->m->sent += ok;
	atomic_fetch_add(retry ? &s->prog->retried : &s->prog->sent, ok);
	if (bad && s->m->send_errors == 0)
		log_warnx(s->cfg->log, "send: %s", why);
	s->m->send_errors += bad;
}

/* Sends the probes the fast path holds. */
static void
flush(struct sender *s, bool retry)
{
	char err[160] = "";
	struct sendfast_count n;

	if (!s->fast || sendfast_pending(s->fast) == 0)
		return;
	n = sendfast_flush(s->fast, err, sizeof(err));
	count_sent(s, retry, n.sent, n.failed, err);
}

/* Queues a probe on the fast path when it can take it, else sends it
 * through libnet (after what is queued, so the order stays the plan's). */
static void
send_probe(struct sender *s, const struct probe *p, const struct probe_carriers *c, bool retry)
{
	const struct probe_kind *k = probekind_for(p);
	const struct rp_addr *src = plan_probe_src(s->cfg->plan, p), *dst = plan_probe_dst(s->cfg->plan, p);
	char err[160] = "";

	if (s->fast && sendfast_can(k, src, dst)) {
		if (sendfast_add(s->fast, k, src, dst, p->port, c, err, sizeof(err)) != 0)
			count_sent(s, retry, 0, 1, err);
		return;
	}
	flush(s, retry);
	if (send_one(&s->cr, c, s->cfg, p) == 0)
		count_sent(s, retry, 1, 0, NULL);
	else
		count_sent(s, retry, 0, 1, crafter_error(&s->cr));
}

/* Whether this pass sends probe i. */
static bool
pass_sends(const struct sender *s, const struct probe *p, uint32_t i, bool retry)
{
	return p->src == s->cfg->endpoint && !(retry && s->answered[i]) &&
	    !(s->cfg->skip && s->cfg->skip[i]) && !tlsc_is_tls(p);
}

/* One pass over this sender's probes (all of them on the first try, those
 * still unanswered on a retry), paced at cfg->rate while the capture keeps
 * draining, a batch at a time: its probes' ids are encoded together.
 * Returns -1 when sending must stop. */
static int
send_pass(struct sender *s, bool retry)
{
	const struct plan *pl = s->cfg->plan;
	const struct probe *batch[SENDSCHED_MAX_BATCH];
	uint32_t ids[SENDSCHED_MAX_BATCH];
	struct probe_carriers c[SENDSCHED_MAX_BATCH];
	uint32_t k = 0, i;
	unsigned n, j;

	while (k < plan_nprobes(pl)) {
		for (n = 0; n < s->sched.batch && k < plan_nprobes(pl); k++) {
			const struct probe *p = plan_probe(pl, i = (uint32_t)sendperm_at(&s->order, k));
			if (pass_sends(s, p, i, retry)) {
				batch[n] = p;
				ids[n++] = p->id;
			}
		}
		if (n == 0 || pace(s) != 0)
			return n == 0 ? 0 : -1;
		probeid_encode_many(s->pid, ids, n, c);
		for (j = 0; j < n; j++)
			send_probe(s, batch[j], &c[j], retry);
		sendsched_sent(&s->sched, n);
		flush(s, retry);
	}
	return 0;
}

static uint64_t
unanswered(const struct sender *s)
{
	const struct plan *pl = s->cfg->plan;
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < plan_nprobes(pl); i++)
		n += plan_probe(pl, i)->src == s->cfg->endpoint && !s->answered[i] &&
		    !(s->cfg->skip && s->cfg->skip[i]) && !tlsc_is_tls(plan_probe(pl, i));
	return n;
}

/* Waits linger for answers after a pass; -1 when interrupted or broken. */
static int
linger(struct sender *s)
{
	int w = agent_wait_and_capture(s->cap, s->sigfd, -1,
	    agent_now_ns(CLOCK_MONOTONIC) + (int64_t)s->cfg->linger_ms * 1000000, s->m->error,
	    sizeof(s->m->error));

	if (w == 2)
		s->m->interrupted = true;
	return w == 0 ? 0 : -1;
}

/* Keeps capturing until the TLS probes' thread is done with every try;
 * -1 when interrupted or out of time. */
static int
await_tls(struct sender *s)
{
	while (!tlsc_done(s->tls)) {
		int w = agent_wait_and_capture(s->cap, s->sigfd, tlsc_done_fd(s->tls), s->deadline,
		    s->m->error, sizeof(s->m->error));

		if (w == 2)
			s->m->interrupted = true;
		if (w == 0 && !s->m->error[0])
			snprintf(s->m->error, sizeof(s->m->error), "sender reached its time limit of %u s",
			    s->cfg->max_seconds);
		if (w == 2 || w <= 0) {
			tlsc_stop(s->tls);
			return -1;
		}
	}
	return 0;
}

static void
send_rounds(struct sender *s)
{
	unsigned round;
	uint32_t i;

	for (i = 0; i < plan_nprobes(s->cfg->plan); i++)
		if (plan_probe(s->cfg->plan, i)->src == s->cfg->endpoint &&
		    !(s->cfg->skip && s->cfg->skip[i]))
			atomic_fetch_add(&s->prog->total, 1);
	if (send_pass(s, false) != 0 || (s->tls && await_tls(s) != 0) || linger(s) != 0)
		return;
	/* Only probes with no answer at all are tried again: the sender cannot
	 * see the far side, so a silent drop is retried too, which is what
	 * tells it apart from a lost packet. */
	for (round = 0; round < s->cfg->retries && unanswered(s) > 0; round++) {
		sendsched_restart(&s->sched, agent_now_ns(CLOCK_MONOTONIC));
		if (send_pass(s, true) != 0 || linger(s) != 0)
			return;
	}
}

/* The TLS log is created while the sender may still create files. */
static int
open_tls(struct sender *s)
{
	if (!s->cfg->tls_log_path || tlsc_count(s->cfg) == 0)
		return 0;
	s->tls = tlsc_open(s->cfg, s->cfg->tls_log_path, s->m->error, sizeof(s->m->error));
	if (s->tls && s->cfg->owner &&
	    sudouser_hand_over(s->cfg->owner, s->cfg->tls_log_path, s->m->error, sizeof(s->m->error)) != 0)
		return -1;
	return s->tls ? 0 : -1;
}

static int
start_tls(struct sender *s)
{
	return s->tls ? tlsc_start(s->tls, s->m->error, sizeof(s->m->error)) : 0;
}

/* Stops the TLS thread when the sender stops early, and writes its log in
 * every case: an interrupted run keeps the tries it made. */
static void
finish_tls(struct sender *s)
{
	char err[160] = "";
	uint64_t first = 0;

	if (!s->tls)
		return;
	if (s->m->interrupted || s->m->error[0])
		tlsc_stop(s->tls);
	if (tlsc_finish(s->tls, &first, err, sizeof(err)) != 0 && !s->m->error[0])
		snprintf(s->m->error, sizeof(s->m->error), "%s", err);
	s->tls = NULL;
	s->m->sent += first;
}

/* The packet socket is opened with the raw ones, as root; without it
 * (not Ethernet, no privilege) IPv4 probes take the raw socket. */
static void
open_link(struct sender *s)
{
	char err[160] = "";

	if (!s->cr.l4)
		return;
	s->link = ethpath_open(s->cfg->iface, err, sizeof(err));
	if (!s->link)
		log_debug(s->cfg->log, "no Ethernet path: %s", err);
}

/* The packet socket is opened at the same point as the raw ones: the last
 * moment there is root. */
static int
drop_after_link(struct sender *s)
{
	open_link(s);
	return agent_drop_privileges(s->m, s->cfg);
}

/* The fast path shares libnet's raw IPv4 socket; without it every probe
 * goes through libnet, only slower. */
static void
open_fast(struct sender *s)
{
	char err[160] = "";

	if (!s->cr.l4)
		return;
	s->fast = sendfast_new(libnet_getfd(s->cr.l4), err, sizeof(err));
	if (!s->fast) {
		log_debug(s->cfg->log, "no fast path: %s", err);
		return;
	}
	sendfast_set_link(s->fast, s->link);
	s->link = NULL;
}

/* How the fast path's probes left: what a slow run looks for first. */
static void
log_paths(const struct sender *s)
{
	struct sendfast_paths p;

	if (!s->fast)
		return;
	p = sendfast_paths(s->fast);
	log_info(s->cfg->log, "sent %ju as Ethernet frames on %s, %ju on the raw IP socket%s%s",
	    (uintmax_t)p.eth, s->cfg->iface, (uintmax_t)p.ip,
	    p.link_error ? "; Ethernet path given up: " : "", p.link_error ? p.link_error : "");
}

int
sender_run(const struct agent_cfg *cfg)
{
	char err[256] = "";
	struct capfile m;
	struct sender s = { .cfg = cfg, .m = &m };
	int w, metafd;

	s.sigfd = sigfd_open();
	s.deadline = agent_now_ns(CLOCK_MONOTONIC) + (int64_t)cfg->max_seconds * AGENT_NS_PER_S;
	s.prog = cfg->progress ? cfg->progress : &s.dummy;
	agent_meta_init(&m, cfg, "send");
	if (s.sigfd < 0 || (metafd = agent_open_outputs(&m, &s.cap, cfg)) < 0)
		return 3;
	s.dlt = capture_datalink(s.cap);
	s.pid = probeid_new(cfg->key);
	s.answered = calloc(plan_nprobes(cfg->plan) + 1, 1);
	/* The raw socket is opened before the first probe, so that a missing
	 * privilege is an error here and not a run of failed sends. */
	if (!crafter_open_all(&s.cr, cfg) || !s.pid || !s.answered) {
		snprintf(m.error, sizeof(m.error), "%s", !s.pid || !s.answered ? "out of memory" : s.cr.err);
	} else if (open_tls(&s) == 0 && drop_after_link(&s) == 0 && start_tls(&s) == 0) {
		open_fast(&s);
		capture_set_sink(s.cap, on_own_packet, &s);
		agent_notify_ready(cfg->ready_fd);
		sendsched_init(&s.sched, cfg->rate, agent_now_ns(CLOCK_MONOTONIC));
		sendperm_init(&s.order, plan_nprobes(cfg->plan), cfg->key);
		send_rounds(&s);
	}
	finish_tls(&s);
	log_paths(&s);
	sendfast_free(s.fast);
	ethpath_free(s.link);
	if (s.cr.l4)
		libnet_destroy(s.cr.l4);
	if (s.cr.l6)
		libnet_destroy(s.cr.l6);
	w = agent_finish(&m, s.cap, metafd, cfg, err, sizeof(err));
	probeid_free(s.pid);
	free(s.answered);
	close(s.sigfd);
	return w;
}

