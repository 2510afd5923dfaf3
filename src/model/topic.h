/* Topics: the groups inside a section (victims' rights, sleep, grief...), named in each language. */
#ifndef VRC_TOPIC_H
#define VRC_TOPIC_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

struct topic {
	const char *slug, *section, *title, *summary;
};

/* The topics in service of a section in a language, in order. Returns the count; *out is an arena array. */
size_t topic_list(struct db *db, struct arena *a, const char *section, const char *lang, struct topic **out);
/* The title in lang of the topic slug in section, as topic_list gives it (in a), or slug when it has
 * none. */
const char *topic_title(struct db *db, struct arena *a, const char *section, const char *lang,
                        const char *slug);
/* Insert or update a topic and its text in one language. 0 or -1 (logged). */
int topic_save(struct db *db, const char *slug, const char *section, int position, const char *lang,
               const char *title, const char *summary);

/* Retire every topic in service whose slug is not in keep (their slugs to *retired, an arena array).
 * Returns the count, or -1. */
int topic_retire_others(struct db *db, struct arena *a, const char *const *keep, size_t nkeep,
                        const char ***retired);

/* A topic as the console edits it: its text in both languages and its state. */
struct topic_all {
	const char *slug, *section;
	const char *title[2], *summary[2]; /* [0] English, [1] Spanish; "" when missing */
	int position;
	bool retired, console_edited;
};

/* One topic, retired or not, or NULL. Owned by a. */
struct topic_all *topic_get_all(struct db *db, struct arena *a, const char *slug);
/* Every topic, by section (in the sections' order) and position. Returns the count; *out is an
 * arena array. */
size_t topic_list_all(struct db *db, struct arena *a, struct topic_all **out);
/* Write a console edit of a topic in both languages, marked console_edited (so `vrc init` keeps it).
 * Run it inside a transaction. 0 or -1. */
int topic_store(struct db *db, const struct topic_all *t);
/* t as JSON text in the shape of content/topics/<section>.json (plus section and position), in a: for
 * the audit log. */
const char *topic_encode(struct arena *a, const struct topic_all *t);

#endif
