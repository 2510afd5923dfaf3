/* Admin pages share one layout (templates/admin/layout.html): the public site's look and CSS without
 * the crisis bar and quick exit, no script, every page no-store. */
#include "app/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"
#include "app/dashboard.h"
#include "app/site.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/util.h"
#include "model/user.h"
#include "view/i18n.h"
#include "view/template.h"

static struct tmpl_set *tmpl;

int admin_init(void)
{
	static const char prefix[] = "templates/admin/";
	char err[256], name[128];
	tmpl = tmpl_set_new();
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		struct str n = str_c(f->name);
		if (!str_starts(n, STR(prefix)) || !str_ends(n, STR(".html")))
			continue;
		/* "templates/admin/login.html" is template "admin/login". */
		snprintf(name, sizeof(name), "%.*s", (int)(n.len - 10 - 5), f->name + 10);
		if (tmpl_add(tmpl, name, (const char *)f->data, f->len, err, sizeof(err)) < 0) {
			log_error("templates/%s.html%s", name, strchr(err, ':') ? strchr(err, ':') : err);
			return -1;
		}
	}
	if (tmpl_link(tmpl, err, sizeof(err)) < 0) {
		log_error("template %s", err);
		return -1;
	}
	return 0;
}

void admin_free(void)
{
	tmpl_set_free(tmpl);
	tmpl = NULL;
}

const char *admin_text(const char *lang, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(i18n_catalog(lang), "admin"), key));
	return v ? v : key;
}

static bool spanish(struct request *req)
{
	const char *lang = auth_of(req)->lang;
	return lang && strcmp(lang, "es") == 0;
}

const char *admin_url(struct request *req, const char *path)
{
	return spanish(req) ? arena_printf(req->arena, "%s?lang=es", path) : path;
}

static json_t *urls_json(struct request *req)
{
	static const char *const paths[][2] = {
	    {"dashboard", "/admin/"},
	    {"login", "/admin/login"},
	    {"code", "/admin/login/code"},
	    {"logout", "/admin/logout"},
	    {"password", "/admin/password"},
	    {"totp", "/admin/totp"},
	    {"users", "/admin/users"},
	    /* the console's sections (some are built by other modules: resources, uploads) */
	    {"resources", "/admin/resources"},
	    {"hotlines", "/admin/hotlines"},
	    {"topics", "/admin/topics"},
	    {"uploads", "/admin/uploads"},
	    {"audit", "/admin/audit"},
	    {"settings", "/admin/settings"},
	    {"communities", "/admin/communities"},
	    {"alert", "/admin/alert"},
	};
	json_t *u = json_object();
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		json_object_set_new(u, paths[i][0], json_string(admin_url(req, paths[i][1])));
	return u;
}

static const char *role_label(const char *lang, enum user_role r)
{
	static const char *const keys[] = {[ROLE_NONE] = "role_none",
	                                   [ROLE_ADMIN] = "role_admin",
	                                   [ROLE_EDITOR] = "role_editor",
	                                   [ROLE_REVIEWER] = "role_reviewer",
	                                   [ROLE_COMMUNITY_EDITOR] = "role_community_editor"};
	return admin_text(lang, (size_t)r < sizeof(keys) / sizeof(keys[0]) ? keys[r] : "role_none");
}

/* The signed-in account as the layout shows it, or NULL before sign-in is complete. */
static json_t *me_json(struct request *req)
{
	struct auth *st = auth_of(req);
	if (!st->user || !st->session || st->session->stage != SESSION_FULL)
		return NULL;
	const struct user *u = st->user;
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "email", u->email, "name", u->name, "role",
	                 role_label(st->lang, u->role), "is_admin", u->role == ROLE_ADMIN, "can_resources",
	                 auth_can(u, AUTH_VIEW, &(struct auth_object){"resource", NULL}), "can_edit",
	                 auth_can(u, AUTH_EDIT, &(struct auth_object){"hotline", NULL}));
}

int admin_render(struct request *req, struct response *resp, int status, const char *name, json_t *data)
{
	struct auth *st = auth_of(req);
	const char *lang = st->lang ? st->lang : "en", *other = strcmp(lang, "es") == 0 ? "en" : "es";
	if (!data) /* json_pack refused a value (not UTF-8): render the page without it */
		data = json_object();
	json_object_set_new(data, "lang", json_string(lang));
	json_object_set_new(data, "other_lang", json_string(other));
	json_object_set(data, "t", i18n_catalog(lang));
	json_object_set_new(data, "asset", json_string(site_asset_base()));
	json_object_set_new(data, "u", urls_json(req));
	json_object_set_new(data, "lang_switch",
	                    json_string(arena_printf(req->arena, "%s?lang=%s", req->path, other)));
	if (st->session)
		json_object_set_new(data, "csrf", json_string(st->session->csrf));
	json_t *me = me_json(req);
	if (me)
		json_object_set_new(data, "me", me);
	struct buf body = BUF_INIT, page = BUF_INIT;
	tmpl_render(tmpl, name, data, &body);
	json_object_set_new(data, "content", tmpl_safe_html(body.p ? body.p : "", body.len));
	tmpl_render(tmpl, "admin/layout", data, &page);
	json_decref(data);
	response_html(resp, status, page.p ? page.p : "", page.len);
	buf_free(&body);
	buf_free(&page);
	resp->cache_control = "no-store";
	return status;
}

int admin_error(struct request *req, struct response *resp, int status, const char *key)
{
	const char *lang = auth_of(req)->lang;
	char tk[32];
	snprintf(tk, sizeof(tk), "error_title_%d", status);
	if (!json_object_get(json_object_get(i18n_catalog(lang), "admin"), tk))
		snprintf(tk, sizeof(tk), "error_title_500");
	json_t *d = json_pack("{s:s, s:s, s:i}", "title", admin_text(lang, tk), "message",
	                      admin_text(lang, key), "status", status);
	return admin_render(req, resp, status, "admin/error", d);
}

int admin_not_found(struct request *req, struct response *resp)
{
	return admin_error(req, resp, 404, "err_not_found");
}

/* ---- dashboard */

int admin_dashboard(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	const struct user *u = st->user;
	json_t *d = json_pack("{s:s, s:b, s:I, s:b}", "title", admin_text(st->lang, "dashboard"), "has_totp",
	                      u->totp_secret != NULL, "recovery_left",
	                      (json_int_t)(u->totp_secret ? user_recovery_left(auth_db(), u->id) : 0),
	                      "totp_required", auth_totp_required(u));
	dashboard_data(req, d);
	return admin_render(req, resp, 200, "admin/dashboard", d);
}

/* ---- accounts */

static const enum user_role roles[] = {ROLE_ADMIN, ROLE_EDITOR, ROLE_REVIEWER, ROLE_COMMUNITY_EDITOR};

static const char *communities_text(struct arena *a, const struct user *u)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < u->ncommunities; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", u->communities[i]);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static json_t *user_row(struct request *req, const struct user *u)
{
	const char *lang = auth_of(req)->lang;
	json_t *opts = json_array();
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		json_array_append_new(opts,
		                      json_pack("{s:s, s:s, s:b}", "value", user_role_name(roles[i]), "label",
		                                role_label(lang, roles[i]), "selected", roles[i] == u->role));
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:s}", "id", (json_int_t)u->id, "email", u->email,
	    "name", u->name, "role", role_label(lang, u->role), "communities",
	    communities_text(req->arena, u), "disabled", u->disabled, "totp", u->totp_secret != NULL,
	    "must_change", u->must_change, "roles", opts, "action",
	    admin_url(req, arena_printf(req->arena, "/admin/users/%lld/role", (long long)u->id)));
}

int admin_users(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	if (!auth_can(st->user, AUTH_MANAGE, &(struct auth_object){"user", NULL}))
		return admin_error(req, resp, 403, "err_role");
	struct user *us;
	size_t n = user_list(auth_db(), req->arena, &us);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, user_row(req, &us[i]));
	json_t *d = json_pack("{s:s, s:o}", "title", admin_text(st->lang, "users"), "users", rows);
	return admin_render(req, resp, 200, "admin/users", d);
}

/* Enabled admins other than id: the last one may not be demoted. */
static size_t other_admins(struct arena *a, int64_t id)
{
	struct user *us;
	size_t n = user_list(auth_db(), a, &us), k = 0;
	for (size_t i = 0; i < n; i++)
		k += us[i].id != id && us[i].role == ROLE_ADMIN && !us[i].disabled;
	return k;
}

/* "a, b c" into up to USER_MAX_COMMUNITIES slugs; -1 when one is not a slug. */
static int parse_communities(struct arena *a, const char *s, const char **out, size_t *n)
{
	*n = 0;
	while (s && *s) {
		s += strspn(s, ", \t");
		size_t len = strcspn(s, ", \t");
		if (!len)
			break;
		if (*n == USER_MAX_COMMUNITIES || !slug_valid((struct str){s, len}))
			return -1;
		out[(*n)++] = arena_strndup(a, s, len);
		s += len;
	}
	return 0;
}

int admin_user_role(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	const char *idp = request_param(req, "id");
	struct user *target = idp ? user_find(auth_db(), req->arena, atoll(idp)) : NULL;
	if (!target)
		return admin_error(req, resp, 404, "err_not_found");
	if (!auth_can(st->user, AUTH_MANAGE, &(struct auth_object){"user", NULL}))
		return admin_error(req, resp, 403, "err_role");
	enum user_role role = user_role_parse(auth_field(req, "role"));
	const char *slugs[USER_MAX_COMMUNITIES];
	size_t ns;
	if (role == ROLE_NONE ||
	    parse_communities(req->arena, auth_field(req, "communities"), slugs, &ns) < 0)
		return admin_error(req, resp, 400, "err_role_value");
	if (target->role == ROLE_ADMIN && role != ROLE_ADMIN && other_admins(req->arena, target->id) == 0)
		return admin_error(req, resp, 400, "err_last_admin");
	const char *before = user_role_text(req->arena, target);
	if (user_set_role(auth_db(), target->id, role, slugs, ns) < 0)
		return admin_error(req, resp, 500, "err_internal");
	struct user *after = user_find(auth_db(), req->arena, target->id);
	auth_audit(req, NULL, "role_change", "user", arena_printf(req->arena, "%lld", (long long)target->id),
	           before, user_role_text(req->arena, after));
	return auth_redirect(req, resp, "/admin/users");
}
