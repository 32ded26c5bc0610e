#include "flowset.h"

#include <stdlib.h>

/* Open addressing with linear probing; key 0 marks an empty slot, so keys
 * are stored with their top bit set (flow keys use only 56 bits). */
#define FLOW_MARK (UINT64_C(1) << 63)

struct flowset {
	uint64_t *slot;
	size_t    cap, n;
};

uint64_t
flow_key(size_t src, size_t dst, uint8_t proto, uint16_t port)
{
	return (uint64_t)(src & 0xffff) << 40 | (uint64_t)(dst & 0xffff) << 24 |
	    (uint64_t)proto << 16 | port;
}

struct flowset *
flowset_new(void)
{
	struct flowset *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cap = 1024;
	s->slot = calloc(s->cap, sizeof(*s->slot));
	if (!s->slot) {
		free(s);
		return NULL;
	}
	return s;
}

void
flowset_free(struct flowset *s)
{
	if (!s)
		return;
	free(s->slot);
	free(s);
}

static size_t
flow_hash(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static size_t
find(const struct flowset *s, uint64_t k)
{
	size_t i = flow_hash(k, s->cap);

	while (s->slot[i] != 0 && s->slot[i] != k)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int
grow(struct flowset *s)
{
	struct flowset n = { .cap = s->cap * 2, .n = s->n };
	size_t i;

	n.slot = calloc(n.cap, sizeof(*n.slot));
	if (!n.slot)
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i] != 0)
			n.slot[find(&n, s->slot[i])] = s->slot[i];
	free(s->slot);
	*s = n;
	return 0;
}

int
flowset_add(struct flowset *s, uint64_t key)
{
	size_t i;

	key |= FLOW_MARK;
	if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
		return -1;
	i = find(s, key);
	if (s->slot[i] == key)
		return 0;
	s->slot[i] = key;
	s->n++;
	return 1;
}

bool
flowset_has(const struct flowset *s, uint64_t key)
{
	key |= FLOW_MARK;
	return s->slot[find(s, key)] == key;
}

size_t
flowset_count(const struct flowset *s)
{
	return s->n;
}
