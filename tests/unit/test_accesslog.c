/* Unit tests for src/http/accesslog.c: the line format (escaping, limits, durations) from a table,
 * and that many writes through the buffer reach the file whole and in order, across a reopen. */
#include <stdlib.h>
#include <unistd.h>

#include "base/util.h"
#include "http/accesslog.h"
#include "test.h"

static const struct {
	struct access_entry e;
	const char *want;
} lines[] = {
    {{"127.0.0.1", "GET", "/", 200, 3342, 250, false},
     "2026-11-25T10:00:00Z info access 127.0.0.1 \"GET /\" 200 3342 0.3ms"},
    {{"::1", "HEAD", "/es/", 304, 0, 0, false},
     "2026-11-25T10:00:00Z info access ::1 \"HEAD /es/\" 304 0 0.0ms"},
    {{"10.0.0.1", "GET", "/x", 206, 10, 1234567, true},
     "2026-11-25T10:00:00Z info access 10.0.0.1 \"GET /x\" 206 10 1234.6ms aborted"},
    /* Quotes, backslashes and control characters cannot forge a line; UTF-8 stays readable. */
    {{"127.0.0.1", "GET", "/a\"b\\c\nd\re\x7f", 404, 1, 49, false},
     "2026-11-25T10:00:00Z info access 127.0.0.1 \"GET /a\\x22b\\x5Cc\\x0Ad\\x0De\\x7F\" 404 1 0.0ms"},
    {{"127.0.0.1", "GET", "/ayuda-después", 404, 1, 50, false},
     "2026-11-25T10:00:00Z info access 127.0.0.1 \"GET /ayuda-después\" 404 1 0.1ms"},
    /* Missing values (a refused request) and odd methods. */
    {{NULL, NULL, NULL, 0, 0, 0, false}, "2026-11-25T10:00:00Z info access - \"- -\" 0 0 0.0ms"},
    {{"127.0.0.1", "BREW\"", "/", 400, 0, 0, false},
     "2026-11-25T10:00:00Z info access 127.0.0.1 \"BREW\\x22 /\" 400 0 0.0ms"},
};

static void test_format(void)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char out[16384];
		size_t n = accesslog_format(&lines[i].e, 1795600800LL, out, sizeof(out));
		out[n] = '\0';
		CHECK_STR(out, lines[i].want);
	}
}

/* Long fields are cut at fixed sizes, and a small output buffer is never overrun. */
static void test_limits(void)
{
	static char path[5000], method[100], out[16384];
	memset(path, '"', sizeof(path) - 1);
	memset(method, 'M', sizeof(method) - 1);
	struct access_entry e = {"127.0.0.1", method, path, 200, 0, 0, false};
	size_t n = accesslog_format(&e, 0, out, sizeof(out));
	out[n] = '\0';
	CHECK(n < 10 * 1024);
	CHECK(strstr(out, "\"MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM \\x22") != NULL);
	CHECK(strstr(out, "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM") == NULL);
	size_t quotes = 0;
	for (const char *p = out; (p = strstr(p, "\\x22")); p += 4)
		quotes++;
	CHECK(quotes == 2048);
	char small[40];
	memset(small, 'z', sizeof(small));
	n = accesslog_format(&e, 0, small, 30);
	CHECK(n == 30);
	CHECK(small[30] == 'z' && small[39] == 'z');
}

/* Enough lines to fill the buffer many times; a reopen in the middle loses and repeats nothing. */
static void test_file(void)
{
	char path[] = "/tmp/vrc-accesslog-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	CHECK(accesslog_open(path) == 0);
	char p[64];
	enum { N = 20000 };
	for (int i = 0; i < N; i++) {
		snprintf(p, sizeof(p), "/line-%d", i);
		struct access_entry e = {"127.0.0.1", "GET", p, 200, (uint64_t)i, 0, false};
		accesslog_write(&e);
		if (i == N / 2)
			CHECK(accesslog_reopen() == 0);
	}
	accesslog_close();
	size_t len;
	char *text = file_read(path, &len);
	CHECK(text != NULL);
	int next = 0, bad = 0;
	for (char *line = text; text && *line;) {
		char *nl = strchr(line, '\n');
		if (!nl) {
			bad++;
			break;
		}
		*nl = '\0';
		snprintf(p, sizeof(p), "\"GET /line-%d\" 200 %d ", next, next);
		if (!strstr(line, p))
			bad++;
		next++;
		line = nl + 1;
	}
	CHECK(bad == 0);
	CHECK(next == N);
	free(text);
	unlink(path);
	/* Off: nothing is written, nothing breaks. */
	CHECK(accesslog_open("off") == 0);
	struct access_entry e = {"127.0.0.1", "GET", "/", 200, 0, 0, false};
	accesslog_write(&e);
	CHECK(accesslog_reopen() == 0);
	accesslog_close();
}

static const struct test_case tests[] = {
    {"format", test_format},
    {"limits", test_limits},
    {"file", test_file},
};
TEST_MAIN(tests)
