/* Unit tests for src/http/fasthead.c: which request heads the fast path answers and which it hands
 * to libmicrohttpd untouched, from a table; then properties over every prefix of good heads and over
 * random mutations of them (each input in a buffer of its exact size, so ASan sees any overread). */
#include <stdlib.h>

#include "http/fasthead.h"
#include "test.h"

enum { MAX_URL = 2048, MAX_HEADERS = 8192 };

static const struct {
	const char *head;
	enum fasthead_result want;
	const char *path; /* for OK: the path, then the flags */
	bool is_head, http10, close;
} cases[] = {
    {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_OK, "/", false, false, false},
    {"HEAD /es/ HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n", FASTHEAD_OK, "/es/", true, false,
     false},
    {"GET /resources/calming-stress_1.x~ HTTP/1.1\r\nhost: x\r\nConnection: close\r\n\r\n", FASTHEAD_OK,
     "/resources/calming-stress_1.x~", false, false, true},
    {"GET / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, close\r\n\r\n", FASTHEAD_OK, "/", false, false,
     true},
    {"GET / HTTP/1.0\r\n\r\n", FASTHEAD_OK, "/", false, true, true},
    {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", FASTHEAD_OK, "/", false, true, false},
    {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nIf-None-Match: \"a\"\r\n\r\n", FASTHEAD_OK, "/",
     false, false, false},
    /* Incomplete: wait for more. */
    {"GET / HTTP/1.1\r\nHost: x\r\n", FASTHEAD_INCOMPLETE, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\n\r", FASTHEAD_INCOMPLETE, NULL, 0, 0, 0},
    {"GE", FASTHEAD_INCOMPLETE, NULL, 0, 0, 0},
    {"", FASTHEAD_INCOMPLETE, NULL, 0, 0, 0},
    /* Handed off: other methods, odd targets, versions, framing and headers. */
    {"POST /admin/login HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"get / HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET /?q=1 HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET /a%20b HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET /a/../b HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1 \r\nHost: x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0}, /* no Host: 400 there */
    {"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\nHost: x\n\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nX: caf\xc3\xa9\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nIf-Range: \"a\"\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0,
     0},
    {"GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nAccept-Encoding: gzip\r\n\r\n", FASTHEAD_HANDOFF,
     NULL, 0, 0, 0},
    {"garbage\r\n\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
    {"\x16\x03\x01\x02\x01\xfc\x03\x03\r\n", FASTHEAD_HANDOFF, NULL, 0, 0, 0},
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].head);
		char *buf = malloc(n ? n : 1);
		memcpy(buf, cases[i].head, n);
		struct fasthead h;
		enum fasthead_result r = fasthead_parse(buf, n, MAX_URL, MAX_HEADERS, &h);
		if (r != cases[i].want)
			fprintf(stderr, "  case %zu: got %d, want %d\n", i, (int)r, (int)cases[i].want);
		CHECK(r == cases[i].want);
		if (r == FASTHEAD_OK && cases[i].want == FASTHEAD_OK) {
			CHECK(h.len == n);
			CHECK(h.path.len == strlen(cases[i].path) &&
			      memcmp(h.path.p, cases[i].path, h.path.len) == 0);
			CHECK(h.head == cases[i].is_head && h.http10 == cases[i].http10 &&
			      h.close == cases[i].close);
		}
		free(buf);
	}
}

static void test_values(void)
{
	const char *s =
	    "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding:  gzip, br \r\nIf-None-Match: \"a-gz\"\r\n\r\n"
	    "GET /next HTTP/1.1\r\n";
	struct fasthead h;
	CHECK(fasthead_parse(s, strlen(s), MAX_URL, MAX_HEADERS, &h) == FASTHEAD_OK);
	CHECK(h.len == strlen(s) - strlen("GET /next HTTP/1.1\r\n")); /* a pipelined request is not eaten */
	CHECK(str_eq(h.accept, STR("gzip, br")));
	CHECK(str_eq(h.inm, STR("\"a-gz\"")));
	/* The 414 and 431 limits are server.c's: past them, hand off to be refused there. */
	char big[600];
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	memcpy(big + 500, " HTTP/1.1\r\nHost: x\r\n\r\n", 23);
	CHECK(fasthead_parse(big, 523, 600, MAX_HEADERS, &h) == FASTHEAD_OK);
	CHECK(fasthead_parse(big, 523, 400, MAX_HEADERS, &h) == FASTHEAD_HANDOFF);
	CHECK(fasthead_parse(big, 523, 600, 5, &h) == FASTHEAD_HANDOFF);
	/* A request line that never ends is handed off once it is longer than any we accept. */
	CHECK(fasthead_parse(big, 500, 400, MAX_HEADERS, &h) == FASTHEAD_HANDOFF);
	CHECK(fasthead_parse(big, 300, 400, MAX_HEADERS, &h) == FASTHEAD_INCOMPLETE);
}

/* Every proper prefix of a head the fast path answers is "wait for more", never a decision. */
static void test_prefixes(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].want != FASTHEAD_OK)
			continue;
		size_t n = strlen(cases[i].head);
		for (size_t k = 0; k < n; k++) {
			char *buf = malloc(k ? k : 1);
			memcpy(buf, cases[i].head, k);
			struct fasthead h;
			CHECK(fasthead_parse(buf, k, MAX_URL, MAX_HEADERS, &h) == FASTHEAD_INCOMPLETE);
			free(buf);
		}
	}
}

static bool allowed_path(struct str p)
{
	if (!p.len || p.p[0] != '/')
		return false;
	for (size_t i = 0; i < p.len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/", p.p[i]) ||
		    (i + 1 < p.len && p.p[i] == '.' && p.p[i + 1] == '.'))
			return false;
	return true;
}

/* Random mutations (flip, insert, delete, cut) of good heads: never a crash or an overread, and
 * whatever is accepted is a whole head ending in a blank line, of GET or HEAD, on a plain path. */
static void test_fuzz(void)
{
	static const char alphabet[] = "\r\n :/.%?GETHOSTAbr\"\t\x01\x80,a0";
	unsigned seed = 12345;
	for (int round = 0; round < 20000; round++) {
		const char *src = cases[(size_t)rand_r(&seed) % 7].head; /* the OK rows */
		char tmp[512];
		size_t n = strlen(src);
		memcpy(tmp, src, n);
		int edits = 1 + rand_r(&seed) % 4;
		for (int e = 0; e < edits && n > 1; e++) {
			size_t at = (size_t)rand_r(&seed) % n;
			char c = alphabet[(size_t)rand_r(&seed) % (sizeof(alphabet) - 1)];
			switch (rand_r(&seed) % 4) {
			case 0: tmp[at] = c; break;
			case 1:
				if (n < sizeof(tmp)) {
					memmove(tmp + at + 1, tmp + at, n - at);
					tmp[at] = c;
					n++;
				}
				break;
			case 2:
				memmove(tmp + at, tmp + at + 1, n - at - 1);
				n--;
				break;
			default: n = at + 1; break;
			}
		}
		char *buf = malloc(n);
		memcpy(buf, tmp, n);
		struct fasthead h;
		enum fasthead_result r = fasthead_parse(buf, n, MAX_URL, MAX_HEADERS, &h);
		bool sane = r != FASTHEAD_OK ||
		            (h.len >= 4 && h.len <= n && memcmp(buf + h.len - 4, "\r\n\r\n", 4) == 0 &&
		             (str_eq(h.method, STR("GET")) || str_eq(h.method, STR("HEAD"))) &&
		             allowed_path(h.path) && h.header_bytes <= MAX_HEADERS);
		CHECK(sane);
		free(buf);
	}
}

static const struct test_case tests[] = {
    {"table", test_table},
    {"values", test_values},
    {"prefixes", test_prefixes},
    {"fuzz", test_fuzz},
};
TEST_MAIN(tests)
