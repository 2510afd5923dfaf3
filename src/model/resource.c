/* Resource storage: all SQL about resources and their sources lives here. */
#include "model/resource.h"

#include <jansson.h>
#include <stddef.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/revision.h"

static const char *col(struct db_stmt *st, struct arena *a, int i)
{
	const char *v = db_col_text(st, i);
	return v ? arena_strdup(a, v) : NULL;
}

/* Columns shared by every listing, in this order. */
/* A card's columns: all stored before the body (a column after it costs a walk of the body's
 * overflow pages on every row), the others constant for published rows reached through the
 * (topic_id, status) index. */
#define CARD_COLS                                                                                            \
	"r.id, r.slug, r.lang, t.section, t.slug, r.type, r.stage, r.title, r.summary, '', NULL, 0, "        \
	"'published', NULL, NULL, 0"
#define LIST_COLS                                                                                            \
	"r.id, r.slug, r.lang, t.section, t.slug, r.type, r.stage, r.title, r.summary, r.checked, "          \
	"r.translation, r.sample, r.status, r.reviewed_at, r.reviewer, r.version"

static void read_list_cols(struct db_stmt *st, struct arena *a, struct resource *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	r->slug = col(st, a, 1);
	r->lang = col(st, a, 2);
	r->section = col(st, a, 3);
	r->topic = col(st, a, 4);
	r->type = col(st, a, 5);
	r->stage = col(st, a, 6);
	r->title = col(st, a, 7);
	r->summary = col(st, a, 8);
	r->checked = col(st, a, 9);
	r->translation = col(st, a, 10);
	r->sample = db_col_int(st, 11) != 0;
	r->status = col(st, a, 12);
	r->reviewed_at = col(st, a, 13);
	r->reviewer = col(st, a, 14);
	r->version = db_col_int(st, 15);
}

/* Text read back from the database is checked as text entering from a file is: a field that is not
 * valid UTF-8 (an edit made outside vrc) marks the resource invalid, naming the field, so the site
 * can refuse to render it and say why instead of serving an empty page. */
#define TEXT(f)                                                                                              \
	{                                                                                                    \
#f, offsetof(struct resource, f)                                                             \
	}
static const struct {
	const char *name;
	size_t offset;
} text_fields[] = {
    TEXT(slug),     TEXT(lang),        TEXT(section), TEXT(topic),       TEXT(type),     TEXT(stage),
    TEXT(title),    TEXT(summary),     TEXT(body),    TEXT(url),         TEXT(video),    TEXT(poster),
    TEXT(captions), TEXT(translation), TEXT(checked), TEXT(reviewed_at), TEXT(reviewer), TEXT(status),
};

static void check_text(struct resource *r)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]) && !r->invalid; i++) {
		const char *v = *(const char **)((const char *)r + text_fields[i].offset);
		if (v && !utf8_valid(v, strlen(v)))
			r->invalid = text_fields[i].name;
	}
	for (size_t i = 0; i < r->nsources && !r->invalid; i++)
		if (!utf8_valid(r->sources[i].title, strlen(r->sources[i].title)) ||
		    !utf8_valid(r->sources[i].url, strlen(r->sources[i].url)))
			r->invalid = "sources";
	/* The fixed vocabularies must hold too, or the page would print a label that does not exist. */
	if (!r->invalid && (!r->title || !r->summary || !r->checked || !r->type || !r->stage))
		r->invalid = "a required field";
}

/* Run a listing statement (already bound) into an arena array. */
static size_t collect(struct db_stmt *st, struct arena *a, struct resource **out)
{
	size_t n = 0, cap = 16;
	struct resource *v = arena_alloc(a, cap * sizeof(*v));
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct resource *w = arena_alloc(a, cap * 2 * sizeof(*v));
			memcpy(w, v, n * sizeof(*v));
			v = w;
			cap *= 2;
		}
		read_list_cols(st, a, &v[n]);
		check_text(&v[n++]);
	}
	db_finalize(st);
	*out = v;
	return n;
}

static void load_sources(struct db *db, struct arena *a, struct resource *r)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT title, url, lang FROM resource_source WHERE resource_id = ? "
	                   "ORDER BY position");
	if (!st)
		return;
	db_bind_int(st, 1, r->id);
	size_t cap = RESOURCE_MAX_SOURCES;
	r->sources = arena_alloc(a, cap * sizeof(*r->sources));
	while (db_step(st) == 1) {
		if (r->nsources == cap) {
			struct source *v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, r->sources, cap * sizeof(*v));
			r->sources = v;
			cap *= 2;
		}
		r->sources[r->nsources].title = col(st, a, 0);
		r->sources[r->nsources].url = col(st, a, 1);
		r->sources[r->nsources].lang = col(st, a, 2);
		r->nsources++;
	}
	db_finalize(st);
}

static void load_hotlines(struct db *db, struct arena *a, struct resource *r)
{
	struct db_stmt *st = db_prepare(db, "SELECT hotline_slug FROM resource_hotline WHERE resource_id = ? "
	                                    "ORDER BY position");
	if (!st)
		return;
	db_bind_int(st, 1, r->id);
	size_t cap = 4;
	r->hotlines = arena_alloc(a, cap * sizeof(*r->hotlines));
	while (db_step(st) == 1) {
		if (r->nhotlines == cap) {
			const char **v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, r->hotlines, cap * sizeof(*v));
			r->hotlines = v;
			cap *= 2;
		}
		r->hotlines[r->nhotlines++] = col(st, a, 0);
	}
	db_finalize(st);
}

struct resource *resource_get(struct db *db, struct arena *a, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT " LIST_COLS ", r.body, r.url, r.video, r.poster, "
	                                    "r.captions FROM resource r JOIN topic t ON "
	                                    "t.id = r.topic_id WHERE r.slug = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, slug);
	struct resource *r = NULL;
	if (db_step(st) == 1) {
		r = arena_alloc(a, sizeof(*r));
		read_list_cols(st, a, r);
		r->body = col(st, a, 16);
		r->url = col(st, a, 17);
		r->video = col(st, a, 18);
		r->poster = col(st, a, 19);
		r->captions = col(st, a, 20);
	}
	db_finalize(st);
	if (r) {
		load_sources(db, a, r);
		load_hotlines(db, a, r);
		check_text(r);
	}
	return r;
}

struct resource *resource_by_id(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT slug FROM resource WHERE id = ?");
	char *slug = NULL;
	if (st) {
		db_bind_int(st, 1, id);
		if (db_step(st) == 1)
			slug = arena_strdup(a, db_col_text(st, 0));
	}
	db_finalize(st);
	return slug ? resource_get(db, a, slug) : NULL;
}

struct resource *resource_find(struct db *db, struct arena *a, const char *slug)
{
	struct resource *r = resource_get(db, a, slug);
	return r && r->status && strcmp(r->status, "published") == 0 ? r : NULL;
}

struct resource *resource_card(struct db *db, struct arena *a, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT " LIST_COLS " FROM resource r JOIN topic t ON "
	                                    "t.id = r.topic_id WHERE r.slug = ? AND r.status = 'published'");
	if (st)
		db_bind_text(st, 1, slug);
	struct resource *r;
	return collect(st, a, &r) ? r : NULL;
}

size_t resource_list_section(struct db *db, struct arena *a, const char *section, const char *lang,
                             struct resource **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " CARD_COLS " FROM topic t CROSS JOIN resource r ON r.topic_id = t.id AND "
	                   "r.status = 'published' WHERE t.section = ? AND r.lang = ? ORDER BY t.position, "
	                   "CASE r.stage WHEN 'first-days' THEN 1 WHEN 'weeks-months' THEN 2 "
	                   "WHEN 'long-term' THEN 3 ELSE 4 END, r.title");
	if (st) {
		db_bind_text(st, 1, section);
		db_bind_text(st, 2, lang);
	}
	return collect(st, a, out);
}

size_t resource_slugs(struct db *db, struct arena *a, const char *status, const char *topic,
                      struct resource **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT r.id, r.slug, r.lang, t.section, t.slug FROM topic t "
	                                    "CROSS JOIN resource r ON r.topic_id = t.id AND r.status = ?1 "
	                                    "WHERE ?2 IS NULL OR t.slug = ?2 ORDER BY r.slug");
	size_t n = 0, cap = 64;
	struct resource *v = arena_alloc(a, cap * sizeof(*v));
	if (st) {
		db_bind_text(st, 1, status);
		db_bind_text(st, 2, topic);
	}
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct resource *w = arena_alloc(a, 2 * cap * sizeof(*w));
			memcpy(w, v, n * sizeof(*v));
			v = w, cap *= 2;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = db_col_int(st, 0);
		v[n].slug = col(st, a, 1);
		v[n].lang = col(st, a, 2);
		v[n].section = col(st, a, 3);
		v[n].topic = col(st, a, 4);
		v[n++].status = status;
	}
	db_finalize(st);
	*out = v;
	return n;
}

size_t resource_list_status(struct db *db, struct arena *a, const char *status, struct resource **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " LIST_COLS " FROM resource r JOIN topic t ON "
	                                    "t.id = r.topic_id WHERE r.status = ? ORDER BY r.slug");
	if (st)
		db_bind_text(st, 1, status);
	return collect(st, a, out);
}

size_t resource_admin_list(struct db *db, struct arena *a, const struct resource_filter *f, size_t offset,
                           size_t limit, struct resource **out, size_t *total)
{
	/* The open draft's state: the newest draft or review revision after the last published one. */
#define OPEN_STATE                                                                                           \
	"(SELECT v.state FROM revision v WHERE v.resource_id = r.id AND v.state IN ('draft', 'review') AND " \
	"v.id > coalesce((SELECT max(id) FROM revision WHERE resource_id = r.id AND state = 'published'), "  \
	"0) "                                                                                                \
	"ORDER BY v.id DESC LIMIT 1)"
#define ADMIN_WHERE                                                                                          \
	" FROM resource r JOIN topic t ON t.id = r.topic_id JOIN section s ON s.slug = t.section WHERE "     \
	"(?1 IS NULL OR t.section = ?1) AND (?2 IS NULL OR r.lang = ?2) AND "                                \
	"(?3 IS NULL OR (?3 = 'review' AND " OPEN_STATE                                                      \
	" = 'review') OR (?3 <> 'review' AND r.status = ?3)) "                                               \
	"AND (?4 = 0 OR (r.status = 'published' AND (r.reviewed_at IS NULL OR r.reviewed_at < "              \
	"date('now', '-' || ?5 || ' months')))) AND (?6 IS NULL OR r.title LIKE '%' || ?6 || '%' OR "        \
	"r.slug LIKE '%' || ?6 || '%')"
	static const char *const sql[2] = {"SELECT count(*)" ADMIN_WHERE,
	                                   "SELECT " LIST_COLS ", coalesce(" OPEN_STATE ", '')" ADMIN_WHERE
	                                   " ORDER BY s.position, r.lang, r.title LIMIT ?7 OFFSET ?8"};
	struct db_stmt *st[2];
	for (int k = 0; k < 2; k++) {
		st[k] = db_prepare(db, sql[k]);
		if (!st[k])
			continue;
		db_bind_text(st[k], 1, f->section);
		db_bind_text(st[k], 2, f->lang);
		db_bind_text(st[k], 3, f->status);
		db_bind_int(st[k], 4, f->stale);
		db_bind_int(st[k], 5, f->review_months);
		db_bind_text(st[k], 6, f->query);
	}
	*total = 0;
	if (st[0] && db_step(st[0]) == 1)
		*total = (size_t)db_col_int(st[0], 0);
	db_finalize(st[0]);
	size_t n = 0, cap = limit ? limit : 1;
	struct resource *v = arena_calloc(a, cap, sizeof(*v));
	if (st[1]) {
		db_bind_int(st[1], 7, (int64_t)limit);
		db_bind_int(st[1], 8, (int64_t)offset);
		while (n < cap && db_step(st[1]) == 1) {
			read_list_cols(st[1], a, &v[n]);
			const char *open = db_col_text(st[1], 16);
			v[n].open_state = open && *open ? arena_strdup(a, open) : NULL;
			check_text(&v[n++]);
		}
	}
	db_finalize(st[1]);
	*out = v;
	return n;
#undef OPEN_STATE
#undef ADMIN_WHERE
}

size_t resource_list_files(struct db *db, struct arena *a, struct resource **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " LIST_COLS " FROM resource r JOIN topic t ON "
	                                    "t.id = r.topic_id WHERE r.source_file IS NOT NULL "
	                                    "ORDER BY r.slug");
	return collect(st, a, out);
}

int resource_archive(struct db *db, const char *slug, const char *author)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO revision(resource_id, author, title, summary, body, note) SELECT id, ?, title, "
	        "summary, body, 'archived' FROM resource WHERE slug = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, author);
	db_bind_text(st, 2, slug);
	int rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		return -1;
	/* Forget the file's hash: if the file comes back, it is loaded again. */
	st = db_prepare(db, "UPDATE resource SET status = 'archived', source_hash = NULL, "
	                    "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE slug = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, slug);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

size_t resource_list_stage(struct db *db, struct arena *a, const char *lang, const char *stage, size_t max,
                           struct resource **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CARD_COLS " FROM section s JOIN topic t ON "
	                                    "t.section = s.slug CROSS JOIN resource r ON r.topic_id = t.id "
	                                    "AND r.status = 'published' WHERE r.lang = ? AND r.stage = ? "
	                                    "AND r.type <> 'worksheet' ORDER BY s.position, t.position, "
	                                    "r.title LIMIT ?");
	if (st) {
		db_bind_text(st, 1, lang);
		db_bind_text(st, 2, stage);
		db_bind_int(st, 3, (int64_t)max);
	}
	return collect(st, a, out);
}

size_t resource_related(struct db *db, struct arena *a, const struct resource *r, size_t max,
                        struct resource **out)
{
	struct db_stmt *st =
	    /* The inner query picks the ids from the resource_topic index alone (migration 015: topic,
	     * status, language, title, slug); the outer reads the list columns of those few rows only (a
	     * column after a long body costs a walk of its overflow pages). */
	    db_prepare(db, "SELECT " LIST_COLS " FROM resource r JOIN topic t ON t.id = r.topic_id "
	                   "WHERE r.id IN (SELECT r.id FROM topic t CROSS JOIN resource r ON "
	                   "r.topic_id = t.id AND r.status = 'published' WHERE t.section = ?1 AND "
	                   "r.lang = ?2 AND r.slug <> ?3 ORDER BY (t.slug = ?4) DESC, t.position, r.title "
	                   "LIMIT ?5) ORDER BY (t.slug = ?4) DESC, t.position, r.title");
	if (st) {
		db_bind_text(st, 1, r->section);
		db_bind_text(st, 2, r->lang);
		db_bind_text(st, 3, r->slug);
		db_bind_text(st, 4, r->topic);
		db_bind_int(st, 5, (int64_t)max);
	}
	return collect(st, a, out);
}

/* True when the live text is already kept as a published revision (loads and publishes since
 * migration 006 keep one), so nothing more needs saving before it is replaced. */
static bool live_kept(struct db *db, int64_t id)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT 1 FROM revision WHERE resource_id = ? AND state = 'published'");
	if (!st)
		return false;
	db_bind_int(st, 1, id);
	bool kept = db_step(st) == 1;
	db_finalize(st);
	return kept;
}

/* Keep the previous text when a save changes it and no revision holds it yet. */
static int keep_revision(struct db *db, int64_t id, const struct resource *r, const char *author)
{
	if (live_kept(db, id))
		return 0;
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO revision(resource_id, author, title, summary, body, note) "
	        "SELECT id, ?, title, summary, body, 'before update' FROM resource WHERE id = ? AND "
	        "(title <> ? OR summary <> ? OR body <> ?)");
	if (!st)
		return -1;
	db_bind_text(st, 1, author);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, r->title);
	db_bind_text(st, 4, r->summary);
	db_bind_text(st, 5, r->body);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The id of the resource with this slug (0: none, -1: error), whether its source hash is hash, and
 * whether a console edit went live since its file was last loaded. */
static int64_t find_id(struct db *db, const char *slug, const char *hash, bool *same, bool *console)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, source_hash, console_edited FROM resource WHERE slug = ?");
	int64_t id = 0;
	*same = *console = false;
	if (!st)
		return -1;
	db_bind_text(st, 1, slug);
	if (db_step(st) == 1) {
		id = db_col_int(st, 0);
		const char *h = db_col_text(st, 1);
		*same = hash && h && strcmp(h, hash) == 0;
		*console = db_col_int(st, 2) != 0;
	}
	db_finalize(st);
	return id;
}

/* The file changed, and so did the live text in the console: keep the console's, save the file's
 * text as a revision in state conflict for staff to compare, and remember the file's hash so the
 * conflict is reported once. */
static int keep_console(struct db *db, int64_t id, const struct resource *r, const char *author)
{
	if (revision_add(db, id, r, "conflict", 0, author,
	                 "the file changed while the console's version was live") < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db, "UPDATE resource SET source_hash = ?, source_file = ? WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, r->source_hash);
	db_bind_text(st, 2, r->source_file);
	db_bind_int(st, 3, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 2;
}

static int save_sources(struct db *db, int64_t id, const struct resource *r)
{
	struct db_stmt *del = db_prepare(db, "DELETE FROM resource_source WHERE resource_id = ?");
	if (!del)
		return -1;
	db_bind_int(del, 1, id);
	int rc = db_step(del);
	db_finalize(del);
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO resource_source(resource_id, position, title, url, lang) "
	                   "VALUES (?, ?, ?, ?, ?)");
	for (size_t i = 0; st && rc >= 0 && i < r->nsources; i++) {
		db_reset(st);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)i);
		db_bind_text(st, 3, r->sources[i].title);
		db_bind_text(st, 4, r->sources[i].url);
		db_bind_text(st, 5, r->sources[i].lang);
		rc = db_step(st);
	}
	db_finalize(st);
	return st && rc >= 0 ? 0 : -1;
}

static int save_hotlines(struct db *db, int64_t id, const struct resource *r)
{
	struct db_stmt *del = db_prepare(db, "DELETE FROM resource_hotline WHERE resource_id = ?");
	if (!del)
		return -1;
	db_bind_int(del, 1, id);
	int rc = db_step(del);
	db_finalize(del);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO resource_hotline(resource_id, position, hotline_slug) VALUES (?, ?, ?)");
	for (size_t i = 0; st && rc >= 0 && i < r->nhotlines; i++) {
		db_reset(st);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)i);
		db_bind_text(st, 3, r->hotlines[i]);
		rc = db_step(st);
	}
	db_finalize(st);
	return st && rc >= 0 ? 0 : -1;
}

int resource_save(struct db *db, const struct resource *r, const char *author)
{
	bool same, console;
	int64_t id = find_id(db, r->slug, r->source_hash, &same, &console);
	if (same)
		return 0;
	if (id > 0 && console && r->source_file)
		return keep_console(db, id, r, author);
	if (id < 0 || (id > 0 && keep_revision(db, id, r, author) < 0))
		return -1;
	const char *sql = id ? "UPDATE resource SET lang=?1, topic_id=(SELECT id FROM topic WHERE slug=?2), "
	                       "type=?3, stage=?4, title=?5, summary=?6, body=?7, url=?8, video=?9, "
	                       "poster=?10, captions=?11, sample=?12, translation=?13, checked=?14, "
	                       "status=?16, source_file=?18, source_hash=?19, console_edited=0, "
	                       "updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE slug=?17"
	                     : "INSERT INTO resource(lang, topic_id, type, stage, title, summary, body, url, "
	                       "video, poster, captions, sample, translation, checked, reviewer, status, "
	                       "slug, source_file, source_hash) VALUES (?1, (SELECT id FROM topic WHERE "
	                       "slug=?2), ?3, ?4, ?5, ?6, ?7, "
	                       "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	const char *texts[] = {r->lang, r->topic, r->type,  r->stage,  r->title,   r->summary,
	                       r->body, r->url,   r->video, r->poster, r->captions};
	for (int i = 0; i < 11; i++)
		db_bind_text(st, i + 1, texts[i]);
	db_bind_int(st, 12, r->sample);
	db_bind_text(st, 13, r->translation);
	db_bind_text(st, 14, r->checked);
	db_bind_text(st, 15, r->reviewer);
	db_bind_text(st, 16, r->status ? r->status : "published");
	db_bind_text(st, 17, r->slug);
	db_bind_text(st, 18, r->source_file);
	db_bind_text(st, 19, r->source_hash);
	int rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (!id)
		id = db_last_id(db);
	if (save_sources(db, id, r) < 0 || save_hotlines(db, id, r) < 0)
		return -1;
	/* The text now live is a revision too, so history and comparisons include every version. A
	 * console draft (status draft) is kept by the console as its own revision. */
	if (r->source_file &&
	    revision_add(db, id, r, "published", 0, author, "loaded from its content file") < 0)
		return -1;
	return 1;
}

int resource_publish(struct db *db, int64_t id, const struct resource *r, const char *reviewer,
                     const char *reviewed_at, const char *author)
{
	if (keep_revision(db, id, r, author) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE resource SET topic_id=(SELECT id FROM topic WHERE slug=?1), type=?2, stage=?3, title=?4, "
	    "summary=?5, body=?6, url=?7, video=?8, poster=?9, captions=?10, sample=?11, translation=?12, "
	    "checked=?13, status='published', reviewer=?14, reviewed_at=?15, version=version+1, "
	    "console_edited=1, updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?16");
	if (!st)
		return -1;
	const char *texts[] = {r->topic, r->type, r->stage, r->title,  r->summary,
	                       r->body,  r->url,  r->video, r->poster, r->captions};
	for (int i = 0; i < 10; i++)
		db_bind_text(st, i + 1, texts[i]);
	db_bind_int(st, 11, r->sample);
	db_bind_text(st, 12, r->translation);
	db_bind_text(st, 13, r->checked);
	db_bind_text(st, 14, reviewer);
	db_bind_text(st, 15, reviewed_at);
	db_bind_int(st, 16, id);
	int rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		return -1;
	return save_sources(db, id, r) < 0 || save_hotlines(db, id, r) < 0 ? -1 : 0;
}

int resource_set_status(struct db *db, int64_t id, const char *status)
{
	struct db_stmt *st = db_prepare(db, "UPDATE resource SET status = ?, console_edited = 1, "
	                                    "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* ---- the editable resource as JSON (revision snapshots, the console's forms) ---- */

#define SNAP(f)                                                                                              \
	{                                                                                                    \
#f, offsetof(struct resource, f)                                                             \
	}
static const struct {
	const char *name;
	size_t offset;
} snap_fields[] = {
    SNAP(title), SNAP(summary), SNAP(body),   SNAP(topic),    SNAP(type),    SNAP(stage),
    SNAP(url),   SNAP(video),   SNAP(poster), SNAP(captions), SNAP(checked), SNAP(translation),
};

char *resource_encode(const struct resource *r)
{
	json_t *j = json_object();
	for (size_t i = 0; i < sizeof(snap_fields) / sizeof(snap_fields[0]); i++) {
		const char *v = *(const char *const *)((const char *)r + snap_fields[i].offset);
		if (v)
			json_object_set_new(j, snap_fields[i].name, json_string(v));
	}
	json_t *srcs = json_array();
	for (size_t i = 0; i < r->nsources; i++) {
		json_t *s = json_pack("{s:s?, s:s?}", "title", r->sources[i].title, "url", r->sources[i].url);
		if (s && r->sources[i].lang)
			json_object_set_new(s, "lang", json_string(r->sources[i].lang));
		json_array_append_new(srcs, s ? s : json_null());
	}
	json_object_set_new(j, "sources", srcs);
	json_t *lines = json_array();
	for (size_t i = 0; i < r->nhotlines; i++)
		json_array_append_new(lines, json_string(r->hotlines[i]));
	json_object_set_new(j, "hotlines", lines);
	json_object_set_new(j, "sample", json_boolean(r->sample));
	char *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return out;
}

static const char *jdup(struct arena *a, json_t *v)
{
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

int resource_decode(struct arena *a, const char *text, struct resource *r)
{
	json_t *j = json_loads(text, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	for (size_t i = 0; i < sizeof(snap_fields) / sizeof(snap_fields[0]); i++)
		*(const char **)((char *)r + snap_fields[i].offset) =
		    jdup(a, json_object_get(j, snap_fields[i].name));
	json_t *srcs = json_object_get(j, "sources"), *v;
	size_t i;
	r->nsources = 0;
	r->sources = arena_calloc(a, json_array_size(srcs) + 1, sizeof(*r->sources));
	json_array_foreach (srcs, i, v) {
		r->sources[r->nsources++] =
		    (struct source){jdup(a, json_object_get(v, "title")), jdup(a, json_object_get(v, "url")),
		                    jdup(a, json_object_get(v, "lang"))};
	}
	json_t *lines = json_object_get(j, "hotlines");
	r->nhotlines = 0;
	r->hotlines = arena_calloc(a, json_array_size(lines) + 1, sizeof(*r->hotlines));
	json_array_foreach (lines, i, v)
		if (json_is_string(v))
			r->hotlines[r->nhotlines++] = jdup(a, v);
	r->sample = json_is_true(json_object_get(j, "sample"));
	json_decref(j);
	return 0;
}

size_t resource_list_due(struct db *db, struct arena *a, const char *cutoff, struct resource **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " LIST_COLS " FROM resource r JOIN topic t ON "
	                                    "t.id = r.topic_id WHERE r.status = 'published' AND "
	                                    "(r.reviewed_at IS NULL OR r.reviewed_at < ?) "
	                                    "ORDER BY r.reviewed_at IS NOT NULL, r.reviewed_at, r.slug");
	if (st)
		db_bind_text(st, 1, cutoff);
	return collect(st, a, out);
}
