/* libFuzzer target for the profile parser.  Besides memory safety it checks
 * the canonical printer: whatever parses must print to text that parses
 * again and prints the same (a fixpoint), or the round trip is broken. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

		if (r->nspans && r->nsrc && r->ndst)
			(void)profile_allows(pf, r->src[0], r->dst[0], r->spans[0].proto, r->spans[0].hi);
	}
	for (i = 0; i < n; i++)
		if (profile_find_endpoint(pf, profile_endpoint(pf, i)->name) != (long)i)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *sink = fopen("/dev/null", "w");
	struct profile *pf, *again;
	char *canon, *canon2;
	size_t len, len2;
	int nerr = 0;

	pf = profile_parse("fuzz.profile", (const char *)data, size, sink, &nerr);
	if (!pf) {
		if (nerr == 0)
			abort();   /* failure must come with an error */
		fclose(sink);
		return 0;
	}
	exercise_queries(pf);
	canon = print(pf, &len);
	again = profile_parse("canon.profile", canon, len, NULL, &nerr);
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
