#include "lib/escape.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD in UTF-8 */

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;   /* also stops at the NUL terminator */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* U+FFFE and U+FFFF are not characters in XML 1.0. */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

static const char *
markup_entity(unsigned char c)
{
	switch (c) {
	case '&':  return "&amp;";
	case '<':  return "&lt;";
	case '>':  return "&gt;";
	case '"':  return "&quot;";
	case '\'': return "&#39;";
	case '\t': return "&#9;";
	case '\n': return "&#10;";
	case '\r': return "&#13;";
	default:   return NULL;
	}
}

void
esc_markup(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		const char *ent = markup_entity(*p);
		size_t n;

		if (ent) {
			fputs(ent, out);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fputs(REPLACEMENT, out);
			p++;
		} else if ((n = utf8_len(p)) == 0) {
			fputs(REPLACEMENT, out);
			p++;
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
}

void
esc_csv(FILE *out, const char *s)
{
	const char *p;

	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

void
esc_csv_text(FILE *out, const char *s)
{
	char buf[1024];

	if (!s || s[0] == '\0' || !strchr("=+-@\t\r", s[0])) {
		esc_csv(out, s);
		return;
	}
	/* Rare; a field longer than the buffer is cut rather than run. */
	snprintf(buf, sizeof(buf), "'%s", s);
	esc_csv(out, buf);
}
