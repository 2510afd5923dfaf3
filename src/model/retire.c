/* Retiring rows gone from their content file (topics, hotlines): one rule for every such table. */
#include "model/retire.h"

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

int retire_others(struct db *db, struct arena *a, const char *table, const char *const *keep, size_t nkeep,
                  const char ***retired)
{
	/* table is one of our own names, never input. */
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT slug FROM %s WHERE retired = 0 ORDER BY slug", table);
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
