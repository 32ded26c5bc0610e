#include "lib/rootguard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/privdrop.h"

enum rootguard_action
rootguard_decide(uid_t euid, const char *allow, const char *sudo_uid, const char *sudo_gid,
    struct sudo_user *inv, char *err, size_t errlen)
{
	int r;

	if (euid != 0)
		return RG_AS_IS;
	/* Said explicitly, root stays root, under sudo too. */
	if (allow && strcmp(allow, "1") == 0)
		return RG_KEEP_ROOT;
	r = sudouser_parse(sudo_uid, sudo_gid, inv, err, errlen);
	return r < 0 ? RG_BAD_ENV : r > 0 ? RG_DROP : RG_REFUSE;
}

int
rootguard(const char *command, const struct rp_log *log)
{
	struct sudo_user inv;
	char err[256], what[160];

	switch (rootguard_decide(geteuid(), getenv(ROOTGUARD_ALLOW_ENV), getenv("SUDO_UID"),
	    getenv("SUDO_GID"), &inv, err, sizeof(err))) {
	case RG_AS_IS:
		return 0;
	case RG_KEEP_ROOT:
		log_debug(log, "%s: running as root (%s=1)", command, ROOTGUARD_ALLOW_ENV);
		return 0;
	case RG_DROP:
		if (privdrop_to(inv.uid, inv.gid, what, sizeof(what), err, sizeof(err)) != 0)
			break;
		log_debug(log, "%s needs no privilege: %s, the user who ran sudo", command, what);
		return 0;
	case RG_REFUSE:
		log_warnx(log, "%s needs no privilege and does not run as root: run it as an "
		    "ordinary user or through sudo (it then runs as the user who called sudo), "
		    "or set %s=1 to run it as root anyway", command, ROOTGUARD_ALLOW_ENV);
		return 2;
	case RG_BAD_ENV:
		break;
	}
	log_warnx(log, "%s: %s; not run", command, err);
	return 2;
}
