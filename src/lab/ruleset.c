#include "lab/ruleset.h"

#include "lab/drift.h"
#include "lab/nftgen.h"

int
ruleset_compile(const struct plan *pl, unsigned long drift, unsigned long long seed, FILE *out,
    FILE *planted, const struct rp_log *log)
{
	struct fwset *fw = fw_compile(pl);
	int n;

	if (!fw) {
		log_warnx(log, "out of memory");
		return -1;
	}
	if (drift > 0) {
		fprintf(planted, "# planted by ruleproof --drift %lu --seed %llu\n", drift, seed);
		n = fw_drift(fw, pl, (unsigned)drift, seed, planted);
		if (n < 0) {
			fw_free(fw);
			log_warnx(log, "out of memory");
			return -1;
		}
		if ((unsigned long)n < drift)
			log_warnx(log, "only %d of %lu deviations could be planted in this plan", n, drift);
	}
	fw_emit(fw, pl, out);
	fw_free(fw);
	return 0;
}
