/* The TCP SYN probe kind. */
#ifndef RP_PROBE_SYN_H
#define RP_PROBE_SYN_H

#include "probe/kind.h"

extern const struct probe_kind probe_kind_syn;

#endif
