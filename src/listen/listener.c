#include "listen/listener.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "capture/capfile.h"
#include "capture/capture.h"
#include "lib/sigfd.h"
#include "listen/responder.h"

/* Which planned TLS ports the responder serves and which it left alone. */
static void
log_responder(const struct agent_cfg *cfg, const struct responder *r)
{
	char buf[512];

	if (r && responder_summary(r, buf, sizeof(buf)) > 0)
		log_info(cfg->log, "%s", buf);
}

int
listener_run(const struct agent_cfg *cfg)
{
	char err[256] = "";
	struct capfile m;
	struct capture *cap = NULL;
	struct responder *resp;
	int sigfd = sigfd_open(), w, metafd;

	agent_meta_init(&m, cfg, "listen");
	if (sigfd < 0 || (metafd = agent_open_outputs(&m, &cap, cfg)) < 0)
		return 3;
	/* The responder binds its ports (443 takes root) before the drop. */
	resp = responder_open(cfg, m.error, sizeof(m.error));
	if (resp && cfg->owner)
		sudouser_hand_over(cfg->owner, cfg->tls_log_path, m.error, sizeof(m.error));
	if (m.error[0] || agent_drop_privileges(&m, cfg) != 0 ||
	    (resp && responder_start(resp, m.error, sizeof(m.error)) != 0)) {
		responder_finish(resp, err, sizeof(err));
		w = agent_finish(&m, cap, metafd, cfg, err, sizeof(err));
		close(sigfd);
		return 3;
	}
	log_responder(cfg, resp);
	agent_notify_ready(cfg->ready_fd);
	w = agent_wait_and_capture(cap, sigfd, cfg->stop_fd,
	    agent_now_ns(CLOCK_MONOTONIC) + (int64_t)cfg->max_seconds * AGENT_NS_PER_S, m.error, sizeof(m.error));
	/* Standalone, the duration is the plan for how long to listen. */
	if (w == 0 && !cfg->signal_stops)
		snprintf(m.error, sizeof(m.error), "listener reached its time limit of %u s", cfg->max_seconds);
	/* Standalone, a signal is how a listener is told the run is over. */
	m.interrupted = w == 2 && !cfg->signal_stops;
	if (responder_finish(resp, err, sizeof(err)) != 0 && !m.error[0])
		snprintf(m.error, sizeof(m.error), "%s", err);
	w = agent_finish(&m, cap, metafd, cfg, err, sizeof(err));
	close(sigfd);
	return w;
}
