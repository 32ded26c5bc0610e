/* Commands that need no privilege (check, compile, plan, report, verify,
 * diff, send --dry-run ...) do not run as root: they parse files from many
 * hands, and a parser bug must not be a root bug. */
#ifndef RP_LIB_ROOTGUARD_H
#define RP_LIB_ROOTGUARD_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/sudouser.h"
#include "lib/log.h"

/* The environment variable that lets such a command keep root. */
#define ROOTGUARD_ALLOW_ENV "RULEPROOF_ALLOW_ROOT"

enum rootguard_action {
	RG_AS_IS,      /* not root: nothing to do */
	RG_KEEP_ROOT,  /* root, and RULEPROOF_ALLOW_ROOT=1 says so */
	RG_DROP,       /* root under sudo: become the user behind sudo (inv set) */
	RG_REFUSE,     /* plain root without the allowance */
	RG_BAD_ENV,    /* SUDO_UID/SUDO_GID malformed (err says how) */
};

/* What to do for a process with effective uid euid, given the values of
 * RULEPROOF_ALLOW_ROOT, SUDO_UID and SUDO_GID (each may be NULL). */
enum rootguard_action rootguard_decide(uid_t euid, const char *allow, const char *sudo_uid,
                                       const char *sudo_gid, struct sudo_user *inv,
                                       char *err, size_t errlen);

/* Applies that to this process before `command` reads any input: returns 0
 * to go on (as the user behind sudo, or as root when allowed), or 2 after saying why
 * it refuses or why the drop failed. */
int rootguard(const char *command, const struct rp_log *);

#endif
