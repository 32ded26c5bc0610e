#include "lib/diskspace.h"

#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/errfmt.h"

/* Per try, a probe and its answer in the sender's capture and one arrival
 * in the listener's: under 100 bytes each with pcap headers (snaplen 256);
 * per probe, every report format together stays under 3 KiB.  A MiB on top
 * for plans, manifests and the file system's own rounding. */
#define CAPTURE_BYTES_PER_TRY 400
#define REPORT_BYTES_PER_PROBE 3072
#define FIXED_BYTES (1024 * 1024)

uint64_t
diskspace_needed(uint64_t nprobes, unsigned tries)
{
	return nprobes * ((uint64_t)CAPTURE_BYTES_PER_TRY * (tries ? tries : 1) + REPORT_BYTES_PER_PROBE) +
	    FIXED_BYTES;
}

int
diskspace_check(const char *dir, uint64_t need, char *err, size_t errlen)
{
	struct statvfs sv;
	uint64_t avail;

	if (access(dir, W_OK | X_OK) != 0)
		return errfmt(err, errlen, "%s: %s: evidence cannot be written there", dir, strerror(errno));
	if (statvfs(dir, &sv) != 0)
		return errfmt(err, errlen, "%s: %s", dir, strerror(errno));
	avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (avail < need)
		return errfmt(err, errlen, "%s: %llu KiB free, the run needs about %llu KiB for its "
		    "evidence; free some space or choose another --out", dir,
		    (unsigned long long)(avail / 1024), (unsigned long long)(need / 1024));
	return 0;
}
