/* Staff writes to community pages through the API. A new item is read from JSON into the block's own
 * generic path (block_apply, once per language given, exactly as the console's form is), so the field
 * tables' rules apply unchanged; every language is checked before anything is written. The save, its
 * audit entry and, with "publish": true, the publish with its revision and audit entry are one
 * transaction under publish_lock, and the public pages are re-rendered before the answer. Revisions
 * written here name the actor "<email> (API)"; audit entries use the console's actions. */
#include "app/apicommwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/api.h"
#include "app/apicomm.h"
#include "app/auth.h"
#include "app/community.h"
#include "app/console.h"
#include "app/publish.h"
#include "app/site.h"
#include "app/starter.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/str.h"
#include "base/tz.h"
#include "model/community.h"

static void decref(void *v)
{
	json_decref(v);
}

static void field_error(json_t *errors, const char *field, const char *message)
{
	size_t i;
	json_t *e;
	json_array_foreach (errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
			return; /* a field keeps its first message */
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

static const char *T(struct request *req, const char *key)
{
	return admin_text(api_lang(req), key);
}

static const char *actor(struct request *req)
{
	return arena_printf(req->arena, "%s (API)", auth_of(req)->user->email);
}

/* The route's community when the token's account may do act to it; NULL after answering 404/403. */
static struct community *load(struct request *req, struct response *resp, enum auth_action act)
{
	const char *slug = request_param(req, "slug");
	publish_lock();
	struct community *c = slug_valid(str_c(slug)) ? community_get(api_db(), req->arena, slug) : NULL;
	publish_unlock();
	if (!c) {
		api_error(req, resp, 404, "slug", "There is no such community page.");
		return NULL;
	}
	if (!auth_can(auth_of(req)->user, act, &(struct auth_object){"community", c->slug})) {
		api_error(req, resp, 403, "Authorization",
		          act == AUTH_PUBLISH ? "This token's account may not publish this community page."
		                              : "This token's account may not edit this community page "
		                                "(a community editor edits only their own).");
		return NULL;
	}
	return c;
}

/* Re-render what a change touched (app/community.h), before the answer. */
static void refresh(struct request *req, const char *slug, const char **before, size_t nb)
{
	size_t failed = community_refresh(req->arena, slug, before, nb);
	if (failed)
		log_error("community %s: %zu page(s) failed to render after an API change", slug, failed);
}

/* The audit entries of what community_publish_tx published ({kind: {before, after}}). 0 or -1. */
static int audit_published(struct request *req, const struct community *c, json_t *log, json_t *kinds)
{
	const char *key;
	json_t *v;
	json_object_foreach (log, key, v) {
		char *b = community_json_text(json_object_get(v, "before") ? json_object_get(v, "before")
		                                                           : json_null());
		char *a = community_json_text(json_object_get(v, "after"));
		int rc = console_audit(req, "community_publish", "community_block",
		                       arena_printf(req->arena, "%s/%s", c->slug, key), b, a);
		free(b);
		free(a);
		if (rc < 0)
			return -1;
		json_array_append_new(kinds, json_string(key));
	}
	return 0;
}

/* ---- an update or an event */

struct post {
	const struct block_kind *k;
	const struct community *c;
	json_t *body;
	const char *lang;             /* the language block_apply reads now */
	const char *dflt_name, *dflt; /* a neutral field's value when the body leaves it out */
};

/* An item field of the block (not the block's own fields), or NULL. */
static const struct block_field *item_field(const struct block_kind *k, const char *name)
{
	for (size_t i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return &k->fields[i];
	return NULL;
}

/* block_input's reader: the body as the console's form for p->lang. */
static const char *post_get(void *ctx, const char *name)
{
	struct post *p = ctx;
	const struct block_field *f = item_field(p->k, name);
	if (!f)
		return NULL;
	json_t *v = f->text
	                ? json_object_get(json_object_get(json_object_get(p->body, "text"), p->lang), name)
	                : json_object_get(p->body, name);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_boolean(v))
		return json_is_true(v) ? "on" : NULL;
	return p->dflt_name && strcmp(name, p->dflt_name) == 0 ? p->dflt : NULL;
}

static bool offers(const struct community *c, const char *lang)
{
	for (size_t i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i], lang) == 0)
			return true;
	return false;
}

static bool type_ok(const struct block_field *f, json_t *v)
{
	return f->type == FT_BOOL ? json_is_boolean(v) || json_is_null(v)
	                          : json_is_string(v) || json_is_null(v);
}

/* The text: {lang: {field: string}} in languages the page offers. Their codes, in the page's order,
 * into langs; how many. */
static size_t check_text(struct request *req, struct post *p, json_t *errors, const char **langs)
{
	json_t *text = json_object_get(p->body, "text"), *t, *v;
	const char *lang, *key;
	if (!json_is_object(text) || !json_object_size(text)) {
		field_error(errors, "text",
		            "Required: the text in each language to post, e.g. {\"en\": {\"title\": "
		            "\"...\", ...}, \"es\": {...}}.");
		return 0;
	}
	json_object_foreach (text, lang, t) {
		const char *at = arena_printf(req->arena, "text.%s", lang);
		if (!offers(p->c, lang)) {
			field_error(errors, at,
			            "This page does not offer this language (see its languages).");
			continue;
		}
		if (!json_is_object(t)) {
			field_error(errors, at, "Must be an object of text fields.");
			continue;
		}
		json_object_foreach (t, key, v) {
			const struct block_field *f = item_field(p->k, key);
			const char *name = arena_printf(req->arena, "%s.%s", at, key);
			if (!f || !f->text)
				field_error(errors, name, "Not a text field of this block's items.");
			else if (!type_ok(f, v))
				field_error(errors, name, "Must be a string.");
		}
	}
	size_t n = 0;
	for (size_t l = 0; l < p->c->nlangs; l++)
		if (json_is_object(json_object_get(text, p->c->langs[l])))
			langs[n++] = p->c->langs[l];
	return n;
}

/* The body's shape: known fields of the right JSON types. The text's languages into langs. */
static size_t check_shape(struct request *req, struct post *p, json_t *errors, const char **langs)
{
	const char *key;
	json_t *v;
	json_object_foreach (p->body, key, v) {
		const struct block_field *f = item_field(p->k, key);
		if (strcmp(key, "publish") == 0) {
			if (!json_is_boolean(v))
				field_error(errors, key, "Must be true or false.");
		} else if (strcmp(key, "text") == 0)
			continue;
		else if (!f)
			field_error(errors, key,
			            "Not a field of this block's items (see the OpenAPI document).");
		else if (f->text)
			field_error(errors, key, "A text field: send it in text.<language>.");
		else if (!type_ok(f, v))
			field_error(errors, key,
			            f->type == FT_BOOL ? "Must be true or false." : "Must be a string.");
	}
	return check_text(req, p, errors, langs);
}

/* Check the new item in every language by the block's rules, each on a copy of draft. Field errors
 * into errors; a block already holding its most items sets *full. 0, or -1. */
static int check_item(struct request *req, struct post *p, json_t *draft, const char **langs, size_t n,
                      json_t *errors, bool *full)
{
	char now[21];
	community_now(now);
	for (size_t i = 0; i < n; i++) {
		json_t *scratch = json_deep_copy(draft);
		p->lang = langs[i];
		struct block_edit ed = {langs[i], "new", now, api_db()};
		struct block_input in = {post_get, p};
		struct block_errors e;
		if (block_apply(p->k, scratch, &ed, &in, &e, NULL) < 0)
			for (size_t k = 0; k < e.n; k++) {
				const struct block_field *f = item_field(p->k, e.e[k].field);
				if (!*e.e[k].field)
					*full = true;
				else
					field_error(errors,
					            f && f->text ? arena_printf(req->arena, "text.%s.%s",
					                                        langs[i], e.e[k].field)
					                         : e.e[k].field,
					            T(req, e.e[k].key));
			}
		json_decref(scratch);
	}
	return json_array_size(errors) || *full ? -1 : 0;
}

/* Add the checked item to draft in every language; its id into id. 0 or -1. */
static int add_item(struct post *p, json_t *draft, const char **langs, size_t n, char id[37])
{
	char now[21];
	community_now(now);
	for (size_t i = 0; i < n; i++) {
		p->lang = langs[i];
		struct block_edit ed = {langs[i], i ? id : "new", now, api_db()};
		struct block_input in = {post_get, p};
		struct block_errors e;
		if (block_apply(p->k, draft, &ed, &in, &e, i ? NULL : id) < 0)
			return -1;
	}
	return 0;
}

/* In one transaction: the draft saved and audited and, with publish, the block published with its
 * revision and audited (the kinds published into kinds). 0, or -1 with nothing written. */
static int store(struct request *req, const struct community *c, const char *kind, json_t *before,
                 json_t *after, bool publish, json_t *kinds)
{
	struct db *db = api_db();
	const struct user *u = auth_of(req)->user;
	if (db_begin(db) < 0)
		return -1;
	char *b = community_json_text(before), *a = community_json_text(after);
	json_t *log = json_object();
	int rc = community_block_save(db, c->id, kind, after, u->id);
	if (rc == 0)
		rc = console_audit(req, "community_save", "community_block",
		                   arena_printf(req->arena, "%s/%s", c->slug, kind), b, a);
	if (rc == 0 && publish)
		rc = community_publish_tx(db, c->id, kind, u->id, actor(req), log) < 0 ? -1 : 0;
	if (rc == 0)
		rc = audit_published(req, c, log, kinds);
	if (rc == 0)
		rc = db_commit(db);
	if (rc < 0) {
		db_rollback(db);
		log_error("api: community %s: the %s could not be saved", c->slug, kind);
	}
	json_decref(log);
	free(b);
	free(a);
	return rc;
}

static int created(struct request *req, struct response *resp, const struct community *c,
                   const struct block_kind *k, json_t *draft, const char *id, bool published)
{
	const char *self = arena_printf(req->arena, "/api/v1/communities/%s", c->slug);
	resp->location = self;
	return api_json(req, resp, 201,
	                json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s}}", "id", id, "community",
	                          c->slug, "block", k->name, "state", published ? "published" : "draft",
	                          "item", apicomm_item_json(k, block_item(draft, id), c), "url",
	                          apicomm_urls(req, c), "links", "community", self, "publish",
	                          arena_printf(req->arena, "%s/publish", self)));
}

/* What the body may leave out: an update's date is today where the community is; an event's time
 * zone is the community's. */
static void default_of(struct request *req, struct post *p)
{
	const struct tz_zone *z = tz_find(p->c->timezone);
	if (strcmp(p->k->name, "events") == 0) {
		p->dflt_name = "timezone", p->dflt = p->c->timezone;
	} else if (z) {
		char local[17];
		tz_local(z, (int64_t)time(NULL), local);
		p->dflt_name = "date", p->dflt = arena_strndup(req->arena, local, 10);
	}
}

/* POST .../updates and .../events: the item, saved as a draft or published at once. */
static int post_item(struct request *req, struct response *resp, const char *kind)
{
	struct community *c = load(req, resp, AUTH_EDIT);
	if (!c)
		return resp->status;
	json_t *body = api_body(req, resp);
	if (!body)
		return resp->status;
	arena_defer(req->arena, decref, body);
	struct post p = {block_kind(kind), c, body, NULL, NULL, NULL};
	default_of(req, &p);
	const char *langs[COMMUNITY_MAX_LANGS];
	json_t *errors = json_array();
	size_t nl = check_shape(req, &p, errors, langs);
	if (json_array_size(errors))
		return api_invalid(req, resp, errors);
	bool publish = json_is_true(json_object_get(body, "publish"));
	if (publish &&
	    !auth_can(auth_of(req)->user, AUTH_PUBLISH, &(struct auth_object){"community", c->slug})) {
		json_decref(errors);
		return api_error(req, resp, 403, "publish",
		                 "This token's account may not publish this page.");
	}
	publish_lock();
	struct community_block b;
	bool full = false;
	int status = 0;
	if (community_block(api_db(), req->arena, c->id, kind, &b) < 0)
		status = api_error(req, resp, 500, NULL, "The block cannot be read (see the server log).");
	else if (publish && b.pending)
		status = api_error(
		    req, resp, 409, "publish",
		    arena_printf(req->arena,
		                 "The %s block has unpublished changes saved before (at %s): publishing now "
		                 "would publish them too. Look at them in the console, or publish them "
		                 "(POST .../publish {\"blocks\": [\"%s\"]}), or post this without publish.",
		                 kind, b.draft_at ? b.draft_at : "?", kind));
	else if (check_item(req, &p, b.draft, langs, nl, errors, &full) < 0)
		status = json_array_size(errors)
		             ? api_invalid(req, resp, json_incref(errors))
		             : api_error(req, resp, 409, "items",
		                         arena_printf(req->arena,
		                                      "The %s block holds its most items (%zu): remove old "
		                                      "ones in the console first.",
		                                      kind, p.k->max_items));
	json_decref(errors);
	if (status) {
		publish_unlock();
		return status;
	}
	json_t *draft = json_deep_copy(b.draft), *kinds = json_array();
	arena_defer(req->arena, decref, draft);
	arena_defer(req->arena, decref, kinds);
	char id[37] = "";
	const char **before = NULL;
	size_t nb = publish ? community_touched(req->arena, c->slug, &before) : 0;
	int rc = add_item(&p, draft, langs, nl, id);
	if (rc == 0)
		rc = store(req, c, kind, b.draft, draft, publish, kinds);
	if (rc == 0 && publish)
		refresh(req, c->slug, before, nb);
	publish_unlock();
	if (rc < 0)
		return api_error(req, resp, 500, NULL, "Nothing was saved (see the server log).");
	log_info("api: community %s: a new %s item %s by %s", c->slug, kind,
	         publish ? "published" : "saved as a draft", auth_of(req)->user->email);
	return created(req, resp, c, p.k, draft, id, publish);
}

int apicomm_update(struct request *req, struct response *resp)
{
	return post_item(req, resp, "updates");
}

int apicomm_event(struct request *req, struct response *resp)
{
	return post_item(req, resp, "events");
}

/* ---- publishing */

/* The block kinds a publish names (NULL: every block with changes); -1 after answering 422. */
static int publish_kinds(struct request *req, struct response *resp, json_t *body, const char ***out,
                         size_t *n)
{
	json_t *errors = json_array(), *blocks = json_object_get(body, "blocks"), *v;
	const char *key;
	json_object_foreach (body, key, v)
		if (strcmp(key, "blocks") != 0)
			field_error(errors, key,
			            "Only {\"blocks\": [...]} is taken (or no body: every block).");
	*out = NULL, *n = 0;
	if (blocks && (!json_is_array(blocks) || !json_array_size(blocks) || json_array_size(blocks) > 16))
		field_error(
		    errors, "blocks",
		    "A list of block names (key_message, locations, updates, events, services, funds, "
		    "faq, resources); leave it out to publish every block with changes.");
	else if (blocks) {
		*out = arena_calloc(req->arena, json_array_size(blocks), sizeof(**out));
		size_t i;
		json_array_foreach (blocks, i, v) {
			if (!block_kind(json_string_value(v)))
				field_error(errors, arena_printf(req->arena, "blocks[%zu]", i),
				            "Not a block of a community page.");
			else
				(*out)[(*n)++] = block_kind(json_string_value(v))->name;
		}
	}
	if (json_array_size(errors))
		return api_invalid(req, resp, errors), -1;
	json_decref(errors);
	return 0;
}

int apicomm_publish(struct request *req, struct response *resp)
{
	struct community *c = load(req, resp, AUTH_PUBLISH);
	if (!c)
		return resp->status;
	json_t *body = req->body_len ? api_body(req, resp) : json_object();
	if (!body)
		return resp->status;
	arena_defer(req->arena, decref, body);
	const char **kinds;
	size_t nk;
	if (publish_kinds(req, resp, body, &kinds, &nk) < 0)
		return resp->status;
	struct db *db = api_db();
	const struct user *u = auth_of(req)->user;
	json_t *log = json_object(), *done = json_array();
	arena_defer(req->arena, decref, log);
	arena_defer(req->arena, decref, done);
	publish_lock();
	const char **before;
	size_t nb = community_touched(req->arena, c->slug, &before);
	int rc = db_begin(db);
	for (size_t i = 0; rc == 0 && i < (kinds ? nk : 1); i++)
		rc = community_publish_tx(db, c->id, kinds ? kinds[i] : NULL, u->id, actor(req), log) < 0 ? -1
		                                                                                          : 0;
	if (rc == 0)
		rc = audit_published(req, c, log, done);
	if (rc == 0)
		rc = db_commit(db);
	if (rc < 0)
		db_rollback(db);
	else if (json_array_size(done))
		refresh(req, c->slug, before, nb);
	publish_unlock();
	if (rc < 0) {
		log_error("api: community %s: publishing failed", c->slug);
		return api_error(req, resp, 500, NULL, "Nothing was published (see the server log).");
	}
	log_info("api: community %s: %zu block(s) published by %s", c->slug, json_array_size(done), u->email);
	return api_json(req, resp, 200,
	                json_pack("{s:s, s:O, s:o}", "community", c->slug, "published", done, "url",
	                          apicomm_urls(req, c)));
}

/* ---- a new community */

static const char *const create_fields[] = {"name",        "slug",   "place", "date",  "timezone",
                                            "key_message", "street", "city",  "state", "postal",
                                            "hours",       "phone",  NULL};

/* A string field of the body, trimmed; NULL when absent, null or empty. */
static const char *text_of(struct request *req, json_t *body, const char *name)
{
	struct str t = str_trim(str_c(json_string_value(json_object_get(body, name))));
	return t.len ? arena_strndup(req->arena, t.p, t.len) : NULL;
}

/* "en" and the body's languages, comma-separated (NULL: absent, the starter's en,es); type errors
 * into errors. */
static const char *languages(struct request *req, json_t *body, json_t *errors)
{
	json_t *v = json_object_get(body, "languages"), *l;
	if (!v)
		return NULL;
	struct buf b = BUF_INIT;
	size_t i;
	if (!json_is_array(v) || json_array_size(v) > COMMUNITY_MAX_LANGS)
		field_error(errors, "languages", "A list of language codes, e.g. [\"en\", \"es\"].");
	json_array_foreach (v, i, l) {
		const char *code = json_string_value(l);
		if (!code || strchr(code, ',') || strchr(code, ' '))
			field_error(errors, "languages", "A list of language codes, e.g. [\"en\", \"es\"].");
		else if (strcmp(code, "en") != 0)
			buf_printf(&b, ",%s", code);
	}
	const char *s = arena_printf(req->arena, "en%s", b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static bool create_field(const char *name)
{
	for (const char *const *f = create_fields; *f; f++)
		if (strcmp(*f, name) == 0)
			return true;
	return false;
}

int apicomm_create(struct request *req, struct response *resp)
{
	if (!auth_can(auth_of(req)->user, AUTH_EDIT, &(struct auth_object){"community", NULL}))
		return api_error(req, resp, 403, "Authorization",
		                 "This token's account may not create community pages.");
	json_t *body = api_body(req, resp);
	if (!body)
		return resp->status;
	arena_defer(req->arena, decref, body);
	json_t *errors = json_array(), *v;
	const char *key;
	json_object_foreach (body, key, v)
		if (strcmp(key, "languages") != 0 && !create_field(key))
			field_error(errors, key,
			            "Not a field of a new community (see the OpenAPI document).");
		else if (create_field(key) && !json_is_string(v) && !json_is_null(v))
			field_error(errors, key, "Must be a string.");
	const char *langs = languages(req, body, errors);
	if (json_array_size(errors))
		return api_invalid(req, resp, errors);
	const struct user *u = auth_of(req)->user;
	const char *slug = text_of(req, body, "slug");
	struct starter_input in = {
	    .slug = slug ? slug : starter_slug(req->arena, text_of(req, body, "name")),
	    .name = text_of(req, body, "name"),
	    .place = text_of(req, body, "place"),
	    .date = text_of(req, body, "date"),
	    .langs = langs,
	    .timezone = text_of(req, body, "timezone"),
	    .key_message = text_of(req, body, "key_message"),
	    .street = text_of(req, body, "street"),
	    .city = text_of(req, body, "city"),
	    .state = text_of(req, body, "state"),
	    .postal = text_of(req, body, "postal"),
	    .hours = text_of(req, body, "hours"),
	    .phone = text_of(req, body, "phone"),
	    .user_id = u->id,
	    .actor = actor(req),
	};
	struct block_errors errs;
	publish_lock();
	int64_t id = starter_create(api_db(), &in, &errs);
	struct community *c = id > 0 ? community_get(api_db(), req->arena, in.slug) : NULL;
	json_t *j = NULL;
	if (c) {
		console_audit(req, "community_create", "community", in.slug, NULL,
		              arena_printf(req->arena,
		                           "{\"slug\":\"%s\",\"languages\":\"%s\",\"via\":\"api\"}", c->slug,
		                           c->languages));
		refresh(req, c->slug, NULL, 0);
		j = apicomm_detail(req, c);
	}
	publish_unlock();
	if (id < 0) {
		for (size_t i = 0; i < errs.n; i++) {
			if (!*errs.e[i].field) {
				json_decref(errors);
				return api_error(req, resp, 500, NULL,
				                 "Nothing was created (see the server log).");
			}
			if (strcmp(errs.e[i].key, "err_community_slug_taken") == 0) {
				json_decref(errors);
				return api_error(req, resp, 409, "slug", T(req, errs.e[i].key));
			}
			const char *f = strcmp(errs.e[i].field, "langs") == 0 ? "languages" : errs.e[i].field;
			field_error(errors, f, T(req, errs.e[i].key));
		}
		log_warn("api: %s could not create community '%s': %zu field(s) to fix", u->email, in.slug,
		         errs.n);
		return api_invalid(req, resp, errors);
	}
	json_decref(errors);
	if (!j)
		return api_error(req, resp, 500, NULL,
		                 "The page was created but cannot be shown (see the server log).");
	log_info("api: community %s created by %s", in.slug, u->email);
	resp->location = arena_printf(req->arena, "/api/v1/communities/%s", in.slug);
	return api_json(req, resp, 201, j);
}
