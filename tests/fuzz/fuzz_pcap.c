/* libFuzzer target for reading a capture file: the bytes are a pcap (or
 * pcapng) file read through corr_read_pcap() as the sender's and as the
 * listener's capture of a small fixed plan, then judged and described, as
 * `report` does with whatever lies in a run directory.  The file lives in a
 * memfd (memfile.h) that libpcap opens by name, as the correlator does.
 *
 * The plan and the key are those of the lab run the real seeds in
 * tests/fuzz/corpus/pcap/ were captured from (this profile at
 * tests/lab/small.site, through a firewall that resets, refuses with each
 * ICMP code, drops and accepts: tx-clients.pcap, rx-server.pcap), so that
 * their probes match and mutations start deep in the decoders.  The other
 * seeds were made from tx-clients.pcap: cut in a record and in the file
 * header, wrong magic, snaplen 0xffffffff, nanosecond magic (0xa1b23c4d),
 * big-endian, a record with caplen 0xffffffff, caplen over snaplen, no
 * packets, and pcapng (editcap -F pcapng).
 *
 * The correlator reads classic pcap files itself (pcapread.h): every input
 * is also read with libpcap, and the two must agree on each record, on
 * where the file stops being readable, and on why. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "correlate/correlate.h"
#include "profile/parse.h"
#include "memfile.h"
#include "capture/pcapread.h"
#include "plan/plan.h"
#include "profile/profile.h"
#include "profile/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char profile_text[] =
    "profile \"fuzz pcap\"\n"
    "zone clients \"client network\"\n"
    "role server \"a server behind the firewall\"\n"
    "open   clients -> server : tcp/443, udp/5228\n"
    "closed clients -> server : tcp/22, tcp/23, tcp/3389-3391, udp/53, udp/161\n";

static const char site_text[] =
    "site \"lab test site\"\n"
    "\n"
    "host clients 198.18.10.10\n"
    "host server  198.18.20.10\n";

static const uint8_t key[PROBEID_KEYLEN] = {
	0xd0, 0x27, 0x1e, 0x82, 0xd5, 0xc0, 0xca, 0xa8,
	0x20, 0x8f, 0x98, 0x8a, 0x78, 0x08, 0xe0, 0xc5,
};

/* Built once: the plan and the probe-id key do not depend on the input. */
struct fixture {
	struct profile  *pf;
	struct site     *st;
	struct plan     *pl;
	struct probeid  *pid;
	size_t           clients, server;
};

static const struct fixture *
fixture(void)
{
	static struct fixture fx;
	static bool built;
	char err[256];

	if (built)
		return &fx;
	fx.pf = profile_parse("fuzz.profile", profile_text, sizeof(profile_text) - 1, stderr, NULL);
	fx.st = fx.pf ? site_parse("fuzz.site", site_text, sizeof(site_text) - 1, stderr, NULL) : NULL;
	fx.pl = fx.st ? plan_build(fx.pf, fx.st, err, sizeof(err)) : NULL;
	fx.pid = probeid_new(key);
	if (!fx.pl || !fx.pid)
		abort();
	fx.clients = (size_t)profile_find_endpoint(fx.pf, "clients");
	fx.server = (size_t)profile_find_endpoint(fx.pf, "server");
	built = true;
	return &fx;
}

/* A capture file that claims a complete, lossless capture over all time,
 * so that every verdict path can be reached from the packets alone. */
static struct capfile
whole_window(const char *role)
{
	struct capfile m;

	memset(&m, 0, sizeof(m));
	snprintf(m.role, sizeof(m.role), "%s", role);
	m.started_us = 0;
	m.finished_us = INT64_C(1) << 62;
	m.complete = true;
	return m;
}

/* The link types the dissector reads: libpcap maps a few others that
 * pcapread passes through, which no dissector reads either way. */
static bool
dissected_dlt(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_RAW || dlt == DLT_LINUX_SLL || dlt == DLT_IPV4;
}

/* pcapread against libpcap, record by record; aborts where they differ. */
static void
same_as_libpcap(const char *path)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "", err[PCAP_ERRBUF_SIZE + 64] = "";
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	struct pcapread *r = pcapread_open(path, err, sizeof(err));
	struct pcap_rec rec[7];
	int n = 0, i = 0, rc = 1;

	if (!pc != !r)
		abort();
	if (!pc)
		return;
	if ((dissected_dlt(pcap_datalink(pc)) || dissected_dlt(pcapread_dlt(r))) &&
	    pcap_datalink(pc) != pcapread_dlt(r))
		abort();
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *bytes;

		/* Batches of an odd size, to cross the reader's block edges. */
		if (i == n && n >= 0) {
			n = pcapread_next(r, rec, 7, err, sizeof(err));
			i = 0;
		}
		rc = pcap_next_ex(pc, &h, &bytes);
		if (rc != 1) {
			if ((rc == PCAP_ERROR) != (n < 0) || (n > 0 && i < n) ||
			    (n < 0 && strcmp(err, pcap_geterr(pc)) != 0))
				abort();
			break;
		}
		if (n <= 0 || rec[i].caplen != h->caplen || memcmp(rec[i].data, bytes, h->caplen) != 0 ||
		    rec[i].ts_us != (int64_t)((uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec))
			abort();
		i++;
	}
	pcap_close(pc);
	pcapread_close(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fixture *fx = fixture();
	const char *path = fuzz_memfile(data, size);
	struct capfile tx = whole_window("send"), rx = whole_window("listen");
	char err[512], detail[512];
	struct corr *c;
	uint32_t i;

	same_as_libpcap(path);
	c = corr_new(fx->pl);
	if (!c)
		abort();
	err[0] = '\0';
	/* A file libpcap refuses must say why. */
	if (corr_read_pcap(c, fx->pid, path, fx->clients, true, err, sizeof(err)) != 0 && !err[0])
		abort();
	err[0] = '\0';
	if (corr_read_pcap(c, fx->pid, path, fx->server, false, err, sizeof(err)) != 0 && !err[0])
		abort();
	corr_set_capture(c, fx->clients, true, &tx);
	corr_set_capture(c, fx->server, false, &rx);
	corr_finish(c);
	for (i = 0; i < plan_nprobes(fx->pl); i++) {
		const struct probe_result *r = corr_result(c, i);

		if (!r || (r->verdict == VERDICT_INCONCLUSIVE) != (r->obs == OBS_UNKNOWN))
			abort();
		probe_result_detail(c, i, detail, sizeof(detail));
	}
	if (corr_total(c).probes != plan_nprobes(fx->pl))
		abort();
	corr_free(c);
	return 0;
}
