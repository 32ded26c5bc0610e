/* lib/hex: the one hex encoder and decoder every module uses. */
#include <CUnit/Basic.h>
#include <string.h>

#include "lib/hex.h"
#include "suites.h"

static void
test_encode(void)
{
	const uint8_t b[] = { 0x00, 0x0f, 0xa5, 0xff };
	char out[9];

	hex_encode(b, sizeof(b), out, false);
	CU_ASSERT_STRING_EQUAL(out, "000fa5ff");
	hex_encode(b, sizeof(b), out, true);
	CU_ASSERT_STRING_EQUAL(out, "000FA5FF");
	hex_encode(b, 0, out, false);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static void
test_decode(void)
{
	uint8_t b[4];

	CU_ASSERT_EQUAL(hex_decode("000fa5FF", b, 4), 0);
	CU_ASSERT_EQUAL(memcmp(b, "\x00\x0f\xa5\xff", 4), 0);
	CU_ASSERT_EQUAL(hex_decode("", b, 0), 0);
}

static void
test_decode_refuses(void)
{
	uint8_t b[4];

	CU_ASSERT_EQUAL(hex_decode("000fa5f", b, 4), -1);    /* short */
	CU_ASSERT_EQUAL(hex_decode("000fa5fff", b, 4), -1);  /* long */
	CU_ASSERT_EQUAL(hex_decode("000fa5fg", b, 4), -1);   /* not a digit */
	CU_ASSERT_EQUAL(hex_decode(" 00fa5ff", b, 4), -1);
	CU_ASSERT_EQUAL(hex_decode("0x0fa5ff", b, 4), -1);
}

static void
test_round_trip(void)
{
	uint8_t b[256], back[256];
	char text[513];
	int i;

	for (i = 0; i < 256; i++)
		b[i] = (uint8_t)i;
	hex_encode(b, sizeof(b), text, i & 1);
	CU_ASSERT_EQUAL(hex_decode(text, back, sizeof(back)), 0);
	CU_ASSERT_EQUAL(memcmp(b, back, sizeof(b)), 0);
}

int
register_hex_tests(void)
{
	CU_pSuite s = CU_add_suite("hex", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "encode, both cases", test_encode) ||
	    !CU_add_test(s, "decode, either case", test_decode) ||
	    !CU_add_test(s, "decode refuses what is not exactly 2n digits", test_decode_refuses) ||
	    !CU_add_test(s, "every byte round-trips", test_round_trip))
		return -1;
	return 0;
}
