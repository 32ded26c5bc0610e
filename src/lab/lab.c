#include "lab/lab.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/mman.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "listen/listener.h"
#include "send/sender.h"
#include "correlate/correlate.h"
#include "lib/errfmt.h"
#include "lab/netns.h"
#include "tls/tlsclient.h"
#include "tls/tlslog.h"

#define HOST_IFACE     "eth0"
#define CMD_TIMEOUT_S  20
#define READY_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS  10000
/* The far side keeps listening this long after the last sender is done, so
 * that the last probe's silence is covered whatever the sender's linger. */
#define LISTEN_GRACE_US  300000
/* Hard bound on any one agent; a lab run that needs longer is a bug. */
#define AGENT_MAX_S    900

struct agent_proc {
	pid_t  pid;
	int    ready_fd;     /* read end */
	int    stop_fd;      /* write end (listeners) */
	size_t endpoint;
	bool   sender;
	int    status;
	bool   reaped;
};

struct lab {
	struct lab_cfg     cfg;
	struct agent_progress *prog;        /* shared with the senders, one each */
	size_t             nprog;
	int64_t            prog_start_us, prog_last_us;
	char               fw_ns[64];
	char             (*host_ns)[80];     /* per endpoint, "" if unused */
	size_t             nep;
	struct rp_addr     gw, gw6;
	struct agent_proc *procs;
	size_t             nprocs;
	bool               fw_created;
};

static const char *
ep_name(const struct lab *lab, size_t e)
{
	return profile_endpoint(plan_profile(lab->cfg.pl), e)->name;
}

static bool
ep_used(const struct lab *lab, size_t e)
{
	size_t i;

	for (i = 0; i < plan_nsenders(lab->cfg.pl); i++)
		if (plan_sender(lab->cfg.pl, i) == e)
			return true;
	for (i = 0; i < plan_nreceivers(lab->cfg.pl); i++)
		if (plan_receiver(lab->cfg.pl, i) == e)
			return true;
	return false;
}

/* Is a one of the addresses of some host of the lab? */
static bool
addr_taken(const struct lab *lab, const struct rp_addr *a)
{
	size_t e, i;

	for (e = 0; e < lab->nep; e++)
		for (i = 0; lab->host_ns[e][0] && i < plan_naddrs(lab->cfg.pl, e); i++)
			if (addr_eq(plan_addr_at(lab->cfg.pl, e, i), a))
				return true;
	return false;
}

/* The firewall's own addresses on every link: the highest address of each
 * lab range that no host uses (a host may have several). */
static int
pick_gateway(struct lab *lab, char *err, size_t errlen)
{
	uint32_t cand;
	unsigned low;

	for (cand = 0xc613fffeu; cand > 0xc6120000u; cand--) {
		struct rp_addr a = addr_from_v4(cand);

		if (!addr_taken(lab, &a)) {
			lab->gw = a;
			break;
		}
	}
	if (cand == 0xc6120000u)
		return errfmt(err, errlen, "no free address for the lab firewall");
	/* 2001:db8:ffff:ffff:ffff:ffff:ffff:XXfe, counting down. */
	memset(&lab->gw6, 0, sizeof(lab->gw6));
	lab->gw6.family = AF_INET6;
	memset(lab->gw6.b, 0xff, 16);
	lab->gw6.b[0] = 0x20, lab->gw6.b[1] = 0x01, lab->gw6.b[2] = 0x0d, lab->gw6.b[3] = 0xb8;
	for (low = 0xfffe; low > 0; low--) {
		lab->gw6.b[14] = (uint8_t)(low >> 8);
		lab->gw6.b[15] = (uint8_t)low;
		if (!addr_taken(lab, &lab->gw6))
			return 0;
	}
	return errfmt(err, errlen, "no free IPv6 address for the lab firewall");
}

/* The endpoint's first address of a family, or NULL. */
static const struct rp_addr *
first_of(const struct lab *lab, size_t e, bool v6)
{
	size_t k;

	for (k = 0; k < plan_naddrs(lab->cfg.pl, e); k++)
		if (addr_is_v6(plan_addr_at(lab->cfg.pl, e, k)) == v6)
			return plan_addr_at(lab->cfg.pl, e, k);
	return NULL;
}

static int
run(const struct lab *lab, const char *ns, const char *const argv[], char *err, size_t errlen)
{
	char what[256] = "";
	size_t i, off = 0;

	for (i = 0; argv[i] && off < sizeof(what); i++)
		off += (size_t)snprintf(what + off, sizeof(what) - off, "%s%s", i ? " " : "", argv[i]);
	log_debug(lab->cfg.log, "%s%s%s", ns ? ns : "", ns ? ": " : "", what);
	return netns_run(ns, argv, CMD_TIMEOUT_S, err, errlen);
}

static void
mac_for(size_t idx, int side, char buf[18])
{
	snprintf(buf, 18, "02:72:70:%02x:%02x:%02x", (unsigned)((idx + 1) >> 8) & 0xff,
	    (unsigned)(idx + 1) & 0xff, side);
}

static int
run_steps(const struct lab *lab, const char *const *const *steps, size_t n, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (run(lab, NULL, steps[i], err, errlen) != 0)
			return -1;
	return 0;
}

/* One address of a host: on its interface as a /32 (or /128, without
 * duplicate address detection, which would hold it back), with a route and
 * a static neighbour for it in the firewall. */
static int
host_addr_up(const struct lab *lab, size_t e, size_t k, const char *fwif, const char *hmac,
    char *err, size_t errlen)
{
	char haddr[ADDR_STRLEN], hcidr[64];
	const char *hns = lab->host_ns[e], *fns = lab->fw_ns;
	bool v6 = addr_is_v6(plan_addr_at(lab->cfg.pl, e, k));

	addr_fmt(plan_addr_at(lab->cfg.pl, e, k), haddr);
	snprintf(hcidr, sizeof(hcidr), "%s/%d", haddr, v6 ? 128 : 32);
	{
		const char *const a1[] = { "ip", "-n", hns, "addr", "add", hcidr, "dev", HOST_IFACE,
		    v6 ? "nodad" : NULL, NULL };
		const char *const a2[] = { "ip", "-n", fns, "route", "add", hcidr, "dev", fwif, NULL };
		const char *const a3[] = { "ip", "-n", fns, "neigh", "replace", haddr, "lladdr", hmac,
		    "dev", fwif, "nud", "permanent", NULL };
		const char *const *steps[] = { a1, a2, a3 };

		return run_steps(lab, steps, sizeof(steps) / sizeof(steps[0]), err, errlen);
	}
}

/* A host's way out for one IP version: a route to the firewall's address
 * on the link, a default route through it that leaves from the host's first
 * address of that version (senders send from it), and a static neighbour
 * (so that no probe waits on ARP or neighbour discovery). */
static int
host_default_route(const struct lab *lab, size_t e, const struct rp_addr *src,
    const struct rp_addr *gwa, const char *fmac, char *err, size_t errlen)
{
	char haddr[ADDR_STRLEN], gw[ADDR_STRLEN], gcidr[64];
	const char *hns = lab->host_ns[e];

	addr_fmt(src, haddr);
	addr_fmt(gwa, gw);
	snprintf(gcidr, sizeof(gcidr), "%s/%d", gw, addr_is_v6(gwa) ? 128 : 32);
	{
		const char *const a6[] = { "ip", "-n", hns, "route", "add", gcidr, "dev", HOST_IFACE, NULL };
		const char *const a7[] = { "ip", "-n", hns, "route", "add", "default", "via", gw, "dev",
		    HOST_IFACE, "src", haddr, NULL };
		const char *const a8[] = { "ip", "-n", hns, "neigh", "replace", gw, "lladdr", fmac, "dev",
		    HOST_IFACE, "nud", "permanent", NULL };
		const char *const *steps[] = { a6, a7, a8 };

		return run_steps(lab, steps, sizeof(steps) / sizeof(steps[0]), err, errlen);
	}
}

/* One host: its namespace, a veth to the firewall (which has its IPv4 and
 * IPv6 gateway addresses on that link), every address of the endpoint, and
 * a default route per IP version it has addresses of. */
static int
host_up(struct lab *lab, size_t e, char *err, size_t errlen)
{
	char fwif[16], hmac[18], fmac[18], gw[ADDR_STRLEN], gcidr[64], gw6[ADDR_STRLEN], g6cidr[64];
	const char *hns = lab->host_ns[e], *fns = lab->fw_ns;
	const struct rp_addr *src4 = first_of(lab, e, false), *src6 = first_of(lab, e, true);
	size_t k;

	snprintf(fwif, sizeof(fwif), "h%zu", e);
	mac_for(e, 2, hmac);
	mac_for(e, 1, fmac);
	snprintf(gcidr, sizeof(gcidr), "%s/32", addr_fmt(&lab->gw, gw));
	snprintf(g6cidr, sizeof(g6cidr), "%s/128", addr_fmt(&lab->gw6, gw6));
	{
		const char *const a1[] = { "ip", "netns", "add", hns, NULL };
		const char *const a2[] = { "ip", "-n", fns, "link", "add", fwif, "address", fmac, "type",
		    "veth", "peer", "name", HOST_IFACE, "address", hmac, "netns", hns, NULL };
		const char *const a3[] = { "ip", "-n", hns, "link", "set", "lo", "up", NULL };
		const char *const a4[] = { "ip", "-n", hns, "link", "set", HOST_IFACE, "up", NULL };
		const char *const a9[] = { "ip", "-n", fns, "link", "set", fwif, "up", NULL };
		const char *const a10[] = { "ip", "-n", fns, "addr", "add", gcidr, "dev", fwif, NULL };
		const char *const a11[] = { "ip", "-n", fns, "addr", "add", g6cidr, "dev", fwif, "nodad", NULL };
		const char *const *steps[] = { a1, a2, a3, a4, a9, a10, a11 };

		if (run_steps(lab, steps, sizeof(steps) / sizeof(steps[0]), err, errlen) != 0)
			return -1;
	}
	for (k = 0; k < plan_naddrs(lab->cfg.pl, e); k++)
		if (host_addr_up(lab, e, k, fwif, hmac, err, errlen) != 0)
			return -1;
	if (src4 && host_default_route(lab, e, src4, &lab->gw, fmac, err, errlen) != 0)
		return -1;
	if (src6 && host_default_route(lab, e, src6, &lab->gw6, fmac, err, errlen) != 0)
		return -1;
	return 0;
}

static int
firewall_up(struct lab *lab, char *err, size_t errlen)
{
	const char *const add[] = { "ip", "netns", "add", lab->fw_ns, NULL };
	const char *const lo[] = { "ip", "-n", lab->fw_ns, "link", "set", "lo", "up", NULL };

	if (run(lab, NULL, add, err, errlen) != 0)
		return -1;
	lab->fw_created = true;
	if (run(lab, NULL, lo, err, errlen) != 0)
		return -1;
	/* Forwarding on; and no ICMP rate limit, so that every rejected probe
	 * gets its own unreachable rather than one per second. */
	if (netns_sysctl(lab->fw_ns, "net/ipv4/ip_forward", "1", err, errlen) != 0 ||
	    netns_sysctl(lab->fw_ns, "net/ipv4/icmp_ratelimit", "0", err, errlen) != 0 ||
	    netns_sysctl(lab->fw_ns, "net/ipv6/conf/all/forwarding", "1", err, errlen) != 0 ||
	    netns_sysctl(lab->fw_ns, "net/ipv6/icmp/ratelimit", "0", err, errlen) != 0)
		return -1;
	return 0;
}

static int
load_ruleset(struct lab *lab, char *err, size_t errlen)
{
	const char *const nft[] = { "nft", "-f", lab->cfg.nft_path, NULL };

	return run(lab, lab->fw_ns, nft, err, errlen);
}

static int
check_addresses(const struct lab *lab, char *err, size_t errlen)
{
	char a[ADDR_STRLEN];
	size_t e, i;

	/* Checked again here, whatever the site parser said: the lab must
	 * never put anything outside the lab ranges on a wire.  Every address
	 * of a host goes on its interface, so every one is checked. */
	for (e = 0; e < lab->nep; e++) {
		if (!ep_used(lab, e))
			continue;
		if (plan_naddrs(lab->cfg.pl, e) == 0)
			return errfmt(err, errlen, "%s: no address for the lab", ep_name(lab, e));
		for (i = 0; i < plan_naddrs(lab->cfg.pl, e); i++) {
			const struct rp_addr *x = plan_addr_at(lab->cfg.pl, e, i);

			if (!addr_in_lab_range(x))
				return errfmt(err, errlen, "%s: address %s is outside %s; the lab refuses it",
				    ep_name(lab, e), addr_fmt(x, a), ADDR_LAB_RANGES);
		}
	}
	return 0;
}

static bool
signalled(int sigfd)
{
	struct pollfd pf = { .fd = sigfd, .events = POLLIN };

	return sigfd >= 0 && poll(&pf, 1, 0) > 0;
}

struct lab *
lab_up(const struct lab_cfg *cfg, char *err, size_t errlen)
{
	struct lab *lab = calloc(1, sizeof(*lab));
	const char *suffix;
	size_t e;

	if (!lab) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lab->cfg = *cfg;
	lab->nep = profile_nendpoints(plan_profile(cfg->pl));
	lab->host_ns = calloc(lab->nep ? lab->nep : 1, sizeof(*lab->host_ns));
	if (!lab->host_ns) {
		free(lab);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* The run id's random tail names everything, so runs never collide. */
	suffix = strrchr(cfg->rp->id, '-');
	suffix = suffix ? suffix + 1 : cfg->rp->id;
	snprintf(lab->fw_ns, sizeof(lab->fw_ns), "rp-%s-fw", suffix);
	for (e = 0; e < lab->nep; e++)
		if (ep_used(lab, e)) {
			/* The index keeps names unique when long FQDNs are cut short. */
			snprintf(lab->host_ns[e], sizeof(lab->host_ns[e]), "rp-%s-%zu-%.40s", suffix, e,
			    ep_name(lab, e));
		}
	if (check_addresses(lab, err, errlen) != 0 || pick_gateway(lab, err, errlen) != 0) {
		lab_down(lab);
		return NULL;
	}
	{
		size_t nh = 0;
		for (e = 0; e < lab->nep; e++)
			nh += lab->host_ns[e][0] != '\0';
		log_info(cfg->log, "lab: building %zu hosts and a firewall (namespaces rp-%s-*)", nh, suffix);
	}
	if (firewall_up(lab, err, errlen) != 0)
		goto fail;
	for (e = 0; e < lab->nep; e++) {
		if (!lab->host_ns[e][0])
			continue;
		if (signalled(cfg->sigfd)) {
			snprintf(err, errlen, "interrupted while building the lab");
			goto fail;
		}
		if (host_up(lab, e, err, errlen) != 0)
			goto fail;
	}
	if (load_ruleset(lab, err, errlen) != 0)
		goto fail;
	return lab;
fail:
	lab_down(lab);
	return NULL;
}

static int
spawn_agent(struct lab *lab, size_t e, bool sender, char *err, size_t errlen)
{
	struct agent_proc *ap = &lab->procs[lab->nprocs];
	char pname[256], mname[256], ppath[1024], mpath[1024], who[96], cerr[256];
	char tname[256], tpath[1024];
	int ready[2], stop[2] = { -1, -1 };
	pid_t pid;

	corr_segment_names(ep_name(lab, e), sender, lab->cfg.segment, pname, sizeof(pname), mname,
	    sizeof(mname));
	tlslog_name(ep_name(lab, e), sender, lab->cfg.segment, tname, sizeof(tname));
	snprintf(tpath, sizeof(tpath), "%s/%s", lab->cfg.run_dir, tname);
	snprintf(ppath, sizeof(ppath), "%s/%s", lab->cfg.run_dir, pname);
	snprintf(mpath, sizeof(mpath), "%s/%s", lab->cfg.run_dir, mname);
	if (pipe2(ready, O_CLOEXEC) != 0)
		return errfmt(err, errlen, "pipe: %s", strerror(errno));
	if (!sender && pipe2(stop, O_CLOEXEC) != 0) {
		close(ready[0]);
		close(ready[1]);
		return errfmt(err, errlen, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(ready[0]);
		close(ready[1]);
		if (stop[0] >= 0) {
			close(stop[0]);
			close(stop[1]);
		}
		return errfmt(err, errlen, "fork: %s", strerror(saved));
	}
	if (pid == 0) {
		struct rp_log lg = *lab->cfg.log;
		struct agent_cfg ac = {
			.plan = lab->cfg.pl, .endpoint = e, .iface = HOST_IFACE,
			.pcap_path = ppath, .pcap_name = pname, .meta_path = mpath,
			.key = lab->cfg.rp->key, .rate = lab->cfg.rp->rate,
			.linger_ms = lab->cfg.rp->linger_ms, .max_seconds = AGENT_MAX_S,
			.retries = lab->cfg.rp->retries,
			.ready_fd = ready[1], .stop_fd = stop[0], .log = &lg,
			.progress = sender && lab->prog ? &lab->prog[lab->nprocs] : NULL,
			.skip = lab->cfg.skip, .tls_log_path = tpath,
			.tls_cert = sender ? NULL : lab->cfg.tls_cert,
			.tls_key = sender ? NULL : lab->cfg.tls_key,
		};
		snprintf(who, sizeof(who), "%s %s", sender ? "send" : "listen", ep_name(lab, e));
		lg.who = who;
		close(ready[0]);
		if (stop[1] >= 0)
			close(stop[1]);
		if (netns_enter(lab->host_ns[e], cerr, sizeof(cerr)) != 0) {
			log_warnx(&lg, "%s", cerr);
			_exit(3);
		}
		_exit(sender ? sender_run(&ac) : listener_run(&ac));
	}
	close(ready[1]);
	if (stop[0] >= 0)
		close(stop[0]);
	*ap = (struct agent_proc){ .pid = pid, .ready_fd = ready[0], .stop_fd = stop[1],
	    .endpoint = e, .sender = sender };
	lab->nprocs++;
	return 0;
}

/* Waits until every agent from index `from` has said its capture is live. */
static int
wait_ready(struct lab *lab, size_t from, char *err, size_t errlen)
{
	struct timespec t0;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = from; i < lab->nprocs; i++) {
		struct pollfd pf[2] = { { .fd = lab->procs[i].ready_fd, .events = POLLIN },
		    { .fd = lab->cfg.sigfd, .events = POLLIN } };
		struct timespec now;
		long left;
		char c;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = READY_TIMEOUT_MS - ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(pf, 2, (int)left) <= 0 || pf[1].revents) {
			snprintf(err, errlen, "%s", pf[1].revents ? "interrupted" :
			    "an agent did not start in time");
			return -1;
		}
		if (read(lab->procs[i].ready_fd, &c, 1) != 1) {
			snprintf(err, errlen, "the %s agent on %s failed to start",
			    lab->procs[i].sender ? "send" : "listen", ep_name(lab, lab->procs[i].endpoint));
			return -1;
		}
	}
	return 0;
}

/* Each agent's peak memory is logged (debug) as it is reaped: `make bench`
 * reports it per process. */
static void
reap(const struct lab *lab, struct agent_proc *ap, int flags)
{
	struct rusage ru;

	if (ap->pid <= 0 || ap->reaped || wait4(ap->pid, &ap->status, flags, &ru) != ap->pid)
		return;
	ap->reaped = true;
	log_debug(lab->cfg.log, "%s agent %s: peak RSS %.1f MiB", ap->sender ? "send" : "listen",
	    ep_name(lab, ap->endpoint), (double)ru.ru_maxrss / 1024);
}

/* The live progress line: only for a person watching a terminal. */
static void
show_progress(struct lab *lab, bool last)
{
	uint64_t total = 0, sent = 0, ans = 0, retried = 0;
	int64_t now = run_now_us(), el;
	double rate, eta;
	size_t i;

	if (!lab->prog || !isatty(STDERR_FILENO) || lab->cfg.log->level < LOG_LVL_INFO ||
	    (!last && now - lab->prog_last_us < 200000))
		return;
	lab->prog_last_us = now;
	for (i = 0; i < lab->nprog; i++) {
		total += atomic_load(&lab->prog[i].total);
		sent += atomic_load(&lab->prog[i].sent);
		ans += atomic_load(&lab->prog[i].answered);
		retried += atomic_load(&lab->prog[i].retried);
	}
	el = now - lab->prog_start_us;
	rate = el > 0 ? (double)sent * 1e6 / (double)el : 0;
	eta = rate > 0 && total > sent ? (double)(total - sent) / rate : 0;
	fprintf(stderr, "\r\033[K  sent %" PRIu64 "/%" PRIu64 " probes  %.0f/s  answered %" PRIu64
	    "  retried %" PRIu64 "  ETA %.1f s%s", sent, total, rate, ans, retried, eta,
	    last ? "\n" : "");
}

/* Waits for the agents in [from, to) to exit, up to timeout_ms or (when
 * watching) a signal.  Returns 0 when all exited, 1 on a signal, -1 on
 * timeout. */
/* Probes sent so far by all senders, first tries and retries. */
static uint64_t
progress_sent(const struct lab *lab)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; lab->prog && i < lab->nprog; i++)
		n += atomic_load(&lab->prog[i].sent) + atomic_load(&lab->prog[i].retried);
	return n;
}

/* How long senders may go without sending a probe once past their time:
 * the time is computed from the asked rate, which a loaded machine may not
 * reach; a sender still making progress is not cut off (the agents bound
 * their own life). */
#define STALL_MS 5000

static int
wait_exit(struct lab *lab, size_t from, size_t to, long timeout_ms, bool watch)
{
	long waited = 0, moved = 0;
	uint64_t last = watch ? progress_sent(lab) : 0;
	size_t i, left;

	for (;;) {
		for (left = 0, i = from; i < to; i++) {
			reap(lab, &lab->procs[i], WNOHANG);
			left += !lab->procs[i].reaped;
		}
		if (left == 0)
			return 0;
		if (watch && signalled(lab->cfg.sigfd))
			return 1;
		if (watch)
			show_progress(lab, false);
		if (watch && progress_sent(lab) != last) {
			last = progress_sent(lab);
			moved = waited;
		}
		if (waited >= timeout_ms && !(watch && waited - moved < STALL_MS))
			return -1;
		usleep(10000);
		waited += 10;
	}
}

static void
stop_listeners(struct lab *lab)
{
	size_t i;

	for (i = 0; i < lab->nprocs; i++)
		if (lab->procs[i].stop_fd >= 0) {
			close(lab->procs[i].stop_fd);
			lab->procs[i].stop_fd = -1;
		}
}

static void
stop_all(struct lab *lab, int sig)
{
	size_t i;

	for (i = 0; i < lab->nprocs; i++)
		if (!lab->procs[i].reaped && lab->procs[i].pid > 0)
			kill(lab->procs[i].pid, sig);
}

static int
agents_ok(const struct lab *lab, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < lab->nprocs; i++) {
		const struct agent_proc *ap = &lab->procs[i];
		if (!WIFEXITED(ap->status) || WEXITSTATUS(ap->status) != 0) {
			snprintf(err, errlen, "the %s agent on %s failed (see its capture meta file)",
			    ap->sender ? "send" : "listen", ep_name(lab, ap->endpoint));
			return -1;
		}
	}
	return 0;
}

int
lab_run(struct lab *lab, bool *interrupted, char *err, size_t errlen)
{
	const struct plan *pl = lab->cfg.pl;
	size_t i, nl = plan_nreceivers(pl), ns = plan_nsenders(pl);
	/* Every round sends at most all probes and then lingers. */
	long send_ms = ((long)plan_nprobes(pl) * 1000 / (long)(lab->cfg.rp->rate ? lab->cfg.rp->rate : 1)
	    + (long)lab->cfg.rp->linger_ms) * (long)(lab->cfg.rp->retries + 1) + 15000;
	uint32_t ntls = 0;
	int w;

	/* TLS probes run beside the raw ones, each try bounded in time. */
	for (i = 0; i < plan_nprobes(pl); i++)
		ntls += tlsc_is_tls(plan_probe(pl, i));
	send_ms += (long)tlsc_budget_ms(ntls, lab->cfg.rp->retries);
	*interrupted = false;
	lab->procs = calloc(nl + ns, sizeof(*lab->procs));
	if (!lab->procs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Indexed like procs; only the senders' slots are used. */
	lab->nprog = nl + ns;
	lab->prog = mmap(NULL, lab->nprog * sizeof(*lab->prog), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lab->prog == MAP_FAILED)
		lab->prog = NULL;       /* no progress line, nothing else lost */
	lab->prog_start_us = run_now_us();
	for (i = 0; i < nl; i++)
		if (spawn_agent(lab, plan_receiver(pl, i), false, err, errlen) != 0)
			return -1;
	if (wait_ready(lab, 0, err, errlen) != 0)
		return -1;
	log_info(lab->cfg.log, "lab: %zu listeners capturing; sending %u probes from %zu hosts",
	    nl, plan_nprobes(pl), ns);
	for (i = 0; i < ns; i++)
		if (spawn_agent(lab, plan_sender(pl, i), true, err, errlen) != 0)
			return -1;
	w = wait_exit(lab, nl, nl + ns, send_ms, true);
	show_progress(lab, true);
	if (w == 0)
		usleep(LISTEN_GRACE_US);
	stop_listeners(lab);
	if (w != 0) {
		*interrupted = w == 1;
		snprintf(err, errlen, "%s", w == 1 ? "interrupted" : "senders did not finish in time");
		stop_all(lab, SIGTERM);
	}
	if (wait_exit(lab, 0, lab->nprocs, STOP_TIMEOUT_MS, false) != 0) {
		stop_all(lab, SIGKILL);
		wait_exit(lab, 0, lab->nprocs, STOP_TIMEOUT_MS, false);
	}
	return w != 0 ? -1 : agents_ok(lab, err, errlen);
}

void
lab_down(struct lab *lab)
{
	char err[256];
	size_t e, i;

	if (!lab)
		return;
	stop_listeners(lab);
	stop_all(lab, SIGTERM);
	if (lab->nprocs && wait_exit(lab, 0, lab->nprocs, STOP_TIMEOUT_MS, false) != 0) {
		stop_all(lab, SIGKILL);
		for (i = 0; i < lab->nprocs; i++)
			reap(lab, &lab->procs[i], 0);
	}
	for (i = 0; i < lab->nprocs; i++)
		close(lab->procs[i].ready_fd);
	/* Deleting a namespace deletes its end of every veth, hence the pair. */
	for (e = 0; e < lab->nep; e++) {
		const char *const del[] = { "ip", "netns", "del", lab->host_ns[e], NULL };
		if (lab->host_ns[e][0] && netns_run(NULL, del, CMD_TIMEOUT_S, err, sizeof(err)) != 0)
			log_debug(lab->cfg.log, "%s", err);
	}
	if (lab->fw_created) {
		const char *const del[] = { "ip", "netns", "del", lab->fw_ns, NULL };
		if (netns_run(NULL, del, CMD_TIMEOUT_S, err, sizeof(err)) != 0)
			log_warnx(lab->cfg.log, "%s", err);
	}
	if (lab->prog)
		munmap(lab->prog, lab->nprog * sizeof(*lab->prog));
	free(lab->procs);
	free(lab->host_ns);
	free(lab);
}
