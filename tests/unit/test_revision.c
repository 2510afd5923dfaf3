/* Unit tests for src/model/revision.c: a revision is claimed for publishing once. Two connections to
 * one database file stand for two instances sharing it, whose schedulers may both find the same
 * revision due: the second claim, inside its own write transaction, finds it taken. */
#include "model/revision.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/log.h"
#include "model/resource.h"
#include "test.h"
#include "testdb.h"

static void test_claim_once(void)
{
	log_set_level(LOG_ERROR);
	struct testdb t;
	CHECK(testdb_make(&t, "revision"));
	struct db *one = testdb_open(&t), *two = NULL;
	CHECK(one && db_migrate(one) > 0);
	CHECK(db_exec(one, "INSERT INTO topic(id, slug, section, position) VALUES (1, 'sleep', "
	                   "'health-wellness', 1)") == 0);
	CHECK(db_exec(one,
	              "INSERT INTO resource(id, slug, lang, topic_id, type, stage, title, summary, body, "
	              "checked) VALUES (1, 'sleep-after-trauma', 'en', 1, 'article', 'any', 'Sleep', "
	              "'A summary.', 'A body.', '2026-01-01')") == 0);
	struct arena *a = arena_new();
	struct resource *r = resource_get(one, a, "sleep-after-trauma");
	CHECK(r != NULL);
	int64_t id = r ? revision_add(one, 1, r, "review", 0, "Reviewer", NULL) : -1;
	CHECK(id > 0);
	two = testdb_open(&t);
	CHECK(two != NULL);
	/* Both instances have read the revision as open; the first claims it. */
	struct revision *seen = revision_get(two, a, id);
	CHECK(seen && strcmp(seen->state, "review") == 0);
	CHECK(db_begin(one) == 0);
	CHECK(revision_claim(one, id) == 1);
	CHECK(db_commit(one) == 0);
	/* The second, in its own transaction, finds it taken: nothing to publish twice. */
	CHECK(db_begin(two) == 0);
	CHECK(revision_claim(two, id) == 0);
	db_rollback(two);
	struct revision *now = revision_get(two, a, id);
	CHECK(now && strcmp(now->state, "published") == 0);
	/* A revision closed meanwhile (superseded) is not claimable either. */
	int64_t draft = r ? revision_add(one, 1, r, "draft", 0, "Editor", NULL) : -1;
	CHECK(db_exec(one,
	              "UPDATE revision SET state = 'superseded' WHERE id = (SELECT max(id) FROM revision)") ==
	      0);
	CHECK(revision_claim(one, draft) == 0);
	arena_free(a);
	db_close(two);
	db_close(one);
	testdb_remove(&t);
}

static const struct test_case tests[] = {
    {"claim once", test_claim_once},
};
TEST_MAIN(tests)
