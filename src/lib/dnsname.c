#include "lib/dnsname.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LABEL_MAX 63

static bool
is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool
dnsname_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower(*a) != lower(*b))
			return false;
	return *a == *b;
}

/* Checks the labels of name between dots. */
static const char *
labels_problem(const char *name)
{
	const char *p, *start = name;
	size_t dots = 0;

	for (p = name;; p++) {
		if (*p != '.' && *p != '\0')
			continue;
		if (p == start)
			return "a label is empty";
		if ((size_t)(p - start) > LABEL_MAX)
			return "a label is longer than 63 characters";
		if (start[0] == '-' || p[-1] == '-')
			return "a label starts or ends with '-'";
		if (*p == '\0')
			break;
		dots++;
		start = p + 1;
	}
	if (dots == 0)
		return "it needs at least one dot (a plain name is a zone or a role)";
	return NULL;
}

/* Length of the placeholder "[word]" at p, or 0. */
static size_t
placeholder(const char *p)
{
	size_t n = 1;

	if (*p != '[')
		return 0;
	while (is_ldh(p[n]))
		n++;
	return n > 1 && p[n] == ']' ? n + 1 : 0;
}

const char *
dnsname_problem(const char *name)
{
	const char *p;

	if (strlen(name) > DNSNAME_MAX)
		return "it is longer than 253 characters";
	for (p = name; *p; p++) {
		if (*p == '*' || *p == '[')
			return "it is a pattern: declare it with 'wildcard'";
		if (*p != '.' && !is_ldh(*p))
			return "only letters, digits, '-' and '.' may appear in it";
	}
	return labels_problem(name);
}

/* A pattern's labels are checked as if each '*' and placeholder were one
 * letter: "*.apple.com" and "accounts.google.[country]" have no empty
 * label, ".*.com" has. */
const char *
dnsname_pattern_problem(const char *pattern)
{
	char shape[DNSNAME_MAX + 1];
	const char *p;
	bool wild = false;
	size_t n, k = 0;

	if (strlen(pattern) > DNSNAME_MAX)
		return "it is longer than 253 characters";
	for (p = pattern; *p; p++) {
		if (*p == '*') {
			wild = true;
			shape[k++] = 'x';
		} else if ((n = placeholder(p)) > 0) {
			wild = true;
			shape[k++] = 'x';
			p += n - 1;
		} else if (*p != '.' && !is_ldh(*p)) {
			return "only letters, digits, '-', '.', '*' and [placeholders] may appear in it";
		} else {
			shape[k++] = *p;
		}
	}
	shape[k] = '\0';
	if (!wild)
		return "it has no '*' or [placeholder]: declare a single name with 'fqdn'";
	return labels_problem(shape);
}

/* Pattern elements: a literal character, '*', or a placeholder. */
enum elem { EL_CHAR, EL_STAR, EL_LABELS };

struct pat {
	enum elem kind[DNSNAME_MAX + 1];
	char      c[DNSNAME_MAX + 1];
	size_t    n;
};

static void
compile(const char *pattern, struct pat *pt)
{
	const char *p;
	size_t k;

	pt->n = 0;
	for (p = pattern; *p && pt->n < DNSNAME_MAX + 1; p++, pt->n++) {
		pt->kind[pt->n] = EL_CHAR;
		pt->c[pt->n] = lower(*p);
		if (*p == '*') {
			pt->kind[pt->n] = EL_STAR;
		} else if ((k = placeholder(p)) > 0) {
			pt->kind[pt->n] = EL_LABELS;
			p += k - 1;
		}
	}
}

/* name[j..k) as whole labels: non-empty, not starting or ending with '.'. */
static bool
whole_labels(const char *name, size_t j, size_t k)
{
	return k > j && name[j] != '.' && name[k - 1] != '.';
}

/* Dynamic programming over (pattern element, name position), from the
 * end: linear in each dimension for '*', so that no pattern, however many
 * stars it has, makes matching slow (backtracking would be exponential). */
bool
dnsname_match(const char *pattern, const char *name)
{
	struct pat pt;
	bool row[DNSNAME_MAX + 2], next[DNSNAME_MAX + 2];
	size_t n = strlen(name), t, j, k;

	if (n > DNSNAME_MAX || strlen(pattern) > DNSNAME_MAX)
		return false;
	compile(pattern, &pt);
	memset(next, 0, sizeof(next));
	next[n] = true;   /* the empty pattern matches the empty rest */
	for (t = pt.n; t-- > 0;) {
		memset(row, 0, sizeof(row));
		for (j = n + 1; j-- > 0;) {
			switch (pt.kind[t]) {
			case EL_CHAR:
				row[j] = j < n && lower(name[j]) == pt.c[t] && next[j + 1];
				break;
			case EL_STAR:
				row[j] = next[j] || (j < n && row[j + 1]);
				break;
			case EL_LABELS:
				for (k = j + 1; k <= n && !row[j]; k++)
					row[j] = next[k] && whole_labels(name, j, k);
				break;
			}
		}
		memcpy(next, row, sizeof(row));
	}
	return next[0];
}
