/* Hotline storage. */
#include "model/hotline.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
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

/* The contacts for lang (NULL: every contact); false when one is not valid text. */
static bool load_contacts(struct db *db, struct arena *a, struct hotline *h, int64_t id, const char *lang)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT kind, value, lang FROM hotline_contact WHERE hotline_id = ?1 AND "
	                   "(?2 IS NULL OR lang IS NULL OR lang = ?2) ORDER BY position");
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

/* ---- the console's view: both languages, every contact */

#define ALL_COLS                                                                                             \
	"h.id, h.slug, h.languages, h.verified, h.source, h.featured, h.panel, h.retired, "                  \
	"h.console_edited, h.position, e.name, e.audience, e.hours, s.name, s.audience, s.hours"
#define ALL_FROM                                                                                             \
	" FROM hotline h LEFT JOIN hotline_text e ON e.hotline_id = h.id AND e.lang = 'en' "                 \
	"LEFT JOIN hotline_text s ON s.hotline_id = h.id AND s.lang = 'es' "

static int64_t read_all(struct db_stmt *st, struct arena *a, struct hotline_all *h)
{
	memset(h, 0, sizeof(*h));
	h->slug = dup(a, db_col_text(st, 1));
	h->languages = dup(a, db_col_text(st, 2));
	h->verified = dup(a, db_col_text(st, 3));
	h->source = dup(a, db_col_text(st, 4));
	h->featured = db_col_int(st, 5) != 0;
	h->panel = db_col_int(st, 6) != 0;
	h->retired = db_col_int(st, 7) != 0;
	h->console_edited = db_col_int(st, 8) != 0;
	h->position = (int)db_col_int(st, 9);
	for (int k = 0; k < 2; k++) {
		h->name[k] = dup(a, db_col_text(st, 10 + 3 * k));
		h->audience[k] = dup(a, db_col_text(st, 11 + 3 * k));
		h->hours[k] = dup(a, db_col_text(st, 12 + 3 * k));
	}
	return db_col_int(st, 0);
}

static void all_contacts(struct db *db, struct arena *a, struct hotline_all *h, int64_t id)
{
	struct hotline tmp = {0};
	load_contacts(db, a, &tmp, id, NULL);
	h->contacts = tmp.contacts;
	h->ncontacts = tmp.ncontacts;
}

struct hotline_all *hotline_get_all(struct db *db, struct arena *a, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ALL_COLS ALL_FROM "WHERE h.slug = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, slug);
	struct hotline_all *h = NULL;
	int64_t id = 0;
	if (db_step(st) == 1) {
		h = arena_alloc(a, sizeof(*h));
		id = read_all(st, a, h);
	}
	db_finalize(st);
	if (h)
		all_contacts(db, a, h, id);
	return h;
}

size_t hotline_list_all(struct db *db, struct arena *a, struct hotline_all **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " ALL_COLS ALL_FROM "ORDER BY h.retired, h.position, h.slug");
	size_t n = 0, cap = 16;
	struct hotline_all *v = arena_alloc(a, cap * sizeof(*v));
	int64_t *ids = arena_alloc(a, cap * sizeof(*ids));
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct hotline_all *w = arena_alloc(a, 2 * cap * sizeof(*w));
			int64_t *x = arena_alloc(a, 2 * cap * sizeof(*x));
			memcpy(w, v, n * sizeof(*w));
			memcpy(x, ids, n * sizeof(*x));
			v = w, ids = x, cap *= 2;
		}
		ids[n] = read_all(st, a, &v[n]);
		n++;
	}
	db_finalize(st);
	for (size_t i = 0; i < n; i++)
		all_contacts(db, a, &v[i], ids[i]);
	*out = v;
	return n;
}

static int next_position(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(position) + 1, 0) FROM hotline");
	int pos = -1;
	if (st && db_step(st) == 1)
		pos = (int)db_col_int(st, 0);
	db_finalize(st);
	return pos;
}

int hotline_store(struct db *db, const struct hotline_all *h)
{
	int pos = h->position >= 0 ? h->position : next_position(db);
	struct hotline row = {.slug = h->slug,
	                      .languages = h->languages,
	                      .verified = h->verified,
	                      .source = h->source,
	                      .featured = h->featured,
	                      .panel = h->panel,
	                      .contacts = h->contacts,
	                      .ncontacts = h->ncontacts};
	if (pos < 0 || hotline_save(db, &row, pos) < 0)
		return -1;
	static const char *const langs[] = {"en", "es"};
	for (int k = 0; k < 2; k++) {
		row.name = h->name[k];
		row.audience = h->audience[k];
		row.hours = h->hours[k];
		if (hotline_save_text(db, h->slug, langs[k], &row) < 0)
			return -1;
	}
	return hotline_set_retired(db, h->slug, h->retired);
}

int hotline_set_retired(struct db *db, const char *slug, bool retired)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE hotline SET retired = ?, console_edited = 1 WHERE slug = ?");
	if (st) {
		db_bind_int(st, 1, retired);
		db_bind_text(st, 2, slug);
	}
	return run(st);
}

size_t hotline_named_by(struct db *db, struct arena *a, const char *slug, const char ***out)
{
	struct db_stmt *st = db_prepare(db, "SELECT DISTINCT r.title, r.slug FROM resource_hotline x JOIN "
	                                    "resource r ON r.id = x.resource_id WHERE x.hotline_slug = ? "
	                                    "AND r.status <> 'archived' ORDER BY r.slug");
	size_t n = 0, cap = 8;
	const char **v = arena_alloc(a, cap * sizeof(*v));
	if (st)
		db_bind_text(st, 1, slug);
	while (st && db_step(st) == 1) {
		if (n == cap) {
			const char **w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(w, v, n * sizeof(*w));
			v = w, cap *= 2;
		}
		v[n++] = arena_printf(a, "%s (%s)", db_col_text(st, 0), db_col_text(st, 1));
	}
	db_finalize(st);
	*out = v;
	return n;
}

static json_t *pair(const char *const v[2])
{
	return json_pack("{s:s, s:s}", "en", v[0] ? v[0] : "", "es", v[1] ? v[1] : "");
}

const char *hotline_encode(struct arena *a, const struct hotline_all *h)
{
	json_t *cs = json_array(), *langs = json_array();
	for (size_t i = 0; i < h->ncontacts; i++) {
		json_t *c =
		    json_pack("{s:s, s:s}", "kind", h->contacts[i].kind, "value", h->contacts[i].value);
		if (c && h->contacts[i].lang)
			json_object_set_new(c, "lang", json_string(h->contacts[i].lang));
		json_array_append_new(cs, c ? c : json_null());
	}
	for (const char *p = h->languages; p && *p;) {
		size_t n = strcspn(p, ",");
		json_array_append_new(langs, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	json_t *j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:s, s:s, s:b}", "slug", h->slug,
	                      "name", pair(h->name), "for", pair(h->audience), "hours", pair(h->hours),
	                      "contacts", cs, "languages", langs, "featured", h->featured, "panel", h->panel,
	                      "verified", h->verified ? h->verified : "", "source",
	                      h->source ? h->source : "", "retired", h->retired);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *out = arena_strdup(a, text ? text : "{}");
	free(text);
	return out;
}
