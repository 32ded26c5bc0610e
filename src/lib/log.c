#include "lib/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static void
vlog(const struct rp_log *l, const char *kind, const char *err, const char *fmt, va_list ap)
{
	FILE *out = (l && l->out) ? l->out : stderr;

	/* Whatever the command has printed goes first: with stdout a pipe or a
	 * file (fully buffered) a log line would otherwise land in the middle
	 * of a report line when both go to one place (`2>&1`, a terminal). */
	if (out != stdout)
		fflush(stdout);
	fprintf(out, "%s", (l && l->prog) ? l->prog : "ruleproof");
	if (l && l->who)
		fprintf(out, " [%s]", l->who);
	fprintf(out, ": %s", kind);
	vfprintf(out, fmt, ap);
	if (err)
		fprintf(out, ": %s", err);
	fputc('\n', out);
	fflush(out);
}

void
log_warn(const struct rp_log *l, const char *fmt, ...)
{
	/* Capture errno before any stdio call can clobber it. */
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(l, "", err, fmt, ap);
	va_end(ap);
}

void
log_warnx(const struct rp_log *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(l, "", NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const struct rp_log *l, const char *fmt, ...)
{
	va_list ap;

	if (l && l->level < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	vlog(l, "", NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const struct rp_log *l, const char *fmt, ...)
{
	va_list ap;

	if (!l || l->level < LOG_LVL_DEBUG)
		return;
	va_start(ap, fmt);
	vlog(l, "debug: ", NULL, fmt, ap);
	va_end(ap);
}
