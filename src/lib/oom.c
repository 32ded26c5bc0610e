#include "lib/oom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
oom_fatal(void)
{
	fputs("ruleproof: out of memory\n", stderr);
	abort();
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom_fatal();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (!q)
		oom_fatal();
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *r = xcalloc(n + 1, 1);

	memcpy(r, s, n);
	return r;
}
