/* Upload rows: INSERT (once per content hash) and SELECT. */
#include "model/upload.h"

#include <string.h>

#include "base/log.h"

static const char *dup(struct arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

int upload_add(struct db *db, struct upload *u)
{
	/* RETURNING gives no row when the hash is already there (the row is ignored). */
	struct db_stmt *st = db_prepare(db, "INSERT INTO upload(sha256, stored_name, original_name, "
	                                    "content_type, kind, size, alt, user_id) "
	                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	                                    "ON CONFLICT(sha256) DO NOTHING RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, u->sha256);
	db_bind_text(st, 2, u->stored_name);
	db_bind_text(st, 3, u->original_name ? u->original_name : "");
	db_bind_text(st, 4, u->content_type);
	db_bind_text(st, 5, u->kind);
	db_bind_int(st, 6, u->size);
	db_bind_text(st, 7, u->alt ? u->alt : "");
	if (u->user_id)
		db_bind_int(st, 8, u->user_id);
	int rc = db_step(st);
	if (rc == 1) {
		u->id = db_col_int(st, 0);
		rc = db_step(st) < 0 ? -1 : 1;
	}
	db_finalize(st);
	if (rc < 0)
		log_error("upload: could not record %s", u->stored_name);
	return rc;
}

#define COLUMNS                                                                                              \
	"u.id, u.sha256, u.stored_name, u.original_name, u.content_type, u.kind, u.size, u.alt, "            \
	"coalesce(u.user_id, 0), coalesce(s.email, ''), u.created_at FROM upload u "                         \
	"LEFT JOIN users s ON s.id = u.user_id "

static void read_row(struct db_stmt *st, struct arena *a, struct upload *u)
{
	u->id = db_col_int(st, 0);
	u->sha256 = dup(a, db_col_text(st, 1));
	u->stored_name = dup(a, db_col_text(st, 2));
	u->original_name = dup(a, db_col_text(st, 3));
	u->content_type = dup(a, db_col_text(st, 4));
	u->kind = dup(a, db_col_text(st, 5));
	u->size = db_col_int(st, 6);
	u->alt = dup(a, db_col_text(st, 7));
	u->user_id = db_col_int(st, 8);
	u->user_email = dup(a, db_col_text(st, 9));
	u->created_at = dup(a, db_col_text(st, 10));
}

struct upload *upload_find(struct db *db, struct arena *a, const char *sha256)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS "WHERE u.sha256 = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, sha256);
	struct upload *u = NULL;
	if (db_step(st) == 1) {
		u = arena_calloc(a, 1, sizeof(*u));
		read_row(st, a, u);
	}
	db_finalize(st);
	return u;
}

size_t upload_list(struct db *db, struct arena *a, size_t offset, size_t limit, struct upload **out)
{
	*out = arena_calloc(a, limit ? limit : 1, sizeof(**out));
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS "ORDER BY u.id DESC LIMIT ? OFFSET ?");
	if (!st)
		return 0;
	db_bind_int(st, 1, (int64_t)limit);
	db_bind_int(st, 2, (int64_t)offset);
	size_t n = 0;
	while (n < limit && db_step(st) == 1)
		read_row(st, a, &(*out)[n++]);
	db_finalize(st);
	return n;
}

int64_t upload_count(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM upload");
	int64_t n = -1;
	if (st && db_step(st) == 1)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}
