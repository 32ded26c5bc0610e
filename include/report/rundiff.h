/* Comparing two runs: which rules, and which probes, changed verdict (the
 * question after every change window).  Works on two report.json documents.
 * Rules are matched by what they say (expectation, sources, destinations,
 * services), not by line, so that a profile edited between the runs still
 * lines up; probes by source and destination name, destination address,
 * protocol and port. */
#ifndef RP_REPORT_RUNDIFF_H
#define RP_REPORT_RUNDIFF_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

struct rundiff_counts {
	unsigned rules_changed, rules_only_a, rules_only_b;
	unsigned probes_changed, probes_only_a, probes_only_b;
};

/* Prints the differences to out; returns -1 (with err) if a or b is not a
 * ruleproof-report/1 document. */
int      rundiff(const json_t *a, const json_t *b, FILE *out, bool color,
                 struct rundiff_counts *, char *err, size_t errlen);
/* Everything that differs, for the exit status. */
unsigned rundiff_total(const struct rundiff_counts *);

#endif
