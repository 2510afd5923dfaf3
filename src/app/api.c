/* The JSON API's shared parts. Every answer is JSON (errors too, with the field at fault); public
 * reads carry CORS for any origin and no credentials; writes need a bearer token (api_guard), which
 * is looked up by its hash like a session and never logged. */
#include "app/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/auth.h"
#include "app/publish.h"
#include "app/secret.h"
#include "app/sitemap.h"
#include "base/embed.h"
#include "base/log.h"
#include "model/token.h"
#include "model/user.h"

#define OPENAPI_FILE "templates/api/openapi.json"
#define TOKEN_PREFIX "vrc_"

static struct {
	struct db *db;
	const struct embed_file *openapi;
} api;

int api_init(struct db *db)
{
	api.db = db;
	api.openapi = embed_find(OPENAPI_FILE);
	json_error_t e;
	json_t *doc =
	    api.openapi ? json_loadb((const char *)api.openapi->data, api.openapi->len, 0, &e) : NULL;
	if (!doc) {
		log_error("api: %s %s%s", OPENAPI_FILE, api.openapi ? "is not JSON: " : "is missing",
		          api.openapi ? e.text : "");
		return -1;
	}
	json_decref(doc);
	return 0;
}

struct db *api_db(void)
{
	return api.db;
}

const char *api_lang(const struct request *req)
{
	const char *al = request_header(req, "Accept-Language");
	return al && strncasecmp(al + strspn(al, " "), "es", 2) == 0 ? "es" : "en";
}

const char *api_site_url(struct request *req, const char *path)
{
	return sitemap_url(req->arena, path);
}

void api_cors(struct response *resp)
{
	response_header(resp, "Access-Control-Allow-Origin", "*");
	response_header(resp, "Access-Control-Expose-Headers", "ETag");
}

int api_json(struct request *req, struct response *resp, int status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text) {
		log_error("api: %s %s: the answer could not be written as JSON", req->method_name, req->path);
		status = 500;
		text = strdup("{\"error\":{\"status\":500,\"message\":\"The answer could not be built.\"}}");
	}
	response_clear_body(resp);
	resp->status = status;
	resp->content_type = "application/json";
	resp->compress = true;
	buf_puts(&resp->body, text);
	buf_putc(&resp->body, '\n');
	free(text);
	bool token = (auth_of(req)->user != NULL);
	if (token || !(req->method & (HTTP_GET | HTTP_HEAD)))
		resp->cache_control = "no-store";
	else
		resp->cache_control = status < 400 ? "public, max-age=60" : "no-store";
	if (!token && (req->method & (HTTP_GET | HTTP_HEAD)))
		api_cors(resp);
	return status;
}

int api_error(struct request *req, struct response *resp, int status, const char *field, const char *message)
{
	json_t *e = json_pack("{s:i, s:s}", "status", status, "message", message);
	if (field)
		json_object_set_new(e, "field", json_string(field));
	if (status >= 500)
		log_error("api: %s %s: %d %s", req->method_name, req->path, status, message);
	else
		log_warn("api: %s %s from %s: %d %s%s%s", req->method_name, req->path, req->remote, status,
		         field ? field : "", field ? ": " : "", message);
	return api_json(req, resp, status, json_pack("{s:o}", "error", e));
}

int api_invalid(struct request *req, struct response *resp, json_t *fields)
{
	json_t *first = json_array_get(fields, 0);
	const char *field = json_string_value(json_object_get(first, "field"));
	json_t *e = json_pack("{s:i, s:s, s:s, s:o}", "status", 422, "message",
	                      "Some fields need attention: see fields.", "field", field ? field : "",
	                      "fields", fields);
	log_warn("api: %s %s from %s: 422, %zu field(s) invalid, first %s", req->method_name, req->path,
	         req->remote, json_array_size(fields), field ? field : "-");
	return api_json(req, resp, 422, json_pack("{s:o}", "error", e));
}

/* ---- the token guard ---- */

static int unauthorized(struct request *req, struct response *resp, const char *why, bool invalid)
{
	response_header(resp, "WWW-Authenticate",
	                invalid ? "Bearer realm=\"vrc\", error=\"invalid_token\"" : "Bearer realm=\"vrc\"");
	return api_error(req, resp, 401, "Authorization", why);
}

/* The token of an "Authorization: Bearer vrc_..." header, or NULL. */
static const char *bearer(const struct request *req)
{
	const char *h = request_header(req, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	h += strspn(h, " ");
	return h;
}

static bool token_shaped(const char *t)
{
	size_t n = strlen(TOKEN_PREFIX);
	return strncmp(t, TOKEN_PREFIX, n) == 0 && strlen(t) == n + SECRET_TOKEN_LEN &&
	       strspn(t + n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	           SECRET_TOKEN_LEN;
}

int api_guard(struct request *req, struct response *resp, unsigned flags)
{
	resp->cache_control = "no-store";
	const char *token = bearer(req);
	if (!token)
		return unauthorized(req, resp, "This needs a staff token: Authorization: Bearer <token>.",
		                    false);
	if (!token_shaped(token))
		return unauthorized(req, resp, "The token is not valid.", true);
	char hash[SECRET_HASH_LEN + 1];
	secret_hash(token, NULL, hash);
	publish_lock();
	struct api_token *t = token_find(api.db, req->arena, hash);
	struct user *u = t ? user_find(api.db, req->arena, t->user_id) : NULL;
	if (u && !u->disabled)
		token_touch(api.db, t->id);
	publish_unlock();
	if (!u || u->disabled)
		return unauthorized(req, resp, "The token is not valid, or has been revoked.", true);
	if (!(flags & auth_role_bit(u->role)))
		return api_error(req, resp, 403, "Authorization",
		                 "This token's account may not do this (its role does not allow it).");
	struct auth *st = auth_of(req);
	st->user = u;
	st->lang = api_lang(req);
	log_info("api: %s %s by token %lld (%s)", req->method_name, req->path, (long long)t->id, u->email);
	return 0;
}

json_t *api_body(struct request *req, struct response *resp)
{
	const char *type = request_header(req, "Content-Type");
	if (!type || strncasecmp(type, "application/json", 16) != 0 || (type[16] && type[16] != ';')) {
		api_error(req, resp, 415, "Content-Type", "Send the body as application/json.");
		return NULL;
	}
	json_error_t e;
	json_t *v = req->body ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e) : NULL;
	if (!json_is_object(v)) {
		json_decref(v);
		api_error(req, resp, 400, "body",
		          req->body ? "The body is not a JSON object."
		                    : "The body is missing: send a JSON object.");
		return NULL;
	}
	return v;
}

/* ---- index, document, preflight, misses ---- */

int api_index(struct request *req, struct response *resp)
{
	return api_json(req, resp, 200,
	                json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "name", "vrc library API",
	                          "version", "1", "openapi_url", "/api/v1/openapi.json", "links", "sections",
	                          "/api/v1/sections", "topics", "/api/v1/topics", "resources",
	                          "/api/v1/resources", "hotlines", "/api/v1/hotlines", "communities",
	                          "/api/v1/communities"));
}

int api_openapi(struct request *req, struct response *resp)
{
	(void)req;
	resp->status = 200;
	resp->content_type = "application/json";
	resp->compress = true;
	resp->ref.p = api.openapi->data;
	resp->ref.len = api.openapi->len;
	resp->cache_control = "public, max-age=300";
	api_cors(resp);
	return 200;
}

int api_preflight(struct request *req, struct response *resp)
{
	(void)req;
	resp->status = 204;
	response_header(resp, "Access-Control-Allow-Origin", "*");
	response_header(resp, "Access-Control-Allow-Methods", "GET, HEAD");
	response_header(resp, "Access-Control-Allow-Headers", "If-None-Match");
	response_header(resp, "Access-Control-Max-Age", "86400");
	resp->cache_control = "public, max-age=86400";
	return 204;
}

int api_not_found(struct request *req, struct response *resp)
{
	return api_error(req, resp, 404, NULL, "There is no such endpoint: see /api/v1/openapi.json.");
}

int api_bad_method(struct request *req, struct response *resp, const char *allow)
{
	response_header(resp, "Allow", allow);
	return api_error(req, resp, 405, NULL, "This endpoint does not take that method.");
}
