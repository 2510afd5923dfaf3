/* SQLite backend: WAL mode, foreign keys on, a busy timeout, and a cache of
 * prepared statements: parsing SQL was half the cost of rendering a page (perf, issue 9). */
#include "db/db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
#include "db/stemtok.h"

/* Idle prepared statements by SQL text. A statement is used by one caller at a time: db_prepare
 * takes one out (or prepares a new one), db_finalize resets it and puts it back. */
enum { STMT_SLOTS = 512, STMT_IDLE = 4 };
struct stmt_slot {
	char *sql;
	sqlite3_stmt *idle[STMT_IDLE];
	size_t n;
};

struct db {
	sqlite3 *h;
	pthread_mutex_t lock; /* guards slots */
	struct stmt_slot slots[STMT_SLOTS];
};

struct db_stmt {
	sqlite3_stmt *s;
	struct db *db;
	struct stmt_slot *slot; /* where it goes back to, or NULL */
};

struct db *db_open(const char *path, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	struct db *db = xcalloc(1, sizeof(*db));
	db->h = h;
	pthread_mutex_init(&db->lock, NULL);
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;") < 0) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(h));
		db_close(db);
		return NULL;
	}
	/* The search tables' tokenizer (db/stemtok.c) must be known before any of them is touched. */
	if (stemtok_register(h) < 0) {
		snprintf(err, errlen, "%s: SQLite has no FTS5, or the search tokenizer failed", path);
		db_close(db);
		return NULL;
	}
	return db;
}

struct db *db_open_again(struct db *db, char *err, size_t errlen)
{
	const char *path = sqlite3_db_filename(db->h, "main");
	if (!path || !*path) {
		snprintf(err, errlen, "the database has no file to open again (in memory)");
		return NULL;
	}
	return db_open(path, err, errlen);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < STMT_SLOTS; i++) {
		for (size_t k = 0; k < db->slots[i].n; k++)
			sqlite3_finalize(db->slots[i].idle[k]);
		free(db->slots[i].sql);
	}
	pthread_mutex_destroy(&db->lock);
	sqlite3_close(db->h);
	free(db);
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The slot for sql (claimed when free), or NULL when the table is full of other statements. */
static struct stmt_slot *slot_of(struct db *db, const char *sql)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	for (size_t i = 0; i < 8; i++) {
		struct stmt_slot *sl = &db->slots[(h + i) % STMT_SLOTS];
		if (!sl->sql)
			sl->sql = xstrdup(sql);
		if (strcmp(sl->sql, sql) == 0)
			return sl;
	}
	return NULL;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	pthread_mutex_lock(&db->lock);
	struct stmt_slot *sl = slot_of(db, sql);
	if (sl && sl->n)
		s = sl->idle[--sl->n];
	pthread_mutex_unlock(&db->lock);
	if (!s &&
	    sqlite3_prepare_v3(db->h, sql, -1, sl ? SQLITE_PREPARE_PERSISTENT : 0, &s, NULL) != SQLITE_OK) {
		log_error("db: prepare: %s", sqlite3_errmsg(db->h));
		sqlite3_finalize(s);
		return NULL;
	}
	struct db_stmt *st = xmalloc(sizeof(*st));
	st->s = s;
	st->db = db;
	st->slot = sl;
	return st;
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->s, idx);
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->s, idx, v);
}

int db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	log_error("db: %s", sqlite3_errmsg(st->db->h));
	return -1;
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->s, col);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->s, col);
}

void db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
}

void db_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	struct db *db = st->db;
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
	pthread_mutex_lock(&db->lock);
	struct stmt_slot *sl = st->slot;
	bool kept = sl && sl->n < STMT_IDLE;
	if (kept)
		sl->idle[sl->n++] = st->s;
	pthread_mutex_unlock(&db->lock);
	if (!kept)
		sqlite3_finalize(st->s);
	free(st);
}

int db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

int db_schema_version(struct db *db)
{
	int v = 0;
	struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	if (st && db_step(st) == 1)
		v = (int)db_col_int(st, 0);
	db_finalize(st);
	return v;
}

/* The migration number of an embedded file "migrations/NNN_name.sql", or 0 if not one. */
static int migration_number(const char *name)
{
	const char *prefix = "migrations/";
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0)
		return 0;
	int v = atoi(name + n);
	return v > 0 ? v : 0;
}

static bool migration_applied(struct db *db, int version)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM schema_migrations WHERE version = ?");
	if (!st)
		return false;
	db_bind_int(st, 1, version);
	bool done = db_step(st) == 1;
	db_finalize(st);
	return done;
}

static int apply(struct db *db, const struct embed_file *f, int version)
{
	if (db_begin(db) < 0)
		return -1;
	if (db_exec(db, (const char *)f->data) < 0)
		goto fail;
	struct db_stmt *st = db_prepare(db, "INSERT INTO schema_migrations(version, name) VALUES (?, ?)");
	if (!st)
		goto fail;
	db_bind_int(st, 1, version);
	db_bind_text(st, 2, f->name);
	int rc = db_step(st);
	db_finalize(st);
	if (rc < 0 || db_commit(db) < 0)
		goto fail;
	log_info("db: applied %s", f->name);
	return 0;
fail:
	db_rollback(db);
	log_error("db: migration %s failed", f->name);
	return -1;
}

int db_migrate(struct db *db)
{
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
	                "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
	                "(strftime('%Y-%m-%dT%H:%M:%SZ','now')))") < 0)
		return -1;
	int applied = 0;
	/* Embedded files are sorted by name, so NNN_ prefixes apply in order. Each one not yet recorded
	 * is applied, so a migration that lands after a higher-numbered one (two branches) still runs. */
	for (size_t i = 0; i < embed_count; i++) {
		int v = migration_number(embed_files[i].name);
		if (v == 0 || migration_applied(db, v))
			continue;
		if (apply(db, &embed_files[i], v) < 0)
			return -1;
		applied++;
	}
	return applied;
}
