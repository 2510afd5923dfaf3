/* Unit tests for src/http/negotiate.c: byte ranges, If-None-Match and If-Range comparison, the
 * content-coding choice and the coded ETag, each from a table of cases. */
#include <inttypes.h>

#include "http/negotiate.h"
#include "http/request.h"
#include "test.h"

static const struct {
	const char *range;
	uint64_t size;
	int want;
	uint64_t from, to;
} ranges[] = {
    {"bytes=0-9", 100, 1, 0, 9},
    {"bytes=10-109", 1000, 1, 10, 109},
    {"bytes=0-0", 1, 1, 0, 0},
    {"bytes=5-", 10, 1, 5, 9},
    {"bytes=0-", 10, 1, 0, 9},
    {"bytes=9-", 10, 1, 9, 9},
    {"BYTES=1-2", 10, 1, 1, 2},
    /* The last position is clamped to the end. */
    {"bytes=5-1000", 10, 1, 5, 9},
    {"bytes=0-99999999999999999999999", 10, 1, 0, 9},
    /* Suffixes: the last n bytes, or all of them. */
    {"bytes=-3", 10, 1, 7, 9},
    {"bytes=-10", 10, 1, 0, 9},
    {"bytes=-11", 10, 1, 0, 9},
    {"bytes=-99999999999999999999999", 10, 1, 0, 9},
    /* Unsatisfiable: 416. */
    {"bytes=10-", 10, -1, 0, 0},
    {"bytes=10-20", 10, -1, 0, 0},
    {"bytes=99999999999999999999999-", 10, -1, 0, 0},
    {"bytes=-0", 10, -1, 0, 0},
    {"bytes=0-", 0, -1, 0, 0},
    {"bytes=-5", 0, -1, 0, 0},
    /* Ignored (send it all): malformed, other units, several ranges. */
    {NULL, 10, 0, 0, 0},
    {"", 10, 0, 0, 0},
    {"bytes=", 10, 0, 0, 0},
    {"bytes=-", 10, 0, 0, 0},
    {"bytes=5", 10, 0, 0, 0},
    {"bytes=5-3", 10, 0, 0, 0},
    {"bytes=a-b", 10, 0, 0, 0},
    {"bytes= 1-2", 10, 0, 0, 0},
    {"bytes=1 -2", 10, 0, 0, 0},
    {"bytes=1- 2", 10, 0, 0, 0},
    {"bytes=+1-2", 10, 0, 0, 0},
    {"bytes=1-+2", 10, 0, 0, 0},
    {"bytes=--1", 10, 0, 0, 0},
    {"bytes=-+1", 10, 0, 0, 0},
    {"bytes=1-2x", 10, 0, 0, 0},
    {"bytes=0-1,5-6", 10, 0, 0, 0},
    {"bytes=0-1, 5-6", 10, 0, 0, 0},
    {"items=0-1", 10, 0, 0, 0},
    {"bytes 0-1", 10, 0, 0, 0},
    {"bytes0-1", 10, 0, 0, 0},
};

static void test_range(void)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		uint64_t a = 0, b = 0;
		int got = negotiate_range(ranges[i].range, ranges[i].size, &a, &b);
		bool ok = got == ranges[i].want && (got != 1 || (a == ranges[i].from && b == ranges[i].to));
		if (!ok) {
			fprintf(stderr, "  Range '%s' of %" PRIu64 ": got %d [%" PRIu64 ", %" PRIu64 "]\n",
			        ranges[i].range ? ranges[i].range : "(null)", ranges[i].size, got, a, b);
			bad++;
		}
	}
	CHECK(bad == 0);
}

static const struct {
	const char *inm, *etag;
	bool want;
} matches[] = {
    {"\"abc\"", "\"abc\"", true},
    {"W/\"abc\"", "\"abc\"", true},
    {"\"abc\"", "W/\"abc\"", true},
    {"*", "\"abc\"", true},
    {"\"x\", \"abc\"", "\"abc\"", true},
    {"\"x\",\"abc\"", "\"abc\"", true},
    {" \"x\" ,\t W/\"abc\" ", "\"abc\"", true},
    {"\"abc-gz\"", "\"abc-gz\"", true},
    {"\"a,b\"", "\"a,b\"", true},
    /* Another coding's tag names another representation. */
    {"\"abc\"", "\"abc-gz\"", false},
    {"\"abc-gz\"", "\"abc\"", false},
    {"\"abc-br\"", "\"abc-gz\"", false},
    {"\"ab\"", "\"abc\"", false},
    {"\"abcd\"", "\"abc\"", false},
    {"\"ABC\"", "\"abc\"", false},
    {"\"\"", "\"abc\"", false},
    {"\"a,b\"", "\"a\"", false},
    /* Malformed lists match nothing. */
    {"abc", "\"abc\"", false},
    {"\"abc", "\"abc\"", false},
    {"w/\"abc\"", "\"abc\"", false},
    {"", "\"abc\"", false},
    {",,,", "\"abc\"", false},
    {NULL, "\"abc\"", false},
    {"\"abc\"", NULL, false},
    {"*", NULL, false},
};

static void test_etag_matches(void)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		bool got = negotiate_etag_matches(matches[i].inm, matches[i].etag);
		if (got != matches[i].want) {
			fprintf(stderr, "  If-None-Match '%s' vs %s: got %d\n",
			        matches[i].inm ? matches[i].inm : "(null)",
			        matches[i].etag ? matches[i].etag : "(null)", got);
			bad++;
		}
	}
	CHECK(bad == 0);
}

static const struct {
	const char *if_range, *etag;
	bool want;
} if_ranges[] = {
    {"\"abc\"", "\"abc\"", true},
    {"\"abc-br\"", "\"abc-br\"", true},
    /* Strong comparison only: weak tags, other codings and dates never match. */
    {"W/\"abc\"", "\"abc\"", false},
    {"\"abc\"", "W/\"abc\"", false},
    {"W/\"abc\"", "W/\"abc\"", false},
    {"\"abc\"", "\"abc-gz\"", false},
    {"Mon, 30 Nov 2026 10:00:00 GMT", "\"abc\"", false},
    {"", "\"abc\"", false},
    {NULL, "\"abc\"", false},
    {"\"abc\"", NULL, false},
};

static void test_if_range(void)
{
	for (size_t i = 0; i < sizeof(if_ranges) / sizeof(if_ranges[0]); i++)
		CHECK(negotiate_if_range(if_ranges[i].if_range, if_ranges[i].etag) == if_ranges[i].want);
}

static const struct {
	unsigned accept;
	struct offer offer;
	unsigned want;
	bool varies;
} codings[] = {
    /* Stored variants: brotli before gzip, each only when accepted. */
    {ENC_GZIP | ENC_BR, {ENC_GZIP | ENC_BR, false, 5000}, ENC_BR, true},
    {ENC_GZIP, {ENC_GZIP | ENC_BR, false, 5000}, ENC_GZIP, true},
    {ENC_BR, {ENC_GZIP | ENC_BR, false, 5000}, ENC_BR, true},
    {0, {ENC_GZIP | ENC_BR, false, 5000}, 0, true},
    {ENC_BR, {ENC_GZIP, false, 5000}, 0, true},
    {ENC_GZIP | ENC_BR, {ENC_GZIP, false, 5000}, ENC_GZIP, true},
    /* A stored variant is used whatever the identity length. */
    {ENC_GZIP, {ENC_GZIP, false, 10}, ENC_GZIP, true},
    /* On the fly: text bodies of 512 bytes or more. */
    {ENC_GZIP | ENC_BR, {0, true, 5000}, ENC_BR, true},
    {ENC_GZIP, {0, true, 5000}, ENC_GZIP, true},
    {ENC_GZIP, {0, true, 512}, ENC_GZIP, true},
    {ENC_GZIP, {0, true, 511}, 0, true},
    {0, {0, true, 5000}, 0, true},
    /* A stored gzip is preferred to brotli made on the fly... */
    {ENC_GZIP | ENC_BR, {ENC_GZIP, true, 5000}, ENC_GZIP, true},
    /* ...but brotli on the fly beats nothing. */
    {ENC_BR, {ENC_GZIP, true, 5000}, ENC_BR, true},
    /* Nothing to choose from: identity, no Vary. */
    {ENC_GZIP | ENC_BR, {0, false, 5000}, 0, false},
    {0, {0, false, 0}, 0, false},
};

static void test_coding(void)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(codings) / sizeof(codings[0]); i++) {
		unsigned got = negotiate_coding(codings[i].accept, &codings[i].offer);
		bool varies = negotiate_varies(&codings[i].offer);
		if (got != codings[i].want || varies != codings[i].varies) {
			fprintf(stderr, "  coding case %zu: got %u (vary %d), want %u (vary %d)\n", i, got,
			        varies, codings[i].want, codings[i].varies);
			bad++;
		}
	}
	CHECK(bad == 0);
}

static void test_etag(void)
{
	struct arena *a = arena_new();
	CHECK_STR(negotiate_etag(a, "\"abc\"", 0), "\"abc\"");
	CHECK_STR(negotiate_etag(a, "\"abc\"", ENC_GZIP), "\"abc-gz\"");
	CHECK_STR(negotiate_etag(a, "\"abc\"", ENC_BR), "\"abc-br\"");
	CHECK_STR(negotiate_etag(a, "W/\"abc\"", ENC_BR), "W/\"abc-br\"");
	CHECK_STR(negotiate_etag(a, "abc", ENC_BR), "abc"); /* not a tag: left alone */
	CHECK(negotiate_etag(a, NULL, ENC_GZIP) == NULL);
	/* The coded tag revalidates only its own coding. */
	const char *gz = negotiate_etag(a, "\"abc\"", ENC_GZIP);
	CHECK(negotiate_etag_matches(gz, gz));
	CHECK(!negotiate_etag_matches("\"abc\"", gz));
	arena_free(a);
}

static const struct test_case tests[] = {
    {"range", test_range},       {"etag_matches", test_etag_matches},
    {"if_range", test_if_range}, {"coding", test_coding},
    {"etag", test_etag},
};
TEST_MAIN(tests)
