/* Markdown to HTML through cmark-gfm in safe mode: raw HTML and dangerous link schemes never pass. */
#ifndef VRC_MARKDOWN_H
#define VRC_MARKDOWN_H
#include <stddef.h>

#include "base/buf.h"

/* Render CommonMark md (len bytes, with tables) as HTML appended to out. */
void md_render(const char *md, size_t len, struct buf *out);
/* Call fn once per link or image destination in md, as written (for the content linter). */
void md_links(const char *md, size_t len, void (*fn)(const char *url, void *arg), void *arg);

/* What is wrong with md as text staff typed into the console, or NULL when it renders as written:
 * "html" (raw HTML, which is never shown), "link" (a link whose address is not http(s), mailto or
 * tel), "image" (images would load from another site), "unclosed" (a link written "[text](..."
 * that is not closed, so it would show as brackets). */
const char *md_problem(const char *md, size_t len);

#endif
