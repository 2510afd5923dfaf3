/* Readability of the content library's Markdown, in English and Spanish. Three passes: block
 * syntax becomes lines of prose with explicit breaks, inline syntax is dropped, then words,
 * sentences and syllables are counted and turned into Flesch-Kincaid or Fernandez-Huerta scores.
 *
 * Rules chosen (the tests pin them down):
 * - Stripped: YAML front matter, fenced code, inline code, images, link destinations (the link
 *   text counts), bare URLs, HTML tags and comments, entities, heading/list/quote markers, task
 *   boxes, table rows (GFM tables, with or without a leading '|'), thematic breaks, setext
 *   underlines and fill-in lines ("______"). Emphasis markers are not letters, so never count.
 *   Indented code blocks are not recognised: they would swallow nested list items.
 * - A word is a run of letters and digits; every code point >= 0x80 is a letter except
 *   punctuation, symbols and emoji (so á, ñ, ü count, “ ” ¿ — do not); an invalid UTF-8 byte is a
 *   letter. Apostrophes and hyphens inside a word, '.' between letters or digits ("e.g", "3.5",
 *   "U.S") and ',' or ':' between digits ("1,000", "10:30") do not split it.
 * - Syllables: each letter run by the language's rules (at least 1); a number is 1 ("988",
 *   "3.5", "1-800-985-5990"), as the eye takes it in at once.
 * - A sentence ends at '.', '!', '?', '…' followed by white space or the end (closing quotes,
 *   brackets and emphasis may come between), at ':' that ends a line, and at every block break:
 *   blank line, heading, list item, table, rule, fence. So a heading or list item without final
 *   punctuation is its own sentence. ';' does not end one: like the published calculators, we
 *   count sentences by their final mark. Known abbreviations do not end a sentence (see abbrevs).
 * - English grade is Flesch-Kincaid, clamped at 0; ease is Flesch reading ease, unclamped.
 * - Spanish ease is Fernandez-Huerta as corrected by G. Law (2011): 206.84 - 60 * syllables/word
 *   - 1.02 * words/sentence. The widely copied form "- 1.02 * F, F = sentences per 100 words"
 *   is a transcription error: it rates short sentences as harder. Its grade comes from es_grades.
 */
#include "view/readability.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"

/* Ends a block in the intermediate text. Input control bytes are emitted as spaces, so a
 * BREAK always comes from us. */
#define BREAK '\f'

/* A letter run longer than this is counted in pieces (no real word is this long). */
#define PART_MAX 48

/* How far an inline construct (link, code span, tag) is looked for before its opening mark is
 * taken as text: keeps pathological input linear. */
#define SCAN_MAX 2048

/* Invalid UTF-8 decodes to this, one byte at a time; it counts as a letter. */
#define BAD_BYTE 0xfffdu

/* ---- UTF-8 and character classes */

/* One decoded code point and its length in bytes (at least 1). */
struct cp {
	uint32_t c;
	size_t len;
};

static struct cp utf8_at(struct str s, size_t i)
{
	assert(i < s.len);
	const unsigned char *u = (const unsigned char *)s.p + i;
	size_t len = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc2 ? 2 : 1;
	if (u[0] < 0x80)
		return (struct cp){u[0], 1};
	if (len == 1 || len > s.len - i || u[0] > 0xf4)
		return (struct cp){BAD_BYTE, 1};
	uint32_t c = u[0] & (0x7fu >> len);
	for (size_t k = 1; k < len; k++) {
		if ((u[k] & 0xc0) != 0x80)
			return (struct cp){BAD_BYTE, 1};
		c = c << 6 | (u[k] & 0x3f);
	}
	return (struct cp){c, len};
}

/* The code point at i, or 0 past the end. */
static uint32_t cp_at(struct str s, size_t i)
{
	return i < s.len ? utf8_at(s, i).c : 0;
}

static bool is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_letter(uint32_t c)
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

static bool is_alnum(uint32_t c)
{
	return is_letter(c) || is_digit(c);
}

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0 || (c >= 0x2000 && c <= 0x200b) ||
	       c == 0x202f || c == 0x3000;
}

static bool is_apostrophe(uint32_t c)
{
	return c == '\'' || c == 0x2019 || c == 0x02bc;
}

static bool is_hyphen(uint32_t c)
{
	return c == '-' || c == 0x2010 || c == 0x2011;
}

/* Marks that can end a sentence (':' is handled apart). */
static bool is_terminal(uint32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

/* What may stand between a sentence's final mark and the space after it. */
static bool is_closer(uint32_t c)
{
	return c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '_' || c == '~' ||
	       c == 0x2019 || c == 0x201d || c == 0xbb || c == 0x203a;
}

/* What may stand before the first word of a sentence. */
static bool is_opener(uint32_t c)
{
	return c == '"' || c == '\'' || c == '(' || c == '[' || c == '*' || c == '_' || c == '~' ||
	       c == 0xa1 || c == 0xbf || c == 0x2018 || c == 0x201c || c == 0xab || c == 0x2039;
}

static bool is_upper(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7);
}

/* Fold a letter to lowercase ASCII for the syllable rules. In Spanish an accented í or ú
 * becomes I or U (it breaks a diphthong) and ü becomes W (a u that is pronounced); in English
 * a vowel with a diaeresis becomes uppercase (it starts a syllable: "na-ïve"). Letters outside
 * Latin-1 become '#', a consonant. */
static char fold(uint32_t c, bool es)
{
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo#ouuuuyty";
	if (c < 0x80)
		return (char)(c | 0x20);
	if (c == 0xdf)
		return 's';
	if (c < 0xc0 || c > 0xff)
		return '#';
	c |= 0x20;
	if (es && (c == 0xed || c == 0xef))
		return 'I';
	if (es && c == 0xfa)
		return 'U';
	if (es && c == 0xfc)
		return 'W';
	if (!es && (c == 0xe4 || c == 0xeb || c == 0xef || c == 0xf6 || c == 0xfc))
		return (char)(latin1[c - 0xe0] - 0x20);
	return latin1[c - 0xe0];
}

/* ---- Block pass: Markdown lines to prose lines, with BREAK between blocks */

struct blocks {
	struct buf *out;
	char fence;       /* '`' or '~' inside a fenced code block, else 0 */
	size_t fence_len; /* length of the opening fence run */
	bool table;       /* inside a GFM table */
};

static size_t line_end(struct str s, size_t i)
{
	const char *nl = memchr(s.p + i, '\n', s.len - i);
	return nl ? (size_t)(nl - s.p) : s.len;
}

static size_t run_of(struct str t, char c)
{
	size_t n = 0;
	while (n < t.len && t.p[n] == c)
		n++;
	return n;
}

static struct str tail(struct str t, size_t from)
{
	return (struct str){t.p + from, t.len - from};
}

/* YAML front matter: "---", then "key:" lines, then "---" or "...". Returns what follows it. */
static struct str skip_front_matter(struct str md)
{
	size_t e = line_end(md, 0);
	if (!str_eqc(str_trim((struct str){md.p, e}), "---") || e + 1 >= md.len)
		return md;
	size_t k = e + 1;
	while (k < md.len && (md.p[k] == '_' || ((md.p[k] | 0x20) >= 'a' && (md.p[k] | 0x20) <= 'z')))
		k++;
	if (k == e + 1 || k >= md.len || md.p[k] != ':')
		return md;
	for (size_t i = e + 1; i < md.len; i = e + 1) {
		e = line_end(md, i);
		struct str line = str_trim((struct str){md.p + i, e - i});
		if (str_eqc(line, "---") || str_eqc(line, "..."))
			return e < md.len ? tail(md, e + 1) : tail(md, md.len);
	}
	return md;
}

static struct str strip_quotes(struct str t)
{
	while (t.len && t.p[0] == '>')
		t = str_trim(tail(t, 1));
	return t;
}

/* Handle fenced code: true when the line opens, closes or is inside a fence. */
static bool fenced(struct blocks *b, struct str t)
{
	size_t run = t.len && (t.p[0] == '`' || t.p[0] == '~') ? run_of(t, t.p[0]) : 0;
	if (b->fence) {
		if (run >= b->fence_len && t.p[0] == b->fence && str_trim(tail(t, run)).len == 0) {
			b->fence = 0;
			buf_putc(b->out, BREAK);
		}
		return true;
	}
	if (run < 3)
		return false;
	b->fence = t.p[0];
	b->fence_len = run;
	buf_putc(b->out, BREAK);
	return true;
}

/* A thematic break, setext underline or fill-in line: one of - * _ = repeated, spaces between. */
static bool is_rule(struct str t)
{
	char c = t.p[0];
	size_t k = 0;
	if (c != '-' && c != '*' && c != '_' && c != '=')
		return false;
	for (size_t i = 0; i < t.len; i++) {
		if (t.p[i] == c)
			k++;
		else if (t.p[i] != ' ' && t.p[i] != '\t')
			return false;
	}
	return k >= 3 || c == '=';
}

/* A table's delimiter row: "|---|:--:|" or "--- | ---". */
static bool is_delim_row(struct str t)
{
	bool pipe = false, dash = false;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.p[i];
		if (c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t')
			return false;
		pipe |= c == '|';
		dash |= c == '-';
	}
	return pipe && dash;
}

/* Table rows are skipped whole: a worksheet's cells are not prose. */
static bool is_table_row(struct blocks *b, struct str t, struct str next)
{
	bool pipe = memchr(t.p, '|', t.len) != NULL;
	if (t.p[0] == '|' || is_delim_row(t) || (b->table && pipe) ||
	    (pipe && is_delim_row(strip_quotes(str_trim(next)))))
		return b->table = true;
	return b->table = false;
}

/* A link reference definition "[label]: url" (and a footnote's "[^1]: ..."). */
static bool is_link_def(struct str t)
{
	const char *close = t.p[0] == '[' ? memchr(t.p, ']', t.len) : NULL;
	return close && (size_t)(close - t.p) + 1 < t.len && close[1] == ':';
}

/* Strip an ATX heading's markers; true when t was a heading. */
static bool strip_heading(struct str *t)
{
	size_t h = run_of(*t, '#');
	if (h == 0 || h > 6 || (h < t->len && t->p[h] != ' ' && t->p[h] != '\t'))
		return false;
	struct str s = tail(*t, h);
	size_t e = s.len;
	while (e && s.p[e - 1] == '#')
		e--;
	if (e == 0 || s.p[e - 1] == ' ' || s.p[e - 1] == '\t')
		s.len = e;
	*t = str_trim(s);
	return true;
}

/* Strip a list item's marker ("-", "*", "+", "1.", "1)") and task box; true when t was one. */
static bool strip_list_marker(struct str *t)
{
	size_t i = 0;
	if (t->p[0] == '-' || t->p[0] == '*' || t->p[0] == '+') {
		i = 1;
	} else {
		while (i < t->len && i < 9 && t->p[i] >= '0' && t->p[i] <= '9')
			i++;
		if (i == 0 || i == t->len || (t->p[i] != '.' && t->p[i] != ')'))
			return false;
		i++;
	}
	if (i < t->len && t->p[i] != ' ' && t->p[i] != '\t')
		return false;
	struct str s = str_trim(tail(*t, i));
	if (s.len >= 3 && s.p[0] == '[' && s.p[2] == ']' && (s.p[1] == ' ' || s.p[1] == 'x' || s.p[1] == 'X'))
		s = str_trim(tail(s, 3));
	*t = s;
	return true;
}

/* Copy prose, turning control bytes (and so any BREAK in the input) into spaces. */
static void emit(struct buf *out, struct str t)
{
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.p[i];
		buf_putc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
}

static void block_line(struct blocks *b, struct str line, struct str next)
{
	struct str t = strip_quotes(str_trim(line));
	if (fenced(b, t))
		return;
	if (t.len == 0)
		b->table = false;
	if (t.len == 0 || is_table_row(b, t, next) || is_rule(t) || is_link_def(t)) {
		buf_putc(b->out, BREAK);
		return;
	}
	bool heading = strip_heading(&t);
	if (heading || strip_list_marker(&t))
		buf_putc(b->out, BREAK);
	emit(b->out, t);
	buf_putc(b->out, heading ? BREAK : '\n');
}

static void strip_blocks(struct str md, struct buf *out)
{
	struct blocks b = {.out = out};
	md = skip_front_matter(md);
	for (size_t i = 0; i < md.len;) {
		size_t e = line_end(md, i);
		struct str next = {md.p + md.len, 0};
		if (e < md.len)
			next = (struct str){md.p + e + 1, line_end(md, e + 1) - (e + 1)};
		block_line(&b, (struct str){md.p + i, e - i}, next);
		i = e + 1;
	}
}

/* ---- Inline pass: drop code, images, link destinations, HTML, entities and URLs */

/* Where the search for the end of a construct starting at i gives up. */
static size_t scan_end(struct str s, size_t i)
{
	return s.len - i > SCAN_MAX ? i + SCAN_MAX : s.len;
}

/* Index just past the bracket closing the one at i, or 0 when it is not closed in its block. */
static size_t closing(struct str s, size_t i, char open, char close)
{
	int depth = 0;
	for (size_t j = i, end = scan_end(s, i); j < end && s.p[j] != BREAK; j++) {
		if (s.p[j] == '\\')
			j++;
		else if (s.p[j] == open)
			depth++;
		else if (s.p[j] == close && --depth == 0)
			return j + 1;
	}
	return 0;
}

/* Each skipper returns the index past the construct starting at i, or i when there is none. */

static size_t skip_code(struct str s, size_t i)
{
	size_t n = run_of(tail(s, i), '`');
	if (n == 0)
		return i;
	for (size_t j = i + n, end = scan_end(s, i); j < end && s.p[j] != BREAK;) {
		size_t m = run_of(tail(s, j), '`');
		if (m == n)
			return j + m;
		j += m ? m : 1;
	}
	return i + n; /* an unmatched run is literal backticks */
}

/* After "]": a destination "(...)" or a reference "[...]". */
static size_t skip_destination(struct str s, size_t i)
{
	if (i + 1 >= s.len || s.p[i] != ']')
		return i;
	size_t e = 0;
	if (s.p[i + 1] == '(')
		e = closing(s, i + 1, '(', ')');
	else if (s.p[i + 1] == '[')
		e = closing(s, i + 1, '[', ']');
	return e ? e : i;
}

/* An image "![alt](src)" goes whole, alt text too. */
static size_t skip_image(struct str s, size_t i)
{
	if (i + 1 >= s.len || s.p[i] != '!' || s.p[i + 1] != '[')
		return i;
	size_t e = closing(s, i + 1, '[', ']');
	if (e == 0)
		return i;
	size_t d = skip_destination(s, e - 1);
	return d > e - 1 ? d : e;
}

/* A footnote mark "[^1]". */
static size_t skip_footnote(struct str s, size_t i)
{
	size_t e = 0;
	if (i + 1 < s.len && s.p[i] == '[' && s.p[i + 1] == '^')
		e = closing(s, i, '[', ']');
	return e ? e : i;
}

/* An HTML tag or autolink; a lone '<' ("< 30") is text. */
static size_t skip_html(struct str s, size_t i)
{
	if (i + 1 >= s.len || s.p[i] != '<')
		return i;
	char c = s.p[i + 1];
	if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '/' && c != '!' && c != '?')
		return i;
	for (size_t j = i + 1, end = scan_end(s, i); j < end && s.p[j] != BREAK && s.p[j] != '<'; j++)
		if (s.p[j] == '>')
			return j + 1;
	return i;
}

/* "&amp;", "&#233;", "&#xE9;". */
static size_t skip_entity(struct str s, size_t i)
{
	size_t j = i + 1, k;
	if (s.p[i] != '&')
		return i;
	if (j < s.len && s.p[j] == '#')
		j++;
	if (j < s.len && s.p[j - 1] == '#' && (s.p[j] | 0x20) == 'x')
		j++;
	for (k = j; k < s.len && k - j < 32 && cp_at(s, k) < 0x80 && is_alnum(cp_at(s, k)); k++)
		;
	return k > j && k < s.len && s.p[k] == ';' ? k + 1 : i;
}

/* A bare URL, up to white space; punctuation at its end stays (it may end the sentence). */
static size_t skip_url(struct str s, size_t i)
{
	static const char *const schemes[] = {"http://", "https://", "www.", "mailto:"};
	if (i > 0 && is_alnum(cp_at(s, i - 1)))
		return i;
	for (size_t k = 0; k < sizeof schemes / sizeof schemes[0]; k++) {
		size_t n = strlen(schemes[k]);
		if (n > s.len - i || !str_ieq((struct str){s.p + i, n}, (struct str){schemes[k], n}))
			continue;
		size_t e = i + n;
		while (e < s.len && !is_space(utf8_at(s, e).c) && s.p[e] != '<')
			e++;
		while (e > i + n && s.p[e - 1] && strchr(".,;:!?)]\"'*_", s.p[e - 1]))
			e--;
		return e;
	}
	return i;
}

static size_t (*const skippers[])(struct str, size_t) = {
    skip_code, skip_image, skip_footnote, skip_destination, skip_html, skip_entity, skip_url,
};

/* An HTML comment may span lines and blocks. Once one is left unclosed, every later one is too,
 * so *unclosed stops the search from being repeated. */
static size_t skip_comment(struct str s, size_t i, bool *unclosed)
{
	if (*unclosed || s.len - i < 4 || memcmp(s.p + i, "<!--", 4) != 0)
		return i;
	for (size_t j = i + 4; j + 2 < s.len; j++)
		if (memcmp(s.p + j, "-->", 3) == 0)
			return j + 3;
	*unclosed = true;
	return i;
}

static void strip_inline(struct str s, struct buf *out)
{
	bool unclosed = false;
	for (size_t i = 0; i < s.len;) {
		size_t e = skip_comment(s, i, &unclosed);
		for (size_t k = 0; k < sizeof skippers / sizeof skippers[0] && e == i; k++)
			e = skippers[k](s, i);
		if (e > i) {
			buf_putc(out, ' ');
			i = e;
		} else if (s.p[i] == '\\' && i + 1 < s.len && s.p[i + 1] != BREAK) {
			buf_putc(out, s.p[i + 1]); /* an escaped mark is literal */
			i += 2;
		} else {
			buf_putc(out, s.p[i++]);
		}
	}
}

/* ---- English syllables */

static bool vowel5(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* y is a consonant first ("you") and between vowels ("beyond"), else a vowel ("day", "any").
 * Uppercase is a vowel with a diaeresis. */
static bool en_vowel(const char *w, size_t n, size_t i)
{
	if (vowel5(w[i]) || (w[i] >= 'A' && w[i] <= 'Z'))
		return true;
	if (w[i] != 'y' || i == 0)
		return false;
	return !(vowel5(w[i - 1]) && i + 1 < n && vowel5(w[i + 1]));
}

/* Vowel groups; a vowel y ends its group ("an-y-one", "stud-y-ing"), a diaeresis starts one. */
static int en_groups(const char *w, size_t n)
{
	int g = 0;
	for (size_t i = 0; i < n; i++)
		if (en_vowel(w, n, i) &&
		    (i == 0 || !en_vowel(w, n, i - 1) || w[i - 1] == 'y' || (w[i] >= 'A' && w[i] <= 'Z')))
			g++;
	return g;
}

/* Silent final e ("make", "the"), -es ("makes") and -ed ("walked"); not consonant + le
 * ("table", "tables", "troubled"), not -ses/-ces/-ges/-ches ("uses"), not -ted/-ded. */
static int en_endings(const char *w, size_t n)
{
	if (n < 3)
		return 0;
	if (w[n - 1] == 'e') {
		if (vowel5(w[n - 2]))
			return 0;
		return w[n - 2] == 'l' && !vowel5(w[n - 3]) && w[n - 3] != 'l' ? 0 : -1;
	}
	if (n < 4 || w[n - 2] != 'e' || vowel5(w[n - 3]))
		return 0;
	char c = w[n - 3], b = w[n - 4];
	if (c == 'l' && !vowel5(b) && b != 'l')
		return 0;
	if (w[n - 1] == 's') {
		if (c == 's' || c == 'x' || c == 'z' || c == 'c' || c == 'g')
			return 0;
		return c == 'h' && (b == 'c' || b == 's') ? 0 : -1;
	}
	if (w[n - 1] == 'd')
		return c == 't' || c == 'd' ? 0 : -1;
	return 0;
}

/* A silent e before a suffix: "lone-ly", "hope-ful", "state-ment"; not "el-e-ment", "re-ly". */
static int en_silent_e(const char *w, size_t n)
{
	static const char *const suffixes[] = {"ely", "eful", "efully", "eless", "eness", "ement", "ements"};
	for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
		size_t m = strlen(suffixes[k]);
		if (n < m + 2 || memcmp(w + n - m, suffixes[k], m) != 0)
			continue;
		size_t e = n - m;
		if (vowel5(w[e - 1]) || w[e - 1] == 'l')
			return 0;
		for (size_t i = 0; i + 1 < e; i++)
			if (vowel5(w[i]))
				return -1;
		return 0;
	}
	return 0;
}

/* Corrections to the vowel-group count, mostly hiatus: two vowels that are two syllables. A
 * pattern is matched anywhere (or at '^', '$'); letters match themselves, [xy] and [^xy] are
 * classes, '.' is any letter. Every match adds delta. */
static const struct en_rule {
	const char *pat;
	int delta;
} en_rules[] = {
    {"[^ct]ia", 1},            /* me-di-a, Aus-tra-li-an; not so-cial, ini-tial */
    {"iage", -1},              /* mar-riage */
    {"[^ctxg]iou", 1},         /* pre-vi-ous; not pre-cious, anx-ious, re-li-gious */
    {"[^tscxgnl]ion", 1},      /* cham-pi-on; not na-tion, vi-sion, mil-lion, o-pin-ion */
    {"io[^nru]", 1},           /* vi-o-lence, pe-ri-od */
    {"io$", 1},                /* ra-di-o */
    {"eo[^pu]", 1},            /* the-o-ry; not peo-ple, gor-geous */
    {"eo$", 1},                /* vi-de-o */
    {"meone", -1},             /* some-one */
    {"[^gq]ua[^aeiou]", 1},    /* ac-tu-al; not qual-i-ty, lan-guage */
    {"[^gq]ue[lnt]", 1},       /* flu-ent, cru-el */
    {"[^gq]ui[cdn]", 1},       /* su-i-cide, flu-id, ru-in; not guide */
    {"^juic", -1},             /* juice */
    {"[^ct]ien", 1},           /* au-di-ence, cli-ent; not pa-tient, an-cient */
    {"iend", -1},              /* friend */
    {"scien", 1},              /* sci-ence */
    {"iet", 1},                /* qui-et, so-ci-e-ty */
    {"ium", 1},                /* com-pen-di-um */
    {"..ier$", 1},             /* eas-i-er */
    {"..iers$", 1},            /* car-ri-ers */
    {"..iest$", 1},            /* eas-i-est */
    {"[aeiou][^aeiou]ea$", 1}, /* i-de-a, ar-e-a */
    {"^crea", 1},              /* cre-ate */
    {"^creatu", -1},           /* crea-ture */
    {"^react", 1},             /* re-act; not reach */
    {"^reali", 1},             /* re-al-i-ty */
    {"[aeiou]ing$", 1},        /* be-ing, go-ing */
    {"[aeiou]ings$", 1},       /* be-ings */
    {"^aches", -1},            /* aches */
    {"[^aeiou]aches$", -1},    /* head-aches; not ap-proach-es */
    {"ism$", 1},               /* rac-ism */
    {"isms$", 1},              /* rac-isms */
    {"^every", -1},            /* ev-ery-one */
    {"^some[^aeiou]", -1},     /* some-times */
    {"^life[^aeiou]", -1},     /* life-line */
};

static bool pat_at(const char *p, const char *w, size_t n, size_t i)
{
	for (; *p; p++, i++) {
		if (*p == '$')
			return i == n;
		if (i >= n)
			return false;
		if (*p == '[') {
			bool neg = p[1] == '^', in = false;
			for (p += 1 + neg; *p != ']'; p++)
				in |= *p == w[i];
			if (in == neg)
				return false;
		} else if (*p != '.' && *p != w[i]) {
			return false;
		}
	}
	return true;
}

static int pat_count(const char *pat, const char *w, size_t n)
{
	int c = 0;
	if (pat[0] == '^')
		return pat_at(pat + 1, w, n, 0);
	for (size_t i = 0; i < n; i++)
		c += pat_at(pat, w, n, i);
	return c;
}

/* w is folded lowercase; nt: the word ended in "n't" (written without the apostrophe). */
static int en_syllables(const char *w, size_t n, bool nt)
{
	int s = en_groups(w, n) + en_endings(w, n) + en_silent_e(w, n);
	for (size_t k = 0; k < sizeof en_rules / sizeof en_rules[0]; k++)
		s += en_rules[k].delta * pat_count(en_rules[k].pat, w, n);
	if (nt && n >= 3 && !vowel5(w[n - 3]))
		s++; /* could-n't, is-n't */
	return s;
}

/* ---- Spanish syllables */

enum es_vowel { ES_NONE, ES_WEAK, ES_STRONG };

/* a, e, o and accented í, ú are strong; i, u, ü weak; u is silent in que, qui, gue, gui;
 * y is a vowel only at the end of a word ("hoy", "muy", "y"). */
static enum es_vowel es_kind(const char *w, size_t n, size_t i)
{
	switch (w[i]) {
	case 'a':
	case 'e':
	case 'o':
	case 'I':
	case 'U': return ES_STRONG;
	case 'i':
	case 'W': return ES_WEAK;
	case 'u':
		if (i > 0 && (w[i - 1] == 'q' || w[i - 1] == 'g') && i + 1 < n &&
		    (w[i + 1] == 'e' || w[i + 1] == 'i' || w[i + 1] == 'I'))
			return ES_NONE;
		return ES_WEAK;
	case 'y': return i + 1 == n ? ES_WEAK : ES_NONE;
	default: return ES_NONE;
	}
}

/* Count nuclei: two strong vowels are a hiatus (pa-ís, le-er); weak + strong, strong + weak
 * and two different weak vowels are one diphthong or triphthong (due-lo, ciu-dad, buey). */
static int es_syllables(const char *w, size_t n)
{
	int s = 0;
	enum es_vowel prev = ES_NONE;
	for (size_t i = 0; i < n; i++) {
		enum es_vowel k = es_kind(w, n, i);
		if (k != ES_NONE && (prev == ES_NONE || (prev == ES_STRONG && k == ES_STRONG) ||
		                     (prev == ES_WEAK && k == ES_WEAK && w[i] == w[i - 1])))
			s++;
		prev = k;
	}
	return s;
}

/* ---- Counting */

struct counter {
	bool es;
	size_t words, sentences, syllables;
	size_t pending;              /* words since the last sentence end */
	size_t last_start, last_end; /* the last word, for abbreviations */
};

/* A run of letters folded for the syllable rules. */
struct part {
	char w[PART_MAX];
	size_t n;
	bool nt; /* ended in n't */
};

static size_t part_syllables(const struct counter *k, const struct part *p)
{
	int s;
	if (p->n == 0)
		return 0;
	s = k->es ? es_syllables(p->w, p->n) : en_syllables(p->w, p->n, p->nt);
	return s < 1 ? 1 : (size_t)s;
}

/* Letters, with apostrophes inside ("don't" is one run: "dont", flagged n't). */
static size_t count_letters(struct counter *k, struct str s, size_t i)
{
	struct part p = {.n = 0};
	while (i < s.len) {
		struct cp c = utf8_at(s, i);
		if (is_letter(c.c)) {
			if (p.n == PART_MAX) {
				k->syllables += part_syllables(k, &p);
				p.n = 0;
			}
			p.w[p.n++] = fold(c.c, k->es);
		} else if (is_apostrophe(c.c) && is_letter(cp_at(s, i + c.len))) {
			size_t t = i + c.len;
			p.nt = p.n && p.w[p.n - 1] == 'n' && (s.p[t] | 0x20) == 't' &&
			       !is_letter(cp_at(s, t + 1));
		} else {
			break;
		}
		i += c.len;
	}
	k->syllables += part_syllables(k, &p);
	return i;
}

/* Marks that keep a word whole when letters or digits stand on both sides. */
static bool joins(struct str s, size_t i, struct cp c)
{
	uint32_t next = cp_at(s, i + c.len);
	if (is_hyphen(c.c) || is_apostrophe(c.c) || c.c == '.')
		return is_alnum(next);
	return (c.c == ',' || c.c == ':') && is_digit(cp_at(s, i - 1)) && is_digit(next);
}

/* A number is one syllable however it is punctuated: "988", "3.5", "1-800-985-5990". */
static size_t count_word(struct counter *k, struct str s, size_t i)
{
	size_t start = i;
	bool number = false;
	while (i < s.len) {
		struct cp c = utf8_at(s, i);
		if (is_letter(c.c)) {
			i = count_letters(k, s, i);
			number = false;
		} else if (is_digit(c.c)) {
			while (i < s.len && is_digit(cp_at(s, i)))
				i++;
			k->syllables += !number;
			number = true;
		} else if (joins(s, i, c)) {
			i += c.len;
		} else {
			break;
		}
	}
	k->words++;
	k->pending++;
	k->last_start = start;
	k->last_end = i;
	return i;
}

static void end_sentence(struct counter *k)
{
	if (k->pending)
		k->sentences++;
	k->pending = 0;
}

/* Abbreviations whose period need not end a sentence. One that never ends a sentence stands
 * before a name or an example (Dr., Sra., e.g.); the others (etc., U.S.) end one when a capital
 * letter or the end of the block follows. Matched lowercase; inner periods are kept. */
static const struct abbrev {
	const char *s;
	bool never_ends;
} abbrevs[] = {
    {"dr", true},   {"dra", true},     {"mr", true},     {"mrs", true},   {"ms", true},     {"prof", true},
    {"sr", true},   {"sra", true},     {"srta", true},   {"sres", true},  {"st", true},     {"e.g", true},
    {"i.e", true},  {"p.ej", true},    {"p", true},      {"ej", true},    {"cf", true},     {"vs", true},
    {"ee", true},   {"lic", true},     {"etc", false},   {"u.s", false},  {"u.s.a", false}, {"ee.uu", false},
    {"uu", false},  {"a.m", false},    {"p.m", false},   {"jr", false},   {"ud", false},    {"uds", false},
    {"inc", false}, {"approx", false}, {"aprox", false}, {"dept", false}, {"tel", false},   {"ext", false},
    {"fig", false}, {"no", false},     {"núm", false},   {"pág", false},
};

static const struct abbrev *abbrev_find(struct str word)
{
	char low[8];
	if (word.len >= sizeof low)
		return NULL;
	for (size_t i = 0; i < word.len; i++)
		low[i] = word.p[i] >= 'A' && word.p[i] <= 'Z' ? (char)(word.p[i] | 0x20) : word.p[i];
	for (size_t k = 0; k < sizeof abbrevs / sizeof abbrevs[0]; k++)
		if (str_eq((struct str){low, word.len}, str_c(abbrevs[k].s)))
			return &abbrevs[k];
	return NULL;
}

/* True when the next word (past spaces and opening marks) is capitalised, or the block ends. */
static bool capital_follows(struct str s, size_t j)
{
	while (j < s.len && s.p[j] != BREAK) {
		struct cp c = utf8_at(s, j);
		if (!is_space(c.c) && !is_opener(c.c))
			return is_upper(c.c);
		j += c.len;
	}
	return true;
}

/* Does the mark at i (., !, ?, …) end a sentence? */
static bool terminal_ends(const struct counter *k, struct str s, size_t i, size_t len)
{
	size_t j = i + len;
	while (j < s.len && (is_terminal(cp_at(s, j)) || is_closer(cp_at(s, j))))
		j += utf8_at(s, j).len;
	if (j < s.len && !is_space(cp_at(s, j)))
		return false; /* "3.5", "e.g.," "fin.Luego" */
	if (s.p[i] != '.' || k->last_end != i)
		return true;
	const struct abbrev *a = abbrev_find((struct str){s.p + k->last_start, k->last_end - k->last_start});
	return !a || (!a->never_ends && capital_follows(s, j));
}

/* A ':' ends a sentence when only closing marks and blanks follow it on its line. */
static bool colon_ends(struct str s, size_t j)
{
	while (j < s.len && (s.p[j] == ' ' || s.p[j] == '\t' || is_closer(cp_at(s, j))))
		j += utf8_at(s, j).len;
	return j >= s.len || s.p[j] == '\n' || s.p[j] == BREAK;
}

static void count_text(struct counter *k, struct str s)
{
	for (size_t i = 0; i < s.len;) {
		struct cp c = utf8_at(s, i);
		if (is_alnum(c.c)) {
			i = count_word(k, s, i);
			continue;
		}
		if (c.c == BREAK || (c.c == ':' && colon_ends(s, i + 1)) ||
		    (is_terminal(c.c) && terminal_ends(k, s, i, c.len)))
			end_sentence(k);
		i += c.len;
	}
	end_sentence(k);
}

/* ---- Scores */

/* Fernandez-Huerta ease to a school grade: the ease bands' usual reading (90-100 very easy,
 * grade 4; 80-90 easy, 5-6; 70-80 fairly easy, 7; 60-70 normal, 8-9; 50-60 fairly hard,
 * 10-12; 30-50 hard, college; below 30 very hard, graduate), placed so that each band's middle
 * gets its grade, joined by straight lines and extended past both ends by the end segments:
 * continuous and decreasing in ease. */
static const struct {
	double ease, grade;
} es_grades[] = {
    {100, 3}, {90, 5}, {80, 6.5}, {70, 7.5}, {60, 9.5}, {50, 12.5}, {30, 16}, {0, 20},
};

static double es_grade(double ease)
{
	size_t n = sizeof es_grades / sizeof es_grades[0], i = 1;
	while (i < n - 1 && ease < es_grades[i].ease)
		i++;
	double t = (ease - es_grades[i - 1].ease) / (es_grades[i].ease - es_grades[i - 1].ease);
	double g = es_grades[i - 1].grade + t * (es_grades[i].grade - es_grades[i - 1].grade);
	return g < 0 ? 0 : g;
}

static bool is_spanish(const char *lang)
{
	return lang && (lang[0] | 0x20) == 'e' && (lang[1] | 0x20) == 's' &&
	       (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

struct readability readability_score(const char *md, size_t len, const char *lang)
{
	struct readability r = {0};
	struct counter k = {.es = is_spanish(lang)};
	struct buf blocks = BUF_INIT, text = BUF_INIT;
	if (!md || len == 0)
		return r;
	strip_blocks((struct str){md, len}, &blocks);
	strip_inline(buf_str(&blocks), &text);
	count_text(&k, buf_str(&text));
	buf_free(&blocks);
	buf_free(&text);
	if (k.words == 0)
		return r;
	r.words = k.words;
	r.sentences = k.sentences;
	assert(r.sentences >= 1); /* the last word's sentence is closed at the end of the text */
	r.syllables = k.syllables;
	double wps = (double)r.words / (double)r.sentences;
	double spw = (double)r.syllables / (double)r.words;
	if (k.es) {
		r.ease = 206.84 - 60.0 * spw - 1.02 * wps;
		r.grade = es_grade(r.ease);
	} else {
		r.ease = 206.835 - 1.015 * wps - 84.6 * spw;
		r.grade = 0.39 * wps + 11.8 * spw - 15.59;
		if (r.grade < 0)
			r.grade = 0;
	}
	return r;
}
