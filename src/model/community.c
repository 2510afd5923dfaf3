/* Community storage. Blocks are JSON text in the database; they are parsed into jansson values whose
 * lifetime is tied to the caller's arena (arena_defer), so handlers never free them. */
#include "model/community.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "base/util.h"
#include "model/blockmemo.h"
#include "model/searchindex.h"
#include "view/i18n.h"

void community_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *community_json_text(json_t *v)
{
	char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!s)
		abort(); /* only when out of memory */
	return s;
}

static const char *dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static void decref(void *v)
{
	json_decref(v);
}

/* Parse stored JSON into a value that lives as long as a; NULL for NULL or broken text (logged). */
static json_t *parse(struct arena *a, const char *text, const char *what)
{
	if (!text)
		return NULL;
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);
	if (!v) {
		log_error("community: %s is not JSON: %s", what, e.text);
		return NULL;
	}
	arena_defer(a, decref, v);
	return v;
}

static void split_langs(struct arena *a, struct community *c)
{
	c->nlangs = 0;
	for (const char *p = c->languages; *p && c->nlangs < COMMUNITY_MAX_LANGS;) {
		size_t n = strcspn(p, ",");
		if (n)
			c->langs[c->nlangs++] = arena_strndup(a, p, n);
		p += n + (p[n] == ',');
	}
}

#define COLUMNS "id, slug, name, place, incident_date, languages, timezone, status, created_at, updated_at"

static void row(struct db_stmt *st, struct arena *a, struct community *c)
{
	c->id = db_col_int(st, 0);
	c->slug = dup(a, db_col_text(st, 1));
	c->name = dup(a, db_col_text(st, 2));
	c->place = dup(a, db_col_text(st, 3));
	c->incident_date = dup(a, db_col_text(st, 4));
	c->languages = dup(a, db_col_text(st, 5));
	c->timezone = dup(a, db_col_text(st, 6));
	c->status = dup(a, db_col_text(st, 7));
	c->created_at = dup(a, db_col_text(st, 8));
	c->updated_at = dup(a, db_col_text(st, 9));
	split_langs(a, c);
}

struct community *community_get(struct db *db, struct arena *a, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM community WHERE slug = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, slug);
	struct community *c = NULL;
	if (db_step(st) == 1) {
		c = arena_calloc(a, 1, sizeof(*c));
		row(st, a, c);
	}
	db_finalize(st);
	return c;
}

size_t community_list(struct db *db, struct arena *a, const char *status, struct community **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " COLUMNS " FROM community WHERE ?1 IS NULL OR status = ?1 "
	                   "ORDER BY status, coalesce(incident_date, created_at) DESC, name");
	size_t n = 0, cap = 16;
	*out = arena_calloc(a, cap, sizeof(**out));
	if (!st)
		return 0;
	db_bind_text(st, 1, status);
	while (db_step(st) == 1) {
		if (n == cap) {
			struct community *v = arena_calloc(a, 2 * cap, sizeof(*v));
			memcpy(v, *out, n * sizeof(*v));
			*out = v, cap *= 2;
		}
		row(st, a, &(*out)[n++]);
	}
	db_finalize(st);
	return n;
}

/* Active, published, matching: the public list's rows. ?1 lang, ?2 since. */
#define PUBLIC_FROM                                                                                          \
	" FROM community c JOIN (SELECT community_id, max(published_at) AS at FROM community_block "         \
	"WHERE published IS NOT NULL GROUP BY community_id) p ON p.community_id = c.id WHERE "               \
	"c.status = 'active' AND (?1 IS NULL OR instr(',' || c.languages || ',', ',' || ?1 || ',') > 0) "    \
	"AND (?2 IS NULL OR max(c.updated_at, p.at) >= ?2)"

size_t community_list_public(struct db *db, struct arena *a, const struct community_filter *f,
                             struct community_item **out, size_t *total)
{
	struct db_stmt *count = db_prepare(db, "SELECT count(*)" PUBLIC_FROM);
	*total = 0;
	if (count) {
		db_bind_text(count, 1, f->lang);
		db_bind_text(count, 2, f->since);
		if (db_step(count) == 1)
			*total = (size_t)db_col_int(count, 0);
	}
	db_finalize(count);
	struct db_stmt *st = db_prepare(db, "SELECT c.id, c.slug, c.name, c.place, c.incident_date, "
	                                    "c.languages, c.timezone, c.status, c.created_at, c.updated_at, "
	                                    "max(c.updated_at, p.at)" PUBLIC_FROM
	                                    " AND c.id > ?3 ORDER BY c.id LIMIT ?4 OFFSET ?5");
	size_t n = 0, cap = 16;
	struct community_item *v = arena_calloc(a, cap, sizeof(*v));
	if (st) {
		db_bind_text(st, 1, f->lang);
		db_bind_text(st, 2, f->since);
		db_bind_int(st, 3, f->after_id);
		db_bind_int(st, 4, f->limit ? (int64_t)f->limit : -1);
		db_bind_int(st, 5, (int64_t)f->offset);
		while (db_step(st) == 1) {
			if (n == cap) {
				struct community_item *w = arena_calloc(a, 2 * cap, sizeof(*w));
				memcpy(w, v, n * sizeof(*w));
				v = w, cap *= 2;
			}
			row(st, a, &v[n].c);
			v[n++].changed_at = dup(a, db_col_text(st, 10));
		}
	}
	db_finalize(st);
	*out = v;
	return n;
}

const char *community_changed_at(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT max(c.updated_at, max(b.published_at)) FROM community c "
	                                    "JOIN community_block b ON b.community_id = c.id WHERE c.id = ? "
	                                    "AND b.published IS NOT NULL");
	const char *at = NULL;
	if (st) {
		db_bind_int(st, 1, id);
		if (db_step(st) == 1)
			at = dup(a, db_col_text(st, 0));
		db_finalize(st);
	}
	return at;
}

bool community_langs_valid(const char *langs, char *out, size_t cap)
{
	const char *seen[COMMUNITY_MAX_LANGS];
	size_t n = 0;
	bool en = false;
	for (const char *p = langs ? langs : ""; *p;) {
		p += strspn(p, ", ");
		size_t len = strcspn(p, ", ");
		if (!len)
			break;
		char code[16];
		if (len >= sizeof(code) || n == COMMUNITY_MAX_LANGS)
			return false;
		snprintf(code, sizeof(code), "%.*s", (int)len, p);
		if (!i18n_lang_valid(code))
			return false;
		for (size_t i = 0; i < n; i++)
			if (strcmp(seen[i], i18n_lang_canonical(code)) == 0)
				return false;
		seen[n++] = i18n_lang_canonical(code);
		en |= strcmp(code, "en") == 0;
		p += len;
	}
	if (!en)
		return false;
	struct buf b = BUF_INIT;
	buf_puts(&b, "en");
	for (size_t i = 0; i < n; i++)
		if (strcmp(seen[i], "en") != 0)
			buf_printf(&b, ",%s", seen[i]);
	bool fits = b.len < cap;
	if (fits)
		memcpy(out, b.p, b.len + 1);
	buf_free(&b);
	return fits;
}

/* Bring the community pages' search documents up to date inside the caller's transaction, so a
 * publish and what search finds change together. A failure leaves the list of changed communities
 * for the next publish or start, and never fails the publish itself. */
static void search_update(struct db *db)
{
	if (searchindex_refresh(db) < 0)
		log_error("community: search not updated yet; it will be at the next publish or start");
}

/* ---- blocks */

static int insert_block(struct db *db, int64_t id, const char *kind, const char *json, bool publish,
                        int64_t user_id)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO community_block(community_id, kind, draft, draft_by, published, published_at, "
	        "published_by) VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?3 END, "
	        "CASE WHEN ?5 THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END, CASE WHEN ?5 THEN ?4 END)");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, json);
	if (user_id)
		db_bind_int(st, 4, user_id);
	db_bind_int(st, 5, publish);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int add_revision(struct db *db, int64_t id, const char *kind, const char *before, const char *after,
                        const char *changes, int64_t user_id, const char *actor)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO community_revision(community_id, kind, user_id, actor, "
	                   "before, after, changes) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	if (user_id)
		db_bind_int(st, 3, user_id);
	db_bind_text(st, 4, actor ? actor : "");
	db_bind_text(st, 5, before);
	db_bind_text(st, 6, after);
	db_bind_text(st, 7, changes);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static bool slug_taken(struct db *db, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM community WHERE slug = ?");
	if (!st)
		return false;
	db_bind_text(st, 1, slug);
	bool taken = db_step(st) == 1;
	db_finalize(st);
	return taken;
}

/* The blocks of a new community, inside the caller's transaction. */
static int create_blocks(struct db *db, int64_t id, json_t **blocks, bool publish, int64_t user_id,
                         const char *actor)
{
	for (size_t i = 0; i < block_nkinds; i++) {
		const struct block_kind *k = &block_kinds[i];
		json_t *b = blocks && blocks[i] ? blocks[i] : block_new(k);
		if (blocks)
			blocks[i] = NULL;
		char *json = community_json_text(b);
		int rc = insert_block(db, id, k->name, json, publish, user_id);
		/* The public "what changed" list starts with one line: the page was created. */
		if (rc == 0 && publish)
			rc = add_revision(db, id, k->name, NULL, json,
			                  i == 0 ? "[{\"what\":\"community_created\",\"names\":{}}]" : "[]",
			                  user_id, actor);
		free(json);
		json_decref(b);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int64_t community_create(struct db *db, const struct community *c, json_t **blocks, bool publish,
                         int64_t user_id, const char *actor)
{
	int64_t id = -1;
	if (db_begin(db) < 0)
		goto out;
	if (slug_taken(db, c->slug)) {
		db_rollback(db);
		id = -2;
		goto out;
	}
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO community(slug, name, place, incident_date, languages, "
	                   "timezone) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		goto fail;
	db_bind_text(st, 1, c->slug);
	db_bind_text(st, 2, c->name);
	db_bind_text(st, 3, c->place ? c->place : "");
	db_bind_text(st, 4, c->incident_date);
	db_bind_text(st, 5, c->languages);
	db_bind_text(st, 6, c->timezone ? c->timezone : "America/New_York");
	int rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	id = db_last_id(db);
	if (create_blocks(db, id, blocks, publish, user_id, actor) < 0)
		goto fail;
	search_update(db);
	if (db_commit(db) < 0)
		goto fail;
	goto out;
fail:
	db_rollback(db);
	searchindex_changed(); /* search may have seen what was rolled back */
	id = -1;
out:
	for (size_t i = 0; blocks && i < block_nkinds; i++)
		json_decref(blocks[i]), blocks[i] = NULL;
	return id;
}

/* Run st (consumed) with search kept in step, in one transaction. 0 or -1. */
static int step_indexed(struct db *db, struct db_stmt *st)
{
	if (db_begin(db) < 0) {
		db_finalize(st);
		return -1;
	}
	int rc = db_step(st);
	db_finalize(st);
	if (rc >= 0)
		search_update(db);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		searchindex_changed();
		return -1;
	}
	return 0;
}

int community_update(struct db *db, const struct community *c)
{
	struct db_stmt *st = db_prepare(db, "UPDATE community SET name = ?, place = ?, incident_date = ?, "
	                                    "languages = ?, timezone = ?, updated_at = "
	                                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, c->name);
	db_bind_text(st, 2, c->place ? c->place : "");
	db_bind_text(st, 3, c->incident_date);
	db_bind_text(st, 4, c->languages);
	db_bind_text(st, 5, c->timezone);
	db_bind_int(st, 6, c->id);
	return step_indexed(db, st);
}

int community_set_status(struct db *db, int64_t id, const char *status)
{
	struct db_stmt *st = db_prepare(db, "UPDATE community SET status = ?, updated_at = "
	                                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, id);
	return step_indexed(db, st);
}

static int load_block(struct db_stmt *st, struct arena *a, struct community_block *b)
{
	const char *kind = db_col_text(st, 0);
	b->kind = block_kind(kind);
	if (!b->kind)
		return -1;
	b->draft = parse(a, db_col_text(st, 1), "a block draft");
	b->published = parse(a, db_col_text(st, 2), "a published block");
	b->draft_at = dup(a, db_col_text(st, 3));
	b->published_at = dup(a, db_col_text(st, 4));
	b->pending = !db_col_text(st, 2) || strcmp(db_col_text(st, 1), db_col_text(st, 2)) != 0;
	return b->draft ? 0 : -1;
}

int community_blocks(struct db *db, struct arena *a, int64_t id, struct community_block *out)
{
	for (size_t i = 0; i < block_nkinds; i++)
		if (community_block(db, a, id, block_kinds[i].name, &out[i]) < 0)
			return -1;
	return 0;
}

size_t community_listing_slugs(struct db *db, struct arena *a, const char *resource_slug, const char ***out)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT c.slug FROM community c JOIN community_block b ON b.community_id = c.id AND "
	        "b.kind = 'resources' WHERE instr(char(10) || json_extract(b.published, '$.slugs') || "
	        "char(10), char(10) || ?1 || char(10)) > 0 ORDER BY c.slug");
	size_t n = 0, cap = 8;
	*out = arena_alloc(a, cap * sizeof(**out));
	if (st)
		db_bind_text(st, 1, resource_slug);
	while (st && db_step(st) == 1) {
		if (n == cap) {
			const char **v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, *out, n * sizeof(*v));
			*out = v, cap *= 2;
		}
		(*out)[n++] = arena_strdup(a, db_col_text(st, 0));
	}
	db_finalize(st);
	return n;
}

static int blocks_published(struct db *db, struct arena *a, int64_t id, struct community_block *out,
                            bool shared)
{
	struct db_stmt *st = db_prepare(db, "SELECT kind, published, published_at FROM community_block "
	                                    "WHERE community_id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	memset(out, 0, block_nkinds * sizeof(*out));
	for (size_t i = 0; i < block_nkinds; i++)
		out[i].kind = &block_kinds[i];
	int rc = 0, step;
	while ((step = db_step(st)) == 1) {
		const struct block_kind *k = block_kind(db_col_text(st, 0));
		if (!k)
			continue;
		struct community_block *b = &out[k - block_kinds];
		const char *text = db_col_text(st, 1), *what = "a published block";
		b->published = shared ? blockmemo_parse(a, id, k->name, text, what) : parse(a, text, what);
		b->published_at = dup(a, db_col_text(st, 2));
		if (text && !b->published)
			rc = -1;
	}
	db_finalize(st);
	return step < 0 ? -1 : rc;
}

int community_blocks_published(struct db *db, struct arena *a, int64_t id, struct community_block *out)
{
	return blocks_published(db, a, id, out, false);
}

int community_blocks_shared(struct db *db, struct arena *a, int64_t id, struct community_block *out)
{
	return blocks_published(db, a, id, out, true);
}

int community_block(struct db *db, struct arena *a, int64_t id, const char *kind, struct community_block *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT kind, draft, published, draft_at, published_at FROM "
	                                    "community_block WHERE community_id = ? AND kind = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	memset(out, 0, sizeof(*out));
	int rc = db_step(st) == 1 ? load_block(st, a, out) : -1;
	db_finalize(st);
	if (rc < 0 && block_kind(kind)) {
		/* A block the community never had (added in a later version): empty. */
		out->kind = block_kind(kind);
		out->draft = block_new(out->kind);
		arena_defer(a, decref, out->draft);
		out->pending = false;
		return 0;
	}
	return rc;
}

int community_block_save(struct db *db, int64_t id, const char *kind, json_t *draft, int64_t user_id)
{
	char *json = community_json_text(draft);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO community_block(community_id, kind, draft, draft_by) VALUES (?1, ?2, ?3, ?4) "
	        "ON CONFLICT(community_id, kind) DO UPDATE SET draft = ?3, draft_by = ?4, "
	        "draft_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
	int rc = -1;
	if (st) {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, json);
		if (user_id)
			db_bind_int(st, 4, user_id);
		rc = db_step(st) < 0 ? -1 : 0;
		db_finalize(st);
	}
	free(json);
	return rc;
}

int community_block_discard(struct db *db, int64_t id, const char *kind)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE community_block SET draft = published WHERE community_id = ? "
	                   "AND kind = ? AND published IS NOT NULL");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Publish one loaded block inside the caller's transaction. */
static int publish_one(struct db *db, int64_t id, const struct community_block *b, int64_t user_id,
                       const char *actor, json_t *audit)
{
	char *after = community_json_text(b->draft),
	     *before = b->published ? community_json_text(b->published) : NULL;
	json_t *ch = block_changes(b->kind, b->published, b->draft);
	char *changes = community_json_text(ch);
	json_decref(ch);
	struct db_stmt *st = db_prepare(db, "UPDATE community_block SET published = ?, published_at = "
	                                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), published_by = ? WHERE "
	                                    "community_id = ? AND kind = ?");
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, after);
		if (user_id)
			db_bind_int(st, 2, user_id);
		db_bind_int(st, 3, id);
		db_bind_text(st, 4, b->kind->name);
		rc = db_step(st) < 0 ? -1 : 0;
		db_finalize(st);
	}
	if (rc == 0)
		rc = add_revision(db, id, b->kind->name, before, after, changes, user_id, actor);
	if (rc == 0 && audit)
		json_object_set_new(audit, b->kind->name,
		                    json_pack("{s:O?, s:O}", "before", b->published, "after", b->draft));
	free(after);
	free(before);
	free(changes);
	return rc;
}

int community_publish_tx(struct db *db, int64_t id, const char *kind, int64_t user_id, const char *actor,
                         json_t *audit)
{
	struct arena *a = arena_new();
	struct community_block *bs = arena_calloc(a, block_nkinds, sizeof(*bs));
	int n = 0;
	if (community_blocks(db, a, id, bs) < 0)
		n = -1;
	for (size_t i = 0; n >= 0 && i < block_nkinds; i++) {
		if (!bs[i].pending || (kind && strcmp(kind, bs[i].kind->name) != 0))
			continue;
		n = publish_one(db, id, &bs[i], user_id, actor, audit) < 0 ? -1 : n + 1;
	}
	arena_free(a);
	if (n > 0) /* every publish, the console's and the API's: what search finds changes with it */
		search_update(db);
	return n;
}

int community_publish(struct db *db, int64_t id, const char *kind, int64_t user_id, const char *actor,
                      json_t **audit)
{
	json_t *log = audit ? json_object() : NULL;
	if (db_begin(db) < 0)
		goto fail;
	int n = community_publish_tx(db, id, kind, user_id, actor, log);
	if (n < 0) {
		db_rollback(db);
		goto fail;
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		searchindex_changed();
		goto fail;
	}
	if (audit)
		*audit = log;
	return n;
fail:
	json_decref(log);
	return -1;
}

size_t community_revisions(struct db *db, struct arena *a, int64_t id, size_t limit,
                           struct community_revision **out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, kind, at, actor, changes FROM community_revision WHERE "
	                   "community_id = ? AND changes <> '[]' ORDER BY id DESC LIMIT ?");
	*out = arena_calloc(a, limit ? limit : 1, sizeof(**out));
	size_t n = 0;
	if (!st)
		return 0;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, (int64_t)limit);
	while (n < limit && db_step(st) == 1) {
		struct community_revision *r = &(*out)[n];
		r->id = db_col_int(st, 0);
		r->kind = dup(a, db_col_text(st, 1));
		r->at = dup(a, db_col_text(st, 2));
		r->actor = dup(a, db_col_text(st, 3));
		r->changes = parse(a, db_col_text(st, 4), "a revision's changes");
		if (r->changes)
			n++;
	}
	db_finalize(st);
	return n;
}

size_t community_editors(struct db *db, struct arena *a, const char *slug, const char ***out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT u.email FROM user_community c JOIN users u ON u.id = c.user_id "
	                   "WHERE c.community_slug = ? ORDER BY u.email");
	size_t n = 0, cap = 8;
	*out = arena_calloc(a, cap, sizeof(**out));
	if (!st)
		return 0;
	db_bind_text(st, 1, slug);
	while (db_step(st) == 1) {
		if (n == cap) {
			const char **v = arena_calloc(a, 2 * cap, sizeof(*v));
			memcpy(v, *out, n * sizeof(*v));
			*out = v, cap *= 2;
		}
		(*out)[n++] = dup(a, db_col_text(st, 0));
	}
	db_finalize(st);
	return n;
}

int community_editor_set(struct db *db, int64_t user_id, const char *slug, bool on)
{
	struct db_stmt *st =
	    db_prepare(db, on ? "INSERT OR IGNORE INTO user_community(user_id, community_slug) "
	                        "VALUES (?, ?)"
	                      : "DELETE FROM user_community WHERE user_id = ? AND "
	                        "community_slug = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, slug);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

size_t community_sitemap(struct db *db, struct arena *a, struct community **out, const char ***changed)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " COLUMNS ", max(updated_at, coalesce((SELECT max(b.published_at) FROM "
	        "community_block b WHERE b.community_id = community.id), '')) FROM community WHERE "
	        "status = 'active' ORDER BY slug");
	size_t n = 0, cap = 16;
	*out = arena_calloc(a, cap, sizeof(**out));
	*changed = arena_calloc(a, cap, sizeof(**changed));
	if (!st)
		return 0;
	while (db_step(st) == 1) {
		if (n == cap) {
			struct community *v = arena_calloc(a, 2 * cap, sizeof(*v));
			const char **w = arena_calloc(a, 2 * cap, sizeof(*w));
			memcpy(v, *out, n * sizeof(*v));
			memcpy(w, *changed, n * sizeof(*w));
			*out = v, *changed = w, cap *= 2;
		}
		row(st, a, &(*out)[n]);
		(*changed)[n++] = dup(a, db_col_text(st, 10));
	}
	db_finalize(st);
	return n;
}
