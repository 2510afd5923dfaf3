/* The storage API: a neutral face over the SQL engine (db_sqlite.c; db_pg.c later).
 * No SQL engine header appears outside src/db/. */
#ifndef VRC_DB_H
#define VRC_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* Open (creating if needed) the database at path; NULL with a reason in err. */
struct db *db_open(const char *path, char *err, size_t errlen);
/* Another connection to db's database (a render thread's own); NULL with a reason in err. */
struct db *db_open_again(struct db *db, char *err, size_t errlen);
void db_close(struct db *db);
/* Apply the built-in numbered migrations not yet applied, in order, each in a transaction.
 * Returns the number applied, or -1 (logged). */
int db_migrate(struct db *db);
/* The highest migration applied (0 for a new database). */
int db_schema_version(struct db *db);
/* Run SQL without results; 0 or -1 (logged). */
int db_exec(struct db *db, const char *sql);
/* A prepared statement, or NULL (logged). Finalize it with db_finalize. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Bind parameter idx (1-based). A NULL string binds SQL NULL. */
void db_bind_text(struct db_stmt *st, int idx, const char *s);
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
/* 1 when a row is ready, 0 when done, -1 on error (logged). */
int db_step(struct db_stmt *st);
/* Column values of the current row; text is valid until the next step (NULL for SQL NULL). */
const char *db_col_text(struct db_stmt *st, int col);
int64_t db_col_int(struct db_stmt *st, int col);
/* Reset for another run with new bindings. */
void db_reset(struct db_stmt *st);
void db_finalize(struct db_stmt *st);
/* Transactions: 0 or -1. Not nestable. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
int64_t db_last_id(struct db *db);
/* The last error message of this connection. */
const char *db_errmsg(struct db *db);

#endif
