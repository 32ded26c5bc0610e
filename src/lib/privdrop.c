#include "lib/privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lib/errfmt.h"

#define NOBODY_ID 65534

/* Checked, not assumed: a drop that can be undone is no drop. */
static int
check_dropped(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || ru != uid || eu != uid || su != uid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != gid || eg != gid || sg != gid)
		return errfmt(err, errlen, "the drop to uid %u did not take", (unsigned)uid);
	if (setuid(0) == 0 || (gid != 0 && setgid(0) == 0))
		return errfmt(err, errlen, "privileges could be regained after the drop");
	return 0;
}

static int
drop_to(uid_t uid, gid_t gid, const char *groups_of, char *err, size_t errlen)
{
	int rc = groups_of ? initgroups(groups_of, gid) : setgroups(0, NULL);

	if (rc != 0 || setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
		return errfmt(err, errlen, "dropping privileges: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return errfmt(err, errlen, "no_new_privs: %s", strerror(errno));
	return check_dropped(uid, gid, err, errlen);
}

int
privdrop(char *what, size_t whatlen, char *err, size_t errlen)
{
	const struct passwd *pw;
	uid_t uid = NOBODY_ID;
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
	if (drop_to(uid, gid, NULL, err, errlen) != 0)
		return -1;
	snprintf(what, whatlen, "dropped to nobody (uid %u, gid %u)", (unsigned)uid, (unsigned)gid);
	return 0;
}

int
privdrop_to(uid_t uid, gid_t gid, char *what, size_t whatlen, char *err, size_t errlen)
{
	const struct passwd *pw = getpwuid(uid);
	char name[256];

	if (uid == 0)
		return errfmt(err, errlen, "refusing to 'drop' to uid 0");
	/* The user's own groups, so that what they may read by group stays
	 * readable; a uid without an account gets none. */
	snprintf(name, sizeof(name), "%s", pw ? pw->pw_name : "");
	if (drop_to(uid, gid, name[0] ? name : NULL, err, errlen) != 0)
		return -1;
	snprintf(what, whatlen, "dropped to %s (uid %u, gid %u)", name[0] ? name : "a uid without account",
	    (unsigned)uid, (unsigned)gid);
	return 0;
}
