/* Crisis and help lines: data, shown on every page (or on the pages that name them) in both languages. */
#ifndef VRC_HOTLINE_H
#define VRC_HOTLINE_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

struct contact {
	const char *kind;  /* call, text, chat, tty, videophone */
	const char *value; /* a number, "741741 HOME", or an https URL for chat */
	const char *lang;  /* shown only on pages in this language, or NULL for all */
};

struct hotline {
	const char *slug, *name, *audience, *hours, *languages, *verified, *source;
	bool featured; /* in the crisis bar on every page */
	bool panel;    /* in the crisis-lines panel on every page (else only where a page names it) */
	struct contact *contacts;
	size_t ncontacts;
};

/* The hotlines in service, with their text in lang and the contacts for lang, in order. A line whose
 * stored text is not valid UTF-8 is left out and logged; *invalid (may be NULL) counts those.
 * Returns the count; *out is an arena array. */
size_t hotline_list(struct db *db, struct arena *a, const char *lang, struct hotline **out, size_t *invalid);
/* Insert or update the language-neutral part of a hotline (back in service if it was retired) and
 * replace its contacts. 0 or -1. */
int hotline_save(struct db *db, const struct hotline *h, int position);
/* Insert or update a hotline's text in one language. 0 or -1. */
int hotline_save_text(struct db *db, const char *slug, const char *lang, const struct hotline *h);
/* Retire every hotline in service whose slug is not in keep; their slugs go to *retired (arena array).
 * Returns the count retired, or -1. */
int hotline_retire_others(struct db *db, struct arena *a, const char *const *keep, size_t nkeep,
                          const char ***retired);

#endif
