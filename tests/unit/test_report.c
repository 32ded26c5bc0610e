/* Unit tests for the report formats (report.h) and their escaping
 * (escape.h): hostile strings from input files never reach a format raw,
 * every format agrees on the counts, evidence locations and display filters
 * come from the run's key, and report.json is a pure function of its
 * inputs. */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/escape.h"
#include "fixture.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/report.h"
#include "report/text.h"
#include "suites.h"

/* ---- escaping ---- */

typedef void (*esc_fn)(FILE *, const char *);

/* What fn writes for s. */
static char *
esc(esc_fn fn, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	fn(m, s);
	fclose(m);
	return buf;
}

static void
expect_esc(esc_fn fn, const char *in, const char *want)
{
	char *got = esc(fn, in);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "\nescaping [%s]: got [%s], want [%s]\n", in ? in : "(null)", got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

struct esc_case {
	const char *in, *want;
};

static void
expect_all(esc_fn fn, const struct esc_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		expect_esc(fn, c[i].in, c[i].want);
}

#define EXPECT_ALL(fn, cases) expect_all(fn, cases, sizeof(cases) / sizeof(cases[0]))
#define FFFD "\xef\xbf\xbd"

static void
test_markup_specials(void)
{
	static const struct esc_case c[] = {
		{ "<script>alert('x') & \"y\"</script>",
		  "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;" },
		{ "plain text 1-2", "plain text 1-2" },
		{ "", "" },
		{ NULL, "" },
		/* An entity in the input is text, not markup: its & is escaped too. */
		{ "&amp;", "&amp;amp;" },
	};

	EXPECT_ALL(esc_markup, c);
}

static void
test_markup_controls(void)
{
	static const struct esc_case c[] = {
		/* Line breaks survive in attributes as character references. */
		{ "a\tb\nc\rd", "a&#9;b&#10;c&#13;d" },
		/* Other controls are not allowed in XML 1.0 at all. */
		{ "x\x01y\x1bz\x7f", "x" FFFD "y" FFFD "z" FFFD },
	};

	EXPECT_ALL(esc_markup, c);
}

static void
test_markup_utf8(void)
{
	static const struct esc_case c[] = {
		/* Well-formed UTF-8 passes through. */
		{ "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\xa5", "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\xa5" },
		/* A stray byte, an overlong form, a surrogate, a sequence cut at
		 * the end, a code point past U+10FFFF, U+FFFE (no XML character):
		 * each bad byte becomes U+FFFD. */
		{ "a\xffz", "a" FFFD "z" },
		{ "\xc0\xaf", FFFD FFFD },
		{ "\xed\xa0\x80", FFFD FFFD FFFD },
		{ "ok\xe2\x82", "ok" FFFD FFFD },
		{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },
		{ "\xef\xbf\xbe", FFFD FFFD FFFD },
	};

	EXPECT_ALL(esc_markup, c);
}

static void
test_csv_quoting(void)
{
	static const struct esc_case c[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\r\nlines", "\"two\r\nlines\"" },
		{ "\"", "\"\"\"\"" },
		/* Only esc_csv_text guards against formulas. */
		{ "=1+1", "=1+1" },
	};

	EXPECT_ALL(esc_csv, c);
}

static void
test_csv_formulas(void)
{
	static const struct esc_case c[] = {
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+1", "'+1" },
		{ "-1", "'-1" },
		{ "@SUM(A1),x", "\"'@SUM(A1),x\"" },
		{ "core-app", "core-app" },
		{ "", "" },
		{ NULL, "" },
	};

	EXPECT_ALL(esc_csv_text, c);
}

/* ---- a small correlated run ---- */

#define T0     INT64_C(1700000000000000)
#define T_SENT (T0 + 1000000)
#define T_END  (T0 + 5000000)

/* The title and the section carry markup, quotes and a formula: every
 * format must carry them as text. */
static const char p_rep[] =
    "profile \"Edge <b>&amp; \\\"DMZ\\\"</b>\"\n"
    "zone src \"S\"\n"
    "role web \"W\"\n"
    "role db \"D\"\n"
    "section \"=cmd|' /C calc'!A0 <script>\"\n"
    "open src -> web : tcp/443, 8443\n"
    "closed src -> db : tcp/1433\n";

static const char s_rep[] =
    "site \"T\"\n"
    "host src 198.18.1.1\n"
    "host web 198.18.2.1\n"
    "host db 198.18.3.1\n";

struct rfx {
	struct fixture    f;
	struct corr      *c;
	struct run_params rp;
	struct report     r;
	char              dir[64];
};

static struct capfile
meta(const char *role, const char *ep)
{
	struct capfile m;

	memset(&m, 0, sizeof(m));
	snprintf(m.role, sizeof(m.role), "%s", role);
	snprintf(m.endpoint, sizeof(m.endpoint), "%s", ep);
	snprintf(m.pcap, sizeof(m.pcap), "%s-%s.pcap", role[0] == 's' ? "tx" : "rx", ep);
	m.started_us = T0;
	m.finished_us = T_END;
	m.complete = true;
	return m;
}

static uint32_t
probe_to(const struct rfx *x, uint16_t port)
{
	return fixture_probe_to(&x->f, port);
}

static void
feed(struct rfx *x, uint16_t port, enum probe_event ev, uint32_t frame, const char *at)
{
	const struct probe *p = plan_probe(x->f.pl, probe_to(x, port));
	struct probe_match m = { .id = probe_to(x, port), .ev = ev, .frame = frame };
	struct pkt pk;

	memset(&pk, 0, sizeof(pk));
	if (ev == EV_UNREACH) {
		CU_ASSERT_FATAL(addr_parse("198.18.9.1", &pk.ip.src));
		pk.ip.ttl = 64;
		pk.icmp_type = 3;
		pk.icmp_code = 13;
	}
	corr_event(x->c, &m, &pk, T_SENT + (ev == EV_SENT ? 0 : 300),
	    strcmp(at, "tx") == 0 ? p->src : p->dst, strcmp(at, "tx") == 0);
}

/* 443 arrives (pass), 8443 is silently dropped (fail: it must be open),
 * 1433 gets ICMP admin-prohibited (pass). */
static void
rfx_open(struct rfx *x, bool interrupted)
{
	struct capfile tx = meta("send", "src"), rw = meta("listen", "web"),
	    rd = meta("listen", "db");
	char err[256], path[128];

	memset(x, 0, sizeof(*x));
	fixture_parse(&x->f, "rep.profile", p_rep, "rep.site", s_rep);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->f.pl);
	CU_ASSERT_EQUAL_FATAL(plan_nprobes(x->f.pl), 3);
	x->c = corr_new(x->f.pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->c);
	rd.finished_us = T_END + 7;   /* the last capture to close */
	corr_set_capture(x->c, (size_t)profile_find_endpoint(x->f.pf, "src"), true, &tx);
	corr_set_capture(x->c, (size_t)profile_find_endpoint(x->f.pf, "web"), false, &rw);
	corr_set_capture(x->c, (size_t)profile_find_endpoint(x->f.pf, "db"), false, &rd);
	feed(x, 443, EV_SENT, 1, "tx");
	feed(x, 443, EV_ARRIVED, 1, "rx");
	feed(x, 8443, EV_SENT, 2, "tx");
	feed(x, 1433, EV_SENT, 3, "tx");
	feed(x, 1433, EV_UNREACH, 4, "tx");
	corr_finish(x->c);
	snprintf(x->rp.id, sizeof(x->rp.id), "20231114T221320Z-abcdef");
	memset(x->rp.key, 7, sizeof(x->rp.key));
	snprintf(x->rp.profile_src, sizeof(x->rp.profile_src), "rep.profile");
	snprintf(x->rp.site_src, sizeof(x->rp.site_src), "rep.site");
	snprintf(x->rp.profile_sha256, sizeof(x->rp.profile_sha256), "%064d", 1);
	snprintf(x->rp.site_sha256, sizeof(x->rp.site_sha256), "%064d", 2);
	snprintf(x->rp.command, sizeof(x->rp.command), "ruleproof lab rep.profile --site rep.site");
	x->rp.started_us = T0;
	snprintf(x->dir, sizeof(x->dir), "/tmp/rp-report-test.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(x->dir));
	if (interrupted) {
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", x->dir, REPORT_INTERRUPTED);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "w"));
		fclose(f);
	}
	CU_ASSERT_EQUAL_FATAL(report_init(&x->r, &x->rp, x->f.pl, x->c, x->dir, err, sizeof(err)), 0);
}

static void
rfx_close(struct rfx *x)
{
	char path[128];

	report_fini(&x->r);
	snprintf(path, sizeof(path), "%s/%s", x->dir, REPORT_INTERRUPTED);
	unlink(path);
	rmdir(x->dir);
	corr_free(x->c);
	fixture_close(&x->f);
}

typedef void (*fmt_fn)(const struct report *, FILE *);

static char *
render(const struct rfx *x, fmt_fn fn)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	fn(&x->r, m);
	fclose(m);
	return buf;
}

static void json_fmt(const struct report *r, FILE *out) { CU_ASSERT_EQUAL(report_json(r, out), 0); }
static void text_fmt(const struct report *r, FILE *out) { report_text(r, out, false, NULL, 0); }
static void color_fmt(const struct report *r, FILE *out) { report_text(r, out, true, "/x", 0); }

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p;

	for (p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* No markup from the profile reaches a markup format raw. */
static void
assert_no_raw_markup(const char *doc)
{
	CU_ASSERT_PTR_NULL(strstr(doc, "Edge <b>"));
	CU_ASSERT_PTR_NULL(strstr(doc, "</b>\""));
	CU_ASSERT_PTR_NULL(strstr(doc, "<script"));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "Edge &lt;b&gt;&amp;amp; &quot;DMZ&quot;&lt;/b&gt;"));
}

static void
test_model(void)
{
	struct rfx x;
	struct report_rule rr;
	unsigned nrules;

	rfx_open(&x, false);
	/* The end of the run is the last capture's, never the clock. */
	CU_ASSERT_EQUAL(x.r.finished_us, T_END + 7);
	CU_ASSERT_FALSE(x.r.interrupted);
	CU_ASSERT_STRING_EQUAL(x.r.plan_version, "unknown");
	CU_ASSERT_EQUAL(report_nrules(&x.r), 2);
	CU_ASSERT_EQUAL(report_rules_failing(&x.r, &nrules), 1);
	CU_ASSERT_EQUAL(nrules, 2);
	report_rule_at(&x.r, 0, &rr);
	CU_ASSERT_STRING_EQUAL(rr.text, "open src -> web : tcp/443, 8443");
	CU_ASSERT_STRING_EQUAL(rr.flow, "src -> web");
	CU_ASSERT_EQUAL(rr.st->obs[OBS_OPEN], 1);
	CU_ASSERT_EQUAL(rr.st->obs[OBS_CLOSED], 1);
	CU_ASSERT_EQUAL(rr.st->ev[EVD_SILENT_DROP], 1);
	rfx_close(&x);
}

static void
test_observed_and_evidence_text(void)
{
	struct rule_stats s;
	char buf[128];

	memset(&s, 0, sizeof(s));
	report_observed_text(&s, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "-");
	s.obs[OBS_CLOSED] = 5;
	report_observed_text(&s, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "closed");
	s.obs[OBS_OPEN] = 2;
	report_observed_text(&s, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2 open, 5 closed");
	s.ev[EVD_ARRIVED] = 12;
	s.ev[EVD_ICMP_UNREACHABLE] = 1;
	report_evidence_text(&s, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "12 arrived, 1 icmp-unreachable");
}

static void
test_locator(void)
{
	struct probe_locator loc;
	struct probe_carriers car;
	struct probeid *pid;
	struct rfx x;
	char want[160], where[200];
	uint32_t id;

	rfx_open(&x, false);
	id = probe_to(&x, 1433);
	report_locate(&x.r, id, &loc);
	CU_ASSERT_STRING_EQUAL(loc.tx_pcap, "tx-src.pcap");
	CU_ASSERT_STRING_EQUAL(loc.rx_pcap, "rx-db.pcap");
	CU_ASSERT_EQUAL(loc.sent_frame, 3);
	CU_ASSERT_EQUAL(loc.reply_frame, 4);
	CU_ASSERT_EQUAL(loc.arrived_frame, 0);
	/* The filter names the carriers the run's key gives this probe. */
	pid = probeid_new(x.rp.key);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pid);
	probeid_encode(pid, id, &car);
	probeid_free(pid);
	snprintf(want, sizeof(want), "tcp.port==1433 && (tcp.seq_raw==%u || tcp.ack_raw==%u || "
	    "tcp.options.timestamp.tsval==%u)", car.seq, (uint32_t)(car.seq + 1), car.tsval);
	CU_ASSERT_STRING_EQUAL(loc.filter, want);
	report_where(&loc, where, sizeof(where));
	CU_ASSERT_STRING_EQUAL(where, "tx-src.pcap #3 reply #4");
	report_locate(&x.r, probe_to(&x, 443), &loc);
	report_where(&loc, where, sizeof(where));
	CU_ASSERT_STRING_EQUAL(where, "tx-src.pcap #1, rx-web.pcap #1");
	rfx_close(&x);
}

static void
test_json(void)
{
	struct rfx x;
	char *a, *b;
	json_t *o, *res;
	json_error_t je;
	size_t i;

	rfx_open(&x, false);
	a = render(&x, json_fmt);
	b = render(&x, json_fmt);
	/* A pure function of its inputs: byte for byte. */
	CU_ASSERT_STRING_EQUAL(a, b);
	o = json_loads(a, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "schema")), REPORT_SCHEMA);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(o, "run"),
	    "finished")), "2023-11-14T22:13:25.000007Z");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(o, "summary"), "fail")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(o, "summary"),
	    "rules_failing")), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "rules"), 0), "text")), "open src -> web : tcp/443, 8443");
	res = json_object_get(o, "results");
	CU_ASSERT_EQUAL_FATAL(json_array_size(res), 3);
	for (i = 0; i < 3; i++) {
		json_t *r = json_array_get(res, i);
		CU_ASSERT_TRUE(json_is_string(json_object_get(r, "filter")));
		CU_ASSERT_TRUE(json_is_integer(json_object_get(r, "sent_frame")));
		CU_ASSERT_TRUE(json_is_integer(json_object_get(r, "seq")));
	}
	/* 8443 never arrived: its frame is null, not 0. */
	CU_ASSERT_TRUE(json_is_null(json_object_get(json_array_get(res, probe_to(&x, 8443)),
	    "arrived_frame")));
	json_decref(o);
	free(a);
	free(b);
	rfx_close(&x);
}

static void
test_junit(void)
{
	struct rfx x;
	char *doc;

	rfx_open(&x, false);
	doc = render(&x, report_junit);
	CU_ASSERT_EQUAL(strncmp(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39), 0);
	CU_ASSERT_EQUAL(count(doc, "tests=\"2\" failures=\"1\" errors=\"0\""), 2);
	CU_ASSERT_EQUAL(count(doc, "<testcase "), 2);
	CU_ASSERT_EQUAL(count(doc, "<failure "), 1);
	CU_ASSERT_EQUAL(count(doc, "<error "), 0);
	/* The failure carries the failing probe's evidence and its filter. */
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "FAIL probe 1 src -&gt; web tcp/8443"));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "silent-drop"));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "wireshark filter: tcp.port==8443"));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "name=\"line 6: open src -&gt; web : tcp/443, 8443\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "timestamp=\"2023-11-14T22:13:20\""));
	assert_no_raw_markup(doc);
	free(doc);
	rfx_close(&x);
}

/* Fields of one RFC 4180 record starting at *p; moves *p past its CRLF. */
static int
csv_fields(const char **p)
{
	const char *s = *p;
	bool quoted = false;
	int n = 1;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted && *s == ',')
			n++;
		else if (!quoted && *s == '\r' && s[1] == '\n') {
			*p = s + 2;
			return n;
		}
	}
	*p = s;
	return -1;   /* no CRLF: not a record */
}

static void
test_csv(void)
{
	struct rfx x;
	char *doc;
	const char *p;
	int header, rows = 0;

	rfx_open(&x, false);
	doc = render(&x, report_csv);
	CU_ASSERT_EQUAL(strncmp(doc, "probe,rule,line,rule_text,", 26), 0);
	p = doc;
	header = csv_fields(&p);
	CU_ASSERT_EQUAL(header, 24);   /* proof added last, in 0.2 */
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, ",filter,proof\r\n"));
	while (*p) {
		CU_ASSERT_EQUAL(csv_fields(&p), header);
		rows++;
	}
	CU_ASSERT_EQUAL(rows, 3);
	/* An empty field where there is no frame; the rule text quoted. */
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "\"open src -> web : tcp/443, 8443\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, ",silent-drop,fail,"));
	free(doc);
	rfx_close(&x);
}

static void
test_html(void)
{
	struct rfx x;
	char *doc;

	rfx_open(&x, false);
	doc = render(&x, report_html);
	CU_ASSERT_EQUAL(strncmp(doc, "<!DOCTYPE html>", 15), 0);
	assert_no_raw_markup(doc);
	/* The section (with a formula and a script tag) is text too. */
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "=cmd|&#39; /C calc&#39;!A0 &lt;script&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "id=\"summary\">FAIL: 3 probes: 2 pass, 1 fail"));
	/* Self-contained: nothing to fetch, no script. */
	CU_ASSERT_PTR_NULL(strstr(doc, "http://"));
	CU_ASSERT_PTR_NULL(strstr(doc, "https://"));
	CU_ASSERT_PTR_NULL(strstr(doc, " src="));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "default-src 'none'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, "</html>\n"));
	free(doc);
	rfx_close(&x);
}

static void
test_text(void)
{
	struct rfx x;
	char *plain, *color;

	rfx_open(&x, false);
	plain = render(&x, text_fmt);
	color = render(&x, color_fmt);
	CU_ASSERT_PTR_NULL(strchr(plain, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strchr(color, '\033'));
	/* Grouped by rule: the failing probe right under its rule. */
	CU_ASSERT_PTR_NOT_NULL(strstr(plain, "\n    6  FAIL 1/2  src -> web "));
	CU_ASSERT_PTR_NOT_NULL(strstr(plain, "1 silent-drop\n      probe 1 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(plain, "evidence: tx-src.pcap #2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(plain,
	    "\nFAIL: 3 probes: 2 pass, 1 fail, 0 inconclusive; 1 of 2 rules fail\n"));
	/* The file does not name the directory it was written from. */
	CU_ASSERT_PTR_NULL(strstr(plain, "evidence in"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "evidence in /x"));
	free(plain);
	free(color);
	rfx_close(&x);
}

static void
test_interrupted_marker(void)
{
	struct rfx x;
	char sum[256];

	rfx_open(&x, true);
	CU_ASSERT_TRUE(x.r.interrupted);
	report_summary_line(&x.r, sum, sizeof(sum));
	CU_ASSERT_EQUAL(strncmp(sum, "INCOMPLETE (interrupted) FAIL:", 30), 0);
	rfx_close(&x);
}

static void
test_outputs(void)
{
	CU_ASSERT_TRUE(report_is_output("report.json"));
	CU_ASSERT_TRUE(report_is_output("report.junit.xml"));
	CU_ASSERT_TRUE(report_is_output("report.html"));
	CU_ASSERT_FALSE(report_is_output("plan.json"));
	CU_ASSERT_FALSE(report_is_output("tx-a.pcap"));
}

int
register_report_tests(void)
{
	CU_pSuite s = CU_add_suite("report", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "markup: specials", test_markup_specials) ||
	    !CU_add_test(s, "markup: controls", test_markup_controls) ||
	    !CU_add_test(s, "markup: UTF-8", test_markup_utf8) ||
	    !CU_add_test(s, "csv: quoting", test_csv_quoting) ||
	    !CU_add_test(s, "csv: formulas", test_csv_formulas) ||
	    !CU_add_test(s, "model", test_model) ||
	    !CU_add_test(s, "observed and evidence text", test_observed_and_evidence_text) ||
	    !CU_add_test(s, "evidence locator", test_locator) ||
	    !CU_add_test(s, "json", test_json) ||
	    !CU_add_test(s, "junit", test_junit) ||
	    !CU_add_test(s, "csv", test_csv) ||
	    !CU_add_test(s, "html", test_html) ||
	    !CU_add_test(s, "text", test_text) ||
	    !CU_add_test(s, "interrupted marker", test_interrupted_marker) ||
	    !CU_add_test(s, "output names", test_outputs))
		return -1;
	return 0;
}
