/* The "vrc_stem" FTS5 tokenizer: SQLite's unicode61 (lower case, diacritics removed) followed by the
 * Snowball stemmer of the table's language, so "tramites" finds "trámites" and "grieving" finds
 * "grief". Tables name it as tokenize='vrc_stem en' or 'vrc_stem es'. For db_sqlite.c only. */
#ifndef VRC_STEMTOK_H
#define VRC_STEMTOK_H

struct sqlite3;

/* Register the tokenizer on connection h (every connection that touches a search table needs it), with
 * search's FTS5 functions (db/ftsaux.h) and the SQL function vrc_split(text): text's words where the
 * tokenizer splits them, as written, one space between each. 0, or -1 when FTS5 is missing. */
int stemtok_register(struct sqlite3 *h);

#endif
