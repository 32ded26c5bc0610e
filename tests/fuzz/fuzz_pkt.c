/* Fuzz target for the packet dissector and the probe kinds' decoders: captured
 * traffic is untrusted.  The first byte picks the link type. */
#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/pkt.h"
#include "probe/probekind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = { DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_NULL };
	static const uint8_t key[PROBEID_KEYLEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rp_addr addr;
	struct probe_self self = { .only = &addr };
	struct probe_match m;
	struct probeid *pid;
	struct pkt p;
	size_t k;

	if (size < 1)
		return 0;
	if (pkt_dissect(dlts[data[0] % 4], data + 1, size - 1, &p) != 0)
		return 0;
	pid = probeid_new(key);
	if (!pid)
		return 0;
	addr_parse(data[0] & 0x80 ? "2001:db8:10::10" : "198.18.1.10", &addr);
	/* Every kind in turn, then each from the second on alone. */
	for (k = 0; probekind_all()[k]; k++) {
		probekind_decode(k, &p, pid, 1000, &self, true, &m);
		probekind_decode(k, &p, pid, 1000, &self, false, &m);
	}
	probeid_free(pid);
	return 0;
}
