/* Alert storage: one row of state and a row of text per language. */
#include "model/alert.h"

#include <string.h>

int alert_get(struct db *db, struct arena *a, struct alert *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_prepare(db, "SELECT active, url, updated_at FROM site_alert WHERE id = 1");
	if (!st)
		return -1;
	if (db_step(st) == 1) {
		out->active = db_col_int(st, 0) != 0;
		out->url = arena_strdup(a, db_col_text(st, 1) ? db_col_text(st, 1) : "");
		out->updated_at = arena_strdup(a, db_col_text(st, 2) ? db_col_text(st, 2) : "");
	}
	db_finalize(st);
	if (!out->url)
		out->url = "";
	st = db_prepare(db, "SELECT lang, text FROM site_alert_text ORDER BY lang");
	if (!st)
		return -1;
	while (out->n < ALERT_MAX_LANGS && db_step(st) == 1) {
		out->langs[out->n] = arena_strdup(a, db_col_text(st, 0));
		out->texts[out->n++] = arena_strdup(a, db_col_text(st, 1));
	}
	db_finalize(st);
	return 0;
}

const char *alert_text(const struct alert *al, const char *lang, const char **text_lang)
{
	const char *en = NULL;
	if (!al->active)
		return NULL;
	for (size_t i = 0; i < al->n; i++) {
		if (strcmp(al->langs[i], lang) == 0) {
			*text_lang = al->langs[i];
			return al->texts[i];
		}
		if (strcmp(al->langs[i], "en") == 0)
			en = al->texts[i];
	}
	*text_lang = "en";
	return en;
}

static int run(struct db *db, const char *sql, const char *a, const char *b, int64_t n)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	if (a)
		db_bind_text(st, 1, a);
	if (b)
		db_bind_text(st, 2, b);
	if (!a && !b)
		db_bind_int(st, 1, n);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int alert_set(struct db *db, const struct alert *al)
{
	if (db_begin(db) < 0)
		return -1;
	int rc = run(db,
	             "UPDATE site_alert SET active = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
	             "WHERE id = 1",
	             NULL, NULL, al->active);
	rc =
	    rc ? rc : run(db, "UPDATE site_alert SET url = ?1 WHERE id = 1", al->url ? al->url : "", NULL, 0);
	rc = rc ? rc : db_exec(db, "DELETE FROM site_alert_text");
	for (size_t i = 0; rc == 0 && i < al->n; i++)
		if (al->texts[i] && al->texts[i][0])
			rc = run(db, "INSERT INTO site_alert_text(lang, text) VALUES (?1, ?2)", al->langs[i],
			         al->texts[i], 0);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}
