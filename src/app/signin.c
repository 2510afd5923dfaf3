/* Sign-in answers the same, in the same time, whether the email is unknown, the password wrong or
 * the account disabled: every attempt hashes once (a dummy hash for unknown accounts) and fails with
 * one message. Failures are counted per account and per address; a locked key gets 429 before any
 * hashing, whatever the password. */
#include "app/signin.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/password.h"
#include "app/secret.h"
#include "app/totp.h"
#include "model/throttle.h"
#include "model/user.h"

/* Five failures for one account lock it for a minute, doubling with each further failure up to 15
 * minutes; twenty from one address in 15 minutes lock the address for 15 minutes. */
static const struct throttle_rule account_rule = {5, 15 * 60, 60, 15 * 60};
static const struct throttle_rule address_rule = {20, 15 * 60, 15 * 60, 15 * 60};

static const char *account_key(struct request *req, const char *email)
{
	return arena_printf(req->arena, "account:%s", email);
}

static const char *address_key(struct request *req)
{
	return arena_printf(req->arena, "address:%s", req->remote);
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int64_t signin_wait(struct request *req, const char *email)
{
	int64_t now = (int64_t)time(NULL);
	return max64(throttle_wait(auth_db(), account_key(req, email), now),
	             throttle_wait(auth_db(), address_key(req), now));
}

int64_t signin_failed(struct request *req, const char *email)
{
	int64_t now = (int64_t)time(NULL);
	return max64(throttle_fail(auth_db(), account_key(req, email), &account_rule, now),
	             throttle_fail(auth_db(), address_key(req), &address_rule, now));
}

int signin_throttled(struct request *req, struct response *resp, int64_t wait, const char *name, json_t *data)
{
	const char *lang = auth_of(req)->lang;
	int64_t minutes = (wait + 59) / 60;
	const char *fmt = admin_text(lang, minutes == 1 ? "throttled_one" : "throttled_many");
	/* The catalogue's "{n}" is the number of minutes. */
	const char *at = strstr(fmt, "{n}");
	const char *msg =
	    at ? arena_printf(req->arena, "%.*s%lld%s", (int)(at - fmt), fmt, (long long)minutes, at + 3)
	       : fmt;
	json_object_set_new(data, "alert", json_string(msg));
	response_header(resp, "Retry-After", arena_printf(req->arena, "%lld", (long long)wait));
	return admin_render(req, resp, 429, name, data);
}

/* ---- email and password */

static json_t *login_data(struct request *req, const char *email)
{
	const char *lang = auth_of(req)->lang;
	json_t *d = json_pack("{s:s, s:s, s:{}}", "title", admin_text(lang, "signin_title"), "email",
	                      email ? email : "", "errors");
	if (request_query(req, "expired"))
		json_object_set_new(d, "notice", json_string(admin_text(lang, "session_expired")));
	return d;
}

/* Put admin_text(key) as the error of field. */
static void field_error(struct request *req, json_t *d, const char *field, const char *key)
{
	json_object_set_new(json_object_get(d, "errors"), field,
	                    json_string(admin_text(auth_of(req)->lang, key)));
}

int signin_form(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	if (st->session && st->session->stage == SESSION_FULL)
		return auth_redirect(req, resp, "/admin/");
	return admin_render(req, resp, 200, "admin/login", login_data(req, NULL));
}

/* The account if email and pw sign in, else NULL; the same work either way. */
static struct user *check_password(struct request *req, const char *email, const char *pw)
{
	struct user *u = user_find_email(auth_db(), req->arena, email);
	bool ok = password_verify(u ? u->password_hash : NULL, pw);
	return ok && u && !u->disabled ? u : NULL;
}

/* A stored hash made with older parameters is replaced while the password is at hand. */
static void upgrade_hash(const struct user *u, const char *pw)
{
	char hash[PASSWORD_HASH_MAX];
	if (password_needs_rehash(u->password_hash) && password_hash(pw, hash) == 0)
		user_set_password(auth_db(), u->id, hash, u->must_change);
}

int signin_submit(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	const char *typed = auth_field(req, "email"), *pw = auth_field(req, "password");
	const char *email = user_email_normal(req->arena, typed ? typed : "");
	json_t *d = login_data(req, strlen(email) <= USER_EMAIL_MAX ? email : "");
	/* No account has a malformed address: saying so tells nothing about which accounts exist. */
	if (!*email)
		field_error(req, d, "email", "err_email_missing");
	else if (!user_email_valid(email))
		field_error(req, d, "email", "err_email_invalid");
	if (!pw || !*pw)
		field_error(req, d, "password", "err_password_missing");
	if (json_object_size(json_object_get(d, "errors")))
		return admin_render(req, resp, 400, "admin/login", d);
	/* Signing in again ends the session this browser had. */
	if (st->session)
		session_delete(auth_db(), st->session->id);
	st->session = NULL, st->user = NULL;
	int64_t wait = signin_wait(req, email);
	if (wait)
		return signin_throttled(req, resp, wait, "admin/login", d);
	struct user *u = strlen(pw) <= 4 * PASSWORD_MAX ? check_password(req, email, pw) : NULL;
	if (!u) {
		struct user *known = user_find_email(auth_db(), req->arena, email);
		auth_audit(req, email, "signin_failed", "user",
		           known ? arena_printf(req->arena, "%lld", (long long)known->id) : NULL, NULL, NULL);
		int64_t lock = signin_failed(req, email);
		if (lock)
			return signin_throttled(req, resp, lock, "admin/login", d);
		json_object_set_new(d, "alert", json_string(admin_text(st->lang, "err_signin")));
		return admin_render(req, resp, 400, "admin/login", d);
	}
	json_decref(d);
	throttle_clear(auth_db(), account_key(req, email));
	upgrade_hash(u, pw);
	bool code = u->totp_secret != NULL;
	if (auth_start(req, resp, u, code ? SESSION_CODE : SESSION_FULL) < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, code ? "signin_password" : "signin", "user",
	           arena_printf(req->arena, "%lld", (long long)u->id), NULL, NULL);
	return auth_redirect(req, resp, code ? "/admin/login/code" : "/admin/");
}

/* ---- the second factor */

static json_t *code_data(struct request *req)
{
	return json_pack("{s:s, s:{}}", "title", admin_text(auth_of(req)->lang, "code_title"), "errors");
}

int signin_code_form(struct request *req, struct response *resp)
{
	if (auth_of(req)->session->stage == SESSION_FULL)
		return auth_redirect(req, resp, "/admin/");
	return admin_render(req, resp, 200, "admin/code", code_data(req));
}

/* 1 for a good authenticator code, 2 for an unused recovery code, 0 otherwise. */
static int check_code(const struct user *u, const char *code)
{
	int64_t step = u->totp_step;
	char hash[SECRET_HASH_LEN + 1];
	if (totp_check(u->totp_secret, code, (int64_t)time(NULL), &step) == 0)
		return user_advance_totp(auth_db(), u->id, step) == 0 ? 1 : 0;
	if (totp_recovery_hash(code, u->id, hash) == 0 && user_recovery_use(auth_db(), u->id, hash) == 0)
		return 2;
	return 0;
}

int signin_code_submit(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	if (st->session->stage == SESSION_FULL)
		return auth_redirect(req, resp, "/admin/");
	struct user *u = st->user;
	const char *code = auth_field(req, "code");
	json_t *d = code_data(req);
	if (!code || !*code) {
		field_error(req, d, "code", "err_code_missing");
		return admin_render(req, resp, 400, "admin/code", d);
	}
	int64_t wait = signin_wait(req, u->email);
	if (wait)
		return signin_throttled(req, resp, wait, "admin/code", d);
	int kind = check_code(u, code);
	const char *id = arena_printf(req->arena, "%lld", (long long)u->id);
	if (!kind) {
		auth_audit(req, NULL, "signin_code_failed", "user", id, NULL, NULL);
		int64_t lock = signin_failed(req, u->email);
		if (lock)
			return signin_throttled(req, resp, lock, "admin/code", d);
		field_error(req, d, "code", "err_code");
		return admin_render(req, resp, 400, "admin/code", d);
	}
	json_decref(d);
	throttle_clear(auth_db(), account_key(req, u->email));
	if (auth_start(req, resp, u, SESSION_FULL) < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, "signin", "user", id, NULL, kind == 2 ? "recovery code" : "authenticator code");
	return auth_redirect(req, resp, "/admin/");
}

int signin_logout(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	auth_audit(req, NULL, "signout", "user", arena_printf(req->arena, "%lld", (long long)st->user->id),
	           NULL, NULL);
	auth_end(req, resp);
	return auth_redirect(req, resp, "/admin/login");
}
