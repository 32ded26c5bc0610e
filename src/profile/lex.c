#include "profile/lex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/oom.h"

char *
lex_xstrndup(const char *s, size_t n)
{
	char *r = xreallocarray(NULL, n + 1, 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

static bool
is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int
peek(const struct lexer *lx, size_t ahead)
{
	size_t i = lx->pos + ahead;

	return i < lx->len ? (unsigned char)lx->text[i] : -1;
}

/* Where a token starting at byte `off` of the current line sits. */
static struct src_span
span_at(const struct lexer *lx, size_t off, size_t len)
{
	struct src_span s;
	size_t col = off - lx->line_off + 1;

	s.file = lx->file;
	s.line = lx->line;
	s.col = col > 0x7fffffff ? 0x7fffffff : (int)col;
	s.line_off = lx->line_off;
	s.off = off;
	s.len = len;
	return s;
}

/* A statement continues past a newline after these. */
static bool
continues(enum tok_kind k)
{
	return k == TK_COMMA || k == TK_ARROW || k == TK_COLON || k == TK_EQUALS ||
	    k == TK_LPAREN;
}

static bool
starts_name(int c)
{
	return is_alpha(c) || c == '*';
}

static bool
starts_token(int c)
{
	return starts_name(c) || is_digit(c) || c == '"' || c == '#' || c == '\n' ||
	    is_blank(c) || (c > 0 && strchr(",:=/-+()", c) != NULL);
}

/* Length of a "[word]" placeholder at the current position, or 0. */
static size_t
placeholder_len(const struct lexer *lx)
{
	size_t n = 1;
	int c;

	if (peek(lx, 0) != '[')
		return 0;
	while ((c = peek(lx, n)) != -1 && (is_alpha(c) || is_digit(c) || c == '-'))
		n++;
	return n > 1 && c == ']' ? n + 1 : 0;
}

/* Can a name go on with the character at the current position?  A '-'
 * before '>' is an arrow, and a '.' must be followed by more of a name (a
 * trailing dot is not swallowed; "a..b" is one name, for the DNS check to
 * call its empty label). */
static size_t
name_continues(const struct lexer *lx)
{
	int c = peek(lx, 0), d = peek(lx, 1);

	if (is_alpha(c) || is_digit(c) || c == '*')
		return 1;
	if (c == '-')
		return d != '>';
	if (c == '.')
		return is_alpha(d) || is_digit(d) || d == '*' || d == '[' || d == '.' || d == '-';
	return placeholder_len(lx);
}

/* A name: [A-Za-z_*] then letters, digits, '_', '-', '*', '.' and "[word]"
 * placeholders.  One token kind serves zone names, DNS names (rm01.awmdm.com)
 * and wildcard patterns (*.apple.com, accounts.google.[country]); which of
 * them a name may be is the parser's business. */
static void
lex_ident(struct lexer *lx, struct tok *t)
{
	size_t start = lx->pos, n;

	lx->pos++;
	while ((n = name_continues(lx)) > 0)
		lx->pos += n;
	t->kind = TK_IDENT;
	t->at = span_at(lx, start, lx->pos - start);
}

static void
lex_digits(struct lexer *lx, struct tok *t)
{
	size_t start = lx->pos;
	uint32_t v = 0;
	bool dot = false;
	int c;

	while ((c = peek(lx, 0)) != -1 && (is_digit(c) || (lx->addr_runs && c == '.'))) {
		if (c == '.')
			dot = true;
		else if (v > (UINT32_MAX - 9) / 10)
			v = UINT32_MAX;   /* saturate: far outside any range we accept */
		else
			v = v * 10 + (uint32_t)(c - '0');
		lx->pos++;
	}
	t->kind = dot ? TK_ADDR : TK_NUMBER;
	t->num = dot ? 0 : v;
	t->at = span_at(lx, start, lx->pos - start);
}

/* Checks one escape or byte inside a string; returns how many bytes it took. */
static size_t
string_byte(struct lexer *lx, size_t i)
{
	unsigned char c = (unsigned char)lx->text[i];
	struct src_span at = span_at(lx, i, 1);

	if (c == '\\') {
		int e = i + 1 < lx->len ? (unsigned char)lx->text[i + 1] : -1;

		if (e == '"' || e == '\\')
			return 2;
		if (e == -1 || e == '\n')
			return 1;   /* the missing quote is reported instead */
		at.len = 2;
		if (e > ' ' && e < 0x7f)
			diag_error(lx->diag, &at, "invalid escape '\\%c' in string: only \\\" and \\\\ are allowed", e);
		else
			diag_error(lx->diag, &at, "invalid escape in string: only \\\" and \\\\ are allowed");
		return 2;
	}
	if ((c < ' ' && c != '\t') || c == 0x7f)
		diag_error(lx->diag, &at, "control character 0x%02x in string", c);
	return 1;
}

static void
lex_string_tok(struct lexer *lx, struct tok *t)
{
	size_t start = lx->pos, i = start + 1;

	while (i < lx->len && lx->text[i] != '"' && lx->text[i] != '\n')
		i += string_byte(lx, i);
	if (i < lx->len && lx->text[i] == '"') {
		lx->pos = i + 1;
		t->kind = TK_STRING;
		t->at = span_at(lx, start, lx->pos - start);
		return;
	}
	/* Stop before the newline so that it still ends the statement. */
	lx->pos = i < lx->len ? i : lx->len;
	t->kind = TK_BAD;
	t->at = span_at(lx, start, lx->pos - start);
	diag_error(lx->diag, &t->at, "unterminated string");
}

/* Length of the well-formed UTF-8 character at s, or 0: a message may quote
 * it back, but never a broken sequence. */
static size_t
utf8_len(const char *s, size_t avail)
{
	unsigned char c = (unsigned char)s[0];
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void
lex_bad(struct lexer *lx, struct tok *t)
{
	size_t start = lx->pos, n;
	int c = peek(lx, 0);

	/* One report for a run of junk, not one per byte; the first byte is
	 * always taken so that the lexer moves on. */
	lx->pos++;
	while (lx->pos < lx->len && !starts_token(peek(lx, 0)))
		lx->pos++;
	t->kind = TK_BAD;
	t->at = span_at(lx, start, lx->pos - start);
	n = utf8_len(lx->text + start, lx->pos - start);
	if (c > ' ' && c < 0x7f)
		diag_error(lx->diag, &t->at, "unexpected character '%c'", c);
	else if (n)
		diag_error(lx->diag, &t->at,
		    "unexpected character '%.*s': only strings may hold non-ASCII text",
		    (int)n, lx->text + start);
	else
		diag_error(lx->diag, &t->at, "unexpected byte 0x%02x", (unsigned)c);
}

static bool
lex_punct(struct lexer *lx, struct tok *t)
{
	static const struct { char c; enum tok_kind k; } tab[] = {
		{ ',', TK_COMMA }, { ':', TK_COLON }, { '=', TK_EQUALS },
		{ '/', TK_SLASH }, { '-', TK_DASH }, { '+', TK_PLUS },
		{ '(', TK_LPAREN }, { ')', TK_RPAREN },
	};
	int c = peek(lx, 0);
	size_t i;

	if (c == '-' && peek(lx, 1) == '>') {
		t->kind = TK_ARROW;
		t->at = span_at(lx, lx->pos, 2);
		lx->pos += 2;
		return true;
	}
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (tab[i].c == c) {
			t->kind = tab[i].k;
			t->at = span_at(lx, lx->pos, 1);
			lx->pos++;
			return true;
		}
	}
	return false;
}

static void
skip_blanks_and_comment(struct lexer *lx)
{
	while (lx->pos < lx->len && is_blank(peek(lx, 0)))
		lx->pos++;
	if (peek(lx, 0) == '#')
		while (lx->pos < lx->len && peek(lx, 0) != '\n')
			lx->pos++;
}

/* Returns false at a newline that is not a token (blank line, continuation). */
static bool
lex_one(struct lexer *lx, struct tok *t)
{
	int c;

	skip_blanks_and_comment(lx);
	memset(t, 0, sizeof(*t));
	c = peek(lx, 0);
	if (c == -1) {
		t->kind = TK_EOF;
		t->at = lx->end;
		return true;
	}
	if (c == '\n') {
		bool tok = !continues(lx->last) && lx->last != TK_NEWLINE;

		lx->pos++;
		lx->line++;
		lx->line_off = lx->pos;
		t->kind = TK_NEWLINE;
		t->at = lx->end;
		return tok;
	}
	if (starts_name(c))
		lex_ident(lx, t);
	else if (is_digit(c))
		lex_digits(lx, t);
	else if (c == '"')
		lex_string_tok(lx, t);
	else if (!lex_punct(lx, t))
		lex_bad(lx, t);
	return true;
}

void
lex_advance(struct lexer *lx)
{
	struct tok t;

	while (!lex_one(lx, &t))
		;
	/* End of line and end of file are shown just after the last token:
	 * that is where the missing piece belongs. */
	if (t.kind != TK_NEWLINE && t.kind != TK_EOF)
		lx->end = span_at(lx, t.at.off + t.at.len, 0);
	lx->last = t.kind;
	lx->cur = t;
}

void
lex_init(struct lexer *lx, const char *text, size_t len, struct diag *d, bool addr_runs)
{
	lex_init_file(lx, text, len, d, addr_runs, 0);
}

void
lex_init_file(struct lexer *lx, const char *text, size_t len, struct diag *d, bool addr_runs,
    int file)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->text = text ? text : "";
	lx->len = text ? len : 0;
	lx->line = 1;
	lx->addr_runs = addr_runs;
	/* As if after a newline: leading blank lines are not statements. */
	lx->last = TK_NEWLINE;
	lx->diag = d;
	lx->end.file = file;
	lx->end.line = 1;
	lx->end.col = 1;
	lex_advance(lx);
}

static bool
is_addr_char(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
	    c == '.';
}

/* Printable ASCII only: a message quotes the address back. */
static bool
ends_address(int c)
{
	return c <= ' ' || c >= 0x7f || c == ',' || c == '"' || c == '#';
}

bool
lex_address(struct lexer *lx)
{
	struct tok *t = &lx->cur;
	size_t start = t->at.off, i = start;

	if (t->kind != TK_NUMBER && t->kind != TK_IDENT && t->kind != TK_COLON &&
	    t->kind != TK_ADDR)
		return false;
	while (i < lx->len && is_addr_char((unsigned char)lx->text[i]))
		i++;
	if (i == start)
		return false;
	/* Whatever clings to it belongs to it: one token, one error. */
	while (i < lx->len && !ends_address((unsigned char)lx->text[i]))
		i++;
	if (i < start + t->at.len)
		i = start + t->at.len;
	lx->pos = i;
	t->kind = TK_ADDR;
	t->num = 0;
	t->at = span_at(lx, start, i - start);
	lx->end = span_at(lx, i, 0);
	lx->last = TK_ADDR;
	return true;
}

bool
lex_word(const struct lexer *lx, const char *word)
{
	size_t n = strlen(word);

	return lx->cur.kind == TK_IDENT && lx->cur.at.len == n &&
	    memcmp(lx->text + lx->cur.at.off, word, n) == 0;
}

const char *
lex_describe(const struct lexer *lx, const struct tok *t, char *buf, size_t size)
{
	static const char *const fixed[] = {
		[TK_EOF] = "end of file", [TK_NEWLINE] = "end of line",
		[TK_STRING] = "string", [TK_COMMA] = "','", [TK_COLON] = "':'",
		[TK_EQUALS] = "'='", [TK_SLASH] = "'/'", [TK_DASH] = "'-'",
		[TK_ARROW] = "'->'", [TK_PLUS] = "'+'", [TK_LPAREN] = "'('", [TK_RPAREN] = "')'",
		[TK_BAD] = "invalid input",
	};
	enum { SHOW = 32 };

	if (t->kind != TK_IDENT && t->kind != TK_NUMBER && t->kind != TK_ADDR)
		return fixed[t->kind];
	/* Quote the token, but a 5000-digit number need not fill the screen. */
	if (t->at.len > SHOW)
		snprintf(buf, size, "'%.*s...'", SHOW - 3, lx->text + t->at.off);
	else
		snprintf(buf, size, "'%.*s'", (int)t->at.len, lx->text + t->at.off);
	return buf;
}

void
lex_syntax_error(struct lexer *lx, const char *what)
{
	char buf[48];

	if (lx->cur.kind == TK_BAD)
		return;   /* already reported, and better, by the lexer */
	diag_error(lx->diag, &lx->cur.at, "expected %s, found %s", what,
	    lex_describe(lx, &lx->cur, buf, sizeof(buf)));
}

bool
lex_expect(struct lexer *lx, enum tok_kind k, const char *what)
{
	if (lx->cur.kind == k)
		return true;
	lex_syntax_error(lx, what);
	return false;
}

char *
lex_text(const struct lexer *lx, const struct tok *t)
{
	return lex_xstrndup(lx->text + t->at.off, t->at.len);
}

char *
lex_string(const struct lexer *lx, const struct tok *t)
{
	const char *s = lx->text + t->at.off + 1;
	size_t n = t->at.len >= 2 ? t->at.len - 2 : 0, i, j = 0;
	char *r = xreallocarray(NULL, n + 1, 1);

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		r[j++] = s[i];
	}
	r[j] = '\0';
	return r;
}

void
lex_put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
list_keywords(char *buf, size_t size, const struct lex_stmt *tab, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		int w = snprintf(buf + used, size - used, "%s%s", sep, tab[i].keyword);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static const struct lex_stmt *
find_stmt(const struct lexer *lx, const struct lex_stmt *tab, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lex_word(lx, tab[i].keyword))
			return &tab[i];
	return NULL;
}

static bool
statement(struct lexer *lx, const struct lex_stmt *tab, size_t n, void *ctx)
{
	const struct lex_stmt *st;
	struct tok kw = lx->cur;
	char list[160], buf[48];

	if (kw.kind != TK_IDENT) {
		lex_syntax_error(lx, "a statement");
		return false;
	}
	st = find_stmt(lx, tab, n);
	if (!st) {
		list_keywords(list, sizeof(list), tab, n);
		diag_error(lx->diag, &kw.at, "unknown statement %s (expected %s)",
		    lex_describe(lx, &kw, buf, sizeof(buf)), list);
		return false;
	}
	lex_advance(lx);
	if (!st->parse(ctx, &kw))
		return false;
	if (lx->cur.kind != TK_NEWLINE && lx->cur.kind != TK_EOF) {
		lex_syntax_error(lx, "end of line");
		return false;
	}
	return true;
}

void
lex_statements(struct lexer *lx, const struct lex_stmt *tab, size_t n, void *ctx)
{
	while (lx->cur.kind != TK_EOF) {
		if (lx->cur.kind == TK_NEWLINE) {
			lex_advance(lx);
			continue;
		}
		if (!statement(lx, tab, n, ctx))
			while (lx->cur.kind != TK_NEWLINE && lx->cur.kind != TK_EOF)
				lex_advance(lx);
	}
}

static bool
read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int saved;

	if (!f)
		return false;
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xreallocarray(buf, cap, 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		saved = errno ? errno : EIO;
		fclose(f);
		free(buf);
		errno = saved;
		return false;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return true;
}

bool
lex_load_file(const char *path, char **text, size_t *len, FILE *diag, int *nerr)
{
	if (read_file(path, text, len))
		return true;
	diag_file_error(diag, path, "cannot read: %s", strerror(errno));
	if (nerr)
		*nerr = 1;
	return false;
}
