/* Markdown to prose in two passes: block syntax becomes lines of prose with explicit breaks, then
 * inline syntax is dropped. Indented code blocks are not recognised: they would swallow nested
 * list items. */
#include "text/prose.h"

#include <stdbool.h>
#include <string.h>

#include "text/uchar.h"

/* How far an inline construct (link, code span, tag) is looked for before its opening mark is
 * taken as text: keeps pathological input linear. */
#define SCAN_MAX 2048

/* ---- Block pass: Markdown lines to prose lines, with PROSE_BREAK between blocks */

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
			buf_putc(b->out, PROSE_BREAK);
		}
		return true;
	}
	if (run < 3)
		return false;
	b->fence = t.p[0];
	b->fence_len = run;
	buf_putc(b->out, PROSE_BREAK);
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

/* Copy prose, turning control bytes (and so any PROSE_BREAK in the input) into spaces. */
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
		buf_putc(b->out, PROSE_BREAK);
		return;
	}
	bool heading = strip_heading(&t);
	if (heading || strip_list_marker(&t))
		buf_putc(b->out, PROSE_BREAK);
	emit(b->out, t);
	buf_putc(b->out, heading ? PROSE_BREAK : '\n');
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
	for (size_t j = i, end = scan_end(s, i); j < end && s.p[j] != PROSE_BREAK; j++) {
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
	for (size_t j = i + n, end = scan_end(s, i); j < end && s.p[j] != PROSE_BREAK;) {
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
	for (size_t j = i + 1, end = scan_end(s, i); j < end && s.p[j] != PROSE_BREAK && s.p[j] != '<'; j++)
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
	for (k = j; k < s.len && k - j < 32 && uchar_at(s, k) < 0x80 && uchar_is_alnum(uchar_at(s, k)); k++)
		;
	return k > j && k < s.len && s.p[k] == ';' ? k + 1 : i;
}

/* A bare URL, up to white space; punctuation at its end stays (it may end the sentence). */
static size_t skip_url(struct str s, size_t i)
{
	static const char *const schemes[] = {"http://", "https://", "www.", "mailto:"};
	if (i > 0 && uchar_is_alnum(uchar_at(s, i - 1)))
		return i;
	for (size_t k = 0; k < sizeof schemes / sizeof schemes[0]; k++) {
		size_t n = strlen(schemes[k]);
		if (n > s.len - i || !str_ieq((struct str){s.p + i, n}, (struct str){schemes[k], n}))
			continue;
		size_t e = i + n;
		while (e < s.len && !uchar_is_space(uchar_decode(s, e).c) && s.p[e] != '<')
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
		} else if (s.p[i] == '\\' && i + 1 < s.len && s.p[i + 1] != PROSE_BREAK) {
			buf_putc(out, s.p[i + 1]); /* an escaped mark is literal */
			i += 2;
		} else {
			buf_putc(out, s.p[i++]);
		}
	}
}

void prose_from_markdown(struct str md, struct buf *out)
{
	struct buf blocks = BUF_INIT;
	strip_blocks(md, &blocks);
	strip_inline(buf_str(&blocks), out);
	buf_free(&blocks);
}
