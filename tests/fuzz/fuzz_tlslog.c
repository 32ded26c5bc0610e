/* libFuzzer target for the TLS logs agents write into a run directory
 * (tls-NAME.json of a sender, tls-rx-NAME.json of a listener): the
 * directory arrives from other hosts and is untrusted input.  The first
 * byte picks the reader; what a reader accepts must survive what the
 * correlator and the reports do with it: the chains are handed to the
 * certificate parser, and the log can be written back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memfile.h"
#include "tls/tlscert.h"
#include "tls/tlslog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use_chain(const struct tlslog_der *d, size_t n)
{
	struct tlscert_der v[TLSLOG_MAX_CHAIN];
	struct tlscert_chain *c;
	char err[256];
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].p = d[i].p;
		v[i].len = d[i].len;
	}
	if (n && (c = tlscert_chain_from_der(v, n, err, sizeof(err))) != NULL)
		tlscert_chain_free(c);
}

static void
write_back(int (*w)(const void *, FILE *), const void *l)
{
	FILE *f = fopen("/dev/null", "w");

	if (!f || w(l, f) != 0)
		abort();   /* what was read can be written */
	fclose(f);
}

static int wr_try(const void *l, FILE *f) { return tlslog_write(l, f); }
static int wr_rx(const void *l, FILE *f) { return tlsrx_write(l, f); }

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	const char *path;
	size_t i;

	if (size < 1)
		return 0;
	path = fuzz_memfile(data + 1, size - 1);
	err[0] = '\0';
	if (data[0] & 1) {
		struct tlsrx_log l;

		if (tlsrx_read(&l, path, err, sizeof(err)) != 0) {
			if (!err[0])
				abort();   /* a refusal must say why */
			return 0;
		}
		for (i = 0; i < l.n; i++)
			use_chain(l.p[i].chain, l.p[i].nchain);
		write_back(wr_rx, &l);
		tlsrx_free(&l);
	} else {
		struct tlslog l;

		if (tlslog_read(&l, path, err, sizeof(err)) != 0) {
			if (!err[0])
				abort();
			return 0;
		}
		for (i = 0; i < l.n; i++) {
			use_chain(l.t[i].chain, l.t[i].nchain);
			if (strlen(tls_outcome_name(l.t[i].outcome)) == 0)
				abort();
		}
		write_back(wr_try, &l);
		tlslog_free(&l);
	}
	return 0;
}
