/* Unit tests for src/model/token.c on a fresh migrated database: tokens stored by hash, found only
 * while not revoked, listed per account, revoked once, use recorded. */
#include "model/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "model/user.h"
#include "test.h"

static char dir[64], path[128];

static struct db *open_fresh(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vrc-test-token-XXXXXX");
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

static int64_t add_user(struct db *db, const char *email, enum user_role role)
{
	struct user u = {.email = email, .name = "", .role = role};
	return user_create(db, &u, "$argon2id$x");
}

static void test_tokens(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	struct arena *a = arena_new();
	int64_t ed = add_user(db, "ed@example.org", ROLE_EDITOR),
	        rev = add_user(db, "rev@example.org", ROLE_REVIEWER);
	int64_t t1 = token_create(db, ed, "ci", "hash-one", "vrc_abcd");
	int64_t t2 = token_create(db, rev, "publisher", "hash-two", "vrc_efgh");
	CHECK(t1 > 0 && t2 > t1);
	CHECK(token_create(db, ed, "again", "hash-one", "vrc_abcd") < 0); /* a hash is unique */
	struct api_token *t = token_find(db, a, "hash-one");
	CHECK(t && t->id == t1 && t->user_id == ed);
	CHECK_STR(t ? t->email : NULL, "ed@example.org");
	CHECK_STR(t ? t->name : NULL, "ci");
	CHECK_STR(t ? t->hint : NULL, "vrc_abcd");
	CHECK(t && t->last_used_at == NULL && t->revoked_at == NULL);
	CHECK(token_find(db, a, "no-such-hash") == NULL);
	/* Use is recorded, at most once a minute. */
	CHECK(token_touch(db, t1) == 0);
	t = token_get(db, a, t1);
	CHECK(t && t->last_used_at != NULL);
	/* Lists: all newest first, or one account's. */
	struct api_token *v;
	CHECK(token_list(db, a, 0, &v) == 2);
	CHECK(v[0].id == t2 && v[1].id == t1);
	CHECK(token_list(db, a, rev, &v) == 1);
	CHECK_STR(v[0].name, "publisher");
	/* Revoked once: it is then never found, but kept. */
	CHECK(token_revoke(db, t1) == 1);
	CHECK(token_revoke(db, t1) == 0);
	CHECK(token_revoke(db, 999) == 0);
	CHECK(token_find(db, a, "hash-one") == NULL);
	t = token_get(db, a, t1);
	CHECK(t && t->revoked_at != NULL);
	CHECK(token_find(db, a, "hash-two") != NULL);
	arena_free(a);
	remove_fresh(db);
}

static const struct test_case tests[] = {
    {"tokens", test_tokens},
};

TEST_MAIN(tests)
