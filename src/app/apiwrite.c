/* Staff writes through the API. A new revision is checked by the console's own rules (edit_check: the
 * JSON is set out as the editor's form), saved with revision_add under publish_lock and audited like a
 * console save; publishing goes through publish_revision, which re-renders the public pages before
 * answering. Like the console's forms, a write names what it was based on (base: the open draft's
 * revision, or 0 and the live version), so a write over someone else's newer draft is refused (409). */
#include "app/apiwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/api.h"
#include "app/apilib.h"
#include "app/auth.h"
#include "app/edit.h"
#include "app/publish.h"
#include "base/log.h"
#include "base/slug.h"
#include "model/resource.h"
#include "model/revision.h"

enum { MAX_SOURCES = 8 };

static bool can(struct request *req, enum auth_action act)
{
	return auth_can(auth_of(req)->user, act, &(struct auth_object){"resource", NULL});
}

int apiwrite_me(struct request *req, struct response *resp)
{
	const struct user *u = auth_of(req)->user;
	json_t *communities = json_array();
	for (size_t i = 0; i < u->ncommunities; i++)
		json_array_append_new(communities, json_string(u->communities[i]));
	return api_json(req, resp, 200,
	                json_pack("{s:s, s:s, s:s, s:o, s:{s:b, s:b, s:b}}", "email", u->email, "name",
	                          u->name ? u->name : "", "role", user_role_name(u->role), "communities",
	                          communities, "resources", "view", can(req, AUTH_VIEW), "edit",
	                          can(req, AUTH_EDIT), "publish", can(req, AUTH_PUBLISH)));
}

static struct resource *live_of(struct request *req)
{
	const char *slug = request_param(req, "slug");
	return slug_valid(str_c(slug)) ? resource_get(api_db(), req->arena, slug) : NULL;
}

/* The working text and what it is based on: {base, version, state, status, slug, lang, text}. */
static json_t *working_json(const struct resource *live, const struct revision *open)
{
	const struct resource *w = open ? &open->r : live;
	json_t *text = apilib_text(w);
	if (!text)
		return NULL;
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:s, s:o}", "base", (json_int_t)(open ? open->id : 0),
	                 "version", (json_int_t)live->version, "state",
	                 open ? json_string(open->state) : json_null(), "status", live->status, "slug",
	                 live->slug, "lang", live->lang, "text", text);
}

int apiwrite_draft(struct request *req, struct response *resp)
{
	if (!can(req, AUTH_VIEW))
		return api_error(req, resp, 403, "Authorization", "This token's account may not see drafts.");
	publish_lock();
	struct resource *live = live_of(req);
	struct revision *open = live ? revision_open(api_db(), req->arena, live->id) : NULL;
	publish_unlock();
	if (!live)
		return api_error(req, resp, 404, "slug", "There is no such resource.");
	json_t *j = working_json(live, open);
	if (!j)
		return api_error(req, resp, 500, NULL, "The draft cannot be shown (see the server log).");
	return api_json(req, resp, 200, j);
}

/* ---- the body as the editor's form ---- */

/* The text fields a revision may set, by name (the editor's form names them alike). */
#define OFF(f) offsetof(struct resource, f)
static const struct {
	const char *name;
	size_t offset;
} text_fields[] = {
    {"title", OFF(title)},     {"summary", OFF(summary)},
    {"body", OFF(body)},       {"topic", OFF(topic)},
    {"type", OFF(type)},       {"stage", OFF(stage)},
    {"checked", OFF(checked)}, {"translation", OFF(translation)},
    {"url", OFF(url)},         {"video", OFF(video)},
    {"poster", OFF(poster)},   {"captions", OFF(captions)},
};
static const char *const control_fields[] = {"base", "version", "submit", "sources", "hotlines", NULL};

static const char **slot(struct resource *r, size_t offset)
{
	return (const char **)((char *)r + offset);
}

static void field_error(json_t *errors, const char *field, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

static bool known(const char *name)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		if (strcmp(text_fields[i].name, name) == 0)
			return true;
	for (const char *const *c = control_fields; *c; c++)
		if (strcmp(*c, name) == 0)
			return true;
	return false;
}

/* Lay body's values over r (the working text): strings replace, null clears. Type errors go to errors. */
static void merge_text(struct request *req, json_t *body, struct resource *r, json_t *errors)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		json_t *v = json_object_get(body, text_fields[i].name);
		if (!v)
			continue;
		if (json_is_null(v) && strcmp(text_fields[i].name, "body") != 0)
			*slot(r, text_fields[i].offset) = NULL;
		else if (json_is_string(v))
			*slot(r, text_fields[i].offset) = arena_strdup(req->arena, json_string_value(v));
		else
			field_error(errors, text_fields[i].name, "Must be a string.");
	}
}

static void merge_sources(struct request *req, json_t *body, struct resource *r, json_t *errors)
{
	json_t *v = json_object_get(body, "sources");
	if (!v)
		return;
	if (!json_is_array(v) || json_array_size(v) > MAX_SOURCES) {
		field_error(errors, "sources", "Must be a list of at most 8 sources ({title, url, lang}).");
		return;
	}
	r->sources = arena_calloc(req->arena, MAX_SOURCES, sizeof(*r->sources));
	r->nsources = 0;
	size_t i;
	json_t *s;
	json_array_foreach (v, i, s) {
		json_t *t = json_object_get(s, "title"), *u = json_object_get(s, "url"),
		       *l = json_object_get(s, "lang");
		if (!json_is_object(s) || !json_is_string(t) || !json_is_string(u) ||
		    (l && !json_is_null(l) && !json_is_string(l))) {
			field_error(
			    errors, arena_printf(req->arena, "sources[%zu]", i),
			    "Must be an object with strings title and url (and lang: en, es or null).");
			continue;
		}
		r->sources[r->nsources++] = (struct source){
		    arena_strdup(req->arena, json_string_value(t)),
		    arena_strdup(req->arena, json_string_value(u)),
		    json_is_string(l) ? arena_strdup(req->arena, json_string_value(l)) : NULL};
	}
}

static void merge_hotlines(struct request *req, json_t *body, struct resource *r, json_t *errors)
{
	json_t *v = json_object_get(body, "hotlines");
	if (!v)
		return;
	if (!json_is_array(v) || json_array_size(v) > 32) {
		field_error(errors, "hotlines", "Must be a list of hotline slugs.");
		return;
	}
	r->hotlines = arena_calloc(req->arena, json_array_size(v) + 1, sizeof(*r->hotlines));
	r->nhotlines = 0;
	size_t i;
	json_t *h;
	json_array_foreach (v, i, h) {
		if (json_is_string(h))
			r->hotlines[r->nhotlines++] = arena_strdup(req->arena, json_string_value(h));
		else
			field_error(errors, "hotlines", "Must be a list of hotline slugs.");
	}
}

static void form_add(struct request *req, const char *name, const char *value)
{
	struct form *f = &auth_of(req)->form;
	if (value && f->n < FORM_MAX_FIELDS)
		f->fields[f->n++] =
		    (struct form_field){arena_strdup(req->arena, name), arena_strdup(req->arena, value)};
}

/* Set r out as the editor's form, so edit_check reads it as it reads the console's. */
static void to_form(struct request *req, struct resource *r)
{
	auth_of(req)->form.n = 0;
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		form_add(req, text_fields[i].name, *slot(r, text_fields[i].offset));
	for (size_t i = 0; i < r->nsources; i++) {
		form_add(req, arena_printf(req->arena, "src_title_%zu", i), r->sources[i].title);
		form_add(req, arena_printf(req->arena, "src_url_%zu", i), r->sources[i].url);
		form_add(req, arena_printf(req->arena, "src_lang_%zu", i), r->sources[i].lang);
	}
	for (size_t i = 0; i < r->nhotlines; i++)
		form_add(req, "hotline", r->hotlines[i]);
}

/* The editor's field name as the API names it: src_url_2 → sources[2].url. */
static const char *api_field(struct request *req, const char *name)
{
	static const char *const parts[] = {"title", "url", "lang"};
	for (size_t k = 0; k < 3; k++) {
		const char *prefix = arena_printf(req->arena, "src_%s_", parts[k]);
		if (strncmp(name, prefix, strlen(prefix)) == 0)
			return arena_printf(req->arena, "sources[%s].%s", name + strlen(prefix), parts[k]);
	}
	return name;
}

/* The whole number at key of body (>= 0), or -1 when missing or not one. */
static int64_t whole(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return json_is_integer(v) && json_integer_value(v) >= 0 ? (int64_t)json_integer_value(v) : -1;
}

/* A write based on what is no longer the working text (someone saved or published since): answer 409
 * naming what to base it on now and return -1; else 0. */
static int check_base(struct request *req, struct response *resp, int64_t base, int64_t version,
                      const struct resource *live, const struct revision *open)
{
	bool stale = open ? base != open->id : base != 0 || version != live->version;
	if (!stale)
		return 0;
	const char *why = open ? arena_printf(req->arena,
	                                      "The open draft is revision %lld: get it (GET .../draft), "
	                                      "then send base %lld.",
	                                      (long long)open->id, (long long)open->id)
	                       : arena_printf(req->arena,
	                                      "There is no open draft and the live text is version %lld: "
	                                      "send base 0 and version %lld.",
	                                      (long long)live->version, (long long)live->version);
	api_error(req, resp, 409, "base", why);
	return -1;
}

static void audit_resource(struct request *req, const char *action, const char *slug,
                           const struct resource *before, const struct resource *after)
{
	char *b = before ? resource_encode(before) : NULL, *a = after ? resource_encode(after) : NULL;
	auth_audit(req, NULL, action, "resource", slug, b, a);
	free(b);
	free(a);
}

/* Check body over the working text into r; 0, or -1 after answering 422 / 400. */
static int read_revision(struct request *req, struct response *resp, json_t *body,
                         const struct resource *live, const struct revision *open, struct resource *r,
                         bool *submit)
{
	json_t *errors = json_array();
	const char *key;
	json_t *v;
	json_object_foreach (body, key, v)
		if (!known(key))
			field_error(errors, key, "Not a field of a resource revision.");
	json_t *sub = json_object_get(body, "submit");
	if (sub && !json_is_boolean(sub))
		field_error(errors, "submit", "Must be true or false.");
	*submit = json_is_true(sub);
	if (whole(body, "base") < 0)
		field_error(errors, "base", "Required: the open draft's revision, or 0 (see GET .../draft).");
	struct resource w = open ? open->r : *live;
	merge_text(req, body, &w, errors);
	merge_sources(req, body, &w, errors);
	merge_hotlines(req, body, &w, errors);
	if (json_array_size(errors))
		return api_invalid(req, resp, errors), -1;
	to_form(req, &w);
	json_t *checked = json_object();
	edit_check(req, live, r, checked, *submit);
	json_object_foreach (checked, key, v)
		field_error(errors, api_field(req, key), json_string_value(v));
	json_decref(checked);
	if (json_array_size(errors))
		return api_invalid(req, resp, errors), -1;
	json_decref(errors);
	return 0;
}

int apiwrite_revision(struct request *req, struct response *resp)
{
	if (!can(req, AUTH_EDIT))
		return api_error(req, resp, 403, "Authorization",
		                 "This token's account may not edit resources.");
	json_t *body = api_body(req, resp);
	if (!body)
		return resp->status;
	publish_lock();
	struct resource *live = live_of(req);
	struct revision *open = live ? revision_open(api_db(), req->arena, live->id) : NULL;
	publish_unlock();
	struct resource r;
	bool submit = false;
	int status = 0;
	if (!live)
		status = api_error(req, resp, 404, "slug", "There is no such resource.");
	else if (read_revision(req, resp, body, live, open, &r, &submit) < 0)
		status = resp->status;
	int64_t base = whole(body, "base"), version = whole(body, "version");
	json_decref(body);
	if (status)
		return status;
	const struct user *u = auth_of(req)->user;
	const char *state = submit ? "review" : "draft";
	publish_lock();
	/* What the write is based on is checked under the lock: nobody saves in between. */
	live = live_of(req);
	open = live ? revision_open(api_db(), req->arena, live->id) : NULL;
	int64_t id = -1;
	if (!live || check_base(req, resp, base, version, live, open) < 0) {
		publish_unlock();
		return live ? resp->status : api_error(req, resp, 404, "slug", "There is no such resource.");
	}
	id = revision_add(api_db(), live->id, &r, state, u->id, u->email,
	                  submit ? "submitted for review (API)" : "saved (API)");
	if (id >= 0)
		audit_resource(req, submit ? "resource_submit" : "resource_save", live->slug, live, &r);
	publish_unlock();
	if (id < 0)
		return api_error(req, resp, 500, NULL,
		                 "The revision could not be saved (see the server log).");
	const char *draft = arena_printf(req->arena, "/api/v1/resources/%s/draft", live->slug);
	resp->location = draft;
	return api_json(req, resp, 201,
	                json_pack("{s:I, s:s, s:s, s:{s:s, s:s}}", "revision", (json_int_t)id, "state", state,
	                          "slug", live->slug, "links", "draft", draft, "publish",
	                          arena_printf(req->arena, "/api/v1/resources/%s/publish", live->slug)));
}

/* Publish the open draft the body names ({"revision": id}): what was reviewed goes live, re-rendered
 * before the answer. Reviewers and admins (the route row), checked again here. */
int apiwrite_publish(struct request *req, struct response *resp)
{
	if (!can(req, AUTH_PUBLISH))
		return api_error(req, resp, 403, "Authorization", "This token's account may not publish.");
	json_t *body = api_body(req, resp);
	if (!body)
		return resp->status;
	int64_t want = whole(body, "revision");
	bool extra = json_object_size(body) != (json_object_get(body, "revision") ? 1u : 0u);
	json_decref(body);
	if (want <= 0 || extra) {
		json_t *errors = json_array();
		field_error(errors, want <= 0 ? "revision" : "body",
		            want <= 0 ? "Required: the open draft's revision (see GET .../draft)."
		                      : "Only {\"revision\": id} is taken.");
		return api_invalid(req, resp, errors);
	}
	const struct user *u = auth_of(req)->user;
	struct publish_actor who = {u->id, u->email, u->name, req->remote};
	char err[64] = "";
	publish_lock();
	struct resource *live = live_of(req);
	struct revision *open = live ? revision_open(api_db(), req->arena, live->id) : NULL;
	int rc = -2;
	if (live && open && open->id == want)
		rc = publish_revision(api_db(), open->id, &who, err, sizeof(err));
	struct resource *now = rc == 0 ? resource_get(api_db(), req->arena, live->slug) : NULL;
	publish_unlock();
	if (!live)
		return api_error(req, resp, 404, "slug", "There is no such resource.");
	if (rc == -2)
		return api_error(req, resp, 409, "revision",
		                 open ? arena_printf(req->arena,
		                                     "The open draft is now revision %lld: review it first.",
		                                     (long long)open->id)
		                      : "There is no open draft to publish.");
	if (rc < 0 && strcmp(err, "publish_needs_name") == 0) {
		json_t *errors = json_array();
		field_error(errors, "reviewer", admin_text(api_lang(req), err));
		return api_invalid(req, resp, errors);
	}
	if (rc < 0 || !now)
		return api_error(req, resp, 500, NULL,
		                 "The revision could not be published (see the server log).");
	return api_json(
	    req, resp, 200,
	    json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "revision", (json_int_t)want, "slug", now->slug,
	              "version", (json_int_t)now->version, "reviewed_at",
	              now->reviewed_at ? now->reviewed_at : "", "reviewer",
	              now->reviewer ? now->reviewer : "", "url",
	              api_site_url(req, arena_printf(req->arena, "%s/resources/%s",
	                                             strcmp(now->lang, "es") == 0 ? "/es" : "", now->slug))));
}
