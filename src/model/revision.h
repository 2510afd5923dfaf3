/* Revisions: every save of a resource in the console, and the history kept by `vrc init` and
 * archiving. The resource row is the live text; a resource's open draft is its newest revision in
 * state draft or review that is newer than its last published one. */
#ifndef VRC_REVISION_H
#define VRC_REVISION_H
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/resource.h"

struct revision {
	int64_t id, resource_id, user_id, scheduled_by;
	const char *created_at, *author, *state, *note, *publish_at;
	struct resource r; /* the text it holds, with the resource's slug, lang and section */
};

/* Save r's editable fields as a new revision of resource_id in state (draft, review, conflict...),
 * by user_id (0: none) named author. Returns the new id, or -1. */
int64_t revision_add(struct db *db, int64_t resource_id, const struct resource *r, const char *state,
                     int64_t user_id, const char *author, const char *note);
/* One revision with its text, or NULL. Owned by arena. */
struct revision *revision_get(struct db *db, struct arena *a, int64_t id);
/* The open draft of a resource (newest draft or review revision after its last published one), or NULL. */
struct revision *revision_open(struct db *db, struct arena *a, int64_t resource_id);
/* A resource's revisions, newest first, without their text (r.title only). Returns the count. */
size_t revision_list(struct db *db, struct arena *a, int64_t resource_id, struct revision **out);
/* Change a revision's state (and its scheduled time, NULL for none, and who scheduled it, 0 for none).
 * 0 or -1. */
/* Inside a write transaction: mark revision id published if it is still a draft or in review. 1 when
 * it was, 0 when it is not any more (another writer, another instance on the same database,
 * published or closed it first), -1 on a database error. */
int revision_claim(struct db *db, int64_t id);
int revision_set_state(struct db *db, int64_t id, const char *state, const char *publish_at,
                       int64_t scheduled_by);
/* Mark every open (draft or review) revision of a resource superseded, but keep. 0 or -1. */
int revision_close_open(struct db *db, int64_t resource_id);
/* Revisions in review whose publish_at is at or before now (ISO 8601 UTC). Returns the count. */
size_t revision_due(struct db *db, struct arena *a, const char *now, struct revision **out);

/* Every revision in state (e.g. "review"), newest first, without its text (r.title only, with the
 * resource's slug and lang). Returns the count. */
size_t revision_list_state(struct db *db, struct arena *a, const char *state, struct revision **out);

#endif
