/* Unit tests for src/base/diff.c: the edits between two texts, line by line, as a reviewer reads them;
 * and a property: keeping the same and added lines gives the new text, the same and deleted the old. */
#include <stdlib.h>

#include "base/buf.h"
#include "base/diff.h"
#include "test.h"

/* The diff as one string: " same", "-deleted", "+added", joined by '|'. */
static char *show(struct arena *a, const char *x, const char *y)
{
	size_t n;
	struct diff_line *d = diff_lines(a, x, y, &n);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%c%s", i ? "|" : "", " -+"[d[i].op], d[i].text);
	buf_putc(&b, '\0');
	char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

static void test_cases(void)
{
	struct arena *a = arena_new();
	static const struct {
		const char *x, *y, *want;
	} cases[] = {
	    {"", "", ""},
	    {"a\nb\nc\n", "a\nb\nc\n", " a| b| c"},
	    {"a\nb\nc\n", "a\nB\nc\n", " a|-b|+B| c"},
	    {"a\nb\n", "a\nb\nc\n", " a| b|+c"},
	    {"a\nb\nc\n", "b\nc\n", "-a| b| c"},
	    {"", "new\n", "+new"},
	    {"old\n", "", "-old"},
	    {"a\nx\nb\ny\nc\n", "a\nb\nc\nz\n", " a|-x| b|-y| c|+z"},
	    {"no newline", "no newline\n", " no newline"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(show(a, cases[i].x, cases[i].y), cases[i].want);
	arena_free(a);
}

/* Rebuild one side from the diff. */
static char *side(struct arena *a, struct diff_line *d, size_t n, enum diff_op skip)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (d[i].op != skip)
			buf_printf(&b, "%s\n", d[i].text);
	buf_putc(&b, '\0');
	char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

static void test_property(void)
{
	struct arena *a = arena_new();
	srand(7);
	bool ok = true;
	for (int round = 0; round < 500 && ok; round++) {
		struct buf x = BUF_INIT, y = BUF_INIT;
		int nx = rand() % 30, ny = rand() % 30;
		for (int i = 0; i < nx; i++)
			buf_printf(&x, "line %d\n", rand() % 6);
		for (int i = 0; i < ny; i++)
			buf_printf(&y, "line %d\n", rand() % 6);
		buf_putc(&x, '\0');
		buf_putc(&y, '\0');
		size_t n;
		struct diff_line *d = diff_lines(a, x.p, y.p, &n);
		ok = strcmp(side(a, d, n, DIFF_ADD), x.p) == 0 && strcmp(side(a, d, n, DIFF_DEL), y.p) == 0;
		buf_free(&x);
		buf_free(&y);
	}
	CHECK(ok);
	arena_free(a);
}

static const struct test_case tests[] = {
    {"cases", test_cases},
    {"property", test_property},
};
TEST_MAIN(tests)
