#include "tls/tlsclient.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/errfmt.h"
#include "tls/tlslog.h"

/* Tries in flight at once: enough to keep a slow handshake from holding up
 * the rest, few enough for a host's file descriptors and a server's accept
 * queue. */
#define TLSC_MAX_INFLIGHT 32
/* The kernel retries an unanswered SYN after 1 s: two SYNs per try. */
#define TLSC_CONNECT_MS   1500
/* A ClientHello dropped by a filter is retransmitted by the kernel several
 * times within this. */
#define TLSC_HANDSHAKE_MS 2500
#define NS_PER_MS         1000000LL

/* A fixed offer, so that every probe's ClientHello has the same layout (and
 * JA4) whatever the host's OpenSSL configuration says. */
#define TLSC_CIPHERS_12 "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define TLSC_CIPHERS_13 "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
#define TLSC_GROUPS     "X25519:P-256:P-384"

enum cstate { C_FREE = 0, C_CONNECTING, C_HANDSHAKE };

struct conn {
	enum cstate       st;
	int               fd;
	SSL              *ssl;
	int64_t           deadline;
	short             want;
	int               alert_in;     /* fatal alert received, -1 none */
	struct tlslog_try t;
};

struct tlsc {
	const struct agent_cfg *cfg;
	SSL_CTX            *ctx;
	struct probeid     *pid;
	int                 logfd;
	int                 done_pipe[2];
	pthread_t           th;
	bool                started;
	atomic_bool         stop, done;
	struct tlslog       log;
	uint32_t           *queue;
	size_t              nq;
	uint8_t            *tries, *settled;   /* per probe id */
	uint64_t            first;
	int64_t             gap;
	struct conn         conns[TLSC_MAX_INFLIGHT];
	size_t              inflight;
};

bool
tlsc_is_tls(const struct probe *p)
{
	return p->tls && p->proto == RP_PROTO_TCP;
}

static bool
mine(const struct agent_cfg *cfg, uint32_t i)
{
	const struct probe *p = plan_probe(cfg->plan, i);

	return p->src == cfg->endpoint && tlsc_is_tls(p) && !(cfg->skip && cfg->skip[i]);
}

uint64_t
tlsc_budget_ms(uint32_t n, unsigned retries)
{
	uint64_t waves = (n + TLSC_MAX_INFLIGHT - 1) / TLSC_MAX_INFLIGHT;

	return waves * (TLSC_CONNECT_MS + TLSC_HANDSHAKE_MS) * (retries + 1ULL);
}

uint32_t
tlsc_count(const struct agent_cfg *cfg)
{
	uint32_t i, n = 0;

	for (i = 0; i < plan_nprobes(cfg->plan); i++)
		n += mine(cfg, i);
	return n;
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t
real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Remembers the first fatal alert a peer sends: the only way OpenSSL tells
 * which one it was. */
static void
on_info(const SSL *ssl, int where, int ret)
{
	struct conn *c = SSL_get_app_data(ssl);

	if (c && (where & SSL_CB_READ_ALERT) && (ret >> 8) == SSL3_AL_FATAL && c->alert_in < 0)
		c->alert_in = ret & 0xff;
}

static SSL_CTX *
client_ctx(char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx) {
		errfmt(err, errlen, "TLS client context: %s", ERR_reason_error_string(ERR_get_error()));
		return NULL;
	}
	/* No verification: the chain is recorded and judged offline. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_info_callback(ctx, on_info);
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, TLSC_CIPHERS_12) != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, TLSC_CIPHERS_13) != 1 ||
	    SSL_CTX_set1_groups_list(ctx, TLSC_GROUPS) != 1) {
		errfmt(err, errlen, "TLS client offer: %s", ERR_reason_error_string(ERR_get_error()));
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

struct tlsc *
tlsc_open(const struct agent_cfg *cfg, const char *log_path, char *err, size_t errlen)
{
	struct tlsc *t = calloc(1, sizeof(*t));
	uint32_t n = plan_nprobes(cfg->plan);

	if (!t) {
		errfmt(err, errlen, "out of memory");
		return NULL;
	}
	t->cfg = cfg;
	t->logfd = -1;
	t->done_pipe[0] = t->done_pipe[1] = -1;
	snprintf(t->log.endpoint, sizeof(t->log.endpoint), "%s",
	    profile_endpoint(plan_profile(cfg->plan), cfg->endpoint)->name);
	t->queue = calloc(n + 1, sizeof(*t->queue));
	t->tries = calloc(n + 1, 1);
	t->settled = calloc(n + 1, 1);
	t->pid = probeid_new(cfg->key);
	if (!t->queue || !t->tries || !t->settled || !t->pid) {
		errfmt(err, errlen, "out of memory");
		goto fail;
	}
	if (pipe2(t->done_pipe, O_CLOEXEC) != 0) {
		errfmt(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	if ((t->ctx = client_ctx(err, errlen)) == NULL)
		goto fail;
	t->logfd = open(log_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (t->logfd < 0) {
		errfmt(err, errlen, "%s: %s", log_path, strerror(errno));
		goto fail;
	}
	t->gap = 1000000000LL / (cfg->rate ? cfg->rate : 1);
	return t;
fail:
	tlsc_finish(t, NULL, NULL, 0);
	return NULL;
}

static void
fill_sockaddr(const struct rp_addr *a, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (addr_is_v6(a)) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->b, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->b, 4);
		*len = sizeof(*s4);
	}
}

static void
progress_add(struct tlsc *t, int which)
{
	struct agent_progress *pr = t->cfg->progress;

	if (!pr)
		return;
	if (which == 0)
		atomic_fetch_add(&pr->sent, 1);
	else if (which == 1)
		atomic_fetch_add(&pr->retried, 1);
	else
		atomic_fetch_add(&pr->answered, 1);
}

/* What the server presented, leaf first, as DER. */
static void
take_chain(SSL *ssl, struct tlslog_try *tr)
{
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(ssl);
	int i, n = sk ? sk_X509_num(sk) : 0;

	for (i = 0; i < n && tr->nchain < TLSLOG_MAX_CHAIN; i++) {
		X509 *x = sk_X509_value(sk, i);
		int len = i2d_X509(x, NULL);
		unsigned char *q;

		if (len <= 0 || len > TLSLOG_MAX_DER || !(tr->chain[tr->nchain].p = malloc((size_t)len)))
			break;
		q = tr->chain[tr->nchain].p;
		i2d_X509(x, &q);
		tr->chain[tr->nchain++].len = (size_t)len;
	}
}

static void
conn_end(struct tlsc *t, struct conn *c, enum tls_outcome out)
{
	uint32_t id = c->t.probe;

	c->t.outcome = out;
	c->t.alert = c->alert_in;
	c->t.ended_us = real_us();
	if (c->ssl) {
		if (out == TLSO_HANDSHAKE) {
			snprintf(c->t.version, sizeof(c->t.version), "%s", SSL_get_version(c->ssl));
			snprintf(c->t.cipher, sizeof(c->t.cipher), "%s",
			    SSL_CIPHER_standard_name(SSL_get_current_cipher(c->ssl)));
			take_chain(c->ssl, &c->t);
			SSL_shutdown(c->ssl);   /* close_notify, best effort */
		}
		SSL_free(c->ssl);
	}
	/* Linger 0 was set: close() resets, so no TIME_WAIT keeps the probe's
	 * source port from its next try. */
	if (c->fd >= 0)
		close(c->fd);
	if (out != TLSO_CONNECT_TIMEOUT && out != TLSO_TIMEOUT && out != TLSO_ERROR &&
	    !t->settled[id]) {
		t->settled[id] = 1;
		progress_add(t, 2);
	}
	if (tlslog_add(&t->log, &c->t) != 0) {
		size_t i;
		for (i = 0; i < c->t.nchain; i++)
			free(c->t.chain[i].p);
	}
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	t->inflight--;
}

static void
local_error(struct tlsc *t, struct conn *c, const char *what)
{
	snprintf(c->t.error, sizeof(c->t.error), "%s: %s", what, strerror(errno));
	conn_end(t, c, TLSO_ERROR);
}

static void
conn_start(struct tlsc *t, struct conn *c, uint32_t id)
{
	const struct plan *pl = t->cfg->plan;
	const struct probe *p = plan_probe(pl, id);
	const char *sni = plan_probe_sni(pl, p);
	struct probe_carriers car;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct linger lg = { 1, 0 };
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->st = C_CONNECTING;
	c->alert_in = -1;
	c->t.alert = -1;
	probeid_encode(t->pid, id, &car);
	c->t.probe = id;
	c->t.try_no = ++t->tries[id];
	c->t.sport = car.sport;
	c->t.src = *plan_probe_src(pl, p);
	c->t.dst = *plan_probe_dst(pl, p);
	c->t.port = p->port;
	c->t.started_us = real_us();
	snprintf(c->t.sni, sizeof(c->t.sni), "%s", sni ? sni : "");
	t->inflight++;
	progress_add(t, c->t.try_no == 1 ? 0 : 1);
	if (c->t.try_no == 1)
		t->first++;
	c->fd = socket(addr_is_v6(&c->t.src) ? AF_INET6 : AF_INET,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		local_error(t, c, "socket");
		return;
	}
	/* Several probes of one run may share a source port (the tag is 16
	 * bits) toward different destinations. */
	setsockopt(c->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	fill_sockaddr(&c->t.src, c->t.sport, &ss, &sl);
	if (bind(c->fd, (struct sockaddr *)&ss, sl) != 0) {
		local_error(t, c, "bind");
		return;
	}
	fill_sockaddr(&c->t.dst, c->t.port, &ss, &sl);
	if (connect(c->fd, (struct sockaddr *)&ss, sl) != 0 && errno != EINPROGRESS) {
		local_error(t, c, "connect");
		return;
	}
	c->want = POLLOUT;
	c->deadline = mono_ns() + TLSC_CONNECT_MS * NS_PER_MS;
}

static enum tls_outcome
connect_failure(int e)
{
	switch (e) {
	case ECONNREFUSED: return TLSO_REFUSED;
	case ETIMEDOUT: return TLSO_CONNECT_TIMEOUT;
	case EHOSTUNREACH: case ENETUNREACH: case EACCES: case EPERM: case EHOSTDOWN:
	case ENETDOWN: case EPROTO: case ENOPROTOOPT:
		return TLSO_UNREACHABLE;
	default: return TLSO_ERROR;
	}
}

static void
handshake_step(struct tlsc *t, struct conn *c)
{
	int r, e;
	unsigned long ec;

	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (!c->t.has_random &&
	    SSL_get_client_random(c->ssl, c->t.random, TLSLOG_RANDOM) == TLSLOG_RANDOM)
		c->t.has_random = true;
	if (r == 1) {
		conn_end(t, c, TLSO_HANDSHAKE);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return;
	}
	ec = ERR_peek_error();
	if (c->alert_in >= 0) {
		conn_end(t, c, TLSO_ALERT);
		return;
	}
	if (e == SSL_ERROR_SYSCALL && (errno == ECONNRESET || errno == EPIPE)) {
		conn_end(t, c, TLSO_RESET);
		return;
	}
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ec == 0) ||
	    ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		conn_end(t, c, TLSO_CLOSED);
		return;
	}
	snprintf(c->t.error, sizeof(c->t.error), "%s",
	    ec ? ERR_reason_error_string(ec) : strerror(errno));
	conn_end(t, c, TLSO_ERROR);
}

static void
connected(struct tlsc *t, struct conn *c)
{
	int e = 0;
	socklen_t el = sizeof(e);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
		e = errno;
	if (e != 0) {
		errno = e;
		if (connect_failure(e) == TLSO_ERROR)
			snprintf(c->t.error, sizeof(c->t.error), "connect: %s", strerror(e));
		{
			conn_end(t, c, connect_failure(e));
			return;
		}
	}
	c->ssl = SSL_new(t->ctx);
	if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1 ||
	    (c->t.sni[0] && SSL_set_tlsext_host_name(c->ssl, c->t.sni) != 1)) {
		snprintf(c->t.error, sizeof(c->t.error), "TLS: %s", ERR_reason_error_string(ERR_get_error()));
		{
			conn_end(t, c, TLSO_ERROR);
			return;
		}
	}
	SSL_set_app_data(c->ssl, c);
	SSL_set_connect_state(c->ssl);
	c->st = C_HANDSHAKE;
	c->deadline = mono_ns() + TLSC_HANDSHAKE_MS * NS_PER_MS;
	handshake_step(t, c);
}

static void
conn_step(struct tlsc *t, struct conn *c, short revents, int64_t now)
{
	if (revents) {
		if (c->st == C_CONNECTING)
			connected(t, c);
		else
			handshake_step(t, c);
	}
	if (c->st != C_FREE && now >= c->deadline)
		conn_end(t, c, c->st == C_CONNECTING ? TLSO_CONNECT_TIMEOUT : TLSO_TIMEOUT);
}

static struct conn *
free_conn(struct tlsc *t)
{
	size_t i;

	for (i = 0; i < TLSC_MAX_INFLIGHT; i++)
		if (t->conns[i].st == C_FREE)
			return &t->conns[i];
	return NULL;
}

/* One pass over the queue: starts tries at the sender's rate, keeps at most
 * TLSC_MAX_INFLIGHT going, and drives them until every one has ended. */
static void
run_queue(struct tlsc *t)
{
	size_t next = 0, i;
	int64_t start_at = mono_ns();

	while ((next < t->nq || t->inflight > 0) && !atomic_load(&t->stop)) {
		struct pollfd pf[TLSC_MAX_INFLIGHT];
		struct conn *slot[TLSC_MAX_INFLIGHT];
		int64_t now = mono_ns(), wake = now + 50 * NS_PER_MS;
		size_t n = 0;
		struct conn *c;

		while (next < t->nq && now >= start_at && (c = free_conn(t)) != NULL) {
			conn_start(t, c, t->queue[next++]);
			start_at += t->gap;
		}
		if (next < t->nq && t->inflight < TLSC_MAX_INFLIGHT && start_at < wake)
			wake = start_at;
		for (i = 0; i < TLSC_MAX_INFLIGHT; i++) {
			c = &t->conns[i];
			if (c->st == C_FREE)
				continue;
			pf[n] = (struct pollfd){ .fd = c->fd, .events = c->want };
			slot[n++] = c;
			if (c->deadline < wake)
				wake = c->deadline;
		}
		if (poll(pf, (nfds_t)n, (int)((wake - now + NS_PER_MS - 1) / NS_PER_MS)) < 0 &&
		    errno != EINTR)
			break;
		now = mono_ns();
		for (i = 0; i < n; i++)
			conn_step(t, slot[i], pf[i].revents, now);
	}
	for (i = 0; i < TLSC_MAX_INFLIGHT; i++)
		if (t->conns[i].st != C_FREE) {
			snprintf(t->conns[i].t.error, sizeof(t->conns[i].t.error), "interrupted");
			conn_end(t, &t->conns[i], TLSO_ERROR);
		}
}

/* The first round tries every TLS probe; each further round (the sender's
 * retries) those that got no answer at all, as for raw probes. */
static void *
thread_main(void *arg)
{
	struct tlsc *t = arg;
	unsigned round;
	char c = 'd';
	uint32_t i;

	for (round = 0; round <= t->cfg->retries && !atomic_load(&t->stop); round++) {
		t->nq = 0;
		for (i = 0; i < plan_nprobes(t->cfg->plan); i++)
			if (mine(t->cfg, i) && !t->settled[i])
				t->queue[t->nq++] = i;
		if (t->nq == 0)
			break;
		run_queue(t);
	}
	atomic_store(&t->done, true);
	if (write(t->done_pipe[1], &c, 1) != 1)
		atomic_store(&t->done, true);   /* the caller also polls done */
	return NULL;
}

int
tlsc_start(struct tlsc *t, char *err, size_t errlen)
{
	int e = pthread_create(&t->th, NULL, thread_main, t);

	if (e != 0)
		return errfmt(err, errlen, "TLS thread: %s", strerror(e));
	t->started = true;
	return 0;
}

int
tlsc_done_fd(const struct tlsc *t)
{
	return t && t->started ? t->done_pipe[0] : -1;
}

bool
tlsc_done(const struct tlsc *t)
{
	return !t || !t->started || atomic_load(&t->done);
}

void
tlsc_stop(struct tlsc *t)
{
	if (t)
		atomic_store(&t->stop, true);
}

int
tlsc_finish(struct tlsc *t, uint64_t *first_tries, char *err, size_t errlen)
{
	int rc = 0;

	if (!t)
		return 0;
	if (t->started)
		pthread_join(t->th, NULL);
	if (first_tries)
		*first_tries = t->first;
	if (t->logfd >= 0 && err)
		rc = tlslog_write_fd(&t->log, &t->logfd, err, errlen);
	if (t->logfd >= 0)
		close(t->logfd);
	if (t->done_pipe[0] >= 0) {
		close(t->done_pipe[0]);
		close(t->done_pipe[1]);
	}
	SSL_CTX_free(t->ctx);
	probeid_free(t->pid);
	tlslog_free(&t->log);
	free(t->queue);
	free(t->tries);
	free(t->settled);
	free(t);
	return rc;
}
