/* Unit tests for src/base/slug.c: the names allowed in URLs and content files. */
#include "base/slug.h"
#include "test.h"

static void test_slug(void)
{
	static const char *const good[] = {
	    "a", "0", "victims-rights", "988", "a-b-c", "x1-2y", "grief-and-loss-after-a-shooting"};
	static const char *const bad[] = {"",    "-a",  "a-",          "a--b", "A",   "Abc", "a_b", "a b",
	                                  "a.b", "a/b", "caf\xc3\xa9", "-",    "a\n", " a",  "..",  "a+b"};
	int nbad = 0;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!slug_valid(str_c(good[i]))) {
			fprintf(stderr, "  slug refused: '%s'\n", good[i]);
			nbad++;
		}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (slug_valid(str_c(bad[i]))) {
			fprintf(stderr, "  slug accepted: '%s'\n", bad[i]);
			nbad++;
		}
	CHECK(nbad == 0);
	/* 100 bytes is the limit. */
	char s[102];
	memset(s, 'a', sizeof(s));
	CHECK(slug_valid((struct str){s, 100}));
	CHECK(!slug_valid((struct str){s, 101}));
	/* The view's length counts, not a NUL: "ab" inside "ab-" is fine. */
	CHECK(slug_valid((struct str){"ab-", 2}));
	CHECK(!slug_valid((struct str){"ab\0c", 4}));
}

static const struct test_case tests[] = {
    {"slug", test_slug},
};
TEST_MAIN(tests)
