/* Community pages in search. A page is one document (its name, place and key message) and each item
 * of a block one more (an update, an event, a place to get help, a local service, a fund, a question,
 * and the scam warning), linked to the item's anchor on the page (templates/community.html). What is
 * searched is what the page shows: published blocks only, through block_view, so a field without
 * this language's text is searched in English as the page shows it. Which fields go where follows
 * the block tables (model/block.c): the item's label is the title, its other one-line text fields
 * the summary, its Markdown the body, so a new field is searched without a change here. */
#include "model/searchcommunity.h"

#include <jansson.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "model/block.h"
#include "model/community.h"
#include "view/i18n.h"

/* The languages search has full-text tables for (migration 010). */
static const char *const search_langs[] = {"en", "es"};

/* What a block's items are called in search and the prefix of their ids on the page. */
static const struct {
	const char *block, *kind, *anchor;
} item_kinds[] = {
    {"locations", "location", "location-"}, {"updates", "update", "update-"}, {"events", "event", "event-"},
    {"services", "service", "service-"},    {"funds", "fund", "fund-"},       {"faq", "faq", "faq-"},
};

struct page {
	struct db *db;
	struct arena *a;
	int64_t id;
	const char *slug, *name, *lang;
};

static int put(struct page *p, const char *kind, const char *anchor, const char *title, const char *summary,
               const char *body, const char *context)
{
	struct db_stmt *st = db_prepare(
	    p->db,
	    "INSERT INTO search_doc(lang, kind, ref, url, title, summary, body, community_id, context) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	const char *url = arena_printf(p->a, "%s/c/%s%s%s", strcmp(p->lang, "en") == 0 ? "" : "/es", p->slug,
	                               anchor ? "#" : "", anchor ? anchor : "");
	db_bind_text(st, 1, p->lang);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, p->slug);
	db_bind_text(st, 4, url);
	db_bind_text(st, 5, title ? title : "");
	db_bind_text(st, 6, summary ? summary : "");
	db_bind_text(st, 7, body ? body : "");
	db_bind_int(st, 8, p->id);
	db_bind_text(st, 9, context ? context : "");
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The text of v's fields of type want (FT_TEXT: one line each, FT_MARKDOWN: paragraphs), skipping
 * the label, joined; in a. */
static const char *join(struct arena *a, json_t *v, const struct block_field *fs, size_t nf,
                        enum block_ftype want, const char *skip)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < nf; i++) {
		const char *s = json_string_value(json_object_get(v, fs[i].name));
		if (fs[i].type != want || !s || !*s || (skip && strcmp(fs[i].name, skip) == 0))
			continue;
		if (b.len)
			buf_puts(&b, want == FT_MARKDOWN ? "\n\n" : " · ");
		buf_puts(&b, s);
	}
	const char *r = b.len ? arena_strndup(a, b.p, b.len) : "";
	buf_free(&b);
	return r;
}

static void decref(void *v)
{
	json_decref(v);
}

static json_t *view(struct page *p, const struct block_kind *k, json_t *obj)
{
	json_t *v = block_view(k, obj, p->lang);
	arena_defer(p->a, decref, v);
	return v;
}

static int put_items(struct page *p, const struct block_kind *k, json_t *block, const char *kind,
                     const char *anchor)
{
	json_t *it;
	size_t i;
	json_array_foreach (json_object_get(block, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		json_t *v = view(p, k, it);
		const char *title = json_string_value(json_object_get(v, k->label));
		if (!id || !title)
			continue; /* not something the page can show or link to */
		if (put(p, kind, arena_printf(p->a, "%s%s", anchor, id), title,
		        join(p->a, v, k->fields, k->nfields, FT_TEXT, k->label),
		        join(p->a, v, k->fields, k->nfields, FT_MARKDOWN, NULL), p->name) < 0)
			return -1;
	}
	return 0;
}

/* The page itself (name, place, key message) and, with the funds, the scam warning. */
static int put_page(struct page *p, const char *place, const struct community_block *bs)
{
	const char *message = "";
	const struct block_kind *km = block_kind("key_message"), *fk = block_kind("funds");
	json_t *b = bs[km - block_kinds].published;
	if (b && json_object_size(json_object_get(b, "text")))
		message = join(p->a, view(p, km, b), km->fields, km->nfields, FT_MARKDOWN, NULL);
	if (put(p, "community", NULL, p->name, place, message, "") < 0)
		return -1;
	json_t *f = bs[fk - block_kinds].published;
	json_t *own = f ? view(p, fk, f) : NULL;
	if (!own || !json_string_value(json_object_get(own, "scam_warning")))
		return 0; /* the page shows no warning */
	return put(p, "scam", "funds", i18n_get(p->lang, "c_scam_heading"), "",
	           join(p->a, own, fk->bfields, fk->nbfields, FT_MARKDOWN, NULL), p->name);
}

static bool offers(const char *languages, const char *lang)
{
	size_t n = strlen(lang);
	for (const char *s = languages; s && *s;) {
		size_t len = strcspn(s, ",");
		if (len == n && strncmp(s, lang, n) == 0)
			return true;
		s += len + (s[len] == ',');
	}
	return false;
}

/* Write community id's documents (none unless it is active), after deleting what it had. */
static int write_one(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM search_doc WHERE community_id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st) < 0 ? -1 : 0;
	db_finalize(st);
	st = rc < 0 ? NULL
	            : db_prepare(db, "SELECT slug, name, place, languages FROM community WHERE id = ? AND "
	                             "status = 'active'");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	struct arena *a = arena_new();
	struct page p = {db, a, id, NULL, NULL, NULL};
	const char *place = NULL, *languages = NULL;
	if ((rc = db_step(st)) == 1) {
		p.slug = arena_strdup(a, db_col_text(st, 0));
		p.name = arena_strdup(a, db_col_text(st, 1));
		place = arena_strdup(a, db_col_text(st, 2) ? db_col_text(st, 2) : "");
		languages = arena_strdup(a, db_col_text(st, 3));
	}
	db_finalize(st);
	struct community_block *bs = arena_calloc(a, block_nkinds, sizeof(*bs));
	if (rc == 1 && community_blocks_published(db, a, id, bs) < 0)
		rc = -1;
	for (size_t l = 0; rc == 1 && l < sizeof(search_langs) / sizeof(search_langs[0]); l++) {
		if (!offers(languages, search_langs[l]))
			continue;
		p.lang = search_langs[l];
		if (put_page(&p, place, bs) < 0)
			rc = -1;
		for (size_t i = 0; rc == 1 && i < sizeof(item_kinds) / sizeof(item_kinds[0]); i++) {
			const struct block_kind *k = block_kind(item_kinds[i].block);
			json_t *b = bs[k - block_kinds].published;
			if (b && put_items(&p, k, b, item_kinds[i].kind, item_kinds[i].anchor) < 0)
				rc = -1;
		}
	}
	arena_free(a);
	return rc < 0 ? -1 : 0;
}

/* Take community id off the list of those to write. */
static int unlist(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM search_community_pending WHERE id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int searchcommunity_write_pending(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM search_community_pending ORDER BY id");
	if (!st)
		return -1;
	size_t n = 0, cap = 16;
	int64_t *ids = NULL;
	struct arena *a = arena_new();
	ids = arena_alloc(a, cap * sizeof(*ids));
	int step;
	while ((step = db_step(st)) == 1) {
		if (n == cap) {
			int64_t *v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, ids, n * sizeof(*v));
			ids = v, cap *= 2;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_finalize(st);
	int rc = step < 0 ? -1 : 0, done = 0;
	/* Each community on its own: one whose blocks cannot be read (broken JSON written from outside)
	 * keeps its last documents and its place on the list, said in the log at every try, and holds
	 * nobody else back. */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (db_exec(db, "SAVEPOINT search_community") < 0) {
			rc = -1;
			break;
		}
		if (write_one(db, ids[i]) == 0 && unlist(db, ids[i]) == 0) {
			db_exec(db, "RELEASE search_community");
			done++;
			continue;
		}
		log_error("search: community %lld: its search documents could not be written; its last ones "
		          "stay until it can be read",
		          (long long)ids[i]);
		db_exec(db, "ROLLBACK TO search_community; RELEASE search_community");
	}
	arena_free(a);
	return rc < 0 ? -1 : done;
}
