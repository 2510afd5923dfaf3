/* API tokens: a staff account's bearer tokens for scripts. Only a hash of each token is stored. */
#ifndef VRC_TOKEN_H
#define VRC_TOKEN_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"

struct api_token {
	int64_t id, user_id;
	const char *email; /* the account's address */
	const char *name;  /* what the token is for, as its creator named it */
	const char *hint;  /* the token's first characters */
	const char *created_at, *last_used_at, *revoked_at; /* UTC "YYYY-MM-DDTHH:MM:SSZ"; NULL when not */
};

/* Store a new token of user_id by its hash; the new id, or -1. */
int64_t token_create(struct db *db, int64_t user_id, const char *name, const char *hash, const char *hint);
/* The token with this hash that is not revoked, or NULL. Owned by a. */
struct api_token *token_find(struct db *db, struct arena *a, const char *hash);
/* One token by id, revoked or not, or NULL. Owned by a. */
struct api_token *token_get(struct db *db, struct arena *a, int64_t id);
/* Every token (of user_id; 0 for all), newest first; *out is an arena array. Returns the count. */
size_t token_list(struct db *db, struct arena *a, int64_t user_id, struct api_token **out);
/* Revoke a token: 1 when done, 0 when there is no such token or it was revoked already, -1 on error. */
int token_revoke(struct db *db, int64_t id);
/* Record that the token was used now (at most once a minute is written). 0 or -1. */
int token_touch(struct db *db, int64_t id);

#endif
