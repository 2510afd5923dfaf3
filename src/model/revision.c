/* Revision storage: all SQL about revisions lives here. */
#include "model/revision.h"

#include <stdlib.h>
#include <string.h>

static const char *col(struct db_stmt *st, struct arena *a, int i)
{
	const char *v = db_col_text(st, i);
	return v ? arena_strdup(a, v) : NULL;
}

int64_t revision_add(struct db *db, int64_t resource_id, const struct resource *r, const char *state,
                     int64_t user_id, const char *author, const char *note)
{
	char *data = resource_encode(r);
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO revision(resource_id, author, title, summary, body, note, "
	                   "state, data, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int64_t id = -1;
	if (st) {
		db_bind_int(st, 1, resource_id);
		db_bind_text(st, 2, author);
		db_bind_text(st, 3, r->title ? r->title : "");
		db_bind_text(st, 4, r->summary ? r->summary : "");
		db_bind_text(st, 5, r->body ? r->body : "");
		db_bind_text(st, 6, note);
		db_bind_text(st, 7, state);
		db_bind_text(st, 8, data);
		if (user_id)
			db_bind_int(st, 9, user_id);
		if (db_step(st) >= 0)
			id = db_last_id(db);
	}
	db_finalize(st);
	free(data);
	return id;
}

#define REV_COLS                                                                                             \
	"v.id, v.resource_id, coalesce(v.user_id, 0), v.created_at, v.author, v.state, v.note, "             \
	"v.publish_at, "                                                                                     \
	"v.title, v.summary, v.body, v.data, r.slug, r.lang, t.section, coalesce(v.scheduled_by, 0)"
#define REV_FROM " FROM revision v JOIN resource r ON r.id = v.resource_id JOIN topic t ON t.id = r.topic_id "

static void read_rev(struct db_stmt *st, struct arena *a, struct revision *v, bool with_text)
{
	memset(v, 0, sizeof(*v));
	v->id = db_col_int(st, 0);
	v->resource_id = db_col_int(st, 1);
	v->user_id = db_col_int(st, 2);
	v->created_at = col(st, a, 3);
	v->author = col(st, a, 4);
	v->state = col(st, a, 5);
	v->note = col(st, a, 6);
	v->publish_at = col(st, a, 7);
	const char *data = db_col_text(st, 11);
	/* History kept before snapshots existed holds only title, summary and body. */
	if (!with_text || !data || resource_decode(a, data, &v->r) < 0) {
		v->r.title = col(st, a, 8);
		v->r.summary = with_text ? col(st, a, 9) : NULL;
		v->r.body = with_text ? col(st, a, 10) : NULL;
	}
	v->r.id = v->resource_id;
	v->r.slug = col(st, a, 12);
	v->r.lang = col(st, a, 13);
	v->r.section = col(st, a, 14);
	v->r.status = v->state;
	v->scheduled_by = db_col_int(st, 15);
}

static struct revision *one(struct db_stmt *st, struct arena *a)
{
	struct revision *v = NULL;
	if (st && db_step(st) == 1) {
		v = arena_alloc(a, sizeof(*v));
		read_rev(st, a, v, true);
	}
	db_finalize(st);
	return v;
}

struct revision *revision_get(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT " REV_COLS REV_FROM "WHERE v.id = ?");
	if (st)
		db_bind_int(st, 1, id);
	return one(st, a);
}

struct revision *revision_open(struct db *db, struct arena *a, int64_t resource_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT " REV_COLS REV_FROM
	                                    "WHERE v.resource_id = ?1 AND v.state IN ('draft', 'review') AND "
	                                    "v.id > coalesce((SELECT max(id) FROM revision WHERE resource_id "
	                                    "= ?1 AND state = 'published'), 0) "
	                                    "ORDER BY v.id DESC LIMIT 1");
	if (st)
		db_bind_int(st, 1, resource_id);
	return one(st, a);
}

static size_t many(struct db_stmt *st, struct arena *a, bool with_text, struct revision **out)
{
	size_t n = 0, cap = 16;
	struct revision *v = arena_alloc(a, cap * sizeof(*v));
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct revision *w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(w, v, n * sizeof(*w));
			v = w, cap *= 2;
		}
		read_rev(st, a, &v[n++], with_text);
	}
	db_finalize(st);
	*out = v;
	return n;
}

size_t revision_list(struct db *db, struct arena *a, int64_t resource_id, struct revision **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " REV_COLS REV_FROM "WHERE v.resource_id = ? ORDER BY v.id DESC");
	if (st)
		db_bind_int(st, 1, resource_id);
	return many(st, a, false, out);
}

size_t revision_due(struct db *db, struct arena *a, const char *now, struct revision **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " REV_COLS REV_FROM "WHERE v.state = 'review' AND "
	                   "v.publish_at IS NOT NULL AND v.publish_at <= ? ORDER BY v.publish_at");
	if (st)
		db_bind_text(st, 1, now);
	return many(st, a, true, out);
}

int revision_set_state(struct db *db, int64_t id, const char *state, const char *publish_at,
                       int64_t scheduled_by)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE revision SET state = ?, publish_at = ?, scheduled_by = ? WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, publish_at);
	if (scheduled_by)
		db_bind_int(st, 3, scheduled_by);
	db_bind_int(st, 4, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int revision_claim(struct db *db, int64_t id)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE revision SET state = 'published', publish_at = NULL, "
	                   "scheduled_by = NULL WHERE id = ? AND state IN ('draft', 'review') "
	                   "RETURNING id");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : rc == 1 ? 1 : 0;
}

int revision_close_open(struct db *db, int64_t resource_id)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE revision SET state = 'superseded', publish_at = NULL, scheduled_by = NULL "
	                   "WHERE resource_id = ? AND state IN ('draft', 'review')");
	if (!st)
		return -1;
	db_bind_int(st, 1, resource_id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

size_t revision_list_state(struct db *db, struct arena *a, const char *state, struct revision **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " REV_COLS REV_FROM "WHERE v.state = ? ORDER BY v.id DESC");
	if (st)
		db_bind_text(st, 1, state);
	return many(st, a, false, out);
}
