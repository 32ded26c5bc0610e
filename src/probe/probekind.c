#include "probe/probekind.h"

#include <stddef.h>
#include <string.h>

#include "probe/syn.h"
#include "probe/udp.h"

static const struct probe_kind *const registry[] = {
	&probe_kind_syn,
	&probe_kind_udp,
	NULL,
};

const struct probe_kind *
probekind_for(const struct probe *p)
{
	size_t i;

	for (i = 0; registry[i]; i++)
		if (registry[i]->proto == p->proto)
			return registry[i];
	return NULL;
}

const struct probe_kind *const *
probekind_all(void)
{
	return registry;
}

enum decode_result
probekind_claim(size_t *k, const struct pkt *p, const struct probe_self *self, bool at_sender,
    struct probe_claim *cl)
{
	for (; registry[*k]; ++*k) {
		enum decode_result dr;

		memset(cl, 0, sizeof(*cl));
		cl->unmatched = DECODE_FOREIGN;
		if ((dr = registry[*k]->claim(p, self, at_sender, cl)) != DECODE_SKIP)
			return dr;
	}
	return DECODE_SKIP;
}

enum decode_result
probekind_settle(const struct probe_claim *cl, bool recovered, uint32_t id, unsigned vouched,
    struct probe_match *m)
{
	m->ev = cl->ev;
	m->id = id;
	m->vouched = vouched;
	return recovered ? DECODE_MATCH : cl->unmatched;
}

enum decode_result
probekind_decode(size_t first, const struct pkt *p, struct probeid *pid, uint32_t nprobes,
    const struct probe_self *self, bool at_sender, struct probe_match *m)
{
	struct probe_claim cl;
	enum decode_result dr;
	size_t k;

	for (k = first; (dr = probekind_claim(&k, p, self, at_sender, &cl)) != DECODE_SKIP; k++) {
		uint32_t id = 0;
		unsigned vouched = 0;
		bool ok;

		if (dr == DECODE_FOREIGN)
			return dr;
		ok = probeid_recover(pid, &cl.o, nprobes, &id, &vouched);
		if ((dr = probekind_settle(&cl, ok, id, vouched, m)) != DECODE_SKIP)
			return dr;
	}
	return DECODE_SKIP;
}

const char *
probekind_filter(void)
{
	/* Kept by hand in step with the registry; a unit test checks that
	 * every kind's own filter is covered. */
	return "tcp or udp or icmp or icmp6";
}
