/* Unit tests for src/app/console.c: field errors, form text, https addresses, whole numbers and the
 * dates behind "due for review" (a month back, clamped to a shorter month's end). */
#include "app/console.h"

#include "test.h"

static void test_errors(void)
{
	struct console_errors e = {0};
	console_error(&e, "name_en", "err_required");
	console_error(&e, "name_en", "err_too_long"); /* a field keeps its first error */
	console_error(&e, "source", "err_https");
	CHECK(e.n == 2);
	CHECK_STR(console_error_of(&e, "name_en"), "err_required");
	CHECK_STR(console_error_of(&e, "source"), "err_https");
	CHECK(console_error_of(&e, "name_es") == NULL);
	for (int i = 0; i < 100; i++)
		console_error(&e, i % 2 ? "a" : "b", "x"); /* never past the end */
	CHECK(e.n <= CONSOLE_MAX_ERRORS);
}

static void test_text(void)
{
	struct arena *a = arena_new();
	struct form f;
	const char *body = "name=++Crisis+line%09+&empty=&spaces=+++";
	CHECK(form_parse(a, body, strlen(body), &f) == 0);
	CHECK_STR(console_text(a, &f, "name"), "Crisis line");
	CHECK_STR(console_text(a, &f, "empty"), "");
	CHECK_STR(console_text(a, &f, "spaces"), "");
	CHECK_STR(console_text(a, &f, "missing"), "");
	CHECK(console_fits("Línea", 5));
	CHECK(!console_fits("Líneas", 5)); /* characters, not bytes */
	arena_free(a);
}

static void test_https(void)
{
	static const char *const good[] = {"https://988lifeline.org/chat", "https://a.b",
	                                   "https://x.org/?q=1&r=2"};
	static const char *const bad[] = {
	    "http://988lifeline.org/", "https://",        "https:///path",       "ftp://x", "https://a b.org",
	    "https://x.org/\"onload",  "https://x.org/<", "javascript:alert(1)", "",        "HTTPS://x.org"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(console_https(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!console_https(bad[i]));
}

static void test_number(void)
{
	CHECK(console_number("12", 1, 120) == 12);
	CHECK(console_number("012", 1, 120) == 12);
	CHECK(console_number("1", 1, 120) == 1);
	CHECK(console_number("120", 1, 120) == 120);
	CHECK(console_number("0", 1, 120) == -1);
	CHECK(console_number("121", 1, 120) == -1);
	CHECK(console_number("-3", 1, 120) == -1);
	CHECK(console_number("3.5", 1, 120) == -1);
	CHECK(console_number(" 3", 1, 120) == -1);
	CHECK(console_number("", 0, 9) == -1);
	CHECK(console_number(NULL, 0, 9) == -1);
	CHECK(console_number("99999999999999999999", 0, 999) == -1); /* no overflow */
	CHECK(console_number("0", 0, 999) == 0);
}

/* 12:00 UTC on y-m-d. */
static time_t at(int y, int m, int d)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
	return timegm(&tm);
}

static void test_months_ago(void)
{
	static const struct {
		int y, m, d, months;
		const char *want;
	} cases[] = {
	    {2026, 12, 1, 6, "2026-06-01"}, {2026, 12, 1, 12, "2025-12-01"},  {2026, 3, 31, 1, "2026-02-28"},
	    {2024, 3, 31, 1, "2024-02-29"}, {2026, 1, 15, 1, "2025-12-15"},   {2026, 8, 31, 6, "2026-02-28"},
	    {2026, 5, 31, 1, "2026-04-30"}, {2026, 1, 31, 120, "2016-01-31"}, {2000, 3, 30, 1, "2000-02-29"},
	    {2100, 3, 29, 1, "2100-02-28"}, {2026, 7, 4, 0, "2026-07-04"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[11];
		console_months_ago(at(cases[i].y, cases[i].m, cases[i].d), cases[i].months, out);
		CHECK_STR(out, cases[i].want);
	}
	char today[11];
	console_today(at(2026, 2, 9), today);
	CHECK_STR(today, "2026-02-09");
}

static const struct test_case tests[] = {
    {"errors", test_errors},         {"text", test_text}, {"https", test_https}, {"number", test_number},
    {"months ago", test_months_ago},
};
TEST_MAIN(tests)
