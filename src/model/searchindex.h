/* The search index: search_doc rows (kept in step by triggers, migration 010) and the full-text tables
 * over them, one per language. All the SQL of search lives here. */
#ifndef VRC_SEARCHINDEX_H
#define VRC_SEARCHINDEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"

/* Matched words in the text fields below are wrapped in these bytes, which the caller turns into
 * markup after escaping (a stray one in stored text is harmless: see app/search.c). */
#define SEARCHINDEX_MARK_ON  '\x02'
#define SEARCHINDEX_MARK_OFF '\x03'

struct search_hit {
	const char *kind;    /* resource, topic, hotline, ... */
	const char *ref;     /* its key in its own table */
	const char *url;     /* its public address, "" when none */
	const char *context; /* shown with the title, not searched (a community's name), or "" */
	const char *title;   /* with marks */
	const char *summary; /* the summary, with marks ("" when empty) */
	const char *body;    /* a snippet of the body, with marks ("" when empty) */
};

/* Index the documents changed since the last call (search_pending), in one atomic step on the
 * connection. Cheap when nothing changed. Returns how many documents were pending, or -1 (logged). */
int searchindex_sync(struct db *db);
/* searchindex_sync, after writing the documents of the community pages changed since the last call
 * (model/searchcommunity.h): for a caller that keeps other writers off the connection (inside its
 * own transaction, before it commits, or at start-up). Returns as searchindex_sync. */
int searchindex_refresh(struct db *db);
/* A number that changes whenever the index does (in this process): an answer made under another
 * number may be out of date. */
uint64_t searchindex_generation(void);
/* Change the number: something the index holds changed, or may have. */
void searchindex_changed(void);
/* Up to limit documents in lang holding every word (with any: at least one), best first: a word in
 * the title counts most, then the summary, then the body (vrc_score). With any, documents with a word
 * in the title or summary are the answer when there are some; the body is searched only when there
 * are none. words are plain text, never query syntax: each is searched as a quoted phrase of its own.
 * Returns the count (*out an arena array), or -1 (logged without the words). */
int searchindex_find(struct db *db, struct arena *a, const char *lang, const char *const *words, size_t n,
                     bool any, size_t limit, struct search_hit **out);
/* 1 when some document in lang holds word (plain text, as for searchindex_find), 0 when none does,
 * -1 on error. Stops at the first: cheap for any word. */
int searchindex_has(struct db *db, struct arena *a, const char *lang, const char *word);
/* How many documents lang has in its index (for tests and the log), or -1. */
long searchindex_count(struct db *db, const char *lang);

#endif
