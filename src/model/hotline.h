/* Crisis and help lines: data, shown on every page in both languages. */
#ifndef VRC_HOTLINE_H
#define VRC_HOTLINE_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

struct contact {
	const char *kind;  /* call, text, chat, tty */
	const char *value; /* a number, "741741 HOME", or an https URL for chat */
};

struct hotline {
	const char *slug, *name, *audience, *hours, *languages, *verified, *source;
	bool featured;
	struct contact contacts[6];
	size_t ncontacts;
};

/* All hotlines with their text in lang, in order. Returns the count; *out is an arena array. */
size_t hotline_list(struct db *db, struct arena *a, const char *lang, struct hotline **out);
/* Insert or update the language-neutral part of a hotline and replace its contacts. */
int hotline_save(struct db *db, const struct hotline *h, int position);
/* Insert or update a hotline's text in one language. */
int hotline_save_text(struct db *db, const char *slug, const char *lang, const struct hotline *h);

#endif
