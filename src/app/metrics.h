/* Prometheus metrics: requests by route kind and status with their durations, page-cache hits and
 * misses, page renders and their time, searches (counts, never their words) and their time, pages
 * failing, cache size and memory. Counted lock-free from every server thread; written in the Prometheus text
 * format (0.0.4). Never public: /metrics answers only on the --metrics-listen address, or on the public one
 * with --metrics-token as a bearer token. */
#ifndef VRC_METRICS_H
#define VRC_METRICS_H
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/request.h"
#include "http/response.h"

/* Start counting (the process start time) with the token that opens /metrics on the public address
 * (copied), or NULL for none (it then answers 404 there). */
void metrics_init(const char *token);
/* The server's per-request hook (struct server_config.done): one answered request. */
void metrics_request(const struct request *req, int status, uint64_t bytes, uint64_t us, void *ctx);
/* A page-cache lookup for path. */
void metrics_cache(const char *path, bool hit);
/* A public page rendered (status 200, 404, 410, 500) in us microseconds. */
void metrics_render(int status, uint64_t us);
/* A search answered in us microseconds, from the results cache (cached) or by searching. */
void metrics_search(bool cached, uint64_t us);
/* Microseconds on a monotonic clock, for timing. */
uint64_t metrics_now_us(void);
/* Every metric in the Prometheus text format, appended to out. */
void metrics_write(struct buf *out);
/* True when req carries "Authorization: Bearer <the metrics token>" (compared in constant time). */
bool metrics_allowed(const struct request *req);
/* Answer /metrics (200, text/plain; version=0.0.4). Returns 200. */
int metrics_serve(struct request *req, struct response *resp);
/* The --metrics-listen server's handler and error hook: /metrics, and 404 for anything else. */
void metrics_handle(struct request *req, struct response *resp, void *ctx);
void metrics_error(struct request *req, struct response *resp, int status, void *ctx);

#endif
