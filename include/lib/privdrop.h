/* Giving up root: an agent once the raw socket and the capture handle are
 * open (it parses whatever crosses a DMZ, and must not do it as root), and
 * every command that needs no privilege at all (rootguard.h). */
#ifndef RP_LIB_PRIVDROP_H
#define RP_LIB_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

/* As root: switch for good to the user `nobody` (uid/gid 65534 when the
 * system has no such user), with no supplementary groups and no way back
 * (no_new_privs; regaining uid 0 is tried and must fail).  Not root: does
 * nothing.  `what` gets a description for the record, e.g.
 * "dropped to nobody (uid 65534, gid 65534)".  Returns 0 or -1 (err). */
int privdrop(char *what, size_t whatlen, char *err, size_t errlen);

/* As root: switch for good to uid/gid (not 0), with that user's
 * supplementary groups when the uid has an account and none otherwise,
 * no_new_privs, every id checked and regaining root tried (it must fail).
 * Returns 0 or -1 (err). */
int privdrop_to(uid_t uid, gid_t gid, char *what, size_t whatlen, char *err, size_t errlen);

#endif
