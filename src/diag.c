#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum severity { SEV_ERROR, SEV_WARNING };

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

static void
oom(void)
{
	fputs("ruleproof: out of memory\n", stderr);
	abort();
}

struct diag *
diag_open(FILE *out, const char *name, const char *text, size_t len)
{
	struct diag *d = calloc(1, sizeof(*d));

	if (!d)
		oom();
	d->out = out;
	diag_add_file(d, name, text, len);
	return d;
}

int
diag_add_file(struct diag *d, const char *name, const char *text, size_t len)
{
	struct dfile *v = reallocarray(d->files, d->nfiles + 1, sizeof(*v));

	if (!v)
		oom();
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
			oom();
		d->v = v;
		d->cap = cap;
	}
	e = &d->v[d->n];
	e->sev = sev;
	e->at = *at;
	e->seq = d->n++;
	if (vasprintf(&e->msg, fmt, ap) < 0)
		oom();
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

static void
put_caret(FILE *out, const char *line, size_t linelen, const struct src_span *at)
{
	size_t start = at->col > 0 ? (size_t)at->col - 1 : 0, i;

	fputs("    ", out);
	for (i = 0; i < start; i++) {
		if (i < linelen && line[i] == '\t')
			fputc('\t', out);
		else if (!(i < linelen && is_cont(line[i])))
			fputc(' ', out);
	}
	fputc('^', out);
	for (i = start + 1; i < start + at->len && i < linelen; i++)
		if (!is_cont(line[i]))
			fputc('~', out);
	fputc('\n', out);
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

static void
put_source(const struct diag *d, const struct src_span *at)
{
	const struct dfile *f = file_of(d, at);
	size_t off = at->line_off < f->len ? at->line_off : f->len, end = off;

	while (end < f->len && f->text[end] != '\n')
		end++;
	/* A CRLF file's carriage return is line ending, not content. */
	if (end > off && f->text[end - 1] == '\r')
		end--;
	fputs("    ", d->out);
	put_line(d->out, f->text + off, end - off);
	fputc('\n', d->out);
	put_caret(d->out, f->text + off, end - off, at);
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
		const struct entry *e = &d->v[i];

		fprintf(d->out, "%s:%d:%d: %s: %s\n", file_of(d, &e->at)->name, e->at.line, e->at.col,
		    e->sev == SEV_ERROR ? "error" : "warning", e->msg);
		put_source(d, &e->at);
		free(e->msg);
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
