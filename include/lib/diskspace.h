/* Room for evidence: checked before a single probe is sent, because a pcap
 * cut short by a full disk would be evidence with a hole in it. */
#ifndef RP_LIB_DISKSPACE_H
#define RP_LIB_DISKSPACE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes a run of nprobes (each tried up to tries times) needs for its
 * captures and reports, generously. */
uint64_t diskspace_needed(uint64_t nprobes, unsigned tries);
/* 0 if dir is writable and has room for `need` bytes, else -1 with a
 * message naming what is missing. */
int diskspace_check(const char *dir, uint64_t need, char *err, size_t errlen);

#endif
