/* Unit tests for auth_can in src/app/auth.c: the whole role x action x object matrix, with a
 * community editor on its own and on another community's object, and disabled accounts. Also the
 * route bits of each role. */
#include "app/auth.h"

#include <stdio.h>

#include "test.h"

enum { V = 1 << AUTH_VIEW, E = 1 << AUTH_EDIT, P = 1 << AUTH_PUBLISH, M = 1 << AUTH_MANAGE };

static const struct auth_object objects[] = {
    {"resource", NULL},          {"topic", NULL}, {"hotline", NULL},   {"community", "test-town"},
    {"community", "other-town"}, {"user", NULL},  {"community", NULL},
};
enum { RESOURCE, TOPIC, HOTLINE, OWN, OTHER, USER, UNSCOPED, NOBJ };

/* What each role may do to each object above (the community editor's scope is test-town). Editors
 * and a community's own editors publish community blocks: officials update pages in minutes. */
static const struct {
	enum user_role role;
	unsigned allowed[NOBJ];
} matrix[] = {
    {ROLE_ADMIN,
     {V | E | P | M, V | E | P | M, V | E | P | M, V | E | P | M, V | E | P | M, V | E | P | M,
      V | E | P | M}},
    {ROLE_EDITOR, {V | E, V | E, V | E, V | E | P, V | E | P, 0, V | E | P}},
    {ROLE_REVIEWER, {V | P, V | P, V | P, V | P, V | P, 0, V | P}},
    {ROLE_COMMUNITY_EDITOR, {0, 0, 0, V | E | P, 0, 0, 0}},
    {ROLE_NONE, {0, 0, 0, 0, 0, 0, 0}},
};

static void test_matrix(void)
{
	for (size_t r = 0; r < sizeof(matrix) / sizeof(matrix[0]); r++) {
		struct user u = {.id = 1, .email = "x@example.org", .role = matrix[r].role};
		u.communities[0] = "test-town";
		u.communities[1] = "third-town";
		u.ncommunities = 2;
		for (size_t o = 0; o < NOBJ; o++) {
			for (unsigned act = AUTH_VIEW; act <= AUTH_MANAGE; act++) {
				bool want = matrix[r].allowed[o] & (1u << act);
				u.disabled = false;
				bool got = auth_can(&u, act, &objects[o]);
				if (got != want)
					fprintf(stderr, "%s %u %s/%s: got %d\n", user_role_name(u.role), act,
					        objects[o].type,
					        objects[o].community ? objects[o].community : "-", got);
				CHECK(got == want);
				u.disabled = true;
				CHECK(!auth_can(&u, act, &objects[o]));
			}
		}
	}
}

static void test_edges(void)
{
	struct user u = {.id = 1, .email = "x@example.org", .role = ROLE_ADMIN};
	CHECK(!auth_can(NULL, AUTH_VIEW, &objects[RESOURCE]));
	CHECK(!auth_can(&u, AUTH_VIEW, NULL));
	CHECK(!auth_can(&u, AUTH_VIEW, &(struct auth_object){NULL, NULL}));
	/* A community editor with no communities edits none. */
	u.role = ROLE_COMMUNITY_EDITOR;
	CHECK(!auth_can(&u, AUTH_EDIT, &objects[OWN]));
	/* An unknown type is denied to everyone but admins. */
	struct auth_object odd = {"spaceship", NULL};
	u.role = ROLE_EDITOR;
	CHECK(!auth_can(&u, AUTH_VIEW, &odd));
	u.role = ROLE_ADMIN;
	CHECK(auth_can(&u, AUTH_VIEW, &odd));
}

static void test_roles(void)
{
	CHECK(auth_role_bit(ROLE_ADMIN) == AUTH_ADMIN);
	CHECK(auth_role_bit(ROLE_EDITOR) == AUTH_EDITOR);
	CHECK(auth_role_bit(ROLE_REVIEWER) == AUTH_REVIEWER);
	CHECK(auth_role_bit(ROLE_COMMUNITY_EDITOR) == AUTH_COMMUNITY);
	CHECK(auth_role_bit(ROLE_NONE) == 0);
	CHECK((AUTH_STAFF & (AUTH_ANON | AUTH_CODE | AUTH_PWCHANGE | AUTH_ENROL)) == 0);
	struct user u = {.role = ROLE_ADMIN};
	CHECK(auth_totp_required(&u));
	u.role = ROLE_REVIEWER;
	CHECK(auth_totp_required(&u));
	u.role = ROLE_EDITOR;
	CHECK(!auth_totp_required(&u));
	u.role = ROLE_COMMUNITY_EDITOR;
	CHECK(!auth_totp_required(&u));
	CHECK(user_role_parse("admin") == ROLE_ADMIN);
	CHECK(user_role_parse("community_editor") == ROLE_COMMUNITY_EDITOR);
	CHECK(user_role_parse("Admin") == ROLE_NONE);
	CHECK(user_role_parse("") == ROLE_NONE);
	CHECK(user_role_parse(NULL) == ROLE_NONE);
	CHECK_STR(user_role_name(ROLE_REVIEWER), "reviewer");
}

static const struct test_case tests[] = {
    {"matrix", test_matrix},
    {"edges", test_edges},
    {"roles", test_roles},
};
TEST_MAIN(tests)
