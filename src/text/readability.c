/* Readability of the content library's Markdown, in English and Spanish. Two steps: prose.c takes
 * the text of paragraphs and headings from cmark-gfm's syntax tree, with a break after each block;
 * then words, sentences and syllables (syllables.c) are counted here and turned into
 * Flesch-Kincaid or Fernandez-Huerta scores.
 *
 * Rules chosen (the tests pin them down):
 * - Counted: the text of paragraphs and headings, link text included. Not counted: code (fenced,
 *   indented or inline), images with their alt text, link destinations, autolinks and bare URLs,
 *   raw HTML, GFM tables, task-list boxes, thematic breaks; markup characters vanish with the
 *   parse, entities are decoded. The input is a body: front matter would be read as Markdown.
 * - A word is a run of letters and digits; every code point >= 0x80 is a letter except
 *   punctuation, symbols and emoji (so á, ñ, ü count, “ ” ¿ — do not); an invalid UTF-8 byte is a
 *   letter. Apostrophes and hyphens inside a word, '.' between letters or digits ("e.g", "3.5",
 *   "U.S") and ',' or ':' between digits ("1,000", "10:30") do not split it.
 * - Syllables: each letter run by the language's rules (at least 1); a number is 1 ("988",
 *   "3.5", "1-800-985-5990"), as the eye takes it in at once.
 * - A sentence ends at '.', '!', '?', '…' followed by white space or the end (closing quotes and
 *   brackets may come between), at ':' that ends a line, and at the end of every paragraph and
 *   heading (a list item's text is a paragraph). So a heading or list item without final
 *   punctuation is its own sentence. ';' does not end one: like the published calculators, we
 *   count sentences by their final mark. Known abbreviations do not end a sentence (see abbrevs).
 * - English grade is Flesch-Kincaid, clamped at 0; ease is Flesch reading ease, unclamped.
 * - Spanish ease is Fernandez-Huerta as corrected by G. Law (2011): 206.84 - 60 * syllables/word
 *   - 1.02 * words/sentence. The widely copied form "- 1.02 * F, F = sentences per 100 words"
 *   is a transcription error: it rates short sentences as harder. Its grade comes from es_grades.
 */
#include "text/readability.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/str.h"
#include "text/prose.h"
#include "text/syllables.h"
#include "text/uchar.h"

/* A letter run longer than this is counted in pieces (no real word is this long). */
#define PART_MAX 48

/* ---- Character classes of sentences and words (letters, digits and spaces: uchar.h) */

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
	s = k->es ? syllables_es(p->w, p->n) : syllables_en(p->w, p->n, p->nt);
	return s < 1 ? 1 : (size_t)s;
}

/* Letters, with apostrophes inside ("don't" is one run: "dont", flagged n't). */
static size_t count_letters(struct counter *k, struct str s, size_t i)
{
	struct part p = {.n = 0};
	while (i < s.len) {
		struct uchar c = uchar_decode(s, i);
		if (uchar_is_letter(c.c)) {
			if (p.n == PART_MAX) {
				k->syllables += part_syllables(k, &p);
				p.n = 0;
			}
			p.w[p.n++] = syllables_fold(c.c, k->es);
		} else if (is_apostrophe(c.c) && uchar_is_letter(uchar_at(s, i + c.len))) {
			size_t t = i + c.len;
			p.nt = p.n && p.w[p.n - 1] == 'n' && (s.p[t] | 0x20) == 't' &&
			       !uchar_is_letter(uchar_at(s, t + 1));
		} else {
			break;
		}
		i += c.len;
	}
	k->syllables += part_syllables(k, &p);
	return i;
}

/* Marks that keep a word whole when letters or digits stand on both sides. */
static bool joins(struct str s, size_t i, struct uchar c)
{
	uint32_t next = uchar_at(s, i + c.len);
	if (is_hyphen(c.c) || is_apostrophe(c.c) || c.c == '.')
		return uchar_is_alnum(next);
	return (c.c == ',' || c.c == ':') && uchar_is_digit(uchar_at(s, i - 1)) && uchar_is_digit(next);
}

/* A number is one syllable however it is punctuated: "988", "3.5", "1-800-985-5990". */
static size_t count_word(struct counter *k, struct str s, size_t i)
{
	size_t start = i;
	bool number = false;
	while (i < s.len) {
		struct uchar c = uchar_decode(s, i);
		if (uchar_is_letter(c.c)) {
			i = count_letters(k, s, i);
			number = false;
		} else if (uchar_is_digit(c.c)) {
			while (i < s.len && uchar_is_digit(uchar_at(s, i)))
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
	while (j < s.len && s.p[j] != PROSE_BREAK) {
		struct uchar c = uchar_decode(s, j);
		if (!uchar_is_space(c.c) && !is_opener(c.c))
			return is_upper(c.c);
		j += c.len;
	}
	return true;
}

/* Does the mark at i (., !, ?, …) end a sentence? */
static bool terminal_ends(const struct counter *k, struct str s, size_t i, size_t len)
{
	size_t j = i + len;
	while (j < s.len && (is_terminal(uchar_at(s, j)) || is_closer(uchar_at(s, j))))
		j += uchar_decode(s, j).len;
	if (j < s.len && !uchar_is_space(uchar_at(s, j)))
		return false; /* "3.5", "e.g.," "fin.Luego" */
	if (s.p[i] != '.' || k->last_end != i)
		return true;
	const struct abbrev *a = abbrev_find((struct str){s.p + k->last_start, k->last_end - k->last_start});
	return !a || (!a->never_ends && capital_follows(s, j));
}

/* A ':' ends a sentence when only closing marks and blanks follow it on its line. */
static bool colon_ends(struct str s, size_t j)
{
	while (j < s.len && (s.p[j] == ' ' || s.p[j] == '\t' || is_closer(uchar_at(s, j))))
		j += uchar_decode(s, j).len;
	return j >= s.len || s.p[j] == '\n' || s.p[j] == PROSE_BREAK;
}

static void count_text(struct counter *k, struct str s)
{
	for (size_t i = 0; i < s.len;) {
		struct uchar c = uchar_decode(s, i);
		if (uchar_is_alnum(c.c)) {
			i = count_word(k, s, i);
			continue;
		}
		if (c.c == PROSE_BREAK || (c.c == ':' && colon_ends(s, i + 1)) ||
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
	struct buf text = BUF_INIT;
	if (!md || len == 0)
		return r;
	prose_from_markdown((struct str){md, len}, &text);
	count_text(&k, buf_str(&text));
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
