/* Markdown through cmark-gfm (CommonMark plus GitHub's tables, which worksheets need), made safe on
 * the tree before rendering: raw HTML nodes are removed, and links and images whose URL fails
 * tmpl_url_safe are replaced by their text. */
#include "view/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "view/template.h"

/* cmark-gfm is safe by default (no CMARK_OPT_UNSAFE): it would already print raw HTML as a comment
 * and blank javascript:, vbscript:, file: and most data: URLs. We go further in md_clean. No
 * CMARK_OPT_SMART: quotes stay as written. Invalid UTF-8 becomes U+FFFD. */
#define MD_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

static bool md_unsafe(cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE: return true;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: {
		const char *url = cmark_node_get_url(node);
		return url && !tmpl_url_safe(url, strlen(url));
	}
	default: return false;
	}
}

/* Put node's children where it stands, then free it. */
static void md_drop(cmark_node *node)
{
	cmark_node *child;
	while ((child = cmark_node_first_child(node)))
		cmark_node_insert_before(node, child);
	cmark_node_free(node);
}

/* The tree must not change under the iterator: collect first, drop after. */
static void md_clean(cmark_node *doc)
{
	struct buf list = BUF_INIT;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && md_unsafe(node))
			buf_append(&list, &node, sizeof node);
	}
	cmark_iter_free(it);
	for (size_t off = 0; off < list.len; off += sizeof(cmark_node *)) {
		cmark_node *node;
		memcpy(&node, list.p + off, sizeof node);
		md_drop(node);
	}
	buf_free(&list);
}

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Parse md with the table extension; the caller frees the parser (which owns the extension list)
 * and the document. */
static cmark_node *md_parse(const char *md, size_t len, cmark_parser **parser)
{
	pthread_once(&registered, register_extensions);
	*parser = cmark_parser_new(MD_OPTIONS);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	if (!*parser || !table)
		abort(); /* only when out of memory or the library is broken */
	cmark_parser_attach_syntax_extension(*parser, table);
	cmark_parser_feed(*parser, md ? md : "", md ? len : 0);
	cmark_node *doc = cmark_parser_finish(*parser);
	if (!doc)
		abort();
	return doc;
}

void md_render(const char *md, size_t len, struct buf *out)
{
	cmark_parser *parser;
	cmark_node *doc = md_parse(md, len, &parser);
	md_clean(doc);
	char *html = cmark_render_html(doc, MD_OPTIONS, cmark_parser_get_syntax_extensions(parser));
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}

void md_links(const char *md, size_t len, void (*fn)(const char *url, void *arg), void *arg)
{
	cmark_parser *parser;
	cmark_node *doc = md_parse(md, len, &parser);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			const char *url = cmark_node_get_url(n);
			fn(url ? url : "", arg);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}

/* The first problem of one node, or NULL. */
static const char *md_node_problem(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE: return "html";
	case CMARK_NODE_IMAGE: return "image";
	case CMARK_NODE_LINK: return md_unsafe(n) ? "link" : NULL;
	case CMARK_NODE_TEXT: {
		const char *t = cmark_node_get_literal(n);
		return t && strstr(t, "](") ? "unclosed" : NULL;
	}
	default: return NULL;
	}
}

const char *md_problem(const char *md, size_t len)
{
	cmark_parser *parser;
	cmark_node *doc = md_parse(md, len, &parser);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	const char *why = NULL;
	while (!why && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			why = md_node_problem(cmark_iter_get_node(it));
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return why;
}
