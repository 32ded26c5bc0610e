/* The input as a file, for fuzz targets whose parser reads a file by name:
 * one memfd per process (no disk I/O), rewritten in place for every input
 * and opened by its /proc path, as the tool opens a file from a run
 * directory. */
#ifndef RP_FUZZ_MEMFILE_H
#define RP_FUZZ_MEMFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *
fuzz_memfile(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;

	if (fd < 0) {
		if ((fd = memfd_create("fuzz-input", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	return path;
}

#endif
