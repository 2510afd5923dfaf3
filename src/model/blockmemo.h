/* Published blocks parsed once and shared between the renders of a community's pages: every page of
 * a community (each language, its flyer, its feeds) parses the same stored JSON, a fifth of an
 * export's CPU before this memo (perf, issue 9). */
#ifndef VRC_BLOCKMEMO_H
#define VRC_BLOCKMEMO_H
#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"

/* The parsed value of community id's block kind whose stored text is text: a reference released with
 * a, READ-ONLY (other renders hold the same value; jansson's reference counts are atomic). A value
 * is reused only while its stored text is byte for byte the same, so an edit is never missed. NULL
 * when text is NULL or not JSON (logged, as what names it). */
json_t *blockmemo_parse(struct arena *a, int64_t id, const char *kind, const char *text, const char *what);
/* Drop every kept value (memory only: the memo is never stale). */
void blockmemo_clear(void);

#endif
