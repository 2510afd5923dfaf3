/* Unit tests for src/app/auditlog.c's filter reading: values trimmed, the email lower-cased, dates
 * checked and ordered, a page of AUDITLOG_PAGE entries at the right offset. */
#include "app/auditlog.h"

#include "test.h"

static void test_parse(void)
{
	struct arena *a = arena_new();
	struct auditlog_query q = {" Editor@Example.ORG ", "hotline_edit", "hotline",
	                           "2026-01-01",           "2026-01-31",   "3"};
	struct audit_filter f;
	struct console_errors e = {0};
	auditlog_parse(a, &q, &f, &e);
	CHECK(e.n == 0);
	CHECK_STR(f.email, "editor@example.org");
	CHECK_STR(f.action, "hotline_edit");
	CHECK_STR(f.object_type, "hotline");
	CHECK_STR(f.from, "2026-01-01");
	CHECK_STR(f.to, "2026-01-31");
	CHECK(f.limit == AUDITLOG_PAGE);
	CHECK(f.offset == 2 * AUDITLOG_PAGE);
	/* Empty and absent values do not filter; a page that is not a number is the first. */
	struct auditlog_query none = {"", "  ", NULL, "", NULL, "x"};
	auditlog_parse(a, &none, &f, &e);
	CHECK(e.n == 0);
	CHECK(!f.email && !f.action && !f.object_type && !f.from && !f.to);
	CHECK(f.offset == 0);
	struct auditlog_query zero = {.page = "0"};
	auditlog_parse(a, &zero, &f, &e);
	CHECK(f.offset == 0);
	arena_free(a);
}

static void test_refused(void)
{
	struct arena *a = arena_new();
	struct audit_filter f;
	struct console_errors e = {0};
	struct auditlog_query bad = {.from = "2026-13-01", .to = "yesterday"};
	auditlog_parse(a, &bad, &f, &e);
	CHECK_STR(console_error_of(&e, "from"), "err_date");
	CHECK_STR(console_error_of(&e, "to"), "err_date");
	e.n = 0;
	struct auditlog_query order = {.from = "2026-02-01", .to = "2026-01-31"};
	auditlog_parse(a, &order, &f, &e);
	CHECK_STR(console_error_of(&e, "to"), "err_date_order");
	CHECK(console_error_of(&e, "from") == NULL);
	e.n = 0;
	struct auditlog_query same = {.from = "2026-02-01", .to = "2026-02-01"};
	auditlog_parse(a, &same, &f, &e);
	CHECK(e.n == 0);
	e.n = 0;
	char longer[300];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	struct auditlog_query big = {.email = longer, .action = "\xff\xfe"};
	auditlog_parse(a, &big, &f, &e);
	CHECK_STR(console_error_of(&e, "email"), "err_filter");
	CHECK_STR(console_error_of(&e, "action"), "err_filter");
	arena_free(a);
}

static const struct test_case tests[] = {
    {"parse", test_parse},
    {"refused", test_refused},
};
TEST_MAIN(tests)
