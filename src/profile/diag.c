#include "profile/diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/oom.h"

enum severity { SEV_ERROR, SEV_WARNING };

/* Diagnostics written in full; the rest are counted. */
#define DIAG_MAX_SHOWN 100

struct entry {
	enum severity   sev;
	struct src_span at;
	size_t          seq;   /* keeps same-position messages in emission order */
	char           *msg;
};

struct dfile {
	const char *name;
	const char *text;
	size_t      len;
};

struct diag {
	FILE         *out;
	struct dfile *files;
	size_t        nfiles;
	struct entry *v;
	size_t        n, cap;
	int           nerr;
};

struct diag *
diag_open(FILE *out, const char *name, const char *text, size_t len)
{
	struct diag *d = calloc(1, sizeof(*d));

	if (!d)
		oom_fatal();
	d->out = out;
	diag_add_file(d, name, text, len);
	return d;
}

int
diag_add_file(struct diag *d, const char *name, const char *text, size_t len)
{
	struct dfile *v = reallocarray(d->files, d->nfiles + 1, sizeof(*v));

	if (!v)
		oom_fatal();
	d->files = v;
	v[d->nfiles].name = name;
	v[d->nfiles].text = text ? text : "";
	v[d->nfiles].len = text ? len : 0;
	return (int)d->nfiles++;
}

static void add(struct diag *, enum severity, const struct src_span *, const char *,
    va_list) __attribute__((format(printf, 4, 0)));

static void
add(struct diag *d, enum severity sev, const struct src_span *at,
    const char *fmt, va_list ap)
{
	struct entry *e;

	if (sev == SEV_ERROR)
		d->nerr++;
	/* Nobody will read them: counting is enough. */
	if (!d->out)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct entry *v = reallocarray(d->v, cap, sizeof(*v));

		if (!v)
			oom_fatal();
		d->v = v;
		d->cap = cap;
	}
	e = &d->v[d->n];
	e->sev = sev;
	e->at = *at;
	e->seq = d->n++;
	if (vasprintf(&e->msg, fmt, ap) < 0)
		oom_fatal();
}

void
diag_error(struct diag *d, const struct src_span *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(d, SEV_ERROR, at, fmt, ap);
	va_end(ap);
}

void
diag_warning(struct diag *d, const struct src_span *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(d, SEV_WARNING, at, fmt, ap);
	va_end(ap);
}

int
diag_nerrors(const struct diag *d)
{
	return d->nerr;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->at.file != y->at.file)
		return x->at.file < y->at.file ? -1 : 1;
	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	if (x->at.col != y->at.col)
		return x->at.col < y->at.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* UTF-8 continuation bytes take no room on a terminal: the caret line must
 * not count them or it drifts right of the token on any non-ASCII line. */
static bool
is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static const struct dfile *
file_of(const struct diag *d, const struct src_span *at)
{
	size_t i = at->file >= 0 && (size_t)at->file < d->nfiles ? (size_t)at->file : 0;

	return &d->files[i];
}

/* The line as it is, but for control characters: an escape sequence or a
 * NUL from a file given by mistake (a binary, a capture) must not reach the
 * terminal, so '?' takes its column. */
static void
put_line(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, out);
	}
}

/* A long line (a generated port list, a binary file's 1 MiB "line") is
 * shown as a window around the caret: SRC_WIDTH characters, of which up to
 * SRC_BEFORE before it, cut between UTF-8 characters and marked with
 * CUT_MARK where it is cut.  A line of up to SRC_WHOLE characters is shown
 * whole: cutting a few characters off a long rule would only hide them. */
#define SRC_WIDTH  120
#define SRC_BEFORE 40
#define SRC_WHOLE  160
#define CUT_MARK   "..."

struct window {
	size_t lo, hi;     /* bytes of the line shown */
};

static size_t
chars_back(const char *s, size_t from, size_t n)
{
	while (from > 0 && n > 0) {
		from--;
		while (from > 0 && is_cont(s[from]))
			from--;
		n--;
	}
	return from;
}

static size_t
chars_fwd(const char *s, size_t len, size_t from, size_t n)
{
	while (from < len && n > 0) {
		from++;
		while (from < len && is_cont(s[from]))
			from++;
		n--;
	}
	return from;
}

/* The window of a line of len bytes (more: the line goes on beyond them)
 * for a caret at byte caret. */
static struct window
window_of(const char *line, size_t len, bool more, size_t caret)
{
	struct window w = { 0, len };

	if (!more && chars_fwd(line, len, 0, SRC_WHOLE) == len)
		return w;      /* fits */
	if (caret > len)
		caret = len;
	w.lo = chars_back(line, caret, SRC_BEFORE);
	w.hi = chars_fwd(line, len, w.lo, SRC_WIDTH);
	if (w.hi == len && !more)   /* near the end: the last SRC_WIDTH characters */
		w.lo = chars_back(line, len, SRC_WIDTH);
	return w;
}

static void
put_caret(FILE *out, const char *line, size_t linelen, const struct window *w,
    const struct src_span *at)
{
	size_t start = at->col > 0 ? (size_t)at->col - 1 : 0, i;

	fputs(w->lo > 0 ? "    " CUT_MARK : "    ", out);
	for (i = w->lo; i < start; i++) {
		if (i < linelen && line[i] == '\t')
			fputc('\t', out);
		else if (!(i < linelen && is_cont(line[i])))
			fputc(' ', out);
	}
	fputc('^', out);
	for (i = start + 1; i < start + at->len && i < w->hi; i++)
		if (!is_cont(line[i]))
			fputc('~', out);
	fputc('\n', out);
}

static void
put_source(const struct diag *d, const struct src_span *at)
{
	const struct dfile *f = file_of(d, at);
	size_t off = at->line_off < f->len ? at->line_off : f->len, end = off, caret, limit;
	struct window w;
	bool more;

	caret = at->col > 0 ? (size_t)at->col - 1 : 0;
	/* Only as far as the window can reach (a UTF-8 character is at most 4
	 * bytes): one warning per port of a 1 MiB line must not read the whole
	 * line each time. */
	limit = f->len - off > caret + SRC_WHOLE * 4 + 4 ? off + caret + SRC_WHOLE * 4 + 4 : f->len;
	/* From the caret on: the line has no newline before it. */
	end = off + caret < f->len ? off + caret : f->len;
	while (end < limit && f->text[end] != '\n')
		end++;
	more = end == limit && end < f->len && f->text[end] != '\n';
	/* A CRLF file's carriage return is line ending, not content. */
	if (!more && end > off && f->text[end - 1] == '\r')
		end--;
	w = window_of(f->text + off, end - off, more, caret);
	fputs(w.lo > 0 ? "    " CUT_MARK : "    ", d->out);
	put_line(d->out, f->text + off + w.lo, w.hi - w.lo);
	fputs(w.hi < end - off || more ? CUT_MARK "\n" : "\n", d->out);
	put_caret(d->out, f->text + off, end - off, &w, at);
}

/* One diagnostic, written with one write: stderr is unbuffered, and a
 * character at a time is a system call at a time. */
static void
put_entry(const struct diag *d, const struct entry *e)
{
	struct diag mem = *d;
	char *buf = NULL;
	size_t len = 0;

	mem.out = open_memstream(&buf, &len);
	if (!mem.out)
		oom_fatal();
	fprintf(mem.out, "%s:%d:%d: %s: %s\n", file_of(d, &e->at)->name, e->at.line, e->at.col,
	    e->sev == SEV_ERROR ? "error" : "warning", e->msg);
	put_source(&mem, &e->at);
	if (fclose(mem.out) != 0)
		oom_fatal();
	fwrite(buf, 1, len, d->out);
	free(buf);
}

/* What is not shown of a flood (a generated list naming one port 500,000
 * times) is counted instead. */
static void
put_unshown(const struct diag *d, size_t from)
{
	size_t i, nerr = 0;

	for (i = from; i < d->n; i++)
		nerr += d->v[i].sev == SEV_ERROR;
	fprintf(d->out, "%s: %zu more diagnostics not shown (%zu error%s, %zu warning%s)\n",
	    d->files[0].name, d->n - from, nerr, nerr == 1 ? "" : "s", d->n - from - nerr,
	    d->n - from - nerr == 1 ? "" : "s");
}

void
diag_close(struct diag *d)
{
	size_t i;

	if (!d)
		return;
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(d->v[0]), cmp_entry);
	for (i = 0; i < d->n; i++) {
		if (i < DIAG_MAX_SHOWN)
			put_entry(d, &d->v[i]);
		else if (i == DIAG_MAX_SHOWN)
			put_unshown(d, i);
		free(d->v[i].msg);
	}
	free(d->v);
	free(d->files);
	free(d);
}

void
diag_file_error(FILE *out, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (!out)
		return;
	fprintf(out, "%s: error: ", name);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}
