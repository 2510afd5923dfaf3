/* Community editing in the console. Every form posts to a handler that checks the community with
 * auth_can, checks every field (model/block.c), and on any error answers 400 with the form as typed
 * and a message next to each field; a save changes only the draft. Publishing copies drafts to
 * what the public sees in one transaction, writes the revisions and an audit entry, and re-renders
 * the community's pages, feeds, flyer and the home pages into the cache before it answers. */
#include "app/communityadmin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/community.h"
#include "app/publish.h"
#include "app/site.h"
#include "app/starter.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/str.h"
#include "base/tz.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/alert.h"
#include "model/community.h"
#include "view/i18n.h"

static const char *lang_of(struct request *req)
{
	return auth_of(req)->lang ? auth_of(req)->lang : "en";
}

static const char *T(struct request *req, const char *key)
{
	return admin_text(lang_of(req), key);
}

/* The admin string of key when the catalogue has it, else NULL (for optional hints). */
static const char *T_opt(struct request *req, const char *key)
{
	const char *v = T(req, key);
	return strcmp(v, key) == 0 ? NULL : v;
}

/* An admin URL from a printf format, in the request's language. */
#define URL(req, ...) admin_url((req), arena_printf((req)->arena, __VA_ARGS__))

/* The community of the route's :slug when the account may do act to it; else the error page is
 * written and NULL returned with *status set. */
static struct community *load(struct request *req, struct response *resp, enum auth_action act, int *status)
{
	const char *slug = request_param(req, "slug");
	struct community *c =
	    slug && slug_valid(str_c(slug)) ? community_get(auth_db(), req->arena, slug) : NULL;
	if (!c) {
		*status = admin_error(req, resp, 404, "err_not_found");
		return NULL;
	}
	if (!auth_can(auth_of(req)->user, act, &(struct auth_object){"community", c->slug})) {
		log_warn("community: %s may not %s %s", auth_of(req)->user->email,
		         act == AUTH_VIEW   ? "view"
		         : act == AUTH_EDIT ? "edit"
		                            : "publish",
		         c->slug);
		*status = admin_error(req, resp, 403, "err_scope");
		return NULL;
	}
	return c;
}

/* May the account create communities, change their settings, editors and status? Admins and
 * editors: the unscoped community grant. */
static bool can_manage(struct request *req)
{
	return auth_can(auth_of(req)->user, AUTH_EDIT, &(struct auth_object){"community", NULL});
}

/* Re-render what a change touched (app/community.h), before the response goes out. */
static void refresh(struct request *req, const char *slug, const char **before, size_t nb)
{
	size_t failed = community_refresh(req->arena, slug, before, nb);
	if (failed)
		log_error("community %s: %zu page(s) failed to render after a change", slug, failed);
}

/* ---- form fields */

struct form_state {
	json_t *errors; /* field -> message */
	bool from_form; /* show what was typed (after an error) */
};

static json_t *errors_json(struct request *req, const struct block_errors *errs)
{
	json_t *e = json_object();
	for (size_t i = 0; i < errs->n; i++)
		if (!json_object_get(e, errs->e[i].field))
			json_object_set_new(e, errs->e[i].field, json_string(T(req, errs->e[i].key)));
	return e;
}

static json_t *options_json(struct request *req, const struct block_field *f, const char *value)
{
	json_t *opts = json_array();
	if (f->type == FT_TZ) {
		for (size_t i = 0; i < tz_nzones; i++)
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", tz_zones[i].name,
			                                      "label", tz_zones[i].name, "selected",
			                                      value && strcmp(value, tz_zones[i].name) == 0));
		return opts;
	}
	for (size_t i = 0; f->choices && f->choices[i]; i++) {
		char key[64];
		snprintf(key, sizeof(key), "choice_%s", f->choices[i]);
		for (char *p = key; *p; p++)
			*p = *p == ' ' ? '_' : *p;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", f->choices[i], "label",
		                                      T(req, key), "selected",
		                                      value && strcmp(value, f->choices[i]) == 0));
	}
	return opts;
}

static const char *input_type(enum block_ftype t)
{
	static const char *const types[] = {
	    [FT_TEXT] = "text", [FT_DATE] = "date", [FT_DATETIME] = "datetime-local",
	    [FT_URL] = "url",   [FT_PHONE] = "tel", [FT_LANGS] = "text",
	};
	return (size_t)t < sizeof(types) / sizeof(types[0]) && types[t] ? types[t] : NULL;
}

/* One field of a form: its control, label, hint, value and error. value is what to show. */
static json_t *field_json(struct request *req, const struct block_field *f, const char *value,
                          const char *clang, const struct form_state *fs)
{
	char key[64];
	snprintf(key, sizeof(key), "f_%s", f->name);
	const char *label = T(req, key);
	snprintf(key, sizeof(key), "h_%s", f->name);
	const char *hint = T_opt(req, key);
	const char *err = json_string_value(json_object_get(fs->errors, f->name));
	const char *id = arena_printf(req->arena, "f-%s", f->name);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "name", f->name, "id", id, "label",
	                      label, "hint", hint ? hint : "", "value", value ? value : "", "required",
	                      f->required, "describedby",
	                      err ? arena_printf(req->arena, "%s-hint %s-error", id, id)
	                          : arena_printf(req->arena, "%s-hint", id),
	                      "invalid", err ? "true" : "false");
	if (!j)
		return json_pack("{s:s, s:s, s:s}", "name", f->name, "label", label, "error",
		                 T(req, "err_control"));
	if (err)
		json_object_set_new(j, "error", json_string(err));
	if (f->text && clang)
		json_object_set_new(j, "lang_note", json_string(i18n_get(clang, "lang_name")));
	if (f->type == FT_BOOL)
		json_object_set_new(j, "is_checkbox", json_true()),
		    json_object_set_new(j, "checked", json_boolean(value && *value));
	else if (f->type == FT_ENUM || f->type == FT_TZ)
		json_object_set_new(j, "is_select", json_true()),
		    json_object_set_new(j, "options", options_json(req, f, value));
	else if (!input_type(f->type))
		json_object_set_new(j, "is_textarea", json_true()),
		    json_object_set_new(j, "rows", json_integer(f->type == FT_MARKDOWN ? 6 : 3));
	else
		json_object_set_new(j, "is_input", json_true()),
		    json_object_set_new(j, "input_type", json_string(input_type(f->type)));
	return j;
}

/* The value of field f of obj in clang: a text field's text in that language, else the neutral one. */
static const char *stored(const struct block_field *f, json_t *obj, const char *clang)
{
	json_t *v = f->text ? json_object_get(json_object_get(json_object_get(obj, "text"), clang), f->name)
	                    : json_object_get(obj, f->name);
	if (json_is_boolean(v))
		return json_is_true(v) ? "on" : "";
	return json_string_value(v);
}

static json_t *fields_json(struct request *req, const struct block_field *fs, size_t n, json_t *obj,
                           const char *clang, const struct form_state *st)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *v = st->from_form ? auth_field(req, fs[i].name)
		                : obj         ? stored(&fs[i], obj, clang)
		                              : NULL;
		json_array_append_new(arr, field_json(req, &fs[i], v, clang, st));
	}
	return arr;
}

/* ---- the list */

int communityadmin_list(struct request *req, struct response *resp)
{
	const struct user *u = auth_of(req)->user;
	struct community *cs;
	size_t n = community_list(auth_db(), req->arena, NULL, &cs);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!auth_can(u, AUTH_VIEW, &(struct auth_object){"community", cs[i].slug}))
			continue;
		json_array_append_new(rows,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", cs[i].name, "place",
		                                cs[i].place, "languages", cs[i].languages, "url",
		                                URL(req, "/admin/communities/%s", cs[i].slug), "public_url",
		                                community_url(req->arena, "en", cs[i].slug), "archived",
		                                strcmp(cs[i].status, "archived") == 0));
	}
	json_t *d = json_pack("{s:s, s:o, s:b, s:s, s:b}", "title", T(req, "communities_nav"), "communities",
	                      rows, "can_create", can_manage(req), "new_url",
	                      admin_url(req, "/admin/communities/new"), "any", n > 0);
	return admin_render(req, resp, 200, "admin/communities", d);
}

/* ---- create in minutes */

static const struct block_field create_fields[] = {
    {"name", FT_TEXT, false, true, COMMUNITY_NAME_MAX, NULL, NULL},
    {"slug", FT_TEXT, false, false, 100, NULL, NULL},
    {"place", FT_TEXT, false, false, COMMUNITY_PLACE_MAX, NULL, NULL},
    {"date", FT_DATE, false, false, 10, NULL, NULL},
    {"timezone", FT_TZ, false, true, 40, NULL, NULL},
    {"key_message", FT_MARKDOWN, false, false, 1500, NULL, NULL},
    {"street", FT_TEXT, false, false, 200, NULL, NULL},
    {"city", FT_TEXT, false, false, 100, NULL, NULL},
    {"state", FT_TEXT, false, false, 60, NULL, NULL},
    {"postal", FT_TEXT, false, false, 20, NULL, NULL},
    {"hours", FT_HOURS, false, false, 400, NULL, NULL},
    {"phone", FT_PHONE, false, false, 40, NULL, NULL},
};

/* The languages a page can offer, as checkboxes (English always, so not a choice). */
static json_t *langs_json(struct request *req, const char *chosen, bool from_form)
{
	size_t n;
	const char *const *codes = i18n_langs(&n);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (strcmp(codes[i], "en") == 0)
			continue;
		char field[16];
		snprintf(field, sizeof(field), "lang_%s", codes[i]);
		bool on =
		    from_form ? auth_field(req, field) != NULL : chosen && strstr(chosen, codes[i]) != NULL;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "code", codes[i], "field", field,
		                                     "name", i18n_get(codes[i], "lang_name"), "checked", on));
	}
	return arr;
}

/* "en" plus every language ticked in the form, into a. */
static const char *form_langs(struct request *req)
{
	size_t n;
	const char *const *codes = i18n_langs(&n);
	struct buf b = BUF_INIT;
	buf_puts(&b, "en");
	for (size_t i = 0; i < n; i++) {
		char field[16];
		snprintf(field, sizeof(field), "lang_%s", codes[i]);
		if (strcmp(codes[i], "en") != 0 && auth_field(req, field))
			buf_printf(&b, ",%s", codes[i]);
	}
	const char *s = arena_strdup(req->arena, b.p);
	buf_free(&b);
	return s;
}

static int new_form(struct request *req, struct response *resp, int status, const struct form_state *st)
{
	json_t *d = json_pack(
	    "{s:s, s:o, s:o, s:s, s:b}", "title", T(req, "community_new"), "fields",
	    fields_json(req, create_fields, sizeof(create_fields) / sizeof(create_fields[0]), NULL, NULL, st),
	    "langs", langs_json(req, "en,es", st->from_form), "action",
	    admin_url(req, "/admin/communities/new"), "has_errors", json_object_size(st->errors) > 0);
	json_t *le = json_object_get(st->errors, "langs");
	if (le)
		json_object_set(d, "langs_error", le);
	/* A new form starts in the time zone most US incidents would pick first. */
	if (!st->from_form) {
		json_t *f;
		size_t i;
		json_array_foreach (json_object_get(d, "fields"), i, f)
			if (strcmp(json_string_value(json_object_get(f, "name")), "timezone") == 0)
				json_object_set_new(f, "options",
				                    options_json(req, &create_fields[4], "America/New_York"));
	}
	return admin_render(req, resp, status, "admin/community_new", d);
}

int communityadmin_new(struct request *req, struct response *resp)
{
	if (!can_manage(req))
		return admin_error(req, resp, 403, "err_role");
	struct form_state st = {json_object(), false};
	int rc = new_form(req, resp, 200, &st);
	json_decref(st.errors);
	return rc;
}

static const char *field_or_null(struct request *req, const char *name)
{
	const char *v = auth_field(req, name);
	struct str t = str_trim(str_c(v));
	return t.len ? arena_strndup(req->arena, t.p, t.len) : NULL;
}

static int communityadmin_create_locked(struct request *req, struct response *resp)
{
	if (!can_manage(req))
		return admin_error(req, resp, 403, "err_role");
	struct auth *st = auth_of(req);
	const char *slug = field_or_null(req, "slug");
	struct starter_input in = {
	    .slug = slug ? slug : starter_slug(req->arena, auth_field(req, "name")),
	    .name = field_or_null(req, "name"),
	    .place = field_or_null(req, "place"),
	    .date = field_or_null(req, "date"),
	    .langs = form_langs(req),
	    .timezone = field_or_null(req, "timezone"),
	    .key_message = field_or_null(req, "key_message"),
	    .street = field_or_null(req, "street"),
	    .city = field_or_null(req, "city"),
	    .state = field_or_null(req, "state"),
	    .postal = field_or_null(req, "postal"),
	    .hours = field_or_null(req, "hours"),
	    .phone = field_or_null(req, "phone"),
	    .user_id = st->user->id,
	    .actor = st->user->email,
	};
	struct block_errors errs;
	if (starter_create(auth_db(), &in, &errs) < 0) {
		log_warn("community: %s could not create '%s': %zu field(s) to fix", st->user->email, in.slug,
		         errs.n);
		struct form_state fs = {errors_json(req, &errs), true};
		int rc = new_form(req, resp, 400, &fs);
		json_decref(fs.errors);
		return rc;
	}
	auth_audit(req, NULL, "community_create", "community", in.slug, NULL,
	           arena_printf(req->arena, "{\"slug\":\"%s\",\"languages\":\"%s\"}", in.slug, in.langs));
	refresh(req, in.slug, NULL, 0);
	return auth_redirect(req, resp, arena_printf(req->arena, "/admin/communities/%s?created=1", in.slug));
}

/* ---- the overview */

static json_t *block_rows(struct request *req, const struct community *c, struct community_block *bs,
                          bool *pending)
{
	json_t *rows = json_array();
	*pending = false;
	for (size_t i = 0; i < block_nkinds; i++) {
		const struct block_kind *k = bs[i].kind;
		char key[48];
		snprintf(key, sizeof(key), "block_%s", k->name);
		json_t *cells = json_array();
		for (size_t l = 0; l < c->nlangs; l++) {
			bool missing = block_missing(k, bs[i].draft, c->langs[l]);
			json_array_append_new(cells, json_pack("{s:s, s:s, s:b, s:s}", "lang", c->langs[l],
			                                       "name", i18n_get(c->langs[l], "lang_name"),
			                                       "missing", missing, "url",
			                                       URL(req, "/admin/communities/%s/%s/%s",
			                                           c->slug, k->name, c->langs[l])));
		}
		*pending |= bs[i].pending;
		size_t items = json_array_size(json_object_get(bs[i].draft, "items"));
		json_array_append_new(rows, json_pack("{s:s, s:s, s:b, s:o, s:I, s:b}", "kind", k->name,
		                                      "label", T(req, key), "pending", bs[i].pending, "cells",
		                                      cells, "items", (json_int_t)items, "is_list", k->list));
	}
	return rows;
}

static json_t *editors_json(struct request *req, const struct community *c)
{
	const char **emails;
	size_t n = community_editors(auth_db(), req->arena, c->slug, &emails);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s}", "email", emails[i]));
	return arr;
}

static json_t *settings_fields(struct request *req, const struct community *c, const struct form_state *st)
{
	static const struct block_field fs[] = {
	    {"name", FT_TEXT, false, true, COMMUNITY_NAME_MAX, NULL, NULL},
	    {"place", FT_TEXT, false, false, COMMUNITY_PLACE_MAX, NULL, NULL},
	    {"date", FT_DATE, false, false, 10, NULL, NULL},
	    {"timezone", FT_TZ, false, true, 40, NULL, NULL},
	};
	json_t *arr = json_array();
	const char *vals[] = {c->name, c->place, c->incident_date, c->timezone};
	for (size_t i = 0; i < 4; i++)
		json_array_append_new(
		    arr,
		    field_json(req, &fs[i], st->from_form ? auth_field(req, fs[i].name) : vals[i], NULL, st));
	return arr;
}

static int show(struct request *req, struct response *resp, struct community *c, int status,
                const struct form_state *st, const char *notice)
{
	struct community_block *bs = arena_calloc(req->arena, block_nkinds, sizeof(*bs));
	if (community_blocks(auth_db(), req->arena, c->id, bs) < 0)
		return admin_error(req, resp, 500, "err_internal");
	bool pending;
	json_t *rows = block_rows(req, c, bs, &pending);
	const struct user *u = auth_of(req)->user;
	json_t *d =
	    json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:b}, s:o, s:b, s:b, s:b, s:s, s:s, s:s, s:s, s:s, s:o, "
	              "s:o, s:o, s:b}",
	              "title", c->name, "c", "name", c->name, "slug", c->slug, "place", c->place,
	              "public_url", community_url(req->arena, "en", c->slug), "archived",
	              strcmp(c->status, "archived") == 0, "blocks", rows, "pending", pending, "can_publish",
	              auth_can(u, AUTH_PUBLISH, &(struct auth_object){"community", c->slug}), "can_manage",
	              can_manage(req), "publish_action", URL(req, "/admin/communities/%s/publish", c->slug),
	              "settings_action", URL(req, "/admin/communities/%s", c->slug), "editors_action",
	              URL(req, "/admin/communities/%s/editors", c->slug), "archive_action",
	              URL(req, "/admin/communities/%s/archive", c->slug), "list_url",
	              admin_url(req, "/admin/communities"), "editors", editors_json(req, c), "settings",
	              settings_fields(req, c, st), "langs", langs_json(req, c->languages, st->from_form),
	              "has_errors", json_object_size(st->errors) > 0);
	if (d && notice)
		json_object_set_new(d, "notice", json_string(notice));
	if (d && json_object_get(st->errors, "email"))
		json_object_set(d, "email_error", json_object_get(st->errors, "email"));
	if (d && json_object_get(st->errors, "langs"))
		json_object_set(d, "langs_error", json_object_get(st->errors, "langs"));
	return admin_render(req, resp, status, "admin/community", d);
}

int communityadmin_show(struct request *req, struct response *resp)
{
	int status;
	struct community *c = load(req, resp, AUTH_VIEW, &status);
	if (!c)
		return status;
	const char *notice = request_query(req, "created")     ? T(req, "notice_created")
	                     : request_query(req, "published") ? T(req, "notice_published")
	                     : request_query(req, "saved")     ? T(req, "notice_settings")
	                                                       : NULL;
	struct form_state st = {json_object(), false};
	int rc = show(req, resp, c, 200, &st, notice);
	json_decref(st.errors);
	return rc;
}

/* Name, place, date, languages and time zone: public at once (they are one form, checked whole). */
static int communityadmin_settings_locked(struct request *req, struct response *resp)
{
	int status;
	struct community *c = load(req, resp, AUTH_EDIT, &status);
	if (!c)
		return status;
	if (!can_manage(req))
		return admin_error(req, resp, 403, "err_role");
	struct block_errors errs = {0};
	struct community next = *c;
	char langs[64];
	struct str name = str_trim(str_c(auth_field(req, "name")));
	next.name = arena_strndup(req->arena, name.p, name.len);
	next.place = field_or_null(req, "place") ? field_or_null(req, "place") : "";
	next.incident_date = field_or_null(req, "date");
	next.timezone = field_or_null(req, "timezone");
#define ERR(f, k) (errs.e[errs.n].field = (f), errs.e[errs.n++].key = (k))
	if (!name.len)
		ERR("name", "err_required");
	else if (utf8_len(name.p, name.len) > COMMUNITY_NAME_MAX)
		ERR("name", "err_too_long");
	if (utf8_len(next.place, strlen(next.place)) > COMMUNITY_PLACE_MAX)
		ERR("place", "err_too_long");
	if (next.incident_date && !date_valid(str_c(next.incident_date)))
		ERR("date", "err_date");
	if (!tz_find(next.timezone))
		ERR("timezone", "err_timezone");
	if (!community_langs_valid(form_langs(req), langs, sizeof(langs)))
		ERR("langs", "err_langs");
#undef ERR
	if (errs.n) {
		log_warn("community %s: settings not saved: %zu field(s) to fix", c->slug, errs.n);
		struct form_state st = {errors_json(req, &errs), true};
		int rc = show(req, resp, c, 400, &st, NULL);
		json_decref(st.errors);
		return rc;
	}
	next.languages = langs;
	const char **before;
	size_t nb = community_touched(req->arena, c->slug, &before);
	if (community_update(auth_db(), &next) < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, "community_settings", "community", c->slug,
	           arena_printf(req->arena, "%s | %s | %s | %s | %s", c->name, c->place,
	                        c->incident_date ? c->incident_date : "", c->languages, c->timezone),
	           arena_printf(req->arena, "%s | %s | %s | %s | %s", next.name, next.place,
	                        next.incident_date ? next.incident_date : "", next.languages, next.timezone));
	refresh(req, c->slug, before, nb);
	return auth_redirect(req, resp, arena_printf(req->arena, "/admin/communities/%s?saved=1", c->slug));
}

/* ---- one block in one language */

struct block_page {
	struct community *c;
	const struct block_kind *k;
	const char *clang;
	struct community_block b;
};

/* The route's block and language for a community the account may act on; NULL with the error
 * page written. */
static bool load_block(struct request *req, struct response *resp, enum auth_action act,
                       struct block_page *bp, int *status)
{
	if (!(bp->c = load(req, resp, act, status)))
		return false;
	const char *kind = request_param(req, "block"), *clang = request_param(req, "lang");
	bool offered = false;
	for (size_t i = 0; clang && i < bp->c->nlangs; i++)
		offered |= strcmp(bp->c->langs[i], clang) == 0;
	if (!(bp->k = block_kind(kind)) || !offered ||
	    community_block(auth_db(), req->arena, bp->c->id, kind, &bp->b) < 0) {
		*status = admin_error(req, resp, 404, "err_not_found");
		return false;
	}
	bp->clang = i18n_lang_canonical(clang);
	return true;
}

static const char *item_label(const struct block_kind *k, json_t *it, const char *clang)
{
	json_t *text = json_object_get(it, "text");
	const char *v = json_string_value(json_object_get(it, k->label));
	if (!v)
		v = json_string_value(json_object_get(json_object_get(text, clang), k->label));
	if (!v)
		v = json_string_value(json_object_get(json_object_get(text, "en"), k->label));
	return v ? v : "";
}

static int block_page(struct request *req, struct response *resp, struct block_page *bp, const char *target,
                      int status, const struct form_state *st, const char *notice)
{
	const struct block_kind *k = bp->k;
	const struct community *c = bp->c;
	json_t *draft = bp->b.draft, *items = json_array(), *it;
	size_t i;
	const char *base =
	    arena_printf(req->arena, "/admin/communities/%s/%s/%s", c->slug, k->name, bp->clang);
	json_array_foreach (json_object_get(draft, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		bool missing = block_item_missing(k, it, bp->clang);
		json_array_append_new(
		    items,
		    json_pack("{s:s, s:s, s:b, s:s, s:b, s:s}", "id", id, "label",
		              item_label(k, it, bp->clang), "missing", missing, "edit_url",
		              admin_url(req, arena_printf(req->arena, "%s?item=%s", base, id)), "current",
		              target && strcmp(target, id) == 0, "action", admin_url(req, base)));
	}
	json_t *langs = json_array();
	for (size_t l = 0; l < c->nlangs; l++)
		json_array_append_new(
		    langs, json_pack("{s:s, s:s, s:b, s:b, s:s}", "code", c->langs[l], "name",
		                     i18n_get(c->langs[l], "lang_name"), "current",
		                     strcmp(c->langs[l], bp->clang) == 0, "missing",
		                     block_missing(k, draft, c->langs[l]), "url",
		                     URL(req, "/admin/communities/%s/%s/%s", c->slug, k->name, c->langs[l])));
	char key[48];
	snprintf(key, sizeof(key), "block_%s", k->name);
	/* The item form: a new item, or the item being edited; single blocks edit themselves. */
	json_t *obj = !k->list                               ? draft
	              : target && strcmp(target, "new") != 0 ? block_item(draft, target)
	                                                     : NULL;
	bool own_form = k->list && k->nbfields;
	json_t *d = json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:o, s:o, s:b, s:b, s:s, s:s, s:s, s:b, s:b, s:s, s:b, "
	    "s:s}",
	    "title", arena_printf(req->arena, "%s: %s", c->name, T(req, key)), "c", "name", c->name, "slug",
	    c->slug, "url", URL(req, "/admin/communities/%s", c->slug), "block", T(req, key), "clang",
	    bp->clang, "clang_name", i18n_get(bp->clang, "lang_name"), "langs", langs, "items", items,
	    "is_list", k->list, "pending", bp->b.pending, "action", admin_url(req, base), "target",
	    k->list ? (target ? target : "new") : "_block", "form_title",
	    !k->list ? T(req, key)
	    : obj    ? T(req, "edit_item")
	             : T(req, "add_item"),
	    "editing", obj != NULL && k->list, "can_publish",
	    auth_can(auth_of(req)->user, AUTH_PUBLISH, &(struct auth_object){"community", c->slug}),
	    "publish_action", URL(req, "/admin/communities/%s/publish", c->slug), "has_errors",
	    json_object_size(st->errors) > 0, "kind", k->name);
	if (!d)
		return admin_error(req, resp, 500, "err_internal");
	bool item_form = !target || strcmp(target, "_block") != 0;
	struct form_state quiet = {json_object(), false};
	const struct form_state *item_st = item_form ? st : &quiet, *own_st = item_form ? &quiet : st;
	json_object_set_new(d, "fields", fields_json(req, k->fields, k->nfields, obj, bp->clang, item_st));
	if (own_form) {
		json_object_set_new(d, "own_fields",
		                    fields_json(req, k->bfields, k->nbfields, draft, bp->clang, own_st));
		json_object_set_new(d, "has_own", json_true());
	}
	json_decref(quiet.errors);
	if (notice)
		json_object_set_new(d, "notice", json_string(notice));
	if (json_object_get(st->errors, ""))
		json_object_set(d, "form_error", json_object_get(st->errors, ""));
	return admin_render(req, resp, status, "admin/community_block", d);
}

int communityadmin_block(struct request *req, struct response *resp)
{
	struct block_page bp;
	int status;
	if (!load_block(req, resp, AUTH_VIEW, &bp, &status))
		return status;
	const char *item = request_query(req, "item");
	if (item && !block_item(bp.b.draft, item))
		return admin_error(req, resp, 404, "err_not_found");
	struct form_state st = {json_object(), false};
	const char *notice = request_query(req, "saved")     ? T(req, "notice_saved")
	                     : request_query(req, "deleted") ? T(req, "notice_deleted")
	                                                     : NULL;
	int rc = block_page(req, resp, &bp, item, 200, &st, notice);
	json_decref(st.errors);
	return rc;
}

static void decref(void *v)
{
	json_decref(v);
}

static const char *form_value(void *ctx, const char *name)
{
	return auth_field(ctx, name);
}

static int communityadmin_block_save_locked(struct request *req, struct response *resp)
{
	struct block_page bp;
	int status;
	if (!load_block(req, resp, AUTH_EDIT, &bp, &status))
		return status;
	struct auth *st = auth_of(req);
	const char *action = auth_field(req, "action"), *target = auth_field(req, "target");
	const char *back =
	    arena_printf(req->arena, "/admin/communities/%s/%s/%s", bp.c->slug, bp.k->name, bp.clang);
	json_t *draft = json_deep_copy(bp.b.draft);
	arena_defer(req->arena, decref, draft);
	if (action && strcmp(action, "discard") == 0) {
		if (community_block_discard(auth_db(), bp.c->id, bp.k->name) < 0)
			return admin_error(req, resp, 500, "err_internal");
		auth_audit(req, NULL, "community_discard", "community_block",
		           arena_printf(req->arena, "%s/%s", bp.c->slug, bp.k->name), NULL, NULL);
		return auth_redirect(req, resp, back);
	}
	if (action && strcmp(action, "delete") == 0) {
		if (!target || block_remove(draft, target) < 0)
			return admin_error(req, resp, 404, "err_not_found");
	} else {
		char now[21], new_id[37] = "";
		community_now(now);
		const char *t = !target || strcmp(target, "_block") == 0 ? NULL : target;
		struct block_edit ed = {bp.clang, t, now, auth_db()};
		struct block_input in = {form_value, req};
		struct block_errors errs;
		if (block_apply(bp.k, draft, &ed, &in, &errs, new_id) < 0) {
			log_warn("community %s: %s/%s not saved by %s: %zu field(s) to fix (first: %s %s)",
			         bp.c->slug, bp.k->name, bp.clang, st->user->email, errs.n, errs.e[0].field,
			         errs.e[0].key);
			struct form_state fs = {errors_json(req, &errs), true};
			int rc = block_page(req, resp, &bp, target, 400, &fs, NULL);
			json_decref(fs.errors);
			return rc;
		}
	}
	if (community_block_save(auth_db(), bp.c->id, bp.k->name, draft, st->user->id) < 0)
		return admin_error(req, resp, 500, "err_internal");
	char *before = community_json_text(bp.b.draft), *after = community_json_text(draft);
	auth_audit(req, NULL,
	           action && strcmp(action, "delete") == 0 ? "community_item_delete" : "community_save",
	           "community_block", arena_printf(req->arena, "%s/%s/%s", bp.c->slug, bp.k->name, bp.clang),
	           before, after);
	free(before);
	free(after);
	return auth_redirect(req, resp,
	                     arena_printf(req->arena, "%s?%s", back,
	                                  action && strcmp(action, "delete") == 0 ? "deleted=1" : "saved=1"));
}

/* ---- publishing, editors, archive */

static int communityadmin_publish_locked(struct request *req, struct response *resp)
{
	int status;
	struct community *c = load(req, resp, AUTH_PUBLISH, &status);
	if (!c)
		return status;
	const char *kind = auth_field(req, "block");
	if (kind && *kind && !block_kind(kind))
		return admin_error(req, resp, 400, "err_not_found");
	const char **before;
	size_t nb = community_touched(req->arena, c->slug, &before);
	json_t *audit = NULL;
	struct auth *st = auth_of(req);
	int n = community_publish(auth_db(), c->id, kind && *kind ? kind : NULL, st->user->id,
	                          st->user->email, &audit);
	if (n < 0)
		return admin_error(req, resp, 500, "err_internal");
	const char *key;
	json_t *v;
	json_object_foreach (audit, key, v) {
		char *b = community_json_text(json_object_get(v, "before") ? json_object_get(v, "before")
		                                                           : json_null());
		char *a = community_json_text(json_object_get(v, "after"));
		auth_audit(req, NULL, "community_publish", "community_block",
		           arena_printf(req->arena, "%s/%s", c->slug, key), b, a);
		free(b);
		free(a);
	}
	json_decref(audit);
	if (n > 0)
		refresh(req, c->slug, before, nb);
	log_info("community %s: %d block(s) published by %s", c->slug, n, st->user->email);
	const char *back = auth_field(req, "back");
	if (back && strncmp(back, "/admin/communities/", 19) == 0 && !strchr(back, '?') &&
	    !strstr(back, "//"))
		return auth_redirect(req, resp, arena_printf(req->arena, "%s?saved=1", back));
	return auth_redirect(req, resp,
	                     arena_printf(req->arena, "/admin/communities/%s?published=1", c->slug));
}

static int communityadmin_editors_locked(struct request *req, struct response *resp)
{
	int status;
	struct community *c = load(req, resp, AUTH_EDIT, &status);
	if (!c)
		return status;
	if (!can_manage(req))
		return admin_error(req, resp, 403, "err_role");
	const char *email =
	    user_email_normal(req->arena, auth_field(req, "email") ? auth_field(req, "email") : "");
	bool on = !auth_field(req, "remove");
	struct user *u = user_email_valid(email) ? user_find_email(auth_db(), req->arena, email) : NULL;
	if (!u || u->role != ROLE_COMMUNITY_EDITOR) {
		log_warn("community %s: %s is not a community editor account", c->slug, email);
		struct block_errors errs = {.n = 1};
		errs.e[0].field = "email", errs.e[0].key = u ? "err_not_community_editor" : "err_no_account";
		struct form_state st = {errors_json(req, &errs), false};
		int rc = show(req, resp, c, 400, &st, NULL);
		json_decref(st.errors);
		return rc;
	}
	if (community_editor_set(auth_db(), u->id, c->slug, on) < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, on ? "community_editor_add" : "community_editor_remove", "user",
	           arena_printf(req->arena, "%lld", (long long)u->id), NULL, c->slug);
	return auth_redirect(req, resp, arena_printf(req->arena, "/admin/communities/%s?saved=1", c->slug));
}

static int communityadmin_archive_locked(struct request *req, struct response *resp)
{
	int status;
	struct community *c = load(req, resp, AUTH_EDIT, &status);
	if (!c)
		return status;
	if (!can_manage(req))
		return admin_error(req, resp, 403, "err_role");
	const char *next = strcmp(c->status, "archived") == 0 ? "active" : "archived";
	if (community_set_status(auth_db(), c->id, next) < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, strcmp(next, "archived") == 0 ? "community_archive" : "community_unarchive",
	           "community", c->slug, c->status, next);
	refresh(req, c->slug, NULL, 0);
	return auth_redirect(req, resp, arena_printf(req->arena, "/admin/communities/%s?saved=1", c->slug));
}

/* ---- the site-wide alert banner (admins) */

static bool can_alert(struct request *req)
{
	return auth_can(auth_of(req)->user, AUTH_MANAGE, &(struct auth_object){"setting", NULL});
}

static int alert_page(struct request *req, struct response *resp, int status, const struct alert *al,
                      const struct form_state *st, const char *notice)
{
	size_t n;
	const char *const *codes = i18n_langs(&n);
	json_t *texts = json_array();
	for (size_t i = 0; i < n; i++) {
		char field[16];
		snprintf(field, sizeof(field), "text_%s", codes[i]);
		const char *v = NULL;
		for (size_t k = 0; !st->from_form && k < al->n; k++)
			if (strcmp(al->langs[k], codes[i]) == 0)
				v = al->texts[k];
		if (st->from_form)
			v = auth_field(req, field);
		const char *err = json_string_value(json_object_get(st->errors, field));
		json_t *t = json_pack("{s:s, s:s, s:s, s:s, s:s}", "field", field, "code", codes[i], "name",
		                      i18n_get(codes[i], "lang_name"), "value", v ? v : "", "invalid",
		                      err ? "true" : "false");
		if (err)
			json_object_set_new(t, "error", json_string(err));
		json_array_append_new(texts, t);
	}
	const char *link = st->from_form ? auth_field(req, "url") : al->url;
	json_t *d = json_pack("{s:s, s:b, s:o, s:s, s:s, s:b}", "title", T(req, "alert_title"), "active",
	                      al->active, "texts", texts, "url", link ? link : "", "action",
	                      admin_url(req, "/admin/alert"), "has_errors", json_object_size(st->errors) > 0);
	if (json_object_get(st->errors, "url"))
		json_object_set(d, "url_error", json_object_get(st->errors, "url"));
	if (notice)
		json_object_set_new(d, "notice", json_string(notice));
	return admin_render(req, resp, status, "admin/site_alert", d);
}

int communityadmin_alert(struct request *req, struct response *resp)
{
	if (!can_alert(req))
		return admin_error(req, resp, 403, "err_role");
	struct alert al;
	if (alert_get(auth_db(), req->arena, &al) < 0)
		return admin_error(req, resp, 500, "err_internal");
	struct form_state st = {json_object(), false};
	int rc =
	    alert_page(req, resp, 200, &al, &st, request_query(req, "saved") ? T(req, "notice_alert") : NULL);
	json_decref(st.errors);
	return rc;
}

static int communityadmin_alert_save_locked(struct request *req, struct response *resp)
{
	if (!can_alert(req))
		return admin_error(req, resp, 403, "err_role");
	struct alert al = {.active = auth_field(req, "active") != NULL, .url = field_or_null(req, "url")};
	struct alert old;
	if (alert_get(auth_db(), req->arena, &old) < 0)
		return admin_error(req, resp, 500, "err_internal");
	json_t *errors = json_object();
	size_t n;
	const char *const *codes = i18n_langs(&n);
	for (size_t i = 0; i < n && al.n < ALERT_MAX_LANGS; i++) {
		char field[16];
		snprintf(field, sizeof(field), "text_%s", codes[i]);
		struct str t = str_trim(str_c(auth_field(req, field)));
		if (utf8_len(t.p, t.len) > ALERT_TEXT_MAX)
			json_object_set_new(errors, field, json_string(T(req, "err_too_long")));
		for (size_t k = 0; k < t.len; k++)
			if ((unsigned char)t.p[k] < 0x20)
				json_object_set_new(errors, field, json_string(T(req, "err_control")));
		al.langs[al.n] = codes[i];
		al.texts[al.n++] = arena_strndup(req->arena, t.p, t.len);
	}
	if (al.active && !(al.n && al.texts[0][0]))
		json_object_set_new(errors, "text_en", json_string(T(req, "err_alert_text")));
	if (al.url && !(al.url[0] == '/' && al.url[1] != '/') && strncmp(al.url, "https://", 8) != 0)
		json_object_set_new(errors, "url", json_string(T(req, "err_alert_url")));
	if (json_object_size(errors)) {
		log_warn("alert: not saved: %zu field(s) to fix", json_object_size(errors));
		struct form_state st = {errors, true};
		int rc = alert_page(req, resp, 400, &old, &st, NULL);
		json_decref(errors);
		return rc;
	}
	json_decref(errors);
	if (alert_set(auth_db(), &al) < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, al.active ? "alert_on" : "alert_off", "setting", "site_alert",
	           old.active ? "on" : "off",
	           arena_printf(req->arena, "%s: %s", al.active ? "on" : "off", al.n ? al.texts[0] : ""));
	/* The banner is on every page. */
	struct site_warm_report rep;
	site_refresh_all(&rep);
	return auth_redirect(req, resp, "/admin/alert?saved=1");
}

/* The console's community writes share the server's one database connection with every other write,
 * so each runs, with the re-render that follows it, under the console's write lock (publish_lock),
 * as the library editor and the API do: two posts never interleave inside one transaction. */
#define LOCKED(name)                                                                                         \
	int name(struct request *req, struct response *resp)                                                 \
	{                                                                                                    \
		publish_lock();                                                                              \
		int rc = name##_locked(req, resp);                                                           \
		publish_unlock();                                                                            \
		return rc;                                                                                   \
	}
LOCKED(communityadmin_create)
LOCKED(communityadmin_settings)
LOCKED(communityadmin_block_save)
LOCKED(communityadmin_publish)
LOCKED(communityadmin_editors)
LOCKED(communityadmin_archive)
LOCKED(communityadmin_alert_save)
