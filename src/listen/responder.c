#include "listen/responder.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/errfmt.h"
#include "tls/tlscert.h"
#include "tls/tlsclient.h"
#include "tls/tlslog.h"

/* Connections served at once; more wait in the listen backlog. */
#define RESP_MAX_CONNS   64
#define RESP_BACKLOG     128
/* A connection that has not finished its handshake (or, after it, not been
 * closed by the prober) in this long is dropped. */
#define RESP_DEADLINE_MS 5000
/* Asking a service that holds a port for its chain, from inside. */
#define RESP_INSIDE_MS   2000
#define RESP_MAX_PORTS   1024
/* Well past the `not-expired` default (TLSCERT_WARN_DAYS_DEFAULT, 30): with
 * 30 days, a probe a second after the certificate was made saw 29 days left
 * and warned. */
#define RESP_CERT_DAYS   90
_Static_assert(RESP_CERT_DAYS > 2 * TLSCERT_WARN_DAYS_DEFAULT,
    "a generated certificate must not warn under the default not-expired");

enum rstate { R_FREE = 0, R_HANDSHAKE, R_DRAIN };

struct rconn {
	enum rstate st;
	int         fd;
	SSL        *ssl;
	size_t      port;      /* index into log.p */
	int64_t     deadline;
	short       want;
};

struct responder {
	const struct agent_cfg *cfg;
	SSL_CTX         *ctx;
	int             *lfd;             /* per log.p entry, -1 when not served */
	const char     **sni;             /* per log.p entry: a name its probes send, or NULL */
	int              logfd;
	int              stop_pipe[2];
	pthread_t        th;
	bool             started;
	struct tlsrx_log log;
	struct rconn     conns[RESP_MAX_CONNS];
	size_t           nconns;
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the certificate ---- */

/* The names a test certificate covers: every SNI the probes to this host
 * send, and the host's own DNS name. */
static int
collect_names(const struct agent_cfg *cfg, char *buf, size_t len)
{
	const struct plan *pl = cfg->plan;
	const char *fq = plan_endpoint_fqdn(pl, cfg->endpoint);
	size_t off = 0;
	uint32_t i;

	buf[0] = '\0';
	if (fq)
		off += (size_t)snprintf(buf, len, "DNS:%s", fq);
	for (i = 0; i < plan_nprobes(pl) && off < len; i++) {
		const struct probe *p = plan_probe(pl, i);
		const char *sni = plan_probe_sni(pl, p);
		char item[300];

		if (p->dst != cfg->endpoint || !tlsc_is_tls(p) || !sni)
			continue;
		snprintf(item, sizeof(item), "DNS:%s", sni);
		if (strstr(buf, item))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "," : "", item);
	}
	return off > 0 && off < len ? 0 : -1;
}

static int
add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

/* A self-signed P-256 certificate valid for RESP_CERT_DAYS, for the names
 * the probes send: enough for a handshake, and plainly a test certificate
 * to anyone who looks at it. */
static int
make_test_cert(SSL_CTX *ctx, const struct agent_cfg *cfg, char *err, size_t errlen)
{
	char names[4096], cn[300] = "ruleproof test responder";
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_NAME *nm;
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	int rc = -1;

	if (collect_names(cfg, names, sizeof(names)) == 0) {
		const char *comma = strchr(names, ',');
		snprintf(cn, sizeof(cn), "%.*s", (int)(comma ? (size_t)(comma - names - 4) : strlen(names) - 4),
		    names + 4);
	}
	if (!key || !x || RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	nm = X509_get_subject_name(x);
	if (!bn || X509_set_version(x, 2) != 1 || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400L * RESP_CERT_DAYS) ||
	    X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_UTF8, (const unsigned char *)"ruleproof test",
	    -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, nm) != 1 || X509_set_pubkey(x, key) != 1 ||
	    add_ext(x, NID_basic_constraints, "critical,CA:FALSE") != 0 ||
	    (names[0] && add_ext(x, NID_subject_alt_name, names) != 0) ||
	    X509_sign(x, key, EVP_sha256()) <= 0 ||
	    SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		errfmt(err, errlen, "test certificate: %s", ERR_reason_error_string(ERR_get_error()));
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

static SSL_CTX *
server_ctx(const struct agent_cfg *cfg, struct tlsrx_log *log, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx) {
		errfmt(err, errlen, "TLS server context: %s", ERR_reason_error_string(ERR_get_error()));
		return NULL;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	if (cfg->tls_cert) {
		if (SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key ? cfg->tls_key : cfg->tls_cert,
		    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
			errfmt(err, errlen, "--tls-cert %s / --tls-key %s: %s", cfg->tls_cert,
			    cfg->tls_key ? cfg->tls_key : cfg->tls_cert,
			    ERR_reason_error_string(ERR_get_error()));
			SSL_CTX_free(ctx);
			return NULL;
		}
		snprintf(log->cert_source, sizeof(log->cert_source), "%s", cfg->tls_cert);
	} else {
		if (make_test_cert(ctx, cfg, err, errlen) != 0) {
			SSL_CTX_free(ctx);
			return NULL;
		}
		snprintf(log->cert_source, sizeof(log->cert_source), "%s", TLSRX_GENERATED);
	}
	return ctx;
}

static int
der_of(X509 *x, struct tlslog_der *d)
{
	int len = i2d_X509(x, NULL);
	unsigned char *q;

	if (len <= 0 || len > TLSLOG_MAX_DER || !(d->p = malloc((size_t)len)))
		return -1;
	q = d->p;
	i2d_X509(x, &q);
	d->len = (size_t)len;
	return 0;
}

/* The chain the responder serves, leaf first. */
static void
served_chain(SSL_CTX *ctx, struct tlsrx_port *p)
{
	STACK_OF(X509) *extra = NULL;
	X509 *leaf = SSL_CTX_get0_certificate(ctx);
	int i;

	if (!leaf || der_of(leaf, &p->chain[0]) != 0)
		return;
	p->nchain = 1;
	SSL_CTX_get0_chain_certs(ctx, &extra);
	for (i = 0; extra && i < sk_X509_num(extra) && p->nchain < TLSLOG_MAX_CHAIN; i++)
		if (der_of(sk_X509_value(extra, i), &p->chain[p->nchain]) == 0)
			p->nchain++;
}

/* ---- the ports ---- */

static void
sockaddr_of(const struct rp_addr *a, bool any, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (addr_is_v6(a)) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (!any)
			memcpy(&s6->sin6_addr, a->b, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (!any)
			memcpy(&s4->sin_addr, a->b, 4);
		*len = sizeof(*s4);
	}
}

static int
try_bind(const struct rp_addr *a, bool any, uint16_t port, int *err)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, fd = socket(addr_is_v6(a) ? AF_INET6 : AF_INET,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (addr_is_v6(a))
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	sockaddr_of(a, any, port, &ss, &sl);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, RESP_BACKLOG) != 0) {
		*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

/* Binds one planned port: on its address when this host has it, else (the
 * address is translated on the way, DNAT) on every address of its family.
 * A port in use is someone's service: it is skipped, never taken over. */
static void
bind_port(struct responder *r, struct tlsrx_port *p, size_t k)
{
	int e = 0, fd = try_bind(&p->addr, false, p->port, &e);
	char a[ADDR_STRLEN];

	addr_fmt(&p->addr, a);
	snprintf(p->bound, sizeof(p->bound), "%s", a);
	if (fd < 0 && e == EADDRNOTAVAIL) {
		fd = try_bind(&p->addr, true, p->port, &e);
		snprintf(p->bound, sizeof(p->bound), "%s", addr_is_v6(&p->addr) ? "::" : "0.0.0.0");
	}
	r->lfd[k] = fd;
	if (fd >= 0) {
		p->state = TLSRX_SERVED;
		served_chain(r->ctx, p);
		return;
	}
	p->state = e == EADDRINUSE ? TLSRX_IN_USE : TLSRX_FAILED;
	snprintf(p->error, sizeof(p->error), "%s", e == EADDRINUSE ?
	    "in use by a service on this host: left to it" : strerror(e));
}

static bool
have_port(const struct tlsrx_log *l, const struct rp_addr *a, uint16_t port)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->p[i].port == port && addr_eq(&l->p[i].addr, a))
			return true;
	return false;
}

/* Every (address, port) a TLS probe to this endpoint goes to. */
static int
plan_ports(struct responder *r, char *err, size_t errlen)
{
	const struct plan *pl = r->cfg->plan;
	uint32_t i;

	r->log.p = calloc(RESP_MAX_PORTS, sizeof(*r->log.p));
	r->sni = calloc(RESP_MAX_PORTS, sizeof(*r->sni));
	r->lfd = calloc(RESP_MAX_PORTS, sizeof(*r->lfd));
	if (!r->log.p || !r->sni || !r->lfd)
		return errfmt(err, errlen, "out of memory");
	for (i = 0; i < plan_nprobes(pl); i++) {
		const struct probe *p = plan_probe(pl, i);
		const struct rp_addr *a = plan_probe_dst(pl, p);

		if (p->dst != r->cfg->endpoint || !tlsc_is_tls(p) || have_port(&r->log, a, p->port))
			continue;
		if (r->log.n == RESP_MAX_PORTS)
			return errfmt(err, errlen, "more than %d TLS ports planned to this host",
			    RESP_MAX_PORTS);
		r->log.p[r->log.n].addr = *a;
		r->log.p[r->log.n].port = p->port;
		r->sni[r->log.n] = plan_probe_sni(pl, p);
		r->lfd[r->log.n] = -1;
		r->log.n++;
	}
	return 0;
}

struct responder *
responder_open(const struct agent_cfg *cfg, char *err, size_t errlen)
{
	struct responder *r = calloc(1, sizeof(*r));
	size_t k;

	err[0] = '\0';
	if (!r) {
		errfmt(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = cfg;
	r->logfd = -1;
	r->stop_pipe[0] = r->stop_pipe[1] = -1;
	snprintf(r->log.endpoint, sizeof(r->log.endpoint), "%s",
	    profile_endpoint(plan_profile(cfg->plan), cfg->endpoint)->name);
	if (plan_ports(r, err, errlen) != 0 || r->log.n == 0 || !cfg->tls_log_path)
		goto fail;
	if (pipe2(r->stop_pipe, O_CLOEXEC) != 0) {
		errfmt(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	if ((r->ctx = server_ctx(cfg, &r->log, err, errlen)) == NULL)
		goto fail;
	r->logfd = open(cfg->tls_log_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (r->logfd < 0) {
		errfmt(err, errlen, "%s: %s", cfg->tls_log_path, strerror(errno));
		goto fail;
	}
	for (k = 0; k < r->log.n; k++)
		bind_port(r, &r->log.p[k], k);
	return r;
fail:
	responder_finish(r, NULL, 0);
	return NULL;
}

/* ---- the inside view of a port a service holds ---- */

static void
inside_chain(struct responder *r, struct tlsrx_port *p, const char *sni)
{
	struct timeval tv = { RESP_INSIDE_MS / 1000, (RESP_INSIDE_MS % 1000) * 1000 };
	struct sockaddr_storage ss;
	socklen_t sl;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	int fd = socket(addr_is_v6(&p->addr) ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct rp_addr to = p->addr;

	(void)r;
	/* Behind DNAT the planned address is not this host's: ask the service
	 * where it listens, on this host. */
	if (strcmp(p->bound, "0.0.0.0") == 0 || strcmp(p->bound, "::") == 0)
		addr_parse(addr_is_v6(&p->addr) ? "::1" : "127.0.0.1", &to);
	sockaddr_of(&to, false, p->port, &ss, &sl);
	if (fd < 0 || !ctx)
		goto out;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		snprintf(p->error, sizeof(p->error), "in use by a service on this host; asked from inside: %s",
		    strerror(errno));
		goto out;
	}
	ssl = SSL_new(ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1 || (sni && SSL_set_tlsext_host_name(ssl, sni) != 1) ||
	    SSL_connect(ssl) != 1) {
		snprintf(p->error, sizeof(p->error), "in use by a service on this host; no TLS handshake "
		    "from inside");
		goto out;
	}
	{
		STACK_OF(X509) *sk = SSL_get_peer_cert_chain(ssl);
		int i;

		for (i = 0; sk && i < sk_X509_num(sk) && p->nchain < TLSLOG_MAX_CHAIN; i++)
			if (der_of(sk_X509_value(sk, i), &p->chain[p->nchain]) == 0)
				p->nchain++;
	}
	SSL_shutdown(ssl);
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
}

/* ---- serving ---- */

static void
conn_close(struct responder *r, struct rconn *c, bool completed)
{
	struct linger lg = { 1, 0 };

	if (c->st == R_HANDSHAKE && !completed)
		r->log.p[c->port].failed++;
	SSL_free(c->ssl);
	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c->fd);
	memset(c, 0, sizeof(*c));
	r->nconns--;
}

static void
conn_step(struct responder *r, struct rconn *c)
{
	int n, e;

	ERR_clear_error();
	if (c->st == R_HANDSHAKE) {
		n = SSL_accept(c->ssl);
		if (n == 1) {
			r->log.p[c->port].handshakes++;
			c->st = R_DRAIN;
			c->want = POLLIN;
			return;
		}
	} else {
		char buf[512];
		n = SSL_read(c->ssl, buf, sizeof(buf));
		if (n > 0)
			return;
	}
	e = SSL_get_error(c->ssl, n);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
	else
		conn_close(r, c, false);
}

static void
accept_one(struct responder *r, size_t k)
{
	int fd = accept4(r->lfd[k], NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct rconn *c = NULL;
	size_t i;

	if (fd < 0)
		return;
	for (i = 0; i < RESP_MAX_CONNS && !c; i++)
		if (r->conns[i].st == R_FREE)
			c = &r->conns[i];
	if (!c || !(c->ssl = SSL_new(r->ctx)) || SSL_set_fd(c->ssl, fd) != 1) {
		if (c && c->ssl) {
			SSL_free(c->ssl);
			c->ssl = NULL;
		}
		close(fd);
		return;
	}
	c->st = R_HANDSHAKE;
	c->fd = fd;
	c->port = k;
	c->deadline = mono_ms() + RESP_DEADLINE_MS;
	r->nconns++;
	conn_step(r, c);
}

static void *
serve(void *arg)
{
	struct responder *r = arg;
	size_t k;

	for (k = 0; k < r->log.n; k++)
		if (r->log.p[k].state == TLSRX_IN_USE)
			inside_chain(r, &r->log.p[k], r->sni[k]);
	for (;;) {
		struct pollfd pf[1 + RESP_MAX_PORTS + RESP_MAX_CONNS];
		size_t what[1 + RESP_MAX_PORTS + RESP_MAX_CONNS];
		size_t n = 0, i;
		int64_t now = mono_ms();

		pf[n] = (struct pollfd){ .fd = r->stop_pipe[0], .events = POLLIN };
		what[n++] = 0;
		/* When every slot is taken, new connections wait in the backlog. */
		for (k = 0; r->nconns < RESP_MAX_CONNS && k < r->log.n; k++)
			if (r->lfd[k] >= 0) {
				pf[n] = (struct pollfd){ .fd = r->lfd[k], .events = POLLIN };
				what[n++] = 1 + k;
			}
		for (i = 0; i < RESP_MAX_CONNS; i++)
			if (r->conns[i].st != R_FREE) {
				if (now >= r->conns[i].deadline) {
					conn_close(r, &r->conns[i], false);
					continue;
				}
				pf[n] = (struct pollfd){ .fd = r->conns[i].fd, .events = r->conns[i].want };
				what[n++] = 1 + RESP_MAX_PORTS + i;
			}
		if (poll(pf, (nfds_t)n, 100) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		for (i = 1; i < n; i++) {
			if (!pf[i].revents)
				continue;
			if (what[i] <= RESP_MAX_PORTS)
				accept_one(r, what[i] - 1);
			else if (r->conns[what[i] - 1 - RESP_MAX_PORTS].st != R_FREE)
				conn_step(r, &r->conns[what[i] - 1 - RESP_MAX_PORTS]);
		}
	}
	return NULL;
}

static size_t
list_ports(const struct responder *r, bool served, char *buf, size_t len, size_t off)
{
	size_t k, n = 0;

	for (k = 0; k < r->log.n && off < len; k++)
		if ((r->log.p[k].state == TLSRX_SERVED) == served) {
			char a[ADDR_STRLEN];
			off += (size_t)snprintf(buf + off, len - off, "%s%s:%u%s", n++ ? ", " : "",
			    addr_fmt(&r->log.p[k].addr, a), r->log.p[k].port,
			    served ? "" : r->log.p[k].state == TLSRX_IN_USE ? " (in use: left to its service)" :
			    " (failed)");
		}
	return off;
}

int
responder_summary(const struct responder *r, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "TLS responder (%s): serving ", r->log.cert_source);

	size_t k, skipped = 0;

	off = list_ports(r, true, buf, len, off);
	for (k = 0; k < r->log.n; k++)
		skipped += r->log.p[k].state != TLSRX_SERVED;
	if (skipped && off < len) {
		off += (size_t)snprintf(buf + off, len - off, "; not serving: ");
		off = list_ports(r, false, buf, len, off);
	}
	return (int)(off < len ? off : len - 1);
}

int
responder_start(struct responder *r, char *err, size_t errlen)
{
	int e = pthread_create(&r->th, NULL, serve, r);

	if (e != 0)
		return errfmt(err, errlen, "responder thread: %s", strerror(e));
	r->started = true;
	return 0;
}

int
responder_finish(struct responder *r, char *err, size_t errlen)
{
	char c = 's';
	size_t i;
	int rc = 0;

	if (!r)
		return 0;
	if (r->started) {
		if (write(r->stop_pipe[1], &c, 1) != 1)
			close(r->stop_pipe[1]), r->stop_pipe[1] = -1;
		pthread_join(r->th, NULL);
	}
	for (i = 0; i < RESP_MAX_CONNS; i++)
		if (r->conns[i].st != R_FREE)
			conn_close(r, &r->conns[i], false);
	for (i = 0; r->lfd && i < r->log.n; i++)
		if (r->lfd[i] >= 0)
			close(r->lfd[i]);
	if (r->logfd >= 0 && err)
		rc = tlsrx_write_fd(&r->log, &r->logfd, err, errlen);
	if (r->logfd >= 0)
		close(r->logfd);
	for (i = 0; i < 2; i++)
		if (r->stop_pipe[i] >= 0)
			close(r->stop_pipe[i]);
	SSL_CTX_free(r->ctx);
	tlsrx_free(&r->log);
	free((void *)r->sni);
	free(r->lfd);
	free(r);
	return rc;
}
