/* Hotline storage. */
#include "model/hotline.h"

#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "model/filesync.h"

static const char *dup(struct arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

static bool text_ok(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* The contacts for lang; false when one is not valid text. */
static bool load_contacts(struct db *db, struct arena *a, struct hotline *h, int64_t id, const char *lang)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT kind, value, lang FROM hotline_contact WHERE "
	                   "hotline_id = ? AND (lang IS NULL OR lang = ?) ORDER BY position");
	if (!st)
		return false;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, lang);
	size_t cap = 4;
	bool ok = true;
	h->contacts = arena_alloc(a, cap * sizeof(*h->contacts));
	while (db_step(st) == 1) {
		if (h->ncontacts == cap) {
			struct contact *v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, h->contacts, cap * sizeof(*v));
			h->contacts = v;
			cap *= 2;
		}
		struct contact *c = &h->contacts[h->ncontacts++];
		c->kind = dup(a, db_col_text(st, 0));
		c->value = dup(a, db_col_text(st, 1));
		c->lang = db_col_text(st, 2) ? dup(a, db_col_text(st, 2)) : NULL;
		ok = ok && text_ok(c->value);
	}
	db_finalize(st);
	return ok;
}

static bool hotline_text_ok(const struct hotline *h)
{
	const char *v[] = {h->slug, h->name, h->audience, h->hours, h->languages, h->verified, h->source};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!text_ok(v[i]))
			return false;
	return true;
}

size_t hotline_list(struct db *db, struct arena *a, const char *lang, struct hotline **out, size_t *invalid)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT h.id, h.slug, x.name, x.audience, x.hours, h.languages, "
	                   "h.verified, h.source, h.featured, h.panel FROM hotline h JOIN hotline_text x "
	                   "ON x.hotline_id = h.id AND x.lang = ? WHERE h.retired = 0 ORDER BY h.position");
	size_t n = 0, cap = 16, bad = 0;
	*out = arena_calloc(a, cap, sizeof(**out));
	int64_t *ids = arena_alloc(a, cap * sizeof(*ids));
	if (invalid)
		*invalid = 0;
	if (!st)
		return 0;
	db_bind_text(st, 1, lang);
	while (db_step(st) == 1) {
		if (n == cap) {
			struct hotline *v = arena_calloc(a, 2 * cap, sizeof(*v));
			int64_t *w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(v, *out, cap * sizeof(*v));
			memcpy(w, ids, cap * sizeof(*w));
			*out = v, ids = w, cap *= 2;
		}
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
		h->panel = db_col_int(st, 9) != 0;
	}
	db_finalize(st);
	/* Keep the lines whose text is sound; a broken one is named in the log, never shown garbled. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		struct hotline *h = &(*out)[i];
		if (!load_contacts(db, a, h, ids[i], lang) || !hotline_text_ok(h)) {
			log_error("hotline %s (%s): stored text is not valid UTF-8; left out of the pages",
			          text_ok(h->slug) ? h->slug : "?", lang);
			bad++;
			continue;
		}
		(*out)[kept++] = *h;
	}
	if (invalid)
		*invalid = bad;
	return kept;
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
	    db_prepare(db, "INSERT INTO hotline(slug, position, featured, panel, languages, verified, "
	                   "source) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(slug) DO UPDATE SET "
	                   "position=excluded.position, featured=excluded.featured, panel=excluded.panel, "
	                   "languages=excluded.languages, verified=excluded.verified, "
	                   "source=excluded.source, retired=0");
	if (!st)
		return -1;
	db_bind_text(st, 1, h->slug);
	db_bind_int(st, 2, position);
	db_bind_int(st, 3, h->featured);
	db_bind_int(st, 4, h->panel);
	db_bind_text(st, 5, h->languages);
	db_bind_text(st, 6, h->verified);
	db_bind_text(st, 7, h->source);
	if (run(st) < 0)
		return -1;
	st = db_prepare(
	    db, "DELETE FROM hotline_contact WHERE hotline_id = (SELECT id FROM hotline WHERE slug = ?)");
	if (st)
		db_bind_text(st, 1, h->slug);
	if (run(st) < 0)
		return -1;
	for (size_t i = 0; i < h->ncontacts; i++) {
		st = db_prepare(db, "INSERT INTO hotline_contact(hotline_id, position, kind, value, lang) "
		                    "SELECT id, ?, ?, ?, ? FROM hotline WHERE slug = ?");
		if (!st)
			return -1;
		db_bind_int(st, 1, (int64_t)i);
		db_bind_text(st, 2, h->contacts[i].kind);
		db_bind_text(st, 3, h->contacts[i].value);
		db_bind_text(st, 4, h->contacts[i].lang);
		db_bind_text(st, 5, h->slug);
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

int hotline_retire_others(struct db *db, struct arena *a, const char *const *keep, size_t nkeep,
                          const char ***retired)
{
	return filesync_retire_others(db, a, "hotline", keep, nkeep, retired);
}
