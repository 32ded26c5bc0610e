/* libFuzzer target for the certificate module: chains from DER slices (as
 * the TLS log and a TLS 1.2 Certificate message hand them over) and from
 * PEM text, every fact, name and pin function, and the evaluator, on
 * certificates from the network.  Properties checked: a chain's own pins
 * match it at the leaf, a chain equals itself, every reason is printable
 * ASCII and fits its buffer.
 *
 * Input: byte 0 below 0x80 is a chain: (byte 0 % 4) + 1 slices, each a
 * big-endian 16-bit length and that many bytes (cut at the end of the
 * input); the whole input is also read as PEM.  Byte 0 from 0x80 is two
 * strings split at the first newline: a certificate name and a host for
 * tlscert_name_matches(), and the first also as a pin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/tlscert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
printable_or_abort(const char *s)
{
	size_t n = strlen(s);

	if (n >= TLSCERT_REASON_MAX)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
}

static void
exercise(const struct tlscert_chain *ch)
{
	const struct tlscert_info *leaf = tlscert_at(ch, 0), *ci;
	const char *names[3] = { "rm01.assist.example", NULL, NULL };
	const char *pins[2];
	struct tlscert_peer peer = { "tcp/8443", ch };
	struct tlscert_expect e = { .san = true, .not_expired = true, .warn_days = 30,
	                            .issuer = "Lab", .trusted = true, .same_cert = true };
	struct tlscert_input in = { .expect = &e, .chain = ch, .label = "tcp/443", .names = names,
	                            .at = 1795305600, .ca_file = "/nonexistent/ca.pem",
	                            .peers = &peer, .npeers = 1, .inside = ch };
	struct tlscert_eval ev;
	const char *m;
	size_t i, k, len;
	char d[16];

	if (!leaf)
		abort();
	for (i = 0; (ci = tlscert_at(ch, i)) != NULL; i++) {
		if (!tlscert_der(ch, i, &len) || len == 0)
			abort();
		printable_or_abort(ci->subject);
		printable_or_abort(ci->issuer);
		printable_or_abort(ci->cn);
		tlscert_days_left(ci, 0);
		tlscert_date(ci->not_after, d, sizeof(d));
		for (k = 0; k < ci->nsan; k++) {
			printable_or_abort(ci->san[k]);
			tlscert_covers(ch, i, ci->san[k], &m, NULL);
		}
	}
	names[1] = leaf->cn;
	names[2] = leaf->nsan ? leaf->san[0] : "x.example";
	pins[0] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
	pins[1] = leaf->pin;
	if (tlscert_pin_match(ch, pins + 1, 1, NULL) != 0)
		abort();
	if (!tlscert_leaf_equal(ch, ch) || !tlscert_chain_equal(ch, ch))
		abort();
	e.pins = pins;
	e.npins = 2;
	in.nnames = 3;
	tlscert_evaluate(&in, &ev);
	if (ev.n != TLSCHK_COUNT)
		abort();
	for (i = 0; i < ev.n; i++)
		printable_or_abort(ev.r[i].reason);
}

static void
strings(const uint8_t *data, size_t size)
{
	char *a = calloc(size + 1, 1), *b;
	char buf[160];

	if (!a)
		abort();
	memcpy(a, data, size);
	b = strchr(a, '\n');
	if (b)
		*b++ = '\0';
	else
		b = a;
	tlscert_name_matches(a, b);
	tlscert_name_matches(b, a);
	if (tlscert_pin_problem(a, buf, sizeof(buf)))
		printable_or_abort(buf);
	free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlscert_der v[4];
	struct tlscert_chain *ch;
	size_t n, i, off = 1;
	char err[400];

	if (size == 0)
		return 0;
	if (data[0] >= 0x80) {
		strings(data + 1, size - 1);
		return 0;
	}
	n = (size_t)(data[0] % 4) + 1;
	for (i = 0; i < n; i++) {
		size_t len = 0;

		if (off + 2 <= size)
			len = (size_t)data[off] << 8 | data[off + 1];
		off = off + 2 <= size ? off + 2 : size;
		if (len > size - off)
			len = size - off;
		v[i].p = data + off;
		v[i].len = len;
		off += len;
	}
	ch = tlscert_chain_from_der(v, n, err, sizeof(err));
	if (ch)
		exercise(ch);
	tlscert_chain_free(ch);
	ch = tlscert_chain_from_pem((const char *)data, size, err, sizeof(err));
	if (ch)
		exercise(ch);
	tlscert_chain_free(ch);
	return 0;
}
