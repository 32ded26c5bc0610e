#include "tls/tlslog.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/errfmt.h"

const char *
tls_outcome_name(enum tls_outcome o)
{
	static const char *const names[TLSO_COUNT] = {
		"handshake", "reset", "timeout", "alert", "closed", "refused", "unreachable",
		"connect-timeout", "error",
	};
	return (unsigned)o < TLSO_COUNT ? names[o] : "?";
}

const char *
tlsrx_state_name(enum tlsrx_state s)
{
	return s == TLSRX_SERVED ? "served" : s == TLSRX_IN_USE ? "in-use" : "failed";
}

void
tlslog_name(const char *endpoint, bool at_sender, unsigned seg, char *buf, size_t len)
{
	char sfx[16] = "";

	if (seg > 0)
		snprintf(sfx, sizeof(sfx), "-r%u", seg);
	snprintf(buf, len, "tls-%s%s%s.json", at_sender ? "" : "rx-", endpoint, sfx);
}

char *
tlslog_b64(const uint8_t *p, size_t len)
{
	char *s;

	if (len > TLSLOG_MAX_DER)
		return NULL;
	s = malloc(4 * ((len + 2) / 3) + 1);
	if (s)
		EVP_EncodeBlock((unsigned char *)s, p, (int)len);
	return s;
}

int
tlslog_unb64(const char *s, struct tlslog_der *out)
{
	size_t n = strlen(s), pad = 0;
	uint8_t *p;
	int k;

	out->p = NULL;
	out->len = 0;
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > TLSLOG_MAX_DER)
		return -1;
	pad = (s[n - 1] == '=') + (s[n - 2] == '=');
	p = malloc(n / 4 * 3);
	if (!p)
		return -1;
	k = EVP_DecodeBlock(p, (const unsigned char *)s, (int)n);
	if (k < 0 || (size_t)k < pad) {
		free(p);
		return -1;
	}
	out->p = p;
	out->len = (size_t)k - pad;
	return 0;
}

static void
chain_free(struct tlslog_der *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].p);
}

int
tlslog_add(struct tlslog *l, struct tlslog_try *t)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct tlslog_try *nt = realloc(l->t, nc * sizeof(*nt));

		if (!nt)
			return -1;
		l->t = nt;
		l->cap = nc;
	}
	l->t[l->n++] = *t;
	t->nchain = 0;
	return 0;
}

void
tlslog_free(struct tlslog *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		chain_free(l->t[i].chain, l->t[i].nchain);
	free(l->t);
	memset(l, 0, sizeof(*l));
}

static json_t *
json_chain(const struct tlslog_der *c, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++) {
		char *s = tlslog_b64(c[i].p, c[i].len);
		if (!s || json_array_append_new(a, json_string(s)) != 0) {
			free(s);
			json_decref(a);
			return NULL;
		}
		free(s);
	}
	return a;
}

static json_t *
json_try(const struct tlslog_try *t)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN], rnd[2 * TLSLOG_RANDOM + 1] = "";

	if (t->has_random)
		hex_encode(t->random, TLSLOG_RANDOM, rnd, false);
	return json_pack("{s:I, s:i, s:s, s:i, s:s, s:i, s:I, s:I, s:s?, s:s, s:s, s:i, s:s, s:s, s:s, s:o}",
	    "probe", (json_int_t)t->probe, "try", (int)t->try_no, "src", addr_fmt(&t->src, src),
	    "sport", (int)t->sport, "dst", addr_fmt(&t->dst, dst), "port", (int)t->port,
	    "started_us", (json_int_t)t->started_us, "ended_us", (json_int_t)t->ended_us,
	    "client_random", t->has_random ? rnd : NULL, "sni", t->sni,
	    "outcome", tls_outcome_name(t->outcome), "alert", t->alert, "version", t->version,
	    "cipher", t->cipher, "error", t->error, "chain", json_chain(t->chain, t->nchain));
}

/* Appends v (taken) to a; on failure drops a (NULL), so that a document
 * built from it is refused whole. */
static json_t *
append(json_t *a, json_t *v)
{
	if (json_array_append_new(a, v) == 0)
		return a;
	json_decref(a);
	return NULL;
}

/* Writes a log document (consumed); NULL, a document that could not be
 * built, is refused. */
static int
dump(json_t *o, FILE *out)
{
	int rc;

	if (!o)
		return -1;
	rc = json_dumpf(o, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc == 0)
		fputc('\n', out);
	return rc == 0 && !ferror(out) ? 0 : -1;
}

/* The same into a file descriptor opened earlier (an agent opens its log
 * before it gives up root), which it closes (*fd -1) unless fdopen fails. */
static int
dump_fd(json_t *o, int *fd, char *err, size_t errlen)
{
	FILE *f = fdopen(*fd, "w");
	int rc;

	if (!f) {
		json_decref(o);
		return errfmt(err, errlen, "TLS log: %s", strerror(errno));
	}
	*fd = -1;
	rc = dump(o, f);
	if (fclose(f) != 0 || rc != 0)
		return errfmt(err, errlen, "TLS log: write failed");
	return 0;
}

static json_t *
log_doc(const struct tlslog *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < l->n; i++)
		a = append(a, json_try(&l->t[i]));
	if (!a)
		return NULL;
	return json_pack("{s:s, s:s, s:o}", "schema", TLSLOG_SCHEMA, "endpoint", l->endpoint,
	    "tries", a);
}

int
tlslog_write(const struct tlslog *l, FILE *out)
{
	return dump(log_doc(l), out);
}

int
tlslog_write_fd(const struct tlslog *l, int *fd, char *err, size_t errlen)
{
	return dump_fd(log_doc(l), fd, err, errlen);
}

/* ---- reading: every field checked, nothing trusted ---- */

static int
get_str(const json_t *o, const char *k, char *buf, size_t len, bool optional)
{
	const json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v)) {
		buf[0] = '\0';
		return optional ? 0 : -1;
	}
	if (!json_is_string(v) || json_string_length(v) >= len ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	memcpy(buf, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int
get_int(const json_t *o, const char *k, json_int_t lo, json_int_t hi, json_int_t *out)
{
	const json_t *v = json_object_get(o, k);

	if (!v || !json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

static int
get_addr(const json_t *o, const char *k, struct rp_addr *a)
{
	char buf[ADDR_STRLEN + 8];

	return get_str(o, k, buf, sizeof(buf), false) == 0 && addr_parse(buf, a) ? 0 : -1;
}

static int
get_chain(const json_t *o, struct tlslog_der *c, size_t *n)
{
	const json_t *a = json_object_get(o, "chain"), *v;
	size_t i;

	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > TLSLOG_MAX_CHAIN)
		return -1;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || tlslog_unb64(json_string_value(v), &c[*n]) != 0) {
			chain_free(c, *n);
			*n = 0;
			return -1;
		}
		(*n)++;
	}
	return 0;
}

static int
outcome_from(const char *s, enum tls_outcome *o)
{
	int i;

	for (i = 0; i < TLSO_COUNT; i++)
		if (strcmp(s, tls_outcome_name((enum tls_outcome)i)) == 0) {
			*o = (enum tls_outcome)i;
			return 0;
		}
	return -1;
}

static int
read_try(const json_t *o, struct tlslog_try *t)
{
	json_int_t v;
	char rnd[2 * TLSLOG_RANDOM + 1], out[32];

	memset(t, 0, sizeof(*t));
	if (!json_is_object(o) || get_int(o, "probe", 0, UINT32_MAX - 1, &v) != 0)
		return -1;
	t->probe = (uint32_t)v;
	if (get_int(o, "try", 1, 255, &v) != 0)
		return -1;
	t->try_no = (uint8_t)v;
	if (get_int(o, "sport", 0, 65535, &v) != 0)
		return -1;
	t->sport = (uint16_t)v;
	if (get_int(o, "port", 1, 65535, &v) != 0)
		return -1;
	t->port = (uint16_t)v;
	if (get_int(o, "started_us", 0, INT64_MAX / 2, &v) != 0)
		return -1;
	t->started_us = v;
	if (get_int(o, "ended_us", 0, INT64_MAX / 2, &v) != 0)
		return -1;
	t->ended_us = v;
	if (get_int(o, "alert", -1, 255, &v) != 0)
		return -1;
	t->alert = (int)v;
	if (get_addr(o, "src", &t->src) != 0 || get_addr(o, "dst", &t->dst) != 0 ||
	    get_str(o, "client_random", rnd, sizeof(rnd), true) != 0 ||
	    get_str(o, "sni", t->sni, sizeof(t->sni), false) != 0 ||
	    get_str(o, "outcome", out, sizeof(out), false) != 0 || outcome_from(out, &t->outcome) != 0 ||
	    get_str(o, "version", t->version, sizeof(t->version), false) != 0 ||
	    get_str(o, "cipher", t->cipher, sizeof(t->cipher), false) != 0 ||
	    get_str(o, "error", t->error, sizeof(t->error), false) != 0)
		return -1;
	if (rnd[0]) {
		if (hex_decode(rnd, t->random, TLSLOG_RANDOM) != 0)
			return -1;
		t->has_random = true;
	}
	return get_chain(o, t->chain, &t->nchain);
}

static json_t *
load(const char *path, const char *schema, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	const json_t *s;

	if (!o) {
		errfmt(err, errlen, "%s: %s (line %d)", path, je.text, je.line);
		return NULL;
	}
	s = json_object_get(o, "schema");
	if (!json_is_object(o) || !json_is_string(s) || strcmp(json_string_value(s), schema) != 0) {
		errfmt(err, errlen, "%s: not a %s file", path, schema);
		json_decref(o);
		return NULL;
	}
	return o;
}

int
tlslog_read(struct tlslog *l, const char *path, char *err, size_t errlen)
{
	json_t *o = load(path, TLSLOG_SCHEMA, err, errlen);
	const json_t *a, *v;
	size_t i;

	memset(l, 0, sizeof(*l));
	if (!o)
		return -1;
	a = json_object_get(o, "tries");
	if (get_str(o, "endpoint", l->endpoint, sizeof(l->endpoint), false) != 0 || !json_is_array(a) ||
	    json_array_size(a) > TLSLOG_MAX_TRIES) {
		json_decref(o);
		return errfmt(err, errlen, "%s: not a TLS log (endpoint, tries)", path);
	}
	json_array_foreach(a, i, v) {
		struct tlslog_try t;
		if (read_try(v, &t) != 0 || tlslog_add(l, &t) != 0) {
			chain_free(t.chain, t.nchain);
			json_decref(o);
			tlslog_free(l);
			return errfmt(err, errlen, "%s: try %zu is malformed", path, i + 1);
		}
	}
	json_decref(o);
	return 0;
}

/* ---- the listener's log ---- */

void
tlsrx_free(struct tlsrx_log *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		chain_free(l->p[i].chain, l->p[i].nchain);
	free(l->p);
	memset(l, 0, sizeof(*l));
}

static json_t *
rx_doc(const struct tlsrx_log *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < l->n; i++) {
		const struct tlsrx_port *p = &l->p[i];
		char ad[ADDR_STRLEN];

		a = append(a, json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:I, s:o}",
		    "addr", addr_fmt(&p->addr, ad), "port", (int)p->port, "bound", p->bound,
		    "state", tlsrx_state_name(p->state),
		    "error", p->error, "handshakes", (json_int_t)p->handshakes,
		    "failed", (json_int_t)p->failed, "chain", json_chain(p->chain, p->nchain)));
	}
	if (!a)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:o}", "schema", TLSLOG_RX_SCHEMA, "endpoint", l->endpoint,
	    "certificate", l->cert_source, "ports", a);
}

int
tlsrx_write(const struct tlsrx_log *l, FILE *out)
{
	return dump(rx_doc(l), out);
}

int
tlsrx_write_fd(const struct tlsrx_log *l, int *fd, char *err, size_t errlen)
{
	return dump_fd(rx_doc(l), fd, err, errlen);
}

static int
read_port(const json_t *o, struct tlsrx_port *p)
{
	char st[16];
	json_int_t v;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(o) || get_addr(o, "addr", &p->addr) != 0 ||
	    get_int(o, "port", 1, 65535, &v) != 0)
		return -1;
	p->port = (uint16_t)v;
	if (get_int(o, "handshakes", 0, UINT32_MAX, &v) != 0)
		return -1;
	p->handshakes = (uint32_t)v;
	if (get_int(o, "failed", 0, UINT32_MAX, &v) != 0)
		return -1;
	p->failed = (uint32_t)v;
	if (get_str(o, "state", st, sizeof(st), false) != 0 ||
	    get_str(o, "bound", p->bound, sizeof(p->bound), false) != 0 ||
	    get_str(o, "error", p->error, sizeof(p->error), false) != 0)
		return -1;
	if (strcmp(st, "served") == 0)
		p->state = TLSRX_SERVED;
	else if (strcmp(st, "in-use") == 0)
		p->state = TLSRX_IN_USE;
	else if (strcmp(st, "failed") == 0)
		p->state = TLSRX_FAILED;
	else
		return -1;
	return get_chain(o, p->chain, &p->nchain);
}

int
tlsrx_read(struct tlsrx_log *l, const char *path, char *err, size_t errlen)
{
	json_t *o = load(path, TLSLOG_RX_SCHEMA, err, errlen);
	const json_t *a, *v;
	size_t i;

	memset(l, 0, sizeof(*l));
	if (!o)
		return -1;
	a = json_object_get(o, "ports");
	if (get_str(o, "endpoint", l->endpoint, sizeof(l->endpoint), false) != 0 ||
	    get_str(o, "certificate", l->cert_source, sizeof(l->cert_source), false) != 0 ||
	    !json_is_array(a) || json_array_size(a) > 65536) {
		json_decref(o);
		return errfmt(err, errlen, "%s: not a TLS listener log (endpoint, certificate, ports)", path);
	}
	l->p = calloc(json_array_size(a) ? json_array_size(a) : 1, sizeof(*l->p));
	if (!l->p) {
		json_decref(o);
		return errfmt(err, errlen, "out of memory");
	}
	json_array_foreach(a, i, v) {
		if (read_port(v, &l->p[i]) != 0) {
			json_decref(o);
			tlsrx_free(l);
			return errfmt(err, errlen, "%s: port %zu is malformed", path, i + 1);
		}
		l->n++;
	}
	json_decref(o);
	return 0;
}
