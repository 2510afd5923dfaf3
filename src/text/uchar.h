/* Code points of prose text: UTF-8 decoding that never fails, and what counts as a letter, a digit
 * or white space when words are counted. */
#ifndef VRC_UCHAR_H
#define VRC_UCHAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

/* One decoded code point and its length in bytes (at least 1). */
struct uchar {
	uint32_t c;
	size_t len;
};

/* The code point starting at s.p[i], i < s.len; an invalid byte decodes alone, as U+FFFD. */
struct uchar uchar_decode(struct str s, size_t i);
/* The code point at i, or 0 past the end. */
uint32_t uchar_at(struct str s, size_t i);
/* ASCII 0-9. */
bool uchar_is_digit(uint32_t c);
/* Letters: ASCII ones, and every code point >= 0x80 but punctuation, symbols and emoji. */
bool uchar_is_letter(uint32_t c);
/* A letter or a digit. */
bool uchar_is_alnum(uint32_t c);
/* ASCII and Unicode white space, no-break spaces included. */
bool uchar_is_space(uint32_t c);

#endif
