/* Whole-buffer compression: pages are small, so one call each, no streaming. */
#include "http/compress.h"

#include <brotli/encode.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>

const char *compress_versions(void)
{
	static char v[64];
	uint32_t b = BrotliEncoderVersion();
	snprintf(v, sizeof(v), "libdeflate %s, brotli %u.%u.%u", LIBDEFLATE_VERSION_STRING, b >> 24,
	         (b >> 12) & 0xfff, b & 0xfff);
	return v;
}

int compress_gzip(const void *p, size_t len, int level, struct buf *out)
{
	/* libdeflate, not zlib: whole buffers are its case, and on our pages its level 7 is smaller
	 * than zlib's 9 in about half the time (bench/RESULTS.md). A compressor costs microseconds to
	 * set up, so one per call keeps this free of thread-local state. */
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
	if (!c)
		return -1;
	size_t bound = libdeflate_gzip_compress_bound(c, len);
	buf_reserve(out, bound);
	size_t n = libdeflate_gzip_compress(c, p, len, out->p + out->len, bound);
	libdeflate_free_compressor(c);
	if (n == 0)
		return -1;
	out->len += n;
	out->p[out->len] = '\0';
	return 0;
}

int compress_br(const void *p, size_t len, int quality, struct buf *out)
{
	size_t bound = BrotliEncoderMaxCompressedSize(len);
	if (bound == 0)
		bound = len + 1024;
	buf_reserve(out, bound);
	size_t n = bound;
	/* A window no larger than the page: past 16 bits the encoder sets up hash tables of megabytes
	 * per call (3 ms for an 11 KB page at quality 9 against 0.2 ms; perf, issue 9), for no gain. */
	int lgwin = len <= (1u << 16) ? 16 : BROTLI_DEFAULT_WINDOW;
	if (!BrotliEncoderCompress(quality, lgwin, BROTLI_MODE_TEXT, len, p, &n,
	                           (uint8_t *)out->p + out->len))
		return -1;
	out->len += n;
	out->p[out->len] = '\0';
	return 0;
}
