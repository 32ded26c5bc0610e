#include <CUnit/Basic.h>
#include <stdio.h>

#include "suites.h"

typedef int (*register_fn)(void);

int
main(void)
{
	static const register_fn regs[] = {
		register_rd_tests, register_hex_tests, register_addr_tests, register_profile_tests,
		register_site_tests, register_golden_tests, register_probeid_tests,
		register_pkt_tests, register_plan_tests, register_nftgen_tests,
		register_correlate_tests,
		register_report_tests, register_manifest_tests, register_rundiff_tests,
		register_badinput_tests, register_rootguard_tests,
		register_tlsrec_tests, register_tlscert_tests, register_sendsched_tests,
		register_tlslog_tests,
		register_sendfast_tests, register_tlsev_tests, register_pcapread_tests,
	};
	unsigned fails;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (regs[i]() != 0) {
			fprintf(stderr, "suite registration failed: %s\n", CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_number_of_suites_failed() > 0)
		fails++;
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
