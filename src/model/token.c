/* API token storage: all SQL about api_token lives here. */
#include "model/token.h"

#include <string.h>

static const char *col(struct db_stmt *st, struct arena *a, int i)
{
	const char *v = db_col_text(st, i);
	return v ? arena_strdup(a, v) : NULL;
}

#define TOKEN_COLS                                                                                           \
	"k.id, k.user_id, u.email, k.name, k.hint, k.created_at, k.last_used_at, k.revoked_at FROM "         \
	"api_token k JOIN users u ON u.id = k.user_id "

static void read_token(struct db_stmt *st, struct arena *a, struct api_token *t)
{
	t->id = db_col_int(st, 0);
	t->user_id = db_col_int(st, 1);
	t->email = col(st, a, 2);
	t->name = col(st, a, 3);
	t->hint = col(st, a, 4);
	t->created_at = col(st, a, 5);
	t->last_used_at = col(st, a, 6);
	t->revoked_at = col(st, a, 7);
}

int64_t token_create(struct db *db, int64_t user_id, const char *name, const char *hash, const char *hint)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO api_token(user_id, name, token_hash, hint) VALUES (?, ?, ?, ?)");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, hint);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : db_last_id(db);
}

static struct api_token *one(struct db_stmt *st, struct arena *a)
{
	struct api_token *t = NULL;
	if (st && db_step(st) == 1) {
		t = arena_calloc(a, 1, sizeof(*t));
		read_token(st, a, t);
	}
	db_finalize(st);
	return t;
}

struct api_token *token_find(struct db *db, struct arena *a, const char *hash)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " TOKEN_COLS "WHERE k.token_hash = ? AND k.revoked_at IS NULL");
	if (st)
		db_bind_text(st, 1, hash);
	return one(st, a);
}

struct api_token *token_get(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT " TOKEN_COLS "WHERE k.id = ?");
	if (st)
		db_bind_int(st, 1, id);
	return one(st, a);
}

size_t token_list(struct db *db, struct arena *a, int64_t user_id, struct api_token **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " TOKEN_COLS "WHERE ?1 = 0 OR k.user_id = ?1 ORDER BY k.id DESC");
	size_t n = 0, cap = 8;
	struct api_token *v = arena_calloc(a, cap, sizeof(*v));
	if (st)
		db_bind_int(st, 1, user_id);
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct api_token *w = arena_calloc(a, 2 * cap, sizeof(*w));
			memcpy(w, v, n * sizeof(*w));
			v = w, cap *= 2;
		}
		read_token(st, a, &v[n++]);
	}
	db_finalize(st);
	*out = v;
	return n;
}

int token_revoke(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE api_token SET revoked_at = "
	                                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND "
	                                    "revoked_at IS NULL RETURNING id");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : rc;
}

int token_touch(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE api_token SET last_used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND "
	    "(last_used_at IS NULL OR last_used_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute'))");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
