/* Unit tests for the capture file reader (pcapread.h): files written here
 * byte by byte, in each byte order and precision, whole, cut and damaged,
 * must read as libpcap reads them (the fuzz target compares the two on
 * anything). */
#include <CUnit/Basic.h>
#include <pcap/dlt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/pcapread.h"
#include "suites.h"

/* A pcap file being written in memory. */
struct file {
	uint8_t *b;
	size_t   len, cap;
	bool     big_endian;
};

static void
put(struct file *f, const void *p, size_t n)
{
	if (f->len + n > f->cap) {
		f->cap = (f->len + n) * 2;
		f->b = realloc(f->b, f->cap);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f->b);
	}
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
put32(struct file *f, uint32_t v)
{
	uint8_t b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[f->big_endian ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
	put(f, b, 4);
}

static void
put16(struct file *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(f->big_endian ? v >> 8 : v), (uint8_t)(f->big_endian ? v : v >> 8) };

	put(f, b, 2);
}

static void
file_header(struct file *f, bool big_endian, bool nano, uint32_t snap, uint32_t linktype)
{
	memset(f, 0, sizeof(*f));
	f->big_endian = big_endian;
	put32(f, nano ? 0xa1b23c4d : 0xa1b2c3d4);
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, snap);
	put32(f, linktype);
}

/* A record of caplen bytes, each the low byte of seed + its offset. */
static void
record(struct file *f, uint32_t sec, uint32_t frac, uint32_t caplen, uint8_t seed)
{
	uint32_t i;

	put32(f, sec);
	put32(f, frac);
	put32(f, caplen);
	put32(f, caplen);
	for (i = 0; i < caplen; i++) {
		uint8_t c = (uint8_t)(seed + i);
		put(f, &c, 1);
	}
}

static bool
record_is(const struct pcap_rec *r, int64_t ts_us, uint32_t caplen, uint8_t seed)
{
	uint32_t i;

	if (r->ts_us != ts_us || r->caplen != caplen)
		return false;
	for (i = 0; i < caplen; i++)
		if (r->data[i] != (uint8_t)(seed + i))
			return false;
	return true;
}

/* The file written out (cut to len bytes) and opened; NULL with err. */
static struct pcapread *
open_file(struct file *f, size_t len, char *path, char *err, size_t errlen)
{
	struct pcapread *r;
	FILE *out;
	int fd;

	snprintf(path, 64, "/tmp/rp-unit-pcap.XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	out = fdopen(fd, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(fwrite(f->b, 1, len, out), len);
	fclose(out);
	r = pcapread_open(path, err, errlen);
	free(f->b);
	f->b = NULL;
	return r;
}

static void
test_byte_orders_and_precision(void)
{
	unsigned k;

	for (k = 0; k < 4; k++) {
		bool be = k & 1, nano = k & 2;
		struct pcap_rec rec[4];
		struct pcapread *r;
		struct file f;
		char path[64], err[256];

		file_header(&f, be, nano, 65535, 1);
		record(&f, 1700000000, nano ? 123456789 : 123456, 60, 1);
		record(&f, 1700000001, nano ? 999 : 0, 54, 2);
		record(&f, 1700000002, nano ? 1000 : 999999, 0, 3);
		r = open_file(&f, f.len, path, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL(pcapread_dlt(r), DLT_EN10MB);
		/* Asked two at a time, then the rest, then the end. */
		CU_ASSERT_EQUAL(pcapread_next(r, rec, 2, err, sizeof(err)), 2);
		CU_ASSERT_TRUE(record_is(&rec[0], INT64_C(1700000000123456), 60, 1));
		CU_ASSERT_TRUE(record_is(&rec[1], INT64_C(1700000001000000), 54, 2));
		CU_ASSERT_EQUAL(pcapread_next(r, rec, 4, err, sizeof(err)), 1);
		CU_ASSERT_TRUE(record_is(&rec[0], nano ? INT64_C(1700000002000001) :
		    INT64_C(1700000002999999), 0, 3));
		CU_ASSERT_EQUAL(pcapread_next(r, rec, 4, err, sizeof(err)), 0);
		pcapread_close(r);
		unlink(path);
	}
}

/* Cut in a record's data, then in a record's header: the records before
 * are all read, then the reason, in libpcap's words. */
static void
test_truncated(void)
{
	struct pcap_rec rec[8];
	struct pcapread *r;
	struct file f;
	char path[64], err[256];
	size_t whole;

	file_header(&f, false, false, 65535, 1);
	record(&f, 1, 0, 100, 0);
	record(&f, 2, 0, 100, 0);
	whole = f.len;
	r = open_file(&f, whole - 30, path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(pcapread_next(r, rec, 8, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(pcapread_next(r, rec, 8, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "truncated dump file; tried to read 100 captured bytes, only got 70");
	pcapread_close(r);
	unlink(path);

	file_header(&f, true, false, 65535, 1);
	record(&f, 1, 0, 100, 0);
	record(&f, 2, 0, 100, 0);
	r = open_file(&f, 24 + 116 + 5, path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(pcapread_next(r, rec, 8, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(pcapread_next(r, rec, 8, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "truncated dump file; tried to read 16 header bytes, only got 5");
	pcapread_close(r);
	unlink(path);
}

/* A record longer than the snap length is cut to it; one longer than any
 * snap length libpcap allows ends the file. */
static void
test_lengths(void)
{
	struct pcap_rec rec[8];
	struct pcapread *r;
	struct file f;
	char path[64], err[256];

	file_header(&f, false, false, 64, 101);
	record(&f, 1, 0, 100, 7);
	record(&f, 2, 0, 20, 8);
	put32(&f, 3);
	put32(&f, 0);
	put32(&f, 300000);
	put32(&f, 300000);
	r = open_file(&f, f.len, path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(pcapread_dlt(r), DLT_RAW);
	CU_ASSERT_EQUAL(pcapread_next(r, rec, 8, err, sizeof(err)), 2);
	CU_ASSERT_TRUE(record_is(&rec[0], 1000000, 64, 7));
	CU_ASSERT_TRUE(record_is(&rec[1], 2000000, 20, 8));
	CU_ASSERT_EQUAL(pcapread_next(r, rec, 8, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "invalid packet capture length 300000, bigger than snaplen of 64");
	pcapread_close(r);
	unlink(path);
}

/* Records across the reader's 1 MiB blocks come out whole and in order. */
static void
test_many_blocks(void)
{
	enum { N = 5000 };
	struct pcap_rec rec[97];
	struct pcapread *r;
	struct file f;
	char path[64], err[256];
	uint32_t i, seen = 0, bad = 0;
	int n;

	file_header(&f, false, true, 262144, 113);
	for (i = 0; i < N; i++)
		record(&f, i, i * 1000, 100 + i % 1400, (uint8_t)i);
	r = open_file(&f, f.len, path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(pcapread_dlt(r), DLT_LINUX_SLL);
	while ((n = pcapread_next(r, rec, 97, err, sizeof(err))) > 0) {
		int k;

		for (k = 0; k < n; k++, seen++)
			bad += !record_is(&rec[k], (int64_t)seen * 1000000 + seen, 100 + seen % 1400,
			    (uint8_t)seen);
	}
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(seen, N);
	CU_ASSERT_EQUAL(bad, 0);
	pcapread_close(r);
	unlink(path);
}

/* What is not a classic pcap file goes to libpcap, which reads it or says
 * why not. */
static void
test_not_classic(void)
{
	static const char text[] = "this is not a capture file at all, just some text\n";
	struct pcapread *r;
	struct file f;
	char path[64], err[256] = "";

	memset(&f, 0, sizeof(f));
	put(&f, text, sizeof(text) - 1);
	r = open_file(&f, f.len, path, err, sizeof(err));
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_STRING_EQUAL(err, "unknown file format");
	unlink(path);

	r = pcapread_open("/nonexistent/rp-unit.pcap", err, sizeof(err));
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file or directory"));
}

int
register_pcapread_tests(void)
{
	CU_pSuite s = CU_add_suite("pcapread", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "byte orders and precisions", test_byte_orders_and_precision) ||
	    !CU_add_test(s, "truncated files", test_truncated) ||
	    !CU_add_test(s, "snap length and bad lengths", test_lengths) ||
	    !CU_add_test(s, "records across blocks", test_many_blocks) ||
	    !CU_add_test(s, "other files go to libpcap", test_not_classic))
		return -1;
	return 0;
}
