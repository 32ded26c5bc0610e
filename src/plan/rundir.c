#include "plan/rundir.h"

#include "lib/hex.h"
#include "lib/errfmt.h"
#include "lib/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int64_t
run_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
run_fmt_time(int64_t us, char *buf, size_t len)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;
	char d[32];

	gmtime_r(&s, &tm);
	strftime(d, sizeof(d), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06dZ", d, (int)(us % 1000000));
}

int
run_init(struct run_params *rp, char *err, size_t errlen)
{
	uint8_t rnd[3];
	char t[32], h[8];
	time_t now;
	struct tm tm;

	memset(rp, 0, sizeof(*rp));
	if (RAND_bytes(rp->key, sizeof(rp->key)) != 1 || RAND_bytes(rnd, sizeof(rnd)) != 1) {
		snprintf(err, errlen, "no randomness for the run key");
		return -1;
	}
	rp->started_us = run_now_us();
	now = (time_t)(rp->started_us / 1000000);
	gmtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y%m%dT%H%M%SZ", &tm);
	hex_encode(rnd, sizeof(rnd), h, false);
	snprintf(rp->id, sizeof(rp->id), "%s-%s", t, h);
	return 0;
}

int
run_make_dir(const char *base, const char *id, char *out, size_t outlen, char *err, size_t errlen)
{
	if (mkdir(base, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", base, strerror(errno));
		return -1;
	}
	if (snprintf(out, outlen, "%s/%s", base, id) >= (int)outlen) {
		snprintf(err, errlen, "%s: path too long", base);
		return -1;
	}
	/* A run never reuses a directory: evidence is never overwritten. */
	if (mkdir(out, 0755) != 0) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		return -1;
	}
	return 0;
}

int
sha256_file_hex(const char *path, char out[65], char *err, size_t errlen)
{
	uint8_t buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = -1;

	if (!f || !ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		snprintf(err, errlen, "%s: %s", path, f ? "cannot hash" : strerror(errno));
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (EVP_DigestUpdate(ctx, buf, n) != 1)
			goto out;
	if (ferror(f) || EVP_DigestFinal_ex(ctx, md, &mdlen) != 1) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	hex_encode(md, mdlen, out, false);
	rc = 0;
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

static int
copy_file(const char *src, const char *dst, char *err, size_t errlen)
{
	char buf[65536];
	FILE *in = fopen(src, "rb"), *out = NULL;
	size_t n;
	int rc = -1;

	if (!in) {
		snprintf(err, errlen, "%s: %s", src, strerror(errno));
		return -1;
	}
	out = fopen(dst, "wbx");
	if (!out) {
		snprintf(err, errlen, "%s: %s", dst, strerror(errno));
		goto done;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (ferror(in) || ferror(out)) {
		snprintf(err, errlen, "copying %s to %s failed", src, dst);
		goto done;
	}
	rc = 0;
done:
	fclose(in);
	if (out && fclose(out) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", dst, strerror(errno));
		rc = -1;
	}
	return rc;
}

int
run_stage_inputs(struct run_params *rp, const char *dir, const char *profile, const char *site,
    char *err, size_t errlen)
{
	char p[1024], s[1024];

	snprintf(rp->profile_src, sizeof(rp->profile_src), "%s", profile);
	snprintf(rp->site_src, sizeof(rp->site_src), "%s", site);
	snprintf(p, sizeof(p), "%s/%s", dir, RUN_PROFILE_FILE);
	snprintf(s, sizeof(s), "%s/%s", dir, RUN_SITE_FILE);
	snprintf(rp->profile_copy, sizeof(rp->profile_copy), "%s", p);
	snprintf(rp->site_copy, sizeof(rp->site_copy), "%s", s);
	if (copy_file(profile, p, err, errlen) != 0 || copy_file(site, s, err, errlen) != 0)
		return -1;
	if (sha256_file_hex(p, rp->profile_sha256, err, errlen) != 0 ||
	    sha256_file_hex(s, rp->site_sha256, err, errlen) != 0)
		return -1;
	return 0;
}

void
run_set_command(struct run_params *rp, int argc, char *const argv[])
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	int i;

	if (!f) {
		snprintf(rp->command, sizeof(rp->command), "ruleproof");
		return;
	}
	fputs("ruleproof", f);
	for (i = 0; i < argc; i++)
		fprintf(f, " %s", argv[i]);
	fclose(f);
	/* A long command line is cut between characters: the plan and
	 * report.json must stay UTF-8. */
	utf8_copy(rp->command, sizeof(rp->command), line ? line : "ruleproof");
	free(line);
}

static json_t *
file_text(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	json_t *s;

	if (!f) {
		errfmt(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb) {
				free(buf);
				fclose(f);
				errfmt(err, errlen, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* A profile is text; a NUL inside would cut it when embedded. */
	s = memchr(buf ? buf : "", '\0', len) ? NULL : json_stringn(buf ? buf : "", len);
	free(buf);
	if (!s)
		errfmt(err, errlen, "%s: not UTF-8 text", path);
	return s;
}

/* The profile's included files, by the paths it resolved them to.  An
 * unreadable one leaves the array short; the reader then says which
 * include is missing. */
static json_t *
include_texts(const struct profile *prof)
{
	json_t *a = json_array();
	char err[256], sha[65];
	size_t i;

	for (i = 1; a && prof && i < profile_nfiles(prof); i++) {
		const char *f = profile_file(prof, i);
		json_t *t = file_text(f, err, sizeof(err));
		if (!t || sha256_file_hex(f, sha, err, sizeof(err)) != 0) {
			json_decref(t);
			continue;
		}
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "path", f, "sha256", sha, "text", t));
	}
	return a;
}

int
run_write_plan_file(const struct run_params *rp, const char *path, char *err, size_t errlen)
{
	char khex[2 * PROBEID_KEYLEN + 1], tmp[1100];
	json_t *o, *pt, *st;
	int rc;

	hex_encode(rp->key, sizeof(rp->key), khex, false);
	pt = file_text(rp->profile_copy, err, errlen);
	st = pt ? file_text(rp->site_copy, err, errlen) : NULL;
	if (!pt || !st) {
		json_decref(pt);
		return -1;
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:{s:s, s:s, s:o, s:o}, s:{s:s, s:s, s:o},"
	    " s:{s:i, s:i, s:i, s:i}, s:s}",
	    "schema", RUN_PLAN_SCHEMA, "version", RUN_VERSION, "run_id", rp->id,
	    "key", khex, "started_us", (json_int_t)rp->started_us,
	    "profile", "source", rp->profile_src, "sha256", rp->profile_sha256, "text", pt,
	    "includes", include_texts(rp->prof),
	    "site", "source", rp->site_src, "sha256", rp->site_sha256, "text", st,
	    "parameters", "rate", (int)rp->rate, "linger_ms", (int)rp->linger_ms,
	    "retries", (int)rp->retries, "skew_ms", (int)rp->skew_ms, "command", rp->command);
	if (!o)
		return errfmt(err, errlen, "cannot encode the plan");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rc = json_dump_file(o, tmp, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(o);
	if (rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return errfmt(err, errlen, "%s: cannot write", path);
	}
	return 0;
}

int
run_plan_for(struct run_params *rp, const char *profile, const char *site, unsigned rate,
    unsigned linger_ms, unsigned retries, unsigned skew_ms, char *err, size_t errlen)
{
	if (run_init(rp, err, errlen) != 0)
		return -1;
	snprintf(rp->profile_src, sizeof(rp->profile_src), "%s", profile);
	snprintf(rp->site_src, sizeof(rp->site_src), "%s", site);
	snprintf(rp->profile_copy, sizeof(rp->profile_copy), "%s", profile);
	snprintf(rp->site_copy, sizeof(rp->site_copy), "%s", site);
	rp->rate = rate;
	rp->linger_ms = linger_ms;
	rp->retries = retries;
	rp->skew_ms = skew_ms;
	if (sha256_file_hex(profile, rp->profile_sha256, err, errlen) != 0 ||
	    sha256_file_hex(site, rp->site_sha256, err, errlen) != 0)
		return -1;
	return 0;
}

int
run_write_plan(const struct run_params *rp, const char *dir, char *err, size_t errlen)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, RUN_PLAN_FILE);
	return run_write_plan_file(rp, path, err, errlen);
}

/* A plan file's JSON, or NULL after saying plainly what the file is not. */
static json_t *
load_plan_json(const char *path, char *err, size_t errlen)
{
	struct stat st;
	json_error_t je;
	json_t *o;

	if (stat(path, &st) != 0) {
		errfmt(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		errfmt(err, errlen, "%s: is a directory, not a plan file", path);
		return NULL;
	}
	if ((o = json_load_file(path, 0, &je)) == NULL)
		errfmt(err, errlen, "%s: not a plan file (JSON): line %d: %s", path, je.line, je.text);
	return o;
}

int
run_read_plan_file(struct run_params *rp, const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o;
	const char *schema, *id, *key, *psrc, *psha, *ssrc, *ssha, *cmd = "";
	json_int_t started;
	int rate, linger, retries = 0, skew = 0;

	memset(rp, 0, sizeof(*rp));
	memset(&je, 0, sizeof(je));
	if ((o = load_plan_json(path, err, errlen)) == NULL)
		return -1;
	/* Another version's plan is named as such: its fields may differ. */
	if (json_unpack(o, "{s:s}", "schema", &schema) == 0 && strcmp(schema, RUN_PLAN_SCHEMA) != 0) {
		errfmt(err, errlen, "%s: schema '%s', expected '%s' (a plan from another version of "
		    "ruleproof?)", path, schema, RUN_PLAN_SCHEMA);
		json_decref(o);
		return -1;
	}
	if (json_unpack_ex(o, &je, 0, "{s:s, s:s, s:s, s:I, s:{s:s, s:s}, s:{s:s, s:s},"
	    " s:{s:i, s:i, s?i, s?i}, s?s}",
	    "schema", &schema, "run_id", &id, "key", &key, "started_us", &started,
	    "profile", "source", &psrc, "sha256", &psha, "site", "source", &ssrc, "sha256", &ssha,
	    "parameters", "rate", &rate, "linger_ms", &linger, "retries", &retries,
	    "skew_ms", &skew, "command", &cmd) != 0 ||
	    hex_decode(key, rp->key, sizeof(rp->key)) != 0 ||
	    rate <= 0 || linger < 0 || retries < 0 || skew < 0 ||
	    started < 0 || started > RUN_TIME_MAX_US) {
		errfmt(err, errlen, "%s: not a %s plan%s%s", path, RUN_PLAN_SCHEMA,
		    je.text[0] ? ": " : "", je.text);
		json_decref(o);
		return -1;
	}
	/* Cut between characters: these go back into report.json. */
	utf8_copy(rp->id, sizeof(rp->id), id);
	utf8_copy(rp->profile_src, sizeof(rp->profile_src), psrc);
	utf8_copy(rp->site_src, sizeof(rp->site_src), ssrc);
	utf8_copy(rp->profile_sha256, sizeof(rp->profile_sha256), psha);
	utf8_copy(rp->site_sha256, sizeof(rp->site_sha256), ssha);
	utf8_copy(rp->command, sizeof(rp->command), cmd);
	rp->started_us = started;
	rp->rate = (unsigned)rate;
	rp->linger_ms = (unsigned)linger;
	rp->retries = (unsigned)retries;
	rp->skew_ms = (unsigned)skew;
	json_decref(o);
	return 0;
}

int
run_read_plan(struct run_params *rp, const char *dir, char *err, size_t errlen)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, RUN_PLAN_FILE);
	return run_read_plan_file(rp, path, err, errlen);
}

static int
embedded(json_t *o, const char *which, const char *path, char **text, size_t *len, char *err,
    size_t errlen)
{
	json_t *t = json_object_get(json_object_get(o, which), "text");
	const char *sha = json_string_value(json_object_get(json_object_get(o, which), "sha256"));
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char got[65];

	if (!json_is_string(t) || !sha)
		return errfmt(err, errlen, "%s: no embedded %s", path, which);
	*len = json_string_length(t);
	if (EVP_Digest(json_string_value(t), *len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return errfmt(err, errlen, "%s: cannot hash", path);
	hex_encode(md, mdlen, got, false);
	if (strcmp(got, sha) != 0)
		return errfmt(err, errlen, "%s: the embedded %s does not match its sha256", path, which);
	*text = strndup(json_string_value(t), *len);
	return *text ? 0 : errfmt(err, errlen, "out of memory");
}

void
run_plan_includes_free(struct plan_include *inc, size_t n)
{
	size_t i;

	for (i = 0; inc && i < n; i++) {
		free(inc[i].path);
		free(inc[i].text);
	}
	free(inc);
}

int
run_plan_includes(const char *path, struct plan_include **incp, size_t *np, char *err,
    size_t errlen)
{
	json_t *o = load_plan_json(path, err, errlen), *a;
	struct plan_include *inc = NULL;
	size_t i, n = 0;
	int rc = 0;

	*incp = NULL;
	*np = 0;
	if (!o)
		return -1;
	a = json_object_get(json_object_get(o, "profile"), "includes");
	if (a && !json_is_array(a))
		rc = errfmt(err, errlen, "%s: profile.includes is not a list", path);
	n = a ? json_array_size(a) : 0;
	if (rc == 0 && n && !(inc = calloc(n, sizeof(*inc))))
		rc = errfmt(err, errlen, "out of memory");
	for (i = 0; rc == 0 && i < n; i++) {
		json_t *e = json_array_get(a, i);
		const char *p = json_string_value(json_object_get(e, "path"));
		/* embedded() checks a text against its sha256 under a key. */
		json_t *wrap = json_pack("{s:O}", "include", e);

		if (!p || !wrap)
			rc = errfmt(err, errlen, "%s: include %zu has no path", path, i + 1);
		else if (embedded(wrap, "include", path, &inc[i].text, &inc[i].len, err, errlen) != 0)
			rc = -1;
		else if (!(inc[i].path = strdup(p)))
			rc = errfmt(err, errlen, "out of memory");
		json_decref(wrap);
	}
	json_decref(o);
	if (rc != 0) {
		run_plan_includes_free(inc, n);
		return -1;
	}
	*incp = inc;
	*np = n;
	return 0;
}

int
run_plan_texts(const char *path, char **profile, size_t *plen, char **site, size_t *slen,
    char *err, size_t errlen)
{
	json_t *o = load_plan_json(path, err, errlen);
	int rc;

	*profile = *site = NULL;
	if (!o)
		return -1;
	rc = embedded(o, "profile", path, profile, plen, err, errlen);
	if (rc == 0)
		rc = embedded(o, "site", path, site, slen, err, errlen);
	json_decref(o);
	if (rc != 0) {
		free(*profile);
		*profile = NULL;
	}
	return rc;
}
