/* Public reads of the community pages. A block is shown from its published JSON only, through its
 * field table (model/block.c): known fields, the languages the page offers, Markdown also as safe
 * HTML; drafts never leave the database here. Like the library reads, a value that cannot be shown
 * (a stored name that is not UTF-8) is logged and left out of lists, and its own address answers 500. */
#include "app/apicomm.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/api.h"
#include "app/apilib.h"
#include "app/community.h"
#include "app/publish.h"
#include "base/log.h"
#include "base/slug.h"
#include "view/i18n.h"
#include "view/markdown.h"

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "a\nb" (library slugs, one a line) as ["a", "b"]. */
static json_t *lines_json(const char *s)
{
	json_t *arr = json_array();
	for (const char *p = s ? s : ""; *p;) {
		size_t n = strcspn(p, "\n");
		if (n)
			json_array_append_new(arr, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	return arr;
}

static json_t *markdown_html(const char *md)
{
	struct buf b = BUF_INIT;
	md_render(md, strlen(md), &b);
	json_t *v = json_stringn(b.p ? b.p : "", b.len);
	buf_free(&b);
	return v;
}

/* The text fields of fs in t (one language's text): {name: text, <name>_html: safe HTML for Markdown}, or
 * NULL. */
static json_t *text_json(const struct block_field *fs, size_t nf, json_t *t)
{
	json_t *out = json_object();
	for (size_t i = 0; i < nf; i++) {
		const char *v = fs[i].text ? sget(t, fs[i].name) : NULL;
		if (!v)
			continue;
		json_object_set_new(out, fs[i].name, json_string(v));
		if (fs[i].type == FT_MARKDOWN) {
			char key[64];
			snprintf(key, sizeof(key), "%s_html", fs[i].name);
			json_object_set_new(out, key, markdown_html(v));
		}
	}
	if (json_object_size(out))
		return out;
	json_decref(out);
	return NULL;
}

/* The neutral fields of fs in obj, and "text" with the languages c offers (when fs has text). */
static json_t *fields_json(const struct block_field *fs, size_t nf, json_t *obj, const struct community *c)
{
	json_t *v = json_object();
	bool any_text = false;
	for (size_t i = 0; i < nf; i++) {
		any_text |= fs[i].text;
		json_t *val = fs[i].text ? NULL : json_object_get(obj, fs[i].name);
		if (!val)
			continue;
		if (fs[i].type == FT_SLUGS)
			json_object_set_new(v, fs[i].name, lines_json(json_string_value(val)));
		else
			json_object_set(v, fs[i].name, val);
	}
	if (!any_text)
		return v;
	json_t *texts = json_object(), *all = json_object_get(obj, "text");
	for (size_t l = 0; l < c->nlangs; l++) {
		json_t *t = text_json(fs, nf, json_object_get(all, c->langs[l]));
		if (t)
			json_object_set_new(texts, c->langs[l], t);
	}
	json_object_set_new(v, "text", texts);
	return v;
}

/* Stamps an object carries when they are set. */
static void stamps(json_t *v, json_t *obj, const char *const *names)
{
	for (; *names; names++)
		if (sget(obj, *names))
			json_object_set(v, *names, json_object_get(obj, *names));
}

json_t *apicomm_item_json(const struct block_kind *k, json_t *item, const struct community *c)
{
	json_t *v = fields_json(k->fields, k->nfields, item, c);
	stamps(v, item, (const char *const[]){"id", "created_at", "updated_at", NULL});
	return v;
}

/* Updates: pinned first, then newest date first (as the page lists them); events: by start. */
static int update_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int px = json_is_true(json_object_get(x, "pinned")), py = json_is_true(json_object_get(y, "pinned"));
	if (px != py)
		return py - px;
	const char *dx = sget(x, "date"), *dy = sget(y, "date");
	int c = strcmp(dy ? dy : "", dx ? dx : "");
	const char *ux = sget(x, "updated_at"), *uy = sget(y, "updated_at");
	return c ? c : strcmp(uy ? uy : "", ux ? ux : "");
}

static int event_cmp(const void *a, const void *b)
{
	const char *x = sget(*(json_t *const *)a, "start"), *y = sget(*(json_t *const *)b, "start");
	return strcmp(x ? x : "", y ? y : "");
}

static json_t *items_json(const struct block_kind *k, json_t *block, const struct community *c)
{
	json_t *items = json_object_get(block, "items");
	size_t n = json_array_size(items);
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	if (strcmp(k->name, "updates") == 0)
		qsort(v, n, sizeof(*v), update_cmp);
	else if (strcmp(k->name, "events") == 0)
		qsort(v, n, sizeof(*v), event_cmp);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, apicomm_item_json(k, v[i], c));
	free(v);
	return arr;
}

/* A published block: {published_at, items | its fields, updated_at}; null when never published. */
static json_t *block_json(const struct community_block *b, const struct community *c)
{
	const struct block_kind *k = b->kind;
	if (!b->published)
		return json_null();
	json_t *v = k->list ? fields_json(k->bfields, k->nbfields, b->published, c)
	                    : fields_json(k->fields, k->nfields, b->published, c);
	if (k->list)
		json_object_set_new(v, "items", items_json(k, b->published, c));
	stamps(v, b->published, (const char *const[]){"updated_at", NULL});
	json_object_set_new(v, "published_at", b->published_at ? json_string(b->published_at) : json_null());
	return v;
}

json_t *apicomm_urls(struct request *req, const struct community *c)
{
	json_t *urls = json_object();
	for (size_t l = 0; l < c->nlangs; l++)
		if (i18n_lang_valid(c->langs[l]))
			json_object_set_new(
			    urls, c->langs[l],
			    json_string(api_site_url(req, community_url(req->arena, c->langs[l], c->slug))));
	return urls;
}

/* What every listing shows; NULL when a stored value is not UTF-8. */
static json_t *summary_json(struct request *req, const struct community *c, const char *changed_at)
{
	json_t *langs = json_array();
	for (size_t l = 0; l < c->nlangs; l++)
		json_array_append_new(langs, json_string(c->langs[l]));
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:s, s:o, s:{s:s}}", "slug", c->slug,
	                 "name", c->name, "place", c->place ? c->place : "", "incident_date",
	                 c->incident_date ? json_string(c->incident_date) : json_null(), "timezone",
	                 c->timezone, "languages", langs, "status", c->status, "created_at", c->created_at,
	                 "updated_at", changed_at ? changed_at : c->updated_at, "url", apicomm_urls(req, c),
	                 "links", "self", arena_printf(req->arena, "/api/v1/communities/%s", c->slug));
}

json_t *apicomm_detail(struct request *req, const struct community *c)
{
	struct community_block *bs = arena_calloc(req->arena, block_nkinds, sizeof(*bs));
	if (community_blocks_published(api_db(), req->arena, c->id, bs) < 0) {
		log_error("api: community %s: its published blocks cannot be read", c->slug);
		return NULL;
	}
	json_t *j = summary_json(req, c, community_changed_at(api_db(), req->arena, c->id));
	if (!j) {
		log_error("api: community %s cannot be shown (a stored value is not valid UTF-8)", c->slug);
		return NULL;
	}
	json_t *blocks = json_object();
	for (size_t i = 0; i < block_nkinds; i++)
		json_object_set_new(blocks, block_kinds[i].name, block_json(&bs[i], c));
	json_object_set_new(j, "blocks", blocks);
	return j;
}

/* ---- the list */

/* The query as a filter; -1 after answering 400 for the first bad value. */
static int read_filter(struct request *req, struct response *resp, struct community_filter *f)
{
	memset(f, 0, sizeof(*f));
	const char *lang = request_query(req, "lang"), *since = request_query(req, "updated_since"),
	           *why = since ? apilib_check_since(since) : NULL;
	if (lang && !i18n_lang_valid(lang))
		return api_error(req, resp, 400, "lang", "A language the site has (en, es...)."), -1;
	if (why)
		return api_error(req, resp, 400, "updated_since", why), -1;
	f->lang = lang ? i18n_lang_canonical(lang) : NULL;
	f->since = since;
	return apilib_paging(req, resp, &f->limit, &f->offset, &f->after_id);
}

/* The next page's address: the same filters (checked values, nothing to encode), after last_id. */
static const char *next_url(struct request *req, const struct community_filter *f, int64_t last_id)
{
	return arena_printf(req->arena, "/api/v1/communities?limit=%zu&cursor=%" PRId64 "%s%s%s%s", f->limit,
	                    last_id, f->lang ? "&lang=" : "", f->lang ? f->lang : "",
	                    f->since ? "&updated_since=" : "", f->since ? f->since : "");
}

int apicomm_list(struct request *req, struct response *resp)
{
	struct community_filter f;
	if (read_filter(req, resp, &f) < 0)
		return resp->status;
	struct community_item *items;
	size_t total, want = f.limit;
	f.limit++; /* one more tells whether a next page exists */
	publish_lock();
	size_t n = community_list_public(api_db(), req->arena, &f, &items, &total);
	publish_unlock();
	f.limit = want;
	bool more = n > want;
	if (more)
		n = want;
	json_t *data = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = summary_json(req, &items[i].c, items[i].changed_at);
		if (!j) {
			log_error("api: community %s left out of a list: a stored value is not valid UTF-8",
			          items[i].c.slug);
			continue;
		}
		json_array_append_new(data, j);
	}
	json_t *paging = json_pack("{s:I, s:I, s:I}", "limit", (json_int_t)f.limit, "offset",
	                           (json_int_t)f.offset, "total", (json_int_t)total);
	json_object_set_new(paging, "next_cursor",
	                    more ? json_sprintf("%" PRId64, items[n - 1].c.id) : json_null());
	json_object_set_new(paging, "next",
	                    more ? json_string(next_url(req, &f, items[n - 1].c.id)) : json_null());
	return api_json(req, resp, 200, json_pack("{s:o, s:o}", "data", data, "paging", paging));
}

int apicomm_get(struct request *req, struct response *resp)
{
	const char *slug = request_param(req, "slug");
	publish_lock();
	struct community *c = slug_valid(str_c(slug)) ? community_get(api_db(), req->arena, slug) : NULL;
	bool shown = c && community_changed_at(api_db(), req->arena, c->id);
	json_t *j = shown ? apicomm_detail(req, c) : NULL;
	publish_unlock();
	if (!shown)
		return api_error(req, resp, 404, "slug", "There is no such community page.");
	if (!j)
		return api_error(req, resp, 500, NULL,
		                 "This community page cannot be shown (see the server log).");
	return api_json(req, resp, 200, j);
}
