/* UTF-8 byte strings: validity and length in code points. libc only. */
#ifndef VRC_UTF8_H
#define VRC_UTF8_H
#include <stdbool.h>
#include <stddef.h>

/* True for a well-formed UTF-8 byte string (no overlongs, surrogates or NULs). */
bool utf8_valid(const char *p, size_t len);
/* Count of code points in valid UTF-8. */
size_t utf8_len(const char *p, size_t len);

#endif
