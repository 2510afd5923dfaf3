/* Unit tests for src/base/util.c and src/base/str.c: dates, the hash, files, and the string-view
 * helpers (UTF-8 and slugs have their own files). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/str.h"
#include "base/util.h"
#include "test.h"

static void test_date(void)
{
	static const char *const good[] = {"2026-11-20", "2026-01-01", "2026-12-31",
	                                   "2024-02-29", "2000-02-29", "2026-02-28",
	                                   "2026-04-30", "1900-01-01", "9999-12-31"};
	static const char *const bad[] = {
	    "2026-02-30",          "2026-02-29", "1900-02-29",  "2100-02-29", "2026-04-31",
	    "2026-06-31",          "2026-09-31", "2026-11-31",  "2026-13-01", "2026-00-10",
	    "2026-01-00",          "2026-01-32", "1899-12-31",  "26-11-20",   "2026-1-20",
	    "2026/11/20",          "2026-11-2",  "2026-11-200", "",           "2026-1a-01",
	    "2026-11-2x",          "+026-11-20", "2026-11-20 ", "2026-+1-01", "abcd-ef-gh",
	    "2026-11-20T10:00:00Z"};
	int nbad = 0;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!date_valid(str_c(good[i]))) {
			fprintf(stderr, "  date refused: '%s'\n", good[i]);
			nbad++;
		}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (date_valid(str_c(bad[i]))) {
			fprintf(stderr, "  date accepted: '%s'\n", bad[i]);
			nbad++;
		}
	CHECK(nbad == 0);
	/* Every day of a leap and a common year: 366 and 365 valid dates out of 12 * 31. */
	int leap = 0, common = 0;
	char d[32];
	for (int m = 1; m <= 12; m++)
		for (int day = 1; day <= 31; day++) {
			snprintf(d, sizeof(d), "2028-%02d-%02d", m, day);
			leap += date_valid(str_c(d));
			snprintf(d, sizeof(d), "2027-%02d-%02d", m, day);
			common += date_valid(str_c(d));
		}
	CHECK(leap == 366);
	CHECK(common == 365);
}

static void test_http_date(void)
{
	char out[64];
	http_date(0, out, sizeof(out));
	CHECK_STR(out, "Thu, 01 Jan 1970 00:00:00 GMT");
	http_date(1795593600, out, sizeof(out)); /* 2026-11-25T08:00:00Z */
	CHECK_STR(out, "Wed, 25 Nov 2026 08:00:00 GMT");
	CHECK(strlen(out) == 29);
}

static void test_hash64(void)
{
	/* FNV-1a 64 reference values: ETags and cache keys must not change between builds. */
	CHECK(hash64("", 0) == 0xcbf29ce484222325ULL);
	CHECK(hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
	CHECK(hash64("foobar", 6) == 0x85944171f73967e8ULL);
	CHECK(hash64("/en/", 4) == hash64("/en/", 4));
	CHECK(hash64("/en/", 4) != hash64("/es/", 4));
	/* The length counts, NUL bytes included. */
	CHECK(hash64("a\0", 2) != hash64("a", 1));
}

static void test_file_read(void)
{
	char path[] = "/tmp/vrc-test-util-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static char data[200000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	CHECK(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));
	close(fd);
	size_t len = 0;
	char *p = file_read(path, &len);
	CHECK(p && len == sizeof(data) && memcmp(p, data, len) == 0 && p[len] == '\0');
	free(p);
	/* An empty file reads as "", not NULL. */
	FILE *f = fopen(path, "w");
	fclose(f);
	p = file_read(path, &len);
	CHECK(p && len == 0 && p[0] == '\0');
	free(p);
	unlink(path);
	errno = 0;
	CHECK(file_read(path, &len) == NULL);
	CHECK(errno == ENOENT);
}

static void test_str(void)
{
	CHECK(str_eq(STR("abc"), str_c("abc")));
	CHECK(!str_eq(STR("abc"), STR("abd")));
	CHECK(!str_eq(STR("abc"), STR("ab")));
	CHECK(str_eq(STR(""), str_c(NULL)));
	CHECK(str_c(NULL).p != NULL && str_c(NULL).len == 0);
	CHECK(str_eqc(STR("x"), "x"));
	CHECK(!str_eqc(STR("x"), NULL));
	CHECK(str_eqc(STR(""), NULL));

	CHECK(str_starts(STR("/resources/x"), STR("/resources/")));
	CHECK(str_starts(STR("abc"), STR("")));
	CHECK(!str_starts(STR("/res"), STR("/resources/")));
	CHECK(str_ends(STR("video.webm"), STR(".webm")));
	CHECK(str_ends(STR("x"), STR("")));
	CHECK(!str_ends(STR("webm"), STR(".webm")));
	CHECK(!str_ends(STR("video.mp4"), STR(".webm")));

	CHECK(str_ieq(STR("GZip"), STR("gzip")));
	CHECK(str_ieq(STR(""), STR("")));
	CHECK(str_ieq(STR("Content-Type"), STR("content-TYPE")));
	CHECK(!str_ieq(STR("gzip"), STR("gzi")));
	CHECK(!str_ieq(STR("br"), STR("bz")));
	/* Only ASCII letters fold: '@' (0x40) is not '`' (0x60), '[' is not '{'. */
	CHECK(!str_ieq(STR("@"), STR("`")));
	CHECK(!str_ieq(STR("["), STR("{")));
	CHECK(!str_ieq(STR("\xc3\x89"), STR("\xc3\xa9")));

	struct str t = str_trim(STR(" \t\r\n hi there \n"));
	CHECK(str_eqc(t, "hi there"));
	CHECK(str_trim(STR("   ")).len == 0);
	CHECK(str_trim(STR("")).len == 0);
	CHECK(str_eqc(str_trim(STR("x")), "x"));
	/* Other bytes are not white space. */
	CHECK(str_eqc(str_trim(STR("\v x \f")), "\v x \f"));
}

static void test_mem_find(void)
{
	static const char hay[] = "ab\0\r\n--b\r\n--bound";
	size_t n = sizeof(hay) - 1;
	CHECK(mem_find(hay, n, "\r\n--bound", 9) == hay + 8);
	CHECK(mem_find(hay, n, "\0\r", 2) == hay + 2);
	CHECK(mem_find(hay, n, "ab", 2) == hay);
	CHECK(mem_find(hay, n, "bound", 5) == hay + 12);
	CHECK(mem_find(hay, n, "boundx", 6) == NULL);
	CHECK(mem_find(hay, 3, "b\0\r", 3) == NULL); /* not past n */
	CHECK(mem_find(hay, 0, "a", 1) == NULL);
	CHECK(mem_find(hay, n, "", 0) == hay);
}

static const struct test_case tests[] = {
    {"mem_find", test_mem_find}, {"date", test_date},           {"http_date", test_http_date},
    {"hash64", test_hash64},     {"file_read", test_file_read}, {"str", test_str},
};
TEST_MAIN(tests)
