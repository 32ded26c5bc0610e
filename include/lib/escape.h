/* Escaping for the report formats.  Every string that comes from an input
 * file (profile titles, names, sections, capture file names and errors) can
 * hold anything, so each format writes it through one of these and never
 * raw. */
#ifndef RP_LIB_ESCAPE_H
#define RP_LIB_ESCAPE_H

#include <stdio.h>

/* Text for XML 1.0 or HTML, in element content or in an attribute quoted
 * with '"' or '\''.  Escapes & < > " ' and, so that an XML parser accepts
 * the result and an attribute keeps its line breaks, writes tab, line feed
 * and carriage return as character references; every other control
 * character, and every byte that is not part of well-formed UTF-8, becomes
 * U+FFFD. */
void esc_markup(FILE *, const char *);

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or
 * LF (quotes doubled), else as is. */
void esc_csv(FILE *, const char *);

/* A CSV field of text from an input file: as esc_csv(), but a field that a
 * spreadsheet would run as a formula (it starts with = + - @, tab or CR)
 * gets a leading apostrophe. */
void esc_csv_text(FILE *, const char *);

#endif
