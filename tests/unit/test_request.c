/* Unit tests for src/http/request.c: Accept-Encoding parsing (codings, q-values, white space, case,
 * garbage) and route parameter lookup. */
#include "http/request.h"
#include "test.h"

static const struct {
	const char *value;
	unsigned want;
} cases[] = {
    {NULL, 0},
    {"", 0},
    {"gzip", ENC_GZIP},
    {"br", ENC_BR},
    {"gzip, br", ENC_GZIP | ENC_BR},
    {"br,gzip", ENC_GZIP | ENC_BR},
    {"gzip, deflate, br, zstd", ENC_GZIP | ENC_BR},
    {"deflate", 0},
    {"identity", 0},
    {"compress, x-compress", 0},
    /* Case does not matter. */
    {"GZIP", ENC_GZIP},
    {"Br", ENC_BR},
    {"gZiP, bR", ENC_GZIP | ENC_BR},
    /* White space around codings and parameters. */
    {"  gzip  ", ENC_GZIP},
    {"\tgzip\t,\tbr\t", ENC_GZIP | ENC_BR},
    {"gzip ; q=0.5", ENC_GZIP},
    {"gzip;q=1.0, br; q=0.8", ENC_GZIP | ENC_BR},
    /* q=0 refuses a coding, in any spelling of zero. */
    {"gzip;q=0", 0},
    {"gzip;q=0.0", 0},
    {"gzip;q=0.000", 0},
    {"gzip; q=0, br", ENC_BR},
    {"br;Q=0, gzip", ENC_GZIP},
    {"gzip;q=0.001", ENC_GZIP},
    {"br;q=1", ENC_BR},
    {"gzip ;q=0 , br ;q=0", 0},
    /* Other parameters do not refuse. */
    {"gzip;level=0", ENC_GZIP},
    /* Names must be whole: no prefixes, suffixes or inner spaces. */
    {"gzipx", 0},
    {"xgzip", 0},
    {"g zip", 0},
    {"brotli", 0},
    {"b", 0},
    {"gzip br", 0},
    /* Garbage does not crash and gives nothing it does not name. */
    {",,,", 0},
    {";;;", 0},
    {";q=1", 0},
    {"=", 0},
    {", gzip ,", ENC_GZIP},
    {"*", 0}, /* not honoured: identity is always acceptable */
    {"gzip;", ENC_GZIP},
    {"gzip;q", ENC_GZIP},
    {"gzip;q=", 0},
    {"gzip;q=abc", 0},
    {"gzip;q=-1", 0},
    {"\xff\xfe, br", ENC_BR},
    {"gzip;q=0.5;q=0", ENC_GZIP},
};

static void test_accept(void)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got = request_parse_accept(cases[i].value);
		if (got != cases[i].want) {
			fprintf(stderr, "  Accept-Encoding '%s': got %u, want %u\n",
			        cases[i].value ? cases[i].value : "(null)", got, cases[i].want);
			bad++;
		}
	}
	CHECK(bad == 0);
}

/* A very long value, and a q-value longer than the parser's scratch space. */
static void test_accept_long(void)
{
	static char v[70000];
	size_t n = 0;
	while (n + 10 < sizeof(v)) {
		memcpy(v + n, "deflate, ", 9);
		n += 9;
	}
	memcpy(v + n, "br", 3);
	CHECK(request_parse_accept(v) == ENC_BR);
	CHECK(request_parse_accept("gzip;q=0.00000000000000000000000000000000000000") == 0);
	CHECK(request_parse_accept("gzip;q=1.00000000000000000000000000000000000000") == ENC_GZIP);
}

static void test_param(void)
{
	struct request req;
	memset(&req, 0, sizeof(req));
	CHECK(request_param(&req, "slug") == NULL);
	req.params[0] = (struct param){"lang", "es"};
	req.params[1] = (struct param){"slug", "duelo"};
	req.nparams = 2;
	CHECK_STR(request_param(&req, "lang"), "es");
	CHECK_STR(request_param(&req, "slug"), "duelo");
	CHECK(request_param(&req, "Slug") == NULL);
	CHECK(request_param(&req, "") == NULL);
}

static const struct test_case tests[] = {
    {"accept", test_accept},
    {"accept_long", test_accept_long},
    {"param", test_param},
};
TEST_MAIN(tests)
