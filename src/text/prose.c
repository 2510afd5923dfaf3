/* Markdown to prose for the readability counts, read off cmark-gfm's syntax tree (walked as md_links
 * in view/markdown.c walks it), so what is counted is what the site's parser sees as text. The one
 * pass by hand is over each block's text: bare URLs, which Markdown leaves as text, are dropped. */
#include "text/prose.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text/uchar.h"

/* The site's options (view/markdown.c) but CMARK_OPT_VALIDATE_UTF8: without it an invalid byte
 * reaches the counts as itself and is one letter (uchar.h), however the validator would group it. */
#define PROSE_OPTIONS CMARK_OPT_DEFAULT

/* Extensions as on the site (tables, which worksheets use), plus task lists, so that the box of a
 * "- [x] item" is not read as a word. */
static const char *const extensions[] = {"table", "tasklist"};

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* cmark turns a NUL byte into U+FFFD, which would count as a letter: feed a space instead. */
static void feed(cmark_parser *parser, struct str md)
{
	for (size_t i = 0; i < md.len;) {
		const char *nul = memchr(md.p + i, '\0', md.len - i);
		size_t end = nul ? (size_t)(nul - md.p) : md.len;
		cmark_parser_feed(parser, md.p + i, end - i);
		if (nul)
			cmark_parser_feed(parser, " ", 1);
		i = end + 1;
	}
}

/* The document tree of md; the caller frees it and the parser (which owns the extension list). */
static cmark_node *parse(struct str md, cmark_parser **parser)
{
	pthread_once(&registered, register_extensions);
	*parser = cmark_parser_new(PROSE_OPTIONS);
	if (!*parser)
		abort();
	for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (!ext)
			abort(); /* the library is broken */
		cmark_parser_attach_syntax_extension(*parser, ext);
	}
	feed(*parser, md);
	cmark_node *doc = cmark_parser_finish(*parser);
	if (!doc)
		abort();
	return doc;
}

/* ---- A block's text: bare URLs dropped, control bytes made spaces */

/* A bare URL starting at i runs to white space; punctuation at its end stays (it may end the
 * sentence). Returns the index past it, or i when none starts there. */
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

/* Copy a block's text to out, then end the block. */
static void end_block(struct buf *text, struct buf *out)
{
	struct str s = buf_str(text);
	for (size_t i = 0; i < s.len;) {
		size_t e = skip_url(s, i);
		if (e > i) {
			buf_putc(out, ' ');
			i = e;
		} else {
			buf_putc(out, s.p[i++]);
		}
	}
	buf_putc(out, PROSE_BREAK);
	text->len = 0;
}

/* Text as written, control bytes (PROSE_BREAK among them, or a '\n' from "&#10;") as spaces: only
 * line breaks put '\n' in a block's text, and only end_block a PROSE_BREAK. */
static void put_text(struct buf *text, const char *s)
{
	for (; *s; s++)
		buf_putc(text, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

/* ---- The walk */

/* An autolink, "<https://...>" or "<help@example.org>": its text is its address. */
static bool is_autolink(cmark_node *link)
{
	cmark_node *t = cmark_node_first_child(link);
	const char *url = cmark_node_get_url(link), *text = t ? cmark_node_get_literal(t) : NULL;
	if (!url || !text || cmark_node_get_type(t) != CMARK_NODE_TEXT || cmark_node_next(t))
		return false;
	return strcmp(url, text) == 0 || (strncmp(url, "mailto:", 7) == 0 && strcmp(url + 7, text) == 0);
}

/* What an inline node adds to its block's text. Returns false when its children are to be skipped. */
static bool inline_text(cmark_node *n, struct buf *text)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT: put_text(text, cmark_node_get_literal(n)); return true;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK: buf_putc(text, '\n'); return true;
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE: buf_putc(text, ' '); return true;
	case CMARK_NODE_IMAGE: buf_putc(text, ' '); return false; /* alt text too */
	case CMARK_NODE_LINK:
		if (!is_autolink(n))
			return true; /* the link's text is prose, its address is not */
		buf_putc(text, ' ');
		return false;
	default: return true; /* emphasis and the like: only their text */
	}
}

/* Walk the tree: paragraphs and headings give their text and end a block; lists, items and quotes
 * hold blocks; any other block (code, raw HTML, a rule, a table) is skipped whole. */
static void walk(cmark_node *doc, struct buf *out)
{
	struct buf text = BUF_INIT;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		bool skip = false;
		if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
			if (ev == CMARK_EVENT_EXIT)
				end_block(&text, out);
		} else if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE) {
			skip = ev == CMARK_EVENT_ENTER && !inline_text(n, &text);
		} else if (t != CMARK_NODE_DOCUMENT && t != CMARK_NODE_BLOCK_QUOTE && t != CMARK_NODE_LIST &&
		           t != CMARK_NODE_ITEM) {
			skip = ev == CMARK_EVENT_ENTER;
		}
		if (skip)
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
	}
	cmark_iter_free(it);
	buf_free(&text);
}

void prose_from_markdown(struct str md, struct buf *out)
{
	cmark_parser *parser;
	cmark_node *doc = parse(md, &parser);
	walk(doc, out);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}
