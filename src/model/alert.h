/* The site-wide alert banner for an active incident: on or off, a link, and its text per language. */
#ifndef VRC_ALERT_H
#define VRC_ALERT_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

enum { ALERT_TEXT_MAX = 300, ALERT_MAX_LANGS = 16 };

struct alert {
	bool active;
	const char *url; /* where it links ("" for nowhere) */
	const char *updated_at;
	const char *langs[ALERT_MAX_LANGS], *texts[ALERT_MAX_LANGS]; /* the text of each language */
	size_t n;
};

/* The alert, in a. 0, or -1. */
int alert_get(struct db *db, struct arena *a, struct alert *out);
/* The text a page in lang shows: lang's, else English's; NULL when off or there is none. */
const char *alert_text(const struct alert *al, const char *lang, const char **text_lang);
/* Replace the alert (state, link and every text; an empty text removes that language's), in one
 * transaction. 0 or -1. */
int alert_set(struct db *db, const struct alert *al);

#endif
