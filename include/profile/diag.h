/* Compiler-style diagnostics for the profile and site languages:
 *   NAME:LINE:COL: error: MESSAGE
 *       <the source line>
 *       <caret under the offending token>
 * Messages are collected and written ordered by position when the context is
 * closed, so that errors found by later passes (name resolution, rule
 * contradictions) still read in file order.  One context may cover several
 * files (a profile and the files it includes). */
#ifndef RP_PROFILE_DIAG_H
#define RP_PROFILE_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "lib/log.h"

/* A place in the source text: where a token starts and how long it is. */
struct src_span {
	int    file;        /* which file of the context (0: the one diag_open named) */
	int    line, col;   /* 1-based; columns count bytes */
	size_t line_off;    /* offset of the first byte of the line */
	size_t off;         /* offset of the first byte of the token */
	size_t len;         /* bytes to underline; 0 draws the caret alone */
};

struct diag;

/* `out` may be NULL: diagnostics are then only counted.  `text` must stay
 * valid until diag_close(). */
struct diag *diag_open(FILE *out, const char *name, const char *text, size_t len);
/* Another file whose spans this context reports (an included profile); the
 * returned id goes in src_span.file.  name and text must stay valid until
 * diag_close().  Diagnostics are written grouped by file, in the order the
 * files were added, then by position. */
int  diag_add_file(struct diag *, const char *name, const char *text, size_t len);
void diag_error(struct diag *, const struct src_span *, const char *fmt, ...) RP_PRINTF(3, 4);
void diag_warning(struct diag *, const struct src_span *, const char *fmt, ...) RP_PRINTF(3, 4);
int  diag_nerrors(const struct diag *);
/* Writes the diagnostics sorted by (file, line, col), then frees the context. */
void diag_close(struct diag *);

/* A problem with a whole file (cannot open, read error): NAME: error: MESSAGE */
void diag_file_error(FILE *out, const char *name, const char *fmt, ...) RP_PRINTF(3, 4);

#endif
