/* The lexer shared by the profile and site languages, with the one-token
 * lookahead and statement loop both recursive-descent parsers build on.
 *
 * Both languages are line oriented: a newline ends a statement unless the
 * last token was ',', '->', ':', '=' or '(', so a long list may continue on
 * the next line.  '#' comments run to the end of the line. */
#ifndef RP_PROFILE_LEX_H
#define RP_PROFILE_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile/diag.h"

enum tok_kind {
	TK_EOF,
	TK_NEWLINE,
	TK_IDENT,    /* a name: see lex_ident() in lex.c and ruleproof.profile(5) */
	TK_NUMBER,   /* [0-9]+ */
	TK_STRING,   /* "..." with \" and \\ */
	TK_ADDR,     /* an address or CIDR block: see lex_address() */
	TK_COMMA,
	TK_COLON,
	TK_EQUALS,
	TK_SLASH,
	TK_DASH,
	TK_ARROW,
	TK_PLUS,     /* tcp+udp */
	TK_LPAREN,   /* cert (san, ...) */
	TK_RPAREN,
	TK_BAD,      /* malformed; the lexer has already reported it */
};

struct tok {
	enum tok_kind   kind;
	struct src_span at;    /* end of line and end of file sit just after the last token */
	uint32_t        num;   /* TK_NUMBER: value, saturated at UINT32_MAX */
};

/* The fields belong to lex.c; the struct is public only so that a parser
 * can keep its lexer on the stack. */
struct lexer {
	const char     *text;
	size_t          len, pos;
	int             line;
	size_t          line_off;
	int             file;  /* diag file id of this text */
	bool            addr_runs;
	enum tok_kind   last;
	struct src_span end;   /* just after the last real token */
	struct diag    *diag;
	struct tok      cur;   /* the lookahead token */
};

/* Primes cur with the first token.  addr_runs makes a run of digits and dots
 * one TK_ADDR token, as site files need for IPv4 addresses. */
void lex_init(struct lexer *, const char *text, size_t len, struct diag *, bool addr_runs);
/* The same for a text that diag knows as file `file` (diag_add_file()). */
void lex_init_file(struct lexer *, const char *text, size_t len, struct diag *, bool addr_runs,
                   int file);
/* Where an address must come, re-reads cur as one: the longest run of hex
 * digits, ':' and '.', an optional '/' and prefix length, and anything up to
 * the next blank, ',', '"' or '#' (so that "1.2.3.4x" is one bad address,
 * not an address and a name).  Addresses are read this way, only where the
 * grammar wants one, because ':' is also punctuation.  Returns false, with
 * cur unchanged, when cur cannot start an address. */
bool lex_address(struct lexer *);
void lex_advance(struct lexer *);
/* Is cur the identifier `word`? */
bool lex_word(const struct lexer *, const char *word);
/* True if cur is of kind k; otherwise reports "expected WHAT, found ...". */
bool lex_expect(struct lexer *, enum tok_kind k, const char *what);
void lex_syntax_error(struct lexer *, const char *what);
/* Human description of a token for "found ..." (e.g. "'->'", "end of line"). */
const char *lex_describe(const struct lexer *, const struct tok *, char *buf, size_t size);

/* Fresh copies (caller frees): the token's bytes, or a string's value. */
char *lex_text(const struct lexer *, const struct tok *);
char *lex_string(const struct lexer *, const struct tok *);
/* Writes s as a string token that lex_string() reads back as s: in double
 * quotes, with '"' and '\\' escaped (the canonical printers use it). */
void  lex_put_string(FILE *out, const char *s);

/* One statement kind.  parse() is called with the keyword consumed; it
 * returns false after reporting an error, and the rest of the statement is
 * then skipped.  On success cur must be at the end of the statement. */
struct lex_stmt {
	const char *keyword;
	bool      (*parse)(void *ctx, const struct tok *keyword);
};

/* Runs the whole input through the statement table. */
void lex_statements(struct lexer *, const struct lex_stmt *, size_t n, void *ctx);

/* Reads a whole file for the parsers; on failure says why on diag (as the
 * file's only error, so *nerr is 1) and returns false. */
bool  lex_load_file(const char *path, char **text, size_t *len, FILE *diag, int *nerr);

char *lex_xstrndup(const char *s, size_t n);

#endif
