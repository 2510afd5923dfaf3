/* gzip (libdeflate) and brotli compression of whole bodies. */
#ifndef VRC_COMPRESS_H
#define VRC_COMPRESS_H
#include <stddef.h>

#include "base/buf.h"

/* Append the gzip encoding of p to out; level 0-12 (libdeflate's).
 * -1 on a library error or a level outside that range. */
int compress_gzip(const void *p, size_t len, int level, struct buf *out);
/* Append the brotli encoding of p to out; quality 0-11. -1 on a library error. */
int compress_br(const void *p, size_t len, int quality, struct buf *out);

/* The libraries' versions ("libdeflate 1.14, brotli 1.0.9"): the bytes depend on them. */
const char *compress_versions(void);

#endif
