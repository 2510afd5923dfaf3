/* libmicrohttpd glue: per-connection context and arena, request limits, conditional requests,
 * content coding, Range, security headers and the access log entry. Handlers never see the library. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "base/util.h"
#include "http/accesslog.h"
#include "http/compress.h"
#include "http/negotiate.h"

struct server {
	struct MHD_Daemon *daemon;
	struct server_config cfg;
	unsigned port;
};

/* One request's state across the library's calls. */
struct exchange {
	struct request req;
	struct buf body;
	size_t target_len; /* the request target as sent, query included */
	bool started;      /* the headers are in and req is filled */
	size_t max_body;   /* this request's body limit */
	int refuse;        /* a status decided before the handler (413, 414, 431, 400) */
	struct timespec start;
	int status;
	uint64_t bytes;
};

static uint64_t elapsed_us(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t us = (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 0;
}

const char *request_header(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *request_query(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum http_method method_of(const char *m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} t[] = {{"GET", HTTP_GET},
	         {"HEAD", HTTP_HEAD},
	         {"POST", HTTP_POST},
	         {"PUT", HTTP_PUT},
	         {"DELETE", HTTP_DELETE}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(m, t[i].name) == 0)
			return t[i].m;
	return HTTP_OTHER;
}

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	(void)kind;
	*(size_t *)cls += strlen(k) + (v ? strlen(v) : 0) + 4;
	return MHD_YES;
}

static const char *remote_of(struct MHD_Connection *c, struct arena *a)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		socklen_t len =
		    sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		getnameinfo(sa, len, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
	}
	return arena_strdup(a, host);
}

/* The request line has been read: its target as sent (with the query) is only visible here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls, (void)c;
	struct exchange *x = xcalloc(1, sizeof(*x));
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	x->target_len = uri ? strlen(uri) : 0;
	return x;
}

/* The headers are in: fill the request and decide refusals that need no body. */
static void exchange_begin(struct server *s, struct exchange *x, struct MHD_Connection *c, const char *url,
                           const char *method)
{
	x->started = true;
	x->req.arena = arena_new();
	x->req.conn = c;
	x->req.method = method_of(method);
	x->req.method_name = arena_strdup(x->req.arena, method);
	x->req.remote = remote_of(c, x->req.arena);
	size_t urllen = strlen(url);
	x->req.path = arena_strndup(x->req.arena, url, urllen);
	x->req.accept =
	    request_parse_accept(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
	size_t hdr = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_size, &hdr);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	x->max_body = s->cfg.body_limit ? s->cfg.body_limit(&x->req, s->cfg.ctx) : 0;
	if (!x->max_body)
		x->max_body = s->cfg.max_body;
	if (x->target_len > s->cfg.max_url || urllen > s->cfg.max_url)
		x->refuse = 414;
	else if (hdr > s->cfg.max_headers)
		x->refuse = 431;
	else if (cl && strtoull(cl, NULL, 10) > x->max_body)
		x->refuse = 413;
	else if (url[0] != '/' || !utf8_valid(url, urllen))
		x->refuse = 400;
}

static void exchange_free(struct exchange *x)
{
	buf_free(&x->body);
	if (x->req.arena)
		arena_free(x->req.arena);
	free(x);
}

struct wire {
	const void *p;
	size_t len;
	int fd; /* r->fd when the body is sent from the file, else -1 */
	uint64_t fd_off;
	const char *encoding;
	const char *content_range;
	bool vary;
	bool ranges;   /* say Accept-Ranges */
	bool from_ref; /* p points into bytes owned by the response's release hook */
};

/* A Range request (and If-Range) on the representation chosen: 206 with the part, or 416. */
static void apply_range(struct request *req, struct response *r, struct wire *w)
{
	const char *range = request_header(req, "Range");
	const char *ifr = range ? request_header(req, "If-Range") : NULL;
	if (!range || (ifr && !negotiate_if_range(ifr, r->etag)))
		return;
	uint64_t a, b, total = w->len;
	int ok = negotiate_range(range, total, &a, &b);
	if (ok == 0)
		return;
	if (ok < 0) {
		r->status = 416;
		w->content_range = arena_printf(req->arena, "bytes */%" PRIu64, total);
		w->len = 0;
		w->fd = -1;
		return;
	}
	r->status = 206;
	w->content_range = arena_printf(req->arena, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, a, b, total);
	if (w->fd >= 0)
		w->fd_off = a;
	else
		w->p = (const char *)w->p + a;
	w->len = (size_t)(b - a + 1);
}

/* On-the-fly codings: name, level, compressor. */
static const struct {
	unsigned coding;
	const char *name;
	int level;
	int (*compress)(const void *p, size_t len, int level, struct buf *out);
} codings[] = {
    {ENC_BR, "br", 5, compress_br},
    {ENC_GZIP, "gzip", 6, compress_gzip},
};

/* Compress the body with coding c; the compressed bytes replace it (the response owns them). */
static int compress_body(struct response *r, struct wire *w, size_t i)
{
	struct buf z = BUF_INIT;
	if (codings[i].compress(w->p, w->len, codings[i].level, &z) < 0 || z.len >= w->len) {
		buf_free(&z);
		return -1;
	}
	buf_free(&r->body);
	r->body = z;
	w->p = r->body.p, w->len = z.len, w->from_ref = false;
	return 0;
}

/* Pick the content coding (a stored variant, or compress a text body now); the ETag names it. */
static void apply_encoding(struct request *req, struct response *r, struct wire *w)
{
	struct offer o = {(r->br.p ? ENC_BR : 0) | (r->gz.p ? ENC_GZIP : 0), r->compress, w->len};
	w->vary = negotiate_varies(&o);
	unsigned c = negotiate_coding(req->accept, &o);
	size_t i = c == ENC_BR ? 0 : 1;
	if (c & o.have) {
		const struct body_ref *v = c == ENC_BR ? &r->br : &r->gz;
		w->p = v->p, w->len = v->len;
	} else if (c && compress_body(r, w, i) < 0) {
		c = 0;
	}
	if (c) {
		w->encoding = codings[i].name;
		r->etag = negotiate_etag(req->arena, r->etag, c);
	}
}

/* Decide status and the bytes to send from the handler's response: the coding first (it names the
 * ETag), then If-None-Match (304), then Range on the coded bytes, as for any stored representation. */
static void choose_body(struct exchange *x, struct response *r, struct wire *w)
{
	struct request *req = &x->req;
	w->fd = r->fd;
	w->from_ref = r->ref.p != NULL;
	w->p = r->ref.p ? r->ref.p : r->body.p;
	w->len = r->ref.p ? r->ref.len : r->body.len;
	if (w->fd >= 0)
		w->len = (size_t)r->fd_len;
	if (r->status == 200 && !r->etag && w->fd < 0)
		r->etag = arena_printf(req->arena, "\"%016" PRIx64 "\"", hash64(w->p, w->len));
	if (w->fd < 0)
		apply_encoding(req, r, w);
	if (r->status != 200 || !(req->method & (HTTP_GET | HTTP_HEAD)))
		return;
	w->ranges = true;
	if (negotiate_etag_matches(request_header(req, "If-None-Match"), r->etag)) {
		r->status = 304;
		w->len = 0;
		w->fd = -1;
		w->encoding = NULL;
		return;
	}
	apply_range(req, r, w);
}

/* A cache entry's release hook, run by the library when it is done with the bytes. */
struct release {
	void (*fn)(void *);
	void *arg;
};

static void release_cb(void *cls)
{
	struct release *rel = cls;
	rel->fn(rel->arg);
	free(rel);
}

/* Make the library's response object. Ownership of the bytes (or file) moves to it only when it
 * exists: on failure the response still owns them and response_clear_body frees them. */
static struct MHD_Response *make_mhd(struct response *r, struct wire *w)
{
	struct MHD_Response *m;
	if (w->fd >= 0) {
		m = MHD_create_response_from_fd_at_offset64(w->len, w->fd, w->fd_off);
		if (m)
			r->fd = -1; /* closed by the library */
		return m;
	}
	if (w->len == 0)
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (w->p == r->body.p) {
		m = MHD_create_response_from_buffer(w->len, r->body.p, MHD_RESPMEM_MUST_FREE);
		if (m)
			buf_detach(&r->body, NULL);
		return m;
	}
	if (r->release && w->from_ref) {
		/* Bytes owned by a cache entry: hand the release hook to the library. */
		struct release *rel = xmalloc(sizeof(*rel));
		*rel = (struct release){r->release, r->release_arg};
		m = MHD_create_response_from_buffer_with_free_callback_cls(w->len, (void *)w->p, release_cb,
		                                                           rel);
		if (m)
			r->release = NULL;
		else
			free(rel);
		return m;
	}
	return MHD_create_response_from_buffer(w->len, (void *)w->p, MHD_RESPMEM_MUST_COPY);
}

static void add_headers(struct server *s, struct MHD_Response *m, struct response *r, struct wire *w)
{
	for (size_t i = 0; i < s->cfg.nalways; i++)
		MHD_add_response_header(m, s->cfg.always[i].name, s->cfg.always[i].value);
	if (r->content_type && r->status != 304)
		MHD_add_response_header(m, "Content-Type", r->content_type);
	const char *cc = r->cache_control;
	if (!cc)
		cc = r->status < 400 ? "no-cache" : "no-store";
	MHD_add_response_header(m, "Cache-Control", cc);
	if (r->etag && (r->status == 200 || r->status == 206 || r->status == 304))
		MHD_add_response_header(m, "ETag", r->etag);
	if (r->location)
		MHD_add_response_header(m, "Location", r->location);
	if (w->encoding)
		MHD_add_response_header(m, "Content-Encoding", w->encoding);
	if (w->vary)
		MHD_add_response_header(m, "Vary", "Accept-Encoding");
	if (w->ranges)
		MHD_add_response_header(m, "Accept-Ranges", "bytes");
	if (w->content_range)
		MHD_add_response_header(m, "Content-Range", w->content_range);
	for (size_t i = 0; i < r->nheaders; i++)
		MHD_add_response_header(m, r->headers[i].name, r->headers[i].value);
}

static enum MHD_Result respond(struct server *s, struct exchange *x, struct MHD_Connection *c)
{
	struct response r;
	response_init(&r);
	if (x->refuse) {
		s->cfg.error(&x->req, &r, x->refuse, s->cfg.ctx);
	} else {
		x->req.body = x->body.p;
		x->req.body_len = x->body.len;
		s->cfg.handle(&x->req, &r, s->cfg.ctx);
	}
	struct wire w = {0};
	choose_body(x, &r, &w);
	struct MHD_Response *m = make_mhd(&r, &w);
	if (!m) {
		response_clear_body(&r);
		return MHD_NO;
	}
	add_headers(s, m, &r, &w);
	x->status = r.status;
	x->bytes = w.len;
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)r.status, m);
	MHD_destroy_response(m);
	response_clear_body(&r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
	(void)version;
	struct server *s = cls;
	struct exchange *x = *con_cls;
	if (!x)
		*con_cls = x = on_uri(s, NULL, c);
	if (!x->started) {
		exchange_begin(s, x, c, url, method);
		/* Refuse before reading a body we will not accept (the connection then closes). */
		return x->refuse ? respond(s, x, c) : MHD_YES;
	}
	if (*upload_size) {
		if (!x->refuse && x->body.len + *upload_size > x->max_body)
			x->refuse = 413;
		if (!x->refuse)
			buf_append(&x->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(s, x, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct server *s = cls;
	struct exchange *x = *con_cls;
	if (!x)
		return;
	/* A request the library refused by itself (bad header, no Host) never reached us: not logged. */
	if (x->started) {
		struct access_entry e = {x->req.remote,
		                         x->req.method_name,
		                         x->req.path,
		                         x->status,
		                         x->bytes,
		                         elapsed_us(&x->start),
		                         toe != MHD_REQUEST_TERMINATED_COMPLETED_OK};
		accesslog_write(&e);
		if (s->cfg.done)
			s->cfg.done(&x->req, x->status, x->bytes, e.micros, s->cfg.ctx);
	}
	exchange_free(x);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_warn("http: %s", line);
}

/* Resolve "HOST:PORT" / "[V6]:PORT" into an address. */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	if (!colon || (size_t)(colon - spec) >= sizeof(host))
		return -1;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	char *h = host;
	if (h[0] == '[') {
		h++;
		size_t n = strlen(h);
		if (!n || h[n - 1] != ']')
			return -1;
		h[n - 1] = '\0';
	}
	struct addrinfo hints = {.ai_flags = AI_NUMERICSERV, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(h[0] ? h : "0.0.0.0", colon + 1, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

/* libmicrohttpd zeroes a connection's whole memory pool before every request (a memset of its full
 * size: 15% of the CPU at 48 KB), so the pool is sized for the request head we accept (431 and 414
 * past it, answered by us) plus room for the header entries and our response head, and no more. */
static size_t pool_size(const struct server_config *cfg)
{
	return cfg->max_url + cfg->max_headers + 4096;
}

static unsigned default_conn_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 4096 + 64) {
		if (rl.rlim_max > rl.rlim_cur) {
			rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		return rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
	}
	return 4096;
}

struct server *server_start(const struct server_config *cfg)
{
	struct server *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	struct sockaddr_storage ss;
	if (parse_listen(cfg->listen, &ss) < 0) {
		log_error("serve: cannot use listen address '%s' (want HOST:PORT)", cfg->listen);
		free(s);
		return NULL;
	}
	unsigned threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	unsigned limit = cfg->max_connections ? cfg->max_connections : default_conn_limit();
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1u,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s, MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    pool_size(cfg), MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->daemon) {
		log_error("serve: cannot listen on %s: %s", cfg->listen, strerror(errno));
		free(s);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	return s;
}

unsigned server_port(const struct server *s)
{
	return s->port;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	free(s);
}
