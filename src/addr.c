#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

bool
addr_parse(const char *s, struct rp_addr *out)
{
	unsigned oct[4];
	int i;
	const char *p = s;

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
	size_t n = a->family == AF_INET ? 4 : 16;
	return a->family == b->family && memcmp(a->b, b->b, n) == 0;
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
addr_in_lab_range(const struct rp_addr *a)
{
	return a->family == AF_INET && (addr_v4(a) & 0xfffe0000u) == 0xc6120000u;
}
