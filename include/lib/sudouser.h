/* The user who ran ruleproof through sudo: what a command that needs no
 * privilege drops to, and who gets the files a privileged run creates (so
 * that `sudo ruleproof lab ...` and then `ruleproof report DIR` work). */
#ifndef RP_LIB_SUDOUSER_H
#define RP_LIB_SUDOUSER_H

#include <stddef.h>
#include <sys/types.h>

struct sudo_user {
	uid_t uid;
	gid_t gid;
};

/* From the values of SUDO_UID and SUDO_GID (either may be NULL): 1 and inv
 * set when they name a user other than root, 0 when there is none (unset,
 * or root ran sudo), -1 when they are malformed (err says which). */
int sudouser_parse(const char *sudo_uid, const char *sudo_gid, struct sudo_user *inv,
                  char *err, size_t errlen);
/* The same from this process's environment, and only when it runs as root
 * (nobody else can hand files over). */
int sudouser_get(struct sudo_user *inv, char *err, size_t errlen);
/* Hands path, and when it is a directory everything under it, to the
 * user behind sudo (symbolic links themselves, never what they point to).  Returns 0
 * or -1 (err names the first path that could not be handed over; the rest
 * are still tried). */
int sudouser_hand_over(const struct sudo_user *inv, const char *path, char *err, size_t errlen);

#endif
