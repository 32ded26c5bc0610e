/* Unit tests for the certificate module (tlscert.h).  Every certificate is
 * made here with OpenSSL's APIs (a CA, leaves with SANs, wildcards, wrong
 * names, expired, not yet valid, self-signed), at fixed times, so that the
 * tests do not depend on the clock or on files outside the test.  The
 * facts are checked against values computed independently here (i2d_X509 /
 * i2d_PUBKEY and a digest), never against the module's own output. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "plan/plan.h"
#include "profile/parse.h"
#include "profile/profile.h"
#include "profile/site.h"
#include "suites.h"
#include "tls/tlscert.h"

/* 2026-11-22 00:00:00 UTC: every validity below is relative to it. */
#define T0  1795305600LL
#define DAY 86400LL

/* ---- making certificates ---- */

struct mk {
	EVP_PKEY   *key;        /* the certificate's key */
	EVP_PKEY   *signer;     /* NULL: self-signed */
	X509       *issuer;     /* NULL: self-signed */
	const char *cn;         /* NULL: no CN */
	const char *san;        /* "DNS:a,DNS:b" or NULL */
	long long   nb, na;     /* validity, unix seconds */
	bool        ca;
	long        serial;
};

static EVP_PKEY *
ec_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	return k;
}

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
}

static X509 *
make_cert(const struct mk *m)
{
	X509 *x = X509_new();
	X509_NAME *nm = X509_NAME_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), m->serial ? m->serial : 1);
	X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_ASC, (const unsigned char *)"Ruleproof Lab",
	    -1, -1, 0);
	if (m->cn)
		X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)m->cn, -1,
		    -1, 0);
	X509_set_subject_name(x, nm);
	X509_set_issuer_name(x, m->issuer ? X509_get_subject_name(m->issuer) : nm);
	X509_NAME_free(nm);
	ASN1_TIME_set(X509_getm_notBefore(x), (time_t)m->nb);
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)m->na);
	X509_set_pubkey(x, m->key);
	add_ext(x, m->issuer, NID_subject_key_identifier, "hash");
	if (m->issuer)
		add_ext(x, m->issuer, NID_authority_key_identifier, "keyid:always");
	if (m->ca) {
		add_ext(x, m->issuer, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, m->issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, m->issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, m->issuer, NID_ext_key_usage, "serverAuth");
	}
	if (m->san)
		add_ext(x, m->issuer, NID_subject_alt_name, m->san);
	CU_ASSERT_FATAL(X509_sign(x, m->signer ? m->signer : m->key, EVP_sha256()) > 0);
	return x;
}

/* A chain from certificates, through their DER as on the wire. */
static struct tlscert_chain *
chain_of(X509 *const *v, size_t n)
{
	struct tlscert_der der[8] = { { NULL, 0 } };
	unsigned char *bufs[8];
	struct tlscert_chain *ch;
	char err[200];
	size_t i;

	for (i = 0; i < n; i++) {
		int len;

		bufs[i] = NULL;
		len = i2d_X509(v[i], &bufs[i]);
		CU_ASSERT_FATAL(len > 0);
		der[i].p = bufs[i];
		der[i].len = (size_t)len;
	}
	ch = tlscert_chain_from_der(der, n, err, sizeof(err));
	for (i = 0; i < n; i++)
		OPENSSL_free(bufs[i]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
	return ch;
}

static struct tlscert_chain *
chain1(X509 *x)
{
	return chain_of(&x, 1);
}

/* A CA bundle file holding the given certificates; caller unlinks. */
static void
write_bundle(char *path, X509 *const *v, size_t n)
{
	int fd;
	FILE *f;
	size_t i;

	strcpy(path, "/tmp/rp-tlscert-ca.XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (i = 0; i < n; i++)
		PEM_write_X509(f, v[i]);
	fclose(f);
}

/* The fixture most tests use: a root CA, and leaves it signed. */
struct fx {
	EVP_PKEY *cakey, *key;
	X509     *ca;
};

static void
fx_init(struct fx *f)
{
	struct mk m = { 0 };

	f->cakey = ec_key();
	f->key = ec_key();
	m.key = f->cakey;
	m.cn = "Ruleproof Lab Root CA";
	m.nb = T0 - 365 * DAY;
	m.na = T0 + 3650 * DAY;
	m.ca = true;
	m.serial = 100;
	f->ca = make_cert(&m);
}

static void
fx_free(struct fx *f)
{
	X509_free(f->ca);
	EVP_PKEY_free(f->cakey);
	EVP_PKEY_free(f->key);
}

/* A leaf of the fixture's CA, valid [T0 + nb_days, T0 + na_days]. */
static X509 *
fx_leaf(const struct fx *f, const char *cn, const char *san, long long nb_days,
    long long na_days, long serial)
{
	struct mk m = { 0 };

	m.key = f->key;
	m.signer = f->cakey;
	m.issuer = f->ca;
	m.cn = cn;
	m.san = san;
	m.nb = T0 + nb_days * DAY;
	m.na = T0 + na_days * DAY;
	m.serial = serial;
	return make_cert(&m);
}

static void
hex_upper(char *out, const unsigned char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", v[i]);
}

/* ---- facts ---- */

static void
check_facts_of(EVP_PKEY *key)
{
	struct mk m = { 0 };
	const struct tlscert_info *ci;
	struct tlscert_chain *ch;
	unsigned char *der = NULL, *spki = NULL, md[32];
	char want[80];
	unsigned n;
	int len, slen;
	size_t i;
	X509 *x;

	m.key = key;
	m.cn = "rm01.assist.example";
	m.san = "DNS:rm01.assist.example,DNS:*.cp.assist.example,IP:198.18.1.10";
	m.nb = T0 - DAY;
	m.na = T0 + 90 * DAY + 3600;
	x = make_cert(&m);
	ch = chain1(x);
	ci = tlscert_at(ch, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ci);
	CU_ASSERT_PTR_NULL(tlscert_at(ch, 1));
	CU_ASSERT_EQUAL(tlscert_chain_len(ch), 1);
	CU_ASSERT_STRING_EQUAL(ci->subject, "CN=rm01.assist.example,O=Ruleproof Lab");
	CU_ASSERT_STRING_EQUAL(ci->issuer, ci->subject);
	CU_ASSERT_STRING_EQUAL(ci->cn, "rm01.assist.example");
	CU_ASSERT_TRUE(ci->self_issued);
	CU_ASSERT_EQUAL(ci->not_before, T0 - DAY);
	CU_ASSERT_EQUAL(ci->not_after, T0 + 90 * DAY + 3600);
	/* IP SANs are not names a probe sends. */
	CU_ASSERT_EQUAL_FATAL(ci->nsan, 2);
	CU_ASSERT_STRING_EQUAL(ci->san[0], "rm01.assist.example");
	CU_ASSERT_STRING_EQUAL(ci->san[1], "*.cp.assist.example");

	/* SHA-1 and SHA-256 of the DER certificate, computed here. */
	len = i2d_X509(x, &der);
	CU_ASSERT_FATAL(len > 0);
	EVP_Digest(der, (size_t)len, md, &n, EVP_sha1(), NULL);
	hex_upper(want, md, n);
	CU_ASSERT_STRING_EQUAL(ci->sha1, want);
	/* The Windows form: 40 uppercase hex digits, nothing else. */
	CU_ASSERT_EQUAL(strlen(ci->sha1), 40);
	for (i = 0; i < 40; i++)
		CU_ASSERT_TRUE((ci->sha1[i] >= '0' && ci->sha1[i] <= '9') ||
		    (ci->sha1[i] >= 'A' && ci->sha1[i] <= 'F'));
	EVP_Digest(der, (size_t)len, md, &n, EVP_sha256(), NULL);
	hex_upper(want, md, n);
	CU_ASSERT_STRING_EQUAL(ci->sha256, want);

	/* The pin: base64(SHA-256(DER SubjectPublicKeyInfo)), via i2d_PUBKEY. */
	slen = i2d_PUBKEY(key, &spki);
	CU_ASSERT_FATAL(slen > 0);
	EVP_Digest(spki, (size_t)slen, md, &n, EVP_sha256(), NULL);
	EVP_EncodeBlock((unsigned char *)want, md, 32);
	CU_ASSERT_STRING_EQUAL(ci->pin, want);
	CU_ASSERT_EQUAL(strlen(ci->pin), 44);
	/* ... and not the hash of the whole certificate. */
	EVP_Digest(der, (size_t)len, md, &n, EVP_sha256(), NULL);
	EVP_EncodeBlock((unsigned char *)want, md, 32);
	CU_ASSERT_STRING_NOT_EQUAL(ci->pin, want);

	OPENSSL_free(der);
	OPENSSL_free(spki);
	tlscert_chain_free(ch);
	X509_free(x);
}

static void
test_facts_ec(void)
{
	EVP_PKEY *k = ec_key();

	check_facts_of(k);
	EVP_PKEY_free(k);
}

static void
test_facts_rsa(void)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	check_facts_of(k);
	EVP_PKEY_free(k);
}

static void
test_days_and_dates(void)
{
	struct tlscert_info ci;
	char d[16];

	memset(&ci, 0, sizeof(ci));
	ci.not_after = T0 + 9 * DAY + DAY / 2;
	CU_ASSERT_EQUAL(tlscert_days_left(&ci, T0), 9);
	CU_ASSERT_EQUAL(tlscert_days_left(&ci, ci.not_after), 0);
	CU_ASSERT_EQUAL(tlscert_days_left(&ci, ci.not_after - 1), 0);
	CU_ASSERT_EQUAL(tlscert_days_left(&ci, ci.not_after + 1), -1);
	CU_ASSERT_EQUAL(tlscert_days_left(&ci, ci.not_after + DAY + 1), -2);
	CU_ASSERT_STRING_EQUAL(tlscert_date(T0, d, sizeof(d)), "2026-11-22");
	CU_ASSERT_STRING_EQUAL(tlscert_date(0, d, sizeof(d)), "1970-01-01");
	CU_ASSERT_STRING_EQUAL(tlscert_date(-1, d, sizeof(d)), "1969-12-31");
	CU_ASSERT_STRING_EQUAL(tlscert_date(951782400, d, sizeof(d)), "2000-02-29");
	CU_ASSERT_STRING_EQUAL(tlscert_date(253402300799LL, d, sizeof(d)), "9999-12-31");
	CU_ASSERT_STRING_EQUAL(tlscert_date(253402300800LL, d, sizeof(d)), "out-of-range");
}

/* ---- names ---- */

static void
test_wildcards(void)
{
	static const struct { const char *pat, *host; bool ok; } v[] = {
		{ "rm01.assist.example", "rm01.assist.example", true },
		{ "RM01.Assist.Example", "rm01.ASSIST.example", true },
		{ "rm01.assist.example.", "rm01.assist.example", true },
		{ "rm01.assist.example", "rm01.assist.example.", true },
		{ "rm01.assist.example", "rm02.assist.example", false },
		{ "assist.example", "rm01.assist.example", false },
		{ "*.assist.example", "rm01.assist.example", true },
		{ "*.Assist.EXAMPLE", "CP01.assist.example", true },
		{ "*.assist.example", "xn--bcher-kva.assist.example", true },
		/* Exactly one label. */
		{ "*.assist.example", "assist.example", false },
		{ "*.assist.example", "a.b.assist.example", false },
		{ "*.assist.example", ".assist.example", false },
		/* Only as the whole leftmost label. */
		{ "f*.assist.example", "foo.assist.example", false },
		{ "*o.assist.example", "foo.assist.example", false },
		{ "r*m.assist.example", "rxm.assist.example", false },
		{ "rm01.*.example", "rm01.assist.example", false },
		{ "*.*.example", "a.assist.example", false },
		{ "**.assist.example", "a.assist.example", false },
		/* Never a public suffix, never one label. */
		{ "*", "example", false },
		{ "*.", "example.", false },
		{ "*.com", "example.com", false },
		{ "*.co.uk", "example.co.uk", false },
		{ "*.example.co.uk", "www.example.co.uk", true },
		{ "*.example", "assist.example", false },   /* unlisted TLD: the "*" rule */
		{ "*.appspot.com", "app.appspot.com", true }, /* private section: allowed */
		/* A host is a name, not a pattern. */
		{ "*.assist.example", "*.assist.example", false },
		{ "rm01.assist.example", "rm01..assist.example", false },
		{ "", "", false },
		{ "rm01.assist.example", "", false },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		bool got = tlscert_name_matches(v[i].pat, v[i].host);

		if (got != v[i].ok)
			fprintf(stderr, "\n  '%s' vs '%s': got %d\n", v[i].pat, v[i].host, got);
		CU_ASSERT_EQUAL(got, v[i].ok);
	}
	CU_ASSERT_FALSE(tlscert_name_matches(NULL, "a.example"));
}

static void
test_covers(void)
{
	struct fx f;
	X509 *both, *cnonly, *wild;
	struct tlscert_chain *a, *b, *c;
	enum tlscert_name_by by;
	const char *m;

	fx_init(&f);
	both = fx_leaf(&f, "cn.assist.example", "DNS:san.assist.example", -1, 90, 2);
	cnonly = fx_leaf(&f, "rm01.assist.example", NULL, -1, 90, 3);
	wild = fx_leaf(&f, "portal", "DNS:*.assist.example,DNS:assist.example", -1, 90, 4);
	a = chain1(both);
	b = chain1(cnonly);
	c = chain1(wild);
	/* SANs win: the CN is not consulted when there is a dNSName. */
	CU_ASSERT_TRUE(tlscert_covers(a, 0, "san.assist.example", &m, &by));
	CU_ASSERT_STRING_EQUAL(m, "san.assist.example");
	CU_ASSERT_EQUAL(by, TLSCERT_BY_SAN);
	CU_ASSERT_FALSE(tlscert_covers(a, 0, "cn.assist.example", &m, &by));
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(by, TLSCERT_BY_NONE);
	/* Without a SAN the CN counts. */
	CU_ASSERT_TRUE(tlscert_covers(b, 0, "RM01.assist.example", &m, &by));
	CU_ASSERT_STRING_EQUAL(m, "rm01.assist.example");
	CU_ASSERT_EQUAL(by, TLSCERT_BY_CN);
	/* The wildcard and the bare name, and what each matched. */
	CU_ASSERT_TRUE(tlscert_covers(c, 0, "cp01.assist.example", &m, &by));
	CU_ASSERT_STRING_EQUAL(m, "*.assist.example");
	CU_ASSERT_TRUE(tlscert_covers(c, 0, "assist.example", &m, NULL));
	CU_ASSERT_STRING_EQUAL(m, "assist.example");
	CU_ASSERT_FALSE(tlscert_covers(c, 0, "a.cp01.assist.example", NULL, NULL));
	CU_ASSERT_FALSE(tlscert_covers(c, 0, "portal", NULL, NULL));
	CU_ASSERT_FALSE(tlscert_covers(c, 1, "cp01.assist.example", NULL, NULL));
	tlscert_chain_free(a);
	tlscert_chain_free(b);
	tlscert_chain_free(c);
	X509_free(both);
	X509_free(cnonly);
	X509_free(wild);
	fx_free(&f);
}

/* ---- building chains from bad input ---- */

static void
test_bad_der(void)
{
	static const uint8_t junk[] = { 0x30, 0x82, 0x01, 0x00, 0x01, 0x02 };
	struct tlscert_der d[17];
	struct tlscert_chain *ch;
	struct fx f;
	unsigned char *der = NULL, *two;
	char err[200];
	int len;
	size_t i;
	X509 *x;

	CU_ASSERT_PTR_NULL(tlscert_chain_from_der(NULL, 0, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no certificate");
	d[0].p = junk;
	d[0].len = sizeof(junk);
	CU_ASSERT_PTR_NULL(tlscert_chain_from_der(d, 1, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "certificate 1: not a DER certificate"));
	d[0].len = 0;
	CU_ASSERT_PTR_NULL(tlscert_chain_from_der(d, 1, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "certificate 1: empty");

	fx_init(&f);
	x = fx_leaf(&f, "rm01.assist.example", NULL, -1, 30, 5);
	len = i2d_X509(x, &der);
	/* One slice must be exactly one certificate. */
	two = malloc((size_t)len + 3);
	memcpy(two, der, (size_t)len);
	memcpy(two + len, "\0\0\0", 3);
	d[0].p = der;
	d[0].len = (size_t)len;
	d[1].p = two;
	d[1].len = (size_t)len + 3;
	CU_ASSERT_PTR_NULL(tlscert_chain_from_der(d, 2, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "certificate 2: 3 bytes after the certificate");
	/* Cut short: every prefix is refused, none crashes. */
	for (i = 1; i < (size_t)len; i += 7) {
		d[1].len = i;
		ch = tlscert_chain_from_der(d, 2, err, sizeof(err));
		CU_ASSERT_PTR_NULL(ch);
		tlscert_chain_free(ch);
	}
	for (i = 0; i < 17; i++)
		d[i] = d[0];
	CU_ASSERT_PTR_NULL(tlscert_chain_from_der(d, 17, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "more than 16 certificates in the chain");
	ch = tlscert_chain_from_der(d, 16, err, sizeof(err));
	CU_ASSERT_EQUAL(tlscert_chain_len(ch), 16);
	tlscert_chain_free(ch);
	free(two);
	OPENSSL_free(der);
	X509_free(x);
	fx_free(&f);
}

static void
test_pem(void)
{
	struct fx f;
	X509 *x;
	BIO *b = BIO_new(BIO_s_mem());
	struct tlscert_chain *ch;
	char *text, err[200];
	long n;

	fx_init(&f);
	x = fx_leaf(&f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 30, 6);
	PEM_write_bio_X509(b, x);
	PEM_write_bio_X509(b, f.ca);
	n = BIO_get_mem_data(b, &text);
	ch = tlscert_chain_from_pem(text, (size_t)n, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(tlscert_chain_len(ch), 2);
	CU_ASSERT_STRING_EQUAL(tlscert_at(ch, 0)->cn, "rm01.assist.example");
	CU_ASSERT_STRING_EQUAL(tlscert_at(ch, 1)->cn, "Ruleproof Lab Root CA");
	CU_ASSERT_STRING_EQUAL(tlscert_at(ch, 0)->issuer, tlscert_at(ch, 1)->subject);
	CU_ASSERT_FALSE(tlscert_at(ch, 0)->self_issued);
	tlscert_chain_free(ch);
	CU_ASSERT_PTR_NULL(tlscert_chain_from_pem("hello\n", 6, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no PEM certificate (-----BEGIN CERTIFICATE-----)");
	CU_ASSERT_PTR_NULL(tlscert_chain_from_pem_file("/nonexistent/c.pem", err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "cannot open /nonexistent/c.pem: No such file or directory");
	BIO_free(b);
	X509_free(x);
	fx_free(&f);
}

/* ---- trust ---- */

static void
test_verify(void)
{
	struct fx f;
	struct mk m = { 0 };
	X509 *leaf, *selfs, *v[2];
	struct tlscert_chain *ch, *ss, *both;
	char bundle[64], why[300];
	EVP_PKEY *other = ec_key();

	fx_init(&f);
	write_bundle(bundle, &f.ca, 1);
	leaf = fx_leaf(&f, "rm01.assist.example", "DNS:rm01.assist.example", -10, 30, 7);
	ch = chain1(leaf);
	CU_ASSERT_EQUAL(tlscert_verify(ch, bundle, T0, why, sizeof(why)), 1);
	/* The time is the one given, not the clock. */
	CU_ASSERT_EQUAL(tlscert_verify(ch, bundle, T0 + 31 * DAY, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "certificate has expired (depth 0)");
	CU_ASSERT_EQUAL(tlscert_verify(ch, bundle, T0 - 11 * DAY, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "certificate is not yet valid (depth 0)");
	/* A self-signed leaf is not in the bundle. */
	m.key = other;
	m.cn = "rm01.assist.example";
	m.nb = T0 - DAY;
	m.na = T0 + DAY;
	selfs = make_cert(&m);
	ss = chain1(selfs);
	CU_ASSERT_EQUAL(tlscert_verify(ss, bundle, T0, why, sizeof(why)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "self-signed certificate") ? why :
	    strstr(why, "self signed certificate"));
	/* The CA sent along does not make itself trusted. */
	v[0] = leaf;
	v[1] = f.ca;
	both = chain_of(v, 2);
	CU_ASSERT_EQUAL(tlscert_verify(both, bundle, T0, why, sizeof(why)), 1);
	unlink(bundle);
	write_bundle(bundle, &selfs, 1);
	CU_ASSERT_EQUAL(tlscert_verify(ch, bundle, T0, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "unable to get local issuer certificate (depth 0)");
	CU_ASSERT_EQUAL(tlscert_verify(both, bundle, T0, why, sizeof(why)), 0);
	unlink(bundle);
	CU_ASSERT_EQUAL(tlscert_verify(ch, "/nonexistent/ca.pem", T0, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "cannot read CA bundle /nonexistent/ca.pem: No such file or "
	    "directory");
	tlscert_chain_free(ch);
	tlscert_chain_free(ss);
	tlscert_chain_free(both);
	X509_free(leaf);
	X509_free(selfs);
	EVP_PKEY_free(other);
	fx_free(&f);
}

static void
test_verify_intermediate(void)
{
	struct fx f;
	struct mk m = { 0 };
	EVP_PKEY *ikey = ec_key(), *lkey = ec_key();
	X509 *inter, *leaf, *v[2];
	struct tlscert_chain *full, *alone;
	char bundle[64], why[300];

	fx_init(&f);
	m.key = ikey;
	m.signer = f.cakey;
	m.issuer = f.ca;
	m.cn = "Ruleproof Lab Issuing CA";
	m.nb = T0 - 100 * DAY;
	m.na = T0 + 1000 * DAY;
	m.ca = true;
	m.serial = 8;
	inter = make_cert(&m);
	memset(&m, 0, sizeof(m));
	m.key = lkey;
	m.signer = ikey;
	m.issuer = inter;
	m.cn = "rm01.assist.example";
	m.san = "DNS:rm01.assist.example";
	m.nb = T0 - DAY;
	m.na = T0 + 60 * DAY;
	m.serial = 9;
	leaf = make_cert(&m);
	v[0] = leaf;
	v[1] = inter;
	full = chain_of(v, 2);
	alone = chain1(leaf);
	write_bundle(bundle, &f.ca, 1);
	CU_ASSERT_EQUAL(tlscert_verify(full, bundle, T0, why, sizeof(why)), 1);
	/* Without the intermediate the server sends, no path to the root. */
	CU_ASSERT_EQUAL(tlscert_verify(alone, bundle, T0, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "unable to get local issuer certificate (depth 0)");
	/* Pins over the whole chain: the intermediate's and the root's
	 * positions. */
	{
		const char *pins[] = { tlscert_at(full, 1)->pin };
		size_t k = 9;

		CU_ASSERT_EQUAL(tlscert_pin_match(full, pins, 1, &k), 1);
		CU_ASSERT_EQUAL(k, 0);
		CU_ASSERT_EQUAL(tlscert_pin_match(alone, pins, 1, NULL), -1);
	}
	unlink(bundle);
	tlscert_chain_free(full);
	tlscert_chain_free(alone);
	X509_free(inter);
	X509_free(leaf);
	EVP_PKEY_free(ikey);
	EVP_PKEY_free(lkey);
	fx_free(&f);
}

/* ---- pins and equality ---- */

static void
test_pins(void)
{
	struct fx f;
	X509 *leaf, *v[2];
	struct tlscert_chain *ch;
	char buf[160];
	const char *none[] = { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
	const char *bad[] = { "not a pin" };
	size_t k = 99;

	fx_init(&f);
	leaf = fx_leaf(&f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 30, 10);
	v[0] = leaf;
	v[1] = f.ca;
	ch = chain_of(v, 2);
	{
		const char *rootpin[] = { none[0], tlscert_at(ch, 1)->pin };
		const char *both[] = { tlscert_at(ch, 1)->pin, tlscert_at(ch, 0)->pin };

		CU_ASSERT_EQUAL(tlscert_pin_match(ch, rootpin, 2, &k), 1);
		CU_ASSERT_EQUAL(k, 1);
		/* Leaf first: the leaf's pin is found at position 0. */
		CU_ASSERT_EQUAL(tlscert_pin_match(ch, both, 2, &k), 0);
		CU_ASSERT_EQUAL(k, 1);
	}
	CU_ASSERT_EQUAL(tlscert_pin_match(ch, none, 1, NULL), -1);
	CU_ASSERT_EQUAL(tlscert_pin_match(ch, bad, 1, NULL), -1);
	CU_ASSERT_EQUAL(tlscert_pin_match(NULL, none, 1, NULL), -1);

	CU_ASSERT_PTR_NULL(tlscert_pin_problem(tlscert_at(ch, 0)->pin, buf, sizeof(buf)));
	CU_ASSERT_PTR_NULL(tlscert_pin_problem(none[0], buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(tlscert_pin_problem("", buf, sizeof(buf)), "is empty");
	CU_ASSERT_STRING_EQUAL(tlscert_pin_problem("abc", buf, sizeof(buf)),
	    "has 3 characters: base64 comes in groups of 4");
	CU_ASSERT_STRING_EQUAL(tlscert_pin_problem("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", buf, sizeof(buf)),
	    "decodes to 20 bytes (a SHA-1 hash?): a SHA-256 pin has 32 (44 base64 characters)");
	CU_ASSERT_STRING_EQUAL(tlscert_pin_problem("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    buf, sizeof(buf)), "decodes to 36 bytes: a SHA-256 pin has 32 (44 base64 characters)");
	CU_ASSERT_STRING_EQUAL(tlscert_pin_problem("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_=",
	    buf, sizeof(buf)), "has '_' (character 43), which is base64url: a pin uses the "
	    "standard alphabet, + and /");
	CU_ASSERT_STRING_EQUAL(tlscert_pin_problem(tlscert_at(ch, 0)->sha1, buf, sizeof(buf)),
	    "looks like a SHA-1 fingerprint in hex: a pin is the base64 SHA-256 of the public key "
	    "(ruleproof tls-pin CERT prints it)");
	CU_ASSERT_PTR_NOT_NULL(tlscert_pin_problem("AAAA====", buf, sizeof(buf)));
	tlscert_chain_free(ch);
	X509_free(leaf);
	fx_free(&f);
}

/* Two leaves with the same names and key but serials serial and serial + 1
 * (so two certificates); a alone twice, b alone, and a with the CA. */
struct twins {
	X509                 *a, *b;
	struct tlscert_chain *ca, *ca2, *cb, *full;
};

static void
twins_make(const struct fx *f, int serial, struct twins *t)
{
	X509 *v[2];

	t->a = fx_leaf(f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 30, serial);
	t->b = fx_leaf(f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 30, serial + 1);
	t->ca = chain1(t->a);
	t->ca2 = chain1(t->a);
	t->cb = chain1(t->b);
	v[0] = t->a;
	v[1] = f->ca;
	t->full = chain_of(v, 2);
}

static void
twins_free(struct twins *t)
{
	tlscert_chain_free(t->ca);
	tlscert_chain_free(t->ca2);
	tlscert_chain_free(t->cb);
	tlscert_chain_free(t->full);
	X509_free(t->a);
	X509_free(t->b);
}

static void
test_equality(void)
{
	struct fx f;
	struct twins t;
	X509 *v[2];
	struct tlscert_chain *ca, *ca2, *cb, *chain, *chain2;

	fx_init(&f);
	twins_make(&f, 11, &t);
	ca = t.ca, ca2 = t.ca2, cb = t.cb, chain = t.full;
	v[0] = t.a;
	v[1] = t.b;
	chain2 = chain_of(v, 2);
	CU_ASSERT_TRUE(tlscert_leaf_equal(ca, ca2));
	CU_ASSERT_TRUE(tlscert_chain_equal(ca, ca2));
	CU_ASSERT_FALSE(tlscert_leaf_equal(ca, cb));
	CU_ASSERT_STRING_EQUAL(tlscert_at(ca, 0)->pin, tlscert_at(cb, 0)->pin);
	CU_ASSERT_STRING_NOT_EQUAL(tlscert_at(ca, 0)->sha1, tlscert_at(cb, 0)->sha1);
	CU_ASSERT_TRUE(tlscert_leaf_equal(ca, chain));
	CU_ASSERT_FALSE(tlscert_chain_equal(ca, chain));
	CU_ASSERT_TRUE(tlscert_leaf_equal(chain, chain2));
	CU_ASSERT_FALSE(tlscert_chain_equal(chain, chain2));
	CU_ASSERT_FALSE(tlscert_leaf_equal(ca, NULL));
	CU_ASSERT_FALSE(tlscert_chain_equal(NULL, NULL));
	tlscert_chain_free(chain2);
	twins_free(&t);
	fx_free(&f);
}

static void
test_expect_eq(void)
{
	const char *p1[] = { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=" };
	const char *p2[] = { p1[1], p1[0] };
	struct tlscert_expect a = { 0 }, b = { 0 };

	CU_ASSERT_TRUE(tlscert_expect_eq(NULL, NULL));
	CU_ASSERT_FALSE(tlscert_expect_eq(&a, NULL));
	a.san = b.san = true;
	a.pins = p1;
	a.npins = 2;
	b.pins = p2;
	b.npins = 2;
	CU_ASSERT_TRUE(tlscert_expect_eq(&a, &b));   /* pins are a set */
	b.npins = 1;
	CU_ASSERT_FALSE(tlscert_expect_eq(&a, &b));
	b.npins = 2;
	a.not_expired = b.not_expired = true;
	a.warn_days = 30;
	b.warn_days = 14;
	CU_ASSERT_FALSE(tlscert_expect_eq(&a, &b));
	b.warn_days = 30;
	a.issuer = "DigiCert";
	CU_ASSERT_FALSE(tlscert_expect_eq(&a, &b));
	b.issuer = "DigiCert";
	CU_ASSERT_TRUE(tlscert_expect_eq(&a, &b));
	b.same_cert = true;
	CU_ASSERT_FALSE(tlscert_expect_eq(&a, &b));
}

/* ---- the evaluator ---- */

/* Evaluates one check alone; returns its result. */
static struct tlscert_result
eval1(struct tlscert_input *in)
{
	struct tlscert_eval ev;
	struct tlscert_result none = { 0 };

	tlscert_evaluate(in, &ev);
	CU_ASSERT_EQUAL_FATAL(ev.n, 1);
	if (ev.n != 1)
		return none;
	CU_ASSERT_EQUAL(ev.worst, ev.r[0].verdict);
	return ev.r[0];
}

static void
test_eval_san(void)
{
	struct fx f;
	X509 *w = NULL;
	struct tlscert_chain *ch;
	struct tlscert_expect e = { .san = true };
	const char *names[] = { "rm01.assist.example", "cp01.assist.example" };
	const char *wrong[] = { "rm01.assist.example", "cp01.other.example", "a.b.assist.example" };
	struct tlscert_input in = { .expect = &e, .at = T0 };
	struct tlscert_result r;

	fx_init(&f);
	w = fx_leaf(&f, "portal", "DNS:*.assist.example", -1, 30, 13);
	ch = chain1(w);
	in.chain = ch;
	in.names = names;
	in.nnames = 2;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_SAN);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	CU_ASSERT_STRING_EQUAL(r.reason, "rm01.assist.example by SAN *.assist.example; "
	    "cp01.assist.example by SAN *.assist.example");
	in.names = wrong;
	in.nnames = 3;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_STRING_EQUAL(r.reason, "does not cover cp01.other.example a.b.assist.example "
	    "(SAN *.assist.example)");
	in.nnames = 0;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_WARN);
	tlscert_chain_free(ch);
	X509_free(w);
	fx_free(&f);
}

static void
test_eval_validity(void)
{
	struct fx f;
	X509 *x, *y, *early, *v[2];
	struct tlscert_chain *ch, *old, *nyv, *mid;
	struct tlscert_expect e = { .not_expired = true, .warn_days = 30 };
	struct tlscert_input in = { .expect = &e, .at = T0 };
	struct tlscert_result r;

	fx_init(&f);
	/* Expires 2026-12-01 12:00, 9 days and a half after T0. */
	x = fx_leaf(&f, "rm01.assist.example", NULL, -100, 9, 14);
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(T0 + 9 * DAY + DAY / 2));
	X509_sign(x, f.cakey, EVP_sha256());
	ch = chain1(x);
	in.chain = ch;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_NOT_EXPIRED);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_WARN);
	CU_ASSERT_STRING_EQUAL(r.reason, "expires 2026-12-01, 9 days left < 30");
	e.warn_days = 9;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	CU_ASSERT_STRING_EQUAL(r.reason, "expires 2026-12-01, 9 days left");
	e.warn_days = 0;
	in.at = T0 + 9 * DAY + DAY / 2;   /* the last second it is valid */
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	CU_ASSERT_STRING_EQUAL(r.reason, "expires 2026-12-01, 0 days left");
	in.at++;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_STRING_EQUAL(r.reason, "expired 2026-12-01, 0 days before the time checked");
	in.at = T0;

	y = fx_leaf(&f, "rm01.assist.example", NULL, -100, -21, 15);
	old = chain1(y);
	in.chain = old;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_STRING_EQUAL(r.reason, "expired 2026-11-01, 21 days before the time checked");

	early = fx_leaf(&f, "rm01.assist.example", NULL, 3, 300, 16);
	nyv = chain1(early);
	in.chain = nyv;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_STRING_EQUAL(r.reason, "not valid before 2026-11-25 (3 days after the time checked)");

	/* An expired certificate further up the chain warns: the leaf
	 * decides. */
	v[0] = early;
	v[1] = y;
	mid = chain_of(v, 2);
	in.chain = mid;
	in.at = T0 + 5 * DAY;
	e.warn_days = 30;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_WARN);
	CU_ASSERT_STRING_EQUAL(r.reason, "expires 2027-09-18, 295 days left; certificate 2 of the "
	    "chain (CN=rm01.assist.example,O=Ruleproof Lab) expired 2026-11-01, 26 days before "
	    "the time checked");
	/* ... and a failing leaf stays failed. */
	v[0] = y;
	v[1] = early;
	tlscert_chain_free(mid);
	mid = chain_of(v, 2);
	in.chain = mid;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	tlscert_chain_free(ch);
	tlscert_chain_free(old);
	tlscert_chain_free(nyv);
	tlscert_chain_free(mid);
	X509_free(x);
	X509_free(y);
	X509_free(early);
	fx_free(&f);
}

static void
test_eval_pin_issuer_trusted(void)
{
	struct fx f;
	X509 *leaf, *v[2];
	struct tlscert_chain *ch;
	const char *pins[1];
	const char *nopin[] = { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
	struct tlscert_expect e = { 0 };
	struct tlscert_input in = { .expect = &e, .at = T0 };
	struct tlscert_result r;
	char bundle[64], want[400];

	fx_init(&f);
	leaf = fx_leaf(&f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 30, 17);
	v[0] = leaf;
	v[1] = f.ca;
	ch = chain_of(v, 2);
	in.chain = ch;

	/* pin: the root's pin passes, as seed 000's pin set does. */
	pins[0] = tlscert_at(ch, 1)->pin;
	e.pins = pins;
	e.npins = 1;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_PIN);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	snprintf(want, sizeof(want), "certificate 2 of 2 (CN=Ruleproof Lab Root CA,O=Ruleproof Lab) "
	    "has pin %s", pins[0]);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	e.pins = nopin;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "no certificate of the chain has one of the 1 pin"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, tlscert_at(ch, 0)->pin));
	e.npins = 0;

	/* issuer: a substring of the leaf's issuer DN, case-insensitive. */
	e.issuer = "ruleproof lab root";
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_ISSUER);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	CU_ASSERT_STRING_EQUAL(r.reason, "issuer CN=Ruleproof Lab Root CA,O=Ruleproof Lab contains "
	    "\"ruleproof lab root\"");
	e.issuer = "DigiCert";
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_STRING_EQUAL(r.reason, "issuer CN=Ruleproof Lab Root CA,O=Ruleproof Lab does not "
	    "contain \"DigiCert\": another CA signed it (interception?)");
	e.issuer = NULL;

	/* trusted: against the bundle given, at the time given. */
	e.trusted = true;
	write_bundle(bundle, &f.ca, 1);
	in.ca_file = bundle;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_TRUSTED);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	snprintf(want, sizeof(want), "verifies against %s at 2026-11-22", bundle);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	in.at = T0 + 40 * DAY;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	snprintf(want, sizeof(want), "does not verify against %s at 2027-01-01: certificate has "
	    "expired (depth 0)", bundle);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	/* The same through a store opened once; it outlives its file. */
	{
		struct tlscert_store *st = tlscert_store_open(bundle, want, sizeof(want));

		CU_ASSERT_PTR_NOT_NULL_FATAL(st);
		CU_ASSERT_STRING_EQUAL(tlscert_store_path(st), bundle);
		in.store = st;
		in.ca_file = "/nonexistent/ignored.pem";
		unlink(bundle);
		r = eval1(&in);
		CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "certificate has expired (depth 0)"));
		in.at = T0;
		r = eval1(&in);
		CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
		snprintf(want, sizeof(want), "verifies against %s at 2026-11-22", bundle);
		CU_ASSERT_STRING_EQUAL(r.reason, want);
		in.store = NULL;
		in.ca_file = bundle;
		tlscert_store_free(st);
		CU_ASSERT_PTR_NULL(tlscert_store_open(bundle, want, sizeof(want)));
		CU_ASSERT_PTR_NOT_NULL(strstr(want, "cannot read CA bundle"));
	}
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "cannot read CA bundle"));
	tlscert_chain_free(ch);
	X509_free(leaf);
	fx_free(&f);
}

static void
test_eval_same_inside(void)
{
	struct fx f;
	struct twins t;
	struct tlscert_chain *ca, *ca2, *cb, *full;
	struct tlscert_expect e = { .same_cert = true };
	struct tlscert_peer peers[4];
	struct tlscert_input in = { .expect = &e, .at = T0, .label = "tcp/443" };
	struct tlscert_result r;
	char want[400];

	fx_init(&f);
	twins_make(&f, 18, &t);
	ca = t.ca, ca2 = t.ca2, cb = t.cb, full = t.full;
	in.chain = ca;
	peers[0].label = "tcp/8443";
	peers[0].chain = ca2;
	peers[1].label = "tcp/9443";
	peers[1].chain = NULL;
	/* The same ports probed from other sources: listed once, or not. */
	peers[2].label = "tcp/8443";
	peers[2].chain = ca2;
	peers[3].label = "tcp/443";
	peers[3].chain = ca2;
	in.peers = peers;
	in.npeers = 4;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_SAME_CERT);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	snprintf(want, sizeof(want), "tcp/443 presents the same leaf (SHA-1 %s) as tcp/8443",
	    tlscert_at(ca, 0)->sha1);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	in.peers = peers + 3;
	in.npeers = 1;
	r = eval1(&in);
	snprintf(want, sizeof(want), "tcp/443 presents the same leaf (SHA-1 %s) as the other "
	    "probes of tcp/443", tlscert_at(ca, 0)->sha1);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	in.peers = peers;
	in.npeers = 2;
	peers[0].chain = cb;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	snprintf(want, sizeof(want), "tcp/443 presents SHA-1 %s but tcp/8443 presents SHA-1 %s "
	    "(CN=rm01.assist.example,O=Ruleproof Lab)", tlscert_at(ca, 0)->sha1,
	    tlscert_at(cb, 0)->sha1);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	in.npeers = 0;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_WARN);

	/* inside: run whenever the chain seen from inside is given. */
	e.same_cert = false;
	in.inside = ca2;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.check, TLSCHK_INSIDE);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_PASS);
	in.inside = cb;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "(interception?)"));
	in.inside = full;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	snprintf(want, sizeof(want), "same leaf (SHA-1 %s) as inside, but 1 certificates against 2 "
	    "inside", tlscert_at(ca, 0)->sha1);
	CU_ASSERT_STRING_EQUAL(r.reason, want);
	twins_free(&t);
	fx_free(&f);
}

static void
test_eval_all_and_none(void)
{
	struct fx f;
	X509 *x;
	struct tlscert_chain *ch;
	const char *pins[1];
	const char *names[] = { "rm01.assist.example" };
	struct tlscert_expect e = { .san = true, .not_expired = true, .warn_days = 30,
	                            .issuer = "Ruleproof", .trusted = true, .same_cert = true };
	struct tlscert_input in = { .expect = &e, .at = T0, .names = names, .nnames = 1 };
	struct tlscert_eval ev;
	char bundle[64];
	size_t i;

	fx_init(&f);
	x = fx_leaf(&f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 300, 20);
	ch = chain1(x);
	pins[0] = tlscert_at(ch, 0)->pin;
	e.pins = pins;
	e.npins = 1;
	write_bundle(bundle, &f.ca, 1);
	in.ca_file = bundle;
	in.chain = ch;
	tlscert_evaluate(&in, &ev);
	CU_ASSERT_EQUAL_FATAL(ev.n, 6);
	for (i = 0; i < ev.n; i++)
		CU_ASSERT_EQUAL(ev.r[i].check, (enum tlscert_check)i);
	/* Everything passes but same-cert, which has nothing to compare. */
	CU_ASSERT_EQUAL(ev.worst, TLSCERT_WARN);
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(ev.r[i].verdict, TLSCERT_PASS);

	/* No certificate at all: every check asked fails, saying so. */
	in.chain = NULL;
	tlscert_evaluate(&in, &ev);
	CU_ASSERT_EQUAL(ev.n, 6);
	CU_ASSERT_EQUAL(ev.worst, TLSCERT_FAIL);
	for (i = 0; i < ev.n; i++) {
		CU_ASSERT_EQUAL(ev.r[i].verdict, TLSCERT_FAIL);
		CU_ASSERT_STRING_EQUAL(ev.r[i].reason, "no certificate was presented");
	}
	/* No expectation: nothing to check. */
	in.expect = NULL;
	in.chain = ch;
	tlscert_evaluate(&in, &ev);
	CU_ASSERT_EQUAL(ev.n, 0);
	CU_ASSERT_EQUAL(ev.worst, TLSCERT_PASS);
	CU_ASSERT_STRING_EQUAL(tlscert_check_name(TLSCHK_SAME_CERT), "same-cert");
	CU_ASSERT_STRING_EQUAL(tlscert_check_name(TLSCHK_NOT_EXPIRED), "not-expired");
	CU_ASSERT_STRING_EQUAL(tlscert_verdict_name(TLSCERT_WARN), "warn");
	unlink(bundle);
	tlscert_chain_free(ch);
	X509_free(x);
	fx_free(&f);
}

/* A reason never overruns its buffer, and says it was cut. */
static void
test_long_reason(void)
{
	struct fx f;
	X509 *x;
	struct tlscert_chain *ch;
	struct tlscert_expect e = { .san = true };
	const char *names[40];
	char bufs[40][64];
	struct tlscert_input in = { .expect = &e, .at = T0, .names = names, .nnames = 40 };
	struct tlscert_result r;
	size_t i;

	for (i = 0; i < 40; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "host-number-%zu.somewhere-else.example", i);
		names[i] = bufs[i];
	}
	fx_init(&f);
	x = fx_leaf(&f, "rm01.assist.example", "DNS:rm01.assist.example", -1, 30, 21);
	ch = chain1(x);
	in.chain = ch;
	r = eval1(&in);
	CU_ASSERT_EQUAL(r.verdict, TLSCERT_FAIL);
	CU_ASSERT_EQUAL(strlen(r.reason), TLSCERT_REASON_MAX - 1);
	CU_ASSERT_STRING_EQUAL(r.reason + TLSCERT_REASON_MAX - 4, "...");
	tlscert_chain_free(ch);
	X509_free(x);
	fx_free(&f);
}

/* ---- the profile model and the plan ---- */

static const char cert_profile[] =
    "profile \"cert\"\n"
    "zone devices\n"
    "role assist\n"
    "service portal = tcp/443 tls cert (same-cert, san, not-expired 14d,\n"
    "    pin \"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\", issuer \"Lab CA\", trusted)\n"
    "service cp = tcp/8443 tls cert (san, not-expired, same-cert)\n"
    "open devices -> assist : portal, cp, tcp/444 tls cert (san, not-expired, same-cert),\n"
    "    tcp/22, tcp/445 tls\n"
    "default closed\n";

static const char cert_site[] =
    "site \"cert\"\n"
    "host devices 198.18.1.10\n"
    "host assist 198.18.3.10 fqdn \"assist.lab.example\"\n";

static const struct probe *
find_probe(const struct plan *pl, uint16_t port, bool open)
{
	uint32_t i;

	for (i = 0; i < plan_nprobes(pl); i++) {
		const struct probe *p = plan_probe(pl, i);

		if (p->port == port && p->expect_open == open)
			return p;
	}
	return NULL;
}

static void
test_plan_cert(void)
{
	struct profile *pf = profile_parse("cert.profile", cert_profile, strlen(cert_profile),
	    stderr, NULL);
	struct site *st = site_parse("cert.site", cert_site, strlen(cert_site), stderr, NULL);
	const struct profile_rule *r;
	const struct tlscert_expect *e, *e443, *e8443;
	struct plan *pl;
	char err[200];

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	pl = plan_build(pf, st, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	r = profile_rule(pf, 0);
	/* 443 and 444 ask different checks: two spans, not merged into one. */
	CU_ASSERT_EQUAL(r->nspans, 5);
	e443 = plan_probe_cert(pl, find_probe(pl, 443, true));
	CU_ASSERT_PTR_NOT_NULL_FATAL(e443);
	CU_ASSERT_TRUE(e443->san && e443->not_expired && e443->trusted && e443->same_cert);
	CU_ASSERT_EQUAL(e443->warn_days, 14);
	CU_ASSERT_EQUAL_FATAL(e443->npins, 1);
	CU_ASSERT_STRING_EQUAL(e443->pins[0], "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	CU_ASSERT_STRING_EQUAL(e443->issuer, "Lab CA");
	e8443 = plan_probe_cert(pl, find_probe(pl, 8443, true));
	CU_ASSERT_PTR_NOT_NULL_FATAL(e8443);
	CU_ASSERT_TRUE(e8443->san && e8443->not_expired && e8443->same_cert);
	CU_ASSERT_FALSE(e8443->trusted);
	CU_ASSERT_EQUAL(e8443->npins, 0);
	CU_ASSERT_PTR_NULL(e8443->issuer);
	CU_ASSERT_EQUAL(e8443->warn_days, TLSCERT_WARN_DAYS_DEFAULT);
	e = plan_probe_cert(pl, find_probe(pl, 444, true));
	CU_ASSERT_TRUE(tlscert_expect_eq(e, e8443));
	/* TLS without a cert clause, a plain port, a negative probe: none. */
	CU_ASSERT_PTR_NULL(plan_probe_cert(pl, find_probe(pl, 445, true)));
	CU_ASSERT_PTR_NULL(plan_probe_cert(pl, find_probe(pl, 22, true)));
	CU_ASSERT_PTR_NOT_NULL_FATAL(find_probe(pl, 442, false));
	CU_ASSERT_PTR_NULL(plan_probe_cert(pl, find_probe(pl, 442, false)));
	CU_ASSERT_STRING_EQUAL(plan_probe_sni(pl, find_probe(pl, 443, true)), "assist.lab.example");
	plan_free(pl);
	site_free(st);
	profile_free(pf);
}

int
register_tlscert_tests(void)
{
	CU_pSuite s = CU_add_suite("tlscert", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "facts of an EC certificate", test_facts_ec) ||
	    !CU_add_test(s, "facts of an RSA certificate", test_facts_rsa) ||
	    !CU_add_test(s, "days left and dates", test_days_and_dates) ||
	    !CU_add_test(s, "wildcard rules", test_wildcards) ||
	    !CU_add_test(s, "name coverage: SAN over CN", test_covers) ||
	    !CU_add_test(s, "bad DER", test_bad_der) ||
	    !CU_add_test(s, "PEM chains", test_pem) ||
	    !CU_add_test(s, "verification at a time", test_verify) ||
	    !CU_add_test(s, "verification through an intermediate", test_verify_intermediate) ||
	    !CU_add_test(s, "pins", test_pins) ||
	    !CU_add_test(s, "leaf and chain equality", test_equality) ||
	    !CU_add_test(s, "expectation equality", test_expect_eq) ||
	    !CU_add_test(s, "evaluate san", test_eval_san) ||
	    !CU_add_test(s, "evaluate not-expired", test_eval_validity) ||
	    !CU_add_test(s, "evaluate pin, issuer, trusted", test_eval_pin_issuer_trusted) ||
	    !CU_add_test(s, "evaluate same-cert and inside", test_eval_same_inside) ||
	    !CU_add_test(s, "evaluate all, and without a chain", test_eval_all_and_none) ||
	    !CU_add_test(s, "long reasons are cut", test_long_reason) ||
	    !CU_add_test(s, "profile model and plan_probe_cert", test_plan_cert))
		return -1;
	return 0;
}
