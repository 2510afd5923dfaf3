/* Topics in the console: the same rules as hotlines (both languages side by side, the missing
 * translation flagged, errors next to each field with what was typed kept). */
#include "app/topics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/util.h"
#include "model/section.h"
#include "view/i18n.h"

static const char *const langs[] = {"en", "es"};

static const struct {
	const char *field, *label;
	size_t max;
	bool required, textarea;
} texts[] = {
    {"title", "topic_title", 200, true, false},
    {"summary", "topic_summary", 1000, false, true},
};
enum { NTEXTS = sizeof(texts) / sizeof(texts[0]) };

static const char **text_slot(struct topic_all *t, size_t i, int k)
{
	return i == 0 ? &t->title[k] : &t->summary[k];
}

void topics_parse(struct arena *a, const struct form *f, bool is_new, struct topic_form *tf,
                  struct console_errors *e)
{
	struct topic_all *t = &tf->t;
	if (is_new) {
		t->slug = console_text(a, f, "slug");
		if (!*t->slug)
			console_error(e, "slug", "err_required");
		else if (!slug_valid(str_c(t->slug)) || strcmp(t->slug, "new") == 0)
			console_error(e, "slug", "err_slug");
		t->section = console_text(a, f, "section");
		if (!section_valid(t->section))
			console_error(e, "section", "err_section");
	}
	for (size_t i = 0; i < NTEXTS; i++) {
		for (int k = 0; k < 2; k++) {
			const char *field = arena_printf(a, "%s_%s", texts[i].field, langs[k]);
			const char *v = console_text(a, f, field);
			*text_slot(t, i, k) = v;
			if (texts[i].required && !*v)
				console_error(e, field, "err_required");
			else if (!console_fits(v, texts[i].max))
				console_error(e, field, "err_too_long");
		}
	}
	tf->position = console_text(a, f, "position");
	long n = console_number(tf->position, 0, 999);
	if (n < 0)
		console_error(e, "position", *tf->position ? "err_position" : "err_required");
	t->position = n < 0 ? 0 : (int)n;
}

/* ---- the page data */

static const char *lang_of(struct request *req)
{
	return auth_of(req)->lang;
}

static bool may_edit(struct request *req)
{
	return auth_can(auth_of(req)->user, AUTH_EDIT, &(struct auth_object){"topic", NULL});
}

static const char *topic_path(struct request *req, const char *slug)
{
	return admin_url(req, arena_printf(req->arena, "/admin/topics/%s", slug));
}

static const char *section_title(const char *lang, const char *slug)
{
	char key[128];
	snprintf(key, sizeof(key), "section_%s", slug);
	return i18n_get(lang, key);
}

static const char *title_of(struct request *req, const struct topic_all *t)
{
	int k = strcmp(lang_of(req), "es") == 0;
	return t->title[k] && *t->title[k] ? t->title[k] : t->title[!k] ? t->title[!k] : "";
}

static const char *err_text(struct request *req, const struct console_errors *e, const char *field)
{
	const char *key = console_error_of(e, field);
	return key ? admin_text(lang_of(req), key) : NULL;
}

static json_t *field_json(struct request *req, const char *id, const char *value, const char *hint,
                          const struct console_errors *e)
{
	const char *err = console_error_of(e, id);
	const char *by = err ? arena_printf(req->arena, "%s%s%s-error", hint ? hint : "", hint ? " " : "", id)
	                 : hint ? hint
	                        : "";
	return json_pack("{s:s, s:s, s:s?, s:s, s:s}", "id", id, "value", value ? value : "", "error",
	                 err_text(req, e, id), "invalid", err ? "true" : "false", "describedby", by);
}

static json_t *pairs_json(struct request *req, struct topic_all *t, const struct console_errors *e)
{
	const char *lang = lang_of(req);
	json_t *pairs = json_array();
	for (size_t i = 0; i < NTEXTS; i++) {
		json_t *cells = json_array();
		for (int k = 0; k < 2; k++) {
			const char *id = arena_printf(req->arena, "%s_%s", texts[i].field, langs[k]);
			const char *v = *text_slot(t, i, k), *o = *text_slot(t, i, !k);
			bool missing = (!v || !*v) && o && *o;
			json_t *c = field_json(
			    req, id, v, missing ? arena_printf(req->arena, "%s-missing", id) : NULL, e);
			json_object_set_new(c, "lang", json_string(langs[k]));
			json_object_set_new(
			    c, "lang_label",
			    json_string(admin_text(lang, arena_printf(req->arena, "lang_%s", langs[k]))));
			json_object_set_new(c, "missing", json_boolean(missing));
			json_object_set_new(c, "textarea", json_boolean(texts[i].textarea));
			json_array_append_new(cells, c);
		}
		json_array_append_new(pairs, json_pack("{s:s, s:o}", "legend",
		                                       admin_text(lang, texts[i].label), "cells", cells));
	}
	return pairs;
}

static json_t *sections_json(struct request *req, const char *sel)
{
	json_t *o = json_array();
	for (size_t i = 0; i < 4; i++)
		json_array_append_new(o, json_pack("{s:s, s:s, s:b}", "value", section_slugs[i], "label",
		                                   section_title(lang_of(req), section_slugs[i]), "selected",
		                                   sel && strcmp(sel, section_slugs[i]) == 0));
	return o;
}

static int render_form(struct request *req, struct response *resp, int status, struct topic_form *tf,
                       bool is_new, const struct console_errors *e, const char *alert)
{
	const char *lang = lang_of(req);
	struct topic_all *t = &tf->t;
	json_t *d = json_pack(
	    "{s:s, s:b, s:s, s:o, s:o, s:s, s:o, s:o, s:s?, s:s?, s:b, s:s}", "title",
	    is_new ? admin_text(lang, "topic_new") : title_of(req, t), "is_new", is_new, "action",
	    is_new ? admin_url(req, "/admin/topics/new") : topic_path(req, t->slug), "slug",
	    field_json(req, "slug", t->slug, "slug-hint", e), "sections", sections_json(req, t->section),
	    "section_title", section_valid(t->section) ? section_title(lang, t->section) : "", "position",
	    field_json(req, "position", tf->position, "position-hint", e), "pairs", pairs_json(req, t, e),
	    "alert", alert ? admin_text(lang, alert) : NULL, "section_error", err_text(req, e, "section"),
	    "no_section", !section_valid(t->section), "list_url", admin_url(req, "/admin/topics"));
	return admin_render(req, resp, status, "admin/topic", d);
}

/* ---- handlers */

int topics_list(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	const char *lang = lang_of(req), *saved = request_query(req, "saved");
	const char *unchanged = request_query(req, "unchanged"), *notice = NULL;
	struct topic_all *ts;
	size_t n = topic_list_all(auth_db(), req->arena, &ts);
	json_t *sections = json_array();
	for (size_t s = 0; s < 4; s++) {
		json_t *rows = json_array();
		for (size_t i = 0; i < n; i++) {
			if (strcmp(ts[i].section, section_slugs[s]) != 0)
				continue;
			if (saved && strcmp(saved, ts[i].slug) == 0)
				notice = arena_printf(req->arena, "%s: %s", title_of(req, &ts[i]),
				                      admin_text(lang, "saved"));
			if (unchanged && strcmp(unchanged, ts[i].slug) == 0)
				notice = arena_printf(req->arena, "%s: %s", title_of(req, &ts[i]),
				                      admin_text(lang, "unchanged"));
			bool partial =
			    !*ts[i].title[0] || !*ts[i].title[1] || !*ts[i].summary[0] != !*ts[i].summary[1];
			json_array_append_new(
			    rows,
			    json_pack("{s:s, s:s, s:i, s:b, s:b, s:b}", "title", title_of(req, &ts[i]), "url",
			              topic_path(req, ts[i].slug), "position", ts[i].position, "retired",
			              ts[i].retired, "console", ts[i].console_edited, "partial", partial));
		}
		json_array_append_new(sections,
		                      json_pack("{s:s, s:s, s:o}", "slug", section_slugs[s], "title",
		                                section_title(lang, section_slugs[s]), "topics", rows));
	}
	json_t *d = json_pack("{s:s, s:o, s:s, s:s?}", "title", admin_text(lang, "topics"), "sections",
	                      sections, "new_url", admin_url(req, "/admin/topics/new"), "notice", notice);
	return admin_render(req, resp, 200, "admin/topics", d);
}

int topics_new(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct topic_form tf = {.t = {.slug = "", .section = "", .position = 0}, .position = ""};
	for (int k = 0; k < 2; k++)
		tf.t.title[k] = tf.t.summary[k] = "";
	const char *sec = request_query(req, "section");
	if (sec && section_valid(sec))
		tf.t.section = sec;
	struct console_errors e = {0};
	return render_form(req, resp, 200, &tf, true, &e, NULL);
}

static struct topic_all *find(struct request *req)
{
	const char *slug = request_param(req, "slug");
	return slug ? topic_get_all(auth_db(), req->arena, slug) : NULL;
}

int topics_edit(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct topic_all *t = find(req);
	if (!t)
		return admin_error(req, resp, 404, "err_not_found");
	struct topic_form tf = {.t = *t, .position = arena_printf(req->arena, "%d", t->position)};
	struct console_errors e = {0};
	return render_form(req, resp, 200, &tf, false, &e, NULL);
}

static int write_topic(const void *obj)
{
	return topic_store(auth_db(), obj);
}

static int store(struct request *req, struct response *resp, struct topic_all *t, const char *before,
                 const char *action)
{
	return console_store(req, resp, "topic", "/admin/topics", t->slug, before,
	                     topic_encode(req->arena, t), action, write_topic, t);
}

int topics_create(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct topic_form tf = {0};
	struct console_errors e = {0};
	topics_parse(req->arena, &auth_of(req)->form, true, &tf, &e);
	if (!console_error_of(&e, "slug") && topic_get_all(auth_db(), req->arena, tf.t.slug))
		console_error(&e, "slug", "err_slug_taken");
	if (e.n) {
		log_warn("console: new topic refused: %zu field error(s), first %s: %s", e.n, e.v[0].field,
		         e.v[0].key);
		return render_form(req, resp, 400, &tf, true, &e, "err_fix_below");
	}
	return store(req, resp, &tf.t, NULL, "topic_create");
}

int topics_update(struct request *req, struct response *resp)
{
	if (!may_edit(req))
		return admin_error(req, resp, 403, "err_role");
	struct topic_all *t = find(req);
	if (!t)
		return admin_error(req, resp, 404, "err_not_found");
	const char *before = topic_encode(req->arena, t);
	struct topic_form tf = {.t = *t};
	struct console_errors e = {0};
	topics_parse(req->arena, &auth_of(req)->form, false, &tf, &e);
	if (e.n) {
		log_warn("console: topic %s refused: %zu field error(s), first %s: %s", t->slug, e.n,
		         e.v[0].field, e.v[0].key);
		return render_form(req, resp, 400, &tf, false, &e, "err_fix_below");
	}
	return store(req, resp, &tf.t, before, "topic_edit");
}
