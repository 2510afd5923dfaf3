/* Hotline storage. */
#include "model/hotline.h"

#include <string.h>

static const char *dup(struct arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

static void load_contacts(struct db *db, struct arena *a, struct hotline *h, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT kind, value FROM hotline_contact WHERE hotline_id = ? "
	                                    "ORDER BY position");
	if (!st)
		return;
	db_bind_int(st, 1, id);
	while (h->ncontacts < sizeof(h->contacts) / sizeof(h->contacts[0]) && db_step(st) == 1) {
		h->contacts[h->ncontacts].kind = dup(a, db_col_text(st, 0));
		h->contacts[h->ncontacts].value = dup(a, db_col_text(st, 1));
		h->ncontacts++;
	}
	db_finalize(st);
}

size_t hotline_list(struct db *db, struct arena *a, const char *lang, struct hotline **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT h.id, h.slug, x.name, x.audience, x.hours, h.languages, "
	                   "h.verified, h.source, h.featured FROM hotline h JOIN hotline_text x "
	                   "ON x.hotline_id = h.id AND x.lang = ? ORDER BY h.position");
	size_t n = 0, cap = 32;
	*out = arena_calloc(a, cap, sizeof(**out));
	if (!st)
		return 0;
	db_bind_text(st, 1, lang);
	int64_t ids[32];
	while (n < cap && db_step(st) == 1) {
		struct hotline *h = &(*out)[n];
		ids[n++] = db_col_int(st, 0);
		h->slug = dup(a, db_col_text(st, 1));
		h->name = dup(a, db_col_text(st, 2));
		h->audience = dup(a, db_col_text(st, 3));
		h->hours = dup(a, db_col_text(st, 4));
		h->languages = dup(a, db_col_text(st, 5));
		h->verified = dup(a, db_col_text(st, 6));
		h->source = dup(a, db_col_text(st, 7));
		h->featured = db_col_int(st, 8) != 0;
	}
	db_finalize(st);
	for (size_t i = 0; i < n; i++)
		load_contacts(db, a, &(*out)[i], ids[i]);
	return n;
}

static int run(struct db_stmt *st)
{
	if (!st)
		return -1;
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int hotline_save(struct db *db, const struct hotline *h, int position)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO hotline(slug, position, featured, languages, verified, "
	                   "source) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(slug) DO UPDATE SET "
	                   "position=excluded.position, featured=excluded.featured, "
	                   "languages=excluded.languages, verified=excluded.verified, "
	                   "source=excluded.source");
	if (!st)
		return -1;
	db_bind_text(st, 1, h->slug);
	db_bind_int(st, 2, position);
	db_bind_int(st, 3, h->featured);
	db_bind_text(st, 4, h->languages);
	db_bind_text(st, 5, h->verified);
	db_bind_text(st, 6, h->source);
	if (run(st) < 0)
		return -1;
	st = db_prepare(
	    db, "DELETE FROM hotline_contact WHERE hotline_id = (SELECT id FROM hotline WHERE slug = ?)");
	if (st)
		db_bind_text(st, 1, h->slug);
	if (run(st) < 0)
		return -1;
	for (size_t i = 0; i < h->ncontacts; i++) {
		st = db_prepare(db, "INSERT INTO hotline_contact(hotline_id, position, kind, value) "
		                    "SELECT id, ?, ?, ? FROM hotline WHERE slug = ?");
		if (!st)
			return -1;
		db_bind_int(st, 1, (int64_t)i);
		db_bind_text(st, 2, h->contacts[i].kind);
		db_bind_text(st, 3, h->contacts[i].value);
		db_bind_text(st, 4, h->slug);
		if (run(st) < 0)
			return -1;
	}
	return 0;
}

int hotline_save_text(struct db *db, const char *slug, const char *lang, const struct hotline *h)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO hotline_text(hotline_id, lang, name, audience, hours) "
	                   "SELECT id, ?, ?, ?, ? FROM hotline WHERE slug = ? "
	                   "ON CONFLICT(hotline_id, lang) DO UPDATE SET name=excluded.name, "
	                   "audience=excluded.audience, hours=excluded.hours");
	if (!st)
		return -1;
	db_bind_text(st, 1, lang);
	db_bind_text(st, 2, h->name);
	db_bind_text(st, 3, h->audience ? h->audience : "");
	db_bind_text(st, 4, h->hours ? h->hours : "");
	db_bind_text(st, 5, slug);
	return run(st);
}
