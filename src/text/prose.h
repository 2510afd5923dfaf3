/* Markdown to plain prose for the readability counts, from cmark-gfm's syntax tree: the syntax goes,
 * the words stay. */
#ifndef VRC_PROSE_H
#define VRC_PROSE_H
#include "base/buf.h"
#include "base/str.h"

/* Ends each paragraph and heading in prose text. Input control bytes come out as spaces, so a
 * PROSE_BREAK always marks a block's end. */
#define PROSE_BREAK '\f'

/* Append the text of md's paragraphs and headings to out, soft line breaks as '\n' and PROSE_BREAK
 * after each: code, images, link destinations, autolinks, bare URLs, raw HTML, tables and all markup
 * dropped, entities decoded. md is a body: a front-matter header would be read as Markdown. */
void prose_from_markdown(struct str md, struct buf *out);

#endif
