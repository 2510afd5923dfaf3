/* Staff accounts: role, community scope, password hash, second factor and recovery codes. */
#ifndef VRC_USER_H
#define VRC_USER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"

enum user_role { ROLE_NONE, ROLE_ADMIN, ROLE_EDITOR, ROLE_REVIEWER, ROLE_COMMUNITY_EDITOR };

enum { USER_MAX_COMMUNITIES = 16, USER_EMAIL_MAX = 254 };

struct user {
	int64_t id;
	const char *email; /* lower case */
	const char *name;  /* "Display Name, credentials"; may be empty */
	enum user_role role;
	const char *password_hash;
	bool must_change; /* signed in with a one-time password: change it first */
	bool disabled;
	const char *totp_secret;                       /* base32, or NULL when not enrolled */
	int64_t totp_step;                             /* last time step accepted */
	const char *communities[USER_MAX_COMMUNITIES]; /* a community editor's scope */
	size_t ncommunities;
};

/* The role named name ("admin", "editor", "reviewer", "community_editor"), or ROLE_NONE. */
enum user_role user_role_parse(const char *name);
/* The name of a role ("" for ROLE_NONE). */
const char *user_role_name(enum user_role role);
/* "role" or "role: a, b" (with a community editor's communities), in a: for lists and the audit log. */
const char *user_role_text(struct arena *a, const struct user *u);
/* True for a plausible address: one '@', something either side, no spaces or controls, at most
 * USER_EMAIL_MAX bytes. Accounts are named by address, so "admin@localhost" is fine. */
bool user_email_valid(const char *email);
/* The address in lower case (ASCII), trimmed, in a. */
char *user_email_normal(struct arena *a, const char *email);

/* The account, with its communities, in a; NULL when there is none. */
struct user *user_find_email(struct db *db, struct arena *a, const char *email);
struct user *user_find(struct db *db, struct arena *a, int64_t id);
/* Every account by email; *out is an arena array. */
size_t user_list(struct db *db, struct arena *a, struct user **out);
/* How many accounts exist (-1 on error). */
int64_t user_count(struct db *db);
/* Insert u (email, name, role, must_change, communities) with password hash; the new id, or -1
 * (an address already taken is an error). */
int64_t user_create(struct db *db, const struct user *u, const char *hash);
/* Replace the password hash and the must-change mark. */
int user_set_password(struct db *db, int64_t id, const char *hash, bool must_change);
/* Replace role and communities. */
int user_set_role(struct db *db, int64_t id, enum user_role role, const char *const *communities, size_t n);
int user_set_disabled(struct db *db, int64_t id, bool disabled);
/* Enrol a second factor (secret base32) with the step of the code that confirmed it. */
int user_set_totp(struct db *db, int64_t id, const char *secret, int64_t step);
/* Record step as the last accepted, only if it is later than the one stored: 0, or -1 when it is not
 * (a replayed code, even from two requests at once). */
int user_advance_totp(struct db *db, int64_t id, int64_t step);
/* Replace the account's recovery codes with these hashes. */
int user_recovery_replace(struct db *db, int64_t id, const char *const *hashes, size_t n);
/* Spend an unused recovery code by its hash: 0, or -1 when there is no such unused code. */
int user_recovery_use(struct db *db, int64_t id, const char *hash);
/* Unused recovery codes left. */
int64_t user_recovery_left(struct db *db, int64_t id);

#endif
