/* Session storage: one row per signed-in browser; timeouts are decided by app/auth.c. */
#include "model/session.h"

static int run(struct db_stmt *st)
{
	if (!st)
		return -1;
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int64_t session_create(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
                       enum session_stage stage, int64_t now, const char *remote)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO session(token_hash, user_id, csrf, stage, created_at, "
	                   "seen_at, remote) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_text(st, 4, stage == SESSION_FULL ? "full" : "code");
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	db_bind_text(st, 7, remote ? remote : "");
	return run(st) < 0 ? -1 : db_last_id(db);
}

struct session *session_find(struct db *db, struct arena *a, const char *token_hash)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, user_id, stage, csrf, totp_pending, created_at, seen_at "
	                   "FROM session WHERE token_hash = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, token_hash);
	struct session *s = NULL;
	if (db_step(st) == 1) {
		s = arena_calloc(a, 1, sizeof(*s));
		s->id = db_col_int(st, 0);
		s->user_id = db_col_int(st, 1);
		const char *stage = db_col_text(st, 2);
		s->stage = stage && stage[0] == 'f' ? SESSION_FULL : SESSION_CODE;
		s->csrf = arena_strdup(a, db_col_text(st, 3));
		const char *pending = db_col_text(st, 4);
		s->totp_pending = pending ? arena_strdup(a, pending) : NULL;
		s->created_at = db_col_int(st, 5);
		s->seen_at = db_col_int(st, 6);
	}
	db_finalize(st);
	return s;
}

/* Run sql binding the n integers v. */
static int exec(struct db *db, const char *sql, size_t n, const int64_t *v)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	int k = 1;
	for (size_t i = 0; i < n; i++)
		db_bind_int(st, k++, v[i]);
	return run(st);
}

int session_touch(struct db *db, int64_t id, int64_t now)
{
	return exec(db, "UPDATE session SET seen_at = ? WHERE id = ?", 2, (int64_t[]){now, id});
}

int session_set_totp_pending(struct db *db, int64_t id, const char *secret)
{
	struct db_stmt *st = db_prepare(db, "UPDATE session SET totp_pending = ? WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, secret);
	db_bind_int(st, 2, id);
	return run(st);
}

int session_delete(struct db *db, int64_t id)
{
	return exec(db, "DELETE FROM session WHERE id = ?", 1, &id);
}

int session_delete_user(struct db *db, int64_t user_id, int64_t except)
{
	return exec(db, "DELETE FROM session WHERE user_id = ? AND id <> ?", 2, (int64_t[]){user_id, except});
}

int session_purge(struct db *db, int64_t idle_before, int64_t created_before)
{
	return exec(db, "DELETE FROM session WHERE seen_at < ? OR created_at < ?", 2,
	            (int64_t[]){idle_before, created_before});
}
