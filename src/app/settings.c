/* Settings: a table of the keys an admin may change, one form for them all, one audit entry per save
 * with every value before and after. */
#include "app/settings.h"

#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/console.h"
#include "base/log.h"
#include "model/setting.h"

const struct settings_key settings_keys[] = {
    {"review_months", 12, 1, 120},
    {"hotline_verify_months", 6, 1, 120},
};
const size_t settings_nkeys = sizeof(settings_keys) / sizeof(settings_keys[0]);

static const struct settings_key *key_of(const char *key)
{
	for (size_t i = 0; i < settings_nkeys; i++)
		if (strcmp(settings_keys[i].key, key) == 0)
			return &settings_keys[i];
	return NULL;
}

int settings_get(const char *key)
{
	const struct settings_key *k = key_of(key);
	return k ? setting_int(auth_db(), k->key, k->def, k->min, k->max) : 0;
}

static bool may_manage(struct request *req)
{
	return auth_can(auth_of(req)->user, AUTH_MANAGE, &(struct auth_object){"setting", NULL});
}

/* values[i] is what the form shows for settings_keys[i]. */
static int render(struct request *req, struct response *resp, int status, const char *const *values,
                  const struct console_errors *e, const char *notice)
{
	const char *lang = auth_of(req)->lang;
	json_t *fields = json_array();
	for (size_t i = 0; i < settings_nkeys; i++) {
		const char *k = settings_keys[i].key, *err = console_error_of(e, k);
		json_array_append_new(
		    fields, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:i, s:i}", "id", k, "label",
		                      admin_text(lang, k), "hint",
		                      admin_text(lang, arena_printf(req->arena, "%s_hint", k)), "value",
		                      values[i], "error", err ? admin_text(lang, err) : NULL, "invalid",
		                      err ? "true" : "false", "describedby",
		                      err ? arena_printf(req->arena, "%s-hint %s-error", k, k)
		                          : arena_printf(req->arena, "%s-hint", k),
		                      "min", settings_keys[i].min, "max", settings_keys[i].max));
	}
	json_t *d = json_pack("{s:s, s:o, s:s, s:s?, s:s?}", "title", admin_text(lang, "settings"), "fields",
	                      fields, "action", admin_url(req, "/admin/settings"), "notice",
	                      notice ? admin_text(lang, notice) : NULL, "alert",
	                      e->n ? admin_text(lang, "err_fix_below") : NULL);
	return admin_render(req, resp, status, "admin/settings", d);
}

static const char *encode(struct arena *a, const char *const *values)
{
	json_t *j = json_object();
	for (size_t i = 0; i < settings_nkeys; i++)
		json_object_set_new(j, settings_keys[i].key, json_string(values[i]));
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	const char *out = arena_strdup(a, text ? text : "{}");
	free(text);
	return out;
}

static const char **stored(struct request *req)
{
	const char **v = arena_alloc(req->arena, settings_nkeys * sizeof(*v));
	for (size_t i = 0; i < settings_nkeys; i++)
		v[i] = arena_printf(req->arena, "%d", settings_get(settings_keys[i].key));
	return v;
}

int settings_form(struct request *req, struct response *resp)
{
	if (!may_manage(req))
		return admin_error(req, resp, 403, "err_role");
	struct console_errors e = {0};
	return render(req, resp, 200, stored(req), &e,
	              request_query(req, "saved")       ? "settings_saved"
	              : request_query(req, "unchanged") ? "settings_unchanged"
	                                                : NULL);
}

int settings_save(struct request *req, struct response *resp)
{
	if (!may_manage(req))
		return admin_error(req, resp, 403, "err_role");
	const char **before = stored(req), **after = arena_alloc(req->arena, settings_nkeys * sizeof(*after));
	struct console_errors e = {0};
	for (size_t i = 0; i < settings_nkeys; i++) {
		const struct settings_key *k = &settings_keys[i];
		after[i] = console_text(req->arena, &auth_of(req)->form, k->key);
		long n = console_number(after[i], k->min, k->max);
		if (n < 0)
			console_error(&e, k->key, *after[i] ? "err_months" : "err_required");
		else
			after[i] = arena_printf(req->arena, "%ld", n); /* "012" is stored as 12 */
	}
	if (e.n) {
		log_warn("console: settings refused: %s: %s", e.v[0].field, e.v[0].key);
		return render(req, resp, 400, after, &e, NULL);
	}
	const char *b = encode(req->arena, before), *a = encode(req->arena, after);
	if (strcmp(a, b) == 0)
		return auth_redirect(req, resp, "/admin/settings?unchanged=1");
	if (console_begin() < 0)
		return admin_error(req, resp, 500, "err_save");
	for (size_t i = 0; i < settings_nkeys; i++)
		if (setting_set(auth_db(), settings_keys[i].key, after[i]) < 0)
			goto fail;
	if (console_audit(req, "settings_change", "setting", "console", b, a) < 0)
		goto fail;
	if (console_commit() < 0)
		return admin_error(req, resp, 500, "err_save");
	log_info("console: settings changed by %s: %s", auth_of(req)->user->email, a);
	return auth_redirect(req, resp, "/admin/settings?saved=1");
fail:
	console_rollback();
	return admin_error(req, resp, 500, "err_save");
}
