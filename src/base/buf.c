/* Growable buffers: doubling growth, always NUL-terminated. */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/mem.h"

void buf_reserve(struct buf *b, size_t n)
{
	if (b->cap - b->len > n && b->p)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->len <= n)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	b->p[b->len] = '\0';
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_putstr(struct buf *b, struct str s)
{
	buf_append(b, s.p, s.len);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->p);
	*b = BUF_INIT;
}

char *buf_detach(struct buf *b, size_t *len)
{
	if (!b->p)
		buf_reserve(b, 0);
	char *p = b->p;
	if (len)
		*len = b->len;
	*b = BUF_INIT;
	return p;
}
