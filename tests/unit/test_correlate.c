/* Unit tests for the correlator (correlate.h): every evidence class, every
 * inconclusive reason, the verdicts and their aggregation per rule, fed with
 * synthetic events; then one round trip through real pcap files so that the
 * decoding path (pkt + probe kind + probe id) is covered too. */
#include <CUnit/Basic.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "correlate/correlate.h"
#include "fixture.h"
#include "frame.h"
#include "suites.h"

#define SRC_ADDR    "198.18.1.1"
#define WEB_ADDR    "198.18.2.1"
#define DB_ADDR     "198.18.3.1"
#define ROUTER_ADDR "198.18.9.1"

/* Captures run from T0 for a minute; probes leave one second in. */
#define T0      INT64_C(1700000000000000)
#define T_SENT  (T0 + 1000000)
#define T_END   (T0 + 60000000)

static const char p_corr[] =
    "profile \"Correlate\"\n"
    "zone src \"S\"\n"
    "role web \"W\"\n"
    "role db \"D\"\n"
    "open src -> web : tcp/443, 8443\n"      /* rule 0 */
    "open src -> web : tcp/80\n"             /* rule 1 */
    "closed src -> db : tcp/1433, 22\n";     /* rule 2 */

static const char s_corr[] =
    "site \"T\"\n"
    "host src " SRC_ADDR "\n"
    "host web " WEB_ADDR "\n"
    "host db " DB_ADDR "\n";

struct fx {
	struct fixture  f;
	struct corr    *c;
	size_t          src, web, db;
};

static struct capfile
good_meta(const char *role)
{
	struct capfile m;

	memset(&m, 0, sizeof(m));
	snprintf(m.role, sizeof(m.role), "%s", role);
	m.started_us = T0;
	m.finished_us = T_END;
	m.complete = true;
	return m;
}

/* A plan and a correlator whose three captures are all complete, lossless
 * and cover every probe; tests then spoil what they are about. */
static void
fx_open(struct fx *x)
{
	struct capfile tx = good_meta("send"), rx = good_meta("listen");

	memset(x, 0, sizeof(*x));
	fixture_parse(&x->f, "c.profile", p_corr, "c.site", s_corr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->f.pl);
	CU_ASSERT_EQUAL_FATAL(plan_nprobes(x->f.pl), 5);
	x->c = corr_new(x->f.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->c);
	x->src = (size_t)profile_find_endpoint(x->f.pf, "src");
	x->web = (size_t)profile_find_endpoint(x->f.pf, "web");
	x->db = (size_t)profile_find_endpoint(x->f.pf, "db");
	corr_set_capture(x->c, x->src, true, &tx);
	corr_set_capture(x->c, x->web, false, &rx);
	corr_set_capture(x->c, x->db, false, &rx);
}

static void
fx_close(struct fx *x)
{
	corr_free(x->c);
	fixture_close(&x->f);
}

/* The id of the probe to port (every port is planned once). */
static uint32_t
id_of(const struct fx *x, uint16_t port)
{
	return fixture_probe_to(&x->f, port);
}

static void
event(struct fx *x, uint16_t port, enum probe_event ev, size_t ep, bool at_sender,
    const struct pkt *p)
{
	struct probe_match m = { .id = id_of(x, port), .ev = ev };
	struct pkt none;

	memset(&none, 0, sizeof(none));
	corr_event(x->c, &m, p ? p : &none, T_SENT + (ev == EV_SENT ? 0 : 300), ep, at_sender);
}

static void
sent(struct fx *x, uint16_t port)
{
	event(x, port, EV_SENT, x->src, true, NULL);
}

static void
arrived(struct fx *x, uint16_t port)
{
	const struct probe *p = plan_probe(x->f.pl, id_of(x, port));

	event(x, port, EV_ARRIVED, p->dst, false, NULL);
}

/* A reply back at the sender: only the reply's source, TTL and ICMP type
 * and code are evidence. */
static void
reply(struct fx *x, uint16_t port, enum probe_event ev, const char *from, uint8_t ttl,
    uint8_t type, uint8_t code)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	CU_ASSERT_FATAL(addr_parse(from, &p.ip.src));
	p.ip.ttl = ttl;
	p.icmp_type = type;
	p.icmp_code = code;
	event(x, port, ev, x->src, true, &p);
}

static const struct probe_result *
result(const struct fx *x, uint16_t port)
{
	const struct probe_result *r = corr_result(x->c, id_of(x, port));

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

static void
expect(const struct fx *x, uint16_t port, enum evidence ev, enum observed obs, enum verdict v,
    enum inconclusive_reason why)
{
	const struct probe_result *r = result(x, port);

	if (r->ev != ev || r->obs != obs || r->verdict != v || r->why != why)
		fprintf(stderr, "\nport %u: got %s/%s/%s why %d, want %s/%s/%s why %d\n", port,
		    evidence_name(r->ev), observed_name(r->obs), verdict_name(r->verdict), r->why,
		    evidence_name(ev), observed_name(obs), verdict_name(v), why);
	CU_ASSERT_EQUAL(r->ev, ev);
	CU_ASSERT_EQUAL(r->obs, obs);
	CU_ASSERT_EQUAL(r->verdict, v);
	CU_ASSERT_EQUAL(r->why, why);
}

static bool
addr_is(const struct rp_addr *a, const char *s)
{
	char buf[ADDR_STRLEN];

	return strcmp(addr_fmt(a, buf), s) == 0;
}

/* ---- evidence classes ---- */

static void
test_arrived(void)
{
	struct fx x;

	fx_open(&x);
	sent(&x, 443);
	arrived(&x, 443);
	/* Closed by the profile, yet it crossed: the firewall is wrong. */
	sent(&x, 1433);
	arrived(&x, 1433);
	corr_finish(x.c);
	expect(&x, 443, EVD_ARRIVED, OBS_OPEN, VERDICT_PASS, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 443)->sent_us, T_SENT);
	expect(&x, 1433, EVD_ARRIVED, OBS_OPEN, VERDICT_FAIL, INC_NONE);
	fx_close(&x);
}

static void
test_host_reset(void)
{
	struct fx x;
	const struct probe_result *r;

	fx_open(&x);
	sent(&x, 443);
	arrived(&x, 443);
	reply(&x, 443, EV_RESET, WEB_ADDR, 64, 0, 0);
	corr_finish(x.c);
	/* It crossed; the host simply has no listener. */
	expect(&x, 443, EVD_HOST_RESET, OBS_OPEN, VERDICT_PASS, INC_NONE);
	r = result(&x, 443);
	CU_ASSERT_EQUAL(r->reply_ttl, 64);
	CU_ASSERT_TRUE(addr_is(&r->reply_from, WEB_ADDR));
	fx_close(&x);
}

static void
test_answered(void)
{
	struct fx x;

	fx_open(&x);
	/* A SYN-ACK proves crossing on its own: no far-side capture at all. */
	corr_set_capture(x.c, x.web, false, NULL);
	sent(&x, 443);
	reply(&x, 443, EV_ANSWER, WEB_ADDR, 64, 0, 0);
	/* And it outranks a reset seen before it. */
	sent(&x, 8443);
	reply(&x, 8443, EV_RESET, ROUTER_ADDR, 250, 0, 0);
	reply(&x, 8443, EV_ANSWER, WEB_ADDR, 64, 0, 0);
	corr_finish(x.c);
	expect(&x, 443, EVD_ANSWERED, OBS_OPEN, VERDICT_PASS, INC_NONE);
	expect(&x, 8443, EVD_ANSWERED, OBS_OPEN, VERDICT_PASS, INC_NONE);
	CU_ASSERT_TRUE(addr_is(&result(&x, 8443)->reply_from, WEB_ADDR));
	fx_close(&x);
}

static void
test_firewall_reset(void)
{
	struct fx x;
	char line[256];

	fx_open(&x);
	/* A reset, and the far side (live, lossless) never saw the SYN. */
	sent(&x, 1433);
	reply(&x, 1433, EV_RESET, DB_ADDR, 253, 0, 0);
	sent(&x, 8443);
	reply(&x, 8443, EV_RESET, WEB_ADDR, 253, 0, 0);
	corr_finish(x.c);
	expect(&x, 1433, EVD_FIREWALL_RESET, OBS_CLOSED, VERDICT_PASS, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 1433)->reply_ttl, 253);
	/* The report line names who reset and with what TTL: the auditor's
	 * way to check that it was not the host. */
	probe_result_detail(x.c, id_of(&x, 1433), line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "RST from " DB_ADDR " ttl 253"));
	/* Expected open but closed. */
	expect(&x, 8443, EVD_FIREWALL_RESET, OBS_CLOSED, VERDICT_FAIL, INC_NONE);
	fx_close(&x);
}

static void
test_icmp_unreachable(void)
{
	struct fx x;
	const struct probe_result *r;
	char line[256];

	fx_open(&x);
	sent(&x, 22);
	reply(&x, 22, EV_UNREACH, ROUTER_ADDR, 254, 3, 13);
	sent(&x, 80);
	reply(&x, 80, EV_UNREACH, ROUTER_ADDR, 254, 3, 10);
	corr_finish(x.c);
	expect(&x, 22, EVD_ICMP_UNREACHABLE, OBS_CLOSED, VERDICT_PASS, INC_NONE);
	r = result(&x, 22);
	CU_ASSERT_EQUAL(r->icmp_type, 3);
	CU_ASSERT_EQUAL(r->icmp_code, 13);
	CU_ASSERT_TRUE(addr_is(&r->reply_from, ROUTER_ADDR));
	probe_result_detail(x.c, id_of(&x, 22), line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "ICMP 3/13"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, ROUTER_ADDR));
	expect(&x, 80, EVD_ICMP_UNREACHABLE, OBS_CLOSED, VERDICT_FAIL, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 80)->icmp_code, 10);
	fx_close(&x);
}

static void
test_silent_drop(void)
{
	struct fx x;

	fx_open(&x);
	sent(&x, 1433);
	sent(&x, 80);
	corr_finish(x.c);
	expect(&x, 1433, EVD_SILENT_DROP, OBS_CLOSED, VERDICT_PASS, INC_NONE);
	expect(&x, 80, EVD_SILENT_DROP, OBS_CLOSED, VERDICT_FAIL, INC_NONE);
	fx_close(&x);
}

/* ---- inconclusive ---- */

static void
test_not_sent(void)
{
	struct fx x;

	fx_open(&x);
	corr_finish(x.c);
	/* Never a pass, whatever the expectation. */
	expect(&x, 443, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NOT_SENT);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NOT_SENT);
	fx_close(&x);

	/* Without the sender's capture, "not seen" is not "not sent". */
	fx_open(&x);
	corr_set_capture(x.c, x.src, true, NULL);
	corr_finish(x.c);
	expect(&x, 443, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NO_TX_CAPTURE);
	fx_close(&x);
}

static void
test_no_rx_capture(void)
{
	struct fx x;
	struct capfile broken = good_meta("listen");

	fx_open(&x);
	corr_set_capture(x.c, x.db, false, NULL);
	sent(&x, 1433);
	/* Without the far side a reset cannot be told from the host's own. */
	sent(&x, 22);
	reply(&x, 22, EV_RESET, DB_ADDR, 64, 0, 0);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NO_RX_CAPTURE);
	expect(&x, 22, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NO_RX_CAPTURE);
	fx_close(&x);

	/* A capture that was not written completely counts as none. */
	fx_open(&x);
	broken.complete = false;
	corr_set_capture(x.c, x.db, false, &broken);
	sent(&x, 1433);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NO_RX_CAPTURE);
	fx_close(&x);
}

static void
test_rx_lossy(void)
{
	struct fx x;
	struct capfile m = good_meta("listen");

	fx_open(&x);
	m.cap.drop = 1;
	corr_set_capture(x.c, x.db, false, &m);
	sent(&x, 1433);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_RX_LOSSY);
	fx_close(&x);

	fx_open(&x);
	m.cap.drop = 0;
	m.cap.ifdrop = 3;
	corr_set_capture(x.c, x.db, false, &m);
	sent(&x, 1433);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_RX_LOSSY);
	fx_close(&x);
}

static void
test_rx_window(void)
{
	struct fx x;
	struct capfile late = good_meta("listen"), early = good_meta("listen");

	/* Started after the probe left. */
	fx_open(&x);
	late.started_us = T_SENT + 1;
	corr_set_capture(x.c, x.db, false, &late);
	sent(&x, 1433);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_RX_WINDOW);
	fx_close(&x);

	/* Stopped before the probe could have arrived. */
	fx_open(&x);
	early.finished_us = T_SENT;
	corr_set_capture(x.c, x.db, false, &early);
	sent(&x, 1433);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_RX_WINDOW);
	fx_close(&x);
}

static void
test_tx_lossy(void)
{
	struct fx x;
	struct capfile m = good_meta("send");

	/* Silence is only silence if the sender could have heard a reply. */
	fx_open(&x);
	m.cap.drop = 2;
	corr_set_capture(x.c, x.src, true, &m);
	sent(&x, 1433);
	corr_finish(x.c);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_TX_LOSSY);
	fx_close(&x);
}

/* ---- aggregation ---- */

static void
check_summary(struct rule_summary s, uint32_t probes, uint32_t pass, uint32_t fail,
    uint32_t inc, enum verdict v)
{
	CU_ASSERT_EQUAL(s.probes, probes);
	CU_ASSERT_EQUAL(s.pass, pass);
	CU_ASSERT_EQUAL(s.fail, fail);
	CU_ASSERT_EQUAL(s.inconclusive, inc);
	CU_ASSERT_EQUAL(s.verdict, v);
}

/* Gives every probe but the one to port `except` the evidence of a pass:
 * the open ones arrive, the closed ones are silently dropped. */
static void
pass_all_but(struct fx *x, uint16_t except)
{
	uint32_t i;

	for (i = 0; i < plan_nprobes(x->f.pl); i++) {
		const struct probe *p = plan_probe(x->f.pl, i);
		if (p->port == except)
			continue;
		sent(x, p->port);
		if (p->expect_open)
			arrived(x, p->port);
	}
}

static void
test_aggregation(void)
{
	struct fx x;

	fx_open(&x);
	sent(&x, 443);                 /* rule 0: pass + inconclusive */
	arrived(&x, 443);
	sent(&x, 80);                  /* rule 1: pass */
	arrived(&x, 80);
	sent(&x, 1433);                /* rule 2: fail + inconclusive */
	arrived(&x, 1433);
	corr_finish(x.c);
	check_summary(corr_rule(x.c, 0), 2, 1, 0, 1, VERDICT_INCONCLUSIVE);
	check_summary(corr_rule(x.c, 1), 1, 1, 0, 0, VERDICT_PASS);
	check_summary(corr_rule(x.c, 2), 2, 0, 1, 1, VERDICT_FAIL);
	check_summary(corr_total(x.c), 5, 2, 1, 2, VERDICT_FAIL);
	/* No `default closed`: no negative probes, and no such rule. */
	check_summary(corr_rule(x.c, PLAN_RULE_DEFAULT), 0, 0, 0, 0, VERDICT_PASS);
	CU_ASSERT_EQUAL(corr_rule(x.c, 3).probes, 0);
	fx_close(&x);

	/* Everything passes but one probe without a verdict. */
	fx_open(&x);
	pass_all_but(&x, 22);
	corr_finish(x.c);
	check_summary(corr_rule(x.c, 2), 2, 1, 0, 1, VERDICT_INCONCLUSIVE);
	check_summary(corr_total(x.c), 5, 4, 0, 1, VERDICT_INCONCLUSIVE);
	fx_close(&x);

	/* And everything passes. */
	fx_open(&x);
	pass_all_but(&x, 0);
	corr_finish(x.c);
	check_summary(corr_rule(x.c, 0), 2, 2, 0, 0, VERDICT_PASS);
	check_summary(corr_rule(x.c, 2), 2, 2, 0, 0, VERDICT_PASS);
	check_summary(corr_total(x.c), 5, 5, 0, 0, VERDICT_PASS);
	fx_close(&x);
}

static void
test_foreign(void)
{
	struct fx x;
	struct probe_match bogus = { .id = 5, .ev = EV_SENT };
	struct pkt none;

	fx_open(&x);
	memset(&none, 0, sizeof(none));
	sent(&x, 443);
	/* A web probe's SYN captured at db: not evidence of its arrival. */
	event(&x, 443, EV_ARRIVED, x.db, false, NULL);
	/* A src probe seen leaving web. */
	event(&x, 1433, EV_SENT, x.web, true, NULL);
	/* An id outside the plan. */
	corr_event(x.c, &bogus, &none, T_SENT, x.src, true);
	corr_finish(x.c);
	CU_ASSERT_EQUAL(corr_foreign(x.c), 3);
	expect(&x, 443, EVD_SILENT_DROP, OBS_CLOSED, VERDICT_FAIL, INC_NONE);
	expect(&x, 1433, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NOT_SENT);
	fx_close(&x);
}

/* ---- through pcap files ---- */

static const uint8_t run_key[PROBEID_KEYLEN] = {
	0x72, 0x75, 0x6c, 0x65, 0x70, 0x72, 0x6f, 0x6f,
	0x66, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x2d, 0x31,
};

struct dump {
	char           path[64];
	pcap_t        *dead;
	pcap_dumper_t *d;
};

static void
dump_open(struct dump *d)
{
	int fd;

	snprintf(d->path, sizeof(d->path), "/tmp/rp-unit-corr-XXXXXX");
	fd = mkstemp(d->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	d->dead = pcap_open_dead(DLT_EN10MB, 256);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->dead);
	d->d = pcap_dump_open(d->dead, d->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->d);
}

static void
dump_frame(struct dump *d, const struct frame *f, int64_t ts_us)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	h.caplen = h.len = (bpf_u_int32)f->len;
	pcap_dump((u_char *)d->d, &h, f->b);
}

static void
dump_close(struct dump *d)
{
	pcap_dump_close(d->d);
	pcap_close(d->dead);
}

static void
syn_frame(struct frame *f, const char *src, const char *dst, uint8_t ttl,
    const struct probe_carriers *c, uint16_t dport)
{
	struct frame_ip ip = { .src = src, .dst = dst, .proto = 6, .ttl = ttl, .id = c->ipid };

	memset(f, 0, sizeof(*f));
	frame_eth(f, 0x0800);
	frame_ipv4(f, &ip, 20);
	frame_tcp(f, c->sport, dport, c->seq, 0, TCPF_SYN);
}

/* The destination's answer to a SYN: it acknowledges seq + 1 and goes back
 * to the probe's source port. */
static void
reset_frame(struct frame *f, const char *from, const char *to, uint8_t ttl,
    const struct probe_carriers *c, uint16_t dport)
{
	struct frame_ip ip = { .src = from, .dst = to, .proto = 6, .ttl = ttl };

	memset(f, 0, sizeof(*f));
	frame_eth(f, 0x0800);
	frame_ipv4(f, &ip, 20);
	frame_tcp(f, dport, c->sport, 0, c->seq + 1, TCPF_RST | TCPF_ACK);
}

/* A router's 3/13 quoting the probe's IP header and 8 bytes of TCP. */
static void
unreach_frame(struct frame *f, const struct probe_carriers *c, uint16_t dport)
{
	struct frame_ip outer = { .src = ROUTER_ADDR, .dst = SRC_ADDR, .proto = 1, .ttl = 254 };
	struct frame_ip quoted = { .src = SRC_ADDR, .dst = DB_ADDR, .proto = 6, .ttl = 1,
	    .id = c->ipid, .totlen = 40 };

	memset(f, 0, sizeof(*f));
	frame_eth(f, 0x0800);
	frame_ipv4(f, &outer, 8 + 20 + 8);
	frame_u8(f, 3);
	frame_u8(f, 13);
	frame_be16(f, 0);
	frame_be32(f, 0);
	frame_ipv4(f, &quoted, 20);
	frame_be16(f, c->sport);
	frame_be16(f, dport);
	frame_be32(f, c->seq);
}

/* Writes the sender's capture: the 443 SYN, its reset, a SYN of some other
 * tool, the 1433 SYN and a router's unreachable for it. */
static void
write_tx(struct dump *d, struct probeid *pid, uint32_t id443, uint32_t id1433)
{
	struct probe_carriers c443, c1433, alien = { .seq = 0x12345678, .sport = 5555, .ipid = 1 };
	struct frame f;

	probeid_encode(pid, id443, &c443);
	probeid_encode(pid, id1433, &c1433);
	dump_open(d);
	syn_frame(&f, SRC_ADDR, WEB_ADDR, 64, &c443, 443);
	dump_frame(d, &f, T_SENT);
	reset_frame(&f, WEB_ADDR, SRC_ADDR, 61, &c443, 443);
	dump_frame(d, &f, T_SENT + 400);
	syn_frame(&f, SRC_ADDR, WEB_ADDR, 64, &alien, 443);
	dump_frame(d, &f, T_SENT + 500);
	syn_frame(&f, SRC_ADDR, DB_ADDR, 64, &c1433, 1433);
	dump_frame(d, &f, T_SENT + 1000);
	unreach_frame(&f, &c1433, 1433);
	dump_frame(d, &f, T_SENT + 1300);
	dump_close(d);
}

static void
test_pcap_round_trip(void)
{
	struct fx x;
	struct dump tx, rx;
	struct probeid *pid = probeid_new(run_key);
	struct probe_carriers c443;
	struct frame f;
	char err[512] = "";
	const struct probe_result *r;
	uint32_t id443, id1433;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pid);
	fx_open(&x);
	id443 = id_of(&x, 443);
	id1433 = id_of(&x, 1433);
	write_tx(&tx, pid, id443, id1433);

	/* Sender side only: the reset came back and the far side, live and
	 * lossless, saw nothing, so the firewall reset it. */
	CU_ASSERT_EQUAL(corr_read_pcap(x.c, pid, tx.path, x.src, true, err, sizeof(err)), 0);
	corr_finish(x.c);
	expect(&x, 443, EVD_FIREWALL_RESET, OBS_CLOSED, VERDICT_FAIL, INC_NONE);
	r = result(&x, 443);
	CU_ASSERT_EQUAL(r->sent_us, T_SENT);
	CU_ASSERT_EQUAL(r->reply_ttl, 61);
	CU_ASSERT_TRUE(addr_is(&r->reply_from, WEB_ADDR));
	expect(&x, 1433, EVD_ICMP_UNREACHABLE, OBS_CLOSED, VERDICT_PASS, INC_NONE);
	r = result(&x, 1433);
	CU_ASSERT_EQUAL(r->sent_us, T_SENT + 1000);
	CU_ASSERT_EQUAL(r->icmp_type, 3);
	CU_ASSERT_EQUAL(r->icmp_code, 13);
	CU_ASSERT_TRUE(addr_is(&r->reply_from, ROUTER_ADDR));
	/* The other tool's SYN joined no probe, and is counted as foreign. */
	expect(&x, 8443, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_NOT_SENT);
	CU_ASSERT_EQUAL(corr_foreign(x.c), 1);
	fx_close(&x);

	/* Now with the far side's capture of the SYN (one hop later): it
	 * crossed, and the reset was the host's. */
	fx_open(&x);
	probeid_encode(pid, id443, &c443);
	dump_open(&rx);
	syn_frame(&f, SRC_ADDR, WEB_ADDR, 63, &c443, 443);
	dump_frame(&rx, &f, T_SENT + 200);
	dump_close(&rx);
	CU_ASSERT_EQUAL(corr_read_pcap(x.c, pid, tx.path, x.src, true, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(corr_read_pcap(x.c, pid, rx.path, x.web, false, err, sizeof(err)), 0);
	corr_finish(x.c);
	expect(&x, 443, EVD_HOST_RESET, OBS_OPEN, VERDICT_PASS, INC_NONE);
	CU_ASSERT_EQUAL(corr_foreign(x.c), 1);     /* the other tool's SYN again */

	/* Read at the wrong endpoint, the same SYN is no arrival at db. */
	CU_ASSERT_EQUAL(corr_read_pcap(x.c, pid, rx.path, x.db, false, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(corr_foreign(x.c), 2);
	fx_close(&x);

	/* A missing file is an error with a message, not a crash. */
	fx_open(&x);
	CU_ASSERT_EQUAL(corr_read_pcap(x.c, pid, "/nonexistent/rp.pcap", x.src, true, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/rp.pcap"));
	fx_close(&x);

	unlink(tx.path);
	unlink(rx.path);
	probeid_free(pid);
}

/* ---- what the reply proves, and how strongly ---- */

static void
host_reply(struct fx *x, uint16_t port)
{
	const struct probe *p = plan_probe(x->f.pl, id_of(x, port));

	event(x, port, EV_HOST_REPLY, p->dst, false, NULL);
}

static void
test_host_refused(void)
{
	struct fx x;
	char line[256];

	/* No far side: a port unreachable from the destination itself says
	 * the probe crossed; from another address, that it stopped there. */
	fx_open(&x);
	corr_set_capture(x.c, x.db, false, NULL);
	sent(&x, 22);
	reply(&x, 22, EV_UNREACH, DB_ADDR, 64, 3, 3);
	sent(&x, 1433);
	reply(&x, 1433, EV_UNREACH, ROUTER_ADDR, 254, 3, 3);
	corr_finish(x.c);
	expect(&x, 22, EVD_HOST_REFUSED, OBS_OPEN, VERDICT_FAIL, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 22)->proof, PROOF_ICMP);
	probe_result_detail(x.c, id_of(&x, 22), line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "the SYN crossed, the host refused it"));
	expect(&x, 1433, EVD_ICMP_UNREACHABLE, OBS_CLOSED, VERDICT_PASS, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 1433)->proof, PROOF_ICMP);
	fx_close(&x);

	/* With the far side live and lossless and no arrival, the same ICMP is
	 * a box that used the host's address: closed, proven two-sided. */
	fx_open(&x);
	sent(&x, 22);
	reply(&x, 22, EV_UNREACH, DB_ADDR, 64, 3, 3);
	corr_finish(x.c);
	expect(&x, 22, EVD_ICMP_UNREACHABLE, OBS_CLOSED, VERDICT_PASS, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 22)->proof, PROOF_TWO_SIDED);
	fx_close(&x);
}

static void
test_one_way(void)
{
	struct fx x;

	/* Crossed and answered at the far side, and nothing came back: an
	 * open rule no client can use, and a closed rule that let it in. */
	fx_open(&x);
	sent(&x, 443);
	arrived(&x, 443);
	host_reply(&x, 443);
	sent(&x, 1433);
	arrived(&x, 1433);
	host_reply(&x, 1433);
	/* The answer that did come back is the host's own reset. */
	sent(&x, 8443);
	arrived(&x, 8443);
	host_reply(&x, 8443);
	reply(&x, 8443, EV_RESET, WEB_ADDR, 63, 0, 0);
	corr_finish(x.c);
	expect(&x, 443, EVD_ONE_WAY, OBS_OPEN, VERDICT_FAIL, INC_NONE);
	expect(&x, 1433, EVD_ONE_WAY, OBS_OPEN, VERDICT_FAIL, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 443)->proof, PROOF_TWO_SIDED);
	expect(&x, 8443, EVD_HOST_RESET, OBS_OPEN, VERDICT_PASS, INC_NONE);
	fx_close(&x);
}

static void
test_middlebox_answer(void)
{
	struct fx x;
	char line[256];

	/* A SYN-ACK while the far side, live and lossless, saw no SYN. */
	fx_open(&x);
	sent(&x, 443);
	reply(&x, 443, EV_ANSWER, WEB_ADDR, 63, 0, 0);
	corr_finish(x.c);
	expect(&x, 443, EVD_MIDDLEBOX_ANSWER, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_MIDDLEBOX);
	probe_result_detail(x.c, id_of(&x, 443), line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "a middle box answered (SYN proxy?)"));
	fx_close(&x);
}

static void
test_proof(void)
{
	struct fx x;

	fx_open(&x);
	corr_set_capture(x.c, x.web, false, NULL);
	sent(&x, 443);
	reply(&x, 443, EV_ANSWER, WEB_ADDR, 63, 0, 0);
	/* The host's own SYN-ACKs are 1 hop away; a reset as far away is
	 * judged the host's by that distance alone. */
	sent(&x, 8443);
	reply(&x, 8443, EV_RESET, WEB_ADDR, 63, 0, 0);
	sent(&x, 1433);
	sent(&x, 80);
	corr_finish(x.c);
	CU_ASSERT_EQUAL(result(&x, 443)->proof, PROOF_HANDSHAKE);
	expect(&x, 8443, EVD_HOST_RESET, OBS_OPEN, VERDICT_PASS, INC_NONE);
	CU_ASSERT_EQUAL(result(&x, 8443)->proof, PROOF_HOP_DISTANCE);
	CU_ASSERT_EQUAL(result(&x, 1433)->proof, PROOF_TWO_SIDED);   /* db's capture is live */
	CU_ASSERT_EQUAL(result(&x, 80)->proof, PROOF_NONE);          /* inconclusive */
	CU_ASSERT_STRING_EQUAL(proof_name(PROOF_HOP_DISTANCE), "hop-distance");
	CU_ASSERT_STRING_EQUAL(proof_name(PROOF_TWO_SIDED), "two-sided");

	/* An audit that needs proof gets no verdict from a distance. */
	corr_require_proof(x.c, true);
	expect(&x, 8443, EVD_INCONCLUSIVE, OBS_UNKNOWN, VERDICT_INCONCLUSIVE, INC_HOPS_ONLY);
	CU_ASSERT_EQUAL(result(&x, 443)->proof, PROOF_HANDSHAKE);
	fx_close(&x);
}

int
register_correlate_tests(void)
{
	CU_pSuite s = CU_add_suite("correlate", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "arrived", test_arrived) ||
	    !CU_add_test(s, "host-reset", test_host_reset) ||
	    !CU_add_test(s, "answered", test_answered) ||
	    !CU_add_test(s, "firewall-reset", test_firewall_reset) ||
	    !CU_add_test(s, "icmp-unreachable", test_icmp_unreachable) ||
	    !CU_add_test(s, "silent-drop", test_silent_drop) ||
	    !CU_add_test(s, "host-refused", test_host_refused) ||
	    !CU_add_test(s, "one-way", test_one_way) ||
	    !CU_add_test(s, "answered-by-middlebox", test_middlebox_answer) ||
	    !CU_add_test(s, "proof strength, --require-proof", test_proof) ||
	    !CU_add_test(s, "inconclusive: not sent", test_not_sent) ||
	    !CU_add_test(s, "inconclusive: no rx capture", test_no_rx_capture) ||
	    !CU_add_test(s, "inconclusive: rx lossy", test_rx_lossy) ||
	    !CU_add_test(s, "inconclusive: rx window", test_rx_window) ||
	    !CU_add_test(s, "inconclusive: tx lossy", test_tx_lossy) ||
	    !CU_add_test(s, "rule aggregation", test_aggregation) ||
	    !CU_add_test(s, "foreign evidence", test_foreign) ||
	    !CU_add_test(s, "pcap round trip", test_pcap_round_trip))
		return -1;
	return 0;
}
