/* The offline subcommands: check, compile, plan. */
#include "cmd/cmd_check.h"

#include <getopt.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "lab/ruleset.h"
#include "lib/exitstatus.h"
#include "plan/inputs.h"
#include "profile/print.h"
#include "plan/rundir.h"

static const char check_usage[] =
    "usage: ruleproof check PROFILE [--site SITE] [--lab]\n"
    "Parses PROFILE, reports every error as FILE:LINE:COL with the line and a\n"
    "caret, and prints the profile in canonical form.  With --site, also checks\n"
    "that the site gives every endpoint the rules use an address (--lab: and\n"
    "that all of them lie in the lab ranges, 198.18.0.0/15 or 2001:db8::/32).\n"
    "The language is described in ruleproof.profile(5).\n";

int
cmd_check(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' }, { "lab", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *site = NULL;
	bool lab = false;
	struct inputs in;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:lh", opts, NULL)) != -1) {
		switch (c) {
		case 's': site = optarg; break;
		case 'l': lab = true; break;
		case 'h': fputs(check_usage, stdout); return EXIT_PASS;
		default: fputs(check_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(check_usage, stderr);
		return EXIT_USAGE;
	}
	rc = inputs_load(log, argv[optind], site, lab, &in);
	if (rc != EXIT_PASS)
		return rc;
	profile_print(in.prof, stdout);
	if (in.pl)
		log_info(log, "%s binds the profile: %u probes", site, plan_nprobes(in.pl));
	inputs_free(&in);
	return EXIT_PASS;
}

static const char compile_usage[] =
    "usage: ruleproof compile PROFILE --site SITE [--drift N [--seed S] [--planted FILE]]\n"
    "Prints an nftables ruleset that conforms to PROFILE at SITE: every flow an\n"
    "open rule names is accepted, everything else dropped.  --drift plants N\n"
    "deliberate deviations chosen by seed S and describes them on stderr (or in\n"
    "FILE); used by `ruleproof lab` to show that every deviation is found.\n";

int
cmd_compile(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' }, { "drift", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' }, { "planted", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *site = NULL, *planted_path = NULL;
	unsigned long drift = 0, seed = 1;
	struct inputs in;
	FILE *planted = stderr;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:d:S:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': site = optarg; break;
		case 'd':
			if (cli_parse_uint(optarg, 1000, &drift) != 0) {
				log_warnx(log, "--drift takes a number from 0 to 1000");
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (cli_parse_uint(optarg, ~0UL, &seed) != 0) {
				log_warnx(log, "--seed takes a non-negative integer");
				return EXIT_USAGE;
			}
			break;
		case 'p': planted_path = optarg; break;
		case 'h': fputs(compile_usage, stdout); return EXIT_PASS;
		default: fputs(compile_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !site) {
		fputs(compile_usage, stderr);
		return EXIT_USAGE;
	}
	rc = inputs_load(log, argv[optind], site, false, &in);
	if (rc != EXIT_PASS)
		return rc;
	if (planted_path && !(planted = fopen(planted_path, "w"))) {
		log_warn(log, "%s", planted_path);
		inputs_free(&in);
		return EXIT_USAGE;
	}
	rc = ruleset_compile(in.pl, drift, seed, stdout, planted, log) == 0 ? EXIT_PASS : EXIT_RUN;
	if (planted != stderr && fclose(planted) != 0) {
		log_warn(log, "%s", planted_path);
		rc = EXIT_RUN;
	}
	inputs_free(&in);
	return rc;
}

static const char plan_usage[] =
    "usage: ruleproof plan PROFILE --site SITE [--list]\n"
    "       ruleproof plan PROFILE --site SITE -o RUN.plan [--rate PPS] [--linger MS]\n"
    "                      [--retries N] [--skew MS]\n"
    "Shows the probes PROFILE expands to at SITE, without sending anything: how\n"
    "many each rule gives (open, closed, TLS), and in all.  --list shows every\n"
    "probe: id, the rule it tests (file:line), source and destination, their\n"
    "addresses, protocol and port, the expected outcome, and for a TLS probe\n"
    "its server name.  `default closed` adds negative probes; see\n"
    "ruleproof.profile(5).\n"
    "With -o, writes instead a plan file for a split run: a new run id and\n"
    "probe-id key, the parameters, and the profile and site themselves, so that\n"
    "`ruleproof listen` and `ruleproof send` on other hosts rebuild the same\n"
    "probes from it (defaults: --rate 100, --linger 1000, --retries 1, and\n"
    "--skew 100: the clock difference in ms tolerated between the agents' hosts).\n";

#define SPLIT_RATE_DEFAULT    100
#define SPLIT_LINGER_DEFAULT  1000
#define SPLIT_RETRIES_DEFAULT 1
#define SPLIT_SKEW_DEFAULT    100

struct plan_opts {
	const char   *site, *out;
	unsigned long rate, linger, retries, skew;
	bool          list;
};

static int
write_plan_file(const char *profile, const struct plan_opts *o, const struct inputs *in,
    const struct rp_log *log)
{
	struct run_params rp;
	char err[512];

	if (run_plan_for(&rp, profile, o->site, (unsigned)o->rate, (unsigned)o->linger,
	    (unsigned)o->retries, (unsigned)o->skew, err, sizeof(err)) != 0 ||
	    (rp.prof = in->prof, run_write_plan_file(&rp, o->out, err, sizeof(err))) != 0) {
		log_warnx(log, "%s", err);
		return EXIT_RUN;
	}
	log_info(log, "%s: run %s, %u probes from %zu senders to %zu listeners", o->out, rp.id,
	    plan_nprobes(in->pl), plan_nsenders(in->pl), plan_nreceivers(in->pl));
	return EXIT_PASS;
}

/* "36", or "other.profile:12" for a rule from an included file. */
static const char *
rule_where(const struct profile *prof, const char *file, int line, char *buf, size_t len)
{
	if (!file || strcmp(file, profile_name(prof)) == 0)
		snprintf(buf, len, "%d", line);
	else
		snprintf(buf, len, "%s:%d", file, line);
	return buf;
}

struct rule_count {
	uint32_t probes, tls;
};

static void
print_summary_line(const char *where, const char *expect, const struct rule_count *c,
    const char *text)
{
	printf("%6s  %-6s  %7u  %5u  %s\n", where, expect, c->probes, c->tls, text);
}

/* Probes per rule: what `plan` shows without --list. */
static void
print_plan_summary(const struct inputs *in)
{
	const struct profile *prof = in->prof;
	size_t nr = profile_nrules(prof), r;
	struct rule_count *c = calloc(nr + 1, sizeof(*c)), total = { 0, 0 };
	uint32_t i, open = 0;
	char where[300], text[1024];

	if (!c)
		return;
	for (i = 0; i < plan_nprobes(in->pl); i++) {
		const struct probe *p = plan_probe(in->pl, i);
		struct rule_count *rc = &c[p->rule == PLAN_RULE_DEFAULT ? nr : p->rule];

		rc->probes++;
		rc->tls += p->tls;
		total.tls += p->tls;
		open += p->expect_open;
	}
	printf("profile  %s: %s\nsite     %s: %s\n\n", profile_name(prof), profile_title(prof),
	    site_name(in->site), site_title(in->site));
	printf("%6s  %-6s  %7s  %5s  %s\n", "LINE", "EXPECT", "PROBES", "TLS", "RULE");
	for (r = 0; r < nr; r++) {
		const struct profile_rule *ru = profile_rule(prof, r);

		snprintf(text, sizeof(text), "%s -> %s : %s", ru->from, ru->to, ru->services);
		print_summary_line(rule_where(prof, ru->file, ru->line, where, sizeof(where)),
		    ru->expect_open ? "open" : "closed", &c[r], text);
	}
	if (profile_default_closed_line(prof) > 0)
		print_summary_line(rule_where(prof, profile_default_closed_file(prof),
		    profile_default_closed_line(prof), where, sizeof(where)), "closed", &c[nr],
		    profile_default_closed_all(prof) ? "default closed all (every port)" :
		    "default closed (every other named port and its neighbours)");
	printf("\n%u probes (%u open, %u closed, %u TLS) from %zu senders to %zu receivers\n",
	    plan_nprobes(in->pl), open, plan_nprobes(in->pl) - open, total.tls,
	    plan_nsenders(in->pl), plan_nreceivers(in->pl));
	free(c);
}

static void
print_plan_list(const struct inputs *in)
{
	char sa[ADDR_STRLEN], da[ADDR_STRLEN];
	uint32_t i;

	printf("%6s  %-32s %-12s %-12s %-15s %-15s %-10s %-6s %s\n", "PROBE", "RULE", "FROM", "TO",
	    "SRC", "DST", "PORT", "EXPECT", "TLS");
	for (i = 0; i < plan_nprobes(in->pl); i++) {
		const struct probe *p = plan_probe(in->pl, i);
		const char *sni = plan_probe_sni(in->pl, p);
		char rule[600], port[16], tls[300];

		snprintf(rule, sizeof(rule), "%s:%d", plan_probe_file(in->pl, p) ?
		    plan_probe_file(in->pl, p) : profile_name(in->prof), plan_probe_line(in->pl, p));
		snprintf(port, sizeof(port), "%s/%u", p->proto == RP_PROTO_UDP ? "udp" : "tcp", p->port);
		snprintf(tls, sizeof(tls), "%s%s", !p->tls ? "-" : sni ? "sni=" : "tls", sni ? sni : "");
		printf("%6u  %-32s %-12s %-12s %-15s %-15s %-10s %-6s %s\n", p->id, rule,
		    profile_endpoint(in->prof, p->src)->name, profile_endpoint(in->prof, p->dst)->name,
		    addr_fmt(plan_probe_src(in->pl, p), sa), addr_fmt(plan_probe_dst(in->pl, p), da), port,
		    p->expect_open ? "open" : "closed", tls);
	}
}

static int
plan_options(int argc, char **argv, struct plan_opts *o, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' }, { "list", no_argument, NULL, 'l' },
		{ "rate", required_argument, NULL, 'r' }, { "linger", required_argument, NULL, 'L' },
		{ "retries", required_argument, NULL, 'R' }, { "skew", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct plan_opts){ .rate = SPLIT_RATE_DEFAULT, .linger = SPLIT_LINGER_DEFAULT,
	    .retries = SPLIT_RETRIES_DEFAULT, .skew = SPLIT_SKEW_DEFAULT };
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:o:lh", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->site = optarg; break;
		case 'o': o->out = optarg; break;
		case 'l': o->list = true; break;
		case 'r':
			if (cli_parse_uint(optarg, 1000000, &o->rate) != 0 || !o->rate)
				return log_warnx(log, "--rate takes a number from 1 to 1000000"), EXIT_USAGE;
			break;
		case 'L':
			if (cli_parse_uint(optarg, 60000, &o->linger) != 0)
				return log_warnx(log, "--linger takes milliseconds from 0 to 60000"), EXIT_USAGE;
			break;
		case 'R':
			if (cli_parse_uint(optarg, 10, &o->retries) != 0)
				return log_warnx(log, "--retries takes a number from 0 to 10"), EXIT_USAGE;
			break;
		case 'K':
			if (cli_parse_uint(optarg, 3600000, &o->skew) != 0)
				return log_warnx(log, "--skew takes milliseconds from 0 to 3600000"), EXIT_USAGE;
			break;
		case 'h': fputs(plan_usage, stdout); return -1;
		default: fputs(plan_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !o->site || (o->out && o->list)) {
		fputs(plan_usage, stderr);
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}

int
cmd_plan(int argc, char **argv, const struct rp_log *log)
{
	struct plan_opts o;
	struct inputs in;
	int rc = plan_options(argc, argv, &o, log);

	if (rc != EXIT_PASS)
		return rc < 0 ? EXIT_PASS : rc;
	rc = inputs_load(log, argv[optind], o.site, false, &in);
	if (rc != EXIT_PASS)
		return rc;
	if (o.out)
		rc = write_plan_file(argv[optind], &o, &in, log);
	else if (o.list)
		print_plan_list(&in);
	else
		print_plan_summary(&in);
	inputs_free(&in);
	return rc;
}
