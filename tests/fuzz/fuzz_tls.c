/* Fuzz target for the TLS wire parser (tlsrec.h): what crosses the
 * firewall, and what a middlebox answers, is untrusted.  The first byte
 * picks the entry point; the rest is the input.  The seeds are real
 * streams written by OpenSSL (tests/fuzz/corpus/tls/). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tls/tlsrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Large enough for any record; small caps come from the input. */
static uint8_t hs[1 << 15];
/* Reads of the last byte of each slice land here, so they are not
 * optimised away. */
static volatile uint8_t sink;

static void
use_hello(const struct tls_client_hello *ch)
{
	char ja4[TLS_JA4_SIZE], sni[256];
	struct tls_hello_cmp cmp;
	size_t i;

	tls_ja4(ch, ja4);
	tls_sni_str(ch, sni, sizeof(sni));
	tls_hello_compare(ch, ch, &cmp);
	tls_client_version(ch);
	/* Touch every value the lists claim, so a slice that overstates its
	 * length shows up under ASan. */
	for (i = 0; i < ch->ciphers.n; i++)
		sink ^= (uint8_t)tls_u16_at(ch->ciphers, i);
	for (i = 0; i < ch->sigalgs.n; i++)
		sink ^= (uint8_t)tls_u16_at(ch->sigalgs, i);
	for (i = 0; i < ch->groups.n; i++)
		sink ^= (uint8_t)tls_u16_at(ch->groups, i);
	for (i = 0; i < ch->versions.n; i++)
		sink ^= (uint8_t)tls_u16_at(ch->versions, i);
	for (i = 0; i < ch->n_alpn; i++)
		if (ch->alpn[i].len)
			sink ^= ch->alpn[i].p[ch->alpn[i].len - 1];
	if (ch->sni.len)
		sink ^= ch->sni.p[ch->sni.len - 1];
	if (ch->session_id.len)
		sink ^= ch->session_id.p[ch->session_id.len - 1];
}

static void
client_stream(const uint8_t *d, size_t n, size_t cap)
{
	struct tls_client_hello ch;

	if (tls_client_hello_from_stream(d, n, hs, cap, &ch, NULL) == TLS_OK)
		use_hello(&ch);
}

static void
server_stream(const uint8_t *d, size_t n, size_t cap)
{
	struct tls_server_flight sf;
	size_t i;

	if (tls_server_flight_from_stream(d, n, hs, cap, &sf, NULL) != TLS_OK)
		return;
	for (i = 0; i < sf.n_certs && i < TLS_MAX_CHAIN; i++)
		sink ^= sf.certs[i].p[sf.certs[i].len - 1];
	tls_alert_name(sf.alert_desc);
}

/* Bodies given straight to each message parser. */
static void
bodies(const uint8_t *d, size_t n)
{
	struct tls_client_hello ch;
	struct tls_server_hello sh;
	struct tls_slice der[4];
	uint8_t level, desc;
	size_t nc;

	if (tls_client_hello_parse(d, n, &ch, NULL) == TLS_OK)
		use_hello(&ch);
	tls_server_hello_parse(d, n, &sh, NULL);
	tls_certificate_parse(d, n, der, 4, &nc, NULL);
	tls_alert_parse(d, n, &level, &desc, NULL);
}

/* Every record, and every handshake message of the flight, each given to
 * the parser of its type. */
static void
walk(const uint8_t *d, size_t n)
{
	struct tls_record rec;
	struct tls_flight f;
	struct tls_hs_msg m;
	size_t off = 0;

	while (tls_record_next(d, n, &off, &rec, NULL) == TLS_OK)
		;
	if (tls_flight_read(d, n, hs, sizeof(hs), &f, NULL) != TLS_OK)
		return;
	off = 0;
	while (tls_hs_next(hs, f.hs_len, &off, &m, NULL) == TLS_OK)
		bodies(m.body.p, m.body.len);
}

/* Segments as [seq:4][syn:1][len:1][payload], into a collector whose limit
 * comes from the input; what it assembles is parsed as a client stream. */
static void
collect(const uint8_t *d, size_t n)
{
	struct tcp_collect *c;
	const uint8_t *out;
	size_t limit, i = 2, len;

	if (n < 2)
		return;
	limit = 1 + ((size_t)d[0] << 8 | d[1]);
	c = tcpc_new(limit);
	if (!c)
		return;
	while (i + 6 <= n) {
		uint32_t seq = (uint32_t)d[i] << 24 | (uint32_t)d[i + 1] << 16 |
		               (uint32_t)d[i + 2] << 8 | d[i + 3];
		size_t plen = d[i + 5];

		if (plen > n - i - 6)
			plen = n - i - 6;
		tcpc_add(c, seq, d[i + 4] & 1, d + i + 6, plen);
		i += 6 + plen;
	}
	out = tcpc_data(c, &len);
	tcpc_has_syn(c);
	tcpc_conflicts(c);
	client_stream(out, len, sizeof(hs));
	tcpc_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap;

	if (size < 2)
		return 0;
	/* The second byte sometimes shrinks the scratch buffer, to reach the
	 * "larger than the buffer" paths. */
	cap = data[1] < 0x10 ? (size_t)data[1] * 64 : sizeof(hs);
	switch (data[0] % 5) {
	case 0:
		client_stream(data + 2, size - 2, cap);
		break;
	case 1:
		server_stream(data + 2, size - 2, cap);
		break;
	case 2:
		bodies(data + 2, size - 2);
		break;
	case 3:
		walk(data + 2, size - 2);
		break;
	default:
		collect(data + 2, size - 2);
		break;
	}
	return 0;
}
