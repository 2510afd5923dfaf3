/* Small pure helpers: dates, hashing, files. libc only. */
#ifndef VRC_UTIL_H
#define VRC_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/str.h"

/* True for a real calendar date written YYYY-MM-DD. */
bool date_valid(struct str s);
/* Format t as an HTTP date (RFC 9110 IMF-fixdate) into out (at least 30 bytes). */
void http_date(time_t t, char *out, size_t outlen);
/* 64-bit FNV-1a, for ETags and cache keys (not for secrets). */
uint64_t hash64(const void *p, size_t len);
/* Read a whole file into a malloc'd, NUL-terminated buffer; NULL on error (errno set). */
char *file_read(const char *path, size_t *len);
/* The first occurrence of needle (m bytes) in hay (n bytes), or NULL (memmem without _GNU_SOURCE). */
const void *mem_find(const void *hay, size_t n, const void *needle, size_t m);

#endif
