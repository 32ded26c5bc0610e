/* Fuzz target for the sender's route lookup answers (send/ethpath.h): netlink
 * bytes from the kernel, parsed like any other input.  The first four bytes
 * are the sequence number asked for. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "send/ethpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ethpath_route rt;
	uint32_t seq;

	if (size < 4)
		return 0;
	memcpy(&seq, data, 4);
	ethpath_parse_route(data + 4, size - 4, seq, &rt);
	return 0;
}
