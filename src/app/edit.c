/* The console's library pages: the editor and saving (revisions, comparing and restoring are in
 * editrevisions.c). The resource row is the live text; every save is a revision, and a
 * resource's open draft is its newest draft or review revision (src/model/revision.h). A form carries
 * what it was loaded from (base: the open revision's id, or 0 and the live version), so a second save
 * over someone else's newer draft becomes a conflict page that keeps both texts. Writes take
 * publish_lock: the admin side shares one database connection. */
#include "app/edit.h"
#include "app/edit_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/publish.h"
#include "app/site.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/hotline.h"
#include "model/resource.h"
#include "model/revision.h"
#include "model/section.h"
#include "model/topic.h"
#include "view/i18n.h"
#include "view/markdown.h"
#include "view/template.h"

enum { MAX_SOURCES = 8 };

const char *const edit_types[] = {"article", "video", "link", "worksheet", NULL};
const char *const edit_stages[] = {"first-days", "weeks-months", "long-term", "any", NULL};

const char *edit_lang(struct request *req)
{
	return auth_of(req)->lang ? auth_of(req)->lang : "en";
}

const char *edit_tx(struct request *req, const char *key)
{
	return admin_text(edit_lang(req), key);
}

/* A JSON string; text that is not UTF-8 (it cannot come from a form, which is checked) shows as U+FFFD. */
json_t *edit_js(const char *s)
{
	json_t *j = json_string(s ? s : "");
	return j ? j : json_string("\xef\xbf\xbd");
}

bool edit_one_of(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

bool edit_can(struct request *req, enum auth_action act)
{
	return auth_can(auth_of(req)->user, act, &(struct auth_object){"resource", NULL});
}

static struct publish_actor actor(struct request *req)
{
	const struct user *u = auth_of(req)->user;
	return (struct publish_actor){u->id, u->email, u->name, req->remote};
}

const char *edit_url(struct request *req, const char *slug)
{
	return admin_url(req, arena_printf(req->arena, "/admin/resources/%s", slug));
}

static const char *public_url(struct request *req, const struct resource *r)
{
	return arena_printf(req->arena, "%s/resources/%s", strcmp(r->lang, "es") == 0 ? "/es" : "", r->slug);
}

/* ---- the fields of the content format ---- */

/* What a text field's value must be, beyond its length. */
enum rule { ANY, DATE, SLUG, HTTPS, FILE_NAME };

#define OFF(f) offsetof(struct resource, f)
static const struct text_field {
	const char *name, *label, *hint, *type;
	size_t max, offset;
	enum rule rule;
} text_fields[] = {
    {"title", "res_f_title", NULL, "text", 120, OFF(title), ANY},
    {"summary", "res_f_summary", "res_h_summary", "text", 300, OFF(summary), ANY},
    {"checked", "res_f_checked", "res_h_checked", "date", 10, OFF(checked), DATE},
    {"translation", "res_f_translation", "res_h_translation", "text", 100, OFF(translation), SLUG},
    {"url", "res_f_url", "res_h_url", "url", 2000, OFF(url), HTTPS},
    {"video", "res_f_video", "res_h_media", "text", 200, OFF(video), FILE_NAME},
    {"poster", "res_f_poster", "res_h_media", "text", 200, OFF(poster), FILE_NAME},
    {"captions", "res_f_captions", "res_h_media", "text", 200, OFF(captions), FILE_NAME},
};

static const char **slot(struct resource *r, size_t offset)
{
	return (const char **)((char *)r + offset);
}

const char *edit_text_field(size_t i, const struct resource *r, const char **value)
{
	if (i >= sizeof(text_fields) / sizeof(text_fields[0]))
		return NULL;
	*value = *slot((struct resource *)r, text_fields[i].offset);
	return text_fields[i].label;
}

void edit_field_error(struct request *req, json_t *errors, const char *name, const char *key)
{
	if (!json_object_get(errors, name))
		json_object_set_new(errors, name, edit_js(edit_tx(req, key)));
}

const char *edit_field(struct request *req, const char *name)
{
	const char *v = auth_field(req, name);
	if (!v)
		return NULL;
	struct str t = str_trim(str_c(v));
	return t.len ? arena_strndup(req->arena, t.p, t.len) : NULL;
}

static bool https_url(const char *v)
{
	return strncmp(v, "https://", 8) == 0 && strlen(v) > 8 && !strpbrk(v, " <>\"'");
}

static bool file_name(const char *v)
{
	return v[0] != '.' && !strpbrk(v, "/\\ <>\"'");
}

/* The section of a topic in service, or NULL. */
const char *edit_topic_section(struct request *req, const char *topic)
{
	for (size_t s = 0; topic && s < 4; s++) {
		struct topic *ts;
		size_t n = topic_list(auth_db(), req->arena, section_slugs[s], "en", &ts);
		for (size_t i = 0; i < n; i++)
			if (strcmp(ts[i].slug, topic) == 0)
				return section_slugs[s];
	}
	return NULL;
}

static void check_text_fields(struct request *req, struct resource *r, json_t *errors)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		const struct text_field *f = &text_fields[i];
		const char *v = edit_field(req, f->name);
		*slot(r, f->offset) = v;
		if (!v)
			continue;
		if (utf8_len(v, strlen(v)) > f->max)
			edit_field_error(req, errors, f->name, "err_too_long");
		else if (f->rule == DATE && !date_valid(str_c(v)))
			edit_field_error(req, errors, f->name, "err_date");
		else if (f->rule == SLUG && !slug_valid(str_c(v)))
			edit_field_error(req, errors, f->name, "err_slug");
		else if (f->rule == HTTPS && !https_url(v))
			edit_field_error(req, errors, f->name, "err_https");
		else if (f->rule == FILE_NAME && !file_name(v))
			edit_field_error(req, errors, f->name, "err_file_name");
	}
}

static void check_sources(struct request *req, struct resource *r, json_t *errors)
{
	r->sources = arena_calloc(req->arena, MAX_SOURCES, sizeof(*r->sources));
	r->nsources = 0;
	for (int i = 0; i < MAX_SOURCES; i++) {
		const char *t = edit_field(req, arena_printf(req->arena, "src_title_%d", i));
		const char *u = edit_field(req, arena_printf(req->arena, "src_url_%d", i));
		const char *l = edit_field(req, arena_printf(req->arena, "src_lang_%d", i));
		if (!t && !u)
			continue;
		if (!t || !u)
			edit_field_error(req, errors,
			                 arena_printf(req->arena, "src_%s_%d", t ? "url" : "title", i),
			                 t ? "err_source_url" : "err_source_title");
		else if (!https_url(u))
			edit_field_error(req, errors, arena_printf(req->arena, "src_url_%d", i), "err_https");
		else if (utf8_len(t, strlen(t)) > 300)
			edit_field_error(req, errors, arena_printf(req->arena, "src_title_%d", i),
			                 "err_too_long");
		if (l && strcmp(l, "en") != 0 && strcmp(l, "es") != 0)
			edit_field_error(req, errors, arena_printf(req->arena, "src_lang_%d", i), "err_lang");
		r->sources[r->nsources++] = (struct source){t, u, l};
	}
}

static void check_hotlines(struct request *req, struct resource *r, json_t *errors)
{
	const struct form *f = &auth_of(req)->form;
	struct hotline *hs;
	size_t nh = hotline_list(auth_db(), req->arena, "en", &hs, NULL);
	r->hotlines = arena_calloc(req->arena, f->n + 1, sizeof(*r->hotlines));
	r->nhotlines = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->fields[i].name, "hotline") != 0)
			continue;
		bool known = false;
		for (size_t k = 0; k < nh; k++)
			known |= strcmp(hs[k].slug, f->fields[i].value) == 0;
		if (!known)
			edit_field_error(req, errors, "hotlines", "err_hotline");
		else
			r->hotlines[r->nhotlines++] = f->fields[i].value;
	}
}

struct link_check {
	bool bad;
};

static void link_seen(const char *url, void *arg)
{
	struct link_check *c = arg;
	if (!tmpl_url_safe(url, strlen(url)))
		c->bad = true;
}

/* The form as a resource (on top of live's slug, language and status), with an error per field in
 * errors. complete: the rules for going to review or live (required fields, a source). */
static void form_resource(struct request *req, const struct resource *live, struct resource *r,
                          json_t *errors, bool complete)
{
	memset(r, 0, sizeof(*r));
	r->id = live->id;
	r->slug = live->slug;
	r->lang = live->lang;
	r->status = live->status;
	r->reviewed_at = live->reviewed_at;
	r->reviewer = live->reviewer;
	check_text_fields(req, r, errors);
	r->topic = edit_field(req, "topic");
	r->section = edit_topic_section(req, r->topic);
	if (!r->section) {
		edit_field_error(req, errors, "topic", "err_topic");
		r->topic = live->topic, r->section = live->section;
	}
	r->type = edit_field(req, "type");
	if (!edit_one_of(r->type, edit_types)) {
		edit_field_error(req, errors, "type", "err_choice");
		r->type = live->type;
	}
	r->stage = edit_field(req, "stage");
	if (!edit_one_of(r->stage, edit_stages)) {
		edit_field_error(req, errors, "stage", "err_choice");
		r->stage = live->stage;
	}
	const char *body = auth_field(req, "body");
	r->body = body ? body : "";
	struct link_check lc = {false};
	md_links(r->body, strlen(r->body), link_seen, &lc);
	if (lc.bad)
		edit_field_error(req, errors, "body", "err_link_scheme");
	check_sources(req, r, errors);
	check_hotlines(req, r, errors);
	if (!complete)
		return;
	static const char *const required[] = {"title", "summary", "checked"};
	const char *vals[] = {r->title, r->summary, r->checked};
	for (size_t i = 0; i < 3; i++)
		if (!vals[i])
			edit_field_error(req, errors, required[i], "err_required");
	if (!*r->body)
		edit_field_error(req, errors, "body", "err_required");
	if (r->nsources == 0)
		edit_field_error(req, errors, "sources", "err_source_needed");
	if (strcmp(r->type, "link") == 0 && !r->url)
		edit_field_error(req, errors, "url", "err_link_url");
	if (strcmp(r->type, "video") == 0 && !r->video)
		edit_field_error(req, errors, "video", "err_video_file");
}

void edit_check(struct request *req, const struct resource *live, struct resource *r, json_t *errors,
                bool complete)
{
	form_resource(req, live, r, errors, complete);
}

/* ---- building the editor page ---- */

/* describedby and invalid for a field with an optional hint and error. */
json_t *edit_field_json(struct request *req, const char *id, const char *name, const char *label,
                        const char *hint, const char *value, json_t *errors, bool readonly)
{
	json_t *err = json_object_get(errors, name);
	const char *by = arena_printf(req->arena, "%s%s%s", hint ? id : "", hint ? "-hint" : "",
	                              err ? arena_printf(req->arena, "%s%s-error", hint ? " " : "", id) : "");
	json_t *j = json_pack("{s:o, s:o, s:o, s:o, s:s, s:s, s:b}", "id", edit_js(id), "name", edit_js(name),
	                      "label", edit_js(label), "value", edit_js(value), "describedby", by, "invalid",
	                      err ? "true" : "false", "readonly", readonly);
	if (hint)
		json_object_set_new(j, "hint", edit_js(hint));
	if (err)
		json_object_set(j, "error", err);
	return j;
}

json_t *edit_select_json(struct request *req, const char *name, const char *label, const char *value,
                         json_t *options, json_t *errors, bool readonly)
{
	json_t *j = edit_field_json(req, name, name, label, NULL, value, errors, readonly);
	size_t i;
	json_t *o;
	json_array_foreach (options, i, o)
		json_object_set_new(
		    o, "selected",
		    json_boolean(value &&
		                 strcmp(json_string_value(json_object_get(o, "value")), value) == 0));
	json_object_set_new(j, "options", options);
	json_object_set_new(j, "is_select", json_true());
	return j;
}

json_t *edit_choices_json(struct request *req, const char *const *list, const char *prefix)
{
	json_t *arr = json_array();
	for (; *list; list++)
		json_array_append_new(
		    arr, json_pack("{s:s, s:o}", "value", *list, "label",
		                   edit_js(i18n_get(edit_lang(req),
		                                    arena_printf(req->arena, "%s%s", prefix, *list)))));
	return arr;
}

json_t *edit_topics_json(struct request *req)
{
	json_t *arr = json_array();
	for (size_t s = 0; s < 4; s++) {
		struct topic *ts;
		size_t n = topic_list(auth_db(), req->arena, section_slugs[s], edit_lang(req), &ts);
		const char *sec =
		    i18n_get(edit_lang(req), arena_printf(req->arena, "section_%s", section_slugs[s]));
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
			    arr, json_pack("{s:o, s:o}", "value", edit_js(ts[i].slug), "label",
			                   edit_js(arena_printf(req->arena, "%s: %s", sec, ts[i].title))));
	}
	return arr;
}

static json_t *text_field_json(struct request *req, const struct text_field *f, struct resource *r,
                               json_t *errors, bool readonly)
{
	json_t *j =
	    edit_field_json(req, f->name, f->name, edit_tx(req, f->label),
	                    f->hint ? edit_tx(req, f->hint) : NULL, *slot(r, f->offset), errors, readonly);
	json_object_set_new(j, "type", json_string(f->type));
	json_object_set_new(j, "max", json_integer((json_int_t)f->max));
	json_object_set_new(j, "spellcheck", json_string(strcmp(f->type, "text") == 0 ? "true" : "false"));
	json_object_set_new(j, "is_text", json_true());
	return j;
}

static json_t *sources_json(struct request *req, const struct resource *r, json_t *errors, bool readonly)
{
	json_t *rows = json_array();
	json_t *langs = json_pack("[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}]", "value", "", "label",
	                          edit_js(edit_tx(req, "src_lang_same")), "value", "en", "label",
	                          edit_js(i18n_get(edit_lang(req), "language_en")), "value", "es", "label",
	                          edit_js(i18n_get(edit_lang(req), "language_es")));
	for (int i = 0; i < MAX_SOURCES; i++) {
		const struct source *s = (size_t)i < r->nsources ? &r->sources[i] : NULL;
		const char *ti = arena_printf(req->arena, "src_title_%d", i),
		           *ui = arena_printf(req->arena, "src_url_%d", i),
		           *li = arena_printf(req->arena, "src_lang_%d", i);
		json_t *cells = json_array();
		json_t *t = edit_field_json(
		    req, ti, ti, arena_printf(req->arena, "%s %d", edit_tx(req, "src_title"), i + 1), NULL,
		    s ? s->title : "", errors, readonly);
		json_object_set_new(t, "type", json_string("text"));
		json_object_set_new(t, "max", json_integer(300));
		json_object_set_new(t, "spellcheck", json_string("true"));
		json_t *u = edit_field_json(req, ui, ui,
		                            arena_printf(req->arena, "%s %d", edit_tx(req, "src_url"), i + 1),
		                            NULL, s ? s->url : "", errors, readonly);
		json_object_set_new(u, "type", json_string("url"));
		json_object_set_new(u, "max", json_integer(2000));
		json_object_set_new(u, "spellcheck", json_string("false"));
		json_array_append_new(cells, t);
		json_array_append_new(cells, u);
		json_array_append_new(
		    cells, edit_select_json(
		               req, li, arena_printf(req->arena, "%s %d", edit_tx(req, "src_lang"), i + 1),
		               s && s->lang ? s->lang : "", json_deep_copy(langs), errors, readonly));
		json_array_append_new(rows, json_pack("{s:o}", "cells", cells));
	}
	json_decref(langs);
	return rows;
}

static json_t *hotlines_json(struct request *req, const struct resource *r, bool readonly)
{
	struct hotline *hs;
	size_t n = hotline_list(auth_db(), req->arena, edit_lang(req), &hs, NULL);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		bool on = false;
		for (size_t k = 0; k < r->nhotlines; k++)
			on |= strcmp(r->hotlines[k], hs[i].slug) == 0;
		json_array_append_new(arr,
		                      json_pack("{s:o, s:o, s:b, s:b}", "slug", edit_js(hs[i].slug), "name",
		                                edit_js(hs[i].name), "checked", on, "readonly", readonly));
	}
	return arr;
}

const char *edit_status_label(struct request *req, const char *status)
{
	return edit_tx(req, arena_printf(req->arena, "status_%s", status ? status : "draft"));
}

/* The other language's version: its open draft if any, else its live text; NULL when missing. */
static json_t *translation_json(struct request *req, const struct resource *r)
{
	struct resource *t = r->translation ? resource_get(auth_db(), req->arena, r->translation) : NULL;
	if (!t)
		return NULL;
	struct revision *open = revision_open(auth_db(), req->arena, t->id);
	const struct resource *show = open ? &open->r : t;
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "title", edit_js(show->title), "summary",
	                 edit_js(show->summary), "body", edit_js(show->body), "lang", edit_js(t->lang),
	                 "status", edit_js(edit_status_label(req, t->status)), "edit_url",
	                 edit_js(edit_url(req, t->slug)));
}

static json_t *preview_json(const struct resource *r)
{
	struct buf html = BUF_INIT;
	char why[256];
	json_t *j;
	if (site_preview(r, &html, why, sizeof(why)) == 0)
		j = tmpl_safe_html(html.p ? html.p : "", html.len);
	else
		j = json_string(why);
	buf_free(&html);
	return j;
}

/* The editor for r (loaded or as typed), with errors (consumed) and a notice or alert; base says what
 * it was loaded from. */
static int editor(struct request *req, struct response *resp, int status, const struct resource *live,
                  struct resource *r, int64_t base, json_t *errors, const char *notice, const char *alert)
{
	bool can_edit = edit_can(req, AUTH_EDIT), can_publish = edit_can(req, AUTH_PUBLISH), ro = !can_edit;
	struct revision *open = revision_open(auth_db(), req->arena, live->id);
	json_t *fields = json_array();
	json_array_append_new(fields, text_field_json(req, &text_fields[0], r, errors, ro));
	json_array_append_new(fields, text_field_json(req, &text_fields[1], r, errors, ro));
	json_array_append_new(fields, edit_select_json(req, "topic", edit_tx(req, "res_f_topic"), r->topic,
	                                               edit_topics_json(req), errors, ro));
	json_array_append_new(fields,
	                      edit_select_json(req, "type", edit_tx(req, "res_f_type"), r->type,
	                                       edit_choices_json(req, edit_types, "type_"), errors, ro));
	json_array_append_new(fields,
	                      edit_select_json(req, "stage", edit_tx(req, "res_f_stage"), r->stage,
	                                       edit_choices_json(req, edit_stages, "stage_"), errors, ro));
	for (size_t i = 2; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		json_array_append_new(fields, text_field_json(req, &text_fields[i], r, errors, ro));
	json_t *body = edit_field_json(req, "body", "body", edit_tx(req, "res_f_body"),
	                               edit_tx(req, "res_h_body"), r->body, errors, ro);
	json_object_set_new(body, "rows", json_integer(24));
	json_t *when =
	    edit_field_json(req, "publish_at", "publish_at", edit_tx(req, "res_f_when"),
	                    edit_tx(req, "res_h_when"), edit_field(req, "publish_at"), errors, false);
	json_object_set_new(when, "type", json_string("datetime-local"));
	json_object_set_new(when, "max", json_integer(16));
	json_object_set_new(when, "spellcheck", json_string("false"));
	json_t *tr = translation_json(req, r);
	json_t *d = json_pack(
	    "{s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:b, s:o, s:o, s:o, s:o}",
	    "title", edit_js(arena_printf(req->arena, "%s: %s", edit_tx(req, "res_edit"), live->title)),
	    "status", edit_js(edit_status_label(req, live->status)), "action",
	    edit_js(edit_url(req, live->slug)), "base", (json_int_t)base, "version",
	    (json_int_t)live->version, "public_url", edit_js(public_url(req, live)), "revisions_url",
	    edit_js(admin_url(req, arena_printf(req->arena, "/admin/resources/%s/revisions", live->slug))),
	    "preview_url",
	    edit_js(admin_url(req, arena_printf(req->arena, "/admin/resources/%s/preview", live->slug))),
	    "fields", fields, "sources", sources_json(req, r, errors, ro), "hotlines",
	    hotlines_json(req, r, ro), "can_edit", can_edit, "can_publish", can_publish, "readonly", ro,
	    "archived", strcmp(live->status, "archived") == 0, "body", body, "when", when, "preview",
	    preview_json(r), "res_lang", edit_js(live->lang));
	if (open)
		json_object_set_new(
		    d, "open",
		    edit_js(edit_tx(req, strcmp(open->state, "review") == 0 ? "open_review" : "open_draft")));
	if (open && open->publish_at)
		json_object_set_new(d, "scheduled",
		                    edit_js(arena_printf(req->arena, "%s %s", edit_tx(req, "scheduled_for"),
		                                         open->publish_at)));
	if (tr)
		json_object_set_new(d, "translation", tr);
	else
		json_object_set_new(d, "missing_translation",
		                    edit_js(edit_tx(req, "res_missing_translation")));
	json_t *err = json_object_get(errors, "sources");
	if (err)
		json_object_set(d, "sources_error", err);
	err = json_object_get(errors, "hotlines");
	if (err)
		json_object_set(d, "hotlines_error", err);
	if (notice)
		json_object_set_new(d, "notice", edit_js(notice));
	if (alert)
		json_object_set_new(d, "alert", edit_js(alert));
	if (!ro)
		json_object_set_new(d, "live_preview", json_true());
	json_decref(errors);
	return admin_render(req, resp, status, "admin/resource", d);
}

/* The text to edit: the open draft when there is one, else the live text. */
static struct resource *working(struct request *req, const struct resource *live, int64_t *base)
{
	struct revision *open = revision_open(auth_db(), req->arena, live->id);
	*base = open ? open->id : 0;
	if (!open)
		return (struct resource *)live;
	struct resource *r = arena_alloc(req->arena, sizeof(*r));
	*r = open->r;
	r->id = live->id;
	r->status = live->status;
	r->section = edit_topic_section(req, r->topic) ? edit_topic_section(req, r->topic) : live->section;
	return r;
}

struct resource *edit_live(struct request *req)
{
	const char *slug = request_param(req, "slug");
	return slug ? resource_get(auth_db(), req->arena, slug) : NULL;
}

int edit_form(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_VIEW))
		return admin_error(req, resp, 403, "err_role");
	struct resource *live = edit_live(req);
	if (!live)
		return admin_error(req, resp, 404, "err_not_found");
	int64_t base;
	struct resource *r = working(req, live, &base);
	const char *done = request_query(req, "done");
	const char *notice =
	    done && edit_one_of(done,
	                        (const char *const[]){"saved", "submitted", "published", "scheduled",
	                                              "archived", "unarchived", "restored", "created", NULL})
	        ? edit_tx(req, arena_printf(req->arena, "done_%s", done))
	        : NULL;
	return editor(req, resp, 200, live, r, base, json_object(), notice, NULL);
}

/* ---- saving ---- */

/* Someone saved (or published) since this form was loaded: its base is not the open draft, or the
 * live text moved on. */
static bool stale_form(struct request *req, const struct resource *live, struct revision *open)
{
	const char *b = auth_field(req, "base"), *v = auth_field(req, "version");
	int64_t base = b ? strtoll(b, NULL, 10) : -1, version = v ? strtoll(v, NULL, 10) : -1;
	if (open)
		return base != open->id;
	return base != 0 || version != live->version;
}

void edit_audit_resource(struct request *req, const char *action, const char *slug,
                         const struct resource *before, const struct resource *after)
{
	char *b = before ? resource_encode(before) : NULL, *a = after ? resource_encode(after) : NULL;
	auth_audit(req, NULL, action, "resource", slug, b, a);
	free(b);
	free(a);
}

/* "2026-12-01T09:30" in the server's time zone as UTC "2026-12-01T14:30:00Z"; NULL when not a time. */
static const char *utc_of(struct request *req, const char *local)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int n = 0;
	if (!local || strlen(local) != 16 || !date_valid((struct str){local, 10}) ||
	    sscanf(local, "%4d-%2d-%2dT%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
	           &tm.tm_min, &n) != 5 ||
	    n != 16 || tm.tm_hour > 23 || tm.tm_min > 59)
		return NULL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return NULL;
	struct tm u;
	gmtime_r(&t, &u);
	char out[32];
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &u);
	return arena_strdup(req->arena, out);
}

int edit_redirect_done(struct request *req, struct response *resp, const char *slug, const char *done)
{
	return auth_redirect(req, resp, arena_printf(req->arena, "/admin/resources/%s?done=%s", slug, done));
}

/* Save the form as a new revision in state; publish it too when asked. */
static int save(struct request *req, struct response *resp, struct resource *live, const char *action)
{
	bool publish = strcmp(action, "publish") == 0, complete = strcmp(action, "save") != 0;
	json_t *errors = json_object();
	struct resource r;
	form_resource(req, live, &r, errors, complete);
	if (json_object_size(errors)) {
		log_warn("edit: %s %s refused: %zu field(s) invalid", action, live->slug,
		         json_object_size(errors));
		return editor(req, resp, 400, live, &r,
		              strtoll(auth_field(req, "base") ? auth_field(req, "base") : "0", NULL, 10),
		              errors, NULL, edit_tx(req, "err_fields"));
	}
	json_decref(errors);
	publish_lock();
	struct revision *open = revision_open(auth_db(), req->arena, live->id);
	if (stale_form(req, live, open)) {
		int rc = edit_conflict(req, resp, live, open, &r);
		publish_unlock();
		return rc;
	}
	const struct user *u = auth_of(req)->user;
	const char *state = strcmp(action, "save") == 0 ? "draft" : "review";
	int64_t id = revision_add(auth_db(), live->id, &r, state, u->id, u->email,
	                          publish                       ? "saved and published"
	                          : strcmp(action, "save") == 0 ? "saved"
	                                                        : "submitted for review");
	if (id < 0) {
		publish_unlock();
		return admin_error(req, resp, 500, "err_internal");
	}
	edit_audit_resource(req, strcmp(action, "save") == 0 ? "resource_save" : "resource_submit",
	                    live->slug, live, &r);
	char err[64] = "";
	struct publish_actor who = actor(req);
	int rc = publish ? publish_revision(auth_db(), id, &who, err, sizeof(err)) : 0;
	publish_unlock();
	if (rc < 0)
		return editor(req, resp, strcmp(err, "publish_needs_name") == 0 ? 400 : 500, live, &r, id,
		              json_object(), NULL, edit_tx(req, err));
	return edit_redirect_done(req, resp, live->slug,
	                          publish                       ? "published"
	                          : strcmp(action, "save") == 0 ? "saved"
	                                                        : "submitted");
}

/* A reviewer publishes (or schedules) the open draft as it stands: what was reviewed goes live. */
static int publish_open(struct request *req, struct response *resp, struct resource *live, bool schedule)
{
	publish_lock();
	struct revision *open = revision_open(auth_db(), req->arena, live->id);
	int rc;
	if (!open || stale_form(req, live, open)) {
		publish_unlock();
		int64_t base;
		struct resource *r = working(req, live, &base);
		return editor(req, resp, 409, live, r, base, json_object(), NULL,
		              edit_tx(req, open ? "err_changed_since" : "err_nothing_to_publish"));
	}
	char err[64] = "";
	if (schedule) {
		const char *when = utc_of(req, edit_field(req, "publish_at"));
		json_t *errors = json_object();
		if (!when) {
			publish_unlock();
			edit_field_error(req, errors, "publish_at", "err_when");
			return editor(req, resp, 400, live, &open->r, open->id, errors, NULL,
			              edit_tx(req, "err_fields"));
		}
		const struct user *u = auth_of(req)->user;
		if (!u->name || !*u->name) {
			publish_unlock();
			return editor(req, resp, 400, live, &open->r, open->id, errors, NULL,
			              edit_tx(req, "publish_needs_name"));
		}
		json_decref(errors);
		rc = revision_set_state(auth_db(), open->id, "review", when, u->id);
		if (rc == 0)
			auth_audit(req, NULL, "resource_schedule", "resource", live->slug, NULL, when);
		publish_unlock();
		return rc < 0 ? admin_error(req, resp, 500, "err_internal")
		              : edit_redirect_done(req, resp, live->slug, "scheduled");
	}
	struct publish_actor who = actor(req);
	rc = publish_revision(auth_db(), open->id, &who, err, sizeof(err));
	publish_unlock();
	if (rc < 0)
		return editor(req, resp, strcmp(err, "publish_needs_name") == 0 ? 400 : 500, live, &open->r,
		              open->id, json_object(), NULL, edit_tx(req, err));
	return edit_redirect_done(req, resp, live->slug, "published");
}

static int set_status(struct request *req, struct response *resp, struct resource *live, const char *status)
{
	char err[64] = "";
	struct publish_actor who = actor(req);
	publish_lock();
	int rc = publish_set_status(auth_db(), live->id, status, &who, err, sizeof(err));
	publish_unlock();
	if (rc < 0)
		return admin_error(req, resp, 500, "err_internal");
	return edit_redirect_done(req, resp, live->slug,
	                          strcmp(status, "archived") == 0 ? "archived" : "unarchived");
}

int edit_submit(struct request *req, struct response *resp)
{
	struct resource *live = edit_live(req);
	if (!live)
		return admin_error(req, resp, 404, "err_not_found");
	const char *action = auth_field(req, "action");
	if (!action)
		action = "save";
	bool can_edit = edit_can(req, AUTH_EDIT), can_publish = edit_can(req, AUTH_PUBLISH);
	if (strcmp(action, "preview") == 0) {
		if (!edit_can(req, AUTH_VIEW))
			return admin_error(req, resp, 403, "err_role");
		json_t *errors = json_object();
		struct resource r;
		form_resource(req, live, &r, errors, false);
		const char *b = auth_field(req, "base");
		return editor(req, resp, 200, live, &r, b ? strtoll(b, NULL, 10) : 0, errors, NULL, NULL);
	}
	if (strcmp(action, "save") == 0 || strcmp(action, "submit") == 0)
		return can_edit ? save(req, resp, live, action) : admin_error(req, resp, 403, "err_role");
	if (strcmp(action, "publish") == 0) {
		if (!can_publish)
			return admin_error(req, resp, 403, "err_role");
		/* One who may edit too publishes what the form holds; a reviewer, what was submitted. */
		return can_edit ? save(req, resp, live, action) : publish_open(req, resp, live, false);
	}
	if (strcmp(action, "schedule") == 0)
		return can_publish ? publish_open(req, resp, live, true)
		                   : admin_error(req, resp, 403, "err_role");
	if (strcmp(action, "archive") == 0 || strcmp(action, "unarchive") == 0)
		return can_publish ? set_status(req, resp, live,
		                                strcmp(action, "archive") == 0 ? "archived" : "published")
		                   : admin_error(req, resp, 403, "err_role");
	return admin_error(req, resp, 400, "err_form");
}

int edit_preview(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_VIEW))
		return admin_error(req, resp, 403, "err_role");
	struct resource *live = edit_live(req);
	if (!live)
		return admin_error(req, resp, 404, "err_not_found");
	json_t *errors = json_object();
	struct resource r;
	form_resource(req, live, &r, errors, false);
	json_decref(errors);
	struct buf html = BUF_INIT;
	char why[256];
	int status = site_preview(&r, &html, why, sizeof(why)) == 0 ? 200 : 500;
	if (status != 200) {
		buf_free(&html);
		buf_puts(&html, why);
	}
	response_html(resp, status, html.p ? html.p : "", html.len);
	resp->cache_control = "no-store";
	buf_free(&html);
	return status;
}
