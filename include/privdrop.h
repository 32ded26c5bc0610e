/* Giving up root once the raw socket and the capture handle are open: an
 * agent parses whatever crosses a DMZ, and must not do it as root. */
#ifndef RP_PRIVDROP_H
#define RP_PRIVDROP_H

#include <stddef.h>

/* As root: switch for good to the user `nobody` (uid/gid 65534 when the
 * system has no such user), with no supplementary groups and no way back
 * (no_new_privs; regaining uid 0 is tried and must fail).  Not root: does
 * nothing.  `what` gets a description for the record, e.g.
 * "dropped to nobody (uid 65534, gid 65534)".  Returns 0 or -1 (err). */
int privdrop(char *what, size_t whatlen, char *err, size_t errlen);

#endif
