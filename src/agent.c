#include "agent.h"

#include <errno.h>
#include <inttypes.h>
#include <libnet.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agentmeta.h"
#include "capture.h"
#include "probekind.h"
#include "sigfd.h"

#define NS_PER_S 1000000000LL

static int64_t
now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void
meta_init(struct agent_meta *m, const struct agent_cfg *cfg, const char *role)
{
	const struct profile *prof = plan_profile(cfg->plan);
	char a[ADDR_STRLEN];

	memset(m, 0, sizeof(*m));
	snprintf(m->role, sizeof(m->role), "%s", role);
	snprintf(m->endpoint, sizeof(m->endpoint), "%s", profile_endpoint(prof, cfg->endpoint)->name);
	snprintf(m->iface, sizeof(m->iface), "%s", cfg->iface);
	snprintf(m->addr, sizeof(m->addr), "%s", addr_fmt(plan_addr(cfg->plan, cfg->endpoint), a));
	snprintf(m->pcap, sizeof(m->pcap), "%s", cfg->pcap_name);
}

static void
notify_ready(int fd)
{
	char c = 'r';

	if (fd >= 0 && write(fd, &c, 1) != 1)
		return;      /* the parent then times out waiting, and says so */
}

/* Waits up to until_ns (CLOCK_MONOTONIC) for capture traffic, a signal or a
 * stop request, writing packets as they come.  Returns 2 on a signal, 1 if
 * asked to stop through stop_fd, 0 when the time is up, -1 on a capture
 * error (message in err). */
static int
wait_and_capture(struct capture *cap, int sigfd, int stop_fd, int64_t until_ns,
    char *err, size_t errlen)
{
	for (;;) {
		struct pollfd pf[3] = {
			{ .fd = capture_fd(cap), .events = POLLIN },
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = stop_fd, .events = POLLIN },
		};
		int64_t left = until_ns - now_ns(CLOCK_MONOTONIC);
		struct timespec ts;
		int n;

		if (left <= 0)
			return 0;
		ts.tv_sec = (time_t)(left / NS_PER_S);
		ts.tv_nsec = (long)(left % NS_PER_S);
		n = ppoll(pf, stop_fd >= 0 ? 3 : 2, &ts, NULL);
		if (n < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (n > 0 && (pf[0].revents & POLLIN) && capture_drain(cap, err, errlen) < 0)
			return -1;
		if (n > 0 && pf[1].revents)
			return 2;
		if (n > 0 && stop_fd >= 0 && pf[2].revents)
			return 1;
	}
}

static int
finish(struct agent_meta *m, struct capture *cap, const struct agent_cfg *cfg, char *err,
    size_t errlen)
{
	char cerr[160] = "";
	int ok = m->error[0] == '\0';

	m->finished_us = now_ns(CLOCK_REALTIME) / 1000;
	if (capture_close(cap, &m->cap, cerr, sizeof(cerr)) != 0) {
		if (ok)
			snprintf(m->error, sizeof(m->error), "%s", cerr);
		ok = 0;
	}
	m->complete = ok && !m->interrupted;
	if (agentmeta_write(m, cfg->meta_path, err, errlen) != 0) {
		log_warnx(cfg->log, "%s", err);
		return 3;
	}
	if (!ok)
		log_warnx(cfg->log, "%s", m->error);
	return m->complete ? 0 : 3;
}

/* The libnet context holds one packet's headers, which a kind patches from
 * probe to probe; a probe of another kind starts a fresh packet. */
struct crafter {
	libnet_t                *l;
	libnet_ptag_t            tags[PROBE_MAX_TAGS];
	const struct probe_kind *kind;
};

static int
send_one(struct crafter *cr, struct probeid *pid, const struct agent_cfg *cfg,
    const struct probe *p)
{
	const struct probe_kind *k = probekind_for(p);
	libnet_t *l = cr->l;
	libnet_ptag_t *tags = cr->tags;
	struct probe_carriers c;

	if (!k)
		return -1;
	if (k != cr->kind) {
		libnet_clear_packet(l);
		memset(cr->tags, 0, sizeof(cr->tags));
		cr->kind = k;
	}
	probeid_encode(pid, p->id, &c);
	if (k->build(l, tags, plan_probe_src(cfg->plan, p), plan_probe_dst(cfg->plan, p),
	    p->port, &c) != 0)
		return -1;
	return libnet_write(l) < 0 ? -1 : 0;
}

/* Paces probes at cfg->rate; between probes the capture keeps draining. */
static void
send_all(struct agent_meta *m, struct capture *cap, libnet_t *l, struct probeid *pid,
    int sigfd, const struct agent_cfg *cfg, int64_t deadline)
{
	struct crafter cr = { .l = l };
	int64_t gap = NS_PER_S / (cfg->rate ? cfg->rate : 1), next = now_ns(CLOCK_MONOTONIC);
	uint32_t i;
	int w;

	for (i = 0; i < plan_nprobes(cfg->plan); i++) {
		const struct probe *p = plan_probe(cfg->plan, i);
		if (p->src != cfg->endpoint)
			continue;
		w = wait_and_capture(cap, sigfd, -1, next, m->error, sizeof(m->error));
		if (w < 0)
			return;
		if (w == 2) {
			m->interrupted = true;
			log_warnx(cfg->log, "interrupted after %ju probes", (uintmax_t)m->sent);
			return;
		}
		if (now_ns(CLOCK_MONOTONIC) > deadline) {
			snprintf(m->error, sizeof(m->error), "sender reached its time limit of %u s",
			    cfg->max_seconds);
			return;
		}
		if (send_one(&cr, pid, cfg, p) == 0) {
			m->sent++;
		} else {
			if (m->send_errors++ == 0)
				log_warnx(cfg->log, "send: %s", libnet_geterror(l));
		}
		next += gap;
	}
}

int
agent_send(const struct agent_cfg *cfg)
{
	char err[256] = "", lerr[LIBNET_ERRBUF_SIZE] = "";
	struct agent_meta m;
	struct capture *cap;
	struct probeid *pid = NULL;
	libnet_t *l = NULL;
	int sigfd = sigfd_open(), w;
	int64_t deadline = now_ns(CLOCK_MONOTONIC) + (int64_t)cfg->max_seconds * NS_PER_S;

	meta_init(&m, cfg, "send");
	cap = capture_open(cfg->iface, probekind_filter(), cfg->pcap_path, err, sizeof(err));
	if (!cap || sigfd < 0) {
		log_warnx(cfg->log, "%s", cap ? "signalfd failed" : err);
		return 3;
	}
	m.started_us = now_ns(CLOCK_REALTIME) / 1000;
	l = libnet_init(LIBNET_RAW4, NULL, lerr);
	pid = probeid_new(cfg->key);
	if (!l || !pid) {
		snprintf(m.error, sizeof(m.error), "%s", l ? "cannot key probe ids" : lerr);
	} else {
		notify_ready(cfg->ready_fd);
		send_all(&m, cap, l, pid, sigfd, cfg, deadline);
		if (!m.interrupted && m.error[0] == '\0') {
			w = wait_and_capture(cap, sigfd, -1,
			    now_ns(CLOCK_MONOTONIC) + (int64_t)cfg->linger_ms * 1000000, m.error,
			    sizeof(m.error));
			m.interrupted = w == 2;
		}
	}
	if (l)
		libnet_destroy(l);
	probeid_free(pid);
	w = finish(&m, cap, cfg, err, sizeof(err));
	close(sigfd);
	return w;
}

int
agent_listen(const struct agent_cfg *cfg)
{
	char err[256] = "";
	struct agent_meta m;
	struct capture *cap;
	int sigfd = sigfd_open(), w;

	meta_init(&m, cfg, "listen");
	cap = capture_open(cfg->iface, probekind_filter(), cfg->pcap_path, err, sizeof(err));
	if (!cap || sigfd < 0) {
		log_warnx(cfg->log, "%s", cap ? "signalfd failed" : err);
		return 3;
	}
	m.started_us = now_ns(CLOCK_REALTIME) / 1000;
	notify_ready(cfg->ready_fd);
	w = wait_and_capture(cap, sigfd, cfg->stop_fd,
	    now_ns(CLOCK_MONOTONIC) + (int64_t)cfg->max_seconds * NS_PER_S, m.error, sizeof(m.error));
	if (w == 0)
		snprintf(m.error, sizeof(m.error), "listener reached its time limit of %u s", cfg->max_seconds);
	m.interrupted = w == 2;
	w = finish(&m, cap, cfg, err, sizeof(err));
	close(sigfd);
	return w;
}
