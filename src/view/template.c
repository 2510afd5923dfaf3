/* Mustache-style templates over jansson values. A template is compiled once into a node array; while
 * compiling, a small HTML tokenizer decides how each tag's value must be escaped where it stands, so
 * rendering only looks values up and escapes them: no parsing, no allocation but the output's. */
#include "view/template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Syntax: {{name}}, {{a.b}}, {{.}}; {{#s}}..{{/s}} (arrays once per element, anything else truthy
 * once, pushed as the context), {{^s}}..{{/s}}; {{> partial}}; {{! comment}}. No {{{ }}}, {{& }} or
 * delimiter changes: raw output exists only for tmpl_safe_html values in HTML text.
 * Where a tag stands decides its escaping: HTML text and <title>/<textarea>: entity-escaped; quoted
 * attribute value: entity-escaped; start of a quoted URL attribute (href, src, action...): the
 * scheme is checked (tmpl_url_safe, else about:invalid#blocked), then escaped; later in a URL
 * value: percent-encoded. Anywhere else (tag names, unquoted values, script, style, comments,
 * srcset, style and on* attributes) a tag is a compile error. */

/* Safe HTML is an object whose only member is SAFE_KEY → the HTML string. The key begins with byte
 * 0xFF, which is never valid UTF-8: json_loads rejects it, a \u escape cannot produce it and
 * json_object_set refuses it, so data read from JSON files cannot forge a safe-HTML value. */
#define SAFE_KEY "\xffvrc-safe-html"

enum {
	MAX_PARTIAL_DEPTH = 32, /* deeper partials (recursion) render nothing */
	MAX_SECTION_DEPTH = 64, /* sections nested in one template */
};

/* ---- The HTML tokenizer: a subset of the WHATWG tokenizer, enough to know where a tag stands. */

enum hstate {
	H_TEXT,
	H_LT,       /* after '<' */
	H_LT_SLASH, /* after "</" */
	H_TAG_NAME,
	H_BEFORE_ATTR,
	H_ATTR_NAME,
	H_AFTER_ATTR_NAME,
	H_BEFORE_VALUE, /* after '=' */
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UQ,
	H_AFTER_VALUE,
	H_DECL,      /* after "<!" */
	H_DECL_DASH, /* after "<!-" */
	H_BOGUS,     /* <!doctype ...>, <?...>: up to '>' */
	H_COMMENT_START,
	H_COMMENT_START_DASH,
	H_COMMENT,
	H_COMMENT_END_DASH,
	H_COMMENT_END,
	H_COMMENT_END_BANG,
	H_RAW,     /* content of <script>, <style>, <title>, <textarea>... */
	H_RAW_LT,  /* '<' in raw content */
	H_RAW_END, /* "</" in raw content, matching the element's name */
	H_PLAINTEXT,
	H_SCRIPT_BANG, /* "<!" in a script: browsers may read on past "</script>"; not followed */
};

/* How an element's content is read. */
enum elem { E_NORMAL, E_RAWTEXT, E_RCDATA, E_PLAINTEXT };

/* What an attribute's value means; values may only go in A_PLAIN and A_URL. */
enum attr { A_PLAIN, A_URL, A_SRCSET, A_SCRIPT, A_STYLE, A_HTML };

struct html {
	enum hstate st;
	bool end_tag;       /* the tag being read is an end tag */
	bool url_start;     /* in a URL value that holds only white space so far */
	bool rc_markup;     /* '<' + letter in <title> or <textarea>: in <svg> that is a tag */
	unsigned char attr; /* enum attr of the value being read */
	unsigned char raw;  /* enum elem of the content being read (H_RAW*) */
	unsigned char name_len, aname_len, match;
	char name[16];  /* tag name, lower case; name_len == sizeof name when longer */
	char aname[16]; /* attribute name, likewise */
};

static const struct {
	const char *name;
	enum elem kind;
} elems[] = {
    {"script", E_RAWTEXT}, {"style", E_RAWTEXT},   {"xmp", E_RAWTEXT},
    {"iframe", E_RAWTEXT}, {"noembed", E_RAWTEXT}, {"noframes", E_RAWTEXT},
    {"title", E_RCDATA},   {"textarea", E_RCDATA}, {"plaintext", E_PLAINTEXT},
};

static const struct {
	const char *name;
	enum attr kind;
} attrs[] = {
    {"href", A_URL},     {"src", A_URL},      {"action", A_URL},    {"formaction", A_URL},
    {"poster", A_URL},   {"cite", A_URL},     {"data", A_URL},      {"background", A_URL},
    {"longdesc", A_URL}, {"manifest", A_URL}, {"ping", A_URL},      {"xlink:href", A_URL},
    {"codebase", A_URL}, {"usemap", A_URL},   {"srcset", A_SRCSET}, {"imagesrcset", A_SRCSET},
    {"style", A_STYLE},  {"srcdoc", A_HTML},
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Append c to a bounded name; a name too long to keep is marked by len == cap (never special). */
static void name_add(char *name, unsigned char *len, size_t cap, int c)
{
	if (*len < cap - 1)
		name[(*len)++] = (char)lower(c);
	else
		*len = (unsigned char)cap;
}

static bool name_is(const char *name, unsigned char len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

static enum elem elem_kind(const struct html *h)
{
	for (size_t i = 0; i < sizeof elems / sizeof elems[0]; i++)
		if (name_is(h->name, h->name_len, elems[i].name))
			return elems[i].kind;
	return E_NORMAL;
}

static enum attr attr_kind(const struct html *h)
{
	if (h->aname_len >= 2 && h->aname[0] == 'o' && h->aname[1] == 'n')
		return A_SCRIPT;
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (name_is(h->aname, h->aname_len, attrs[i].name))
			return attrs[i].kind;
	return A_PLAIN;
}

static void html_feed(struct html *h, int c);

static void tag_begin(struct html *h, int c, bool end)
{
	memset(h->name, 0, sizeof h->name);
	h->name_len = 0;
	h->end_tag = end;
	name_add(h->name, &h->name_len, sizeof h->name, c);
	h->st = H_TAG_NAME;
}

/* '>' ends a tag: the content of a raw-text element is read apart. */
static void tag_end(struct html *h)
{
	enum elem kind = h->end_tag ? E_NORMAL : elem_kind(h);
	h->raw = (unsigned char)kind;
	h->rc_markup = false;
	if (kind == E_RAWTEXT || kind == E_RCDATA)
		h->st = H_RAW;
	else
		h->st = kind == E_PLAINTEXT ? H_PLAINTEXT : H_TEXT;
}

static void attr_begin(struct html *h, int c)
{
	memset(h->aname, 0, sizeof h->aname);
	h->aname_len = 0;
	name_add(h->aname, &h->aname_len, sizeof h->aname, c);
	h->st = H_ATTR_NAME;
}

static void value_begin(struct html *h, enum hstate st)
{
	h->attr = (unsigned char)attr_kind(h);
	h->url_start = true;
	h->st = st;
}

static void feed_text(struct html *h, int c)
{
	switch (h->st) {
	case H_TEXT:
		if (c == '<')
			h->st = H_LT;
		break;
	case H_LT:
		if (is_alpha(c))
			tag_begin(h, c, false);
		else if (c == '/')
			h->st = H_LT_SLASH;
		else if (c == '!')
			h->st = H_DECL;
		else if (c == '?')
			h->st = H_BOGUS;
		else {
			h->st = H_TEXT;
			html_feed(h, c);
		}
		break;
	default: /* H_LT_SLASH */
		if (is_alpha(c))
			tag_begin(h, c, true);
		else
			h->st = c == '>' ? H_TEXT : H_BOGUS;
		break;
	}
}

static void feed_tag(struct html *h, int c)
{
	if (c == '>') {
		tag_end(h);
		return;
	}
	switch (h->st) {
	case H_TAG_NAME:
		if (is_space(c) || c == '/')
			h->st = H_BEFORE_ATTR;
		else
			name_add(h->name, &h->name_len, sizeof h->name, c);
		break;
	case H_BEFORE_ATTR:
		if (!is_space(c) && c != '/')
			attr_begin(h, c);
		break;
	case H_ATTR_NAME:
		if (is_space(c))
			h->st = H_AFTER_ATTR_NAME;
		else if (c == '/' || c == '=')
			h->st = c == '/' ? H_BEFORE_ATTR : H_BEFORE_VALUE;
		else
			name_add(h->aname, &h->aname_len, sizeof h->aname, c);
		break;
	case H_AFTER_ATTR_NAME:
		if (c == '/' || c == '=')
			h->st = c == '/' ? H_BEFORE_ATTR : H_BEFORE_VALUE;
		else if (!is_space(c))
			attr_begin(h, c);
		break;
	default: /* H_AFTER_VALUE */
		h->st = H_BEFORE_ATTR;
		if (!is_space(c) && c != '/')
			attr_begin(h, c);
		break;
	}
}

static void feed_value(struct html *h, int c)
{
	switch (h->st) {
	case H_BEFORE_VALUE:
		if (c == '"' || c == '\'')
			value_begin(h, c == '"' ? H_VALUE_DQ : H_VALUE_SQ);
		else if (c == '>')
			tag_end(h);
		else if (!is_space(c))
			value_begin(h, H_VALUE_UQ);
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
			h->st = H_AFTER_VALUE;
		else if (!is_space(c))
			h->url_start = false;
		break;
	default: /* H_VALUE_UQ */
		if (is_space(c))
			h->st = H_BEFORE_ATTR;
		else if (c == '>')
			tag_end(h);
		break;
	}
}

/* <!-- comments -->, with the spec's abrupt endings (<!-->, --!>), and <!...> bogus comments. */
static void feed_comment(struct html *h, int c)
{
	static const enum hstate on_dash[] = {
	    [H_DECL] = H_DECL_DASH,
	    [H_DECL_DASH] = H_COMMENT_START,
	    [H_COMMENT_START] = H_COMMENT_START_DASH,
	    [H_COMMENT_START_DASH] = H_COMMENT_END,
	    [H_COMMENT] = H_COMMENT_END_DASH,
	    [H_COMMENT_END_DASH] = H_COMMENT_END,
	    [H_COMMENT_END] = H_COMMENT_END,
	    [H_COMMENT_END_BANG] = H_COMMENT_END_DASH,
	};
	bool closes = h->st == H_COMMENT_START || h->st == H_COMMENT_START_DASH || h->st == H_COMMENT_END ||
	              h->st == H_COMMENT_END_BANG || h->st == H_BOGUS;
	if (h->st == H_BOGUS && c != '>')
		return;
	if (c == '-')
		h->st = on_dash[h->st];
	else if (c == '>' && closes)
		h->st = H_TEXT;
	else if (c == '!' && h->st == H_COMMENT_END)
		h->st = H_COMMENT_END_BANG;
	else if (h->st == H_DECL || h->st == H_DECL_DASH)
		h->st = c == '>' ? H_TEXT : H_BOGUS;
	else
		h->st = H_COMMENT;
}

/* Raw content ends only at "</name" followed by white space, '/' or '>'. */
static void feed_raw(struct html *h, int c)
{
	switch (h->st) {
	case H_RAW:
		if (c == '<')
			h->st = H_RAW_LT;
		break;
	case H_RAW_LT:
		h->st = H_RAW;
		if (c == '/') {
			h->st = H_RAW_END;
			h->match = 0;
		} else if (c == '!' && name_is(h->name, h->name_len, "script")) {
			h->st = H_SCRIPT_BANG;
		} else {
			h->rc_markup |= is_alpha(c);
			html_feed(h, c);
		}
		break;
	default: /* H_RAW_END */
		if (h->match < h->name_len && lower(c) == h->name[h->match]) {
			h->match++;
		} else if (h->match == h->name_len && (is_space(c) || c == '/' || c == '>')) {
			h->end_tag = true;
			h->st = H_TAG_NAME;
			html_feed(h, c);
		} else {
			h->st = H_RAW;
			html_feed(h, c);
		}
		break;
	}
}

static void feed_none(struct html *h, int c)
{
	(void)h;
	(void)c;
}

static void (*const feeders[])(struct html *, int) = {
    [H_TEXT] = feed_text,
    [H_LT] = feed_text,
    [H_LT_SLASH] = feed_text,
    [H_TAG_NAME] = feed_tag,
    [H_BEFORE_ATTR] = feed_tag,
    [H_ATTR_NAME] = feed_tag,
    [H_AFTER_ATTR_NAME] = feed_tag,
    [H_BEFORE_VALUE] = feed_value,
    [H_VALUE_DQ] = feed_value,
    [H_VALUE_SQ] = feed_value,
    [H_VALUE_UQ] = feed_value,
    [H_AFTER_VALUE] = feed_tag,
    [H_DECL] = feed_comment,
    [H_DECL_DASH] = feed_comment,
    [H_BOGUS] = feed_comment,
    [H_COMMENT_START] = feed_comment,
    [H_COMMENT_START_DASH] = feed_comment,
    [H_COMMENT] = feed_comment,
    [H_COMMENT_END_DASH] = feed_comment,
    [H_COMMENT_END] = feed_comment,
    [H_COMMENT_END_BANG] = feed_comment,
    [H_RAW] = feed_raw,
    [H_RAW_LT] = feed_raw,
    [H_RAW_END] = feed_raw,
    [H_PLAINTEXT] = feed_none,
    [H_SCRIPT_BANG] = feed_none,
};

static void html_feed(struct html *h, int c)
{
	feeders[h->st](h, c);
}

/* Equal states read what follows alike. Only what a state looks at is compared; url_start is merged
 * by the caller. */
static bool html_same(const struct html *a, const struct html *b)
{
	bool in_tag = a->st >= H_TAG_NAME && a->st <= H_AFTER_VALUE;
	bool in_raw = a->st >= H_RAW && a->st <= H_RAW_END;
	if (a->st != b->st || (in_tag && a->end_tag != b->end_tag))
		return false;
	if (in_raw && (a->raw != b->raw || a->rc_markup != b->rc_markup))
		return false;
	if ((a->st == H_VALUE_DQ || a->st == H_VALUE_SQ) && a->attr != b->attr)
		return false;
	return !(in_tag || in_raw) ||
	       (a->name_len == b->name_len && memcmp(a->name, b->name, sizeof a->name) == 0);
}

/* How a value is escaped where it stands. */
enum ctx {
	C_TEXT,      /* HTML text: escaped, safe HTML raw */
	C_RCDATA,    /* <title>, <textarea>: escaped, safe HTML too */
	C_ATTR,      /* quoted attribute value */
	C_URL_START, /* start of a quoted URL value: scheme checked, then escaped */
	C_URL_REST,  /* later in a quoted URL value: percent-encoded */
};

static const char *const attr_why[] = {
    [A_SRCSET] = "in a srcset attribute",
    [A_SCRIPT] = "in an event-handler attribute",
    [A_STYLE] = "in a style attribute",
    [A_HTML] = "in a srcdoc attribute",
};

#define IN_TAG     "inside an HTML tag, outside any attribute value"
#define IN_COMMENT "inside an HTML comment"
#define IN_DECL    "inside <!...> or <?...> markup"

static const char *const state_why[] = {
    [H_LT] = "right after '<'",
    [H_LT_SLASH] = "right after '</'",
    [H_TAG_NAME] = IN_TAG,
    [H_BEFORE_ATTR] = IN_TAG,
    [H_ATTR_NAME] = IN_TAG,
    [H_AFTER_ATTR_NAME] = IN_TAG,
    [H_BEFORE_VALUE] = "in an unquoted attribute value",
    [H_VALUE_UQ] = "in an unquoted attribute value",
    [H_VALUE_DQ] = "inside an attribute value",
    [H_VALUE_SQ] = "inside an attribute value",
    [H_AFTER_VALUE] = IN_TAG,
    [H_DECL] = IN_DECL,
    [H_DECL_DASH] = IN_DECL,
    [H_BOGUS] = IN_DECL,
    [H_COMMENT_START] = IN_COMMENT,
    [H_COMMENT_START_DASH] = IN_COMMENT,
    [H_COMMENT] = IN_COMMENT,
    [H_COMMENT_END_DASH] = IN_COMMENT,
    [H_COMMENT_END] = IN_COMMENT,
    [H_COMMENT_END_BANG] = IN_COMMENT,
    [H_RAW] = "inside <script>, <style> or other raw text",
    [H_RAW_LT] = "right after '<' in raw text",
    [H_RAW_END] = "inside a closing tag",
    [H_PLAINTEXT] = "inside <plaintext>",
    [H_SCRIPT_BANG] = "after '<!' inside <script>, which is not supported",
};

/* Where a tag may stand: sets *ctx, or returns why it may not. */
static const char *html_context(const struct html *h, enum ctx *ctx)
{
	if (h->st == H_RAW && h->raw == E_RCDATA && h->rc_markup)
		return "inside <title> or <textarea> after markup";
	if (h->st == H_TEXT || (h->st == H_RAW && h->raw == E_RCDATA)) {
		*ctx = h->st == H_TEXT ? C_TEXT : C_RCDATA;
		return NULL;
	}
	if (h->st != H_VALUE_DQ && h->st != H_VALUE_SQ)
		return state_why[h->st];
	if (h->attr != A_PLAIN && h->attr != A_URL)
		return attr_why[h->attr];
	*ctx = h->attr == A_PLAIN ? C_ATTR : h->url_start ? C_URL_START : C_URL_REST;
	return NULL;
}

/* ---- Compiled templates */

enum node_kind { N_TEXT, N_VALUE, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
	unsigned char kind; /* enum node_kind */
	unsigned char ctx;  /* enum ctx of a value */
	unsigned nseg;      /* segments of a dotted name; 0 for "." */
	unsigned line;
	unsigned end;    /* sections: index of the first node after the block */
	int target;      /* partials: index in the set once linked, else -1 */
	size_t off, len; /* bytes in pool: text, name segments (each NUL-ended) or partial name */
};

struct tmpl {
	char *name;
	char *pool; /* text and names, owned */
	struct node *nodes;
	size_t n;
};

struct tmpl_set {
	struct tmpl **t;
	size_t n, cap;
};

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->pool);
	free(t->nodes);
	free(t);
}

/* ---- The compiler */

struct tag {
	char sigil; /* '#', '^', '/', '>', '!' or 0 for a value */
	const char *name;
	size_t name_len;
	size_t start, end; /* "{{" and just past "}}" */
	unsigned line;
};

struct open {
	size_t node;
	struct html html;
	const char *name;
	size_t name_len;
	unsigned line;
};

struct compiler {
	const char *tname;
	const char *src;
	size_t len, pos;
	unsigned line;
	struct html html;
	struct buf pool;
	struct node *nodes;
	size_t n, cap;
	size_t sealed; /* nodes before this one are never extended (a block ended there) */
	struct open open[MAX_SECTION_DEPTH];
	size_t depth;
	char *err;
	size_t errlen;
};

static int fail(struct compiler *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct compiler *c, unsigned line, const char *fmt, ...)
{
	if (!c->err || !c->errlen)
		return -1;
	int n = snprintf(c->err, c->errlen, "%s:%u: ", c->tname, line);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static unsigned count_lines(const char *p, size_t n)
{
	unsigned lines = 0;
	for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		lines++;
	return lines;
}

/* The first "cc" in p[0, n), or NULL. */
static const char *find2(const char *p, size_t n, char c)
{
	const char *e = p + n;
	while ((p = memchr(p, c, (size_t)(e - p))) && p + 1 < e && p[1] != c)
		p++;
	return p && p + 1 < e ? p : NULL;
}

static struct node *node_add(struct compiler *c, enum node_kind kind, unsigned line)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->nodes = xrealloc(c->nodes, c->cap * sizeof *c->nodes);
	}
	struct node *n = &c->nodes[c->n++];
	*n = (struct node){.kind = (unsigned char)kind, .line = line, .target = -1};
	n->off = c->pool.len;
	return n;
}

/* Copy src[from, to) out as text, through the tokenizer; texts split only by a comment share a
 * node. */
static void emit_text(struct compiler *c, size_t from, size_t to)
{
	if (from >= to)
		return;
	for (size_t i = from; i < to; i++)
		html_feed(&c->html, (unsigned char)c->src[i]);
	struct node *last = c->n ? &c->nodes[c->n - 1] : NULL;
	if (!last || last->kind != N_TEXT || c->n - 1 < c->sealed || last->off + last->len != c->pool.len)
		last = node_add(c, N_TEXT, 0);
	buf_append(&c->pool, c->src + from, to - from);
	last->len += to - from;
}

static bool name_char(int c, bool partial)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       (partial && (c == '/' || c == '.'));
}

/* "." or dotted segments of [A-Za-z0-9_-]; partial names may also hold '/' and '.'. */
static bool name_ok(const char *p, size_t n, bool partial)
{
	if (n == 1 && p[0] == '.')
		return !partial;
	if (n == 0 || (!partial && (p[0] == '.' || p[n - 1] == '.')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char((unsigned char)p[i], partial) && (partial || p[i] != '.' || p[i + 1] == '.'))
			return false;
	return true;
}

static const char *const sigil_why[256] = {
    ['{'] = "'{{{' is not supported: raw output comes only from tmpl_safe_html values",
    ['&'] = "'{{&' is not supported: raw output comes only from tmpl_safe_html values",
    ['='] = "changing delimiters is not supported",
};

/* Read the tag whose "{{" is at src[at]. */
static int tag_read(struct compiler *c, size_t at, struct tag *t)
{
	const char *p = c->src + at + 2, *end = c->src + c->len;
	t->start = at;
	t->line = c->line + count_lines(c->src + c->pos, at - c->pos);
	if (p < end && sigil_why[(unsigned char)*p])
		return fail(c, t->line, "%s", sigil_why[(unsigned char)*p]);
	const char *close = find2(p, (size_t)(end - p), '}');
	if (!close)
		return fail(c, t->line, "'{{' without '}}'");
	t->end = (size_t)(close - c->src) + 2;
	t->sigil = p < close && memchr("#^/>!", *p, 5) ? *p++ : 0;
	while (p < close && is_space(*p))
		p++;
	while (close > p && is_space(close[-1]))
		close--;
	t->name = p;
	t->name_len = (size_t)(close - p);
	if (t->sigil != '!' && !name_ok(t->name, t->name_len, t->sigil == '>'))
		return fail(c, t->line, "bad tag name '%.*s'", (int)t->name_len, t->name);
	return 0;
}

/* A section, comment or partial tag alone on its line takes the line with it: returns where the
 * preceding text ends and sets *after past the line's end; else returns t->start. */
static size_t standalone(const struct compiler *c, const struct tag *t, size_t *after)
{
	size_t ws = t->start, i = t->end;
	*after = t->end;
	if (!t->sigil)
		return t->start;
	while (ws > c->pos && (c->src[ws - 1] == ' ' || c->src[ws - 1] == '\t'))
		ws--;
	if (ws != 0 && c->src[ws - 1] != '\n')
		return t->start;
	while (i < c->len && (c->src[i] == ' ' || c->src[i] == '\t'))
		i++;
	if (i < c->len && c->src[i] == '\r' && i + 1 < c->len && c->src[i + 1] == '\n')
		i++;
	if (i < c->len && c->src[i] != '\n')
		return t->start;
	*after = i < c->len ? i + 1 : i;
	return ws;
}

/* Store a dotted name as NUL-ended segments in the pool. */
static void path_add(struct compiler *c, struct node *n, const struct tag *t)
{
	if (t->name_len == 1 && t->name[0] == '.')
		return;
	n->nseg = 1;
	for (size_t i = 0; i < t->name_len; i++) {
		buf_putc(&c->pool, t->name[i] == '.' ? '\0' : t->name[i]);
		n->nseg += t->name[i] == '.';
	}
	buf_putc(&c->pool, '\0');
	n->len = c->pool.len - n->off;
}

static int tag_value(struct compiler *c, const struct tag *t)
{
	enum ctx ctx;
	const char *why = html_context(&c->html, &ctx);
	if (why)
		return fail(c, t->line, "'{{%.*s}}' %s", (int)t->name_len, t->name, why);
	struct node *n = node_add(c, N_VALUE, t->line);
	n->ctx = (unsigned char)ctx;
	path_add(c, n, t);
	c->html.url_start = false;
	return 0;
}

static int tag_open(struct compiler *c, const struct tag *t)
{
	enum ctx ctx;
	const char *why = html_context(&c->html, &ctx);
	if (why)
		return fail(c, t->line, "'{{%c%.*s}}' %s", t->sigil, (int)t->name_len, t->name, why);
	if (c->depth == MAX_SECTION_DEPTH)
		return fail(c, t->line, "sections nested too deep");
	c->open[c->depth++] = (struct open){c->n, c->html, t->name, t->name_len, t->line};
	path_add(c, node_add(c, t->sigil == '#' ? N_SECTION : N_INVERTED, t->line), t);
	return 0;
}

/* The block must leave the HTML as it found it, or what follows would be read two ways. */
static int tag_close(struct compiler *c, const struct tag *t)
{
	if (!c->depth)
		return fail(c, t->line, "'{{/%.*s}}' closes no section", (int)t->name_len, t->name);
	const struct open *o = &c->open[--c->depth];
	if (o->name_len != t->name_len || memcmp(o->name, t->name, t->name_len) != 0)
		return fail(c, t->line, "'{{/%.*s}}' does not close '%.*s' (line %u)", (int)t->name_len,
		            t->name, (int)o->name_len, o->name, o->line);
	if (!html_same(&o->html, &c->html))
		return fail(c, t->line, "section '%.*s' (line %u) ends in another HTML context",
		            (int)t->name_len, t->name, o->line);
	c->html.url_start |= o->html.url_start;
	c->nodes[o->node].end = (unsigned)c->n;
	c->sealed = c->n;
	return 0;
}

static int tag_partial(struct compiler *c, const struct tag *t)
{
	if (c->html.st != H_TEXT)
		return fail(c, t->line, "partial '%.*s' outside HTML text", (int)t->name_len, t->name);
	struct node *n = node_add(c, N_PARTIAL, t->line);
	buf_append(&c->pool, t->name, t->name_len);
	buf_putc(&c->pool, '\0');
	n->len = t->name_len;
	return 0;
}

static int tag_comment(struct compiler *c, const struct tag *t)
{
	(void)c;
	(void)t;
	return 0;
}

static int (*const tag_fn[256])(struct compiler *, const struct tag *) = {
    [0] = tag_value,   ['#'] = tag_open,    ['^'] = tag_open,
    ['/'] = tag_close, ['>'] = tag_partial, ['!'] = tag_comment,
};

static int compile_step(struct compiler *c, size_t at)
{
	struct tag t;
	size_t after;
	if (tag_read(c, at, &t) < 0)
		return -1;
	size_t text_end = standalone(c, &t, &after);
	bool alone = text_end != at || after != t.end;
	emit_text(c, c->pos, text_end);
	if (alone && c->html.st != H_TEXT) { /* only text lines are taken away */
		emit_text(c, text_end, at);
		after = t.end;
	}
	c->line += count_lines(c->src + c->pos, after - c->pos);
	c->pos = after;
	return tag_fn[(unsigned char)t.sigil](c, &t);
}

static int compile(struct compiler *c)
{
	const char *at;
	while ((at = find2(c->src + c->pos, c->len - c->pos, '{')))
		if (compile_step(c, (size_t)(at - c->src)) < 0)
			return -1;
	emit_text(c, c->pos, c->len);
	c->line += count_lines(c->src + c->pos, c->len - c->pos);
	if (c->depth) {
		const struct open *o = &c->open[c->depth - 1];
		return fail(c, o->line, "section '%.*s' is not closed", (int)o->name_len, o->name);
	}
	if (c->html.st != H_TEXT)
		return fail(c, c->line, "template ends %s",
		            c->html.st == H_RAW ? "inside an element's raw content" : state_why[c->html.st]);
	return 0;
}

/* ---- Rendering: read-only over the compiled set */

struct frame {
	json_t *v;
	const struct frame *up;
};

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	int depth; /* partials entered */
};

static const char *safe_html(json_t *v, size_t *len)
{
	json_t *s;
	if (!json_is_object(v) || json_object_size(v) != 1 || !(s = json_object_get(v, SAFE_KEY)) ||
	    !json_is_string(s))
		return NULL;
	*len = json_string_length(s);
	return json_string_value(s);
}

/* The first segment is looked up from the innermost context out; the rest inside what it found. */
static json_t *lookup(const struct frame *f, const char *seg, unsigned nseg)
{
	json_t *v = NULL;
	if (!nseg)
		return f->v;
	for (; f && !v; f = f->up)
		v = json_object_get(f->v, seg); /* NULL for non-objects */
	while (v && --nseg) {
		seg += strlen(seg) + 1;
		v = json_object_get(v, seg);
	}
	return v;
}

static const char *const entity[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

/* Text and quoted attribute values alike: nothing can open a tag or leave the quotes. */
static void esc_html(struct buf *out, struct str s)
{
	size_t run = 0;
	for (size_t i = 0; i < s.len; i++) {
		const char *e = entity[(unsigned char)s.p[i]];
		if (!e)
			continue;
		buf_append(out, s.p + run, i - run);
		buf_puts(out, e);
		run = i + 1;
	}
	buf_append(out, s.p + run, s.len - run);
}

static bool unreserved(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Later in a URL a value is one path segment or query value: all but RFC 3986 unreserved
 * characters are percent-encoded, '/', '%', ':', '?', '#', '&' and '=' included. */
static void esc_url_part(struct buf *out, struct str s)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_reserve(out, s.len * 3);
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		if (unreserved(ch)) {
			out->p[out->len++] = (char)ch;
			continue;
		}
		out->p[out->len++] = '%';
		out->p[out->len++] = hex[ch >> 4];
		out->p[out->len++] = hex[ch & 15];
	}
	out->p[out->len] = '\0';
}

static void esc_url_start(struct buf *out, struct str s)
{
	if (tmpl_url_safe(s.p, s.len))
		esc_html(out, s);
	else
		buf_puts(out, "about:invalid#blocked");
}

static void (*const escape[])(struct buf *, struct str) = {
    [C_TEXT] = esc_html,           [C_RCDATA] = esc_html,       [C_ATTR] = esc_html,
    [C_URL_START] = esc_url_start, [C_URL_REST] = esc_url_part,
};

/* The text of a printable value (num holds a formatted number); false for the rest. */
static bool value_text(json_t *v, char num[static 32], struct str *s)
{
	if (json_is_string(v))
		*s = (struct str){json_string_value(v), json_string_length(v)};
	else if (json_is_integer(v))
		*s = (struct str){num,
		                  (size_t)snprintf(num, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v))};
	else if (json_is_real(v))
		*s = (struct str){num, (size_t)snprintf(num, 32, "%g", json_real_value(v))};
	else
		s->p = safe_html(v, &s->len);
	return s->p != NULL;
}

static void render_value(const struct render *r, const struct node *n, json_t *v)
{
	char num[32];
	struct str s = {NULL, 0};
	if (n->ctx == C_TEXT && (s.p = safe_html(v, &s.len))) {
		buf_putstr(r->out, s);
		return;
	}
	if (value_text(v, num, &s))
		escape[n->ctx](r->out, s);
}

static bool truthy(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	default: return false;
	}
}

static void render_range(const struct render *r, const struct tmpl *t, size_t i, size_t end,
                         const struct frame *f);

static void render_section(const struct render *r, const struct tmpl *t, size_t i, const struct frame *f)
{
	const struct node *n = &t->nodes[i];
	json_t *v = lookup(f, t->pool + n->off, n->nseg);
	bool on = v && truthy(v);
	if (n->kind == N_INVERTED) {
		if (!on)
			render_range(r, t, i + 1, n->end, f);
	} else if (json_is_array(v)) {
		for (size_t k = 0; k < json_array_size(v); k++) {
			struct frame in = {json_array_get(v, k), f};
			render_range(r, t, i + 1, n->end, &in);
		}
	} else if (on) {
		struct frame in = {v, f};
		render_range(r, t, i + 1, n->end, &in);
	}
}

static const struct tmpl *find(const struct tmpl_set *set, const char *name, size_t *index)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->t[i]->name, name) == 0) {
			if (index)
				*index = i;
			return set->t[i];
		}
	return NULL;
}

static void render_partial(const struct render *r, const struct tmpl *t, const struct node *n,
                           const struct frame *f)
{
	const struct tmpl *p = n->target >= 0 && (size_t)n->target < r->set->n
	                           ? r->set->t[n->target]
	                           : find(r->set, t->pool + n->off, NULL);
	if (!p || r->depth >= MAX_PARTIAL_DEPTH)
		return;
	struct render sub = *r;
	sub.depth++;
	render_range(&sub, p, 0, p->n, f);
}

static void render_range(const struct render *r, const struct tmpl *t, size_t i, size_t end,
                         const struct frame *f)
{
	while (i < end) {
		const struct node *n = &t->nodes[i];
		switch (n->kind) {
		case N_TEXT: buf_append(r->out, t->pool + n->off, n->len); break;
		case N_VALUE: render_value(r, n, lookup(f, t->pool + n->off, n->nseg)); break;
		case N_PARTIAL: render_partial(r, t, n, f); break;
		default:
			render_section(r, t, i, f);
			i = n->end;
			continue;
		}
		i++;
	}
}

/* ---- The set */

struct tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->t[i]);
	free(set->t);
	free(set);
}

/* A new template replaces one of the same name in place, so linked indexes stay valid. */
static void set_put(struct tmpl_set *set, struct tmpl *t)
{
	size_t i;
	if (find(set, t->name, &i)) {
		tmpl_free(set->t[i]);
		set->t[i] = t;
		return;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->t = xrealloc(set->t, set->cap * sizeof *set->t);
	}
	set->t[set->n++] = t;
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	struct compiler c = {
	    .tname = name, .src = src, .len = len, .line = 1, .err = err, .errlen = errlen, .pool = BUF_INIT};
	if (err && errlen)
		err[0] = '\0';
	if (compile(&c) < 0) {
		free(c.nodes);
		buf_free(&c.pool);
		return -1;
	}
	struct tmpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->pool = buf_detach(&c.pool, NULL);
	t->nodes = c.nodes;
	t->n = c.n;
	set_put(set, t);
	return 0;
}

static int link_one(struct tmpl_set *set, struct tmpl *t, char *err, size_t errlen)
{
	for (size_t i = 0; i < t->n; i++) {
		struct node *n = &t->nodes[i];
		size_t index;
		if (n->kind != N_PARTIAL)
			continue;
		if (!find(set, t->pool + n->off, &index)) {
			if (err && errlen)
				snprintf(err, errlen, "%s:%u: unknown partial '%s'", t->name, n->line,
				         t->pool + n->off);
			return -1;
		}
		n->target = (int)index;
	}
	return 0;
}

int tmpl_link(struct tmpl_set *set, char *err, size_t errlen)
{
	for (size_t i = 0; i < set->n; i++)
		if (link_one(set, set->t[i], err, errlen) < 0)
			return -1;
	return 0;
}

bool tmpl_has(const struct tmpl_set *set, const char *name)
{
	return find(set, name, NULL) != NULL;
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out)
{
	const struct tmpl *t = find(set, name, NULL);
	if (!t)
		return -1;
	struct render r = {set, out, 0};
	struct frame root = {data, NULL};
	buf_reserve(out, 0);
	render_range(&r, t, 0, t->n, &root);
	return 0;
}

json_t *tmpl_safe_html(const char *html, size_t len)
{
	json_t *obj = json_object(), *s = json_stringn_nocheck(html ? html : "", html ? len : 0);
	if (!obj || !s || json_object_set_new_nocheck(obj, SAFE_KEY, s) < 0) {
		fprintf(stderr, "vrc: out of memory (safe html)\n");
		abort();
	}
	return obj;
}

/* Browsers strip leading C0 controls and spaces from a URL and drop tabs and newlines anywhere in
 * it, so the scheme is read the same way. No ':' before the first '/', '?' or '#' means relative. */
bool tmpl_url_safe(const char *url, size_t len)
{
	static const char *const ok[] = {"http", "https", "mailto", "tel", "sms"};
	char scheme[8];
	size_t i = 0, n = 0;
	while (i < len && (unsigned char)url[i] <= ' ')
		i++;
	for (; i < len && !memchr("/?#:", url[i], 4); i++)
		if (url[i] != '\t' && url[i] != '\n' && url[i] != '\r' && n++ < sizeof scheme)
			scheme[n - 1] = (char)lower((unsigned char)url[i]);
	if (i == len || url[i] != ':')
		return true;
	for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
		if (n == strlen(ok[k]) && memcmp(scheme, ok[k], n) == 0)
			return true;
	return false;
}
