/* Unit tests for the decision of whether a command that needs no privilege
 * may keep root (rootguard.h), and for reading sudo's SUDO_UID/SUDO_GID
 * (lib/sudouser.h).  The drop itself changes the test process for good: the lab
 * test t_rootguard.sh checks it. */
#include <CUnit/Basic.h>
#include <string.h>

#include "lib/sudouser.h"
#include "lib/rootguard.h"
#include "suites.h"

static enum rootguard_action
decide(uid_t euid, const char *allow, const char *su, const char *sg, struct sudo_user *inv)
{
	char err[256];

	memset(inv, 0, sizeof(*inv));
	return rootguard_decide(euid, allow, su, sg, inv, err, sizeof(err));
}

static void
test_not_root(void)
{
	struct sudo_user inv;

	CU_ASSERT_EQUAL(decide(1000, NULL, NULL, NULL, &inv), RG_AS_IS);
	/* Whatever sudo's variables say, a user is left as it is. */
	CU_ASSERT_EQUAL(decide(1000, NULL, "garbage", NULL, &inv), RG_AS_IS);
}

static void
test_plain_root(void)
{
	struct sudo_user inv;

	CU_ASSERT_EQUAL(decide(0, NULL, NULL, NULL, &inv), RG_REFUSE);
	CU_ASSERT_EQUAL(decide(0, "", "", "", &inv), RG_REFUSE);
	/* Only "1" allows: a typo must not keep root. */
	CU_ASSERT_EQUAL(decide(0, "yes", NULL, NULL, &inv), RG_REFUSE);
	CU_ASSERT_EQUAL(decide(0, "0", NULL, NULL, &inv), RG_REFUSE);
	CU_ASSERT_EQUAL(decide(0, "1", NULL, NULL, &inv), RG_KEEP_ROOT);
	/* root running sudo has nobody to drop to. */
	CU_ASSERT_EQUAL(decide(0, NULL, "0", "0", &inv), RG_REFUSE);
}

static void
test_sudo(void)
{
	struct sudo_user inv;

	CU_ASSERT_EQUAL(decide(0, NULL, "1000", "1001", &inv), RG_DROP);
	CU_ASSERT_EQUAL(inv.uid, 1000);
	CU_ASSERT_EQUAL(inv.gid, 1001);
	CU_ASSERT_EQUAL(decide(0, NULL, "65534", "0", &inv), RG_DROP);
	CU_ASSERT_EQUAL(inv.gid, 0);
	/* Said explicitly, root stays root under sudo too. */
	CU_ASSERT_EQUAL(decide(0, "1", "1000", "1000", &inv), RG_KEEP_ROOT);
}

static void
test_bad_env(void)
{
	struct sudo_user inv;
	char err[256] = "";

	CU_ASSERT_EQUAL(decide(0, NULL, "abc", "1000", &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(decide(0, NULL, "-1", "1000", &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(decide(0, NULL, "1000x", "1000", &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(decide(0, NULL, "4294967295", "1000", &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(decide(0, NULL, "99999999999999999999", "1000", &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(decide(0, NULL, "1000", NULL, &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(decide(0, NULL, "1000", " 1000", &inv), RG_BAD_ENV);
	CU_ASSERT_EQUAL(sudouser_parse("1000", "", &inv, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "SUDO_GID='' is not a group id (SUDO_UID=1000)");
	CU_ASSERT_EQUAL(sudouser_parse("x", "1", &inv, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "SUDO_UID='x' is not a user id");
}

int
register_rootguard_tests(void)
{
	CU_pSuite s = CU_add_suite("rootguard", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "not root: as is", test_not_root) ||
	    !CU_add_test(s, "plain root: refused unless allowed", test_plain_root) ||
	    !CU_add_test(s, "sudo: drop to the user behind sudo", test_sudo) ||
	    !CU_add_test(s, "malformed SUDO_UID/SUDO_GID", test_bad_env))
		return -1;
	return 0;
}
