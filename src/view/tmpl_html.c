/* The template compiler's HTML tokenizer: reads a template's text byte by byte to know whether a
 * tag stands in text, in a quoted attribute value, or somewhere no value may go. */
#include "view/tmpl_html.h"

#include <string.h>

/* How an element's content is read. */
enum elem { E_NORMAL, E_RAWTEXT, E_RCDATA, E_PLAINTEXT };

/* What an attribute's value means; values may only go in A_PLAIN and A_URL. */
enum attr { A_PLAIN, A_URL, A_SRCSET, A_SCRIPT, A_STYLE, A_HTML };

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

/* Append c to a bounded name; a name too long to keep is marked by len == cap (never special). */
static void name_add(char *name, unsigned char *len, size_t cap, int c)
{
	if (*len < cap - 1)
		name[(*len)++] = (char)tmpl_lower(c);
	else
		*len = (unsigned char)cap;
}

static bool name_is(const char *name, unsigned char len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

static enum elem elem_kind(const struct tmpl_html *h)
{
	for (size_t i = 0; i < sizeof elems / sizeof elems[0]; i++)
		if (name_is(h->name, h->name_len, elems[i].name))
			return elems[i].kind;
	return E_NORMAL;
}

static enum attr attr_kind(const struct tmpl_html *h)
{
	if (h->aname_len >= 2 && h->aname[0] == 'o' && h->aname[1] == 'n')
		return A_SCRIPT;
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (name_is(h->aname, h->aname_len, attrs[i].name))
			return attrs[i].kind;
	return A_PLAIN;
}

static void tag_begin(struct tmpl_html *h, int c, bool end)
{
	memset(h->name, 0, sizeof h->name);
	h->name_len = 0;
	h->end_tag = end;
	name_add(h->name, &h->name_len, sizeof h->name, c);
	h->st = H_TAG_NAME;
}

/* '>' ends a tag: the content of a raw-text element is read apart. */
static void tag_end(struct tmpl_html *h)
{
	enum elem kind = h->end_tag ? E_NORMAL : elem_kind(h);
	h->raw = (unsigned char)kind;
	h->rc_markup = false;
	if (kind == E_RAWTEXT || kind == E_RCDATA)
		h->st = H_RAW;
	else
		h->st = kind == E_PLAINTEXT ? H_PLAINTEXT : H_TEXT;
}

static void attr_begin(struct tmpl_html *h, int c)
{
	memset(h->aname, 0, sizeof h->aname);
	h->aname_len = 0;
	name_add(h->aname, &h->aname_len, sizeof h->aname, c);
	h->st = H_ATTR_NAME;
}

static void value_begin(struct tmpl_html *h, enum tmpl_hstate st)
{
	h->attr = (unsigned char)attr_kind(h);
	h->url_start = true;
	h->st = st;
}

static void feed_text(struct tmpl_html *h, int c)
{
	switch (h->st) {
	case H_TEXT:
		if (c == '<')
			h->st = H_LT;
		break;
	case H_LT:
		if (tmpl_is_alpha(c))
			tag_begin(h, c, false);
		else if (c == '/')
			h->st = H_LT_SLASH;
		else if (c == '!')
			h->st = H_DECL;
		else if (c == '?')
			h->st = H_BOGUS;
		else {
			h->st = H_TEXT;
			tmpl_html_feed(h, c);
		}
		break;
	default: /* H_LT_SLASH */
		if (tmpl_is_alpha(c))
			tag_begin(h, c, true);
		else
			h->st = c == '>' ? H_TEXT : H_BOGUS;
		break;
	}
}

static void feed_tag(struct tmpl_html *h, int c)
{
	if (c == '>') {
		tag_end(h);
		return;
	}
	switch (h->st) {
	case H_TAG_NAME:
		if (tmpl_is_space(c) || c == '/')
			h->st = H_BEFORE_ATTR;
		else
			name_add(h->name, &h->name_len, sizeof h->name, c);
		break;
	case H_BEFORE_ATTR:
		if (!tmpl_is_space(c) && c != '/')
			attr_begin(h, c);
		break;
	case H_ATTR_NAME:
		if (tmpl_is_space(c))
			h->st = H_AFTER_ATTR_NAME;
		else if (c == '/' || c == '=')
			h->st = c == '/' ? H_BEFORE_ATTR : H_BEFORE_VALUE;
		else
			name_add(h->aname, &h->aname_len, sizeof h->aname, c);
		break;
	case H_AFTER_ATTR_NAME:
		if (c == '/' || c == '=')
			h->st = c == '/' ? H_BEFORE_ATTR : H_BEFORE_VALUE;
		else if (!tmpl_is_space(c))
			attr_begin(h, c);
		break;
	default: /* H_AFTER_VALUE */
		h->st = H_BEFORE_ATTR;
		if (!tmpl_is_space(c) && c != '/')
			attr_begin(h, c);
		break;
	}
}

static void feed_value(struct tmpl_html *h, int c)
{
	switch (h->st) {
	case H_BEFORE_VALUE:
		if (c == '"' || c == '\'')
			value_begin(h, c == '"' ? H_VALUE_DQ : H_VALUE_SQ);
		else if (c == '>')
			tag_end(h);
		else if (!tmpl_is_space(c))
			value_begin(h, H_VALUE_UQ);
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
			h->st = H_AFTER_VALUE;
		else if (!tmpl_is_space(c))
			h->url_start = false;
		break;
	default: /* H_VALUE_UQ */
		if (tmpl_is_space(c))
			h->st = H_BEFORE_ATTR;
		else if (c == '>')
			tag_end(h);
		break;
	}
}

/* <!-- comments -->, with the spec's abrupt endings (<!-->, --!>), and <!...> bogus comments. */
static void feed_comment(struct tmpl_html *h, int c)
{
	static const enum tmpl_hstate on_dash[] = {
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
static void feed_raw(struct tmpl_html *h, int c)
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
			h->rc_markup |= tmpl_is_alpha(c);
			tmpl_html_feed(h, c);
		}
		break;
	default: /* H_RAW_END */
		if (h->match < h->name_len && tmpl_lower(c) == h->name[h->match]) {
			h->match++;
		} else if (h->match == h->name_len && (tmpl_is_space(c) || c == '/' || c == '>')) {
			h->end_tag = true;
			h->st = H_TAG_NAME;
			tmpl_html_feed(h, c);
		} else {
			h->st = H_RAW;
			tmpl_html_feed(h, c);
		}
		break;
	}
}

static void feed_none(struct tmpl_html *h, int c)
{
	(void)h;
	(void)c;
}

static void (*const feeders[])(struct tmpl_html *, int) = {
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

void tmpl_html_feed(struct tmpl_html *h, int c)
{
	feeders[h->st](h, c);
}

bool tmpl_html_same(const struct tmpl_html *a, const struct tmpl_html *b)
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

/* Why no value may stand in these attributes' values, or in these states. */
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

const char *tmpl_html_context(const struct tmpl_html *h, enum tmpl_ctx *ctx)
{
	if (h->st == H_RAW && h->raw == E_RCDATA && h->rc_markup)
		return "inside <title> or <textarea> after markup";
	if (h->st == H_RAW && h->raw == E_RAWTEXT && name_is(h->name, h->name_len, "script")) {
		*ctx = C_SCRIPT; /* typed: only safe JSON prints here (tmpl_render.c) */
		return NULL;
	}
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

const char *tmpl_html_unfinished(const struct tmpl_html *h)
{
	if (h->st == H_TEXT)
		return NULL;
	return h->st == H_RAW ? "inside an element's raw content" : state_why[h->st];
}
