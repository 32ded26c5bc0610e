#include "lib/sudouser.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/errfmt.h"

/* A run directory is flat; this only bounds a tree someone else made. */
#define MAX_DEPTH 16

static int
parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	/* (uid_t)-1 means "unchanged" to chown: never an id. */
	return errno || *end || *out >= 0xffffffffUL ? -1 : 0;
}

int
sudouser_parse(const char *sudo_uid, const char *sudo_gid, struct sudo_user *inv,
    char *err, size_t errlen)
{
	unsigned long u, g;

	if (!sudo_uid || !*sudo_uid)
		return 0;
	if (parse_id(sudo_uid, &u) != 0)
		return errfmt(err, errlen, "SUDO_UID='%.40s' is not a user id", sudo_uid);
	if (parse_id(sudo_gid, &g) != 0)
		return errfmt(err, errlen, "SUDO_GID='%.40s' is not a group id (SUDO_UID=%lu)",
		    sudo_gid ? sudo_gid : "", u);
	if (u == 0)
		return 0;
	inv->uid = (uid_t)u;
	inv->gid = (gid_t)g;
	return 1;
}

int
sudouser_get(struct sudo_user *inv, char *err, size_t errlen)
{
	if (geteuid() != 0)
		return 0;
	return sudouser_parse(getenv("SUDO_UID"), getenv("SUDO_GID"), inv, err, errlen);
}

struct walk {
	const struct sudo_user *inv;
	char                 *err;
	size_t                errlen;
	int                   rc;
};

static void
failed(struct walk *w, const char *path, const char *name)
{
	if (w->rc == 0)
		errfmt(w->err, w->errlen, "%s%s%s: cannot hand over to uid %u: %s", path,
		    name ? "/" : "", name ? name : "", (unsigned)w->inv->uid, strerror(errno));
	w->rc = -1;
}

/* Everything in the open directory dfd (named path for messages). */
static void
walk_dir(struct walk *w, int dfd, const char *path, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		failed(w, path, NULL);
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[4096];
		int fd;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fchownat(dirfd(d), e->d_name, w->inv->uid, w->inv->gid, AT_SYMLINK_NOFOLLOW) != 0) {
			failed(w, path, e->d_name);
			continue;
		}
		if (depth >= MAX_DEPTH)
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;   /* not a directory */
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		walk_dir(w, fd, sub, depth + 1);
	}
	closedir(d);
}

int
sudouser_hand_over(const struct sudo_user *inv, const char *path, char *err, size_t errlen)
{
	struct walk w = { inv, err, errlen, 0 };
	int fd;

	if (lchown(path, inv->uid, inv->gid) != 0) {
		failed(&w, path, NULL);
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		walk_dir(&w, fd, path, 1);
	return w.rc;
}
