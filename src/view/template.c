/* Mustache-style templates over jansson values. A template is compiled once into a node array; while
 * compiling, a small HTML tokenizer (tmpl_html.c) decides how each tag's value must be escaped where
 * it stands, so rendering (tmpl_render.c) only looks values up and escapes them: no parsing, no
 * allocation but the output's. This file holds the compiler and the set of templates. */
#include "view/template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "view/template_int.h"
#include "view/tmpl_html.h"

/* Syntax: {{name}}, {{a.b}}, {{.}}; {{#s}}..{{/s}} (arrays once per element, anything else truthy
 * once, pushed as the context), {{^s}}..{{/s}}; {{> partial}}; {{! comment}}. No {{{ }}}, {{& }} or
 * delimiter changes: raw output exists only for tmpl_safe_html values in HTML text.
 * Where a tag stands decides its escaping: HTML text and <title>/<textarea>: entity-escaped; quoted
 * attribute value: entity-escaped; start of a quoted URL attribute (href, src, action...): the
 * scheme is checked (tmpl_url_safe, else about:invalid#blocked), then escaped; later in a URL
 * value: percent-encoded. Inside <script>: only a tmpl_safe_json value prints (as it is: it was
 * escaped when made), any other value prints null. Anywhere else (tag names, unquoted values, style,
 * comments, srcset, style and on* attributes) a tag is a compile error. */

enum {
	MAX_SECTION_DEPTH = 64, /* sections nested in one template */
};

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
	struct tmpl_html html;
	const char *name;
	size_t name_len;
	unsigned line;
};

struct compiler {
	const char *tname;
	const char *src;
	size_t len, pos;
	unsigned line;
	struct tmpl_html html;
	struct buf pool;
	struct tmpl_node *nodes;
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

static struct tmpl_node *node_add(struct compiler *c, enum tmpl_node_kind kind, unsigned line)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->nodes = xrealloc(c->nodes, c->cap * sizeof *c->nodes);
	}
	struct tmpl_node *n = &c->nodes[c->n++];
	*n = (struct tmpl_node){.kind = (unsigned char)kind, .line = line, .target = -1};
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
		tmpl_html_feed(&c->html, (unsigned char)c->src[i]);
	struct tmpl_node *last = c->n ? &c->nodes[c->n - 1] : NULL;
	if (!last || last->kind != N_TEXT || c->n - 1 < c->sealed || last->off + last->len != c->pool.len)
		last = node_add(c, N_TEXT, 0);
	buf_append(&c->pool, c->src + from, to - from);
	last->len += to - from;
}

static bool name_char(int c, bool partial)
{
	return tmpl_is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
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
	while (p < close && tmpl_is_space(*p))
		p++;
	while (close > p && tmpl_is_space(close[-1]))
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
static void path_add(struct compiler *c, struct tmpl_node *n, const struct tag *t)
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
	enum tmpl_ctx ctx;
	const char *why = tmpl_html_context(&c->html, &ctx);
	if (why)
		return fail(c, t->line, "'{{%.*s}}' %s", (int)t->name_len, t->name, why);
	struct tmpl_node *n = node_add(c, N_VALUE, t->line);
	n->ctx = (unsigned char)ctx;
	path_add(c, n, t);
	c->html.url_start = false;
	return 0;
}

static int tag_open(struct compiler *c, const struct tag *t)
{
	enum tmpl_ctx ctx;
	const char *why = tmpl_html_context(&c->html, &ctx);
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
	if (!tmpl_html_same(&o->html, &c->html))
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
	struct tmpl_node *n = node_add(c, N_PARTIAL, t->line);
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
	const char *why = tmpl_html_unfinished(&c->html);
	if (why)
		return fail(c, c->line, "template ends %s", why);
	return 0;
}

/* ---- The set */

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->pool);
	free(t->nodes);
	free(t);
}

const struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name, size_t *index)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->t[i]->name, name) == 0) {
			if (index)
				*index = i;
			return set->t[i];
		}
	return NULL;
}

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
	if (tmpl_find(set, t->name, &i)) {
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
		struct tmpl_node *n = &t->nodes[i];
		size_t index;
		if (n->kind != N_PARTIAL)
			continue;
		if (!tmpl_find(set, t->pool + n->off, &index)) {
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
	return tmpl_find(set, name, NULL) != NULL;
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

/* JSON text as it may stand inside <script>: the characters that could end the element or start
 * markup ("<", ">", "&") and the line separators some JavaScript parsers refuse (U+2028, U+2029) are
 * written as \u escapes. JSON has them only inside strings, where an escape means the same. */
static const char *const script_esc[256] = {['<'] = "\\u003c", ['>'] = "\\u003e", ['&'] = "\\u0026"};

static void json_script_escape(struct buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (script_esc[c]) {
			buf_puts(out, script_esc[c]);
		} else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			buf_puts(out, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else {
			buf_putc(out, (char)c);
		}
	}
}

/* A string as jansson's dump writes it (the escapes below; other bytes as they are), then escaped
 * for <script>. 1 for text jansson would refuse or write otherwise (not UTF-8, a NUL). */
static int script_string(struct buf *out, const char *s, size_t len)
{
	static const char *const json_esc[32] = {
	    ['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t"};
	if (!utf8_valid(s, len))
		return 1;
	buf_putc(out, '"');
	size_t run = 0; /* bytes written as they are, not yet copied */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && !script_esc[c] && c != 0xe2) {
			run++;
			continue;
		}
		buf_append(out, s + i - run, run), run = 0;
		if (c == '"' || c == '\\') {
			buf_putc(out, '\\'), buf_putc(out, (char)c);
		} else if (c < 0x20) {
			if (json_esc[c])
				buf_puts(out, json_esc[c]);
			else
				buf_printf(out, "\\u%04X", c);
		} else {
			/* "<", ">", "&", or a whole three-byte character (the text is valid UTF-8) */
			json_script_escape(out, s + i, c == 0xe2 ? 3 : 1);
			i += c == 0xe2 ? 2 : 0;
		}
	}
	buf_append(out, s + len - run, run);
	buf_putc(out, '"');
	return 0;
}

/* v as json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) writes it, escaped for <script> as
 * json_script_escape does, without jansson's per-container loop check (a tenth of a resource page's
 * render went to dumping its JSON-LD). 1 when v holds what this leaves to jansson: a real, text
 * that is not UTF-8, nesting deeper than 64 (out is then to be thrown away). */
static int script_json(struct buf *out, json_t *v, int depth)
{
	const char *key;
	json_t *x;
	size_t i, klen;
	if (depth > 64)
		return 1;
	if (json_is_object(v)) {
		buf_putc(out, '{');
		bool first = true;
		json_object_keylen_foreach(v, key, klen, x)
		{
			if (!first)
				buf_putc(out, ',');
			first = false;
			if (script_string(out, key, klen))
				return 1;
			buf_putc(out, ':');
			if (script_json(out, x, depth + 1))
				return 1;
		}
		buf_putc(out, '}');
	} else if (json_is_array(v)) {
		buf_putc(out, '[');
		json_array_foreach (v, i, x) {
			if (i)
				buf_putc(out, ',');
			if (script_json(out, x, depth + 1))
				return 1;
		}
		buf_putc(out, ']');
	} else if (json_is_string(v)) {
		return script_string(out, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_true(v) || json_is_false(v) || json_is_null(v)) {
		buf_puts(out, json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
	} else {
		return 1; /* a real: jansson's own formatting */
	}
	return 0;
}

static int dump_to(const char *p, size_t n, void *b)
{
	buf_append(b, p, n);
	return 0;
}

json_t *tmpl_safe_json(json_t *value)
{
	struct buf b = BUF_INIT;
	if (!value)
		return NULL;
	if (script_json(&b, value, 0) != 0) {
		/* jansson's own dump (into a buf, not json_dumps: its string would be jansson's to free, see
		 * jsonarena.h), then escaped */
		struct buf text = BUF_INIT;
		b.len = 0;
		int rc = json_dump_callback(value, dump_to, &text, JSON_COMPACT | JSON_ENCODE_ANY);
		if (rc == 0)
			json_script_escape(&b, text.p ? text.p : "", text.len);
		buf_free(&text);
		if (rc < 0) {
			buf_free(&b);
			return NULL;
		}
	}
	json_t *obj = json_object(), *s = json_stringn_nocheck(b.p ? b.p : "", b.len);
	buf_free(&b);
	if (!obj || !s || json_object_set_new_nocheck(obj, SAFE_JSON_KEY, s) < 0) {
		fprintf(stderr, "vrc: out of memory (safe json)\n");
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
			scheme[n - 1] = (char)tmpl_lower((unsigned char)url[i]);
	if (i == len || url[i] != ':')
		return true;
	for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
		if (n == strlen(ok[k]) && memcmp(scheme, ok[k], n) == 0)
			return true;
	return false;
}
