/* Running out of memory where no caller could do better than stop: one
 * message and an abort (a core to look at), the same everywhere.  Code that
 * can report the failure as an error (the correlator, the reports) does so
 * instead and does not use these. */
#ifndef RP_LIB_OOM_H
#define RP_LIB_OOM_H

#include <stddef.h>

/* "ruleproof: out of memory" on stderr, then abort(). */
_Noreturn void oom_fatal(void);

/* As calloc, reallocarray and strndup, never NULL (a zero count or size
 * still gets a unique pointer). */
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrndup(const char *s, size_t n);

#endif
