#include "lib/keyset.h"

#include <stdlib.h>

/* Open addressing with linear probing; a slot whose first part is 0 is
 * empty, so first parts are stored with their top bit set (flow keys use
 * only 56 bits of it, probe ids 32). */
#define FLOW_MARK (UINT64_C(1) << 63)

struct keyset {
	struct flow_key *slot;
	size_t           cap, n;
};

struct flow_key
flow_key(size_t src, size_t dst, size_t dst_addr, uint8_t proto, uint16_t port)
{
	struct flow_key k;

	k.a = (uint64_t)(src & 0xffff) << 40 | (uint64_t)(dst & 0xffff) << 24 |
	    (uint64_t)proto << 16 | port;
	k.b = dst_addr & 0xffff;
	return k;
}

struct keyset *
keyset_new(void)
{
	struct keyset *s = calloc(1, sizeof(*s));

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
keyset_free(struct keyset *s)
{
	if (!s)
		return;
	free(s->slot);
	free(s);
}

static size_t
flow_hash(struct flow_key k, size_t cap)
{
	uint64_t h = k.a ^ (k.b * UINT64_C(0x9e3779b97f4a7c15));

	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static bool
same(struct flow_key x, struct flow_key y)
{
	return x.a == y.a && x.b == y.b;
}

static size_t
find(const struct keyset *s, struct flow_key k)
{
	size_t i = flow_hash(k, s->cap);

	while (s->slot[i].a != 0 && !same(s->slot[i], k))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int
grow(struct keyset *s)
{
	struct keyset n = { .cap = s->cap * 2, .n = s->n };
	size_t i;

	n.slot = calloc(n.cap, sizeof(*n.slot));
	if (!n.slot)
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i].a != 0)
			n.slot[find(&n, s->slot[i])] = s->slot[i];
	free(s->slot);
	*s = n;
	return 0;
}

int
keyset_add_flow(struct keyset *s, struct flow_key key)
{
	size_t i;

	key.a |= FLOW_MARK;
	if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
		return -1;
	i = find(s, key);
	if (same(s->slot[i], key))
		return 0;
	s->slot[i] = key;
	s->n++;
	return 1;
}

bool
keyset_has_flow(const struct keyset *s, struct flow_key key)
{
	key.a |= FLOW_MARK;
	return same(s->slot[find(s, key)], key);
}

int
keyset_add(struct keyset *s, uint64_t key)
{
	struct flow_key k = { key, 0 };

	return keyset_add_flow(s, k);
}

bool
keyset_has(const struct keyset *s, uint64_t key)
{
	struct flow_key k = { key, 0 };

	return keyset_has_flow(s, k);
}

size_t
keyset_count(const struct keyset *s)
{
	return s->n;
}
