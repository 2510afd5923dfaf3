/* libmicrohttpd glue: per-connection context and arena, request limits, conditional requests,
 * content coding, Range, security headers and the access log. Handlers never see the library. */
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
#include "base/util.h"
#include "http/compress.h"

struct server {
	struct MHD_Daemon *daemon;
	struct server_config cfg;
	unsigned port;
};

/* One request's state across the library's calls. */
struct exchange {
	struct request req;
	struct buf body;
	int refuse; /* a status decided before the handler (413, 414, 431, 400) */
	struct timespec start;
	int status;
	uint64_t bytes;
};

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
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

/* The first call: set up the exchange and decide refusals that need no body. */
static struct exchange *exchange_new(struct server *s, struct MHD_Connection *c, const char *url,
                                     const char *method)
{
	struct exchange *x = xcalloc(1, sizeof(*x));
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	x->req.arena = arena_new();
	x->req.conn = c;
	x->req.method = method_of(method);
	x->req.method_name = arena_strdup(x->req.arena, method);
	x->req.remote = remote_of(c, x->req.arena);
	size_t urllen = strlen(url);
	x->req.path = arena_strndup(x->req.arena, url, urllen > 512 ? 512 : urllen);
	x->req.accept =
	    request_parse_accept(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
	size_t hdr = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_size, &hdr);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (urllen > s->cfg.max_url)
		x->refuse = 414;
	else if (hdr > s->cfg.max_headers)
		x->refuse = 431;
	else if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body)
		x->refuse = 413;
	else if (url[0] != '/' || !utf8_valid(url, urllen))
		x->refuse = 400;
	return x;
}

static void exchange_free(struct exchange *x)
{
	buf_free(&x->body);
	arena_free(x->req.arena);
	free(x);
}

/* ETag comparison that ignores W/ and our per-coding suffixes ("-gz", "-br"). */
static int etag_base_len(const char *e, size_t n, const char **start)
{
	if (n >= 2 && e[0] == 'W' && e[1] == '/')
		e += 2, n -= 2;
	*start = e;
	if (n >= 4 && e[n - 1] == '"' &&
	    (memcmp(e + n - 4, "-gz", 3) == 0 || memcmp(e + n - 4, "-br", 3) == 0))
		return (int)n - 4;
	return n && e[n - 1] == '"' ? (int)n - 1 : (int)n;
}

static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm || !etag)
		return false;
	const char *es;
	int elen = etag_base_len(etag, strlen(etag), &es);
	struct str s = str_c(inm);
	while (s.len) {
		const char *comma = memchr(s.p, ',', s.len);
		struct str item = str_trim((struct str){s.p, comma ? (size_t)(comma - s.p) : s.len});
		if (str_eqc(item, "*"))
			return true;
		const char *is;
		int ilen = etag_base_len(item.p, item.len, &is);
		if (ilen == elen && memcmp(is, es, (size_t)elen) == 0)
			return true;
		if (!comma)
			break;
		s.len -= (size_t)(comma - s.p) + 1;
		s.p = comma + 1;
	}
	return false;
}

/* Parse a single "bytes=a-b" range against size; 1 ok, 0 ignore (serve all), -1 unsatisfiable. */
static int parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to)
{
	if (strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	const char *p = h + 6;
	char *end;
	if (*p == '-') {
		unsigned long long n = strtoull(p + 1, &end, 10);
		if (end == p + 1 || *end || n == 0)
			return n == 0 && end != p + 1 && !*end ? -1 : 0;
		*from = n >= size ? 0 : size - n;
		*to = size - 1;
		return size ? 1 : -1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	unsigned long long a = strtoull(p, &end, 10), b = size ? size - 1 : 0;
	if (*end != '-')
		return 0;
	if (end[1]) {
		char *e2;
		b = strtoull(end + 1, &e2, 10);
		if (*e2 || b < a)
			return 0;
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b;
	return 1;
}

struct wire {
	const void *p;
	size_t len;
	int fd;
	uint64_t fd_off;
	const char *encoding;
	const char *content_range;
	bool vary;
	bool from_ref; /* p points into bytes owned by the response's release hook */
};

/* Decide status and the bytes to send from the handler's response. */
/* A Range request on a response that allows it: 206 with the part, or 416. False: serve it all. */
static bool apply_range(struct request *req, struct response *r, struct wire *w)
{
	const char *range = request_header(req, "Range");
	const char *ifr = range ? request_header(req, "If-Range") : NULL;
	if (!range || (ifr && (!r->etag || strcmp(ifr, r->etag) != 0)))
		return false;
	uint64_t a, b, total = w->len;
	int ok = parse_range(range, total, &a, &b);
	if (ok == 0)
		return false;
	if (ok < 0) {
		r->status = 416;
		w->content_range = arena_printf(req->arena, "bytes */%" PRIu64, total);
		w->len = 0;
		if (w->fd >= 0)
			close(w->fd);
		w->fd = r->fd = -1;
		return true;
	}
	r->status = 206;
	w->content_range = arena_printf(req->arena, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, a, b, total);
	if (w->fd >= 0)
		w->fd_off = a;
	else
		w->p = (const char *)w->p + a;
	w->len = (size_t)(b - a + 1);
	return true;
}

/* Pick a precompressed variant, or compress a text body on the fly; the ETag names the coding. */
static void apply_encoding(struct request *req, struct response *r, struct wire *w)
{
	w->vary = r->compress || r->br.p || r->gz.p;
	if ((req->accept & ENC_BR) && r->br.p) {
		w->p = r->br.p, w->len = r->br.len, w->encoding = "br";
	} else if ((req->accept & ENC_GZIP) && r->gz.p) {
		w->p = r->gz.p, w->len = r->gz.len, w->encoding = "gzip";
	} else if (r->compress && w->len >= 512 && (req->accept & (ENC_BR | ENC_GZIP))) {
		struct buf z = BUF_INIT;
		bool br = req->accept & ENC_BR;
		int rc = br ? compress_br(w->p, w->len, 5, &z) : compress_gzip(w->p, w->len, 6, &z);
		if (rc == 0 && z.len < w->len) {
			/* The compressed bytes replace the body: the response owns them. */
			w->len = z.len, w->encoding = br ? "br" : "gzip", w->from_ref = false;
			buf_free(&r->body);
			r->body = z;
			w->p = r->body.p;
		} else {
			buf_free(&z);
		}
	}
	if (w->encoding && r->etag) {
		size_t n = strlen(r->etag);
		r->etag = arena_printf(req->arena, "%.*s-%s\"", (int)(n - 1), r->etag,
		                       w->encoding[0] == 'b' ? "br" : "gz");
	}
}

/* Decide status and the bytes to send from the handler's response: 304, Range, then coding. */
static void choose_body(struct exchange *x, struct response *r, struct wire *w)
{
	struct request *req = &x->req;
	w->fd = -1;
	w->from_ref = r->ref.p != NULL;
	w->p = r->ref.p ? r->ref.p : r->body.p;
	w->len = r->ref.p ? r->ref.len : r->body.len;
	if (r->fd >= 0) {
		w->fd = r->fd;
		w->len = (size_t)r->fd_len;
	}
	if (r->status == 200 && !r->etag && w->fd < 0)
		r->etag = arena_printf(req->arena, "\"%016" PRIx64 "\"", hash64(w->p, w->len));
	if (r->status == 200 && (req->method & (HTTP_GET | HTTP_HEAD)) &&
	    etag_matches(request_header(req, "If-None-Match"), r->etag)) {
		r->status = 304;
		w->len = 0;
		return;
	}
	if (r->ranges && r->status == 200 && apply_range(req, r, w))
		return;
	if (w->fd < 0)
		apply_encoding(req, r, w);
}

static void release_cb(void *cls)
{
	struct response *r = cls;
	r->release(r->release_arg);
	free(r);
}

/* Make the library's response object; ownership of the bytes moves to it. */
static struct MHD_Response *make_mhd(struct response *r, struct wire *w)
{
	if (w->fd >= 0) {
		r->fd = -1;
		return MHD_create_response_from_fd_at_offset64(w->len, w->fd, w->fd_off);
	}
	if (w->len == 0 || r->status == 304)
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (w->p == r->body.p) {
		char *p = buf_detach(&r->body, NULL);
		return MHD_create_response_from_buffer(w->len, p, MHD_RESPMEM_MUST_FREE);
	}
	if (r->release && w->from_ref) {
		/* Bytes owned by a cache entry: hand the release hook to the library. */
		struct response *keep = xmalloc(sizeof(*keep));
		*keep = *r;
		r->release = NULL;
		return MHD_create_response_from_buffer_with_free_callback_cls(w->len, (void *)w->p,
		                                                              release_cb, keep);
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
	if (r->ranges)
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
	if (!x) {
		*con_cls = x = exchange_new(s, c, url, method);
		/* Refuse before reading a body we will not accept (the connection then closes). */
		return x->refuse ? respond(s, x, c) : MHD_YES;
	}
	if (*upload_size) {
		if (!x->refuse && x->body.len + *upload_size > s->cfg.max_body)
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
	(void)cls, (void)c;
	struct exchange *x = *con_cls;
	if (!x)
		return;
	log_info("access %s \"%s %s\" %d %" PRIu64 " %.1fms%s", x->req.remote, x->req.method_name,
	         x->req.path, x->status, x->bytes, elapsed_ms(&x->start),
	         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
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
	    (size_t)(cfg->max_headers + 32768), MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, s, MHD_OPTION_END);
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
