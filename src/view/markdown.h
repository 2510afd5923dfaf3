/* Markdown to HTML through cmark-gfm in safe mode: raw HTML and dangerous link schemes never pass. */
#ifndef VRC_MARKDOWN_H
#define VRC_MARKDOWN_H
#include <stddef.h>

#include "base/buf.h"

/* Render CommonMark md (len bytes, with tables) as HTML appended to out. */
void md_render(const char *md, size_t len, struct buf *out);
/* Call fn once per link or image destination in md, as written (for the content linter). */
void md_links(const char *md, size_t len, void (*fn)(const char *url, void *arg), void *arg);

#endif
