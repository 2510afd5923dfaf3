/* Private to the template module (template.c, tmpl_html.c, tmpl_render.c); nothing else includes
 * it. The compiled form of a template that the compiler writes and the renderer reads. */
#ifndef VRC_TEMPLATE_INT_H
#define VRC_TEMPLATE_INT_H
#include <stdbool.h>
#include <stddef.h>

#include "view/template.h"

/* Safe HTML is an object whose only member is SAFE_KEY → the HTML string. The key begins with byte
 * 0xFF, which is never valid UTF-8: json_loads rejects it, a \u escape cannot produce it and
 * json_object_set refuses it, so data read from JSON files cannot forge a safe-HTML value. */
#define SAFE_KEY "\xffvrc-safe-html"
/* Safe JSON (tmpl_safe_json) is built the same way: serialised JSON with "<", ">", "&", U+2028 and
 * U+2029 written as \u escapes, so it can stand inside <script> without ending it. */
#define SAFE_JSON_KEY "\xffvrc-safe-json"

/* How a value is escaped where it stands. */
enum tmpl_ctx {
	C_TEXT,      /* HTML text: escaped, safe HTML raw */
	C_RCDATA,    /* <title>, <textarea>: escaped, safe HTML too */
	C_ATTR,      /* quoted attribute value */
	C_URL_START, /* start of a quoted URL value: scheme checked, then escaped */
	C_URL_REST,  /* later in a quoted URL value: percent-encoded */
	C_SCRIPT,    /* <script> content: only tmpl_safe_json values, anything else prints null */
};

enum tmpl_node_kind { N_TEXT, N_VALUE, N_SECTION, N_INVERTED, N_PARTIAL };

struct tmpl_node {
	unsigned char kind; /* enum tmpl_node_kind */
	unsigned char ctx;  /* enum tmpl_ctx of a value */
	unsigned nseg;      /* segments of a dotted name; 0 for "." */
	unsigned line;
	unsigned end;    /* sections: index of the first node after the block */
	int target;      /* partials: index in the set once linked, else -1 */
	size_t off, len; /* bytes in pool: text, name segments (each NUL-ended) or partial name */
};

struct tmpl {
	char *name;
	char *pool; /* text and names, owned */
	struct tmpl_node *nodes;
	size_t n;
};

struct tmpl_set {
	struct tmpl **t;
	size_t n, cap;
};

/* ASCII classes as HTML reads them; unlike <ctype.h>, they do not depend on the locale. */
static inline int tmpl_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline bool tmpl_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool tmpl_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The template called name in set, or NULL; sets *index (when not NULL) to its place in set->t.
 * Defined in template.c; the set keeps ownership. */
const struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name, size_t *index);

#endif
