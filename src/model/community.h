/* Communities (an incident's page at /c/<slug>): the community row, its blocks' draft and published
 * JSON (model/block.h), publishing with a revision per block, and its community editors. */
#ifndef VRC_COMMUNITY_H
#define VRC_COMMUNITY_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/block.h"

enum { COMMUNITY_MAX_LANGS = 8, COMMUNITY_NAME_MAX = 120, COMMUNITY_PLACE_MAX = 120 };

struct community {
	int64_t id;
	const char *slug, *name, *place;
	const char *incident_date; /* YYYY-MM-DD, or NULL */
	const char *languages;     /* "en,es" */
	const char *timezone;      /* the default for its events */
	const char *status;        /* active, archived */
	const char *created_at, *updated_at;
	const char *langs[COMMUNITY_MAX_LANGS]; /* languages, split */
	size_t nlangs;
};

struct community_block {
	const struct block_kind *kind;
	json_t *draft;     /* never NULL; owned by the arena it was loaded into */
	json_t *published; /* NULL before the first publish; owned likewise */
	const char *draft_at, *published_at;
	bool pending; /* the draft differs from what is published */
};

struct community_revision {
	int64_t id;
	const char *kind, *at, *actor;
	json_t *changes; /* owned by the arena */
};

/* The community with slug, or NULL. In a. */
struct community *community_get(struct db *db, struct arena *a, const char *slug);
/* Communities with status (NULL: all), active first, newest incident first. *out is an arena array. */
size_t community_list(struct db *db, struct arena *a, const char *status, struct community **out);
/* True when langs ("en,es,zh") is a list of languages the site has catalogues for, with "en" in
 * it and none twice; the list is then written canonical (en first) into out. */
bool community_langs_valid(const char *langs, char *out, size_t cap);
/* Create c (slug, name, place, incident_date, languages, timezone) with blocks[i] (one per
 * block_kinds[i], consumed; NULL: empty) as draft and, when publish is set, also published (with a
 * first revision each), by user_id (0: the command line) named actor, in one transaction. The new
 * id, or -1 (a slug already taken: -2). */
int64_t community_create(struct db *db, const struct community *c, json_t **blocks, bool publish,
                         int64_t user_id, const char *actor);
/* What the public API's list asks for; NULL or 0 fields do not filter. */
struct community_filter {
	const char *lang;  /* offered in this language */
	const char *since; /* changed (settings, status or a publish) at or after this date or UTC time */
	size_t limit;      /* 0: all */
	size_t offset;
	int64_t after_id; /* a cursor: only ids above it */
};
struct community_item {
	struct community c;
	const char *changed_at; /* the latest of its settings' change and its blocks' publishes */
};
/* The active communities with at least one published block that match f, in id order; *total is how
 * many match without paging. *out is an arena array. */
size_t community_list_public(struct db *db, struct arena *a, const struct community_filter *f,
                             struct community_item **out, size_t *total);
/* The latest of c's settings change and its blocks' publishes (UTC), in a; NULL when never published. */
const char *community_changed_at(struct db *db, struct arena *a, int64_t id);
/* Update name, place, incident date, languages and time zone. 0 or -1. */
int community_update(struct db *db, const struct community *c);
/* Set the status (active, archived). 0 or -1. */
int community_set_status(struct db *db, int64_t id, const char *status);
/* Every block of a community, in block_kinds order (n = block_nkinds); the JSON lives as long as a.
 * 0, or -1. */
int community_blocks(struct db *db, struct arena *a, int64_t id, struct community_block *out);
/* The slugs of the communities whose published resources block lists resource_slug, in a. */
size_t community_listing_slugs(struct db *db, struct arena *a, const char *resource_slug, const char ***out);
/* The same for the public pages: published only (draft NULL), one query. 0, or -1. */
int community_blocks_published(struct db *db, struct arena *a, int64_t id, struct community_block *out);
/* The same with values shared between callers (model/blockmemo.h): READ-ONLY, for the page renders. */
int community_blocks_shared(struct db *db, struct arena *a, int64_t id, struct community_block *out);
/* One block. 0 or -1. */
int community_block(struct db *db, struct arena *a, int64_t id, const char *kind,
                    struct community_block *out);
/* Save draft as the block's draft by user_id. 0 or -1. */
int community_block_save(struct db *db, int64_t id, const char *kind, json_t *draft, int64_t user_id);
/* Throw the draft away: the draft becomes what is published again. 0 or -1. */
int community_block_discard(struct db *db, int64_t id, const char *kind);
/* community_publish inside the caller's transaction: the pending blocks (kind NULL: all) each get
 * their revision; audit (when not NULL) gets {kind: {"before", "after"}} added. How many were
 * published, or -1 (the caller rolls back). */
int community_publish_tx(struct db *db, int64_t id, const char *kind, int64_t user_id, const char *actor,
                         json_t *audit);
/* Publish the pending drafts of a community (kind NULL: every pending block), each with a revision
 * holding the JSON before and after and what changed, in one transaction. *audit (when not NULL)
 * gets {kind: {"before": ..., "after": ...}} for the audit log (a new reference). Returns how many
 * blocks were published, or -1 (nothing published). */
int community_publish(struct db *db, int64_t id, const char *kind, int64_t user_id, const char *actor,
                      json_t **audit);
/* The newest published revisions with a change to tell, at most limit. *out is an arena array. */
size_t community_revisions(struct db *db, struct arena *a, int64_t id, size_t limit,
                           struct community_revision **out);
/* The email addresses of the accounts assigned to the community, in a. */
size_t community_editors(struct db *db, struct arena *a, const char *slug, const char ***out);
/* Assign (on) or unassign a community editor. 0 or -1. */
int community_editor_set(struct db *db, int64_t user_id, const char *slug, bool on);
/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into out (21 bytes). */
void community_now(char out[21]);
/* A block's JSON as canonical text (sorted keys, compact): malloc'd. */
char *community_json_text(json_t *v);
/* The active communities (the public pages a sitemap lists), in slug order, and in *changed when
 * each page last changed: its latest publish or settings change (UTC). Both are arena arrays. */
size_t community_sitemap(struct db *db, struct arena *a, struct community **out, const char ***changed);

#endif
