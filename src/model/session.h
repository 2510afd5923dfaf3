/* Signed-in browsers. A session is found by the hash of its token; the token is never stored. */
#ifndef VRC_SESSION_H
#define VRC_SESSION_H
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"

enum session_stage {
	SESSION_CODE, /* the password was right; the second factor is still due */
	SESSION_FULL, /* signed in */
};

struct session {
	int64_t id, user_id;
	enum session_stage stage;
	const char *csrf;            /* the token every state-changing form must carry */
	const char *totp_pending;    /* a second-factor secret being enrolled, or NULL */
	int64_t created_at, seen_at; /* Unix seconds */
};

/* A new session; its id, or -1. */
int64_t session_create(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
                       enum session_stage stage, int64_t now, const char *remote);
/* The session whose token hashes to token_hash, in a; NULL when there is none. */
struct session *session_find(struct db *db, struct arena *a, const char *token_hash);
/* Mark the session used at now (the idle timeout counts from here). */
int session_touch(struct db *db, int64_t id, int64_t now);
int session_set_totp_pending(struct db *db, int64_t id, const char *secret);
int session_delete(struct db *db, int64_t id);
/* End every session of an account except `except` (0: all of them). */
int session_delete_user(struct db *db, int64_t user_id, int64_t except);
/* Drop sessions idle since before idle_before or created before created_before. */
int session_purge(struct db *db, int64_t idle_before, int64_t created_before);

#endif
