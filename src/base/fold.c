/* Folding for search (see fold.h): a table for Latin-1's letters, ASCII by hand, the rest kept or made
 * a space. The full-text index folds the same way (SQLite's unicode61, remove_diacritics 2); this is
 * for the parts that decide before the index is asked: crisis words and the results cache's key. */
#include "base/fold.h"

#include <stdbool.h>

/* U+00C0..U+00FF folded; NULL: not a letter (× and ÷), a space. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not well formed. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80                   ? 1
	             : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
	             : s[0] >= 0xE0 && s[0] < 0xF0 ? 3
	             : s[0] >= 0xF0 && s[0] < 0xF5 ? 4
	                                           : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* What the sequence at s (len bytes) becomes: its folded text, or NULL for a separator. *keep is set
 * when the bytes stay as they are. */
static const char *fold_one(const unsigned char *s, size_t len, bool *keep)
{
	static const char ascii[128][2] = {
	    ['0'] = "0", ['1'] = "1", ['2'] = "2", ['3'] = "3", ['4'] = "4", ['5'] = "5", ['6'] = "6",
	    ['7'] = "7", ['8'] = "8", ['9'] = "9", ['a'] = "a", ['b'] = "b", ['c'] = "c", ['d'] = "d",
	    ['e'] = "e", ['f'] = "f", ['g'] = "g", ['h'] = "h", ['i'] = "i", ['j'] = "j", ['k'] = "k",
	    ['l'] = "l", ['m'] = "m", ['n'] = "n", ['o'] = "o", ['p'] = "p", ['q'] = "q", ['r'] = "r",
	    ['s'] = "s", ['t'] = "t", ['u'] = "u", ['v'] = "v", ['w'] = "w", ['x'] = "x", ['y'] = "y",
	    ['z'] = "z", ['A'] = "a", ['B'] = "b", ['C'] = "c", ['D'] = "d", ['E'] = "e", ['F'] = "f",
	    ['G'] = "g", ['H'] = "h", ['I'] = "i", ['J'] = "j", ['K'] = "k", ['L'] = "l", ['M'] = "m",
	    ['N'] = "n", ['O'] = "o", ['P'] = "p", ['Q'] = "q", ['R'] = "r", ['S'] = "s", ['T'] = "t",
	    ['U'] = "u", ['V'] = "v", ['W'] = "w", ['X'] = "x", ['Y'] = "y", ['Z'] = "z",
	};
	*keep = false;
	if (len == 1)
		return ascii[s[0]][0] ? ascii[s[0]] : NULL;
	if (len == 2 && s[0] == 0xC3)
		return latin1[s[1] - 0x80]; /* U+00C0..U+00FF */
	if (len == 2 && s[0] == 0xC2)
		return NULL; /* U+0080..U+00BF: controls, ¡ ¿ « » and friends */
	if (len == 3 && s[0] == 0xE2 && (s[1] == 0x80 || s[1] == 0x81))
		return NULL; /* U+2000..U+207F: spaces, dashes, quotes, bullets */
	*keep = true;
	return "";
}

void fold_words(const char *s, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	bool space = false, any = false;
	for (size_t i = 0; i < n;) {
		size_t len = seq_len(p + i, n - i);
		bool keep = false;
		const char *f = len ? fold_one(p + i, len, &keep) : NULL;
		if (!f) {
			space = any;
		} else {
			if (space)
				buf_putc(out, ' ');
			if (keep)
				buf_append(out, p + i, len);
			else
				buf_puts(out, f);
			space = false, any = true;
		}
		i += len ? len : 1;
	}
}
