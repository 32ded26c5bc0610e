#include "lib/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static bool
parse_v6(const char *s, struct rp_addr *out)
{
	struct rp_addr a;

	memset(&a, 0, sizeof(a));
	if (!strchr(s, ':') || inet_pton(AF_INET6, s, a.b) != 1)
		return false;
	a.family = AF_INET6;
	*out = a;
	return true;
}

bool
addr_parse(const char *s, struct rp_addr *out)
{
	unsigned oct[4];
	int i;
	const char *p = s;

	if (strchr(s, ':'))
		return parse_v6(s, out);
	for (i = 0; i < 4; i++) {
		unsigned v = 0, nd = 0;

		if (i > 0 && *p++ != '.')
			return false;
		while (*p >= '0' && *p <= '9' && nd < 4) {
			v = v * 10 + (unsigned)(*p++ - '0');
			nd++;
		}
		/* Leading zeros are refused: some tools read them as octal. */
		if (nd == 0 || nd > 3 || v > 255 || (nd > 1 && p[-(int)nd] == '0'))
			return false;
		oct[i] = v;
	}
	if (*p != '\0')
		return false;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	for (i = 0; i < 4; i++)
		out->b[i] = (uint8_t)oct[i];
	return true;
}

const char *
addr_fmt(const struct rp_addr *a, char buf[ADDR_STRLEN])
{
	if (!inet_ntop(a->family == AF_INET ? AF_INET : AF_INET6, a->b, buf, ADDR_STRLEN))
		snprintf(buf, ADDR_STRLEN, "?");
	return buf;
}

bool
addr_eq(const struct rp_addr *a, const struct rp_addr *b)
{
	/* Constant lengths: the compiler compares in place instead of calling
	 * memcmp, and the correlator compares addresses on every packet. */
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? memcmp(a->b, b->b, 4) == 0 : memcmp(a->b, b->b, 16) == 0;
}

uint32_t
addr_v4(const struct rp_addr *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 |
	    (uint32_t)a->b[2] << 8 | a->b[3];
}

struct rp_addr
addr_from_v4(uint32_t v)
{
	struct rp_addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.b[0] = (uint8_t)(v >> 24);
	a.b[1] = (uint8_t)(v >> 16);
	a.b[2] = (uint8_t)(v >> 8);
	a.b[3] = (uint8_t)v;
	return a;
}

bool
addr_is_v6(const struct rp_addr *a)
{
	return a->family == AF_INET6;
}

bool
addr_in_lab_range(const struct rp_addr *a)
{
	static const uint8_t doc6[4] = { 0x20, 0x01, 0x0d, 0xb8 };

	if (a->family == AF_INET6)
		return memcmp(a->b, doc6, sizeof(doc6)) == 0;
	return a->family == AF_INET && (addr_v4(a) & 0xfffe0000u) == 0xc6120000u;
}
