/* Rendering compiled templates: look values up in the context stack, escape each for the place the
 * compiler found it in, walk sections and partials. Read-only over the set, so thread-safe. */
#include "view/template.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "view/template_int.h"

enum {
	MAX_PARTIAL_DEPTH = 32, /* deeper partials (recursion) render nothing */
};

/* ---- Looking values up */

/* The context stack: sections push the value they enter. */
struct frame {
	json_t *v;
	const struct frame *up;
};

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	int depth; /* partials entered */
};

/* The HTML of a tmpl_safe_html value, or NULL for any other value. */
static const char *safe_html(json_t *v, size_t *len)
{
	json_t *s;
	if (!json_is_object(v) || json_object_size(v) != 1 || !(s = json_object_get(v, SAFE_KEY)) ||
	    !json_is_string(s))
		return NULL;
	*len = json_string_length(s);
	return json_string_value(s);
}

/* The escaped JSON text of a tmpl_safe_json value, or NULL for any other value. */
static const char *safe_json(json_t *v, size_t *len)
{
	json_t *s;
	if (!json_is_object(v) || json_object_size(v) != 1 || !(s = json_object_get(v, SAFE_JSON_KEY)) ||
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

/* ---- Escaping: one function for each enum tmpl_ctx */

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
	return tmpl_is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
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

/* ---- Walking the nodes */

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

static void render_value(const struct render *r, const struct tmpl_node *n, json_t *v)
{
	char num[32];
	struct str s = {NULL, 0};
	if (n->ctx == C_SCRIPT) {
		/* Typed: nothing but safe JSON may stand in a script; anything else is JSON null. */
		s.p = safe_json(v, &s.len);
		buf_putstr(r->out, s.p ? s : str_c("null"));
		return;
	}
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
	const struct tmpl_node *n = &t->nodes[i];
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

static void render_partial(const struct render *r, const struct tmpl *t, const struct tmpl_node *n,
                           const struct frame *f)
{
	const struct tmpl *p = n->target >= 0 && (size_t)n->target < r->set->n
	                           ? r->set->t[n->target]
	                           : tmpl_find(r->set, t->pool + n->off, NULL);
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
		const struct tmpl_node *n = &t->nodes[i];
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

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out)
{
	const struct tmpl *t = tmpl_find(set, name, NULL);
	if (!t)
		return -1;
	struct render r = {set, out, 0};
	struct frame root = {data, NULL};
	buf_reserve(out, 0);
	render_range(&r, t, 0, t->n, &root);
	return 0;
}
