/* Topic storage. */
#include "model/topic.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "model/filesync.h"

size_t topic_list(struct db *db, struct arena *a, const char *section, const char *lang, struct topic **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT t.slug, t.section, x.title, x.summary FROM topic t "
	                                    "JOIN topic_text x ON x.topic_id = t.id AND x.lang = ? "
	                                    "WHERE t.section = ? AND t.retired = 0 ORDER BY t.position");
	size_t n = 0, cap = 16;
	*out = arena_alloc(a, cap * sizeof(**out));
	if (!st)
		return 0;
	db_bind_text(st, 1, lang);
	db_bind_text(st, 2, section);
	while (db_step(st) == 1) {
		if (n == cap) {
			struct topic *v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, *out, cap * sizeof(*v));
			*out = v, cap *= 2;
		}
		struct topic *t = &(*out)[n++];
		t->slug = arena_strdup(a, db_col_text(st, 0));
		t->section = arena_strdup(a, db_col_text(st, 1));
		t->title = arena_strdup(a, db_col_text(st, 2));
		t->summary = arena_strdup(a, db_col_text(st, 3));
	}
	db_finalize(st);
	return n;
}

const char *topic_title(struct db *db, struct arena *a, const char *section, const char *lang,
                        const char *slug)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT x.title FROM topic t JOIN topic_text x ON x.topic_id = t.id "
	                   "AND x.lang = ? WHERE t.section = ? AND t.retired = 0 AND t.slug = ?");
	const char *title = slug;
	if (st) {
		db_bind_text(st, 1, lang);
		db_bind_text(st, 2, section);
		db_bind_text(st, 3, slug);
		if (db_step(st) == 1)
			title = arena_strdup(a, db_col_text(st, 0));
	}
	db_finalize(st);
	return title;
}

int topic_save(struct db *db, const char *slug, const char *section, int position, const char *lang,
               const char *title, const char *summary)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO topic(slug, section, position) VALUES (?, ?, ?) "
	                                    "ON CONFLICT(slug) DO UPDATE SET section = excluded.section, "
	                                    "position = excluded.position, retired = 0");
	if (!st)
		return -1;
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, section);
	db_bind_int(st, 3, position);
	int rc = db_step(st);
	db_finalize(st);
	st = rc < 0 ? NULL
	            : db_prepare(db, "INSERT INTO topic_text(topic_id, lang, title, summary) "
	                             "SELECT id, ?, ?, ? FROM topic WHERE slug = ? "
	                             "ON CONFLICT(topic_id, lang) DO UPDATE SET title = excluded.title, "
	                             "summary = excluded.summary");
	if (!st)
		return -1;
	db_bind_text(st, 1, lang);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, summary ? summary : "");
	db_bind_text(st, 4, slug);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int topic_retire_others(struct db *db, struct arena *a, const char *const *keep, size_t nkeep,
                        const char ***retired)
{
	return filesync_retire_others(db, a, "topic", keep, nkeep, retired);
}

/* ---- the console's view: both languages */

#define ALL_SQL                                                                                              \
	"SELECT t.slug, t.section, t.position, t.retired, t.console_edited, e.title, e.summary, "            \
	"s.title, s.summary FROM topic t JOIN section c ON c.slug = t.section "                              \
	"LEFT JOIN topic_text e ON e.topic_id = t.id AND e.lang = 'en' "                                     \
	"LEFT JOIN topic_text s ON s.topic_id = t.id AND s.lang = 'es' "

static const char *dup(struct arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

static void read_all(struct db_stmt *st, struct arena *a, struct topic_all *t)
{
	t->slug = dup(a, db_col_text(st, 0));
	t->section = dup(a, db_col_text(st, 1));
	t->position = (int)db_col_int(st, 2);
	t->retired = db_col_int(st, 3) != 0;
	t->console_edited = db_col_int(st, 4) != 0;
	for (int k = 0; k < 2; k++) {
		t->title[k] = dup(a, db_col_text(st, 5 + 2 * k));
		t->summary[k] = dup(a, db_col_text(st, 6 + 2 * k));
	}
}

struct topic_all *topic_get_all(struct db *db, struct arena *a, const char *slug)
{
	struct db_stmt *st = db_prepare(db, ALL_SQL "WHERE t.slug = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, slug);
	struct topic_all *t = NULL;
	if (db_step(st) == 1) {
		t = arena_alloc(a, sizeof(*t));
		read_all(st, a, t);
	}
	db_finalize(st);
	return t;
}

size_t topic_list_all(struct db *db, struct arena *a, struct topic_all **out)
{
	struct db_stmt *st = db_prepare(db, ALL_SQL "ORDER BY c.position, t.retired, t.position, t.slug");
	size_t n = 0, cap = 32;
	struct topic_all *v = arena_alloc(a, cap * sizeof(*v));
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct topic_all *w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(w, v, n * sizeof(*w));
			v = w, cap *= 2;
		}
		read_all(st, a, &v[n++]);
	}
	db_finalize(st);
	*out = v;
	return n;
}

int topic_store(struct db *db, const struct topic_all *t)
{
	static const char *const langs[] = {"en", "es"};
	for (int k = 0; k < 2; k++)
		if (topic_save(db, t->slug, t->section, t->position, langs[k], t->title[k], t->summary[k]) <
		    0)
			return -1;
	struct db_stmt *st = db_prepare(db, "UPDATE topic SET console_edited = 1 WHERE slug = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, t->slug);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

const char *topic_encode(struct arena *a, const struct topic_all *t)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:{s:s, s:s}, s:{s:s, s:s}}", "slug", t->slug, "section",
	                      t->section, "position", t->position, "title", "en", t->title[0], "es",
	                      t->title[1], "summary", "en", t->summary[0], "es", t->summary[1]);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *out = arena_strdup(a, text ? text : "{}");
	free(text);
	return out;
}
