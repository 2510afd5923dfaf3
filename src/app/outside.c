/* Other processes' changes, turned into re-renders. Our own writes append to content_change too but
 * do not move data_version: when data_version has not moved since the log's end was read, every row
 * up to it is ours (its pages were re-rendered by the write itself) and is passed over. When it has,
 * the log is read again from the last row accounted for: whatever data_version saw is in it. */
#include "app/outside.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "app/cache.h"
#include "app/community.h"
#include "app/site.h"
#include "base/arena.h"
#include "base/log.h"
#include "model/searchindex.h"
#include "view/i18n.h"

/* Past this many pages' owners changed at once, re-rendering everything is as cheap and simpler. */
enum { MAX_OWNERS = 200 };

static int64_t scalar(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t v = st && db_step(st) == 1 ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return v;
}

struct owners {
	const char *kind[MAX_OWNERS], *slug[MAX_OWNERS];
	size_t n;
	bool all;
};

static void add_owner(struct owners *o, struct arena *a, const char *kind, const char *slug)
{
	if (!slug || strcmp(kind, "all") == 0) {
		o->all = true;
		return;
	}
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->kind[i], kind) == 0 && strcmp(o->slug[i], slug) == 0)
			return;
	if (o->n == MAX_OWNERS) {
		o->all = true;
		return;
	}
	o->kind[o->n] = strcmp(kind, "resource") == 0 ? "resource" : "community";
	o->slug[o->n++] = arena_strdup(a, slug);
}

/* The cached paths of a community page (every language: page, flyer, feeds, event files), so that
 * what it no longer has (an event removed) leaves the cache too. */
struct cached {
	struct arena *a;
	const char **urls;
	size_t nurls;
	const char **paths;
	size_t n, cap;
};

static void collect(void *ctx, const char *key, struct cache_entry *e)
{
	struct cached *c = ctx;
	for (size_t i = 0; i < c->nurls; i++) {
		size_t len = strlen(c->urls[i]);
		if (strncmp(key, c->urls[i], len) == 0 && (!key[len] || key[len] == '/' || key[len] == '.')) {
			if (c->n == c->cap) {
				size_t cap = c->cap * 2 + 16;
				const char **p = arena_alloc(c->a, cap * sizeof(*p));
				if (c->n)
					memcpy(p, c->paths, c->n * sizeof(*p));
				c->paths = p;
				c->cap = cap;
			}
			c->paths[c->n++] = arena_strdup(c->a, key);
			break;
		}
	}
	cache_entry_release(e);
}

static size_t refresh_community(struct arena *a, const char *slug)
{
	size_t nl;
	const char *const *langs = i18n_langs(&nl);
	struct cached c = {a, arena_alloc(a, nl * sizeof(char *)), nl, NULL, 0, 0};
	for (size_t i = 0; i < nl; i++)
		c.urls[i] = community_url(a, langs[i], slug);
	cache_foreach(collect, &c);
	return community_refresh(a, slug, c.paths, c.n);
}

/* Re-render what the rows after w->last name; w->last moves to the last row read. */
static void apply(struct db *db, struct outside *w)
{
	struct arena *a = arena_new();
	struct owners *o = arena_calloc(a, 1, sizeof(*o));
	int64_t first = scalar(db, "SELECT coalesce(min(id), 0) FROM content_change");
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, kind, ref FROM content_change WHERE id > ? ORDER BY id");
	size_t rows = 0;
	if (st)
		db_bind_int(st, 1, w->last);
	while (st && db_step(st) == 1) {
		rows++;
		w->last = db_col_int(st, 0);
		add_owner(o, a, db_col_text(st, 1), db_col_text(st, 2));
	}
	db_finalize(st);
	if (!st || first < 0) {
		log_error("site: cannot read the content change log: %s", db_errmsg(db));
		o->all = true;
		rows = 1;
	}
	if (first > 0 && first > w->last + 1 && rows) /* the log was trimmed past what we had seen */
		o->all = true;
	if (!rows) {
		arena_free(a);
		return; /* only tables no public page reads */
	}
	searchindex_changed(); /* answers and word counts kept from before may be old */
	if (!o->all)
		log_info(
		    "site: another process changed %zu resource or community page(s) (%s %s%s); refreshing "
		    "their pages",
		    o->n, o->kind[0], o->slug[0], o->n > 1 ? ", ..." : "");
	size_t failed = 0;
	for (size_t i = 0; !o->all && i < o->n; i++) {
		if (strcmp(o->kind[i], "community") == 0) {
			failed += refresh_community(a, o->slug[i]);
		} else {
			struct site_warm_report r1;
			if (site_refresh_resource(o->slug[i], &r1) < 0)
				o->all =
				    true; /* gone from the database altogether: its links are everywhere */
			else
				failed += r1.failed;
		}
	}
	if (o->all) {
		log_info("site: another process changed what every page shows; refreshing the public pages");
		struct site_warm_report rep;
		if (site_refresh_all(&rep) < 0)
			failed++;
		else
			failed += rep.failed;
	}
	if (failed)
		log_error("site: %zu page(s) failed to render after an outside change", failed);
	arena_free(a);
}

void outside_watch(struct db *db, struct outside *w)
{
	int64_t end = scalar(db, "SELECT coalesce(max(id), 0) FROM content_change");
	int64_t v = scalar(db, "PRAGMA data_version");
	if (end < 0 || v < 0) {
		log_error("scheduler: cannot read the database's data_version or change log: %s",
		          db_errmsg(db));
		return;
	}
	if (w->version < 0 || v == w->version) {
		w->version = v;
		w->last = end; /* nothing from outside was visible when the end was read: ours */
		return;
	}
	w->version = v;
	apply(db, w);
}
