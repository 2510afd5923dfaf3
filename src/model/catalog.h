/* The published library as machines read it: filtered, paged listings with the time of each change
 * (the JSON API, the sitemap), and the history of what went live (the Atom feeds). Reads only. */
#ifndef VRC_CATALOG_H
#define VRC_CATALOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/resource.h"

/* What a listing asks for; NULL or 0 fields do not filter. */
struct catalog_filter {
	const char *section, *topic, *stage, *lang;
	const char *since;    /* changed at or after: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t after_id;     /* keyset paging: only ids above this one */
	size_t offset, limit; /* limit 0: all */
};

/* A published resource with its times (UTC "YYYY-MM-DDTHH:MM:SSZ"). r has no body, sources or
 * hotlines; r.invalid names a field whose stored text is not valid UTF-8. */
struct catalog_item {
	struct resource r;
	const char *created_at, *updated_at;
};

/* One page of published resources matching f, in id order; *total gets how many match in all
 * (without after_id, offset and limit). Returns the count on this page; *out is an arena array. */
size_t catalog_resources(struct db *db, struct arena *a, const struct catalog_filter *f,
                         struct catalog_item **out, size_t *total);
/* When resource id was created and last changed (in a); 0, or -1 when there is no such resource. */
int catalog_times(struct db *db, struct arena *a, int64_t id, const char **created, const char **updated);
/* The latest change to a published resource in lang and section (NULL: any), or NULL when none. */
const char *catalog_last_change(struct db *db, struct arena *a, const char *lang, const char *section);

/* A text that went live: a published revision of a resource that is still published. */
struct catalog_change {
	int64_t revision_id;
	const char *at;    /* when it went live */
	const char *slug;  /* the resource */
	const char *title; /* as it went live */
	const char *summary;
	bool first; /* the resource's first published text: it is new */
};

/* The newest max changes to published resources in lang, newest first. Returns the count; *out is an
 * arena array. Changes whose text is not valid UTF-8 are left out. */
size_t catalog_changes(struct db *db, struct arena *a, const char *lang, size_t max,
                       struct catalog_change **out);

#endif
