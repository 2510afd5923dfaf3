/* Unit tests for the staff models on a fresh migrated database: src/model/user.c (accounts, email
 * rules, roles and communities, second factor steps, single-use recovery codes), session.c,
 * throttle.c and audit.c (append-only: the schema refuses UPDATE and DELETE). */
#include "model/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/throttle.h"
#include "test.h"

static char dir[64], path[128];

static struct db *open_fresh(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vrc-test-user-XXXXXX");
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

static void test_email(void)
{
	struct arena *a = arena_new();
	CHECK_STR(user_email_normal(a, "  Ed@Example.ORG \n"), "ed@example.org");
	static const char *const good[] = {"ed@example.org", "admin@localhost", "a.b+c@d.e"};
	static const char *const bad[] = {"",      "ed",     "@example.org", "ed@", "ed@@x",
	                                  "e d@x", "ed@x,y", "<ed@x>",       NULL};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(user_email_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!user_email_valid(bad[i]));
	char longest[300];
	memset(longest, 'a', sizeof(longest));
	memcpy(longest + USER_EMAIL_MAX - 4, "@x.y", 5);
	CHECK(user_email_valid(longest));
	memcpy(longest + USER_EMAIL_MAX - 3, "@x.y", 5);
	CHECK(!user_email_valid(longest));
	arena_free(a);
}

static void test_accounts(void)
{
	struct db *db = open_fresh();
	CHECK(db != NULL);
	if (!db)
		return;
	struct arena *a = arena_new();
	CHECK(user_count(db) == 0);
	struct user u = {.email = "ce@example.org", .name = "C. Editor, LCSW", .role = ROLE_COMMUNITY_EDITOR};
	u.communities[0] = "test-town";
	u.communities[1] = "b-town";
	u.ncommunities = 2;
	int64_t id = user_create(db, &u, "$argon2id$fake");
	CHECK(id > 0);
	CHECK(user_create(db, &u, "$argon2id$fake") == -1); /* the address is taken */
	CHECK(user_count(db) == 1);
	struct user *got = user_find_email(db, a, "ce@example.org");
	CHECK(got && got->id == id && got->role == ROLE_COMMUNITY_EDITOR);
	CHECK(got && got->ncommunities == 2);
	CHECK_STR(got ? got->communities[0] : NULL, "b-town");
	CHECK_STR(got ? got->name : NULL, "C. Editor, LCSW");
	CHECK(got && !got->must_change && !got->disabled && !got->totp_secret);
	CHECK(user_find_email(db, a, "nobody@example.org") == NULL);
	CHECK(user_find(db, a, id + 100) == NULL);
	/* Role change drops the communities of a role that has none. */
	CHECK(user_set_role(db, id, ROLE_EDITOR, u.communities, 2) == 0);
	got = user_find(db, a, id);
	CHECK(got && got->role == ROLE_EDITOR && got->ncommunities == 0);
	CHECK(user_set_role(db, id + 100, ROLE_EDITOR, NULL, 0) == -1);
	CHECK(user_set_password(db, id, "$argon2id$other", true) == 0);
	CHECK(user_set_disabled(db, id, true) == 0);
	got = user_find(db, a, id);
	CHECK_STR(got ? got->password_hash : NULL, "$argon2id$other");
	CHECK(got && got->must_change && got->disabled);
	CHECK(user_set_password(db, id + 100, "x", false) == -1);
	struct user second = {.email = "ad@example.org", .role = ROLE_ADMIN};
	CHECK(user_create(db, &second, "$argon2id$x") > 0);
	struct user *all;
	CHECK(user_list(db, a, &all) == 2);
	CHECK_STR(all[0].email, "ad@example.org");
	arena_free(a);
	remove_fresh(db);
}

static void test_second_factor(void)
{
	struct db *db = open_fresh();
	if (!db)
		return;
	struct arena *a = arena_new();
	struct user u = {.email = "r@example.org", .role = ROLE_REVIEWER};
	int64_t id = user_create(db, &u, "h");
	CHECK(user_set_totp(db, id, "JBSWY3DPEHPK3PXP", 100) == 0);
	struct user *got = user_find(db, a, id);
	CHECK_STR(got ? got->totp_secret : NULL, "JBSWY3DPEHPK3PXP");
	CHECK(got && got->totp_step == 100);
	/* Steps only move forward: a replayed or older step is refused. */
	CHECK(user_advance_totp(db, id, 100) == -1);
	CHECK(user_advance_totp(db, id, 99) == -1);
	CHECK(user_advance_totp(db, id, 101) == 0);
	CHECK(user_advance_totp(db, id, 101) == -1);
	const char *hashes[] = {"h1", "h2", "h3"};
	CHECK(user_recovery_replace(db, id, hashes, 3) == 0);
	CHECK(user_recovery_left(db, id) == 3);
	CHECK(user_recovery_use(db, id, "h2") == 0);
	CHECK(user_recovery_use(db, id, "h2") == -1); /* single use */
	CHECK(user_recovery_use(db, id, "nope") == -1);
	CHECK(user_recovery_use(db, id + 1, "h1") == -1); /* another account's code */
	CHECK(user_recovery_left(db, id) == 2);
	CHECK(user_recovery_replace(db, id, hashes, 1) == 0);
	CHECK(user_recovery_left(db, id) == 1);
	arena_free(a);
	remove_fresh(db);
}

static void test_sessions(void)
{
	struct db *db = open_fresh();
	if (!db)
		return;
	struct arena *a = arena_new();
	struct user u = {.email = "e@example.org", .role = ROLE_EDITOR};
	int64_t uid = user_create(db, &u, "h");
	int64_t s1 = session_create(db, "hash1", uid, "csrf1", SESSION_CODE, 1000, "127.0.0.1");
	int64_t s2 = session_create(db, "hash2", uid, "csrf2", SESSION_FULL, 1000, "127.0.0.1");
	CHECK(s1 > 0 && s2 > 0 && s1 != s2);
	CHECK(session_create(db, "hash1", uid, "x", SESSION_FULL, 1000, "") ==
	      -1); /* token hashes are unique */
	struct session *s = session_find(db, a, "hash1");
	CHECK(s && s->id == s1 && s->user_id == uid && s->stage == SESSION_CODE);
	CHECK_STR(s ? s->csrf : NULL, "csrf1");
	CHECK(s && s->totp_pending == NULL && s->created_at == 1000 && s->seen_at == 1000);
	CHECK(session_find(db, a, "nope") == NULL);
	CHECK(session_touch(db, s1, 1500) == 0);
	CHECK(session_set_totp_pending(db, s1, "SECRET") == 0);
	s = session_find(db, a, "hash1");
	CHECK(s && s->seen_at == 1500);
	CHECK_STR(s ? s->totp_pending : NULL, "SECRET");
	CHECK(session_set_totp_pending(db, s1, NULL) == 0);
	s = session_find(db, a, "hash1");
	CHECK(s && !s->totp_pending);
	/* Purge: s2 was last seen at 1000, s1 at 1500. */
	CHECK(session_purge(db, 1200, 0) == 0);
	CHECK(session_find(db, a, "hash2") == NULL && session_find(db, a, "hash1") != NULL);
	CHECK(session_purge(db, 0, 1001) == 0); /* created before 1001 */
	CHECK(session_find(db, a, "hash1") == NULL);
	s1 = session_create(db, "h1", uid, "c", SESSION_FULL, 2000, "");
	s2 = session_create(db, "h2", uid, "c", SESSION_FULL, 2000, "");
	int64_t s3 = session_create(db, "h3", uid, "c", SESSION_FULL, 2000, "");
	CHECK(session_delete_user(db, uid, s2) == 0);
	CHECK(!session_find(db, a, "h1") && session_find(db, a, "h2") && !session_find(db, a, "h3"));
	CHECK(session_delete(db, s2) == 0);
	CHECK(!session_find(db, a, "h2"));
	(void)s3;
	arena_free(a);
	remove_fresh(db);
}

static void test_throttle(void)
{
	struct db *db = open_fresh();
	if (!db)
		return;
	const struct throttle_rule r = {3, 600, 60, 200};
	CHECK(throttle_wait(db, "k", 1000) == 0);
	CHECK(throttle_fail(db, "k", &r, 1000) == 0);
	CHECK(throttle_fail(db, "k", &r, 1001) == 0);
	CHECK(throttle_wait(db, "k", 1001) == 0);
	/* The third failure locks for 60 s, then each one doubles it, up to 200 s. */
	CHECK(throttle_fail(db, "k", &r, 1002) == 60);
	CHECK(throttle_wait(db, "k", 1002) == 60);
	CHECK(throttle_wait(db, "k", 1050) == 12);
	CHECK(throttle_wait(db, "k", 1062) == 0);
	CHECK(throttle_fail(db, "k", &r, 1070) == 120);
	CHECK(throttle_fail(db, "k", &r, 1200) == 200);
	CHECK(throttle_fail(db, "k", &r, 1300) == 200);
	CHECK(throttle_wait(db, "other", 1300) == 0);
	/* Failures older than the window are forgotten. */
	CHECK(throttle_fail(db, "k", &r, 1000 + 601 + 300) == 0);
	CHECK(throttle_fail(db, "k", &r, 1902) == 0);
	throttle_clear(db, "k");
	CHECK(throttle_wait(db, "k", 1300) == 0);
	CHECK(throttle_fail(db, "k", &r, 2000) == 0);
	remove_fresh(db);
}

static void test_audit(void)
{
	struct db *db = open_fresh();
	if (!db)
		return;
	struct arena *a = arena_new();
	struct audit_entry e = {.user_id = 3,
	                        .actor_email = "ad@example.org",
	                        .action = "role_change",
	                        .object_type = "user",
	                        .object_id = "4",
	                        .before = "editor",
	                        .after = "reviewer",
	                        .remote = "127.0.0.1"};
	CHECK(audit_write(db, &e) == 0);
	e = (struct audit_entry){.actor_email = "x@example.org", .action = "signin_failed", .remote = "::1"};
	CHECK(audit_write(db, &e) == 0);
	struct audit_entry *es;
	CHECK(audit_list(db, a, NULL, NULL, 100, &es) == 2);
	CHECK_STR(es[0].action, "role_change");
	CHECK(es[0].user_id == 3 && es[1].user_id == 0);
	CHECK_STR(es[0].before, "editor");
	CHECK_STR(es[0].after, "reviewer");
	CHECK(es[1].object_type == NULL);
	CHECK(es[0].at && strlen(es[0].at) == 20);
	CHECK(audit_list(db, a, NULL, "x@example.org", 100, &es) == 1);
	CHECK(audit_list(db, a, "2000-01-01", NULL, 100, &es) == 2);
	CHECK(audit_list(db, a, "2999-01-01", NULL, 100, &es) == 0);
	CHECK(audit_list(db, a, NULL, NULL, 1, &es) == 1);
	/* Append-only: the database itself refuses to change or remove an entry. */
	CHECK(db_exec(db, "UPDATE audit SET action = 'nothing'") == -1);
	CHECK(db_exec(db, "DELETE FROM audit") == -1);
	CHECK(audit_list(db, a, NULL, NULL, 100, &es) == 2);
	/* More entries than the first allocation holds. */
	for (int i = 0; i < 150; i++)
		audit_write(db, &e);
	CHECK(audit_list(db, a, NULL, NULL, 1000, &es) == 152);
	CHECK_STR(es[151].action, "signin_failed");
	arena_free(a);
	remove_fresh(db);
}

static const struct test_case tests[] = {
    {"email", test_email},       {"accounts", test_accounts}, {"second factor", test_second_factor},
    {"sessions", test_sessions}, {"throttle", test_throttle}, {"audit", test_audit},
};
TEST_MAIN(tests)
