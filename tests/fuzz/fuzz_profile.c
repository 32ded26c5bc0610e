/* libFuzzer target for the profile parser.  Besides memory safety it checks
 * the canonical printer (whatever parses must print to text that parses
 * again and prints the same: a fixpoint), the includes (read from a fixed
 * set of virtual files, one of them the input itself, so that nesting and
 * cycles are reached without touching the file system), and, for profiles
 * small enough, the plan and the compiled ruleset at a site that binds
 * every endpoint. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/nftgen.h"
#include "profile/print.h"
#include "profile/parse.h"
#include "plan/plan.h"
#include "profile/profile.h"
#include "profile/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct vfs {
	const char *self;
	size_t      self_len;
};

static const char fragment[] =
    "source \"fragment\"\nsection \"F\"\nzone fz\nfqdn f.example.com = 198.18.9.9\n"
    "wildcard *.f.example.com = a.f.example.com\ngroup fg = fz, *.f.example.com\n"
    "service fs = tcp/443 tls, udp/53\n";

static bool
vread(void *ctx, const char *path, char **text, size_t *len, int *err)
{
	const struct vfs *v = ctx;
	const char *src = NULL;
	size_t n = 0;

	if (strcmp(path, "self.inc") == 0 || strcmp(path, "sub/self.inc") == 0) {
		src = v->self;
		n = v->self_len;
	} else if (strcmp(path, "frag.inc") == 0 || strcmp(path, "sub/frag.inc") == 0) {
		src = fragment;
		n = sizeof(fragment) - 1;
	}
	if (!src) {
		*err = ENOENT;
		return false;
	}
	*text = malloc(n + 1);
	if (!*text)
		abort();
	memcpy(*text, src, n);
	*len = n;
	return true;
}

static char *
print(const struct profile *pf, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	profile_print(pf, f);
	fclose(f);
	return buf;
}

static void
exercise_queries(const struct profile *pf)
{
	size_t i, n = profile_nendpoints(pf);

	for (i = 0; i < profile_nrules(pf); i++) {
		const struct profile_rule *r = profile_rule(pf, i);

		if (r->nspans && r->nsrc && r->ndst) {
			(void)profile_allows(pf, r->src[0], r->dst[0], r->spans[0].proto, r->spans[0].hi);
			if (profile_rule_span(r, r->spans[0].proto, r->spans[0].lo) == NULL)
				abort();
		}
		if (!r->file || !r->from || !r->to || !r->services)
			abort();
	}
	for (i = 0; i < n; i++)
		if (profile_find_endpoint(pf, profile_endpoint(pf, i)->name) != (long)i)
			abort();
}

/* Ports the rules name in all: the plan's size grows with it. */
static size_t
named_ports(const struct profile *pf)
{
	size_t i, k, n = 0;

	for (i = 0; i < profile_nrules(pf); i++)
		for (k = 0; k < profile_rule(pf, i)->nspans; k++)
			n += (size_t)(profile_rule(pf, i)->spans[k].hi - profile_rule(pf, i)->spans[k].lo) + 1;
	return n;
}

/* A site that gives every endpoint lab addresses: a /28 for blocks, one
 * address for the rest. */
static struct site *
bind_all(const struct profile *pf)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	struct site *st;

	if (!f)
		abort();
	fputs("site \"fuzz\"\n", f);
	for (i = 0; i < profile_nendpoints(pf); i++) {
		const struct profile_endpoint *e = profile_endpoint(pf, i);

		if (e->kind == EP_BLOCK)
			fprintf(f, "host %s 198.19.%zu.0/28\n", e->name, i);
		else
			fprintf(f, "host %s 198.18.%zu.%zu\n", e->name, i / 250, i % 250 + 1);
	}
	fclose(f);
	st = site_parse("fuzz.site", text, len, NULL, NULL);
	free(text);
	return st;
}

static void
exercise_plan(const struct profile *pf)
{
	FILE *null = fopen("/dev/null", "w");
	struct site *st;
	struct plan *pl;
	struct fwset *fw;
	char err[256];
	uint32_t i;

	if (profile_nendpoints(pf) > 16 || named_ports(pf) > 512 || profile_default_closed_all(pf))
		return;
	st = bind_all(pf);
	if (!st)
		abort();   /* every endpoint name is a valid host name */
	if (site_check(st, pf, true, NULL) != 0)
		abort();
	pl = plan_build(pf, st, err, sizeof(err));
	if (!pl)
		abort();   /* every endpoint has an IPv4 address */
	for (i = 0; i < plan_nprobes(pl); i++) {
		const struct probe *p = plan_probe(pl, i);

		if (p->id != i || p->dst_addr >= plan_naddrs(pl, p->dst) ||
		    (!p->tls && plan_probe_sni(pl, p)) || !plan_probe_file(pl, p) ||
		    plan_probe_src(pl, p)->family != plan_probe_dst(pl, p)->family)
			abort();
	}
	if ((fw = fw_compile(pl)) != NULL) {
		fw_emit(fw, pl, null);
		fw_free(fw);
	}
	plan_free(pl);
	site_free(st);
	fclose(null);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *sink = fopen("/dev/null", "w");
	struct vfs v = { (const char *)data, size };
	struct profile_reader io = { vread, &v };
	struct profile *pf, *again;
	char *canon, *canon2;
	size_t len, len2;
	int nerr = 0;

	pf = profile_parse_with("fuzz.profile", (const char *)data, size, &io, sink, &nerr);
	if (!pf) {
		if (nerr == 0)
			abort();   /* failure must come with an error */
		fclose(sink);
		return 0;
	}
	exercise_queries(pf);
	exercise_plan(pf);
	/* The canonical form writes includes out in place: it needs none. */
	canon = print(pf, &len);
	again = profile_parse_with("canon.profile", canon, len, NULL, NULL, &nerr);
	if (!again)
		abort();
	canon2 = print(again, &len2);
	if (len != len2 || memcmp(canon, canon2, len) != 0)
		abort();
	free(canon);
	free(canon2);
	profile_free(again);
	profile_free(pf);
	fclose(sink);
	return 0;
}
