#include "lib/atomicfile.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/errfmt.h"

int
atomic_write(const char *path, int (*fill)(FILE *, void *), void *arg, char *err, size_t errlen)
{
	char tmp[4200];
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL)
		return errfmt(err, errlen, "%s: %s", tmp, strerror(errno));
	rc = fill(f, arg);
	if (ferror(f))
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return errfmt(err, errlen, "%s: cannot write", path);
	}
	return 0;
}
