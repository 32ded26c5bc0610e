#include "tls/tlsrec.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rd.h"

/* A failed parse says why in a few words; the caller may not want to know. */
static enum tls_res
fail(const char **why, enum tls_res res, const char *reason)
{
	if (why)
		*why = reason;
	return res;
}

const char *
tls_res_name(enum tls_res r)
{
	switch (r) {
	case TLS_OK:        return "ok";
	case TLS_NEED_MORE: return "need-more";
	case TLS_NOT_TLS:   return "not-tls";
	case TLS_MALFORMED: return "malformed";
	}
	return "?";
}

uint16_t
tls_u16_at(struct tls_u16s l, size_t i)
{
	if (i >= l.n || !l.p)
		return 0;
	return (uint16_t)((unsigned)l.p[2 * i] << 8 | l.p[2 * i + 1]);
}

bool
tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static uint32_t
rd_be24(struct rd *r)
{
	uint32_t hi = rd_u8(r);

	return hi << 16 | rd_be16(r);
}

static struct tls_slice
slice_of(const struct rd *r)
{
	struct tls_slice s = { .p = r->len ? r->p + r->off : NULL, .len = rd_left(r) };

	return s;
}

/* ---- Records ---------------------------------------------------------- */

static bool
known_content_type(uint8_t t)
{
	return t >= TLS_CT_CCS && t <= TLS_CT_HEARTBEAT;
}

enum tls_res
tls_record_next(const uint8_t *stream, size_t len, size_t *off, struct tls_record *out,
                const char **why)
{
	const uint8_t *p;
	size_t left, blen;

	memset(out, 0, sizeof(*out));
	if (!stream || *off >= len)
		return fail(why, TLS_NEED_MORE, "no record yet");
	p = stream + *off;
	left = len - *off;
	/* Each header byte that is there must already look like TLS, so that
	 * a stream of something else is told apart after its first byte. */
	if (!known_content_type(p[0]))
		return fail(why, TLS_NOT_TLS, "unknown record content type");
	if (left >= 2 && p[1] != 3)
		return fail(why, TLS_NOT_TLS, "record version is not 3.x");
	if (left >= 3 && p[2] > 4)
		return fail(why, TLS_NOT_TLS, "record version above 3.4");
	if (left < 5)
		return fail(why, TLS_NEED_MORE, "record header cut");
	blen = (size_t)p[3] << 8 | p[4];
	if (blen > TLS_MAX_RECORD)
		return fail(why, TLS_MALFORMED, "record longer than 18432 bytes");
	/* RFC 8446 5.1: no zero-length handshake or alert fragments. */
	if (blen == 0 && p[0] != TLS_CT_APPDATA)
		return fail(why, TLS_MALFORMED, "empty record");
	if (left - 5 < blen)
		return fail(why, TLS_NEED_MORE, "record cut");
	out->type = p[0];
	out->version = (uint16_t)(p[1] << 8 | p[2]);
	out->body.p = p + 5;
	out->body.len = blen;
	*off += 5 + blen;
	return TLS_OK;
}

/* Appends a handshake record's body to hs, as much as fits. */
static void
flight_take(const struct tls_record *rec, uint8_t *hs, size_t cap, struct tls_flight *f)
{
	size_t n = rec->body.len;

	if (n > cap - f->hs_len) {
		n = cap - f->hs_len;
		f->full = true;
	}
	if (n)
		memcpy(hs + f->hs_len, rec->body.p, n);
	f->hs_len += n;
}

enum tls_res
tls_flight_read(const uint8_t *stream, size_t len, uint8_t *hs, size_t cap,
                struct tls_flight *out, const char **why)
{
	struct tls_record rec;
	enum tls_res r;
	size_t off = 0;
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (!hs)
		cap = 0;
	for (;;) {
		r = tls_record_next(stream, len, &off, &rec, why);
		if (r == TLS_NEED_MORE) {
			if (!any)
				return r;
			out->cut = off < len;
			return TLS_OK;
		}
		if (r == TLS_NOT_TLS && any)
			return fail(why, TLS_MALFORMED, "a record that is not TLS after TLS records");
		if (r != TLS_OK)
			return r;
		if (!any)
			out->rec_version = rec.version;
		any = true;
		if (rec.type == TLS_CT_CCS || rec.type == TLS_CT_APPDATA) {
			out->encrypted = true;
			return TLS_OK;
		}
		out->consumed = off;
		if (rec.type == TLS_CT_ALERT) {
			r = tls_alert_parse(rec.body.p, rec.body.len, &out->alert_level,
			                    &out->alert_desc, why);
			if (r != TLS_OK)
				return r;
			out->has_alert = true;
			return TLS_OK;
		}
		if (rec.type == TLS_CT_HANDSHAKE) {
			flight_take(&rec, hs, cap, out);
			if (out->full)
				return TLS_OK;
		}
	}
}

/* ---- Handshake messages ----------------------------------------------- */

/* As tls_hs_next, but a cut message still reports its type and the length
 * it claims (body.p NULL), so a caller can tell "more to come" from "more
 * than the buffer will ever hold". */
static enum tls_res
hs_next(const uint8_t *hs, size_t len, size_t *off, struct tls_hs_msg *out, const char **why)
{
	struct rd r;
	uint32_t mlen;

	memset(out, 0, sizeof(*out));
	if (!hs || *off >= len)
		return fail(why, TLS_NEED_MORE, "no handshake message yet");
	r = rd_init(hs + *off, len - *off);
	out->type = rd_u8(&r);
	mlen = rd_be24(&r);
	if (!rd_ok(&r))
		return fail(why, TLS_NEED_MORE, "handshake header cut");
	out->body.len = mlen;
	if (rd_left(&r) < mlen)
		return fail(why, TLS_NEED_MORE, "handshake message cut");
	out->body.p = hs + *off + 4;
	*off += 4 + (size_t)mlen;
	return TLS_OK;
}

enum tls_res
tls_hs_next(const uint8_t *hs, size_t len, size_t *off, struct tls_hs_msg *out, const char **why)
{
	enum tls_res r = hs_next(hs, len, off, out, why);

	if (r != TLS_OK)
		memset(out, 0, sizeof(*out));
	return r;
}

/* The first handshake message of a flight; a cut one is NEED_MORE unless
 * the flight cannot grow it: it stopped at encrypted records or an alert, or
 * the message is larger than the buffer. */
static enum tls_res
flight_first(const uint8_t *hs, size_t cap, const struct tls_flight *f, size_t *off,
             struct tls_hs_msg *m, const char **why)
{
	enum tls_res r = hs_next(hs, f->hs_len, off, m, why);

	if (r != TLS_NEED_MORE)
		return r;
	if (f->full || (f->hs_len >= 4 && m->body.len > cap - 4))
		return fail(why, TLS_MALFORMED, "handshake message larger than the buffer");
	if (f->encrypted)
		return fail(why, TLS_MALFORMED, "handshake message cut by encrypted records");
	if (f->has_alert)
		return fail(why, TLS_MALFORMED, "handshake message cut by an alert");
	return r;
}

/* The flight's first message, which must be a type (a ClientHello or a
 * ServerHello): the type is known as soon as the handshake header is
 * there. */
static enum tls_res
first_of_type(const uint8_t *hs, size_t cap, const struct tls_flight *f, size_t *off,
              struct tls_hs_msg *m, uint8_t type, const char **why)
{
	enum tls_res r = flight_first(hs, cap, f, off, m, why);

	if ((r == TLS_OK || r == TLS_NEED_MORE) && f->hs_len >= 4 && m->type != type)
		return fail(why, TLS_NOT_TLS, type == TLS_HS_CLIENT_HELLO ?
		    "first handshake message is not a ClientHello" :
		    "first handshake message is not a ServerHello");
	return r;
}

/* ---- ClientHello ------------------------------------------------------ */

/* A list of 16-bit values behind a length of lenbytes (1 or 2) bytes that
 * must fill the extension exactly. */
static enum tls_res
u16_list(struct rd *ext, int lenbytes, struct tls_u16s *out, const char **why,
         const char *odd, const char *bad)
{
	size_t n = lenbytes == 1 ? rd_u8(ext) : rd_be16(ext);
	struct rd l;

	if (!rd_ok(ext) || n != rd_left(ext))
		return fail(why, TLS_MALFORMED, bad);
	if (n % 2)
		return fail(why, TLS_MALFORMED, odd);
	l = rd_sub(ext, n);
	out->p = slice_of(&l).p;
	out->n = n / 2;
	return TLS_OK;
}

static enum tls_res
parse_sni(struct rd *ext, struct tls_client_hello *ch, const char **why)
{
	size_t n;
	struct rd list;

	/* An empty server_name extension is what servers echo; from a client
	 * it names nothing. */
	if (rd_left(ext) == 0)
		return TLS_OK;
	n = rd_be16(ext);
	if (!rd_ok(ext) || n != rd_left(ext))
		return fail(why, TLS_MALFORMED, "server_name list length wrong");
	list = rd_sub(ext, n);
	while (rd_left(&list) > 0) {
		uint8_t type = rd_u8(&list);
		size_t nlen = rd_be16(&list);
		struct rd name = rd_sub(&list, nlen);

		if (!rd_ok(&list))
			return fail(why, TLS_MALFORMED, "server_name entry cut");
		if (type == 0 && !ch->has_sni) {
			ch->has_sni = true;
			ch->sni = slice_of(&name);
		}
	}
	return TLS_OK;
}

static enum tls_res
parse_alpn_list(struct rd *ext, struct tls_slice *names, size_t max, size_t *count,
                const char **why)
{
	size_t n = rd_be16(ext);
	struct rd list;

	*count = 0;
	if (!rd_ok(ext) || n != rd_left(ext))
		return fail(why, TLS_MALFORMED, "ALPN list length wrong");
	list = rd_sub(ext, n);
	while (rd_left(&list) > 0) {
		size_t plen = rd_u8(&list);
		struct rd name = rd_sub(&list, plen);

		if (!rd_ok(&list))
			return fail(why, TLS_MALFORMED, "ALPN protocol name cut");
		if (*count == max)
			return fail(why, TLS_MALFORMED, "too many ALPN protocols");
		names[(*count)++] = slice_of(&name);
	}
	return TLS_OK;
}

static enum tls_res
client_ext(uint16_t type, struct rd *ext, struct tls_client_hello *ch, const char **why)
{
	switch (type) {
	case TLS_EXT_SNI:
		return parse_sni(ext, ch, why);
	case TLS_EXT_VERSIONS:
		return u16_list(ext, 1, &ch->versions, why, "supported_versions length is odd",
		                "supported_versions length wrong");
	case TLS_EXT_SIGALGS:
		return u16_list(ext, 2, &ch->sigalgs, why, "signature_algorithms length is odd",
		                "signature_algorithms length wrong");
	case TLS_EXT_GROUPS:
		return u16_list(ext, 2, &ch->groups, why, "supported_groups length is odd",
		                "supported_groups length wrong");
	case TLS_EXT_ALPN:
		return parse_alpn_list(ext, ch->alpn, TLS_MAX_ALPN, &ch->n_alpn, why);
	default:
		return TLS_OK;
	}
}

/* Walks an extension block; the first occurrence of a repeated type is the
 * one decoded (RFC 8446 forbids repeats; we record, we do not judge). */
static enum tls_res
walk_exts(struct rd *r, uint16_t *types, size_t *n_ext,
          enum tls_res (*decode)(uint16_t, struct rd *, void *, const char **), void *ctx,
          const char **why)
{
	size_t total, i;
	struct rd block;

	*n_ext = 0;
	if (rd_left(r) == 0)
		return TLS_OK;  /* hellos before RFC 3546 have no extensions */
	total = rd_be16(r);
	if (!rd_ok(r) || total > rd_left(r))
		return fail(why, TLS_MALFORMED, "extensions length past the message");
	if (total < rd_left(r))
		return fail(why, TLS_MALFORMED, "bytes after the extensions");
	block = rd_sub(r, total);
	while (rd_left(&block) > 0) {
		uint16_t type = rd_be16(&block);
		size_t elen = rd_be16(&block);
		struct rd ext = rd_sub(&block, elen);
		bool seen = false;
		enum tls_res res;

		if (!rd_ok(&block))
			return fail(why, TLS_MALFORMED, "extension cut");
		if (*n_ext == TLS_MAX_EXTS)
			return fail(why, TLS_MALFORMED, "more than 128 extensions");
		for (i = 0; i < *n_ext && !seen; i++)
			seen = types[i] == type;
		types[(*n_ext)++] = type;
		if (seen)
			continue;
		res = decode(type, &ext, ctx, why);
		if (res != TLS_OK)
			return res;
	}
	return TLS_OK;
}

static enum tls_res
client_ext_cb(uint16_t type, struct rd *ext, void *ctx, const char **why)
{
	return client_ext(type, ext, ctx, why);
}

/* What both hellos begin with: version, random and session id. */
static enum tls_res
hello_head(struct rd *r, uint16_t *version, uint8_t random[TLS_RANDOM_LEN], struct rd *sid,
           const char **why)
{
	size_t n;

	*version = rd_be16(r);
	rd_bytes(r, random, TLS_RANDOM_LEN);
	n = rd_u8(r);
	if (rd_ok(r) && n > 32)
		return fail(why, TLS_MALFORMED, "session id longer than 32 bytes");
	*sid = rd_sub(r, n);
	return TLS_OK;
}

enum tls_res
tls_client_hello_parse(const uint8_t *body, size_t len, struct tls_client_hello *ch,
                       const char **why)
{
	struct rd r = rd_init(body, len), sid, cs, comp;
	size_t n;

	memset(ch, 0, sizeof(*ch));
	if (hello_head(&r, &ch->legacy_version, ch->random, &sid, why) != TLS_OK)
		return TLS_MALFORMED;
	n = rd_be16(&r);
	if (rd_ok(&r) && n % 2)
		return fail(why, TLS_MALFORMED, "cipher suite list length is odd");
	cs = rd_sub(&r, n);
	n = rd_u8(&r);
	comp = rd_sub(&r, n);
	if (!rd_ok(&r))
		return fail(why, TLS_MALFORMED, "ClientHello cut before its extensions");
	ch->session_id = slice_of(&sid);
	ch->ciphers.p = slice_of(&cs).p;
	ch->ciphers.n = rd_left(&cs) / 2;
	ch->compression = slice_of(&comp);
	return walk_exts(&r, ch->ext_types, &ch->n_ext, client_ext_cb, ch, why);
}

enum tls_res
tls_client_hello_from_stream(const uint8_t *stream, size_t len, uint8_t *hs, size_t cap,
                             struct tls_client_hello *out, const char **why)
{
	struct tls_flight f;
	struct tls_hs_msg m;
	size_t off = 0;
	enum tls_res r;

	memset(out, 0, sizeof(*out));
	r = tls_flight_read(stream, len, hs, cap, &f, why);
	if (r != TLS_OK)
		return r;
	r = first_of_type(hs, cap, &f, &off, &m, TLS_HS_CLIENT_HELLO, why);
	if (r != TLS_OK)
		return r;
	return tls_client_hello_parse(m.body.p, m.body.len, out, why);
}

uint16_t
tls_client_version(const struct tls_client_hello *ch)
{
	uint16_t best = 0, v;
	size_t i;

	for (i = 0; i < ch->versions.n; i++) {
		v = tls_u16_at(ch->versions, i);
		if (!tls_is_grease(v) && v > best)
			best = v;
	}
	return best ? best : ch->legacy_version;
}

bool
tls_sni_str(const struct tls_client_hello *ch, char *buf, size_t cap)
{
	if (cap)
		buf[0] = '\0';
	if (!ch->has_sni || ch->sni.len >= cap || (ch->sni.len && memchr(ch->sni.p, 0, ch->sni.len)))
		return false;
	if (ch->sni.len)
		memcpy(buf, ch->sni.p, ch->sni.len);
	buf[ch->sni.len] = '\0';
	return true;
}

/* ---- JA4 -------------------------------------------------------------- */

static const char *
ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default:     return "00";
	}
}

static bool
ascii_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The first ALPN value's first and last characters; when either is not an
 * ASCII letter or digit, the first and last hex digits of the value. */
static void
ja4_alpn(const struct tls_client_hello *ch, char out[3])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t a, z;

	out[0] = out[1] = '0';
	out[2] = '\0';
	if (ch->n_alpn == 0 || ch->alpn[0].len == 0)
		return;
	a = ch->alpn[0].p[0];
	z = ch->alpn[0].p[ch->alpn[0].len - 1];
	if (ascii_alnum(a) && ascii_alnum(z)) {
		out[0] = (char)a;
		out[1] = (char)z;
	} else {
		out[0] = hex[a >> 4];
		out[1] = hex[z & 0xf];
	}
}

static int
cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/* Hashes "xxxx,xxxx,..." of n values, preceded by sep (if any). */
static int
hash_list(EVP_MD_CTX *md, const char *sep, const uint16_t *v, size_t n)
{
	char item[6];
	size_t i;

	if (sep && EVP_DigestUpdate(md, sep, strlen(sep)) != 1)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(item, sizeof(item), "%s%04x", i ? "," : "", (unsigned)v[i]);
		if (EVP_DigestUpdate(md, item, strlen(item)) != 1)
			return -1;
	}
	return 0;
}

/* The first 12 hex digits of SHA-256 over one or two lists (b may be
 * empty: then no underscore), or twelve zeros when a is empty. */
static int
ja4_hash(const uint16_t *a, size_t na, const uint16_t *b, size_t nb, char out[13])
{
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0, i;
	EVP_MD_CTX *md;
	int rc = -1;

	memcpy(out, "000000000000", 13);
	if (na == 0)
		return 0;
	md = EVP_MD_CTX_new();
	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    hash_list(md, NULL, a, na) == 0 && (nb == 0 || hash_list(md, "_", b, nb) == 0) &&
	    EVP_DigestFinal_ex(md, dig, &dlen) == 1 && dlen >= 6) {
		for (i = 0; i < 6; i++)
			snprintf(out + 2 * i, 3, "%02x", dig[i]);
		rc = 0;
	}
	EVP_MD_CTX_free(md);
	return rc;
}

/* The non-GREASE values of a list, optionally without SNI and ALPN. */
static size_t
ja4_filter(struct tls_u16s l, const uint16_t *arr, size_t n, bool drop_sni_alpn, uint16_t *out)
{
	size_t i, k = 0;
	uint16_t v;

	for (i = 0; i < n; i++) {
		v = arr ? arr[i] : tls_u16_at(l, i);
		if (tls_is_grease(v))
			continue;
		if (drop_sni_alpn && (v == TLS_EXT_SNI || v == TLS_EXT_ALPN))
			continue;
		out[k++] = v;
	}
	return k;
}

static bool
has_ext(const struct tls_client_hello *ch, uint16_t type)
{
	size_t i;

	for (i = 0; i < ch->n_ext; i++)
		if (ch->ext_types[i] == type)
			return true;
	return false;
}

int
tls_ja4(const struct tls_client_hello *ch, char out[TLS_JA4_SIZE])
{
	struct tls_u16s none = { NULL, 0 };
	uint16_t exts[TLS_MAX_EXTS], *ciphers, *sigalgs;
	size_t nc, ne, nx, ns;
	char alpn[3], hb[13], hc[13];
	int rc = -1;

	out[0] = '\0';
	/* One allocation for both lists: a hello may carry 32767 ciphers. */
	ciphers = malloc((ch->ciphers.n + ch->sigalgs.n + 1) * sizeof(uint16_t));
	if (!ciphers)
		return -1;
	sigalgs = ciphers + ch->ciphers.n;
	nc = ja4_filter(ch->ciphers, NULL, ch->ciphers.n, false, ciphers);
	ns = ja4_filter(ch->sigalgs, NULL, ch->sigalgs.n, false, sigalgs);
	nx = ja4_filter(none, ch->ext_types, ch->n_ext, false, exts);
	ne = ja4_filter(none, ch->ext_types, ch->n_ext, true, exts);
	qsort(ciphers, nc, sizeof(uint16_t), cmp_u16);
	qsort(exts, ne, sizeof(uint16_t), cmp_u16);
	ja4_alpn(ch, alpn);
	if (ja4_hash(ciphers, nc, NULL, 0, hb) == 0 && ja4_hash(exts, ne, sigalgs, ns, hc) == 0) {
		snprintf(out, TLS_JA4_SIZE, "t%s%c%02u%02u%s_%s_%s",
		         ja4_version(tls_client_version(ch)), has_ext(ch, TLS_EXT_SNI) ? 'd' : 'i',
		         (unsigned)(nc > 99 ? 99 : nc), (unsigned)(nx > 99 ? 99 : nx), alpn, hb, hc);
		rc = 0;
	}
	free(ciphers);
	return rc;
}

void
tls_hello_compare(const struct tls_client_hello *a, const struct tls_client_hello *b,
                  struct tls_hello_cmp *out)
{
	char ja[TLS_JA4_SIZE], jb[TLS_JA4_SIZE];

	out->same_random = memcmp(a->random, b->random, TLS_RANDOM_LEN) == 0;
	out->same_sni = a->has_sni == b->has_sni &&
	                (!a->has_sni || (a->sni.len == b->sni.len &&
	                                 (a->sni.len == 0 || memcmp(a->sni.p, b->sni.p, a->sni.len) == 0)));
	out->same_ja4 = tls_ja4(a, ja) == 0 && tls_ja4(b, jb) == 0 && strcmp(ja, jb) == 0;
}

/* ---- ServerHello ------------------------------------------------------ */

/* SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest. */
static const uint8_t hrr_random[TLS_RANDOM_LEN] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static enum tls_res
server_ext_cb(uint16_t type, struct rd *ext, void *ctx, const char **why)
{
	struct tls_server_hello *sh = ctx;
	size_t n;

	if (type == TLS_EXT_VERSIONS) {
		sh->version = rd_be16(ext);
		if (!rd_ok(ext) || rd_left(ext) != 0)
			return fail(why, TLS_MALFORMED, "selected version length wrong");
	} else if (type == TLS_EXT_ALPN) {
		struct tls_slice one[1];

		if (parse_alpn_list(ext, one, 1, &n, why) != TLS_OK || n != 1)
			return fail(why, TLS_MALFORMED, "server ALPN is not exactly one protocol");
		sh->alpn = one[0];
	}
	return TLS_OK;
}

enum tls_res
tls_server_hello_parse(const uint8_t *body, size_t len, struct tls_server_hello *sh,
                       const char **why)
{
	struct rd r = rd_init(body, len), sid;

	memset(sh, 0, sizeof(*sh));
	if (hello_head(&r, &sh->legacy_version, sh->random, &sid, why) != TLS_OK)
		return TLS_MALFORMED;
	sh->cipher = rd_be16(&r);
	sh->compression = rd_u8(&r);
	if (!rd_ok(&r))
		return fail(why, TLS_MALFORMED, "ServerHello cut before its extensions");
	sh->session_id = slice_of(&sid);
	sh->hrr = memcmp(sh->random, hrr_random, TLS_RANDOM_LEN) == 0;
	sh->version = sh->legacy_version;
	return walk_exts(&r, sh->ext_types, &sh->n_ext, server_ext_cb, sh, why);
}

/* ---- Certificate and Alert -------------------------------------------- */

enum tls_res
tls_certificate_parse(const uint8_t *body, size_t len, struct tls_slice *der, size_t max,
                      size_t *n, const char **why)
{
	struct rd r = rd_init(body, len), list;
	size_t total;

	*n = 0;
	total = rd_be24(&r);
	if (!rd_ok(&r) || total != rd_left(&r))
		return fail(why, TLS_MALFORMED, "certificate list length wrong");
	list = rd_sub(&r, total);
	while (rd_left(&list) > 0) {
		size_t clen = rd_be24(&list);
		struct rd cert = rd_sub(&list, clen);

		if (!rd_ok(&list))
			return fail(why, TLS_MALFORMED, "certificate cut");
		if (clen == 0)
			return fail(why, TLS_MALFORMED, "empty certificate");
		if (*n < max && der)
			der[*n] = slice_of(&cert);
		(*n)++;
	}
	return TLS_OK;
}

enum tls_res
tls_alert_parse(const uint8_t *body, size_t len, uint8_t *level, uint8_t *desc,
                const char **why)
{
	*level = *desc = 0;
	if (!body || len != 2)
		return fail(why, TLS_MALFORMED, "alert is not two bytes");
	if (body[0] != TLS_ALERT_WARNING && body[0] != TLS_ALERT_FATAL)
		return fail(why, TLS_MALFORMED, "alert level is neither warning nor fatal");
	*level = body[0];
	*desc = body[1];
	return TLS_OK;
}

const char *
tls_alert_name(uint8_t desc)
{
	static const struct { uint8_t d; const char *name; } names[] = {
		{ 0, "close_notify" }, { 10, "unexpected_message" }, { 20, "bad_record_mac" },
		{ 21, "decryption_failed" }, { 22, "record_overflow" },
		{ 30, "decompression_failure" }, { 40, "handshake_failure" },
		{ 41, "no_certificate" }, { 42, "bad_certificate" },
		{ 43, "unsupported_certificate" }, { 44, "certificate_revoked" },
		{ 45, "certificate_expired" }, { 46, "certificate_unknown" },
		{ 47, "illegal_parameter" }, { 48, "unknown_ca" }, { 49, "access_denied" },
		{ 50, "decode_error" }, { 51, "decrypt_error" }, { 60, "export_restriction" },
		{ 70, "protocol_version" }, { 71, "insufficient_security" },
		{ 80, "internal_error" }, { 86, "inappropriate_fallback" },
		{ 90, "user_canceled" }, { 100, "no_renegotiation" }, { 109, "missing_extension" },
		{ 110, "unsupported_extension" }, { 111, "certificate_unobtainable" },
		{ 112, "unrecognized_name" }, { 113, "bad_certificate_status_response" },
		{ 114, "bad_certificate_hash_value" }, { 115, "unknown_psk_identity" },
		{ 116, "certificate_required" }, { 120, "no_application_protocol" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].d == desc)
			return names[i].name;
	return NULL;
}

/* After a TLS 1.2 ServerHello: the Certificate, if the next message is one.
 * A resumed session (ChangeCipherSpec next) or an anonymous suite (another
 * message next) has none; that is an answer too. */
static enum tls_res
server_cert(const uint8_t *hs, size_t cap, const struct tls_flight *f, size_t off,
            struct tls_server_flight *out, const char **why)
{
	struct tls_hs_msg m;
	enum tls_res r = hs_next(hs, f->hs_len, &off, &m, why);

	if (r == TLS_NEED_MORE) {
		if (f->full || (f->hs_len - off >= 4 && m.body.len > cap - 4))
			return fail(why, TLS_MALFORMED, "Certificate larger than the buffer");
		if (f->encrypted || f->has_alert)
			return TLS_OK;
		return r;
	}
	if (m.type != TLS_HS_CERTIFICATE)
		return TLS_OK;
	r = tls_certificate_parse(m.body.p, m.body.len, out->certs, TLS_MAX_CHAIN,
	                          &out->n_certs, why);
	out->has_cert = r == TLS_OK;
	return r;
}

enum tls_res
tls_server_flight_from_stream(const uint8_t *stream, size_t len, uint8_t *hs, size_t cap,
                              struct tls_server_flight *out, const char **why)
{
	struct tls_flight f;
	struct tls_hs_msg m;
	size_t off = 0;
	enum tls_res r;

	memset(out, 0, sizeof(*out));
	r = tls_flight_read(stream, len, hs, cap, &f, why);
	if (r != TLS_OK)
		return r;
	out->has_alert = f.has_alert;
	out->alert_level = f.alert_level;
	out->alert_desc = f.alert_desc;
	if (f.hs_len == 0 && f.has_alert)
		return TLS_OK;  /* refused before any hello */
	r = first_of_type(hs, cap, &f, &off, &m, TLS_HS_SERVER_HELLO, why);
	if (r != TLS_OK)
		return r;
	r = tls_server_hello_parse(m.body.p, m.body.len, &out->hello, why);
	if (r != TLS_OK)
		return r;
	out->has_hello = true;
	/* From TLS 1.3 on, and after a HelloRetryRequest, the certificate (if
	 * any) is encrypted. */
	if (out->hello.hrr || out->hello.version >= TLS_V13)
		return TLS_OK;
	return server_cert(hs, cap, &f, off, out, why);
}

/* ---- TCP stream collector --------------------------------------------- */

struct tcp_collect {
	size_t   limit;
	uint8_t *buf;
	uint8_t *have;       /* one bit per byte of buf */
	bool     has_base, syn;
	uint32_t base;       /* sequence number of buf[0] */
	size_t   contig;     /* bytes in order from buf[0] */
	size_t   conflicts;
};

struct tcp_collect *
tcpc_new(size_t limit)
{
	struct tcp_collect *c;

	if (limit == 0 || limit > TCPC_MAX_LIMIT)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->limit = limit;
	c->buf = calloc(limit, 1);
	c->have = calloc(limit / 8 + 1, 1);
	if (!c->buf || !c->have) {
		tcpc_free(c);
		return NULL;
	}
	return c;
}

void
tcpc_free(struct tcp_collect *c)
{
	if (!c)
		return;
	free(c->buf);
	free(c->have);
	free(c);
}

static bool
have_get(const struct tcp_collect *c, size_t i)
{
	return c->have[i / 8] >> (i % 8) & 1;
}

static void
have_put(struct tcp_collect *c, size_t i, bool v)
{
	if (v)
		c->have[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		c->have[i / 8] &= (uint8_t)~(1u << (i % 8));
}

static void
recount(struct tcp_collect *c)
{
	while (c->contig < c->limit && have_get(c, c->contig))
		c->contig++;
}

/* Signed distance from a to b in sequence space (RFC 1982 arithmetic). */
static int64_t
seq_diff(uint32_t a, uint32_t b)
{
	uint32_t d = b - a;

	return d < 0x80000000u ? (int64_t)d : -(int64_t)(0x100000000ull - d);
}

/* Moves the start to seq: what is held shifts with it, and what falls
 * outside [0, limit) is dropped. */
static void
rebase(struct tcp_collect *c, uint32_t seq)
{
	int64_t d = seq_diff(c->base, seq);
	size_t i, k = (size_t)(d < 0 ? -d : d);

	c->base = seq;
	c->contig = 0;
	if (k >= c->limit) {
		memset(c->have, 0, c->limit / 8 + 1);
		return;
	}
	if (d > 0) {
		for (i = 0; i + k < c->limit; i++) {
			c->buf[i] = c->buf[i + k];
			have_put(c, i, have_get(c, i + k));
		}
		for (; i < c->limit; i++)
			have_put(c, i, false);
	} else if (d < 0) {
		for (i = c->limit; i-- > k;) {
			c->buf[i] = c->buf[i - k];
			have_put(c, i, have_get(c, i - k));
		}
		for (i = 0; i < k; i++)
			have_put(c, i, false);
	}
	recount(c);
}

/* The offset past the last byte held. */
static size_t
held_end(const struct tcp_collect *c)
{
	size_t i = c->limit;

	while (i > 0 && !have_get(c, i - 1))
		i--;
	return i;
}

/* Without a SYN the start is a guess: an earlier segment moves it back,
 * unless that would push held bytes past the limit. */
static void
maybe_extend_back(struct tcp_collect *c, uint32_t seq)
{
	int64_t d = seq_diff(seq, c->base);

	if (d > 0 && (uint64_t)d + held_end(c) <= c->limit)
		rebase(c, seq);
}

void
tcpc_add(struct tcp_collect *c, uint32_t seq, bool syn, const uint8_t *payload, size_t len)
{
	int64_t rel;
	size_t skip, off, n, i;

	if (syn) {
		seq++;
		if (!c->syn) {
			if (c->has_base)
				rebase(c, seq);
			c->base = seq;
			c->has_base = c->syn = true;
		}
	}
	if (!payload || len == 0)
		return;
	if (!c->has_base) {
		c->base = seq;
		c->has_base = true;
	} else if (!c->syn) {
		maybe_extend_back(c, seq);
	}
	rel = seq_diff(c->base, seq);
	skip = rel < 0 ? (size_t)-rel : 0;
	if (skip >= len || (rel > 0 && (uint64_t)rel >= c->limit))
		return;
	off = rel > 0 ? (size_t)rel : 0;
	n = len - skip;
	if (n > c->limit - off)
		n = c->limit - off;
	for (i = 0; i < n; i++) {
		if (!have_get(c, off + i)) {
			c->buf[off + i] = payload[skip + i];
			have_put(c, off + i, true);
		} else if (c->buf[off + i] != payload[skip + i]) {
			c->conflicts++;
		}
	}
	recount(c);
}

const uint8_t *
tcpc_data(const struct tcp_collect *c, size_t *len)
{
	*len = c->contig;
	return c->buf;
}

bool
tcpc_has_syn(const struct tcp_collect *c)
{
	return c->syn;
}

size_t
tcpc_conflicts(const struct tcp_collect *c)
{
	return c->conflicts;
}
