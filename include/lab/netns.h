/* Running things inside named network namespaces (the ones `ip netns add`
 * creates under /run/netns). */
#ifndef RP_LAB_NETNS_H
#define RP_LAB_NETNS_H

#include <stddef.h>

/* Moves the calling process into namespace name. */
int netns_enter(const char *name, char *err, size_t errlen);
/* Runs argv (searched in PATH) to completion, inside namespace ns unless ns
 * is NULL; a non-zero exit is an error whose message carries the tool's
 * first line of stderr.  Bounded by timeout_s seconds. */
int netns_run(const char *ns, const char *const argv[], unsigned timeout_s,
              char *err, size_t errlen);
/* Writes value to /proc/sys/PATH as seen from inside namespace ns. */
int netns_sysctl(const char *ns, const char *path, const char *value,
                 char *err, size_t errlen);

#endif
