/* Unit tests for src/db/db_sqlite.c: migrations on a fresh database (applied once, counted, the
 * schema in place), statement bind/step/column round trips, transactions, and errors as -1. */
#include <stdlib.h>
#include <unistd.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/str.h"
#include "base/util.h"
#include "db/db.h"
#include "test.h"
#include "testdb.h"

static struct testdb T;

static struct db *open_fresh(void)
{
	return testdb_make(&T, "db") ? testdb_open(&T) : NULL;
}

static void remove_fresh(void)
{
	testdb_remove(&T);
}

/* The embedded migrations "migrations/NNN_name.sql": their count and highest number. */
static int embedded_migrations(int *highest)
{
	int n = 0;
	*highest = 0;
	for (size_t i = 0; i < embed_count; i++) {
		struct str name = str_c(embed_files[i].name);
		if (!str_starts(name, STR("migrations/")) || !str_ends(name, STR(".sql")))
			continue;
		n++;
		int v = atoi(embed_files[i].name + 11);
		if (v > *highest)
			*highest = v;
	}
	return n;
}

static int64_t count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t v = -1;
	if (st && db_step(st) == 1)
		v = db_col_int(st, 0);
	db_finalize(st);
	return v;
}

static int has_table(struct db *db, const char *name)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
	int found = 0;
	if (!st)
		return 0;
	db_bind_text(st, 1, name);
	if (db_step(st) == 1)
		found = db_col_int(st, 0) == 1;
	db_finalize(st);
	return found;
}

static void test_migrate(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	int highest = 0, n = embedded_migrations(&highest);
	CHECK(n >= 1);
	CHECK(db_schema_version(db) == 0); /* no schema_migrations table yet: 0, not an error */
	CHECK(db_migrate(db) == n);
	CHECK(db_schema_version(db) == highest);
	CHECK(count(db, "SELECT count(*) FROM schema_migrations") == n);
	/* A second run has nothing to do and changes nothing. */
	CHECK(db_migrate(db) == 0);
	CHECK(db_schema_version(db) == highest);
	CHECK(count(db, "SELECT count(*) FROM schema_migrations") == n);

	static const char *const tables[] = {
	    "section",        "topic",     "topic_text",   "resource",        "resource_source",
	    "revision",       "hotline",   "hotline_text", "hotline_contact", "search_doc",
	    "search_pending", "search_en", "search_es"};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!has_table(db, tables[i]))
			fprintf(stderr, "  missing table %s\n", tables[i]);
		CHECK(has_table(db, tables[i]));
	}
	CHECK(!has_table(db, "no_such_table"));
	CHECK(count(db, "SELECT count(*) FROM section") == 4);
	/* The pragmas db_open sets. */
	CHECK(count(db, "PRAGMA foreign_keys") == 1);
	struct db_stmt *st = db_prepare(db, "PRAGMA journal_mode");
	CHECK(st && db_step(st) == 1);
	CHECK_STR(db_col_text(st, 0), "wal");
	db_finalize(st);
	db_close(db);

	/* Reopening the file finds the schema where it was left. */
	char err[256];
	db = db_open(T.path, err, sizeof(err));
	CHECK(db != NULL);
	CHECK(db_schema_version(db) == highest);
	CHECK(db_migrate(db) == 0);
	db_close(db);
	remove_fresh();
}

static void test_statements(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER)") == 0);
	struct db_stmt *ins = db_prepare(db, "INSERT INTO t(s, n) VALUES (?, ?)");
	CHECK(ins != NULL);
	static const char *const texts[] = {"plain", "", "caf\xc3\xa9 \xf0\x9f\x92\x99",
	                                    "it's \"quoted\"; DROP TABLE t;--", NULL};
	static const int64_t nums[] = {0, -1, INT64_MAX, INT64_MIN, 42};
	for (int i = 0; i < 5; i++) {
		db_reset(ins);
		db_bind_text(ins, 1, texts[i]);
		db_bind_int(ins, 2, nums[i]);
		CHECK(db_step(ins) == 0);
		CHECK(db_last_id(db) == i + 1);
	}
	db_finalize(ins);

	struct db_stmt *sel = db_prepare(db, "SELECT s, n FROM t WHERE id = ?");
	CHECK(sel != NULL);
	for (int i = 0; i < 5; i++) {
		db_reset(sel);
		db_bind_int(sel, 1, i + 1);
		CHECK(db_step(sel) == 1);
		if (texts[i])
			CHECK_STR(db_col_text(sel, 0), texts[i]);
		else
			CHECK(db_col_text(sel, 0) == NULL); /* SQL NULL */
		CHECK(db_col_int(sel, 1) == nums[i]);
		CHECK(db_step(sel) == 0);
	}
	/* No row. */
	db_reset(sel);
	db_bind_int(sel, 1, 999);
	CHECK(db_step(sel) == 0);
	db_finalize(sel);
	db_finalize(NULL); /* ignored */

	/* Transactions: a rollback forgets, a commit keeps. */
	CHECK(db_begin(db) == 0);
	CHECK(db_exec(db, "INSERT INTO t(s) VALUES ('gone')") == 0);
	db_rollback(db);
	CHECK(count(db, "SELECT count(*) FROM t WHERE s = 'gone'") == 0);
	CHECK(db_begin(db) == 0);
	CHECK(db_exec(db, "INSERT INTO t(s) VALUES ('kept')") == 0);
	CHECK(db_commit(db) == 0);
	CHECK(count(db, "SELECT count(*) FROM t WHERE s = 'kept'") == 1);
	db_close(db);
	remove_fresh();
}

static void test_errors(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK(db_migrate(db) > 0);
	fprintf(stderr, "  (the db errors below are expected)\n");
	CHECK(db_exec(db, "THIS IS NOT SQL") == -1);
	CHECK(db_errmsg(db) != NULL && strlen(db_errmsg(db)) > 0);
	CHECK(db_prepare(db, "SELECT * FROM no_such_table") == NULL);
	CHECK(db_prepare(db, "SELEC 1") == NULL);
	/* A statement that prepares but fails when run: a CHECK constraint, a NOT NULL, a foreign key. */
	struct db_stmt *st = db_prepare(db, "INSERT INTO topic(slug, section, position) VALUES (?, ?, 1)");
	CHECK(st != NULL);
	db_bind_text(st, 1, "t");
	db_bind_text(st, 2, "no-such-section");
	CHECK(db_step(st) == -1);
	db_reset(st);
	db_bind_text(st, 1, NULL);
	db_bind_text(st, 2, "grief-trauma");
	CHECK(db_step(st) == -1);
	db_reset(st);
	db_bind_text(st, 1, "ok");
	db_bind_text(st, 2, "grief-trauma");
	CHECK(db_step(st) == 0); /* the statement is still usable */
	db_finalize(st);
	CHECK(db_exec(db, "INSERT INTO topic_text(topic_id, lang, title) VALUES (1, 'fr', 'x')") == -1);
	/* A unique key. */
	CHECK(db_exec(db, "INSERT INTO topic(slug, section, position) VALUES ('ok', 'grief-trauma', 2)") ==
	      -1);
	CHECK(count(db, "SELECT count(*) FROM topic") == 1);
	/* Commit without a transaction, and a transaction inside one, are errors, not crashes. */
	CHECK(db_commit(db) == -1);
	CHECK(db_begin(db) == 0);
	CHECK(db_begin(db) == -1);
	db_rollback(db);
	db_rollback(db); /* nothing to roll back: ignored */
	db_close(db);
	db_close(NULL);
	remove_fresh();

	/* A database that cannot be opened gives NULL and a reason. */
	char err[256] = "";
	CHECK(db_open("/nonexistent-dir/x/vrc.db", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent-dir/x/vrc.db") != NULL);
}

static void setup(void)
{
	log_set_level(LOG_WARN); /* no "applied" lines */
}

/* Every table is on one side of migration 014: its writes are logged in content_change (public pages
 * are made from it), or it is named quiet here (nothing public reads it). A table added later without
 * either fails here, so that another instance neither misses its changes nor re-renders for nothing. */
static const char *const quiet[] = {
    "api_token",
    "audit",
    "login_throttle",
    "recovery_code",
    "session",
    "users",
    "user_community",
    "upload",
    "revision",
    "community_revision",
    "search_doc",
    "search_pending",
    "search_community_pending",
    "schema_migrations",
    "content_change",
};

static bool is_quiet(const char *t)
{
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (strcmp(quiet[i], t) == 0)
			return true;
	/* FTS5 tables and their shadow tables: written with search_doc. */
	return strncmp(t, "search_en", 9) == 0 || strncmp(t, "search_es", 9) == 0;
}

/* The rows content_change holds after id, as "kind ref; ...". */
static char *logged(struct db *db, int64_t after, char *out, size_t cap)
{
	out[0] = '\0';
	struct db_stmt *st =
	    db_prepare(db, "SELECT kind, coalesce(ref, '-') FROM content_change WHERE id > ? ORDER BY id");
	db_bind_int(st, 1, after);
	size_t n = 0;
	while (st && db_step(st) == 1)
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s %s; ", db_col_text(st, 0),
		                      db_col_text(st, 1));
	db_finalize(st);
	return out;
}

static void test_content_change(void)
{
	struct db *db = open_fresh();
	CHECK(db && db_migrate(db) > 0);
	if (!db)
		return;
	struct db_stmt *st =
	    db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
	                   "LIKE 'sqlite_%' ORDER BY name");
	int tables = 0, unclassified = 0;
	while (st && db_step(st) == 1) {
		const char *t = db_col_text(st, 0);
		tables++;
		char q[256];
		snprintf(q, sizeof(q),
		         "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
		         "('content_log_%s_ai', 'content_log_%s_au', 'content_log_%s_ad')",
		         t, t, t);
		bool logs = count(db, q) == 3;
		if (logs == is_quiet(t)) {
			fprintf(stderr, "  table %s: %s\n", t,
			        logs ? "both logged and named quiet"
			             : "neither logged (migration 014) nor named quiet");
			unclassified++;
		}
	}
	db_finalize(st);
	CHECK(tables > 20);
	CHECK(unclassified == 0);
	/* What is logged, and what is not. */
	char got[512];
	int64_t last = count(db, "SELECT coalesce(max(id), 0) FROM content_change");
	CHECK(db_exec(db, "INSERT INTO setting(key, value) VALUES ('site_name', 'x')") == 0);
	CHECK(
	    db_exec(db,
	            "INSERT INTO users(email, role, password_hash) VALUES ('a@example.org', 'admin', 'x')") ==
	    0);
	CHECK(db_exec(db, "INSERT INTO community(slug, name) VALUES ('riverside', 'Riverside')") == 0);
	CHECK(db_exec(db,
	              "INSERT INTO community_block(community_id, kind, draft) VALUES (1, 'updates', '{}')") ==
	      0);
	CHECK(db_exec(db, "UPDATE community_block SET draft = '[]'") == 0); /* a draft: nobody's page yet */
	CHECK(db_exec(db, "UPDATE community_block SET published = draft") == 0);
	CHECK(
	    db_exec(
	        db,
	        "INSERT INTO topic(id, slug, section, position) VALUES (7, 'sleep', 'health-wellness', 9)") ==
	    0);
	CHECK(
	    db_exec(
	        db,
	        "INSERT INTO resource(id, slug, lang, topic_id, type, stage, title, summary, body, checked) "
	        "VALUES (1, 'sleep-after-trauma', 'en', 7, 'article', 'any', 'Sleep', 'S.', 'B.', "
	        "'2026-01-01')") == 0);
	CHECK(db_exec(db,
	              "INSERT INTO resource_source(resource_id, position, title, url) VALUES (1, 1, 'CDC', "
	              "'https://www.cdc.gov/')") == 0);
	CHECK_STR(logged(db, last, got, sizeof(got)),
	          "all -; community riverside; community riverside; all -; resource sleep-after-trauma; "
	          "resource sleep-after-trauma; ");
	/* The log keeps its last 10,000 rows. */
	CHECK(db_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) "
	                  "INSERT INTO content_change(kind) SELECT 'all' FROM n") == 0);
	CHECK(count(db, "SELECT count(*) FROM content_change") == 10000);
	db_close(db);
	remove_fresh();
}

static const struct test_case tests[] = {
    {"setup", setup},
    {"migrate", test_migrate},
    {"content change", test_content_change},
    {"statements", test_statements},
    {"errors", test_errors},
};
TEST_MAIN(tests)
