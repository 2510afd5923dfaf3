/* The public reads of the library. Lists page by id (a cursor) or by offset; a resource that cannot be
 * shown (stored text that is not UTF-8) is left out of lists and logged, and its own address answers
 * 500: nothing broken is served as a success. Reads take publish_lock so they never see half of a
 * publish on the shared connection. */
#include "app/apilib.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/api.h"
#include "app/publish.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/util.h"
#include "model/catalog.h"
#include "model/hotline.h"
#include "model/section.h"
#include "model/topic.h"
#include "view/i18n.h"
#include "view/markdown.h"

enum { LIMIT_DEFAULT = 20, LIMIT_MAX = 100 };

static const char *const langs[2] = {"en", "es"};
static const char *const stages[] = {"first-days", "weeks-months", "long-term", "any", NULL};

/* A JSON string, or null for NULL. (Invalid UTF-8 gives NULL: the caller's pack then fails.) */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *both(const char *en, const char *es)
{
	return json_pack("{s:s, s:s}", "en", en ? en : "", "es", es ? es : "");
}

static bool one_of(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

static const char *lang_prefix(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es" : "";
}

/* ---- sections ---- */

static json_t *section_json(struct request *req, const char *slug, size_t position)
{
	const char *title[2], *summary[2], *url[2];
	for (size_t l = 0; l < 2; l++) {
		title[l] = i18n_get(langs[l], arena_printf(req->arena, "section_%s", slug));
		summary[l] = i18n_get(langs[l], arena_printf(req->arena, "section_%s_summary", slug));
		url[l] = api_site_url(req, arena_printf(req->arena, "%s/%s", lang_prefix(langs[l]), slug));
	}
	return json_pack("{s:s, s:i, s:o, s:o, s:o, s:{s:s, s:s}}", "slug", slug, "position", (int)position,
	                 "title", both(title[0], title[1]), "summary", both(summary[0], summary[1]), "url",
	                 both(url[0], url[1]), "links", "self",
	                 arena_printf(req->arena, "/api/v1/sections/%s", slug), "resources",
	                 arena_printf(req->arena, "/api/v1/resources?section=%s", slug));
}

int apilib_sections(struct request *req, struct response *resp)
{
	json_t *data = json_array();
	for (size_t i = 0; i < 4; i++)
		json_array_append_new(data, section_json(req, section_slugs[i], i + 1));
	return api_json(req, resp, 200, json_pack("{s:o}", "data", data));
}

static json_t *topic_json(struct request *req, const struct topic_all *t)
{
	return json_pack("{s:s, s:s, s:i, s:o, s:o, s:{s:s, s:s}}", "slug", t->slug, "section", t->section,
	                 "position", t->position, "title", both(t->title[0], t->title[1]), "summary",
	                 both(t->summary[0], t->summary[1]), "links", "self",
	                 arena_printf(req->arena, "/api/v1/topics/%s", t->slug), "resources",
	                 arena_printf(req->arena, "/api/v1/resources?topic=%s", t->slug));
}

/* The topics in service (of section, NULL for all), as JSON; NULL when one cannot be shown. */
static json_t *topics_json(struct request *req, const char *section)
{
	struct topic_all *ts;
	publish_lock();
	size_t n = topic_list_all(api_db(), req->arena, &ts);
	publish_unlock();
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (ts[i].retired || (section && strcmp(ts[i].section, section) != 0))
			continue;
		json_t *t = topic_json(req, &ts[i]);
		if (!t) {
			log_error("api: topic %s cannot be shown (text not valid UTF-8)", ts[i].slug);
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, t);
	}
	return arr;
}

int apilib_section(struct request *req, struct response *resp)
{
	const char *slug = request_param(req, "slug");
	size_t i = 0;
	while (i < 4 && strcmp(section_slugs[i], slug) != 0)
		i++;
	if (i == 4)
		return api_error(req, resp, 404, "slug", "There is no such section.");
	json_t *s = section_json(req, slug, i + 1), *topics = topics_json(req, slug);
	if (!s || !topics) {
		json_decref(s);
		json_decref(topics);
		return api_error(req, resp, 500, NULL, "The section cannot be shown (see the server log).");
	}
	json_object_set_new(s, "topics", topics);
	return api_json(req, resp, 200, s);
}

/* ---- topics ---- */

int apilib_topics(struct request *req, struct response *resp)
{
	const char *section = request_query(req, "section");
	if (section && !section_valid(section))
		return api_error(req, resp, 400, "section", "There is no such section.");
	json_t *data = topics_json(req, section);
	if (!data)
		return api_error(req, resp, 500, NULL, "The topics cannot be shown (see the server log).");
	return api_json(req, resp, 200, json_pack("{s:o}", "data", data));
}

int apilib_topic(struct request *req, struct response *resp)
{
	const char *slug = request_param(req, "slug");
	publish_lock();
	struct topic_all *t = slug_valid(str_c(slug)) ? topic_get_all(api_db(), req->arena, slug) : NULL;
	publish_unlock();
	if (!t || t->retired)
		return api_error(req, resp, 404, "slug", "There is no such topic.");
	json_t *j = topic_json(req, t);
	if (!j)
		return api_error(req, resp, 500, NULL, "The topic cannot be shown (see the server log).");
	return api_json(req, resp, 200, j);
}

/* ---- resources ---- */

/* The fields every listing shows; review only when a clinical review really took place. */
static json_t *resource_summary(struct request *req, const struct resource *r, const char *created,
                                const char *updated)
{
	json_t *j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:s, s:{s:s}}", "slug", r->slug,
	    "lang", r->lang, "section", r->section, "topic", r->topic, "type", r->type, "stage", r->stage,
	    "title", r->title, "summary", r->summary, "checked", r->checked, "version",
	    (json_int_t)r->version, "created_at", str_or_null(created), "updated_at", str_or_null(updated),
	    "url",
	    api_site_url(req, arena_printf(req->arena, "%s/resources/%s", lang_prefix(r->lang), r->slug)),
	    "links", "self", arena_printf(req->arena, "/api/v1/resources/%s", r->slug));
	if (j && r->reviewed_at && r->reviewer)
		json_object_set_new(j, "review",
		                    json_pack("{s:s, s:s}", "date", r->reviewed_at, "reviewer", r->reviewer));
	if (j && r->translation)
		json_object_set_new(j, "translation", json_string(r->translation));
	return j;
}

/* A query value checked against its rule; the message when it breaks it. */
struct rule {
	const char *name;
	const char *(*check)(const char *v);
	size_t offset; /* in struct catalog_filter */
};

static const char *check_section(const char *v)
{
	return section_valid(v) ? NULL : "There is no such section: see /api/v1/sections.";
}

static const char *check_slug(const char *v)
{
	return slug_valid(str_c(v)) ? NULL : "Not a slug (lower-case letters, digits and hyphens).";
}

static const char *check_stage(const char *v)
{
	return one_of(v, stages) ? NULL : "One of first-days, weeks-months, long-term, any.";
}

static const char *check_lang(const char *v)
{
	return strcmp(v, "en") == 0 || strcmp(v, "es") == 0 ? NULL : "One of en, es.";
}

const char *apilib_check_since(const char *v)
{
	size_t n = strlen(v);
	bool ok = (n == 10 || n == 20) && date_valid((struct str){v, 10});
	if (ok && n == 20) {
		int h, m, s, used = 0;
		ok = v[10] == 'T' && v[19] == 'Z' &&
		     sscanf(v + 11, "%2d:%2d:%2d%n", &h, &m, &s, &used) == 3 && used == 8 && v[13] == ':' &&
		     v[16] == ':' && h < 24 && m < 60 && s < 60 && strspn(v + 11, "0123456789:") == 8;
	}
	return ok ? NULL : "A date (2026-11-25) or a UTC time (2026-11-25T09:30:00Z).";
}

#define FILTER(f) offsetof(struct catalog_filter, f)
static const struct rule rules[] = {
    {"section", check_section, FILTER(section)},
    {"topic", check_slug, FILTER(topic)},
    {"stage", check_stage, FILTER(stage)},
    {"lang", check_lang, FILTER(lang)},
    {"updated_since", apilib_check_since, FILTER(since)},
};

int apilib_paging(struct request *req, struct response *resp, size_t *limit, size_t *offset,
                  int64_t *after_id)
{
	const char *l = request_query(req, "limit"), *o = request_query(req, "offset"),
	           *c = request_query(req, "cursor");
	int64_t n = l ? apilib_number(l, 1, LIMIT_MAX) : LIMIT_DEFAULT;
	if (n < 0)
		return api_error(req, resp, 400, "limit", "A whole number from 1 to 100 (default 20)."), -1;
	*limit = (size_t)n;
	if (o && c)
		return api_error(req, resp, 400, "cursor", "Page with cursor or with offset, not both."), -1;
	n = o ? apilib_number(o, 0, INT64_MAX) : 0;
	if (n < 0)
		return api_error(req, resp, 400, "offset", "A whole number from 0."), -1;
	*offset = (size_t)n;
	n = c ? apilib_number(c, 0, INT64_MAX) : 0;
	if (n < 0)
		return api_error(req, resp, 400, "cursor", "Not a cursor from this API (use next_cursor)."),
		       -1;
	*after_id = n;
	return 0;
}

int64_t apilib_number(const char *v, int64_t min, int64_t max)
{
	if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 18)
		return -1;
	int64_t n = strtoll(v, NULL, 10);
	return n < min || n > max ? -1 : n;
}

/* The query as a filter; -1 after answering 400 for the first bad value. */
static int read_filter(struct request *req, struct response *resp, struct catalog_filter *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const char *v = request_query(req, rules[i].name), *why = v ? rules[i].check(v) : NULL;
		if (why)
			return api_error(req, resp, 400, rules[i].name, why), -1;
		*(const char **)((char *)f + rules[i].offset) = v;
	}
	return apilib_paging(req, resp, &f->limit, &f->offset, &f->after_id);
}

/* The address of the next page: the same filters, the cursor after the last item. */
static const char *next_url(struct request *req, const struct catalog_filter *f, int64_t last_id)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/api/v1/resources?limit=%zu&cursor=%" PRId64, f->limit, last_id);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const char *v = *(const char *const *)((const char *)f + rules[i].offset);
		if (v) /* checked values: slugs, codes and times, nothing to encode */
			buf_printf(&b, "&%s=%s", rules[i].name, v);
	}
	const char *s = arena_strdup(req->arena, b.p);
	buf_free(&b);
	return s;
}

int apilib_resources(struct request *req, struct response *resp)
{
	struct catalog_filter f;
	if (read_filter(req, resp, &f) < 0)
		return resp->status;
	struct catalog_item *items;
	size_t total, want = f.limit;
	f.limit++; /* one more tells whether a next page exists */
	publish_lock();
	size_t n = catalog_resources(api_db(), req->arena, &f, &items, &total);
	publish_unlock();
	f.limit = want;
	bool more = n > want;
	if (more)
		n = want;
	json_t *data = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = items[i].r.invalid ? NULL
		                               : resource_summary(req, &items[i].r, items[i].created_at,
		                                                  items[i].updated_at);
		if (!j) {
			log_error("api: resource %s left out of a list: its text is not valid UTF-8",
			          items[i].r.slug);
			continue;
		}
		json_array_append_new(data, j);
	}
	json_t *paging = json_pack("{s:I, s:I, s:I}", "limit", (json_int_t)f.limit, "offset",
	                           (json_int_t)f.offset, "total", (json_int_t)total);
	const char *cursor = more ? arena_printf(req->arena, "%" PRId64, items[n - 1].r.id) : NULL;
	json_object_set_new(paging, "next_cursor", str_or_null(cursor));
	json_object_set_new(paging, "next", str_or_null(more ? next_url(req, &f, items[n - 1].r.id) : NULL));
	return api_json(req, resp, 200, json_pack("{s:o, s:o}", "data", data, "paging", paging));
}

static json_t *sources_json(const struct resource *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->nsources; i++)
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:o}", "title", r->sources[i].title, "url",
		                                r->sources[i].url, "lang", str_or_null(r->sources[i].lang)));
	return arr;
}

static json_t *strings_json(const char *const *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	return arr;
}

json_t *apilib_text(const struct resource *r)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "title",
	                 str_or_null(r->title), "summary", str_or_null(r->summary), "body",
	                 str_or_null(r->body), "topic", str_or_null(r->topic), "type", str_or_null(r->type),
	                 "stage", str_or_null(r->stage), "checked", str_or_null(r->checked), "translation",
	                 str_or_null(r->translation), "url", str_or_null(r->url), "video",
	                 str_or_null(r->video), "poster", str_or_null(r->poster), "captions",
	                 str_or_null(r->captions), "sources", sources_json(r), "hotlines",
	                 strings_json(r->hotlines, r->nhotlines));
}

/* Media a resource carries, as absolute addresses. */
static json_t *media_json(struct request *req, const struct resource *r)
{
	json_t *m = json_object();
	const char *names[] = {"video", "poster", "captions"}, *files[] = {r->video, r->poster, r->captions};
	for (size_t i = 0; i < 3; i++)
		if (files[i])
			json_object_set_new(
			    m, names[i],
			    json_string(api_site_url(req, arena_printf(req->arena, "/media/%s", files[i]))));
	if (r->url)
		json_object_set_new(m, "link", json_string(r->url));
	return m;
}

int apilib_resource(struct request *req, struct response *resp)
{
	const char *slug = request_param(req, "slug");
	if (!slug_valid(str_c(slug)))
		return api_error(req, resp, 404, "slug", "There is no such resource.");
	publish_lock();
	struct resource *r = resource_get(api_db(), req->arena, slug);
	const char *created = NULL, *updated = NULL;
	struct resource *t = NULL;
	if (r) {
		catalog_times(api_db(), req->arena, r->id, &created, &updated);
		t = r->translation ? resource_find(api_db(), req->arena, r->translation) : NULL;
	}
	publish_unlock();
	if (r && strcmp(r->status, "archived") == 0)
		return api_error(req, resp, 410, "slug", "This resource has been taken off the site.");
	if (!r || strcmp(r->status, "published") != 0)
		return api_error(req, resp, 404, "slug", "There is no such resource.");
	if (r->invalid) {
		log_error("api: resource %s: its %s is not valid UTF-8", r->slug, r->invalid);
		return api_error(req, resp, 500, NULL, "This resource cannot be shown (see the server log).");
	}
	if (!t || t->invalid)
		r->translation = NULL; /* only a published translation is named */
	json_t *j = resource_summary(req, r, created, updated);
	struct buf html = BUF_INIT;
	md_render(r->body, strlen(r->body), &html);
	if (j) {
		json_object_set_new(j, "body_markdown", json_string(r->body));
		json_object_set_new(j, "body_html", json_stringn(html.p ? html.p : "", html.len));
		json_object_set_new(j, "sources", sources_json(r));
		json_object_set_new(j, "hotlines", strings_json(r->hotlines, r->nhotlines));
		json_object_set_new(j, "media", media_json(req, r));
	}
	buf_free(&html);
	return api_json(req, resp, 200, j);
}

/* ---- hotlines ---- */

static json_t *hotline_json(const struct hotline_all *h)
{
	json_t *contacts = json_array();
	for (size_t i = 0; i < h->ncontacts; i++)
		json_array_append_new(contacts, json_pack("{s:s, s:s, s:o}", "kind", h->contacts[i].kind,
		                                          "value", h->contacts[i].value, "lang",
		                                          str_or_null(h->contacts[i].lang)));
	json_t *languages = json_array();
	for (const char *p = h->languages; p && *p;) {
		size_t n = strcspn(p, ",");
		json_array_append_new(languages, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:b, s:b, s:i}", "slug", h->slug, "name",
	                 both(h->name[0], h->name[1]), "audience", both(h->audience[0], h->audience[1]),
	                 "hours", both(h->hours[0], h->hours[1]), "contacts", contacts, "languages",
	                 languages, "verified", h->verified, "source", h->source, "featured", h->featured,
	                 "panel", h->panel, "position", h->position);
}

int apilib_hotlines(struct request *req, struct response *resp)
{
	struct hotline_all *hs;
	publish_lock();
	size_t n = hotline_list_all(api_db(), req->arena, &hs);
	publish_unlock();
	json_t *data = json_array();
	for (size_t i = 0; i < n; i++) {
		if (hs[i].retired)
			continue;
		json_t *h = hotline_json(&hs[i]);
		if (!h) {
			json_decref(data);
			log_error("api: hotline %s cannot be shown (text not valid UTF-8)", hs[i].slug);
			return api_error(req, resp, 500, NULL,
			                 "The hotlines cannot be shown (see the server log).");
		}
		json_array_append_new(data, h);
	}
	return api_json(req, resp, 200, json_pack("{s:o}", "data", data));
}

int apilib_hotline(struct request *req, struct response *resp)
{
	const char *slug = request_param(req, "slug");
	publish_lock();
	struct hotline_all *h = slug_valid(str_c(slug)) ? hotline_get_all(api_db(), req->arena, slug) : NULL;
	publish_unlock();
	if (!h || h->retired)
		return api_error(req, resp, 404, "slug", "There is no such hotline.");
	json_t *j = hotline_json(h);
	if (!j)
		return api_error(req, resp, 500, NULL, "The hotline cannot be shown (see the server log).");
	return api_json(req, resp, 200, j);
}
