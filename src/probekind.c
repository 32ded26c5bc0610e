#include "probekind.h"

#include <stddef.h>

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

const char *
probekind_filter(void)
{
	/* Kept by hand in step with the registry; a unit test checks that
	 * every kind's own filter is covered. */
	return "tcp or udp or icmp or icmp6";
}
