/* Hotlines in the console. The form shows the English and Spanish text side by side and flags a
 * translation that is missing; contacts are rows of kind, value and language. A refused form comes
 * back with every value as typed and a message next to each field, in the form's language. */
#include "app/hotlines.h"

#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/settings.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/util.h"
#include "view/i18n.h"

static const char *const kinds[] = {"call", "text", "chat", "tty", "videophone"};
static const char *const langs[] = {"en", "es"};
enum { NKINDS = sizeof(kinds) / sizeof(kinds[0]) };

/* The texts in both languages: form field prefix, admin label key, limit, required, multi-line. */
static const struct {
	const char *field, *label;
	size_t max;
	bool required, textarea;
} texts[] = {
    {"name", "hotline_name", 200, true, false},
    {"for", "hotline_for", 1000, false, true},
    {"hours", "hotline_hours", 300, false, false},
};
enum { NTEXTS = sizeof(texts) / sizeof(texts[0]) };

static const char **text_slot(struct hotline_all *h, size_t t, int k)
{
	const char **slots[] = {&h->name[k], &h->audience[k], &h->hours[k]};
	return slots[t];
}

static bool listed(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

/* A number to dial or text: the first word holds digits (and + - ( ) .), the rest is a keyword. */
static bool number_ok(const char *v)
{
	size_t n = strcspn(v, " "), digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (!strchr("+-().", v[i]))
			return false;
	}
	return digits > 0;
}

/* ---- reading the form */

static void parse_contact(struct arena *a, const struct form *f, size_t row, struct hotline_all *h,
                          struct console_errors *e)
{
	const char *value = console_text(a, f, arena_printf(a, "value_%zu", row));
	if (!*value)
		return; /* an empty row is not a contact */
	const char *kind = console_text(a, f, arena_printf(a, "kind_%zu", row));
	const char *lang = console_text(a, f, arena_printf(a, "clang_%zu", row));
	const char *field = arena_printf(a, "contact_%zu", h->ncontacts);
	h->contacts[h->ncontacts++] = (struct contact){kind, value, *lang ? lang : NULL};
	bool chat = strcmp(kind, "chat") == 0;
	if (!listed(kind, kinds, NKINDS))
		console_error(e, field, "err_contact_kind");
	else if (!console_fits(value, 200))
		console_error(e, field, "err_too_long");
	else if (chat && !console_https(value))
		console_error(e, field, "err_contact_chat");
	else if (!chat && !number_ok(value))
		console_error(e, field, "err_contact_number");
	else if (*lang && !listed(lang, langs, 2))
		console_error(e, field, "err_contact_lang");
}

static void parse_texts(struct arena *a, const struct form *f, struct hotline_all *h,
                        struct console_errors *e)
{
	for (size_t t = 0; t < NTEXTS; t++) {
		for (int k = 0; k < 2; k++) {
			const char *field = arena_printf(a, "%s_%s", texts[t].field, langs[k]);
			const char *v = console_text(a, f, field);
			*text_slot(h, t, k) = v;
			if (texts[t].required && !*v)
				console_error(e, field, "err_required");
			else if (!console_fits(v, texts[t].max))
				console_error(e, field, "err_too_long");
		}
	}
}

static void parse_slug(struct arena *a, const struct form *f, struct hotline_all *h, struct console_errors *e)
{
	h->slug = console_text(a, f, "slug");
	if (!*h->slug)
		console_error(e, "slug", "err_required");
	else if (!slug_valid(str_c(h->slug)) || strcmp(h->slug, "new") == 0)
		console_error(e, "slug", "err_slug");
}

void hotlines_parse(struct arena *a, const struct form *f, bool is_new, const char *today,
                    struct hotline_all *h, struct console_errors *e)
{
	if (is_new)
		parse_slug(a, f, h, e);
	parse_texts(a, f, h, e);
	h->contacts = arena_calloc(a, HOTLINES_MAX_CONTACTS, sizeof(*h->contacts));
	h->ncontacts = 0;
	for (size_t row = 0; row < HOTLINES_MAX_CONTACTS; row++)
		parse_contact(a, f, row, h, e);
	if (!h->ncontacts)
		console_error(e, "contacts", "err_contacts_none");
	bool en = form_get(f, "language_en") != NULL, es = form_get(f, "language_es") != NULL;
	h->languages = en && es ? "en,es" : en ? "en" : es ? "es" : "";
	if (!*h->languages)
		console_error(e, "languages", "err_languages");
	h->featured = form_get(f, "featured") != NULL;
	h->panel = form_get(f, "panel") != NULL;
	h->verified = console_text(a, f, "verified");
	if (!date_valid(str_c(h->verified)))
		console_error(e, "verified", *h->verified ? "err_date" : "err_required");
	else if (strcmp(h->verified, today) > 0)
		console_error(e, "verified", "err_date_future");
	h->source = console_text(a, f, "source");
	if (!*h->source)
		console_error(e, "source", "err_required");
	else if (!console_https(h->source))
		console_error(e, "source", "err_https");
}

/* ---- the page data */

static const char *lang_of(struct request *req)
{
	return auth_of(req)->lang;
}

static const char *hotline_path(struct request *req, const char *slug, const char *tail)
{
	return admin_url(req, arena_printf(req->arena, "/admin/hotlines/%s%s", slug, tail));
}

/* One input's data: its id, value, error and what describes it. */
static json_t *field_json(struct request *req, const char *id, const char *value, const char *hint,
                          const struct console_errors *e)
{
	const char *err = console_error_of(e, id);
	const char *by = err ? arena_printf(req->arena, "%s%s%s-error", hint ? hint : "", hint ? " " : "", id)
	                 : hint ? hint
	                        : "";
	return json_pack("{s:s, s:s, s:s?, s:s, s:s}", "id", id, "value", value ? value : "", "error",
	                 err ? admin_text(lang_of(req), err) : NULL, "invalid", err ? "true" : "false",
	                 "describedby", by);
}

static json_t *pairs_json(struct request *req, struct hotline_all *h, const struct console_errors *e)
{
	const char *lang = lang_of(req);
	json_t *pairs = json_array();
	for (size_t t = 0; t < NTEXTS; t++) {
		json_t *cells = json_array();
		for (int k = 0; k < 2; k++) {
			const char *id = arena_printf(req->arena, "%s_%s", texts[t].field, langs[k]);
			const char *v = *text_slot(h, t, k), *o = *text_slot(h, t, !k);
			/* The other language has text here and this one has none: flag it. */
			bool missing = (!v || !*v) && o && *o;
			const char *hint = missing ? arena_printf(req->arena, "%s-missing", id) : NULL;
			json_t *c = field_json(req, id, v, hint, e);
			json_object_set_new(c, "lang", json_string(langs[k]));
			json_object_set_new(
			    c, "lang_label",
			    json_string(admin_text(lang, arena_printf(req->arena, "lang_%s", langs[k]))));
			json_object_set_new(c, "missing", json_boolean(missing));
			json_object_set_new(c, "textarea", json_boolean(texts[t].textarea));
			json_object_set_new(c, "required", json_boolean(texts[t].required));
			json_array_append_new(cells, c);
		}
		json_array_append_new(pairs, json_pack("{s:s, s:o}", "legend",
		                                       admin_text(lang, texts[t].label), "cells", cells));
	}
	return pairs;
}

static json_t *options_json(struct request *req, const char *const *values, size_t n, const char *sel,
                            bool site_labels)
{
	json_t *o = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *label =
		    site_labels ? i18n_get(lang_of(req), values[i])
		                : admin_text(lang_of(req), arena_printf(req->arena, "lang_%s", values[i]));
		json_array_append_new(o, json_pack("{s:s, s:s, s:b}", "value", values[i], "label", label,
		                                   "selected", sel && strcmp(sel, values[i]) == 0));
	}
	return o;
}

/* The contact rows: those typed or stored, then empty ones to add more (at least one). */
static json_t *rows_json(struct request *req, const struct hotline_all *h, const struct console_errors *e)
{
	json_t *rows = json_array();
	size_t n = h->ncontacts + 2 < 3 ? 3 : h->ncontacts + 2;
	if (n > HOTLINES_MAX_CONTACTS)
		n = HOTLINES_MAX_CONTACTS;
	for (size_t i = 0; i < n; i++) {
		const struct contact *c = i < h->ncontacts ? &h->contacts[i] : NULL;
		const char *id = arena_printf(req->arena, "contact_%zu", i);
		json_t *r = field_json(req, id, c ? c->value : "", NULL, e);
		json_object_set_new(r, "i", json_integer((json_int_t)i));
		json_object_set_new(r, "n", json_integer((json_int_t)i + 1));
		json_object_set_new(r, "kinds", options_json(req, kinds, NKINDS, c ? c->kind : NULL, true));
		json_object_set_new(r, "no_kind", json_boolean(!c || !listed(c->kind, kinds, NKINDS)));
		json_object_set_new(r, "langs", options_json(req, langs, 2, c ? c->lang : NULL, false));
		json_object_set_new(r, "all_langs", json_boolean(!c || !c->lang));
		json_array_append_new(rows, r);
	}
	return rows;
}

static json_t *languages_json(struct request *req, const struct hotline_all *h)
{
	json_t *o = json_array();
	for (int k = 0; k < 2; k++) {
		bool on = false;
		for (const char *p = h->languages; p && *p;) {
			size_t n = strcspn(p, ",");
			on |= n == 2 && strncmp(p, langs[k], 2) == 0;
			p += n + (p[n] == ',');
		}
		json_array_append_new(
		    o, json_pack("{s:s, s:s, s:b}", "id", arena_printf(req->arena, "language_%s", langs[k]),
		                 "label",
		                 admin_text(lang_of(req), arena_printf(req->arena, "lang_%s", langs[k])),
		                 "checked", on));
	}
	return o;
}

static const char *err_text(struct request *req, const struct console_errors *e, const char *field)
{
	const char *key = console_error_of(e, field);
	return key ? admin_text(lang_of(req), key) : NULL;
}

/* The line's name in the page's language, else in the other. */
static const char *name_of(struct request *req, const struct hotline_all *h)
{
	int k = strcmp(lang_of(req), "es") == 0;
	return h->name[k] && *h->name[k] ? h->name[k] : h->name[!k] ? h->name[!k] : "";
}

/* The form page for h (new when is_new) with errors e; alert is an admin key or NULL; used_by (consumed,
 * may be NULL) lists the resources that keep it from being retired. */
static int render_form(struct request *req, struct response *resp, int status, struct hotline_all *h,
                       bool is_new, const struct console_errors *e, const char *alert, json_t *used_by)
{
	const char *lang = lang_of(req);
	json_t *d = json_pack(
	    "{s:s, s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:s?, s:b, s:s?, s:s?, s:o?}", "title",
	    is_new ? admin_text(lang, "hotline_new") : name_of(req, h), "is_new", is_new, "action",
	    is_new ? admin_url(req, "/admin/hotlines/new") : hotline_path(req, h->slug, ""), "slug",
	    field_json(req, "slug", h->slug, "slug-hint", e), "pairs", pairs_json(req, h, e), "rows",
	    rows_json(req, h, e), "languages", languages_json(req, h), "featured", h->featured, "panel",
	    h->panel, "verified", field_json(req, "verified", h->verified, "verified-hint", e), "source",
	    field_json(req, "source", h->source, "source-hint", e), "alert",
	    alert ? admin_text(lang, alert) : NULL, "retired", h->retired, "contacts_error",
	    err_text(req, e, "contacts"), "languages_error", err_text(req, e, "languages"), "used_by",
	    used_by);
	if (d && used_by)
		json_object_set_new(d, "in_use", json_true());
	if (d && !is_new) {
		json_object_set_new(d, "retire_action", json_string(hotline_path(req, h->slug, "/retire")));
		json_object_set_new(d, "restore_action", json_string(hotline_path(req, h->slug, "/restore")));
		json_object_set_new(d, "list_url", json_string(admin_url(req, "/admin/hotlines")));
	}
	return admin_render(req, resp, status, "admin/hotline", d);
}

/* ---- handlers */

static bool may_edit(struct request *req)
{
	return auth_can(auth_of(req)->user, AUTH_EDIT, &(struct auth_object){"hotline", NULL});
}

static bool due(const struct hotline_all *h, const char *cutoff)
{
	return !h->retired && strcmp(h->verified, cutoff) < 0;
}

static json_t *list_row(struct request *req, const struct hotline_all *h, const char *cutoff)
{
	const char *lang = lang_of(req);
	struct buf b = BUF_INIT;
	for (size_t k = 0; k < NKINDS; k++)
		for (size_t i = 0; i < h->ncontacts; i++)
			if (strcmp(h->contacts[i].kind, kinds[k]) == 0) {
				buf_printf(&b, "%s%s", b.len ? ", " : "", i18n_get(lang, kinds[k]));
				break;
			}
	const char *how = arena_strdup(req->arena, b.p ? b.p : "");
	buf_free(&b);
	const char *shown = h->featured ? "shown_bar" : h->panel ? "shown_panel" : "shown_named";
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:s}", "name", name_of(req, h), "url",
	                 hotline_path(req, h->slug, ""), "how", how, "verified", h->verified, "shown",
	                 admin_text(lang, shown), "due", due(h, cutoff), "retired", h->retired, "console",
	                 h->console_edited, "slug", h->slug);
}

/* The notice a redirect after a change asks for: ?saved=slug and the like. */
static const char *list_notice(struct request *req, const struct hotline_all *hs, size_t n)
{
	static const char *const notices[][2] = {
	    {"saved", "saved"}, {"unchanged", "unchanged"}, {"retired", "retired_notice"}};
	for (size_t k = 0; k < sizeof(notices) / sizeof(notices[0]); k++) {
		const char *slug = request_query(req, notices[k][0]);
		for (size_t i = 0; slug && i < n; i++)
			if (strcmp(slug, hs[i].slug) == 0)
				return arena_printf(req->arena, "%s: %s", name_of(req, &hs[i]),
				                    admin_text(lang_of(req), notices[k][1]));
	}
	return NULL;
}

int hotlines_list(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	const char *lang = lang_of(req);
	char cutoff[11];
	int months = settings_get("hotline_verify_months");
	console_months_ago(time(NULL), months, cutoff);
	struct hotline_all *hs;
	size_t n = hotline_list_all(auth_db(), req->arena, &hs);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, list_row(req, &hs[i], cutoff));
	json_t *d = json_pack("{s:s, s:o, s:s, s:i, s:s?}", "title", admin_text(lang, "hotlines"), "hotlines",
	                      rows, "new_url", admin_url(req, "/admin/hotlines/new"), "months", months,
	                      "notice", list_notice(req, hs, n));
	return admin_render(req, resp, 200, "admin/hotlines", d);
}

int hotlines_new(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	char today[11];
	console_today(time(NULL), today);
	struct hotline_all h = {
	    .slug = "", .languages = "en,es", .verified = "", .source = "", .panel = true, .position = -1};
	for (int k = 0; k < 2; k++)
		h.name[k] = h.audience[k] = h.hours[k] = "";
	struct console_errors e = {0};
	return render_form(req, resp, 200, &h, true, &e, NULL, NULL);
}

static struct hotline_all *find(struct request *req)
{
	const char *slug = request_param(req, "slug");
	return slug ? hotline_get_all(auth_db(), req->arena, slug) : NULL;
}

int hotlines_edit(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct hotline_all *h = find(req);
	if (!h)
		return admin_error(req, resp, 404, "err_not_found");
	struct console_errors e = {0};
	return render_form(req, resp, 200, h, false, &e, request_query(req, "restored") ? "restored" : NULL,
	                   NULL);
}

/* Write h (before is its stored JSON, NULL for a new line) with its audit entry in one transaction,
 * then re-render the public pages. Answers the request. */
static int write_hotline(const void *obj)
{
	return hotline_store(auth_db(), obj);
}

static int store(struct request *req, struct response *resp, struct hotline_all *h, const char *before,
                 const char *action)
{
	return console_store(req, resp, "hotline", "/admin/hotlines", h->slug, before,
	                     hotline_encode(req->arena, h), action, write_hotline, h);
}

static void refused(struct request *req, const char *what, const struct console_errors *e)
{
	log_warn("console: %s refused: %zu field error(s), first %s: %s", what, e->n, e->v[0].field,
	         e->v[0].key);
	(void)req;
}

int hotlines_create(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	char today[11];
	console_today(time(NULL), today);
	struct hotline_all h = {.position = -1};
	struct console_errors e = {0};
	hotlines_parse(req->arena, &auth_of(req)->form, true, today, &h, &e);
	if (!console_error_of(&e, "slug") && hotline_get_all(auth_db(), req->arena, h.slug))
		console_error(&e, "slug", "err_slug_taken");
	if (e.n) {
		refused(req, "new hotline", &e);
		return render_form(req, resp, 400, &h, true, &e, "err_fix_below", NULL);
	}
	return store(req, resp, &h, NULL, "hotline_create");
}

int hotlines_update(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct hotline_all *h = find(req);
	if (!h)
		return admin_error(req, resp, 404, "err_not_found");
	const char *before = hotline_encode(req->arena, h);
	char today[11];
	console_today(time(NULL), today);
	struct console_errors e = {0};
	hotlines_parse(req->arena, &auth_of(req)->form, false, today, h, &e);
	if (e.n) {
		refused(req, arena_printf(req->arena, "hotline %s", h->slug), &e);
		return render_form(req, resp, 400, h, false, &e, "err_fix_below", NULL);
	}
	return store(req, resp, h, before, "hotline_edit");
}

/* Retire (or restore) with its audit entry, then re-render. */
static int set_retired(struct request *req, struct response *resp, struct hotline_all *h, bool retired)
{
	const char *before = hotline_encode(req->arena, h);
	h->retired = retired;
	const char *after = hotline_encode(req->arena, h);
	if (console_begin() < 0)
		return admin_error(req, resp, 500, "err_save");
	if (hotline_set_retired(auth_db(), h->slug, retired) < 0 ||
	    console_audit(req, retired ? "hotline_retire" : "hotline_restore", "hotline", h->slug, before,
	                  after) < 0) {
		console_rollback();
		return admin_error(req, resp, 500, "err_save");
	}
	if (console_commit() < 0)
		return admin_error(req, resp, 500, "err_save");
	log_info("console: hotline %s %s by %s", h->slug, retired ? "retired" : "restored",
	         auth_of(req)->user->email);
	if (console_refresh_all() < 0)
		return admin_error(req, resp, 500, "err_refresh");
	return auth_redirect(req, resp,
	                     retired ? arena_printf(req->arena, "/admin/hotlines?retired=%s", h->slug)
	                             : arena_printf(req->arena, "/admin/hotlines/%s?restored=1", h->slug));
}

int hotlines_retire(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct hotline_all *h = find(req);
	if (!h)
		return admin_error(req, resp, 404, "err_not_found");
	const char **names;
	size_t n = hotline_named_by(auth_db(), req->arena, h->slug, &names);
	if (n) {
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, json_string(names[i]));
		log_warn("console: hotline %s not retired: %zu resource(s) name it", h->slug, n);
		struct console_errors e = {0};
		return render_form(req, resp, 409, h, false, &e, "err_hotline_in_use", list);
	}
	return set_retired(req, resp, h, true);
}

int hotlines_restore(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct hotline_all *h = find(req);
	if (!h)
		return admin_error(req, resp, 404, "err_not_found");
	return set_retired(req, resp, h, false);
}
