/* The split operation: `send` on a host in a source zone and `listen` on a
 * host on the far side of the firewall, each from the same plan file, each
 * writing its capture and capture file for `correlate` to join later. */
#include "cmd/cmd_agent.h"

#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/listener.h"
#include "send/sender.h"
#include "cmd/cli.h"
#include "lib/exitstatus.h"
#include "plan/inputs.h"
#include "correlate/correlate.h"
#include "lib/sudouser.h"
#include "lib/rootguard.h"
#include "plan/rundir.h"
#include "lib/diskspace.h"
#include "tls/tlslog.h"

#define LISTEN_MAX_S_DEFAULT 3600
#define SEND_MAX_S           86400

struct agent_opts {
	const char   *plan, *as, *iface, *out, *tls_cert, *tls_key;
	unsigned long duration, rate, retries;
	bool          rate_set, retries_set, dry_run;
};

static const char send_usage[] =
    "usage: ruleproof send --plan RUN.plan [--as NAME] [--iface IF] [--out DIR]\n"
    "                      [--rate PPS] [--retries N] [--dry-run]\n"
    "Sends the probes of one source endpoint of the plan from this host and\n"
    "captures what leaves and what comes back (tx-NAME.pcap and tx-NAME.json in\n"
    "DIR, default captures/RUN-ID).  NAME defaults to the endpoint whose address\n"
    "this host has; IF to the interface that holds it.  It only ever sends to\n"
    "addresses the site declares, at the plan's rate (100/s unless raised with\n"
    "--rate).  --dry-run prints what would be sent and sends nothing.  Needs\n"
    "root (not with --dry-run).\n";

static const char listen_usage[] =
    "usage: ruleproof listen --plan RUN.plan [--as NAME] [--iface IF] [--out DIR]\n"
    "                        [--duration S] [--tls-cert CERT.pem --tls-key KEY.pem]\n"
    "Captures, on the far side of the firewall, what reaches one destination\n"
    "endpoint of the plan (rx-NAME.pcap and rx-NAME.json in DIR, default\n"
    "captures/RUN-ID), until SIGINT or SIGTERM, or for S seconds (default 3600).\n"
    "Start it before `ruleproof send`, stop it after.  Needs root.\n"
    "On the TLS ports planned to this host that no service holds, a responder\n"
    "completes TLS handshakes (with CERT.pem and KEY.pem, or a test certificate\n"
    "made in memory) so that ClientHellos can cross a stateful firewall; a port in\n"
    "use is left to its service (tls-rx-NAME.json says which and what it presents).\n";

static int
parse_agent_opts(int argc, char **argv, bool sender, struct agent_opts *o,
    const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "plan", required_argument, NULL, 'p' }, { "as", required_argument, NULL, 'a' },
		{ "iface", required_argument, NULL, 'i' }, { "out", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' }, { "rate", required_argument, NULL, 'r' },
		{ "retries", required_argument, NULL, 'R' }, { "help", no_argument, NULL, 'h' },
		{ "dry-run", no_argument, NULL, 'n' }, { "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' }, { NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct agent_opts){ .duration = LISTEN_MAX_S_DEFAULT };
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:a:i:o:d:r:R:nhC:K:", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
		case 'K':
			if (sender)
				return log_warnx(log, "--tls-cert and --tls-key are for listen"), -1;
			*(c == 'C' ? &o->tls_cert : &o->tls_key) = optarg;
			break;
		case 'n':
			if (!sender)
				return log_warnx(log, "--dry-run is for send"), -1;
			o->dry_run = true;
			break;
		case 'p': o->plan = optarg; break;
		case 'a': o->as = optarg; break;
		case 'i': o->iface = optarg; break;
		case 'o': o->out = optarg; break;
		case 'd':
			if (sender || cli_parse_uint(optarg, 7 * 86400, &o->duration) != 0 || !o->duration)
				return log_warnx(log, "--duration takes seconds from 1 to 604800 (listen only)"), -1;
			break;
		case 'r':
			if (!sender || cli_parse_uint(optarg, 1000000, &o->rate) != 0 || !o->rate)
				return log_warnx(log, "--rate takes a number from 1 to 1000000 (send only)"), -1;
			o->rate_set = true;
			break;
		case 'R':
			if (!sender || cli_parse_uint(optarg, 10, &o->retries) != 0)
				return log_warnx(log, "--retries takes a number from 0 to 10 (send only)"), -1;
			o->retries_set = true;
			break;
		case 'h': fputs(sender ? send_usage : listen_usage, stdout); return 1;
		default: return -1;
		}
	}
	if (optind != argc || !o->plan)
		return -1;
	if (!o->tls_cert != !o->tls_key)
		return log_warnx(log, "--tls-cert and --tls-key go together"), -1;
	return 0;
}

static bool
is_role_of(const struct plan *pl, size_t ep, bool sender)
{
	size_t i, n = sender ? plan_nsenders(pl) : plan_nreceivers(pl);

	for (i = 0; i < n; i++)
		if ((sender ? plan_sender(pl, i) : plan_receiver(pl, i)) == ep)
			return true;
	return false;
}

static bool
sockaddr_is(const struct sockaddr *sa, const struct rp_addr *a)
{
	if (sa->sa_family == AF_INET && a->family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)(const void *)sa)->sin_addr, a->b, 4) == 0;
	if (sa->sa_family == AF_INET6 && a->family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, a->b, 16) == 0;
	return false;
}

/* The interface that holds addr on this host, into iface; false if none. */
static bool
local_iface(const struct rp_addr *addr, char *iface, size_t len)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs) != 0)
		return false;
	for (i = ifs; i && !found; i = i->ifa_next)
		if (i->ifa_addr && sockaddr_is(i->ifa_addr, addr)) {
			snprintf(iface, len, "%s", i->ifa_name);
			found = true;
		}
	freeifaddrs(ifs);
	return found;
}

/* Picks the endpoint this agent acts for: the one named by --as, or the
 * only one of the right role whose address this host has. */
static long
pick_endpoint(const struct inputs *in, const struct agent_opts *o, bool sender,
    const struct rp_log *log)
{
	const char *role = sender ? "source" : "destination";
	char ifn[IF_NAMESIZE];
	long ep = -1;
	size_t e;

	if (o->as) {
		ep = profile_find_endpoint(in->prof, o->as);
		if (ep < 0 || !is_role_of(in->pl, (size_t)ep, sender)) {
			log_warnx(log, "'%s' is not a %s of any probe in this plan", o->as, role);
			return -1;
		}
		return ep;
	}
	for (e = 0; e < profile_nendpoints(in->prof); e++) {
		if (!is_role_of(in->pl, e, sender) || !local_iface(plan_addr(in->pl, e), ifn, sizeof(ifn)))
			continue;
		if (ep >= 0) {
			log_warnx(log, "this host is both '%s' and '%s': say which with --as",
			    profile_endpoint(in->prof, (size_t)ep)->name, profile_endpoint(in->prof, e)->name);
			return -1;
		}
		ep = (long)e;
	}
	if (ep < 0)
		log_warnx(log, "no %s endpoint of the plan has an address on this host: use --as", role);
	return ep;
}

/* One directory of the output path; one this agent creates under sudo
 * belongs to the user who ran sudo, like the files in it (agent.h). */
static int
make_dir(const char *path, const struct sudo_user *owner, const struct rp_log *log)
{
	char err[512];

	if (mkdir(path, 0755) != 0)
		return errno == EEXIST ? 0 : (log_warn(log, "%s", path), -1);
	if (owner && sudouser_hand_over(owner, path, err, sizeof(err)) != 0)
		return log_warnx(log, "%s", err), -1;
	return 0;
}

static int
make_out_dir(const char *dir, const struct sudo_user *owner, const struct rp_log *log)
{
	char path[1024], *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (make_dir(path, owner, log) != 0)
			return -1;
		*p = '/';
	}
	return make_dir(path, owner, log);
}

struct agent_files {
	char dir[1024], pname[256], mname[256], ppath[1300], mpath[1300], iface[IF_NAMESIZE];
	char tpath[1300];
};

/* Where the capture goes; an existing capture is evidence and is never
 * overwritten. */
static int
prepare_files(const struct inputs *in, const struct run_params *rp, const struct agent_opts *o,
    size_t ep, bool sender, const struct sudo_user *owner, struct agent_files *f,
    const struct rp_log *log)
{
	const char *name = profile_endpoint(in->prof, ep)->name;

	if (o->out)
		snprintf(f->dir, sizeof(f->dir), "%s", o->out);
	else
		snprintf(f->dir, sizeof(f->dir), "captures/%s", rp->id);
	corr_capture_names(name, sender, f->pname, sizeof(f->pname), f->mname, sizeof(f->mname));
	snprintf(f->ppath, sizeof(f->ppath), "%s/%s", f->dir, f->pname);
	snprintf(f->mpath, sizeof(f->mpath), "%s/%s", f->dir, f->mname);
	{
		char tname[256];
		tlslog_name(name, sender, 0, tname, sizeof(tname));
		snprintf(f->tpath, sizeof(f->tpath), "%s/%s", f->dir, tname);
	}
	if (o->iface) {
		snprintf(f->iface, sizeof(f->iface), "%s", o->iface);
		if (if_nametoindex(f->iface) == 0) {
			log_warnx(log, "--iface %s: no such interface on this host", o->iface);
			return -1;
		}
	} else if (!local_iface(plan_addr(in->pl, ep), f->iface, sizeof(f->iface))) {
		char a[ADDR_STRLEN];
		log_warnx(log, "%s's address %s is not on this host: give --iface", name,
		    addr_fmt(plan_addr(in->pl, ep), a));
		return -1;
	}
	if (make_out_dir(f->dir, owner, log) != 0)
		return -1;
	{
		char err[512];
		uint32_t i, n = 0;

		for (i = 0; i < plan_nprobes(in->pl); i++)
			n += (sender ? plan_probe(in->pl, i)->src : plan_probe(in->pl, i)->dst) == ep;
		if (diskspace_check(f->dir, diskspace_needed(n, rp->retries + 1), err, sizeof(err)) != 0) {
			log_warnx(log, "%s", err);
			return -1;
		}
	}
	if (access(f->ppath, F_OK) == 0 || access(f->mpath, F_OK) == 0 || access(f->tpath, F_OK) == 0) {
		log_warnx(log, "%s already holds a capture of %s; evidence is never overwritten",
		    f->dir, name);
		return -1;
	}
	return 0;
}

/* The scope guard: outside the lab a sender probes only addresses the site
 * declares.  An address known only from the profile (a vendor's documented
 * IP) is someone else's host until the site says it is in scope. */
static int
check_scope(const struct inputs *in, size_t ep, const struct rp_log *log)
{
	const struct profile *prof = in->prof;
	uint32_t i;

	for (i = 0; i < plan_nprobes(in->pl); i++) {
		const struct probe *p = plan_probe(in->pl, i);
		const char *name = profile_endpoint(prof, p->dst)->name;
		char a[ADDR_STRLEN];

		if (p->src != ep || site_find(in->site, name))
			continue;
		log_warnx(log, "scope: the site does not declare '%s' (%s comes from the profile): "
		    "bind it in the site to probe it", name, addr_fmt(plan_probe_dst(in->pl, p), a));
		return -1;
	}
	return 0;
}

/* What a sender would do, without a socket or a privilege. */
static void
dry_run(const struct inputs *in, const struct run_params *rp, const struct agent_opts *o,
    size_t ep)
{
	unsigned rate = o->rate_set ? (unsigned)o->rate : rp->rate;
	char sa[ADDR_STRLEN], da[ADDR_STRLEN];
	uint32_t i, n = 0;

	printf("%6s  %-15s  %-39s  %-10s  %s\n", "PROBE", "TO", "ADDRESS", "PORT", "EXPECT");
	for (i = 0; i < plan_nprobes(in->pl); i++) {
		const struct probe *p = plan_probe(in->pl, i);
		char port[16];

		if (p->src != ep)
			continue;
		snprintf(port, sizeof(port), "%s/%u", p->proto == RP_PROTO_UDP ? "udp" : "tcp", p->port);
		printf("%6u  %-15s  %-39s  %-10s  %s%s%s\n", p->id, profile_endpoint(in->prof, p->dst)->name,
		    addr_fmt(plan_probe_dst(in->pl, p), da), port, p->expect_open ? "open" : "closed",
		    p->tls ? "  TLS, SNI " : "", p->tls ? (plan_probe_sni(in->pl, p) ? plan_probe_sni(in->pl, p) :
		    "none") : "");
		n++;
	}
	printf("would send %u probes from %s (%s) at %u/s, about %.1f s, then retry unanswered "
	    "ones up to %u times; nothing was sent\n", n, profile_endpoint(in->prof, ep)->name,
	    addr_fmt(plan_addr(in->pl, ep), sa), rate, rate ? (double)n / rate : 0.0,
	    o->retries_set ? (unsigned)o->retries : rp->retries);
}

/* A capture (and a raw socket) takes CAP_NET_RAW, which root has: checked
 * before anything is created, so that a user without it learns why at once
 * rather than from libpcap's "socket: Operation not permitted". */
static bool
may_capture(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long eff = 0;
	char line[256];
	bool found = false;

	if (!f)
		return true;   /* cannot tell: the capture will say */
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &eff) == 1;
	fclose(f);
	return !found || ((eff >> CAP_NET_RAW) & 1);
}

static int
run_agent(int argc, char **argv, bool sender, const struct rp_log *log)
{
	struct agent_opts o;
	struct run_params rp;
	struct inputs in;
	struct agent_files f;
	struct agent_cfg cfg;
	struct rp_log lg = *log;
	struct sudo_user owner;
	char who[96], err[256];
	long ep;
	int rc = parse_agent_opts(argc, argv, sender, &o, log), sudo;

	if (rc != 0) {
		if (rc < 0)
			fputs(sender ? send_usage : listen_usage, stderr);
		return rc < 0 ? EXIT_USAGE : EXIT_PASS;
	}
	/* A dry run sends nothing: it needs no privilege, so it keeps none. */
	if (o.dry_run && rootguard("send --dry-run", log) != 0)
		return EXIT_USAGE;
	sudo = o.dry_run ? 0 : sudouser_get(&owner, err, sizeof(err));
	if (sudo < 0) {
		log_warnx(log, "%s", err);
		return EXIT_USAGE;
	}
	rc = inputs_load_plan(log, o.plan, &rp, &in);
	if (rc != EXIT_PASS)
		return rc;
	ep = pick_endpoint(&in, &o, sender, log);
	if (ep < 0 || (sender && check_scope(&in, (size_t)ep, log) != 0)) {
		inputs_free(&in);
		return EXIT_USAGE;
	}
	if (o.dry_run) {
		dry_run(&in, &rp, &o, (size_t)ep);
		inputs_free(&in);
		return EXIT_PASS;
	}
	if (!may_capture()) {
		log_warnx(log, "%s needs root: %s CAP_NET_RAW (run it with sudo%s)",
		    sender ? "send" : "listen",
		    sender ? "capturing and sending raw packets take" : "capturing takes",
		    sender ? ", or see what it would send with --dry-run" : "");
		inputs_free(&in);
		return EXIT_RUN;
	}
	if (prepare_files(&in, &rp, &o, (size_t)ep, sender, sudo ? &owner : NULL, &f, log) != 0) {
		inputs_free(&in);
		return EXIT_USAGE;
	}
	snprintf(who, sizeof(who), "%s %s", sender ? "send" : "listen",
	    profile_endpoint(in.prof, (size_t)ep)->name);
	lg.who = who;
	cfg = (struct agent_cfg){
		.plan = in.pl, .endpoint = (size_t)ep, .iface = f.iface, .pcap_path = f.ppath,
		.pcap_name = f.pname, .meta_path = f.mpath, .key = rp.key,
		.rate = o.rate_set ? (unsigned)o.rate : rp.rate, .linger_ms = rp.linger_ms,
		.retries = o.retries_set ? (unsigned)o.retries : rp.retries,
		.max_seconds = sender ? SEND_MAX_S : (unsigned)o.duration,
		.ready_fd = -1, .stop_fd = -1, .signal_stops = !sender, .log = &lg,
		.owner = sudo ? &owner : NULL,
		.tls_log_path = f.tpath, .tls_cert = o.tls_cert, .tls_key = o.tls_key,
	};
	log_info(&lg, "%s on %s, run %s, capture %s%s", sender ? "sending" : "listening",
	    f.iface, rp.id, f.ppath, sender ? "" : " (stop with Ctrl-C or SIGTERM)");
	rc = sender ? sender_run(&cfg) : listener_run(&cfg);
	if (rc == 0)
		log_info(&lg, "done: %s and %s", f.ppath, f.mname);
	inputs_free(&in);
	return rc == 0 ? EXIT_PASS : EXIT_RUN;
}

int
cmd_send(int argc, char **argv, const struct rp_log *log)
{
	return run_agent(argc, argv, true, log);
}

int
cmd_listen(int argc, char **argv, const struct rp_log *log)
{
	return run_agent(argc, argv, false, log);
}
