/* Growable byte buffers: all output is built here. The buffer owns its bytes. */
#ifndef VRC_BUF_H
#define VRC_BUF_H
#include <stdarg.h>
#include <stddef.h>

#include "base/str.h"

struct buf {
	char *p; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

#define BUF_INIT ((struct buf){NULL, 0, 0})

/* Make room for n more bytes. */
void buf_reserve(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_putstr(struct buf *b, struct str s);
/* printf-style append (bounded by vsnprintf, never overflows). */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Forget the contents, keep the memory. */
void buf_reset(struct buf *b);
/* Free the memory; the buffer is empty and reusable. */
void buf_free(struct buf *b);
/* Hand the bytes to the caller (free() them); the buffer is empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
/* The contents as a view. */
static inline struct str buf_str(const struct buf *b)
{
	return (struct str){b->p ? b->p : "", b->len};
}

#endif
