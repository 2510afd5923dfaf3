/* Topic storage. */
#include "model/topic.h"

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
