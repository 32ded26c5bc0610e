/* Error messages into a caller's buffer, the convention of every module that
 * can fail: functions take (char *err, size_t errlen) and return -1. */
#ifndef RP_LIB_ERRFMT_H
#define RP_LIB_ERRFMT_H

#include <stddef.h>

#include "lib/log.h"

/* Formats into err (cut to errlen) and returns -1, for `return errfmt(...)`. */
int errfmt(char *err, size_t errlen, const char *fmt, ...) RP_PRINTF(3, 4);

#endif
