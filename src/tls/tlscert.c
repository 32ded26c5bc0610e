/* Certificate facts and checks over OpenSSL's libcrypto.  Every fact is
 * computed once when the chain is built, so that the evaluator and the
 * reports only read strings; the X509 objects stay for verification. */
#include "tls/tlscert.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libpsl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "lib/oom.h"
#include "lib/hex.h"

/* A certificate file larger than this is no certificate file. */
#define PEM_FILE_MAX (1u << 20)

struct cert {
	X509               *x;
	uint8_t            *der;
	size_t              derlen;
	uint8_t             spki_sha256[32];
	char               *subject, *issuer, *cn;
	char              **san;
	size_t              nsan;
	struct tlscert_info info;
};

struct tlscert_chain {
	struct cert c[TLSCERT_CHAIN_MAX];
	size_t      n;
};

/* ---- small helpers ---- */

/* The reason OpenSSL gives for the last failure, and the queue emptied: its
 * errors must not leak into the next call. */
static const char *
ossl_reason(char *buf, size_t size)
{
	/* The first error is the cause (a bad base64 line); the later ones
	 * are the layers that gave up because of it. */
	unsigned long e = ERR_peek_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	snprintf(buf, size, "%s", r ? r : "unknown error");
	ERR_clear_error();
	return buf;
}

/* Bytes from the network, made printable: anything outside printable ASCII
 * as \xNN, so that no report line carries a control character. */
static char *
printable(const unsigned char *s, size_t n)
{
	char *r = xcalloc(n * 4 + 1, 1), *o = r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			*o++ = (char)s[i];
		else
			o += sprintf(o, "\\x%02X", s[i]);
	}
	return r;
}

/* ---- time ---- */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

const char *
tlscert_date(int64_t t, char *buf, size_t size)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	if (y < 0 || y > 9999)
		snprintf(buf, size, "out-of-range");
	else
		snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
	return buf;
}

static bool
asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return false;
	*out = days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
	    (unsigned)tm.tm_mday) * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return true;
}

long
tlscert_days_left(const struct tlscert_info *ci, int64_t at)
{
	return (long)floor_div(ci->not_after - at, 86400);
}

/* ---- building a chain ---- */

static char *
name_text(const X509_NAME *nm)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *r;
	long n;

	if (!b)
		return xstrndup("", 0);
	/* RFC 2253 with its escapes: non-ASCII and control bytes come out as
	 * escapes, so the text is safe to print. */
	X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253);
	n = BIO_get_mem_data(b, &p);
	r = xstrndup(p, n > 0 ? (size_t)n : 0);
	BIO_free(b);
	return r;
}

static char *
common_name(const X509_NAME *nm)
{
	int i = -1, last = -1;
	const ASN1_STRING *s;

	while ((i = X509_NAME_get_index_by_NID(nm, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return xstrndup("", 0);
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, last));
	return printable(ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
}

static void
collect_sans(struct cert *c)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(c->x, NID_subject_alt_name, NULL, NULL);
	int i, n = gens ? sk_GENERAL_NAME_num(gens) : 0;

	c->san = xcalloc((size_t)n, sizeof(*c->san));
	for (i = 0; i < n; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const ASN1_IA5STRING *s;

		if (g->type != GEN_DNS)
			continue;
		s = g->d.dNSName;
		c->san[c->nsan++] = printable(ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
	}
	GENERAL_NAMES_free(gens);
	ERR_clear_error();
}

static bool
digests(struct cert *c)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	unsigned char *spki = NULL;
	int len;

	if (!EVP_Digest(c->der, c->derlen, md, &n, EVP_sha1(), NULL) || n != 20)
		return false;
	hex_encode(md, n, c->info.sha1, true);
	if (!EVP_Digest(c->der, c->derlen, md, &n, EVP_sha256(), NULL) || n != 32)
		return false;
	hex_encode(md, n, c->info.sha256, true);
	/* The pin hashes the DER SubjectPublicKeyInfo alone. */
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(c->x), &spki);
	if (len <= 0)
		return false;
	n = 0;
	if (!EVP_Digest(spki, (size_t)len, c->spki_sha256, &n, EVP_sha256(), NULL) || n != 32) {
		OPENSSL_free(spki);
		return false;
	}
	OPENSSL_free(spki);
	EVP_EncodeBlock((unsigned char *)c->info.pin, c->spki_sha256, 32);
	return true;
}

static void
free_cert(struct cert *c)
{
	size_t i;

	X509_free(c->x);
	free(c->der);
	free(c->subject);
	free(c->issuer);
	free(c->cn);
	for (i = 0; i < c->nsan; i++)
		free(c->san[i]);
	free(c->san);
	memset(c, 0, sizeof(*c));
}

/* Fills c from x (taken); false with a reason when a fact is missing. */
static bool
fill_cert(struct cert *c, X509 *x, char *err, size_t errlen)
{
	unsigned char *der = NULL;
	int len;

	memset(c, 0, sizeof(*c));
	c->x = x;
	len = i2d_X509(x, &der);
	if (len <= 0) {
		snprintf(err, errlen, "cannot encode the certificate");
		return false;
	}
	c->der = xcalloc((size_t)len, 1);
	memcpy(c->der, der, (size_t)len);
	c->derlen = (size_t)len;
	OPENSSL_free(der);
	if (!asn1_time_unix(X509_get0_notBefore(x), &c->info.not_before) ||
	    !asn1_time_unix(X509_get0_notAfter(x), &c->info.not_after)) {
		snprintf(err, errlen, "unreadable validity dates");
		return false;
	}
	if (!digests(c)) {
		snprintf(err, errlen, "cannot hash the certificate or its public key");
		return false;
	}
	c->subject = name_text(X509_get_subject_name(x));
	c->issuer = name_text(X509_get_issuer_name(x));
	c->cn = common_name(X509_get_subject_name(x));
	collect_sans(c);
	c->info.subject = c->subject;
	c->info.issuer = c->issuer;
	c->info.cn = c->cn;
	c->info.san = (const char *const *)c->san;
	c->info.nsan = c->nsan;
	c->info.self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
	ERR_clear_error();
	return true;
}

/* Appends x (taken) to the chain; false with a reason. */
static bool
add_cert(struct tlscert_chain *ch, X509 *x, char *err, size_t errlen)
{
	char why[200];

	if (ch->n == TLSCERT_CHAIN_MAX) {
		X509_free(x);
		snprintf(err, errlen, "more than %d certificates in the chain", TLSCERT_CHAIN_MAX);
		return false;
	}
	if (!fill_cert(&ch->c[ch->n], x, why, sizeof(why))) {
		free_cert(&ch->c[ch->n]);
		snprintf(err, errlen, "certificate %zu: %s", ch->n + 1, why);
		return false;
	}
	ch->n++;
	return true;
}

void
tlscert_chain_free(struct tlscert_chain *ch)
{
	size_t i;

	if (!ch)
		return;
	for (i = 0; i < ch->n; i++)
		free_cert(&ch->c[i]);
	free(ch);
}

struct tlscert_chain *
tlscert_chain_from_der(const struct tlscert_der *v, size_t n, char *err, size_t errlen)
{
	struct tlscert_chain *ch;
	char why[200];
	size_t i;

	if (n == 0 || n > TLSCERT_CHAIN_MAX) {
		snprintf(err, errlen, n ? "more than %d certificates in the chain" :
		    "no certificate", TLSCERT_CHAIN_MAX);
		return NULL;
	}
	ch = xcalloc(1, sizeof(*ch));
	for (i = 0; i < n; i++) {
		const unsigned char *p = v[i].p;
		X509 *x;

		if (!p || v[i].len == 0 || v[i].len > LONG_MAX) {
			snprintf(err, errlen, "certificate %zu: empty", i + 1);
			goto fail;
		}
		x = d2i_X509(NULL, &p, (long)v[i].len);
		if (!x) {
			snprintf(err, errlen, "certificate %zu: not a DER certificate (%s)", i + 1,
			    ossl_reason(why, sizeof(why)));
			goto fail;
		}
		if ((size_t)(p - v[i].p) != v[i].len) {
			X509_free(x);
			snprintf(err, errlen, "certificate %zu: %zu bytes after the certificate", i + 1,
			    v[i].len - (size_t)(p - v[i].p));
			goto fail;
		}
		if (!add_cert(ch, x, err, errlen))
			goto fail;
	}
	return ch;
fail:
	ERR_clear_error();
	tlscert_chain_free(ch);
	return NULL;
}

/* PEM certificates from a memory BIO.  Returns the chain, or NULL: *none is
 * then true when the text held no PEM certificate at all. */
static struct tlscert_chain *
pem_chain(const char *text, size_t len, bool *none, char *err, size_t errlen)
{
	struct tlscert_chain *ch;
	BIO *b;
	X509 *x;
	char why[200];

	*none = false;
	if (len > INT_MAX || !(b = BIO_new_mem_buf(text, (int)len))) {
		snprintf(err, errlen, "cannot read the PEM text");
		return NULL;
	}
	ch = xcalloc(1, sizeof(*ch));
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
		if (!add_cert(ch, x, err, errlen))
			goto fail;
	/* The loop ends at the end of the text (no further BEGIN line) or at
	 * a block that is not a certificate. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
		snprintf(err, errlen, "certificate %zu: its PEM block holds no valid certificate "
		    "(OpenSSL: %s)", ch->n + 1, ossl_reason(why, sizeof(why)));
		goto fail;
	}
	if (ch->n == 0) {
		*none = true;
		snprintf(err, errlen, "no PEM certificate (-----BEGIN CERTIFICATE-----)");
		goto fail;
	}
	ERR_clear_error();
	BIO_free(b);
	return ch;
fail:
	ERR_clear_error();
	BIO_free(b);
	tlscert_chain_free(ch);
	return NULL;
}

struct tlscert_chain *
tlscert_chain_from_pem(const char *text, size_t len, char *err, size_t errlen)
{
	bool none;

	return pem_chain(text, len, &none, err, errlen);
}

/* A regular file of at most PEM_FILE_MAX bytes, whole. */
static char *
read_small_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t got;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > PEM_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, S_ISREG(st.st_mode) ?
		    "larger than 1 MiB: not a certificate file" : "not a regular file");
		close(fd);
		return NULL;
	}
	buf = xcalloc((size_t)st.st_size + 1, 1);
	while (n < (size_t)st.st_size && (got = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)got;
	close(fd);
	*len = n;
	return buf;
}

struct tlscert_chain *
tlscert_chain_from_pem_file(const char *path, char *err, size_t errlen)
{
	struct tlscert_chain *ch;
	struct tlscert_der der;
	char why[300];
	size_t len = 0;
	char *text = read_small_file(path, &len, err, errlen);
	const char *label, *end;
	bool none;

	if (!text)
		return NULL;
	ch = pem_chain(text, len, &none, why, sizeof(why));
	if (!ch && none && (label = strstr(text, "-----BEGIN ")) != NULL) {
		label += 11;
		end = label + strspn(label, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ");
		if (strncmp(end, "-----", 5) != 0)
			end = NULL;
		if (end && end - label < 40)
			snprintf(why, sizeof(why), "no PEM certificate in it (its first PEM block is "
			    "%.*s, not CERTIFICATE)", (int)(end - label), label);
		else
			snprintf(why, sizeof(why), "no PEM certificate in it");
	} else if (!ch && none && len > 0) {
		/* Windows exports .cer files in DER as often as in PEM. */
		der.p = (const uint8_t *)text;
		der.len = len;
		ch = tlscert_chain_from_der(&der, 1, why, sizeof(why));
		if (!ch)
			snprintf(why, sizeof(why), "neither a PEM certificate (-----BEGIN "
			    "CERTIFICATE-----) nor a DER one");
	} else if (!ch && none) {
		snprintf(why, sizeof(why), "empty file");
	}
	if (!ch)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return ch;
}

size_t
tlscert_chain_len(const struct tlscert_chain *ch)
{
	return ch ? ch->n : 0;
}

const uint8_t *
tlscert_der(const struct tlscert_chain *ch, size_t i, size_t *len)
{
	if (!ch || i >= ch->n)
		return NULL;
	*len = ch->c[i].derlen;
	return ch->c[i].der;
}

const struct tlscert_info *
tlscert_at(const struct tlscert_chain *ch, size_t i)
{
	return ch && i < ch->n ? &ch->c[i].info : NULL;
}

/* ---- names ---- */

/* Length without one trailing dot. */
static size_t
name_len(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[n - 1] == '.' ? n - 1 : n;
}

static bool
labels_ok(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (s[i] == '*' || (unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f) {
			return false;
		} else {
			label++;
		}
	}
	return label > 0;
}

/* Is the rest of a wildcard (after "*.") too broad: one label, or a public
 * suffix? */
static bool
too_broad(const char *rest, size_t n)
{
	const psl_ctx_t *psl = psl_builtin();
	char *low = xstrndup(rest, n);
	bool r;
	size_t i;

	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	/* Without the built-in list (a libpsl built without one) only the
	 * label count protects; libpsl in Debian has it. */
	/* ICANN suffixes (and the implicit "*" rule for unlisted top-level
	 * labels), not the private section: *.appspot.com is a real and valid
	 * certificate name, as browsers agree. */
	r = !memchr(low, '.', n) || (psl && psl_is_public_suffix2(psl, low, PSL_TYPE_ICANN));
	free(low);
	return r;
}

bool
tlscert_name_matches(const char *pattern, const char *host)
{
	size_t pn, hn, first;
	const char *dot;

	if (!pattern || !host)
		return false;
	pn = name_len(pattern);
	hn = name_len(host);
	if (!labels_ok(host, hn))
		return false;
	if (!memchr(pattern, '*', pn))
		return pn == hn && strncasecmp(pattern, host, pn) == 0;
	/* The star is the whole leftmost label, and the only one. */
	if (pn < 3 || pattern[0] != '*' || pattern[1] != '.' || memchr(pattern + 1, '*', pn - 1))
		return false;
	if (!labels_ok(pattern + 2, pn - 2) || too_broad(pattern + 2, pn - 2))
		return false;
	dot = memchr(host, '.', hn);
	if (!dot)
		return false;
	first = (size_t)(dot - host);
	return hn - first - 1 == pn - 2 && strncasecmp(dot + 1, pattern + 2, pn - 2) == 0;
}

bool
tlscert_covers(const struct tlscert_chain *ch, size_t i, const char *host, const char **matched,
    enum tlscert_name_by *by)
{
	const struct cert *c;
	size_t k;

	if (matched)
		*matched = NULL;
	if (by)
		*by = TLSCERT_BY_NONE;
	if (!ch || i >= ch->n)
		return false;
	c = &ch->c[i];
	for (k = 0; k < c->nsan; k++)
		if (tlscert_name_matches(c->san[k], host)) {
			if (matched)
				*matched = c->san[k];
			if (by)
				*by = TLSCERT_BY_SAN;
			return true;
		}
	/* RFC 6125 6.4.4: the CN only when there is no dNSName. */
	if (c->nsan == 0 && c->cn[0] && tlscert_name_matches(c->cn, host)) {
		if (matched)
			*matched = c->cn;
		if (by)
			*by = TLSCERT_BY_CN;
		return true;
	}
	return false;
}

/* ---- trust ---- */

static X509_STORE *
load_store(const char *ca_file, char *why, size_t whylen)
{
	X509_STORE *st;
	FILE *f = fopen(ca_file, "r");
	char buf[200];

	/* fopen first: an errno says more than OpenSSL's "system lib". */
	if (!f) {
		snprintf(why, whylen, "cannot read CA bundle %s: %s", ca_file, strerror(errno));
		return NULL;
	}
	fclose(f);
	st = X509_STORE_new();
	if (!st || X509_STORE_load_file(st, ca_file) != 1) {
		snprintf(why, whylen, "cannot load CA bundle %s: %s", ca_file,
		    ossl_reason(buf, sizeof(buf)));
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}

struct tlscert_store {
	X509_STORE *st;
	char       *path;
};

struct tlscert_store *
tlscert_store_open(const char *ca_file, char *why, size_t whylen)
{
	struct tlscert_store *s;
	X509_STORE *st;

	ca_file = ca_file ? ca_file : TLSCERT_CA_DEFAULT;
	if (!(st = load_store(ca_file, why, whylen)))
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->path = xstrndup(ca_file, strlen(ca_file));
	return s;
}

void
tlscert_store_free(struct tlscert_store *s)
{
	if (!s)
		return;
	X509_STORE_free(s->st);
	free(s->path);
	free(s);
}

const char *
tlscert_store_path(const struct tlscert_store *s)
{
	return s->path;
}

int
tlscert_verify_store(const struct tlscert_chain *ch, const struct tlscert_store *s, int64_t at,
    char *why, size_t whylen)
{
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *mid = NULL;
	size_t i;
	int rc = -1, e;

	if (!ch || ch->n == 0) {
		snprintf(why, whylen, "no certificate");
		return 0;
	}
	if (!(ctx = X509_STORE_CTX_new()) || !(mid = sk_X509_new_null())) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	for (i = 1; i < ch->n; i++)
		if (!sk_X509_push(mid, ch->c[i].x)) {
			snprintf(why, whylen, "out of memory");
			goto out;
		}
	/* Verification only reads the store (OpenSSL locks its lookups), so
	 * one store serves every evaluation. */
	if (X509_STORE_CTX_init(ctx, s->st, ch->c[0].x, mid) != 1) {
		snprintf(why, whylen, "cannot set up verification");
		goto out;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
	X509_VERIFY_PARAM_set_purpose(X509_STORE_CTX_get0_param(ctx), X509_PURPOSE_SSL_SERVER);
	if (X509_verify_cert(ctx) == 1) {
		rc = 1;
		snprintf(why, whylen, "ok");
	} else {
		rc = 0;
		e = X509_STORE_CTX_get_error(ctx);
		snprintf(why, whylen, "%s (depth %d)", X509_verify_cert_error_string(e),
		    X509_STORE_CTX_get_error_depth(ctx));
	}
out:
	sk_X509_free(mid);   /* the certificates stay the chain's */
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int
tlscert_verify(const struct tlscert_chain *ch, const char *ca_file, int64_t at, char *why,
    size_t whylen)
{
	struct tlscert_store *s;
	int rc;

	if (!ch || ch->n == 0) {
		snprintf(why, whylen, "no certificate");
		return 0;
	}
	if (!(s = tlscert_store_open(ca_file, why, whylen)))
		return -1;
	rc = tlscert_verify_store(ch, s, at, why, whylen);
	tlscert_store_free(s);
	return rc;
}

/* ---- pins ---- */

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict standard base64 with padding, at most max bytes out.  Returns the
 * decoded length, or -1 with why (written into buf). */
static long
b64_decode(const char *s, uint8_t *out, size_t max, char *buf, size_t size)
{
	size_t n = strlen(s), i, pad = 0, o = 0;
	uint32_t acc = 0;
	int v;

	while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
		pad++;
	for (i = 0; i < n - pad; i++) {
		if ((v = b64_value((unsigned char)s[i])) >= 0) {
			acc = acc << 6 | (uint32_t)v;
			if (i % 4 == 3 && o + 3 <= max) {
				out[o++] = (uint8_t)(acc >> 16);
				out[o++] = (uint8_t)(acc >> 8);
				out[o++] = (uint8_t)acc;
			}
			continue;
		}
		if (s[i] == '-' || s[i] == '_')
			snprintf(buf, size, "has '%c' (character %zu), which is base64url: a pin uses "
			    "the standard alphabet, + and /", s[i], i + 1);
		else if ((unsigned char)s[i] > ' ' && (unsigned char)s[i] < 0x7f)
			snprintf(buf, size, "has '%c' (character %zu), which is not base64", s[i], i + 1);
		else
			snprintf(buf, size, "has a character that is not base64 (character %zu)", i + 1);
		return -1;
	}
	if (n == 0 || n % 4 != 0) {
		snprintf(buf, size, "has %zu characters: base64 comes in groups of 4%s", n,
		    n == TLSCERT_PIN_LEN - 1 ? " (is the final '=' missing?)" : "");
		return -1;
	}
	if (pad) {
		acc <<= 6 * pad;
		if (o + 3 - pad <= max) {
			out[o++] = (uint8_t)(acc >> 16);
			if (pad == 1)
				out[o++] = (uint8_t)(acc >> 8);
		}
	}
	/* Bytes past max are counted, not stored: the message gives the size. */
	return (long)(n / 4 * 3 - pad);
}

/* Decodes a pin; false with why in buf. */
static bool
pin_decode(const char *s, uint8_t out[32], char *buf, size_t size)
{
	uint8_t tmp[32];
	long n = b64_decode(s, tmp, sizeof(tmp), buf, size);

	if (n < 0)
		return false;
	if (n != 32) {
		snprintf(buf, size, "decodes to %ld bytes%s: a SHA-256 pin has 32 (44 base64 "
		    "characters)", n, n == 20 ? " (a SHA-1 hash?)" : "");
		return false;
	}
	memcpy(out, tmp, 32);
	return true;
}

const char *
tlscert_pin_problem(const char *s, char *buf, size_t size)
{
	uint8_t v[32];
	size_t n = strlen(s);

	/* The hex digests a certificate viewer shows are the usual mix-up. */
	if ((n == 40 || n == 64) && strspn(s, "0123456789abcdefABCDEF") == n) {
		snprintf(buf, size, "looks like a %s fingerprint in hex: a pin is the base64 SHA-256 "
		    "of the public key (ruleproof tls-pin CERT prints it)", n == 40 ? "SHA-1" :
		    "SHA-256");
		return buf;
	}
	if (n == 0) {
		snprintf(buf, size, "is empty");
		return buf;
	}
	return pin_decode(s, v, buf, size) ? NULL : buf;
}

long
tlscert_pin_match(const struct tlscert_chain *ch, const char *const *pins, size_t npins,
    size_t *which)
{
	uint8_t v[32];
	char buf[160];
	size_t i, k;

	if (!ch)
		return -1;
	for (i = 0; i < ch->n; i++)
		for (k = 0; k < npins; k++) {
			if (!pin_decode(pins[k], v, buf, sizeof(buf)))
				continue;
			if (memcmp(v, ch->c[i].spki_sha256, 32) == 0) {
				if (which)
					*which = k;
				return (long)i;
			}
		}
	return -1;
}

/* ---- equality ---- */

static bool
cert_eq(const struct cert *a, const struct cert *b)
{
	return a->derlen == b->derlen && memcmp(a->der, b->der, a->derlen) == 0;
}

bool
tlscert_leaf_equal(const struct tlscert_chain *a, const struct tlscert_chain *b)
{
	return a && b && a->n && b->n && cert_eq(&a->c[0], &b->c[0]);
}

bool
tlscert_chain_equal(const struct tlscert_chain *a, const struct tlscert_chain *b)
{
	size_t i;

	if (!a || !b || a->n != b->n || a->n == 0)
		return false;
	for (i = 0; i < a->n; i++)
		if (!cert_eq(&a->c[i], &b->c[i]))
			return false;
	return true;
}

static bool
has_pin(const struct tlscert_expect *e, const char *pin)
{
	size_t i;

	for (i = 0; i < e->npins; i++)
		if (strcmp(e->pins[i], pin) == 0)
			return true;
	return false;
}

static bool
pins_subset(const struct tlscert_expect *a, const struct tlscert_expect *b)
{
	size_t i;

	for (i = 0; i < a->npins; i++)
		if (!has_pin(b, a->pins[i]))
			return false;
	return true;
}

bool
tlscert_expect_eq(const struct tlscert_expect *a, const struct tlscert_expect *b)
{
	if (!a || !b)
		return a == b;
	if (a->san != b->san || a->not_expired != b->not_expired || a->trusted != b->trusted ||
	    a->same_cert != b->same_cert)
		return false;
	if (a->not_expired && a->warn_days != b->warn_days)
		return false;
	if (!a->issuer || !b->issuer) {
		if (a->issuer != b->issuer)
			return false;
	} else if (strcmp(a->issuer, b->issuer) != 0) {
		return false;
	}
	return pins_subset(a, b) && pins_subset(b, a);
}

/* ---- evaluation ---- */

const char *
tlscert_check_name(enum tlscert_check k)
{
	static const char *const names[TLSCHK_COUNT] = {
		"san", "not-expired", "pin", "issuer", "trusted", "same-cert", "inside",
	};

	return (unsigned)k < TLSCHK_COUNT ? names[k] : "?";
}

const char *
tlscert_verdict_name(enum tlscert_verdict v)
{
	return v == TLSCERT_PASS ? "pass" : v == TLSCERT_WARN ? "warn" : "fail";
}

/* Appends to a reason; a reason that does not fit ends in "...". */
static void say(struct tlscert_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct tlscert_result *r, const char *fmt, ...)
{
	size_t used = strlen(r->reason), room = sizeof(r->reason) - used;
	va_list ap;
	int n;

	if (room <= 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->reason + used, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= room)
		memcpy(r->reason + sizeof(r->reason) - 4, "...", 4);
}

static struct tlscert_result *
begin(struct tlscert_eval *ev, enum tlscert_check k, enum tlscert_verdict v)
{
	struct tlscert_result *r = &ev->r[ev->n++];

	r->check = k;
	r->verdict = v;
	r->reason[0] = '\0';
	return r;
}

static void
check_san(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	struct tlscert_result *r;
	const struct tlscert_info *leaf = tlscert_at(in->chain, 0);
	enum tlscert_name_by by;
	const char *m;
	size_t i, bad = 0;

	if (in->nnames == 0) {
		r = begin(ev, TLSCHK_SAN, TLSCERT_WARN);
		say(r, "no name to check: the destination has no DNS name (fqdn, or tls sni)");
		return;
	}
	for (i = 0; i < in->nnames; i++)
		bad += !tlscert_covers(in->chain, 0, in->names[i], NULL, NULL);
	r = begin(ev, TLSCHK_SAN, bad ? TLSCERT_FAIL : TLSCERT_PASS);
	if (bad) {
		say(r, "does not cover");
		for (i = 0; i < in->nnames; i++)
			if (!tlscert_covers(in->chain, 0, in->names[i], NULL, NULL))
				say(r, " %s", in->names[i]);
		if (leaf->nsan == 0) {
			say(r, " (no SAN dNSName; CN %s)", leaf->cn[0] ? leaf->cn : "none");
		} else {
			say(r, " (SAN");
			for (i = 0; i < leaf->nsan; i++)
				say(r, "%s %s", i ? "," : "", leaf->san[i]);
			say(r, ")");
		}
		return;
	}
	for (i = 0; i < in->nnames; i++) {
		tlscert_covers(in->chain, 0, in->names[i], &m, &by);
		say(r, "%s%s by %s %s", i ? "; " : "", in->names[i], by == TLSCERT_BY_SAN ? "SAN" : "CN",
		    m);
	}
}

/* How one certificate stands at the time: "expires D, N days left", and
 * the verdict that goes with it. */
static enum tlscert_verdict
validity(const struct tlscert_info *ci, int64_t at, unsigned warn, char *buf, size_t size)
{
	long left = tlscert_days_left(ci, at), n;
	char d[16];

	if (at < ci->not_before) {
		n = (long)floor_div(ci->not_before - at + 86399, 86400);
		snprintf(buf, size, "not valid before %s (%ld day%s after the time checked)",
		    tlscert_date(ci->not_before, d, sizeof(d)), n, n == 1 ? "" : "s");
		return TLSCERT_FAIL;
	}
	tlscert_date(ci->not_after, d, sizeof(d));
	if (at > ci->not_after) {
		n = (long)floor_div(at - ci->not_after, 86400);
		snprintf(buf, size, "expired %s, %ld day%s before the time checked", d, n,
		    n == 1 ? "" : "s");
		return TLSCERT_FAIL;
	}
	if (left < (long)warn) {
		snprintf(buf, size, "expires %s, %ld day%s left < %u", d, left, left == 1 ? "" : "s",
		    warn);
		return TLSCERT_WARN;
	}
	snprintf(buf, size, "expires %s, %ld day%s left", d, left, left == 1 ? "" : "s");
	return TLSCERT_PASS;
}

static void
check_validity(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	const struct tlscert_info *ci;
	struct tlscert_result *r;
	enum tlscert_verdict v;
	unsigned warn = in->expect->warn_days;
	char buf[200];
	size_t i;

	/* The leaf decides.  The rest of the chain only warns: a client that
	 * builds another path to its roots (as after an expired cross-signed
	 * root) never uses an expired intermediate the server still sends, but
	 * one that cannot, fails. */
	v = validity(tlscert_at(in->chain, 0), in->at, warn, buf, sizeof(buf));
	r = begin(ev, TLSCHK_NOT_EXPIRED, v);
	say(r, "%s", buf);
	for (i = 1; (ci = tlscert_at(in->chain, i)) != NULL; i++) {
		if (validity(ci, in->at, warn, buf, sizeof(buf)) == TLSCERT_PASS)
			continue;
		if (r->verdict == TLSCERT_PASS)
			r->verdict = TLSCERT_WARN;
		say(r, "; certificate %zu of the chain (%s) %s", i + 1, ci->subject, buf);
	}
}

static void
check_pin(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	struct tlscert_result *r;
	const struct tlscert_info *ci;
	size_t k = 0, i;
	long at = tlscert_pin_match(in->chain, in->expect->pins, in->expect->npins, &k);

	if (at >= 0) {
		ci = tlscert_at(in->chain, (size_t)at);
		r = begin(ev, TLSCHK_PIN, TLSCERT_PASS);
		say(r, "certificate %ld of %zu (%s) has pin %s", at + 1, tlscert_chain_len(in->chain),
		    ci->subject, ci->pin);
		return;
	}
	r = begin(ev, TLSCHK_PIN, TLSCERT_FAIL);
	say(r, "no certificate of the chain has one of the %zu pin%s; the chain's:",
	    in->expect->npins, in->expect->npins == 1 ? "" : "s");
	for (i = 0; (ci = tlscert_at(in->chain, i)) != NULL; i++)
		say(r, "%s %s (%s)", i ? "," : "", ci->pin, ci->subject);
}

static void
check_issuer(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	const struct tlscert_info *leaf = tlscert_at(in->chain, 0);
	bool ok = strcasestr(leaf->issuer, in->expect->issuer) != NULL;
	struct tlscert_result *r = begin(ev, TLSCHK_ISSUER, ok ? TLSCERT_PASS : TLSCERT_FAIL);

	say(r, "issuer %s %s \"%s\"%s", leaf->issuer, ok ? "contains" : "does not contain",
	    in->expect->issuer, ok ? "" : ": another CA signed it (interception?)");
}

static void
check_trusted(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	const char *ca = in->store ? tlscert_store_path(in->store) :
	    in->ca_file ? in->ca_file : TLSCERT_CA_DEFAULT;
	char why[300], d[16];
	int v = in->store ? tlscert_verify_store(in->chain, in->store, in->at, why, sizeof(why)) :
	    tlscert_verify(in->chain, ca, in->at, why, sizeof(why));
	struct tlscert_result *r = begin(ev, TLSCHK_TRUSTED, v == 1 ? TLSCERT_PASS : TLSCERT_FAIL);

	if (v == 1)
		say(r, "verifies against %s at %s", ca, tlscert_date(in->at, d, sizeof(d)));
	else if (v == 0)
		say(r, "does not verify against %s at %s: %s", ca, tlscert_date(in->at, d, sizeof(d)),
		    why);
	else
		say(r, "%s", why);
}

static const char *
peer_label(const struct tlscert_peer *p)
{
	return p->label ? p->label : "another port";
}

/* Is peer i's label this port's, or one an earlier peer with a
 * certificate had?  A port probed from several sources is listed once. */
static bool
label_seen(const struct tlscert_input *in, size_t i)
{
	size_t k;

	if (in->label && strcmp(peer_label(&in->peers[i]), in->label) == 0)
		return true;
	for (k = 0; k < i; k++)
		if (in->peers[k].chain && tlscert_chain_len(in->peers[k].chain) &&
		    strcmp(peer_label(&in->peers[k]), peer_label(&in->peers[i])) == 0)
			return true;
	return false;
}

static void
check_same(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	const struct tlscert_info *leaf = tlscert_at(in->chain, 0), *o;
	const char *me = in->label ? in->label : "this port";
	struct tlscert_result *r;
	size_t i, cmp = 0, diff = 0, shown;

	for (i = 0; i < in->npeers; i++)
		if (in->peers[i].chain && tlscert_chain_len(in->peers[i].chain)) {
			cmp++;
			diff += !tlscert_leaf_equal(in->chain, in->peers[i].chain);
		}
	if (cmp == 0) {
		r = begin(ev, TLSCHK_SAME_CERT, TLSCERT_WARN);
		say(r, "no other port of this address presented a certificate to compare");
		return;
	}
	r = begin(ev, TLSCHK_SAME_CERT, diff ? TLSCERT_FAIL : TLSCERT_PASS);
	if (!diff) {
		say(r, "%s presents the same leaf (SHA-1 %s) as", me, leaf->sha1);
		for (i = 0, shown = 0; i < in->npeers; i++)
			if (in->peers[i].chain && tlscert_chain_len(in->peers[i].chain) &&
			    !label_seen(in, i))
				say(r, "%s %s", shown++ ? "," : "", peer_label(&in->peers[i]));
		if (!shown)
			say(r, " the other probes of %s", me);
		return;
	}
	say(r, "%s presents SHA-1 %s but", me, leaf->sha1);
	for (i = 0, shown = 0; i < in->npeers; i++) {
		if (!in->peers[i].chain || tlscert_leaf_equal(in->chain, in->peers[i].chain))
			continue;
		if (!(o = tlscert_at(in->peers[i].chain, 0)))
			continue;
		say(r, "%s %s presents SHA-1 %s (%s)", shown++ ? "," : "", peer_label(&in->peers[i]),
		    o->sha1, o->subject);
	}
}

static void
check_inside(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	const struct tlscert_info *out = tlscert_at(in->chain, 0), *ins = tlscert_at(in->inside, 0);
	struct tlscert_result *r;

	if (!ins) {
		r = begin(ev, TLSCHK_INSIDE, TLSCERT_WARN);
		say(r, "nothing was presented inside to compare with");
		return;
	}
	if (tlscert_chain_equal(in->chain, in->inside)) {
		r = begin(ev, TLSCHK_INSIDE, TLSCERT_PASS);
		say(r, "the chain seen from inside (leaf SHA-1 %s, %zu certificate%s)", out->sha1,
		    tlscert_chain_len(in->chain), tlscert_chain_len(in->chain) == 1 ? "" : "s");
		return;
	}
	r = begin(ev, TLSCHK_INSIDE, TLSCERT_FAIL);
	if (tlscert_leaf_equal(in->chain, in->inside))
		say(r, "same leaf (SHA-1 %s) as inside, but %zu certificates against %zu inside",
		    out->sha1, tlscert_chain_len(in->chain), tlscert_chain_len(in->inside));
	else
		say(r, "leaf SHA-1 %s issued by %s, inside SHA-1 %s issued by %s (interception?)",
		    out->sha1, out->issuer, ins->sha1, ins->issuer);
}

static void
no_chain(const struct tlscert_input *in, struct tlscert_eval *ev)
{
	const struct tlscert_expect *e = in->expect;
	bool asked[TLSCHK_COUNT] = {
		e && e->san, e && e->not_expired, e && e->npins > 0, e && e->issuer,
		e && e->trusted, e && e->same_cert, in->inside != NULL,
	};
	size_t k;

	for (k = 0; k < TLSCHK_COUNT; k++)
		if (asked[k])
			say(begin(ev, (enum tlscert_check)k, TLSCERT_FAIL), "no certificate was presented");
}

void
tlscert_evaluate(const struct tlscert_input *in, struct tlscert_eval *out)
{
	const struct tlscert_expect *e = in->expect;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!in->chain || tlscert_chain_len(in->chain) == 0) {
		no_chain(in, out);
	} else {
		if (e && e->san)
			check_san(in, out);
		if (e && e->not_expired)
			check_validity(in, out);
		if (e && e->npins)
			check_pin(in, out);
		if (e && e->issuer)
			check_issuer(in, out);
		if (e && e->trusted)
			check_trusted(in, out);
		if (e && e->same_cert)
			check_same(in, out);
		if (in->inside)
			check_inside(in, out);
	}
	out->worst = TLSCERT_PASS;
	for (i = 0; i < out->n; i++)
		if (out->r[i].verdict > out->worst)
			out->worst = out->r[i].verdict;
}
