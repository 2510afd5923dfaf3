/* Setting storage: one row per key. */
#include "model/setting.h"

#include <stdlib.h>

#include "base/log.h"

const char *setting_get(struct db *db, struct arena *a, const char *key)
{
	struct db_stmt *st = db_prepare(db, "SELECT value FROM setting WHERE key = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, key);
	const char *v = NULL;
	if (db_step(st) == 1 && db_col_text(st, 0))
		v = arena_strdup(a, db_col_text(st, 0));
	db_finalize(st);
	return v;
}

int setting_int(struct db *db, const char *key, int def, int min, int max)
{
	struct arena *a = arena_new();
	const char *v = setting_get(db, a, key);
	char *end = NULL;
	long n = v ? strtol(v, &end, 10) : def;
	if (v && (end == v || *end || n < min || n > max)) {
		log_warn("setting %s: '%.40s' is not a number from %d to %d; using %d", key, v, min, max,
		         def);
		n = def;
	}
	arena_free(a);
	return (int)n;
}

int setting_set(struct db *db, const char *key, const char *value)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO setting(key, value) VALUES (?, ?) "
	                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
