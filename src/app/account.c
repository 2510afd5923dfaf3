/* A password change needs the current password (a borrowed session cannot take the account) and
 * ends the account's other sessions. Enrolment shows a secret kept in the session until a code from
 * it is confirmed, then the recovery codes, once. */
#include "app/account.h"

#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/password.h"
#include "app/secret.h"
#include "app/signin.h"
#include "app/totp.h"
#include "model/session.h"
#include "model/user.h"
#include "view/qr.h"
#include "view/template.h"

enum { RECOVERY_CODES = 10 };

static const char *id_text(struct request *req, int64_t id)
{
	return arena_printf(req->arena, "%lld", (long long)id);
}

static void field_error(struct request *req, json_t *d, const char *field, const char *key)
{
	json_object_set_new(json_object_get(d, "errors"), field,
	                    json_string(admin_text(auth_of(req)->lang, key)));
}

/* ---- password */

static json_t *password_data(struct request *req)
{
	struct auth *st = auth_of(req);
	return json_pack("{s:s, s:b, s:{}, s:i, s:i}", "title", admin_text(st->lang, "password_title"),
	                 "forced", st->user->must_change, "errors", "min", PASSWORD_MIN, "max", PASSWORD_MAX);
}

int account_password_form(struct request *req, struct response *resp)
{
	return admin_render(req, resp, 200, "admin/password", password_data(req));
}

/* Field errors for the new password pair (none when they are fine). */
static void check_new(struct request *req, json_t *d, const char *cur, const char *pw, const char *again)
{
	const char *problem =
	    pw && *pw ? password_problem(pw, auth_of(req)->user->email) : "err_password_missing";
	if (!problem && cur && strcmp(pw, cur) == 0)
		problem = "pw_same";
	if (problem)
		field_error(req, d, "new", problem);
	else if (!again || strcmp(pw, again) != 0)
		field_error(req, d, "again", "pw_mismatch");
}

/* Check the "current" password field, counted like a sign-in: an error on d's "current" field, or a
 * 429 in resp (then d is consumed and the status returned). 0 when the check did not throttle. */
static int check_current(struct request *req, struct response *resp, json_t *d)
{
	struct auth *st = auth_of(req);
	const char *cur = auth_field(req, "current");
	const char *page = json_object_get(d, "secret") ? "admin/totp" : "admin/password";
	int64_t wait = signin_wait(req, st->user->email);
	if (wait)
		return signin_throttled(req, resp, wait, page, d);
	if (!cur || !*cur) {
		field_error(req, d, "current", "err_password_missing");
	} else if (strlen(cur) > 4 * PASSWORD_MAX || !password_verify(st->user->password_hash, cur)) {
		auth_audit(req, NULL, "password_check_failed", "user", id_text(req, st->user->id), NULL,
		           NULL);
		int64_t lock = signin_failed(req, st->user->email);
		if (lock)
			return signin_throttled(req, resp, lock, page, d);
		field_error(req, d, "current", "err_current");
	}
	return 0;
}

int account_password_submit(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	const char *cur = auth_field(req, "current"), *pw = auth_field(req, "new"),
	           *again = auth_field(req, "again");
	json_t *d = password_data(req);
	if (check_current(req, resp, d) != 0)
		return resp->status;
	check_new(req, d, cur, pw, again);
	if (json_object_size(json_object_get(d, "errors")))
		return admin_render(req, resp, 400, "admin/password", d);
	json_decref(d);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(pw, hash) < 0 || user_set_password(auth_db(), st->user->id, hash, false) < 0)
		return admin_error(req, resp, 500, "err_internal");
	session_delete_user(auth_db(), st->user->id, st->session->id);
	auth_audit(req, NULL, "password_change", "user", id_text(req, st->user->id), NULL, NULL);
	return auth_redirect(req, resp, "/admin/");
}

/* ---- second factor */

/* "ABCDEFGH..." as "ABCD EFGH ..." for reading and typing by hand. */
static const char *grouped(struct request *req, const char *s)
{
	size_t n = strlen(s), k = 0;
	char *out = arena_alloc(req->arena, n + n / 4 + 1);
	for (size_t i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			out[k++] = ' ';
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static json_t *totp_data(struct request *req, const char *secret)
{
	struct auth *st = auth_of(req);
	struct buf svg = BUF_INIT;
	const char *uri = totp_uri(req->arena, "VRC", st->user->email, secret);
	qr_svg(uri, admin_text(st->lang, "totp_qr_label"), &svg);
	json_t *d = json_pack(
	    "{s:s, s:s, s:o, s:b, s:b, s:{}}", "title", admin_text(st->lang, "totp_title"), "secret",
	    grouped(req, secret), "qr", tmpl_safe_html(svg.p ? svg.p : "", svg.len), "enrolled",
	    st->user->totp_secret != NULL, "required", auth_totp_required(st->user), "errors");
	buf_free(&svg);
	return d;
}

int account_totp_form(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	const char *secret = st->session->totp_pending;
	if (!secret) {
		char fresh[TOTP_SECRET_LEN + 1];
		totp_new_secret(fresh);
		if (session_set_totp_pending(auth_db(), st->session->id, fresh) < 0)
			return admin_error(req, resp, 500, "err_internal");
		secret = arena_strdup(req->arena, fresh);
	}
	return admin_render(req, resp, 200, "admin/totp", totp_data(req, secret));
}

/* New recovery codes for the account: stored hashed, returned in the clear for this one page. */
static json_t *new_recovery_codes(int64_t user_id)
{
	char codes[RECOVERY_CODES][TOTP_RECOVERY_LEN + 1], hashes[RECOVERY_CODES][SECRET_HASH_LEN + 1];
	const char *hp[RECOVERY_CODES];
	json_t *list = json_array();
	for (size_t i = 0; i < RECOVERY_CODES; i++) {
		totp_recovery_code(codes[i]);
		totp_recovery_hash(codes[i], user_id, hashes[i]);
		hp[i] = hashes[i];
		json_array_append_new(list, json_string(codes[i]));
	}
	if (user_recovery_replace(auth_db(), user_id, hp, RECOVERY_CODES) < 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int account_totp_submit(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	const char *secret = st->session->totp_pending, *code = auth_field(req, "code");
	if (!secret)
		return auth_redirect(req, resp, "/admin/totp");
	json_t *d = totp_data(req, secret);
	/* Replacing a second factor takes the password too: a borrowed session cannot move it. */
	if (st->user->totp_secret && check_current(req, resp, d) != 0)
		return resp->status;
	int64_t step = 0;
	if (totp_check(secret, code, (int64_t)time(NULL), &step) < 0)
		field_error(req, d, "code", code && *code ? "err_code" : "err_code_missing");
	if (json_object_size(json_object_get(d, "errors")))
		return admin_render(req, resp, 400, "admin/totp", d);
	json_decref(d);
	if (user_set_totp(auth_db(), st->user->id, secret, step) < 0 ||
	    session_set_totp_pending(auth_db(), st->session->id, NULL) < 0)
		return admin_error(req, resp, 500, "err_internal");
	json_t *codes = new_recovery_codes(st->user->id);
	if (!codes)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, "totp_enrol", "user", id_text(req, st->user->id),
	           st->user->totp_secret ? "enrolled" : NULL, "enrolled");
	st->user->totp_secret = secret;
	d = json_pack("{s:s, s:o}", "title", admin_text(st->lang, "recovery_title"), "codes", codes);
	return admin_render(req, resp, 200, "admin/recovery", d);
}
