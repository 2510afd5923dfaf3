/* Audit storage: INSERT and SELECT only. */
#include "model/audit.h"

#include <stdio.h>
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

#define COLS                                                                                                 \
	"SELECT id, at, coalesce(user_id, 0), actor_email, action, object_type, object_id, before, after, "  \
	"remote FROM audit "

/* Read up to limit rows of st into an arena array. */
static size_t collect(struct db_stmt *st, struct arena *a, size_t limit, struct audit_entry **out)
{
	size_t n = 0, cap = 64;
	*out = arena_calloc(a, cap, sizeof(**out));
	while (st && n < limit && db_step(st) == 1) {
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
	return n;
}

size_t audit_list(struct db *db, struct arena *a, const char *since, const char *email, size_t limit,
                  struct audit_entry **out)
{
	struct db_stmt *st = db_prepare(db, COLS "WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR "
	                                         "actor_email = ?2) ORDER BY id LIMIT ?3");
	if (st) {
		db_bind_text(st, 1, since);
		db_bind_text(st, 2, email);
		db_bind_int(st, 3, (int64_t)limit);
	}
	size_t n = collect(st, a, limit, out);
	db_finalize(st);
	return n;
}

size_t audit_query(struct db *db, struct arena *a, const struct audit_filter *f, struct audit_entry **out,
                   bool *more)
{
	/* One row past the page says whether another page follows. */
	struct db_stmt *st =
	    db_prepare(db, COLS "WHERE (?1 IS NULL OR actor_email = ?1) AND (?2 = 0 OR user_id = ?2) AND "
	                        "(?3 IS NULL OR action = ?3) AND (?4 IS NULL OR object_type = ?4) AND "
	                        "(?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR substr(at, 1, 10) <= ?6) "
	                        "ORDER BY id DESC LIMIT ?7 OFFSET ?8");
	if (st) {
		db_bind_text(st, 1, f->email);
		db_bind_int(st, 2, f->user_id);
		db_bind_text(st, 3, f->action);
		db_bind_text(st, 4, f->object_type);
		db_bind_text(st, 5, f->from);
		db_bind_text(st, 6, f->to);
		db_bind_int(st, 7, (int64_t)f->limit + 1);
		db_bind_int(st, 8, (int64_t)f->offset);
	}
	size_t n = collect(st, a, f->limit + 1, out);
	db_finalize(st);
	*more = n > f->limit;
	return *more ? f->limit : n;
}

size_t audit_values(struct db *db, struct arena *a, const char *column, const char ***out)
{
	/* column is one of two names of ours, never input. */
	const char *c = strcmp(column, "action") == 0 ? "action" : "object_type";
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT DISTINCT %s FROM audit WHERE %s IS NOT NULL ORDER BY 1", c, c);
	struct db_stmt *st = db_prepare(db, sql);
	size_t n = 0, cap = 16;
	const char **v = arena_alloc(a, cap * sizeof(*v));
	while (st && db_step(st) == 1) {
		if (n == cap) {
			const char **w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(w, v, n * sizeof(*w));
			v = w, cap *= 2;
		}
		v[n++] = arena_strdup(a, db_col_text(st, 0));
	}
	db_finalize(st);
	*out = v;
	return n;
}
