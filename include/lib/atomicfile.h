/* Files replaced in one step: written to a temporary file beside the target
 * and renamed over it only when every byte is out, so that a reader (or an
 * auditor after a crash) never sees half a report or half a manifest. */
#ifndef RP_LIB_ATOMICFILE_H
#define RP_LIB_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>

/* fill() writes the content and returns 0, or -1 to give up. */
int atomic_write(const char *path, int (*fill)(FILE *, void *), void *arg, char *err,
                 size_t errlen);

#endif
