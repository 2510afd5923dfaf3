/* Markdown to plain prose for the readability counts: the syntax goes, the words stay. */
#ifndef VRC_PROSE_H
#define VRC_PROSE_H
#include "base/buf.h"
#include "base/str.h"

/* Ends a block in prose text (paragraph, heading, list item, table, rule, fence). Input control
 * bytes come out as spaces, so a PROSE_BREAK always marks a block's end. */
#define PROSE_BREAK '\f'

/* Append the prose of md to out: front matter, code, images, link destinations, URLs, HTML,
 * entities, tables and block markers dropped; PROSE_BREAK between blocks. */
void prose_from_markdown(struct str md, struct buf *out);

#endif
