/* Topics: the groups inside a section (victims' rights, sleep, grief...), named in each language. */
#ifndef VRC_TOPIC_H
#define VRC_TOPIC_H
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

struct topic {
	const char *slug, *section, *title, *summary;
};

/* The topics in service of a section in a language, in order. Returns the count; *out is an arena array. */
size_t topic_list(struct db *db, struct arena *a, const char *section, const char *lang, struct topic **out);
/* Insert or update a topic and its text in one language. 0 or -1 (logged). */
int topic_save(struct db *db, const char *slug, const char *section, int position, const char *lang,
               const char *title, const char *summary);

/* Retire every topic in service whose slug is not in keep (their slugs to *retired, an arena array).
 * Returns the count, or -1. */
int topic_retire_others(struct db *db, struct arena *a, const char *const *keep, size_t nkeep,
                        const char ***retired);

#endif
