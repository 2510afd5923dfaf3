/* Unit tests for src/http/cookie.c: finding a cookie among others, white space and quotes, names that
 * are prefixes of others, and a duplicated name (not trusted). */
#include "http/cookie.h"

#include "test.h"

static void test_get(void)
{
	struct arena *a = arena_new();
	CHECK(cookie_get(a, NULL, "x") == NULL);
	CHECK(cookie_get(a, "", "x") == NULL);
	CHECK_STR(cookie_get(a, "__Host-vrc=abc", "__Host-vrc"), "abc");
	CHECK_STR(cookie_get(a, "a=1; __Host-vrc=tok-EN_1; b=2", "__Host-vrc"), "tok-EN_1");
	CHECK_STR(cookie_get(a, "a=1;__Host-vrc=t;b=2", "__Host-vrc"), "t");
	CHECK_STR(cookie_get(a, "  a = 1 ;  b = two  ", "b"), "two");
	CHECK_STR(cookie_get(a, "a=\"quoted\"", "a"), "quoted");
	CHECK_STR(cookie_get(a, "a=", "a"), "");
	CHECK_STR(cookie_get(a, "a=1=2", "a"), "1=2");
	/* Whole names only, case matters. */
	CHECK(cookie_get(a, "__Host-vrcx=1; x__Host-vrc=2", "__Host-vrc") == NULL);
	CHECK(cookie_get(a, "__host-vrc=1", "__Host-vrc") == NULL);
	CHECK(cookie_get(a, "novalue; other=1", "novalue") == NULL);
	/* Two cookies of one name (one may have been planted by a sibling domain): neither is used. */
	CHECK(cookie_get(a, "__Host-vrc=a; __Host-vrc=b", "__Host-vrc") == NULL);
	arena_free(a);
}

static const struct test_case tests[] = {
    {"get", test_get},
};
TEST_MAIN(tests)
