#include "capture/agent.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/capfile.h"
#include "capture/capture.h"
#include "lib/privdrop.h"
#include "probe/probekind.h"


int64_t
agent_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * AGENT_NS_PER_S + ts.tv_nsec;
}

void
agent_meta_init(struct capfile *m, const struct agent_cfg *cfg, const char *role)
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

void
agent_notify_ready(int fd)
{
	char c = 'r';

	if (fd >= 0 && write(fd, &c, 1) != 1)
		return;      /* the parent then times out waiting, and says so */
}

int
agent_wait_and_capture(struct capture *cap, int sigfd, int stop_fd, int64_t until_ns,
    char *err, size_t errlen)
{
	for (;;) {
		struct pollfd pf[3] = {
			{ .fd = capture_fd(cap), .events = POLLIN },
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = stop_fd, .events = POLLIN },
		};
		int64_t left = until_ns - agent_now_ns(CLOCK_MONOTONIC);
		struct timespec ts;
		int n;

		if (left <= 0)
			return 0;
		ts.tv_sec = (time_t)(left / AGENT_NS_PER_S);
		ts.tv_nsec = (long)(left % AGENT_NS_PER_S);
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

/* Opens what an agent writes (capture, capture file) while it may still
 * create files, then gives up root: from here on it parses untrusted
 * traffic.  Returns the capture file's descriptor, or -1. */
int
agent_open_outputs(struct capfile *m, struct capture **cap, const struct agent_cfg *cfg)
{
	char err[256] = "";
	int fd = capfile_create(cfg->meta_path, err, sizeof(err));

	if (fd < 0) {
		log_warnx(cfg->log, "%s", err);
		return -1;
	}
	*cap = capture_open(cfg->iface, probekind_filter(), cfg->pcap_path, err, sizeof(err));
	if (!*cap) {
		log_warnx(cfg->log, "%s", err);
		close(fd);
		unlink(cfg->meta_path);
		return -1;
	}
	/* Handed over now: after the drop to nobody, nobody could. */
	if (cfg->owner && (sudouser_hand_over(cfg->owner, cfg->meta_path, err, sizeof(err)) != 0 ||
	    sudouser_hand_over(cfg->owner, cfg->pcap_path, err, sizeof(err)) != 0)) {
		struct capture_stats st;
		char cerr[64];

		log_warnx(cfg->log, "%s", err);
		capture_close(*cap, &st, cerr, sizeof(cerr));
		close(fd);
		unlink(cfg->pcap_path);
		unlink(cfg->meta_path);
		return -1;
	}
	m->started_us = agent_now_ns(CLOCK_REALTIME) / 1000;
	return fd;
}

int
agent_drop_privileges(struct capfile *m, const struct agent_cfg *cfg)
{
	char err[160];

	if (privdrop(m->privileges, sizeof(m->privileges), err, sizeof(err)) == 0)
		return 0;
	snprintf(m->error, sizeof(m->error), "%s", err);
	log_warnx(cfg->log, "%s", err);
	return -1;
}

int
agent_finish(struct capfile *m, struct capture *cap, int metafd, const struct agent_cfg *cfg,
    char *err, size_t errlen)
{
	char cerr[160] = "";
	int ok = m->error[0] == '\0';

	m->finished_us = agent_now_ns(CLOCK_REALTIME) / 1000;
	if (capture_close(cap, &m->cap, cerr, sizeof(cerr)) != 0) {
		if (ok)
			snprintf(m->error, sizeof(m->error), "%s", cerr);
		ok = 0;
	}
	m->complete = ok && !m->interrupted;
	/* Said first: on a full disk the capture file may not be writable
	 * either, and this is the message that explains both. */
	if (!ok)
		log_warnx(cfg->log, "%s", m->error);
	if (capfile_write_fd(m, metafd, err, errlen) != 0 || close(metafd) != 0) {
		log_warnx(cfg->log, "%s: %s", cfg->meta_path, err);
		return 3;
	}
	return m->complete ? 0 : 3;
}

