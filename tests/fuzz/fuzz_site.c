/* libFuzzer target for the site parser and site_check(), against a fixed
 * profile; a parsed site must also survive its canonical round trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "profile \"fuzz base\"\n"
    "zone devices\nzone uem\nrole portal\nrole cp\nrole core\nrole db\n"
    "open devices -> portal, cp : tcp/443\n"
    "open uem -> portal : tcp/443\n"
    "open cp, portal -> core : tcp/6443, 8865-8867\n"
    "open core -> db : tcp/1433\n";

static char *
print(const struct site *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	site_print(s, f);
	fclose(f);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *sink = fopen("/dev/null", "w");
	struct profile *pf;
	struct site *s, *again;
	char *canon, *canon2;
	size_t len, len2, i;
	int nerr = 0;

	s = site_parse("fuzz.site", (const char *)data, size, sink, &nerr);
	if (!s) {
		if (nerr == 0)
			abort();
		fclose(sink);
		return 0;
	}
	pf = profile_parse("base.profile", base, sizeof(base) - 1, NULL, NULL);
	if (!pf)
		abort();
	(void)site_check(s, pf, true, sink);
	(void)site_check(s, pf, false, NULL);
	for (i = 0; i < site_nhosts(s); i++)
		if (site_find(s, site_host(s, i)->name) != site_host(s, i))
			abort();
	canon = print(s, &len);
	again = site_parse("canon.site", canon, len, NULL, &nerr);
	if (!again)
		abort();
	canon2 = print(again, &len2);
	if (len != len2 || memcmp(canon, canon2, len) != 0)
		abort();
	free(canon);
	free(canon2);
	site_free(again);
	site_free(s);
	profile_free(pf);
	fclose(sink);
	return 0;
}
