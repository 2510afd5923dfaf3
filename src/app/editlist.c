/* The console's library list (search, filters, pages) and the form for a new resource. The editor
 * itself, saving and revisions are edit.c; what both use is app/edit_int.h. */
#include "app/admin.h"
#include "app/auth.h"
#include "app/edit.h"
#include "app/edit_int.h"
#include "app/publish.h"
#include "app/site.h"
#include "base/diff.h"
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
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PAGE_SIZE = 25 };

/* ---- the list ---- */

static const char *query_or_null(struct request *req, const char *name)
{
	const char *v = request_query(req, name);
	return v && *v ? v : NULL;
}

static const char *list_href(struct request *req, const struct resource_filter *f, size_t page)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/admin/resources?page=%zu", page);
	const char *names[] = {"section", "language", "status", "q"},
	           *vals[] = {f->section, f->lang, f->status, f->query};
	for (size_t i = 0; i < 4; i++)
		if (vals[i]) {
			buf_printf(&b, "&%s=", names[i]);
			for (const unsigned char *p = (const unsigned char *)vals[i]; *p; p++)
				buf_printf(&b,
				           (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'
				               ? "%c"
				               : "%%%02X",
				           *p);
		}
	if (f->stale)
		buf_puts(&b, "&stale=1");
	if (strcmp(edit_lang(req), "es") == 0)
		buf_puts(&b, "&lang=es");
	const char *s = arena_strdup(req->arena, b.p);
	buf_free(&b);
	return s;
}

int edit_list(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_VIEW))
		return admin_error(req, resp, 403, "err_role");
	struct resource_filter f = {query_or_null(req, "section"),       query_or_null(req, "language"),
	                            query_or_null(req, "status"),        query_or_null(req, "q"),
	                            query_or_null(req, "stale") != NULL, 12};
	if (f.section && !section_valid(f.section))
		f.section = NULL;
	const char *page_s = request_query(req, "page");
	size_t page = page_s ? strtoul(page_s, NULL, 10) : 1, total;
	if (page < 1)
		page = 1;
	struct resource *rs;
	size_t n =
	    resource_admin_list(auth_db(), req->arena, &f, (page - 1) * PAGE_SIZE, PAGE_SIZE, &rs, &total);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows,
		    json_pack(
		        "{s:o, s:o, s:o, s:o, s:o, s:o}", "title", edit_js(rs[i].title), "url",
		        edit_js(edit_url(req, rs[i].slug)), "lang", edit_js(rs[i].lang), "section",
		        edit_js(
		            i18n_get(edit_lang(req), arena_printf(req->arena, "section_%s", rs[i].section))),
		        "status", edit_js(edit_status_label(req, rs[i].status)), "reviewed",
		        edit_js(rs[i].reviewed_at ? rs[i].reviewed_at : edit_tx(req, "never_reviewed"))));
	json_t *sec = json_pack("[{s:s, s:o}]", "value", "", "label", edit_js(edit_tx(req, "all")));
	for (size_t s = 0; s < 4; s++)
		json_array_append_new(
		    sec, json_pack("{s:s, s:o}", "value", section_slugs[s], "label",
		                   edit_js(i18n_get(edit_lang(req), arena_printf(req->arena, "section_%s",
		                                                                 section_slugs[s])))));
	json_t *lang = json_pack("[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}]", "value", "", "label",
	                         edit_js(edit_tx(req, "all")), "value", "en", "label",
	                         edit_js(i18n_get(edit_lang(req), "language_en")), "value", "es", "label",
	                         edit_js(i18n_get(edit_lang(req), "language_es")));
	json_t *st = json_pack("[{s:s, s:o}]", "value", "", "label", edit_js(edit_tx(req, "all")));
	const char *const statuses[] = {"draft", "review", "published", "archived"};
	for (size_t s = 0; s < 4; s++)
		json_array_append_new(st, json_pack("{s:s, s:o}", "value", statuses[s], "label",
		                                    edit_js(edit_status_label(req, statuses[s]))));
	json_t *none = json_object();
	json_t *filters = json_array();
	json_array_append_new(filters, edit_select_json(req, "section", edit_tx(req, "res_section"),
	                                                f.section ? f.section : "", sec, none, false));
	json_array_append_new(filters, edit_select_json(req, "language", edit_tx(req, "res_lang"),
	                                                f.lang ? f.lang : "", lang, none, false));
	json_array_append_new(filters, edit_select_json(req, "status", edit_tx(req, "res_status"),
	                                                f.status ? f.status : "", st, none, false));
	json_decref(none);
	size_t pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	json_t *d = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:b}", "title", edit_js(edit_tx(req, "resources")),
	    "rows", rows, "filters", filters, "new_url", edit_js(admin_url(req, "/admin/resources/new")),
	    "list_url", edit_js("/admin/resources"), "q", edit_js(f.query), "stale", f.stale, "count_text",
	    edit_js(arena_printf(req->arena, "%zu %s", total, edit_tx(req, "res_found"))), "page_text",
	    edit_js(arena_printf(req->arena, "%zu / %zu", page, pages ? pages : 1)), "lang_es",
	    strcmp(edit_lang(req), "es") == 0);
	if (page > 1)
		json_object_set_new(d, "prev", edit_js(list_href(req, &f, page - 1)));
	if (page < pages)
		json_object_set_new(d, "next", edit_js(list_href(req, &f, page + 1)));
	return admin_render(req, resp, 200, "admin/resources", d);
}

/* ---- a new resource ---- */

static int new_page(struct request *req, struct response *resp, int status, json_t *errors)
{
	json_t *fields = json_array();
	json_t *langs = json_pack("[{s:s, s:o}, {s:s, s:o}]", "value", "en", "label",
	                          edit_js(i18n_get(edit_lang(req), "language_en")), "value", "es", "label",
	                          edit_js(i18n_get(edit_lang(req), "language_es")));
	json_array_append_new(fields, edit_select_json(req, "language", edit_tx(req, "res_lang"),
	                                               edit_field(req, "language"), langs, errors, false));
	json_t *slug = edit_field_json(req, "slug", "slug", edit_tx(req, "res_f_slug"),
	                               edit_tx(req, "res_h_slug"), edit_field(req, "slug"), errors, false);
	json_object_set_new(slug, "type", json_string("text"));
	json_object_set_new(slug, "max", json_integer(100));
	json_object_set_new(slug, "spellcheck", json_string("false"));
	json_array_append_new(fields, slug);
	json_t *title = edit_field_json(req, "title", "title", edit_tx(req, "res_f_title"), NULL,
	                                edit_field(req, "title"), errors, false);
	json_object_set_new(title, "type", json_string("text"));
	json_object_set_new(title, "max", json_integer(120));
	json_object_set_new(title, "spellcheck", json_string("true"));
	json_array_append_new(fields, title);
	json_array_append_new(fields, edit_select_json(req, "topic", edit_tx(req, "res_f_topic"),
	                                               edit_field(req, "topic"), edit_topics_json(req),
	                                               errors, false));
	json_array_append_new(
	    fields, edit_select_json(req, "type", edit_tx(req, "res_f_type"), edit_field(req, "type"),
	                             edit_choices_json(req, edit_types, "type_"), errors, false));
	json_array_append_new(
	    fields, edit_select_json(req, "stage", edit_tx(req, "res_f_stage"), edit_field(req, "stage"),
	                             edit_choices_json(req, edit_stages, "stage_"), errors, false));
	json_t *tr = edit_field_json(req, "translation", "translation", edit_tx(req, "res_f_translation"),
	                             edit_tx(req, "res_h_translation_new"), edit_field(req, "translation"),
	                             errors, false);
	json_object_set_new(tr, "type", json_string("text"));
	json_object_set_new(tr, "max", json_integer(100));
	json_object_set_new(tr, "spellcheck", json_string("false"));
	json_array_append_new(fields, tr);
	json_t *d = json_pack("{s:o, s:o, s:o}", "title", edit_js(edit_tx(req, "res_new")), "fields", fields,
	                      "action", edit_js(admin_url(req, "/admin/resources/new")));
	if (json_object_size(errors))
		json_object_set_new(d, "alert", edit_js(edit_tx(req, "err_fields")));
	json_decref(errors);
	return admin_render(req, resp, status, "admin/resource_new", d);
}

int edit_new_form(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_EDIT))
		return admin_error(req, resp, 403, "err_role");
	return new_page(req, resp, 200, json_object());
}

int edit_new_submit(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_EDIT))
		return admin_error(req, resp, 403, "err_role");
	json_t *errors = json_object();
	struct resource r;
	memset(&r, 0, sizeof(r));
	r.lang = edit_field(req, "language");
	r.slug = edit_field(req, "slug");
	r.title = edit_field(req, "title");
	r.topic = edit_field(req, "topic");
	r.type = edit_field(req, "type");
	r.stage = edit_field(req, "stage");
	r.translation = edit_field(req, "translation");
	r.section = edit_topic_section(req, r.topic);
	if (!r.lang || (strcmp(r.lang, "en") != 0 && strcmp(r.lang, "es") != 0))
		edit_field_error(req, errors, "language", "err_choice");
	if (!r.slug || !slug_valid(str_c(r.slug)) || strcmp(r.slug, "new") == 0)
		edit_field_error(req, errors, "slug", "err_slug");
	else if (resource_get(auth_db(), req->arena, r.slug))
		edit_field_error(req, errors, "slug", "err_slug_taken");
	if (!r.title)
		edit_field_error(req, errors, "title", "err_required");
	else if (utf8_len(r.title, strlen(r.title)) > 120)
		edit_field_error(req, errors, "title", "err_too_long");
	if (!r.section)
		edit_field_error(req, errors, "topic", "err_topic");
	if (!edit_one_of(r.type, edit_types))
		edit_field_error(req, errors, "type", "err_choice");
	if (!edit_one_of(r.stage, edit_stages))
		edit_field_error(req, errors, "stage", "err_choice");
	if (r.translation && !slug_valid(str_c(r.translation)))
		edit_field_error(req, errors, "translation", "err_slug");
	if (json_object_size(errors))
		return new_page(req, resp, 400, errors);
	json_decref(errors);
	char today[11];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	r.summary = "";
	r.body = "";
	r.checked = arena_strdup(req->arena, today);
	r.status = "draft";
	const struct user *u = auth_of(req)->user;
	publish_lock();
	int rc = resource_save(auth_db(), &r, u->email);
	struct resource *made = rc == 1 ? resource_get(auth_db(), req->arena, r.slug) : NULL;
	int64_t id = made ? revision_add(auth_db(), made->id, &r, "draft", u->id, u->email, "created") : -1;
	if (id >= 0)
		edit_audit_resource(req, "resource_create", r.slug, NULL, &r);
	publish_unlock();
	if (id < 0)
		return admin_error(req, resp, 500, "err_internal");
	return edit_redirect_done(req, resp, r.slug, "created");
}
