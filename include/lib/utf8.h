/* Copying text from untrusted files into fixed-size fields.  The text comes
 * from JSON (so it is UTF-8) and goes back into JSON, which refuses a
 * string that is not: a cut must never fall inside a character, or one long
 * field would cost the whole report. */
#ifndef RP_LIB_UTF8_H
#define RP_LIB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Copies src into dst (n > 0 bytes, NUL-terminated), cut if it must be after
 * the last whole character that fits.  Returns false when it was cut. */
bool utf8_copy(char *dst, size_t n, const char *src);

#endif
