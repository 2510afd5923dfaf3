/* Rows loaded from content files (topics, hotlines): one rule for every such table. Table names are
 * our own literals, never input. */
#include "model/filesync.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool named(const char *slug, const char *const *keep, size_t nkeep)
{
	for (size_t i = 0; i < nkeep; i++)
		if (strcmp(slug, keep[i]) == 0)
			return true;
	return false;
}

int filesync_retire_others(struct db *db, struct arena *a, const char *table, const char *const *keep,
                           size_t nkeep, const char ***retired)
{
	/* table is one of our own names, never input. */
	char sql[128];
	/* A row made or changed in the console is the console's: a file without it does not retire it. */
	snprintf(sql, sizeof(sql),
	         "SELECT slug FROM %s WHERE retired = 0 AND console_edited = 0 ORDER BY slug", table);
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	size_t n = 0, cap = 8;
	const char **v = arena_alloc(a, cap * sizeof(*v));
	while (db_step(st) == 1) {
		const char *slug = db_col_text(st, 0);
		if (named(slug, keep, nkeep))
			continue;
		if (n == cap) {
			const char **w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(w, v, cap * sizeof(*w));
			v = w, cap *= 2;
		}
		v[n++] = arena_strdup(a, slug);
	}
	db_finalize(st);
	snprintf(sql, sizeof(sql), "UPDATE %s SET retired = 1 WHERE slug = ?", table);
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *up = db_prepare(db, sql);
		if (!up)
			return -1;
		db_bind_text(up, 1, v[i]);
		int rc = db_step(up);
		db_finalize(up);
		if (rc < 0)
			return -1;
	}
	*retired = v;
	return (int)n;
}

enum filesync filesync_check(struct db *db, const char *table, const char *slug, const char *hash)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT source_hash, console_edited, retired FROM %s WHERE slug = ?",
	         table);
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return FILESYNC_ERROR;
	db_bind_text(st, 1, slug);
	enum filesync out = FILESYNC_WRITE;
	if (db_step(st) == 1) {
		const char *h = db_col_text(st, 0);
		if (db_col_int(st, 2) && !db_col_int(st, 1))
			out = FILESYNC_WRITE; /* retired by init, back in the file: back in service */
		else if (h && strcmp(h, hash) == 0)
			out = FILESYNC_SAME;
		else if (db_col_int(st, 1))
			out = FILESYNC_CONFLICT;
	}
	db_finalize(st);
	return out;
}

int filesync_mark(struct db *db, const char *table, const char *slug, const char *hash, bool keep_console)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE %s SET source_hash = ?%s WHERE slug = ?", table,
	         keep_console ? "" : ", console_edited = 0");
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, slug);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
