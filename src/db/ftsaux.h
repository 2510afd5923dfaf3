/* Search's own FTS5 functions, cheaper than the built-in ones on a large site and needing no
 * positions in the index (detail=column): vrc_rank (bm25 without the per-row length lookup, from the
 * columns a row's matches are in) and vrc_mark (the query's words marked in a column, or in a window
 * around the first of them, tokenizing only as far as needed). For db/stemtok.c, which registers them
 * with the tokenizer. */
#ifndef VRC_FTSAUX_H
#define VRC_FTSAUX_H
#include <sqlite3.h>

/* Register vrc_rank and vrc_mark with api. 0, or -1. */
int ftsaux_register(fts5_api *api);

#endif
