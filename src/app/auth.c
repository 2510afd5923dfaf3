/* The admin side's gate. Order of checks in auth_guard: cross-site POSTs are refused before anything
 * is read; then the session (expired ones end); then the second-factor stage; then CSRF; then the
 * forced password change and enrolment; then the role. Handlers check the object with auth_can. */
#include "app/auth.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/password.h"
#include "app/secret.h"
#include "base/log.h"
#include "http/cookie.h"
#include "model/audit.h"
#include "view/i18n.h"

#define COOKIE "__Host-vrc"

static struct {
	struct db *db;
	struct auth_config cfg;
} auth;

int auth_init(struct db *db, const struct auth_config *cfg)
{
	auth.db = db;
	auth.cfg = *cfg;
	if (auth.cfg.idle_s <= 0)
		auth.cfg.idle_s = 30 * 60;
	if (auth.cfg.max_s <= 0)
		auth.cfg.max_s = 12 * 60 * 60;
	if (password_init() < 0 || admin_init() < 0)
		return -1;
	return 0;
}

void auth_free(void)
{
	admin_free();
}

struct db *auth_db(void)
{
	return auth.db;
}

const struct auth_config *auth_cfg(void)
{
	return &auth.cfg;
}

struct auth *auth_of(struct request *req)
{
	if (!req->app)
		req->app = arena_calloc(req->arena, 1, sizeof(struct auth));
	return req->app;
}

const char *auth_field(struct request *req, const char *name)
{
	return form_get(&auth_of(req)->form, name);
}

const struct multipart_part *auth_file(struct request *req, const char *name)
{
	const struct multipart_part *p = multipart_get(auth_of(req)->parts, name);
	return p && p->filename ? p : NULL;
}

/* The POST body: urlencoded, or multipart (its plain fields go into the form as well). */
static int parse_body(struct request *req, struct auth *st)
{
	const char *boundary;
	int mp = multipart_boundary(req->arena, request_header(req, "Content-Type"), &boundary);
	if (mp == 0)
		return form_parse(req->arena, req->body, req->body_len, &st->form);
	st->parts = arena_calloc(req->arena, 1, sizeof(*st->parts));
	if (mp < 0 || multipart_parse(req->arena, boundary, req->body, req->body_len, st->parts) < 0)
		return -1;
	for (size_t i = 0; i < st->parts->n; i++) {
		const struct multipart_part *p = &st->parts->parts[i];
		if (p->filename)
			continue;
		if (st->form.n == FORM_MAX_FIELDS)
			return -1;
		st->form.fields[st->form.n++] = (struct form_field){p->name, p->data};
	}
	return 0;
}

/* ---- language, origin, cookie */

/* ?lang= wins; else the first language of Accept-Language we have; else English. */
static const char *lang_of(const struct request *req)
{
	const char *q = request_query(req, "lang");
	if (i18n_lang_valid(q))
		return q;
	const char *al = request_header(req, "Accept-Language");
	for (const char *p = al; p && *p;) {
		p += strspn(p, " ,");
		if ((p[0] == 'e' || p[0] == 'E') && (p[1] == 's' || p[1] == 'S') &&
		    (!p[2] || strchr(";,-", p[2])))
			return "es";
		if ((p[0] == 'e' || p[0] == 'E') && (p[1] == 'n' || p[1] == 'N') &&
		    (!p[2] || strchr(";,-", p[2])))
			return "en";
		p += strcspn(p, ",");
	}
	return "en";
}

/* A request another site made the browser send. Sec-Fetch-Site says so when present; an Origin must
 * name the host asked (the scheme is not compared: a TLS terminator may sit in front). Under our
 * Referrer-Policy (no-referrer) browsers send "Origin: null" even for our own forms, and they all send
 * Sec-Fetch-Site too: an opaque origin is refused only when Sec-Fetch-Site is absent. Clients that
 * send neither header (scripts, old browsers) still need the session's CSRF token. */
static bool cross_site(const struct request *req)
{
	const char *sfs = request_header(req, "Sec-Fetch-Site");
	if (sfs && strcmp(sfs, "same-origin") != 0 && strcmp(sfs, "none") != 0)
		return true;
	const char *origin = request_header(req, "Origin"), *host = request_header(req, "Host");
	if (!origin)
		return false;
	const char *sep = strstr(origin, "://");
	if (!sep)
		return !sfs; /* "null" and other opaque origins */
	return !host || !str_ieq(str_c(sep + 3), str_c(host));
}

static void set_cookie(struct request *req, struct response *resp, const char *token)
{
	const char *v = token ? arena_printf(req->arena,
	                                     COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Lax; "
	                                            "Max-Age=%lld",
	                                     token, (long long)auth.cfg.max_s)
	                      : COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
	response_header(resp, "Set-Cookie", v);
}

/* ---- sessions */

/* The request's live session and account, or NULL; an expired or orphaned one is deleted. */
static struct session *load_session(struct request *req, struct response *resp, int64_t now)
{
	struct auth *st = auth_of(req);
	const char *token = cookie_get(req->arena, request_header(req, "Cookie"), COOKIE);
	if (!token)
		return NULL;
	char hash[SECRET_HASH_LEN + 1];
	secret_hash(token, NULL, hash);
	struct session *s = session_find(auth.db, req->arena, hash);
	if (!s) {
		set_cookie(req, resp, NULL);
		return NULL;
	}
	struct user *u = user_find(auth.db, req->arena, s->user_id);
	if (!u || u->disabled || now - s->seen_at > auth.cfg.idle_s || now - s->created_at > auth.cfg.max_s) {
		st->expired = true;
		session_delete(auth.db, s->id);
		set_cookie(req, resp, NULL);
		return NULL;
	}
	session_touch(auth.db, s->id, now);
	st->session = s;
	st->user = u;
	return s;
}

bool auth_signed_in(struct request *req, unsigned flags)
{
	const char *token = cookie_get(req->arena, request_header(req, "Cookie"), COOKIE);
	if (!token)
		return false;
	char hash[SECRET_HASH_LEN + 1];
	secret_hash(token, NULL, hash);
	struct session *s = session_find(auth.db, req->arena, hash);
	struct user *u = s && s->stage == SESSION_FULL ? user_find(auth.db, req->arena, s->user_id) : NULL;
	int64_t now = (int64_t)time(NULL);
	return u && !u->disabled && now - s->seen_at <= auth.cfg.idle_s &&
	       now - s->created_at <= auth.cfg.max_s && !u->must_change &&
	       !(auth_totp_required(u) && !u->totp_secret) && (flags & auth_role_bit(u->role));
}

int auth_start(struct request *req, struct response *resp, const struct user *u, enum session_stage stage)
{
	struct auth *st = auth_of(req);
	int64_t now = (int64_t)time(NULL);
	char token[SECRET_TOKEN_LEN + 1], csrf[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_LEN + 1];
	if (st->session)
		session_delete(auth.db, st->session->id);
	session_purge(auth.db, now - auth.cfg.idle_s, now - auth.cfg.max_s);
	secret_token(token);
	secret_token(csrf);
	secret_hash(token, NULL, hash);
	int64_t id = session_create(auth.db, hash, u->id, csrf, stage, now, req->remote);
	if (id < 0)
		return -1;
	st->session = session_find(auth.db, req->arena, hash);
	st->user = user_find(auth.db, req->arena, u->id);
	set_cookie(req, resp, token);
	return st->session && st->user ? 0 : -1;
}

void auth_end(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	if (st->session)
		session_delete(auth.db, st->session->id);
	st->session = NULL;
	set_cookie(req, resp, NULL);
}

/* ---- the guard */

unsigned auth_role_bit(enum user_role role)
{
	static const unsigned bits[] = {[ROLE_ADMIN] = AUTH_ADMIN,
	                                [ROLE_EDITOR] = AUTH_EDITOR,
	                                [ROLE_REVIEWER] = AUTH_REVIEWER,
	                                [ROLE_COMMUNITY_EDITOR] = AUTH_COMMUNITY};
	return (size_t)role < sizeof(bits) / sizeof(bits[0]) ? bits[role] : 0;
}

bool auth_totp_required(const struct user *u)
{
	return u && (u->role == ROLE_ADMIN || u->role == ROLE_REVIEWER);
}

/* Not signed in: pages send the visitor to sign in; a form post has nothing to act for. */
static int not_signed_in(struct request *req, struct response *resp)
{
	if (req->method & (HTTP_GET | HTTP_HEAD))
		return auth_redirect(req, resp,
		                     auth_of(req)->expired ? "/admin/login?expired=1" : "/admin/login");
	return admin_error(req, resp, 403, "err_session");
}

int auth_guard(struct request *req, struct response *resp, unsigned flags)
{
	struct auth *st = auth_of(req);
	st->lang = lang_of(req);
	resp->cache_control = "no-store";
	response_header(resp, "X-Robots-Tag", "noindex, nofollow");
	bool post = req->method == HTTP_POST;
	if (post && cross_site(req))
		return admin_error(req, resp, 403, "err_cross_site");
	if (post && parse_body(req, st) < 0)
		return admin_error(req, resp, 400, "err_form");
	struct session *s = load_session(req, resp, (int64_t)time(NULL));
	if (flags & AUTH_ANON)
		return 0;
	if (!s)
		return not_signed_in(req, resp);
	if (s->stage == SESSION_CODE && !(flags & AUTH_CODE))
		return auth_redirect(req, resp, "/admin/login/code");
	if (post && !secret_equal(form_get(&st->form, "csrf"), s->csrf))
		return admin_error(req, resp, 403, "err_csrf");
	if (s->stage == SESSION_CODE)
		return 0;
	if (st->user->must_change && !(flags & AUTH_PWCHANGE))
		return auth_redirect(req, resp, "/admin/password");
	if (auth_totp_required(st->user) && !st->user->totp_secret && !(flags & (AUTH_ENROL | AUTH_PWCHANGE)))
		return auth_redirect(req, resp, "/admin/totp");
	if (!(flags & auth_role_bit(st->user->role)))
		return admin_error(req, resp, 403, "err_role");
	return 0;
}

/* ---- object checks */

enum { V = 1 << AUTH_VIEW, E = 1 << AUTH_EDIT, P = 1 << AUTH_PUBLISH, M = 1 << AUTH_MANAGE };

/* What each role may do to each type of object; "*" is any type. Anything not here is denied.
 * Editors and a community's own editors publish community blocks themselves: officials must be
 * able to correct a page in minutes, and every publish is in the revisions and the audit log. */
static const struct {
	enum user_role role;
	const char *type;
	unsigned actions;
	bool scoped; /* only objects of the account's own communities */
} grants[] = {
    {ROLE_ADMIN, "*", V | E | P | M, false},
    {ROLE_EDITOR, "resource", V | E, false},
    {ROLE_EDITOR, "topic", V | E, false},
    {ROLE_EDITOR, "hotline", V | E, false},
    {ROLE_EDITOR, "community", V | E | P, false},
    {ROLE_REVIEWER, "resource", V | P, false},
    {ROLE_REVIEWER, "topic", V | P, false},
    {ROLE_REVIEWER, "hotline", V | P, false},
    {ROLE_REVIEWER, "community", V | P, false},
    {ROLE_COMMUNITY_EDITOR, "community", V | E | P, true},
    /* Uploads (images for pages and community pages, videos, captions, PDFs): every staff role. */
    {ROLE_EDITOR, "upload", V | E, false},
    {ROLE_REVIEWER, "upload", V | E, false},
    {ROLE_COMMUNITY_EDITOR, "upload", V | E, false},
};

static bool in_scope(const struct user *u, const char *community)
{
	for (size_t i = 0; community && i < u->ncommunities; i++)
		if (strcmp(u->communities[i], community) == 0)
			return true;
	return false;
}

bool auth_can(const struct user *u, enum auth_action act, const struct auth_object *obj)
{
	if (!u || u->disabled || !obj || !obj->type)
		return false;
	for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
		if (grants[i].role != u->role || !(grants[i].actions & (1u << act)))
			continue;
		if (strcmp(grants[i].type, "*") != 0 && strcmp(grants[i].type, obj->type) != 0)
			continue;
		if (grants[i].scoped && !in_scope(u, obj->community))
			continue;
		return true;
	}
	return false;
}

/* ---- audit and redirects */

void auth_audit(struct request *req, const char *actor_email, const char *action, const char *object_type,
                const char *object_id, const char *before, const char *after)
{
	struct auth *st = auth_of(req);
	struct audit_entry e = {
	    .user_id = st->user ? st->user->id : 0,
	    .actor_email = actor_email ? actor_email
	                   : st->user  ? st->user->email
	                               : NULL,
	    .action = action,
	    .object_type = object_type,
	    .object_id = object_id,
	    .before = before,
	    .after = after,
	    .remote = req->remote,
	};
	audit_write(auth.db, &e);
}

int auth_redirect(struct request *req, struct response *resp, const char *path)
{
	const char *lang = auth_of(req)->lang;
	resp->status = 303;
	resp->location = lang && strcmp(lang, "es") == 0
	                     ? arena_printf(req->arena, "%s%clang=es", path, strchr(path, '?') ? '&' : '?')
	                     : path;
	resp->cache_control = "no-store";
	return 303;
}
