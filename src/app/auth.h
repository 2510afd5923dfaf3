/* Who may do what: the admin side's session check, CSRF and cross-site refusal, and the role and
 * object checks. routes.c calls auth_guard for every row that is not public; handlers then ask
 * auth_can about the object they touch. */
#ifndef VRC_AUTH_H
#define VRC_AUTH_H
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "http/form.h"
#include "http/multipart.h"
#include "http/request.h"
#include "http/response.h"
#include "model/session.h"
#include "model/user.h"

/* Route flags (struct route.flags): the roles that may call a route, and when it can be reached. A
 * row with no role bit and no AUTH_ANON is reachable by nobody: deny by default. */
enum {
	AUTH_ADMIN = 1u << 4,
	AUTH_EDITOR = 1u << 5,
	AUTH_REVIEWER = 1u << 6,
	AUTH_COMMUNITY = 1u << 7, /* community editors (the handler checks which communities) */
	AUTH_STAFF = AUTH_ADMIN | AUTH_EDITOR | AUTH_REVIEWER | AUTH_COMMUNITY,
	AUTH_ANON = 1u << 8,      /* no session needed: the sign-in page */
	AUTH_CODE = 1u << 9,      /* reachable when the second factor is still due */
	AUTH_PWCHANGE = 1u << 10, /* reachable before a forced password change */
	AUTH_ENROL = 1u << 11,    /* reachable before a required second-factor enrolment */
};

/* What a handler asks to do to an object. */
enum auth_action { AUTH_VIEW, AUTH_EDIT, AUTH_PUBLISH, AUTH_MANAGE };

/* The object: its type ("resource", "topic", "hotline", "community", "user", "upload") and, for objects that
 * belong to a community (the community itself, its blocks), the community's slug. */
struct auth_object {
	const char *type;
	const char *community;
};

struct auth_config {
	int64_t idle_s; /* a session unused this long ends (default 30 min) */
	int64_t max_s;  /* a session this old ends, used or not (default 12 h) */
};

/* The request's sign-in state, in req->app once auth_guard has run. */
struct auth {
	struct session *session; /* NULL when not signed in */
	struct user *user;       /* the session's account */
	const char *lang;        /* the admin pages' language: ?lang=, else Accept-Language, else en */
	struct form form;        /* the POST body's fields (a multipart body's plain fields too) */
	struct multipart *parts; /* a multipart/form-data body's parts, or NULL */
	bool expired;            /* the request came with a session that had just timed out */
};

/* Remember db and cfg, prepare password hashing and the admin templates. 0 or -1 (logged). */
int auth_init(struct db *db, const struct auth_config *cfg);
/* Free what auth_init made. */
void auth_free(void);
/* The database the admin side uses. */
struct db *auth_db(void);
const struct auth_config *auth_cfg(void);

/* Run before a non-public route's handler, with the route's flags: parses the form, refuses
 * cross-site and CSRF-less POSTs (403), finds the session (expired ones end here), sends visitors who
 * are not signed in to the sign-in page, sends accounts with a forced password change or a due
 * enrolment there, and checks the role (403). 0 when the handler may run; otherwise resp is filled
 * and the status is returned. */
int auth_guard(struct request *req, struct response *resp, unsigned flags);
/* The request's state (never NULL after auth_guard). */
struct auth *auth_of(struct request *req);
/* A field of the POST body, or NULL. */
const char *auth_field(struct request *req, const char *name);
/* A file field of a multipart POST body (its bytes are in the body), or NULL. */
const struct multipart_part *auth_file(struct request *req, const char *name);
/* Before the body is read: true when the request's cookie names a live, fully signed-in session of
 * an enabled account whose role is in flags. Reads only: touches no session, sets no cookie. */
bool auth_signed_in(struct request *req, unsigned flags);
/* May u do act to obj? Denied unless a grant says yes; a disabled account may do nothing. */
bool auth_can(const struct user *u, enum auth_action act, const struct auth_object *obj);
/* True when u's role must use a second factor (admins and reviewers). */
bool auth_totp_required(const struct user *u);
/* The route bit of a role (AUTH_ADMIN...), 0 for none. */
unsigned auth_role_bit(enum user_role role);

/* Start a session for u at stage (a fresh token, only its hash stored), replacing the request's
 * current one, and set the cookie. 0 or -1. */
int auth_start(struct request *req, struct response *resp, const struct user *u, enum session_stage stage);
/* End the request's session and clear the cookie. */
void auth_end(struct request *req, struct response *resp);
/* Append an audit entry by the request's account (or actor_email when given) from its address. */
void auth_audit(struct request *req, const char *actor_email, const char *action, const char *object_type,
                const char *object_id, const char *before, const char *after);
/* A 303 redirect to path, keeping the admin pages' language. Returns 303. */
int auth_redirect(struct request *req, struct response *resp, const char *path);

#endif
