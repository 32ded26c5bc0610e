#include "lib/cidr.h"

#include <string.h>

bool
cidr_parse(const char *text, struct rp_addr *net, unsigned *prefix, const char **why)
{
	const char *slash = strchr(text, '/'), *q;
	char head[ADDR_STRLEN + 1];
	unsigned v = 0, max, i;

	*why = NULL;
	if (!slash) {
		*why = "an address block is written like 17.0.0.0/8";
		return false;
	}
	if ((size_t)(slash - text) > ADDR_STRLEN)
		return false;
	memcpy(head, text, (size_t)(slash - text));
	head[slash - text] = '\0';
	if (!addr_parse(head, net))
		return false;
	max = addr_is_v6(net) ? 128 : 32;
	for (q = slash + 1; *q >= '0' && *q <= '9' && v <= max; q++)
		v = v * 10 + (unsigned)(*q - '0');
	if (q == slash + 1 || *q || v > max || (q - slash > 2 && slash[1] == '0')) {
		*why = addr_is_v6(net) ? "the prefix length must be 0 to 128, without leading zeros" :
		    "the prefix length must be 0 to 32, without leading zeros";
		return false;
	}
	for (i = v; i < max; i++)
		if (net->b[i / 8] & (0x80u >> (i % 8))) {
			*why = "host bits are set";
			return false;
		}
	*prefix = v;
	return true;
}

bool
cidr_in_lab_range(const struct rp_addr *net, unsigned prefix)
{
	/* 198.18.0.0/15 and 2001:db8::/32: a block inside one is at least as
	 * long and starts inside it. */
	return addr_in_lab_range(net) && prefix >= (addr_is_v6(net) ? 32u : 15u);
}

/* 128-bit arithmetic on addresses; a block can hold 2^128 of them. */
__extension__ typedef unsigned __int128 u128;

static u128
to_u128(const struct rp_addr *a)
{
	size_t i, n = addr_is_v6(a) ? 16 : 4;
	u128 v = 0;

	for (i = 0; i < n; i++)
		v = v << 8 | a->b[i];
	return v;
}

static struct rp_addr
from_u128(u128 v, const struct rp_addr *like)
{
	struct rp_addr a = *like;
	size_t n = addr_is_v6(like) ? 16 : 4, i;

	for (i = n; i-- > 0; v >>= 8)
		a.b[i] = (uint8_t)v;
	return a;
}

size_t
cidr_sample(const struct rp_addr *net, unsigned prefix, unsigned size, struct rp_addr *out)
{
	unsigned bits = addr_is_v6(net) ? 128 : 32, host = bits - (prefix > bits ? bits : prefix);
	u128 first = to_u128(net), last, step, count;
	size_t k;

	last = first | (host >= 128 ? ~(u128)0 : (((u128)1 << host) - 1));
	if (host >= 2) {
		first++;
		last--;
	}
	count = last - first + 1;
	if (size == 0)
		return 0;
	if (count <= size) {
		for (k = 0; k < (size_t)count; k++)
			out[k] = from_u128(first + k, net);
		return (size_t)count;
	}
	if (size == 1) {
		out[0] = from_u128(first, net);
		return 1;
	}
	step = (last - first) / (size - 1);
	for (k = 0; k + 1 < size; k++)
		out[k] = from_u128(first + step * k, net);
	out[size - 1] = from_u128(last, net);
	return size;
}
