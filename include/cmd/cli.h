/* What the command files share beyond the stages: the terminal and
 * numeric options. */
#ifndef RP_CMD_CLI_H
#define RP_CMD_CLI_H

#include <stdbool.h>

/* Whether standard output is a terminal that wants colour (NO_COLOR unset,
 * TERM not dumb). */
bool cli_color(void);
/* A decimal option value from 0 to max: 0, or -1 when it is not one. */
int  cli_parse_uint(const char *s, unsigned long max, unsigned long *out);

#endif
