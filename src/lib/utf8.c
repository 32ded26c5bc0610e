#include "lib/utf8.h"

#include <string.h>

bool
utf8_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src), k;

	if (len < n) {
		memcpy(dst, src, len + 1);
		return true;
	}
	/* src[k] is the first byte left out: back up while it continues a
	 * character begun before it. */
	for (k = n - 1; k > 0 && ((unsigned char)src[k] & 0xc0) == 0x80; k--)
		;
	memcpy(dst, src, k);
	dst[k] = '\0';
	return false;
}
