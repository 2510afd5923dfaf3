/* Throttle storage: one row per key with a failure count since first_at and a lock end. */
#include "model/throttle.h"

int64_t throttle_wait(struct db *db, const char *key, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT locked_until FROM login_throttle WHERE key = ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, key);
	int64_t until = db_step(st) == 1 ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return until > now ? until - now : 0;
}

/* The lock for the n-th failure under rule (0 below the limit). */
static int64_t lock_for(const struct throttle_rule *r, int64_t n)
{
	if (n < r->limit)
		return 0;
	int64_t lock = r->lock_s;
	for (int64_t i = r->limit; i < n && lock < r->lock_max_s; i++)
		lock *= 2;
	return lock < r->lock_max_s ? lock : r->lock_max_s;
}

int64_t throttle_fail(struct db *db, const char *key, const struct throttle_rule *rule, int64_t now)
{
	/* Failures older than the window start a new count. */
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO login_throttle(key, failures, first_at) VALUES (?1, 1, ?2) "
	        "ON CONFLICT(key) DO UPDATE SET failures = CASE WHEN first_at < ?2 - ?3 THEN 1 "
	        "ELSE failures + 1 END, first_at = CASE WHEN first_at < ?2 - ?3 THEN ?2 ELSE first_at END "
	        "RETURNING failures");
	if (!st)
		return 0;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, rule->window_s);
	int64_t n = db_step(st) == 1 ? db_col_int(st, 0) : 0;
	db_finalize(st);
	int64_t lock = lock_for(rule, n);
	if (lock && (st = db_prepare(db, "UPDATE login_throttle SET locked_until = ? WHERE key = ?"))) {
		db_bind_int(st, 1, now + lock);
		db_bind_text(st, 2, key);
		db_step(st);
		db_finalize(st);
	}
	return lock;
}

void throttle_clear(struct db *db, const char *key)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE key = ?");
	if (!st)
		return;
	db_bind_text(st, 1, key);
	db_step(st);
	db_finalize(st);
}
