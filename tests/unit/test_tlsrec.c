/* Unit tests for the TLS wire parser (tlsrec.h).  The hellos are real: an
 * OpenSSL client and server run in memory (memory BIOs, no sockets) and the
 * bytes they write are what gets parsed.  OpenSSL's own reading of the same
 * ClientHello (its client-hello callback) is the reference the parse is
 * compared with.  Every parse of a prefix or mutation works on a heap copy
 * of exactly that many bytes, so that under ASan one byte read too far is a
 * crash. */
#include <CUnit/Basic.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "tls/tlsrec.h"

#define HS_CAP  16384
#define BUF_MAX 16384

struct bytes {
	uint8_t b[BUF_MAX];
	size_t  len;
};

/* ---- In-memory OpenSSL peers ------------------------------------------ */

/* What OpenSSL's server saw in a ClientHello, from its callback. */
struct oracle {
	bool     seen;
	uint16_t legacy_version;
	uint8_t  random[32];
	uint8_t  ciphers[1024];
	size_t   ciphers_len;
	int      ext[64];
	size_t   n_ext;
	uint8_t  sigalgs[512], groups[256];
	size_t   sigalgs_len, groups_len;
};

static int
oracle_cb(SSL *s, int *al, void *arg)
{
	struct oracle *o = arg;
	const unsigned char *p;
	int *ext = NULL;
	size_t n;

	(void)al;
	o->seen = true;
	o->legacy_version = (uint16_t)SSL_client_hello_get0_legacy_version(s);
	SSL_client_hello_get0_random(s, &p);
	memcpy(o->random, p, 32);
	n = SSL_client_hello_get0_ciphers(s, &p);
	if (n <= sizeof(o->ciphers)) {
		memcpy(o->ciphers, p, n);
		o->ciphers_len = n;
	}
	if (SSL_client_hello_get1_extensions_present(s, &ext, &n) == 1 && n <= 64) {
		memcpy(o->ext, ext, n * sizeof(int));
		o->n_ext = n;
	}
	OPENSSL_free(ext);
	/* The extension bodies: a 2-byte list length, then the list. */
	if (SSL_client_hello_get0_ext(s, TLS_EXT_SIGALGS, &p, &n) == 1 && n >= 2 &&
	    n - 2 <= sizeof(o->sigalgs)) {
		memcpy(o->sigalgs, p + 2, n - 2);
		o->sigalgs_len = n - 2;
	}
	if (SSL_client_hello_get0_ext(s, TLS_EXT_GROUPS, &p, &n) == 1 && n >= 2 &&
	    n - 2 <= sizeof(o->groups)) {
		memcpy(o->groups, p + 2, n - 2);
		o->groups_len = n - 2;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

static X509 *
make_cert(EVP_PKEY *key, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *name;

	if (!x)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	if (!X509_sign(x, key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

struct peer_opts {
	int         cmax, cmin;      /* client version bounds (0: OpenSSL's) */
	int         smax;            /* server max version */
	const char *sni;
	const unsigned char *alpn;   /* wire form */
	unsigned    alpn_len;
	const char *cgroups, *sgroups;
};

/* One client and one server talking through memory BIOs.  The server
 * serves a leaf certificate and one more (an extra chain certificate, so
 * that the Certificate message holds two). */
struct pair {
	SSL_CTX      *cctx, *sctx;
	SSL          *c, *s;
	EVP_PKEY     *key;
	X509         *leaf, *extra;
	struct oracle o;
	struct bytes  c2s, s2c;       /* everything each side wrote */
};

static BIO *
mem_bio(void)
{
	BIO *b = BIO_new(BIO_s_mem());

	if (b)
		BIO_set_mem_eof_return(b, -1);
	return b;
}

static bool
pair_open(struct pair *p, const struct peer_opts *opt)
{
	memset(p, 0, sizeof(*p));
	p->key = EVP_EC_gen("P-256");
	p->leaf = p->key ? make_cert(p->key, "leaf.tlsrec.test") : NULL;
	p->extra = p->key ? make_cert(p->key, "extra.tlsrec.test") : NULL;
	p->cctx = SSL_CTX_new(TLS_client_method());
	p->sctx = SSL_CTX_new(TLS_server_method());
	if (!p->leaf || !p->extra || !p->cctx || !p->sctx)
		return false;
	if ((opt->cmax && !SSL_CTX_set_max_proto_version(p->cctx, opt->cmax)) ||
	    (opt->cmin && !SSL_CTX_set_min_proto_version(p->cctx, opt->cmin)) ||
	    (opt->smax && !SSL_CTX_set_max_proto_version(p->sctx, opt->smax)) ||
	    (opt->cgroups && !SSL_CTX_set1_groups_list(p->cctx, opt->cgroups)) ||
	    (opt->sgroups && !SSL_CTX_set1_groups_list(p->sctx, opt->sgroups)) ||
	    SSL_CTX_use_certificate(p->sctx, p->leaf) != 1 ||
	    SSL_CTX_use_PrivateKey(p->sctx, p->key) != 1 ||
	    SSL_CTX_add1_chain_cert(p->sctx, p->extra) != 1)
		return false;
	SSL_CTX_set_client_hello_cb(p->sctx, oracle_cb, &p->o);
	p->c = SSL_new(p->cctx);
	p->s = SSL_new(p->sctx);
	if (!p->c || !p->s)
		return false;
	if ((opt->sni && SSL_set_tlsext_host_name(p->c, opt->sni) != 1) ||
	    (opt->alpn && SSL_set_alpn_protos(p->c, opt->alpn, opt->alpn_len) != 0))
		return false;
	SSL_set_bio(p->c, mem_bio(), mem_bio());
	SSL_set_bio(p->s, mem_bio(), mem_bio());
	SSL_set_connect_state(p->c);
	SSL_set_accept_state(p->s);
	return true;
}

static void
pair_close(struct pair *p)
{
	SSL_free(p->c);
	SSL_free(p->s);
	SSL_CTX_free(p->cctx);
	SSL_CTX_free(p->sctx);
	X509_free(p->leaf);
	X509_free(p->extra);
	EVP_PKEY_free(p->key);
	ERR_clear_error();
}

/* Moves what `from` wrote to `to`'s input, keeping a copy in log. */
static void
shuttle(SSL *from, SSL *to, struct bytes *log)
{
	uint8_t chunk[4096];
	int n;

	while ((n = BIO_read(SSL_get_wbio(from), chunk, sizeof(chunk))) > 0) {
		if (log->len + (size_t)n <= sizeof(log->b)) {
			memcpy(log->b + log->len, chunk, (size_t)n);
			log->len += (size_t)n;
		}
		BIO_write(SSL_get_rbio(to), chunk, n);
	}
}

/* Runs the handshake a bounded number of rounds (it may fail: an alert is
 * an outcome some tests want). */
static void
pair_run(struct pair *p)
{
	int i;

	for (i = 0; i < 8; i++) {
		SSL_do_handshake(p->c);
		shuttle(p->c, p->s, &p->c2s);
		SSL_do_handshake(p->s);
		shuttle(p->s, p->c, &p->s2c);
	}
}

/* Only the client's first flight: its ClientHello. */
static void
pair_hello(struct pair *p)
{
	SSL_do_handshake(p->c);
	shuttle(p->c, p->s, &p->c2s);
	SSL_do_handshake(p->s);   /* runs the oracle */
}

static const unsigned char alpn_h2_h11[] = "\x02h2\x08http/1.1";

/* ---- Parsing helpers -------------------------------------------------- */

/* Parses a heap copy of exactly len bytes of b. */
static enum tls_res
ch_of(const uint8_t *b, size_t len, uint8_t *hs, struct tls_client_hello *ch)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum tls_res r;
	const char *why = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	memcpy(copy, b, len);
	r = tls_client_hello_from_stream(copy, len, hs, HS_CAP, ch, &why);
	if (r != TLS_OK)
		CU_ASSERT_PTR_NOT_NULL(why);
	free(copy);
	return r;
}

static bool
u16s_eq_bytes(struct tls_u16s l, const uint8_t *b, size_t blen)
{
	return l.n * 2 == blen && (blen == 0 || memcmp(l.p, b, blen) == 0);
}

static bool
slice_is(struct tls_slice s, const char *str)
{
	return s.len == strlen(str) && memcmp(s.p, str, s.len) == 0;
}

/* The ClientHello body as one handshake message (header included), taken
 * out of the records it came in. */
static size_t
hs_message(const struct bytes *stream, uint8_t *out, size_t cap)
{
	struct tls_flight f;
	struct tls_hs_msg m;
	size_t off = 0;

	if (tls_flight_read(stream->b, stream->len, out, cap, &f, NULL) != TLS_OK ||
	    tls_hs_next(out, f.hs_len, &off, &m, NULL) != TLS_OK)
		return 0;
	return off;
}

/* Frames handshake bytes into records of at most `per` bytes each. */
static void
reframe(const uint8_t *hs, size_t len, size_t per, struct bytes *out)
{
	size_t i, n;

	out->len = 0;
	for (i = 0; i < len; i += n) {
		n = len - i < per ? len - i : per;
		CU_ASSERT_FATAL(out->len + 5 + n <= sizeof(out->b));
		out->b[out->len++] = TLS_CT_HANDSHAKE;
		out->b[out->len++] = 3;
		out->b[out->len++] = 1;
		out->b[out->len++] = (uint8_t)(n >> 8);
		out->b[out->len++] = (uint8_t)n;
		memcpy(out->b + out->len, hs + i, n);
		out->len += n;
	}
}

/* ---- ClientHello from OpenSSL ----------------------------------------- */

/* Checks a parse against OpenSSL's own reading of the same bytes. */
static void
check_against_oracle(const struct pair *p, const struct tls_client_hello *ch)
{
	uint8_t crandom[32];
	size_t i;

	CU_ASSERT_TRUE_FATAL(p->o.seen);
	CU_ASSERT_EQUAL(ch->legacy_version, p->o.legacy_version);
	CU_ASSERT_EQUAL(memcmp(ch->random, p->o.random, 32), 0);
	/* The client random OpenSSL exposes is what the probe log records. */
	SSL_get_client_random(p->c, crandom, sizeof(crandom));
	CU_ASSERT_EQUAL(memcmp(ch->random, crandom, 32), 0);
	CU_ASSERT_TRUE(u16s_eq_bytes(ch->ciphers, p->o.ciphers, p->o.ciphers_len));
	CU_ASSERT_EQUAL(ch->n_ext, p->o.n_ext);
	for (i = 0; i < ch->n_ext && i < p->o.n_ext; i++)
		CU_ASSERT_EQUAL(ch->ext_types[i], p->o.ext[i]);
	CU_ASSERT_TRUE(u16s_eq_bytes(ch->sigalgs, p->o.sigalgs, p->o.sigalgs_len));
	CU_ASSERT_TRUE(u16s_eq_bytes(ch->groups, p->o.groups, p->o.groups_len));
	CU_ASSERT_TRUE(ch->sigalgs.n > 0);
	CU_ASSERT_TRUE(ch->groups.n > 0);
	CU_ASSERT_EQUAL(ch->compression.len, 1);
}

static void
test_client_hello_tls13(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;
	struct pair p;
	char sni[64];
	size_t i;
	bool has13 = false;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	CU_ASSERT_EQUAL_FATAL(ch_of(p.c2s.b, p.c2s.len, hs, &ch), TLS_OK);
	check_against_oracle(&p, &ch);
	CU_ASSERT_EQUAL(ch.legacy_version, TLS_V12);
	CU_ASSERT_EQUAL(tls_client_version(&ch), TLS_V13);
	for (i = 0; i < ch.versions.n; i++)
		has13 |= tls_u16_at(ch.versions, i) == TLS_V13;
	CU_ASSERT_TRUE(has13);
	CU_ASSERT_TRUE(ch.has_sni);
	CU_ASSERT_TRUE(slice_is(ch.sni, "portal.example.test"));
	CU_ASSERT_TRUE(tls_sni_str(&ch, sni, sizeof(sni)));
	CU_ASSERT_STRING_EQUAL(sni, "portal.example.test");
	CU_ASSERT_FALSE(tls_sni_str(&ch, sni, 5));  /* does not fit */
	CU_ASSERT_EQUAL(ch.n_alpn, 2);
	CU_ASSERT_TRUE(slice_is(ch.alpn[0], "h2"));
	CU_ASSERT_TRUE(slice_is(ch.alpn[1], "http/1.1"));
	/* OpenSSL 3 sends a 32-byte legacy session id in TLS 1.3 mode. */
	CU_ASSERT_EQUAL(ch.session_id.len, 32);
	pair_close(&p);
}

static void
test_client_hello_tls12_only(void)
{
	struct peer_opts opt = { .cmax = TLS1_2_VERSION, .sni = "cp.example.test" };
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;
	struct pair p;
	size_t i;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	CU_ASSERT_EQUAL_FATAL(ch_of(p.c2s.b, p.c2s.len, hs, &ch), TLS_OK);
	check_against_oracle(&p, &ch);
	CU_ASSERT_EQUAL(ch.versions.n, 0);
	for (i = 0; i < ch.n_ext; i++)
		CU_ASSERT_NOT_EQUAL(ch.ext_types[i], TLS_EXT_VERSIONS);
	CU_ASSERT_EQUAL(tls_client_version(&ch), TLS_V12);
	CU_ASSERT_TRUE(slice_is(ch.sni, "cp.example.test"));
	CU_ASSERT_EQUAL(ch.n_alpn, 0);
	pair_close(&p);
}

static void
test_client_hello_no_sni(void)
{
	struct peer_opts opt = { 0 };
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;
	struct pair p;
	char sni[8], ja4[TLS_JA4_SIZE];

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	CU_ASSERT_EQUAL_FATAL(ch_of(p.c2s.b, p.c2s.len, hs, &ch), TLS_OK);
	check_against_oracle(&p, &ch);
	CU_ASSERT_FALSE(ch.has_sni);
	CU_ASSERT_FALSE(tls_sni_str(&ch, sni, sizeof(sni)));
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	/* No SNI is "i", no ALPN is "00". */
	CU_ASSERT_EQUAL(ja4[3], 'i');
	CU_ASSERT_EQUAL(strncmp(ja4 + 8, "00_", 3), 0);
	pair_close(&p);
}

/* ---- Records, splitting, truncation ----------------------------------- */

static void
test_split_across_records(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	static uint8_t hs[HS_CAP], msg[HS_CAP];
	static struct bytes framed;
	static const size_t pers[] = { 1, 7, 100, 511, 16384 };
	struct tls_client_hello whole, split;
	char ja_whole[TLS_JA4_SIZE], ja_split[TLS_JA4_SIZE];
	struct pair p;
	size_t mlen, i;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	CU_ASSERT_EQUAL_FATAL(ch_of(p.c2s.b, p.c2s.len, hs, &whole), TLS_OK);
	CU_ASSERT_EQUAL(tls_ja4(&whole, ja_whole), 0);
	mlen = hs_message(&p.c2s, msg, sizeof(msg));
	CU_ASSERT_FATAL(mlen > 100);
	for (i = 0; i < sizeof(pers) / sizeof(pers[0]); i++) {
		static uint8_t hs2[HS_CAP];

		reframe(msg, mlen, pers[i], &framed);
		CU_ASSERT_EQUAL_FATAL(ch_of(framed.b, framed.len, hs2, &split), TLS_OK);
		CU_ASSERT_EQUAL(memcmp(split.random, whole.random, 32), 0);
		CU_ASSERT_EQUAL(split.n_ext, whole.n_ext);
		CU_ASSERT_TRUE(slice_is(split.sni, "portal.example.test"));
		CU_ASSERT_EQUAL(tls_ja4(&split, ja_split), 0);
		CU_ASSERT_STRING_EQUAL(ja_split, ja_whole);
	}
	pair_close(&p);
}

/* Every proper prefix of a valid stream is a valid beginning: NEED_MORE,
 * whether the hello comes in one record or in many small ones. */
static void
test_truncated_everywhere(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	static uint8_t hs[HS_CAP], msg[HS_CAP];
	static struct bytes framed;
	struct tls_client_hello ch;
	struct pair p;
	size_t i, mlen, bad = 0;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	for (i = 0; i < p.c2s.len; i++)
		bad += ch_of(p.c2s.b, i, hs, &ch) != TLS_NEED_MORE;
	CU_ASSERT_EQUAL(bad, 0);
	mlen = hs_message(&p.c2s, msg, sizeof(msg));
	reframe(msg, mlen, 50, &framed);
	for (i = 0; i < framed.len; i++)
		bad += ch_of(framed.b, i, hs, &ch) != TLS_NEED_MORE;
	CU_ASSERT_EQUAL(bad, 0);
	/* The message body cut short: malformed, except at the one place where
	 * a hello without extensions ends. */
	for (i = 0; i < mlen - 4; i++) {
		uint8_t *copy = malloc(i ? i : 1);
		enum tls_res r;

		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		memcpy(copy, msg + 4, i);
		r = tls_client_hello_parse(copy, i, &ch, NULL);
		CU_ASSERT_TRUE(r == TLS_MALFORMED || (r == TLS_OK && ch.n_ext == 0));
		free(copy);
	}
	pair_close(&p);
}

/* Sets a big-endian 16-bit field. */
static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
test_malformed_lengths(void)
{
	struct peer_opts opt = { .sni = "portal.example.test" };
	static uint8_t hs[HS_CAP];
	static struct bytes m;
	struct tls_client_hello ch;
	struct pair p;
	size_t sid_off = 5 + 4 + 2 + 32, cs_off, i;
	const char *why = NULL;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	cs_off = sid_off + 1 + p.c2s.b[sid_off];

	/* Record longer than TLS allows. */
	m = p.c2s;
	put16(m.b + 3, TLS_MAX_RECORD + 1);
	CU_ASSERT_EQUAL(tls_client_hello_from_stream(m.b, m.len, hs, HS_CAP, &ch, &why), TLS_MALFORMED);
	CU_ASSERT_STRING_EQUAL(why, "record longer than 18432 bytes");
	/* Empty handshake record. */
	m = p.c2s;
	put16(m.b + 3, 0);
	CU_ASSERT_EQUAL(ch_of(m.b, m.len, hs, &ch), TLS_MALFORMED);
	/* Session id of 33 bytes. */
	m = p.c2s;
	m.b[sid_off] = 33;
	CU_ASSERT_EQUAL(tls_client_hello_from_stream(m.b, m.len, hs, HS_CAP, &ch, &why), TLS_MALFORMED);
	CU_ASSERT_STRING_EQUAL(why, "session id longer than 32 bytes");
	/* Odd cipher suite list. */
	m = p.c2s;
	put16(m.b + cs_off, (unsigned)(m.b[cs_off] << 8 | m.b[cs_off + 1]) + 1);
	CU_ASSERT_EQUAL(tls_client_hello_from_stream(m.b, m.len, hs, HS_CAP, &ch, &why), TLS_MALFORMED);
	CU_ASSERT_STRING_EQUAL(why, "cipher suite list length is odd");
	/* Cipher list running past the message. */
	m = p.c2s;
	put16(m.b + cs_off, 0xfffe);
	CU_ASSERT_EQUAL(ch_of(m.b, m.len, hs, &ch), TLS_MALFORMED);
	/* Handshake length larger than what the records hold: more is wanted. */
	m = p.c2s;
	m.b[7]++;
	CU_ASSERT_EQUAL(ch_of(m.b, m.len, hs, &ch), TLS_NEED_MORE);
	/* ... and shorter: the extensions run past the message. */
	m = p.c2s;
	m.b[8]--;
	CU_ASSERT_EQUAL(ch_of(m.b, m.len, hs, &ch), TLS_MALFORMED);
	/* A handshake message larger than the buffer can never complete. */
	m = p.c2s;
	m.b[6] = 0x7f;
	CU_ASSERT_EQUAL(tls_client_hello_from_stream(m.b, m.len, hs, HS_CAP, &ch, &why), TLS_MALFORMED);
	CU_ASSERT_STRING_EQUAL(why, "handshake message larger than the buffer");

	/* Every byte set to 0x00 and to 0xff in turn: any answer but a crash
	 * (ASan watches), and never TLS_OK with a different random unless the
	 * byte was in the random. */
	for (i = 0; i < p.c2s.len; i++) {
		static const uint8_t vals[] = { 0x00, 0xff, 0x80 };
		size_t k;

		for (k = 0; k < sizeof(vals); k++) {
			m = p.c2s;
			m.b[i] = vals[k];
			if (ch_of(m.b, m.len, hs, &ch) == TLS_OK && (i < 11 || i >= 43))
				CU_ASSERT_EQUAL(memcmp(ch.random, p.o.random, 32), 0);
		}
	}
	pair_close(&p);
}

static void
test_not_tls(void)
{
	static const uint8_t http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	/* An SSLv2-format hello (RFC 5246 E.2): first byte has the top bit. */
	static const uint8_t sslv2[] = { 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15 };
	static const uint8_t ver2[] = { 0x16, 0x02, 0x00 };
	static const uint8_t server_first[] = { 0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 };
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;
	const char *why = NULL;

	CU_ASSERT_EQUAL(ch_of(http, sizeof(http) - 1, hs, &ch), TLS_NOT_TLS);
	CU_ASSERT_EQUAL(ch_of(http, 1, hs, &ch), TLS_NOT_TLS);  /* told at once */
	CU_ASSERT_EQUAL(ch_of(sslv2, sizeof(sslv2), hs, &ch), TLS_NOT_TLS);
	CU_ASSERT_EQUAL(ch_of(ver2, sizeof(ver2), hs, &ch), TLS_NOT_TLS);
	CU_ASSERT_EQUAL(tls_client_hello_from_stream(server_first, sizeof(server_first), hs, HS_CAP,
	                                             &ch, &why), TLS_NOT_TLS);
	CU_ASSERT_STRING_EQUAL(why, "first handshake message is not a ClientHello");
	CU_ASSERT_EQUAL(ch_of(http, 0, hs, &ch), TLS_NEED_MORE);
	CU_ASSERT_STRING_EQUAL(tls_res_name(TLS_NEED_MORE), "need-more");
}

/* ---- JA4 -------------------------------------------------------------- */

/* A ClientHello built by hand from lists, for the published JA4 examples. */
struct hello_spec {
	const uint16_t *ciphers;
	size_t          nc;
	const uint16_t *exts;
	size_t          ne;
	const uint16_t *sigalgs;
	size_t          ns;
	const char     *alpn;  /* one protocol */
	bool            grease;
};

static void
b8(struct bytes *b, unsigned v)
{
	CU_ASSERT_FATAL(b->len < sizeof(b->b));
	b->b[b->len++] = (uint8_t)v;
}

static void
b16(struct bytes *b, unsigned v)
{
	b8(b, v >> 8);
	b8(b, v & 0xff);
}

static void
b_patch(struct bytes *b, size_t at, size_t width)
{
	size_t v = b->len - at - width, i;

	for (i = 0; i < width; i++)
		b->b[at + i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static void
ext_body(struct bytes *b, uint16_t type, const struct hello_spec *s)
{
	size_t at, i;

	switch (type) {
	case TLS_EXT_SNI:
		at = b->len; b16(b, 0);
		b8(b, 0); b16(b, 11);
		memcpy(b->b + b->len, "example.com", 11); b->len += 11;
		b_patch(b, at, 2);
		break;
	case TLS_EXT_ALPN:
		at = b->len; b16(b, 0);
		b8(b, (unsigned)strlen(s->alpn));
		memcpy(b->b + b->len, s->alpn, strlen(s->alpn)); b->len += strlen(s->alpn);
		b_patch(b, at, 2);
		break;
	case TLS_EXT_SIGALGS:
		b16(b, (unsigned)(2 * s->ns));
		for (i = 0; i < s->ns; i++)
			b16(b, s->sigalgs[i]);
		break;
	case TLS_EXT_GROUPS:
		b16(b, 2); b16(b, 0x001d);
		break;
	case TLS_EXT_VERSIONS:
		b8(b, s->grease ? 6 : 4);
		if (s->grease)
			b16(b, 0x7a7a);
		b16(b, TLS_V13); b16(b, TLS_V12);
		break;
	default:
		break;
	}
}

static void
build_hello(const struct hello_spec *s, struct bytes *b)
{
	size_t rec, hsh, at, i;

	b->len = 0;
	b8(b, TLS_CT_HANDSHAKE); b16(b, TLS_V10); rec = b->len; b16(b, 0);
	b8(b, TLS_HS_CLIENT_HELLO); hsh = b->len; b8(b, 0); b16(b, 0);
	b16(b, TLS_V12);
	for (i = 0; i < 32; i++)
		b8(b, (unsigned)i);
	b8(b, 0);                                        /* session id */
	at = b->len; b16(b, 0);
	if (s->grease)
		b16(b, 0x3a3a);
	for (i = 0; i < s->nc; i++)
		b16(b, s->ciphers[i]);
	b_patch(b, at, 2);
	b8(b, 1); b8(b, 0);                              /* null compression */
	at = b->len; b16(b, 0);
	if (s->grease) {
		b16(b, 0x0a0a); b16(b, 0);
	}
	for (i = 0; i < s->ne; i++) {
		size_t el;

		b16(b, s->exts[i]);
		el = b->len; b16(b, 0);
		ext_body(b, s->exts[i], s);
		b_patch(b, el, 2);
	}
	if (s->grease) {
		b16(b, 0xfafa); b16(b, 1); b8(b, 0);
	}
	b_patch(b, at, 2);
	b_patch(b, hsh, 3);
	b_patch(b, rec, 2);
}

static const uint16_t spec_ciphers[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
	0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t spec_sigalgs[] = {
	0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
};

static void
ja4_of_spec(const struct hello_spec *s, char out[TLS_JA4_SIZE])
{
	static struct bytes b;
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;

	out[0] = '\0';
	build_hello(s, &b);
	CU_ASSERT_EQUAL_FATAL(ch_of(b.b, b.len, hs, &ch), TLS_OK);
	CU_ASSERT_EQUAL(tls_ja4(&ch, out), 0);
}

/* The example of FoxIO's JA4 specification (technical_details/JA4.md,
 * "Example" and "Raw Output"): the lists of its JA4_ro, built into a real
 * ClientHello with GREASE added in ciphers, extensions and versions. */
static void
test_ja4_published_foxio(void)
{
	static const uint16_t exts[] = {
		0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
		0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
	};
	struct hello_spec s = { spec_ciphers, 15, exts, 16, spec_sigalgs, 8, "h2", true };
	char ja4[TLS_JA4_SIZE], plain[TLS_JA4_SIZE];

	ja4_of_spec(&s, ja4);
	CU_ASSERT_STRING_EQUAL(ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	/* GREASE changes nothing. */
	s.grease = false;
	ja4_of_spec(&s, plain);
	CU_ASSERT_STRING_EQUAL(plain, ja4);
}

/* A second published pair: browserleaks.com's report of a Chrome hello
 * (JA4 t13d1516h2_8daaf6152771_d8a2da3f94cd with its JA4_ro lists, as
 * quoted in service0427/v2_cp_app tls.md). */
static void
test_ja4_published_browserleaks(void)
{
	static const uint16_t exts[] = {
		0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd, 0x0000, 0x000b, 0x000a, 0x002b,
		0xff01, 0x0023, 0x0012, 0x0005, 0x000d, 0x001b,
	};
	struct hello_spec s = { spec_ciphers, 15, exts, 16, spec_sigalgs, 8, "h2", true };
	char ja4[TLS_JA4_SIZE];

	ja4_of_spec(&s, ja4);
	CU_ASSERT_STRING_EQUAL(ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd");
}

/* The edge cases the specification spells out, on a hello built directly. */
static void
test_ja4_edges(void)
{
	static const uint16_t exts[] = {
		0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
		0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
	};
	static const struct { const char *v; size_t len; const char *want; } alpns[] = {
		{ "h2", 2, "h2" }, { "http/1.1", 8, "h1" }, { "h", 1, "hh" }, { "", 0, "00" },
		{ "\xab", 1, "ab" }, { "\xab\xcd", 2, "ad" }, { "\x30\xab", 2, "3b" },
		{ "\x30\x31\xab\xcd", 4, "3d" }, { "\x30\xab\xcd\x31", 4, "01" },
	};
	static uint8_t many[2 * 120];
	struct tls_client_hello ch;
	char ja4[TLS_JA4_SIZE];
	size_t i;

	memset(&ch, 0, sizeof(ch));
	ch.legacy_version = TLS_V12;
	memcpy(ch.ext_types, exts, sizeof(exts));
	ch.n_ext = 16;
	/* No ciphers: JA4_b is twelve zeros.  No signature algorithms: JA4_c
	 * hashes the extension list alone, without an underscore (the spec's
	 * value for this very list is 6d807ffa2a79).  The extension count still
	 * includes SNI and ALPN.  No supported_versions values: the legacy
	 * version counts. */
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	CU_ASSERT_STRING_EQUAL(ja4, "t12d001600_000000000000_6d807ffa2a79");
	/* No extensions left after SNI and ALPN: JA4_c is twelve zeros too. */
	ch.ext_types[0] = TLS_EXT_SNI;
	ch.ext_types[1] = TLS_EXT_ALPN;
	ch.ext_types[2] = 0x2a2a;
	ch.n_ext = 3;
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	CU_ASSERT_STRING_EQUAL(ja4, "t12d000200_000000000000_000000000000");
	/* Versions. */
	ch.legacy_version = 0x0300;
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	CU_ASSERT_EQUAL(strncmp(ja4, "ts3", 3), 0);
	ch.legacy_version = 0x1234;
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	CU_ASSERT_EQUAL(strncmp(ja4, "t00", 3), 0);
	/* More than 99 ciphers shows 99. */
	for (i = 0; i < 120; i++)
		put16(many + 2 * i, (unsigned)(0x0100 + i));
	ch.ciphers.p = many;
	ch.ciphers.n = 120;
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	CU_ASSERT_EQUAL(strncmp(ja4 + 4, "99", 2), 0);
	/* The ALPN characters, with the spec's own non-alphanumeric examples. */
	for (i = 0; i < sizeof(alpns) / sizeof(alpns[0]); i++) {
		ch.n_alpn = 1;
		ch.alpn[0].p = (const uint8_t *)alpns[i].v;
		ch.alpn[0].len = alpns[i].len;
		CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
		CU_ASSERT_EQUAL(strncmp(ja4 + 8, alpns[i].want, 2), 0);
	}
	CU_ASSERT_TRUE(tls_is_grease(0x0a0a));
	CU_ASSERT_TRUE(tls_is_grease(0xfafa));
	CU_ASSERT_FALSE(tls_is_grease(0x0a1a));
	CU_ASSERT_FALSE(tls_is_grease(0x1301));
}

/* JA4 of a real OpenSSL hello against one derived from OpenSSL's own
 * reading of it (its callback's lists, sorted and hashed here). */
static void
hex12(const char *text, char out[13])
{
	unsigned char d[32];
	unsigned int dl = 0, i;

	EVP_Digest(text, strlen(text), d, &dl, EVP_sha256(), NULL);
	for (i = 0; i < 6; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void
test_ja4_openssl_hello(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;
	char ja4[TLS_JA4_SIZE], want[TLS_JA4_SIZE], text[4096], b[13], c[13];
	int cs[512], ex[64];
	size_t ncs = 0, nex = 0, i, n;
	struct pair p;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	CU_ASSERT_EQUAL_FATAL(ch_of(p.c2s.b, p.c2s.len, hs, &ch), TLS_OK);
	CU_ASSERT_EQUAL(tls_ja4(&ch, ja4), 0);
	for (i = 0; i + 1 < p.o.ciphers_len; i += 2)
		cs[ncs++] = p.o.ciphers[i] << 8 | p.o.ciphers[i + 1];
	for (i = 0; i < p.o.n_ext; i++)
		if (p.o.ext[i] != 0 && p.o.ext[i] != 16)
			ex[nex++] = p.o.ext[i];
	qsort(cs, ncs, sizeof(int), cmp_int);
	qsort(ex, nex, sizeof(int), cmp_int);
	for (n = 0, i = 0; i < ncs; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%04x", i ? "," : "", cs[i]);
	hex12(text, b);
	for (n = 0, i = 0; i < nex; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%04x", i ? "," : "", ex[i]);
	for (i = 0; i + 1 < p.o.sigalgs_len; i += 2)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%02x%02x", i ? "," : "_",
		                      p.o.sigalgs[i], p.o.sigalgs[i + 1]);
	hex12(text, c);
	/* OpenSSL sends no GREASE, so every value counts. */
	snprintf(want, sizeof(want), "t13d%02zu%02zuh2_%s_%s", ncs, p.o.n_ext, b, c);
	CU_ASSERT_STRING_EQUAL(ja4, want);
	pair_close(&p);
}

/* ---- Compare helper --------------------------------------------------- */

static void
test_compare(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	struct peer_opts other_alpn = opt;
	static uint8_t hs1[HS_CAP], hs2[HS_CAP], hs3[HS_CAP], hs4[HS_CAP];
	static struct bytes altered;
	struct tls_client_hello a, a_alt, b, c;
	struct tls_hello_cmp cmp;
	struct pair p, q, r;
	uint8_t *at;

	other_alpn.alpn = (const unsigned char *)"\x08http/1.1";
	other_alpn.alpn_len = 9;
	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	CU_ASSERT_TRUE_FATAL(pair_open(&q, &opt));
	CU_ASSERT_TRUE_FATAL(pair_open(&r, &other_alpn));
	pair_hello(&p);
	pair_hello(&q);
	pair_hello(&r);
	CU_ASSERT_EQUAL_FATAL(ch_of(p.c2s.b, p.c2s.len, hs1, &a), TLS_OK);
	CU_ASSERT_EQUAL_FATAL(ch_of(q.c2s.b, q.c2s.len, hs2, &b), TLS_OK);
	CU_ASSERT_EQUAL_FATAL(ch_of(r.c2s.b, r.c2s.len, hs3, &c), TLS_OK);
	/* The same hello with one letter of the server name changed: what an
	 * SNI-rewriting middlebox would forward. */
	altered = p.c2s;
	at = memmem(altered.b, altered.len, "portal", 6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at[0] = 'q';
	CU_ASSERT_EQUAL_FATAL(ch_of(altered.b, altered.len, hs4, &a_alt), TLS_OK);

	tls_hello_compare(&a, &a, &cmp);
	CU_ASSERT_TRUE(cmp.same_random && cmp.same_sni && cmp.same_ja4);
	tls_hello_compare(&a, &a_alt, &cmp);
	CU_ASSERT_TRUE(cmp.same_random);
	CU_ASSERT_FALSE(cmp.same_sni);
	CU_ASSERT_TRUE(cmp.same_ja4);      /* JA4 has "d", not the name */
	tls_hello_compare(&a, &b, &cmp);
	CU_ASSERT_FALSE(cmp.same_random);  /* another connection */
	CU_ASSERT_TRUE(cmp.same_sni);
	CU_ASSERT_TRUE(cmp.same_ja4);
	tls_hello_compare(&a, &c, &cmp);
	CU_ASSERT_FALSE(cmp.same_ja4);     /* ALPN h1 instead of h2 */
	pair_close(&p);
	pair_close(&q);
	pair_close(&r);
}

/* ---- Server side ------------------------------------------------------ */

static enum tls_res
sf_of(const uint8_t *b, size_t len, uint8_t *hs, struct tls_server_flight *sf)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum tls_res r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	memcpy(copy, b, len);
	r = tls_server_flight_from_stream(copy, len, hs, HS_CAP, sf, NULL);
	free(copy);
	return r;
}

static bool
der_is(struct tls_slice s, X509 *x)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	bool eq = n > 0 && (size_t)n == s.len && memcmp(der, s.p, s.len) == 0;

	OPENSSL_free(der);
	return eq;
}

/* The end of the record that completes the Certificate message (the
 * second handshake message, after the ServerHello). */
static size_t
cert_record_end(const struct bytes *s2c)
{
	static uint8_t hs[HS_CAP];
	struct tls_record rec;
	struct tls_flight f;
	struct tls_hs_msg m;
	size_t off = 0, o;

	while (tls_record_next(s2c->b, s2c->len, &off, &rec, NULL) == TLS_OK) {
		o = 0;
		if (tls_flight_read(s2c->b, off, hs, HS_CAP, &f, NULL) == TLS_OK &&
		    tls_hs_next(hs, f.hs_len, &o, &m, NULL) == TLS_OK &&
		    tls_hs_next(hs, f.hs_len, &o, &m, NULL) == TLS_OK)
			return off;
	}
	return 0;
}

static void
test_server_tls12_certificate(void)
{
	struct peer_opts opt = { .smax = TLS1_2_VERSION, .sni = "portal.example.test" };
	static uint8_t hs[HS_CAP];
	struct tls_server_flight sf;
	uint8_t srandom[32];
	struct pair p;
	size_t i, end, bad = 0;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_run(&p);
	CU_ASSERT_EQUAL(SSL_is_init_finished(p.c), 1);
	CU_ASSERT_EQUAL_FATAL(sf_of(p.s2c.b, p.s2c.len, hs, &sf), TLS_OK);
	CU_ASSERT_TRUE(sf.has_hello);
	CU_ASSERT_FALSE(sf.hello.hrr);
	CU_ASSERT_EQUAL(sf.hello.version, TLS_V12);
	SSL_get_server_random(p.c, srandom, sizeof(srandom));
	CU_ASSERT_EQUAL(memcmp(sf.hello.random, srandom, 32), 0);
	CU_ASSERT_EQUAL(sf.hello.cipher, SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(p.c)));
	CU_ASSERT_TRUE(sf.has_cert);
	CU_ASSERT_EQUAL_FATAL(sf.n_certs, 2);
	CU_ASSERT_TRUE(der_is(sf.certs[0], p.leaf));
	CU_ASSERT_TRUE(der_is(sf.certs[1], p.extra));
	CU_ASSERT_FALSE(sf.has_alert);

	/* Cut anywhere before the Certificate is whole: more is wanted; after
	 * it: the same answer. */
	end = cert_record_end(&p.s2c);
	CU_ASSERT_FATAL(end > 0);
	for (i = 0; i < p.s2c.len; i++) {
		enum tls_res r = sf_of(p.s2c.b, i, hs, &sf);

		bad += i < end ? r != TLS_NEED_MORE : (r != TLS_OK || sf.n_certs != 2);
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* Every byte mutated: any answer but a crash. */
	for (i = 0; i < p.s2c.len && i < 4096; i++) {
		static struct bytes m;

		m = p.s2c;
		m.b[i] ^= 0xff;
		sf_of(m.b, m.len, hs, &sf);
	}
	pair_close(&p);
}

static void
test_server_tls13(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	static uint8_t hs[HS_CAP];
	struct tls_server_flight sf;
	uint8_t srandom[32];
	struct pair p;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_run(&p);
	CU_ASSERT_EQUAL(sf_of(p.s2c.b, p.s2c.len, hs, &sf), TLS_OK);
	CU_ASSERT_TRUE(sf.has_hello);
	CU_ASSERT_EQUAL(sf.hello.legacy_version, TLS_V12);
	CU_ASSERT_EQUAL(sf.hello.version, TLS_V13);
	SSL_get_server_random(p.c, srandom, sizeof(srandom));
	CU_ASSERT_EQUAL(memcmp(sf.hello.random, srandom, 32), 0);
	CU_ASSERT_EQUAL(sf.hello.cipher, SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(p.c)));
	CU_ASSERT_FALSE(sf.has_cert);   /* encrypted in 1.3 */
	CU_ASSERT_FALSE(sf.hello.hrr);
	pair_close(&p);
}

static void
test_server_hrr(void)
{
	/* The client sends a key share for X25519 only; a server that takes
	 * only P-256 must ask again. */
	struct peer_opts opt = { .cgroups = "X25519:P-256", .sgroups = "P-256" };
	static uint8_t hs[HS_CAP];
	struct tls_server_flight sf;
	struct pair p;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_run(&p);
	CU_ASSERT_EQUAL(sf_of(p.s2c.b, p.s2c.len, hs, &sf), TLS_OK);
	CU_ASSERT_TRUE(sf.has_hello);
	CU_ASSERT_TRUE(sf.hello.hrr);
	CU_ASSERT_EQUAL(sf.hello.version, TLS_V13);
	pair_close(&p);
}

static void
test_server_alert(void)
{
	/* A 1.3-only client and a 1.2-only server: protocol_version. */
	struct peer_opts opt = { .cmin = TLS1_3_VERSION, .smax = TLS1_2_VERSION };
	static const uint8_t bad_alert[] = { 0x15, 0x03, 0x03, 0x00, 0x03, 0x02, 0x28, 0x00 };
	static uint8_t hs[HS_CAP];
	struct tls_server_flight sf;
	uint8_t level, desc;
	struct pair p;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_run(&p);
	CU_ASSERT_EQUAL(sf_of(p.s2c.b, p.s2c.len, hs, &sf), TLS_OK);
	CU_ASSERT_FALSE(sf.has_hello);
	CU_ASSERT_TRUE(sf.has_alert);
	CU_ASSERT_EQUAL(sf.alert_level, TLS_ALERT_FATAL);
	CU_ASSERT_EQUAL(sf.alert_desc, 70);
	CU_ASSERT_STRING_EQUAL(tls_alert_name(sf.alert_desc), "protocol_version");
	CU_ASSERT_PTR_NULL(tls_alert_name(255));
	CU_ASSERT_EQUAL(sf_of(bad_alert, sizeof(bad_alert), hs, &sf), TLS_MALFORMED);
	CU_ASSERT_EQUAL(tls_alert_parse((const uint8_t *)"\x03\x28", 2, &level, &desc, NULL),
	                TLS_MALFORMED);
	CU_ASSERT_EQUAL(tls_alert_parse((const uint8_t *)"\x01\x00", 2, &level, &desc, NULL), TLS_OK);
	CU_ASSERT_EQUAL(desc, 0);
	pair_close(&p);
}

static void
test_record_walk(void)
{
	/* A handshake record, a ChangeCipherSpec, then application data. */
	static const uint8_t s[] = {
		0x16, 0x03, 0x03, 0x00, 0x04, 0x0e, 0x00, 0x00, 0x00,
		0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
		0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb,
		0x17, 0x03, 0x03, 0x00, 0x09, 0xcc,
	};
	static uint8_t hs[64];
	struct tls_record rec;
	struct tls_flight f;
	struct tls_hs_msg m;
	size_t off = 0;

	CU_ASSERT_EQUAL(tls_record_next(s, sizeof(s), &off, &rec, NULL), TLS_OK);
	CU_ASSERT_EQUAL(rec.type, TLS_CT_HANDSHAKE);
	CU_ASSERT_EQUAL(rec.version, TLS_V12);
	CU_ASSERT_EQUAL(rec.body.len, 4);
	CU_ASSERT_EQUAL(tls_record_next(s, sizeof(s), &off, &rec, NULL), TLS_OK);
	CU_ASSERT_EQUAL(rec.type, TLS_CT_CCS);
	CU_ASSERT_EQUAL(tls_record_next(s, sizeof(s), &off, &rec, NULL), TLS_OK);
	CU_ASSERT_EQUAL(rec.type, TLS_CT_APPDATA);
	CU_ASSERT_EQUAL(tls_record_next(s, sizeof(s), &off, &rec, NULL), TLS_NEED_MORE);
	CU_ASSERT_EQUAL(off, 22);

	CU_ASSERT_EQUAL(tls_flight_read(s, sizeof(s), hs, sizeof(hs), &f, NULL), TLS_OK);
	CU_ASSERT_EQUAL(f.hs_len, 4);
	CU_ASSERT_TRUE(f.encrypted);
	CU_ASSERT_EQUAL(f.consumed, 9);
	off = 0;
	CU_ASSERT_EQUAL(tls_hs_next(hs, f.hs_len, &off, &m, NULL), TLS_OK);
	CU_ASSERT_EQUAL(m.type, TLS_HS_SERVER_HELLO_DONE);
	CU_ASSERT_EQUAL(m.body.len, 0);
	CU_ASSERT_EQUAL(tls_hs_next(hs, f.hs_len, &off, &m, NULL), TLS_NEED_MORE);
	/* A small buffer: what fits, and full says so. */
	CU_ASSERT_EQUAL(tls_flight_read(s, sizeof(s), hs, 3, &f, NULL), TLS_OK);
	CU_ASSERT_EQUAL(f.hs_len, 3);
	CU_ASSERT_TRUE(f.full);
	/* TLS then garbage. */
	{
		uint8_t g[sizeof(s)];

		memcpy(g, s, sizeof(s));
		g[9] = 0x47;
		CU_ASSERT_EQUAL(tls_flight_read(g, sizeof(g), hs, sizeof(hs), &f, NULL), TLS_MALFORMED);
	}
}

/* ---- TCP collector ---------------------------------------------------- */

struct seg {
	uint32_t seq;
	size_t   off, len;
};

static void
test_collector_out_of_order(void)
{
	struct peer_opts opt = { .sni = "portal.example.test", .alpn = alpn_h2_h11,
	                         .alpn_len = sizeof(alpn_h2_h11) - 1 };
	static uint8_t hs[HS_CAP];
	struct tls_client_hello ch;
	struct tcp_collect *c;
	struct seg segs[64];
	struct pair p;
	const uint8_t *d;
	size_t nseg = 0, off, i, len;
	/* Near the top of sequence space, so the stream wraps around 2^32. */
	const uint32_t isn = 0xffffff00u;

	CU_ASSERT_TRUE_FATAL(pair_open(&p, &opt));
	pair_hello(&p);
	for (off = 0; off < p.c2s.len && nseg < 64; off += 37, nseg++) {
		segs[nseg].off = off;
		segs[nseg].len = p.c2s.len - off < 37 ? p.c2s.len - off : 37;
		segs[nseg].seq = isn + 1 + (uint32_t)off;
	}
	CU_ASSERT_FATAL(nseg > 3 && nseg < 64);

	/* With the SYN first, segments reversed, each retransmitted, and an
	 * overlapping resegmented copy of the middle. */
	c = tcpc_new(16384);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	tcpc_add(c, isn, true, NULL, 0);
	for (i = nseg; i-- > 0;) {
		tcpc_add(c, segs[i].seq, false, p.c2s.b + segs[i].off, segs[i].len);
		d = tcpc_data(c, &len);
		if (i > 0)
			CU_ASSERT_EQUAL(len, 0);   /* the first segment is still missing */
	}
	tcpc_add(c, isn + 1 + 20, false, p.c2s.b + 20, 50);
	for (i = 0; i < nseg; i++)
		tcpc_add(c, segs[i].seq, false, p.c2s.b + segs[i].off, segs[i].len);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL_FATAL(len, p.c2s.len);
	CU_ASSERT_EQUAL(memcmp(d, p.c2s.b, len), 0);
	CU_ASSERT_EQUAL(tcpc_conflicts(c), 0);
	CU_ASSERT_TRUE(tcpc_has_syn(c));
	CU_ASSERT_EQUAL(ch_of(d, len, hs, &ch), TLS_OK);
	CU_ASSERT_TRUE(slice_is(ch.sni, "portal.example.test"));
	/* A retransmission that differs is counted, and the first copy kept. */
	{
		uint8_t x[10];

		memset(x, 0xee, sizeof(x));
		tcpc_add(c, isn + 1 + 5, false, x, sizeof(x));
		d = tcpc_data(c, &len);
		CU_ASSERT_EQUAL(tcpc_conflicts(c), 10);
		CU_ASSERT_EQUAL(memcmp(d, p.c2s.b, len), 0);
	}
	tcpc_free(c);

	/* Without a SYN: odd segments, then even ones backwards, the first
	 * last.  The start moves back to the earliest segment. */
	c = tcpc_new(16384);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (i = 1; i < nseg; i += 2)
		tcpc_add(c, segs[i].seq, false, p.c2s.b + segs[i].off, segs[i].len);
	for (i = (nseg - 1) & ~(size_t)1; i > 0; i -= 2)
		tcpc_add(c, segs[i].seq, false, p.c2s.b + segs[i].off, segs[i].len);
	/* So far the start is the first seq seen: segment 1's. */
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, p.c2s.len - segs[1].off);
	CU_ASSERT_EQUAL(memcmp(d, p.c2s.b + segs[1].off, len), 0);
	for (i = 0; i < nseg; i += 2)
		tcpc_add(c, segs[i].seq, false, p.c2s.b + segs[i].off, segs[i].len);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, p.c2s.len);
	CU_ASSERT_EQUAL(memcmp(d, p.c2s.b, p.c2s.len), 0);
	CU_ASSERT_FALSE(tcpc_has_syn(c));
	/* A SYN seen late fixes the start where it belongs. */
	tcpc_add(c, isn, true, NULL, 0);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, p.c2s.len);
	CU_ASSERT_EQUAL(memcmp(d, p.c2s.b, p.c2s.len), 0);
	tcpc_free(c);
	pair_close(&p);
}

static void
test_collector_limits(void)
{
	static uint8_t data[300];
	struct tcp_collect *c;
	const uint8_t *d;
	size_t len, i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	CU_ASSERT_PTR_NULL(tcpc_new(0));
	CU_ASSERT_PTR_NULL(tcpc_new(TCPC_MAX_LIMIT + 1));
	c = tcpc_new(100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, 0);
	/* Data on the SYN (TCP Fast Open) starts at seq + 1. */
	tcpc_add(c, 999, true, data, 10);
	tcpc_add(c, 1010, false, data + 10, 290);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, 100);   /* cut at the limit */
	CU_ASSERT_EQUAL(memcmp(d, data, 100), 0);
	/* Before the SYN's seq, and far beyond the limit: ignored. */
	tcpc_add(c, 900, false, data, 50);
	tcpc_add(c, 1000 + 5000, false, data, 50);
	tcpc_add(c, 1000 - 0x40000000u, false, data, 50);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, 100);
	CU_ASSERT_EQUAL(memcmp(d, data, 100), 0);
	CU_ASSERT_EQUAL(tcpc_conflicts(c), 0);
	tcpc_free(c);

	/* No SYN: an earlier segment that would push held bytes past the limit
	 * does not move the start. */
	c = tcpc_new(100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	tcpc_add(c, 5000, false, data, 80);
	tcpc_add(c, 4950, false, data, 10);
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, 80);
	CU_ASSERT_EQUAL(memcmp(d, data, 80), 0);
	tcpc_add(c, 4990, false, data + 100, 10);   /* fits: moves back 10 */
	d = tcpc_data(c, &len);
	CU_ASSERT_EQUAL(len, 90);
	CU_ASSERT_EQUAL(memcmp(d, data + 100, 10), 0);
	tcpc_free(c);
	tcpc_free(NULL);
}

int
register_tlsrec_tests(void)
{
	CU_pSuite s = CU_add_suite("tlsrec", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "ClientHello TLS 1.3 with SNI and ALPN", test_client_hello_tls13) ||
	    !CU_add_test(s, "ClientHello TLS 1.2 only", test_client_hello_tls12_only) ||
	    !CU_add_test(s, "ClientHello without SNI", test_client_hello_no_sni) ||
	    !CU_add_test(s, "ClientHello split across records", test_split_across_records) ||
	    !CU_add_test(s, "truncated at every length", test_truncated_everywhere) ||
	    !CU_add_test(s, "malformed lengths and mutations", test_malformed_lengths) ||
	    !CU_add_test(s, "not TLS", test_not_tls) ||
	    !CU_add_test(s, "JA4 of FoxIO's published example", test_ja4_published_foxio) ||
	    !CU_add_test(s, "JA4 of browserleaks' published example", test_ja4_published_browserleaks) ||
	    !CU_add_test(s, "JA4 edge cases of the spec", test_ja4_edges) ||
	    !CU_add_test(s, "JA4 of an OpenSSL hello", test_ja4_openssl_hello) ||
	    !CU_add_test(s, "compare sent and seen hellos", test_compare) ||
	    !CU_add_test(s, "ServerHello + Certificate, TLS 1.2", test_server_tls12_certificate) ||
	    !CU_add_test(s, "ServerHello TLS 1.3", test_server_tls13) ||
	    !CU_add_test(s, "HelloRetryRequest", test_server_hrr) ||
	    !CU_add_test(s, "alert instead of a hello", test_server_alert) ||
	    !CU_add_test(s, "record walk", test_record_walk) ||
	    !CU_add_test(s, "TCP collector, out of order", test_collector_out_of_order) ||
	    !CU_add_test(s, "TCP collector limits", test_collector_limits))
		return -1;
	return 0;
}
