/* Audit storage: INSERT and SELECT only. */
#include "model/audit.h"

#include <string.h>

#include "base/log.h"

int audit_write(struct db *db, const struct audit_entry *e)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO audit(user_id, actor_email, action, object_type, "
	                   "object_id, before, after, remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	if (e->user_id)
		db_bind_int(st, 1, e->user_id);
	db_bind_text(st, 2, e->actor_email);
	db_bind_text(st, 3, e->action);
	db_bind_text(st, 4, e->object_type);
	db_bind_text(st, 5, e->object_id);
	db_bind_text(st, 6, e->before);
	db_bind_text(st, 7, e->after);
	db_bind_text(st, 8, e->remote);
	int rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		log_error("audit: could not record %s by %s", e->action,
		          e->actor_email ? e->actor_email : "-");
	return rc < 0 ? -1 : 0;
}

static const char *dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

size_t audit_list(struct db *db, struct arena *a, const char *since, const char *email, size_t limit,
                  struct audit_entry **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, at, coalesce(user_id, 0), actor_email, action, "
	                   "object_type, object_id, before, after, remote FROM audit "
	                   "WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR actor_email = ?2) "
	                   "ORDER BY id LIMIT ?3");
	size_t n = 0, cap = 64;
	*out = arena_calloc(a, cap, sizeof(**out));
	if (!st)
		return 0;
	db_bind_text(st, 1, since);
	db_bind_text(st, 2, email);
	db_bind_int(st, 3, (int64_t)limit);
	while (n < limit && db_step(st) == 1) {
		if (n == cap) {
			struct audit_entry *bigger = arena_calloc(a, 2 * cap, sizeof(*bigger));
			memcpy(bigger, *out, n * sizeof(*bigger));
			*out = bigger, cap *= 2;
		}
		struct audit_entry *e = &(*out)[n++];
		e->id = db_col_int(st, 0);
		e->at = dup(a, db_col_text(st, 1));
		e->user_id = db_col_int(st, 2);
		e->actor_email = dup(a, db_col_text(st, 3));
		e->action = dup(a, db_col_text(st, 4));
		e->object_type = dup(a, db_col_text(st, 5));
		e->object_id = dup(a, db_col_text(st, 6));
		e->before = dup(a, db_col_text(st, 7));
		e->after = dup(a, db_col_text(st, 8));
		e->remote = dup(a, db_col_text(st, 9));
	}
	db_finalize(st);
	return n;
}
