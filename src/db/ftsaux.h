/* Search's own full-text functions, cheaper than FTS5's built-in ones on a large site and needing no
 * positions in the index (detail=column): vrc_score (bm25 without the per-row length lookup, from the
 * columns a row's matches are in, for a plain scan that keeps the best rows) and the marking of the
 * query's words in a column or in a window around the first of them (ftsaux_mark, behind the SQL
 * function vrc_marked of db/stemtok.c), tokenizing only as far as needed. For db/stemtok.c, which
 * registers them with the tokenizer. */
#ifndef VRC_FTSAUX_H
#define VRC_FTSAUX_H
#include <sqlite3.h>
#include <stdbool.h>

/* Register vrc_score with api. 0, or -1. */
int ftsaux_register(fts5_api *api);

/* A tokenizer's xTokenize as ftsaux_mark calls it: text (n bytes) to xToken, token by token. With
 * first (256 flags), a token whose first byte is not flagged cannot be one ftsaux_mark looks for, and
 * may be passed on as it is, without the work of making it (a stem keeps its word's first letter). */
typedef int (*ftsaux_tokenize_fn)(void *tok, void *ctx, const char *text, int n, const unsigned char *first,
                                  int (*xToken)(void *, int, const char *, int, int, int));

/* Append text (n bytes) to out with every token that is one of words' tokens (the query's words,
 * tokenized by the same tokenizer, so stems and folded accents match as in the index) between open
 * and close. With ntok 0, the whole text; else a snippet: about ntok tokens from a little before the
 * first match, ellipsis where text was left out. found says the index has a word in this text: when
 * it is false nothing is tokenized, and the text is appended as it is (ntok 0), or its first 160
 * bytes cut at a space (a snippet). SQLITE_OK, or an error code. */
int ftsaux_mark(ftsaux_tokenize_fn tokenize, void *tok, const char *words, int nwords, const char *text,
                int n, bool found, int ntok, const char *open, const char *close, const char *ellipsis,
                sqlite3_str *out);

#endif
