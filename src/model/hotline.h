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

/* A hotline as the console edits it: the text in both languages, every contact, its state. */
struct hotline_all {
	const char *slug, *languages, *verified, *source;
	const char *name[2], *audience[2], *hours[2]; /* [0] English, [1] Spanish; "" when missing */
	bool featured, panel, retired, console_edited;
	int position;             /* order on the pages; -1 for a new line (it goes last) */
	struct contact *contacts; /* every contact, whatever its language */
	size_t ncontacts;
};

/* One hotline, retired or not, or NULL. Owned by a. */
struct hotline_all *hotline_get_all(struct db *db, struct arena *a, const char *slug);
/* Every hotline, in service first, each in page order. Returns the count; *out is an arena array. */
size_t hotline_list_all(struct db *db, struct arena *a, struct hotline_all **out);
/* Write a console edit: the hotline, its text in both languages and its contacts, marked
 * console_edited (so `vrc init` keeps it) and retired as h says. Run it inside a transaction. 0 or -1. */
int hotline_store(struct db *db, const struct hotline_all *h);
/* Retire a hotline (or put it back in service) from the console, marked console_edited. 0 or -1. */
int hotline_set_retired(struct db *db, const char *slug, bool retired);
/* The resources (not archived) that name the hotline, as "Title (slug)", in *out (an arena array).
 * Returns the count. */
size_t hotline_named_by(struct db *db, struct arena *a, const char *slug, const char ***out);
/* h as JSON text in the shape of content/hotlines.json (plus retired), in a: for the audit log. */
const char *hotline_encode(struct arena *a, const struct hotline_all *h);

#endif
