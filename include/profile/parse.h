/* The profile language's parser: text in, a checked model out, every
 * diagnostic on the way. */
#ifndef RP_PROFILE_PARSE_H
#define RP_PROFILE_PARSE_H

#include <stddef.h>
#include <stdio.h>

#include "profile/types.h"

/* Parse a profile held in memory.  `name` is used in diagnostics, and
 * included files are found relative to its directory.  Every error and
 * warning goes to `diag` (may be NULL) formatted as
 *   NAME:LINE:COL: error: MESSAGE
 *       <the source line>
 *       <caret under the offending token>
 * and parsing continues after an error so one run reports them all.
 * Returns NULL if there was any error; *nerr (optional) gets the count. */
struct profile *profile_parse(const char *name, const char *text, size_t len,
                              FILE *diag, int *nerr);
/* The same with includes read through `io` (NULL: from the file system,
 * regular files of at most 4 MiB). */
struct profile *profile_parse_with(const char *name, const char *text, size_t len,
                                   const struct profile_reader *io, FILE *diag, int *nerr);
/* Reads the file, then profile_parse(); I/O errors are reported in diag too. */
struct profile *profile_load(const char *path, FILE *diag, int *nerr);
void            profile_free(struct profile *);

#endif
