/* Resources of the library: articles, videos, links, worksheets, with their sources. */
#ifndef VRC_RESOURCE_H
#define VRC_RESOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/section.h"

/* Sources one resource may cite (the loader refuses more). */
#define RESOURCE_MAX_SOURCES 8

struct source {
	const char *title;
	const char *url;
	const char *lang; /* the source's language when not the resource's own, else NULL */
};

struct resource {
	int64_t id;
	int64_t version; /* counts publishes: what a console form was loaded from */
	const char *slug, *lang, *section, *topic, *type, *stage;
	const char *title, *summary, *body;
	const char *url, *video, *poster, *captions; /* type-specific, may be NULL */
	const char *translation;                     /* slug in the other language, may be NULL */
	const char *checked;                         /* the date it was last checked against its sources */
	const char *reviewed_at, *reviewer;          /* a clinical review approved in the console, or NULL */
	const char *status;                          /* draft, review, published, archived */
	const char **hotlines;                       /* help lines shown beside the text, by slug */
	size_t nhotlines;
	const char *open_state; /* resource_admin_list: "draft" or "review" when a draft is open, else NULL */
	const char *invalid; /* set when text read back from the database is not valid UTF-8: which field */
	const char *source_file, *source_hash; /* the content file it was loaded from, if any */
	bool sample;
	struct source *sources;
	size_t nsources;
};

/* The resource with this slug in any status (with its sources and hotlines), or NULL. Owned by arena.
 * r->invalid names a field whose stored text is not valid UTF-8. */
struct resource *resource_get(struct db *db, struct arena *a, const char *slug);
/* The same, by id. */
struct resource *resource_by_id(struct db *db, struct arena *a, int64_t id);
/* The same, only when it is published. */
struct resource *resource_find(struct db *db, struct arena *a, const char *slug);
/* A published resource's card fields (a listing's: no body, sources or hotlines), or NULL. */
struct resource *resource_card(struct db *db, struct arena *a, const char *slug);
/* Published resources in a section and language, ordered by topic, stage, title; no bodies.
 * Returns the count; *out is an arena array. */
size_t resource_list_section(struct db *db, struct arena *a, const char *section, const char *lang,
                             struct resource **out);
/* Every resource in a status ("published", "archived"...), no bodies, by slug: for enumerating the
 * site. */
size_t resource_list_status(struct db *db, struct arena *a, const char *status, struct resource **out);
/* The same with only slug, lang, section and topic set, through the index (fast on a large site);
 * topic (NULL: any) narrows it to one topic. */
size_t resource_slugs(struct db *db, struct arena *a, const char *status, const char *topic,
                      struct resource **out);
/* What the console's resource list shows: NULL (or 0) fields do not filter. status "review" means an
 * open draft in review. stale: published and not clinically reviewed within review_months. */
struct resource_filter {
	const char *section, *lang, *status, *query;
	bool stale;
	int review_months;
};
/* One page (offset, limit) of the resources matching f, by section, language and title, each with its
 * open_state; *total gets how many match in all. Returns the count on this page. */
size_t resource_admin_list(struct db *db, struct arena *a, const struct resource_filter *f, size_t offset,
                           size_t limit, struct resource **out, size_t *total);
/* Every resource loaded from a content file, in any status, no bodies (for `vrc init`). */
size_t resource_list_files(struct db *db, struct arena *a, struct resource **out);
/* Archive a resource: no longer public, its text kept as a revision by author. 0 or -1. */
int resource_archive(struct db *db, const char *slug, const char *author);
/* Up to max published articles, videos and links in lang written for stage, in section and topic
 * order (the home page's "first days" list). */
size_t resource_list_stage(struct db *db, struct arena *a, const char *lang, const char *stage, size_t max,
                           struct resource **out);
/* Up to max other published resources in the same language, same topic first, then same section. */
size_t resource_related(struct db *db, struct arena *a, const struct resource *r, size_t max,
                        struct resource **out);
/* Listings mark each resource as resource_get does (r->invalid). */
/* Insert, or update by slug, with its sources and hotlines; a changed text keeps a revision by author. A
 * resource loaded before from a file with the same source_hash is left as it is. A file that changed
 * while a console edit is live does not overwrite it: its text is kept as a revision in state
 * "conflict". 1 when written, 0 when unchanged, 2 on such a conflict, -1 on error (logged). */
int resource_save(struct db *db, const struct resource *r, const char *author);
/* Make r's editable fields the live text of resource id: published, version + 1, the review recorded
 * (reviewer: display name and credentials; reviewed_at: YYYY-MM-DD), marked as a console edit; the
 * text before is kept as history by author. 0 or -1. */
int resource_publish(struct db *db, int64_t id, const struct resource *r, const char *reviewer,
                     const char *reviewed_at, const char *author);
/* Set a resource's status (archived, draft...) from the console. 0 or -1. */
int resource_set_status(struct db *db, int64_t id, const char *status);
/* The editable fields of r (text, sources, hotlines; not slug, lang, status or review) as compact JSON,
 * malloc'd: a revision's snapshot. */
char *resource_encode(const struct resource *r);
/* Fill the editable fields of r from resource_encode's JSON (strings in arena). 0, or -1 when text is
 * not such JSON. */
int resource_decode(struct arena *a, const char *text, struct resource *r);

/* Published resources whose clinical review is missing or older than cutoff (a date, YYYY-MM-DD):
 * never reviewed first, then oldest review first. Returns the count; *out is an arena array. */
size_t resource_list_due(struct db *db, struct arena *a, const char *cutoff, struct resource **out);

#endif
