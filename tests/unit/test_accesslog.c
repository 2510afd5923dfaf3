/* Unit tests for src/http/accesslog.c: the line format (escaping, limits, durations) from a table,
 * and that many writes through the buffer reach the file whole and in order, across a reopen. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
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

/* The access log on standard error with log lines written meanwhile by another thread, through a
 * pipe read slowly (as a terminal or a log collector may): its 64 KB batches are larger than a pipe
 * writes atomically (PIPE_BUF), so without one lock over both a log line lands inside an access line.
 * Every line must come out whole. */
struct drain {
	int fd;
	struct buf got;
};

static void *drain_main(void *arg)
{
	struct drain *d = arg;
	char chunk[4096];
	ssize_t n;
	while ((n = read(d->fd, chunk, sizeof(chunk))) > 0) {
		buf_append(&d->got, chunk, (size_t)n);
		struct timespec pause = {0, 20000}; /* a slow reader: the pipe fills */
		nanosleep(&pause, NULL);
	}
	return NULL;
}

static void *log_lines_main(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3000; i++)
		log_info("marker %d %s", i,
		         "................................................................");
	return NULL;
}

static void test_stderr_shared(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	int saved = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	struct drain d = {p[0], BUF_INIT};
	pthread_t reader, logger;
	pthread_create(&reader, NULL, drain_main, &d);
	CHECK(accesslog_open("-") == 0);
	pthread_create(&logger, NULL, log_lines_main, NULL);
	enum { N = 30000 };
	char path[64];
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/line-%d", i);
		struct access_entry e = {"127.0.0.1", "GET", path, 200, (uint64_t)i, 0, false};
		accesslog_write(&e);
	}
	pthread_join(logger, NULL);
	accesslog_close();
	dup2(saved, STDERR_FILENO); /* the pipe's last writer gone: the reader sees its end */
	close(saved);
	pthread_join(reader, NULL);
	close(p[0]);
	int access = 0, markers = 0, bad = 0, next = 0;
	for (char *line = d.got.p; line && *line;) {
		char *nl = strchr(line, '\n');
		if (!nl) {
			bad++;
			break;
		}
		*nl = '\0';
		char want[96];
		snprintf(want, sizeof(want), " info access 127.0.0.1 \"GET /line-%d\" 200 %d ", next, next);
		if (strstr(line, want) && strlen(line) < 120)
			access++, next++;
		else if (strstr(line, " info marker ") && strlen(line) < 120 && line[strlen(line) - 1] == '.')
			markers++;
		else
			bad++;
		line = nl + 1;
	}
	CHECK(bad == 0);
	CHECK(access == N);
	CHECK(markers == 3000);
	buf_free(&d.got);
}

/* Both paths (libmicrohttpd's and the fast path) name the client this way. */
static void test_remote(void)
{
	char out[64];
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	inet_pton(AF_INET, "192.0.2.107", &v4.sin_addr);
	accesslog_remote((struct sockaddr *)&v4, out, sizeof(out));
	CHECK_STR(out, "192.0.2.107");
	inet_pton(AF_INET, "10.0.0.1", &v4.sin_addr);
	accesslog_remote((struct sockaddr *)&v4, out, sizeof(out));
	CHECK_STR(out, "10.0.0.1");
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr);
	accesslog_remote((struct sockaddr *)&v6, out, sizeof(out));
	CHECK_STR(out, "2001:db8::1");
	accesslog_remote(NULL, out, sizeof(out));
	CHECK_STR(out, "-");
}

static const struct test_case tests[] = {
    {"format", test_format}, {"limits", test_limits},
    {"file", test_file},     {"stderr shared", test_stderr_shared},
    {"remote", test_remote},
};
TEST_MAIN(tests)
