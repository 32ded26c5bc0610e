/* The exit statuses of every command, a contract with scripts and CI:
 * documented in ruleproof(1). */
#ifndef RP_LIB_EXITSTATUS_H
#define RP_LIB_EXITSTATUS_H

/* Exit statuses of every subcommand. */
enum {
	EXIT_PASS = 0,       /* every probe passed (or: the command did its job) */
	EXIT_FAIL = 1,       /* some probe failed */
	EXIT_USAGE = 2,      /* bad usage or bad input */
	EXIT_RUN = 3,        /* the run could not be done, or has inconclusive probes */
};

#endif
