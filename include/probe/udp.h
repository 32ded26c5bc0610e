/* The UDP probe kind. */
#ifndef RP_PROBE_UDP_H
#define RP_PROBE_UDP_H

#include "probe/kind.h"

extern const struct probe_kind probe_kind_udp;

#endif
