/* Metrics, counted with relaxed atomics into fixed tables (no lock on the request path) and written
 * on demand. Route kinds are a table of path prefixes: a new kind of page (search, community pages)
 * is a row. */
#include "app/metrics.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cache.h"
#include "app/search.h"
#include "app/secret.h"
#include "app/site.h"
#include "version.h"

/* Route kinds, and the path prefixes that name them (first match wins); anything else is a public
 * page. A new kind (search, community pages) is a name and a row. */
enum kind { K_PAGE, K_API, K_ADMIN, K_STATIC, K_MEDIA, K_HEALTH, K_METRICS, K_FEED, NKINDS };
static const char *const kind_names[NKINDS] = {"page",  "api",    "admin",   "static",
                                               "media", "health", "metrics", "feed"};
static const struct {
	const char *prefix;
	enum kind kind;
} prefixes[] = {
    {"/api/", K_API},
    {"/hsds", K_API},
    {"/admin", K_ADMIN},
    {"/static/", K_STATIC},
    {"/media/", K_MEDIA},
    {"/healthz", K_HEALTH},
    {"/metrics", K_METRICS},
    {"/sitemap.xml", K_FEED},
    {"/robots.txt", K_FEED},
    {"/updates.atom", K_FEED},
    {"/es/updates.atom", K_FEED},
};

/* Upper bounds of the duration buckets, in microseconds (and as Prometheus writes them). */
static const uint64_t bucket_us[] = {500, 1000, 5000, 10000, 50000, 100000, 500000, 1000000, 5000000};
static const char *const bucket_le[] = {"0.0005", "0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5"};
#define NBUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))

struct histogram {
	atomic_uint_fast64_t bucket[NBUCKETS]; /* not cumulative: written cumulative */
	atomic_uint_fast64_t count, sum_us;
};

static struct {
	atomic_uint_fast64_t requests[NKINDS][600]; /* by status code */
	struct histogram duration[NKINDS];
	atomic_uint_fast64_t cache_hit[NKINDS], cache_miss[NKINDS];
	atomic_uint_fast64_t renders[600];
	struct histogram render;
	struct histogram search[2]; /* answered by searching, from the results cache */
	char *token;
	time_t started;
} m;

static size_t kind_of(const char *path)
{
	for (size_t i = 0; path && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(path, prefixes[i].prefix, strlen(prefixes[i].prefix)) == 0)
			return prefixes[i].kind;
	return K_PAGE;
}

static const char *kind_name(size_t k)
{
	return kind_names[k];
}

static void add(atomic_uint_fast64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static uint64_t get(atomic_uint_fast64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

static void observe(struct histogram *h, uint64_t us)
{
	size_t i = 0;
	while (i < NBUCKETS && us > bucket_us[i])
		i++;
	if (i < NBUCKETS)
		add(&h->bucket[i], 1);
	add(&h->count, 1);
	add(&h->sum_us, us);
}

void metrics_init(const char *token)
{
	m.started = time(NULL);
	free(m.token);
	m.token = token && *token ? strdup(token) : NULL;
}

uint64_t metrics_now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

void metrics_request(const struct request *req, int status, uint64_t bytes, uint64_t us, void *ctx)
{
	(void)bytes, (void)ctx;
	size_t k = kind_of(req->path);
	add(&m.requests[k][status >= 100 && status < 600 ? status : 599], 1);
	observe(&m.duration[k], us);
}

void metrics_cache(const char *path, bool hit)
{
	size_t k = kind_of(path);
	add(hit ? &m.cache_hit[k] : &m.cache_miss[k], 1);
}

void metrics_render(int status, uint64_t us)
{
	add(&m.renders[status >= 100 && status < 600 ? status : 599], 1);
	observe(&m.render, us);
}

void metrics_search(bool cached, uint64_t us)
{
	observe(&m.search[cached], us);
}

/* ---- the text format ---- */

static void head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void histogram_write(struct buf *b, const char *name, const char *labels, struct histogram *h)
{
	uint64_t cum = 0;
	const char *sep = *labels ? "," : "";
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += get(&h->bucket[i]);
		buf_printf(b, "%s_bucket{%s%sle=\"%s\"} %llu\n", name, labels, sep, bucket_le[i],
		           (unsigned long long)cum);
	}
	uint64_t count = get(&h->count);
	buf_printf(b, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, (unsigned long long)count);
	buf_printf(b, "%s_sum%s%s%s %.6f\n", name, *labels ? "{" : "", labels, *labels ? "}" : "",
	           (double)get(&h->sum_us) / 1e6);
	buf_printf(b, "%s_count%s%s%s %llu\n", name, *labels ? "{" : "", labels, *labels ? "}" : "",
	           (unsigned long long)count);
}

static void write_requests(struct buf *b)
{
	head(b, "vrc_http_requests_total", "counter",
	     "HTTP requests answered, by route kind and status code.");
	for (size_t k = 0; k < NKINDS; k++)
		for (int s = 100; s < 600; s++) {
			uint64_t n = get(&m.requests[k][s]);
			if (n)
				buf_printf(b, "vrc_http_requests_total{kind=\"%s\",code=\"%d\"} %llu\n",
				           kind_name(k), s, (unsigned long long)n);
		}
	head(b, "vrc_http_request_duration_seconds", "histogram",
	     "Time from the request line to the response sent, by route kind.");
	for (size_t k = 0; k < NKINDS; k++) {
		char labels[48];
		snprintf(labels, sizeof(labels), "kind=\"%s\"", kind_name(k));
		histogram_write(b, "vrc_http_request_duration_seconds", labels, &m.duration[k]);
	}
}

static void write_cache(struct buf *b)
{
	head(b, "vrc_cache_lookups_total", "counter",
	     "Page-cache lookups for GET and HEAD, by route kind and result (hit or miss).");
	for (size_t k = 0; k < NKINDS; k++) {
		buf_printf(b, "vrc_cache_lookups_total{kind=\"%s\",result=\"hit\"} %llu\n", kind_name(k),
		           (unsigned long long)get(&m.cache_hit[k]));
		buf_printf(b, "vrc_cache_lookups_total{kind=\"%s\",result=\"miss\"} %llu\n", kind_name(k),
		           (unsigned long long)get(&m.cache_miss[k]));
	}
	head(b, "vrc_cache_entries", "gauge", "Responses held in the page cache.");
	buf_printf(b, "vrc_cache_entries %zu\n", cache_count());
	struct cache_stats st;
	cache_stats(&st);
	head(b, "vrc_cache_bytes", "gauge", "Bytes of response bodies held in the page cache, by coding.");
	buf_printf(b, "vrc_cache_bytes{coding=\"identity\"} %zu\n", st.identity);
	buf_printf(b, "vrc_cache_bytes{coding=\"gzip\"} %zu\n", st.gzip);
	buf_printf(b, "vrc_cache_bytes{coding=\"br\"} %zu\n", st.brotli);
	if (st.budget != SIZE_MAX) {
		head(b, "vrc_cache_budget_bytes", "gauge",
		     "The bound (--cache-mb) on identity and gzip bodies; brotli bodies are always kept.");
		buf_printf(b, "vrc_cache_budget_bytes %zu\n", st.budget);
	}
}

static void write_renders(struct buf *b)
{
	head(b, "vrc_page_renders_total", "counter",
	     "Public pages rendered, by the status they rendered to.");
	for (int s = 100; s < 600; s++) {
		uint64_t n = get(&m.renders[s]);
		if (n)
			buf_printf(b, "vrc_page_renders_total{code=\"%d\"} %llu\n", s, (unsigned long long)n);
	}
	head(b, "vrc_page_render_duration_seconds", "histogram", "Time to render one public page.");
	histogram_write(b, "vrc_page_render_duration_seconds", "", &m.render);
	head(b, "vrc_pages_failed", "gauge",
	     "Pages whose last render failed (they answer a 500 page with the crisis lines).");
	buf_printf(b, "vrc_pages_failed %zu\n", site_failing());
}

/* Search: counts only, never what was searched for. */
static void write_search(struct buf *b)
{
	struct search_stats st;
	search_stats(&st);
	static const struct {
		const char *name, *help;
		size_t off;
	} counters[] = {
	    {"vrc_searches_total", "Searches with words to look for (cached answers included).",
	     offsetof(struct search_stats, searches)},
	    {"vrc_search_cached_total", "Searches answered from the results cache.",
	     offsetof(struct search_stats, cached)},
	    {"vrc_search_no_results_total", "Searches that found nothing.",
	     offsetof(struct search_stats, none)},
	    {"vrc_search_crisis_total", "Searches with crisis words (the crisis lines shown first).",
	     offsetof(struct search_stats, crisis)},
	    {"vrc_search_rate_limited_total", "Searches refused with 429 past the per-address limit.",
	     offsetof(struct search_stats, limited)},
	    {"vrc_search_failed_total", "Searches that could not be answered (500).",
	     offsetof(struct search_stats, failed)},
	};
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		head(b, counters[i].name, "counter", counters[i].help);
		buf_printf(b, "%s %llu\n", counters[i].name,
		           (unsigned long long)*(const uint64_t *)((const char *)&st + counters[i].off));
	}
	head(b, "vrc_search_duration_seconds", "histogram",
	     "Time to answer a search with words, by whether the results cache had it.");
	histogram_write(b, "vrc_search_duration_seconds", "cache=\"miss\"", &m.search[0]);
	histogram_write(b, "vrc_search_duration_seconds", "cache=\"hit\"", &m.search[1]);
}

/* Resident memory from /proc/self/statm (pages), in bytes; 0 when unknown. */
static unsigned long long rss_bytes(void)
{
	unsigned long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%llu %llu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (unsigned long long)sysconf(_SC_PAGESIZE);
}

static void write_process(struct buf *b)
{
	head(b, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
	buf_printf(b, "process_resident_memory_bytes %llu\n", rss_bytes());
	head(b, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch.");
	buf_printf(b, "process_start_time_seconds %lld\n", (long long)m.started);
	head(b, "vrc_build_info", "gauge", "The running version (always 1).");
	buf_printf(b, "vrc_build_info{version=\"%s\"} 1\n", VRC_VERSION);
}

static void (*const sections[])(struct buf *) = {write_requests, write_cache, write_renders, write_search,
                                                 write_process};

void metrics_write(struct buf *out)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		sections[i](out);
}

/* ---- serving ---- */

bool metrics_allowed(const struct request *req)
{
	const char *h = request_header(req, "Authorization");
	if (!m.token || !h || strncmp(h, "Bearer ", 7) != 0)
		return false;
	return secret_equal(h + 7, m.token);
}

int metrics_serve(struct request *req, struct response *resp)
{
	(void)req;
	response_clear_body(resp);
	metrics_write(&resp->body);
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	resp->compress = true;
	resp->cache_control = "no-store";
	return 200;
}

void metrics_handle(struct request *req, struct response *resp, void *ctx)
{
	(void)ctx;
	if ((req->method & (HTTP_GET | HTTP_HEAD)) && strcmp(req->path, "/metrics") == 0) {
		metrics_serve(req, resp);
		return;
	}
	metrics_error(req, resp, 404, NULL);
}

void metrics_error(struct request *req, struct response *resp, int status, void *ctx)
{
	(void)req, (void)ctx;
	response_text(resp, status,
	              status == 404 ? "not found: this address serves /metrics only\n" : "refused\n");
	resp->cache_control = "no-store";
}
