/* Bytes as hexadecimal text and back: keys in plan files, digests in
 * manifests and capture hashes, certificate thumbprints, TLS randoms. */
#ifndef RP_LIB_HEX_H
#define RP_LIB_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* n bytes as 2n digits and a NUL into out (2n + 1 bytes); upper-case
 * digits for what people compare with Windows (certificate thumbprints). */
void hex_encode(const uint8_t *b, size_t n, char *out, bool upper);
/* Exactly 2n hex digits of either case (nothing before or after) into n
 * bytes: 0, or -1 leaving b undefined. */
int  hex_decode(const char *s, uint8_t *b, size_t n);

#endif
