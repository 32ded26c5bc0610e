#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "errfmt.h"

#define NOBODY_ID 65534

int
privdrop(char *what, size_t whatlen, char *err, size_t errlen)
{
	const struct passwd *pw;
	uid_t uid = NOBODY_ID, ru, eu, su;
	gid_t gid = NOBODY_ID;

	if (geteuid() != 0) {
		snprintf(what, whatlen, "ran as uid %u (not root: nothing to drop)", (unsigned)geteuid());
		return 0;
	}
	pw = getpwnam("nobody");
	if (pw) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
		return errfmt(err, errlen, "dropping privileges: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return errfmt(err, errlen, "no_new_privs: %s", strerror(errno));
	/* Checked, not assumed: a drop that can be undone is no drop. */
	if (setuid(0) == 0 || getresuid(&ru, &eu, &su) != 0 || ru != uid || eu != uid || su != uid)
		return errfmt(err, errlen, "privileges could be regained after the drop");
	snprintf(what, whatlen, "dropped to nobody (uid %u, gid %u)", (unsigned)uid, (unsigned)gid);
	return 0;
}
