/* Catalogue reads: all SQL about listing the published library for machines lives here. */
#include "model/catalog.h"

#include <string.h>

#include "base/utf8.h"

static const char *col(struct db_stmt *st, struct arena *a, int i)
{
	const char *v = db_col_text(st, i);
	return v ? arena_strdup(a, v) : NULL;
}

#define ITEM_COLS                                                                                            \
	"r.id, r.slug, r.lang, t.section, t.slug, r.type, r.stage, r.title, r.summary, r.checked, "          \
	"r.translation, r.reviewed_at, r.reviewer, r.version, r.url, r.video, r.poster, r.captions, "        \
	"r.created_at, r.updated_at, r.sample"
#define ITEM_WHERE                                                                                           \
	" FROM resource r JOIN topic t ON t.id = r.topic_id WHERE r.status = 'published' AND "               \
	"(?1 IS NULL OR t.section = ?1) AND (?2 IS NULL OR t.slug = ?2) AND (?3 IS NULL OR r.stage = ?3) "   \
	"AND (?4 IS NULL OR r.lang = ?4) AND (?5 IS NULL OR r.updated_at >= ?5)"

/* The text fields of an item, to check as UTF-8 (offsets into struct resource). */
static const size_t text_offsets[] = {
    offsetof(struct resource, slug),     offsetof(struct resource, lang),
    offsetof(struct resource, section),  offsetof(struct resource, topic),
    offsetof(struct resource, type),     offsetof(struct resource, stage),
    offsetof(struct resource, title),    offsetof(struct resource, summary),
    offsetof(struct resource, checked),  offsetof(struct resource, translation),
    offsetof(struct resource, reviewer), offsetof(struct resource, url),
    offsetof(struct resource, video),    offsetof(struct resource, poster),
    offsetof(struct resource, captions),
};

static void read_item(struct db_stmt *st, struct arena *a, struct catalog_item *it)
{
	memset(it, 0, sizeof(*it));
	struct resource *r = &it->r;
	r->id = db_col_int(st, 0);
	const char **fields[] = {&r->slug,    &r->lang,        &r->section,     &r->topic,
	                         &r->type,    &r->stage,       &r->title,       &r->summary,
	                         &r->checked, &r->translation, &r->reviewed_at, &r->reviewer};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		*fields[i] = col(st, a, (int)i + 1);
	r->version = db_col_int(st, 13);
	r->url = col(st, a, 14);
	r->video = col(st, a, 15);
	r->poster = col(st, a, 16);
	r->captions = col(st, a, 17);
	it->created_at = col(st, a, 18);
	it->updated_at = col(st, a, 19);
	r->sample = db_col_int(st, 20) != 0;
	r->status = "published";
	for (size_t i = 0; i < sizeof(text_offsets) / sizeof(text_offsets[0]) && !r->invalid; i++) {
		const char *v = *(const char **)((const char *)r + text_offsets[i]);
		if (v && !utf8_valid(v, strlen(v)))
			r->invalid = "a text field";
	}
}

static void bind_filter(struct db_stmt *st, const struct catalog_filter *f)
{
	db_bind_text(st, 1, f->section);
	db_bind_text(st, 2, f->topic);
	db_bind_text(st, 3, f->stage);
	db_bind_text(st, 4, f->lang);
	db_bind_text(st, 5, f->since);
}

size_t catalog_resources(struct db *db, struct arena *a, const struct catalog_filter *f,
                         struct catalog_item **out, size_t *total)
{
	struct db_stmt *count = db_prepare(db, "SELECT count(*)" ITEM_WHERE);
	*total = 0;
	if (count) {
		bind_filter(count, f);
		if (db_step(count) == 1)
			*total = (size_t)db_col_int(count, 0);
	}
	db_finalize(count);
	struct db_stmt *st =
	    db_prepare(db, "SELECT " ITEM_COLS ITEM_WHERE " AND r.id > ?6 ORDER BY r.id LIMIT ?7 OFFSET ?8");
	size_t n = 0, cap = 64;
	struct catalog_item *v = arena_calloc(a, cap, sizeof(*v));
	if (st) {
		bind_filter(st, f);
		db_bind_int(st, 6, f->after_id);
		db_bind_int(st, 7, f->limit ? (int64_t)f->limit : -1);
		db_bind_int(st, 8, (int64_t)f->offset);
		while (db_step(st) == 1) {
			if (n == cap) {
				struct catalog_item *w = arena_calloc(a, 2 * cap, sizeof(*w));
				memcpy(w, v, n * sizeof(*w));
				v = w, cap *= 2;
			}
			read_item(st, a, &v[n++]);
		}
	}
	db_finalize(st);
	*out = v;
	return n;
}

int catalog_times(struct db *db, struct arena *a, int64_t id, const char **created, const char **updated)
{
	struct db_stmt *st = db_prepare(db, "SELECT created_at, updated_at FROM resource WHERE id = ?");
	int rc = -1;
	if (st) {
		db_bind_int(st, 1, id);
		if (db_step(st) == 1) {
			*created = col(st, a, 0);
			*updated = col(st, a, 1);
			rc = 0;
		}
	}
	db_finalize(st);
	return rc;
}

const char *catalog_last_change(struct db *db, struct arena *a, const char *lang, const char *section)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT max(r.updated_at) FROM resource r JOIN topic t ON t.id = r.topic_id WHERE "
	        "r.status = 'published' AND (?1 IS NULL OR r.lang = ?1) AND (?2 IS NULL OR t.section = ?2)");
	const char *at = NULL;
	if (st) {
		db_bind_text(st, 1, lang);
		db_bind_text(st, 2, section);
		if (db_step(st) == 1)
			at = col(st, a, 0);
	}
	db_finalize(st);
	return at;
}

size_t catalog_changes(struct db *db, struct arena *a, const char *lang, size_t max,
                       struct catalog_change **out)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT v.id, v.created_at, r.slug, v.title, v.summary, NOT EXISTS (SELECT 1 FROM revision "
	        "p WHERE p.resource_id = v.resource_id AND p.state = 'published' AND p.id < v.id) FROM "
	        "revision v JOIN resource r ON r.id = v.resource_id WHERE v.state = 'published' AND "
	        "r.status = 'published' AND r.lang = ? ORDER BY v.id DESC LIMIT ?");
	size_t n = 0;
	struct catalog_change *v = arena_calloc(a, max ? max : 1, sizeof(*v));
	if (st) {
		db_bind_text(st, 1, lang);
		db_bind_int(st, 2, (int64_t)max);
	}
	while (st && n < max && db_step(st) == 1) {
		struct catalog_change *c = &v[n];
		c->revision_id = db_col_int(st, 0);
		c->at = col(st, a, 1);
		c->slug = col(st, a, 2);
		c->title = col(st, a, 3);
		c->summary = col(st, a, 4);
		c->first = db_col_int(st, 5) != 0;
		const char *texts[] = {c->at, c->slug, c->title, c->summary};
		bool ok = true;
		for (size_t i = 0; i < 4; i++)
			ok &= texts[i] && utf8_valid(texts[i], strlen(texts[i]));
		n += ok;
	}
	db_finalize(st);
	*out = v;
	return n;
}
