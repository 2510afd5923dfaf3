/* Helpers shared by every layer; kept free of any library but libc. */
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/mem.h"

static int digits(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

bool date_valid(struct str s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
		return false;
	int y = digits(s.p, 4), m = digits(s.p + 5, 2), d = digits(s.p + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

void http_date(time_t t, char *out, size_t outlen)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outlen, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

uint64_t hash64(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct {
		char *p;
		size_t len, cap;
	} b = {NULL, 0, 0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n + 1 > b.cap) {
			b.cap = (b.len + n + 1) * 2;
			b.p = xrealloc(b.p, b.cap);
		}
		memcpy(b.p + b.len, chunk, n);
		b.len += n;
	}
	int err = ferror(f) ? EIO : 0;
	fclose(f);
	if (err) {
		free(b.p);
		errno = err;
		return NULL;
	}
	if (!b.p)
		b.p = xmalloc(1);
	b.p[b.len] = '\0';
	if (len)
		*len = b.len;
	return b.p;
}

const void *mem_find(const void *hay, size_t n, const void *needle, size_t m)
{
	const char *h = hay, *end = h + n;
	if (m == 0)
		return hay;
	while (n >= m) {
		const char *c = memchr(h, *(const char *)needle, n - m + 1);
		if (!c)
			return NULL;
		if (memcmp(c, needle, m) == 0)
			return c;
		h = c + 1;
		n = (size_t)(end - h);
	}
	return NULL;
}
