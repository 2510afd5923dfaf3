/* Unit tests for src/http/compress.c: what goes in comes back out of zlib's inflate and brotli's
 * decoder, for empty, tiny, text-like, incompressible and large bodies, appended after old bytes. */
#include <brotli/decode.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "base/buf.h"
#include "http/compress.h"
#include "test.h"

/* Inflate a gzip stream; malloc'd result in *out, length in *outlen. 0 or -1. */
static int gunzip(const unsigned char *p, size_t len, unsigned char **out, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) /* gzip wrapper only */
		return -1;
	size_t cap = len * 4 + 1024, n = 0;
	unsigned char *dst = malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	int rc;
	do {
		if (n == cap) {
			cap *= 2;
			dst = realloc(dst, cap);
		}
		z.next_out = dst + n;
		z.avail_out = (uInt)(cap - n);
		rc = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
	} while (rc == Z_OK);
	/* The stream must end exactly at the end of the input. */
	int ok = rc == Z_STREAM_END && z.avail_in == 0;
	inflateEnd(&z);
	if (!ok) {
		free(dst);
		return -1;
	}
	*out = dst;
	*outlen = n;
	return 0;
}

static int unbrotli(const unsigned char *p, size_t len, size_t expect, unsigned char **out, size_t *outlen)
{
	size_t n = expect + 1; /* one spare byte: a longer result shows as a mismatch */
	unsigned char *dst = malloc(n);
	if (BrotliDecoderDecompress(len, p, &n, dst) != BROTLI_DECODER_RESULT_SUCCESS) {
		free(dst);
		return -1;
	}
	*out = dst;
	*outlen = n;
	return 0;
}

/* Compress body both ways (after a prefix already in the buffer) and check the round trip. */
static void round_trip(const void *body, size_t len, size_t *gzlen, size_t *brlen)
{
	static const char prefix[] = "PREFIX";
	struct buf g = BUF_INIT, b = BUF_INIT;
	buf_puts(&g, prefix);
	buf_puts(&b, prefix);
	unsigned char *out = NULL;
	size_t outlen = 0;

	CHECK(compress_gzip(body, len, 9, &g) == 0);
	CHECK(memcmp(g.p, prefix, 6) == 0 && g.p[g.len] == '\0');
	CHECK(g.len > 6 + 18); /* gzip header and trailer at least */
	CHECK((unsigned char)g.p[6] == 0x1f && (unsigned char)g.p[7] == 0x8b);
	CHECK(gunzip((unsigned char *)g.p + 6, g.len - 6, &out, &outlen) == 0);
	CHECK(outlen == len && (len == 0 || memcmp(out, body, len) == 0));
	free(out);
	out = NULL;

	CHECK(compress_br(body, len, 9, &b) == 0);
	CHECK(memcmp(b.p, prefix, 6) == 0 && b.p[b.len] == '\0');
	CHECK(b.len > 6);
	CHECK(unbrotli((unsigned char *)b.p + 6, b.len - 6, len, &out, &outlen) == 0);
	CHECK(outlen == len && (len == 0 || memcmp(out, body, len) == 0));
	free(out);

	if (gzlen)
		*gzlen = g.len - 6;
	if (brlen)
		*brlen = b.len - 6;
	buf_free(&g);
	buf_free(&b);
}

static void test_empty_and_tiny(void)
{
	round_trip("", 0, NULL, NULL);
	round_trip("a", 1, NULL, NULL);
	round_trip("<p>hi</p>", 9, NULL, NULL);
	/* Into a buffer that has never been allocated. */
	struct buf g = BUF_INIT;
	CHECK(compress_gzip("x", 1, 6, &g) == 0 && g.p && g.len > 0);
	buf_free(&g);
	struct buf b = BUF_INIT;
	CHECK(compress_br("x", 1, 5, &b) == 0 && b.p && b.len > 0);
	buf_free(&b);
}

static void test_text(void)
{
	struct buf page = BUF_INIT;
	for (int i = 0; i < 2000; i++)
		buf_printf(
		    &page,
		    "<li><a href=\"/en/resources/r%d\">Resource %d: coping after a shooting</a></li>\n", i,
		    i);
	size_t gz = 0, br = 0;
	round_trip(page.p, page.len, &gz, &br);
	/* A repetitive page shrinks a lot. */
	CHECK(gz < page.len / 5);
	CHECK(br < page.len / 5);
	CHECK(br <= gz);
	buf_free(&page);
}

static void test_binary(void)
{
	/* Pseudo-random bytes (incompressible) with NULs; output may be bigger but must round-trip. */
	size_t len = 100000;
	unsigned char *p = malloc(len);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		p[i] = (unsigned char)x;
	}
	round_trip(p, len, NULL, NULL);
	free(p);
}

static void test_large(void)
{
	/* Several megabytes, past any single internal window or block. */
	size_t len = 5u << 20;
	unsigned char *p = malloc(len);
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)("abcdefghij"[i % 10] + (i / 65536) % 7);
	round_trip(p, len, NULL, NULL);
	free(p);
}

static void test_levels(void)
{
	const char *s = "the same text at every level, the same text at every level";
	size_t len = strlen(s);
	for (int level = 1; level <= 9; level++) {
		struct buf g = BUF_INIT;
		unsigned char *out = NULL;
		size_t outlen = 0;
		CHECK(compress_gzip(s, len, level, &g) == 0);
		CHECK(gunzip((unsigned char *)g.p, g.len, &out, &outlen) == 0 && outlen == len &&
		      memcmp(out, s, len) == 0);
		free(out);
		buf_free(&g);
	}
	for (int q = 0; q <= 11; q++) {
		struct buf b = BUF_INIT;
		unsigned char *out = NULL;
		size_t outlen = 0;
		CHECK(compress_br(s, len, q, &b) == 0);
		CHECK(unbrotli((unsigned char *)b.p, b.len, len, &out, &outlen) == 0 && outlen == len &&
		      memcmp(out, s, len) == 0);
		free(out);
		buf_free(&b);
	}
	/* A level zlib does not know is a library error: -1, and the buffer is untouched. */
	struct buf g = BUF_INIT;
	buf_puts(&g, "keep");
	CHECK(compress_gzip(s, len, 42, &g) == -1);
	CHECK_STR(g.p, "keep");
	CHECK(g.len == 4);
	buf_free(&g);
}

static const struct test_case tests[] = {
    {"empty_and_tiny", test_empty_and_tiny},
    {"text", test_text},
    {"binary", test_binary},
    {"large", test_large},
    {"levels", test_levels},
};
TEST_MAIN(tests)
