#include "report/manifest.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hex.h"
#include "lib/atomicfile.h"
#include "lib/errfmt.h"
#include "plan/rundir.h"

/* A manifest larger than this is not one of ours. */
#define MANIFEST_MAX (64u << 20)
#define ED25519_SIGLEN 64

/* ---- listing a run directory ---- */

struct fent {
	char *name;       /* relative to the run directory, '/'-separated */
	bool  special;    /* not a regular file (device, fifo, symlink, ...) */
};

struct flist {
	struct fent *v;
	size_t       n, cap;
};

static void
flist_free(struct flist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
flist_add(struct flist *l, const char *name, bool special)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct fent *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if ((l->v[l->n].name = strdup(name)) == NULL)
		return -1;
	l->v[l->n++].special = special;
	return 0;
}

static int
fent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fent *)a)->name, ((const struct fent *)b)->name);
}

/* The seal itself is not sealed. */
static bool
is_seal(const char *rel)
{
	return strcmp(rel, MANIFEST_FILE) == 0 || strcmp(rel, MANIFEST_SIG) == 0;
}

static int walk(const char *root, const char *rel, struct flist *l, char *err, size_t errlen);

static int
walk_entry(const char *root, const char *relpath, struct flist *l, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, relpath);
	if (lstat(path, &st) != 0)
		return errfmt(err, errlen, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return walk(root, relpath, l, err, errlen);
	/* A name sha256sum would have to escape cannot be listed plainly. */
	if (flist_add(l, relpath, !S_ISREG(st.st_mode) || strpbrk(relpath, "\n\\") != NULL) != 0)
		return errfmt(err, errlen, "out of memory");
	return 0;
}

/* Every file under root/rel, depth first; rel is "" at the top. */
static int
walk(const char *root, const char *rel, struct flist *l, char *err, size_t errlen)
{
	char path[4096], relpath[4096];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s%s%s", root, rel[0] ? "/" : "", rel);
	if ((d = opendir(path)) == NULL)
		return errfmt(err, errlen, "%s: %s", path, strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(relpath, sizeof(relpath), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		if (!rel[0] && is_seal(relpath))
			continue;
		rc = walk_entry(root, relpath, l, err, errlen);
	}
	closedir(d);
	return rc;
}

static int
list_dir(const char *dir, struct flist *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	if (walk(dir, "", l, err, errlen) != 0) {
		flist_free(l);
		return -1;
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), fent_cmp);
	return 0;
}

static int
hash_rel(const char *dir, const char *rel, char out[65], char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return sha256_file_hex(path, out, err, errlen);
}

/* ---- small file helpers ---- */

static int
read_all(const char *path, size_t max, char **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, k;
	char *b = NULL;

	*buf = NULL;
	if (!f)
		return errfmt(err, errlen, "%s: %s", path, strerror(errno));
	if ((b = malloc(cap + 1)) == NULL)
		goto oom;
	while ((k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			char *nb;
			if (cap >= max)
				break;
			if ((nb = realloc(b, 2 * cap + 1)) == NULL)
				goto oom;
			b = nb;
			cap *= 2;
		}
	}
	if (ferror(f) || n > max) {
		fclose(f);
		free(b);
		return errfmt(err, errlen, "%s: %s", path, n > max ? "too large" : "read error");
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
oom:
	fclose(f);
	free(b);
	return errfmt(err, errlen, "out of memory");
}

struct bytes {
	const void *data;
	size_t      len;
};

static int
put_bytes(FILE *f, void *arg)
{
	const struct bytes *b = arg;

	return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

static int
write_atomic(const char *dir, const char *name, const void *data, size_t len, char *err,
    size_t errlen)
{
	struct bytes b = { data, len };
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return atomic_write(path, put_bytes, &b, err, errlen);
}

/* ---- writing ---- */

static int
build_text(const char *dir, char **text, size_t *len, size_t *nfiles, char *err, size_t errlen)
{
	struct flist l;
	char hex[65];
	FILE *m;
	size_t i;
	int rc = 0;

	if (list_dir(dir, &l, err, errlen) != 0)
		return -1;
	if ((m = open_memstream(text, len)) == NULL) {
		flist_free(&l);
		return errfmt(err, errlen, "out of memory");
	}
	for (i = 0; rc == 0 && i < l.n; i++) {
		if (l.v[i].special)
			rc = errfmt(err, errlen, "%s/%s: not a regular file with a plain name", dir,
			    l.v[i].name);
		else if ((rc = hash_rel(dir, l.v[i].name, hex, err, errlen)) == 0)
			fprintf(m, "%s  %s\n", hex, l.v[i].name);
	}
	*nfiles = l.n;
	flist_free(&l);
	if (fclose(m) != 0 || rc != 0) {
		free(*text);
		*text = NULL;
		return rc ? rc : errfmt(err, errlen, "out of memory");
	}
	return 0;
}

int
manifest_write(const char *dir, size_t *nfiles, bool *changed, char *err, size_t errlen)
{
	char path[4096], *text = NULL, *old = NULL, e2[64];
	size_t len = 0, oldlen = 0;
	int rc;

	if (build_text(dir, &text, &len, nfiles, err, errlen) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_FILE);
	*changed = read_all(path, MANIFEST_MAX, &old, &oldlen, e2, sizeof(e2)) != 0 ||
	    oldlen != len || memcmp(old, text, len) != 0;
	rc = write_atomic(dir, MANIFEST_FILE, text, len, err, errlen);
	free(old);
	free(text);
	return rc;
}

/* ---- keys ---- */

/* Keys are read unencrypted: ruleproof never prompts (it may run in CI). */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static EVP_PKEY *
load_key(const char *path, bool want_private, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = NULL;

	if (!f) {
		errfmt(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!want_private)
		k = PEM_read_PUBKEY(f, NULL, no_passphrase, NULL);
	if (!k) {
		rewind(f);
		k = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
	}
	fclose(f);
	if (!k) {
		errfmt(err, errlen, "%s: not a PEM %sEd25519 key (an encrypted key must be "
		    "decrypted first)", path, want_private ? "private " : "");
		return NULL;
	}
	if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		errfmt(err, errlen, "%s: not an Ed25519 key", path);
		return NULL;
	}
	return k;
}

static void
key_fingerprint(EVP_PKEY *k, char out[65])
{
	unsigned char raw[64], md[EVP_MAX_MD_SIZE];
	size_t rlen = sizeof(raw);
	unsigned mdlen = 0;

	out[0] = '\0';
	if (EVP_PKEY_get_raw_public_key(k, raw, &rlen) != 1 ||
	    EVP_Digest(raw, rlen, md, &mdlen, EVP_sha256(), NULL) != 1)
		return;
	hex_encode(md, mdlen < 32 ? mdlen : 32, out, false);
}

int
manifest_check_signing_key(const char *key, char *err, size_t errlen)
{
	EVP_PKEY *k = load_key(key, true, err, errlen);

	EVP_PKEY_free(k);
	return k ? 0 : -1;
}

int
manifest_sign(const char *dir, const char *key, char fpr[65], char *err, size_t errlen)
{
	char path[4096], *text = NULL;
	unsigned char sig[ED25519_SIGLEN];
	size_t len = 0, siglen = sizeof(sig);
	EVP_PKEY *k = load_key(key, true, err, errlen);
	EVP_MD_CTX *ctx = NULL;
	int rc = -1;

	if (!k)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_FILE);
	if (read_all(path, MANIFEST_MAX, &text, &len, err, errlen) != 0)
		goto out;
	/* Ed25519 hashes the message itself: no digest is named. */
	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)text, len) != 1) {
		errfmt(err, errlen, "%s: signing failed", key);
		goto out;
	}
	if (write_atomic(dir, MANIFEST_SIG, sig, siglen, err, errlen) != 0)
		goto out;
	key_fingerprint(k, fpr);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(text);
	return rc;
}

static enum mf_sig
check_signature(const char *dir, EVP_PKEY *k, const char *text, size_t len)
{
	char path[4096], *sig = NULL, e[256];
	size_t siglen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_SIG);
	if (access(path, F_OK) != 0)
		return k ? MF_SIG_MISSING : MF_SIG_NONE;
	if (!k)
		return MF_SIG_UNCHECKED;
	if (read_all(path, 4096, &sig, &siglen, e, sizeof(e)) != 0)
		return MF_SIG_BAD;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(ctx, (const unsigned char *)sig, siglen, (const unsigned char *)text,
	    len) == 1;
	EVP_MD_CTX_free(ctx);
	free(sig);
	return ok ? MF_SIG_GOOD : MF_SIG_BAD;
}

/* ---- verifying ---- */

struct mentry {
	char  *name;
	char   hex[65];
};

struct mlist {
	struct mentry *v;
	size_t         n;
};

static int
mentry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mentry *)a)->name, ((const struct mentry *)b)->name);
}

static int
add_change(struct mf_result *res, const char *name, enum mf_change what)
{
	struct mf_change_rec *v = realloc(res->changes, (res->nchanges + 1) * sizeof(*v));

	if (!v)
		return -1;
	res->changes = v;
	if ((v[res->nchanges].name = strdup(name)) == NULL)
		return -1;
	v[res->nchanges++].what = what;
	return 0;
}

/* A listed name may not leave the run directory nor name the seal. */
static bool
plain_name(const char *name)
{
	const char *p;

	if (!name[0] || name[0] == '/' || is_seal(name))
		return false;
	for (p = name; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return false;
	}
	return true;
}

/* "HEX  NAME" or "HEX *NAME" (sha256sum's binary mark). */
static bool
parse_line(char *line, struct mentry *e)
{
	size_t i;

	if (strlen(line) < 67 || (line[65] != ' ' && line[65] != '*') || line[64] != ' ')
		return false;
	for (i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)line[i]))
			return false;
		e->hex[i] = (char)tolower((unsigned char)line[i]);
	}
	e->hex[64] = '\0';
	e->name = line + 66;
	return plain_name(e->name);
}

static int
parse_manifest(char *text, struct mlist *ml, struct mf_result *res)
{
	char *line = text, *nl, bad[32];
	size_t lineno = 0, i;

	ml->n = 0;
	ml->v = calloc(strlen(text) / 66 + 1, sizeof(*ml->v));
	if (!ml->v)
		return -1;
	for (; *line; line = nl) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		else
			nl = line + strlen(line);
		if (parse_line(line, &ml->v[ml->n]))
			ml->n++;
		else {
			snprintf(bad, sizeof(bad), "line %zu", lineno);
			if (add_change(res, bad, MF_MALFORMED) != 0)
				return -1;
		}
	}
	qsort(ml->v, ml->n, sizeof(*ml->v), mentry_cmp);
	for (i = 1; i < ml->n; i++)
		if (strcmp(ml->v[i - 1].name, ml->v[i].name) == 0 &&
		    add_change(res, ml->v[i].name, MF_MALFORMED) != 0)
			return -1;
	return 0;
}

/* One listed file that is present: same hash or not. */
static int
compare_one(const char *dir, const struct mentry *e, const struct fent *f, struct mf_result *res)
{
	char hex[65], e2[256];

	if (f->special)
		return add_change(res, f->name, MF_UNREADABLE);
	if (hash_rel(dir, f->name, hex, e2, sizeof(e2)) != 0)
		return add_change(res, f->name, MF_UNREADABLE);
	return strcmp(hex, e->hex) == 0 ? 0 : add_change(res, f->name, MF_MODIFIED);
}

/* Walks both sorted lists together. */
static int
compare(const char *dir, const struct mlist *ml, const struct flist *fl,
    bool (*ignore)(const char *), struct mf_result *res)
{
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < ml->n || j < fl->n)) {
		int c = i >= ml->n ? 1 : j >= fl->n ? -1 : strcmp(ml->v[i].name, fl->v[j].name);
		const char *name = c <= 0 ? ml->v[i].name : fl->v[j].name;

		if (ignore && ignore(name))
			rc = 0;
		else if (c < 0)
			rc = add_change(res, name, MF_MISSING);
		else if (c > 0)
			rc = add_change(res, name, MF_ADDED);
		else
			rc = compare_one(dir, &ml->v[i], &fl->v[j], res);
		i += c <= 0;
		j += c >= 0;
	}
	return rc;
}

static int
change_cmp(const void *a, const void *b)
{
	const struct mf_change_rec *x = a, *y = b;
	size_t lx = strlen(x->name), ly = strlen(y->name);

	/* Malformed lines first, in line order ("line 9" before "line 10"),
	 * then files by name. */
	if ((x->what == MF_MALFORMED) != (y->what == MF_MALFORMED))
		return x->what == MF_MALFORMED ? -1 : 1;
	if (x->what == MF_MALFORMED && lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
manifest_verify(const char *dir, const char *pubkey, bool (*ignore)(const char *name),
    struct mf_result *res, char *err, size_t errlen)
{
	char path[4096], *text = NULL, *copy = NULL;
	size_t len = 0;
	struct flist fl = { 0 };
	struct mlist ml = { 0 };
	EVP_PKEY *k = NULL;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (pubkey && (k = load_key(pubkey, false, err, errlen)) == NULL)
		return -1;
	if (list_dir(dir, &fl, err, errlen) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_FILE);
	if (access(path, F_OK) != 0) {
		rc = 0;   /* nothing to compare: the caller says so */
		goto out;
	}
	if (read_all(path, MANIFEST_MAX, &text, &len, err, errlen) != 0)
		goto out;
	res->have_manifest = true;
	res->sig = check_signature(dir, k, text, len);
	if (k)
		key_fingerprint(k, res->key_fpr);
	/* Parsing cuts the text into lines; the signature was over the bytes. */
	if ((copy = strdup(text)) == NULL || parse_manifest(copy, &ml, res) != 0 ||
	    compare(dir, &ml, &fl, ignore, res) != 0) {
		errfmt(err, errlen, "out of memory");
		goto out;
	}
	res->nlisted = ml.n;
	if (res->nchanges > 1)
		qsort(res->changes, res->nchanges, sizeof(*res->changes), change_cmp);
	rc = 0;
out:
	EVP_PKEY_free(k);
	flist_free(&fl);
	free(ml.v);
	free(copy);
	free(text);
	if (rc != 0)
		mf_result_free(res);
	return rc;
}

void
mf_result_free(struct mf_result *res)
{
	size_t i;

	for (i = 0; i < res->nchanges; i++)
		free(res->changes[i].name);
	free(res->changes);
	memset(res, 0, sizeof(*res));
}

bool
mf_result_ok(const struct mf_result *res)
{
	return res->have_manifest && res->nchanges == 0 &&
	    (res->sig == MF_SIG_NONE || res->sig == MF_SIG_UNCHECKED || res->sig == MF_SIG_GOOD);
}

const char *
mf_change_name(enum mf_change c)
{
	switch (c) {
	case MF_MODIFIED:   return "modified";
	case MF_MISSING:    return "missing";
	case MF_ADDED:      return "added";
	case MF_UNREADABLE: return "unreadable";
	case MF_MALFORMED:  return "malformed";
	}
	return "?";
}
