/* A database file in a fresh temporary folder, for unit tests that need a file rather than
 * ":memory:" (a second connection, a reopen): testdb_make names it, testdb_open opens a connection to
 * it, testdb_remove deletes it with its -wal/-shm/-journal files and the folder. */
#ifndef VRC_TESTDB_H
#define VRC_TESTDB_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"

struct testdb {
	char dir[64], path[128];
};

static inline bool testdb_make(struct testdb *t, const char *name)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/vrc-test-%s-XXXXXX", name);
	if (!mkdtemp(t->dir))
		return false;
	snprintf(t->path, sizeof(t->path), "%s/vrc.db", t->dir);
	return true;
}

static inline struct db *testdb_open(const struct testdb *t)
{
	char err[256] = "";
	struct db *db = db_open(t->path, err, sizeof(err));
	if (!db)
		fprintf(stderr, "db_open: %s\n", err);
	return db;
}

static inline void testdb_remove(const struct testdb *t)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, suffixes[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

#endif
