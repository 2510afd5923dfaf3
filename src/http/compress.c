/* Whole-buffer compression: pages are small, so one call each, no streaming. */
#include "http/compress.h"

#include <brotli/encode.h>
#include <stdint.h>
#include <zlib.h>

int compress_gzip(const void *p, size_t len, int level, struct buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t bound = deflateBound(&z, len) + 32;
	buf_reserve(out, bound);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->p + out->len;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	if (rc == Z_STREAM_END)
		out->len += z.total_out;
	deflateEnd(&z);
	if (out->p)
		out->p[out->len] = '\0';
	return rc == Z_STREAM_END ? 0 : -1;
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
