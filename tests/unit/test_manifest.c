/* Unit tests for the evidence seal (manifest.h), in a directory of their
 * own: the manifest is sha256sum's format, verification names every file
 * added, missing or modified and every malformed line, and the Ed25519
 * signature holds only for the manifest it signed and the key that made
 * it. */
#include <CUnit/Basic.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/manifest.h"
#include "suites.h"

/* sha256("abc") and sha256("") */
#define SHA_ABC   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct mfx {
	char dir[64];
	char keys[64];   /* key files live apart from the sealed directory */
};

static void
put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static char *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[256], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	CU_ASSERT_FATAL(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void
mfx_open(struct mfx *x)
{
	char sub[128];

	snprintf(x->dir, sizeof(x->dir), "/tmp/rp-manifest-test.XXXXXX");
	snprintf(x->keys, sizeof(x->keys), "/tmp/rp-manifest-keys.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(x->dir));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(x->keys));
	put(x->dir, "tx-a.pcap", "abc");
	put(x->dir, "plan.json", "");
	snprintf(sub, sizeof(sub), "%s/sub", x->dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0755), 0);
	put(x->dir, "sub/z.txt", "abc");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
mfx_close(struct mfx *x)
{
	nftw(x->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(x->keys, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
seal(struct mfx *x, size_t want_files)
{
	char err[256];
	size_t n = 0;
	bool changed = false;

	CU_ASSERT_EQUAL_FATAL(manifest_write(x->dir, &n, &changed, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(n, want_files);
}

/* Verifies and returns the result; the caller frees it. */
static struct mf_result
check(const struct mfx *x, const char *pubkey, bool (*ignore)(const char *))
{
	struct mf_result res;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(manifest_verify(x->dir, pubkey, ignore, &res, err, sizeof(err)), 0);
	return res;
}

static bool
has_change(const struct mf_result *res, const char *name, enum mf_change what)
{
	size_t i;

	for (i = 0; i < res->nchanges; i++)
		if (strcmp(res->changes[i].name, name) == 0 && res->changes[i].what == what)
			return true;
	return false;
}

static void
test_format(void)
{
	struct mfx x;
	char *text;

	mfx_open(&x);
	seal(&x, 3);
	text = slurp(x.dir, MANIFEST_FILE, NULL);
	/* sha256sum's own format, sorted by name, the seal left out. */
	CU_ASSERT_STRING_EQUAL(text,
	    SHA_EMPTY "  plan.json\n"
	    SHA_ABC "  sub/z.txt\n"
	    SHA_ABC "  tx-a.pcap\n");
	free(text);
	mfx_close(&x);
}

static void
test_rewrite_reports_change(void)
{
	struct mfx x;
	char err[256];
	size_t n;
	bool changed;

	mfx_open(&x);
	CU_ASSERT_EQUAL(manifest_write(x.dir, &n, &changed, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(changed);
	CU_ASSERT_EQUAL(manifest_write(x.dir, &n, &changed, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(changed);
	put(x.dir, "plan.json", "{}");
	CU_ASSERT_EQUAL(manifest_write(x.dir, &n, &changed, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(changed);
	mfx_close(&x);
}

static void
test_intact(void)
{
	struct mfx x;
	struct mf_result res;

	mfx_open(&x);
	seal(&x, 3);
	res = check(&x, NULL, NULL);
	CU_ASSERT_TRUE(res.have_manifest);
	CU_ASSERT_EQUAL(res.nlisted, 3);
	CU_ASSERT_EQUAL(res.nchanges, 0);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_NONE);
	CU_ASSERT_TRUE(mf_result_ok(&res));
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_one_byte(void)
{
	struct mfx x;
	struct mf_result res;

	mfx_open(&x);
	seal(&x, 3);
	put(x.dir, "tx-a.pcap", "abd");
	res = check(&x, NULL, NULL);
	CU_ASSERT_EQUAL(res.nchanges, 1);
	CU_ASSERT_TRUE(has_change(&res, "tx-a.pcap", MF_MODIFIED));
	CU_ASSERT_FALSE(mf_result_ok(&res));
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_added_missing(void)
{
	struct mfx x;
	struct mf_result res;
	char path[128];

	mfx_open(&x);
	seal(&x, 3);
	put(x.dir, "notes.txt", "later");
	snprintf(path, sizeof(path), "%s/sub/z.txt", x.dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	res = check(&x, NULL, NULL);
	CU_ASSERT_EQUAL(res.nchanges, 2);
	CU_ASSERT_TRUE(has_change(&res, "notes.txt", MF_ADDED));
	CU_ASSERT_TRUE(has_change(&res, "sub/z.txt", MF_MISSING));
	/* Sorted by name. */
	CU_ASSERT_STRING_EQUAL(res.changes[0].name, "notes.txt");
	mf_result_free(&res);
	mfx_close(&x);
}

static bool
ignore_notes(const char *name)
{
	return strcmp(name, "notes.txt") == 0 || strcmp(name, "tx-a.pcap") == 0;
}

static void
test_ignore(void)
{
	struct mfx x;
	struct mf_result res;

	mfx_open(&x);
	seal(&x, 3);
	put(x.dir, "notes.txt", "later");
	put(x.dir, "tx-a.pcap", "changed");
	res = check(&x, NULL, ignore_notes);
	CU_ASSERT_EQUAL(res.nchanges, 0);
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_malformed(void)
{
	struct mfx x;
	struct mf_result res;
	char path[128];
	FILE *f;

	mfx_open(&x);
	seal(&x, 3);
	snprintf(path, sizeof(path), "%s/%s", x.dir, MANIFEST_FILE);
	f = fopen(path, "a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("not a line\n", f);
	/* A name that leaves the directory is refused, not hashed. */
	fputs(SHA_ABC "  ../../etc/passwd\n", f);
	fputs(SHA_ABC "  /etc/passwd\n", f);
	/* The same file listed twice. */
	fputs(SHA_ABC "  tx-a.pcap\n", f);
	fclose(f);
	res = check(&x, NULL, NULL);
	CU_ASSERT_TRUE(has_change(&res, "line 4", MF_MALFORMED));
	CU_ASSERT_TRUE(has_change(&res, "line 5", MF_MALFORMED));
	CU_ASSERT_TRUE(has_change(&res, "line 6", MF_MALFORMED));
	CU_ASSERT_TRUE(has_change(&res, "tx-a.pcap", MF_MALFORMED));
	CU_ASSERT_FALSE(mf_result_ok(&res));
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_binary_mark_and_case(void)
{
	struct mfx x;
	struct mf_result res;

	mfx_open(&x);
	/* What `sha256sum -b` writes, in upper case: still a match. */
	put(x.dir, MANIFEST_FILE,
	    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 *plan.json\n"
	    SHA_ABC " *sub/z.txt\n" SHA_ABC "  tx-a.pcap");
	res = check(&x, NULL, NULL);
	CU_ASSERT_EQUAL(res.nchanges, 0);
	CU_ASSERT_EQUAL(res.nlisted, 3);
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_no_manifest(void)
{
	struct mfx x;
	struct mf_result res;

	mfx_open(&x);
	res = check(&x, NULL, NULL);
	CU_ASSERT_FALSE(res.have_manifest);
	CU_ASSERT_FALSE(mf_result_ok(&res));
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_special_file(void)
{
	struct mfx x;
	struct mf_result res;
	char path[128], err[256];
	size_t n;
	bool changed;

	mfx_open(&x);
	seal(&x, 3);
	snprintf(path, sizeof(path), "%s/fifo", x.dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	/* A fifo would block the hash: it is named, never opened. */
	res = check(&x, NULL, NULL);
	CU_ASSERT_TRUE(has_change(&res, "fifo", MF_ADDED));
	mf_result_free(&res);
	CU_ASSERT_EQUAL(manifest_write(x.dir, &n, &changed, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "fifo"));
	mfx_close(&x);
}

/* A fresh Ed25519 key pair as PEM files; returns the private key's path in
 * priv and the public key's in pub. */
static void
keypair(const struct mfx *x, const char *tag, char *priv, char *pub, size_t len)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	snprintf(priv, len, "%s/%s.pem", x->keys, tag);
	snprintf(pub, len, "%s/%s.pub", x->keys, tag);
	f = fopen(priv, "w");
	CU_ASSERT_FATAL(f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1);
	fclose(f);
	f = fopen(pub, "w");
	CU_ASSERT_FATAL(f && PEM_write_PUBKEY(f, k) == 1);
	fclose(f);
	EVP_PKEY_free(k);
}

static void
test_signature(void)
{
	struct mfx x;
	struct mf_result res;
	char priv[128], pub[128], priv2[128], pub2[128], fpr[65], err[256];
	size_t siglen = 0;

	mfx_open(&x);
	keypair(&x, "a", priv, pub, sizeof(priv));
	keypair(&x, "b", priv2, pub2, sizeof(priv2));
	seal(&x, 3);
	CU_ASSERT_EQUAL_FATAL(manifest_sign(x.dir, priv, fpr, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(fpr), 64);
	free(slurp(x.dir, MANIFEST_SIG, &siglen));
	CU_ASSERT_EQUAL(siglen, 64);

	res = check(&x, pub, NULL);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_GOOD);
	CU_ASSERT_STRING_EQUAL(res.key_fpr, fpr);
	CU_ASSERT_TRUE(mf_result_ok(&res));
	mf_result_free(&res);
	/* The private key holds the public one: it verifies too. */
	res = check(&x, priv, NULL);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_GOOD);
	mf_result_free(&res);
	/* Signed, but no key to check with: said, not a failure. */
	res = check(&x, NULL, NULL);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_UNCHECKED);
	CU_ASSERT_TRUE(mf_result_ok(&res));
	mf_result_free(&res);
	/* Another key. */
	res = check(&x, pub2, NULL);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_BAD);
	CU_ASSERT_FALSE(mf_result_ok(&res));
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_signature_tampered(void)
{
	struct mfx x;
	struct mf_result res;
	char priv[128], pub[128], fpr[65], err[256], path[128];

	mfx_open(&x);
	keypair(&x, "a", priv, pub, sizeof(priv));
	seal(&x, 3);
	CU_ASSERT_EQUAL_FATAL(manifest_sign(x.dir, priv, fpr, err, sizeof(err)), 0);
	/* Someone changes a pcap and re-seals without the key. */
	put(x.dir, "tx-a.pcap", "forged");
	seal(&x, 3);
	res = check(&x, pub, NULL);
	CU_ASSERT_EQUAL(res.nchanges, 0);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_BAD);
	CU_ASSERT_FALSE(mf_result_ok(&res));
	mf_result_free(&res);
	/* Or removes the signature. */
	snprintf(path, sizeof(path), "%s/%s", x.dir, MANIFEST_SIG);
	CU_ASSERT_EQUAL(unlink(path), 0);
	res = check(&x, pub, NULL);
	CU_ASSERT_EQUAL(res.sig, MF_SIG_MISSING);
	CU_ASSERT_FALSE(mf_result_ok(&res));
	mf_result_free(&res);
	mfx_close(&x);
}

static void
test_bad_keys(void)
{
	struct mfx x;
	struct mf_result res;
	char priv[128], pub[128], err[256], fpr[65], rsa[128];
	EVP_PKEY *k;
	FILE *f;

	mfx_open(&x);
	keypair(&x, "a", priv, pub, sizeof(priv));
	seal(&x, 3);
	CU_ASSERT_EQUAL(manifest_check_signing_key(priv, err, sizeof(err)), 0);
	/* A public key cannot sign. */
	CU_ASSERT_EQUAL(manifest_check_signing_key(pub, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(manifest_sign(x.dir, pub, fpr, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(manifest_check_signing_key("/nonexistent/key.pem", err, sizeof(err)), -1);
	/* Only Ed25519. */
	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	snprintf(rsa, sizeof(rsa), "%s/ec.pem", x.keys);
	f = fopen(rsa, "w");
	CU_ASSERT_FATAL(f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1);
	fclose(f);
	EVP_PKEY_free(k);
	CU_ASSERT_EQUAL(manifest_check_signing_key(rsa, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an Ed25519 key"));
	CU_ASSERT_EQUAL(manifest_verify(x.dir, rsa, NULL, &res, err, sizeof(err)), -1);
	mfx_close(&x);
}

int
register_manifest_tests(void)
{
	CU_pSuite s = CU_add_suite("manifest", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "sha256sum format", test_format) ||
	    !CU_add_test(s, "rewrite says if it changed", test_rewrite_reports_change) ||
	    !CU_add_test(s, "intact directory", test_intact) ||
	    !CU_add_test(s, "one byte changed", test_one_byte) ||
	    !CU_add_test(s, "added and missing", test_added_missing) ||
	    !CU_add_test(s, "ignored names", test_ignore) ||
	    !CU_add_test(s, "malformed lines", test_malformed) ||
	    !CU_add_test(s, "binary mark, upper case", test_binary_mark_and_case) ||
	    !CU_add_test(s, "no manifest", test_no_manifest) ||
	    !CU_add_test(s, "special file", test_special_file) ||
	    !CU_add_test(s, "signature", test_signature) ||
	    !CU_add_test(s, "signature after tampering", test_signature_tampered) ||
	    !CU_add_test(s, "bad keys", test_bad_keys))
		return -1;
	return 0;
}
