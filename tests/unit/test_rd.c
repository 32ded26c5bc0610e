/* Unit tests for the bounds-checked reader (rd.h): every dissector relies on
 * it never touching memory past the end and on its error being sticky. */
#include <CUnit/Basic.h>
#include <stdint.h>
#include <string.h>

#include "lib/rd.h"
#include "suites.h"

static const uint8_t nine[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

static void
test_reads_in_range(void)
{
	struct rd r = rd_init(nine, sizeof(nine));

	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_left(&r), 9);
	CU_ASSERT_EQUAL(rd_u8(&r), 0x01);
	/* Multi-byte reads are big-endian (network order). */
	CU_ASSERT_EQUAL(rd_be16(&r), 0x0203);
	CU_ASSERT_EQUAL(rd_be32(&r), 0x04050607u);
	CU_ASSERT_EQUAL(rd_left(&r), 2);
	rd_skip(&r, 1);
	CU_ASSERT_EQUAL(rd_u8(&r), 0x09);
	/* Reading exactly to the end is not an error. */
	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_left(&r), 0);
}

static void
test_high_bits(void)
{
	static const uint8_t ff[] = { 0xff, 0xfe, 0xfd, 0xfc, 0x80, 0x01 };
	struct rd r = rd_init(ff, sizeof(ff));

	/* Sign extension or a wrong shift would show up in the top bits. */
	CU_ASSERT_EQUAL(rd_be32(&r), 0xfffefdfcu);
	CU_ASSERT_EQUAL(rd_be16(&r), 0x8001);
	CU_ASSERT_TRUE(rd_ok(&r));
}

static void
test_sticky_error(void)
{
	struct rd r = rd_init(nine, 3);

	CU_ASSERT_EQUAL(rd_be32(&r), 0);      /* one byte short */
	CU_ASSERT_FALSE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_left(&r), 0);
	/* Three bytes are still there, but once in error every read fails:
	 * a dissector tests rd_ok() once after a whole header. */
	CU_ASSERT_EQUAL(rd_u8(&r), 0);
	CU_ASSERT_EQUAL(rd_be16(&r), 0);
	CU_ASSERT_FALSE(rd_ok(&r));
}

static void
test_error_after_good_reads(void)
{
	struct rd r = rd_init(nine, 2);

	CU_ASSERT_EQUAL(rd_be16(&r), 0x0102);
	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_u8(&r), 0);
	CU_ASSERT_FALSE(rd_ok(&r));
}

static void
test_skip(void)
{
	struct rd r = rd_init(nine, sizeof(nine));

	rd_skip(&r, 9);
	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_left(&r), 0);

	/* A huge skip must not wrap the offset around to something valid. */
	r = rd_init(nine, sizeof(nine));
	rd_skip(&r, 4);
	rd_skip(&r, SIZE_MAX);
	CU_ASSERT_FALSE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_u8(&r), 0);
}

static void
test_bytes(void)
{
	struct rd r = rd_init(nine, sizeof(nine));
	uint8_t dst[8];

	rd_skip(&r, 2);
	rd_bytes(&r, dst, 4);
	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(memcmp(dst, nine + 2, 4), 0);
	CU_ASSERT_EQUAL(rd_left(&r), 3);

	/* Short: the destination is zero-filled, not left with stale bytes. */
	memset(dst, 0xaa, sizeof(dst));
	rd_bytes(&r, dst, sizeof(dst));
	CU_ASSERT_FALSE(rd_ok(&r));
	CU_ASSERT_EQUAL(dst[0], 0);
	CU_ASSERT_EQUAL(dst[7], 0);
	CU_ASSERT_EQUAL(memcmp(dst, (const uint8_t[8]){ 0 }, 8), 0);

	/* And in error already, even a read that would fit zero-fills. */
	memset(dst, 0xaa, sizeof(dst));
	rd_bytes(&r, dst, 1);
	CU_ASSERT_EQUAL(dst[0], 0);
	CU_ASSERT_EQUAL(dst[1], 0xaa);         /* nothing beyond n is touched */
}

static void
test_sub(void)
{
	struct rd r = rd_init(nine, sizeof(nine)), s;

	rd_skip(&r, 1);
	s = rd_sub(&r, 3);
	CU_ASSERT_TRUE(rd_ok(&s));
	CU_ASSERT_EQUAL(rd_left(&s), 3);
	CU_ASSERT_EQUAL(rd_left(&r), 5);       /* the parent moved past it */
	CU_ASSERT_EQUAL(rd_u8(&r), 0x05);

	/* The sub-reader ends where it was cut, though the bytes go on. */
	CU_ASSERT_EQUAL(rd_be16(&s), 0x0203);
	CU_ASSERT_EQUAL(rd_be16(&s), 0);
	CU_ASSERT_FALSE(rd_ok(&s));
	/* Its error does not leak into the parent. */
	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_u8(&r), 0x06);
}

static void
test_sub_clamped(void)
{
	struct rd r = rd_init(nine, 4), s;

	rd_skip(&r, 2);
	s = rd_sub(&r, 3);                     /* one more than is left */
	CU_ASSERT_FALSE(rd_ok(&s));
	CU_ASSERT_EQUAL(rd_left(&s), 0);
	CU_ASSERT_EQUAL(rd_u8(&s), 0);
	CU_ASSERT_FALSE(rd_ok(&r));            /* the parent is flagged too */

	/* A sub-reader of an errored parent is errored. */
	s = rd_sub(&r, 0);
	CU_ASSERT_FALSE(rd_ok(&s));
}

static void
test_sub_zero(void)
{
	struct rd r = rd_init(nine, sizeof(nine)), s;

	s = rd_sub(&r, 0);
	CU_ASSERT_TRUE(rd_ok(&s));
	CU_ASSERT_EQUAL(rd_left(&s), 0);
	CU_ASSERT_EQUAL(rd_left(&r), 9);
	CU_ASSERT_EQUAL(rd_u8(&s), 0);
	CU_ASSERT_FALSE(rd_ok(&s));
	CU_ASSERT_TRUE(rd_ok(&r));
}

static void
test_rest(void)
{
	struct rd r = rd_init(nine, sizeof(nine)), s;

	rd_skip(&r, 6);
	s = rd_rest(&r);
	CU_ASSERT_TRUE(rd_ok(&s));
	CU_ASSERT_EQUAL(rd_left(&s), 3);
	CU_ASSERT_TRUE(rd_ok(&r));             /* taking the rest is no error */
	CU_ASSERT_EQUAL(rd_left(&r), 0);
	CU_ASSERT_EQUAL(rd_u8(&s), 0x07);

	/* The rest of a reader at its end is empty but valid. */
	s = rd_rest(&r);
	CU_ASSERT_TRUE(rd_ok(&s));
	CU_ASSERT_EQUAL(rd_left(&s), 0);

	/* The rest of an errored reader is errored, not the bytes after it. */
	r = rd_init(nine, sizeof(nine));
	rd_skip(&r, 10);
	s = rd_rest(&r);
	CU_ASSERT_FALSE(rd_ok(&s));
	CU_ASSERT_EQUAL(rd_u8(&s), 0);
}

static void
test_zero_length(void)
{
	struct rd r = rd_init(nine, 0);
	uint8_t b = 0x55;

	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(rd_left(&r), 0);
	/* Zero-length operations succeed on an empty reader. */
	rd_skip(&r, 0);
	rd_bytes(&r, &b, 0);
	CU_ASSERT_TRUE(rd_ok(&r));
	CU_ASSERT_EQUAL(b, 0x55);
	CU_ASSERT_EQUAL(rd_u8(&r), 0);
	CU_ASSERT_FALSE(rd_ok(&r));

	/* A NULL buffer is empty whatever length it claims. */
	r = rd_init(NULL, 100);
	CU_ASSERT_EQUAL(rd_left(&r), 0);
	CU_ASSERT_EQUAL(rd_be16(&r), 0);
	CU_ASSERT_FALSE(rd_ok(&r));
}

int
register_rd_tests(void)
{
	CU_pSuite s = CU_add_suite("rd", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "reads in range", test_reads_in_range) ||
	    !CU_add_test(s, "high bits", test_high_bits) ||
	    !CU_add_test(s, "sticky error past end", test_sticky_error) ||
	    !CU_add_test(s, "error after good reads", test_error_after_good_reads) ||
	    !CU_add_test(s, "skip", test_skip) ||
	    !CU_add_test(s, "bytes, zero-fill on error", test_bytes) ||
	    !CU_add_test(s, "sub-reader", test_sub) ||
	    !CU_add_test(s, "sub-reader clamped", test_sub_clamped) ||
	    !CU_add_test(s, "sub-reader of zero bytes", test_sub_zero) ||
	    !CU_add_test(s, "rest", test_rest) ||
	    !CU_add_test(s, "zero length and NULL", test_zero_length))
		return -1;
	return 0;
}
