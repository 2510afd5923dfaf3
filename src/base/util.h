/* Small pure helpers: dates, slugs, UTF-8, hashing, paths. libc only. */
#ifndef VRC_UTIL_H
#define VRC_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/str.h"

/* True for a well-formed UTF-8 byte string (no overlongs, surrogates or NULs). */
bool utf8_valid(const char *p, size_t len);
/* Count of code points in valid UTF-8. */
size_t utf8_len(const char *p, size_t len);
/* True for a slug: [a-z0-9]+ joined by single hyphens, at most 100 bytes. */
bool slug_valid(struct str s);
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
/* True when path has the given suffix. */
bool str_ends(struct str s, struct str suffix);

#endif
