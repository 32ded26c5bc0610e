/* Unit tests for the TLS logs (tlslog.h): what an agent writes reads back
 * the same, and a log that is not one (it comes from another host) is
 * refused with a reason, field by field. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "tls/tlslog.h"

static char path[64];

static void
write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
}

static void
add_der(struct tlslog_der *d, const char *bytes)
{
	d->len = strlen(bytes);
	d->p = malloc(d->len);
	CU_ASSERT_FATAL(d->p != NULL);
	memcpy(d->p, bytes, d->len);
}

static void
try_init(struct tlslog_try *t, uint32_t probe, uint8_t try_no, const char *dst, uint16_t port)
{
	memset(t, 0, sizeof(*t));
	t->probe = probe;
	t->try_no = try_no;
	CU_ASSERT_FATAL(addr_parse("198.18.10.10", &t->src) && addr_parse(dst, &t->dst));
	t->port = port;
}

static void
test_roundtrip(void)
{
	struct tlslog l = { .endpoint = "clients" }, back;
	struct tlslog_try t;
	char err[256];
	FILE *f;
	size_t i;

	try_init(&t, 7, 2, "2001:db8::5", 443);
	t.sport = 40123;
	t.started_us = 1700000000000000LL;
	t.ended_us = t.started_us + 1234;
	t.has_random = true;
	for (i = 0; i < TLSLOG_RANDOM; i++)
		t.random[i] = (uint8_t)(i * 7 + 1);
	snprintf(t.sni, sizeof(t.sni), "portal.lab.example");
	t.outcome = TLSO_HANDSHAKE;
	t.alert = -1;
	snprintf(t.version, sizeof(t.version), "TLSv1.3");
	snprintf(t.cipher, sizeof(t.cipher), "TLS_AES_128_GCM_SHA256");
	add_der(&t.chain[0], "leaf\001\002");
	add_der(&t.chain[1], "ca");
	t.nchain = 2;
	CU_ASSERT_EQUAL_FATAL(tlslog_add(&l, &t), 0);
	try_init(&t, 8, 1, "198.18.20.10", 9443);
	t.outcome = TLSO_ALERT;
	t.alert = 112;
	CU_ASSERT_EQUAL_FATAL(tlslog_add(&l, &t), 0);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(tlslog_write(&l, f), 0);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(tlslog_read(&back, path, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(back.endpoint, "clients");
	CU_ASSERT_EQUAL_FATAL(back.n, 2);
	CU_ASSERT_EQUAL(back.t[0].probe, 7);
	CU_ASSERT_EQUAL(back.t[0].try_no, 2);
	CU_ASSERT_EQUAL(back.t[0].sport, 40123);
	CU_ASSERT(addr_eq(&back.t[0].dst, &l.t[0].dst));
	CU_ASSERT_EQUAL(back.t[0].started_us, l.t[0].started_us);
	CU_ASSERT(back.t[0].has_random);
	CU_ASSERT_EQUAL(memcmp(back.t[0].random, l.t[0].random, TLSLOG_RANDOM), 0);
	CU_ASSERT_STRING_EQUAL(back.t[0].sni, "portal.lab.example");
	CU_ASSERT_EQUAL(back.t[0].outcome, TLSO_HANDSHAKE);
	CU_ASSERT_STRING_EQUAL(back.t[0].cipher, "TLS_AES_128_GCM_SHA256");
	CU_ASSERT_EQUAL_FATAL(back.t[0].nchain, 2);
	CU_ASSERT_EQUAL(back.t[0].chain[0].len, 6);
	CU_ASSERT_EQUAL(memcmp(back.t[0].chain[0].p, "leaf\001\002", 6), 0);
	CU_ASSERT_EQUAL(back.t[0].chain[1].len, 2);
	CU_ASSERT(!back.t[1].has_random);
	CU_ASSERT_EQUAL(back.t[1].outcome, TLSO_ALERT);
	CU_ASSERT_EQUAL(back.t[1].alert, 112);
	CU_ASSERT_EQUAL(back.t[1].nchain, 0);
	tlslog_free(&back);
	tlslog_free(&l);
}

static void
test_rx_roundtrip(void)
{
	struct tlsrx_port p[2];
	struct tlsrx_log l = { .endpoint = "server", .cert_source = "generated test certificate",
	    .p = p, .n = 2 }, back;
	char err[256];
	FILE *f;

	memset(p, 0, sizeof(p));
	addr_parse("198.18.100.10", &p[0].addr);
	p[0].port = 443;
	snprintf(p[0].bound, sizeof(p[0].bound), "0.0.0.0");
	p[0].handshakes = 3;
	add_der(&p[0].chain[0], "served");
	p[0].nchain = 1;
	addr_parse("198.18.100.10", &p[1].addr);
	p[1].port = 8443;
	p[1].state = TLSRX_IN_USE;
	snprintf(p[1].error, sizeof(p[1].error), "in use by a service on this host: left to it");
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(tlsrx_write(&l, f), 0);
	fclose(f);
	free(p[0].chain[0].p);
	CU_ASSERT_EQUAL_FATAL(tlsrx_read(&back, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(back.n, 2);
	CU_ASSERT_STRING_EQUAL(back.p[0].bound, "0.0.0.0");
	CU_ASSERT_EQUAL(back.p[0].state, TLSRX_SERVED);
	CU_ASSERT_EQUAL(back.p[0].handshakes, 3);
	CU_ASSERT_EQUAL(back.p[0].nchain, 1);
	CU_ASSERT_EQUAL(back.p[1].state, TLSRX_IN_USE);
	CU_ASSERT_STRING_EQUAL(back.cert_source, "generated test certificate");
	tlsrx_free(&back);
}

/* Each of these must be refused, with a reason naming the file. */
static void
test_refused(void)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"schema\": \"ruleproof-capture/1\", \"endpoint\": \"c\", \"tries\": []}",
		"{\"schema\": \"ruleproof-tls/1\", \"endpoint\": \"c\"}",
		"{\"schema\": \"ruleproof-tls/1\", \"endpoint\": \"c\", \"tries\": [{\"probe\": -1}]}",
		"{\"schema\": \"ruleproof-tls/1\", \"endpoint\": \"c\", \"tries\": [{\"probe\": 1, \"try\": 1,"
		" \"src\": \"198.18.10.10\", \"sport\": 1, \"dst\": \"198.18.20.10\", \"port\": 443,"
		" \"started_us\": 1, \"ended_us\": 2, \"client_random\": \"abcd\", \"sni\": \"\","
		" \"outcome\": \"handshake\", \"alert\": -1, \"version\": \"\", \"cipher\": \"\","
		" \"error\": \"\", \"chain\": []}]}",
		"{\"schema\": \"ruleproof-tls/1\", \"endpoint\": \"c\", \"tries\": [{\"probe\": 1, \"try\": 1,"
		" \"src\": \"198.18.10.10\", \"sport\": 1, \"dst\": \"198.18.20.10\", \"port\": 443,"
		" \"started_us\": 1, \"ended_us\": 2, \"client_random\": null, \"sni\": \"\","
		" \"outcome\": \"won\", \"alert\": -1, \"version\": \"\", \"cipher\": \"\","
		" \"error\": \"\", \"chain\": []}]}",
		"{\"schema\": \"ruleproof-tls/1\", \"endpoint\": \"c\", \"tries\": [{\"probe\": 1, \"try\": 1,"
		" \"src\": \"198.18.10.10\", \"sport\": 1, \"dst\": \"198.18.20.10\", \"port\": 443,"
		" \"started_us\": 1, \"ended_us\": 2, \"client_random\": null, \"sni\": \"\","
		" \"outcome\": \"handshake\", \"alert\": -1, \"version\": \"\", \"cipher\": \"\","
		" \"error\": \"\", \"chain\": [\"not base64!\"]}]}",
	};
	struct tlslog l;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_text(bad[i]);
		err[0] = '\0';
		CU_ASSERT_EQUAL(tlslog_read(&l, path, err, sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
	}
}

static void
test_names(void)
{
	char b[64];

	tlslog_name("clients", true, 0, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "tls-clients.json");
	tlslog_name("server", false, 0, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "tls-rx-server.json");
	tlslog_name("server", true, 2, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "tls-server-r2.json");
}

static int
setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/rp-tlslog.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int
teardown(void)
{
	unlink(path);
	return 0;
}

int
register_tlslog_tests(void)
{
	CU_pSuite s = CU_add_suite("tlslog", setup, teardown);

	if (!s ||
	    !CU_add_test(s, "a sender's log reads back as written", test_roundtrip) ||
	    !CU_add_test(s, "a listener's log reads back as written", test_rx_roundtrip) ||
	    !CU_add_test(s, "what is not a TLS log is refused with a reason", test_refused) ||
	    !CU_add_test(s, "file names", test_names))
		return -1;
	return 0;
}
