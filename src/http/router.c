/* Segment-by-segment matching; no regular expressions, no allocation but the captured values. */
#include "http/router.h"

#include <string.h>

/* Length of the segment starting at s (up to '/' or end). */
static size_t seglen(const char *s)
{
	const char *slash = strchr(s, '/');
	return slash ? (size_t)(slash - s) : strlen(s);
}

static int capture(struct request *req, const char *name, size_t nlen, const char *val, size_t vlen)
{
	if (!req)
		return 1;
	if (req->nparams == sizeof(req->params) / sizeof(req->params[0]))
		return 0;
	req->params[req->nparams].name = arena_strndup(req->arena, name, nlen);
	req->params[req->nparams].value = arena_strndup(req->arena, val, vlen);
	req->nparams++;
	return 1;
}

int router_match_one(const char *pattern, const char *path, struct request *req)
{
	size_t saved = req ? req->nparams : 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			goto fail;
		p++, s++;
		if (*p == '*') {
			if (!capture(req, "*", 1, s, strlen(s)))
				goto fail;
			return 1;
		}
		size_t pl = seglen(p), sl = seglen(s);
		if (*p == ':') {
			if (sl == 0 || !capture(req, p + 1, pl - 1, s, sl))
				goto fail;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			goto fail;
		}
		p += pl, s += sl;
	}
	if (*p == '\0' && *s == '\0')
		return 1;
fail:
	if (req)
		req->nparams = saved;
	return 0;
}

enum router_result router_match(const struct route *table, size_t n, struct request *req,
                                const struct route **out)
{
	unsigned m = req->method == HTTP_HEAD ? (HTTP_HEAD | HTTP_GET) : req->method;
	enum router_result res = ROUTE_NOT_FOUND;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!router_match_one(table[i].pattern, req->path, NULL))
			continue;
		if (!(table[i].methods & m)) {
			res = ROUTE_BAD_METHOD;
			continue;
		}
		/* Capturing can still fail (more parameters than req holds): then it is no match. */
		if (!router_match_one(table[i].pattern, req->path, req))
			continue;
		*out = &table[i];
		return ROUTE_FOUND;
	}
	return res;
}
