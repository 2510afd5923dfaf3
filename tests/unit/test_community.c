/* Unit tests for src/model/community.c's public list and publishing inside a caller's transaction, on a
 * fresh migrated database: only active pages with something published are listed, filtered by
 * language and time of change, paged; a publish rolled back by its caller leaves nothing behind. */
#include "model/community.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "test.h"

static char dir[64], path[128];

static struct db *open_fresh(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vrc-test-community-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	snprintf(path, sizeof(path), "%s/vrc.db", dir);
	char err[256] = "";
	log_set_level(LOG_ERROR);
	struct db *db = db_open(path, err, sizeof(err));
	if (db && db_migrate(db) < 0) {
		db_close(db);
		db = NULL;
	}
	return db;
}

static void remove_fresh(struct db *db)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	db_close(db);
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
	rmdir(dir);
}

static int64_t add(struct db *db, const char *slug, const char *langs, bool publish)
{
	struct community c = {.slug = slug, .name = slug, .languages = langs};
	return community_create(db, &c, NULL, publish, 0, "test");
}

static void exec(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	CHECK(st != NULL && db_step(st) >= 0);
	db_finalize(st);
}

/* The slugs listed for f, comma-separated, into out. */
static size_t listed(struct db *db, struct arena *a, const struct community_filter *f, char *out, size_t cap,
                     size_t *total)
{
	struct community_item *items;
	size_t n = community_list_public(db, a, f, &items, total), used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "," : "", items[i].c.slug);
	return n;
}

static void test_list_public(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	struct arena *a = arena_new();
	int64_t one = add(db, "one", "en,es", true), two = add(db, "two", "en", true);
	CHECK(one > 0 && two > one);
	CHECK(add(db, "draft-only", "en,es", false) > 0);
	CHECK(add(db, "gone", "en,es", true) > 0);
	exec(db, "UPDATE community SET status = 'archived' WHERE slug = 'gone'");
	char out[256];
	size_t total;
	struct community_filter f = {0};
	CHECK(listed(db, a, &f, out, sizeof(out), &total) == 2);
	CHECK_STR(out, "one,two"); /* not archived, not unpublished */
	CHECK(total == 2);
	f.lang = "es";
	listed(db, a, &f, out, sizeof(out), &total);
	CHECK_STR(out, "one");
	f = (struct community_filter){.limit = 1};
	listed(db, a, &f, out, sizeof(out), &total);
	CHECK_STR(out, "one");
	CHECK(total == 2); /* the total ignores paging */
	f.after_id = one;
	listed(db, a, &f, out, sizeof(out), &total);
	CHECK_STR(out, "two");
	f = (struct community_filter){.offset = 1};
	listed(db, a, &f, out, sizeof(out), &total);
	CHECK_STR(out, "two");
	/* Changed since: a block published, or the settings changed. */
	exec(db, "UPDATE community SET updated_at = '2020-01-01T00:00:00Z'");
	exec(db, "UPDATE community_block SET published_at = '2020-01-01T00:00:00Z'");
	f = (struct community_filter){.since = "2025-01-01"};
	CHECK(listed(db, a, &f, out, sizeof(out), &total) == 0);
	exec(db, "UPDATE community_block SET published_at = '2026-03-01T10:00:00Z' WHERE kind = 'updates' "
	         "AND community_id = (SELECT id FROM community WHERE slug = 'two')");
	listed(db, a, &f, out, sizeof(out), &total);
	CHECK_STR(out, "two");
	CHECK_STR(community_changed_at(db, a, two), "2026-03-01T10:00:00Z");
	exec(db, "UPDATE community SET updated_at = '2026-04-01T00:00:00Z' WHERE slug = 'one'");
	f.since = "2026-03-15T00:00:00Z";
	listed(db, a, &f, out, sizeof(out), &total);
	CHECK_STR(out, "one");
	struct community *d = community_get(db, a, "draft-only");
	CHECK(d && community_changed_at(db, a, d->id) == NULL);
	arena_free(a);
	remove_fresh(db);
}

static void save_update(struct db *db, int64_t id, const char *title)
{
	json_t *b = json_pack("{s:[{s:s, s:{s:{s:s, s:s}}}], s:{}}", "items", "id",
	                      "00000000-0000-4000-8000-000000000001", "text", "en", "title", title, "body",
	                      "x", "text");
	CHECK(community_block_save(db, id, "updates", b, 0) == 0);
	json_decref(b);
}

static void test_publish_tx(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	struct arena *a = arena_new();
	int64_t id = add(db, "one", "en,es", true);
	save_update(db, id, "First");
	/* Rolled back by the caller: nothing published, no revision. */
	json_t *log = json_object();
	CHECK(db_begin(db) == 0);
	CHECK(community_publish_tx(db, id, "events", 0, "t", log) == 0); /* nothing pending there */
	CHECK(community_publish_tx(db, id, "updates", 0, "t", log) == 1);
	CHECK(json_object_get(log, "updates") != NULL);
	db_rollback(db);
	struct community_block b;
	CHECK(community_block(db, a, id, "updates", &b) == 0 && b.pending);
	struct community_revision *revs;
	CHECK(community_revisions(db, a, id, 10, &revs) == 1); /* only "created" */
	/* Committed: published with its revision and what changed. */
	CHECK(db_begin(db) == 0);
	CHECK(community_publish_tx(db, id, NULL, 0, "t (API)", NULL) == 1);
	CHECK(db_commit(db) == 0);
	CHECK(community_block(db, a, id, "updates", &b) == 0 && !b.pending);
	CHECK(community_revisions(db, a, id, 10, &revs) == 2);
	CHECK_STR(revs[0].actor, "t (API)");
	CHECK_STR(json_string_value(json_object_get(json_array_get(revs[0].changes, 0), "what")),
	          "updates_added");
	json_decref(log);
	arena_free(a);
	remove_fresh(db);
}

static const struct test_case tests[] = {
    {"list_public", test_list_public},
    {"publish_tx", test_publish_tx},
};

TEST_MAIN(tests)
