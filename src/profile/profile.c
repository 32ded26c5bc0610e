#include "profile/profile.h"

#include <string.h>

#include "profile/model.h"

/* ---- queries ---- */

const char *
profile_name(const struct profile *pf)
{
	return pf->name;
}

const char *
profile_title(const struct profile *pf)
{
	return pf->title;
}

const char *
profile_document(const struct profile *pf)
{
	return pf->doc;
}

size_t
profile_nfiles(const struct profile *pf)
{
	return pf->nfiles;
}

const char *
profile_file(const struct profile *pf, size_t i)
{
	return i < pf->nfiles ? pf->files[i] : NULL;
}

size_t
profile_nendpoints(const struct profile *pf)
{
	return pf->neps;
}

const struct profile_endpoint *
profile_endpoint(const struct profile *pf, size_t i)
{
	return i < pf->neps ? &pf->eps[i].pub : NULL;
}

long
profile_find_endpoint(const struct profile *pf, const char *name)
{
	return name ? pf_find_endpoint(pf, name) : -1;
}

const char *
profile_name_kind(const struct profile *pf, const char *name)
{
	if (pf_find_group(pf, name) >= 0)
		return "group";
	if (pf_find_wildcard(pf, name) >= 0)
		return "wildcard";
	if (pf_find_service(pf, name) >= 0)
		return "service";
	return NULL;
}

size_t
profile_nrules(const struct profile *pf)
{
	return pf->nrules;
}

const struct profile_rule *
profile_rule(const struct profile *pf, size_t i)
{
	return i < pf->nrules ? &pf->rules[i].pub : NULL;
}

const struct port_span *
profile_rule_span(const struct profile_rule *r, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < r->nspans; i++)
		if (r->spans[i].proto == proto && r->spans[i].lo <= port && port <= r->spans[i].hi)
			return &r->spans[i];
	return NULL;
}

int
profile_default_closed_line(const struct profile *pf)
{
	return pf->default_line;
}

const char *
profile_default_closed_file(const struct profile *pf)
{
	return pf->default_line ? pf->files[pf->default_at.file] : NULL;
}

bool
profile_default_closed_all(const struct profile *pf)
{
	return pf->default_all;
}

bool
profile_allows(const struct profile *pf, size_t src, size_t dst, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < pf->nrules; i++) {
		const struct rule *r = &pf->rules[i];

		if (r->pub.expect_open && pf_has_index(r->srcidx, r->nsrc, src) &&
		    pf_has_index(r->dstidx, r->ndst, dst) && profile_rule_span(&r->pub, proto, port))
			return true;
	}
	return false;
}
