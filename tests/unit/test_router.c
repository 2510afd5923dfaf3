/* Unit tests for src/http/router.c: exact paths, :params, a trailing *, methods (HEAD rides on
 * GET), 404 against 405, and parameters captured into the request's arena. */
#include "http/router.h"
#include "test.h"

static int h_home(struct request *req, struct response *resp)
{
	(void)req, (void)resp;
	return 200;
}

/* The table is distinct handlers in spirit; the rows are told apart by address. */
static const struct route table[] = {
    {HTTP_GET, "/", h_home, 0},
    {HTTP_GET, "/en/", h_home, 0},
    {HTTP_GET, "/:lang/resources/:slug", h_home, 0},
    {HTTP_GET, "/:lang/sections/:section/:topic", h_home, 0},
    {HTTP_POST, "/admin/edit/:slug", h_home, 0},
    {HTTP_GET | HTTP_POST, "/admin/login", h_home, 0},
    {HTTP_DELETE, "/admin/sessions/:id", h_home, 0},
    {HTTP_GET, "/static/*", h_home, 0},
    {HTTP_HEAD, "/health", h_home, 0},
    {HTTP_PUT, "/media/*", h_home, 0},
    {HTTP_GET, "/media/*", h_home, 0},
};
#define NROUTES (sizeof(table) / sizeof(table[0]))

static struct request req;

/* An empty request with a new arena (the previous one freed). */
static void fresh_req(void)
{
	arena_free(req.arena);
	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
}

/* Match method and path against the table; *row is the row index or -1. */
static enum router_result match(enum http_method m, const char *path, int *row)
{
	fresh_req();
	req.method = m;
	req.path = path;
	const struct route *r = (const struct route *)1;
	enum router_result res = router_match(table, NROUTES, &req, &r);
	*row = r ? (int)(r - table) : -1;
	return res;
}

static void test_exact(void)
{
	int row;
	CHECK(match(HTTP_GET, "/", &row) == ROUTE_FOUND && row == 0);
	CHECK(match(HTTP_GET, "/en/", &row) == ROUTE_FOUND && row == 1);
	CHECK(req.nparams == 0);
	CHECK(match(HTTP_GET, "/admin/login", &row) == ROUTE_FOUND && row == 5);
	CHECK(match(HTTP_POST, "/admin/login", &row) == ROUTE_FOUND && row == 5);
	/* Exact means exact: no prefix, no missing or extra slash, case counts. */
	CHECK(match(HTTP_GET, "/en", &row) == ROUTE_NOT_FOUND && row == -1);
	CHECK(match(HTTP_GET, "/admin/login/", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/admin/loginx", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/admin/logi", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/Admin/login", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "//", &row) == ROUTE_NOT_FOUND);
}

static void test_params(void)
{
	int row;
	CHECK(match(HTTP_GET, "/es/resources/duelo-y-perdida", &row) == ROUTE_FOUND && row == 2);
	CHECK(req.nparams == 2);
	CHECK_STR(request_param(&req, "lang"), "es");
	CHECK_STR(request_param(&req, "slug"), "duelo-y-perdida");
	CHECK(request_param(&req, "section") == NULL);
	CHECK(match(HTTP_GET, "/en/sections/grief-trauma/sleep", &row) == ROUTE_FOUND && row == 3);
	CHECK(req.nparams == 3);
	CHECK_STR(request_param(&req, "lang"), "en");
	CHECK_STR(request_param(&req, "section"), "grief-trauma");
	CHECK_STR(request_param(&req, "topic"), "sleep");
	/* A parameter takes exactly one non-empty segment. */
	CHECK(match(HTTP_GET, "/en/resources/", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/en/resources", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/en/resources/a/b", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/en/resources/a/", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "//resources/a", &row) == ROUTE_NOT_FOUND);
	/* Values are copies in the arena, not views into the path. */
	char path[] = "/en/resources/abc";
	CHECK(match(HTTP_GET, path, &row) == ROUTE_FOUND);
	const char *slug = request_param(&req, "slug");
	path[14] = 'X';
	CHECK_STR(slug, "abc");
	CHECK(slug < path || slug >= path + sizeof(path));
	/* Any bytes but '/' go into a parameter as they are (the server has decoded the path). */
	CHECK(match(HTTP_GET, "/en/resources/caf\xc3\xa9 %20", &row) == ROUTE_FOUND);
	CHECK_STR(request_param(&req, "slug"), "caf\xc3\xa9 %20");
}

static void test_wildcard(void)
{
	int row;
	CHECK(match(HTTP_GET, "/static/css/site.css", &row) == ROUTE_FOUND && row == 7);
	CHECK_STR(request_param(&req, "*"), "css/site.css");
	CHECK(match(HTTP_GET, "/static/a", &row) == ROUTE_FOUND && row == 7);
	CHECK_STR(request_param(&req, "*"), "a");
	CHECK(match(HTTP_GET, "/static/a/b/../c/", &row) == ROUTE_FOUND);
	CHECK_STR(request_param(&req, "*"), "a/b/../c/");
	CHECK(match(HTTP_GET, "/static/", &row) == ROUTE_FOUND);
	CHECK_STR(request_param(&req, "*"), "");
	/* The wildcard needs its slash: "/static" and "/staticx/y" are elsewhere. */
	CHECK(match(HTTP_GET, "/static", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_GET, "/staticx/y", &row) == ROUTE_NOT_FOUND);
}

static void test_methods(void)
{
	int row;
	/* The path matches, the method does not: 405, not 404, and no route. */
	CHECK(match(HTTP_POST, "/", &row) == ROUTE_BAD_METHOD && row == -1);
	CHECK(match(HTTP_GET, "/admin/edit/x", &row) == ROUTE_BAD_METHOD && row == -1);
	CHECK(match(HTTP_DELETE, "/en/resources/x", &row) == ROUTE_BAD_METHOD);
	CHECK(match(HTTP_OTHER, "/admin/login", &row) == ROUTE_BAD_METHOD);
	CHECK(match(HTTP_PUT, "/static/x", &row) == ROUTE_BAD_METHOD);
	/* No parameters are left behind by a path that matched with the wrong method. */
	CHECK(req.nparams == 0);
	CHECK(match(HTTP_POST, "/admin/edit/x", &row) == ROUTE_FOUND && row == 4);
	CHECK_STR(request_param(&req, "slug"), "x");
	CHECK(match(HTTP_DELETE, "/admin/sessions/17", &row) == ROUTE_FOUND && row == 6);
	CHECK_STR(request_param(&req, "id"), "17");
	/* An earlier row refusing the method does not hide a later row that takes it. */
	CHECK(match(HTTP_GET, "/media/a.webm", &row) == ROUTE_FOUND && row == 10);
	CHECK(match(HTTP_PUT, "/media/a.webm", &row) == ROUTE_FOUND && row == 9);
	CHECK(req.nparams == 1);
	CHECK_STR(request_param(&req, "*"), "a.webm");
	/* Unknown paths are 404 whatever the method. */
	CHECK(match(HTTP_POST, "/nowhere", &row) == ROUTE_NOT_FOUND);
	CHECK(match(HTTP_OTHER, "/nowhere", &row) == ROUTE_NOT_FOUND);
}

static void test_head(void)
{
	int row;
	/* HEAD is served by GET routes ... */
	CHECK(match(HTTP_HEAD, "/", &row) == ROUTE_FOUND && row == 0);
	CHECK(match(HTTP_HEAD, "/en/resources/sleep", &row) == ROUTE_FOUND && row == 2);
	CHECK_STR(request_param(&req, "slug"), "sleep");
	CHECK(match(HTTP_HEAD, "/static/x.js", &row) == ROUTE_FOUND && row == 7);
	CHECK(match(HTTP_HEAD, "/admin/login", &row) == ROUTE_FOUND && row == 5);
	/* ... and by explicit HEAD rows, but not by POST-only rows. */
	CHECK(match(HTTP_HEAD, "/health", &row) == ROUTE_FOUND && row == 8);
	CHECK(match(HTTP_HEAD, "/admin/edit/x", &row) == ROUTE_BAD_METHOD);
	/* GET does not ride on HEAD. */
	CHECK(match(HTTP_GET, "/health", &row) == ROUTE_BAD_METHOD);
}

static void test_match_one(void)
{
	CHECK(router_match_one("/", "/", NULL));
	CHECK(router_match_one("/a/:b", "/a/x", NULL));
	CHECK(!router_match_one("/a/:b", "/a/x/", NULL));
	CHECK(router_match_one("/*", "/anything/at/all", NULL));
	CHECK(router_match_one("/*", "/", NULL));
	CHECK(!router_match_one("/a", "", NULL));
	CHECK(!router_match_one("", "/", NULL));
	/* A failed match leaves the request's parameters as they were. */
	fresh_req();
	CHECK(router_match_one("/:a", "/one", &req) && req.nparams == 1);
	CHECK(!router_match_one("/:x/:y/z", "/p/q/r", &req));
	CHECK(req.nparams == 1);
	CHECK_STR(request_param(&req, "a"), "one");
	CHECK(request_param(&req, "x") == NULL);
	arena_free(req.arena);
	req.arena = NULL;
}

/* More parameters than the request has room for is no match, not an overflow. */
static void test_too_many_params(void)
{
	static const char *pat = "/:a/:b/:c/:d/:e/:f/:g/:h/:i";
	fresh_req();
	CHECK(router_match_one("/:a/:b/:c/:d/:e/:f/:g/:h", "/1/2/3/4/5/6/7/8", &req));
	CHECK(req.nparams == 8);
	CHECK_STR(request_param(&req, "h"), "8");
	req.nparams = 0;
	CHECK(!router_match_one(pat, "/1/2/3/4/5/6/7/8/9", &req));
	CHECK(req.nparams == 0);
	/* Through the table: the row matches the path but cannot hold its values. */
	static const struct route many[] = {{HTTP_GET, "/:a/:b/:c/:d/:e/:f/:g/:h/:i", h_home, 0}};
	const struct route *r = NULL;
	req.method = HTTP_GET;
	req.path = "/1/2/3/4/5/6/7/8/9";
	enum router_result res = router_match(many, 1, &req, &r);
	CHECK(req.nparams <= 8);
	CHECK(res == ROUTE_NOT_FOUND && r == NULL);
	arena_free(req.arena);
	req.arena = NULL;
}

static void test_cleanup(void)
{
	arena_free(req.arena);
	req.arena = NULL;
}

static const struct test_case tests[] = {
    {"exact", test_exact},
    {"params", test_params},
    {"wildcard", test_wildcard},
    {"methods", test_methods},
    {"head", test_head},
    {"match_one", test_match_one},
    {"too_many_params", test_too_many_params},
    {"cleanup", test_cleanup},
};
TEST_MAIN(tests)
