/* Markdown to HTML through cmark in safe mode: raw HTML and dangerous link schemes never pass. */
#ifndef VRC_MARKDOWN_H
#define VRC_MARKDOWN_H
#include <stddef.h>

#include "base/buf.h"

/* Render CommonMark md (len bytes) as HTML appended to out. */
void md_render(const char *md, size_t len, struct buf *out);

#endif
