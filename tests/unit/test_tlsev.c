/* Unit tests for the TLS classes (tlsev.h): a sender's TLS log written to a
 * scratch run directory, hand-built ClientHellos fed as the sender's and the
 * far side's packets, then each probe classified from a SYN-level result as
 * the correlator would pass it.  Every class is asserted with its reason;
 * ClientHellos that cannot be read, and a log that is not one, give a
 * reason instead of a class. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "suites.h"
#include "correlate/correlate.h"
#include "correlate/tlsev.h"

#define CL_ADDR  "198.18.10.10"
#define SRV_ADDR "198.18.20.10"
#define MB_ADDR  "198.18.99.1"     /* a middlebox opening its own TLS */
#define SNI      "srv.lab.example"
#define T0       INT64_C(1700000000000000)
#define TRY_US   100000

static const char p_tls[] =
    "profile \"TLS classes\"\n"
    "zone cl \"clients\"\n"
    "role srv \"server\"\n"
    "service intact = tcp/443 tls\n"
    "service sni    = tcp/1443 tls\n"
    "service alt    = tcp/2443 tls\n"
    "service mitm   = tcp/3443 tls\n"
    "service gone   = tcp/4443 tls\n"
    "service blk    = tcp/5443 tls\n"
    "service bad    = tcp/6443 tls\n"
    "service cut    = tcp/7443 tls\n"
    "open cl -> srv : intact, sni, alt, mitm, gone, blk, bad, cut\n";

static const char s_tls[] =
    "site \"T\"\n"
    "host cl " CL_ADDR "\n"
    "host srv " SRV_ADDR " fqdn \"" SNI "\"\n";

static const uint8_t key[PROBEID_KEYLEN] = { 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

struct tfx {
	struct fixture  f;
	struct corr    *c;
	struct evidence_sink sink;   /* into c, as the correlator feeds itself */
	struct probeid *pid;
	struct tlsev   *t;
	char            dir[64];
	size_t          cl, srv;
};

/* A ClientHello record: TLS 1.3 suites (the first one given), SNI and
 * supported_versions; random is 32 copies of one byte. */
struct hello {
	uint8_t b[256];
	size_t  len;
};

static void
put(struct hello *h, unsigned v, size_t width)
{
	while (width--)
		h->b[h->len++] = (uint8_t)(v >> (8 * width));
}

static void
patch(struct hello *h, size_t at, size_t width)
{
	size_t v = h->len - at - width, i;

	for (i = 0; i < width; i++)
		h->b[at + i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static void
make_hello(struct hello *h, uint8_t random, const char *sni, uint16_t first_suite)
{
	size_t rec, hs, exts, e, i;

	h->len = 0;
	put(h, TLS_CT_HANDSHAKE, 1), put(h, 0x0301, 2), rec = h->len, put(h, 0, 2);
	put(h, TLS_HS_CLIENT_HELLO, 1), hs = h->len, put(h, 0, 3);
	put(h, 0x0303, 2);
	for (i = 0; i < TLSLOG_RANDOM; i++)
		put(h, random, 1);
	put(h, 0, 1);
	put(h, 6, 2), put(h, first_suite, 2), put(h, 0x1302, 2), put(h, 0x1303, 2);
	put(h, 1, 1), put(h, 0, 1);
	exts = h->len, put(h, 0, 2);
	put(h, 0, 2), e = h->len, put(h, 0, 2);                 /* server_name */
	put(h, strlen(sni) + 3, 2), put(h, 0, 1), put(h, strlen(sni), 2);
	memcpy(h->b + h->len, sni, strlen(sni));
	h->len += strlen(sni);
	patch(h, e, 2);
	put(h, 43, 2), put(h, 3, 2), put(h, 2, 1), put(h, 0x0304, 2);   /* supported_versions */
	patch(h, exts, 2);
	patch(h, hs, 3);
	patch(h, rec, 2);
}

static uint32_t
id_of(const struct tfx *x, uint16_t port)
{
	return fixture_probe_to(&x->f, port);
}

/* One logged try of the probe to port, started at T0 + port ms. */
static void
log_try(const struct tfx *x, struct tlslog *l, uint16_t port, uint8_t random,
    enum tls_outcome out)
{
	struct probe_carriers car;
	struct tlslog_try tr;

	memset(&tr, 0, sizeof(tr));
	tr.probe = id_of(x, port);
	probeid_encode(x->pid, tr.probe, &car);
	tr.try_no = 1;
	tr.sport = car.sport;
	CU_ASSERT_FATAL(addr_parse(CL_ADDR, &tr.src) && addr_parse(SRV_ADDR, &tr.dst));
	tr.port = port;
	tr.started_us = T0 + port * 1000;
	tr.ended_us = tr.started_us + TRY_US;
	tr.has_random = true;
	memset(tr.random, random, TLSLOG_RANDOM);
	snprintf(tr.sni, sizeof(tr.sni), "%s", SNI);
	tr.outcome = out;
	tr.alert = -1;
	if (out == TLSO_HANDSHAKE) {
		snprintf(tr.version, sizeof(tr.version), "TLSv1.3");
		snprintf(tr.cipher, sizeof(tr.cipher), "TLS_AES_128_GCM_SHA256");
	}
	CU_ASSERT_EQUAL_FATAL(tlslog_add(l, &tr), 0);
}

static void
write_log(const struct tfx *x, const struct tlslog *l, unsigned seg)
{
	char fn[128], path[256];
	FILE *f;

	tlslog_name("cl", true, seg, fn, sizeof(fn));
	snprintf(path, sizeof(path), "%s/%s", x->dir, fn);
	CU_ASSERT_FATAL((f = fopen(path, "w")) != NULL);
	CU_ASSERT_EQUAL(tlslog_write(l, f), 0);
	fclose(f);
}

static void
to_corr(void *arg, const struct probe_match *m, const struct pkt *p, int64_t ts_us, size_t ep,
    bool at_sender)
{
	corr_event(arg, m, p, ts_us, ep, at_sender);
}

static void
fx_open(struct tfx *x)
{
	memset(x, 0, sizeof(*x));
	fixture_parse(&x->f, "t.profile", p_tls, "t.site", s_tls);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->f.pl);
	CU_ASSERT_EQUAL_FATAL(plan_nprobes(x->f.pl), 8);
	x->cl = fixture_ep(&x->f, "cl");
	x->srv = fixture_ep(&x->f, "srv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->c = corr_new(x->f.pl));
	x->sink = (struct evidence_sink){ to_corr, x->c };
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->pid = probeid_new(key));
	snprintf(x->dir, sizeof(x->dir), "/tmp/rp-tlsev.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(x->dir));
}

/* Reads the logs written so far. */
static void
fx_start(struct tfx *x)
{
	bool oom;

	x->t = tlsev_new(x->f.pl, key, x->dir, &oom);
	CU_ASSERT_FALSE_FATAL(oom);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->t);
}

static void
fx_close(struct tfx *x)
{
	char cmd[128];

	tlsev_free(x->t);
	probeid_free(x->pid);
	corr_free(x->c);
	fixture_close(&x->f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A TCP segment of the flow src:sport -> SRV_ADDR:port, seen at the
 * sender or at the far side. */
static void
segment(struct tfx *x, const char *src, uint16_t sport, uint16_t port, uint8_t flags,
    uint32_t seq, const uint8_t *data, size_t len, bool at_sender)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.kind = PKT_TCP;
	CU_ASSERT_FATAL(addr_parse(src, &p.ip.src) && addr_parse(SRV_ADDR, &p.ip.dst));
	p.ip.ttl = 64;
	p.l4.sport = sport;
	p.l4.dport = port;
	p.l4.seq = seq;
	p.l4.has_seq = true;
	p.l4.flags = flags;
	p.l4.payload = data;
	p.l4.payload_len = len;
	tlsev_packet(x->t, &x->sink, x->pid, &p, T0 + port * 1000 + 500, 1, 0,
	    at_sender ? x->cl : x->srv, at_sender);
}

/* The probe's SYN, then its client data (if any), on the probe's flow. */
static void
probe_flow(struct tfx *x, uint16_t port, const uint8_t *data, size_t len, bool at_sender)
{
	struct probe_carriers car;
	uint32_t isn = 1000u * port;

	probeid_encode(x->pid, id_of(x, port), &car);
	segment(x, CL_ADDR, car.sport, port, TCPF_SYN, isn, NULL, 0, at_sender);
	if (data)
		segment(x, CL_ADDR, car.sport, port, TCPF_ACK | TCPF_PSH, isn + 1, data, len, at_sender);
}

/* The SYN-level result the correlator hands over: what crossed. */
static struct probe_result
syn_level(enum evidence ev)
{
	struct probe_result r;

	memset(&r, 0, sizeof(r));
	r.ev = ev;
	r.obs = OBS_OPEN;
	r.verdict = VERDICT_PASS;
	r.arrivals = ev == EVD_ARRIVED;
	return r;
}

static const struct tls_result *
classify(struct tfx *x, uint16_t port, struct probe_result *r, enum inconclusive_reason doubt)
{
	const struct tls_result *res;

	tlsev_classify(x->t, id_of(x, port), r, doubt, 0);
	res = tlsev_result(x->t, id_of(x, port));
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	return res;
}

static bool
starts(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0) {
		fprintf(stderr, "\n  got:  %s\n  want: %s...\n", s, prefix);
		return false;
	}
	return true;
}

static void
expect(const struct probe_result *r, enum evidence ev, enum observed obs, enum verdict v)
{
	if (r->ev != ev || r->obs != obs || r->verdict != v)
		fprintf(stderr, "\n  got %s/%s/%s, want %s/%s/%s\n", evidence_name(r->ev),
		    observed_name(r->obs), verdict_name(r->verdict), evidence_name(ev), observed_name(obs),
		    verdict_name(v));
	CU_ASSERT_EQUAL(r->ev, ev);
	CU_ASSERT_EQUAL(r->obs, obs);
	CU_ASSERT_EQUAL(r->verdict, v);
}

/* Every class from one run: the sender sent one ClientHello per probe; the
 * far side saw each as the test says. */
static void
test_classes(void)
{
	struct tlslog l = { .endpoint = "cl" };
	struct hello h, arr;
	const struct tls_result *res;
	struct probe_result r;
	char want[320];
	struct tfx x;
	uint16_t port;

	fx_open(&x);
	log_try(&x, &l, 443, 0x11, TLSO_HANDSHAKE);
	log_try(&x, &l, 1443, 0x22, TLSO_HANDSHAKE);
	log_try(&x, &l, 2443, 0x33, TLSO_HANDSHAKE);
	log_try(&x, &l, 3443, 0x44, TLSO_HANDSHAKE);
	log_try(&x, &l, 4443, 0x55, TLSO_HANDSHAKE);
	log_try(&x, &l, 5443, 0x66, TLSO_TIMEOUT);
	log_try(&x, &l, 6443, 0x77, TLSO_HANDSHAKE);
	log_try(&x, &l, 7443, 0x88, TLSO_HANDSHAKE);
	write_log(&x, &l, 0);
	fx_start(&x);

	tlsev_capture_begin(x.t, x.cl, true);
	for (port = 443; port <= 7443; port += 1000) {
		uint8_t rnd = (uint8_t)(0x11 * (port / 1000 + 1));
		make_hello(&h, rnd, SNI, 0x1301);
		probe_flow(&x, port, h.b, h.len, true);
	}
	tlsev_capture_done(x.t);

	tlsev_capture_begin(x.t, x.srv, false);
	make_hello(&arr, 0x11, SNI, 0x1301);
	probe_flow(&x, 443, arr.b, arr.len, false);
	make_hello(&arr, 0x22, "srv.lab.exampl3", 0x1301);
	probe_flow(&x, 1443, arr.b, arr.len, false);
	make_hello(&arr, 0x33, SNI, 0x00ff);
	probe_flow(&x, 2443, arr.b, arr.len, false);
	/* Only the middlebox's own flow, with a random no sender logged. */
	make_hello(&arr, 0xee, SNI, 0x1301);
	segment(&x, MB_ADDR, 50001, 3443, TCPF_SYN, 7, NULL, 0, false);
	segment(&x, MB_ADDR, 50001, 3443, TCPF_ACK | TCPF_PSH, 8, arr.b, arr.len, false);
	/* 4443: nothing arrived.  5443: the SYN only. */
	probe_flow(&x, 5443, NULL, 0, false);
	/* 6443: a record whose handshake length overruns it. */
	make_hello(&arr, 0x77, SNI, 0x1301);
	arr.b[6] = 0x7f;
	probe_flow(&x, 6443, arr.b, arr.len, false);
	/* 7443: the capture ends halfway through the ClientHello. */
	make_hello(&arr, 0x88, SNI, 0x1301);
	probe_flow(&x, 7443, arr.b, arr.len / 2, false);
	tlsev_capture_done(x.t);

	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 443, &r, INC_NONE);
	expect(&r, EVD_TLS_INTACT, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT(res->hello_arrived);
	CU_ASSERT_STRING_EQUAL(res->sni_arrived, SNI);
	CU_ASSERT_STRING_EQUAL(res->ja4_arrived, res->ja4_sent);
	CU_ASSERT(starts(res->ja4_sent, "t13d030200_"));   /* SNI, 3 suites, 2 extensions, no ALPN */
	snprintf(want, sizeof(want), "ClientHello arrived at srv intact (SNI " SNI ", JA4 %s as sent); "
	    "handshake done, TLSv1.3 TLS_AES_128_GCM_SHA256", res->ja4_sent);
	CU_ASSERT_STRING_EQUAL(res->reason, want);

	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 1443, &r, INC_NONE);
	expect(&r, EVD_TLS_SNI_ALTERED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT_STRING_EQUAL(res->reason, "ClientHello arrived at srv with SNI 'srv.lab.exampl3', "
	    "sent as '" SNI "' (same client random): a middlebox rewrote it; handshake done, TLSv1.3 "
	    "TLS_AES_128_GCM_SHA256");

	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 2443, &r, INC_NONE);
	expect(&r, EVD_TLS_ALTERED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT_STRING_NOT_EQUAL(res->ja4_arrived, res->ja4_sent);
	snprintf(want, sizeof(want), "ClientHello arrived at srv with JA4 %s, sent as %s (same client "
	    "random and SNI): a middlebox rewrote it;", res->ja4_arrived, res->ja4_sent);
	CU_ASSERT(starts(res->reason, want));

	r = syn_level(EVD_ANSWERED);
	res = classify(&x, 3443, &r, INC_NONE);
	expect(&r, EVD_TLS_REORIGINATED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT(res->foreign_hello);
	CU_ASSERT_FALSE(res->hello_arrived);
	CU_ASSERT_STRING_EQUAL(res->reason, "our ClientHello never reached srv, yet our handshake "
	    "completed and a ClientHello with a client random we never sent (SNI '" SNI "') reached it "
	    "on port 3443: a middlebox opened its own TLS");

	r = syn_level(EVD_ANSWERED);
	res = classify(&x, 4443, &r, INC_NONE);
	expect(&r, EVD_TLS_REORIGINATED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT_FALSE(res->foreign_hello);
	CU_ASSERT_STRING_EQUAL(res->reason, "our handshake completed (TLSv1.3 TLS_AES_128_GCM_SHA256) "
	    "but none of our ClientHellos reached srv (capture live, lossless): something on the path "
	    "answered TLS in its place");

	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 5443, &r, INC_NONE);
	expect(&r, EVD_TLS_BLOCKED_AFTER_SYN, OBS_CLOSED, VERDICT_FAIL);
	CU_ASSERT_STRING_EQUAL(res->reason, "the SYN crossed (it arrived) but the ClientHello (SNI '"
	    SNI "') never reached srv (capture live, lossless): stopped after the TCP handshake, by SNI "
	    "or DPI; sender saw timeout");

	/* What arrived cannot be read: the SYN-level class stands. */
	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 6443, &r, INC_NONE);
	expect(&r, EVD_ARRIVED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT(starts(res->reason, "data of the probe's flow reached srv but no ClientHello could "
	    "be read from it (malformed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(res->reason, "what became of it cannot be told; handshake done"));

	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 7443, &r, INC_NONE);
	expect(&r, EVD_ARRIVED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT_STRING_EQUAL(res->reason, "data of the probe's flow reached srv but no ClientHello "
	    "could be read from it (the capture ends before it is whole): what became of it cannot be "
	    "told; handshake done, TLSv1.3 TLS_AES_128_GCM_SHA256");

	CU_ASSERT_PTR_NULL(tlsev_log_problem(x.t));
	tlslog_free(&l);
	fx_close(&x);
}

/* When the far side's silence cannot be trusted, a completed handshake
 * with no ClientHello seen is no finding; a SYN that crossed with the
 * ClientHello missing is judged only where the sender saw it fail. */
static void
test_doubt(void)
{
	struct tlslog l = { .endpoint = "cl" };
	const struct tls_result *res;
	struct probe_result r;
	struct hello h;
	struct tfx x;

	fx_open(&x);
	log_try(&x, &l, 4443, 0x55, TLSO_HANDSHAKE);
	log_try(&x, &l, 5443, 0x66, TLSO_RESET);
	write_log(&x, &l, 0);
	fx_start(&x);
	tlsev_capture_begin(x.t, x.cl, true);
	make_hello(&h, 0x55, SNI, 0x1301);
	probe_flow(&x, 4443, h.b, h.len, true);
	make_hello(&h, 0x66, SNI, 0x1301);
	probe_flow(&x, 5443, h.b, h.len, true);
	tlsev_capture_done(x.t);

	r = syn_level(EVD_ANSWERED);
	r.obs = OBS_UNKNOWN;
	r.verdict = VERDICT_INCONCLUSIVE;
	r.why = INC_NO_RX_CAPTURE;
	res = classify(&x, 4443, &r, INC_NO_RX_CAPTURE);
	CU_ASSERT_EQUAL(r.ev, EVD_ANSWERED);
	CU_ASSERT_STRING_EQUAL(res->reason, "the far side cannot tell whether the ClientHello arrived; "
	    "handshake done, TLSv1.3 TLS_AES_128_GCM_SHA256");

	r = syn_level(EVD_ANSWERED);
	res = classify(&x, 5443, &r, INC_NO_RX_CAPTURE);
	expect(&r, EVD_TLS_BLOCKED_AFTER_SYN, OBS_CLOSED, VERDICT_FAIL);
	CU_ASSERT_EQUAL(r.why, INC_NONE);
	CU_ASSERT(starts(res->reason, "the SYN crossed (the host answered) but the ClientHello (SNI '"
	    SNI "') never reached srv (judged at the sender: no far-side capture)"));

	/* Never crossed, never logged. */
	r = syn_level(EVD_SILENT_DROP);
	r.obs = OBS_CLOSED;
	res = classify(&x, 443, &r, INC_NONE);
	expect(&r, EVD_SILENT_DROP, OBS_CLOSED, VERDICT_FAIL);
	CU_ASSERT_STRING_EQUAL(res->reason, "no ClientHello could follow: no try logged");
	tlslog_free(&l);
	fx_close(&x);
}

/* A sender log that is not one is named, not fatal: its probes have no
 * try.  A resumed run's later segment is read even when an earlier one
 * has no log, and its tries are judged as that segment's. */
static void
test_logs(void)
{
	struct tlslog l = { .endpoint = "cl" };
	const struct tls_result *res;
	struct probe_result r;
	char path[256];
	struct tfx x;
	FILE *f;

	fx_open(&x);
	snprintf(path, sizeof(path), "%s/tls-cl.json", x.dir);
	CU_ASSERT_FATAL((f = fopen(path, "w")) != NULL);
	fputs("{\"schema\": \"ruleproof-tls/1\", \"endpoint\": \"cl\", \"tries\": [{\"probe\": ", f);
	fclose(f);
	fx_start(&x);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tlsev_log_problem(x.t));
	CU_ASSERT_PTR_NOT_NULL(strstr(tlsev_log_problem(x.t), "tls-cl.json"));
	r = syn_level(EVD_ARRIVED);
	res = classify(&x, 443, &r, INC_NONE);
	expect(&r, EVD_ARRIVED, OBS_OPEN, VERDICT_PASS);
	CU_ASSERT_STRING_EQUAL(res->reason, "no ClientHello could follow: no try logged");
	tlsev_free(x.t);
	x.t = NULL;

	CU_ASSERT_EQUAL(unlink(path), 0);
	log_try(&x, &l, 443, 0x11, TLSO_HANDSHAKE);
	write_log(&x, &l, 2);
	fx_start(&x);
	CU_ASSERT_PTR_NULL(tlsev_log_problem(x.t));
	r = syn_level(EVD_ANSWERED);
	res = classify(&x, 443, &r, INC_NO_RX_CAPTURE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res->shown);
	CU_ASSERT_EQUAL(res->tries_logged, 1);
	CU_ASSERT_EQUAL(res->seg, 2);
	tlslog_free(&l);
	fx_close(&x);
}

int
register_tlsev_tests(void)
{
	CU_pSuite s = CU_add_suite("tlsev", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "every TLS class, with its reason", test_classes) ||
	    !CU_add_test(s, "doubt at the far side", test_doubt) ||
	    !CU_add_test(s, "broken and resumed TLS logs", test_logs))
		return -1;
	return 0;
}
