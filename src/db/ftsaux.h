/* Search's own FTS5 functions, cheaper than the built-in ones on a large site: vrc_rank (bm25
 * without the per-row length lookup) and vrc_snippet (a window around the first match, tokenizing
 * only as far as it). For db/stemtok.c, which registers them with the tokenizer. */
#ifndef VRC_FTSAUX_H
#define VRC_FTSAUX_H
#include <sqlite3.h>

/* Register vrc_rank and vrc_snippet with api. 0, or -1. */
int ftsaux_register(fts5_api *api);

#endif
