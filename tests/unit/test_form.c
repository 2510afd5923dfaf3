/* Unit tests for src/http/form.c: urlencoded bodies ('+', %XX, empty and bare fields), and refusal of
 * malformed escapes, invalid UTF-8, NULs and too many fields. */
#include "http/form.h"

#include <stdio.h>

#include "test.h"

static struct form parse(struct arena *a, const char *body, int *rc)
{
	struct form f;
	*rc = form_parse(a, body, body ? strlen(body) : 0, &f);
	return f;
}

static void test_fields(void)
{
	struct arena *a = arena_new();
	int rc;
	struct form f =
	    parse(a, "email=ed%40example.org&password=correct+horse+battery%20staple&csrf=abc", &rc);
	CHECK(rc == 0);
	CHECK(f.n == 3);
	CHECK_STR(form_get(&f, "email"), "ed@example.org");
	CHECK_STR(form_get(&f, "password"), "correct horse battery staple");
	CHECK_STR(form_get(&f, "csrf"), "abc");
	CHECK(form_get(&f, "nope") == NULL);
	/* Empty values, bare names, empty pairs, the first of two values. */
	f = parse(a, "a=&b&&c=1&c=2&", &rc);
	CHECK(rc == 0);
	CHECK_STR(form_get(&f, "a"), "");
	CHECK_STR(form_get(&f, "b"), "");
	CHECK_STR(form_get(&f, "c"), "1");
	CHECK(f.n == 4);
	/* '=' inside a value, encoded '&' and '+', UTF-8 percent-encoded. */
	f = parse(a, "x=a=b&y=%26%2B&z=Espa%C3%B1ol", &rc);
	CHECK(rc == 0);
	CHECK_STR(form_get(&f, "x"), "a=b");
	CHECK_STR(form_get(&f, "y"), "&+");
	CHECK_STR(form_get(&f, "z"), "Español");
	f = parse(a, "", &rc);
	CHECK(rc == 0 && f.n == 0);
	f = parse(a, NULL, &rc);
	CHECK(rc == 0 && f.n == 0);
	arena_free(a);
}

static void test_refused(void)
{
	static const char *const bad[] = {
	    "a=%",   "a=%4",     "a=%zz",       "a=%4g", "%=1", "a=%00", /* NUL */
	    "a=%C3", "a=%C3%28", "a=%ED%A0%80",                          /* a surrogate */
	    "a=%FF", "a=%C0%AF",                                         /* overlong '/' */
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;
		parse(a, bad[i], &rc);
		if (rc != -1)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK(rc == -1);
	}
	char many[FORM_MAX_FIELDS * 4 + 8];
	for (int i = 0; i <= FORM_MAX_FIELDS; i++)
		memcpy(many + 4 * i, "a=1&", 4);
	many[4 * (FORM_MAX_FIELDS + 1)] = '\0';
	int rc;
	parse(a, many, &rc);
	CHECK(rc == -1);
	many[4 * FORM_MAX_FIELDS] = '\0'; /* exactly FORM_MAX_FIELDS */
	struct form f = parse(a, many, &rc);
	CHECK(rc == 0 && f.n == FORM_MAX_FIELDS);
	arena_free(a);
}

static const struct test_case tests[] = {
    {"fields", test_fields},
    {"refused", test_refused},
};
TEST_MAIN(tests)
