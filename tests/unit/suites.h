/* Each test file registers its suites here; main.c calls them all. */
#ifndef RP_TEST_SUITES_H
#define RP_TEST_SUITES_H

int register_rd_tests(void);
int register_hex_tests(void);
int register_addr_tests(void);
int register_profile_tests(void);
int register_site_tests(void);
int register_golden_tests(void);
int register_probeid_tests(void);
int register_pkt_tests(void);
int register_plan_tests(void);
int register_nftgen_tests(void);
int register_correlate_tests(void);
int register_report_tests(void);
int register_manifest_tests(void);
int register_rundiff_tests(void);
int register_badinput_tests(void);
int register_rootguard_tests(void);
int register_tlsrec_tests(void);
int register_tlscert_tests(void);
int register_sendsched_tests(void);
int register_tlslog_tests(void);
int register_sendfast_tests(void);
int register_tlsev_tests(void);
int register_pcapread_tests(void);

#endif
