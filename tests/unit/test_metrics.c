/* Unit tests for src/app/metrics.c: route kinds by prefix, counters, cumulative histogram buckets,
 * one HELP and TYPE per family, and the bearer check of the public /metrics. */
#include "app/metrics.h"

#include <string.h>

#include "test.h"

static const char *text(struct buf *b)
{
	b->len = 0;
	metrics_write(b);
	return b->p;
}

static void test_counting(void)
{
	metrics_init("s3cret");
	struct request req = {0};
	const char *paths[] = {"/",
	                       "/es/resources/x",
	                       "/api/v1/sections",
	                       "/admin/login",
	                       "/static/a/b.css",
	                       "/sitemap.xml",
	                       "/es/updates.atom",
	                       "/healthz"};
	int codes[] = {200, 200, 200, 303, 200, 200, 200, 200};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		req.path = paths[i];
		metrics_request(&req, codes[i], 100, 2000, NULL);
	}
	req.path = "/nope";
	metrics_request(&req, 404, 10, 7000000, NULL);
	metrics_cache("/", true);
	metrics_cache("/", true);
	metrics_cache("/nope", false);
	metrics_render(200, 1500);
	metrics_render(500, 20000);
	struct buf b = BUF_INIT;
	const char *t = text(&b);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"page\",code=\"200\"} 2\n") != NULL);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"page\",code=\"404\"} 1\n") != NULL);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"api\",code=\"200\"} 1\n") != NULL);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"admin\",code=\"303\"} 1\n") != NULL);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"feed\",code=\"200\"} 2\n") != NULL);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"static\",code=\"200\"} 1\n") != NULL);
	CHECK(strstr(t, "vrc_http_requests_total{kind=\"health\",code=\"200\"} 1\n") != NULL);
	/* 2 ms falls in le=0.005; 7 s only in +Inf; buckets are cumulative. */
	CHECK(strstr(t, "vrc_http_request_duration_seconds_bucket{kind=\"page\",le=\"0.001\"} 0\n") != NULL);
	CHECK(strstr(t, "vrc_http_request_duration_seconds_bucket{kind=\"page\",le=\"0.005\"} 2\n") != NULL);
	CHECK(strstr(t, "vrc_http_request_duration_seconds_bucket{kind=\"page\",le=\"5\"} 2\n") != NULL);
	CHECK(strstr(t, "vrc_http_request_duration_seconds_bucket{kind=\"page\",le=\"+Inf\"} 3\n") != NULL);
	CHECK(strstr(t, "vrc_http_request_duration_seconds_count{kind=\"page\"} 3\n") != NULL);
	CHECK(strstr(t, "vrc_http_request_duration_seconds_sum{kind=\"page\"} 7.004000\n") != NULL);
	CHECK(strstr(t, "vrc_cache_lookups_total{kind=\"page\",result=\"hit\"} 2\n") != NULL);
	CHECK(strstr(t, "vrc_cache_lookups_total{kind=\"page\",result=\"miss\"} 1\n") != NULL);
	CHECK(strstr(t, "vrc_page_renders_total{code=\"500\"} 1\n") != NULL);
	CHECK(strstr(t, "vrc_page_render_duration_seconds_count 2\n") != NULL);
	CHECK(strstr(t, "process_resident_memory_bytes ") != NULL);
	/* One HELP and one TYPE per family. */
	const char *families[] = {"vrc_http_requests_total", "vrc_http_request_duration_seconds",
	                          "vrc_cache_lookups_total", "vrc_page_renders_total", "vrc_pages_failed"};
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		char help[96];
		snprintf(help, sizeof(help), "# TYPE %s ", families[i]);
		const char *first = strstr(t, help);
		CHECK(first && !strstr(first + 1, help));
	}
	buf_free(&b);
}

static void test_allowed(void)
{
	/* No server: request_header has no connection and finds nothing, so nothing is allowed. */
	struct request req = {0};
	metrics_init("s3cret");
	CHECK(!metrics_allowed(&req));
	metrics_init(NULL);
	CHECK(!metrics_allowed(&req));
}

static const struct test_case tests[] = {
    {"counting", test_counting},
    {"allowed", test_allowed},
};

TEST_MAIN(tests)
