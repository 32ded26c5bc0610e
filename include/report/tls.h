/* The TLS parts of the reports: a probe's "tls" object (NULL for a probe
 * that is not TLS), the per-address "tls_endpoints" array (NULL when the
 * run has no TLS probe), and the text section. */
#ifndef RP_REPORT_TLS_H
#define RP_REPORT_TLS_H

#include <stdio.h>

#include "report/model.h"
#include <stdint.h>

struct json_t;
struct json_t *report_tls_probe_json(const struct report *, uint32_t id);
struct json_t *report_tls_endpoints_json(const struct report *);
void           report_tls_text(const struct report *, FILE *out);

#endif
