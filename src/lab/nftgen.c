#include "lab/nftgen.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct fwset {
	struct fw_rule *r;
	size_t          n, cap;
	const struct plan *pl;
};

static int
reserve(struct fwset *fw, size_t want)
{
	struct fw_rule *nr;
	size_t ncap;

	if (want <= fw->cap)
		return 0;
	ncap = fw->cap ? fw->cap * 2 : 32;
	while (ncap < want)
		ncap *= 2;
	nr = realloc(fw->r, ncap * sizeof(*nr));
	if (!nr)
		return -1;
	fw->r = nr;
	fw->cap = ncap;
	return 0;
}

int
fw_insert(struct fwset *fw, size_t pos, const struct fw_rule *rule)
{
	if (pos > fw->n || reserve(fw, fw->n + 1) != 0)
		return -1;
	memmove(&fw->r[pos + 1], &fw->r[pos], (fw->n - pos) * sizeof(*fw->r));
	fw->r[pos] = *rule;
	fw->n++;
	return 0;
}

void
fw_replace(struct fwset *fw, size_t pos, const struct fw_rule *rule)
{
	if (pos < fw->n)
		fw->r[pos] = *rule;
}

void
fw_swap(struct fwset *a, struct fwset *b)
{
	struct fwset t = *a;

	*a = *b;
	*b = t;
}

struct fwset *
fw_compile(const struct plan *pl)
{
	const struct profile *prof = plan_profile(pl);
	struct fwset *fw = calloc(1, sizeof(*fw));
	size_t i, s, d, k;

	if (!fw)
		return NULL;
	fw->pl = pl;
	for (i = 0; i < profile_nrules(prof); i++) {
		const struct profile_rule *ru = profile_rule(prof, i);
		if (!ru->expect_open)
			continue;
		for (s = 0; s < ru->nsrc; s++)
			for (d = 0; d < ru->ndst; d++)
				for (k = 0; k < ru->nspans; k++) {
					struct fw_rule r = {
						.src = ru->src[s], .dst = ru->dst[d],
						.proto = ru->spans[k].proto,
						.lo = ru->spans[k].lo, .hi = ru->spans[k].hi,
						.act = FW_ACCEPT, .line = ru->line, .file = ru->file,
					};
					if (fw_insert(fw, fw->n, &r) != 0) {
						fw_free(fw);
						return NULL;
					}
				}
	}
	return fw;
}

struct fwset *
fw_clone(const struct fwset *src)
{
	struct fwset *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return NULL;
	fw->pl = src->pl;
	if (reserve(fw, src->n ? src->n : 1) != 0) {
		free(fw);
		return NULL;
	}
	memcpy(fw->r, src->r, src->n * sizeof(*fw->r));
	fw->n = src->n;
	return fw;
}

void
fw_free(struct fwset *fw)
{
	if (!fw)
		return;
	free(fw->r);
	free(fw);
}

size_t fw_nrules(const struct fwset *fw) { return fw->n; }
const struct fw_rule *fw_rule_at(const struct fwset *fw, size_t i) { return i < fw->n ? &fw->r[i] : NULL; }

enum fw_action
fw_eval(const struct fwset *fw, size_t src, size_t dst, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < fw->n; i++) {
		const struct fw_rule *r = &fw->r[i];
		if (r->src == src && r->dst == dst && r->proto == proto &&
		    port >= r->lo && port <= r->hi)
			return r->act;
	}
	return FW_DROP;
}

const char *
fw_action_name(enum fw_action a)
{
	switch (a) {
	case FW_ACCEPT: return "accept";
	case FW_DROP: return "drop";
	case FW_REJECT_RST: return "reject-rst";
	case FW_REJECT_ICMP: return "reject-icmp";
	}
	return "?";
}

static const char *
nft_verdict(enum fw_action a)
{
	switch (a) {
	case FW_ACCEPT: return "accept";
	case FW_DROP: return "drop";
	case FW_REJECT_RST: return "reject with tcp reset";
	case FW_REJECT_ICMP: return "reject with icmpx type admin-prohibited";
	}
	return "drop";
}

/* nftables caps a comment at 128 bytes and ends it at a quote. */
static void
emit_comment(const struct fw_rule *r, const struct plan *pl, FILE *out)
{
	const struct profile *prof = plan_profile(pl);
	const char *name = r->file ? r->file : profile_name(prof), *base = strrchr(name, '/');
	char buf[120];
	size_t i;

	if (r->line > 0)
		snprintf(buf, sizeof(buf), "%s -> %s, %s:%d", profile_endpoint(prof, r->src)->name,
		    profile_endpoint(prof, r->dst)->name, base ? base + 1 : name, r->line);
	else
		snprintf(buf, sizeof(buf), "%s -> %s, planted", profile_endpoint(prof, r->src)->name,
		    profile_endpoint(prof, r->dst)->name);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '"' || buf[i] == '\\' || (unsigned char)buf[i] < 0x20)
			buf[i] = '_';
	fprintf(out, " comment \"%s\"\n", buf);
}

/* An endpoint's addresses of one family as nft writes them: one address
 * bare, several as an anonymous set.  False if it has none. */
static bool
put_addrs(FILE *out, const struct plan *pl, size_t ep, uint8_t family)
{
	char a[ADDR_STRLEN];
	size_t i, n = 0, k = 0;

	for (i = 0; i < plan_naddrs(pl, ep); i++)
		n += plan_addr_at(pl, ep, i)->family == family;
	if (n == 0)
		return false;
	fputs(n > 1 ? "{ " : "", out);
	for (i = 0; i < plan_naddrs(pl, ep); i++)
		if (plan_addr_at(pl, ep, i)->family == family)
			fprintf(out, "%s%s", k++ ? ", " : "", addr_fmt(plan_addr_at(pl, ep, i), a));
	fputs(n > 1 ? " }" : "", out);
	return true;
}

static bool
has_family(const struct plan *pl, size_t ep, uint8_t family)
{
	size_t i;

	for (i = 0; i < plan_naddrs(pl, ep); i++)
		if (plan_addr_at(pl, ep, i)->family == family)
			return true;
	return false;
}

/* One nft rule per address family both endpoints have. */
static void
emit_rule(const struct fw_rule *r, const struct plan *pl, FILE *out)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	size_t f;

	for (f = 0; f < sizeof(families); f++) {
		const char *ip = families[f] == AF_INET ? "ip" : "ip6";

		if (!has_family(pl, r->src, families[f]) || !has_family(pl, r->dst, families[f]))
			continue;
		fprintf(out, "\t\t%s saddr ", ip);
		put_addrs(out, pl, r->src, families[f]);
		fprintf(out, " %s daddr ", ip);
		put_addrs(out, pl, r->dst, families[f]);
		fprintf(out, " %s dport ", r->proto == RP_PROTO_UDP ? "udp" : "tcp");
		if (r->lo == r->hi)
			fprintf(out, "%u", r->lo);
		else
			fprintf(out, "%u-%u", r->lo, r->hi);
		fprintf(out, " %s", nft_verdict(r->act));
		emit_comment(r, pl, out);
	}
}

void
fw_emit(const struct fwset *fw, const struct plan *pl, FILE *out)
{
	const struct profile *prof = plan_profile(pl);
	size_t i;

	fprintf(out, "# nftables ruleset compiled by ruleproof from %s\n", profile_name(prof));
	fprintf(out, "# (\"%s\"): everything the profile opens is accepted, all else dropped.\n",
	    profile_title(prof));
	fprintf(out, "table inet ruleproof {\n");
	fprintf(out, "\tchain forward {\n");
	fprintf(out, "\t\ttype filter hook forward priority filter; policy drop;\n");
	/* Replies (RST, SYN-ACK, ICMP errors) to flows the rules let through. */
	fprintf(out, "\t\tct state established,related accept\n");
	for (i = 0; i < fw->n; i++)
		emit_rule(&fw->r[i], pl, out);
	fprintf(out, "\t}\n}\n");
}
