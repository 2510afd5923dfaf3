/* The route table: method, pattern, handler, flags. Public GETs are answered from the page cache,
 * which holds every published page (rendered at start-up and on publish); the table handles the
 * rest: health, static assets, media files, redirects and 404/405 pages. */
#include "app/routes.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/account.h"
#include "app/admin.h"
#include "app/api.h"
#include "app/apicomm.h"
#include "app/apicommwrite.h"
#include "app/apilib.h"
#include "app/apiwrite.h"
#include "app/auditlog.h"
#include "app/auth.h"
#include "app/cache.h"
#include "app/communityadmin.h"
#include "app/edit.h"
#include "app/hotlines.h"
#include "app/hsdsapi.h"
#include "app/metrics.h"
#include "app/search.h"
#include "app/settings.h"
#include "app/signin.h"
#include "app/site.h"
#include "app/topics.h"
#include "app/upload.h"
#include "base/log.h"
#include "base/util.h"
#include "http/router.h"

static const char *media_dir = "content/media";

void routes_set_media(const char *dir)
{
	media_dir = dir;
}

const struct header routes_security_headers[] = {
    {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};
const size_t routes_nsecurity_headers = sizeof(routes_security_headers) / sizeof(routes_security_headers[0]);

static const char *lang_of(const char *path)
{
	return strncmp(path, "/es/", 4) == 0 || strcmp(path, "/es") == 0 ? "es" : "en";
}

static void serve_error(struct response *resp, int status, const char *lang)
{
	char key[32];
	snprintf(key, sizeof(key), "error:%d:%s", status, lang);
	struct cache_entry *e = cache_get(key);
	if (e) {
		cache_serve(e, resp, 0); /* made with both variants (warm.c): nothing to make */
	} else {
		struct buf b = BUF_INIT;
		site_render_error(status, lang, &b);
		response_html(resp, status, b.p, b.len);
		buf_free(&b);
	}
	resp->status = status;
	resp->cache_control = "no-store";
}

void routes_error_page(struct response *resp, int status, const char *lang)
{
	serve_error(resp, status, lang);
}

void routes_error(struct request *req, struct response *resp, int status, void *ctx)
{
	(void)ctx;
	log_warn("refused %s \"%s %.80s\" %d", req->remote, req->method_name, req->path, status);
	if (status == 413 && upload_too_large(req, resp))
		return;
	if (status == 413 && strncmp(req->path, "/api/", 5) == 0) {
		api_error(req, resp, 413, "body", "The body is too large: the limit is 1 MB.");
		return;
	}
	serve_error(resp, status, lang_of(req->path));
}

size_t routes_body_limit(struct request *req, void *ctx)
{
	(void)ctx;
	return upload_body_limit(req);
}

/* "ok", or "degraded" naming how many pages failed to render (they answer 500 pages with the crisis
 * lines; the log says why), with the warming progress while it runs. Still 200: the instance serves,
 * and a balancer should keep it. */
static int h_health(struct request *req, struct response *resp)
{
	(void)req;
	struct buf b = BUF_INIT;
	site_health(&b);
	response_text(resp, 200, b.p);
	buf_free(&b);
	resp->cache_control = "no-store";
	return 200;
}

/* A public page that is not in the cache is rendered now when it is one not warm yet (start-up, or
 * dropped by a publish), else it does not exist: once warm, the public path never needs the
 * database. A stray trailing slash gets a redirect to the page without it. */
static int h_page(struct request *req, struct response *resp)
{
	size_t n = strlen(req->path);
	if (n > 1 && req->path[n - 1] == '/') {
		char *bare = arena_strndup(req->arena, req->path, n - 1);
		/* While warming, the page may not be rendered yet: site_fill renders it (the redirect's
		 * next request wants it anyway), so the answer is the 301 it is once warm. */
		struct cache_entry *e = site_fill(bare);
		if (e) {
			cache_entry_release(e);
			resp->status = 301;
			resp->location = bare;
			resp->cache_control = "public, max-age=3600";
			return 301;
		}
	}
	/* A community created from the command line while serving: rendered now, then from the cache. */
	struct cache_entry *e = site_fill(req->path);
	if (e) {
		cache_serve(e, resp, req->accept);
		return resp->status;
	}
	serve_error(resp, 404, lang_of(req->path));
	return 404;
}

static int h_redirect(struct request *req, struct response *resp)
{
	(void)req;
	resp->status = 301;
	resp->location = "/es/";
	resp->cache_control = "public, max-age=3600";
	return 301;
}

static int h_static(struct request *req, struct response *resp)
{
	const char *name = request_param(req, "*");
	char key[512];
	snprintf(key, sizeof(key), "static/%s", name ? name : "");
	struct cache_entry *e = cache_get(key);
	if (!e) {
		serve_error(resp, 404, "en");
		return 404;
	}
	cache_serve(e, resp, req->accept);
	/* An old hash still gets the file, but must not be cached as immutable. */
	const char *hash = request_param(req, "hash");
	if (!hash || strcmp(hash, site_asset_base() + strlen("/static/")) != 0)
		resp->cache_control = "no-cache";
	return 200;
}

static int h_media(struct request *req, struct response *resp)
{
	const char *file = request_param(req, "file");
	if (!file || file[0] == '.' || strchr(file, '/') || strchr(file, '\\')) {
		serve_error(resp, 404, "en");
		return 404;
	}
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", media_dir, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		serve_error(resp, 404, "en");
		return 404;
	}
	resp->fd = fd;
	resp->fd_len = (uint64_t)st.st_size;
	resp->ranges = true;
	resp->content_type = mime_for(file);
	resp->cache_control = "public, max-age=86400";
	resp->etag = arena_printf(req->arena, "\"%" PRIx64 "-%" PRIx64 "\"", (uint64_t)st.st_size,
	                          (uint64_t)st.st_mtime);
	return 200;
}

/* /metrics on the public address: only with the metrics token, else it is not there. */
static int h_metrics(struct request *req, struct response *resp)
{
	if (metrics_allowed(req))
		return metrics_serve(req, resp);
	serve_error(resp, 404, "en");
	return 404;
}

static int h_api_miss(struct request *req, struct response *resp);

static int h_admin(struct request *req, struct response *resp)
{
	(void)req;
	resp->status = 301;
	resp->location = "/admin/";
	return 301;
}

/* The last column says who may call a route: PUBLIC, or the admin side's AUTH_* flags (app/auth.h),
 * checked by auth_guard before the handler runs; no flag at all is nobody. */
enum { PUBLIC = 1 };
#define SETUP   (AUTH_PWCHANGE | AUTH_ENROL) /* reachable while a password change or enrolment is due */
#define LIBRARY (AUTH_ADMIN | AUTH_EDITOR | AUTH_REVIEWER) /* the national library: not community editors */
#define WRITERS (AUTH_ADMIN | AUTH_EDITOR)

/* Order matters: the first row whose pattern and method match wins. Public pages (h_page rows) are
 * answered from the page cache before this table is consulted. */
/* clang-format off */
static const struct route routes[] = {
	{HTTP_GET,  "/admin",               h_admin,                 PUBLIC},
	{HTTP_GET,  "/admin/",              admin_dashboard,         AUTH_STAFF},
	{HTTP_GET,  "/admin/login",         signin_form,             AUTH_ANON},
	{HTTP_POST, "/admin/login",         signin_submit,           AUTH_ANON},
	{HTTP_GET,  "/admin/login/code",    signin_code_form,        AUTH_CODE | AUTH_STAFF | SETUP},
	{HTTP_POST, "/admin/login/code",    signin_code_submit,      AUTH_CODE | AUTH_STAFF | SETUP},
	{HTTP_POST, "/admin/logout",        signin_logout,           AUTH_CODE | AUTH_STAFF | SETUP},
	{HTTP_GET,  "/admin/password",      account_password_form,   AUTH_STAFF | SETUP},
	{HTTP_POST, "/admin/password",      account_password_submit, AUTH_STAFF | SETUP},
	{HTTP_GET,  "/admin/totp",          account_totp_form,       AUTH_STAFF | AUTH_ENROL},
	{HTTP_POST, "/admin/totp",          account_totp_submit,     AUTH_STAFF | AUTH_ENROL},
	{HTTP_GET,  "/admin/users",         admin_users,             AUTH_ADMIN},
	{HTTP_POST, "/admin/users/:id/role", admin_user_role,        AUTH_ADMIN},
	{HTTP_GET,  "/admin/resources",     edit_list,               LIBRARY},
	{HTTP_GET,  "/admin/resources/new", edit_new_form,           WRITERS},
	{HTTP_POST, "/admin/resources/new", edit_new_submit,         WRITERS},
	{HTTP_GET,  "/admin/resources/:slug", edit_form,             LIBRARY},
	{HTTP_POST, "/admin/resources/:slug", edit_submit,           LIBRARY},
	{HTTP_POST, "/admin/resources/:slug/preview", edit_preview,  LIBRARY},
	{HTTP_GET,  "/admin/resources/:slug/revisions", edit_revisions, LIBRARY},
	{HTTP_GET,  "/admin/resources/:slug/compare", edit_compare,  LIBRARY},
	{HTTP_POST, "/admin/resources/:slug/restore", edit_restore,  WRITERS},
	{HTTP_GET,  "/admin/uploads",       upload_page,             AUTH_STAFF},
	{HTTP_POST, "/admin/uploads",       upload_submit,           AUTH_STAFF},
	/* hotlines, topics, audit and settings (console-misc); "new" rows before ":slug" */
	{HTTP_GET,  "/admin/hotlines",              hotlines_list,    AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/hotlines/new",          hotlines_new,     AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/hotlines/new",          hotlines_create,  AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/hotlines/:slug",        hotlines_edit,    AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/hotlines/:slug",        hotlines_update,  AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/hotlines/:slug/retire", hotlines_retire,  AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/hotlines/:slug/restore", hotlines_restore, AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/topics",                topics_list,      AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/topics/new",            topics_new,       AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/topics/new",            topics_create,    AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/topics/:slug",          topics_edit,      AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/topics/:slug",          topics_update,    AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/audit",                 auditlog_page,    AUTH_ADMIN},
	{HTTP_GET,  "/admin/settings",              settings_form,    AUTH_ADMIN},
	{HTTP_POST, "/admin/settings",              settings_save,    AUTH_ADMIN},
	{HTTP_GET,  "/admin/communities",   communityadmin_list,     AUTH_STAFF},
	{HTTP_GET,  "/admin/communities/new", communityadmin_new,    AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/communities/new", communityadmin_create, AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/communities/:slug", communityadmin_show, AUTH_STAFF},
	{HTTP_POST, "/admin/communities/:slug", communityadmin_settings, AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/communities/:slug/publish", communityadmin_publish, AUTH_STAFF},
	{HTTP_POST, "/admin/communities/:slug/editors", communityadmin_editors, AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_POST, "/admin/communities/:slug/archive", communityadmin_archive, AUTH_ADMIN | AUTH_EDITOR},
	{HTTP_GET,  "/admin/communities/:slug/:block/:lang", communityadmin_block, AUTH_STAFF},
	{HTTP_POST, "/admin/communities/:slug/:block/:lang", communityadmin_block_save, AUTH_ADMIN | AUTH_EDITOR | AUTH_COMMUNITY},
	{HTTP_GET,  "/admin/alert",         communityadmin_alert,    AUTH_ADMIN},
	{HTTP_POST, "/admin/alert",         communityadmin_alert_save, AUTH_ADMIN},
	{HTTP_GET | HTTP_POST, "/admin/*",  admin_not_found,         AUTH_STAFF},
	/* The JSON API (app/api.h): public reads (CORS) and, on API_TOKEN rows, staff writes with a bearer
	 * token whose account has one of the row's roles. HSDS comes as rows here. */
	{HTTP_GET,  "/api/v1",                           api_index,         PUBLIC},
	{HTTP_GET,  "/api/v1/",                          api_index,         PUBLIC},
	{HTTP_GET,  "/api/v1/openapi.json",              api_openapi,       PUBLIC},
	{HTTP_GET,  "/api/v1/sections",                  apilib_sections,   PUBLIC},
	{HTTP_GET,  "/api/v1/sections/:slug",            apilib_section,    PUBLIC},
	{HTTP_GET,  "/api/v1/topics",                    apilib_topics,     PUBLIC},
	{HTTP_GET,  "/api/v1/topics/:slug",              apilib_topic,      PUBLIC},
	{HTTP_GET,  "/api/v1/resources",                 apilib_resources,  PUBLIC},
	{HTTP_GET,  "/api/v1/resources/:slug",           apilib_resource,   PUBLIC},
	{HTTP_GET,  "/api/v1/hotlines",                  apilib_hotlines,   PUBLIC},
	{HTTP_GET,  "/api/v1/hotlines/:slug",            apilib_hotline,    PUBLIC},
	{HTTP_GET,  "/api/v1/me",                        apiwrite_me,       API_TOKEN | AUTH_STAFF},
	{HTTP_GET,  "/api/v1/resources/:slug/draft",     apiwrite_draft,    API_TOKEN | LIBRARY},
	{HTTP_POST, "/api/v1/resources/:slug/revisions", apiwrite_revision, API_TOKEN | WRITERS},
	{HTTP_POST, "/api/v1/resources/:slug/publish",   apiwrite_publish,  API_TOKEN | AUTH_ADMIN | AUTH_REVIEWER},
	/* Community pages: public reads; staff writes checked again per community (auth_can). */
	{HTTP_GET,  "/api/v1/communities",               apicomm_list,      PUBLIC},
	{HTTP_POST, "/api/v1/communities",               apicomm_create,    API_TOKEN | WRITERS},
	{HTTP_GET,  "/api/v1/communities/:slug",         apicomm_get,       PUBLIC},
	{HTTP_POST, "/api/v1/communities/:slug/updates", apicomm_update,    API_TOKEN | WRITERS | AUTH_COMMUNITY},
	{HTTP_POST, "/api/v1/communities/:slug/events",  apicomm_event,     API_TOKEN | WRITERS | AUTH_COMMUNITY},
	{HTTP_POST, "/api/v1/communities/:slug/publish", apicomm_publish,   API_TOKEN | AUTH_STAFF},
	{HTTP_GET | HTTP_POST | HTTP_PUT | HTTP_DELETE | HTTP_OTHER, "/api/*", h_api_miss, PUBLIC},
	/* Open data: the community pages' local services as an Open Referral HSDS 3.0 API (app/hsdsapi.h),
	 * public reads like the API's (CORS, ETag); a miss under /hsds/ is answered like one under /api/. */
	{HTTP_GET,  "/hsds",                             hsdsapi_root,      PUBLIC},
	{HTTP_GET,  "/hsds/",                            hsdsapi_root,      PUBLIC},
	{HTTP_GET,  "/hsds/openapi.json",                hsdsapi_openapi,   PUBLIC},
	{HTTP_GET,  "/hsds/services",                    hsdsapi_services,  PUBLIC},
	{HTTP_GET,  "/hsds/services/:id",                hsdsapi_service,   PUBLIC},
	{HTTP_GET,  "/hsds/organizations",               hsdsapi_organizations, PUBLIC},
	{HTTP_GET,  "/hsds/organizations/:id",           hsdsapi_organization, PUBLIC},
	{HTTP_GET,  "/hsds/service_at_locations",        hsdsapi_service_at_locations, PUBLIC},
	{HTTP_GET,  "/hsds/service_at_locations/:id",    hsdsapi_service_at_location, PUBLIC},
	{HTTP_GET | HTTP_POST | HTTP_PUT | HTTP_DELETE | HTTP_OTHER, "/hsds/*", h_api_miss, PUBLIC},
	{HTTP_POST | HTTP_PUT | HTTP_DELETE | HTTP_OTHER, "/hsds", h_api_miss, PUBLIC},
	{HTTP_GET, "/healthz",             h_health,   PUBLIC},
	{HTTP_GET, "/metrics",             h_metrics,  PUBLIC},
	{HTTP_GET, "/",                    h_page,     PUBLIC},
	{HTTP_GET, "/es",                  h_redirect, PUBLIC},
	{HTTP_GET, "/es/",                 h_page,     PUBLIC},
	{HTTP_GET, "/static/:hash/*",      h_static,   PUBLIC},
	{HTTP_GET, "/media/:file",         h_media,    PUBLIC},
	{HTTP_GET, "/media/u/:file",       upload_serve, PUBLIC},
	{HTTP_GET, "/search",              search_page, PUBLIC},
	{HTTP_GET, "/es/search",           search_page, PUBLIC},
	{HTTP_GET, "/resources/:slug",     h_page,     PUBLIC},
	{HTTP_GET, "/es/resources/:slug",  h_page,     PUBLIC},
	{HTTP_GET, "/resources/:slug/",    h_page,     PUBLIC},
	{HTTP_GET, "/es/resources/:slug/", h_page,     PUBLIC},
	{HTTP_GET, "/c/*",                 h_page,     PUBLIC},
	{HTTP_GET, "/:lang/c/*",           h_page,     PUBLIC},
	{HTTP_GET, "/:section",            h_page,     PUBLIC},
	{HTTP_GET, "/es/:section",         h_page,     PUBLIC},
	{HTTP_GET, "/:section/",           h_page,     PUBLIC},
	{HTTP_GET, "/es/:section/",        h_page,     PUBLIC},
};
/* clang-format on */

/* Under /api/ or /hsds and no row took it: a CORS preflight (OPTIONS) for a public read, a method the
 * path does not take (405, with the methods it does), or no endpoint at all (404). JSON, like the API. */
static int h_api_miss(struct request *req, struct response *resp)
{
	const char *prefix = strncmp(req->path, "/hsds", 5) == 0 ? "/hsds" : "/api/";
	unsigned allowed = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (routes[i].fn != h_api_miss && strncmp(routes[i].pattern, prefix, strlen(prefix)) == 0 &&
		    router_match_one(routes[i].pattern, req->path, NULL))
			allowed |= routes[i].methods;
	if (!allowed)
		return prefix[1] == 'h' ? hsdsapi_not_found(req, resp) : api_not_found(req, resp);
	if (strcmp(req->method_name, "OPTIONS") == 0 && (allowed & HTTP_GET))
		return api_preflight(req, resp);
	return api_bad_method(req, resp,
	                      (allowed & HTTP_POST) && (allowed & HTTP_GET) ? "GET, HEAD, POST"
	                      : allowed & HTTP_POST                         ? "POST"
	                                                                    : "GET, HEAD");
}

int routes_lookup(struct request *req, struct response *resp, void *ctx)
{
	(void)ctx;
	struct cache_entry *e = cache_get(req->path);
	if (!e)
		return 0;
	if (!cache_entry_ready(e, req->accept)) { /* a variant to make: not on the fast path's loop */
		cache_entry_release(e);
		return 0;
	}
	cache_serve(e, resp, req->accept);
	return 1;
}

void routes_served(const struct request *req, void *ctx)
{
	(void)ctx;
	metrics_cache(req->path, true);
}

void routes_handle(struct request *req, struct response *resp, void *ctx)
{
	(void)ctx;
	if (req->method & (HTTP_GET | HTTP_HEAD)) {
		struct cache_entry *e = cache_get(req->path);
		metrics_cache(req->path, e != NULL);
		if (e) {
			cache_serve(e, resp, req->accept);
			return;
		}
	}
	const struct route *r;
	switch (router_match(routes, sizeof(routes) / sizeof(routes[0]), req, &r)) {
	case ROUTE_FOUND:
		if (r->flags & PUBLIC || (r->flags & API_TOKEN ? api_guard(req, resp, r->flags)
		                                               : auth_guard(req, resp, r->flags)) == 0)
			r->fn(req, resp);
		break;
	case ROUTE_BAD_METHOD:
		serve_error(resp, 405, lang_of(req->path));
		response_header(resp, "Allow", "GET, HEAD");
		break;
	case ROUTE_NOT_FOUND: serve_error(resp, 404, lang_of(req->path)); break;
	}
}
