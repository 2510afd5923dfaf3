/* The HSDS 3.0 endpoints. Each request reads the published services of the active communities (one
 * query, a few dozen services), filters and pages them here: the data is small, and a read can never
 * see a draft because only published blocks are read. Query parameters of the official API that this
 * data cannot honour (taxonomies, postcode areas, minimal, ndjson) answer 400 rather than being
 * silently ignored; parameters the official API does not name are ignored, as /api/v1 does. */
#include "app/hsdsapi.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/api.h"
#include "app/apilib.h"
#include "app/publish.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/fold.h"
#include "base/log.h"
#include "model/hsds.h"
#include "view/i18n.h"

#define HSDS_VERSION "3.0"
/* No HSDS profile: the canonical schema directory of HSDS 3.0 itself (docs/hsds/profiles.md). */
#define HSDS_PROFILE "https://github.com/openreferral/specification/tree/3.0/schema"
/* This API's document: the official one's paths and answers, limited to what is offered here. */
#define OPENAPI_FILE "templates/hsds/openapi.json"

enum { PER_PAGE_DEFAULT = 50, PER_PAGE_MAX = 100, PAGE_MAX = 1000000 };

struct query {
	const char *lang;
	struct buf words; /* the search text folded (base/fold.h); empty: no search */
	const char *org;  /* organization_id */
	const char *since;
	bool full, full_service;
	size_t page, per_page;
};

/* The official API's parameters this data cannot honour, and why. */
static const struct {
	const char *name, *why;
} unsupported[] = {
    {"taxonomy_id", "This API has no taxonomies."},
    {"taxonomy_term_id", "This API has no taxonomies."},
    {"postcode", "This API has no service areas: filter the locations' addresses yourself."},
    {"proximity", "This API has no service areas: filter the locations' addresses yourself."},
    {"minimal", "Not offered: list with per_page=100 and read last_modified."},
};

static bool uuid_shaped(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* A whole number in [min, max], or -1. */
static long number(const char *v, long min, long max)
{
	if (!v || !*v || strlen(v) > 9 || strspn(v, "0123456789") != strlen(v))
		return -1;
	long n = strtol(v, NULL, 10);
	return n < min || n > max ? -1 : n;
}

/* A boolean parameter into *out: 0, or -1 when it is neither true nor false. */
static int boolean(const char *v, bool *out)
{
	if (!v)
		return 0;
	if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return -1;
	*out = strcmp(v, "true") == 0;
	return 0;
}

static const char *langs_message(struct request *req)
{
	size_t n;
	const char *const *l = i18n_langs(&n);
	struct buf b = BUF_INIT;
	buf_puts(&b, "A language this site has: ");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l[i]);
	buf_puts(&b, " (default en).");
	const char *s = arena_strdup(req->arena, b.p);
	buf_free(&b);
	return s;
}

/* Read the query into q. 0, or -1 after answering 400 for the first bad parameter. */
static int read_query(struct request *req, struct response *resp, struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->page = 1, q->per_page = PER_PAGE_DEFAULT;
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (request_query(req, unsupported[i].name))
			return api_error(req, resp, 400, unsupported[i].name, unsupported[i].why), -1;
	const char *v = request_query(req, "format");
	if (v && strcmp(v, "json") != 0)
		return api_error(req, resp, 400, "format", "Only json is offered."), -1;
	v = request_query(req, "lang");
	q->lang = v ? i18n_lang_canonical(v) : "en";
	if (!q->lang)
		return api_error(req, resp, 400, "lang", langs_message(req)), -1;
	long n;
	if ((v = request_query(req, "page")) && (n = number(v, 1, PAGE_MAX)) < 0)
		return api_error(req, resp, 400, "page", "A whole number from 1 (default 1)."), -1;
	q->page = v ? (size_t)n : 1;
	if ((v = request_query(req, "per_page")) && (n = number(v, 1, PER_PAGE_MAX)) < 0)
		return api_error(req, resp, 400, "per_page", "A whole number from 1 to 100 (default 50)."),
		       -1;
	q->per_page = v ? (size_t)n : PER_PAGE_DEFAULT;
	if (boolean(request_query(req, "full"), &q->full) < 0)
		return api_error(req, resp, 400, "full", "true or false."), -1;
	if (boolean(request_query(req, "full_service"), &q->full_service) < 0)
		return api_error(req, resp, 400, "full_service", "true or false."), -1;
	q->org = request_query(req, "organization_id");
	if (q->org && !uuid_shaped(q->org))
		return api_error(req, resp, 400, "organization_id", "An organization's id (a UUID)."), -1;
	q->since = request_query(req, "modified_after");
	if (q->since && apilib_check_since(q->since))
		return api_error(req, resp, 400, "modified_after", apilib_check_since(q->since)), -1;
	if ((v = request_query(req, "search")))
		fold_words(v, strlen(v), &q->words);
	return 0;
}

/* ---- matching ---- */

static void hay_add(struct buf *hay, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (s) {
		fold_words(s, strlen(s), hay);
		buf_putc(hay, ' ');
	}
}

/* True when every search word is in the folded text of hay. */
static bool found(const struct query *q, struct buf *hay)
{
	bool all = true;
	for (const char *w = q->words.p; all && w && *w;) {
		size_t n = strcspn(w, " ");
		char word[256];
		snprintf(word, sizeof(word), "%.*s", (int)(n < 255 ? n : 255), w);
		all = hay->p && strstr(hay->p, word);
		w += n + (w[n] == ' ');
	}
	buf_free(hay);
	return all;
}

/* A service (of a service_at_location) against the search, organization and time filters. */
static bool service_matches(const struct query *q, json_t *s, json_t *location)
{
	const char *org = json_string_value(json_object_get(s, "organization_id")),
	           *at = json_string_value(json_object_get(s, "last_modified"));
	if (q->org && (!org || strcmp(org, q->org) != 0))
		return false;
	if (q->since && (!at || strcmp(at, q->since) < 0))
		return false;
	if (!q->words.len)
		return true;
	struct buf hay = BUF_INIT;
	hay_add(&hay, s, "name");
	hay_add(&hay, s, "description");
	hay_add(&hay, json_object_get(s, "organization"), "name");
	json_t *a = json_array_get(json_object_get(location, "addresses"), 0);
	hay_add(&hay, a, "address_1");
	hay_add(&hay, a, "city");
	hay_add(&hay, a, "postal_code");
	return found(q, &hay);
}

static bool organization_matches(const struct query *q, json_t *o)
{
	if (!q->words.len)
		return true;
	struct buf hay = BUF_INIT;
	hay_add(&hay, o, "name");
	hay_add(&hay, o, "description");
	return found(q, &hay);
}

/* ---- answers ---- */

/* The published services in q's language, or NULL after answering 500. */
static json_t *load(struct request *req, struct response *resp, const struct query *q)
{
	publish_lock();
	json_t *all = hsds_published(api_db(), q->lang);
	publish_unlock();
	if (!all)
		api_error(req, resp, 500, NULL, "The services cannot be shown (see the server log).");
	return all;
}

/* One page of items (consumed) as the official Page: total_items ... contents. */
static int page(struct request *req, struct response *resp, const struct query *q, json_t *items)
{
	size_t total = json_array_size(items), pages = (total + q->per_page - 1) / q->per_page;
	size_t from = (q->page - 1) * q->per_page;
	json_t *contents = json_array();
	for (size_t i = from; i < total && i < from + q->per_page; i++)
		json_array_append(contents, json_array_get(items, i));
	json_decref(items);
	size_t size = json_array_size(contents);
	return api_json(req, resp, 200,
	                json_pack("{s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:o}", "total_items",
	                          (json_int_t)total, "total_pages", (json_int_t)pages, "page_number",
	                          (json_int_t)q->page, "size", (json_int_t)size, "first_page", q->page == 1,
	                          "last_page", q->page >= pages, "empty", size == 0, "contents", contents));
}

static void query_free(struct query *q)
{
	buf_free(&q->words);
}

/* The id of a /{id} path, or NULL after answering 404 (not a UUID). Upper-case hex is accepted. */
static const char *path_id(struct request *req, struct response *resp, const char *what)
{
	const char *p = request_param(req, "id");
	char *id = arena_strdup(req->arena, p ? p : "");
	for (char *c = id; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'F' ? *c + 32 : *c);
	if (!uuid_shaped(id)) {
		api_error(req, resp, 404, "id",
		          arena_printf(req->arena,
		                       "There is no such %s: ids are UUIDs "
		                       "(such as 123e4567-e89b-42d3-a456-426614174000).",
		                       what));
		return NULL;
	}
	return id;
}

/* The member of arr whose "id" is id (borrowed), or NULL. */
static json_t *by_id(json_t *arr, const char *id)
{
	json_t *o;
	size_t i;
	json_array_foreach (arr, i, o) {
		const char *oid = json_string_value(json_object_get(o, "id"));
		if (oid && strcmp(oid, id) == 0)
			return o;
	}
	return NULL;
}

int hsdsapi_init(void)
{
	const struct embed_file *f = embed_find(OPENAPI_FILE);
	json_error_t e;
	json_t *doc = f ? json_loadb((const char *)f->data, f->len, 0, &e) : NULL;
	if (!doc)
		log_error("hsds: %s %s%s", OPENAPI_FILE, f ? "is not JSON: " : "is missing", f ? e.text : "");
	int rc = doc ? 0 : -1;
	json_decref(doc);
	return rc;
}

int hsdsapi_root(struct request *req, struct response *resp)
{
	return api_json(req, resp, 200,
	                json_pack("{s:s, s:s, s:s}", "version", HSDS_VERSION, "profile", HSDS_PROFILE,
	                          "openapi_url", api_site_url(req, "/hsds/openapi.json")));
}

int hsdsapi_openapi(struct request *req, struct response *resp)
{
	const struct embed_file *f = embed_find(OPENAPI_FILE); /* checked at start-up */
	(void)req;
	resp->status = 200;
	resp->content_type = "application/json";
	resp->compress = true;
	resp->ref.p = f->data;
	resp->ref.len = f->len;
	resp->cache_control = "public, max-age=300";
	api_cors(resp);
	return 200;
}

int hsdsapi_not_found(struct request *req, struct response *resp)
{
	return api_error(req, resp, 404, NULL,
	                 "There is no such endpoint: /hsds/ offers services, organizations and "
	                 "service_at_locations.");
}

/* An organization as /organizations/{id} shows it: its services with their one-to-one fields, or
 * whole with full_service. New reference. */
static json_t *organization_shown(json_t *o, bool full_service)
{
	json_t *c = json_deep_copy(o), *s, *services = json_array();
	size_t i;
	json_array_foreach (json_object_get(o, "services"), i, s)
		json_array_append_new(services, full_service ? json_incref(s) : hsds_one_to_one(s));
	json_object_set_new(c, "services", services);
	return c;
}

/* ---- the three kinds: a list (/services) and one by id (/services/{id}) each ---- */

struct kind {
	const char *what;                                      /* "service", in the 404 of a malformed id */
	const char *missing;                                   /* the 404 of an unknown id */
	json_t *(*rows)(json_t *all);                          /* of the published services; new reference */
	bool (*matches)(const struct query *q, json_t *row);   /* the list's filters */
	json_t *(*listed)(const struct query *q, json_t *row); /* as a list shows it; new reference */
	json_t *(*shown)(const struct query *q, json_t *row);  /* as /{id} shows it; new reference */
};

static json_t *services_rows(json_t *all)
{
	return json_incref(all);
}

static bool service_row_matches(const struct query *q, json_t *s)
{
	json_t *sal = json_array_get(json_object_get(s, "service_at_locations"), 0);
	return service_matches(q, s, json_object_get(sal, "location"));
}

static json_t *one_to_one_unless_full(const struct query *q, json_t *row)
{
	return q->full ? json_incref(row) : hsds_one_to_one(row);
}

static json_t *whole(const struct query *q, json_t *row)
{
	(void)q;
	return json_incref(row);
}

static bool organization_row_matches(const struct query *q, json_t *o)
{
	return organization_matches(q, o);
}

static json_t *organization_listed(const struct query *q, json_t *o)
{
	return q->full ? organization_shown(o, q->full_service) : hsds_one_to_one(o);
}

static json_t *organization_by_id(const struct query *q, json_t *o)
{
	return organization_shown(o, q->full_service);
}

static bool sal_matches(const struct query *q, json_t *sal)
{
	return service_matches(q, json_object_get(sal, "service"), json_object_get(sal, "location"));
}

static const struct kind services = {"service",
                                     "There is no such service (or it is no longer published).",
                                     services_rows,
                                     service_row_matches,
                                     one_to_one_unless_full,
                                     whole};
static const struct kind organizations = {
    "organization",      "There is no such organization (or none of its services is published).",
    hsds_organizations,  organization_row_matches,
    organization_listed, organization_by_id};
static const struct kind service_at_locations = {
    "service at a location",   "There is no such service at a location (or it is no longer published).",
    hsds_service_at_locations, sal_matches,
    one_to_one_unless_full,    whole};

static int list(struct request *req, struct response *resp, const struct kind *k)
{
	struct query q;
	json_t *all = read_query(req, resp, &q) == 0 ? load(req, resp, &q) : NULL, *row;
	if (!all)
		return query_free(&q), resp->status;
	json_t *rows = k->rows(all), *items = json_array();
	json_decref(all);
	size_t i;
	json_array_foreach (rows, i, row)
		if (k->matches(&q, row))
			json_array_append_new(items, k->listed(&q, row));
	json_decref(rows);
	int status = page(req, resp, &q, items);
	query_free(&q);
	return status;
}

static int one(struct request *req, struct response *resp, const struct kind *k)
{
	struct query q;
	const char *id = path_id(req, resp, k->what);
	json_t *all = id && read_query(req, resp, &q) == 0 ? load(req, resp, &q) : NULL;
	if (!id)
		return resp->status;
	if (!all)
		return query_free(&q), resp->status;
	json_t *rows = k->rows(all), *row = by_id(rows, id), *shown = row ? k->shown(&q, row) : NULL;
	json_decref(rows);
	json_decref(all);
	query_free(&q);
	if (!shown)
		return api_error(req, resp, 404, "id", k->missing);
	return api_json(req, resp, 200, shown);
}

int hsdsapi_services(struct request *req, struct response *resp)
{
	return list(req, resp, &services);
}

int hsdsapi_service(struct request *req, struct response *resp)
{
	return one(req, resp, &services);
}

int hsdsapi_organizations(struct request *req, struct response *resp)
{
	return list(req, resp, &organizations);
}

int hsdsapi_organization(struct request *req, struct response *resp)
{
	return one(req, resp, &organizations);
}

int hsdsapi_service_at_locations(struct request *req, struct response *resp)
{
	return list(req, resp, &service_at_locations);
}

int hsdsapi_service_at_location(struct request *req, struct response *resp)
{
	return one(req, resp, &service_at_locations);
}
