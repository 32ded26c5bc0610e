/* Logging in the style of OpenBSD's log.h, but with an explicit context so
 * that no module keeps mutable global state. */
#ifndef RP_LIB_LOG_H
#define RP_LIB_LOG_H

#include <stdio.h>

enum log_level { LOG_LVL_QUIET = -1, LOG_LVL_INFO = 0, LOG_LVL_DEBUG = 1 };

struct rp_log {
	const char *prog;     /* prefix of every line, e.g. "ruleproof" */
	const char *who;      /* optional agent tag, e.g. "send devices" */
	int         level;    /* enum log_level */
	FILE       *out;      /* NULL means stderr */
};

#define RP_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_warn(const struct rp_log *, const char *, ...) RP_PRINTF(2, 3);  /* appends strerror(errno) */
void log_warnx(const struct rp_log *, const char *, ...) RP_PRINTF(2, 3);
void log_info(const struct rp_log *, const char *, ...) RP_PRINTF(2, 3);
void log_debug(const struct rp_log *, const char *, ...) RP_PRINTF(2, 3);

#endif
