/* Code points of prose text for the readability counts: decoding and character classes. Every
 * code point >= 0x80 is a letter except punctuation, symbols and emoji, so á, ñ, ü count. */
#include "text/uchar.h"

#include <assert.h>

/* Invalid UTF-8 decodes to this, one byte at a time; it counts as a letter. */
#define BAD_BYTE 0xfffdu

struct uchar uchar_decode(struct str s, size_t i)
{
	assert(i < s.len);
	const unsigned char *u = (const unsigned char *)s.p + i;
	size_t len = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc2 ? 2 : 1;
	if (u[0] < 0x80)
		return (struct uchar){u[0], 1};
	if (len == 1 || len > s.len - i || u[0] > 0xf4)
		return (struct uchar){BAD_BYTE, 1};
	uint32_t c = u[0] & (0x7fu >> len);
	for (size_t k = 1; k < len; k++) {
		if ((u[k] & 0xc0) != 0x80)
			return (struct uchar){BAD_BYTE, 1};
		c = c << 6 | (u[k] & 0x3f);
	}
	return (struct uchar){c, len};
}

uint32_t uchar_at(struct str s, size_t i)
{
	return i < s.len ? uchar_decode(s, i).c : 0;
}

bool uchar_is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

bool uchar_is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (c <= 0xbf || c == 0xd7 || c == 0xf7) /* C1, NBSP, ¡ ¿ « » °, × ÷ */
		return false;
	if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f))
		return false; /* punctuation, arrows, math, shapes; CJK punctuation */
	if ((c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff || (c >= 0x1f000 && c <= 0x1faff))
		return false; /* variation selectors, BOM, emoji */
	return true;
}

bool uchar_is_alnum(uint32_t c)
{
	return uchar_is_letter(c) || uchar_is_digit(c);
}

bool uchar_is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0 || (c >= 0x2000 && c <= 0x200b) ||
	       c == 0x202f || c == 0x3000;
}
