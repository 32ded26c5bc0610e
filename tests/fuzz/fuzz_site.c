/* libFuzzer target for the site parser and site_check(), against a fixed
 * profile with every kind of endpoint; a parsed site must also survive its
 * canonical round trip, and give every endpoint its addresses (samples of
 * blocks included) and, when it checks out, a plan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "profile/parse.h"
#include "profile/profile.h"
#include "profile/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "profile \"fuzz base\"\n"
    "zone devices\nzone uem\nrole portal\nrole cp\nrole core\nrole db\n"
    "open devices -> portal, cp : tcp/443\n"
    "open uem -> portal : tcp/443\n"
    "open cp, portal -> core : tcp/6443, 8865-8867\n"
    "open core -> db : tcp/1433\n"
    "fqdn doc.example.com = 198.18.200.1, 2001:db8::200\n"
    "fqdn bare.example.com\n"
    "block blk = 198.18.128.0/24 sample 4\n"
    "wildcard *.w.example.com = a.w.example.com\n"
    "group g = doc.example.com, bare.example.com, blk, *.w.example.com\n"
    "open devices -> g : tcp/443 tls, udp/53\n"
    "default closed\n";

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

static void
exercise_plan(const struct site *s, const struct profile *pf)
{
	struct plan *pl;
	char err[256];
	size_t e, n;

	for (e = 0; e < profile_nendpoints(pf); e++)
		free(site_endpoint_addrs(s, pf, e, &n));
	/* A site that checks out may still mix address families a rule
	 * cannot cross: the plan says so, it does not crash. */
	pl = plan_build(pf, s, err, sizeof(err));
	if (!pl && !err[0])
		abort();
	plan_free(pl);
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
	if (site_check(s, pf, false, NULL) == 0)
		exercise_plan(s, pf);
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
